/**
 * The driver shared by the byte-level fast paths (fastIncome.ts, fastMembers.ts): reads a CSV file in large chunks,
 * checks that its bytes are valid text in the file's encoding, splits each line into field offsets and offers plain
 * lines to the table's row handler. Every other line — a quote, a blank line, a line whose first non-empty cell is
 * not the 户编号 (a 合计 row), or one the handler declines — is decoded and handed to the general converter, so the
 * fast paths give the same records, rejects and counts as the general path.
 */
import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { readSync } from "node:fs";
import { open } from "node:fs/promises";
import { TextDecoder } from "node:util";
import type { DatasetBuilder } from "../schema/assemble.js";
import type { Recognition } from "../schema/recognise.js";
import { createRowConverter } from "../schema/rows.js";
import { UserError } from "../model/errors.js";
import { endsInsideQuotes, firstInvalidOffset, parseRecords } from "./csvBytes.js";
import { mixedEncodingError } from "./csvReader.js";

/** What every fast path is given by readDataset. */
export interface FastReadContext {
  path: string;
  display: string;
  encoding: string;
  delimiter: string;
  /** Lines before the first data row (title rows and the header; all single-line). */
  skipLines: number;
  /** Spreadsheet row number of the first data row. */
  firstRow: number;
  recognition: Recognition;
  table: number;
  builder: DatasetBuilder;
  maxMonth?: number;
  signal?: AbortSignal;
  onProgress?: (rows: number) => void;
}

/**
 * Takes one plain line: its buffer, the field offsets (starts[k]..ends[k], k < n; at least `needed` fields) and its
 * spreadsheet row. Returns true when it took the row, false to send the line to the general converter.
 */
export type PlainRowHandler = (b: Buffer, starts: Int32Array, ends: Int32Array, n: number, row: number) => boolean;

const CHUNK = 1 << 22;

/**
 * The fields of a line b[s..e) without any quote: starts[k]..ends[k] (as many as the arrays hold) and their number,
 * or −1 when the line has a quote (the caller then reads it field by field). A function of its own, not a closure, so
 * that the loop over every byte of a province's files keeps its arrays in registers.
 */
function splitPlain(b: Buffer, s: number, e: number, delim: number, starts: Int32Array, ends: Int32Array): number {
  const max = starts.length;
  let n = 0;
  let fs = s;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c === delim) {
      if (n < max) {
        starts[n] = fs;
        ends[n] = i;
      }
      n++;
      fs = i + 1;
    } else if (c === 34) return -1;
  }
  if (n < max) {
    starts[n] = fs;
    ends[n] = e;
  }
  return n + 1;
}

/** The index of the first non-empty field among the `n` of a line (a 合计 row's first cell is not its 户编号). */
export function firstFilled(starts: Int32Array, ends: Int32Array, n: number): number {
  const stored = Math.min(n, starts.length);
  let first = 0;
  while (first < stored && starts[first] === ends[first]) first++;
  return first;
}

/**
 * Reads the data lines of `ctx.path` (plain ones through `handle`, others through the general converter).
 * `idColumn` is the 户编号 cell, which must be a plain line's first non-empty cell (a 合计 row's is not), or −1 when
 * the handler tells summary rows itself; `needed` the number of fields a plain line must have. Returns SHA-256 and
 * size.
 */
