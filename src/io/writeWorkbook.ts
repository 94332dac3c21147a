/**
 * xlsx output, written as SpreadsheetML directly (zipWriter.ts compresses it as it is produced): bold header with a
 * fill, frozen header, autofilter, number formats, fills, indentation, a data bar, fitted column widths. Each row is
 * built once and compressed at once, so a province's monitoring list never holds its cells, only a sheet's
 * compressed rows (≈ 20 MB for 157 k rows) until the sheet's head, which carries the fitted widths, goes in front of
 * them. Written atomically, and deterministic: the same WorkbookSpec and timestamp give the same bytes (document
 * properties and every zip entry's time are the timestamp).
 *
 * exceljs's streaming writer did this before; it spent about 1 µs a cell on objects per row and cell, which made the
 * xlsx list of a province scan (150 k rows × 30 columns) most of the scan's time. exceljs remains the reference the
 * tests read the files back with.
 */
import type { Cell, ColumnSpec, Fill, NumberFormat, RowSource, RowStyle, SheetSpec, WorkbookSpec } from "../report/workbook.js";
import { NUMBER_FORMATS } from "../report/workbook.js";
import { SheetNamer } from "../report/sheetNames.js";
import { createAtomicWriteStream } from "./atomic.js";
import { Deflater, ZipWriter, deflatePart, type DeflatedPart, type EntryWriter } from "./zipWriter.js";

/** Options of writeWorkbook. */
export interface WorkbookWriteOptions {
  /** Written as the workbook's created/modified time and every zip entry's time (default DEFAULT_TIMESTAMP). */
  timestamp?: Date;
  /** Checked every ROWS_BETWEEN_CHECKS rows of a sheet: once aborted, the writing stops with its reason (no file). */
  signal?: AbortSignal;
}

/**
 * Rows written between two looks at the signal: a province's list sheet takes seconds, and the event loop turns at
 * every compressed chunk, so Ctrl-C is seen within a few thousand rows instead of at the end of the sheet.
 */
const ROWS_BETWEEN_CHECKS = 4096;

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

