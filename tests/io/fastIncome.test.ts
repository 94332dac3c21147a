/**
 * The fast path for long income CSVs must give exactly what the general path gives: the same records, rejects,
 * duplicates and row counts — on plain files and on fuzzed ones full of the quirks that send a line to the general path.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { PreviousBytes } from "../../src/io/fastIncome.js";
import { readDataset } from "../../src/io/readDataset.js";
import type { Dataset } from "../../src/model/dataset.js";
import { useTempDir } from "../helpers/tmp.js";
import { fuzzedLines, rng } from "../helpers/rng.js";

const tempDir = useTempDir("povwatch-fast-");

/** Everything a path can influence, in comparable form. */
function snapshot(d: Dataset) {
  const income: Record<string, unknown> = {};
  for (const id of [...d.income.householdIds()].sort()) {
    const s = d.income.series(id);
    income[id] = Array.from({ length: s.length }, (_, i) => [s.months[i], s.net[i], s.wage[i], s.size[i]]);
  }
  return {
    income,
    tables: d.inputs.flatMap((f) => f.tables.map((t) => ({ kind: t.kind, headerRow: t.headerRow, counts: t.counts }))),
    rejects: d.rejects.map((r) => [r.source.row, r.column, r.value, r.code]),
    maxMonth: d.income.maxMonth,
  };
}

async function bothPaths(name: string, content: string | Buffer) {
  const dir = join(tempDir(), name);
  await mkdir(dir, { recursive: true });
  const path = join(dir, "income.csv");
  await writeFile(path, content);
  const maxMonth = 2026 * 12 + 10;
  const fast = snapshot(await readDataset([path], { maxMonth }));
  const general = snapshot(await readDataset([path], { maxMonth, noFastPath: true }));
  return { fast, general };
}

// 12"3: a stray quote inside a field is data (csv-parse relax_quotes), not the start of a record spanning lines.
const ODD_AMOUNTS = ["", "0", "-12.5", "1,234.50", "1234.5元", "１２３", "abc", "1e3", "0x10", "-", ".5", "5.", "1000000000", '"12"', " 7 ", "99999999999999999999", '12"3'];
const ODD_MONTHS = ["2026-10", "202609", "2026/8", "2026.07", "2026年6月", "2026-05-15", "2026-13", "2027-01", "", "2025-11"];
const ODD_IDS = ["0001", "0002", "0003", "0001", "A-01", "1.30434E+17", '="0004"', "", "0005x", "  0006", "合计"];

describe("fast income path", () => {
  it("reads a plain file exactly like the general path (with a title row, CRLF and a BOM)", async () => {
    const lines = ["\uFEFF某县月度收入", "户编号,年月,工资性收入,生产经营性收入,财产性收入,转移性收入,生产经营性支出,家庭人口数"];
    for (let h = 0; h < 50; h++) for (let m = 1; m <= 10; m++) lines.push(`${String(h).padStart(6, "0")},2026-${String(m).padStart(2, "0")},${h * 10 + m}.25,-${m}.5,0,${m * 3},1.75,${1 + (h % 5)}`);
    const { fast, general } = await bothPaths("plain", lines.join("\r\n") + "\r\n");
    expect(fast).toEqual(general);
    expect(fast.tables[0]!.counts).toEqual({ read: 501, accepted: 500, rejected: 0, skipped: 1, duplicates: 0 });
  });

  it("reads a GB18030 file with Chinese ids and notes like the general path", async () => {
    const text = "户编号,年月,纯收入,备注\n甲001,2026-09,500,说明\n甲001,2026-10,600,\n0002,2026-10,700,\"含,逗号\"\n";
    const { fast, general } = await bothPaths("gb", iconv.encode(text, "gb18030"));
    expect(fast).toEqual(general);
  });

  it("agrees with the general path on 300 fuzzed files (odd amounts, months, ids, quotes, duplicates, blank lines)", async () => {
    const rand = rng(7);
    const pick = <T,>(a: T[]) => a[Math.floor(rand() * a.length)]!;
    for (let n = 0; n < 300; n++) {
      const lines = fuzzedLines(rand, "户编号,年月,工资性收入,生产经营性收入,纯收入,家庭人口数", 25, () => {
        const plain = rand() < 0.6;
        const id = plain ? pick(["0001", "0002", "0003"]) : pick(ODD_IDS);
        const month = plain ? pick(["2026-08", "2026-09", "2026-10"]) : pick(ODD_MONTHS);
        const amount = () => (plain ? String(Math.floor(rand() * 5000)) + (rand() < 0.5 ? ".5" : "") : pick(ODD_AMOUNTS));
        const size = plain ? pick(["", "1", "3"]) : pick(["0", "2.5", "x", "4", ""]);
        const net = rand() < 0.3 ? amount() : "";
        return [id, month, amount(), amount(), net, size].map((c) => (rand() < 0.05 ? `"${c.replace(/"/g, '""')}"` : c)).join(",");
      });
      const text = lines.join(rand() < 0.5 ? "\n" : "\r\n") + (rand() < 0.5 ? "\n" : "");
      const { fast, general } = await bothPaths(`fuzz-${n}`, text);
      expect(fast, text).toEqual(general);
    }
  });
});

