/**
 * Writes a run's output files as one step: every file is first written complete into a staging folder (scan: next to
 * the period's folder, `OUT/.<period>.<pid>.tmp/`; check and diff, whose folder holds other files: inside it,
 * `DIR/.povwatch.<pid>.tmp/`), then renamed into place, in order (run.json last); outputs of an earlier run that this
 * run does not produce (`knownNames`) are removed afterwards, so the folder always describes one run. An error or an
 * interrupt before the renames leaves the earlier outputs exactly as they were: never a new audit.xlsx beside an old
 * audit.csv.
 */
import { lstat, mkdir, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { LazyTableSpec, TableSpec, WorkbookSpec } from "../report/workbook.js";
import { UserError } from "../model/errors.js";
import { writeCsv, type CsvEncoding } from "./writeCsv.js";
import { writeWorkbook } from "./writeWorkbook.js";
import { registerTempDir, unregisterTempDir, writeFileAtomic } from "./atomic.js";

export type PlannedOutput =
  | { name: string; kind: "csv"; table: TableSpec | LazyTableSpec }
  | { name: string; kind: "xlsx"; workbook: WorkbookSpec }
  | { name: string; kind: "text"; text: () => string };

export interface WriteOutputsOptions {
  csvEncoding: CsvEncoding;
  /** Fixed timestamp inside xlsx files (deterministic bytes; writeWorkbook's default when not given). */
  timestamp?: Date;
  /** Where the staging folder goes: beside `dir` (default) or inside it. */
  staging?: "beside" | "inside";
  signal?: AbortSignal;
  /** Names this command may have written earlier, removed when not written this time (default: none). */
  knownNames?: readonly string[];
}

/** Writes `outputs` into `dir` (created if needed) as described above. */
export async function writeOutputs(dir: string, outputs: readonly PlannedOutput[], options: WriteOutputsOptions): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw ioError(dir, cause);
  }
  const staging = options.staging === "inside" ? join(dir, `.povwatch.${process.pid}.tmp`) : join(dirname(dir), `.${basename(dir)}.${process.pid}.tmp`);
  registerTempDir(staging);
  try {
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging);
    for (const o of outputs) {
      if (options.signal?.aborted) throw options.signal.reason;
      const path = join(staging, o.name);
      if (o.kind === "csv") await writeCsv(path, o.table, { encoding: options.csvEncoding, signal: options.signal });
      else if (o.kind === "xlsx") await writeWorkbook(path, o.workbook, { ...(options.timestamp ? { timestamp: options.timestamp } : {}), signal: options.signal });
      else await writeFileAtomic(path, o.text());
    }
    if (options.signal?.aborted) throw options.signal.reason;
    await moveIntoPlace(staging, dir, outputs.map((o) => o.name));
    const written = new Set(outputs.map((o) => o.name));
    const existing = await readdir(dir);
    for (const name of options.knownNames ?? []) {
      if (!written.has(name) && existing.includes(name)) await rm(join(dir, name), { force: true });
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw ioError(dir, err);
  } finally {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    unregisterTempDir(staging);
  }
}

/**
 * Renames the staged files into `dir`, in order, undone as a whole when one rename fails (a file of that name held
 * open on Windows, a folder of that name): each earlier file is first moved aside (`.<name>.<pid>.earlier` beside
 * it), then the new one moved in; on failure the new files are taken out again and the earlier ones put back. The
 * earlier files are removed once every new one is in place. They are not removed at exit: a run killed half-way
 * leaves an earlier output under that name rather than lose it.
 */
async function moveIntoPlace(staging: string, dir: string, names: readonly string[]): Promise<void> {
  const moved: { final: string; aside: string | undefined }[] = [];
  try {
    for (const name of names) {
      const final = join(dir, name);
      const earlier = await lstat(final).catch((err: NodeJS.ErrnoException) => {
        if (err.code === "ENOENT") return undefined;
        throw err;
      });
      if (earlier?.isDirectory()) throw Object.assign(new Error(`${final} is a folder`), { code: "EISDIR", path: final });
      const aside = earlier ? join(dir, `.${name}.${process.pid}.earlier`) : undefined;
      if (aside) await rename(final, aside);
      moved.push({ final, aside });
      await rename(join(staging, name), final);
    }
  } catch (err) {
    for (const { final, aside } of moved.reverse()) {
      if (aside) await rename(aside, final).catch(() => undefined);
      else await rm(final, { force: true }).catch(() => undefined);
    }
    throw err;
  }
  for (const { aside } of moved) if (aside) await rm(aside, { force: true }).catch(() => undefined);
}

function ioError(dir: string, cause: unknown): unknown {
  const e = cause as NodeJS.ErrnoException;
  if (!e || typeof e !== "object" || !("code" in e)) return cause;
  const what =
    e.code === "EACCES" || e.code === "EPERM"
      ? "permission denied"
      : e.code === "ENOSPC"
        ? "disk full"
        : e.code === "EROFS"
          ? "read-only file system"
          : e.code === "EISDIR" && e.path
            ? `${e.path} is a folder`
            : `${e.code}`;
  return new UserError("write_failed", `${dir}: cannot write the outputs (${what}); earlier outputs were left as they were`, { cause, context: { file: dir } });
}
