/**
 * Reads every input into one Dataset: expand paths → open each file (xlsx sheets or one CSV) → recognise each table
 * from its first 20 rows → convert rows to records or RowIssues → assemble. Every row is accounted for.
 */
import type { Dataset, InputFile, TableReport } from "../model/dataset.js";
import { UserError } from "../model/errors.js";
import type { TableKind } from "../model/index.js";
import { DatasetBuilder } from "../schema/assemble.js";
import { describeColumns, recogniseTable, usedColumns, type Recognition } from "../schema/recognise.js";
import { fastIncomeLayout, readIncomeFast } from "./fastIncome.js";
import { fastHouseholdsLayout, fastMembersLayout, readMembersFast } from "./fastMembers.js";
import { fastEventsLayout, readEventsFast } from "./fastEvents.js";
import { convertRows, headOf, tableFlags } from "./tableRows.js";
import { openCsv } from "./csvReader.js";
import { STDIN, expandInputs, hashFile, sniffFile } from "./files.js";
import { openXlsx, xlsxDamaged } from "./xlsxReader.js";
import { incomeWorkerAvailable, readIncomeInWorker, type IncomeJob, type IncomeWorkerResult, type WorkerJob } from "./incomeWorker.js";
import { stat } from "node:fs/promises";

export interface ReadOptions {
  /** --encoding for CSV files (default: detected). */
  encoding?: string;
  recursive?: boolean;
  /** Folders not to look into when listing a folder's files (the command's own output folder). */
  exclude?: readonly string[];
  /** --year for wide income headers 1月…12月. */
  year?: number;
  /** Rows with a month after this (today's month) are rejected. */
  maxMonth?: number;
  /** Files given with --households / --members / --income / --events. */
  explicit?: Partial<Record<TableKind, string[]>>;
  signal?: AbortSignal;
  /** Read every CSV through the general path (for tests comparing the two paths). */
  noFastPath?: boolean;
  /** Called now and then with the number of rows read so far. */
  onProgress?: (rows: number) => void;
  /**
   * Read a long income CSV of at least `workerMinBytes` (default 32 MiB), or an income sheet of an xlsx file of at
   * least `workerMinBytes` (default 4 MiB), in a worker thread while the other files are read (default true; only
   * from the compiled CLI).
   */
  workers?: boolean;
  workerMinBytes?: number;
  /**
   * Called with the file (and sheet, "" for CSV) of every table read by the income worker, as it is adopted, and
   * whether the worker was started ahead of the files before it (tests).
   */
  onWorker?: (file: string, sheet: string, ahead: boolean) => void;
}

const WORKER_MIN_BYTES = 32 << 20;
/**
 * An xlsx file from which an income sheet goes to the worker: xlsx is about 8 times denser than CSV and slower to read
 * (≈ 200 k rows/s), so 4 MiB (≈ 80 k income rows, ≈ 0.4 s) already repays the thread's start.
 */
const XLSX_WORKER_MIN_BYTES = 4 << 20;

/** An income table being read by the income worker, adopted by the builder in the order of the files. */
interface PendingIncome {
  table: number;
  file: InputFile;
  /** The sheet's name ("" for CSV). */
  sheet: string;
  /** Started before the files ahead of this one were read (prestartIncome). */
  ahead: boolean;
  done: Promise<IncomeWorkerResult>;
  stop: () => void;
}

/** The reading state shared by the files of one readDataset call. */
interface ReadState {
  builder: DatasetBuilder;
  pending?: PendingIncome;
  /** The income worker started before the files ahead of its file were read (prestartIncome), until its turn. */
  prestarted?: { path: string; sheetIndex?: number; done: Promise<IncomeWorkerResult>; stop: () => void };
  onWorker?: ReadOptions["onWorker"];
}

/**
 * The income worker's job for a long income CSV whose head was read from `csv`, or undefined when the file cannot
 * take the byte-level path (the conditions of readFile's fast path, and a file large enough to repay a thread).
 */
async function incomeJobFor(
  path: string,
  display: string,
  csv: { encoding: string; delimiter: string; lineFeeds: boolean },
  recognition: Recognition,
  head: { row: number; cells: string[] }[],
  kind: TableKind | undefined,
  options: ReadOptions,
): Promise<IncomeJob | undefined> {
  const headerIndex = recognition.headerIndex;
  if (headerIndex === undefined || !fastIncomeLayout(recognition) || path === STDIN || csv.encoding.startsWith("utf-16") || !csv.lineFeeds || options.noFastPath) return undefined;
  if (!head.slice(0, headerIndex + 1).every((h) => h.cells.every((c) => !c.includes("\n") && !c.includes("\r")))) return undefined;
  if (options.workers === false || !incomeWorkerAvailable || (await stat(path)).size < workerMinBytes("csv", options)) return undefined;
  return {
    path,
    display,
    encoding: csv.encoding,
    delimiter: csv.delimiter,
    skipLines: headerIndex + 1,
    firstRow: head[headerIndex]!.row + 1,
    headCells: head.map((h) => h.cells),
    ...jobOptions(kind, options),
  };
}

