/**
 * Self-test of the benchmark's reference (`node bench/selftest.js`, also run first by `npm run bench`): a small
 * hand-made export set whose verdicts follow from rules.md by hand, checked household by household against the DuckDB
 * reference (bench/duckdbRef.js) and against `povwatch scan` (flagged.csv). So a disagreement at 1 M households can
 * be told apart from a defect of the reference itself.
 *
 * Prints one line per failed expectation and `N passed, M failed`; exit code 1 when any failed.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "csv-parse/sync";
import { runReference } from "./duckdbRef.js";
import { ensureBuilt, removeDir, runCli, tempDir } from "./lib.js";

/** The window W for P = 2026-10: 2025-11 … 2026-10. */
const W = ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"];

/**
 * The cases: household size, type, monthly per-capita net by month (undefined = no record), 人均纯收入, 合规自付支出,
 * events, and the expected { category, streak, triggers } (rules.md §3–§7, default policy: L 6000, l 500).
 */
export const CASES = [
  { id: "H01", note: "steady income above the line: not at risk", size: 2, pc: W.map(() => 1000),
    expect: { category: "", streak: 0, triggers: [] } },
  { id: "H02", note: "脱贫户 below the line all year: 脱贫不稳定户", type: "脱贫户", size: 1, pc: W.map(() => 400),
    expect: { category: "脱贫不稳定户", streak: 12, triggers: ["STREAK"] } },
  { id: "H03", note: "4 low months ending at P, annual above L: 突发严重困难户", size: 2, pc: W.map((_, i) => (i >= 8 ? 400 : 1000)),
    expect: { category: "突发严重困难户", streak: 4, triggers: ["STREAK"] } },
  { id: "H04", note: "a missing month (2026-09) ends the streak", size: 2, pc: W.map((m, i) => (m === "2026-09" ? undefined : i >= 8 ? 400 : 1000)),
    expect: { category: "", streak: 1, triggers: [] } },
  { id: "H05", note: "exactly at the monthly line is not low", size: 1, pc: W.map((_, i) => (i >= 9 ? 500 : 1000)),
    expect: { category: "", streak: 0, triggers: [] } },
  { id: "H06", note: "2 recorded months: annualPc from 人均纯收入 5000 < L → 边缘易致贫户", size: 1, givenPc: "5000.00",
    pc: W.map((m) => (m === "2026-09" || m === "2026-10" ? 400 : undefined)),
    expect: { category: "边缘易致贫户", streak: 2, triggers: [] } },
  { id: "H07", note: "medical event by 证件号码 only (matched through members), 12000 self-paid", size: 1, pc: W.map(() => 1000),
    events: [["医保", "", "ID", "医疗", "2026-03-15", "20000.00", "8000.00", "12000.00", ""]],
    expect: { category: "突发严重困难户", streak: 0, triggers: ["MEDICAL"] } },
  { id: "H08", note: "medical event before W ignored; 合规自付支出 11000 used instead", size: 1, pc: W.map(() => 1000), compliant: "11000.00",
    events: [["医保", "H08", "", "医疗", "2025-10-31", "", "", "20000.00", ""]],
    expect: { category: "突发严重困难户", streak: 0, triggers: ["MEDICAL"] } },
  { id: "H09", note: "a medical event in W (100) wins over 合规自付支出 20000", size: 1, pc: W.map(() => 1000), compliant: "20000.00",
    events: [["医保", "H09", "", "医疗", "2026-01-02", "", "", "100.00", ""]],
    expect: { category: "", streak: 0, triggers: [] } },
  { id: "H10", note: "education 6000 ≥ 0.5 × household annual net 12000 (income share)", size: 1, pc: W.map(() => 1000),
    events: [["教育", "H10", "", "教育", "2026-09-01", "", "", "6000.00", ""]],
    expect: { category: "突发严重困难户", streak: 0, triggers: ["EDUCATION"] } },
  { id: "H11", note: "disaster 9000 < 10000 and < 0.5 × 36000: no trigger", size: 3, pc: W.map(() => 1000),
    events: [["应急管理", "H11", "", "灾害", "2026-06-20", "", "", "", "9000.00"]],
    expect: { category: "", streak: 0, triggers: [] } },
  { id: "H12", note: "amount = 总费用 − 报销金额 when 自付金额 is blank (15000 − 3000)", size: 2, pc: W.map(() => 1000),
    events: [["医保", "H12", "", "医疗", "2026-10-31", "15000.00", "3000.00", "", ""]],
    expect: { category: "突发严重困难户", streak: 0, triggers: ["MEDICAL"] } },
  { id: "H13", note: "accident exactly 10000 triggers (≥); 事件类型 blank, 应急管理 → 灾害 for the second event", size: 4, pc: W.map(() => 1000),
    events: [["应急管理", "H13", "", "意外事故", "2026-02-10", "", "", "", "10000.00"], ["应急管理", "H13", "", "", "2026-02-11", "", "", "", "500.00"]],
    expect: { category: "突发严重困难户", streak: 0, triggers: ["ACCIDENT"] } },
  { id: "H14", note: "exactly 3 months at 499.99: STREAK", size: 1, pc: W.map((_, i) => (i >= 9 ? 499.99 : 1000)),
    expect: { category: "突发严重困难户", streak: 3, triggers: ["STREAK"] } },
  { id: "H15", note: "income halved against a year before (15 months of data): INCOME_DROP", size: 1,
    before: ["2025-08", "2025-09", "2025-10"].map((m) => [m, 2000]), pc: W.map((_, i) => (i >= 9 ? 900 : 1000)),
    expect: { category: "突发严重困难户", streak: 0, triggers: ["INCOME_DROP"] } },
];

