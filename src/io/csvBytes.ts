/**
 * A byte-level CSV record splitter for ASCII-compatible encodings (UTF-8, GB18030) with LF or CRLF line ends.
 *
 * A line without a quote is split on the delimiter byte and each field decoded on its own (so no field keeps a large
 * decoded chunk alive, and unwanted columns are not decoded at all). A record with a quote — possibly spanning lines —
 * is decoded whole; one line whose quoted fields are plain RFC 4180 is split here (splitQuotedLine), anything else
 * goes to csv-parse, the reference parser, with the same options as the streaming path; so the records are the same
 * as csv-parse gives (tests/io/csvBytes.test.ts compares both on the same files and on fuzzed lines).
 * Safe for GB18030: its multi-byte characters never contain the bytes of a quote, a delimiter, CR or LF.
 */
import { isUtf8 } from "node:buffer";
import { TextDecoder } from "node:util";
import { parse as parseSync } from "csv-parse/sync";
import { cleanCell } from "../schema/values.js";

export interface ByteSplitterOptions {
  delimiter: string;
  encoding: "utf-8" | "gb18030";
  display: string;
  /** Byte offset of the first byte given (after a BOM), for error messages. */
  offset: number;
  /** Builds the error for bytes that are not valid in the encoding at an absolute byte offset. */
  encodingError: (offset: number, cause: unknown) => Error;
}

/** What an unwanted, non-empty cell reads as once a column mask is set. */
export const MASKED = "\u0001";

/** The same options as the streaming csv-parse path (csvReader.ts). */
export const CSV_PARSE_OPTIONS = { relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: false, trim: false } as const;

export class ByteCsvSplitter {
  private readonly delim: number;
  private readonly decoder: TextDecoder;
  private carry: Buffer = Buffer.alloc(0);
  /** Bytes of a quoted record that spans lines, so far. */
  private pending: Buffer[] = [];
  /** Absolute offset of the current buffer's first byte. */
  private base: number;
  private mask: Uint8Array | undefined;
  /** Records given out so far. */
  private records = 0;
  /** Position of the next quote byte in the current buffer (−1: none; −2: not looked up yet). */
  private nextQuote = -2;
  /** Position of the next delimiter byte in the current buffer (−1: none; −2: not looked up yet). */
  private nextDelim = -2;

  constructor(private readonly options: ByteSplitterOptions) {
    this.delim = options.delimiter.charCodeAt(0);
    this.decoder = new TextDecoder(options.encoding, { fatal: true });
    this.base = options.offset;
  }

  /**
   * From now on only columns with mask[i] = 1 are decoded; other cells read as "" when empty and as a placeholder
   * (MASKED) otherwise — except a row's first non-empty cell, which is always decoded. undefined = all columns.
   */
  setMask(mask: Uint8Array | undefined): void {
    this.mask = mask;
  }

  /** Feeds bytes; complete records are appended to `out`. */
  push(chunk: Buffer, out: string[][]): void {
    const b = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const bufferBase = this.base - this.carry.length;
    this.nextQuote = -2;
    this.nextDelim = -2;
    let pos = 0;
    for (;;) {
      const nl = b.indexOf(10, pos);
      if (nl < 0) break;
      this.line(b, pos, nl, bufferBase, out);
      pos = nl + 1;
    }
    this.carry = Buffer.from(b.subarray(pos));
    this.base = bufferBase + b.length;
  }

  /** The last line (without a line end) and any unclosed quoted record. */
  end(out: string[][]): void {
    const b = this.carry;
    this.nextQuote = -2;
    this.nextDelim = -2;
    if (b.length) this.line(b, 0, b.length, this.base - b.length, out, true);
    this.carry = Buffer.alloc(0);
    if (this.pending.length) {
      // csv-parse's error for the same input, with the records before it (the unclosed field starts the next one).
      throw Object.assign(new Error("Quote Not Closed"), { code: "CSV_QUOTE_NOT_CLOSED", records: this.records });
    }
  }

