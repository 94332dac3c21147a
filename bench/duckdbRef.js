/**
 * The benchmark's reference: DuckDB computing, from the same CSV files as `povwatch scan`, the per-household
 * quantities of rules.md §1, §3–§7 under the built-in default policy (policy.md), and the counts the benchmark
 * compares (households with STREAK, households per suggested category, households per trigger).
 *
 * Written independently of src/ (no import from dist/): the SQL is a second reading of the spec. It covers what the
 * generator writes (long income layout with the five components, months `YYYY-MM`, dates `YYYY-MM-DD`, 家庭人口数
 * always filled); see docs/decisions/bench.md for what it leaves out.
 *
 * Usage as a child process (so that its peak RSS is its own):
 *   node bench/duckdbRef.js DIR [--period 2026-10] [--threads N]
 * prints one JSON object on stdout: { counts, phases: { loadMs, computeMs }, maxRssKb, cpuMs, threads, duckdbVersion }.
 */
import { DuckDBInstance, version as duckdbVersion } from "@duckdb/node-api";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** The built-in default policy (policy.md), restated here on purpose rather than imported from src/. */
export const DEFAULT_POLICY = Object.freeze({
  monitoringLine: 6000,
  streakMonths: 3,
  minMonthsForAnnual: 3,
  incomeDropRatio: 0.5,
  rigid: Object.freeze({ medical: 10000, education: 10000, disaster: 10000, accident: 10000, incomeShare: 0.5 }),
});

