/**
 * Shared helpers of the benchmarks: running the built CLI as a timed child, generating data sets once (with a
 * manifest), describing the machine, and printing Markdown tables. Plain ESM, not compiled.
 */
import { spawn, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem, release } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse";

/** The repository root (the folder above bench/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Where generated data sets live (git-ignored). */
export const DATA = join(ROOT, "bench", "data");
/** The CLI entry point. */
export const CLI = join(ROOT, "bin", "povwatch.js");

/** Peak RSS and CPU time from a `povwatch-stats {…}` line on stderr (POVWATCH_STATS=1), or undefined. */
export function parseStatsLine(stderr) {
  const m = /^povwatch-stats (\{.*\})\s*$/m.exec(stderr);
  return m ? JSON.parse(m[1]) : undefined;
}

/**
 * Runs `node args…` in ROOT as a child and measures its wall time with process.hrtime around it.
 * Resolves to { code, wallMs, stdout, stderr, lines, stats }: `lines` are the stderr lines with the time each
 * arrived ({ ms, text }), `stats` comes from the povwatch-stats line when present.
 */
export function runNode(args, { env = {}, cwd = ROOT } = {}) {
  return new Promise((resolvePromise, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    const err = [];
    const lines = [];
    let partial = "";
    child.stdout.on("data", (c) => out.push(c));
    child.stderr.on("data", (c) => {
      err.push(c);
      // each stderr line with the time it arrived (ms since start), for phase timings
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const parts = (partial + c.toString("utf8")).split("\n");
      partial = parts.pop();
      for (const text of parts) lines.push({ ms, text });
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      if (partial) lines.push({ ms: wallMs, text: partial });
      resolvePromise({ code, wallMs, stdout, stderr, lines, stats: parseStatsLine(stderr) });
    });
  });
}

/** Runs the povwatch CLI with POVWATCH_STATS=1 (see runNode). */
export function runCli(args, options = {}) {
  return runNode([CLI, ...args], { ...options, env: { POVWATCH_STATS: "1", NO_COLOR: "1", ...(options.env ?? {}) } });
}

