/**
 * Column building blocks of the province-sized stores (members, households): dictionary codes in the narrowest typed
 * array that holds them, and short ASCII texts (ID numbers) as bytes instead of one heap string each.
 */
import { latin1 } from "./bytes.js";
import { hashBytes, hashString } from "./idIndex.js";

/**
 * Interns repeated texts of one column as small integer codes (0 = undefined). Columns such as 与户主关系 have a
 * handful of values: those are found by a short scan (the same string instance most of the time), others by a Map.
 */
export class Dictionary {
  private readonly codes = new Map<string, number>();
  readonly values: (string | undefined)[] = [undefined];
  /** Codes of YYYY-MM-DD values by dateSlot (出生日期: tens of thousands of values, looked up millions of times). */
  private dates: Int32Array | undefined;

  code(value: string | undefined): number {
    if (value === undefined) return 0;
    if (value.length === 10) {
      const slot = dateSlot(value);
      if (slot >= 0) {
        const dates = (this.dates ??= new Int32Array(DATE_SLOTS));
        const known = dates[slot]!;
        if (known !== 0) return known;
        const c = this.values.length;
        this.values.push(value);
        dates[slot] = c;
        return c;
      }
    }
    const values = this.values;
    if (values.length <= 16) {
      for (let i = 1; i < values.length; i++) if (values[i] === value) return i;
    } else {
      const c = this.codes.get(value);
      if (c !== undefined) return c;
    }
    const c = values.length;
    values.push(value);
    this.codes.set(value, c);
    return c;
  }
}

/** Years 1800–2199, months 01–12, days 01–31: the dates dateSlot numbers. */
export const DATE_SLOTS = 400 * 12 * 31;

/**
 * A distinct number below DATE_SLOTS for each text YYYY-MM-DD with a year 1800–2199, a month 01–12 and a day 01–31
 * (whether or not the day exists in that month), else −1.
 */
export function dateSlot(t: string): number {
  if (t.length !== 10) return -1;
  return slotOf((i) => t.charCodeAt(i));
}

/** dateSlot of the ten bytes b[s .. s + 10) (ASCII), without making a string. */
export function dateSlotBytes(b: Uint8Array, s: number): number {
  return slotOf((i) => b[s + i]!);
}

function slotOf(at: (i: number) => number): number {
  if (at(4) !== 45 || at(7) !== 45) return -1;
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const c = at(i) - 48;
    if (c < 0 || c > 9) return -1;
    y = y * 10 + c;
  }
  const m1 = at(5) - 48;
  const m2 = at(6) - 48;
  const d1 = at(8) - 48;
  const d2 = at(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return -1;
  const m = m1 * 10 + m2;
  const d = d1 * 10 + d2;
  if (y < 1800 || y >= 2200 || m < 1 || m > 12 || d < 1 || d > 31) return -1;
  return ((y - 1800) * 12 + (m - 1)) * 31 + (d - 1);
}

/**
 * A column of dictionary codes, one byte each until a code needs more (then two bytes, then four): columns such as
 * 与户主关系 have a handful of values, 出生日期 a few tens of thousands.
 */
export class CodeColumn {
  private a: Uint8Array | Uint16Array | Int32Array;

  constructor(cap: number) {
    this.a = new Uint8Array(cap);
  }

  set(k: number, code: number): void {
    if (code > 255 && this.a instanceof Uint8Array) this.a = Uint16Array.from(this.a);
    if (code > 65535 && this.a instanceof Uint16Array) this.a = Int32Array.from(this.a);
    this.a[k] = code;
  }

  get(k: number): number {
    return this.a[k]!;
  }

  /** The codes by row (index k), as stored: one, two or four bytes each. Read-only. */
  get raw(): Uint8Array | Uint16Array | Int32Array {
    return this.a;
  }

  grow(cap: number): void {
    const b = new (this.a.constructor as new (n: number) => Uint8Array | Uint16Array | Int32Array)(cap);
    b.set(this.a);
    this.a = b;
  }
}

/** Bits of rowsWith's sieve. */
const SIEVE_BITS = 1 << 20;

/** The sieve bit of a text's hash (hashString of the text, hashBytes of its ASCII bytes). */
function sieveBit(h: number): number {
  return (h ^ (h >>> 20)) & (SIEVE_BITS - 1);
}

