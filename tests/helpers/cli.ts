/**
 * Runs the built binary (`node bin/povwatch.js`) as cron would: no TTY, CI set, no colour.
 */
import { execFile } from "node:child_process";
import { join, resolve } from "node:path";

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin", "povwatch.js");

/** What a run of povwatch gave. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of runCli: the working folder, extra environment (e.g. TZ), text for stdin. */
export interface CliOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
}

/** Runs `povwatch ...args`; resolves with the exit code, stdout and stderr (never rejects on a non-zero exit). */
export function runCli(args: readonly string[], options: CliOptions): Promise<CliRun> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: options.cwd,
        env: { ...process.env, NO_COLOR: "1", CI: "1", FORCE_COLOR: undefined, ...options.env },
        maxBuffer: 64 << 20,
        encoding: "utf8",
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code) : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}