/** 'YYYY-MM' → year × 12 + month − 1 (the project's month integer). */
export function monthNumber(text) {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (!m) throw new Error(`expected a month YYYY-MM, got "${text}"`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;

/** A read_csv call with explicit column types (no type sniffing: 户编号 keeps its leading zeros). */
function readCsv(path, columns) {
  const cols = Object.entries(columns)
    .map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`)
    .join(", ");
  return `read_csv(${sqlString(path)}, header = true, delim = ',', quote = '"', escape = '"', columns = {${cols}})`;
}

const V = "VARCHAR";
const D = "DOUBLE";
const HOUSEHOLD_COLUMNS = {
  户编号: V, 省: V, 市: V, 县: V, 乡: V, 村: V, 行政区划代码: V, 户主姓名: V, 户主证件号码: V, 户类型: V, 家庭人口数: "INTEGER",
  监测对象类别: V, 识别监测时间: V, 风险是否已消除: V, 风险消除时间: V, 风险消除方式: V, "致贫/返贫风险1": V, "致贫/返贫风险2": V,
  人均纯收入: D, 合规自付支出: D, 整户无劳动能力兜底保障户: V,
};
const MEMBER_COLUMNS = {
  户编号: V, 人口编号: V, 姓名: V, 证件号码: V, 与户主关系: V, 性别: V, 出生日期: V, 健康状况: V, 劳动技能: V, 在校生状况: V,
  "务工时间（月）": V, 是否享受低保: V, 是否特困供养人员: V,
};
const INCOME_COLUMNS = { 户编号: V, 年月: V, 工资性收入: D, 生产经营性收入: D, 财产性收入: D, 转移性收入: D, 生产经营性支出: D };
const EVENT_COLUMNS = { 数据来源: V, 户编号: V, 证件号码: V, 事件类型: V, 发生日期: V, 总费用: D, 报销金额: D, 自付金额: D, 损失金额: D };

/** `YYYY-MM…` text → month integer, in SQL. */
const monthSql = (col) => `(CAST(substr(${col}, 1, 4) AS INTEGER) * 12 + CAST(substr(${col}, 6, 2) AS INTEGER) - 1)`;

/**
 * The statements that load the four CSV files of `dir` into narrow tables (only the columns the rules need).
 * Events are attached to a household here: by 户编号 when non-blank, else by 证件号码 through the members.
 */
export function loadStatements(dir) {
  const f = (name) => join(dir, `${name}.csv`);
  return [
    `CREATE TEMP TABLE hh AS
       SELECT trim(户编号) AS hid, trim(户类型) AS htype, 家庭人口数 AS size, 人均纯收入 AS given_pc, 合规自付支出 AS compliant
       FROM ${readCsv(f("households"), HOUSEHOLD_COLUMNS)}`,
    // net = wage + business + property + transfer − expense, a blank amount counting as 0 (inputs.md)
    `CREATE TEMP TABLE inc AS
       SELECT trim(户编号) AS hid, ${monthSql("年月")} AS m,
              coalesce(工资性收入, 0) + coalesce(生产经营性收入, 0) + coalesce(财产性收入, 0) + coalesce(转移性收入, 0)
                - coalesce(生产经营性支出, 0) AS net
       FROM ${readCsv(f("income"), INCOME_COLUMNS)}`,
    `CREATE TEMP TABLE idx AS
       SELECT trim(证件号码) AS idn, trim(户编号) AS hid
       FROM ${readCsv(f("members"), MEMBER_COLUMNS)}
       WHERE nullif(trim(证件号码), '') IS NOT NULL`,
    // the event's amount: 自付金额, else 总费用 − 报销金额, else 损失金额 (inputs.md); 事件类型 else from 数据来源
    `CREATE TEMP TABLE ev_raw AS
       SELECT nullif(trim(户编号), '') AS hid, nullif(trim(证件号码), '') AS idn,
              coalesce(nullif(trim(事件类型), ''),
                       CASE trim(数据来源) WHEN '医保' THEN '医疗' WHEN '教育' THEN '教育' WHEN '应急管理' THEN '灾害'
                                         WHEN '残联' THEN '残疾' WHEN '人社' THEN '失业' END) AS etype,
              ${monthSql("trim(发生日期)")} AS m,
              CASE WHEN 自付金额 IS NOT NULL THEN 自付金额
                   WHEN 总费用 IS NOT NULL AND 报销金额 IS NOT NULL THEN 总费用 - 报销金额
                   ELSE 损失金额 END AS amount
       FROM ${readCsv(f("events"), EVENT_COLUMNS)}`,
    `CREATE TEMP TABLE ev AS
       SELECT hid, etype, m, amount FROM ev_raw WHERE hid IS NOT NULL AND amount IS NOT NULL
       UNION ALL
       SELECT idx.hid, e.etype, e.m, e.amount FROM ev_raw e JOIN idx ON idx.idn = e.idn
       WHERE e.hid IS NULL AND e.amount IS NOT NULL`,
  ];
}

/**
 * The per-household verdicts (table `res`) for period `period` (a month integer) under `policy`:
 * annual_pc, streak, the rigid sums and triggers, income_drop, and the suggested category.
 */
export function computeStatements(period, policy = DEFAULT_POLICY) {
  const P = period;
  const W0 = P - 11;
  const L = policy.monitoringLine;
  const r = policy.rigid;
  // householdAnnualNet = annualPc × size, only when annualPc is known and > 0 (rules.md §5)
  const rigidTest = (sum, amount) =>
    `(coalesce(${sum}, 0) > 0 AND (${sum} >= ${amount} OR (annual_pc > 0 AND ${sum} >= ${r.incomeShare} * (annual_pc * size))))`;
  return [
    `CREATE TEMP TABLE res AS
     WITH
     pcm AS (                       -- pc(h, m) for the months of W (records after P are not read)
       SELECT i.hid, i.m, i.net / h.size AS pc
       FROM inc i JOIN hh h ON h.hid = i.hid
       WHERE i.m BETWEEN ${W0} AND ${P}),
     annual AS (                    -- recorded and Σ pc over W (rules.md §4)
       SELECT hid, count(*) AS recorded, sum(pc) AS sum_pc FROM pcm GROUP BY hid),
     drop_sums AS (                 -- household net sums of P−2…P and P−14…P−12 (rules.md §6)
       SELECT hid,
              count(*) FILTER (WHERE m BETWEEN ${P - 2} AND ${P}) AS n_recent,
              sum(net) FILTER (WHERE m BETWEEN ${P - 2} AND ${P}) AS recent,
              count(*) FILTER (WHERE m BETWEEN ${P - 14} AND ${P - 12}) AS n_earlier,
              sum(net) FILTER (WHERE m BETWEEN ${P - 14} AND ${P - 12}) AS earlier
       FROM inc WHERE m BETWEEN ${P - 14} AND ${P} GROUP BY hid),
     low AS (                       -- low months of W: a record with pc < l, strictly (rules.md §3)
       SELECT hid, m FROM pcm WHERE pc < ${L} / 12.0),
     islands AS (                   -- gaps and islands: consecutive months share m − row_number()
       SELECT hid, m, m - row_number() OVER (PARTITION BY hid ORDER BY m) AS island FROM low),
     streaks AS (                   -- the island that ends at P is the current streak
       SELECT hid, count(*) AS streak FROM islands GROUP BY hid, island HAVING max(m) = ${P}),
     rigid AS (                     -- events dated inside W, summed per household and type (rules.md §5)
       SELECT hid,
              count(*) FILTER (WHERE etype = '医疗') AS medical_events,
              sum(amount) FILTER (WHERE etype = '医疗') AS medical,
              sum(amount) FILTER (WHERE etype = '教育') AS education,
              sum(amount) FILTER (WHERE etype = '灾害') AS disaster,
              sum(amount) FILTER (WHERE etype = '意外事故') AS accident
       FROM ev WHERE m BETWEEN ${W0} AND ${P} GROUP BY hid),
     base AS (
       SELECT h.hid, h.htype, h.size,
              coalesce(a.recorded, 0) AS recorded,
              CASE WHEN coalesce(a.recorded, 0) >= greatest(${policy.minMonthsForAnnual}, 1) THEN a.sum_pc * 12 / a.recorded
                   ELSE h.given_pc END AS annual_pc,
              coalesce(s.streak, 0) AS streak,
              -- no medical event in W: the households-table 合规自付支出 is the medical sum
              CASE WHEN coalesce(g.medical_events, 0) > 0 THEN g.medical ELSE h.compliant END AS medical,
              g.education, g.disaster, g.accident,
              coalesce(d.n_recent = 3 AND d.n_earlier = 3 AND d.earlier > 0
                       AND d.recent <= (1 - ${policy.incomeDropRatio}) * d.earlier, false) AS income_drop
       FROM hh h
       LEFT JOIN annual a ON a.hid = h.hid
       LEFT JOIN streaks s ON s.hid = h.hid
       LEFT JOIN rigid g ON g.hid = h.hid
       LEFT JOIN drop_sums d ON d.hid = h.hid),
     triggers AS (
       SELECT *,
              streak >= ${policy.streakMonths} AS t_streak,
              ${rigidTest("medical", r.medical)} AS t_medical,
              ${rigidTest("education", r.education)} AS t_education,
              ${rigidTest("disaster", r.disaster)} AS t_disaster,
              ${rigidTest("accident", r.accident)} AS t_accident
       FROM base)
     SELECT *,
            CASE WHEN annual_pc < ${L} THEN (CASE WHEN htype = '脱贫户' THEN '脱贫不稳定户' ELSE '边缘易致贫户' END)
                 WHEN t_streak OR t_medical OR t_education OR t_disaster OR t_accident OR income_drop THEN '突发严重困难户'
            END AS category
     FROM triggers`,
  ];
}

/** The counts compared with povwatch: households, STREAK and the other triggers, and each suggested category. */
export const COUNT_QUERY = `
  SELECT count(*) AS households,
         count(*) FILTER (WHERE t_streak) AS "STREAK",
         count(*) FILTER (WHERE t_medical) AS "MEDICAL",
         count(*) FILTER (WHERE t_education) AS "EDUCATION",
         count(*) FILTER (WHERE t_disaster) AS "DISASTER",
         count(*) FILTER (WHERE t_accident) AS "ACCIDENT",
         count(*) FILTER (WHERE income_drop) AS "INCOME_DROP",
         count(*) FILTER (WHERE category = '脱贫不稳定户') AS "脱贫不稳定户",
         count(*) FILTER (WHERE category = '边缘易致贫户') AS "边缘易致贫户",
         count(*) FILTER (WHERE category = '突发严重困难户') AS "突发严重困难户"
  FROM res`;

/**
 * Runs the whole reference on the CSV folder `dir` for `period` ('YYYY-MM'): loads the files, computes the verdicts,
 * and returns the counts (numbers), the phase times in ms and DuckDB's settings. `threads` undefined = DuckDB's
 * default (one per core). `keep` returns the open connection too (for inspecting `res`); the caller closes it.
 */
export async function runReference(dir, { period = "2026-10", threads, keep = false } = {}) {
  const instance = await DuckDBInstance.create(":memory:", threads ? { threads: String(threads) } : {});
  const connection = await instance.connect();
  const t0 = process.hrtime.bigint();
  for (const sql of loadStatements(resolve(dir))) await connection.run(sql);
  const t1 = process.hrtime.bigint();
  for (const sql of computeStatements(monthNumber(period))) await connection.run(sql);
  const reader = await connection.runAndReadAll(COUNT_QUERY);
  const t2 = process.hrtime.bigint();
  const row = reader.getRowObjectsJS()[0];
  const counts = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
  const usedThreads = Number((await connection.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjectsJS()[0].t);
  const result = {
    counts,
    phases: { loadMs: Number(t1 - t0) / 1e6, computeMs: Number(t2 - t1) / 1e6 },
    threads: usedThreads,
    duckdbVersion: duckdbVersion(),
  };
  if (keep) return { ...result, connection, instance };
  connection.disconnectSync();
  instance.closeSync?.();
  return result;
}

async function main(argv) {
  const args = argv.slice(2);
  const dir = args.find((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--")));
  const opt = (name) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (!dir) {
    process.stderr.write("usage: node bench/duckdbRef.js DIR [--period YYYY-MM] [--threads N]\n");
    return 2;
  }
  const threads = opt("threads") ? Number(opt("threads")) : undefined;
  const result = await runReference(dir, { period: opt("period") ?? "2026-10", threads });
  const usage = process.resourceUsage();
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  process.stdout.write(JSON.stringify({ ...result, maxRssKb: usage.maxRSS, cpuMs }) + "\n");
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv);
}
