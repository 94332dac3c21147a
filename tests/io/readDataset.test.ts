/**
 * The input layer end to end in-process (readDataset): encodings, title and summary rows, the `="…"` trick, mangled
 * IDs, the wide monthly layout, household columns on member rows, Excel date cells, column aliases, every reject
 * reason with its file / sheet / row / column, and the row accounting of every table. Fixtures are made in the test.
 */
import { appendFileSync, renameSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { readDataset, type ReadOptions } from "../../src/io/readDataset.js";
import type { Dataset, TableReport } from "../../src/model/dataset.js";
import { formatMonth, monthOf } from "../../src/model/month.js";
import { useTempDir } from "../helpers/tmp.js";
import { UserError } from "../../src/model/errors.js";
import { buildRawXlsx } from "../helpers/zip.js";
import { evaluateAudit } from "../../src/audit/index.js";

const tempDir = useTempDir("povwatch-read-");
let case_ = 0;

type Content = string | Buffer | ((path: string) => Promise<void>);

/** Writes the files into a fresh folder and reads them; paths in the result are relative to that folder. */
async function read(files: Record<string, Content>, options: ReadOptions = {}): Promise<{ ds: Dataset; dir: string }> {
  const dir = join(tempDir(), `case${++case_}`);
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const p = join(dir, name);
    if (typeof content === "function") await content(p);
    else await writeFile(p, content);
    paths.push(p);
  }
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const ds = await readDataset(paths.map((p) => relative(dir, p)), options);
    return { ds, dir };
  } finally {
    process.chdir(cwd);
  }
}

/** A workbook written by exceljs: sheet name → rows. */
function xlsx(sheets: Record<string, unknown[][]>): (path: string) => Promise<void> {
  return async (path) => {
    const wb = new ExcelJS.Workbook();
    for (const [name, rows] of Object.entries(sheets)) {
      const ws = wb.addWorksheet(name);
      for (const r of rows) ws.addRow(r);
    }
    await wb.xlsx.writeFile(path);
  };
}

const table = (ds: Dataset, file: string, sheet = ""): TableReport => {
  const t = ds.inputs.find((f) => f.path === file)?.tables.find((x) => x.sheet === sheet);
  if (!t) throw new Error(`no table ${file} [${sheet}]`);
  return t;
};

/** [file, sheet, row, column, code, value] of every reject, in order. */
const rejects = (ds: Dataset) => ds.rejects.map((r) => [r.source.file, r.source.sheet, r.source.row, r.column, r.code, r.value]);

/** The household's income as [YYYY-MM, net] pairs. */
const incomeOf = (ds: Dataset, id: string) => {
  const s = ds.income.series(id);
  return Array.from({ length: s.length }, (_, i) => [formatMonth(s.months[i]!), s.net[i]!]);
};

const M_2026_10 = monthOf(2026, 10);

