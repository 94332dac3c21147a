/**
 * The fast path for large members CSVs that carry only member columns (成员信息 exports; not member-level exports
 * with household columns): fields are cut from the bytes, the repeated values of each column (与户主关系, 出生日期,
 * 性别, 劳动技能 …) are parsed once per distinct byte sequence, and each row goes straight into the member store.
 *
 * Every value is parsed by the general parser (schema/rows.ts parseValue) the first time its bytes are seen, so a
 * plain row gives exactly what the general path gives. Any line that is not plain — a quote, a blank line, an
 * unusual 户编号 or 证件号码, a value the general parser rejects — is decoded and handed to the general converter.
 * tests/io/fastMembers.test.ts compares both paths on the same files, fuzzed ones included.
 */
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { TextDecoder } from "node:util";
import { parse as parseSync } from "csv-parse/sync";
import type { DatasetBuilder } from "../schema/assemble.js";
import type { ColumnDef } from "../schema/catalogue.js";
import type { Recognition } from "../schema/recognise.js";
import { createRowConverter, parseValue } from "../schema/rows.js";
import { UserError } from "../model/errors.js";
import { isUtf8 } from "node:buffer";
import { firstBadByte } from "./csvBytes.js";
import { mixedEncodingError } from "./csvReader.js";
import { SLOW, parseAmountBytes, plainId, sameBytes } from "./fastIncome.js";
import type { HouseholdRow } from "../schema/rows.js";
import { AMOUNT_LIMIT } from "../schema/values.js";
import { CSV_PARSE_OPTIONS } from "./csvBytes.js";

/** Member fields in the order addMemberRow takes them (after 户编号). */
const FIELDS = ["idNumber", "relation", "sex", "birthDate", "health", "labourSkill", "studentStatus", "workMonths", "dibao", "tekun"] as const;
/** Fields of a members table the fast path reads or may ignore; any other column (a household column) rules it out. */
const ALLOWED = new Set<string>(["householdId", "personId", "name", ...FIELDS]);

export interface FastMembersLayout {
  kind: "members" | "households";
  id: number;
  /** The fields read, in the order of `columns` and `defs`. */
  fields: readonly string[];
  /** Cell position of each field (−1 = absent) and its column definition. */
  columns: Int32Array;
  defs: (ColumnDef | undefined)[];
}

/** The fast layout of a recognised members table without household columns, else undefined. */
export function fastMembersLayout(r: Recognition): FastMembersLayout | undefined {
  if (r.kind !== "members" || !r.columns.every((c) => ALLOWED.has(c.def.field))) return undefined;
  const id = r.columns.find((c) => c.def.field === "householdId")?.index;
  if (id === undefined) return undefined;
  const cols = FIELDS.map((f) => r.columns.find((c) => c.def.field === f));
  return { kind: "members", id, fields: FIELDS, columns: Int32Array.from(cols.map((c) => c?.index ?? -1)), defs: cols.map((c) => c?.def) };
}

/** The fast layout of a recognised households table, else undefined. */
export function fastHouseholdsLayout(r: Recognition): FastMembersLayout | undefined {
  if (r.kind !== "households") return undefined;
  const id = r.columns.find((c) => c.def.field === "householdId")?.index;
  if (id === undefined) return undefined;
  const cols = r.columns.filter((c) => c.def.field !== "householdId");
  return { kind: "households", id, fields: cols.map((c) => c.def.field), columns: Int32Array.from(cols.map((c) => c.index)), defs: cols.map((c) => c.def) };
}

const NOT_PLAIN = Symbol("not plain");

/**
 * Parsed values of one column by their bytes: a short list scanned in order (columns with a handful of values),
 * then, past 16 distinct values, a Map keyed by the decoded text.
 */
class ByteValueCache {
  private readonly keys: Buffer[] = [];
  private readonly values: unknown[] = [];
  private readonly byText = new Map<string, unknown>();

  constructor(
    private readonly def: ColumnDef,
    private readonly decode: (b: Buffer, s: number, e: number) => string,
    private readonly maxMonth: number | undefined,
  ) {}

