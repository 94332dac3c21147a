/**
 * `povwatch scan` through the built binary: the demo county against verdicts worked out by hand
 * (fixtures/demo/README.md), row accounting, determinism, the summary read back, --json, --lang en, --split-by,
 * --format, the policy file, the reject-rate gate, masking, CSV injection and the output-folder lock.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";
import { useTempDir } from "../helpers/tmp.js";

const tempDir = useTempDir("povwatch-scan-");
const DEMO = join(ROOT, "fixtures", "demo");
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** flagged.csv as objects keyed by header (BOM stripped; no quoted line breaks in these fixtures). */
async function readFlagged(dir: string): Promise<Record<string, string>[]> {
  const text = (await readFile(join(dir, "flagged.csv"), "utf8")).replace(/^\uFEFF/, "");
  const { parse } = await import("csv-parse/sync");
  const rows = parse(text) as string[][];
  const header = rows[0]!;
  return rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]!])));
}

async function scanDemo(name: string, extra: string[] = []) {
  const out = join(tempDir(), name);
  const run = await runCli(["scan", DEMO, "--period", "2026-10", "--out", out, ...extra], { cwd: tempDir() });
  return { run, dir: join(out, "2026-10") };
}

describe("scan of the demo county", () => {
  it("lists exactly the 16 planted households with the verdicts worked out by hand", async () => {
    const { run, dir } = await scanDemo("demo");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    const list = await readFlagged(dir);
    expect(list).toHaveLength(16);
    const byId = new Map(list.map((r) => [r["户编号"], r]));
    const pick = (id: string, cols: string[]) => cols.map((c) => byId.get(id)?.[c]);
    const COLS = ["状态", "当前监测类别", "建议监测类别", "风险等级", "风险程度", "预警信号", "连续低收入月数", "低收入月份", "年化人均纯收入", "监测标准"];
    // exactly three low months ending at P: STREAK on an income above the line → 突发严重困难户, yellow
    expect(pick("013710120100003", COLS)).toEqual(["新识别", "", "突发严重困难户", "黄", "较易致贫", "连续低收入", "3", "2026-08～2026-10", "9290.00", "6000.00"]);
    // below the poverty line and twelve low months: red
    expect(pick("013720220400010", COLS)).toEqual(["新识别", "", "边缘易致贫户", "红", "极易致贫", "连续低收入", "12", "2025-11～2026-10", "3630.00", "6000.00"]);
    // a missing month (empty wide cell) ends the streak: only 2 months, so no STREAK and orange stays orange
    expect(pick("013720220300007", COLS)).toEqual(["新识别", "", "边缘易致贫户", "橙", "极易致贫", "", "2", "2026-09～2026-10", "5743.64", "6000.00"]);
    // monitored, stable for six months, identified 2025-09: 建议消除
    expect(pick("013720120400003", COLS)).toEqual(["建议消除", "边缘易致贫户", "", "绿", "稳定", "", "0", "", "9600.00", "6000.00"]);
    // monitored with a large medical bill: the suggested category changes
    expect(pick("013720220200012", [...COLS, "近12月医疗自付"])).toEqual(["持续监测", "边缘易致贫户", "突发严重困难户", "黄", "较易致贫", "医疗支出", "0", "", "9120.00", "6000.00", "12300.00"]);
    expect(byId.get("013720220200012")!["说明"]).toContain("类别变化: 边缘易致贫户→突发严重困难户");
    // medical bills matched by ID number through the members table
    expect(pick("013710120400011", ["预警信号", "近12月医疗自付"])).toEqual(["医疗支出", "14700.00"]);
    // income dropped by more than half against the same months a year before
    expect(pick("013720120300008", ["预警信号", "收入降幅"])).toEqual(["收入骤减", "0.5609"]);
    // a no-labour household is never suggested for elimination
    expect(byId.get("013720120400009")!["说明"]).toContain("无劳动能力户暂不消除");
    // monthly pc exactly at the line is not low; two low months are not a streak
    expect(byId.has("013710120200005")).toBe(false);
    expect(byId.has("013710120100009")).toBe(false);
    expect(byId.get("013720120100012")!["说明"]).toBe("年化人均纯收入5,800.00元低于年监测标准6,000.00元；2026-05至2026-10连续6个月人均纯收入低于月监测标准500.00元");
  });

  it("sorts by status, then colour (red first), then region, then 户编号", async () => {
    const { dir } = await scanDemo("order");
    const list = await readFlagged(dir);
    const status = ["新识别", "持续监测", "建议消除"];
    const colour = ["红", "橙", "黄", "绿"];
    const keys = list.map((r) => [status.indexOf(r["状态"]!), colour.indexOf(r["风险等级"]!)]);
    const sorted = [...keys].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    expect(keys).toEqual(sorted);
  });

  it("accounts for every row of every table in run.json, and prints the same counts on stderr", async () => {
    const { run, dir } = await scanDemo("accounting");
    const manifest = JSON.parse(await readFile(join(dir, "run.json"), "utf8"));
    const tables = manifest.inputs.flatMap((f: { tables: object[] }) => f.tables);
    expect(tables.length).toBe(7);
    for (const t of tables) expect(t.read).toBe(t.accepted + t.rejected + t.skipped + t.duplicates);
    const members = tables.find((t: { kind: string }) => t.kind === "members");
    expect(members).toMatchObject({ sheet: "监测对象信息", headerRow: 4, read: 663, accepted: 660, skipped: 3 });
    expect(run.stderr).toContain("members, rows read 663 = accepted 660 + rejected 0 + skipped 3 + duplicates 0");
    expect(manifest.counts).toMatchObject({ households: 204, persons: 660, listed: 16, byStatus: { new: 11, continuing: 4, suggest_elimination: 1 } });
    expect(manifest.outputs).toEqual(["flagged.csv", "flagged.xlsx", "summary.xlsx", "rejects.csv", "run.json"]);
    expect(manifest.personalDataRevealed).toBe(false);
  });

  it("gives byte-identical files on two runs of the same input", async () => {
    const a = await scanDemo("same-a");
    const b = await scanDemo("same-b");
    for (const f of ["flagged.csv", "flagged.xlsx", "rejects.csv"]) {
      expect(sha256(await readFile(join(a.dir, f))), f).toBe(sha256(await readFile(join(b.dir, f))));
    }
    // summary.xlsx carries the command line (and so the --out folder) on 参数: the same command twice, same bytes
    const summary = join(tempDir(), "same-c", "2026-10", "summary.xlsx");
    expect((await runCli(["scan", DEMO, "--period", "2026-10", "--out", "same-c"], { cwd: tempDir() })).code).toBe(0);
    const first = sha256(await readFile(summary));
    expect((await runCli(["scan", DEMO, "--period", "2026-10", "--out", "same-c"], { cwd: tempDir() })).code).toBe(0);
    expect(sha256(await readFile(summary))).toBe(first);
  });

  it("writes a summary workbook with the six sheets whose totals equal the list's counts", async () => {
    const { dir } = await scanDemo("summary");
    const list = await readFlagged(dir);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, "summary.xlsx"));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["总览", "分地区", "风险类型", "收入分布", "数据质量", "参数"]);
    const overview = new Map<string, number>();
    wb.getWorksheet("总览")!.eachRow((row) => {
      const [group, item, households] = (row.values as unknown[]).slice(1);
      if (typeof households === "number") overview.set(`${group}/${item}`, households);
    });
    const count = (col: string, value: string) => list.filter((r) => r[col] === value).length;
    expect(overview.get("监测名单/合计")).toBe(list.length);
    for (const s of ["新识别", "持续监测", "建议消除"]) expect(overview.get(`状态/${s}`)).toBe(count("状态", s));
    for (const c of ["红", "橙", "黄", "绿"]) expect(overview.get(`风险等级/${c}`)).toBe(count("风险等级", c));
    for (const t of ["连续低收入", "医疗支出", "教育支出", "灾害损失", "收入骤减"]) {
      expect(overview.get(`预警信号/${t}`)).toBe(list.filter((r) => r["预警信号"]!.split("；").includes(t)).length);
    }
    const cell = wb.getWorksheet("总览")!.getRow(12).getCell(3);
    expect(typeof cell.value).toBe("number");
  });
});

