/**
 * povwatch diff OLD NEW [--out DIR] [--key COL] [--fields A,B] [--json] [--lang zh|en]
 *
 * Compares two monitoring lists (flagged.csv / flagged.xlsx, or scan output folders) keyed by 户编号 and writes
 * DIR/diff.xlsx (变化明细, 类别转移, 颜色转移, 分地区) and DIR/diff.csv (the 变化明细 rows); `--json` prints the
 * counts and transition matrices on stdout. With --key / --fields it compares any two tables on any key and columns
 * (diff.xlsx: 变化明细 and 汇总). See outputs.md "diff" and docs/decisions/diff.md.
 */
import { join } from "node:path";
import { diffCohorts } from "../../diff/cohort.js";
import { diffTables } from "../../diff/generic.js";
import { parseMonitoringList } from "../../diff/list.js";
import { compareListMeta } from "../../diff/meta.js";
import { acquireLock } from "../../io/atomic.js";
import { readList, type ListInput } from "../../io/readList.js";
import { writeOutputs, type PlannedOutput } from "../../io/writeOutputs.js";
import { timestampForPeriod } from "../../io/writeWorkbook.js";
import { EXIT, UserError } from "../../model/errors.js";
import { formatMonth } from "../../model/month.js";
import {
  buildCohortDiffJson,
  buildCohortDiffTable,
  buildCohortDiffWorkbook,
  buildTableDiffJson,
  buildTableDiffTable,
  buildTableDiffWorkbook,
} from "../../report/diff.js";
import type { Lang } from "../../report/labels.js";
import type { TableSpec, WorkbookSpec } from "../../report/workbook.js";
import { letSignalsIn, type CommandContext, type CommandSpec } from "../command.js";

/** The diff command's options, checked and defaulted. `generic` is set by --key or --fields. */
export interface DiffOptions {
  readonly old: string;
  readonly new: string;
  readonly out: string;
  readonly generic: { readonly key: string; readonly fields: readonly string[] | undefined } | undefined;
  readonly json: boolean;
  readonly lang: Lang;
}

/** The key of generic mode when only --fields is given. */
export const DEFAULT_KEY = "户编号";

function usage(message: string): UserError {
  return new UserError("bad_option", message, { exitCode: EXIT.usage });
}

/** Splits `--fields A,B,C` (also full-width `，`), trimmed, empty names dropped, repeats removed. */
export function parseFieldList(text: string): string[] {
  return [...new Set(text.split(/[,，]/).map((f) => f.trim()).filter((f) => f !== ""))];
}

/** Checks and defaults the options; every problem names the option, what was expected and what was given (exit 2). */
export function normalizeDiffOptions(args: unknown[], raw: Record<string, unknown>): DiffOptions {
  const [oldPath, newPath] = args as [string | undefined, string | undefined];
  if (!oldPath || !newPath) throw usage("diff: give two lists, OLD and NEW (flagged.csv / flagged.xlsx files or scan output folders)");
  const lang = String(raw.lang ?? "zh");
  if (lang !== "zh" && lang !== "en") throw usage(`--lang: expected zh or en, got "${lang}"`);
  const key = raw.key === undefined ? undefined : String(raw.key).trim();
  if (key === "") throw usage(`--key: expected a column name, got ""`);
  let fields: string[] | undefined;
  if (raw.fields !== undefined) {
    fields = parseFieldList(String(raw.fields));
    if (fields.length === 0) throw usage(`--fields: expected column names separated by commas (e.g. 状态,风险等级), got "${String(raw.fields)}"`);
  }
  const generic = key === undefined && fields === undefined ? undefined : { key: key ?? DEFAULT_KEY, fields: fields?.filter((f) => f !== key) };
  return { old: oldPath, new: newPath, out: String(raw.out ?? "."), generic, json: raw.json === true, lang };
}

