/**
 * Where a scan spends its time (`node bench/profile.js [--households 100000]`): runs `povwatch scan` on a generated
 * CSV set under `node --cpu-prof` and prints the self time by source file and the top functions by self time, plus
 * the garbage collector's share. The .cpuprofile is kept under bench/data/profiles/ (open it in Chrome DevTools).
 *
 * Options: --households N (10000, 100000 or 1000000; default 100000), --top N (default 25), --phases-only (no
 * profiler: only the phase times), --file F (summarise an existing .cpuprofile instead of running a scan).
 */
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { CLI, DATA, ROOT, ensureBuilt, ensureGenerated, expectExit0, markdownTable, parseFlags, removeDir, runNode, tempDir } from "./lib.js";

/**
 * Self time per node of a V8 .cpuprofile, grouped: { total, byFile: Map(file → µs), byFunction: Map("fn file:line" → µs) }.
 * Sample time deltas give each node's self time.
 */
export function summariseProfile(profile) {
  const selfUs = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0));
  const byFile = new Map();
  const byFunction = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (!us) continue;
    total += us;
    const cf = node.callFrame;
    const name = cf.functionName || "(anonymous)";
    const url = cf.url ? relative(ROOT, cf.url.replace(/^file:\/\//, "")) : name.startsWith("(") ? name : `(${name})`;
    const file = url.startsWith("node_modules/") ? url.split("/").slice(0, url.startsWith("node_modules/@") ? 3 : 2).join("/") : url;
    byFile.set(file, (byFile.get(file) ?? 0) + us);
    const fn = cf.url ? `${name} ${url}:${cf.lineNumber + 1}` : url;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  return { total, byFile, byFunction };
}

/**
 * The scan's phases from its plain progress lines ("reading inputs", "evaluating …", "writing outputs"): each phase
 * lasts until the next one starts; the last until the process ends.
 */
export function phaseTable(lines, wallMs) {
  const phases = lines.filter((l) => /^(reading inputs|evaluating|auditing|writing outputs|building)/.test(l.text));
  const rows = [["start-up (until the first phase line)", "0.0 s", `${((phases[0]?.ms ?? wallMs) / 1000).toFixed(1)} s`]];
  phases.forEach((p, i) => {
    const end = phases[i + 1]?.ms ?? wallMs;
    rows.push([p.text, `${(p.ms / 1000).toFixed(1)} s`, `${((end - p.ms) / 1000).toFixed(1)} s`]);
  });
  return rows;
}

function top(map, total, n) {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => [k.replaceAll("|", "\\|"), `${(us / 1e6).toFixed(2)} s`, `${((us / total) * 100).toFixed(1)} %`]);
}

async function main(argv) {
  const flags = parseFlags(argv.slice(2));
  const n = flags.top ? Number(flags.top) : 25;
  let file = typeof flags.file === "string" ? flags.file : undefined;
  if (!file) {
    ensureBuilt();
    const households = flags.households ? Number(flags.households) : 100_000;
    const name = households === 1_000_000 ? "csv-1m" : `csv-${households / 1000}k`;
    const data = await ensureGenerated(name, { households, months: 12, seed: 1, format: "csv" }, (l) => process.stderr.write(`bench: ${l}\n`));
    const dir = join(DATA, "profiles");
    mkdirSync(dir, { recursive: true });
    const before = new Set(readdirSync(dir));
    const out = tempDir();
    const prof = flags["phases-only"] ? [] : ["--cpu-prof", `--cpu-prof-dir=${dir}`];
    const r = expectExit0("povwatch scan", await runNode([...prof, CLI, "scan", data.dir, "--format", "csv", "--period", "2026-10", "--out", out], { env: { NO_COLOR: "1" } }));
    removeDir(out);
    process.stdout.write(`### Phases of a scan of ${name}${prof.length ? " under --cpu-prof" : ""} (from the time each stderr line arrived; ${(r.wallMs / 1000).toFixed(1)} s wall)\n\n`);
    process.stdout.write(`${markdownTable(["phase", "from", "took"], phaseTable(r.lines, r.wallMs))}\n\n`);
    if (!prof.length) return 0;
    // bin/povwatch.js re-spawns itself, so the parent and the child each write a profile: keep the larger (the child's).
    file = readdirSync(dir).filter((f) => !before.has(f)).map((f) => join(dir, f))
      .sort((a, b) => statSync(b).size - statSync(a).size)[0];
    process.stdout.write(`Profile: ${relative(ROOT, file)}\n\n`);
  }
  const { total, byFile, byFunction } = summariseProfile(JSON.parse(readFileSync(file, "utf8")));
  process.stdout.write(`Sampled ${(total / 1e6).toFixed(1)} s on the main thread.\n\n### Self time by file\n\n`);
  process.stdout.write(markdownTable(["file", "self", "share"], top(byFile, total, n)) + "\n\n### Top functions by self time\n\n");
  process.stdout.write(markdownTable(["function", "self", "share"], top(byFunction, total, n)) + "\n");
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv);
}
