/**
 * xlsx output with exceljs's streaming writer (rows go to disk as they are written, so a long monitoring list does
 * not hold millions of cell objects): bold header with a fill, frozen header, autofilter, number formats, fills,
 * indentation, a data bar, fitted column widths. Written atomically, and deterministic: the same WorkbookSpec and
 * timestamp give the same bytes (workbook properties and every zip entry's time are set to the timestamp).
 */
import { open } from "node:fs/promises";
import type ExcelJS from "exceljs";
import { loadExcelJS } from "./excel.js";
import type { Cell, ColumnSpec, Fill, NumberFormat, RowSource, RowStyle, SheetSpec, WorkbookSpec } from "../report/workbook.js";
import { NUMBER_FORMATS } from "../report/workbook.js";
import { SheetNamer } from "../report/sheetNames.js";
import { createAtomicWriteStream } from "./atomic.js";

/** Options of writeWorkbook. */
export interface WorkbookWriteOptions {
  /** Written as the workbook's created/modified time and every zip entry's time (default DEFAULT_TIMESTAMP). */
  timestamp?: Date;
}

/** The timestamp used when none is given: 2000-01-01T00:00:00Z. */
export const DEFAULT_TIMESTAMP = new Date(Date.UTC(2000, 0, 1));

/** Excel's row limit per sheet; longer tables continue on `名称(2)`, `名称(3)`, … */
export const EXCEL_MAX_ROWS = 1_048_576;

/** A deterministic timestamp for a scan's workbooks: the first day of the period's month, 00:00 UTC. */
export function timestampForPeriod(period: number): Date {
  const year = Math.floor(period / 12);
  return new Date(Date.UTC(year, period - year * 12, 1));
}

const FILL_ARGB: Record<Fill, string> = {
  red: "FFFF7C80",
  orange: "FFFFC000",
  yellow: "FFFFFF00",
  green: "FF92D050",
  grey: "FFD9D9D9",
  header: "FFDDEBF7",
};
const DATA_BAR_ARGB = "FF5B9BD5";
const MIN_WIDTH = 6;
const MAX_WIDTH = 60;

type Row = ExcelJS.Row;