/** Bytes kept per text of an AsciiColumn: an 18-character resident ID fits. */
export const ASCII_BYTES = 18;
/** The length stored for a text kept as a string in `others` (AsciiColumn.rawLengths). */
export const RAW_LENGTH_STRING = 255;

/**
 * Texts such as 证件号码: a plain ASCII text of up to 18 characters is kept as bytes (18 a row, with its length), any
 * other text in a Map. Millions of ID strings would be millions of heap objects for the garbage collector to trace.
 */
export class AsciiColumn {
  private bytes: Buffer;
  private length: Uint8Array;
  private readonly others = new Map<number, string>();

  constructor(cap: number) {
    this.bytes = Buffer.alloc(cap * ASCII_BYTES);
    this.length = new Uint8Array(cap);
  }

  set(k: number, text: string | undefined): void {
    if (text === undefined) {
      this.length[k] = 0;
      this.others.delete(k);
      return;
    }
    const len = text.length;
    if (len > 0 && len <= ASCII_BYTES) {
      let ascii = true;
      for (let i = 0; i < len; i++) if (text.charCodeAt(i) > 0x7f) ascii = false;
      if (ascii) {
        // A loop: for at most 18 characters it is faster than Buffer#write's native call.
        const bytes = this.bytes;
        for (let i = 0, o = k * ASCII_BYTES; i < len; i++, o++) bytes[o] = text.charCodeAt(i);
        this.length[k] = len;
        return;
      }
    }
    this.others.set(k, text);
    this.length[k] = RAW_LENGTH_STRING;
  }

  /** Sets row k from plain ASCII bytes b[s..e) (no string made when they fit). */
  setBytes(k: number, b: Buffer, s: number, e: number): void {
    if (e - s > ASCII_BYTES || e <= s) {
      this.set(k, latin1(b, s, e));
      return;
    }
    // A loop: for at most 18 bytes it is faster than Buffer.copy's native call.
    const bytes = this.bytes;
    for (let i = s, o = k * ASCII_BYTES; i < e; i++, o++) bytes[o] = b[i]!;
    this.length[k] = e - s;
  }

  /** The bytes of the rows kept as bytes: row k's at k × 18 (rawLengths[k] of them). Read-only. */
  get rawBytes(): Uint8Array {
    return this.bytes;
  }

  /** Each row's length as stored: 0 empty, 1–18 bytes, RAW_LENGTH_STRING kept as a string. Read-only. */
  get rawLengths(): Uint8Array {
    return this.length;
  }

  get(k: number): string | undefined {
    const len = this.length[k]!;
    if (len === 0) return undefined;
    if (len === RAW_LENGTH_STRING) return this.others.get(k);
    return latin1(this.bytes, k * ASCII_BYTES, k * ASCII_BYTES + len);
  }


  /**
   * Calls `visit(k, text)` for each of rows 0 … count−1, in order, whose text is one of `wanted`, until it returns
   * true. Only rows whose bytes hash like a wanted text are made into strings (a province has millions of IDs and
   * events name a few thousand).
   */
  rowsWith(wanted: ReadonlySet<string>, count: number, visit: (k: number, text: string) => boolean): void {
    const hashes = new Set<number>();
    // A first sieve: one bit per wanted hash, so that the Set is asked only about one row in twenty or so. (A sieve on
    // the last few characters alone let most rows through: resident IDs end in a short sequence code and a check digit.)
    const sieve = new Uint8Array(SIEVE_BITS >>> 3);
    for (const t of wanted) {
      const h = hashString(t);
      hashes.add(h);
      const bit = sieveBit(h);
      sieve[bit >>> 3]! |= 1 << (bit & 7);
    }
    const bytes = this.bytes;
    const lengths = this.length;
    for (let k = 0; k < count; k++) {
      const len = lengths[k]!;
      if (len === 0) continue;
      if (len !== RAW_LENGTH_STRING) {
        const s = k * ASCII_BYTES;
        const h = hashBytes(bytes, s, s + len);
        const bit = sieveBit(h);
        if ((sieve[bit >>> 3]! & (1 << (bit & 7))) === 0 || !hashes.has(h)) continue;
      }
      const text = this.get(k)!;
      if (wanted.has(text) && visit(k, text)) return;
    }
  }

  grow(cap: number): void {
    const bytes = Buffer.alloc(cap * ASCII_BYTES);
    this.bytes.copy(bytes);
    this.bytes = bytes;
    const length = new Uint8Array(cap);
    length.set(this.length);
    this.length = length;
  }
}