/** Starts the income worker on `job`. */
function startIncomeWorker(job: WorkerJob, options: ReadOptions, progress: (n: number) => void): { done: Promise<IncomeWorkerResult>; stop: () => void } {
  return readIncomeInWorker(job, { signal: options.signal, onProgress: progress });
}

/** The reading options an income worker's job carries. */
function jobOptions(kind: TableKind | undefined, options: ReadOptions): { year?: number; kind?: TableKind; maxMonth?: number } {
  return {
    ...(options.year !== undefined ? { year: options.year } : {}),
    ...(kind !== undefined ? { kind } : {}),
    ...(options.maxMonth !== undefined ? { maxMonth: options.maxMonth } : {}),
  };
}

/** The size from which a file of `format` repays the income worker (`workerMinBytes` when given). */
function workerMinBytes(format: "csv" | "xlsx", options: ReadOptions): number {
  return options.workerMinBytes ?? (format === "xlsx" ? XLSX_WORKER_MIN_BYTES : WORKER_MIN_BYTES);
}

/** Whether an income sheet of the xlsx file at `path` is worth the income worker (workers allowed, file size). */
async function xlsxWorkerWanted(path: string, options: ReadOptions): Promise<boolean> {
  if (options.workers === false || !incomeWorkerAvailable) return false;
  return (await stat(path)).size >= workerMinBytes("xlsx", options);
}

/**
 * Hands income table `target.table` to the income worker: the worker started ahead on this very table (the same file,
 * and sheet) when there is one, else a new one on `job()` when the reading so far allows it (workerFree) and the
 * table suits it (`job()` undefined: no). Returns whether the worker took the table.
 */
async function delegateIncome(
  state: ReadState,
  at: { path: string; sheetIndex?: number },
  target: { table: number; file: InputFile; sheet: string },
  job: () => Promise<WorkerJob | undefined>,
  options: ReadOptions,
  progress: (n: number) => void,
): Promise<boolean> {
  const early = state.prestarted;
  if (early && early.path === at.path && early.sheetIndex === at.sheetIndex) {
    state.prestarted = undefined;
    state.pending = { ...target, ahead: true, done: early.done, stop: early.stop };
    return true;
  }
  const next = workerFree(state) ? await job() : undefined;
  if (!next) return false;
  state.pending = { ...target, ahead: false, ...startIncomeWorker(next, options, progress) };
  return true;
}

/**
 * Starts the income worker on the first income table before the files ahead of it are read (they are read on this
 * thread meanwhile), when that table is a long income CSV or an xlsx income sheet the worker would read anyway: the
 * bulk of a province is then read on the second core from the start. Only plain CSV and xlsx files may come before
 * it (their heads are recognised here, cheaply); anything unusual — a gzip file, stdin, a file that cannot be
 * opened — leaves the order to readFile, which reports errors in file order.
 */
async function prestartIncome(jobs: readonly { path: string; kind?: TableKind }[], state: ReadState, options: ReadOptions, progress: (n: number) => void): Promise<void> {
  if (options.workers === false || !incomeWorkerAvailable || options.noFastPath) return;
  try {
    // Nothing to start without a file large enough for the worker (the heads are not read twice for nothing).
    let large = false;
    for (const { path } of jobs) {
      if (path === STDIN) continue;
      const size = (await stat(path)).size;
      // The smaller (xlsx) size first: most files are not sniffed.
      if (size >= workerMinBytes("xlsx", options) && size >= workerMinBytes((await sniffFile(path)) === "xlsx" ? "xlsx" : "csv", options)) {
        large = true;
        break;
      }
    }
    if (!large) return;
    for (const { path, kind } of jobs) {
      if (path === STDIN) return;
      const format = await sniffFile(path);
      if (format === "xlsx") {
        if (await prestartXlsx(path, kind, state, options, progress)) return;
        continue;
      }
      if (format !== "csv") return;
      const csv = await openCsv(path, path, { encoding: options.encoding });
      let head: { row: number; cells: string[] }[];
      try {
        head = (await headOf(numbered(csv.rows))).head;
      } finally {
        csv.close();
      }
      const recognition = recogniseTable(head.map((h) => h.cells), { year: options.year, kind });
      if (recognition.kind !== "income") continue;
      const job = await incomeJobFor(path, path, csv, recognition, head, kind, options);
      if (job) state.prestarted = { path, ...startIncomeWorker(job, options, progress) };
      return;
    }
  } catch {
    // readFile meets the same problem in its turn and reports it there.
  }
}