/** Writes `spec` to `path` atomically (temporary file, fixed zip timestamps, fsync, rename). */
export async function writeWorkbook(path: string, spec: WorkbookSpec, options: WorkbookWriteOptions = {}): Promise<void> {
  const timestamp = options.timestamp ?? DEFAULT_TIMESTAMP;
  const out = createAtomicWriteStream(path);
  try {
    const { stream: excelStream } = await loadExcelJS();
    const workbook = new excelStream.xlsx.WorkbookWriter({
      stream: out.stream,
      useStyles: true,
      useSharedStrings: false,
      created: timestamp,
      modified: timestamp,
      creator: "povwatch",
      lastModifiedBy: "povwatch",
    } as ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookWriter>[0]);
    const names = new SheetNamer(spec.sheets.map((s) => s.name));
    for (const sheet of spec.sheets) {
      const parts = splitLongSheet(sheet, names);
      for (const part of parts) await writeSheet(workbook, part);
    }
    await workbook.commit();
    await out.finish();
    await fixZipTimestamps(out.tempPath, timestamp);
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
}

/**
 * A sheet whose table does not fit `maxRows` (Excel's row limit), cut into sheets that do: the first keeps the name
 * and the blocks, the others are named by `names` (`名称(2)`, …) and repeat the header.
 */
export function splitLongSheet(sheet: SheetSpec, names: SheetNamer, maxRows = EXCEL_MAX_ROWS): SheetSpec[] {
  const room = maxRows - (sheet.preamble?.length ?? 0) - 1;
  const count = rowCount(sheet);
  if (count <= room) return [sheet];
  const parts: SheetSpec[] = [];
  for (let from = 0; from < count; from += room) {
    const src = sheet.rowSource;
    const part: Partial<SheetSpec> = src
      ? { rowSource: { count: Math.min(room, count - from), row: (i) => src.row(from + i), ...(src.style ? { style: src.style } : {}) } }
      : { rows: sheet.rows.slice(from, from + room), ...(sheet.styles ? { styles: sheet.styles.slice(from, from + room) } : {}) };
    parts.push(from === 0 ? { ...sheet, ...part } : { ...sheet, name: names.name(sheet.name), ...part, blocks: [] });
  }
  return parts;
}

function rowCount(sheet: SheetSpec): number {
  return sheet.rowSource ? sheet.rowSource.count : sheet.rows.length;
}

/** How writeTable reads a table: a row by index, and its style (from the index or from the cells). */
interface TableRows {
  count: number;
  rowAt(i: number): Cell[];
  styleAt(i: number, cells: Cell[]): RowStyle | undefined;
}

function tableRows(t: { rows: Cell[][]; styles?: (RowStyle | undefined)[]; rowSource?: RowSource }): TableRows {
  const src = t.rowSource;
  if (src) return { count: src.count, rowAt: (i) => src.row(i), styleAt: (_i, cells) => src.style?.(cells) };
  const { rows, styles } = t;
  return { count: rows.length, rowAt: (i) => rows[i]!, styleAt: (i) => styles?.[i] };
}

async function writeSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: SheetSpec): Promise<void> {
  const preamble = sheet.preamble ?? [];
  const headerRow = preamble.length + 1;
  const ws = workbook.addWorksheet(sheet.name, {
    views: sheet.freezeHeader ? [{ state: "frozen", xSplit: 0, ySplit: headerRow }] : [],
  });
  ws.columns = columnWidths(sheet).map((width) => ({ width })) as ExcelJS.Column[];

  let rowNumber = 0;
  const add = (values: Cell[]): Row => {
    rowNumber++;
    return ws.addRow(values.map((v) => (v === null ? undefined : v)));
  };

  for (const cells of preamble) {
    const row = add(cells);
    row.eachCell((cell) => {
      if (typeof cell.value === "number") cell.numFmt = Number.isInteger(cell.value) ? NUMBER_FORMATS.integer : NUMBER_FORMATS.amount;
    });
    row.commit();
  }
  const count = rowCount(sheet);
  writeTable(add, sheet.columns, tableRows(sheet));
  if (sheet.autoFilter && sheet.columns.length > 0) {
    ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow + count, column: sheet.columns.length } };
  }
  const dataBars: { column: number; from: number; to: number }[] = [];
  if (sheet.dataBarColumn !== undefined && count > 0) {
    dataBars.push({ column: sheet.dataBarColumn, from: headerRow + 1, to: headerRow + count });
  }
  for (const block of sheet.blocks ?? []) {
    add([]).commit();
    if (block.title !== undefined) {
      const title = add([block.title]);
      title.getCell(1).style = TITLE_STYLE;
      title.commit();
    }
    const blockHeader = rowNumber + 1;
    writeTable(add, block.columns, tableRows(block));
    if (block.dataBarColumn !== undefined && block.rows.length > 0) {
      dataBars.push({ column: block.dataBarColumn, from: blockHeader + 1, to: blockHeader + block.rows.length });
    }
  }
  dataBars.forEach((bar, i) => {
    const letter = columnLetter(bar.column);
    ws.addConditionalFormatting({
      ref: `${letter}${bar.from}:${letter}${bar.to}`,
      rules: [
        {
          type: "dataBar",
          priority: i + 1,
          // gradient: a plain (Excel 2007) data bar; the extended form carries a random id and breaks determinism
          gradient: true,
          cfvo: [{ type: "min" }, { type: "max" }],
          color: { argb: DATA_BAR_ARGB },
        } as unknown as ExcelJS.ConditionalFormattingRule,
      ],
    });
  });
  ws.commit();
}

function writeTable(add: (values: Cell[]) => Row, columns: ColumnSpec[], rows: TableRows): void {
  const header = add(columns.map((c) => c.header));
  header.eachCell((cell) => {
    cell.style = HEADER_STYLE;
  });
  header.commit();
  const cache = new Map<string, Partial<ExcelJS.Style>>();
  for (let r = 0; r < rows.count; r++) {
    const cells = rows.rowAt(r);
    const row = add(cells);
    const style = rows.styleAt(r, cells);
    const n = Math.max(cells.length, ...Object.keys(style?.fills ?? {}).map((k) => Number(k) + 1));
    for (let i = 0; i < n; i++) {
      const value = cells[i] ?? null;
      const fill = style?.fills?.[i];
      if (value === null && fill === undefined) continue;
      const format = typeof value === "number" ? (style?.formats?.[i] ?? columns[i]?.format) : undefined;
      row.getCell(i + 1).style = cellStyle(cache, format, fill, !!style?.bold, i === 0 ? (style?.indent ?? 0) : 0);
    }
    row.commit();
  }
}

const TITLE_STYLE: Partial<ExcelJS.Style> = { font: { bold: true } };
const HEADER_STYLE: Partial<ExcelJS.Style> = { font: { bold: true }, fill: solid("header"), alignment: { vertical: "middle" } };

