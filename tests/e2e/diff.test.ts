/**
 * `povwatch diff` through the built binary: two real scans a month apart, then diff; errors and warnings as cron sees
 * them (exit codes, stderr, nothing on stdout without --json).
 */
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import buildDist from "../helpers/build.js";
import { ROOT, runCli, type CliRun } from "../helpers/cli.js";
import { useTempDir } from "../helpers/tmp.js";

const work = useTempDir("povwatch-e2e-diff-");
const povwatch = (...args: string[]): Promise<CliRun> => runCli(args, { cwd: work() });

const MONTHS = Array.from({ length: 13 }, (_, i) => {
  const m = 9 + i; // 2025-10 … 2026-10
  return `${2025 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;
});

/** Monthly net income per household (size 2, monthly line 500 per person). */
const INCOME: Record<string, (month: string) => number> = {
  H001: () => 800, // low all year: listed both months
  H002: (m) => (m >= "2026-08" ? 200 : 1500), // three low months end at 2026-10: enters in 2026-10
  H003: (m) => (m >= "2026-07" && m <= "2026-09" ? 200 : 1500), // streak ends 2026-09: leaves in 2026-10
  H004: (m) => (m >= "2026-10" ? 300 : 700), // listed both months
  H005: () => 3000, // never listed
};

const HOUSEHOLDS = [
  "户编号,县,乡,村,户主姓名,户类型,家庭人口数",
  "H001,甲县,一乡,东村,张三,一般农户,2",
  "H002,甲县,一乡,西村,李四,一般农户,2",
  "H003,甲县,二乡,南村,王五,一般农户,2",
  "H004,乙县,三乡,北村,赵六,脱贫户,2",
  "H005,乙县,三乡,北村,钱七,一般农户,2",
].join("\n");

function listedIds(csvText: string): Set<string> {
  const rows = parse(csvText, { bom: true, columns: true }) as Record<string, string>[];
  return new Set(rows.map((r) => r["户编号"]!));
}

function difference(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((x) => !b.has(x)).sort();
}

beforeAll(async () => {
  buildDist();
  const income = ["户编号,年月,纯收入", ...Object.entries(INCOME).flatMap(([id, f]) => MONTHS.map((m) => `${id},${m},${f(m)}`))].join("\n");
  await writeFile(join(work(), "households.csv"), HOUSEHOLDS + "\n");
  await writeFile(join(work(), "income.csv"), income + "\n");
  for (const period of ["2026-09", "2026-10"]) {
    const run = await povwatch("scan", "households.csv", "income.csv", "--period", period, "--out", "out", "--quiet");
    expect(run.code).toBe(0);
  }
}, 120_000);

describe("povwatch diff OLD NEW (two scans a month apart)", () => {
  it("reports entered and exited households equal to the set differences of the two lists", async () => {
    const run = await povwatch("diff", "out/2026-09", "out/2026-10", "--out", "d", "--json");
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    const before = listedIds(await readFile(join(work(), "out/2026-09/flagged.csv"), "utf8"));
    const after = listedIds(await readFile(join(work(), "out/2026-10/flagged.csv"), "utf8"));
    expect(difference(after, before)).toEqual(["H002"]);
    expect(difference(before, after)).toEqual(["H003"]);
    expect(json.entered).toBe(difference(after, before).length);
    expect(json.exited).toBe(difference(before, after).length);
    expect(json.old).toEqual({ period: "2026-09", households: before.size });
    expect(json.new).toEqual({ period: "2026-10", households: after.size });
    expect(json.byChange).toEqual({ 新增: 1, 移出: 1, 类别变化: 0, 等级变化: 0, 状态变化: 0 });
    const union = new Set([...before, ...after]).size;
    const total = (m: Record<string, Record<string, number>>) => Object.values(m).reduce((s, r) => s + Object.values(r).reduce((a, b) => a + b, 0), 0);
    expect(total(json.categoryMatrix)).toBe(union);
    expect(total(json.colorMatrix)).toBe(union);

    const diffRows = parse(await readFile(join(work(), "d/diff.csv"), "utf8"), { bom: true, columns: true }) as Record<string, string>[];
    expect(diffRows.filter((r) => r["变化"] === "新增").map((r) => r["户编号"])).toEqual(difference(after, before));
    expect(diffRows.filter((r) => r["变化"] === "移出").map((r) => r["户编号"])).toEqual(difference(before, after));
  });

  it("writes a diff.xlsx that exceljs reads back with the four sheets", async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(work(), "d/diff.xlsx"));
    expect(book.worksheets.map((s) => s.name)).toEqual(["变化明细", "类别转移", "颜色转移", "分地区"]);
    expect(book.getWorksheet("变化明细")!.getRow(2).getCell(5).value).toBe("新增");
  });

  it("compares the two scans' flagged.xlsx files the same way, and prints nothing on stdout without --json", async () => {
    const run = await povwatch("diff", "out/2026-09/flagged.xlsx", "out/2026-10/flagged.xlsx", "--out", "dx");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(await readFile(join(work(), "dx/diff.csv"), "utf8")).toBe(await readFile(join(work(), "d/diff.csv"), "utf8"));
  });

  it("on a disk that fills up while writing diff.csv, leaves the earlier diff.xlsx and diff.csv as they were (exit 1)", async () => {
    await mkdir(join(work(), "full"));
    await writeFile(join(work(), "full", "diff.xlsx"), "earlier xlsx");
    await writeFile(join(work(), "full", "diff.csv"), "earlier csv");
    const run = await runCli(["diff", "out/2026-09", "out/2026-10", "--out", "full"], {
      cwd: work(),
      env: { NODE_OPTIONS: `--import=${pathToFileURL(join(ROOT, "tests/helpers/fullDisk.mjs")).href}`, POVWATCH_TEST_FULL_DISK: "diff.csv" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("full: cannot write the outputs (disk full); earlier outputs were left as they were");
    expect((await readdir(join(work(), "full"))).sort()).toEqual(["diff.csv", "diff.xlsx"]);
    expect(await readFile(join(work(), "full", "diff.xlsx"), "utf8")).toBe("earlier xlsx");
    expect(await readFile(join(work(), "full", "diff.csv"), "utf8")).toBe("earlier csv");
  });

  it("diff of a list with itself has no change rows", async () => {
    const run = await povwatch("diff", "out/2026-10", "out/2026-10", "--out", "same", "--json");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ entered: 0, exited: 0, changed: 0, unchanged: 3 });
    expect((await readFile(join(work(), "same/diff.csv"), "utf8")).trim().split("\r\n")).toHaveLength(1);
  });

  it("warns on stderr when the periods are reversed, naming both", async () => {
    const run = await povwatch("diff", "out/2026-10", "out/2026-09", "--out", "rev");
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("warning: the lists look reversed: OLD out/2026-10/flagged.csv is 2026-10 but NEW out/2026-09/flagged.csv is 2026-09");
  });

  it("warns on stderr when the lists were made with different policies, naming both", async () => {
    await cp(join(work(), "out/2026-10"), join(work(), "other/2026-10"), { recursive: true });
    const runJson = JSON.parse(await readFile(join(work(), "other/2026-10/run.json"), "utf8"));
    runJson.policy.name = "云南2026";
    await writeFile(join(work(), "other/2026-10/run.json"), JSON.stringify(runJson));
    const run = await povwatch("diff", "out/2026-09", "other/2026-10", "--out", "pol");
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: the lists were made with different policies: OLD ".+", NEW "云南2026"/);
  });

  it("stops with exit 1 on duplicate 户编号, listing them with their rows, and writes nothing", async () => {
    const text = await readFile(join(work(), "out/2026-10/flagged.csv"), "utf8");
    const lines = text.trimEnd().split("\r\n");
    await mkdir(join(work(), "dup"), { recursive: true });
    await writeFile(join(work(), "dup/flagged.csv"), [...lines, lines[1]].join("\r\n") + "\r\n");
    const run = await povwatch("diff", "out/2026-09", "dup/flagged.csv", "--out", "dup-out");
    expect(run.code).toBe(1);
    const id = lines[1]!.split(",")[0];
    expect(run.stderr).toContain(`error: dup/flagged.csv: column 户编号 must identify one row, but 1 value occurs more than once: ${id} (rows 2, 5)`);
    expect(run.stdout).toBe("");
    expect(existsSync(join(work(), "dup-out/diff.csv"))).toBe(false);
  });

  it("refuses a file that is not a monitoring list (exit 1)", async () => {
    const run = await povwatch("diff", "income.csv", "out/2026-10");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error: income.csv: not a monitoring list (it has 户编号 but none of 状态, 当前监测类别, 建议监测类别, 风险等级 (row 1))");
  });

  it.each([
    ["a missing NEW", ["diff", "out/2026-09"]],
    ["an unknown --lang", ["diff", "out/2026-09", "out/2026-10", "--lang", "fr"]],
    ["an empty --fields", ["diff", "out/2026-09", "out/2026-10", "--fields", ","]],
    ["a --key column the lists do not have", ["diff", "out/2026-09", "out/2026-10", "--key", "编号"]],
  ])("is a usage error (exit 2): %s", async (_, args) => {
    const run = await povwatch(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
  });
});

describe("povwatch diff --key COL --fields A,B (any two tables)", () => {
  it("compares two CSVs with different column orders and writes 变化明细 and 汇总", async () => {
    await writeFile(join(work(), "a.csv"), "户编号,家庭人口数,户类型\nH001,2,一般农户\nH002,3,脱贫户\nH003,4,一般农户\n");
    await writeFile(join(work(), "b.csv"), "户类型,户编号,家庭人口数\n一般农户,H001,2\n脱贫户,H002,5\n一般农户,H009,1\n");
    const run = await povwatch("diff", "a.csv", "b.csv", "--key", "户编号", "--fields", "家庭人口数,户类型", "--out", "g", "--json");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      key: "户编号",
      fields: ["家庭人口数", "户类型"],
      old: { file: "a.csv", rows: 3 },
      new: { file: "b.csv", rows: 3 },
      entered: 1,
      exited: 1,
      changed: 1,
      unchanged: 1,
      byField: { 家庭人口数: 1, 户类型: 0 },
    });
    expect(await readFile(join(work(), "g/diff.csv"), "utf8")).toBe(
      "\uFEFF户编号,变化,变化字段,原家庭人口数,新家庭人口数,原户类型,新户类型\r\n" +
        "H009,新增,,,1,,一般农户\r\n" +
        "H003,移出,,4,,一般农户,\r\n" +
        "H002,变化,家庭人口数,3,5,脱贫户,脱贫户\r\n",
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(work(), "g/diff.xlsx"));
    expect(book.worksheets.map((s) => s.name)).toEqual(["变化明细", "汇总"]);
  });

  it("names the file and column when the key is missing on one side (exit 2)", async () => {
    await writeFile(join(work(), "c.csv"), "编号,家庭人口数\nH001,2\n");
    const run = await povwatch("diff", "a.csv", "c.csv", "--key", "户编号", "--fields", "家庭人口数");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: c.csv: no column "户编号" (the --key column) in its first 20 rows');
  });
});
