/**
 * The fast path for members CSVs that carry only member columns (成员信息 exports; not member-level exports with
 * household columns) and for households CSVs: fields are cut from the bytes (fastLines.ts), the repeated values of
 * each column (与户主关系, 出生日期, 性别, 户类型, 村 …) are parsed once per distinct byte sequence, and each row goes
 * straight into the member store or the households.
 *
 * Every value is parsed by the general parser (schema/rows.ts parseValue) the first time its bytes are seen, so a
 * plain row gives exactly what the general path gives. Any line that is not plain — a quote, a blank line, an
 * unusual 户编号 or 证件号码, a value the general parser rejects — is decoded and handed to the general converter.
 * tests/io/fastMembers.test.ts compares both paths on the same files, fuzzed ones included.
 */
import { TextDecoder } from "node:util";
import type { ColumnDef } from "../schema/catalogue.js";
import type { Recognition } from "../schema/recognise.js";
import { ASCII_CELL, parseValue, type HouseholdRow } from "../schema/rows.js";
import { CODED_MEMBER_FIELDS, type MemberFields } from "../model/memberStore.js";
import { AMOUNT_LIMIT } from "../schema/values.js";
import { PreviousBytes, parseAmountBytes, plainId } from "./fastIncome.js";
import { readFastLines, type FastReadContext } from "./fastLines.js";
import { ByteKeyTable } from "./byteKeys.js";
import { DATE_SLOTS, dateSlotBytes, type Dictionary } from "../model/columns.js";
import { latin1, utf8 } from "../model/bytes.js";

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

/** A cell value the general parser rejects (ByteValueCache.get): the row goes to the general converter. */
export const NOT_PLAIN = Symbol("not plain");
/** A member's plain 证件号码, copied to the store from the line's bytes. */
const PLAIN_ID_BYTES = Symbol("plain ID bytes");

/**
 * Cells of a column whose value changed from the row before, after which the comparison with the previous cell is
 * given up unless at least as many cells repeated the previous one (half the column's cells or more).
 */
const LAST_TRIAL = 4096;

/** Distinct values a column's cache keeps (past that, values are parsed as they come). */
const CACHE_LIMIT = 50_000;

/**
 * Parsed values of one column by their bytes. Each distinct cell is an entry (its parsed value, and its code in a
 * member store dictionary once asked for), found by one lookup: a short list scanned in order (columns with a
 * handful of values); past 16 distinct values, a YYYY-MM-DD cell by its date slot and any other cell through a table
 * keyed by the bytes themselves (byteKeys.ts), so that a value seen before is found without decoding its bytes.
 */
export class ByteValueCache {
  /** The bytes of the first 16 distinct cells (entries 0 … 15). */
  private readonly keys: Buffer[] = [];
  /** Later cells' bytes → entry. */
  private readonly table = new ByteKeyTable<number>();
  /** YYYY-MM-DD cells' date slot → entry + 1 (0: not seen). */
  private dateEntries: Int32Array | undefined;
  private readonly values: unknown[] = [];
  /** Each entry's code in the dictionary `code` is asked for (−2: not coded yet). */
  private readonly codes: number[] = [];
  /** The value of the last cell `entry` did not keep (past CACHE_LIMIT table entries). */
  private uncached: unknown;
  /** A text column read as UTF-8: a cell whose bytes need no trimming is its own value (plainTextBytes). */
  private readonly plainText: boolean;

  constructor(
    private readonly def: ColumnDef,
    private readonly decode: (b: Buffer, s: number, e: number) => string,
    private readonly maxMonth: number | undefined,
    utf8: boolean,
  ) {
    this.plainText = utf8 && def.type === "text";
  }

  /** The parsed value of b[s..e), or NOT_PLAIN when the general parser rejects it. */
  get(b: Buffer, s: number, e: number): unknown {
    const k = this.entry(b, s, e);
    return k < 0 ? this.uncached : this.values[k];
  }

  /**
   * The code in `dict` (a member store dictionary) of the parsed value of b[s..e), or −1 when the general parser
   * rejects it; each distinct cell is coded once.
   */
  code(b: Buffer, s: number, e: number, dict: Dictionary): number {
    const k = this.entry(b, s, e);
    if (k < 0) return this.codeOf(this.uncached, dict);
    const known = this.codes[k]!;
    return known !== -2 ? known : (this.codes[k] = this.codeOf(this.values[k], dict));
  }

  private codeOf(v: unknown, dict: Dictionary): number {
    return v === NOT_PLAIN ? -1 : dict.code(v as string | undefined);
  }

  /** The bytes of the last cell that had an entry, and that entry (−1: none yet). */
  private readonly last = new PreviousBytes();
  private lastEntry = -1;
  /** Whether cells are compared with the previous one first; `lastTries` / `lastHits` decide it (LAST_TRIAL). */
  private useLast = true;
  private lastTries = 0;
  private lastHits = 0;