export async function readFastLines(ctx: FastReadContext, idColumn: number, needed: number, handle: PlainRowHandler): Promise<{ sha256: string; size: number }> {
  const { builder, table } = ctx;
  const convert = createRowConverter(ctx.recognition, { maxMonth: ctx.maxMonth });
  const encodingName = ctx.encoding === "utf-8-bom" ? "utf-8" : ctx.encoding;
  const decoder = new TextDecoder(encodingName, { fatal: true });
  const delim = ctx.delimiter.charCodeAt(0);
  const starts = new Int32Array(Math.max(needed, 64) + 1);
  const ends = new Int32Array(starts.length);
  const hash = createHash("sha256");
  const file = ctx.display;
  const source = { file, sheet: "", row: 0 };
  let row = ctx.firstRow;
  let skip = ctx.skipLines;
  /** The raw lines (with their line ends) of a quoted record spanning lines, and where the first one starts. */
  let pending: Buffer[] = [];
  let pendingBase = 0;
  /** Absolute offset of the current buffer's first byte (for encoding errors). */
  let base = 0;
  /** True while the current buffer's complete lines were checked at once and are valid. */
  let chunkValid = false;

  /** b[s..e) as text; `at` is the absolute offset of b[s] in the file (for the error of a byte that is not text). */
  const decode = (b: Buffer, s: number, e: number, at = base + s): string => {
    try {
      return decoder.decode(b.subarray(s, e));
    } catch (cause) {
      throw mixedEncodingError(file, encodingName, at + firstInvalidOffset(encodingName, b.subarray(s, e), false), undefined, cause);
    }
  };
  const validText = (bytes: Buffer): boolean => {
    if (encodingName === "utf-8") return isUtf8(bytes);
    try {
      new TextDecoder(encodingName, { fatal: true }).decode(bytes);
      return true;
    } catch {
      return false;
    }
  };
  /** Bytes a fast path does not decode must still be valid text (mixed encodings never pass silently). */
  const validate = (b: Buffer, s: number, e: number): void => {
    if (chunkValid) return;
    if (encodingName === "utf-8") {
      if (!isUtf8(b.subarray(s, e))) decode(b, s, e);
      return;
    }
    for (let i = s; i < e; i++) {
      if (b[i]! >= 0x80) {
        decode(b, s, e);
        return;
      }
    }
  };
  /** The records of `text` (one per spreadsheet row) through the general converter, as the general path reads them. */
  const slowLine = (text: string) => {
    for (const record of parseRecords(text, ctx.delimiter)) {
      source.row = row;
      builder.add(table, convert(record, source), source);
      row++;
    }
  };
  /** One record's cells (a line without quotes) through the general converter. */
  const cellsLine = (cells: string[]) => {
    source.row = row;
    builder.add(table, convert(cells, source), source);
    row++;
  };
  /** The pending record's text, without the line end of its last line. */
  const pendingText = (last: boolean): string => {
    const all = Buffer.concat(pending);
    pending = [];
    let e = all.length;
    if (!last && all[e - 1] === 10) e--;
    if (e > 0 && all[e - 1] === 13) e--;
    return decode(all, 0, e, pendingBase);
  };

  /**
   * Hands a line whose `n` fields are in starts/ends to the row handler, when it has the fields needed and, unless
   * the handler tells summary rows itself (idColumn −1), its first non-empty cell is the 户编号 (a 合计 row's is
   * not). Whether the handler took it.
   */
  const offer = (b: Buffer, n: number): boolean =>
    n >= needed && (idColumn < 0 || firstFilled(starts, ends, n) === idColumn) && handle(b, starts, ends, n, row);

  /**
   * Processes one line b[s..nl) (nl: its LF, or the end of the file when `last`). Like the general path
   * (csvBytes.ts), a line that ends inside a quoted field (csv-parse's relax_quotes rules: a quote opens a field only
   * at its start) continues on the next lines, line ends kept as data.
   */
  const line = (b: Buffer, s: number, nl: number, last = false) => {
    if (pending.length) {
      const all = Buffer.concat([...pending, b.subarray(s, last ? nl : nl + 1)]);
      pending = [all];
      if (!endsInsideQuotes(all, 0, all.length, delim)) slowLine(pendingText(last));
      return;
    }
    let e = nl;
    if (e > s && b[e - 1] === 13) e--;
    if (skip > 0) {
      skip--;
      return;
    }
    let n = splitPlain(b, s, e, delim, starts, ends);
    if (n >= 0) {
      // No quote on the line: its fields are cut at each delimiter, as the general path cuts them (a lone CR is data
      // there; csv-parse would end a record at it). A blank line is one empty field, fewer than needed.
      validate(b, s, e);
      if (offer(b, n)) row++;
      else cellsLine(decode(b, s, e).split(ctx.delimiter));
      return;
    }
    // A quote on the line (splitPlain stopped at it): read field by field.
    n = 0;
    let fs = s;
    let quoted = false;
    /** True once a simply quoted field was taken (the line has a quote: csv-parse reads it on the general path). */
    let hadQuote = false;
    /** True when the last field was quoted and its closing quote ends the line. */
    let closedAtEnd = false;
    for (let i = s; i < e; i++) {
      const c = b[i]!;
      if (c === delim) {
        if (n < starts.length) {
          starts[n] = fs;
          ends[n] = i;
        }
        n++;
        fs = i + 1;
      } else if (c === 34) {
        // A field quoted from its first byte to a closing quote followed by the delimiter or the line end, with no
        // quote inside ("残疾,长期慢性病"), is its inner bytes, as csv-parse reads it. Any other quote — inside a
        // field, doubled, or a field that goes on to the next line — sends the line to the general parser.
        const close = i === fs ? b.indexOf(34, i + 1) : -1;
        if (close < 0 || close >= e || (close + 1 < e && b[close + 1] !== delim)) {
          quoted = true;
          break;
        }
        hadQuote = true;
        if (n < starts.length) {
          starts[n] = i + 1;
          ends[n] = close;
        }
        n++;
        if (close + 1 === e) {
          closedAtEnd = true;
          break;
        }
        fs = close + 2;
        i = close + 1;
      }
    }
    // csv-parse ends a record at a lone CR outside quotes: a line with a quote and a CR is left to it, as on the
    // general path (which hands every line with a quote to csv-parse).
    if (hadQuote && !quoted) {
      const cr = b.indexOf(13, s);
      if (cr >= 0 && cr < e) quoted = true;
    }
    if (!quoted) {
      if (!closedAtEnd) {
        if (n < starts.length) {
          starts[n] = fs;
          ends[n] = e;
        }
        n++;
      }
      // The whole line must be valid text first (a later field's bytes must not be reported before an earlier one's).
      validate(b, s, e);
    }
    if (!quoted && offer(b, n)) {
      row++;
      return;
    }
    if (quoted && endsInsideQuotes(b, s, e, delim)) {
      pending = [Buffer.from(b.subarray(s, last ? nl : nl + 1))];
      pendingBase = base + s;
      return;
    }
    // The line has a quote (a simply quoted field or another one): csv-parse reads it, as on the general path.
    slowLine(decode(b, s, e));
  };

  const fh = await open(ctx.path, "r");
  try {
    // One read buffer for the whole file: the unfinished last line of a chunk is moved to its start and the next
    // chunk read after it (a fresh 4 MiB buffer a chunk costs page faults and a copy). Nothing keeps a reference
    // into it: the row handlers copy what they keep.
    let buf = Buffer.allocUnsafe(CHUNK * 2);
    let carryLen = 0;
    let first = true;
    let consumed = 0;
    for (;;) {
      if (ctx.signal?.aborted) throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new UserError("interrupted", "interrupted");
      if (buf.length - carryLen < CHUNK) {
        // A line longer than a chunk: a bigger buffer, the carried bytes first.
        const bigger = Buffer.allocUnsafe(carryLen + CHUNK * 2);
        buf.copy(bigger, 0, 0, carryLen);
        buf = bigger;
      }
      // Read on this thread: a page-cache copy of 4 MiB takes about a millisecond, while an asynchronous read goes
      // through libuv's thread pool, whose thread must first get one of the cores that the two readers keep busy (each
      // reader sat idle 0.1–0.15 s of a province's read that way, in the profiles). The event loop still gets a turn
      // between chunks (Ctrl-C, progress, the income worker's messages).
      const bytesRead = readSync(fh.fd, buf, carryLen, CHUNK, null);
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (bytesRead === 0) break;
      hash.update(buf.subarray(carryLen, carryLen + bytesRead));
      const b = buf.subarray(0, carryLen + bytesRead);
      base = consumed - carryLen;
      consumed += bytesRead;
      let pos = 0;
      if (first) {
        first = false;
        if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) pos = 3;
        // Estimate the rows from the file size and the first chunk's lines, so that stores are sized once.
        let lines = 0;
        for (let i = b.indexOf(10); i >= 0 && i < bytesRead; i = b.indexOf(10, i + 1)) lines++;
        if (lines > 100) builder.reserveRows(table, Math.ceil(((await fh.stat()).size / bytesRead) * lines * 1.02));
      }
      // Check the buffer's complete lines at once; only a buffer with a bad byte is checked line by line.
      const lastNl = b.lastIndexOf(10);
      chunkValid = lastNl >= pos && validText(b.subarray(pos, lastNl));
      for (;;) {
        const nl = b.indexOf(10, pos);
        if (nl < 0) break;
        line(b, pos, nl);
        pos = nl + 1;
      }
      chunkValid = false;
      carryLen = b.length - pos;
      buf.copyWithin(0, pos, b.length);
      ctx.onProgress?.(row - ctx.firstRow);
    }
    base = consumed - carryLen;
    if (carryLen) line(buf, 0, carryLen, true);
    // A quote never closed: the general converter reports it (the rest of the file would be one cell).
    if (pending.length) slowLine(pendingText(true));
    return { sha256: hash.digest("hex"), size: (await fh.stat()).size };
  } finally {
    await fh.close();
  }
}
