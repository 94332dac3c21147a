/**
 * run.json (outputs.md "run.json") and the rejects table (rejects.csv), as plain data.
 */
import { describePolicy } from "../policy/describe.js";
import type { InputFile } from "../model/dataset.js";
import type { RowIssue, TableKind } from "../model/index.js";
import { formatMonth } from "../model/month.js";
import type { Policy } from "../policy/types.js";
import type { Lang } from "./labels.js";
import type { RunCounts } from "./summaryAccumulator.js";
import type { TableSpec } from "./workbook.js";

/** One table of an input in run.json (also the shape `inspect --json` extends). */
export interface ManifestTable {
  sheet: string;
  kind: TableKind | null;
  /** null for xlsx sheets. */
  encoding: string | null;
  /** null when no header row was found. */
  headerRow: number | null;
  read: number;
  accepted: number;
  rejected: number;
  skipped: number;
  duplicates: number;
}

/** One input file in run.json. */
export interface ManifestInput {
  path: string;
  sha256: string;
  tables: ManifestTable[];
}

/** The resolved policy in run.json: the policy-file form (policy.md), months as "YYYY-MM". */
export interface ManifestPolicy {
  name: string;
  povertyLine: number;
  monitoringLine: number;
  yellowFactor: number;
  streakMonths: number;
  minMonthsForAnnual: number;
  incomeDrop: { ratio: number };
  rigidExpense: { medical: number; education: number; disaster: number; accident: number; incomeShare: number };
  elimination: { stableMonths: number; minMonitoredMonths: number };
  overrides: Record<string, unknown>[];
}

/** run.json, keys in the order of outputs.md. */
export interface RunManifest {
  tool: "povwatch";
  version: string;
  command: string;
  period: string;
  policy: ManifestPolicy;
  inputs: ManifestInput[];
  counts: RunCounts;
  outputs: string[];
  personalDataRevealed: boolean;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

/** What buildRunManifest takes; timestamps are passed in (nothing below the CLI reads the clock). */
export interface RunManifestInput {
  version: string;
  command: string;
  /** Month integer. */
  period: number;
  policy: Policy;
  inputs: readonly InputFile[];
  counts: RunCounts;
  /** File names written into the output folder, in the order written. */
  outputs: readonly string[];
  personalDataRevealed: boolean;
  startedAt: Date;
  finishedAt: Date;
}

/** The resolved policy in policy-file form (so it can be saved and reused as `--policy`); `builtIn` is not a file key. */
export function policyToJson(policy: Policy): ManifestPolicy {
  const { builtIn: _builtIn, overrides, ...settings } = describePolicy(policy);
  return {
    ...settings,
    overrides: [...overrides]
      .sort((a, b) => a.index - b.index)
      .map((o) => ({
        where: { ...o.where },
        ...(o.from === null ? {} : { from: o.from }),
        ...(o.to === null ? {} : { to: o.to }),
        ...(o.source === null ? {} : { source: o.source }),
        ...structuredClone(o.settings),
      })),
  };
}

/** The inputs array of run.json: every table of every file, missing encoding / header row as null. */
export function manifestInputs(inputs: readonly InputFile[]): ManifestInput[] {
  return inputs.map((f) => ({
    path: f.path,
    sha256: f.sha256,
    tables: f.tables.map((t) => ({
      sheet: t.sheet,
      kind: t.kind,
      encoding: t.encoding ?? null,
      headerRow: t.headerRow ?? null,
      read: t.counts.read,
      accepted: t.counts.accepted,
      rejected: t.counts.rejected,
      skipped: t.counts.skipped,
      duplicates: t.counts.duplicates,
    })),
  }));
}

/**
 * The run manifest exactly as outputs.md shows it (same keys, same nesting, same order). Timestamps are ISO 8601 in
 * UTC; durationMs = finishedAt − startedAt.
 */
export function buildRunManifest(input: RunManifestInput): RunManifest {
  return {
    tool: "povwatch",
    version: input.version,
    command: input.command,
    period: formatMonth(input.period),
    policy: policyToJson(input.policy),
    inputs: manifestInputs(input.inputs),
    counts: structuredClone(input.counts),
    outputs: [...input.outputs],
    personalDataRevealed: input.personalDataRevealed,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    durationMs: input.finishedAt.getTime() - input.startedAt.getTime(),
  };
}

/**
 * rejects.csv: one row per rejected row, in input order, with the columns 文件 file · 工作表 sheet · 行 row ·
 * 列 column · 值 value (already masked by the reader) · 原因 reason_zh · 原因（英文） reason_en. Both reasons are
 * always written; `lang` only picks the header names.
 */
export function buildRejectsTable(rejects: readonly RowIssue[], lang: Lang): TableSpec {
  const headers =
    lang === "en"
      ? ["file", "sheet", "row", "column", "value", "reason_zh", "reason_en"]
      : ["文件", "工作表", "行", "列", "值", "原因", "原因（英文）"];
  const keys = ["file", "sheet", "row", "column", "value", "reason_zh", "reason_en"];
  return {
    columns: headers.map((header, i) => ({ header, key: keys[i]!, ...(keys[i] === "row" ? { format: "integer" as const } : {}) })),
    rows: rejects.map((r) => [
      r.source.file,
      r.source.sheet === "" ? null : r.source.sheet,
      r.source.row,
      r.column === "" ? null : r.column,
      r.value === "" ? null : r.value,
      r.reasonZh,
      r.reasonEn,
    ]),
  };
}
