/**
 * The fast path for long-layout monthly income CSVs, the bulk of a province scan (12 million rows for a million
 * households): the file's bytes are split into lines and fields directly, ids are cut from the bytes (and reused while
 * consecutive rows belong to the same household), months and amounts are parsed from ASCII digits, and each row goes
 * into the columnar income store without any object per row.
 *
 * Only plain rows take this path (fastLines.ts). Any line that is not plain — a quote, a blank line, an amount with
 * separators or units, a negative where none is allowed, an id with other characters, an unusual month — is decoded
 * and handed to the general converter (schema/rows.ts), so both paths give the same records, rejects and counts.
 * tests/io/fastIncome.test.ts checks that on the same files, fuzzed ones included.
 */
import type { Recognition } from "../schema/recognise.js";
import { AMOUNT_LIMIT } from "../schema/values.js";
import { readFastLines, type FastReadContext } from "./fastLines.js";
import { latin1 } from "../model/bytes.js";

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
/**
 * What the byte parsers return for a cell that is not plain: the general converter then decides. A number (not a
 * symbol) so that the parsers always return a double, which V8 keeps unboxed in the row handlers (a number-or-symbol
 * result is a heap number per amount: 60 million allocations for a province's income). For amounts it is past
 * AMOUNT_LIMIT, so the handlers' range check already sends such a cell to the general converter.
 */
const SLOW = Infinity;

/**
 * A plain decimal in bytes [s, e): optional '-', digits, optional '.' and digits. NaN for an empty field; SLOW for
 * anything else (the general parser then decides).
 */
export function parseAmountBytes(b: Buffer, s: number, e: number): number {
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
function parseMonthBytes(b: Buffer, s: number, e: number): number {
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

/**
 * The bytes of the previous row's 户编号 (a copy: fastLines.ts reuses its read buffer), so that a new household is
 * noticed without decoding the id of every row.
 */
export class PreviousBytes {
  /** A copy of the bytes last `set` (the reader reuses its buffer, so a reference into it would change under us). */
  private buf: Buffer = Buffer.alloc(64);
  private len = -1;

  /** Whether b[s..e) are the bytes last `set`. */
  same(b: Buffer, s: number, e: number): boolean {
    const len = e - s;
    if (len !== this.len) return false;
    const p = this.buf;
    for (let i = len - 1; i >= 0; i--) if (b[s + i] !== p[i]) return false;
    return true;
  }

  set(b: Buffer, s: number, e: number): void {
    const len = e - s;
    if (len > this.buf.length) this.buf = Buffer.alloc(len * 2);
    const p = this.buf;
    for (let i = 0; i < len; i++) p[i] = b[s + i]!;
    this.len = len;
  }
}

export interface FastIncomeContext extends FastReadContext {
  layout: FastIncomeLayout;
}

/** Reads the data rows of a long income CSV through the fast path. Returns the SHA-256 and size of the file. */
export function readIncomeFast(ctx: FastIncomeContext): Promise<{ sha256: string; size: number }> {
  const { layout, builder, table } = ctx;
  const maxMonth = ctx.maxMonth ?? Number.MAX_SAFE_INTEGER;
  const amountCols = layout.amounts;
  const signed = layout.signed;
  const values = new Float64Array(7);
  let prevId = "";
  const prevIdBytes = new PreviousBytes();
  const needed = Math.max(layout.id, layout.month, ...amountCols) + 1;
  return readFastLines(ctx, layout.id, needed, (b, starts, ends, _n, row) => {
    const month = parseMonthBytes(b, starts[layout.month]!, ends[layout.month]!);
    // SLOW (Infinity) is past any maxMonth.
    if (month > maxMonth) return false;
    for (let k = 0; k < 7; k++) {
      const col = amountCols[k]!;
      if (col < 0) {
        values[k] = NaN;
        continue;
      }
      const v = parseAmountBytes(b, starts[col]!, ends[col]!);
      if ((v < 0 && !signed[k]) || v >= AMOUNT_LIMIT || v <= -AMOUNT_LIMIT) return false;
      values[k] = v;
    }
    // 家庭人口数 must be a whole number ≥ 1
    const size = values[6]!;
    if (size === size && !(Number.isInteger(size) && size >= 1)) return false;
    const is = starts[layout.id]!;
    const ie = ends[layout.id]!;
    // The previous row's 户编号 was checked already (a household's months follow one another).
    if (!prevIdBytes.same(b, is, ie)) {
      if (!plainId(b, is, ie)) return false;
      prevId = builder.sharedHouseholdId(latin1(b, is, ie));
      prevIdBytes.set(b, is, ie);
    }
    builder.addIncomeRow(table, row, prevId, month, values[0]!, values[1]!, values[2]!, values[3]!, values[4]!, values[5]!, values[6]!);
    return true;
  });
}