  /**
   * The entry of b[s..e), added when new; −1 for a cell not kept (its value is then `uncached`). A cell equal to the
   * column's previous one (exports sorted by region repeat 县, 乡, 村 and 行政区划代码 row after row) is found by one
   * comparison of its bytes; a column where that rarely happens (出生日期) stops trying after LAST_TRIAL cells.
   */
  private entry(b: Buffer, s: number, e: number): number {
    // A column with a handful of values is found as fast by its short list, scanned here rather than in lookup: a
    // call less on the path of most cells (≈ 10 % of the members' reading).
    const keys = this.keys;
    if (keys.length < 16) {
      const k = indexOfBytes(keys, b, s, e);
      if (k >= 0) return k;
      keys.push(Buffer.from(b.subarray(s, e)));
      return this.add(this.parse(this.decode(b, s, e)));
    }
    if (!this.useLast) return this.lookup(b, s, e);
    if (this.lastEntry >= 0 && this.last.same(b, s, e)) {
      this.lastHits++;
      return this.lastEntry;
    }
    if (++this.lastTries === LAST_TRIAL) this.useLast = this.lastHits >= LAST_TRIAL;
    const k = this.lookup(b, s, e);
    if (k >= 0) {
      this.last.set(b, s, e);
      this.lastEntry = k;
    }
    return k;
  }

  /** The entry of b[s..e) past the short list (16 distinct cells seen), added when new; −1 for a cell not kept. */
  private lookup(b: Buffer, s: number, e: number): number {
    const len = e - s;
    if (len === 10 && b[s + 4] === 45 && b[s + 7] === 45) {
      // YYYY-MM-DD, the usual 出生日期: a slot of a dense array (columns.ts dateSlot), no string and no hashing.
      const slot = dateSlotBytes(b, s);
      if (slot >= 0) {
        const entries = (this.dateEntries ??= new Int32Array(DATE_SLOTS));
        const known = entries[slot]!;
        if (known !== 0) return known - 1;
        const k = this.add(this.parse(latin1(b, s, e)));
        entries[slot] = k + 1;
        return k;
      }
    }
    const table = this.table;
    const t = table.find(b, s, e);
    if (t >= 0) return table.valueAt(t);
    const v = this.plainText && plainTextBytes(b, s, e) ? this.decode(b, s, e) : this.parse(this.decode(b, s, e));
    if (table.size >= CACHE_LIMIT) {
      this.uncached = v;
      return -1;
    }
    const k = this.add(v);
    table.add(b, s, e, k);
    return k;
  }

  private add(v: unknown): number {
    this.values.push(v);
    this.codes.push(-2);
    return this.values.length - 1;
  }

  private parse(text: string): unknown {
    try {
      return parseValue(this.def, text, { maxMonth: this.maxMonth });
    } catch {
      return NOT_PLAIN;
    }
  }
}

/** The index of the key whose bytes are b[s..e), or −1. */
function indexOfBytes(keys: readonly Buffer[], b: Buffer, s: number, e: number): number {
  const len = e - s;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    if (key.length !== len) continue;
    let i = 0;
    while (i < len && key[i] === b[s + i]) i++;
    if (i === len) return k;
  }
  return -1;
}

/**
 * Whether the UTF-8 bytes b[s..e) (not empty) are a text that parseValue keeps as it is (cleanCell: no `="…"` and
 * nothing String#trim removes): its first and last characters are printable ASCII (the first not "=") or CJK
 * ideographs U+4000–U+9FFF (lead bytes E4–E9), none of which is white space. Anything else is left to the parser.
 */
export function plainTextBytes(b: Uint8Array, s: number, e: number): boolean {
  const c = b[s]!;
  if (!((c > 0x20 && c < 0x7f && c !== 0x3d) || (c >= 0xe4 && c <= 0xe9))) return false;
  let j = e - 1;
  while (j > s && (b[j]! & 0xc0) === 0x80) j--;
  const d = b[j]!;
  return (d > 0x20 && d < 0x7f) || (d >= 0xe4 && d <= 0xe9);
}

/**
 * How a fast path decodes a cell of a file in `encoding` (readFastLines' context). Lines reaching a handler were
 * checked as valid text already. UTF-8 is decoded natively (faster for short fields, and a U+FEFF inside a line is
 * kept, as the general path's streaming decoder keeps it).
 */
export function cellDecoder(encoding: string): { decode: (b: Buffer, s: number, e: number) => string; isUtf8: boolean } {
  const name = encoding === "utf-8-bom" ? "utf-8" : encoding;
  if (name === "utf-8") return { decode: (b, s, e) => utf8(b, s, e), isUtf8: true };
  const decoder = new TextDecoder(name, { fatal: true });
  return { decode: (b, s, e) => decoder.decode(b.subarray(s, e)), isUtf8: false };
}

export interface FastMembersContext extends FastReadContext {
  layout: FastMembersLayout;
}

