/**
 * The bad-input corpus (unattended and hostile conditions), through the built binary as cron runs it. Every input is
 * generated here (large ones at test time). Each case states its exact behaviour: the exit code, the message (naming
 * the file and, where they apply, sheet / row / column, and saying what to do), never a stack trace, and for a failed
 * scan no output under a final name. Inputs are never modified.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { runCli, type CliRun } from "../helpers/cli.js";
import { useTempDir } from "../helpers/tmp.js";
import { buildRawXlsx, buildZip } from "../helpers/zip.js";

const tempDir = useTempDir("povwatch-bad-");
const OUTPUTS = ["flagged.csv", "flagged.xlsx", "summary.xlsx", "rejects.csv", "run.json"];
const INCOME = "户编号,年月,纯收入\n0001,2026-09,500\n0002,2026-09,900\n";
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

let n = 0;
/** A fresh folder holding the given files. */
async function folder(files: Record<string, string | Buffer>): Promise<string> {
  const dir = join(tempDir(), `c${++n}`);
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

/** Every file name under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

/** The checks every run gets: no stack trace, nothing on stdout unless asked. */
function expectClean(run: CliRun): void {
  expect(run.stderr).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
  expect(run.stderr).not.toMatch(/internal error/);
}

/** Runs `povwatch scan FILES --out out --period 2026-09`, expects failure with `code` and nothing written. */
async function scanFails(files: Record<string, string | Buffer>, args: string[], code: number): Promise<CliRun> {
  const dir = await folder(files);
  const run = await runCli(["scan", "--out", "out", "--period", "2026-09", ...args], { cwd: dir });
  expectClean(run);
  expect(run.code).toBe(code);
  expect(run.stdout).toBe("");
  expect(filesUnder(join(dir, "out")).filter((f) => OUTPUTS.includes(f) || f.endsWith(".tmp"))).toEqual([]);
  return run;
}

/** The single error line of a failed run. */
const errorLine = (run: CliRun) => run.stderr.split("\n").filter((l) => l.startsWith("error: "));

/** `inspect --json` of the given files: the tables of the first input. */
async function inspectTables(files: Record<string, string | Buffer>, extra: string[] = []) {
  const dir = await folder(files);
  const run = await runCli(["inspect", ...Object.keys(files), "--json", ...extra], { cwd: dir });
  expectClean(run);
  expect([run.code, run.stderr]).toEqual([0, ""]);
  return JSON.parse(run.stdout).inputs[0].tables;
}

async function workbook(sheets: Record<string, unknown[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Deterministic pseudo-random bytes (xorshift), for "binary garbage". */
function garbage(length: number, seed = 7): Buffer {
  const b = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

describe.concurrent("files that are not what they say", () => {
  it("a real .xls (OLE2) → exit 1, save it as .xlsx", async () => {
    const run = await scanFails({ "户信息.xls": Buffer.concat([OLE2, Buffer.alloc(4096)]) }, ["户信息.xls"], 1);
    expect(errorLine(run)).toEqual(["error: 户信息.xls: an old Excel 97-2003 (.xls) workbook; open it in Excel or WPS and save it as .xlsx"]);
  });

  it("a .xls inside a folder given as input is not left out: exit 1, the same advice", async () => {
    const run = await scanFails({ "exports/户信息.xls": Buffer.concat([OLE2, Buffer.alloc(4096)]), "exports/说明.docx": "x" }, ["exports"], 1);
    expect(errorLine(run)).toEqual(["error: exports/户信息.xls: an old Excel 97-2003 (.xls) workbook; open it in Excel or WPS and save it as .xlsx"]);
  });

  it("an .xls renamed .xlsx → exit 1, the same advice", async () => {
    const run = await scanFails({ "a.xlsx": Buffer.concat([OLE2, Buffer.alloc(4096)]) }, ["a.xlsx"], 1);
    expect(errorLine(run)).toEqual(["error: a.xlsx: an old Excel 97-2003 (.xls) workbook; open it in Excel or WPS and save it as .xlsx"]);
  });

  it("a truncated xlsx → exit 1, damaged or truncated", async () => {
    const whole = await workbook({ 收入: [["户编号", "年月", "纯收入"], ["0001", "2026-09", 500]] });
    const run = await scanFails({ "cut.xlsx": whole.subarray(0, Math.floor(whole.length / 2)) }, ["cut.xlsx"], 1);
    expect(errorLine(run)).toEqual(["error: cut.xlsx: not a readable .xlsx (the file is damaged or truncated); open it in Excel or WPS and save it again"]);
  });

  it("a zip that is not a workbook → exit 1", async () => {
    const run = await scanFails({ "photos.xlsx": buildZip([{ name: "a.jpg", data: "not really" }]) }, ["photos.xlsx"], 1);
    expect(errorLine(run)).toEqual(["error: photos.xlsx: a zip archive but not an Excel workbook (no xl/workbook.xml); save it from Excel or WPS as .xlsx"]);
  });

  it("a password-protected xlsx (OLE2 with an EncryptedPackage stream) → exit 1, remove the password", async () => {
    const bytes = Buffer.concat([OLE2, Buffer.alloc(1000), Buffer.from("EncryptedPackage", "utf16le"), Buffer.alloc(1000)]);
    const run = await scanFails({ "secret.xlsx": bytes }, ["secret.xlsx"], 1);
    expect(errorLine(run)).toEqual(["error: secret.xlsx: the workbook is password-protected; open it in Excel or WPS, remove the password and save it again"]);
  });

  it("binary garbage named .csv → exit 1", async () => {
    const run = await scanFails({ "data.csv": garbage(5000) }, ["data.csv"], 1);
    expect(errorLine(run)).toEqual(["error: data.csv: not a text file (binary data); export the table as .csv or .xlsx"]);
  });

  it("an xlsx renamed .csv → exit 1, rename it", async () => {
    const run = await scanFails({ "收入.csv": await workbook({ a: [["户编号"]] }) }, ["收入.csv"], 1);
    expect(errorLine(run)).toEqual(["error: 收入.csv: named as a text file but is a zip archive (an .xlsx?); rename it to .xlsx or export it as CSV"]);
  });

  it("an empty file → exit 1", async () => {
    const run = await scanFails({ "empty.csv": "" }, ["empty.csv"], 1);
    expect(errorLine(run)).toEqual(["error: empty.csv: the file is empty (0 bytes); export the table again"]);
  });

  it("a truncated .csv.gz → exit 1, is the file complete?", async () => {
    const gz = gzipSync(Buffer.from(INCOME.repeat(200)));
    const run = await scanFails({ "收入.csv.gz": gz.subarray(0, gz.length - 30) }, ["收入.csv.gz"], 1);
    expect(errorLine(run)).toEqual(["error: 收入.csv.gz: cannot be read (unexpected end of file); is the .gz file complete?"]);
  });
});

describe.concurrent("text encodings and CSV syntax", () => {
  it("a UTF-16LE CSV with a BOM is decoded and read", async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(INCOME.replace(/\n/g, "\r\n"), "utf16le")]);
    const [t] = await inspectTables({ "u16.csv": bytes });
    expect([t.kind, t.encoding, t.read, t.accepted]).toEqual(["income", "utf-16le", 2, 2]);
  });

  it("UTF-8 then GB18030 bytes early in the file → exit 1 naming the byte, the line and --encoding", async () => {
    const utf8 = "户编号,姓名,与户主关系\n0001,张三,户主\n";
    const bytes = Buffer.concat([Buffer.from(utf8), iconv.encode("0002,王五,户主\n", "gb18030")]);
    const run = await scanFails({ "m.csv": bytes }, ["m.csv"], 1);
    expect(errorLine(run)).toEqual([
      `error: m.csv: bytes that are not utf-8 at byte ${Buffer.byteLength(utf8) + 5} (line 3) (mixed encodings?); save the whole file again in one encoding (UTF-8 or GB18030), or give --encoding gb18030 / --encoding utf8`,
    ]);
  });

  it("UTF-8 then GB18030 bytes after the first megabyte → exit 1 naming the exact byte", async () => {
    const utf8 = "户编号,姓名,与户主关系\n" + "0001,张三,户主\n".repeat(60_000);
    const bytes = Buffer.concat([Buffer.from(utf8), iconv.encode("0002,王五,户主\n", "gb18030")]);
    const run = await scanFails({ "m.csv": bytes }, ["m.csv"], 1);
    expect(errorLine(run)).toEqual([
      "error: m.csv: bytes that are not utf-8 at byte 1,140,038 (mixed encodings?); save the whole file again in one encoding (UTF-8 or GB18030), or give --encoding gb18030 / --encoding utf8",
    ]);
  });

  it("a GB18030 file read with --encoding utf8 → exit 1 naming the byte", async () => {
    const run = await scanFails({ "g.csv": iconv.encode("户编号,年月,纯收入\n0001,2026-09,500\n", "gb18030") }, ["g.csv", "--encoding", "utf8"], 1);
    expect(errorLine(run)).toEqual(["error: g.csv: bytes that are not utf-8 at byte 0 (line 1) (mixed encodings?); save the whole file again in one encoding (UTF-8 or GB18030), or give --encoding gb18030 / --encoding utf8"]);
  });

  it("an unbalanced quote → exit 1 naming the row where the field starts", async () => {
    const run = await scanFails({ "q.csv": '户编号,年月,纯收入\n0001,2026-09,500\n"0002,2026-09,600\n0003,2026-09,700\n' }, ["q.csv"], 1);
    expect(errorLine(run)).toEqual(['error: q.csv, row 3: a quoted field (starting with ") is never closed, so the rest of the file would be one cell; fix the quote, or save the file again from Excel or WPS']);
  });

  it.each([
    ["CRLF", "\r\n"],
    ["CR-only", "\r"],
    ["LF", "\n"],
  ])("%s line ends read the same rows", async (_, eol) => {
    const [t] = await inspectTables({ "e.csv": INCOME.replace(/\n/g, eol) });
    expect([t.kind, t.headerRow, t.read, t.accepted, t.rejected]).toEqual(["income", 1, 2, 2, 0]);
  });

  it("a 10 MB single cell is read (in an ignored column)", async () => {
    const [t] = await inspectTables({ "big.csv": `户编号,户主姓名,家庭人口数,备注\n0001,张三,3,${"长".repeat(3_500_000)}\n0002,李四,2,\n` });
    expect([t.kind, t.read, t.accepted, t.ignored]).toEqual(["households", 2, 2, ["备注"]]);
  });

  it("20,000 columns are read; the unknown ones are listed as ignored", async () => {
    const header = ["户编号", "年月", "纯收入", ...Array.from({ length: 20_000 }, (_, i) => `列${i}`)].join(",");
    const [t] = await inspectTables({ "wide.csv": `${header}\n0001,2026-09,500\n` });
    expect([t.kind, t.accepted, t.ignored.length, t.ignored[19_999]]).toEqual(["income", 1, 20_000, "列19999"]);
  });

  it("duplicate header names: the first column is used, the second is listed as ignored", async () => {
    const [t] = await inspectTables({ "d.csv": "户编号,年月,纯收入,纯收入\n0001,2026-09,500,700\n" });
    expect([t.columns, t.ignored]).toEqual([{ 户编号: "户编号", 年月: "年月", 纯收入: "纯收入" }, ["纯收入 (same as 纯收入)"]]);
  });
});

describe.concurrent("layout and values", () => {
  it("a header at row 25 (beyond the 20-row search) → the table is skipped with a reason; no income, so scan asks for data", async () => {
    const files = { "late.csv": "说明\n".repeat(24) + INCOME };
    const [t] = await inspectTables(files);
    expect(t).toMatchObject({ kind: null, headerRow: null, read: 27, skipped: 27 });
    expect(t.reason).toBe("no recognised columns (no row among the first 20 has two known column names such as 户编号, 年月; if this is a data table, its header is missing or too far down) (read as utf-8)");
    const dir = await folder(files);
    const run = await runCli(["scan", "late.csv", "--out", "out"], { cwd: dir });
    expectClean(run);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`skipped: late.csv has ${t.reason}\n`);
    expect(errorLine(run)).toEqual(["error: the inputs have no monthly income rows, so there is no latest month: give --period YYYY-MM"]);
  });

  it("a header-only income file: inspect shows 0 rows; scan without --period fails (exit 1), with --period writes an empty list (exit 0)", async () => {
    const files = { "h.csv": "户编号,年月,纯收入\n" };
    const [t] = await inspectTables(files);
    expect([t.kind, t.read, t.accepted]).toEqual(["income", 0, 0]);
    const dir = await folder(files);
    const noPeriod = await runCli(["scan", "h.csv", "--out", "out"], { cwd: dir });
    expect([noPeriod.code, errorLine(noPeriod)]).toEqual([1, ["error: the inputs have no monthly income rows, so there is no latest month: give --period YYYY-MM"]]);
    const withPeriod = await runCli(["scan", "h.csv", "--out", "out", "--period", "2026-09", "--json"], { cwd: dir });
    expectClean(withPeriod);
    expect(withPeriod.code).toBe(0);
    expect(JSON.parse(withPeriod.stdout).counts).toMatchObject({ households: 0, listed: 0 });
    expect(filesUnder(join(dir, "out", "2026-09")).sort()).toEqual([...OUTPUTS].sort());
  });

  it("an ID stored as a number cell (1.30434199001011E+17) → the row is rejected as id_digits_lost with row and column", async () => {
    const xlsx = buildRawXlsx([
      {
        name: "成员",
        rowsXml:
          '<row r="1"><c r="A1" t="inlineStr"><is><t>户编号</t></is></c><c r="B1" t="inlineStr"><is><t>姓名</t></is></c><c r="C1" t="inlineStr"><is><t>证件号码</t></is></c><c r="D1" t="inlineStr"><is><t>与户主关系</t></is></c></row>' +
          '<row r="2"><c r="A2" t="inlineStr"><is><t>0001</t></is></c><c r="B2" t="inlineStr"><is><t>张三</t></is></c><c r="C2"><v>1.30434199001011E+17</v></c><c r="D2" t="inlineStr"><is><t>户主</t></is></c></row>',
      },
    ]);
    const [t] = await inspectTables({ "m.xlsx": xlsx });
    expect([t.sheet, t.kind, t.read, t.rejected]).toEqual(["成员", "members", 1, 1]);
    expect(t.firstRejects).toEqual([{ row: 2, column: "证件号码", reason: "编号被存成了数字，位数已丢失（如1.30434E+17），请把该列设为文本后重新导出 (ID stored as a number, its digits were lost (e.g. 1.30434E+17); export the column as text)" }]);
  });

  it("an 18-digit ID in a number cell written in full digits (as exceljs or openpyxl write it) is rejected too: a number cannot hold 18 digits", async () => {
    const xlsx = buildRawXlsx([
      {
        name: "成员",
        rowsXml:
          '<row r="1"><c r="A1" t="inlineStr"><is><t>户编号</t></is></c><c r="B1" t="inlineStr"><is><t>姓名</t></is></c><c r="C1" t="inlineStr"><is><t>证件号码</t></is></c><c r="D1" t="inlineStr"><is><t>与户主关系</t></is></c></row>' +
          '<row r="2"><c r="A2" t="inlineStr"><is><t>0001</t></is></c><c r="B2" t="inlineStr"><is><t>张三</t></is></c><c r="C2"><v>130434199001011232</v></c><c r="D2" t="inlineStr"><is><t>户主</t></is></c></row>',
      },
    ]);
    const [t] = await inspectTables({ "m.xlsx": xlsx });
    expect([t.kind, t.read, t.rejected]).toEqual(["members", 1, 1]);
    expect(t.firstRejects.map((r: { row: number; column: string }) => [r.row, r.column])).toEqual([[2, "证件号码"]]);
  });

  it("dates as text in five formats are all months", async () => {
    const dates = ["2026-10-15", "2026/10/5", "20261015", "2026年10月5日", "2026.10.15"];
    const csv = "户编号,年月,纯收入\n" + dates.map((d, i) => `000${i},${d},500\n`).join("");
    const [t] = await inspectTables({ "d.csv": csv });
    expect([t.read, t.accepted, t.rejected]).toEqual([5, 5, 0]);
  });

  it("negative and huge amounts: negative wages and ≥ 1e9 rejected, a negative 生产经营性收入 accepted", async () => {
    const csv = "户编号,年月,工资性收入,生产经营性收入\n0001,2026-09,-1,0\n0002,2026-09,1000000000,0\n0003,2026-09,100,-5000\n0004,2026-09,1e300,0\n";
    const [t] = await inspectTables({ "a.csv": csv });
    expect([t.accepted, t.rejected]).toEqual([1, 3]);
    expect(t.firstRejects.map((r: { row: number; column: string; reason: string }) => [r.row, r.column, r.reason])).toEqual([
      [2, "工资性收入", "金额为负数 (negative amount)"],
      [3, "工资性收入", "金额超出合理范围（≥10亿元） (amount out of range (≥ 1,000,000,000))"],
      [5, "工资性收入", "金额超出合理范围（≥10亿元） (amount out of range (≥ 1,000,000,000))"],
    ]);
  });

  it("months in the future are rejected (future_month), the rest is scanned", async () => {
    const dir = await folder({ "f.csv": INCOME + "0003,2099-01,100\n" });
    const run = await runCli(["scan", "f.csv", "--out", "out", "--json"], { cwd: dir });
    expectClean(run);
    expect(run.code).toBe(0);
    const manifest = JSON.parse(run.stdout);
    expect([manifest.period, manifest.inputs[0].tables[0].accepted, manifest.inputs[0].tables[0].rejected]).toEqual(["2026-09", 2, 1]);
    const rejects = await readFile(join(dir, "out", "2026-09", "rejects.csv"), "utf8");
    expect(rejects).toContain("f.csv,,4,年月,2099-01");
  });
});