describe("encodings and layout quirks", () => {
  it("reads a GB18030 CSV with two title rows, a blank row and a 合计 row: header row 3, titles/blank/合计 skipped", async () => {
    const text = "某某县防返贫监测对象月度收入表\n导出时间：2026-10-31\n户编号,年月,工资性收入,纯收入\n0001,2026-09,100,500\n0002,2026-09,200,600\n\n合计,,300,1100\n";
    const { ds } = await read({ "收入.csv": iconv.encode(text, "gb18030") });
    const t = table(ds, "收入.csv");
    expect([t.kind, t.encoding, t.headerRow]).toEqual(["income", "gb18030", 3]);
    expect(t.counts).toEqual({ read: 6, accepted: 2, rejected: 0, skipped: 4, duplicates: 0 });
    expect(incomeOf(ds, "0002")).toEqual([["2026-09", 600]]);
  });

  it("reads UTF-8 with a BOM (the BOM is not part of the first header)", async () => {
    const { ds } = await read({ "a.csv": "\uFEFF户编号,年月,纯收入\n0001,2026-09,500\n" });
    const t = table(ds, "a.csv");
    expect([t.kind, t.encoding, t.headerRow, t.columns["户编号"]]).toEqual(["income", "utf-8-bom", 1, "户编号"]);
    expect(incomeOf(ds, "0001")).toEqual([["2026-09", 500]]);
  });

  it("reads a UTF-16LE CSV with a BOM", async () => {
    const body = Buffer.from("户编号\t年月\t纯收入\r\n0001\t2026-09\t500\r\n", "utf16le");
    const { ds } = await read({ "u16.txt": Buffer.concat([Buffer.from([0xff, 0xfe]), body]) });
    expect([table(ds, "u16.txt").encoding, incomeOf(ds, "0001")]).toEqual(["utf-16le", [["2026-09", 500]]]);
  });

  it(`takes the text inside ="…" cells (IDs kept as text by Excel), leading zeros kept`, async () => {
    const { ds } = await read({ "h.csv": '户编号,户主姓名,户主证件号码,家庭人口数\n="000123",张三,="13043419900101123X",3\n' });
    const h = ds.households.get("000123");
    expect([h?.headIdNumber, h?.size]).toEqual(["13043419900101123X", 3]);
  });

  it("rejects an ID stored in scientific notation (id_digits_lost) with its row and column, value masked", async () => {
    const { ds } = await read({ "m.csv": "户编号,姓名,与户主关系,证件号码\n0001,张三,户主,1.30434E+17\n1.30434E+17,李四,户主,130434199001011234\n" });
    expect(rejects(ds)).toEqual([
      ["m.csv", "", 2, "证件号码", "id_digits_lost", "1.3043*E+17"],
      ["m.csv", "", 3, "户编号", "id_digits_lost", "1.30434E+17"],
    ]);
    expect(table(ds, "m.csv").counts).toEqual({ read: 2, accepted: 0, rejected: 2, skipped: 0, duplicates: 0 });
  });
});

describe("an encoding told only after megabytes of ASCII", () => {
  // English headers and numbers for ≈ 1.3 MB (more than a first read of 1 MiB), then GB18030 Chinese: a 户主姓名 and a 合计 row.
  const lines = ["household_id,head_name,household_size"];
  for (let i = 0; i < 120_000; i++) lines.push(`${String(i).padStart(7, "0")},,${1 + (i % 5)}`);
  const text = lines.join("\n") + "\n0120000,张三丰,3\n合计,,\n";
  const gb18030 = iconv.encode(text, "gb18030");

  it.each([
    ["h.csv", false],
    ["h.csv", true],
    ["h.csv.gz", false],
  ] as const)("%s (noFastPath %s) is read as GB18030, every row accounted for", async (name, noFastPath) => {
    const { ds } = await read({ [name]: name.endsWith(".gz") ? gzipSync(gb18030) : gb18030 }, { noFastPath });
    const t = table(ds, name);
    expect([t.kind, t.encoding]).toEqual(["households", "gb18030"]);
    expect(t.counts).toEqual({ read: 120_002, accepted: 120_001, rejected: 0, skipped: 1, duplicates: 0 });
    expect(ds.households.get("0120000")?.headName).toBe("张三丰");
  });
});

describe("xlsx sheets and rows that hold no cells", () => {
  it("a chart sheet is listed as a table of kind null with a reason; an empty <row/> is read and skipped like <row></row>", async () => {
    const rowsXml =
      '<row r="1"><c r="A1" t="inlineStr"><is><t>户编号</t></is></c><c r="B1" t="inlineStr"><is><t>家庭人口数</t></is></c></row>' +
      '<row r="2"><c r="A2" t="inlineStr"><is><t>0001</t></is></c><c r="B2"><v>3</v></c></row>' +
      '<row r="3"/><row r="4"></row>' +
      '<row r="5"><c r="A5" t="inlineStr"><is><t>0002</t></is></c><c r="B5"><v>2</v></c></row>';
    const { ds } = await read({ "w.xlsx": buildRawXlsx([{ name: "户信息", rowsXml }], { chartSheets: ["图表1"] }) });
    // Rows 2–5 below the header: two households, two empty rows.
    expect(table(ds, "w.xlsx", "户信息").counts).toEqual({ read: 4, accepted: 2, rejected: 0, skipped: 2, duplicates: 0 });
    expect(table(ds, "w.xlsx", "图表1")).toMatchObject({ kind: null, reason: "a chart sheet or another sheet without cells, not a table", counts: { read: 0 } });
    expect(ds.inputs[0]!.tables.map((t) => t.sheet)).toEqual(["户信息", "图表1"]);
  });
});

