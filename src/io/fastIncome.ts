/**
 * The fast path for long-layout monthly income CSVs, the bulk of a province scan (12 million rows for a million
 * households): the file's bytes are split into lines and fields directly, ids are cut from the bytes (and reused while
 * consecutive rows belong to the same household), months and amounts are parsed from ASCII digits, and each row goes
 * into the columnar income store without any object per row.
 *
 * Only plain rows take this path. Any line that is not plain — a quote, a blank line, an amount with separators or
 * units, a negative where none is allowed, an id with other characters, an unusual month — is decoded and handed to
 * the general converter (schema/rows.ts), so both paths give the same records, rejects and counts by construction.
 * tests/io/fastIncome.test.ts checks that on the same files, fuzzed ones included.
 */
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { parse as parseSync } from "csv-parse/sync";
import type { DatasetBuilder } from "../schema/assemble.js";
import type { Recognition } from "../schema/recognise.js";
import { createRowConverter } from "../schema/rows.js";
import { AMOUNT_LIMIT } from "../schema/values.js";
import { UserError } from "../model/errors.js";
import { isUtf8 } from "node:buffer";
import { TextDecoder } from "node:util";
import { firstBadByte } from "./csvBytes.js";
import { mixedEncodingError } from "./csvReader.js";

/** Column positions the fast path needs, from a recognised long income table; undefined when not applicable. */
export interface FastIncomeLayout {
  id: number;
  month: number;
  /** wage, business, property, transfer, businessExpense, netGiven, size (−1 = absent). */
  amounts: Int32Array;
  /** Which of `amounts` may be negative. */
  signed: Uint8Array;
}

const AMOUNT_FIELDS = ["wage", "business", "property", "transfer", "businessExpense", "netGiven", "size"] as const;

/** The fast layout of a recognised table, or undefined when the table is not a long income table. */
export function fastIncomeLayout(r: Recognition): FastIncomeLayout | undefined {
  if (r.kind !== "income" || r.wideMonths.length > 0) return undefined;
  const at = (field: string) => r.columns.find((c) => c.def.field === field)?.index ?? -1;
  const id = at("householdId");
  const month = at("month");
  if (id < 0 || month < 0) return undefined;
  const amounts = Int32Array.from(AMOUNT_FIELDS.map(at));
  const signed = Uint8Array.from(AMOUNT_FIELDS.map((f) => (f === "business" || f === "netGiven" ? 1 : 0)));
  return { id, month, amounts, signed };
}

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
/** Marker for "not plain: use the general converter". */
export const SLOW = Symbol("slow");

/**
 * A plain decimal in bytes [s, e): optional '-', digits, optional '.' and digits. NaN for an empty field; SLOW for
 * anything else (the general parser then decides).
 */
export function parseAmountBytes(b: Buffer, s: number, e: number): number | typeof SLOW {
  if (s === e) return NaN;
  let i = s;
  let neg = false;
  if (b[i] === 45) {
    neg = true;
    i++;
    if (i === e) return SLOW;
  }
  let int = 0;
  let digits = 0;
  for (; i < e; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) break;
    int = int * 10 + c;
    digits++;
  }
  let value = int;
  if (i < e) {
    if (b[i] !== 46) return SLOW;
    i++;
    let frac = 0;
    let k = 0;
    for (; i < e; i++) {
      const c = b[i]! - 48;
      if (c < 0 || c > 9 || k >= 15) return SLOW;
      frac = frac * 10 + c;
      k++;
    }
    if (k === 0 && digits === 0) return SLOW;
    value = (int * POW10[k]! + frac) / POW10[k]!;
    if (int * POW10[k]! + frac > 9007199254740991) return SLOW;
  } else if (digits === 0) return SLOW;
  if (digits > 15) return SLOW;
  return neg ? -value : value;
}

/** `2026-10`, `2026/10`, `2026.10`, `2026-1`, `202610` → month integer; SLOW otherwise. */
function parseMonthBytes(b: Buffer, s: number, e: number): number | typeof SLOW {
  const len = e - s;
  if (len < 6 || len > 7) return SLOW;
  let year = 0;
  for (let i = s; i < s + 4; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) return SLOW;
    year = year * 10 + c;
  }
  let i = s + 4;
  if (len === 7 || (len === 6 && (b[i] === 45 || b[i] === 47 || b[i] === 46))) {
    if (b[i] !== 45 && b[i] !== 47 && b[i] !== 46) return SLOW;
    i++;
  }
  let month = 0;
  if (e - i < 1 || e - i > 2) return SLOW;
  for (; i < e; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) return SLOW;
    month = month * 10 + c;
  }
  if (year < 1900 || year > 2200 || month < 1 || month > 12) return SLOW;
  return year * 12 + month - 1;
}

/**
 * Plain id bytes: ASCII letters except E/e (so that `1.3E+17`-like values always reach the general parser), digits,
 * '-' and '_', and no lower-case trailing x (which the general path upper-cases).
 */
export function plainId(b: Buffer, s: number, e: number): boolean {
  if (s === e) return false;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90 && c !== 69) || (c >= 97 && c <= 122 && c !== 101) || c === 45 || c === 95)) return false;
  }
  return b[e - 1] !== 120;
}

export function sameBytes(b: Buffer, s: number, e: number, other: Buffer): boolean {
  if (e - s !== other.length) return false;
  for (let i = e - s - 1; i >= 0; i--) if (b[s + i] !== other[i]) return false;
  return true;
}

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
  layout: FastIncomeLayout;
  table: number;
  builder: DatasetBuilder;
  maxMonth?: number;
  signal?: AbortSignal;
  onProgress?: (rows: number) => void;
}