/**
 * prestartIncome for one xlsx file: recognises each sheet from its head rows; at the first income sheet starts the
 * worker on it when the file is large enough. Returns true when an income sheet was found (started or not: the
 * search ends there, as the worker only ever takes the first income table).
 */
async function prestartXlsx(path: string, kind: TableKind | undefined, state: ReadState, options: ReadOptions, progress: (n: number) => void): Promise<boolean> {
  const { sheets, close } = await openXlsx(path, path);
  try {
    for (const [sheetIndex, sheet] of sheets.entries()) {
      const batches = sheet.rows();
      const { head } = await headOf(batches);
      await batches.return(undefined);
      if (recogniseTable(head.map((h) => h.cells), { year: options.year, kind }).kind !== "income") continue;
      if (await xlsxWorkerWanted(path, options)) {
        const job = { format: "xlsx" as const, path, display: path, sheetIndex, sheet: sheet.name, ...jobOptions(kind, options) };
        state.prestarted = { path, sheetIndex, ...startIncomeWorker(job, options, progress) };
      }
      return true;
    }
    return false;
  } finally {
    close();
  }
}

/**
 * Whether an income table may go to the income worker as far as the reading so far goes: no worker busy or started
 * ahead, and no income rows taken yet (so that the worker's rows come first). incomeJobFor says whether the file
 * itself suits it.
 */
function workerFree(state: ReadState): boolean {
  return !state.pending && !state.prestarted && state.builder.incomeRows === 0;
}

/** Waits for the income worker (if one is reading) and hands its table to the builder. */
async function settleIncome(state: ReadState): Promise<void> {
  const p = state.pending;
  if (!p) return;
  state.pending = undefined;
  const { result, digest } = await p.done;
  state.builder.adoptIncomeTable(p.table, result);
  Object.assign(p.file, digest);
  state.onWorker?.(p.file.path, p.sheet, p.ahead);
}

/** A table as it comes off a file: name, encoding and batches of (row number, cells). */
interface RawTable {
  sheet: string;
  encoding?: string;
  batches: AsyncGenerator<{ row: number; cells: string[] }[], void, void>;
  /**
   * The fast path for the data rows (CSV long income tables only): given the recognition and the head rows, reads
   * every data row itself and returns true, or returns false to let the general path go on.
   */
  fast?: (recognition: Recognition, head: { row: number; cells: string[] }[], table: number) => Promise<boolean>;
  /** Lets the reader skip decoding the cells of other columns (CSV byte-level path only). */
  setColumnMask?: (mask: Uint8Array) => void;
}

async function* numbered(rows: AsyncGenerator<string[][], void, void>): AsyncGenerator<{ row: number; cells: string[] }[], void, void> {
  let n = 0;
  for await (const batch of rows) yield batch.map((cells) => ({ row: ++n, cells }));
}

/** Reads all inputs (and the explicitly typed ones) into a Dataset. Throws UserError for an unreadable file. */
export async function readDataset(inputs: readonly string[], options: ReadOptions = {}): Promise<Dataset> {
  const builder = new DatasetBuilder();
  const jobs: { path: string; kind?: TableKind }[] = (await expandInputs(inputs, options)).map((path) => ({ path }));
  for (const [kind, paths] of Object.entries(options.explicit ?? {}) as [TableKind, string[]][]) {
    for (const path of await expandInputs(paths, options)) jobs.push({ path, kind });
  }
  let progressRows = 0;
  const progress = (n: number) => {
    progressRows += n;
    options.onProgress?.(progressRows);
  };
  const state: ReadState = { builder, onWorker: options.onWorker };
  // Each file's size and modification time before anything of it is read (the income worker may start first).
  const before = await Promise.all(jobs.map((j) => stampOf(j.path)));
  try {
    await prestartIncome(jobs, state, options, progress);
    // Each file is compared with its state before the reading once it has been read (the income worker's once its
    // table is adopted): a file edited after povwatch has read it is no concern.
    const checked = jobs.map(() => false);
    for (const [k, job] of jobs.entries()) {
      await readFile(job.path, job.kind, state, options, progress);
      if (state.pending?.file.path === job.path || state.prestarted?.path === job.path) continue;
      await refuseChanged(job.path, before[k]);
      checked[k] = true;
    }
    // What needs no income is done before waiting for the income worker, which may still be reading.
    builder.prepareFinish();
    // The end of a province's reading is seconds of work without I/O: a signal is looked for between its steps.
    await signalCheckpoint(options.signal);
    await settleIncome(state);
    await signalCheckpoint(options.signal);
    for (const [k, job] of jobs.entries()) if (!checked[k]) await refuseChanged(job.path, before[k]);
  } catch (err) {
    // The income worker's file comes before the one that failed here: its error, if it has one, is the first in
    // file order and the one reported, as on one thread (unless the run was interrupted).
    const earlier = state.pending;
    if (earlier && !options.signal?.aborted) {
      state.pending = undefined;
      const failure = await earlier.done.then(
        () => undefined,
        (e: unknown) => e,
      );
      if (failure !== undefined) throw failure;
    }
    throw err;
  } finally {
    state.pending?.stop();
    state.prestarted?.stop();
  }
  return builder.finish();
}

