/**
 * povwatch check INPUTS… [--period YYYY-MM] [--out DIR] [--rules LIST] [--list-rules] [--fail-on error]
 *                        [--lang zh|en] [--json], and the input options every reading command shares (readOptions.ts)
 *
 * Audits exports against the data-quality rules Q001–Q018 (spec audit.md) and writes DIR/audit.xlsx and
 * DIR/audit.csv (outputs.md "check"). Findings are data: exit 0, unless --fail-on SEVERITY and a finding of that
 * severity or a worse one exists (exit 3). --json prints { findings, byRule, bySeverity } on stdout.
 */
import { join } from "node:path";
import { SEVERITIES, type Severity } from "../../audit/finding.js";
import { countFindingsByRule, countFindingsBySeverity, defaultAuditPeriod, evaluateAuditInSteps, parseRuleSelection } from "../../audit/evaluate.js";
import { RULE_CODES } from "../../audit/rules.js";
import { acquireLock } from "../../io/atomic.js";
import { readDataset } from "../../io/readDataset.js";
import { writeOutputs, type PlannedOutput } from "../../io/writeOutputs.js";
import { timestampForPeriod } from "../../io/writeWorkbook.js";
import { EXIT, UserError } from "../../model/errors.js";
import { formatMonth, parseMonth } from "../../model/month.js";
import { buildAuditTable, buildAuditWorkbook, buildRuleList } from "../../report/audit.js";
import type { Lang } from "../../report/labels.js";
import { letSignalsIn, type CommandSpec } from "../command.js";
import { addReadOptions, factsWorkerMinFrom, readOptionsFrom, requireInputs } from "./readOptions.js";

/** The check command's options, validated and defaulted. */
export interface CheckOptions {
  readonly inputs: readonly string[];
  readonly period: number | undefined;
  readonly out: string;
  readonly rules: readonly string[];
  readonly listRules: boolean;
  readonly failOn: Severity | undefined;
  readonly lang: Lang;
  readonly json: boolean;
}

function usage(message: string): UserError {
  return new UserError("usage", message, { exitCode: EXIT.usage });
}

/** Validates and defaults commander's values; throws a UserError (exit 2) naming the option, what was expected and what was given. */
export function normalizeCheckOptions(args: unknown[], o: Record<string, unknown>): CheckOptions {
  const inputs = (args[0] as string[] | undefined) ?? [];
  const period = o.period === undefined ? undefined : parseMonth(String(o.period));
  if (o.period !== undefined && (period === undefined || !/^\d{4}-\d{1,2}$/.test(String(o.period).trim()))) {
    throw usage(`--period: expected a month YYYY-MM (e.g. 2026-10), got "${String(o.period)}"`);
  }
  const lang = String(o.lang ?? "zh");
  if (lang !== "zh" && lang !== "en") throw usage(`--lang: expected zh or en, got "${lang}"`);
  const failOn = o.failOn === undefined ? undefined : String(o.failOn);
  if (failOn !== undefined && !SEVERITIES.includes(failOn as Severity)) throw usage(`--fail-on: expected error, warning or note, got "${failOn}"`);
  const listRules = o.listRules === true;
  return {
    inputs,
    period,
    out: String(o.out ?? "."),
    rules: o.rules === undefined ? RULE_CODES : parseRuleSelection(String(o.rules)),
    listRules,
    failOn: failOn as Severity | undefined,
    lang,
    json: o.json === true,
  };
}

/** The `check` entry of the command table: read → evaluate the audit rules → build → write audit.xlsx and audit.csv. */
export const checkCommand: CommandSpec = {
  name: "check",
  configure(cmd) {
    cmd
      .description("audit exports for data-quality problems (rules Q001–Q018); writes audit.xlsx and audit.csv")
      .argument("[inputs...]", "files, folders or globs (- reads a CSV from stdin)")
      .option("--period <YYYY-MM>", "period P for Q015 (default: the latest income month)")
      .option("--out <dir>", "output folder", ".")
      .option("--rules <list>", 'rules to run: "Q001,Q002" only those, "-Q008,-Q014" all but those')
      .option("--list-rules", "print the rules (code, severity, title) on stdout and exit")
      .option("--fail-on <severity>", "exit 3 when a finding of this severity or worse exists (error, warning, note)")
      .option("--lang <lang>", "output language: zh or en", "zh")
      .option("--json", "print { findings, byRule, bySeverity } on stdout");
    addReadOptions(cmd);
  },
  async run(args, options, ctx) {
    const opts = normalizeCheckOptions(args, options);
    if (opts.listRules) {
      const list = buildRuleList(opts.lang);
      if (opts.json) ctx.stdout(JSON.stringify({ rules: list.rows.map(([rule, severity, title]) => ({ rule, severity, title })) }) + "\n");
      else ctx.stdout(list.rows.map((r) => r.join("\t")).join("\n") + "\n");
      return EXIT.ok;
    }
    const readOptions = readOptionsFrom(options, ctx.now());
    requireInputs("check", opts.inputs, readOptions);
    ctx.ui.phase("reading inputs");
    const dataset = await readDataset(opts.inputs, {
      ...readOptions,
      exclude: [opts.out],
      signal: ctx.signal,
      onProgress: (rows) => ctx.ui.progress(`${rows} rows`),
    });
    ctx.ui.phase("checking");
    const period = opts.period ?? defaultAuditPeriod(dataset);
    // A signal is seen every 50,000 households (a province's audit takes seconds), and once more before writing.
    const findings = await evaluateAuditInSteps(dataset, { period, rules: opts.rules, factsWorkerMin: factsWorkerMinFrom(readOptions) }, () => letSignalsIn(ctx.signal));
    await letSignalsIn(ctx.signal);
    ctx.ui.phase(`writing ${join(opts.out, "audit.xlsx")}, audit.csv`);
    const release = await acquireLock(opts.out);
    try {
      // Both files or neither: a full disk never leaves a new audit.xlsx beside an old audit.csv.
      const outputs: PlannedOutput[] = [
        { name: "audit.xlsx", kind: "xlsx", workbook: buildAuditWorkbook(findings, opts.lang, opts.rules) },
        { name: "audit.csv", kind: "csv", table: buildAuditTable(findings, opts.lang) },
      ];
      await writeOutputs(opts.out, outputs, {
        csvEncoding: "utf8",
        staging: "inside",
        ...(period === undefined ? {} : { timestamp: timestampForPeriod(period) }),
        signal: ctx.signal,
      });
    } finally {
      release();
    }
    ctx.ui.done();
    const bySeverity = countFindingsBySeverity(findings);
    const periodText = period === undefined ? "no income data, Q015 not applied" : `period ${formatMonth(period)}`;
    ctx.ui.info(`${findings.length} findings (error ${bySeverity.error}, warning ${bySeverity.warning}, note ${bySeverity.note}); ${periodText}; ${dataset.rejects.length} rows rejected while reading`);
    if (opts.json) ctx.stdout(JSON.stringify({ findings: findings.length, byRule: countFindingsByRule(findings, opts.rules), bySeverity }) + "\n");
    const gate = opts.failOn === undefined ? -1 : SEVERITIES.indexOf(opts.failOn);
    const failing = findings.some((f) => SEVERITIES.indexOf(f.severity) <= gate);
    if (failing) ctx.ui.warn(`findings of severity ${opts.failOn} or worse: exit ${EXIT.qualityGate} (--fail-on)`);
    return failing ? EXIT.qualityGate : EXIT.ok;
  },
};