describe("scan options", () => {
  it("--json prints run.json on stdout and nothing else", async () => {
    const { run, dir } = await scanDemo("json", ["--json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(await readFile(join(dir, "run.json"), "utf8")));
  });

  it("--lang en writes English headers and codes; categories stay Chinese", async () => {
    const { dir } = await scanDemo("en", ["--lang", "en", "--format", "csv"]);
    const list = await readFlagged(dir);
    expect(Object.keys(list[0]!).slice(0, 3)).toEqual(["household_id", "province", "city"]);
    expect(new Set(list.map((r) => r.status))).toEqual(new Set(["new", "continuing", "suggest_elimination"]));
    expect(list.find((r) => r.household_id === "013720220400010")).toMatchObject({ color: "red", triggers: "STREAK", suggested_category: "边缘易致贫户" });
    expect(existsSync(join(dir, "flagged.xlsx"))).toBe(false);
  });

  it("--format csv (rows built while written) gives the same flagged.csv bytes as --format both", async () => {
    const csvOnly = await scanDemo("csv-only", ["--format", "csv"]);
    const both = await scanDemo("both", ["--format", "both"]);
    const bytes = await readFile(join(csvOnly.dir, "flagged.csv"));
    expect(bytes.length).toBeGreaterThan(1000);
    expect(bytes.equals(await readFile(join(both.dir, "flagged.csv")))).toBe(true);
  });

  it("reads the income file in a worker thread with the same outputs as on one thread", async () => {
    const runIn = async (name: string, env: Record<string, string>) => {
      const out = join(tempDir(), name);
      // The long income CSV first (the worker takes only the first income table), then the households and events.
      const files = ["月度收入_西岭镇_南沟乡_202508-202610.csv", "西岭县防返贫监测对象信息_20261101.xlsx", "医保_大额医疗费用推送_2026.csv", "应急管理_受灾户损失_2026.csv"];
      const run = await runCli(["scan", ...files.map((f) => join(DEMO, f)), "--period", "2026-10", "--out", out, "--format", "csv"], { cwd: tempDir(), env });
      expect(run.code).toBe(0);
      const dir = join(out, "2026-10");
      const manifest = JSON.parse(await readFile(join(dir, "run.json"), "utf8")) as { inputs: unknown; counts: unknown };
      return { flagged: await readFile(join(dir, "flagged.csv")), rejects: await readFile(join(dir, "rejects.csv")), inputs: manifest.inputs, counts: manifest.counts };
    };
    const worker = await runIn("worker", { POVWATCH_WORKER_MIN_BYTES: "0" });
    const single = await runIn("single", { POVWATCH_WORKERS: "0" });
    expect(worker.flagged.equals(single.flagged)).toBe(true);
    expect(worker.rejects.equals(single.rejects)).toBe(true);
    expect(worker.inputs).toEqual(single.inputs);
    expect(worker.counts).toEqual(single.counts);
    expect((worker.counts as { listed: number }).listed).toBeGreaterThan(5);
  });

  it("--split-by county adds one sheet per county to flagged.xlsx", async () => {
    const { dir } = await scanDemo("split", ["--split-by", "county", "--format", "xlsx"]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, "flagged.xlsx"));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["监测名单", "西岭县"]);
    const sheet = wb.getWorksheet("监测名单")!;
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(existsSync(join(dir, "flagged.csv"))).toBe(false);
  });

  it("masks names and ID numbers by default, and writes them in full only with --reveal-personal-data", async () => {
    const masked = await readFlagged((await scanDemo("masked", ["--format", "csv"])).dir);
    for (const r of masked) {
      expect(r["户主姓名"]).toMatch(/^\p{Script=Han}{1,2}\*+$/u);
      expect(r["户主证件号码"]).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    }
    const { run, dir } = await scanDemo("revealed", ["--format", "csv", "--reveal-personal-data"]);
    const revealed = await readFlagged(dir);
    expect(revealed[0]!["户主证件号码"]).toMatch(/^\d{17}[\dX]$/);
    expect(run.stderr).toContain("personal data written in full");
    expect(JSON.parse(await readFile(join(dir, "run.json"), "utf8")).personalDataRevealed).toBe(true);
  });

  it("applies a policy file: a county override raises the line, and 监测标准 shows it", async () => {
    const policy = join(tempDir(), "policy.json");
    await writeFile(policy, JSON.stringify({ name: "测试省 2026", overrides: [{ where: { county: "西岭县" }, from: "2026-01", monitoringLine: 9000 }] }));
    const { run, dir } = await scanDemo("policy", ["--policy", policy, "--format", "csv"]);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain("built-in national floor");
    const list = await readFlagged(dir);
    expect(list.length).toBeGreaterThan(16);
    expect(new Set(list.map((r) => r["监测标准"]))).toEqual(new Set(["9000.00"]));
  });

  it("refuses a bad policy file with the key path, exit 2, and writes nothing", async () => {
    const policy = join(tempDir(), "bad-policy.json");
    await writeFile(policy, JSON.stringify({ overrides: [{ where: { provnce: "云南省" }, monitoringLine: 8700 }] }));
    const { run } = await scanDemo("bad-policy", ["--policy", policy]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("overrides[0].where.provnce: unknown key");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(tempDir(), "bad-policy"))).toBe(false);
  });
});