/** Lets the event loop see a signal (Ctrl-C), then stops with its reason once `signal` is aborted. */
async function signalCheckpoint(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal.aborted) throw signal.reason;
}

/** A file's size, modification time and identity (undefined for stdin, or a file that cannot be looked at). */
async function stampOf(path: string): Promise<{ size: number; mtimeMs: number; ino: number; dev: number } | undefined> {
  if (path === STDIN) return undefined;
  try {
    const { size, mtimeMs, ino, dev } = await stat(path);
    return { size, mtimeMs, ino, dev };
  } catch {
    return undefined;
  }
}

/**
 * Refuses a file that changed while it was read (an export still being copied into the folder, a file replaced):
 * its rows would be a mix of two versions, and run.json's digest would describe neither.
 */
async function refuseChanged(path: string, before: Awaited<ReturnType<typeof stampOf>>): Promise<void> {
  if (!before) return;
  const after = await stampOf(path);
  if (after && after.size === before.size && after.mtimeMs === before.mtimeMs && after.ino === before.ino && after.dev === before.dev) return;
  const what = !after
    ? "was removed"
    : after.ino !== before.ino || after.dev !== before.dev
      ? "was replaced by another file"
      : after.size !== before.size
        ? `changed size from ${before.size.toLocaleString("en-US")} to ${after.size.toLocaleString("en-US")} bytes`
        : "was modified";
  throw new UserError("input_changed", `${path}: ${what} while it was being read; nothing was written. Run again once the file is complete`, { context: { file: path } });
}

