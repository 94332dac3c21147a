/**
 * The income worker: reads one large income table on the second core while the main thread reads the other files,
 * and hands the columnar income store back without copying it (its typed arrays are transferred or shared).
 * readDataset starts it (readIncomeInWorker) and adopts the result in the order of the files. Two kinds of job:
 * - a long income CSV, through the byte-level fast path (fastIncome.ts); the worker recognises the table again from
 *   the same head rows (recognition is deterministic), so that nothing but plain data crosses between the threads;
 * - an income sheet of an xlsx workbook, through the general path (tableRows.ts); the worker opens the workbook
 *   and reads the sheet's head rows again itself.
 */
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import type { InputFile, TableReport } from "../model/dataset.js";
import { UserError } from "../model/errors.js";
import { DatasetBuilder, type IncomeTableResult } from "../schema/assemble.js";
import { recogniseTable, type Recognition } from "../schema/recognise.js";
import type { TableKind } from "../model/index.js";
import { fastIncomeLayout, readIncomeFast } from "./fastIncome.js";
import type { FastReadContext } from "./fastLines.js";
import { openXlsx, xlsxDamaged } from "./xlsxReader.js";
import { convertRows, headOf, tableFlags } from "./tableRows.js";

/** A long income CSV: the file, how it was opened, and the head rows it was recognised from. */
export interface IncomeJob extends Pick<FastReadContext, "path" | "display" | "encoding" | "delimiter" | "skipLines" | "firstRow"> {
  format?: "csv";
  headCells: string[][];
  year?: number;
  kind?: TableKind;
  maxMonth?: number;
}

/** An income sheet of an xlsx workbook: which sheet (its index among the worksheets, and its name). */
export interface XlsxIncomeJob {
  format: "xlsx";
  path: string;
  display: string;
  sheetIndex: number;
  sheet: string;
  year?: number;
  kind?: TableKind;
  maxMonth?: number;
}

export type WorkerJob = IncomeJob | XlsxIncomeJob;

type Message =
  | { type: "progress"; rows: number }
  | { type: "done"; result: IncomeTableResult; digest?: { sha256: string; size: number } }
  | { type: "error"; code: string; message: string; exitCode: number; context: UserError["context"] }
  | { type: "bug"; message: string };

/**
 * Starts reading the income rows of `job` in a worker thread. `done` resolves with the table's result, or rejects
 * with the worker's UserError (or the abort reason); `stop` ends the worker.
 */
export function readIncomeInWorker(
  job: WorkerJob,
  options: { signal?: AbortSignal; onProgress?: (rows: number) => void },
): { done: Promise<IncomeWorkerResult>; stop: () => void } {
  const worker = new Worker(new URL(import.meta.url), { workerData: { povwatchIncomeJob: job } });
  const done = new Promise<IncomeWorkerResult>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener("abort", onAbort);
      f();
    };
    const onAbort = () => {
      void worker.terminate();
      finish(() => reject(options.signal!.reason instanceof Error ? options.signal!.reason : new UserError("interrupted", "interrupted")));
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    worker.on("message", (m: Message) => {
      if (m.type === "progress") options.onProgress?.(m.rows);
      else if (m.type === "done") finish(() => resolve({ result: m.result, digest: m.digest }));
      else if (m.type === "error") finish(() => reject(new UserError(m.code, m.message, { exitCode: m.exitCode, context: m.context })));
      else finish(() => reject(new Error(`income worker: ${m.message}`)));
    });
    worker.on("error", (err) => finish(() => reject(err)));
    // A result posted just before the worker ends arrives first; anything else is a worker that died.
    worker.on("exit", (code) => setImmediate(() => finish(() => reject(new Error(`income worker stopped (exit code ${code})`)))));
  });
  // The caller may fail on another file first and never wait for this one.
  done.catch(() => undefined);
  return { done, stop: () => void worker.terminate() };
}

