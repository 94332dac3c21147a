/**
 * `npm run bench`: the province-scale benchmark.
 *
 *   1. generates (once; reused while bench/data/<set>/bench-manifest.json matches) 1 M households × 12 months as CSV
 *      and 42,000 households × 12 months as xlsx (≈ 504 k income rows);
 *   2. times (a) `povwatch scan` on the CSV set, (b) the DuckDB reference (bench/duckdbRef.js) on the same files,
 *      with DuckDB's default threads and with one thread, (c) `povwatch scan` on the xlsx set;
 *   3. prints wall time, rows/s and peak RSS of each, the ratio povwatch/DuckDB, and the machine;
 *   4. checks that povwatch and DuckDB agree on the households with STREAK (and the other triggers) and on the count of
 *      each suggested category (from flagged.csv's 建议监测类别), that every generated row was read (CSV and xlsx),
 *      and that the xlsx scan agrees with DuckDB on the same households in CSV; exits 1 when any check fails.
 * Before timing, bench/selftest.js checks the reference and povwatch on hand-made cases (exit 1 when it fails).
 *
 * Options: --scaling (run bench/scaling.js instead), --build (rebuild dist/ first), --keep (keep the scan outputs),
 * --skip-xlsx, --period YYYY-MM (default 2026-10), --pairs N (default 3: (a) and (b) are run N times, alternating,
 * and the ratio reported is the median of the N pairs' ratios; the shared machine's speed drifts within minutes).
 * The CLI must be built (dist/); it is built when missing.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  CSV_SET, DATA, ROOT, XLSX_SET, XLSX_TWIN_SET, describeMachine, ensureBuilt, ensureGenerated, formatCount, formatKb,
  formatRate, formatSeconds, machineInfo, markdownTable, parseFlags, parseGeneratedCounts, runNode, timeDuckdb, timeScan,
  warmPageCache,
} from "./lib.js";

/** The suggested categories compared between povwatch and DuckDB. */
export const CATEGORIES = ["脱贫不稳定户", "边缘易致贫户", "突发严重困难户"];
/** The triggers of rules.md, in run.json order. */
export const TRIGGERS = ["STREAK", "MEDICAL", "EDUCATION", "DISASTER", "ACCIDENT", "INCOME_DROP"];

const log = (line) => process.stderr.write(`bench: ${line}\n`);

/**
 * One check per table kind: the scan read every row the generator wrote ({ what, povwatch, duckdb: generated, ok }).
 */
export function compareRowsRead(scan, generated, label) {
  if (!generated) return [];
  return ["households", "members", "income", "events"].map((kind) => {
    const povwatch = scan.rows[kind];
    return { what: `${label} rows read: ${kind} (vs generated)`, povwatch, duckdb: generated[kind], ok: povwatch === generated[kind] };
  });
}

/**
 * The agreement checks: one row per compared number { what, povwatch, duckdb, ok }. STREAK and the other triggers come
 * from run.json counts.byTrigger (a trigger always gives a suggested category, so every such household is listed);
 * categories from flagged.csv's 建议监测类别 (run.json byCategory counts listed households by their list category).
 */
export function compareCounts(scan, duck) {
  const rows = [{ what: "households", povwatch: scan.runJson.counts.households, duckdb: duck.counts.households }];
  for (const t of TRIGGERS) rows.push({ what: `trigger ${t}`, povwatch: scan.runJson.counts.byTrigger?.[t] ?? 0, duckdb: duck.counts[t] });
  for (const c of CATEGORIES) rows.push({ what: `建议监测类别 ${c}`, povwatch: scan.categories[c] ?? 0, duckdb: duck.counts[c] });
  return rows.map((r) => ({ ...r, ok: r.povwatch === r.duckdb }));
}

