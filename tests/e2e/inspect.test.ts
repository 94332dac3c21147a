/**
 * `povwatch inspect` through the built binary: the --json document of cli.md (one JSON document on stdout, nothing
 * else), the human report on stderr, and Excel date cells read the same under any time zone (scan's period).
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { useTempDir } from "../helpers/tmp.js";

const tempDir = useTempDir("povwatch-inspect-");

async function folder(name: string, files: Record<string, string | Buffer>): Promise<string> {
  const dir = join(tempDir(), name);
  await mkdir(dir, { recursive: true });
  for (const [f, content] of Object.entries(files)) await writeFile(join(dir, f), content);
  return dir;
}

async function households(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet("说明").addRow(["本文件由系统导出"]);
  const ws = wb.addWorksheet("户信息");
  ws.addRow(["某县防返贫监测户信息表"]);
  ws.addRow(["户编号", "户主姓名", "家庭人口数", "村", "备注"]);
  ws.addRow(["0001", "张三", 3, "东村", ""]);
  ws.addRow(["0002", "李四", 0, "西村", ""]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const sha256 = (b: string | Buffer) => createHash("sha256").update(b).digest("hex");

describe("povwatch inspect --json", () => {
  it("prints exactly one JSON document: per input path, sha256 and tables with kind, encoding, header row, counts, columns, ignored, firstRejects", async () => {
    const income = iconv.encode("月度收入表\n户编号,年月,纯收入,备注\n0001,2026-09,500,\n0001,2026-13,500,\n", "gb18030");
    const xlsx = await households();
    const dir = await folder("shape", { "户.xlsx": xlsx, "收入.csv": income });
    const run = await runCli(["inspect", "户.xlsx", "收入.csv", "--json"], { cwd: dir });
    expect([run.code, run.stderr]).toEqual([0, ""]);
    expect(run.stdout.endsWith("}\n")).toBe(true);
    expect(JSON.parse(run.stdout)).toEqual({
      inputs: [
        {
          path: "户.xlsx",
          sha256: sha256(xlsx),
          tables: [
            {
              sheet: "说明",
              kind: null,
              reason: "no recognised columns (no row among the first 20 has two known column names such as 户编号, 年月; if this is a data table, its header is missing or too far down)",
              encoding: null,
              headerRow: null,
              read: 1,
              accepted: 0,
              rejected: 0,
              skipped: 1,
              duplicates: 0,
              columns: {},
              ignored: [],
              firstRejects: [],
            },
            {
              sheet: "户信息",
              kind: "households",
              encoding: null,
              headerRow: 2,
              read: 3,
              accepted: 1,
              rejected: 1,
              skipped: 1,
              duplicates: 0,
              columns: { 户编号: "户编号", 户主姓名: "户主姓名", 家庭人口数: "家庭人口数", 村: "村" },
              ignored: ["备注"],
              firstRejects: [{ row: 4, column: "家庭人口数", reason: "家庭人口数不是≥1的整数 (household size is not a whole number ≥ 1)" }],
            },
          ],
        },
        {
          path: "收入.csv",
          sha256: sha256(income),
          tables: [
            {
              sheet: "",
              kind: "income",
              encoding: "gb18030",
              headerRow: 2,
              read: 3,
              accepted: 1,
              rejected: 1,
              skipped: 1,
              duplicates: 0,
              columns: { 户编号: "户编号", 年月: "年月", 纯收入: "纯收入" },
              ignored: ["备注"],
              firstRejects: [{ row: 4, column: "年月", reason: "无法识别的月份 (unparseable month)" }],
            },
          ],
        },
      ],
    });
  });

  it("without --json prints the report on stderr and nothing on stdout; names are never shown unmasked", async () => {
    const dir = await folder("human", { "户.xlsx": await households() });
    const run = await runCli(["inspect", "户.xlsx"], { cwd: dir });
    expect([run.code, run.stdout]).toEqual([0, ""]);
    expect(run.stderr).toBe(
      [
        "户.xlsx [说明]",
        "  skipped: no recognised columns (no row among the first 20 has two known column names such as 户编号, 年月; if this is a data table, its header is missing or too far down)",
        "  rows: read 1, accepted 0, rejected 0, skipped 1, duplicates 0",
        "户.xlsx [户信息]",
        "  kind: households",
        "  header row: 2",
        "  columns: 户编号, 户主姓名, 家庭人口数, 村",
        "  ignored: 备注",
        "  rows: read 3, accepted 1, rejected 1, skipped 1, duplicates 0",
        "  reject row 4, column 家庭人口数: 家庭人口数不是≥1的整数 (household size is not a whole number ≥ 1) [0]",
        "",
      ].join("\n"),
    );
    expect(run.stderr).not.toContain("张三");
  });
});

describe("Excel date cells through the CLI, under any time zone", () => {
  it.each(["America/Los_Angeles", "Asia/Shanghai", "UTC"])("TZ=%s: income months written as dates on the 1st give the period 2026-03", async (tz) => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("收入");
    ws.addRow(["户编号", "年月", "纯收入"]);
    ws.addRow(["0001", new Date(Date.UTC(2026, 1, 1)), 500]);
    ws.addRow(["0001", new Date(Date.UTC(2026, 2, 1)), 500]);
    const dir = await folder(`tz-${tz.replace("/", "-")}`, { "收入.xlsx": Buffer.from(await wb.xlsx.writeBuffer()) });
    const run = await runCli(["scan", "收入.xlsx", "--out", "out", "--json", "--quiet"], { cwd: dir, env: { TZ: tz } });
    expect([run.code, run.stderr]).toEqual([0, ""]);
    const manifest = JSON.parse(run.stdout);
    expect([manifest.period, manifest.inputs[0].tables[0].accepted]).toEqual(["2026-03", 2]);
    expect(JSON.parse(await readFile(join(dir, "out", "2026-03", "run.json"), "utf8")).period).toBe("2026-03");
  });
});

describe("inspect --json and run.json", () => {
  it("give each input the same entry; inspect only adds columns, ignored, firstRejects (and reason) to its tables", async () => {
    const demo = join(import.meta.dirname, "../../fixtures/demo");
    const dir = join(tempDir(), "same-shape");
    await mkdir(dir, { recursive: true });
    const inspect = JSON.parse((await runCli(["inspect", demo, "--json"], { cwd: dir })).stdout) as { inputs: { tables: Record<string, unknown>[] }[] };
    const scan = JSON.parse((await runCli(["scan", demo, "--period", "2026-10", "--out", "out", "--json", "--format", "csv"], { cwd: dir })).stdout) as {
      inputs: { tables: Record<string, unknown>[] }[];
    };
    expect(inspect.inputs).toHaveLength(6);
    const extras = new Set(["columns", "ignored", "firstRejects", "reason"]);
    const strip = (inputs: typeof inspect.inputs) =>
      inputs.map((f) => ({ ...f, tables: f.tables.map((t) => Object.fromEntries(Object.entries(t).filter(([k]) => !extras.has(k)))) }));
    expect(strip(inspect.inputs)).toEqual(scan.inputs);
  });
});
