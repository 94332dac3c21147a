/**
 * CSV output (outputs.md): UTF-8 with a BOM by default (Excel on Chinese Windows), GB18030 without a BOM for old
 * tools; CRLF line ends; text cells guarded against formula injection; amounts with exactly 2 decimals. Written
 * atomically (io/atomic.ts), in batches, so a long list never becomes one huge string.
 */
import iconv from "iconv-lite";
import type { Cell, LazyTableSpec, NumberFormat, TableSpec } from "../report/workbook.js";
import { createAtomicWriteStream } from "./atomic.js";

/** CSV encodings povwatch writes (`--csv-encoding`). */
export type CsvEncoding = "utf8" | "gb18030";

/** Options of writeCsv. */
export interface CsvWriteOptions {
  encoding: CsvEncoding;
  /** Checked after each chunk written: once aborted, the writing stops with its reason (no file). */
  signal?: AbortSignal;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const BATCH_ROWS = 2000;

/**
 * The CSV-injection guard: text beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
 * so that no spreadsheet executes it as a formula. Other text is returned unchanged. Apply to text cells only
 * (a number is never text: −12.5 stays a number).
 */
export function guardCsvText(text: string): string {
  // By its first character's code: a province's list has millions of cells.
  const c = text.charCodeAt(0);
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 ? `'${text}` : text;
}

/**
 * One cell as CSV text: empty for null and for non-finite numbers; numbers of format "amount" with exactly 2
 * decimals, "percent" (ratios) with 4 decimals, others as JavaScript prints them (integers plain, no exponent for
 * the magnitudes povwatch writes); text through guardCsvText.
 */
export function formatCsvCell(cell: Cell, format: NumberFormat | undefined): string {
  if (cell === null) return "";
  if (typeof cell === "number") {
    if (!Number.isFinite(cell)) return "";
    const n = cell === 0 ? 0 : cell; // no "-0"
    if (format === "amount") return fixed(n, 2);
    if (format === "percent") return fixed(n, 4);
    return String(n);
  }
  return guardCsvText(cell);
}

function fixed(n: number, digits: number): string {
  const s = n.toFixed(digits);
  // "-0.00" (a tiny negative rounded to zero) is written 0.00.
  return s.charCodeAt(0) === 45 && Number(s) === 0 ? s.slice(1) : s;
}

/** The whole table as CSV text (header + rows, CRLF, no BOM). For small tables and tests. */
export function formatCsv(table: TableSpec): string {
  return csvLines(table, 0, table.rows.length, true);
}

function csvLines(table: TableSpec | LazyTableSpec, from: number, to: number, header: boolean): string {
  const formats = table.columns.map((c) => c.format);
  let text = header ? recordAt(table, formats, -1) + "\r\n" : "";
  for (let i = from; i < to; i++) text += recordAt(table, formats, i) + "\r\n";
  return text;
}

/** Row i of the table as one CSV record without its CRLF; i = −1 is the header. */
function recordAt(table: TableSpec | LazyTableSpec, formats: readonly (NumberFormat | undefined)[], i: number): string {
  if (i < 0) return recordText(table.columns.map((c) => guardCsvText(c.header)));
  // Field by field into the line: no array of formatted cells for each of a province's rows.
  const cells = rowOf(table, i);
  let line = "";
  for (let j = 0; j < cells.length; j++) {
    if (j > 0) line += ",";
    line += csvField(formatCsvCell(cells[j]!, formats[j]));
  }
  return line;
}

/** A field needs quotes when it holds the delimiter, a quote or a line break (RFC 4180). */
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/**
 * One CSV record with its CRLF: fields with a comma, a quote or a line break in quotes, quotes doubled (RFC 4180).
 * Written here rather than with csv-stringify: 7× faster on a province's list, and csv-stringify 6 leaves a field
 * with a lone line break unquoted. tests/io/writeCsv.test.ts checks it against csv-stringify (told to quote line
 * breaks) on fuzzed fields and reads the output back with csv-parse.
 */
export function csvRecord(fields: readonly string[]): string {
  return recordText(fields) + "\r\n";
}

/** csvRecord without its CRLF. */
function recordText(fields: readonly string[]): string {
  let line = "";
  for (let j = 0; j < fields.length; j++) {
    if (j > 0) line += ",";
    line += csvField(fields[j]!);
  }
  return line;
}

/** One field as CSV: in quotes, quotes doubled, when it holds a comma, a quote or a line break. */
function csvField(v: string): string {
  return NEEDS_QUOTES.test(v) ? `"${v.replace(QUOTE, '""')}"` : v;
}

/**
 * Writes `table` to `path` atomically: header row, then every row; UTF-8 with a BOM or GB18030 without one.
 * A character GB18030 cannot encode does not exist (it covers all of Unicode). Same table, same bytes.
 */
export async function writeCsv(path: string, table: TableSpec | LazyTableSpec, options: CsvWriteOptions): Promise<void> {
  const out = createAtomicWriteStream(path);
  try {
    const write = async (chunk: Buffer) => {
      await writeAndRelease(out.stream, chunk);
      if (options.signal?.aborted) throw options.signal.reason;
    };
    if (options.encoding === "utf8") await writeUtf8(write, table);
    else {
      await write(iconv.encode(csvLines(table, 0, 0, true), "gb18030"));
      const count = rowCountOf(table);
      for (let from = 0; from < count; from += BATCH_ROWS) {
        await write(iconv.encode(csvLines(table, from, Math.min(count, from + BATCH_ROWS), false), "gb18030"));
      }
    }
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
}

/** Bytes of UTF-8 gathered before a write (the buffer is reused). */
export const UTF8_BUFFER_BYTES = 1 << 22;

/**
 * The UTF-8 file: BOM, header, rows, each record encoded straight into one reused buffer that is written out when
 * full. Joining a batch of records into one string and encoding that (Buffer.from) cost more than building the rows:
 * the joined text must be flattened from its pieces and each batch's new buffer paged in.
 */
async function writeUtf8(write: (chunk: Buffer) => Promise<void>, table: TableSpec | LazyTableSpec): Promise<void> {
  const formats = table.columns.map((c) => c.format);
  let buf = Buffer.allocUnsafe(UTF8_BUFFER_BYTES);
  let used = UTF8_BOM.copy(buf, 0);
  const count = rowCountOf(table);
  for (let i = -1; i < count; i++) {
    const record = recordAt(table, formats, i);
    // At most 3 bytes a UTF-16 unit (a surrogate pair: 4 bytes for 2), plus CRLF.
    const room = record.length * 3 + 2;
    if (used + room > buf.length) {
      await write(buf.subarray(0, used));
      used = 0;
      if (room > buf.length) buf = Buffer.allocUnsafe(room);
    }
    used += buf.write(record, used, "utf8");
    buf[used++] = 13;
    buf[used++] = 10;
  }
  if (used > 0) await write(buf.subarray(0, used));
}

function rowCountOf(table: TableSpec | LazyTableSpec): number {
  return "rows" in table ? table.rows.length : table.rowCount;
}

/** Writes a chunk and waits until the stream has written it out (so that the caller may reuse its bytes). */
function writeAndRelease(stream: NodeJS.WritableStream, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    stream.once("error", onError);
    stream.write(chunk, (err) => {
      stream.off("error", onError);
      if (err) reject(err);
      else resolve();
    });
  });
}

function rowOf(table: TableSpec | LazyTableSpec, i: number): Cell[] {
  return "rows" in table ? table.rows[i]! : table.row(i);
}