describe.concurrent("policy files with errors → exit 2, nothing read or written", () => {
  it.each([
    ["unknown key", '{ "monitoringLine": 6000, "bogus": 1 }', "error: policy file p.json has 1 problem:", "  bogus: unknown key"],
    ["wrong type", '{ "monitoringLine": "6000" }', "error: policy file p.json has 1 problem:", '  monitoringLine: must be a number (got string "6000")'],
    ["negative amount", '{ "povertyLine": -1 }', "error: policy file p.json has 1 problem:", "  povertyLine: must not be negative (got -1)"],
    ["yellowFactor < 1", '{ "yellowFactor": 0.9 }', "error: policy file p.json has 1 problem:", "  yellowFactor: must be ≥ 1 (got 0.9)"],
    ["streakMonths 13", '{ "streakMonths": 13 }', "error: policy file p.json has 1 problem:", "  streakMonths: must be a whole number from 1 to 12 (got 13)"],
    ["override without where", '{ "overrides": [ { "monitoringLine": 7000 } ] }', "error: policy file p.json has 1 problem:", '  overrides[0]: has no "where"'],
    ["invalid JSON", '{ "monitoringLine": 6000,\n', "error: policy file p.json: not valid JSON at line 2, column 1: Expected double-quoted property name", undefined],
  ])("%s", async (_, policy, first, second) => {
    const dir = await folder({ "p.json": policy, "i.csv": INCOME });
    const run = await runCli(["scan", "i.csv", "--policy", "p.json", "--out", "out"], { cwd: dir });
    expectClean(run);
    expect(run.code).toBe(2);
    const lines = run.stderr.split("\n").filter((l) => l !== "");
    expect(lines).toEqual(second === undefined ? [first] : [first, second]);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});

describe.concurrent("the command line and the file system", () => {
  it("an output folder under a regular file → exit 1, says the path holds a file (tests run as root, so chmod cannot be used)", async () => {
    const run = await scanFails({ "i.csv": INCOME, blocker: "a file" }, ["i.csv", "--out", "blocker/sub"], 1);
    expect(errorLine(run)).toEqual(["error: blocker/sub: part of this path is a file, not a folder; choose another folder (--out) (ENOTDIR); nothing was written under a final name"]);
  });

  it("an output folder that is a regular file → exit 1, says it is a file", async () => {
    const run = await scanFails({ "i.csv": INCOME, blocker: "a file" }, ["i.csv", "--out", "blocker"], 1);
    expect(errorLine(run)).toEqual(["error: blocker: is a file, not a folder; choose another folder (--out)"]);
  });

  it("no command at all → exit 2, the usage on stderr and nothing on stdout (a cron line that lost its arguments)", async () => {
    const run = await runCli([], { cwd: await folder({}) });
    expect([run.code, run.stdout]).toEqual([2, ""]);
    expect(run.stderr).toContain("Usage: povwatch");
  });

  it("--recursive does not read the output folder inside the input folder (the earlier lists are not inputs)", async () => {
    const dir = await folder({ "i.csv": INCOME, "out/2026-08/flagged.csv": "户编号,家庭人口数\n0009,2\n", "more/h.csv": "户编号,家庭人口数\n0001,3\n" });
    const run = await runCli(["scan", ".", "--recursive", "--out", "out", "--period", "2026-09", "--json"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).inputs.map((f: { path: string }) => f.path)).toEqual(["i.csv", "more/h.csv"]);
  });

  it("a nonexistent input → exit 1", async () => {
    const run = await scanFails({}, ["nope.csv"], 1);
    expect(errorLine(run)).toEqual(["error: nope.csv: no such file or folder; check the path (quote paths with spaces)"]);
  });

  it("a folder without supported files → exit 1", async () => {
    const dir = await folder({ "readme.md": "x" });
    const run = await runCli(["inspect", "."], { cwd: dir });
    expectClean(run);
    expect([run.code, errorLine(run)]).toEqual([1, ["error: .: the folder has no .xlsx, .csv, .txt or .csv.gz file"]]);
  });

  it("an unknown option → exit 2 with the usage hint", async () => {
    const run = await scanFails({ "i.csv": INCOME }, ["i.csv", "--bogus"], 2);
    expect(run.stderr).toBe("error: unknown option '--bogus'\n(run with --help for usage)\n");
  });

  it.each([
    ["--encoding", "latin9", 'error: --encoding: unknown encoding "latin9" (expected utf8, gb18030, gbk or utf16le)'],
    ["--year", "26", 'error: --year: expected a year such as 2026, got "26"'],
    ["--period", "2026-13", 'error: --period: expected YYYY-MM or "previous", got "2026-13"'],
  ])("a bad %s value → exit 2", async (option, value, message) => {
    const run = await scanFails({ "i.csv": INCOME }, ["i.csv", option, value], 2);
    expect(errorLine(run)).toEqual([message]);
  });

  it("a CSV on stdin (-) is read", async () => {
    const dir = await folder({});
    const run = await runCli(["inspect", "-", "--json"], { cwd: dir, input: INCOME });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).inputs[0].tables[0]).toMatchObject({ kind: "income", read: 2, accepted: 2 });
  });
});

describe("input files are never modified", () => {
  it("a scan leaves every input byte-identical (CSV, GB18030, .csv.gz, xlsx)", async () => {
    const files = {
      "收入.csv": INCOME,
      "户.csv": iconv.encode("户编号,户主姓名,家庭人口数\n0001,张三,3\n0002,李四,2\n", "gb18030"),
      "old.csv.gz": gzipSync(Buffer.from("户编号,年月,纯收入\n0001,2026-08,400\n")),
      "成员.xlsx": await workbook({ 成员: [["户编号", "姓名", "与户主关系"], ["0001", "张三", "户主"]] }),
    };
    const dir = await folder(files);
    const hash = async () => Promise.all(Object.keys(files).map(async (f) => createHash("sha256").update(await readFile(join(dir, f))).digest("hex")));
    const before = await hash();
    const run = await runCli(["scan", ".", "--out", "out", "--period", "2026-09"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(await hash()).toEqual(before);
  });
});