export const diffCommand: CommandSpec = {
  name: "diff",
  configure(cmd) {
    cmd
      .description("compare two monitoring lists (or any two tables with --key/--fields); writes diff.xlsx and diff.csv")
      .argument("<old>", "the earlier list: flagged.csv / flagged.xlsx or a scan output folder (e.g. out/2026-09)")
      .argument("<new>", "the later list, likewise")
      .option("--out <dir>", "output folder", ".")
      .option("--key <column>", "compare any two tables keyed by this column (default 户编号 with --fields)")
      .option("--fields <list>", "the columns to compare, comma-separated (default with --key: every shared column)")
      .option("--lang <zh|en>", "language of headers and labels", "zh")
      .option("--json", "print the counts and transition matrices on stdout");
  },
  async run(args, raw, ctx) {
    const opts = normalizeDiffOptions(args, raw);
    ctx.ui.phase(`reading ${opts.old} and ${opts.new}`);
    // Ctrl-C stops within a second (cli.md): a signal is looked for between the steps, each well under a second for
    // two province-sized lists.
    const before = await readList(opts.old, ctx.signal);
    await letSignalsIn(ctx.signal);
    const after = await readList(opts.new, ctx.signal);
    for (const note of [...before.notes, ...after.notes, ...compareListMeta(before.meta, after.meta)]) ctx.ui.warn(note);
    await letSignalsIn(ctx.signal);
    const checkpoint = () => letSignalsIn(ctx.signal);
    const outputs = opts.generic ? await compareTables(before, after, opts, ctx, checkpoint) : await compareLists(before, after, opts, ctx, checkpoint);
    // A signal that came during the last step is seen here, before anything is written.
    await letSignalsIn(ctx.signal);
    ctx.ui.phase(`writing ${join(opts.out, "diff.xlsx")}, diff.csv`);
    const release = await acquireLock(opts.out);
    try {
      const timestamp = after.meta.period === undefined ? {} : { timestamp: timestampForPeriod(after.meta.period) };
      // Both files or neither: a full disk never leaves a new diff.xlsx beside an old diff.csv.
      const planned: PlannedOutput[] = [
        { name: "diff.xlsx", kind: "xlsx", workbook: outputs.workbook },
        { name: "diff.csv", kind: "csv", table: outputs.table },
      ];
      await writeOutputs(opts.out, planned, { csvEncoding: "utf8", staging: "inside", ...timestamp, signal: ctx.signal });
    } finally {
      release();
    }
    ctx.ui.done();
    ctx.ui.info(`${outputs.summary}; written ${join(opts.out, "diff.xlsx")} and diff.csv`);
    if (opts.json) ctx.stdout(JSON.stringify(outputs.json, null, 2) + "\n");
    return EXIT.ok;
  },
};

interface DiffOutputs {
  table: TableSpec;
  workbook: WorkbookSpec;
  json: unknown;
  summary: string;
}

function warnRowsWithoutKey(ctx: CommandContext, file: string, column: string, rows: readonly number[]): void {
  if (rows.length === 0) return;
  const shown = rows.slice(0, 10).join(", ") + (rows.length > 10 ? ", …" : "");
  ctx.ui.warn(`${file}: ${rows.length} ${rows.length === 1 ? "row has" : "rows have"} no ${column} and ${rows.length === 1 ? "is" : "are"} left out (rows ${shown})`);
}

async function compareLists(before: ListInput, after: ListInput, opts: DiffOptions, ctx: CommandContext, checkpoint: () => Promise<void>): Promise<DiffOutputs> {
  const oldList = parseMonitoringList(before.table);
  await checkpoint();
  const newList = parseMonitoringList(after.table);
  warnRowsWithoutKey(ctx, before.meta.file, "户编号", oldList.rowsWithoutId);
  warnRowsWithoutKey(ctx, after.meta.file, "户编号", newList.rowsWithoutId);
  await checkpoint();
  ctx.ui.phase("comparing");
  const diff = diffCohorts(oldList, newList);
  await checkpoint();
  const period = (p: number | undefined, file: string) => (p === undefined ? file : formatMonth(p));
  const c = diff.counts;
  return {
    table: buildCohortDiffTable(diff, opts.lang),
    workbook: buildCohortDiffWorkbook(diff, opts.lang),
    json: buildCohortDiffJson(diff, { old: before.meta.period, new: after.meta.period }, opts.lang),
    summary:
      `${period(before.meta.period, before.meta.file)} (${c.old} listed) → ${period(after.meta.period, after.meta.file)} (${c.new} listed): ` +
      `新增 ${c.entered}, 移出 ${c.exited}, changed ${c.changed}, unchanged ${c.unchanged}`,
  };
}

async function compareTables(before: ListInput, after: ListInput, opts: DiffOptions, ctx: CommandContext, checkpoint: () => Promise<void>): Promise<DiffOutputs> {
  const diff = diffTables(before.table, after.table, opts.generic!);
  await checkpoint();
  warnRowsWithoutKey(ctx, diff.old.file, diff.key, diff.old.rowsWithoutKey);
  warnRowsWithoutKey(ctx, diff.new.file, diff.key, diff.new.rowsWithoutKey);
  const c = diff.counts;
  return {
    table: buildTableDiffTable(diff, opts.lang),
    workbook: buildTableDiffWorkbook(diff, opts.lang),
    json: buildTableDiffJson(diff),
    summary: `key ${diff.key}, fields ${diff.fields.join(",") || "(none)"}: 新增 ${c.entered}, 移出 ${c.exited}, changed ${c.changed}, unchanged ${c.unchanged}`,
  };
}
