/**
 * Atomic output (outputs.md): every file is written to `.<name>.<pid>.tmp` in the same folder, flushed to disk and
 * renamed into place when complete, so a crash or Ctrl-C never leaves a half-written file under a final name.
 * Live temporary files, staging folders and held locks are registered, so that an interrupt (or any process exit)
 * removes them.
 */
import { createWriteStream, existsSync, linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import type { WriteStream } from "node:fs";
import { mkdir, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { UserError, EXIT } from "../model/errors.js";

const liveTempFiles = new Set<string>();
const liveTempDirs = new Set<string>();
const heldLocks = new Map<string, () => void>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    removeAllTempFiles();
    removeAllTempDirs();
    releaseAllLocks();
  });
}

/** Registers a staging folder being written (writeOutputs.ts) for removal at exit or interrupt. */
export function registerTempDir(path: string): void {
  installExitHook();
  liveTempDirs.add(path);
}

export function unregisterTempDir(path: string): void {
  liveTempDirs.delete(path);
}

/** Removes every registered staging folder (synchronous, safe in signal and exit handlers). */
export function removeAllTempDirs(): void {
  for (const p of liveTempDirs) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
  liveTempDirs.clear();
}

/** The temporary name used while writing `path`: `.<name>.<pid>.tmp` in the same folder. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/** Temporary files currently being written (for tests and diagnostics). */
export function liveTempPaths(): string[] {
  return [...liveTempFiles];
}

/**
 * Removes every temporary file still being written (synchronous, safe to call from a signal or exit handler).
 * Final files already renamed into place are not touched.
 */
export function removeAllTempFiles(): void {
  for (const p of liveTempFiles) {
    try {
      unlinkSync(p);
    } catch {
      // already gone
    }
  }
  liveTempFiles.clear();
}

function register(temp: string): void {
  installExitHook();
  liveTempFiles.add(temp);
}

/** Registers a temporary file written elsewhere (writeExport.ts) for removal at exit or interrupt. */
export function registerTempFile(path: string): void {
  register(path);
}

/** The file at `path` is no longer temporary (renamed into place, or removed). */
export function unregisterTempFile(path: string): void {
  liveTempFiles.delete(path);
}

async function syncFile(path: string): Promise<void> {
  const fh = await open(path, "r+");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename durable; not supported everywhere (Windows), so failures are ignored.
  try {
    const fh = await open(dir, "r");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* best effort */
  }
}

async function discard(temp: string): Promise<void> {
  liveTempFiles.delete(temp);
  await unlink(temp).catch(() => undefined);
}

/** Writes `data` to `path` atomically: temp file, fsync, rename. On failure the temp file is removed. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(path);
  register(temp);
  try {
    const fh = await open(temp, "w");
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, path);
    liveTempFiles.delete(temp);
  } catch (err) {
    await discard(temp);
    throw err;
  }
  await syncDirectory(dirname(path));
}

/** A stream onto a temporary file that becomes `path` on `commit()` and disappears on `abort()`. */
export interface AtomicWriteStream {
  readonly path: string;
  readonly tempPath: string;
  readonly stream: WriteStream;
  /** Ends the stream if needed, waits until it is flushed and closed (not renamed yet). */
  finish(): Promise<void>;
  /** finish(), fsync, rename into place. */
  commit(): Promise<void>;
  /** Destroys the stream and removes the temporary file; the final name is left as it was. */
  abort(): Promise<void>;
}

/** Opens a write stream onto `.<name>.<pid>.tmp` next to `path` (see AtomicWriteStream). */
export function createAtomicWriteStream(path: string): AtomicWriteStream {
  const temp = tempPathFor(path);
  register(temp);
  const stream = createWriteStream(temp);
  let streamError: Error | undefined;
  stream.on("error", (err) => {
    streamError = err;
  });
  const closed = new Promise<void>((resolve) => stream.once("close", () => resolve()));
  let settled = false;
  const finish = async () => {
    if (!stream.writableEnded) stream.end();
    await closed;
    if (streamError) throw streamError;
  };
  return {
    path,
    tempPath: temp,
    stream,
    finish,
    async commit() {
      if (settled) throw new Error(`atomic write of ${path} already committed or aborted`);
      try {
        await finish();
        await syncFile(temp);
        await rename(temp, path);
        settled = true;
        liveTempFiles.delete(temp);
      } catch (err) {
        settled = true;
        await discard(temp);
        throw err;
      }
      await syncDirectory(dirname(path));
    },
    async abort() {
      if (settled) return;
      settled = true;
      stream.destroy();
      await closed;
      await discard(temp);
    },
  };
}

// ---------------------------------------------------------------- output-folder lock

/** Name of the lock file in an output folder. */
export const LOCK_FILE = ".povwatch.lock";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The PID a lock file holds; undefined when it holds none (or cannot be read), null when there is no such file. */
function readLockPid(lockPath: string): number | null | undefined {
  try {
    const text = readFileSync(lockPath, "utf8").trim();
    return /^\d+$/.test(text) ? Number(text) : undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT" ? null : undefined;
  }
}

