/**
 * CSV parser comparison (`node bench/parsers.js`): rows/s on the same bytes — the first N MB of the generated
 * income.csv (bench/data/csv-1m, cut at a line end) — of
 *   - lines only: Buffer.indexOf('\n') over the bytes (the floor: no field is looked at);
 *   - csv-parse 6, streaming, with the options povwatch's general CSV path uses, fed text decoded in 1 MiB chunks;
 *   - udsv (uDSV), streaming (parser.chunk with stringArrs), fed the same decoded chunks;
 *   - povwatch's ByteCsvSplitter (dist/io/csvBytes.js), every field decoded to a string;
 *   - povwatch's general income path: ByteCsvSplitter + the row converter + the dataset builder (what a scan does
 *     with an income CSV when the fast path does not apply);
 *   - povwatch's income fast path (dist/io/fastIncome.js readIncomeFast) into the dataset builder — it parses
 *     months and amounts and fills the columnar income store and hashes the file (SHA-256), so it does more than the
 *     parsers above, which only give strings.
 * Each parser runs in its own child process (a fresh heap), on a warm page cache: one warm-up pass, then --runs timed
 * passes (default 3); the median is reported. All parsers must report the same number of data rows.
 *
 * Options: --mb N (default 128), --runs N (default 3), --only NAME (run one parser; used by the children).
 */
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { CSV_SET, DATA, ROOT, describeMachine, ensureBuilt, ensureGenerated, expectExit0, formatCount, formatKb, machineInfo, markdownTable, parseFlags, runNode } from "./lib.js";

const CHUNK = 1 << 20;
const log = (line) => process.stderr.write(`bench: ${line}\n`);

/** The first `mb` MiB of `source`, cut after the last complete line, written once to bench/data/parsers/. */
export function prepareSlice(source, mb) {
  const out = join(DATA, "parsers", `income-${mb}mb.csv`);
  if (existsSync(out)) return out;
  const want = Math.min(mb * 1024 * 1024, statSync(source).size);
  const buf = Buffer.allocUnsafe(want);
  const fd = openSync(source, "r");
  let got = 0;
  while (got < want) {
    const n = readSync(fd, buf, got, want - got, got);
    if (n === 0) break;
    got += n;
  }
  closeSync(fd);
  const end = buf.lastIndexOf(10, got - 1) + 1;
  mkdirSync(join(DATA, "parsers"), { recursive: true });
  writeFileSync(out, buf.subarray(0, end));
  return out;
}

/** The file's bytes in 1 MiB chunks (read once, before timing). */
async function readChunks(path) {
  const chunks = [];
  for await (const c of createReadStream(path, { highWaterMark: CHUNK })) chunks.push(c);
  return chunks;
}

/** Decoded text of each chunk (a streaming TextDecoder, as povwatch's general path decodes). */
function* decodeChunks(chunks) {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (const c of chunks) yield decoder.decode(c, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}

/**
 * The parsers; each resolves to { rows, fields } for the data rows (the header excluded) so that the results can be
 * compared and no work can be optimised away.
 */
export const PARSERS = {
  "lines only (Buffer.indexOf)": async (chunks) => {
    let rows = 0;
    let carry = 0;
    for (const c of chunks) {
      for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) rows++;
      carry = c[c.length - 1] === 10 ? 0 : 1;
    }
    return { rows: rows + carry - 1, fields: NaN };
  },
  "csv-parse 6 (stream, povwatch options)": async (chunks) => {
    const { parse } = await import("csv-parse");
    const { CSV_PARSE_OPTIONS } = await import(join(ROOT, "dist", "io", "csvBytes.js"));
    const parser = Readable.from(decodeChunks(chunks), { objectMode: false, encoding: "utf8" }).pipe(parse({ ...CSV_PARSE_OPTIONS, delimiter: "," }));
    let rows = 0;
    let fields = 0;
    for await (const record of parser) {
      rows++;
      fields += record.length;
    }
    return { rows: rows - 1, fields: fields - 7 };
  },
  "udsv 0.7.3 (stream, stringArrs)": async (chunks) => {
    const { inferSchema, initParser } = await import("udsv");
    let rows = 0;
    let fields = 0;
    let parser;
    for (const text of decodeChunks(chunks)) {
      if (!parser) parser = initParser(inferSchema(text, { col: ",", row: "\r\n", encl: '"' }));
      parser.chunk(text, parser.stringArrs, (row) => {
        rows++;
        fields += row.length;
      });
    }
    parser.end();
    // udsv's schema takes the first line as the header, so every callback row is a data row
    return { rows, fields };
  },
  "povwatch ByteCsvSplitter": async (chunks) => {
    const { ByteCsvSplitter } = await import(join(ROOT, "dist", "io", "csvBytes.js"));
    const sp = new ByteCsvSplitter({ delimiter: ",", encoding: "utf-8", display: "income.csv", offset: 0, encodingError: (at, cause) => cause });
    const out = [];
    let rows = 0;
    let fields = 0;
    const take = () => {
      for (const r of out) fields += r.length;
      rows += out.length;
      out.length = 0;
    };
    for (const c of chunks) {
      sp.push(c, out);
      take();
    }
    sp.end(out);
    take();
    return { rows: rows - 1, fields: fields - 7 };
  },
  "povwatch general income path (splitter + converter + store)": async (chunks) => {
    const { ByteCsvSplitter } = await import(join(ROOT, "dist", "io", "csvBytes.js"));
    const { table, builder, recognition } = await incomeBuilder(chunks);
    const { createRowConverter } = await import(join(ROOT, "dist", "schema", "rows.js"));
    const convert = createRowConverter(recognition, {});
    const sp = new ByteCsvSplitter({ delimiter: ",", encoding: "utf-8", display: "income.csv", offset: 0, encodingError: (at, cause) => cause });
    const out = [];
    let row = 1;
    let header = true;
    const take = () => {
      for (const cells of out) {
        if (header) {
          header = false;
          continue;
        }
        row++;
        const source = { file: "income.csv", sheet: "", row };
        builder.add(table, convert(cells, source), source);
      }
      out.length = 0;
    };
    for (const c of chunks) {
      sp.push(c, out);
      take();
    }
    sp.end(out);
    take();
    return builderCounts(builder, table);
  },
  "povwatch income fast path (readIncomeFast → store)": async (chunks, path) => {
    const { readIncomeFast, fastIncomeLayout } = await import(join(ROOT, "dist", "io", "fastIncome.js"));
    const { table, builder, recognition } = await incomeBuilder(chunks);
    await readIncomeFast({
      path,
      display: "income.csv",
      encoding: "utf-8",
      delimiter: ",",
      skipLines: 1,
      firstRow: 2,
      recognition,
      layout: fastIncomeLayout(recognition),
      table,
      builder,
    });
    return builderCounts(builder, table);
  },
};