  /** The parsed value of b[s..e), or NOT_PLAIN when the general parser rejects it. */
  get(b: Buffer, s: number, e: number): unknown {
    const len = e - s;
    const keys = this.keys;
    if (keys.length >= 16) return this.byTextValue(b, s, e);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (key.length !== len) continue;
      let i = 0;
      while (i < len && key[i] === b[s + i]) i++;
      if (i === len) return this.values[k];
    }
    const text = this.decode(b, s, e);
    const v = this.parse(text);
    keys.push(Buffer.from(b.subarray(s, e)));
    this.values.push(v);
    return v;
  }

  /** Many distinct values (出生日期): the text (ASCII read natively) as the key of a Map. */
  private byTextValue(b: Buffer, s: number, e: number): unknown {
    let ascii = true;
    for (let i = s; i < e; i++) {
      if (b[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    const text = ascii ? b.toString("latin1", s, e) : this.decode(b, s, e);
    const hit = this.byText.get(text);
    if (hit !== undefined || this.byText.has(text)) return hit;
    const v = this.parse(text);
    if (this.byText.size < 50_000) this.byText.set(text, v);
    return v;
  }

  private parse(text: string): unknown {
    try {
      return parseValue(this.def, text, { maxMonth: this.maxMonth });
    } catch {
      return NOT_PLAIN;
    }
  }
}

export interface FastMembersContext {
  path: string;
  display: string;
  encoding: string;
  delimiter: string;
  skipLines: number;
  firstRow: number;
  recognition: Recognition;
  layout: FastMembersLayout;
  table: number;
  builder: DatasetBuilder;
  maxMonth?: number;
  signal?: AbortSignal;
  onProgress?: (rows: number) => void;
}

const CHUNK = 1 << 22;

/** Reads the data rows of a members CSV through the fast path. Returns the SHA-256 and size of the file. */
export async function readMembersFast(ctx: FastMembersContext): Promise<{ sha256: string; size: number }> {
  const { layout, builder, table } = ctx;
  const convert = createRowConverter(ctx.recognition, { maxMonth: ctx.maxMonth });
  const decoder = new TextDecoder(ctx.encoding === "utf-8-bom" ? "utf-8" : ctx.encoding, { fatal: true });
  const file = ctx.display;
  let row = ctx.firstRow;
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
  const caches = layout.defs.map((d) => (d && d.type !== "idNumber" && d.type !== "amount" && d.type !== "signedAmount" ? new ByteValueCache(d, decode, ctx.maxMonth) : undefined));
  const amountKind = layout.defs.map((d) => (d?.type === "amount" ? 1 : d?.type === "signedAmount" ? 2 : 0));
  const FIELD_COUNT = layout.fields.length;
  // A households row is handed over as the converter's HouseholdRow (reused).
  const householdRow: HouseholdRow = {
    id: "",
    fields: layout.fields,
    canonicals: layout.defs.map((d) => d?.canonical ?? ""),
    values: new Array(FIELD_COUNT).fill(undefined),
    cells: [],
    cellIndex: [],
  };
  const delim = ctx.delimiter.charCodeAt(0);
  const cols = layout.columns;
  const needed = Math.max(layout.id, ...cols) + 1;
  const starts = new Int32Array(Math.max(needed, 64) + 1);
  const ends = new Int32Array(starts.length);
  const values: unknown[] = new Array(layout.fields.length);
  const hash = createHash("sha256");
  const source = { file, sheet: "", row: 0 };
  let skip = ctx.skipLines;
  let prevId = "";
  let prevIdBuf = Buffer.alloc(0);
  let pending = "";

  const slowLine = (text: string) => {
    const records = parseSync(text, { ...CSV_PARSE_OPTIONS, delimiter: ctx.delimiter }) as string[][];
    source.row = row;
    builder.add(table, convert(records[0] ?? [""], source), source);
    row++;
  };
  const oddQuotes = (text: string) => {
    let n = 0;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 34) n++;
    return n % 2 === 1;
  };

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
    }
    // The whole line must be valid text first (a later field's bytes must not be reported before an earlier one's).
    if (!quoted) validate(b, s, e);
    let plain = !quoted && e > s && n >= needed;
    // A 合计 row is known by its first non-empty cell: plain rows start with their 户编号 (anything else: general path).
    if (plain) {
      let first = 0;
      const stored = Math.min(n, starts.length);
      while (first < stored && starts[first] === ends[first]) first++;
      if (first !== layout.id) plain = false;
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
    for (let k = 0; plain && k < FIELD_COUNT; k++) {
      const col = cols[k]!;
      if (col < 0) {
        values[k] = undefined;
        continue;
      }
      const fs2 = starts[col]!;
      const fe = ends[col]!;
      if (fs2 === fe) {
        values[k] = undefined;
        continue;
      }
      const cache = caches[k];
      if (cache) {
        const v = cache.get(b, fs2, fe);
        if (v === NOT_PLAIN) plain = false;
        else values[k] = v;
      } else if (amountKind[k]) {
        // Plain decimals only; the general parser decides anything else (separators, units, negatives, limits).
        const v = parseAmountBytes(b, fs2, fe);
        if (v === SLOW || (v < 0 && amountKind[k] === 1) || v >= AMOUNT_LIMIT || v <= -AMOUNT_LIMIT) plain = false;
        else values[k] = v;
      } else if (plainId(b, fs2, fe)) {
        values[k] = b.toString("latin1", fs2, fe); // 证件号码: plain ASCII, as the general parser would keep it
      } else plain = false;
    }
    if (!plain) {
      const text = decode(b, s, e);
      if (quoted && oddQuotes(text)) {
        pending = text;
        return;
      }
      slowLine(text);
      return;
    }
    if (layout.kind === "households") {
      householdRow.id = id;
      for (let k = 0; k < FIELD_COUNT; k++) householdRow.values[k] = values[k];
      builder.addHouseholdRow(table, row, householdRow);
      row++;
      return;
    }
    builder.addMemberRow(
      table,
      row,
      id,
      values[0] as string | undefined,
      values[1] as string | undefined,
      values[2] as "男" | "女" | undefined,
      values[3] as string | undefined,
      values[4] as string | undefined,
      values[5] as string | undefined,
      values[6] as string | undefined,
      values[7] as number | undefined,
      values[8] as boolean | undefined,
      values[9] as boolean | undefined,
    );
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
