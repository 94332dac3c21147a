/**
 * vitest globalSetup: builds dist/ once per test run (`npx tsc -p .`) when any file under src/ is newer than
 * dist/cli/main.js, so that e2e tests drive the real binary. Type errors elsewhere do not stop the build (tsc still
 * emits); a missing dist/cli/main.js afterwards does.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ if it is missing or older than src/. */
export default function setup(): void {
  const main = join(ROOT, "dist", "cli", "main.js");
  if (existsSync(main) && statSync(main).mtimeMs >= newestMtime(join(ROOT, "src"))) return;
  try {
    execFileSync("npx", ["tsc", "-p", "."], { cwd: ROOT, stdio: "pipe" });
  } catch {
    /* type errors in folders being edited do not stop the emit */
  }
  if (!existsSync(main)) throw new Error("tests/helpers/build.ts: the build did not produce dist/cli/main.js");
}