const CHUNK = 1 << 22;

/**
 * Reads the data rows of a long income CSV through the fast path. Returns the SHA-256 and size of the file.
 */
export async function readIncomeFast(ctx: FastReadContext): Promise<{ sha256: string; size: number }> {
  const { layout, builder, table } = ctx;
  const convert = createRowConverter(ctx.recognition, { maxMonth: ctx.maxMonth });
  const decoder = new TextDecoder(ctx.encoding === "utf-8-bom" ? "utf-8" : ctx.encoding, { fatal: true });
  const delim = ctx.delimiter.charCodeAt(0);
  const maxMonth = ctx.maxMonth ?? Number.MAX_SAFE_INTEGER;
  const amountCols = layout.amounts;
  const signed = layout.signed;
  const needed = Math.max(layout.id, layout.month, ...amountCols) + 1;
  const starts = new Int32Array(Math.max(needed, 64) + 1);
  const ends = new Int32Array(starts.length);
  const values = new Float64Array(7);
  const hash = createHash("sha256");
  const sheet = "";
  const file = ctx.display;

  let row = ctx.firstRow;
  let skip = ctx.skipLines;
  let prevId = "";
  let prevIdBuf = Buffer.alloc(0);
  let pendingSlow = ""; // a quoted record spanning lines

  const slowLine = (text: string) => {
    const records = parseSync(text, { delimiter: ctx.delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: false }) as string[][];
    const cells = records[0] ?? [""];
    const source = { file, sheet, row };
    builder.add(table, convert(cells, source), source);
    row++;
  };
  /** Absolute offset of the current buffer's first byte (for encoding errors). */
  let base = 0;
  const encodingName = ctx.encoding === "utf-8-bom" ? "utf-8" : ctx.encoding;
  const decode = (b: Buffer, s: number, e: number): string => {
    try {
      return decoder.decode(b.subarray(s, e));
    } catch (cause) {
      throw mixedEncodingError(file, encodingName, base + s + firstBadByte(b.subarray(s, e), encodingName), undefined, cause);
    }
  };
  /** Bytes this path does not decode must still be valid text (mixed encodings never pass silently). */
  /** True while the current buffer's complete lines were checked at once and are valid. */
  let chunkValid = false;
  const validText = (bytes: Buffer): boolean => {
    if (encodingName === "utf-8") return isUtf8(bytes);
    try {
      new TextDecoder(encodingName, { fatal: true }).decode(bytes);
      return true;
    } catch {
      return false;
    }
  };
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
  const quoteParityOdd = (text: string) => {
    let n = 0;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 34) n++;
    return n % 2 === 1;
  };

  /** Processes one line [s, e) of `b` (without the line end). */
  const line = (b: Buffer, s: number, e: number) => {
    if (e > s && b[e - 1] === 13) e--;
    if (skip > 0) {
      skip--;
      return;
    }
    if (pendingSlow) {
      pendingSlow += "\n" + decode(b, s, e);
      if (quoteParityOdd(pendingSlow)) return;
      const text = pendingSlow;
      pendingSlow = "";
      slowLine(text);
      return;
    }
    // split
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
    }
    // The whole line must be valid text first (a later field's bytes must not be reported before an earlier one's).
    if (!quoted) validate(b, s, e);
    let plain = !quoted && e > s && n >= needed;
    let month = 0;
    if (plain) {
      const m = parseMonthBytes(b, starts[layout.month]!, ends[layout.month]!);
      if (m === SLOW || m > maxMonth) plain = false;
      else month = m;
    }
    if (plain) {
      for (let k = 0; k < 7; k++) {
        const col = amountCols[k]!;
        if (col < 0) {
          values[k] = NaN;
          continue;
        }
        const v = parseAmountBytes(b, starts[col]!, ends[col]!);
        if (v === SLOW || (v < 0 && !signed[k]) || v >= AMOUNT_LIMIT || v <= -AMOUNT_LIMIT) {
          plain = false;
          break;
        }
        values[k] = v;
      }
      // 家庭人口数 must be a whole number ≥ 1
      const size = values[6]!;
      if (plain && size === size && !(Number.isInteger(size) && size >= 1)) plain = false;
    }
    let id = prevId;
    if (plain) {
      const is = starts[layout.id]!;
      const ie = ends[layout.id]!;
      if (!plainId(b, is, ie)) plain = false;
      else if (!sameBytes(b, is, ie, prevIdBuf)) {
        id = b.toString("latin1", is, ie);
        prevId = id;
        prevIdBuf = Buffer.from(b.subarray(is, ie));
      }
    }
    if (!plain) {
      const text = decode(b, s, e);
      if (quoted && quoteParityOdd(text)) {
        pendingSlow = text;
        return;
      }
      slowLine(text);
      return;
    }
    builder.addIncomeRow(table, row, id, month, values[0]!, values[1]!, values[2]!, values[3]!, values[4]!, values[5]!, values[6]!);
    row++;
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
        // Estimate the rows from the file size and the first chunk's lines, to size the store once.
        let lines = 0;
        for (let i = b.indexOf(10); i >= 0 && i < bytesRead; i = b.indexOf(10, i + 1)) lines++;
        if (lines > 100) builder.reserveIncome(Math.ceil(((await fh.stat()).size / bytesRead) * lines * 1.02));
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
    if (pendingSlow) slowLine(pendingSlow);
    const size = (await fh.stat()).size;
    return { sha256: hash.digest("hex"), size };
  } finally {
    await fh.close();
  }
}
