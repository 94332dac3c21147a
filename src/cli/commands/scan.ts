/**
 * povwatch scan INPUTS… [--period YYYY-MM|previous] [--policy FILE] [--out DIR] [--format csv|xlsx|both]
 *                       [--split-by county] [--lang zh|en] [--reveal-personal-data] [--max-reject-rate R]
 *                       [--csv-encoding utf8|gb18030] [--json] [--quiet]
 *
 * The monthly batch scan: reads the exports, applies the monitoring rules with the policy, and writes the monitoring
 * list (flagged.csv / flagged.xlsx), the summary workbook, rejects.csv and run.json into DIR/<period>/.
 */
import { join } from "node:path";
import { letSignalsIn, type CommandSpec } from "../command.js";
import { readDataset } from "../../io/readDataset.js";
import { loadPolicy } from "../../policy/load.js";
import { BUILT_IN_POLICY_NOTICE } from "../../policy/defaults.js";
import { EXIT } from "../../model/errors.js";
import { formatMonth } from "../../model/month.js";
import { evaluateDataset, type ScanEvaluation } from "../../report/scanDataset.js";
import type { Dataset, InputFile } from "../../model/dataset.js";
import type { Policy } from "../../policy/types.js";
import type { Finding } from "../../audit/index.js";
import { buildFlaggedWorkbook, flaggedTableRows } from "../../report/flagged.js";
import { buildSummaryWorkbook } from "../../report/summary.js";
import { buildRejectsTable, buildRunManifest } from "../../report/manifest.js";
import { countFindingsByRule, startAudit } from "../../audit/index.js";
import { acquireLock } from "../../io/atomic.js";
import { writeOutputs, type PlannedOutput } from "../../io/writeOutputs.js";
import { timestampForPeriod } from "../../io/writeWorkbook.js";
import { VERSION } from "../../version.js";
import { addReadOptions, factsWorkerMinFrom, readOptionsFrom, requireInputs } from "./readOptions.js";
import { normalizeScanOptions, resolvePeriod, type ScanOptions } from "./scanOptions.js";

export const scanCommand: CommandSpec = {
  name: "scan",
  configure(cmd) {
    cmd
      .description("the monthly scan: monitoring list, summary workbook, rejects and run manifest in DIR/<period>/")
      .argument("[inputs...]", "files, folders or globs; - for a CSV on stdin")
      .option("--period <YYYY-MM|previous>", "the month scanned (default: the latest month in the income data)")
      .option("--policy <file>", "policy file (default: the built-in national floor)")
      .option("--out <dir>", "output folder", "out")
      .option("--format <csv|xlsx|both>", "monitoring list format", "both")
      .option("--split-by <county>", "one sheet per county in flagged.xlsx")
      .option("--lang <zh|en>", "language of headers and codes", "zh")
      .option("--reveal-personal-data", "write names and ID numbers in full")
      .option("--max-reject-rate <R>", "exit 3 when the share of rejected rows exceeds R (0…1)")
      .option("--csv-encoding <utf8|gb18030>", "encoding of the CSV outputs", "utf8")
      .option("--json", "print run.json on stdout");
    addReadOptions(cmd);
  },
  async run(args, raw, ctx) {
    const startedAt = ctx.now();
    const options = normalizeScanOptions(raw);
    const readOptions = readOptionsFrom(raw, startedAt);
    const inputs = args[0] as string[];
    requireInputs("scan", inputs, readOptions);
    const policy = await loadPolicy(options.policy);
    if (policy.builtIn) ctx.ui.warn(BUILT_IN_POLICY_NOTICE);
    const release = await acquireLock(options.out);
    try {
      ctx.ui.phase("reading inputs");
      const dataset = await readDataset(inputs, { ...readOptions, exclude: [options.out], signal: ctx.signal, onProgress: (n) => ctx.ui.progress(`${n.toLocaleString("en-US")} rows`) });
      for (const f of dataset.inputs) {
        for (const t of f.tables) {
          const where = t.sheet ? `sheet ${t.sheet} of ${f.path}` : f.path;
          if (t.kind === null) ctx.ui.info(`skipped: ${where} has ${t.reason?.startsWith("no recognised") ? "" : "no recognised table: "}${t.reason}`);
          else {
            const c = t.counts;
            ctx.ui.info(`${where}: ${t.kind}, rows read ${c.read} = accepted ${c.accepted} + rejected ${c.rejected} + skipped ${c.skipped} + duplicates ${c.duplicates}`);
          }
        }
      }
      const period = resolvePeriod(options.period, dataset.income.maxMonth, startedAt);
      ctx.ui.phase(`evaluating ${formatMonth(period)}`);
      // The 数据质量 sheet's audit runs in the same pass as the rules: each household's members are built once.
      // Ctrl-C within a second (cli.md): the end of the reading, the audit's start and the evaluation's are each
      // ≈ 0.4–0.5 s without I/O on a province; a signal is looked for between them.
      await letSignalsIn(ctx.signal);
      const audit = startAudit(dataset, { period, factsWorkerMin: factsWorkerMinFrom(readOptions) });
      await letSignalsIn(ctx.signal);
      const evaluation = await evaluateDataset(dataset, policy, period, {
        onProgress: (n) => ctx.ui.progress(`${n.toLocaleString("en-US")} households`),
        checkpoint: () => letSignalsIn(ctx.signal),
        visit: audit.needsHouseholds ? (view) => audit.visit(view) : undefined,
      });
      const findings = audit.finish();
      if (ctx.signal.aborted) throw ctx.signal.reason;

      ctx.ui.phase("writing outputs");
      const dir = join(options.out, formatMonth(period));
      const gate = rejectGate(dataset.inputs, options.maxRejectRate);
      const counts = evaluation.summary.counts();
      const planned = planListAndSummary(evaluation, dataset, policy, period, findings, options, ctx.argv);
      const names = [...planned.map((p) => p.name), "run.json"];
      let runJson: object = {};
      const manifest = () =>
        (runJson = {
          ...buildRunManifest({
            version: VERSION,
            command: "scan",
            period,
            policy,
            inputs: dataset.inputs,
            counts,
            outputs: names,
            personalDataRevealed: options.revealPersonalData,
            startedAt,
            finishedAt: ctx.now(),
          }),
          ...(gate.qualityGate ? { qualityGate: gate.qualityGate } : {}),
        });
      planned.push({ name: "run.json", kind: "text", text: () => JSON.stringify(manifest(), null, 2) + "\n" });
      await writeOutputs(dir, planned, { csvEncoding: options.csvEncoding, timestamp: timestampForPeriod(period), signal: ctx.signal, knownNames: SCAN_OUTPUTS });
      ctx.ui.done();

      if (options.revealPersonalData) ctx.ui.warn("personal data written in full (--reveal-personal-data)");
      const byStatus = counts.byStatus;
      ctx.ui.info(
        `${formatMonth(period)}: ${counts.households.toLocaleString("en-US")} households scanned, ${counts.listed.toLocaleString("en-US")} listed ` +
          `(新识别 ${byStatus.new}, 持续监测 ${byStatus.continuing}, 建议消除 ${byStatus.suggest_elimination}); rejected rows ${gate.rejected.toLocaleString("en-US")}`,
      );
      ctx.ui.info(`outputs written to ${dir}/: ${names.join(", ")}`);
      if (options.json) ctx.stdout(JSON.stringify(runJson, null, 2) + "\n");
      if (gate.qualityGate && !gate.qualityGate.passed) {
        ctx.ui.error(`rejected rows ${(gate.qualityGate.rejectRate * 100).toFixed(1)}% exceed --max-reject-rate ${(gate.qualityGate.maxRejectRate * 100).toFixed(1)}% (see ${join(dir, "rejects.csv")})`);
        return EXIT.qualityGate;
      }
      return EXIT.ok;
    } finally {
      release();
    }
  },
};


