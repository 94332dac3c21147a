/**
 * The tables diff compares, as plain rows of text: finding the header row, resolving the columns a comparison
 * needs once, and refusing duplicate keys (never collapsing them silently). Pure; io/readList.ts reads the files.
 */
import { EXIT, UserError } from "../model/errors.js";
import { normalizeHeader } from "../schema/catalogue.js";
import { cleanCell } from "../schema/values.js";

/** One row of a table as read: its 1-based spreadsheet row number and its cell texts (index 0 = first column). */
export interface RawRow {
  readonly row: number;
  readonly cells: readonly string[];
}

/** A whole table as read from one CSV file or one sheet of a workbook. */
export interface RawTable {
  /** The file as named in messages. */
  readonly file: string;
  /** The sheet name ("" for a CSV file). */
  readonly sheet: string;
  readonly rows: readonly RawRow[];
}

/** How many rows from the top are searched for the header row (title rows above it are skipped). */
export const HEADER_SEARCH_ROWS = 20;

/** How many duplicate keys an error lists. */
export const DUPLICATES_SHOWN = 10;

/** A table's header row, located: its index in `rows`, its row number and its header texts (cleaned). */
export interface LocatedHeader {
  readonly index: number;
  readonly row: number;
  readonly headers: readonly string[];
}

/** "file" or "file, sheet X" for messages. */
export function describeTable(table: Pick<RawTable, "file" | "sheet">): string {
  return table.sheet ? `${table.file}, sheet ${table.sheet}` : table.file;
}

/**
 * The column index whose header means one of `names` (compared after header normalisation: NFKC, no spaces or
 * `*`, lower-case), the earlier name winning; -1 when none is present.
 */
export function findColumn(headers: readonly string[], names: readonly string[]): number {
  const normalized = headers.map(normalizeHeader);
  for (const name of names) {
    const i = normalized.indexOf(normalizeHeader(name));
    if (i >= 0) return i;
  }
  return -1;
}

/**
 * The header row: the first of the first HEADER_SEARCH_ROWS rows that has a column named one of `keyNames`;
 * undefined when no such row exists.
 */
export function locateHeader(table: RawTable, keyNames: readonly string[]): LocatedHeader | undefined {
  const limit = Math.min(table.rows.length, HEADER_SEARCH_ROWS);
  for (let i = 0; i < limit; i++) {
    const r = table.rows[i]!;
    const headers = r.cells.map(cleanCell);
    if (findColumn(headers, keyNames) >= 0) return { index: i, row: r.row, headers };
  }
  return undefined;
}

/** The text of cell `column` of a row: `="…"` undone and trimmed; "" when the row is shorter. */
export function cellText(row: RawRow, column: number): string {
  const raw = row.cells[column];
  return raw === undefined ? "" : cleanCell(raw);
}

/** True for a row to leave out: every cell blank, or the first non-blank one starts with 合计 / 总计 / 小计. */
export function isBlankOrTotalRow(row: RawRow): boolean {
  for (const raw of row.cells) {
    const t = cleanCell(raw);
    if (t !== "") return /^(合计|总计|小计)/.test(t.replace(/\s/g, ""));
  }
  return true;
}

/** A key that occurs on more than one row, with those rows (1-based spreadsheet rows). */
export interface DuplicateKey {
  readonly key: string;
  readonly rows: readonly number[];
}

/** Keys that occur more than once, in order of first appearance, each with all its rows. */
export function findDuplicateKeys(keyed: readonly { key: string; row: number }[]): DuplicateKey[] {
  const rows = new Map<string, number[]>();
  for (const { key, row } of keyed) {
    const list = rows.get(key);
    if (list) list.push(row);
    else rows.set(key, [row]);
  }
  return [...rows].filter(([, r]) => r.length > 1).map(([key, r]) => ({ key, rows: r }));
}

/**
 * The error for duplicate keys: names the table and the key column, how many keys repeat, and up to
 * DUPLICATES_SHOWN of them with their rows (exit 1). `mask` hides a personal key column's values (names, ID numbers).
 */
export function duplicateKeyError(
  table: Pick<RawTable, "file" | "sheet">,
  column: string,
  duplicates: readonly DuplicateKey[],
  mask: (key: string) => string = (key) => key,
): UserError {
  const shown = duplicates.slice(0, DUPLICATES_SHOWN).map((d) => `${mask(d.key)} (rows ${d.rows.join(", ")})`);
  const more = duplicates.length > DUPLICATES_SHOWN ? `, … and ${duplicates.length - DUPLICATES_SHOWN} more` : "";
  return new UserError(
    "duplicate_key",
    `${describeTable(table)}: column ${column} must identify one row, but ${duplicates.length} ${duplicates.length === 1 ? "value occurs" : "values occur"} more than once: ${shown.join(", ")}${more}\n` +
      `remove the duplicate rows (or choose another --key) and run diff again; nothing was written`,
    { exitCode: EXIT.failed, context: { file: table.file, ...(table.sheet ? { sheet: table.sheet } : {}), column } },
  );
}