/** Reads the data rows of a members or households CSV through the fast path. Returns the SHA-256 and size. */
export function readMembersFast(ctx: FastMembersContext): Promise<{ sha256: string; size: number }> {
  const { layout, builder, table } = ctx;
  const { decode, isUtf8 } = cellDecoder(ctx.encoding);
  const caches = layout.defs.map((d) => (d && d.type !== "idNumber" && d.type !== "amount" && d.type !== "signedAmount" ? new ByteValueCache(d, decode, ctx.maxMonth, isUtf8) : undefined));
  const amountKind = layout.defs.map((d) => (d?.type === "amount" ? 1 : d?.type === "signedAmount" ? 2 : 0));
  const fieldCount = layout.fields.length;
  // A households row is handed over as the converter's HouseholdRow (reused).
  const householdRow: HouseholdRow = {
    id: "",
    fields: layout.fields,
    canonicals: layout.defs.map((d) => d?.canonical ?? ""),
    values: new Array(fieldCount).fill(undefined),
    ascii: { b: Buffer.alloc(0), s: 0, e: 0 },
  };
  const asciiCell = householdRow.ascii!;
  /** The one field handed over as bytes (户主证件号码). */
  const asciiField = layout.defs.findIndex((d) => d?.type === "idNumber");
  const cols = layout.columns;
  const values: unknown[] = new Array(fieldCount);
  // A members row is handed over in one reused object (the store copies what it keeps).
  const member: MemberFields = { idNumber: undefined, relation: undefined, sex: undefined, birthDate: undefined, health: undefined, labourSkill: undefined, studentStatus: undefined, workMonths: undefined, dibao: undefined, tekun: undefined };
  let prevId = "";
  const prevIdBytes = new PreviousBytes();
  // Members: the dictionary-coded fields (与户主关系, 健康状况 …, 出生日期) are coded once per distinct cell.
  const dictionaries = layout.kind === "members" ? builder.memberDictionaries() : [];
  const codedAs = Int32Array.from(layout.fields, (f) => (layout.kind === "members" ? (CODED_MEMBER_FIELDS as readonly string[]).indexOf(f) : -1));
  const codes = new Int32Array(CODED_MEMBER_FIELDS.length);
  const needed = Math.max(layout.id, ...cols) + 1;
  return readFastLines(ctx, layout.id, needed, (b, starts, ends, _n, row) => {
    const is = starts[layout.id]!;
    const ie = ends[layout.id]!;
    // The previous row's 户编号 was checked already (a household's rows follow one another).
    const sameId = prevIdBytes.same(b, is, ie);
    if (!sameId && !plainId(b, is, ie)) return false;
    for (let k = 0; k < fieldCount; k++) {
      const col = cols[k]!;
      if (col < 0 || starts[col] === ends[col]) {
        values[k] = undefined;
        if (codedAs[k]! >= 0) codes[codedAs[k]!] = 0;
        continue;
      }
      const fs = starts[col]!;
      const fe = ends[col]!;
      const cache = caches[k];
      const d = codedAs[k]!;
      if (d >= 0) {
        const c = cache!.code(b, fs, fe, dictionaries[d]!);
        if (c < 0) return false;
        codes[d] = c;
      } else if (cache) {
        const v = cache.get(b, fs, fe);
        if (v === NOT_PLAIN) return false;
        values[k] = v;
      } else if (amountKind[k]) {
        // Plain decimals only; the general parser decides anything else (separators, units, negatives, limits).
        const v = parseAmountBytes(b, fs, fe);
        if ((v < 0 && amountKind[k] === 1) || v >= AMOUNT_LIMIT || v <= -AMOUNT_LIMIT) return false;
        values[k] = v;
      } else if (plainId(b, fs, fe)) {
        // 证件号码: plain ASCII, as the general parser would keep it; it goes to the store as bytes.
        if (layout.kind === "members") values[k] = PLAIN_ID_BYTES;
        else if (k !== asciiField) values[k] = latin1(b, fs, fe);
        else {
          values[k] = ASCII_CELL;
          asciiCell.b = b;
          asciiCell.s = fs;
          asciiCell.e = fe;
        }
      } else return false;
    }
    if (!sameId) {
      prevId = latin1(b, is, ie);
      if (layout.kind === "members") prevId = builder.sharedHouseholdId(prevId);
      prevIdBytes.set(b, is, ie);
    }
    if (layout.kind === "households") {
      householdRow.id = prevId;
      for (let k = 0; k < fieldCount; k++) householdRow.values[k] = values[k];
      builder.addHouseholdRow(table, row, householdRow);
      return true;
    }
    // FIELDS order; the coded fields are in `codes`, a plain 证件号码 is copied from the bytes below.
    member.sex = values[2] as MemberFields["sex"];
    member.workMonths = values[7] as number | undefined;
    member.dibao = values[8] as boolean | undefined;
    member.tekun = values[9] as boolean | undefined;
    builder.addCodedMemberRow(table, row, prevId, codes, member);
    if (values[0] === PLAIN_ID_BYTES) builder.setLastMemberIdBytes(b, starts[cols[0]!]!, ends[cols[0]!]!);
    return true;
  });
}