describe("户编号 kept as a number with a zero-padding format", () => {
  it("reads 12345 formatted 0000000 as 0012345, as Excel shows it, so that it matches the income file's 户编号", async () => {
    const rowsXml =
      '<row r="1"><c r="A1" t="inlineStr"><is><t>户编号</t></is></c><c r="B1" t="inlineStr"><is><t>家庭人口数</t></is></c><c r="C1" t="inlineStr"><is><t>人均纯收入</t></is></c></row>' +
      '<row r="2"><c r="A2" s="1"><v>12345</v></c><c r="B2"><v>3</v></c><c r="C2" s="2"><v>8000</v></c></row>';
    const { ds } = await read({
      "h.xlsx": buildRawXlsx([{ name: "户信息", rowsXml }], { styles: [0, 164, 165], numFmts: { 164: "0000000", 165: "00" } }),
      "i.csv": "户编号,年月,纯收入\n0012345,2026-09,500\n",
    });
    expect([...ds.households.keys()]).toEqual(["0012345"]);
    // A number longer than its zeros is left as it is.
    expect(ds.households.get("0012345")?.annualNetIncomePc).toBe(8000);
    expect(ds.income.householdIds()).toEqual(["0012345"]);
  });
});

describe("the header within the first 20 spreadsheet rows", () => {
  const at = (rows: Record<number, unknown[]>) => async (path: string) => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("户信息");
    for (const [r, values] of Object.entries(rows)) ws.getRow(Number(r)).values = values;
    await wb.xlsx.writeFile(path);
  };

  it("an xlsx sheet's empty rows count: a header in row 25 is not found, one in row 20 is (as in CSV)", async () => {
    const { ds } = await read({
      "late.xlsx": at({ 1: ["西岭县户信息"], 25: ["户编号", "家庭人口数"], 26: ["0001", 3] }),
      "row20.xlsx": at({ 1: ["西岭县户信息"], 20: ["户编号", "家庭人口数"], 21: ["0002", 4] }),
      "late.csv": "西岭县户信息\n" + "\n".repeat(23) + "户编号,家庭人口数\n0003,5\n",
    });
    for (const t of [table(ds, "late.xlsx", "户信息"), table(ds, "late.csv")]) {
      expect(t.kind).toBeNull();
      expect(t.reason).toMatch(/^no recognised columns \(no row among the first 20 /);
    }
    expect(table(ds, "row20.xlsx", "户信息")).toMatchObject({ kind: "households", headerRow: 20 });
    expect([...ds.households.keys()]).toEqual(["0002"]);
  });
});

describe("the wide monthly layout", () => {
  it("reads month-named columns 2026年1月, 202602, 2026-03, 2026.04 as each month's 纯收入; a blank cell is no record", async () => {
    const { ds } = await read({ "w.csv": "户编号,2026年1月,202602,2026-03,2026.04\n0001,100,200,,400\n" });
    const t = table(ds, "w.csv");
    expect([t.kind, t.counts.accepted]).toEqual(["income", 1]);
    expect(t.columns).toEqual({ 户编号: "户编号", "纯收入 2026-01": "2026年1月", "纯收入 2026-02": "202602", "纯收入 2026-03": "2026-03", "纯收入 2026-04": "2026.04" });
    expect(incomeOf(ds, "0001")).toEqual([["2026-01", 100], ["2026-02", 200], ["2026-04", 400]]);
  });

  it("reads 1月…12月 with --year", async () => {
    const { ds } = await read({ "w.csv": "户编号,1月,2月,3月\n0001,100,200,300\n" }, { year: 2026 });
    expect(incomeOf(ds, "0001")).toEqual([["2026-01", 100], ["2026-02", 200], ["2026-03", 300]]);
  });

  it("without --year, 1月…12月 leave the table unrecognised with a reason that says to give --year", async () => {
    const { ds } = await read({ "w.csv": "户编号,1月,2月\n0001,100,200\n" });
    const t = table(ds, "w.csv");
    expect([t.kind, t.reason, t.headerRow]).toEqual([null, "month columns 1月…12月 without a year: give the year with --year YYYY", 1]);
    expect(t.counts).toEqual({ read: 1, accepted: 0, rejected: 0, skipped: 1, duplicates: 0 });
  });
});