/** Writes `spec` to `path` atomically (temporary file, fsync, rename). */
export async function writeWorkbook(path: string, spec: WorkbookSpec, options: WorkbookWriteOptions = {}): Promise<void> {
  const timestamp = options.timestamp ?? DEFAULT_TIMESTAMP;
  const out = createAtomicWriteStream(path);
  try {
    const names = new SheetNamer(spec.sheets.map((s) => s.name));
    const sheets = spec.sheets.flatMap((sheet) => splitLongSheet(sheet, names));
    const zip = new ZipWriter(out.stream, timestamp);
    const text = (name: string, xml: string) => zip.entry(name, (w) => w.write(xml));
    await text("[Content_Types].xml", contentTypes(sheets.length));
    await text("_rels/.rels", ROOT_RELS);
    await text("docProps/app.xml", APP);
    await text("docProps/core.xml", core(timestamp));
    await text("xl/workbook.xml", workbookXml(sheets));
    await text("xl/_rels/workbook.xml.rels", workbookRels(sheets.length));
    const styles = new StyleTable();
    for (let i = 0; i < sheets.length; i++) await writeSheet(zip, `xl/worksheets/sheet${i + 1}.xml`, sheets[i]!, styles, options.signal);
    await text("xl/styles.xml", styles.xml());
    await zip.finish();
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

// ---------------------------------------------------------------- sheets

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** The first table's header row (1-based) and last row, for the frozen pane and the autofilter. */
function tableExtent(sheet: SheetSpec): { headerRow: number; lastRow: number } {
  const headerRow = (sheet.preamble?.length ?? 0) + 1;
  return { headerRow, lastRow: headerRow + rowCount(sheet) };
}

/**
 * Writes one worksheet in a single pass over its rows: the rows are compressed as they are built (kept compressed in
 * memory) while the column widths are fitted to them; then the sheet's head (which carries the widths, so comes
 * first in the XML), those rows and its tail go into the zip as one entry.
 */
async function writeSheet(zip: ZipWriter, name: string, sheet: SheetSpec, styles: StyleTable, signal: AbortSignal | undefined): Promise<void> {
  const { headerRow, lastRow } = tableExtent(sheet);
  const chunks: Buffer[] = [];
  const body = new Deflater(zip.level, false, (chunk) => void chunks.push(chunk));
  const widths = new WidthFitter();
  const dataBars: { column: number; from: number; to: number }[] = [];
  try {
    const rows = new RowWriter(body);
    for (const cells of sheet.preamble ?? []) {
      await rows.row(cells, (value) => (typeof value === "number" ? styles.id(Number.isInteger(value) ? "integer" : "amount", undefined, false, 0) : 0));
    }
    await writeTable(rows, styles, widths, sheet.columns, tableRows(sheet), signal);
    if (sheet.dataBarColumn !== undefined && rowCount(sheet) > 0) dataBars.push({ column: sheet.dataBarColumn, from: headerRow + 1, to: lastRow });
    for (const block of sheet.blocks ?? []) {
      rows.skip();
      if (block.title !== undefined) await rows.row([block.title], (_v, i) => (i === 0 ? styles.title : 0));
      const blockHeader = rows.next;
      await writeTable(rows, styles, widths, block.columns, tableRows(block), signal);
      if (block.dataBarColumn !== undefined && block.rows.length > 0) {
        dataBars.push({ column: block.dataBarColumn, from: blockHeader + 1, to: blockHeader + block.rows.length });
      }
    }
  } catch (err) {
    body.destroy();
    throw err;
  }
  const rowsPart: DeflatedPart = { chunks, ...(await body.end()) };

  let head = `${XML}<worksheet xmlns="${MAIN}" xmlns:r="${REL}">`;
  if (sheet.freezeHeader) {
    const top = `A${headerRow + 1}`;
    head += `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${headerRow}" topLeftCell="${top}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="${top}" sqref="${top}"/></sheetView></sheetViews>`;
  } else head += `<sheetViews><sheetView workbookViewId="0"/></sheetViews>`;
  head += `<sheetFormatPr defaultRowHeight="15"/>`;
  const fitted = widths.result();
  if (fitted.length > 0) {
    head += "<cols>";
    for (let i = 0; i < fitted.length; ) {
      let j = i;
      while (j + 1 < fitted.length && fitted[j + 1] === fitted[i]) j++;
      head += `<col min="${i + 1}" max="${j + 1}" width="${fitted[i]}" customWidth="1"/>`;
      i = j + 1;
    }
    head += "</cols>";
  }
  head += "<sheetData>";

  let tail = "</sheetData>";
  if (sheet.autoFilter && sheet.columns.length > 0) tail += `<autoFilter ref="A${headerRow}:${columnLetter(sheet.columns.length - 1)}${lastRow}"/>`;
  dataBars.forEach((bar, i) => {
    const letter = columnLetter(bar.column);
    // A plain (Excel 2007) data bar: the extended form carries a random id and would break determinism.
    tail +=
      `<conditionalFormatting sqref="${letter}${bar.from}:${letter}${bar.to}"><cfRule type="dataBar" priority="${i + 1}"><dataBar>` +
      `<cfvo type="min"/><cfvo type="max"/><color rgb="${DATA_BAR_ARGB}"/></dataBar></cfRule></conditionalFormatting>`;
  });
  tail += `<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
  await zip.entryOf(name, [deflatePart(head, zip.level, false), rowsPart, deflatePart(tail, zip.level, true)]);
}

/** Writes numbered rows of cells: `<row>` elements with typed cells (numbers as numbers, text as inline strings). */
class RowWriter {
  /** The next row's number (1-based). */
  next = 1;
  private readonly letters: string[] = [];

  constructor(private readonly w: EntryWriter) {}

  /** Leaves one row empty. */
  skip(): void {
    this.next++;
  }

  /**
   * Writes one row: cell i gets style `styleOf(value, i)` (0 = none); cells past `cells` up to `width` are written
   * only for their style (a fill on an empty cell), empty cells (null or "") without style not at all.
   */
  row(cells: readonly Cell[], styleOf: (value: Cell, i: number) => number, width = cells.length): Promise<void> | void {
    const r = this.next++;
    let xml = `<row r="${r}">`;
    for (let i = 0; i < width; i++) {
      const value = i < cells.length ? cells[i]! : null;
      const s = styleOf(value, i);
      // An empty text is an empty cell, as in the CSV list.
      if ((value === null || value === "") && s === 0) continue;
      const ref = (this.letters[i] ??= columnLetter(i)) + r;
      const style = s === 0 ? "" : ` s="${s}"`;
      if (typeof value === "number") {
        xml += Number.isFinite(value) ? `<c r="${ref}"${style}><v>${value}</v></c>` : `<c r="${ref}"${style}/>`;
      } else if (value === null || value === "") xml += `<c r="${ref}"${style}/>`;
      else xml += `<c r="${ref}"${style} t="inlineStr"><is>${inlineText(value)}</is></c>`;
    }
    return this.w.write(xml + "</row>");
  }
}

async function writeTable(rows: RowWriter, styles: StyleTable, widths: WidthFitter, columns: ColumnSpec[], table: TableRows, signal: AbortSignal | undefined): Promise<void> {
  widths.table(columns);
  await rows.row(
    columns.map((c) => c.header),
    () => styles.header,
  );
  for (let r = 0; r < table.count; r++) {
    if (r % ROWS_BETWEEN_CHECKS === ROWS_BETWEEN_CHECKS - 1 && signal?.aborted) throw signal.reason;
    const cells = table.rowAt(r);
    widths.row(cells);
    const style = table.styleAt(r, cells);
    if (!style) {
      await rows.row(cells, (value, i) => (typeof value === "number" && columns[i]?.format ? styles.id(columns[i]!.format, undefined, false, 0) : 0));
      continue;
    }
    const fills = style.fills;
    let width = cells.length;
    if (fills) for (const k of Object.keys(fills)) width = Math.max(width, Number(k) + 1);
    const bold = !!style.bold;
    const indent = style.indent ?? 0;
    await rows.row(
      cells,
      (value, i) => styles.id(typeof value === "number" ? (style.formats?.[i] ?? columns[i]?.format) : undefined, fills?.[i], bold, i === 0 ? indent : 0),
      width,
    );
  }
}

/** What inlineText must change: markup characters, characters XML cannot carry, white space at either end. */
const NEEDS_ESCAPE = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|^\s|\s$/;
/** Characters left out of the text, as exceljs's writer left them out: XML 1.0 cannot carry them (or DEL). */
const UNWRITABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;

/**
 * A text as an inline string's <t> element: &, < and > escaped, a carriage return as a character reference (XML
 * would turn it into a line feed), control characters left out; xml:space="preserve" when the text starts or ends
 * with white space.
 */
function inlineText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return `<t>${text}</t>`;
  const escaped = text.replace(UNWRITABLE, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
  return /^\s|\s$/.test(text) ? `<t xml:space="preserve">${escaped}</t>` : `<t>${escaped}</t>`;
}

/** Text for an XML attribute value. */
function attribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// ---------------------------------------------------------------- styles

const FORMAT_IDS: Record<NumberFormat, number> = { integer: 164, amount: 165, percent: 166, text: 167 };
const FORMAT_CODES: readonly NumberFormat[] = ["integer", "amount", "percent", "text"];
const FILLS: readonly Fill[] = ["red", "orange", "yellow", "green", "grey", "header"];
/** 1-based positions in FORMAT_CODES and FILLS (0 = none): StyleTable.add runs for every styled cell. */
const FORMAT_NO = Object.fromEntries(FORMAT_CODES.map((f, i) => [f, i + 1])) as Record<NumberFormat, number>;
const FILL_NO = Object.fromEntries(FILLS.map((f, i) => [f, i + 1])) as Record<Fill, number>;

/**
 * The cell formats (cellXfs) used by the sheets, numbered as they are first asked for (0 = the default): a number
 * format, a fill, bold, an indent of the first cell, or the header's look.
 */
class StyleTable {
  private readonly xfs: string[] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  private readonly ids = new Map<number, number>();
  /** The header cells': bold, header fill, vertically centred. */
  readonly header = this.add(undefined, "header", true, 0, true);
  /** A block title's: bold. */
  readonly title = this.add(undefined, undefined, true, 0, false);

  /** The style of a cell (0 when it has none of these). */
  id(format: NumberFormat | undefined, fill: Fill | undefined, bold: boolean, indent: number): number {
    if (format === undefined && fill === undefined && !bold && indent === 0) return 0;
    return this.add(format, fill, bold, indent, false);
  }

  private add(format: NumberFormat | undefined, fill: Fill | undefined, bold: boolean, indent: number, middle: boolean): number {
    const key = (format ? FORMAT_NO[format] : 0) + 8 * (fill ? FILL_NO[fill] : 0) + 64 * (bold ? 1 : 0) + 128 * (middle ? 1 : 0) + 256 * indent;
    let id = this.ids.get(key);
    if (id !== undefined) return id;
    const numFmtId = format ? FORMAT_IDS[format] : 0;
    const fillId = fill ? FILL_NO[fill] + 1 : 0;
    let xf = `<xf numFmtId="${numFmtId}" fontId="${bold ? 1 : 0}" fillId="${fillId}" borderId="0" xfId="0"`;
    if (format) xf += ' applyNumberFormat="1"';
    if (bold) xf += ' applyFont="1"';
    if (fill) xf += ' applyFill="1"';
    if (indent > 0 || middle) {
      xf += ' applyAlignment="1">';
      xf += middle ? '<alignment vertical="center"/>' : `<alignment horizontal="left" indent="${indent}"/>`;
      xf += "</xf>";
    } else xf += "/>";
    id = this.xfs.length;
    this.xfs.push(xf);
    this.ids.set(key, id);
    return id;
  }

  xml(): string {
    const numFmts = FORMAT_CODES.map((f) => `<numFmt numFmtId="${FORMAT_IDS[f]}" formatCode="${attribute(NUMBER_FORMATS[f])}"/>`).join("");
    const font = (bold: boolean) => `<font>${bold ? "<b/>" : ""}<sz val="11"/><name val="Calibri"/><family val="2"/></font>`;
    const fills = FILLS.map((f) => `<fill><patternFill patternType="solid"><fgColor rgb="${FILL_ARGB[f]}"/><bgColor indexed="64"/></patternFill></fill>`).join("");
    return (
      `${XML}<styleSheet xmlns="${MAIN}">` +
      `<numFmts count="${FORMAT_CODES.length}">${numFmts}</numFmts>` +
      `<fonts count="2">${font(false)}${font(true)}</fonts>` +
      `<fills count="${FILLS.length + 2}"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>${fills}</fills>` +
      `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
      `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
      `<cellXfs count="${this.xfs.length}">${this.xfs.join("")}</cellXfs>` +
      `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
      `<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>` +
      `</styleSheet>`
    );
  }
}