/** Every file a scan may write into DIR/<period>/: those this run does not write are removed (an earlier run's). */
const SCAN_OUTPUTS = ["flagged.csv", "flagged.xlsx", "summary.xlsx", "rejects.csv", "run.json"];

/** The monitoring list (csv and/or xlsx), the summary workbook and rejects.csv, as planned outputs (run.json is added by the caller). */
function planListAndSummary(
  evaluation: ScanEvaluation,
  dataset: Dataset,
  policy: Policy,
  period: number,
  findings: readonly Finding[],
  options: ScanOptions,
  argv: readonly string[],
): PlannedOutput[] {
  const lang = options.lang;
  const flaggedOptions = { lang, revealPersonalData: options.revealPersonalData, regionLevels: evaluation.regionLevels };
  const planned: PlannedOutput[] = [];
  // Each row of the list is built as it is written (once per file): a province's list never holds all its cells.
  const table = flaggedTableRows(evaluation.listed, flaggedOptions);
  if (options.format !== "xlsx") planned.push({ name: "flagged.csv", kind: "csv", table });
  if (options.format !== "csv") planned.push({ name: "flagged.xlsx", kind: "xlsx", workbook: buildFlaggedWorkbook(table, { splitByCounty: options.splitByCounty }) });
  const summary = buildSummaryWorkbook(evaluation.summary, {
    period,
    policy,
    version: VERSION,
    commandLine: argv,
    inputs: dataset.inputs,
    rejects: dataset.rejects,
    findingsByRule: countFindingsByRule(findings),
    lang,
  });
  planned.push({ name: "summary.xlsx", kind: "xlsx", workbook: summary });
  planned.push({ name: "rejects.csv", kind: "csv", table: buildRejectsTable(dataset.rejects, lang) });
  return planned;
}

/** The data-quality gate (cli.md exit 3): the share of rejected rows among accepted + rejected, against --max-reject-rate. */
function rejectGate(inputs: readonly InputFile[], maxRejectRate: number | undefined) {
  let rejected = 0;
  let accepted = 0;
  for (const f of inputs) {
    for (const t of f.tables) {
      rejected += t.counts.rejected;
      accepted += t.counts.accepted;
    }
  }
  const rejectRate = rejected + accepted === 0 ? 0 : rejected / (rejected + accepted);
  const qualityGate = maxRejectRate === undefined ? undefined : { maxRejectRate, rejectRate, passed: rejectRate <= maxRejectRate };
  return { rejected, qualityGate };
}