describe("household columns on member rows", () => {
  it("the first non-empty value wins; a different later value is recorded as a conflict, not a rejection", async () => {
    const csv = "户编号,姓名,与户主关系,家庭人口数,村,户类型\n0001,张三,户主,,东村,脱贫户\n0001,张小,之子,3,西村,脱贫户\n0002,李四,户主,2,南村,普通农户\n";
    const { ds } = await read({ "m.csv": csv });
    const h = ds.households.get("0001");
    expect([h?.size, h?.village, h?.householdType, ds.households.get("0002")?.householdType]).toEqual([3, "东村", "脱贫户", "一般农户"]);
    expect(ds.members.get("0001")?.map((m) => m.relation)).toEqual(["户主", "之子"]);
    expect(ds.conflicts).toEqual([{ householdId: "0001", column: "村", first: "东村", other: "西村", source: { file: "m.csv", sheet: "", row: 3 } }]);
    expect(table(ds, "m.csv").counts).toEqual({ read: 3, accepted: 3, rejected: 0, skipped: 0, duplicates: 0 });
  });

  it.each([false, true])("致贫/返贫风险1…5 are merged column by column: a blank column takes a later row's value, a different one is a conflict (noFastPath %s)", async (noFastPath) => {
    const csv = [
      "户编号,姓名,与户主关系,致贫/返贫风险1,致贫/返贫风险2,致贫/返贫风险3",
      "0001,张三,户主,因病,,",
      "0001,张小,之子,因病,因务工就业不稳,",
      "0001,张二,之女,因残,,因学",
      "",
    ].join("\n");
    const { ds } = await read({ "m.csv": csv }, { noFastPath });
    expect(ds.households.get("0001")?.risks).toEqual(["因病", "因务工就业不稳", "因学"]);
    expect(ds.conflicts).toEqual([{ householdId: "0001", column: "致贫/返贫风险1", first: "因病", other: "因残", source: { file: "m.csv", sheet: "", row: 4 } }]);
  });

  it("a member export that differs from the households table is no conflict (Q017 is an export disagreeing with itself); the households table's value stands", async () => {
    const { ds } = await read({
      "a.csv": "户编号,家庭人口数,村\n0001,2,东村\n0001,2,北村\n",
      "b.csv": "户编号,姓名,与户主关系,家庭人口数,村\n0001,张三,户主,3,东村\n0001,张小,之子,3,东村\n0001,张二,之女,3,东村\n",
    });
    expect([ds.households.get("0001")?.size, ds.households.get("0001")?.village]).toEqual([2, "东村"]);
    // Only the households table's own second row, which disagrees with its first.
    expect(ds.conflicts.map((c) => [c.source.file, c.source.row, c.column])).toEqual([["a.csv", 3, "村"]]);
  });

  it("a conflicting 户主姓名 is masked in Q017 as names are everywhere (张三丰 → 张**)", async () => {
    const csv = "户编号,户主姓名,姓名,与户主关系\n0001,张三丰,张三丰,户主\n0001,张三,张小,之子\n";
    const { ds } = await read({ "m.csv": csv });
    const [finding] = evaluateAudit(ds, { rules: ["Q017"] });
    expect(finding?.messageZh).toBe("同一户的户主姓名前后不一致：先为“张**”，此行为“张*”（以前者为准）");
  });
});

