/**
 * `povwatch generate`: options, checked and defaulted in one place, and the stream of generated households.
 */
import { EXIT, UserError } from "../model/errors.js";
import { monthOf } from "../model/month.js";
import { buildHousehold } from "./build.js";
import { HouseholdFactory, type GeneratedHousehold } from "./household.js";
import { Random } from "./random.js";
import { RegionLayout } from "./regions.js";

/** The last income month of every generated set (fixed, not today, so that output is reproducible). */
export const GENERATED_LAST_MONTH = monthOf(2026, 10);

/** Most households one run may generate (the region tree is sized for this). */
export const MAX_HOUSEHOLDS = 2_000_000;

/** File format of a generated set: CSV files or one workbook per table. */
export type ExportFormat = "csv" | "xlsx";
/** CSV encoding of a generated set. */
export type ExportEncoding = "utf8" | "utf8-bom" | "gb18030";

/** Fully defaulted options of a generate run. */
export interface GenerateOptions {
  readonly households: number;
  readonly months: number;
  readonly seed: number;
  readonly format: ExportFormat;
  readonly encoding: ExportEncoding;
  readonly out: string;
}

function wholeNumber(raw: unknown, name: string, min: number, max: number, fallback: number, problems: string[]): number {
  if (raw === undefined) return fallback;
  const text = String(raw).trim();
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    problems.push(`--${name}: expected a whole number from ${min} to ${max}, got "${text}"`);
    return fallback;
  }
  return Number(text);
}

/**
 * Checks and defaults the generate options (months 12, seed 1, csv, utf8). Collects every problem and throws one
 * usage UserError (exit 2) naming each option, what was expected and what was received. `--demo` needs only --out.
 */
export function normalizeGenerateOptions(raw: Record<string, unknown>): GenerateOptions {
  const problems: string[] = [];
  const demo = raw.demo === true;
  if (!demo && raw.households === undefined) problems.push("--households: required (how many households to generate), or use --demo");
  const households = wholeNumber(raw.households, "households", 1, MAX_HOUSEHOLDS, 0, problems);
  const months = wholeNumber(raw.months, "months", 1, 120, 12, problems);
  const seed = wholeNumber(raw.seed, "seed", 0, 4294967295, 1, problems);
  const format = raw.format ?? "csv";
  if (format !== "csv" && format !== "xlsx") problems.push(`--format: expected csv or xlsx, got "${String(format)}"`);
  const encoding = raw.encoding ?? "utf8";
  if (encoding !== "utf8" && encoding !== "utf8-bom" && encoding !== "gb18030") {
    problems.push(`--encoding: expected utf8, utf8-bom or gb18030, got "${String(encoding)}"`);
  }
  if (format === "xlsx" && raw.encoding !== undefined) problems.push("--encoding: only applies to --format csv");
  if (typeof raw.out !== "string" || raw.out.trim() === "") problems.push("--out: required (the folder to write into)");
  if (problems.length > 0) throw new UserError("bad_option", problems.join("\n"), { exitCode: EXIT.usage });
  return {
    households,
    months,
    seed,
    format: format as ExportFormat,
    encoding: encoding as ExportEncoding,
    out: String(raw.out),
  };
}

/**
 * The households of a run, one at a time and in a fixed order (so nothing has to be held in memory): the same
 * options always give the same households.
 */
export function* generateHouseholds(options: Pick<GenerateOptions, "households" | "months" | "seed">): Generator<GeneratedHousehold> {
  const rng = new Random(options.seed);
  const layout = new RegionLayout(new Random(options.seed ^ 0x5bd1e995));
  const factory = new HouseholdFactory(rng, GENERATED_LAST_MONTH, options.months);
  for (let i = 0; i < options.households; i++) {
    const { village, sequence } = layout.nextHousehold();
    yield buildHousehold(factory, village, sequence);
  }
}
