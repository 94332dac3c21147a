#!/usr/bin/env node
// povwatch runs in a child Node process with a larger young generation (--max-semi-space-size): reading millions
// of rows makes many short-lived strings and arrays, and with the default size they are promoted to the old
// generation, where collecting them costs far more (≈ 20 % of a province scan). The flag cannot be set from inside
// a running process, hence the child. POVWATCH_NO_CHILD=1 runs in this process instead.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const FLAG = "--max-semi-space-size=64";
const inChild = process.env.POVWATCH_NO_CHILD === "1" || process.execArgv.some((a) => a.startsWith("--max-semi-space-size"));

if (inChild) {
  const { main } = await import("../dist/cli/main.js");
  process.exitCode = await main(process.argv);
} else {
  const child = spawn(process.execPath, [FLAG, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
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