/**
 * One shared style object per combination: exceljs recognises a style object it has seen (a WeakMap), so sharing
 * them keeps the styles part small and the writer fast (a fresh object per cell costs a full style lookup each).
 */
function cellStyle(cache: Map<string, Partial<ExcelJS.Style>>, format: NumberFormat | undefined, fill: Fill | undefined, bold: boolean, indent: number): Partial<ExcelJS.Style> {
  const key = `${format ?? ""}|${fill ?? ""}|${bold ? 1 : 0}|${indent}`;
  let style = cache.get(key);
  if (!style) {
    style = {
      ...(format ? { numFmt: NUMBER_FORMATS[format] } : {}),
      ...(fill ? { fill: solid(fill) } : {}),
      ...(bold ? { font: { bold: true } } : {}),
      ...(indent ? { alignment: { indent } } : {}),
    };
    cache.set(key, style);
  }
  return style;
}

function solid(fill: Fill): ExcelJS.Fill {
  return { type: "pattern", pattern: "solid", fgColor: { argb: FILL_ARGB[fill] } };
}

/** "A", "B", … "Z", "AA" for a 0-based column index. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Display width of text: CJK and other wide characters count 2. */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += (ch.codePointAt(0) ?? 0) >= 0x1100 ? 2 : 1;
  return w;
}

function cellWidth(value: Cell, format: string | undefined): number {
  if (value === null) return 0;
  if (typeof value === "number") {
    const digits = String(Math.trunc(Math.abs(value))).length;
    const commas = Math.floor((digits - 1) / 3);
    return digits + commas + (format === NUMBER_FORMATS.integer ? 0 : 3) + (value < 0 ? 1 : 0);
  }
  return textWidth(value);
}

/** Column widths fitted to header and content (of every table on the sheet), between 6 and 60 characters. */
function columnWidths(sheet: SheetSpec): number[] {
  const widths: number[] = [];
  const fit = (i: number, w: number) => {
    widths[i] = Math.max(widths[i] ?? MIN_WIDTH, Math.min(MAX_WIDTH, w + 2));
  };
  const tables = [sheet, ...(sheet.blocks ?? [])];
  for (const t of tables) {
    t.columns.forEach((c, i) => {
      if (c.width !== undefined) widths[i] = Math.max(widths[i] ?? 0, c.width);
      else fit(i, textWidth(c.header) + 2);
    });
    const formats = t.columns.map((c) => (c.format ? NUMBER_FORMATS[c.format] : undefined));
    // Every row counts (a rowSource's rows are built once more here, one at a time).
    const rows = tableRows(t);
    for (let r = 0; r < rows.count; r++) rows.rowAt(r).forEach((v, i) => t.columns[i]?.width === undefined && fit(i, cellWidth(v, formats[i])));
  }
  for (let i = 0; i < widths.length; i++) widths[i] ??= MIN_WIDTH;
  return widths;
}

// ---------------------------------------------------------------- deterministic zip

/** MS-DOS time and date words of a timestamp (UTC components; DOS dates start in 1980). */
export function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

/**
 * Sets the modification time of every entry of the zip file at `path` (local headers and central directory) to
 * `timestamp`. exceljs stamps entries with the time of writing; without this, two identical runs differ in bytes.
 */
export async function fixZipTimestamps(path: string, timestamp: Date): Promise<void> {
  const { time, date } = dosDateTime(timestamp);
  const fh = await open(path, "r+");
  try {
    const { size } = await fh.stat();
    const tailLength = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLength);
    await fh.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error(`${path}: not a zip file (no end of central directory)`);
    const entries = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset === 0xffffffff || entries === 0xffff) throw new Error(`${path}: zip64 archives are not supported`);
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const stamp = Buffer.alloc(4);
    stamp.writeUInt16LE(time, 0);
    stamp.writeUInt16LE(date, 2);
    let p = 0;
    for (let e = 0; e < entries; e++) {
      if (cd.readUInt32LE(p) !== 0x02014b50) throw new Error(`${path}: bad central directory entry ${e}`);
      stamp.copy(cd, p + 12);
      const localOffset = cd.readUInt32LE(p + 42);
      await fh.write(stamp, 0, 4, localOffset + 10);
      p += 46 + cd.readUInt16LE(p + 28) + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    }
    await fh.write(cd, 0, cdSize, cdOffset);
  } finally {
    await fh.close();
  }
}