async function main(argv) {
  const flags = parseFlags(argv.slice(2));
  if (flags.scaling) {
    const { main: scaling } = await import("./scaling.js");
    return scaling(argv);
  }
  const period = typeof flags.period === "string" ? flags.period : "2026-10";
  // parseFlags gives true for a flag without a value: not a count. Checked before anything runs.
  const pairCount = flags.pairs === undefined ? 3 : flags.pairs === true ? NaN : Number(flags.pairs);
  if (!Number.isInteger(pairCount) || pairCount < 1 || pairCount > 20) {
    log(`--pairs: expected a whole number from 1 to 20, got ${flags.pairs === true ? "no value" : String(flags.pairs)}`);
    return 2;
  }
  const started = process.hrtime.bigint();
  ensureBuilt({ force: flags.build === true });
  const machine = machineInfo();
  if (machine.load > 1.5) log(`warning: load average ${machine.load} on ${machine.cores} cores: other work is running, the timings will be slower than on a quiet machine`);

  log("self-test of the reference (bench/selftest.js)");
  const selftest = await runNode([join(ROOT, "bench", "selftest.js")]);
  if (selftest.code !== 0) process.stderr.write(selftest.stdout + selftest.stderr);
  const selftestLine = selftest.stdout.trim().split("\n").pop() ?? `selftest exited ${selftest.code}`;
  log(selftestLine);

  const csv = await ensureGenerated(CSV_SET.name, CSV_SET, log);
  if (csv.generated) log(`generated ${CSV_SET.name} in ${formatSeconds(csv.wallMs)}: ${csv.summary}`);
  else log(`reusing ${CSV_SET.name} (bench-manifest.json matches)`);
  const xlsx = flags["skip-xlsx"] ? undefined : await ensureGenerated(XLSX_SET.name, XLSX_SET, log);
  if (xlsx?.generated) log(`generated ${XLSX_SET.name} in ${formatSeconds(xlsx.wallMs)}: ${xlsx.summary}`);

  log("warming the page cache");
  await warmPageCache(csv.dir);
  /** (a) and (b), alternating: { scan, duck, ratio } per pair. */
  const pairs = [];
  for (let i = 0; i < pairCount; i++) {
    const of = pairCount > 1 ? ` (pair ${i + 1} of ${pairCount})` : "";
    log(`(a) povwatch scan, 1 M households (CSV)${of}`);
    const s = await timeScan(csv.dir, period, { keep: flags.keep === true && i === 0 });
    log(`(a) ${formatSeconds(s.wallMs)}`);
    log(`(b) DuckDB reference, default threads${of}`);
    const d = await timeDuckdb(csv.dir, period);
    log(`(b) ${formatSeconds(d.wallMs)}`);
    pairs.push({ scan: s, duck: d, ratio: s.wallMs / d.wallMs });
  }
  // The main table shows the pair with the median ratio (the lower middle one for an even count).
  const median = [...pairs].sort((x, y) => x.ratio - y.ratio)[Math.floor((pairs.length - 1) / 2)];
  const { scan, duck } = median;
  log("(b1) DuckDB reference, 1 thread");
  const duck1 = await timeDuckdb(csv.dir, period, 1);
  let xlsxScan;
  let xlsxChecks = [];
  if (xlsx) {
    await warmPageCache(xlsx.dir);
    log("(c) povwatch scan, 42 k households (xlsx)");
    xlsxScan = await timeScan(xlsx.dir, period);
    log(`(c) ${formatSeconds(xlsxScan.wallMs)}; DuckDB on the same households in CSV (${XLSX_TWIN_SET.name})`);
    const twin = await ensureGenerated(XLSX_TWIN_SET.name, XLSX_TWIN_SET, log);
    const duckTwin = await timeDuckdb(twin.dir, period);
    xlsxChecks = [
      ...compareRowsRead(xlsxScan, parseGeneratedCounts(xlsx.summary), "(c)"),
      ...compareCounts(xlsxScan, duckTwin).map((c) => ({ ...c, what: `(c) ${c.what}` })),
    ];
  }

  const all = scan.rows.all;
  const income = scan.rows.income;
  const table = [
    ["(a) povwatch scan, CSV 1 M", formatSeconds(scan.wallMs), formatCount(income), formatRate(income, scan.wallMs), formatCount(all), formatRate(all, scan.wallMs), formatKb(scan.maxRssKb)],
    [`(b) DuckDB ${duck.duckdbVersion}, ${duck.threads} threads`, formatSeconds(duck.wallMs), formatCount(income), formatRate(income, duck.wallMs), formatCount(all), formatRate(all, duck.wallMs), formatKb(duck.maxRssKb)],
    [`(b1) DuckDB ${duck1.duckdbVersion}, 1 thread`, formatSeconds(duck1.wallMs), formatCount(income), formatRate(income, duck1.wallMs), formatCount(all), formatRate(all, duck1.wallMs), formatKb(duck1.maxRssKb)],
  ];
  if (xlsxScan) {
    const xi = xlsxScan.rows.income;
    const xa = xlsxScan.rows.all;
    table.push(["(c) povwatch scan, xlsx 42 k", formatSeconds(xlsxScan.wallMs), formatCount(xi), formatRate(xi, xlsxScan.wallMs), formatCount(xa), formatRate(xa, xlsxScan.wallMs), formatKb(xlsxScan.maxRssKb)]);
  }
  const checks = [...compareRowsRead(scan, parseGeneratedCounts(csv.summary), "(a)"), ...compareCounts(scan, duck), ...xlsxChecks];
  // Every pair's scan and DuckDB run must give the same counts as the one shown.
  pairs.forEach((p, i) => {
    if (p === median) return;
    const same = compareCounts(p.scan, p.duck).every((c) => c.ok) && compareRowsRead(p.scan, parseGeneratedCounts(csv.summary), "(a)").every((c) => c.ok);
    checks.push({ what: `pair ${i + 1}: every count as above`, povwatch: same ? 1 : 0, duckdb: 1, ok: same });
  });
  const checks1 = compareCounts(scan, duck1);
  const agree = checks.every((c) => c.ok) && checks1.every((c) => c.ok) && selftest.code === 0;

  const lines = [];
  lines.push(`## povwatch benchmark — ${describeMachine(machine)}`, "");
  lines.push(`Period ${period}; data: ${CSV_SET.name} (${formatCount(CSV_SET.households)} households × ${CSV_SET.months} months, seed ${CSV_SET.seed})` + (xlsx ? `, ${XLSX_SET.name} (${formatCount(XLSX_SET.households)} × ${XLSX_SET.months}, xlsx)` : ""), "");
  lines.push(markdownTable(["run", "wall", "income rows", "income rows/s", "all rows", "all rows/s", "peak RSS"], table), "");
  if (pairs.length > 1) {
    lines.push(`(a) and (b) alternating, ${pairs.length} pairs (the table above shows the median pair):`, "");
    lines.push(
      markdownTable(
        ["pair", "(a) povwatch", "(b) DuckDB, 2 threads", "(a) / (b)", "peak RSS (a)", "CPU (a) / (b)"],
        pairs.map((p, i) => [`${i + 1}${p === median ? " (median)" : ""}`, formatSeconds(p.scan.wallMs), formatSeconds(p.duck.wallMs), `${p.ratio.toFixed(2)}×`, formatKb(p.scan.maxRssKb), `${formatSeconds(p.scan.cpuMs)} / ${formatSeconds(p.duck.cpuMs)}`]),
      ),
      "",
    );
  }
  lines.push(`Ratio povwatch / DuckDB (wall, (a) / (b)${pairs.length > 1 ? `, median of ${pairs.length} pairs` : ""}): ${(scan.wallMs / duck.wallMs).toFixed(2)}×${pairs.length > 1 ? ` (pairs: ${pairs.map((p) => p.ratio.toFixed(2)).join(", ")})` : ""}; against DuckDB on 1 thread: ${(scan.wallMs / duck1.wallMs).toFixed(1)}×. Peak RSS ratio: ${(scan.maxRssKb / duck.maxRssKb).toFixed(1)}×; highest peak RSS of (a): ${formatKb(Math.max(...pairs.map((p) => p.scan.maxRssKb)))}.`);
  lines.push(`CPU time (user + system; less sensitive than wall time to other work on the machine): povwatch (a) ${formatSeconds(scan.cpuMs)}, DuckDB (b) ${formatSeconds(duck.cpuMs)}, (b1) ${formatSeconds(duck1.cpuMs)}; ratio (a) / (b1) ${(scan.cpuMs / duck1.cpuMs).toFixed(1)}×.`);
  lines.push(`DuckDB phases (b): load CSV ${formatSeconds(duck.phases.loadMs)}, rules ${formatSeconds(duck.phases.computeMs)}.`, "");
  lines.push(markdownTable(["compared", "povwatch", "DuckDB (or generated)", "agree"], checks.map((c) => [c.what, formatCount(c.povwatch), formatCount(c.duckdb), c.ok ? "yes" : "NO"])), "");
  lines.push(agree ? "povwatch and DuckDB agree on every compared count." : "povwatch and DuckDB DISAGREE (see the rows marked NO).");
  lines.push(`Hand-made cases (bench/selftest.js, DuckDB and povwatch against rules.md): ${selftestLine.replace(/^selftest: /, "")}.`);
  lines.push(`Total bench time: ${formatSeconds(Number(process.hrtime.bigint() - started) / 1e6)}.`);
  process.stdout.write(lines.join("\n") + "\n");

  const pairsJson = pairs.map((p) => ({ scanWallMs: p.scan.wallMs, scanMaxRssKb: p.scan.maxRssKb, scanCpuMs: p.scan.cpuMs, duckWallMs: p.duck.wallMs, duckCpuMs: p.duck.cpuMs, ratio: p.ratio }));
  writeFileSync(join(DATA, "last-run.json"), JSON.stringify({ machine, period, pairs: pairsJson, scan: { ...scan, runJson: undefined, counts: scan.runJson.counts }, duck, duck1, xlsxScan: xlsxScan && { ...xlsxScan, runJson: undefined }, checks, checks1 }, null, 2) + "\n");
  if (!agree) {
    for (const c of [...checks, ...checks1].filter((x) => !x.ok)) process.stderr.write(`bench: DISAGREE ${c.what}: povwatch ${c.povwatch}, DuckDB ${c.duckdb}\n`);
    return 1;
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv);
}