const HOUSEHOLD_HEADER = "户编号,省,市,县,乡,村,行政区划代码,户主姓名,户主证件号码,户类型,家庭人口数,监测对象类别,识别监测时间,风险是否已消除,风险消除时间,风险消除方式,致贫/返贫风险1,致贫/返贫风险2,人均纯收入,合规自付支出,整户无劳动能力兜底保障户";
const MEMBER_HEADER = "户编号,人口编号,姓名,证件号码,与户主关系,性别,出生日期,健康状况,劳动技能,在校生状况,务工时间（月）,是否享受低保,是否特困供养人员";
const INCOME_HEADER = "户编号,年月,工资性收入,生产经营性收入,财产性收入,转移性收入,生产经营性支出";
const EVENT_HEADER = "数据来源,户编号,证件号码,事件类型,发生日期,总费用,报销金额,自付金额,损失金额";

/** A valid 18-digit resident ID (GB 11643 check digit) for the n-th person. */
export function residentId(n) {
  const body = `130434198001${String(1 + (n % 28)).padStart(2, "0")}${String(100 + n).padStart(3, "0")}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return body + "10X98765432"[sum % 11];
}

/** Writes the cases as an export set (four CSV files) into `dir`. */
export function writeCases(dir, cases = CASES) {
  const households = [HOUSEHOLD_HEADER];
  const members = [MEMBER_HEADER];
  const income = [INCOME_HEADER];
  const events = [EVENT_HEADER];
  let person = 0;
  for (const c of cases) {
    const ids = [];
    for (let k = 0; k < c.size; k++) {
      const id = residentId(person++);
      ids.push(id);
      const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
      members.push([c.id, `${c.id}${k + 1}`, k === 0 ? "张三" : "张四", id, k === 0 ? "户主" : "之子", "男", birth, "健康", "普通劳动力", "非在校生", "6", "否", "否"].join(","));
    }
    households.push([c.id, "河北省", "石家庄市", "西岭县", "东镇", "一村", "130137101201", "张三", ids[0], c.type ?? "一般农户", c.size, "", "", "", "", "", "", "", c.givenPc ?? "12000.00", c.compliant ?? "0.00", "否"].join(","));
    const months = [...(c.before ?? []).map(([m, pc]) => [m, pc]), ...W.map((m, i) => [m, c.pc[i]])];
    for (const [m, pc] of months) {
      if (pc === undefined) continue;
      // the whole net as wage income; cents, so that net / size is the intended pc
      income.push([c.id, m, (pc * c.size).toFixed(2), "0.00", "0.00", "0.00", "0.00"].join(","));
    }
    for (const e of c.events ?? []) events.push(e.map((v) => (v === "ID" ? ids[0] : v)).join(","));
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "households.csv"), households.join("\r\n") + "\r\n");
  writeFileSync(join(dir, "members.csv"), members.join("\r\n") + "\r\n");
  writeFileSync(join(dir, "income.csv"), income.join("\r\n") + "\r\n");
  writeFileSync(join(dir, "events.csv"), events.join("\r\n") + "\r\n");
}

const TRIGGER_LABELS = { 连续低收入: "STREAK", 医疗支出: "MEDICAL", 教育支出: "EDUCATION", 灾害损失: "DISASTER", 意外事故: "ACCIDENT", 收入骤减: "INCOME_DROP" };

/** The verdicts of flagged.csv: id → { category, streak, triggers } (households not listed are absent). */
export function readFlagged(path) {
  const rows = parse(readFileSync(path), { bom: true, columns: true });
  return new Map(rows.map((r) => [r["户编号"], {
    category: r["建议监测类别"],
    streak: Number(r["连续低收入月数"]),
    triggers: r["预警信号"] ? r["预警信号"].split("；").map((t) => TRIGGER_LABELS[t] ?? t) : [],
  }]));
}

const TRIGGER_COLUMNS = [["t_streak", "STREAK"], ["t_medical", "MEDICAL"], ["t_education", "EDUCATION"], ["t_disaster", "DISASTER"], ["t_accident", "ACCIDENT"], ["income_drop", "INCOME_DROP"]];

/** The DuckDB reference's verdicts on `dir`: id → { category, streak, triggers }. */
export async function referenceVerdicts(dir) {
  const ref = await runReference(dir, { keep: true });
  try {
    const rows = (await ref.connection.runAndReadAll("SELECT * FROM res ORDER BY hid")).getRowObjectsJS();
    return new Map(rows.map((r) => [r.hid, {
      category: r.category ?? "",
      streak: Number(r.streak),
      triggers: TRIGGER_COLUMNS.filter(([col]) => r[col]).map(([, t]) => t),
    }]));
  } finally {
    ref.connection.disconnectSync();
  }
}

/** Compares the verdicts of each side with the expectations; returns { passed, failures: [text] }. */
export function checkVerdicts(sides, cases = CASES) {
  let passed = 0;
  const failures = [];
  for (const c of cases) {
    for (const [side, verdicts] of Object.entries(sides)) {
      // flagged.csv has no row for a household that is not listed: it has no category and no trigger, and its streak
      // cannot be read there (so it is not checked)
      const listed = verdicts.get(c.id);
      const got = listed ?? { category: "", triggers: [] };
      const keys = listed || side !== "povwatch" ? ["category", "streak", "triggers"] : ["category", "triggers"];
      for (const key of keys) {
        const want = JSON.stringify(c.expect[key]);
        const have = JSON.stringify(got[key]);
        if (want === have) passed++;
        else failures.push(`${side} ${c.id} (${c.note}): ${key} ${have}, expected ${want}`);
      }
    }
  }
  return { passed, failures };
}

/** Runs the self-test; returns the exit code. */
export async function main() {
  ensureBuilt();
  const dir = tempDir("povwatch-selftest-");
  try {
    writeCases(join(dir, "in"));
    const reference = await referenceVerdicts(join(dir, "in"));
    const scan = await runCli(["scan", join(dir, "in"), "--format", "csv", "--period", "2026-10", "--out", join(dir, "out"), "--quiet"]);
    if (scan.code !== 0) throw new Error(`povwatch scan exited ${scan.code}: ${scan.stderr}`);
    const povwatch = readFlagged(join(dir, "out", "2026-10", "flagged.csv"));
    const { passed, failures } = checkVerdicts({ duckdb: reference, povwatch });
    for (const f of failures) process.stdout.write(`FAIL ${f}\n`);
    process.stdout.write(`selftest: ${passed} passed, ${failures.length} failed\n`);
    return failures.length ? 1 : 0;
  } finally {
    removeDir(dir);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main();
}
