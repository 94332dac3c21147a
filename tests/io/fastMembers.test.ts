/**
 * The fast path for members CSVs must give exactly what the general path gives: the same members (every field),
 * households, rejects and row counts — on plain files and on fuzzed ones full of quirks.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { readDataset } from "../../src/io/readDataset.js";
import type { Dataset } from "../../src/model/dataset.js";
import { useTempDir } from "../helpers/tmp.js";
import { fuzzedLines, rng } from "../helpers/rng.js";

const tempDir = useTempDir("povwatch-fastm-");

function snapshot(d: Dataset) {
  const members: Record<string, unknown> = {};
  for (const [id, list] of d.members) members[id] = list.map((m) => ({ ...m, source: m.source.row }));
  return {
    members,
    households: [...d.households.values()].map((h) => [h.id, h.source.row, h.size]),
    tables: d.inputs.flatMap((f) => f.tables.map((t) => ({ kind: t.kind, headerRow: t.headerRow, counts: t.counts }))),
    rejects: d.rejects.map((r) => [r.source.row, r.column, r.value, r.code]),
  };
}

async function bothPaths(name: string, content: string | Buffer) {
  const dir = join(tempDir(), name);
  await mkdir(dir, { recursive: true });
  const path = join(dir, "members.csv");
  await writeFile(path, content);
  const fast = snapshot(await readDataset([path], {}));
  const general = snapshot(await readDataset([path], { noFastPath: true }));
  return { fast, general };
}

const HEADER = "户编号,人口编号,姓名,证件号码,与户主关系,性别,出生日期,健康状况,劳动技能,在校生状况,务工时间（月）,是否享受低保,是否特困供养人员";
const RELATIONS = ["户主", "配偶", "之子", "之女", " 户主 ", "其他", ""];
const SEXES = ["男", "女", "1", "2", "", "未知"];
const DATES = ["1990-01-01", "1985/3/7", "19770512", "2001年2月3日", "", "1990-02-30", "abc", "1990-01-01"];
// 健"康: a stray quote inside a field is data (csv-parse relax_quotes), not the start of a record spanning lines.
const HEALTH = ["健康", "长期慢性病", "患有大病,残疾", "", '健"康'];
const SKILLS = ["普通劳动力", "技能劳动力", "丧失劳动力", "无劳动力", ""];
const YESNO = ["是", "否", "Y", "n", "", "也许"];
const MONTHS = ["0", "6", "12", "", "6.5", "x"];
const IDS = ["110105194912310021", "11010519491231002X", "11010519491231002x", "1.30434E+17", "", "440524188001010014", "12E34"];
const HOUSEHOLDS = ["0001", "0002", "0003", "A-01", "", "1.3E+17", "合计", " 0004", "0005x"];

describe("fast members path", () => {
  it("reads a plain file exactly like the general path (title row, CRLF, BOM)", async () => {
    const lines = ["\uFEFF某县成员信息", HEADER];
    for (let h = 0; h < 40; h++) {
      for (let j = 0; j < 3; j++) lines.push(`${String(h).padStart(6, "0")},${h}-${j},张三,11010519491231002X,${["户主", "配偶", "之子"][j]},${j % 2 ? "女" : "男"},1990-0${1 + j}-1${j},健康,普通劳动力,,6,否,否`);
    }
    const { fast, general } = await bothPaths("plain", lines.join("\r\n") + "\r\n");
    expect(fast).toEqual(general);
    expect(fast.tables[0]!.counts).toEqual({ read: 121, accepted: 120, rejected: 0, skipped: 1, duplicates: 0 });
  });

  it("leaves a lone CR to csv-parse on a line with a quoted field, and keeps it as data on a line without quotes", async () => {
    // csv-parse ends a record at a lone CR outside quotes; the general path gives it every line with a quote, and
    // cuts lines without quotes itself (the CR stays in the cell).
    const text = `${HEADER}\n0001,1,张\r三,11010519491231002X,"户主",男,1990-01-01,健康,普通劳动力,,6,否,否\n0001,2,李\r四,110105194912310021,配偶,女,1990-02-02,健康,普通劳动力,,x,否,否\n0002,1,王五,110105194912310021,户主,男,1990-03-03,健康,普通劳动力,,6,否,否\n`;
    const { fast, general } = await bothPaths("lone-cr", text);
    expect(fast).toEqual(general);
    expect(fast.tables[0]!.counts.read).toBe(4);
  });

  it("reads a GB18030 file like the general path", async () => {
    const text = `${HEADER}\n0001,1,张三,11010519491231002X,户主,男,1949-12-31,健康,普通劳动力,,12,否,否\n0001,2,李四,,配偶,女,1950年1月2日,患有大病,无劳动力,,0,是,否\n`;
    const { fast, general } = await bothPaths("gb", iconv.encode(text, "gb18030"));
    expect(fast).toEqual(general);
  });

  it("agrees with the general path on a column with hundreds of distinct date spellings (the numeric-key cache)", async () => {
    const rand = rng(5);
    const spell = (i: number): string => {
      const y = 1930 + (i % 90);
      const m = 1 + (i % 14); // 13 and 14 are not months
      const d = 1 + (i % 31);
      const p2 = (n: number) => String(n).padStart(2, "0");
      return [`${y}-${p2(m)}-${p2(d)}`, `${y}/${m}/${d}`, `${y}${p2(m)}${p2(d)}`, `${y}.${m}.${d}`, `${y}-${p2(m)}`, `${y}-${m}-${d}-1`, `0${y}`, `${y}年${m}月`, `-${y}`][
        Math.floor(rand() * 9)
      ]!;
    };
    const lines = [HEADER];
    for (let r = 0; r < 1500; r++) lines.push(`000${r % 40},${r},王五,${IDS[0]},户主,男,${spell(r)},健康,普通劳动力,,6,否,否`);
    const { fast, general } = await bothPaths("dates", lines.join("\n") + "\n");
    expect(fast).toEqual(general);
    const births = Object.values(general.members).flatMap((list) => (list as { birthDate?: string }[]).map((m) => m.birthDate));
    expect(births).toHaveLength(1500);
    expect(new Set(births).size).toBeGreaterThan(500);
    expect(births.filter((b) => b === undefined).length).toBeGreaterThan(100);
  });

  it("codes repeated cells once: 40 birth dates and 20 relations over 400 members read like the general path", async () => {
    // Past 16 distinct values, each distinct cell is coded once (dates by their slot, others by their bytes) and the
    // code reused for every later row with the same bytes.
    const lines = [HEADER];
    for (let i = 0; i < 400; i++) {
      const date = `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`;
      const relation = `亲属${i % 20}`;
      lines.push(`${String(Math.floor(i / 4)).padStart(6, "0")},${i},某,,${relation},${i % 2 ? "女" : "男"},${date},健康,普通劳动力,,6,否,否`);
    }
    const { fast, general } = await bothPaths("coded", lines.join("\n") + "\n");
    expect(fast).toEqual(general);
    const m = (fast.members["000099"] as { birthDate: string; relation: string }[])[3]!;
    expect([m.birthDate, m.relation]).toEqual(["1989-04-19", "亲属19"]);
  });

  it("agrees with the general path on 300 fuzzed files", async () => {
    const rand = rng(11);
    const pick = <T,>(a: T[]) => a[Math.floor(rand() * a.length)]!;
    for (let n = 0; n < 300; n++) {
      const header = rand() < 0.5 ? HEADER : "序号," + HEADER;
      const withSerial = header.startsWith("序号");
      const lines = fuzzedLines(rand, header, 20, (r) => {
        const plain = rand() < 0.6;
        const cells = [
          plain ? pick(["0001", "0002", "0003"]) : pick(HOUSEHOLDS),
          String(r),
          "王五",
          plain ? pick(IDS.slice(0, 2)) : pick(IDS),
          pick(RELATIONS),
          pick(SEXES),
          pick(DATES),
          pick(HEALTH),
          pick(SKILLS),
          "",
          pick(MONTHS),
          pick(YESNO),
          pick(YESNO),
        ].map((c) => (rand() < 0.04 ? `"${c}"` : c));
        if (withSerial) cells.unshift(rand() < 0.1 ? "合计" : String(r + 1));
        return cells.join(",");
      });
      const text = lines.join(rand() < 0.5 ? "\n" : "\r\n") + "\n";
      const { fast, general } = await bothPaths(`fuzz-${n}`, text);
      expect(fast, text).toEqual(general);
    }
  });
});

const HH_HEADER = "户编号,省,县,乡,村,户主姓名,户主证件号码,户类型,家庭人口数,监测对象类别,识别监测时间,风险是否已消除,致贫/返贫风险1,人均纯收入,合规自付支出,整户无劳动能力兜底保障户";

describe("fast households path", () => {
  it("agrees with the general path on 300 fuzzed households files (households, conflicts, rejects, counts)", async () => {
    const rand = rng(23);
    const pick = <T,>(a: T[]) => a[Math.floor(rand() * a.length)]!;
    for (let n = 0; n < 300; n++) {
      const lines = fuzzedLines(rand, HH_HEADER, 15, () => {
        // Each field is odd on its own (not the whole row), so that rows with one odd value reach the fast path.
        const odd = () => rand() < 0.12;
        const cells = [
          odd() ? pick(HOUSEHOLDS) : pick(["0001", "0002", "0003", "0004"]),
          "河北省",
          pick(["甲县", "乙县", " 甲县", ""]),
          pick(["一乡", "二乡"]),
          pick(["东村", "西村", ""]),
          pick(["张三", "欧阳娜娜", ""]),
          odd() ? pick(IDS) : pick(IDS.slice(0, 2)),
          pick(["脱贫户", "一般农户", "普通农户", "农户", ""]),
          odd() ? pick(["0", "2.5", "x", "21", "4"]) : pick(["1", "3", "5", ""]),
          pick(["边缘易致贫户", "脱贫不稳定户", ""]),
          odd() ? pick(["2026-13", "2099-01", "x"]) : pick(["2025-06", "202601", "2026年1月", ""]),
          pick(YESNO),
          pick(["因病", "因学", "", "缺劳动力"]),
          odd() ? pick(["1,234.50", "1234元", "abc", "1e3", "1000000000", "-5"]) : pick(["5400.5", "12000", "-300", "", "0"]),
          odd() ? pick(["-1", "x", "3,000"]) : pick(["0", "12000.25", ""]),
          pick(YESNO),
        ].map((c) => (rand() < 0.04 ? `"${c}"` : c));
        return cells.join(",");
      });
      const text = lines.join(rand() < 0.5 ? "\n" : "\r\n") + "\n";
      const dir = join(tempDir(), `hh-${n}`);
      await mkdir(dir, { recursive: true });
      const path = join(dir, "households.csv");
      await writeFile(path, text);
      const look = (d: Dataset) => ({
        households: [...d.households.values()].map((h) => ({ ...h, source: h.source.row })),
        conflicts: d.conflicts.map((c) => [c.householdId, c.column, c.first, c.other, c.source.row]),
        tables: d.inputs.flatMap((f) => f.tables.map((t) => t.counts)),
        rejects: d.rejects.map((r) => [r.source.row, r.column, r.value, r.code]),
      });
      const maxMonth = 2026 * 12 + 10;
      const fast = look(await readDataset([path], { maxMonth }));
      const general = look(await readDataset([path], { maxMonth, noFastPath: true }));
      expect(fast, text).toEqual(general);
    }
  });

  it("agrees with the general path on thousands of distinct names, villages and region codes (the byte-keyed cache)", async () => {
    // Past 16 distinct values a column's values are looked up by their bytes; a text that String#trim or the
    // ="…" rule would change must still be parsed (spaces, U+3000, NBSP, U+FEFF, a tab around the text).
    const rand = rng(41);
    const chars = "张王李赵欧阳娜伟芳秀英华明强军平刚桂兰a Z0-·";
    const edges = ["", "", "", "", " ", "\u3000", "\u00a0", "\ufeff", "\t", '="'];
    const word = (n: number) => Array.from({ length: n }, () => chars[Math.floor(rand() * chars.length)]).join("");
    const lines = [HH_HEADER];
    for (let r = 0; r < 3000; r++) {
      const lead = edges[Math.floor(rand() * edges.length)]!;
      const trail = lead === '="' ? '"' : edges[Math.floor(rand() * edges.length)]!;
      const name = `${lead}${word(2 + Math.floor(rand() * 3))}${trail}`;
      const village = `${word(1)}${Math.floor(rand() * 40)}村${rand() < 0.05 ? "\u3000" : ""}`;
      lines.push([String(r).padStart(6, "0"), "河北省", "甲县", `${Math.floor(rand() * 30)}乡`, village, name, "11010519491231002X", "一般农户", "3", "", "", "", "", "5400.5", "0", "否"].join(","));
    }
    const text = lines.join("\n") + "\n";
    const dir = join(tempDir(), "hh-distinct");
    await mkdir(dir, { recursive: true });
    const path = join(dir, "households.csv");
    await writeFile(path, text);
    const look = (d: Dataset) => [...d.households.values()].map((h) => [h.id, h.township, h.village, h.headName, h.headIdNumber, h.source.row]);
    const fast = look(await readDataset([path], {}));
    const general = look(await readDataset([path], { noFastPath: true }));
    expect(fast).toEqual(general);
    expect(fast).toHaveLength(3000);
    // the cells with blanks around them were trimmed (and ="…" unwrapped) by both paths
    expect(fast.some((h) => h[3] !== (lines[Number(h[5]) - 1]!.split(",")[5]))).toBe(true);
  });

  it("reads runs of the same village and township (compared with the row before) like the general path", async () => {
    // Exports sorted by region repeat 乡, 村 and 行政区划代码 row after row; a run's cell is found by comparing its
    // bytes with the row before. Names of one length (村07 / 村08) and a run broken by one other row must not mix.
    const rand = rng(7);
    const lines = [HH_HEADER];
    let r = 0;
    for (let n = 0; lines.length < 2500; n++) {
      const v = (n * 17) % 40;
      const run = 1 + Math.floor(rand() * (rand() < 0.3 ? 3 : 120));
      for (let k = 0; k < run; k++, r++) {
        const village = `村${String(v).padStart(2, "0")}${k === 5 && v % 4 === 0 ? "\u3000" : ""}`;
        lines.push([String(r).padStart(6, "0"), "河北省", "甲县", `${v % 25}乡`, village, `户主${r % 7}`, "11010519491231002X", "一般农户", "3", "", "", "", "", "5400.5", "0", "否"].join(","));
      }
    }
    const dir = join(tempDir(), "hh-runs");
    await mkdir(dir, { recursive: true });
    const path = join(dir, "households.csv");
    await writeFile(path, lines.join("\n") + "\n");
    const look = (d: Dataset) => [...d.households.values()].map((h) => [h.id, h.township, h.village, h.headName]);
    const fast = look(await readDataset([path], {}));
    expect(fast).toEqual(look(await readDataset([path], { noFastPath: true })));
    expect(fast.map((h) => h[2])).toEqual(lines.slice(1).map((l) => l.split(",")[4]!.trim()));
    expect(new Set(fast.map((h) => h[2])).size).toBe(40);
  });

  it("agrees with the general path past the byte-keyed cache's 50,000 entries (cells then parsed and coded one by one)", async () => {
    // 60,000 distinct 户主姓名 (households: get) and 与户主关系 (members: code); the last 10,000 of each are not kept
    // in the cache, and a cell seen again after that is parsed again.
    const N = 60_000;
    const name = (i: number) => `姓名${i % 55_000}`;
    const hh = [HH_HEADER];
    const mm = [HEADER];
    for (let i = 0; i < N; i++) {
      const id = String(i).padStart(6, "0");
      hh.push([id, "河北省", "甲县", "某乡", "某村", ` ${name(i)}`, "11010519491231002X", "一般农户", "1", "", "", "", "", "5400.5", "0", "否"].join(","));
      mm.push(`${id},${i},某,,亲属${i % 55_000} ,男,1970-01-01,健康,普通劳动力,,6,否,否`);
    }
    const dir = join(tempDir(), "past-cache");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "households.csv"), hh.join("\n") + "\n");
    await writeFile(join(dir, "members.csv"), mm.join("\n") + "\n");
    const look = (d: Dataset) => [...d.households.values()].map((h) => [h.id, h.headName, d.members.get(h.id)?.[0]?.relation]);
    const fast = look(await readDataset([dir], {}));
    const general = look(await readDataset([dir], { noFastPath: true }));
    expect(fast).toEqual(general);
    expect(fast[57_000]).toEqual(["057000", "姓名2000", "亲属2000"]);
    expect(fast[54_999]).toEqual(["054999", "姓名54999", "亲属54999"]);
  });

  it("reads a line longer than a read chunk (a 5 MiB cell) like the general path", async () => {
    const long = "某".repeat(1_800_000);
    const text = `${HH_HEADER}\n000001,河北省,甲县,一乡,东村,${long},11010519491231002X,一般农户,3,,,,,5400.5,0,否\n000002,河北省,甲县,一乡,东村,张三,110105194912310021,脱贫户,2,,,,,6000,0,否\n`;
    const dir = join(tempDir(), "hh-long");
    await mkdir(dir, { recursive: true });
    const path = join(dir, "households.csv");
    await writeFile(path, text);
    const look = (d: Dataset) => [...d.households.values()].map((h) => [h.id, h.headName?.length, h.headIdNumber, h.householdType, h.size, h.source.row]);
    const fast = look(await readDataset([path], {}));
    expect(fast).toEqual(look(await readDataset([path], { noFastPath: true })));
    expect(fast).toEqual([
      ["000001", 1_800_000, "11010519491231002X", "一般农户", 3, 2],
      ["000002", 2, "110105194912310021", "脱贫户", 2, 3],
    ]);
  });

  it("adds a household first seen in the members file (after the households file) exactly as the general path", async () => {
    const dir = join(tempDir(), "hh-and-members");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "a-households.csv"), `${HH_HEADER}\n0001,河北省,甲县,一乡,东村,张三,11010519491231002X,一般农户,2,,,,,5400.5,0,否\n0002,河北省,甲县,一乡,东村,李四,110105194912310021,脱贫户,1,,,,,6000,0,否\n`);
    await writeFile(join(dir, "b-members.csv"), `${HEADER}\n0001,1,张三,11010519491231002X,户主,男,1949-12-31,健康,普通劳动力,,6,否,否\n0003,1,王五,,户主,男,1960-01-01,健康,普通劳动力,,6,否,否\n0003,2,赵六,,配偶,女,1961-01-01,健康,普通劳动力,,6,否,否\n0002,1,李四,110105194912310021,户主,女,1949-12-31,健康,普通劳动力,,6,否,否\n`);
    const look = (d: Dataset) => ({
      households: [...d.households.values()].map((h) => [h.id, h.source.file.split("/").pop(), h.source.row, h.size]),
      members: [...d.members.keys()].map((id) => [id, d.members.get(id)!.length]),
    });
    const fast = look(await readDataset([dir], {}));
    expect(fast).toEqual(look(await readDataset([dir], { noFastPath: true })));
    expect(fast.households).toEqual([
      ["0001", "a-households.csv", 2, 2],
      ["0002", "a-households.csv", 3, 1],
      ["0003", "b-members.csv", 3, undefined],
    ]);
  });
});