/**
 * Creates the output folder `dir` (and its parents) when missing. A file of that name is a UserError
 * `output_not_folder` (exit 1) saying so; other failures are thrown as they come (main.ts words them).
 */
export async function makeOutputFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    throw new UserError("output_not_folder", `${dir}: is a file, not a folder; choose another folder (--out)`, { context: { file: dir } });
  }
}

/**
 * Takes the output folder's lock (`DIR/.povwatch.lock`, holding this process's PID), creating the folder if needed.
 * A lock left by a dead process is taken over; a lock held by a live process (this one included) is refused with a
 * UserError `output_locked` naming its PID (exit 1). The lock is created complete and atomically (written to a
 * temporary file, then hard-linked into place). A stale lock is taken over only under a second, short-lived lock
 * (`DIR/.povwatch.lock.takeover`), which looks at the lock once more before removing it: without it, two runs that
 * both found the same stale lock could each remove it, the second removing the first's new lock, and both go on.
 * Returns the release function (idempotent); the lock is also released when the process exits.
 */
export async function acquireLock(dir: string): Promise<() => void> {
  await makeOutputFolder(dir);
  const lockPath = join(dir, LOCK_FILE);
  const temp = join(dir, `${LOCK_FILE}.${process.pid}.tmp`);
  register(temp);
  writeFileSync(temp, `${process.pid}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temp, lockPath);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        if (attempt >= TAKEOVER_ATTEMPTS) {
          const stuck = existsSync(`${lockPath}.takeover`) ? ` and ${lockPath}.takeover` : "";
          throw new UserError("output_locked", `${dir}: could not take the lock ${lockPath}; another run keeps taking it (if no povwatch is running, delete ${lockPath}${stuck})`, { context: { file: lockPath } });
        }
      }
      // Released by its holder since: not stale, just gone; the next link attempt decides.
      if (readLockPid(lockPath) === null) continue;
      refuseLiveLock(dir, lockPath);
      // Stale (dead PID, or unreadable): take it over, one process at a time.
      if (!takeOverStaleLock(dir, lockPath, temp)) await new Promise((resolve) => setTimeout(resolve, TAKEOVER_WAIT_MS));
    }
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      /* ignore */
    }
    liveTempFiles.delete(temp);
  }
  installExitHook();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    heldLocks.delete(lockPath);
    if (readLockPid(lockPath) === process.pid) {
      try {
        unlinkSync(lockPath);
      } catch {
        /* already gone */
      }
    }
  };
  heldLocks.set(lockPath, release);
  return release;
}

/** How many times acquireLock tries to link its lock, and how long it waits while another run takes over a stale one. */
const TAKEOVER_ATTEMPTS = 50;
const TAKEOVER_WAIT_MS = 10;

/** Throws output_locked when the lock at `lockPath` holds the PID of a live process. */
function refuseLiveLock(dir: string, lockPath: string): void {
  const pid = readLockPid(lockPath);
  if (typeof pid === "number" && isAlive(pid)) {
    throw new UserError(
      "output_locked",
      `${dir} is in use by another povwatch run (PID ${pid}); wait for it to finish, or delete ${lockPath} if that process is not povwatch`,
      { exitCode: EXIT.failed, context: { file: lockPath } },
    );
  }
}

/**
 * Removes the stale lock at `lockPath` under the takeover lock (linked from `temp`, this process's PID). Returns false
 * when another live run holds the takeover lock (the caller waits and tries again); a takeover lock left by a dead
 * process is removed. Throws output_locked when the lock turns out to be live after all (taken over meanwhile).
 */
function takeOverStaleLock(dir: string, lockPath: string, temp: string): boolean {
  const guard = `${lockPath}.takeover`;
  try {
    linkSync(temp, guard);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const holder = readLockPid(guard);
    // Held by a live run, or released meanwhile: wait and try again. Only a dead run's takeover lock is removed.
    if (holder === null || (holder !== undefined && isAlive(holder))) return false;
    try {
      unlinkSync(guard);
    } catch {
      /* removed by its holder meanwhile */
    }
    return false;
  }
  try {
    // Looked at again now that no other run can be replacing it: a lock gone meanwhile (released, or taken over by a
    // run before this one) is left to the next link attempt, never removed on an old reading.
    if (readLockPid(lockPath) === null) return true;
    refuseLiveLock(dir, lockPath);
    try {
      unlinkSync(lockPath);
    } catch {
      /* already gone: the next link attempt decides */
    }
    return true;
  } finally {
    try {
      unlinkSync(guard);
    } catch {
      /* ignore */
    }
  }
}

/** Releases every lock this process holds (synchronous; used on exit and interrupt). */
export function releaseAllLocks(): void {
  for (const release of [...heldLocks.values()]) release();
}

