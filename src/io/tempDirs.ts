/**
 * Staging folders being written; removed synchronously on exit or interrupt (with atomic.ts's temporary files).
 */
import { rmSync } from "node:fs";

const live = new Set<string>();
let hooked = false;

/** Registers a staging folder for removal at exit. */
export function registerTempDir(path: string): void {
  live.add(path);
  if (!hooked) {
    hooked = true;
    process.once("exit", removeAllTempDirs);
  }
}

export function unregisterTempDir(path: string): void {
  live.delete(path);
}

/** Removes every registered staging folder (safe in signal and exit handlers). */
export function removeAllTempDirs(): void {
  for (const p of live) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
  live.clear();
}