describe("fast income path and lone CRs", () => {
  it("gives the general path's rows for a lone CR on lines with and without quoted fields", async () => {
    const text = '户编号,年月,工资性收入,纯收入,家庭人口数,备注\n"0001",2026-01,100,,3,备\r注\n0001,2026-02,1\r2,1,,3\n0001,2026-03,100,,3,好\n';
    const { fast, general } = await bothPaths("lone-cr", text);
    expect(fast).toEqual(general);
    expect(fast.tables[0]!.counts).toEqual(general.tables[0]!.counts);
  });
});

describe("fast income path across read chunks", () => {
  it("reads a 9 MiB file (rows and households split between 4 MiB chunks) exactly like the general path", async () => {
    // 192,000 rows of 60-odd bytes: lines and the households' runs of 12 rows cross chunk boundaries, where the
    // reader moves the unfinished line to the start of its buffer and reads the next chunk after it.
    const lines = ["户编号,年月,工资性收入,生产经营性收入,财产性收入,转移性收入,生产经营性支出"];
    for (let h = 0; h < 16_000; h++) {
      const id = `5306211012${String(h).padStart(5, "0")}`;
      for (let m = 0; m < 12; m++) lines.push(`${id},${2025 + Math.floor((10 + m) / 12)}-${String(((10 + m) % 12) + 1).padStart(2, "0")},${(h % 997) + m}.25,${m * 3}.5,0.00,${h % 7}.01,1.10`);
    }
    const text = lines.join("\n") + "\n";
    expect(text.length).toBeGreaterThan(9 << 20);
    const { fast, general } = await bothPaths("chunks", text);
    expect(fast).toEqual(general);
    expect(fast.tables[0]!.counts).toEqual({ read: 192_000, accepted: 192_000, rejected: 0, skipped: 0, duplicates: 0 });
    expect(Object.keys(fast.income)).toHaveLength(16_000);
  });
});

describe("PreviousBytes", () => {
  it("keeps a copy of the bytes (the reader overwrites its buffer with the next chunk)", () => {
    const buf = Buffer.from("0001,0002,");
    const prev = new PreviousBytes();
    prev.set(buf, 0, 4);
    expect(prev.same(buf, 0, 4)).toBe(true);
    expect(prev.same(buf, 5, 9)).toBe(false);
    buf.write("0002", 0, "latin1"); // the next chunk lands where the previous id was
    expect(prev.same(buf, 0, 4)).toBe(false);
    expect(prev.same(Buffer.from("x0001"), 1, 5)).toBe(true);
  });
});
