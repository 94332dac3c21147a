/**
 * The scaling run (`npm run bench -- --scaling`, or `node bench/scaling.js`): `povwatch scan` on 10^4, 10^5 and
 * 10^6 households × 12 months (CSV, seed 1), with the DuckDB reference's time beside it; prints a Markdown table
 * (rows, scan wall time, rows/s, peak RSS) for bench/README.md.
 *
 * Options: --max N (largest size, default 1000000), --build (rebuild dist/ first), --period YYYY-MM.
 */
import { pathToFileURL } from "node:url";
import {
  describeMachine, ensureBuilt, ensureGenerated, formatCount, formatKb, formatRate, formatSeconds, machineInfo,
  markdownTable, parseFlags, timeDuckdb, timeScan, warmPageCache,
} from "./lib.js";

/** The sizes of the scaling run and the names of their data sets (csv-1m is shared with `npm run bench`). */
export const SCALING_SETS = [
  { name: "csv-10k", households: 10_000 },
  { name: "csv-100k", households: 100_000 },
  { name: "csv-1m", households: 1_000_000 },
];

const log = (line) => process.stderr.write(`bench: ${line}\n`);

/** Runs the scaling table; returns the process exit code. */
export async function main(argv) {
  const flags = parseFlags(argv.slice(2));
  const period = typeof flags.period === "string" ? flags.period : "2026-10";
  const max = flags.max ? Number(flags.max) : 1_000_000;
  ensureBuilt({ force: flags.build === true });
  const machine = machineInfo();
  const rows = [];
  for (const set of SCALING_SETS.filter((s) => s.households <= max)) {
    const data = await ensureGenerated(set.name, { households: set.households, months: 12, seed: 1, format: "csv" }, log);
    await warmPageCache(data.dir);
    log(`scan ${set.name}`);
    const scan = await timeScan(data.dir, period);
    log(`scan ${set.name}: ${formatSeconds(scan.wallMs)}; DuckDB`);
    const duck = await timeDuckdb(data.dir, period);
    rows.push([
      formatCount(set.households),
      formatCount(scan.rows.income),
      formatCount(scan.rows.all),
      formatSeconds(scan.wallMs),
      formatRate(scan.rows.all, scan.wallMs),
      `${((scan.wallMs * 1000) / set.households).toFixed(1)} µs`,
      formatKb(scan.maxRssKb),
      formatSeconds(duck.wallMs),
      formatKb(duck.maxRssKb),
      `${(scan.wallMs / duck.wallMs).toFixed(1)}×`,
    ]);
  }
  const header = ["households", "income rows", "all rows", "scan wall", "all rows/s", "per household", "scan peak RSS", "DuckDB wall", "DuckDB peak RSS", "povwatch/DuckDB"];
  process.stdout.write(`## Scaling — ${describeMachine(machine)}\n\n${markdownTable(header, rows)}\n`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv);
}
