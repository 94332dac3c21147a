/**
 * Generic table comparison (`povwatch diff OLD NEW --key COL --fields A,B,C`): any two tables, any column order,
 * keyed by one column, comparing the listed columns. Pure; personal data in the result is masked.
 */
import { EXIT, UserError } from "../model/errors.js";
import { maskIdNumber, maskName } from "../model/mask.js";
import { normalizeHeader } from "../schema/catalogue.js";
import { compareCodePoints } from "../model/text.js";
import {
  type LocatedHeader,
  type RawTable,
  cellText,
  describeTable,
  duplicateKeyError,
  findColumn,
  findDuplicateKeys,
  isBlankOrTotalRow,
  locateHeader,
} from "./table.js";

/** What to compare: the key column and the compared columns (undefined = every column both tables share). */
export interface TableDiffOptions {
  readonly key: string;
  readonly fields: readonly string[] | undefined;
}

/** The kinds of row change, in the order the rows are listed. */
export const ROW_CHANGE_KINDS = ["entered", "exited", "changed"] as const;
/** entered: key only in NEW; exited: only in OLD; changed: in both with a compared field different. */
export type RowChangeKind = (typeof ROW_CHANGE_KINDS)[number];

/** One key that entered, left or changed. Values are masked for personal columns. */
export interface RowChange {
  readonly key: string;
  readonly kind: RowChangeKind;
  /** The compared fields that differ (for `changed`), in field order. */
  readonly changedFields: readonly string[];
  /** OLD values per field; undefined for `entered`. */
  readonly old: readonly string[] | undefined;
  /** NEW values per field; undefined for `exited`. */
  readonly new: readonly string[] | undefined;
}

/** The comparison of two tables. */
export interface TableDiff {
  /** The key column's header as the user named it. */
  readonly key: string;
  /** The compared columns' headers, in order. */
  readonly fields: readonly string[];
  readonly old: TableSide;
  readonly new: TableSide;
  readonly changes: readonly RowChange[];
  readonly counts: { readonly entered: number; readonly exited: number; readonly changed: number; readonly unchanged: number };
  /** Per field (same order as `fields`): how many keys on both sides differ in it. */
  readonly byField: readonly number[];
}

/** One compared table: where it is and how many keyed rows it has. */
export interface TableSide {
  readonly file: string;
  readonly sheet: string;
  /** 1-based row of its header. */
  readonly headerRow: number;
  /** Rows with a key. */
  readonly rows: number;
  /** Rows with content but an empty key (left out). */
  readonly rowsWithoutKey: readonly number[];
}

const NAME_HEADERS = ["姓名", "户主姓名", "name", "head_name"].map(normalizeHeader);
const ID_HEADERS = ["证件号码", "户主证件号码", "身份证号", "身份证号码", "户主身份证号", "户主身份证号码", "id_number", "head_id_number"].map(normalizeHeader);

/** How a column's values are masked in outputs: names (张*), ID numbers (130434********1234), or not at all. */
export function personalKind(header: string): "name" | "id" | undefined {
  const h = normalizeHeader(header);
  if (NAME_HEADERS.includes(h)) return "name";
  if (ID_HEADERS.includes(h)) return "id";
  return undefined;
}

function masker(header: string): (value: string) => string {
  const kind = personalKind(header);
  if (kind === "name") return (v) => (v === "" ? v : maskName(v));
  if (kind === "id") return (v) => (v === "" ? v : maskIdNumber(v));
  return (v) => v;
}

const PLAIN_NUMBER = /^[+-]?(0|[1-9]\d*)(\.\d+)?$/;

/**
 * True when two cell texts mean the same value: equal text, or both plain decimal numbers of equal value
 * (`1234.50` = `1234.5`; `0123` stays text, so codes with leading zeros are compared as written).
 */
export function sameValue(a: string, b: string): boolean {
  if (a === b) return true;
  return PLAIN_NUMBER.test(a) && PLAIN_NUMBER.test(b) && Number(a) === Number(b);
}

function usage(message: string, table: RawTable, column: string): UserError {
  return new UserError("column_missing", message, { exitCode: EXIT.usage, context: { file: table.file, ...(table.sheet ? { sheet: table.sheet } : {}), column } });
}

function headerOf(table: RawTable, key: string): LocatedHeader {
  const header = locateHeader(table, [key]);
  if (!header) {
    const first = table.rows.find((r) => !isBlankOrTotalRow(r));
    const seen = first ? first.cells.map((c) => c.trim()).filter((c) => c !== "").slice(0, 12).join(", ") : "(the table is empty)";
    throw usage(`${describeTable(table)}: no column "${key}" (the --key column) in its first 20 rows\nits first row has: ${seen}`, table, key);
  }
  return header;
}

/**
 * The compared columns: the ones asked for (each must exist in both tables: UserError exit 2 naming the table and
 * column), or without --fields every column of OLD (other than the key) that NEW also has, in OLD's order.
 */