/** Throws with the child's stderr when it did not exit 0. */
export function expectExit0(what, result) {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}:\n${result.stderr.slice(-2000)}`);
  return result;
}

/** A fresh temporary folder (removed by the caller with removeDir). */
export function tempDir(prefix = "povwatch-bench-") {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes a folder and everything in it. */
export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/** Builds dist/ with tsc when `force` or when the CLI has not been built yet. */
export function ensureBuilt({ force = false } = {}) {
  if (!force && existsSync(join(ROOT, "dist", "cli", "main.js"))) return false;
  process.stderr.write("bench: building dist/ (npx tsc -p .)\n");
  execFileSync("npx", ["tsc", "-p", "."], { cwd: ROOT, stdio: "inherit" });
  return true;
}

/**
 * SHA-256 of the built code that `povwatch generate` runs: dist/cli/commands/generate.js and every module it imports,
 * transitively (relative imports), except the demo county (generate/demo*.js, used only by --demo). A change to any
 * of them makes the data sets be generated again.
 */
export function generatorHash() {
  const files = new Set();
  const visit = (path) => {
    if (files.has(path) || !existsSync(path)) return;
    files.add(path);
    const text = readFileSync(path, "utf8");
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
      const target = resolve(dirname(path), m[1]);
      if (!/\/generate\/demo[^/]*\.js$/.test(target)) visit(target);
    }
  };
  visit(join(ROOT, "dist", "cli", "commands", "generate.js"));
  const hash = createHash("sha256");
  for (const path of [...files].sort()) {
    hash.update(path.slice(ROOT.length));
    hash.update(readFileSync(path));
  }
  return hash.digest("hex").slice(0, 16);
}

const MANIFEST = "bench-manifest.json";

/**
 * The generated data set `name` under bench/data/, generated with `povwatch generate --households N --months K
 * --seed S --format F` unless a manifest next to it says it was made with the same arguments and the same generator
 * and its files still have the recorded sizes. Resolves to { dir, generated, wallMs, files: { name: bytes } }.
 */
export async function ensureGenerated(name, { households, months = 12, seed = 1, format = "csv" }, log = () => {}) {
  const dir = join(DATA, name);
  const args = ["generate", "--households", String(households), "--months", String(months), "--seed", String(seed), "--format", format, "--out", dir];
  const wanted = { args: args.slice(0, -1), generator: generatorHash() };
  const manifestPath = join(dir, MANIFEST);
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, "utf8"));
    const same = JSON.stringify(m.args) === JSON.stringify(wanted.args) && m.generator === wanted.generator;
    const intact = same && Object.entries(m.files).every(([f, size]) => existsSync(join(dir, f)) && statSync(join(dir, f)).size === size);
    if (intact) return { dir, generated: false, wallMs: m.wallMs, files: m.files, summary: m.summary };
  }
  log(`generating ${name}: povwatch ${args.join(" ")}`);
  removeDir(dir);
  const r = expectExit0("povwatch generate", await runCli(args));
  const files = {};
  for (const f of readdirSync(dir).sort()) files[f] = statSync(join(dir, f)).size;
  const summary = r.stderr.split("\n").find((l) => l.startsWith("generate:")) ?? "";
  writeFileSync(manifestPath, JSON.stringify({ ...wanted, files, wallMs: r.wallMs, summary, madeAt: new Date().toISOString() }, null, 2) + "\n");
  return { dir, generated: true, wallMs: r.wallMs, files, summary };
}

/** Reads every file of `dir` once, so that the timed runs that follow all start from a warm page cache. */
export async function warmPageCache(dir) {
  for (const f of readdirSync(dir)) {
    await new Promise((res, rej) => createReadStream(join(dir, f), { highWaterMark: 1 << 22 }).on("data", () => {}).on("end", res).on("error", rej));
  }
}

/** The machine and software the figures were measured on. */
export function machineInfo() {
  const c = cpus();
  let commit = "";
  let dirty = false;
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    dirty = execFileSync("git", ["status", "--porcelain", "--", "src"], { cwd: ROOT, encoding: "utf8" }).trim() !== "";
  } catch {
    // not a git checkout: leave the commit empty
  }
  const main = join(ROOT, "dist", "cli", "main.js");
  return {
    cpu: c[0]?.model ?? "unknown",
    cores: c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    kernel: release(),
    commit: commit + (dirty ? " (src/ has uncommitted changes)" : ""),
    distBuilt: existsSync(main) ? statSync(main).mtime.toISOString() : "not built",
    date: new Date().toISOString().slice(0, 10),
    /** 1-minute load average when the bench started: other work on the machine skews the timings. */
    load: Math.round(loadavg()[0] * 100) / 100,
  };
}

/** One line describing the machine, for the top of every report. */
export function describeMachine(m = machineInfo()) {
  return `${m.date} · ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · Node ${m.node} · Linux ${m.kernel} · povwatch ${m.commit} (dist built ${m.distBuilt}) · load ${m.load}`;
}

/** A Markdown table (first row = headers); numbers right-aligned. */
export function markdownTable(headers, rows) {
  const right = headers.map((_, i) => rows.length > 0 && rows.every((r) => /^[\d,.\s×%~–-]+[a-zA-Zµ/]*$/.test(String(r[i]))));
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(right.map((r) => (r ? "---:" : "---"))), ...rows.map((r) => line(r.map(String)))].join("\n");
}

/** 12345678 → "12,345,678"; fractional values keep `digits` decimals. */
export function formatCount(n, digits = 0) {
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Milliseconds as seconds with one decimal ("109.3 s"), or with two below 10 s. */
export function formatSeconds(ms) {
  const s = ms / 1000;
  return `${s.toFixed(s < 10 ? 2 : 1)} s`;
}

/** Rows per second, rounded to thousands ("109 k/s") or millions ("1.8 M/s"). */
export function formatRate(rows, ms) {
  const r = rows / (ms / 1000);
  return r >= 1e6 ? `${(r / 1e6).toFixed(2)} M/s` : `${Math.round(r / 1e3)} k/s`;
}

/** Kilobytes as MiB or GiB ("4.09 GiB"). */
export function formatKb(kb) {
  if (kb === undefined) return "n/a";
  return kb >= 1024 * 1024 ? `${(kb / 1024 / 1024).toFixed(2)} GiB` : `${Math.round(kb / 1024)} MiB`;
}

/** Total rows read per table kind from a run.json: { households, members, income, events, all }. */
export function rowsRead(runJson) {
  const out = { households: 0, members: 0, income: 0, events: 0, all: 0 };
  for (const input of runJson.inputs) {
    for (const t of input.tables) {
      if (t.kind) out[t.kind] += t.read;
      out.all += t.read;
    }
  }
  return out;
}

/**
 * The rows a generate run wrote, from its summary line (`generate: 42000 households, 140814 members, 504000 income
 * rows (…), 4763 department events → …`): { households, members, income, events }, or undefined.
 */
export function parseGeneratedCounts(summary) {
  const m = /(\d+) households, (\d+) members, (\d+) income rows .*?, (\d+) department events/.exec(summary ?? "");
  return m ? { households: Number(m[1]), members: Number(m[2]), income: Number(m[3]), events: Number(m[4]) } : undefined;
}

/** Command-line flags: `--name value` and bare `--flag` (true). */
export function parseFlags(argv) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      flags[a.slice(2)] = next;
      i++;
    } else flags[a.slice(2)] = true;
  }
  return flags;
}

/** The data sets of the benchmark: 1 M households as CSV, 42,000 as xlsx (≈ 504 k income rows). */
export const CSV_SET = { name: "csv-1m", households: 1_000_000, months: 12, seed: 1, format: "csv" };
/** 42,000 households × 12 months as xlsx: ≈ 504 k income rows on one sheet. */
export const XLSX_SET = { name: "xlsx-42k", households: 42_000, months: 12, seed: 1, format: "xlsx" };
/** The same households as XLSX_SET in CSV (same seed: the generator's output does not depend on the format), for DuckDB. */
export const XLSX_TWIN_SET = { ...XLSX_SET, name: "csv-42k", format: "csv" };

/** Counts of each value of the 建议监测类别 column of a flagged.csv (blank = no suggested category). */
export async function countSuggestedCategories(flaggedCsv) {
  const counts = {};
  let column = -1;
  let rows = 0;
  const parser = createReadStream(flaggedCsv).pipe(parse({ bom: true, relax_column_count: true }));
  for await (const record of parser) {
    if (column < 0) {
      column = record.indexOf("建议监测类别");
      if (column < 0) column = record.indexOf("suggested_category");
      if (column < 0) throw new Error(`${flaggedCsv}: no 建议监测类别 column in ${record.join(",")}`);
      continue;
    }
    rows++;
    const value = record[column] ?? "";
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return { counts, rows };
}

/**
 * Runs `povwatch scan DIR --format csv --period P --out TMP --quiet` and reads what it wrote.
 * Resolves to { wallMs, maxRssKb, cpuMs, runJson, rows, categories, outDir }.
 */
export async function timeScan(dir, period, { keep = false } = {}) {
  const out = tempDir();
  const r = expectExit0("povwatch scan", await runCli(["scan", dir, "--format", "csv", "--period", period, "--out", out, "--quiet"]));
  const runJson = JSON.parse(readFileSync(join(out, period, "run.json"), "utf8"));
  const categories = await countSuggestedCategories(join(out, period, "flagged.csv"));
  if (!keep) removeDir(out);
  return {
    wallMs: r.wallMs,
    maxRssKb: r.stats?.maxRssKb,
    cpuMs: r.stats ? r.stats.cpuUserMs + r.stats.cpuSystemMs : undefined,
    runJson,
    rows: rowsRead(runJson),
    categories: categories.counts,
    listed: categories.rows,
    outDir: keep ? out : undefined,
  };
}

/** Runs the DuckDB reference in a child (so its peak RSS is its own). Resolves to its JSON plus wallMs. */
export async function timeDuckdb(dir, period, threads) {
  const args = [join(ROOT, "bench", "duckdbRef.js"), dir, "--period", period];
  if (threads) args.push("--threads", String(threads));
  const r = expectExit0("DuckDB reference", await runNode(args));
  return { ...JSON.parse(r.stdout), wallMs: r.wallMs };
}
