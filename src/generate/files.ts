/**
 * Export files as plain data — what a national-system or department export contains, cell by cell — so that the
 * demo county can be built and tested without touching the disk; io/writeExport.ts writes them.
 */

/** CSV encodings the writer supports. */
export type FileEncoding = "utf8" | "utf8-bom" | "gb18030";

/** An Excel date cell (a real date serial, shown with `numFmt`); `date` is YYYY-MM-DD. */
export interface DateCell {
  date: string;
  numFmt: string;
}

/** A workbook cell: text (kept as text, so IDs never lose digits), a number, an Excel date, or empty. */
export type FileCell = string | number | DateCell | null;

/** One sheet: rows from the first (title rows included), merged ranges such as "A1:T1", column widths. */
export interface SheetData {
  name: string;
  rows: FileCell[][];
  merges?: string[];
  /** Column widths in characters, by column index. */
  widths?: number[];
  /** Number formats of numeric cells by column index (e.g. "0.00"). */
  numFmts?: Record<number, string>;
}

/** One file of an export set. */
export type ExportFile =
  | { name: string; kind: "csv"; encoding: FileEncoding; rows: string[][] }
  | { name: string; kind: "xlsx"; sheets: SheetData[] }
  | { name: string; kind: "text"; text: string };
