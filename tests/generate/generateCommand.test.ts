import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";
import { useTempDir } from "../helpers/tmp.js";

const tmp = useTempDir("povwatch-generate-");
const FILES = ["events.csv", "households.csv", "income.csv", "members.csv"];

async function generate(name: string, ...args: string[]): Promise<{ dir: string; stderr: string; stdout: string; code: number }> {
  const dir = join(tmp(), name);
  const run = await runCli(["generate", ...args, "--out", dir], { cwd: tmp() });
  return { dir, ...run };
}

async function bytes(dir: string): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const f of (await readdir(dir)).sort()) out[f] = await readFile(join(dir, f));
  return out;
}

function lines(text: string): string[] {
  return text.split("\r\n").filter((l) => l !== "");
}

describe("povwatch generate", () => {
  it("writes the four tables, nothing on stdout, a one-line summary on stderr, and exits 0", async () => {
    const run = await generate("a", "--households", "200", "--months", "15");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^generate: 200 households, \d+ members, 3000 income rows \(15 months to 2026-10\), \d+ department events/);
    expect(await readdir(run.dir)).toEqual(FILES);
  });

  it("the same arguments give byte-identical files; another seed gives different ones", async () => {
    const a = await bytes((await generate("s1", "--households", "200", "--months", "15")).dir);
    const again = await generate("s2", "--households", "200", "--months", "15");
    expect(await bytes(again.dir)).toEqual(a);
    const other = await generate("b", "--households", "200", "--months", "15", "--seed", "2");
    const b = await bytes(other.dir);
    for (const f of FILES) expect(b[f]!.equals(a[f]!), f).toBe(false);
  });

  it("the income file has N × K rows (plus the header) and the canonical columns", async () => {
    const run = await generate("c", "--households", "37", "--months", "4");
    const income = lines(await readFile(join(run.dir, "income.csv"), "utf8"));
    expect(income[0]).toBe("户编号,年月,工资性收入,生产经营性收入,财产性收入,转移性收入,生产经营性支出");
    expect(income).toHaveLength(1 + 37 * 4);
    expect(new Set(income.slice(1).map((l) => l.split(",")[1]))).toEqual(new Set(["2026-07", "2026-08", "2026-09", "2026-10"]));
    const households = lines(await readFile(join(run.dir, "households.csv"), "utf8"));
    expect(households[0]).toBe(
      "户编号,省,市,县,乡,村,行政区划代码,户主姓名,户主证件号码,户类型,家庭人口数,监测对象类别,识别监测时间,风险是否已消除,风险消除时间,风险消除方式,致贫/返贫风险1,致贫/返贫风险2,人均纯收入,合规自付支出,整户无劳动能力兜底保障户",
    );
    expect(households).toHaveLength(38);
  });

  it("--encoding gb18030 really writes GB18030 (not valid UTF-8; iconv-lite decodes it to the UTF-8 text)", async () => {
    const utf8 = await generate("u", "--households", "20");
    const gb = await generate("g", "--households", "20", "--encoding", "gb18030");
    const raw = await readFile(join(gb.dir, "members.csv"));
    const text = await readFile(join(utf8.dir, "members.csv"), "utf8");
    expect(raw.equals(Buffer.from(text, "utf8"))).toBe(false);
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(raw)).toThrow();
    expect(iconv.decode(raw, "gb18030")).toBe(text);
    expect(raw.subarray(0, 6).equals(iconv.encode("户编号", "gb18030"))).toBe(true);
  });

  it("--encoding utf8-bom starts every file with the BOM; plain utf8 has none", async () => {
    const bom = await generate("bom", "--households", "5", "--encoding", "utf8-bom");
    const plain = await generate("plain", "--households", "5");
    for (const f of FILES) {
      expect([...(await readFile(join(bom.dir, f))).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect((await readFile(join(plain.dir, f))).subarray(0, 3).toString("utf8")).not.toBe("\ufeff");
    }
  });

  it("--format xlsx writes one workbook per table with the canonical sheet names, IDs as text, amounts as numbers", async () => {
    const run = await generate("x", "--households", "30", "--format", "xlsx", "--months", "3");
    expect(await readdir(run.dir)).toEqual(FILES.map((f) => f.replace(".csv", ".xlsx")));
    const sheetOf = async (file: string): Promise<ExcelJS.Worksheet> => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(join(run.dir, file));
      expect(wb.worksheets).toHaveLength(1);
      return wb.worksheets[0]!;
    };
    expect((await sheetOf("households.xlsx")).name).toBe("户信息");
    expect((await sheetOf("members.xlsx")).name).toBe("成员信息");
    expect((await sheetOf("events.xlsx")).name).toBe("部门预警数据");
    const income = await sheetOf("income.xlsx");
    expect(income.name).toBe("月度收入");
    expect(income.rowCount).toBe(1 + 30 * 3);
    const row = income.getRow(2);
    expect(typeof row.getCell(1).value).toBe("string");
    expect(row.getCell(1).value).toMatch(/^0\d{14}$/);
    expect(typeof row.getCell(3).value).toBe("number");
    const xlsxAgain = await generate("x2", "--households", "30", "--format", "xlsx", "--months", "3");
    expect(await bytes(xlsxAgain.dir)).toEqual(await bytes(run.dir));
  });

  it("leaves no temporary file behind", async () => {
    const run = await generate("t", "--households", "10");
    expect((await readdir(run.dir)).filter((f) => f.includes(".tmp"))).toEqual([]);
  });

  it.each([
    ["a generated set", ["--households", "20"], FILES, "income.csv"],
    ["a generated xlsx set (the file fails before the workbook is committed)", ["--households", "20", "--format", "xlsx"], FILES.map((f) => f.replace(".csv", ".xlsx")), "members.xlsx"],
    ["the demo county", ["--demo"], ["README.md", "西岭县防返贫监测对象信息_20261101.xlsx", "医保_大额医疗费用推送_2026.csv", "教育_学生资助_2026.xlsx"], "教育_学生资助"],
  ])("%s: a disk that fills up on one file leaves every earlier file as it was, and no temporary file (exit 1)", async (_, args, earlier, failing) => {
    const dir = join(tmp(), `full-${args.join("")}`);
    await runCli(["generate", "--households", "1", ...(args.includes("xlsx") ? ["--format", "xlsx"] : []), "--out", dir], { cwd: tmp() });
    for (const f of await readdir(dir)) await writeFile(join(dir, f), "");
    for (const f of earlier) await writeFile(join(dir, f), `earlier ${f}`);
    const before = await bytes(dir);
    const run = await runCli(["generate", ...args, "--out", dir], {
      cwd: tmp(),
      env: { NODE_OPTIONS: `--import=${pathToFileURL(join(ROOT, "tests/helpers/fullDisk.mjs")).href}`, POVWATCH_TEST_FULL_DISK: failing },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: .*: disk full; free some space and run again \(ENOSPC\); nothing was written under a final name\n$/);
    expect(await bytes(dir)).toEqual(before);
  });

  it.each([
    [["--households", "abc"], '--households: expected a whole number from 1 to 2000000, got "abc"'],
    [["--households", "5", "--format", "ods"], '--format: expected csv or xlsx, got "ods"'],
    [["--months", "3"], "--households: required"],
  ])("usage error %j exits 2 and writes nothing", async (args, message) => {
    const dir = join(tmp(), "bad");
    const run = await runCli(["generate", ...args, "--out", dir], { cwd: tmp() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    await expect(readdir(dir)).rejects.toThrow();
  });

  it.each([[["--households", "5"]], [["--demo"]]])("--out naming an existing file → exit 1, says it is a file (as scan's --out), nothing written (%j)", async (args) => {
    const dir = tmp();
    await writeFile(join(dir, "afile"), "x");
    const run = await runCli(["generate", ...args, "--out", "afile"], { cwd: dir });
    expect([run.code, run.stdout, run.stderr]).toEqual([1, "", "error: afile: is a file, not a folder; choose another folder (--out)\n"]);
    expect(await readFile(join(dir, "afile"), "utf8")).toBe("x");
  });
});