  private line(b: Buffer, s: number, nl: number, bufferBase: number, out: string[][], last = false): void {
    if (this.pending.length) {
      // Inside a quoted record: keep the raw line end as data.
      this.pending.push(Buffer.from(b.subarray(s, last ? nl : nl + 1)));
      const all = Buffer.concat(this.pending);
      if (endsInsideQuotes(all, 0, all.length, this.delim)) return;
      this.pending = [];
      let e = all.length;
      if (!last && all[e - 1] === 10) e--;
      if (e > 0 && all[e - 1] === 13) e--;
      this.emit(out, parseRecords(this.decodeRange(all, 0, e, bufferBase + s), this.options.delimiter));
      return;
    }
    let e = nl;
    if (e > s && b[e - 1] === 13) e--;
    // One native search per quote in the buffer, not a byte loop per line.
    if (this.nextQuote === -2 || (this.nextQuote >= 0 && this.nextQuote < s)) this.nextQuote = b.indexOf(34, s);
    if (this.nextQuote >= 0 && this.nextQuote < e) {
      if (endsInsideQuotes(b, s, e, this.delim)) {
        this.pending.push(Buffer.from(b.subarray(s, last ? nl : nl + 1)));
        return;
      }
      this.emit(out, parseRecords(this.decodeRange(b, s, e, bufferBase + s), this.options.delimiter));
      return;
    }
    const cells: string[] = [];
    const mask = this.mask;
    let fs = s;
    let col = 0;
    let blank = true;
    for (;;) {
      // The next delimiter, looked up once per delimiter in the buffer (a line without one does not rescan the rest).
      if (this.nextDelim !== -1 && this.nextDelim < fs) this.nextDelim = b.indexOf(this.delim, fs);
      const i = this.nextDelim >= 0 && this.nextDelim < e ? this.nextDelim : e;
      {
        let text: string;
        if (i === fs) text = "";
        else if (mask && !mask[col] && !blank) {
          // Not decoded: an unwanted cell after the row's first non-empty one (a 合计 row is known by that first
          // cell) reads as a placeholder, so that the row is not taken for blank.
          text = MASKED;
          this.validate(b, fs, i, bufferBase);
        } else {
          text = this.field(b, fs, i, bufferBase);
          if (blank && cleanCell(text) !== "") blank = false;
        }
        cells.push(text);
        col++;
        fs = i + 1;
      }
      if (fs > e) break;
    }
    out.push(cells);
    this.records++;
  }

  private emit(out: string[][], records: string[][]): void {
    for (const r of records) out.push(r);
    this.records += records.length;
  }

  /** Checks that a cell that is not decoded is still valid text in the encoding (mixed encodings never pass silently). */
  private validate(b: Buffer, s: number, e: number, bufferBase: number): void {
    for (let i = s; i < e; i++) {
      if (b[i]! >= 0x80) {
        if (this.options.encoding === "utf-8" ? !isUtf8(b.subarray(s, e)) : true) this.decodeRange(b, s, e, bufferBase + s);
        return;
      }
    }
  }

  /** Decodes one field: ASCII as latin1 (a fresh flat string), anything else strictly in the file's encoding. */
  private field(b: Buffer, s: number, e: number, bufferBase: number): string {
    if (this.options.encoding === "utf-8") {
      // Invalid bytes decode to U+FFFD; only then is the field checked strictly (it may be a real U+FFFD).
      const text = b.toString("utf8", s, e);
      return text.indexOf("\uFFFD") < 0 ? text : this.decodeRange(b, s, e, bufferBase + s);
    }
    for (let i = s; i < e; i++) {
      if (b[i]! >= 0x80) return this.decodeRange(b, s, e, bufferBase + s);
    }
    return b.toString("latin1", s, e);
  }

  private decodeRange(b: Buffer, s: number, e: number, absolute: number): string {
    const end = e < 0 ? b.length : e;
    if (this.options.encoding === "utf-8") {
      const text = b.toString("utf8", s, end);
      if (text.indexOf("\uFFFD") < 0) return text;
    }
    try {
      return this.decoder.decode(b.subarray(s, end));
    } catch (cause) {
      throw this.options.encodingError(absolute + firstInvalidOffset(this.options.encoding, b.subarray(s, end), false), cause);
    }
  }
}

