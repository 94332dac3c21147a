/**
 * The input options shared by every command that reads exports (scan, check, inspect), checked and defaulted in one
 * place: --encoding, --recursive, --year, and --households/--members/--income/--events to assign a kind explicitly.
 */
import { Option, type Command } from "commander";
import { FACTS_WORKER_MIN_MEMBERS } from "../../audit/idFacts.js";
import type { ReadOptions } from "../../io/readDataset.js";
import { normalizeEncoding } from "../../io/csvReader.js";
import { EXIT, UserError } from "../../model/errors.js";
import { monthOf } from "../../model/month.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Declares the shared input options on a command. */
export function addReadOptions(cmd: Command): void {
  cmd
    .option("--encoding <name>", "encoding of CSV files: utf8, gb18030 (default: detected)")
    .option("--recursive", "read folders recursively")
    .option("--year <YYYY>", "the year of wide income columns named 1月…12月")
    .addOption(new Option("--households <file>", "read FILE as a households table").argParser(collect))
    .addOption(new Option("--members <file>", "read FILE as a members table").argParser(collect))
    .addOption(new Option("--income <file>", "read FILE as a monthly income table").argParser(collect))
    .addOption(new Option("--events <file>", "read FILE as department events").argParser(collect));
}

/** ReadOptions from parsed command options; `now` gives the latest acceptable month. Throws UserError (exit 2). */
export function readOptionsFrom(options: Record<string, unknown>, now: Date): ReadOptions {
  const out: ReadOptions = { maxMonth: monthOf(now.getFullYear(), now.getMonth() + 1) };
  // The income worker (readDataset): POVWATCH_WORKERS=0 reads everything on one thread; POVWATCH_WORKER_MIN_BYTES
  // sets the size from which an income CSV or xlsx workbook gets the worker (tests use 0, on small files).
  if (process.env.POVWATCH_WORKERS === "0") out.workers = false;
  const minBytes = envCount("POVWATCH_WORKER_MIN_BYTES");
  if (minBytes !== undefined) out.workerMinBytes = minBytes;
  if (typeof options.encoding === "string") out.encoding = normalizeEncoding(options.encoding);
  if (options.recursive) out.recursive = true;
  if (options.year !== undefined) {
    const y = Number(options.year);
    if (!Number.isInteger(y) || y < 1990 || y > 2100) throw new UserError("bad_option", `--year: expected a year such as 2026, got "${String(options.year)}"`, { exitCode: 2 });
    out.year = y;
  }
  const explicit: NonNullable<ReadOptions["explicit"]> = {};
  for (const kind of ["households", "members", "income", "events"] as const) {
    const v = options[kind];
    if (Array.isArray(v) && v.length) explicit[kind] = v as string[];
  }
  if (Object.keys(explicit).length) out.explicit = explicit;
  return out;
}

/**
 * From how many members the scan and check compute the audit's per-member ID facts in a worker thread: undefined when
 * the read options say one thread (POVWATCH_WORKERS=0), POVWATCH_FACTS_WORKER_MIN when set (tests use 0), else the
 * default (idFacts.ts).
 */
export function factsWorkerMinFrom(readOptions: ReadOptions): number | undefined {
  if (readOptions.workers === false) return undefined;
  return envCount("POVWATCH_FACTS_WORKER_MIN") ?? FACTS_WORKER_MIN_MEMBERS;
}

/** A whole number ≥ 0 set in environment variable `name`, else undefined (unset, empty or not such a number). */
function envCount(name: string): number | undefined {
  const text = process.env[name];
  const n = Number(text);
  return text && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * Refuses a reading command (scan, check, inspect) with nothing to read: no INPUTS and no --households, --members,
 * --income or --events (exit 2).
 */
export function requireInputs(command: string, inputs: readonly string[], options: ReadOptions): void {
  if (inputs.length === 0 && !options.explicit) {
    throw new UserError("usage", `${command}: no INPUTS given (files, folders or globs; - reads a CSV from stdin)`, { exitCode: EXIT.usage });
  }
}
