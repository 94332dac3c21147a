/**
 * The fast path for department events CSVs must give exactly what the general path gives: the same events (every
 * field, in order), rejects and row counts — on plain files and on fuzzed ones full of quirks.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { readDataset, type ReadOptions } from "../../src/io/readDataset.js";
import type { Dataset } from "../../src/model/dataset.js";
import { useTempDir } from "../helpers/tmp.js";
import { fuzzedLines, rng } from "../helpers/rng.js";

const tempDir = useTempDir("povwatch-faste-");

function snapshot(d: Dataset) {
  return {
    // Events that name a 户编号 are matched against the households file read with them; the others are rejected as
    // unmatched, in the same order on both paths.
    events: d.events.map((e) => ({ ...e, source: e.source.row })),
    tables: d.inputs.flatMap((f) => f.tables.map((t) => ({ kind: t.kind, headerRow: t.headerRow, counts: t.counts }))),
    rejects: d.rejects.map((r) => [r.source.file.split("/").pop(), r.source.row, r.column, r.value, r.code]),
  };
}

const HOUSEHOLDS = "户编号,户主姓名,家庭人口数\n0001,张三,3\n0002,李四,2\nA-01,王五,1\n";

async function bothPaths(name: string, content: string | Buffer, options: ReadOptions = {}) {
  const dir = join(tempDir(), name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "events.csv"), content);
  await writeFile(join(dir, "households.csv"), HOUSEHOLDS);
  const fast = snapshot(await readDataset([dir], { ...options }));
  const general = snapshot(await readDataset([dir], { ...options, noFastPath: true }));
  return { fast, general };
}

const HEADER = "数据来源,户编号,证件号码,事件类型,发生日期,总费用,报销金额,自付金额,损失金额";

describe("fast events path", () => {
  it("reads a plain department export exactly like the general path (BOM, CRLF)", async () => {
    const rows = [
      "医保,0001,,医疗,2026-03-05,1237.59,641.16,596.43,",
      "医保,,110105194912310021,,2026-04-01,500,200,,",
      "应急管理,0002,,自然灾害,2026-05,,,,8000",
      "教育,A-01,,,2026/6/1,,,1200.5,",
    ];
    const text = "\ufeff" + [HEADER, ...rows].join("\r\n") + "\r\n";
    const { fast, general } = await bothPaths("plain", text);
    expect(fast).toEqual(general);
    expect(fast.events.map((e) => [e.householdId, e.eventType, e.amount])).toEqual([
      ["0001", "医疗", 596.43],
      ["0002", "灾害", 8000],
      ["A-01", "教育", 1200.5],
    ]);
    expect(fast.rejects.map((r) => r[4])).toEqual(["event_unmatched"]);
  });

  it("gives 其他 to events with neither 事件类型 nor 数据来源 (an export without 数据来源, 事件类型 blank), like the general path", async () => {
    const text = ["户编号,事件类型,发生日期,损失金额", "0001,,2026-03-05,100", "0002,,2026-04-01,50"].join("\n") + "\n";
    const { fast, general } = await bothPaths("untyped", text);
    expect(fast).toEqual(general);
    expect(fast.events.map((e) => e.eventType)).toEqual(["其他", "其他"]);
  });

  it("reads a GB18030 export like the general path", async () => {
    const text = [HEADER, "医保,0001,,医疗,2026-03-05,100,40,,", "应急,0002,,,2026-04,,,,300"].join("\n") + "\n";
    const { fast, general } = await bothPaths("gb", iconv.encode(text, "gb18030"));
    expect(fast).toEqual(general);
    expect(fast.events.map((e) => [e.eventType, e.amount])).toEqual([
      ["医疗", 60],
      ["灾害", 300],
    ]);
  });

  it("skips 合计 rows as the general path does, whichever cell they start in", async () => {
    const text =
      ["序号," + HEADER, "1,医保,0001,,医疗,2026-03-05,,,10,", "合计,,,,,,,,10,", "2,合计,,,,,,,10,", '3,="合计",0002,,,2026-03,,,5,', "4, 小 计,0002,,,2026-03,,,5,", "5, ,0002,,,2026-03,,,5,"].join("\n") +
      "\n";
    const { fast, general } = await bothPaths("summary", text);
    expect(fast).toEqual(general);
    expect(general.tables.find((t) => t.kind === "events")!.counts.skipped).toBe(1);
    const noSerial = [HEADER, "医保,0001,,医疗,2026-03-05,,,10,", "合计,,,,,,,10,", '="总计",0001,,,2026-03,,,5,', " ,0001,,,2026-03,,,7,"].join("\n") + "\n";
    const second = await bothPaths("summary2", noSerial);
    expect(second.fast).toEqual(second.general);
    expect(second.general.tables.find((t) => t.kind === "events")!.counts.skipped).toBe(2);
    // a first cell blank once cleaned: the next one decides (here a 事件类型 of 合计)
    const typeFirst = ["事件类型,数据来源,户编号,发生日期,自付金额", " ,合计,0001,2026-03,5", " ,医保,0001,2026-03,6"].join("\n") + "\n";
    const third = await bothPaths("summary3", typeFirst);
    expect(third.fast).toEqual(third.general);
    expect(third.general.events.map((e) => e.amount)).toEqual([6]);
  });

  it("leaves what the converter rejects to it: no IDs, no amount, a negative or future amount, a mangled ID", async () => {
    const text =
      [
        HEADER,
        "医保,,,医疗,2026-03-05,,,10,",
        "医保,0001,,医疗,2026-03-05,,,,",
        "医保,0001,,医疗,2026-03-05,100,150,,",
        "医保,0001,,医疗,2026-03-05,,,-5,",
        "医保,0001,,医疗,2030-01-01,,,5,",
        "医保,1.3E+17,,医疗,2026-03-05,,,5,",
        "医保,,11010519491231002x,医疗,2026-03-05,,,5,",
        "医保,0001,,医疗,2026-03-05,,,2000000000,",
        "医保,0001,,医疗,2026-03-05,,,\"1,200\",",
      ].join("\n") + "\n";
    const { fast, general } = await bothPaths("rejects", text, { maxMonth: 2026 * 12 + 9 });
    expect(fast).toEqual(general);
    expect(general.rejects.map((r) => r[4])).toEqual([
      "missing_required",
      "event_no_amount",
      "negative_amount",
      "negative_amount",
      "future_month",
      "id_digits_lost",
      "event_unmatched",
      "amount_out_of_range",
    ]);
    // "1,200" is read as 1200 by the converter (the row matches 0001)
    expect(fast.events.map((e) => e.amount)).toEqual([1200]);
  });

  it("agrees with the general path on 300 fuzzed files", async () => {
    const rand = rng(23);
    const pick = <T,>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
    const DEPTS = ["医保", "教育", "应急管理", "应急", "残联", "", " 医保 ", "合计", "总 计"];
    const HH = ["0001", "0002", "A-01", "", "9999", "1.3E+17", "0001x", " 0002"];
    const IDS = ["110105194912310021", "11010519491231002X", "11010519491231002x", "", "1.30434E+17", "440524188001010014"];
    const TYPES = ["医疗", "意外", "自然灾害", "", "大病", "其它", " 教育"];
    const DATES = ["2026-03-05", "2026/3/5", "20260305", "2026-03", "2030-01-01", "", "abc", "2026年3月5日"];
    const AMOUNTS = ["100", "100.5", "0", "", "-5", "1,200", "1e3", "2000000000", "12.345", " 7"];
    for (let n = 0; n < 300; n++) {
      const serial = rand() < 0.3;
      const lines = fuzzedLines(rand, serial ? "序号," + HEADER : HEADER, 20, (r) => {
        const plain = rand() < 0.6;
        const cells = [
          plain ? pick(DEPTS.slice(0, 4)) : pick(DEPTS),
          plain ? pick(HH.slice(0, 3)) : pick(HH),
          plain ? pick(IDS.slice(0, 2)) : pick(IDS),
          pick(TYPES),
          plain ? pick(DATES.slice(0, 4)) : pick(DATES),
          pick(AMOUNTS),
          pick(AMOUNTS),
          plain ? pick(["", "10", "20.5"]) : pick(AMOUNTS),
          pick(AMOUNTS),
        ].map((c) => (rand() < 0.04 ? `"${c}"` : c));
        if (serial) cells.unshift(rand() < 0.1 ? "合计" : String(r + 1));
        return cells.join(",");
      });
      const text = lines.join(rand() < 0.5 ? "\n" : "\r\n") + "\n";
      const { fast, general } = await bothPaths(`fuzz-${n}`, text, { maxMonth: 2026 * 12 + 9 });
      expect(fast, text).toEqual(general);
    }
  });
});
