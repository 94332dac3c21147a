/**
 * `povwatch check` through the built binary (node bin/povwatch.js), on a small member-level export in a temporary
 * work folder.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";
import { useTempDir } from "../helpers/tmp.js";

const tempDir = useTempDir("povwatch-e2e-check-");
let work: string;

/** Runs povwatch with `args` in the work folder, without a TTY or colour (dist/ is built by the global setup). */
function povwatch(...args: string[]) {
  return runCli(args, { cwd: work });
}

const MEMBERS = [
  "XX县防返贫监测对象成员信息表",
  "户编号,县,乡,村,家庭人口数,监测对象类别,风险是否已消除,致贫/返贫风险1,合规自付支出,姓名,证件号码,与户主关系,性别,出生日期,劳动技能",
  "H001,某县,城关镇,一村,2,边缘易致贫户,否,因病,,张三,130434199001011235,户主,男,1990-01-01,普通劳动力",
  "H001,某县,城关镇,一村,2,边缘易致贫户,否,因病,,李四,130434199202021244,配偶,男,1992-02-02,普通劳动力",
  "H002,某县,城关镇,二村,0,,,,,王五,130434900101123,户主,男,1990-01-01,普通劳动力",
  "H003,某县,城关镇,二村,3,,,,,赵六,130434199001011234,户主,男,1990-01-01,普通劳动力",
].join("\n");
const INCOME = ["户编号,年月,纯收入", "H001,2026-09,900", "H003,2026-10,1000"].join("\n");

const EXPECTED_CSV = [
  "规则编号,严重程度,户编号,证件号码,文件,工作表,行,说明",
  "Q001,错误,H001,130434********1235,in/members.csv,,3,证件号码校验位错误（按GB 11643-1999应为4）",
  "Q005,警告,H003,,in/members.csv,,6,家庭人口数为3，成员信息有1人",
  "Q006,警告,H001,130434********1244,in/members.csv,,4,户主与配偶性别相同（男）",
  "Q009,警告,H001,,in/members.csv,,3,风险类型为因病，但合规自付支出为空且无医疗预警数据",
  "Q015,提示,H001,,in/members.csv,,3,监测户缺少2026-08、2026-10的收入记录",
  "Q016,错误,H002,,in/members.csv,,5,家庭人口数为0，不是正数",
];

beforeAll(async () => {
  work = tempDir();
  await mkdir(join(work, "in"));
  await writeFile(join(work, "in", "members.csv"), MEMBERS);
  await writeFile(join(work, "in", "income.csv"), INCOME);
});

/** The CSV's lines without BOM and line ends. */
async function csvLines(path: string): Promise<string[]> {
  const text = await readFile(path, "utf8");
  return text.replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l !== "");
}