describe("Excel date cells", () => {
  const zones = ["UTC", "America/Los_Angeles", "Asia/Shanghai", "Pacific/Kiritimati"];
  let savedTz: string | undefined;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it.each(zones)("出生日期 and 识别监测时间 written as dates are calendar dates, unshifted, with TZ=%s", async (tz) => {
    savedTz = process.env.TZ;
    process.env.TZ = tz;
    const { ds } = await read({
      "m.xlsx": xlsx({
        成员: [
          ["户编号", "姓名", "与户主关系", "出生日期", "识别监测时间"],
          ["0001", "张三", "户主", new Date(Date.UTC(1980, 0, 1)), new Date(Date.UTC(2026, 2, 1))],
          ["0002", "李四", "户主", new Date(Date.UTC(1999, 11, 31)), new Date(Date.UTC(2026, 2, 31))],
        ],
      }),
    });
    expect(ds.members.get("0001")?.[0]?.birthDate).toBe("1980-01-01");
    expect(ds.members.get("0002")?.[0]?.birthDate).toBe("1999-12-31");
    expect([ds.households.get("0001")?.identifiedMonth, ds.households.get("0002")?.identifiedMonth].map((m) => formatMonth(m!))).toEqual(["2026-03", "2026-03"]);
  });

  it.each([
    ["2026-10-15", "2026-10"],
    ["2026/10/5", "2026-10"],
    ["20261015", "2026-10"],
    ["2026年10月5日", "2026-10"],
    ["2026.10.15", "2026-10"],
    ["202610", "2026-10"],
    ["2026/1", "2026-01"],
  ])("a month column holding the text %s reads as %s", async (text, month) => {
    const { ds } = await read({ "i.csv": `户编号,年月,纯收入\n0001,${text},500\n` });
    expect(incomeOf(ds, "0001")).toEqual([[month, 500]]);
  });
});

describe("column aliases", () => {
  it.each([
    ["户编码,户主姓名", "户编号"],
    ["户号,户主姓名", "户编号"],
    ["household_id,head_name,household_size", "户编号"],
  ])("households: the header %s is recognised (户编号 through its alias)", async (header) => {
    const { ds } = await read({ "h.csv": `${header}\n0001,张三,3\n` });
    expect([table(ds, "h.csv").kind, ds.households.get("0001")?.headName]).toEqual(["households", "张三"]);
  });

  it("当前家庭人口数 beats 年度家庭人口数 whatever their order; the other is listed as ignored", async () => {
    const { ds } = await read({ "h.csv": "户编号,年度家庭人口数,当前家庭人口数\n0001,5,4\n" });
    const t = table(ds, "h.csv");
    expect([ds.households.get("0001")?.size, t.columns["家庭人口数"], t.ignored]).toEqual([4, "当前家庭人口数", ["年度家庭人口数 (same as 当前家庭人口数)"]]);
  });

  it("names 务工时间（月） as inputs.md writes it (full-width brackets), whichever brackets the header has", async () => {
    const { ds } = await read({ "m.csv": "户编号,证件号码,与户主关系,务工时间(月)\n0001,130434199001011234,户主,6\n", "n.csv": "户编号,证件号码,与户主关系,务工时间（月）\n0002,130434199202021244,户主,3\n" });
    expect([table(ds, "m.csv").columns["务工时间（月）"], table(ds, "n.csv").columns["务工时间（月）"]]).toEqual(["务工时间(月)", "务工时间（月）"]);
    expect([ds.members.get("0001")?.[0]?.workMonths, ds.members.get("0002")?.[0]?.workMonths]).toEqual([6, 3]);
  });

  it("matches headers after removing spaces, * marks and line breaks and unifying full-width brackets", async () => {
    const { ds } = await read({ "h.csv": '*户编号,"户主\n姓名",人均纯收入（元）, 家庭 人口数 ,备注\n0001,张三,"8,600.50元",3,x\n' });
    const t = table(ds, "h.csv");
    expect(t.columns).toEqual({ 户编号: "*户编号", 户主姓名: "户主\n姓名", 家庭人口数: "家庭 人口数", 人均纯收入: "人均纯收入（元）" });
    expect(t.ignored).toEqual(["备注"]);
    expect(ds.households.get("0001")?.annualNetIncomePc).toBe(8600.5);
  });

  it.each([
    ["members", "户编号,人编号,姓名,身份证号码,与户主关系", "0001,P1,张三,130434199001011234,户主"],
    ["members", "household_id,name,id_number,relation,sex,birth_date", "0001,张三,130434199001011234,户主,1,1980-01-01"],
    ["income", "户编号,月份,月纯收入", "0001,2026-09,500"],
    ["income", "household_id,month,wage_income,business_income", "0001,2026-09,300,200"],
    ["events", "身份证号,来源部门,结算日期,个人自付", "130434199001011234,医保,2026-09-03,12000"],
    ["events", "household_id,source,event_date,loss", "0001,应急管理,2026-09,5000"],
  ])("%s: the header %s is recognised", async (kind, header, row) => {
    const members = "户编号,姓名,与户主关系,证件号码\n0001,张三,户主,130434199001011234\n";
    const { ds } = await read({ "a.csv": members, "b.csv": `${header}\n${row}\n` });
    const t = table(ds, "b.csv");
    expect([t.kind, t.counts.accepted, t.counts.rejected]).toEqual([kind, 1, 0]);
  });
});

