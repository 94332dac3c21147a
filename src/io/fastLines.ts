/**
 * The driver shared by the byte-level fast paths (fastIncome.ts, fastMembers.ts): reads a CSV file in large chunks,
 * checks that its bytes are valid text in the file's encoding, splits each line into field offsets and offers plain
 * lines to the table's row handler. Every other line — a quote, a blank line, a line whose first non-empty cell is
 * not the 户编号 (a 合计 row), or one the handler declines — is decoded and handed to the general converter, so the
 * fast paths give the same records, rejects and counts as the general path.
 */
import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { TextDecoder } from "node:util";
import { parse as parseSync } from "csv-parse/sync";
import type { DatasetBuilder } from "../schema/assemble.js";
import type { Recognition } from "../schema/recognise.js";
import { createRowConverter } from "../schema/rows.js";
import { UserError } from "../model/errors.js";
import { CSV_PARSE_OPTIONS, firstInvalidOffset } from "./csvBytes.js";
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
 * Reads the data lines of `ctx.path` (plain ones through `handle`, others through the general converter).
 * `idColumn` is the 户编号 cell; `needed` the number of fields a plain line must have. Returns SHA-256 and size.
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
  let pending = ""; // a quoted record spanning lines
  /** Absolute offset of the current buffer's first byte (for encoding errors). */
  let base = 0;
  /** True while the current buffer's complete lines were checked at once and are valid. */
  let chunkValid = false;

  const decode = (b: Buffer, s: number, e: number): string => {
    try {
      return decoder.decode(b.subarray(s, e));
    } catch (cause) {
      throw mixedEncodingError(file, encodingName, base + s + firstInvalidOffset(encodingName, b.subarray(s, e), false), undefined, cause);
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
  const slowLine = (text: string) => {
    const records = parseSync(text, { ...CSV_PARSE_OPTIONS, delimiter: ctx.delimiter }) as string[][];
    source.row = row;
    builder.add(table, convert(records[0] ?? [""], source), source);
    row++;
  };
  const oddQuotes = (text: string) => {
    let q = 0;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 34) q++;
    return q % 2 === 1;
  };

  /** Processes one line [s, e) of `b` (without its line end). */
  const line = (b: Buffer, s: number, e: number) => {
    if (e > s && b[e - 1] === 13) e--;
    if (skip > 0) {
      skip--;
      return;
    }
    if (pending) {
      pending += "\n" + decode(b, s, e);
      if (oddQuotes(pending)) return;
      const text = pending;
      pending = "";
      slowLine(text);
      return;
    }
    let n = 0;
    let fs = s;
    let quoted = false;
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
        quoted = true;
        break;
      }
    }
    if (!quoted) {
      if (n < starts.length) {
        starts[n] = fs;
        ends[n] = e;
      }
      n++;
      // The whole line must be valid text first (a later field's bytes must not be reported before an earlier one's).
      validate(b, s, e);
    }
    let plain = !quoted && e > s && n >= needed;
    if (plain) {
      // A 合计 row is known by its first non-empty cell: plain rows start with their 户编号.
      const stored = Math.min(n, starts.length);
      let first = 0;
      while (first < stored && starts[first] === ends[first]) first++;
      plain = first === idColumn && handle(b, starts, ends, n, row);
    }
    if (plain) {
      row++;
      return;
    }
    const text = decode(b, s, e);
    if (quoted && oddQuotes(text)) {
      pending = text;
      return;
    }
    slowLine(text);
  };

  const fh = await open(ctx.path, "r");
  try {
    let carry: Buffer = Buffer.alloc(0);
    let first = true;
    let consumed = 0;
    for (;;) {
      if (ctx.signal?.aborted) throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new UserError("interrupted", "interrupted");
      const buf = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      hash.update(chunk);
      const b = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      base = consumed - carry.length;
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
      carry = Buffer.from(b.subarray(pos));
      ctx.onProgress?.(row - ctx.firstRow);
    }
    base = consumed - carry.length;
    if (carry.length) line(carry, 0, carry.length);
    if (pending) slowLine(pending);
    return { sha256: hash.digest("hex"), size: (await fh.stat()).size };
  } finally {
    await fh.close();
  }
}