describe("povwatch check", () => {
  it("writes audit.csv with one row per finding, masked, in rule/file/row order, and exits 0", async () => {
    const run = await povwatch("check", "in", "--out", "out1");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(await csvLines(join(work, "out1", "audit.csv"))).toEqual(EXPECTED_CSV);
    expect(run.stderr).toContain("6 findings (error 2, warning 3, note 1); period 2026-10");
    expect(run.stderr).not.toContain("130434199001011235");
    expect((await readdir(join(work, "out1"))).sort()).toEqual(["audit.csv", "audit.xlsx"]);
  });

  it("gives the same audit.csv with the ID facts computed in a worker thread and on one thread", async () => {
    const stats = (stderr: string) => JSON.parse(/^povwatch-stats (\{.*\})$/m.exec(stderr)![1]!) as { idFactsWorkers: { started: number; fellBack: number } };
    const worker = await runCli(["check", "in", "--out", "out-facts-worker"], { cwd: work, env: { POVWATCH_FACTS_WORKER_MIN: "0", POVWATCH_STATS: "1" } });
    expect(worker.code).toBe(0);
    expect(stats(worker.stderr).idFactsWorkers).toEqual({ started: 1, fellBack: 0 });
    expect(await csvLines(join(work, "out-facts-worker", "audit.csv"))).toEqual(EXPECTED_CSV);
    const single = await runCli(["check", "in", "--out", "out-facts-single"], { cwd: work, env: { POVWATCH_WORKERS: "0", POVWATCH_FACTS_WORKER_MIN: "0", POVWATCH_STATS: "1" } });
    expect(stats(single.stderr).idFactsWorkers.started).toBe(0);
    expect(await csvLines(join(work, "out-facts-single", "audit.csv"))).toEqual(EXPECTED_CSV);
  });

  it("writes audit.xlsx with 汇总 and one sheet per rule with findings", async () => {
    await povwatch("check", "in", "--out", "out2");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(work, "out2", "audit.xlsx"));
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      "汇总",
      "Q001 证件号码校验",
      "Q005 家庭人口数与成员数不符",
      "Q006 户主配偶同性别",
      "Q009 因病无合规自付支出",
      "Q015 近3个月缺收入记录",
      "Q016 家庭人口数异常",
    ]);
    const q001 = workbook.getWorksheet("Q001 证件号码校验")!;
    expect(q001.getRow(2).getCell(4).value).toBe("130434********1235");
  });

  it("prints { findings, byRule, bySeverity } with --json and nothing else on stdout", async () => {
    const run = await povwatch("check", "in", "--out", "out3", "--json", "--rules", "Q001,Q016,Q018");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      findings: 2,
      byRule: { Q001: 1, Q016: 1, Q018: 0 },
      bySeverity: { error: 2, warning: 0, note: 0 },
    });
    expect(run.stdout.trim().split("\n").length).toBe(1);
  });

  it("writes English headers, severities and messages with --lang en", async () => {
    await povwatch("check", "in", "--out", "out4", "--lang", "en", "--rules", "Q016");
    expect(await csvLines(join(work, "out4", "audit.csv"))).toEqual([
      "rule,severity,household_id,id_number,file,sheet,row,message",
      "Q016,error,H002,,in/members.csv,,5,\"household size is 0, not positive\"",
    ]);
  });

  it.each([
    [["--fail-on", "error"], 3],
    [["--fail-on", "error", "--rules", "-Q001,-Q016"], 0],
    [["--fail-on", "warning", "--rules", "-Q001,-Q016"], 3],
    [["--fail-on", "note", "--rules", "Q018"], 0],
  ])("exits %j → %i (data-quality gate)", async (extra, code) => {
    expect((await povwatch("check", "in", "--out", "out5", ...extra)).code).toBe(code);
  });

  it.each([
    [["--rules", "Q001,Q099"], 'unknown rule code "Q099"'],
    [["--period", "2026/10"], "--period: expected a month YYYY-MM"],
    [["--lang", "fr"], "--lang: expected zh or en"],
    [["--fail-on", "fatal"], "--fail-on: expected error, warning or note"],
  ])("refuses %j with exit 2 and writes nothing", async (extra, message) => {
    const run = await povwatch("check", "in", "--out", "out6", ...extra);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(existsSync(join(work, "out6"))).toBe(false);
  });

  it("reads with the options every reading command shares: a month after this one is rejected, --income assigns a kind", async () => {
    await mkdir(join(work, "future"));
    await writeFile(join(work, "future", "收入.txt"), ["户编号,年月,纯收入", "H001,2026-09,900", "H001,2099-01,900"].join("\n"));
    const run = await povwatch("check", "--income", "future/收入.txt", "--out", "out8", "--rules", "Q015");
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("period 2026-09; 1 rows rejected while reading");
  });

  it.each(["check", "scan", "inspect"])("%s with nothing to read is a usage error (exit 2)", async (command) => {
    const run = await povwatch(command, ...(command === "inspect" ? [] : ["--out", "out9"]));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${command}: no INPUTS given (files, folders or globs; - reads a CSV from stdin)`);
  });

  it("lists the rules on stdout with --list-rules, reading nothing", async () => {
    const run = await povwatch("check", "--list-rules");
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines.length).toBe(18);
    expect(lines[0]).toBe("Q001\t错误\t证件号码校验");
    expect(lines[17]).toBe("Q018\t提示\t非18位居民身份证号码");
  });

  it("on a disk that fills up while writing audit.csv, leaves the earlier audit.xlsx and audit.csv as they were (exit 1)", async () => {
    // Both files are written before either replaces its earlier version: never a new audit.xlsx beside an old audit.csv.
    await mkdir(join(work, "full"));
    await writeFile(join(work, "full", "audit.xlsx"), "earlier xlsx");
    await writeFile(join(work, "full", "audit.csv"), "earlier csv");
    const run = await runCli(["check", "in", "--out", "full"], {
      cwd: work,
      env: { NODE_OPTIONS: `--import=${pathToFileURL(join(ROOT, "tests/helpers/fullDisk.mjs")).href}`, POVWATCH_TEST_FULL_DISK: "audit.csv" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("full: cannot write the outputs (disk full); earlier outputs were left as they were");
    expect((await readdir(join(work, "full"))).sort()).toEqual(["audit.csv", "audit.xlsx"]);
    expect(await readFile(join(work, "full", "audit.xlsx"), "utf8")).toBe("earlier xlsx");
    expect(await readFile(join(work, "full", "audit.csv"), "utf8")).toBe("earlier csv");
  });

  it("gives the same files on a second run", async () => {
    await povwatch("check", "in", "--out", "out7");
    const first = await readFile(join(work, "out7", "audit.xlsx"));
    await povwatch("check", "in", "--out", "out7");
    expect(Buffer.compare(first, await readFile(join(work, "out7", "audit.xlsx")))).toBe(0);
  });
});