describe("scan on small exports", () => {
  async function folder(name: string, files: Record<string, string>): Promise<string> {
    const dir = join(tempDir(), name);
    await mkdir(dir, { recursive: true });
    for (const [f, content] of Object.entries(files)) await writeFile(join(dir, f), content);
    return dir;
  }
  const HOUSEHOLDS = "户编号,户主姓名,户类型,家庭人口数,县,乡,村\nH1,张三,脱贫户,2,甲县,一乡,=HYPERLINK(\"x\")\nH2,李四,一般农户,1,甲县,一乡,二村\n";
  const income = (rows: string[]) => "户编号,年月,纯收入\n" + rows.join("\n") + "\n";

  it("reports on 数据质量 the same findings by rule as povwatch check", async () => {
    const dir = await folder("quality", {
      "m.csv": "户编号,姓名,证件号码,与户主关系,性别,家庭人口数\nH1,张三,11010519491231002X,户主,女,2\nH1,李四,440524188001010014,配偶,男,2\nH2,王五,11010519491231002X,之子,男,3\n",
      "i.csv": income(["H1,2026-10,100", "H2,2026-10,5000"]),
    });
    const check = await runCli(["check", "m.csv", "i.csv", "--out", "audit", "--json"], { cwd: dir });
    const byRule = JSON.parse(check.stdout).byRule as Record<string, number>;
    expect(Object.entries(byRule).filter(([, n]) => n > 0)).toEqual([["Q002", 2], ["Q003", 1], ["Q005", 1]]);
    expect((await runCli(["scan", "m.csv", "i.csv", "--out", "out"], { cwd: dir })).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, "out", "2026-10", "summary.xlsx"));
    const sheet = new Map<string, number>();
    wb.getWorksheet("数据质量")!.eachRow((row) => {
      const [code, n] = (row.values as unknown[]).slice(1);
      if (typeof code === "string" && /^Q\d{3}$/.test(code)) sheet.set(code, n as number);
    });
    expect(Object.fromEntries(sheet)).toEqual(byRule);
  });

  it("exits 3 when rejected rows exceed --max-reject-rate, and still writes the outputs", async () => {
    const dir = await folder("gate", {
      "h.csv": HOUSEHOLDS,
      "i.csv": income(["H1,2026-08,100", "H1,2026-09,100", "H1,2026-10,100", "H2,2026-10,abc", "H2,2026-09,xyz"]),
    });
    const run = await runCli(["scan", "h.csv", "i.csv", "--out", "out", "--max-reject-rate", "0.1"], { cwd: dir });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/error: rejected rows 28\.6% exceed --max-reject-rate 10\.0%/);
    const manifest = JSON.parse(await readFile(join(dir, "out", "2026-10", "run.json"), "utf8"));
    expect(manifest.qualityGate).toEqual({ maxRejectRate: 0.1, rejectRate: 2 / 7, passed: false });
    const rejects = (await readFile(join(dir, "out", "2026-10", "rejects.csv"), "utf8")).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(rejects).toHaveLength(3);
    expect(rejects[1]).toBe("i.csv,,5,纯收入,abc,金额不是数字,non-numeric amount");
  });

  it("guards CSV cells against formula injection", async () => {
    const dir = await folder("inject", { "h.csv": HOUSEHOLDS, "i.csv": income(["H1,2026-08,100", "H1,2026-09,100", "H1,2026-10,100"]) });
    const run = await runCli(["scan", "h.csv", "i.csv", "--out", "out", "--format", "csv"], { cwd: dir });
    expect(run.code).toBe(0);
    const text = await readFile(join(dir, "out", "2026-10", "flagged.csv"), "utf8");
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it("refuses an output folder locked by a live process, naming its PID, and takes over a stale lock", async () => {
    const dir = await folder("lock", { "h.csv": HOUSEHOLDS, "i.csv": income(["H1,2026-10,100"]) });
    await mkdir(join(dir, "out"), { recursive: true });
    await writeFile(join(dir, "out", ".povwatch.lock"), `${process.pid}\n`);
    const locked = await runCli(["scan", "h.csv", "i.csv", "--out", "out"], { cwd: dir });
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain(String(process.pid));
    expect(existsSync(join(dir, "out", "2026-10"))).toBe(false);
    await writeFile(join(dir, "out", ".povwatch.lock"), "999999999\n");
    const stale = await runCli(["scan", "h.csv", "i.csv", "--out", "out"], { cwd: dir });
    expect(stale.code).toBe(0);
    expect((await readdir(join(dir, "out"))).sort()).toEqual(["2026-10"]);
  });

  it("replaces an earlier run's outputs, removing list files this run does not write", async () => {
    const dir = await folder("rerun", { "h.csv": HOUSEHOLDS, "i.csv": income(["H1,2026-10,100"]) });
    expect((await runCli(["scan", "h.csv", "i.csv", "--out", "out"], { cwd: dir })).code).toBe(0);
    expect((await runCli(["scan", "h.csv", "i.csv", "--out", "out", "--format", "csv"], { cwd: dir })).code).toBe(0);
    expect((await readdir(join(dir, "out", "2026-10"))).sort()).toEqual(["flagged.csv", "rejects.csv", "run.json", "summary.xlsx"]);
  });
});