describe("rejected rows: reason, file, sheet, spreadsheet row (title rows counted) and column", () => {
  it("each reason of an income sheet", async () => {
    const rows = [
      ["某县月度收入"],
      ["户编号", "年月", "工资性收入", "生产经营性收入", "家庭人口数", "纯收入"],
      ["", "2026-09", 100], // 3 missing_required
      ["0001", "2026-13", 100], // 4 bad_month
      ["0001", "2026-11", 100], // 5 future_month
      ["0001", "2026-09", "abc"], // 6 bad_number
      ["0001", "2026-08", -5], // 7 negative_amount
      ["0001", "2026-07", 1e9], // 8 amount_out_of_range
      ["0001", "2026-06", 100, null, 2.5], // 9 invalid_size
      ["0001", "2026-05", 100, null, 0], // 10 invalid_size
      ["0002", "2026-09", 100, -300, 3, -50], // 11 accepted: losses are real
      ["0002", "2026-09", 100, -300, 3, -50], // 12 identical: duplicate
      ["0002", "2026-09", 999], // 13 income_conflict
      ["0003", "", 100], // 14 missing_required 年月
    ];
    const { ds } = await read({ "收入.xlsx": xlsx({ 说明: [["本表说明"]], 月度收入: rows }) }, { maxMonth: M_2026_10 });
    expect(rejects(ds)).toEqual([
      ["收入.xlsx", "月度收入", 3, "户编号", "missing_required", ""],
      ["收入.xlsx", "月度收入", 4, "年月", "bad_month", "2026-13"],
      ["收入.xlsx", "月度收入", 5, "年月", "future_month", "2026-11"],
      ["收入.xlsx", "月度收入", 6, "工资性收入", "bad_number", "abc"],
      ["收入.xlsx", "月度收入", 7, "工资性收入", "negative_amount", "-5"],
      ["收入.xlsx", "月度收入", 8, "工资性收入", "amount_out_of_range", "1000000000"],
      ["收入.xlsx", "月度收入", 9, "家庭人口数", "invalid_size", "2.5"],
      ["收入.xlsx", "月度收入", 10, "家庭人口数", "invalid_size", "0"],
      ["收入.xlsx", "月度收入", 13, "年月", "income_conflict", "2026-09"],
      ["收入.xlsx", "月度收入", 14, "年月", "missing_required", ""],
    ]);
    expect(incomeOf(ds, "0002")).toEqual([["2026-09", -50]]);
    expect(table(ds, "收入.xlsx", "月度收入").counts).toEqual({ read: 13, accepted: 1, rejected: 10, skipped: 1, duplicates: 1 });
    expect(table(ds, "收入.xlsx", "说明")).toMatchObject({ kind: null, counts: { read: 1, accepted: 0, rejected: 0, skipped: 1, duplicates: 0 } });
    expect(ds.rejects.find((r) => r.code === "income_conflict")).toMatchObject({
      householdId: "0002",
      reasonZh: "同一户同一月份已有金额不同的收入记录",
      reasonEn: "an income row for this household-month was already seen with different amounts",
    });
  });

  it("a blank amount in a row that exists is 0; 生产经营性支出 is subtracted", async () => {
    const { ds } = await read({ "i.csv": "户编号,年月,工资性收入,转移性收入,生产经营性支出\n0001,2026-09,1000,,300\n" });
    expect(incomeOf(ds, "0001")).toEqual([["2026-09", 700]]);
  });

  it("events: event_unmatched (household or person not in the data), event_no_amount, a negative 总费用 − 报销金额", async () => {
    const events = [
      ["户编号", "证件号码", "数据来源", "发生日期", "总费用", "报销金额", "自付金额", "损失金额"],
      ["0001", "", "医保", "2026-09-01", 30000, 20000], // 2 accepted: 10000
      ["", "130434199001011234", "医保", "2026-09-02", null, null, 8000], // 3 accepted via the members table
      ["9999", "", "应急管理", "2026-09", null, null, null, 5000], // 4 event_unmatched (户编号)
      ["", "110101199001011234", "民政", "2026-09", null, null, 100], // 5 event_unmatched (证件号码)
      ["0001", "", "医保", "2026-09", 30000], // 6 event_no_amount
      ["0001", "", "医保", "2026-09", 1000, 1500], // 7 negative_amount: 总费用 − 报销金额 < 0
    ];
    const members = "户编号,姓名,与户主关系,证件号码\n0001,张三,户主,130434199001011234\n";
    const { ds } = await read({ "m.csv": members, "e.xlsx": xlsx({ 部门数据: events }) });
    expect(rejects(ds)).toEqual([
      ["e.xlsx", "部门数据", 4, "户编号", "event_unmatched", "9999"],
      ["e.xlsx", "部门数据", 5, "证件号码", "event_unmatched", "110101********1234"],
      ["e.xlsx", "部门数据", 6, "自付金额", "event_no_amount", ""],
      ["e.xlsx", "部门数据", 7, "报销金额", "negative_amount", "1500"],
    ]);
    expect(ds.events.map((e) => [e.householdId, e.eventType, formatMonth(e.month), e.amount])).toEqual([
      ["0001", "医疗", "2026-09", 10000],
      ["0001", "医疗", "2026-09", 8000],
    ]);
    expect(table(ds, "e.xlsx", "部门数据").counts).toEqual({ read: 6, accepted: 2, rejected: 4, skipped: 0, duplicates: 0 });
  });
});