async function readFile(path: string, kind: TableKind | undefined, state: ReadState, options: ReadOptions, progress: (n: number) => void): Promise<void> {
  const { builder } = state;
  const display = path === STDIN ? "<stdin>" : path;
  const file: InputFile = { path: display, sha256: "", size: 0, tables: [] };
  builder.addInput(file);
  const format = path === STDIN ? "csv" : await sniffFile(path);
  if (format === "xlsx") {
    const { sheets, otherSheets, close } = await openXlsx(path, display);
    try {
      for (const [sheetIndex, sheet] of sheets.entries()) {
        // A large income sheet goes to the income worker (read there as here) while the next sheets and files are read.
        const batches = sheet.rows();
        const fast = async (recognition: Recognition, _head: unknown, table: number): Promise<boolean> => {
          if (recognition.kind !== "income") return false;
          const job = async () =>
            (await xlsxWorkerWanted(path, options)) ? { format: "xlsx" as const, path, display, sheetIndex, sheet: sheet.name, ...jobOptions(kind, options) } : undefined;
          if (!(await delegateIncome(state, { path, sheetIndex }, { table, file, sheet: sheet.name }, job, options, progress))) return false;
          await batches.return(undefined);
          return true;
        };
        await readTable(file, { sheet: sheet.name, batches, fast }, kind, state, options, progress);
      }
      // A chart sheet (or another sheet without cells) is listed after the worksheets, not left out silently.
      for (const name of otherSheets) {
        const counts = { read: 0, accepted: 0, rejected: 0, skipped: 0, duplicates: 0 };
        const reason = "a chart sheet or another sheet without cells, not a table";
        builder.addTable(file, { file: file.path, sheet: name, kind: null, columns: {}, ignored: [], counts, firstRejects: [], reason }, { hasWage: false, wide: false });
      }
    } catch (err) {
      if (err instanceof UserError) throw err;
      throw xlsxDamaged(display, err);
    } finally {
      close();
    }
    Object.assign(file, await hashFile(path));
  } else {
    const csv = await openCsv(path, display, { encoding: options.encoding, gzip: format === "csv.gz" });
    let fastDigest: { sha256: string; size: number } | undefined;
    const fast = async (recognition: Recognition, head: { row: number; cells: string[] }[], table: number): Promise<boolean> => {
      const incomeLayout = fastIncomeLayout(recognition);
      const membersLayout = incomeLayout ? undefined : (fastMembersLayout(recognition) ?? fastHouseholdsLayout(recognition));
      const eventsLayout = incomeLayout || membersLayout ? undefined : fastEventsLayout(recognition);
      const headerIndex = recognition.headerIndex!;
      const singleLine = head.slice(0, headerIndex + 1).every((h) => h.cells.every((c) => !c.includes("\n") && !c.includes("\r")));
      if ((!incomeLayout && !membersLayout && !eventsLayout) || path === STDIN || format !== "csv" || csv.encoding.startsWith("utf-16") || !csv.lineFeeds || !singleLine || options.noFastPath) {
        return false;
      }
      csv.close();
      const where = { path, display, encoding: csv.encoding, delimiter: csv.delimiter, skipLines: headerIndex + 1, firstRow: head[headerIndex]!.row + 1 };
      // The bulk of a province: read on the second core while the next files are read here.
      const job = () => incomeJobFor(path, display, csv, recognition, head, kind, options);
      if (incomeLayout && (await delegateIncome(state, { path }, { table, file, sheet: "" }, job, options, progress))) {
        delegated = true;
        return true;
      }
      const common = {
        ...where,
        recognition,
        table,
        builder,
        maxMonth: options.maxMonth,
        signal: options.signal,
        onProgress: (n: number) => {
          progress(n - fastReported);
          fastReported = n;
        },
      };
      fastDigest = incomeLayout
        ? await readIncomeFast({ ...common, layout: incomeLayout })
        : membersLayout
          ? await readMembersFast({ ...common, layout: membersLayout })
          : await readEventsFast({ ...common, layout: eventsLayout! });
      return true;
    };
    let fastReported = 0;
    let delegated = false;
    await readTable(file, { sheet: "", encoding: csv.encoding, batches: numbered(csv.rows), fast, setColumnMask: csv.setColumnMask }, kind, state, options, progress);
    // A table read by the income worker gets its digest when the worker's result is adopted.
    if (!delegated) Object.assign(file, fastDigest ?? csv.digest());
  }
}

async function readTable(file: InputFile, raw: RawTable, kind: TableKind | undefined, state: ReadState, options: ReadOptions, progress: (n: number) => void): Promise<void> {
  const { builder } = state;
  // Gather the first rows for header detection.
  const { head, rest: pending } = await headOf(raw.batches);
  const recognition = recogniseTable(head.map((h) => h.cells), { year: options.year, kind });
  // Income rows must arrive in the order of the files: a table the worker is reading comes before this one's.
  if (recognition.kind === "income") await settleIncome(state);
  const report: TableReport = {
    file: file.path,
    sheet: raw.sheet,
    kind: recognition.kind,
    columns: describeColumns(recognition),
    ignored: recognition.ignored,
    counts: { read: 0, accepted: 0, rejected: 0, skipped: 0, duplicates: 0 },
    firstRejects: [],
  };
  if (raw.encoding) report.encoding = raw.encoding;
  if (recognition.headerIndex !== undefined) report.headerRow = head[recognition.headerIndex]!.row;
  const table = builder.addTable(file, report, tableFlags(recognition));

  if (!recognition.kind) {
    report.reason = recognition.reason ?? "no recognised columns";
    if (raw.encoding && raw.encoding !== "utf-8" && raw.encoding !== "utf-8-bom" && recognition.headerIndex === undefined) {
      report.reason += ` (read as ${raw.encoding}; if the file is in another encoding, give --encoding)`;
    } else if (raw.encoding && recognition.headerIndex === undefined) {
      report.reason += ` (read as ${raw.encoding})`;
    }
    let n = head.length + pending.length - (recognition.headerIndex !== undefined ? 1 : 0);
    for await (const batch of raw.batches) n += batch.length;
    builder.skipRows(table, n);
    return;
  }

  const headerIndex = recognition.headerIndex!;
  builder.skipRows(table, headerIndex);
  if (raw.fast && (await raw.fast(recognition, head, table))) return;
  if (raw.setColumnMask) {
    const used = usedColumns(recognition);
    const mask = new Uint8Array(Math.max(0, ...used) + 1);
    for (const i of used) mask[i] = 1;
    raw.setColumnMask(mask);
  }
  await convertRows(
    recognition,
    { head, rest: pending, batches: raw.batches },
    { builder, table, file: file.path, sheet: raw.sheet },
    { maxMonth: options.maxMonth, signal: options.signal, progress },
  );
}
