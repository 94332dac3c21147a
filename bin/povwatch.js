#!/usr/bin/env node
// povwatch runs in a child Node process with two V8 flags, which cannot be set from inside a running process:
// - a larger young generation (--max-semi-space-size): reading millions of rows makes many short-lived strings and
//   arrays, and with the default size they are promoted to the old generation, where collecting them costs far more
//   (≈ 20 % of a province scan);
// - no allocation-site pretenuring: in about one province scan in seven, V8 began to keep half of what the rules
//   allocate for each household (≈ 40 MB more at every young-generation collection) until the next full collection,
//   and the peak memory went from 1.3 GB to 1.6–2.0 GB, 1–3 s slower; without pretenuring none of 58 runs did, at the
//   same speed (bench/README.md).
// POVWATCH_NO_CHILD=1 runs in this process instead (without the flags unless node is given them).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const FLAGS = ["--max-semi-space-size=64", "--no-allocation-site-pretenuring"];
const inChild = process.env.POVWATCH_NO_CHILD === "1" || process.execArgv.some((a) => a.startsWith("--max-semi-space-size"));

if (inChild) {
  const { main } = await import("../dist/cli/main.js");
  process.exitCode = await main(process.argv);
} else {
  const child = spawn(process.execPath, [...FLAGS, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  // Signals sent to this process (cron's kill, a terminal's Ctrl-C) go to the child, which cleans up and exits.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("error", (err) => {
    process.stderr.write(`error: cannot start povwatch (${err.message})\n`);
    process.exit(1);
  });
  child.on("exit", (code) => process.exit(code ?? 1));
}