/** A dataset builder with one recognised income table (from the slice's header line). */
async function incomeBuilder(chunks) {
  const { DatasetBuilder } = await import(join(ROOT, "dist", "schema", "assemble.js"));
  const { recogniseTable, describeColumns } = await import(join(ROOT, "dist", "schema", "recognise.js"));
  const first = chunks[0].toString("utf8", 0, chunks[0].indexOf(10)).replace(/\r$/, "");
  const recognition = recogniseTable([first.split(",")]);
  if (recognition.kind !== "income") throw new Error(`the slice's header is not an income header: ${first}`);
  const builder = new DatasetBuilder();
  const file = { path: "income.csv", sha256: "", size: 0, tables: [] };
  const report = { file: file.path, sheet: "", kind: "income", columns: describeColumns(recognition), ignored: [], counts: { read: 0, accepted: 0, rejected: 0, skipped: 0, duplicates: 0 }, firstRejects: [] };
  const table = builder.addTable(file, report, { hasWage: true, wide: false });
  return { table, builder, recognition, report };
}

function builderCounts(builder, table) {
  const report = builder.inputs[0].tables[table];
  if (report.counts.rejected > 0) throw new Error(`${report.counts.rejected} income rows rejected`);
  return { rows: report.counts.accepted, fields: report.counts.accepted * 7 };
}

/** Runs one parser: a warm-up pass, then `runs` timed passes; prints { name, rows, fields, ms: [...], maxRssKb }. */
async function runOne(name, path, runs) {
  const parser = PARSERS[name];
  if (!parser) throw new Error(`unknown parser "${name}"; one of: ${Object.keys(PARSERS).join(", ")}`);
  const chunks = await readChunks(path);
  const first = await parser(chunks, path);
  const ms = [];
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
    const t0 = process.hrtime.bigint();
    const r = await parser(chunks, path);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.rows !== first.rows) throw new Error(`${name}: ${r.rows} rows on run ${i + 1}, ${first.rows} on the warm-up`);
  }
  process.stdout.write(JSON.stringify({ name, rows: first.rows, fields: first.fields, ms, maxRssKb: process.resourceUsage().maxRSS }) + "\n");
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(argv) {
  const flags = parseFlags(argv.slice(2));
  const mb = flags.mb ? Number(flags.mb) : 128;
  const runs = flags.runs ? Number(flags.runs) : 3;
  if (typeof flags.only === "string") {
    await runOne(flags.only, flags.path, runs);
    return 0;
  }
  ensureBuilt();
  const data = await ensureGenerated(CSV_SET.name, CSV_SET, log);
  const path = prepareSlice(join(data.dir, "income.csv"), mb);
  const bytes = statSync(path).size;
  const results = [];
  for (const name of Object.keys(PARSERS)) {
    log(`${name} …`);
    const r = expectExit0(name, await runNode(["--expose-gc", join(ROOT, "bench", "parsers.js"), "--only", name, "--path", path, "--runs", String(runs)]));
    results.push(JSON.parse(r.stdout));
  }
  const rows = results[0].rows;
  const agree = results.every((r) => r.rows === rows) && results.filter((r) => !Number.isNaN(r.fields) && r.fields !== null).every((r) => r.fields === rows * 7);
  const table = results.map((r) => {
    const m = median(r.ms);
    return [r.name, formatCount(r.rows), `${(m / 1000).toFixed(2)} s`, `${((r.rows / m) * 1000 / 1e6).toFixed(2)} M/s`, `${((bytes / 1024 / 1024 / m) * 1000).toFixed(0)} MiB/s`, r.ms.map((x) => (x / 1000).toFixed(2)).join(" / "), formatKb(r.maxRssKb)];
  });
  process.stdout.write(`## CSV parsers — ${describeMachine(machineInfo())}\n\n`);
  process.stdout.write(`Input: the first ${(bytes / 1024 / 1024).toFixed(1)} MiB of ${CSV_SET.name}/income.csv (${formatCount(rows)} data rows × 7 columns, UTF-8, CRLF), in memory (the fast path reads it from a warm page cache); median of ${runs} warm runs, each parser in its own process.\n\n`);
  process.stdout.write(markdownTable(["parser", "rows", "median", "rows/s", "MiB/s", "runs", "peak RSS"], table) + "\n\n");
  process.stdout.write(agree ? "Every parser read the same number of rows and fields.\n" : "The parsers DISAGREE on the number of rows or fields.\n");
  return agree ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv);
}