describe("row accounting", () => {
  it.each([false, true])("a blank income component repeats a 0 (a duplicate); a blank 纯收入 does not repeat a 0 (noFastPath %s)", async (noFastPath) => {
    const { ds } = await read(
      { "i.csv": "户编号,年月,工资性收入,转移性收入,纯收入\n0001,2026-01,100,,\n0001,2026-01,100,0,\n0002,2026-01,100,50,\n0002,2026-01,100,50,0\n" },
      { noFastPath },
    );
    expect(table(ds, "i.csv").counts).toEqual({ read: 4, accepted: 2, rejected: 1, skipped: 0, duplicates: 1 });
    expect(rejects(ds)).toEqual([["i.csv", "", 5, "年月", "income_conflict", "2026-01"]]);
    expect([incomeOf(ds, "0001"), incomeOf(ds, "0002")]).toEqual([[["2026-01", 100]], [["2026-01", 150]]]);
  });

  it("lists rejects in input order: by the files as given (not their names), then by row", async () => {
    const { ds } = await read({
      "z.csv": "户编号,年月,纯收入\n0001,2026-09,abc\n0001,2026-08,1\n0002,2026-13,1\n",
      "a.csv": "户编号,年月,纯收入\n0003,2026-09,x\n",
    });
    expect(rejects(ds).map(([file, , row]) => `${file}:${row}`)).toEqual(["z.csv:2", "z.csv:4", "a.csv:2"]);
  });

  it("read = accepted + rejected + skipped + duplicates on every table of a mixed dataset", async () => {
    const { ds } = await read(
      {
        "户.xlsx": xlsx({
          说明: [["本文件由系统导出"], ["请勿修改"]],
          户信息: [["县防返贫监测户信息"], ["户编号", "户主姓名", "家庭人口数", "村"], ["0001", "张三", 3, "东村"], ["0002", "李四", "x", "西村"], ["", ""], ["合计", "", 3]],
          成员: [["户编号", "姓名", "与户主关系", "证件号码"], ["0001", "张三", "户主", "130434199001011234"], ["0003", "王五", "户主", "1.30434E+17"]],
          部门: [["户编号", "数据来源", "日期", "金额"], ["0001", "应急管理", "2026-09", 3000], ["0404", "应急管理", "2026-09", 3000]],
        }),
        "收入.csv": "户编号,年月,纯收入\n0001,2026-09,500\n0001,2026-09,500\n0001,2026-09,600\n0001,2026-08,400\n,2026-08,1\n小计,,1501\n",
      },
      { maxMonth: M_2026_10 },
    );
    const all = ds.inputs.flatMap((f) => f.tables);
    for (const t of all) expect(t.counts.read).toBe(t.counts.accepted + t.counts.rejected + t.counts.skipped + t.counts.duplicates);
    expect(all.map((t) => [t.file, t.sheet, t.kind, t.counts.read, t.counts.accepted, t.counts.rejected, t.counts.skipped, t.counts.duplicates])).toEqual([
      ["户.xlsx", "说明", null, 2, 0, 0, 2, 0],
      ["户.xlsx", "户信息", "households", 5, 1, 1, 3, 0],
      ["户.xlsx", "成员", "members", 2, 1, 1, 0, 0],
      ["户.xlsx", "部门", "events", 2, 1, 1, 0, 0],
      ["收入.csv", "", "income", 6, 2, 2, 1, 1],
    ]);
  });
});

