/**
 * povwatch inspect INPUTS… [--json]
 *
 * Shows what each file and sheet was recognised as: the kind (or why none), the encoding, the header row, every
 * recognised column with its canonical name, the columns ignored, rows read / accepted / rejected / skipped /
 * duplicates, and the first rejects with their reasons. With --json, one JSON document on stdout and nothing else.
 */
import type { CommandSpec } from "../command.js";
import { readDataset } from "../../io/readDataset.js";
import type { TableReport } from "../../model/dataset.js";
import { addReadOptions, readOptionsFrom, requireInputs } from "./readOptions.js";
import { manifestInputs } from "../../report/manifest.js";

export const inspectCommand: CommandSpec = {
  name: "inspect",
  configure(cmd) {
    cmd
      .description("show what each file and sheet is recognised as: kind, encoding, header row, columns, row counts")
      .argument("[inputs...]", "files, folders or globs; - for a CSV on stdin")
      .option("--json", "print one JSON document on stdout");
    addReadOptions(cmd);
  },
  async run(args, options, ctx) {
    const inputs = args[0] as string[];
    const readOptions = readOptionsFrom(options, ctx.now());
    requireInputs("inspect", inputs, readOptions);
    const dataset = await readDataset(inputs, { ...readOptions, signal: ctx.signal });
    // Each input has run.json's shape (cli.md): manifestInputs, with what inspect adds to each table.
    const doc = {
      inputs: manifestInputs(dataset.inputs).map((input, i) => ({
        ...input,
        tables: input.tables.map((table, j) => {
          const t = dataset.inputs[i]!.tables[j]!;
          return {
            ...table,
            ...(t.kind === null ? { reason: t.reason } : {}),
            columns: t.columns,
            ignored: t.ignored,
            firstRejects: t.firstRejects.map((r) => ({ row: r.source.row, column: r.column, reason: `${r.reasonZh} (${r.reasonEn})` })),
          };
        }),
      })),
    };
    if (options.json) {
      ctx.stdout(JSON.stringify(doc, null, 2) + "\n");
      return 0;
    }
    for (const f of dataset.inputs) {
      for (const t of f.tables) ctx.ui.info(describeTable(t));
    }
    return 0;
  },
};

/** The human-readable block for one table. */
function describeTable(t: TableReport): string {
  const name = t.sheet ? `${t.file} [${t.sheet}]` : t.file;
  const lines = [`${name}`];
  if (t.kind === null) {
    lines.push(`  skipped: ${t.reason}`);
  } else {
    lines.push(`  kind: ${t.kind}`);
  }
  if (t.encoding) lines.push(`  encoding: ${t.encoding}`);
  if (t.headerRow !== undefined) lines.push(`  header row: ${t.headerRow}`);
  const cols = Object.entries(t.columns);
  if (cols.length) lines.push(`  columns: ${cols.map(([canon, header]) => (canon === header ? canon : `${header} → ${canon}`)).join(", ")}`);
  if (t.ignored.length) lines.push(`  ignored: ${t.ignored.join(", ")}`);
  const c = t.counts;
  lines.push(`  rows: read ${c.read}, accepted ${c.accepted}, rejected ${c.rejected}, skipped ${c.skipped}, duplicates ${c.duplicates}`);
  for (const r of t.firstRejects) lines.push(`  reject row ${r.source.row}, column ${r.column}: ${r.reasonZh} (${r.reasonEn})${r.value ? ` [${r.value}]` : ""}`);
  return lines.join("\n");
}