export interface IncomeWorkerResult {
  result: IncomeTableResult;
  /** The CSV file's digest, computed while it was read (an xlsx file is hashed by the main thread). */
  digest?: { sha256: string; size: number };
}

async function run(job: WorkerJob): Promise<void> {
  const post = (m: Message, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);
  try {
    if (job.format === "xlsx") {
      const { result, transfer } = await readXlsxIncome(job, (rows) => post({ type: "progress", rows }));
      post({ type: "done", result }, transfer);
      return;
    }
    const recognition = recogniseTable(job.headCells, { year: job.year, kind: job.kind });
    const layout = fastIncomeLayout(recognition);
    if (!layout) throw new Error("not a long income table");
    const { builder, table } = incomeTable(job.display, "", recognition);
    let last = 0;
    const { path, display, encoding, delimiter, skipLines, firstRow, maxMonth } = job;
    const digest = await readIncomeFast({
      path,
      display,
      encoding,
      delimiter,
      skipLines,
      firstRow,
      recognition,
      table,
      builder,
      maxMonth,
      layout,
      onProgress: (rows) => {
        post({ type: "progress", rows: rows - last });
        last = rows;
      },
    });
    const { result, transfer } = builder.incomeTableResult();
    post({ type: "done", result, digest }, transfer);
  } catch (err) {
    if (err instanceof UserError) post({ type: "error", code: err.code, message: err.message, exitCode: err.exitCode, context: err.context });
    else post({ type: "bug", message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

/**
 * The worker's builder with its only table, the job's income table (its counts start at 0: the main thread counted
 * the rows above the header, and adds these in adoptIncomeTable).
 */
function incomeTable(display: string, sheet: string, recognition: Recognition): { builder: DatasetBuilder; table: number } {
  const builder = new DatasetBuilder();
  const file: InputFile = { path: display, sha256: "", size: 0, tables: [] };
  const report: TableReport = {
    file: display,
    sheet,
    kind: "income",
    columns: {},
    ignored: [],
    counts: { read: 0, accepted: 0, rejected: 0, skipped: 0, duplicates: 0 },
    firstRejects: [],
  };
  return { builder, table: builder.addTable(file, report, tableFlags(recognition)) };
}

/** The income sheet of an xlsx job, read as the main thread reads any sheet (readDataset's readTable). */
async function readXlsxIncome(job: XlsxIncomeJob, progress: (rows: number) => void): Promise<ReturnType<DatasetBuilder["incomeTableResult"]>> {
  const { sheets, close } = await openXlsx(job.path, job.display);
  try {
    const sheet = sheets[job.sheetIndex];
    if (!sheet || sheet.name !== job.sheet) throw new Error(`sheet ${job.sheetIndex} of ${job.display} is not ${job.sheet}`);
    const batches = sheet.rows();
    const { head, rest } = await headOf(batches);
    const recognition = recogniseTable(
      head.map((h) => h.cells),
      { year: job.year, kind: job.kind },
    );
    if (recognition.kind !== "income" || recognition.headerIndex === undefined) throw new Error("not an income table");
    const { builder, table } = incomeTable(job.display, sheet.name, recognition);
    await convertRows(recognition, { head, rest, batches }, { builder, table, file: job.display, sheet: sheet.name }, { maxMonth: job.maxMonth, progress });
    return builder.incomeTableResult();
  } catch (err) {
    // As readDataset's readFile reports a sheet that fails half-way.
    if (err instanceof UserError) throw err;
    throw xlsxDamaged(job.display, err);
  } finally {
    close();
  }
}

/** Whether this module runs as compiled JavaScript (a worker cannot start from the TypeScript sources under test). */
export const incomeWorkerAvailable = import.meta.url.endsWith(".js");

const job = isMainThread ? undefined : (workerData as { povwatchIncomeJob?: WorkerJob } | undefined)?.povwatchIncomeJob;
if (job && parentPort) void run(job);