export function resolveFields(oldTable: RawTable, oldHeader: LocatedHeader, newTable: RawTable, newHeader: LocatedHeader, options: TableDiffOptions): string[] {
  if (options.fields !== undefined) {
    for (const [table, header] of [[oldTable, oldHeader], [newTable, newHeader]] as const) {
      const missing = options.fields.filter((f) => findColumn(header.headers, [f]) < 0);
      if (missing.length > 0) {
        throw usage(
          `${describeTable(table)}: no column ${missing.map((m) => `"${m}"`).join(", ")} (from --fields) in its header row ${header.row}\nits columns are: ${header.headers.filter((h) => h !== "").join(", ")}`,
          table,
          missing[0]!,
        );
      }
    }
    return [...options.fields];
  }
  const keyNorm = normalizeHeader(options.key);
  const seen = new Set<string>();
  const fields: string[] = [];
  for (const h of oldHeader.headers) {
    const norm = normalizeHeader(h);
    if (norm === "" || norm === keyNorm || seen.has(norm)) continue;
    seen.add(norm);
    if (findColumn(newHeader.headers, [h]) >= 0) fields.push(h);
  }
  return fields;
}

interface KeyedRows {
  side: TableSide;
  rows: Map<string, string[]>;
}

function keyedRows(table: RawTable, header: LocatedHeader, key: string, fields: readonly string[]): KeyedRows {
  const keyCol = findColumn(header.headers, [key]);
  const fieldCols = fields.map((f) => findColumn(header.headers, [f]));
  const keyed: { key: string; row: number; values: string[] }[] = [];
  const rowsWithoutKey: number[] = [];
  for (const r of table.rows.slice(header.index + 1)) {
    if (isBlankOrTotalRow(r)) continue;
    const k = cellText(r, keyCol);
    if (k === "") {
      rowsWithoutKey.push(r.row);
      continue;
    }
    keyed.push({ key: k, row: r.row, values: fieldCols.map((c) => cellText(r, c)) });
  }
  const duplicates = findDuplicateKeys(keyed);
  if (duplicates.length > 0) throw duplicateKeyError(table, header.headers[keyCol]!, duplicates, masker(key));
  return {
    side: { file: table.file, sheet: table.sheet, headerRow: header.row, rows: keyed.length, rowsWithoutKey },
    rows: new Map(keyed.map((k) => [k.key, k.values])),
  };
}

/**
 * Compares two tables on `options.key` and the compared fields. Throws UserError: exit 2 when the key or a field
 * column is missing on one side, exit 1 for duplicate keys (listing up to 10 with their rows). Changes are sorted
 * by kind (entered, exited, changed), then key by code point; key and values of personal columns are masked.
 */
export function diffTables(oldTable: RawTable, newTable: RawTable, options: TableDiffOptions): TableDiff {
  const oldHeader = headerOf(oldTable, options.key);
  const newHeader = headerOf(newTable, options.key);
  const fields = resolveFields(oldTable, oldHeader, newTable, newHeader, options);
  const before = keyedRows(oldTable, oldHeader, options.key, fields);
  const after = keyedRows(newTable, newHeader, options.key, fields);
  const maskKey = masker(options.key);
  const maskers = fields.map(masker);
  const mask = (values: readonly string[]) => values.map((v, i) => maskers[i]!(v));
  const byField = fields.map(() => 0);
  const found: { key: string; change: RowChange }[] = [];
  let unchanged = 0;
  for (const [key, o] of before.rows) {
    const n = after.rows.get(key);
    if (!n) {
      found.push({ key, change: { key: maskKey(key), kind: "exited", changedFields: [], old: mask(o), new: undefined } });
      continue;
    }
    const differing = fields.map((_, i) => i).filter((i) => !sameValue(o[i]!, n[i]!));
    if (differing.length === 0) {
      unchanged++;
      continue;
    }
    for (const i of differing) byField[i]!++;
    found.push({ key, change: { key: maskKey(key), kind: "changed", changedFields: differing.map((i) => fields[i]!), old: mask(o), new: mask(n) } });
  }
  for (const [key, n] of after.rows) {
    if (!before.rows.has(key)) found.push({ key, change: { key: maskKey(key), kind: "entered", changedFields: [], old: undefined, new: mask(n) } });
  }
  found.sort((a, b) => ROW_CHANGE_KINDS.indexOf(a.change.kind) - ROW_CHANGE_KINDS.indexOf(b.change.kind) || compareCodePoints(a.key, b.key));
  const changes = found.map((f) => f.change);
  const tally = (kind: RowChangeKind) => changes.filter((c) => c.kind === kind).length;
  return {
    key: options.key,
    fields,
    old: before.side,
    new: after.side,
    changes,
    counts: { entered: tally("entered"), exited: tally("exited"), changed: tally("changed"), unchanged },
    byField,
  };
}
