/**
 * Column building blocks of the province-sized stores (members, households): dictionary codes in the narrowest typed
 * array that holds them, and short ASCII texts (ID numbers) as bytes instead of one heap string each.
 */

/**
 * Interns repeated texts of one column as small integer codes (0 = undefined). Columns such as 与户主关系 have a
 * handful of values: those are found by a short scan (the same string instance most of the time), others by a Map.
 */
export class Dictionary {
  private readonly codes = new Map<string, number>();
  readonly values: (string | undefined)[] = [undefined];

  code(value: string | undefined): number {
    if (value === undefined) return 0;
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

  grow(cap: number): void {
    const b = new (this.a.constructor as new (n: number) => Uint8Array | Uint16Array | Int32Array)(cap);
    b.set(this.a);
    this.a = b;
  }
}

/** Bytes kept per text of an AsciiColumn: an 18-character resident ID fits. */
const ASCII_BYTES = 18;
/** length of a text kept as a string in `others`. */
const OTHER = 255;

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
        this.bytes.write(text, k * ASCII_BYTES, len, "latin1");
        this.length[k] = len;
        return;
      }
    }
    this.others.set(k, text);
    this.length[k] = OTHER;
  }

  /** Sets row k from plain ASCII bytes b[s..e) (no string made when they fit). */
  setBytes(k: number, b: Buffer, s: number, e: number): void {
    if (e - s > ASCII_BYTES || e <= s) {
      this.set(k, b.toString("latin1", s, e));
      return;
    }
    b.copy(this.bytes, k * ASCII_BYTES, s, e);
    this.length[k] = e - s;
  }

  get(k: number): string | undefined {
    const len = this.length[k]!;
    if (len === 0) return undefined;
    if (len === OTHER) return this.others.get(k);
    return this.bytes.toString("latin1", k * ASCII_BYTES, k * ASCII_BYTES + len);
  }

  /** Whether row k holds a text (cheaper than get). */
  has(k: number): boolean {
    return this.length[k] !== 0;
  }

  /**
   * FNV-1a of row k's text (model/idIndex.ts hashString) computed from the bytes, or undefined when it is kept as a
   * string (then hash the string); NaN when empty.
   */
  hashOf(k: number): number | undefined {
    const len = this.length[k]!;
    if (len === 0) return Number.NaN;
    if (len === OTHER) return undefined;
    let h = 0x811c9dc5;
    const b = this.bytes;
    for (let i = k * ASCII_BYTES, e = i + len; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    return h;
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
