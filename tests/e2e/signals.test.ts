/**
 * Unattended runs: Ctrl-C / SIGTERM stop within a second, leave no temporary file or lock and keep earlier outputs;
 * a closed stdout (`| head`) ends quietly; colour and spinner stay off without a TTY.
 */
import { spawn } from "node:child_process";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";
import { useTempDir } from "../helpers/tmp.js";

const tempDir = useTempDir("povwatch-signals-");
const BIN = join(ROOT, "bin", "povwatch.js");

/** An income CSV big enough that a scan takes a few seconds (generated here, never committed). */
async function bigIncome(dir: string, households: number): Promise<void> {
  const lines = ["户编号,年月,工资性收入,转移性收入,家庭人口数"];
  for (let h = 0; h < households; h++) {
    const id = String(h).padStart(10, "0");
    for (let m = 1; m <= 10; m++) lines.push(`${id},2026-${String(m).padStart(2, "0")},${(h * 37 + m * 11) % 3000}.5,${m}0,3`);
  }
  await writeFile(join(dir, "income.csv"), lines.join("\n") + "\n");
}

/** Starts a scan, sends `signal` once stderr shows `phase`, and resolves with the exit code and the time it took. */
function interrupt(cwd: string, signal: NodeJS.Signals, phase: string): Promise<{ code: number | null; ms: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, "scan", "income.csv", "--out", "out", "--period", "2026-10"], { cwd, env: { ...process.env, CI: "1", NO_COLOR: "1" } });
    let stderr = "";
    let sentAt = 0;
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (!sentAt && stderr.includes(phase)) {
        sentAt = Date.now();
        child.kill(signal);
      }
    });
    child.on("exit", (code) => resolve({ code, ms: Date.now() - sentAt, stderr }));
  });
}

describe("interrupted scans", () => {
  it.each([
    ["SIGINT", "reading inputs"],
    ["SIGTERM", "reading inputs"],
    ["SIGINT", "evaluating"],
    ["SIGHUP", "reading inputs"],
  ] as const)("%s during %s stops within a second, exit 1, no temp file or lock, earlier outputs unchanged", async (signal, phase) => {
    const dir = join(tempDir(), `${signal}-${phase.replace(/\s/g, "-")}`);
    await mkdir(join(dir, "out", "2026-10"), { recursive: true });
    await bigIncome(dir, 60_000);
    await writeFile(join(dir, "out", "2026-10", "flagged.csv"), "earlier\n");
    const { code, ms, stderr } = await interrupt(dir, signal, phase);
    expect(code).toBe(1);
    expect(ms).toBeLessThan(1000);
    expect(stderr).toContain(`interrupted by ${signal}`);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(await readdir(join(dir, "out"))).toEqual(["2026-10"]);
    expect(await readdir(join(dir, "out", "2026-10"))).toEqual(["flagged.csv"]);
    expect(await readFile(join(dir, "out", "2026-10", "flagged.csv"), "utf8")).toBe("earlier\n");
  });
});

describe("interrupted generate", () => {
  it("SIGINT stops it with exit 1 (as every command) and leaves no temporary file", async () => {
    const dir = join(tempDir(), "generate");
    await mkdir(dir, { recursive: true });
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, "generate", "--households", "400000", "--out", "gen"], { cwd: dir, env: { ...process.env, CI: "1", NO_COLOR: "1" } });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      setTimeout(() => child.kill("SIGINT"), 1500);
      child.on("exit", (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("interrupted by SIGINT");
    expect((await readdir(join(dir, "gen"))).filter((f) => f.includes(".tmp"))).toEqual([]);
  });
});

describe("output streams", () => {
  it("a failing stdout other than a closed pipe (a full disk: /dev/full) is a one-line error and exit 1, no stack trace", async () => {
    const { openSync, closeSync } = await import("node:fs");
    const full = openSync("/dev/full", "w");
    try {
      const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, "policy", "show"], { cwd: tempDir(), env: { ...process.env, CI: "1" }, stdio: ["ignore", full, "pipe"] });
        let stderr = "";
        child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("exit", (code) => resolve({ code, stderr }));
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("error: standard output: disk full; free some space and run again (ENOSPC)\n");
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      closeSync(full);
    }
  });

  it("a closed stderr (2>&1 | head -1) does not stop a scan: exit 0, outputs written", async () => {
    const dir = join(tempDir(), "stderr-epipe");
    await mkdir(dir, { recursive: true });
    await bigIncome(dir, 2_000);
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [BIN, "scan", "income.csv", "--out", "out", "--period", "2026-10"], { cwd: dir, env: { ...process.env, CI: "1" } });
      child.stderr.once("data", () => child.stderr.destroy());
      child.on("exit", (c) => resolve(c));
    });
    expect(code).toBe(0);
    expect((await readdir(join(dir, "out", "2026-10"))).sort()).toEqual(["flagged.csv", "flagged.xlsx", "rejects.csv", "run.json", "summary.xlsx"]);
  });

  it("a closed stdout (| head) ends quietly with exit 0", async () => {
    const dir = join(tempDir(), "epipe");
    await mkdir(dir, { recursive: true });
    await bigIncome(dir, 2_000);
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, "inspect", "income.csv", "income.csv", "--json"], { cwd: dir, env: { ...process.env, CI: "1" } });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.stdout.once("data", () => child.stdout.destroy());
      child.on("exit", (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
  });

  it("writes no colour codes and no spinner when stderr is not a terminal, and nothing but errors with --quiet", async () => {
    const dir = join(tempDir(), "plain");
    await mkdir(dir, { recursive: true });
    await bigIncome(dir, 10);
    const plain = await runCli(["scan", "income.csv", "--out", "out"], { cwd: dir, env: { NO_COLOR: undefined, CI: undefined, FORCE_COLOR: undefined } });
    expect(plain.code).toBe(0);
    expect(plain.stderr).not.toMatch(/\u001b\[/);
    expect(plain.stderr.split("\n")).toContain("reading inputs");
    const quiet = await runCli(["scan", "income.csv", "--out", "out", "--quiet"], { cwd: dir });
    expect([quiet.code, quiet.stderr, quiet.stdout]).toEqual([0, "", ""]);
  });

  it("runs the command in a child Node process with the young-generation and no-pretenuring V8 flags", async () => {
    const run = await runCli(["--version"], { cwd: tempDir(), env: { POVWATCH_STATS: "1" } });
    expect(run.code).toBe(0);
    const stats = JSON.parse(/^povwatch-stats (\{.*\})$/m.exec(run.stderr)![1]!) as { execArgv: string[] };
    expect(stats.execArgv).toEqual(expect.arrayContaining(["--max-semi-space-size=64", "--no-allocation-site-pretenuring"]));
  });
});
