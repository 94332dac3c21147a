/**
 * The ID facts worker: computes the per-member ID facts (idFactsKernel.ts) of a large member store on the second core
 * while the main thread starts the rules and the audit, which read each household's facts as soon as they are there.
 * The main thread sends copies of the store's ID bytes, lengths and 出生日期 codes (transferred, not shared: the store
 * keeps growing arrays of its own) and shares the output arrays and a progress counter (SharedArrayBuffer):
 * progress[0] = members done (advanced a chunk at a time), progress[1] = 1 when finished, −1 when the worker failed.
 * With the members' households it then does Q002's first pass (idFactsKernel.ts memberPairsInto) into shared
 * arrays: progress[2] = 1 when those are there, progress[3] = the number of pairs.
 */
import { Worker, isMainThread, workerData } from "node:worker_threads";
import { computeFactsRange, memberPairsInto, type FactsInput } from "./idFactsKernel.js";

/** Members per chunk between two progress updates (≈ 10 ms of work). */
const CHUNK = 1 << 15;

/** progress[1]'s values. */
export const FACTS_RUNNING = 0;
export const FACTS_DONE = 1;
export const FACTS_FAILED = -1;

/** Q002's first pass: the members' households (a copy, transferred) in, the sorted pairs and the marks out (shared). */
export interface PairsJob {
  households: Int32Array;
  keys: Uint32Array;
  owners: Int32Array;
  marked: Uint8Array;
}

interface FactsJob {
  input: FactsInput;
  flags: Uint8Array;
  hashes: Int32Array;
  progress: Int32Array;
  pairs: PairsJob;
}

/** Whether this module runs as compiled JavaScript (a worker cannot start from the TypeScript sources under test). */
export const factsWorkerAvailable = import.meta.url.endsWith(".js");

/**
 * Starts the worker on `input` (its arrays are transferred: the caller must not use them again), filling the shared
 * `flags` and `hashes` and advancing `progress`.
 */
export function startFactsWorker(input: FactsInput, flags: Uint8Array, hashes: Int32Array, progress: Int32Array, pairs: PairsJob): void {
  const job: FactsJob = { input, flags, hashes, progress, pairs };
  const transfer = [input.bytes.buffer, input.lengths.buffer, input.birthCodes.buffer, input.birthNumbers.buffer, pairs.households.buffer] as ArrayBuffer[];
  const worker = new Worker(new URL(import.meta.url), { workerData: { povwatchIdFacts: job }, transferList: transfer });
  const failed = () => {
    if (Atomics.load(progress, 1) === FACTS_RUNNING) {
      Atomics.store(progress, 1, FACTS_FAILED);
      Atomics.notify(progress, 0);
      Atomics.notify(progress, 2);
    }
  };
  // A worker that cannot start or dies: the main thread computes what is missing itself (idFacts.ts waitForFacts).
  worker.on("error", failed);
  worker.on("exit", failed);
  worker.unref();
}

function run(job: FactsJob): void {
  const { input, flags, hashes, progress, pairs } = job;
  try {
    for (let from = 0; from < input.n; from += CHUNK) {
      const to = Math.min(input.n, from + CHUNK);
      computeFactsRange(input, flags, hashes, from, to);
      Atomics.store(progress, 0, to);
      Atomics.notify(progress, 0);
    }
    Atomics.store(progress, 3, memberPairsInto(flags, hashes, pairs.households, input.n, pairs));
    Atomics.store(progress, 2, 1);
    Atomics.notify(progress, 2);
    Atomics.store(progress, 1, FACTS_DONE);
  } catch {
    Atomics.store(progress, 1, FACTS_FAILED);
  }
  Atomics.notify(progress, 0);
  Atomics.notify(progress, 2);
}

const job = isMainThread ? undefined : (workerData as { povwatchIdFacts?: FactsJob } | undefined)?.povwatchIdFacts;
if (job) run(job);
