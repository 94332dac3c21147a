/**
 * Workbooks and tables as plain data: report/ builds them, io/ writes them (xlsx via exceljs, csv by io/writeCsv.ts).
 * Keeping them as data makes every sheet testable without touching the disk.
 */

/** A cell value: text, a number (written as a number), or empty. */
export type Cell = string | number | null;

/** Number formats used across povwatch (outputs.md). */
export type NumberFormat = "integer" | "amount" | "percent" | "text";
/** Excel formats for NumberFormat. */
export const NUMBER_FORMATS: Record<NumberFormat, string> = {
  integer: "#,##0",
  amount: "#,##0.00",
  percent: "0.0%",
  text: "@",
};

export type Fill = "red" | "orange" | "yellow" | "green" | "grey" | "header";

export interface ColumnSpec {
  header: string;
  /** Stable machine name of the column (e.g. "color", "county"), independent of the header language. */
  key?: string;
  format?: NumberFormat;
  /** Column width in characters (default: fitted to content, capped). */
  width?: number;
}

export interface RowStyle {
  /** Fill by column index. */
  fills?: Record<number, Fill>;
  bold?: boolean;
  /** Indent level of the first cell (region hierarchy). */
  indent?: number;
  /** Number format by column index, overriding the column's format for this row (key/value tables). */
  formats?: Record<number, NumberFormat>;
}

/**
 * A further table on the same sheet, written below the previous one after one empty row, with its own header row
 * (summary sheets that hold several small tables). Frozen header and autofilter apply to the sheet's first table only.
 */
export interface SheetBlock {
  /** A title row written above the block's header. */
  title?: string;
  columns: ColumnSpec[];
  rows: Cell[][];
  styles?: (RowStyle | undefined)[];
  /** Column index that gets an Excel data bar. */
  dataBarColumn?: number;
}

/**
 * Rows built one at a time while a sheet is written (a province's monitoring list never holds all its cells at
 * once); `style` gives a row's style from its cells.
 */
export interface RowSource {
  count: number;
  row(i: number): Cell[];
  style?(cells: Cell[]): RowStyle | undefined;
}

export interface SheetSpec {
  name: string;
  columns: ColumnSpec[];
  /** The table's rows; empty when `rowSource` gives them. */
  rows: Cell[][];
  rowSource?: RowSource;
  /** Per-row styles, same index as rows (sparse). */
  styles?: (RowStyle | undefined)[];
  /** Rows above the table (a title, notes), written before the header. */
  preamble?: Cell[][];
  freezeHeader?: boolean;
  autoFilter?: boolean;
  /** Column index that gets an Excel data bar. */
  dataBarColumn?: number;
  /** Further tables below the first one. */
  blocks?: SheetBlock[];
}

export interface WorkbookSpec {
  sheets: SheetSpec[];
}

/** A table for a CSV file: header plus rows. */
export interface TableSpec {
  columns: ColumnSpec[];
  rows: Cell[][];
}

/**
 * A table whose rows are built one at a time while the CSV is written (a province's monitoring list would otherwise
 * hold every row's cells at once).
 */
export interface LazyTableSpec {
  columns: ColumnSpec[];
  rowCount: number;
  row(i: number): Cell[];
  /** Cell `col` of row i, row(i)[col], without building the whole row when the table can (grouping by a column). */
  cell?(i: number, col: number): Cell;
}
