/**
 * The income worker: reads one long income CSV through the fast path (fastIncome.ts) on the second core while the
 * main thread reads the other files, and hands the columnar income store back without copying it (its typed arrays
 * are transferred). readDataset starts it (readIncomeInWorker) and adopts the result in the order of the files.
 *
 * The worker recognises the table again from the same head rows (recognition is deterministic), so that nothing but
 * plain data crosses between the threads.
 */
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import type { InputFile, TableReport } from "../model/dataset.js";
import { UserError } from "../model/errors.js";
import { DatasetBuilder, type IncomeTableResult } from "../schema/assemble.js";
import { recogniseTable } from "../schema/recognise.js";
import type { TableKind } from "../model/index.js";
import { fastIncomeLayout, readIncomeFast } from "./fastIncome.js";
import type { FastReadContext } from "./fastLines.js";

/** What the worker is given: the file, how it was opened, and the head rows it was recognised from. */
export interface IncomeJob extends Pick<FastReadContext, "path" | "display" | "encoding" | "delimiter" | "skipLines" | "firstRow"> {
  headCells: string[][];
  year?: number;
  kind?: TableKind;
  maxMonth?: number;
}

type Message =
  | { type: "progress"; rows: number }
  | { type: "done"; result: IncomeTableResult; digest: { sha256: string; size: number } }
  | { type: "error"; code: string; message: string; exitCode: number; context: UserError["context"] }
  | { type: "bug"; message: string };

/**
 * Starts reading the income rows of `job` in a worker thread. `done` resolves with the table's result, or rejects
 * with the worker's UserError (or the abort reason); `stop` ends the worker.
 */
export function readIncomeInWorker(
  job: IncomeJob,
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
  digest: { sha256: string; size: number };
}

async function run(job: IncomeJob): Promise<void> {
  const post = (m: Message, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);
  try {
    const recognition = recogniseTable(job.headCells, { year: job.year, kind: job.kind });
    const layout = fastIncomeLayout(recognition);
    if (!layout) throw new Error("not a long income table");
    const builder = new DatasetBuilder();
    const file: InputFile = { path: job.display, sha256: "", size: 0, tables: [] };
    const report: TableReport = {
      file: job.display,
      sheet: "",
      kind: "income",
      columns: {},
      ignored: [],
      counts: { read: 0, accepted: 0, rejected: 0, skipped: 0, duplicates: 0 },
      firstRejects: [],
    };
    const table = builder.addTable(file, report, { hasWage: recognition.columns.some((c) => c.def.field === "wage"), wide: false });
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

/** Whether this module runs as compiled JavaScript (a worker cannot start from the TypeScript sources under test). */
export const incomeWorkerAvailable = import.meta.url.endsWith(".js");

const job = isMainThread ? undefined : (workerData as { povwatchIncomeJob?: IncomeJob } | undefined)?.povwatchIncomeJob;
if (job && parentPort) void run(job);
