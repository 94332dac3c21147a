/**
 * A temporary work folder per test file: `useTempDir()` creates one before all tests and removes it after.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

/** Registers beforeAll/afterAll hooks; the returned function gives the folder's path (valid inside tests). */
export function useTempDir(prefix = "povwatch-test-"): () => string {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}