describe("a file that changes while it is read", () => {
  /** A households CSV long enough for a few progress calls, read with `change` run at the first of them. */
  async function readWhileChanging(change: (path: string, dir: string) => void, options: ReadOptions = {}): Promise<unknown> {
    const dir = join(tempDir(), `changing${++case_}`);
    await mkdir(dir, { recursive: true });
    const path = join(dir, "households.csv");
    const rows = Array.from({ length: 30_000 }, (_, i) => `H${String(i).padStart(6, "0")},某县,城关镇,一村,3,一般农户`);
    await writeFile(path, ["户编号,县,乡,村,家庭人口数,户类型", ...rows].join("\n") + "\n");
    let changed = false;
    return readDataset([path], {
      ...options,
      onProgress: () => {
        if (changed) return;
        changed = true;
        change(path, dir);
      },
    }).then(
      () => "read",
      (e: unknown) => e,
    );
  }

  it.each([
    ["the byte-level path", {}],
    ["the general path", { noFastPath: true }],
  ])("grown (still being copied): refused, naming the file and both sizes (%s)", async (_, options) => {
    const err = (await readWhileChanging((path) => appendFileSync(path, "H999999,某县,城关镇,一村,2,一般农户\n"), options)) as UserError;
    expect(err).toBeInstanceOf(UserError);
    expect(err.code).toBe("input_changed");
    expect(err.exitCode).toBe(1);
    expect(err.message).toMatch(/households\.csv: changed size from 1,\d{3},\d{3} to 1,\d{3},\d{3} bytes while it was being read; nothing was written\. Run again once the file is complete$/);
  });

  it("replaced by another file of the same name: refused", async () => {
    const err = (await readWhileChanging((path, dir) => {
      writeFileSync(join(dir, "other.csv"), "户编号,县\nH1,某县\n");
      renameSync(join(dir, "other.csv"), path);
    })) as UserError;
    expect(err.code).toBe("input_changed");
    expect(err.message).toContain("households.csv: was replaced by another file while it was being read");
  });

  it("edited after it was read, while another file is being read: no concern, read as usual", async () => {
    const dir = join(tempDir(), `changing${++case_}`);
    await mkdir(dir, { recursive: true });
    const households = join(dir, "households.csv");
    await writeFile(households, "户编号,县,乡,村,家庭人口数,户类型\nH000001,某县,城关镇,一村,3,一般农户\n");
    const members = join(dir, "members.csv");
    const rows = Array.from({ length: 30_000 }, (_, i) => `H${String(i).padStart(6, "0")},某人,户主`);
    await writeFile(members, ["户编号,姓名,与户主关系", ...rows].join("\n") + "\n");
    let edited = false;
    const ds = await readDataset([households, members], {
      onProgress: (n) => {
        if (edited || n < 1000) return;
        edited = true;
        appendFileSync(households, "H999999,某县,城关镇,一村,2,一般农户\n");
      },
    });
    expect(edited).toBe(true);
    expect(ds.households.size).toBe(30_000);
  });

  it("left alone: read as usual", async () => {
    expect(await readWhileChanging(() => undefined)).toBe("read");
  });
});