// ---------------------------------------------------------------- package parts

function contentTypes(sheetCount: number): string {
  let sheets = "";
  for (let i = 1; i <= sheetCount; i++) {
    sheets += `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`;
  }
  return (
    `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
    `<Default Extension="xml" ContentType="application/xml"/>` +
    `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
    sheets +
    `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
    `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
    `<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
    `</Types>`
  );
}

const ROOT_RELS =
  `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/>` +
  `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
  `<Relationship Id="rId3" Type="${REL}/extended-properties" Target="docProps/app.xml"/>` +
  `</Relationships>`;

const APP =
  `${XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" ` +
  `xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>povwatch</Application></Properties>`;

function core(timestamp: Date): string {
  const when = timestamp.toISOString().replace(/\.\d{3}Z$/, "Z");
  return (
    `${XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    `xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
    `xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:creator>povwatch</dc:creator><cp:lastModifiedBy>povwatch</cp:lastModifiedBy>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    `</cp:coreProperties>`
  );
}

function workbookXml(sheets: readonly SheetSpec[]): string {
  let list = "";
  let filters = "";
  sheets.forEach((sheet, i) => {
    list += `<sheet name="${attribute(sheet.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`;
    if (sheet.autoFilter && sheet.columns.length > 0) {
      const { headerRow, lastRow } = tableExtent(sheet);
      const range = `'${sheet.name.replace(/'/g, "''")}'!$A$${headerRow}:$${columnLetter(sheet.columns.length - 1)}$${lastRow}`;
      filters += `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${attribute(range)}</definedName>`;
    }
  });
  return (
    `${XML}<workbook xmlns="${MAIN}" xmlns:r="${REL}">` +
    `<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="12000" windowHeight="24000"/></bookViews>` +
    `<sheets>${list}</sheets>` +
    (filters ? `<definedNames>${filters}</definedNames>` : "") +
    `<calcPr calcId="171027"/></workbook>`
  );
}

function workbookRels(sheetCount: number): string {
  let rels = "";
  for (let i = 1; i <= sheetCount; i++) rels += `<Relationship Id="rId${i}" Type="${REL}/worksheet" Target="worksheets/sheet${i}.xml"/>`;
  rels += `<Relationship Id="rId${sheetCount + 1}" Type="${REL}/styles" Target="styles.xml"/>`;
  return `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`;
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

/**
 * Column widths fitted to header and content of every table on a sheet, between 6 and 60 characters (a column's
 * explicit width wins): each table's header, then its rows, in the order they are written.
 */
class WidthFitter {
  private readonly widths: number[] = [];
  private columns: ColumnSpec[] = [];
  private formats: (string | undefined)[] = [];

  private fit(i: number, w: number): void {
    this.widths[i] = Math.max(this.widths[i] ?? MIN_WIDTH, Math.min(MAX_WIDTH, w + 2));
  }

  /** A table starts: its headers count, and its columns' formats apply to the rows that follow. */
  table(columns: ColumnSpec[]): void {
    this.columns = columns;
    this.formats = columns.map((c) => (c.format ? NUMBER_FORMATS[c.format] : undefined));
    columns.forEach((c, i) => {
      if (c.width !== undefined) this.widths[i] = Math.max(this.widths[i] ?? 0, c.width);
      else this.fit(i, textWidth(c.header) + 2);
    });
  }

  row(cells: readonly Cell[]): void {
    for (let i = 0; i < cells.length; i++) {
      const value = cells[i];
      if (value !== undefined && this.columns[i]?.width === undefined) this.fit(i, cellWidth(value, this.formats[i]));
    }
  }

  result(): number[] {
    const widths = this.widths;
    for (let i = 0; i < widths.length; i++) widths[i] ??= MIN_WIDTH;
    return widths;
  }
}