/** True when bytes [s, e) end inside a quoted field (csv-parse's rule: a quote opens a field only at its start). */
export function endsInsideQuotes(b: Uint8Array, s: number, e: number, delim: number): boolean {
  let inQuotes = false;
  let fieldStart = true;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (inQuotes) {
      if (c === 34) {
        if (i + 1 < e && b[i + 1] === 34) i++;
        else inQuotes = false;
      }
    } else if (c === delim || c === 10) {
      fieldStart = true;
    } else if (c === 34 && fieldStart) {
      inQuotes = true;
      fieldStart = false;
    } else if (c !== 13) {
      fieldStart = false;
    }
  }
  return inQuotes;
}

/** The records of `text` (one per spreadsheet row), as csv-parse reads them with CSV_PARSE_OPTIONS. */
export function parseRecords(text: string, delimiter: string): string[][] {
  // One line (the usual quoted record: a 说明 or an amount with a thousands separator) split here; csv-parse takes
  // what this does not handle, and its setup costs ≈ 70 µs a call (a province's list with a quoted column took 22 s).
  if (delimiter.length === 1 && text.indexOf("\n") < 0 && text.indexOf("\r") < 0) {
    const fields = splitQuotedLine(text, delimiter);
    if (fields) return [fields];
  }
  const records = parseSync(text, { ...CSV_PARSE_OPTIONS, delimiter }) as string[][];
  return records.length ? records : [[""]];
}

/**
 * The fields of one complete record (no line break) whose quoted fields are plain RFC 4180 — a quote opens a field
 * and closes it right before a delimiter or the end, with "" for a quote inside — or undefined for anything else (a
 * quote inside an unquoted field, text after a closing quote), which csv-parse reads with its own rules.
 */
export function splitQuotedLine(text: string, delimiter: string): string[] | undefined {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 34) {
      let value = "";
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) return undefined;
        if (text.charCodeAt(q + 1) === 34) {
          value += text.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      out.push(value);
      if (i === n) return out;
      if (text[i] !== delimiter) return undefined;
    } else {
      const d = text.indexOf(delimiter, i);
      const q = text.indexOf('"', i);
      if (q >= 0 && (d < 0 || q < d)) return undefined;
      const end = d < 0 ? n : d;
      out.push(text.slice(i, end));
      if (d < 0) return out;
      i = d;
    }
    // At a delimiter: the next field starts after it (an empty last field when it ends the line).
    i++;
    if (i === n) {
      out.push("");
      return out;
    }
  }
}

/**
 * The offset in `chunk` of the character at which a fresh strict decoder of `encoding` fails: the longest prefix that
 * decodes (a multi-byte sequence may be left open), then back to the start of that open sequence. Error path only.
 */
export function firstInvalidOffset(encoding: string, chunk: Uint8Array, continued: boolean): number {
  // A chunk after the first may begin inside a character continued from the previous chunk: try the first 4 starting
  // points (in UTF-8 only past continuation bytes) and keep the one that decodes furthest.
  let best = 0;
  const starts = !continued ? 1 : encoding === "utf-8" ? 1 + leadingContinuationBytes(chunk) : 4;
  for (let start = 0; start < starts && start < chunk.length; start++) {
    const decodes = (k: number, stream: boolean): boolean => {
      try {
        new TextDecoder(encoding, { fatal: true }).decode(chunk.subarray(start, k), { stream });
        return true;
      } catch {
        return false;
      }
    };
    let lo = start;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (decodes(mid, true)) lo = mid;
      else hi = mid - 1;
    }
    let at = lo;
    for (let k = lo; k >= Math.max(start, lo - 3); k--) {
      if (decodes(k, false)) {
        at = k;
        break;
      }
    }
    best = Math.max(best, at);
  }
  return best;
}

function leadingContinuationBytes(chunk: Uint8Array): number {
  let k = 0;
  while (k < 3 && k < chunk.length && chunk[k]! >= 0x80 && chunk[k]! <= 0xbf) k++;
  return k;
}
