/**
 * A streaming .xlsx reader: the zip's central directory through yauzl (entries in any order), the sheet XML scanned
 * row by row without building a DOM. It gives every sheet, in workbook order and with its real name, as rows of
 * strings: shared strings resolved, rich text flattened (phonetic runs dropped), formula cells as their cached result,
 * date-formatted numbers as `YYYY-MM-DD` calendar dates (no time-zone shift, 1900 and 1904 systems), numbers as the
 * text the file stores (so `1.30434199001011E+17` stays recognisable as a mangled ID).
 *
 * Why not exceljs's streaming reader: it names sheets wrongly when workbook.xml comes late in the zip, and reads
 * ≈ 74 k rows/s here; this reader is tested against exceljs as the reference (tests/io/xlsxReader.test.ts).
 */
import type { Readable } from "node:stream";
import * as zlib from "node:zlib";
import yauzl from "yauzl";
import { UserError } from "../model/errors.js";
import { detached } from "../model/text.js";

export interface XlsxSheet {
  name: string;
  /** Rows in file order: 1-based row number and cell texts (index 0 = column A). */
  rows(): AsyncGenerator<XlsxRow[], void, void>;
}

export interface XlsxRow {
  row: number;
  cells: string[];
}

interface ZipEntries {
  zip: yauzl.ZipFile;
  entries: Map<string, yauzl.Entry>;
}

function openZip(path: string): Promise<ZipEntries> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const entries = new Map<string, yauzl.Entry>();
      zip.on("entry", (e: yauzl.Entry) => {
        entries.set(e.fileName.replace(/^\/+/, ""), e);
        zip.readEntry();
      });
      zip.on("end", () => resolve({ zip, entries }));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

/**
 * Output chunk of the inflate. zlib's default, 16 KiB, meant ≈ 10,000 round trips to libuv's thread pool for the
 * 150 MB of XML of a 504 k-row income sheet, and the reading thread waited for one about a quarter of its time.
 */
const INFLATE_CHUNK = 1 << 18;
/** How far the inflate may run ahead of the sheet's parser (inflated bytes buffered). */
const INFLATE_AHEAD = 1 << 22;

function openStream(z: ZipEntries, entry: yauzl.Entry, options: { decodeFileData?: boolean }): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    z.zip.openReadStream(entry, options, (err, stream) => (err || !stream ? reject(err) : resolve(stream)));
  });
}

/**
 * The entry's bytes, inflated in INFLATE_CHUNK pieces up to INFLATE_AHEAD ahead of the reader (a deflated entry; any
 * other, such as a stored one, through yauzl's own stream). Like yauzl's validateEntrySizes, more or fewer bytes than
 * the directory's uncompressedSize is an error (a damaged or doctored file).
 */
async function* entryChunks(z: ZipEntries, entry: yauzl.Entry): AsyncGenerator<Buffer, void, void> {
  if (entry.compressionMethod !== 8 || entry.isEncrypted()) {
    for await (const c of await openStream(z, entry, {})) yield c as Buffer;
    return;
  }
  const raw = (await openStream(z, entry, { decodeFileData: false })) as Readable;
  const inflate = zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK, readableHighWaterMark: INFLATE_AHEAD } as zlib.ZlibOptions);
  raw.on("error", (err) => inflate.destroy(err));
  raw.pipe(inflate);
  const expected = entry.uncompressedSize;
  let total = 0;
  try {
    for await (const c of inflate) {
      total += (c as Buffer).length;
      if (total > expected) throw new Error(`too many bytes in the stream (expected ${expected}, got more)`);
      yield c as Buffer;
    }
    if (total < expected) throw new Error(`not enough bytes in the stream (expected ${expected}, got ${total})`);
  } finally {
    raw.unpipe(inflate);
    raw.destroy();
    inflate.destroy();
  }
}

async function readEntryText(z: ZipEntries, name: string): Promise<string | undefined> {
  const entry = z.entries.get(name);
  if (!entry) return undefined;
  const chunks: Buffer[] = [];
  for await (const c of entryChunks(z, entry)) chunks.push(c);
  return Buffer.concat(chunks).toString("utf8");
}

const ENTITY = /&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g;

/** Decodes XML character references and the five predefined entities. */
export function decodeXml(s: string): string {
  if (s.indexOf("&") < 0) return s;
  return s.replace(ENTITY, (_, e: string) => {
    switch (e) {
      case "amp":
        return "&";
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "quot":
        return '"';
      case "apos":
        return "'";
      default:
        return String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}

const ATTR_PATTERNS = new Map<string, RegExp>();

/** The value of attribute `name` in a start tag (decoded), or undefined. */
function attr(tag: string, name: string): string | undefined {
  let re = ATTR_PATTERNS.get(name);
  if (!re) ATTR_PATTERNS.set(name, (re = new RegExp(`\\s${name.replace(":", "\\:")}="([^"]*)"`)));
  const m = re.exec(tag);
  return m ? decodeXml(m[1]!) : undefined;
}

/** Text of every <t> in an <si> or <is>, phonetic runs (<rPh>) dropped. */
function flattenText(xml: string): string {
  const body = xml.indexOf("<rPh") >= 0 ? xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, "") : xml;
  let out = "";
  const re = /<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) out += m[1];
  return detached(decodeXml(out));
}

const OOXML_ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

/**
 * Decodes the escapes of ECMA-376 strings: `_xHHHH_` is the character U+HHHH (Excel writes a carriage return in a
 * cell as `_x000D_`), and `_x005F_` an underscore, so that `_x005F_x000D_` is the text `_x000D_` itself.
 */
export function decodeOoxmlEscapes(s: string): string {
  if (s.indexOf("_x") < 0) return s;
  return s.replace(OOXML_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function parseSharedStrings(xml: string | undefined): string[] {
  if (!xml) return [];
  const out: string[] = [];
  const re = /<si>([\s\S]*?)<\/si>|<si\/>/g;
  let m: RegExpExecArray | null;
  // The escapes are decoded in the shared strings, where Excel, WPS and the exporters built on Apache POI write them
  // (as exceljs does); an inline string, which povwatch's own xlsx writer uses, is taken as written.
  while ((m = re.exec(xml))) out.push(m[1] === undefined ? "" : decodeOoxmlEscapes(flattenText(m[1])));
  return out;
}

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** True for a number format code that shows a date (y, m with d or y, d; time-only codes are not dates). */
export function isDateFormatCode(code: string): boolean {
  const t = code
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/\[(?!\$-)[^\]]*\]/g, "")
    .replace(/\[\$-[^\]]*\]/g, "")
    .toLowerCase();
  if (/general|@|0|#/.test(t) && !/[yd]/.test(t)) return false;
  return /[yd]/.test(t) || /[年月日]/.test(code);
}

/** What a cell style does to a number cell's text: a date, or zero-padding to `pad` digits (format 0000000). */
interface NumberStyles {
  /** Per style: true when it shows numbers as dates. */
  dates: boolean[];
  /** Per style: the digits of a format made of zeros only (0 when it is not one). */
  pads: number[];
}

/**
 * The cell styles' number formats, by style index: which show numbers as dates, and which pad whole numbers with
 * leading zeros (a 户编号 kept as the number 12345 with format `0000000` shows, and is, 0012345).
 */
function parseNumberStyles(xml: string | undefined): NumberStyles {
  const styles: NumberStyles = { dates: [], pads: [] };
  if (!xml) return styles;
  const custom = new Map<number, string>();
  for (const m of xml.matchAll(/<numFmt\s[^>]*>/g)) custom.set(Number(attr(m[0], "numFmtId")), attr(m[0], "formatCode") ?? "");
  const xfsStart = xml.indexOf("<cellXfs");
  if (xfsStart < 0) return styles;
  const xfsEnd = xml.indexOf("</cellXfs>", xfsStart);
  for (const m of xml.slice(xfsStart, xfsEnd < 0 ? undefined : xfsEnd).matchAll(/<xf\s[^>]*?\/?>/g)) {
    const id = Number(attr(m[0], "numFmtId") ?? 0);
    const code = custom.get(id);
    styles.dates.push(code !== undefined ? isDateFormatCode(code) : BUILTIN_DATE_FORMATS.has(id));
    styles.pads.push(code !== undefined && /^0{2,}$/.test(code) ? code.length : 0);
  }
  return styles;
}

const DAY_MS = 86_400_000;

/** An Excel serial date as `YYYY-MM-DD` (UTC arithmetic: calendar dates never shift with the time zone). */
export function excelSerialToDate(serial: number, date1904: boolean): string {
  let ms: number;
  if (date1904) ms = Date.UTC(1904, 0, 1) + Math.floor(serial + 1e-9) * DAY_MS;
  else if (serial < 60) ms = Date.UTC(1899, 11, 31) + Math.floor(serial + 1e-9) * DAY_MS;
  else ms = Date.UTC(1899, 11, 30) + Math.floor(serial + 1e-9) * DAY_MS;
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth() + 1;
  const da = d.getUTCDate();
  return `${y}-${mo < 10 ? "0" : ""}${mo}-${da < 10 ? "0" : ""}${da}`;
}

function columnIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

interface SheetContext {
  shared: string[];
  dateStyles: boolean[];
  /** Per style: leading-zero padding of whole numbers (NumberStyles.pads). */
  padStyles: number[];
  date1904: boolean;
}

/** The r, t and s attributes of the cell tag cellAttrs read last (undefined when absent). */
let cellR: string | undefined;
let cellT: string | undefined;
let cellS: string | undefined;

/**
 * Reads the one-letter attributes r, t and s of the cell start tag xml[start..tagEnd] in one pass over the tag (three
 * searches for ` t="` and ` s="` would run on to the end of the row for every number cell, which has neither).
 */
function cellAttrs(xml: string, start: number, tagEnd: number): void {
  cellR = cellT = cellS = undefined;
  for (let i = start + 2; i < tagEnd; i++) {
    if (xml.charCodeAt(i) !== 32 || xml.charCodeAt(i + 2) !== 61 || xml.charCodeAt(i + 3) !== 34) continue;
    const name = xml.charCodeAt(i + 1);
    const from = i + 4;
    const to = xml.indexOf('"', from);
    if (to < 0 || to > tagEnd) return;
    if (name === 114) cellR = xml.slice(from, to);
    else if (name === 116) cellT = xml.slice(from, to);
    else if (name === 115) cellS = xml.slice(from, to);
    i = to;
  }
}

/** Parses the cells of one <row>…</row> body. */
function parseRowCells(xml: string, ctx: SheetContext): string[] {
  const cells: string[] = [];
  let pos = 0;
  let next = 0;
  for (;;) {
    const start = xml.indexOf("<c", pos);
    if (start < 0) break;
    const after = xml.charCodeAt(start + 2);
    if (after !== 32 && after !== 62 && after !== 47) {
      pos = start + 2;
      continue;
    }
    const tagEnd = xml.indexOf(">", start);
    // A cell tag or cell left open inside its row: damaged XML (searching on from an earlier place never ends).
    if (tagEnd < 0) throw new Error("malformed sheet XML: an unclosed <c> tag");
    cellAttrs(xml, start, tagEnd);
    const ref = cellR;
    const col = ref ? columnIndex(ref) : next;
    next = col + 1;
    if (xml.charCodeAt(tagEnd - 1) === 47) {
      pos = tagEnd + 1;
      continue;
    }
    const end = xml.indexOf("</c>", tagEnd);
    if (end < 0) throw new Error("malformed sheet XML: a cell without </c>");
    const body = xml.slice(tagEnd + 1, end);
    pos = end + 4;
    const type = cellT;
    let value = "";
    if (type === "inlineStr") {
      value = flattenText(body);
    } else {
      const v0 = body.indexOf("<v");
      if (v0 >= 0) {
        const vs = body.indexOf(">", v0) + 1;
        const ve = body.indexOf("</v>", vs);
        const raw = ve < 0 ? "" : body.slice(vs, ve);
        if (type === "s") value = ctx.shared[Number(raw)] ?? "";
        else if (type === "str" || type === "e") value = detached(decodeXml(raw));
        else if (type === "b") value = raw === "1" ? "TRUE" : "FALSE";
        else if (type === "d") value = raw.slice(0, 10);
        else {
          // A whole number of 16+ digits cannot be held exactly by a spreadsheet number: it is an ID whose digits
          // were lost. Shown in scientific notation, as Excel does, so that the ID columns reject it.
          value = raw.length >= 16 && /^\d+$/.test(raw) ? Number(raw).toExponential().toUpperCase() : raw;
          const style = ctx.dateStyles.length && cellS !== undefined ? Number(cellS) : -1;
          if (style >= 0 && ctx.dateStyles[style]) {
            const n = Number(raw);
            if (Number.isFinite(n) && n >= 1) value = excelSerialToDate(n, ctx.date1904);
          } else if (style >= 0 && ctx.padStyles[style]! > raw.length && value === raw && /^\d+$/.test(raw)) {
            value = raw.padStart(ctx.padStyles[style]!, "0");
          }
        }
      } else if (body.indexOf("<is") >= 0) {
        value = flattenText(body);
      }
    }
    while (cells.length < col) cells.push("");
    cells[col] = value;
  }
  return cells;
}

async function* sheetRows(z: ZipEntries, entry: yauzl.Entry, ctx: SheetContext, batchSize: number): AsyncGenerator<XlsxRow[], void, void> {
  const decoder = new TextDecoder("utf-8");
  let buf = "";
  let lastRow = 0;
  let batch: XlsxRow[] = [];
  for await (const chunk of entryChunks(z, entry)) {
    buf += decoder.decode(chunk, { stream: true });
    let pos = 0;
    for (;;) {
      const start = buf.indexOf("<row", pos);
      if (start < 0) {
        pos = Math.max(pos, buf.length - 4);
        break;
      }
      if (start + 4 >= buf.length) {
        pos = start; // "<row" at the very end of the chunk: wait for the rest
        break;
      }
      const c = buf.charCodeAt(start + 4);
      if (c !== 32 && c !== 62 && c !== 47) {
        pos = start + 4;
        continue;
      }
      const tagEnd = buf.indexOf(">", start);
      if (tagEnd < 0) {
        pos = start;
        break;
      }
      const tag = buf.slice(start, tagEnd + 1);
      const r = attr(tag, "r");
      const rowNumber = r ? Number(r) : lastRow + 1;
      // An empty row element (<row r="5"/>, as Excel writes a formatted blank row) is a row present in the sheet,
      // read and skipped like <row r="5"></row> or a blank CSV line.
      const empty = buf.charCodeAt(tagEnd - 1) === 47;
      const end = empty ? tagEnd : buf.indexOf("</row>", tagEnd);
      if (end < 0) {
        pos = start;
        break;
      }
      lastRow = rowNumber;
      batch.push({ row: rowNumber, cells: empty ? [] : parseRowCells(buf.slice(tagEnd + 1, end), ctx) });
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
      pos = empty ? tagEnd + 1 : end + 6;
    }
    buf = buf.slice(pos);
  }
  if (batch.length) yield batch;
}

function resolveTarget(target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = ("xl/" + target).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== ".") out.push(p);
  }
  return out.join("/");
}

/**
 * The error for a workbook that cannot be read to its end (damaged or truncated), wherever it is found: opening it,
 * or reading a sheet, on either thread.
 */
export function xlsxDamaged(displayName: string, cause: unknown): UserError {
  return new UserError("xlsx_damaged", `${displayName}: not a readable .xlsx (the file is damaged or truncated); open it in Excel or WPS and save it again`, { cause, context: { file: displayName } });
}

/**
 * Opens a workbook and lists its worksheets. Throws UserError for a file that is not a readable xlsx
 * (damaged, truncated, or a zip that is not a workbook). Call `close()` when done.
 */
/**
 * Opens an xlsx workbook: its worksheets in workbook order (`sheets`), and the names of its other sheets (chart
 * sheets, dialog or macro sheets: `otherSheets`), which hold no cells to read but are reported.
 */
export async function openXlsx(path: string, displayName: string, batchSize = 2048): Promise<{ sheets: XlsxSheet[]; otherSheets: string[]; close: () => void }> {
  let z: ZipEntries;
  try {
    z = await openZip(path);
  } catch (cause) {
    throw xlsxDamaged(displayName, cause);
  }
  try {
    const workbookXml = await readEntryText(z, "xl/workbook.xml");
    if (!workbookXml) {
      throw new UserError("xlsx_not_workbook", `${displayName}: a zip archive but not an Excel workbook (no xl/workbook.xml); save it from Excel or WPS as .xlsx`, { context: { file: displayName } });
    }
    const relsXml = (await readEntryText(z, "xl/_rels/workbook.xml.rels")) ?? "";
    const rels = new Map<string, { target: string; type: string }>();
    for (const m of relsXml.matchAll(/<Relationship\s[^>]*>/g)) {
      const id = attr(m[0], "Id");
      const target = attr(m[0], "Target");
      if (id && target) rels.set(id, { target: resolveTarget(target), type: attr(m[0], "Type") ?? "" });
    }
    const sharedTarget = [...rels.values()].find((r) => r.type.endsWith("/sharedStrings"))?.target ?? "xl/sharedStrings.xml";
    const stylesTarget = [...rels.values()].find((r) => r.type.endsWith("/styles"))?.target ?? "xl/styles.xml";
    const styles = parseNumberStyles(await readEntryText(z, stylesTarget));
    const ctx: SheetContext = {
      shared: parseSharedStrings(await readEntryText(z, sharedTarget)),
      dateStyles: styles.dates,
      padStyles: styles.pads,
      date1904: /<workbookPr\s[^>]*date1904="(1|true)"/.test(workbookXml),
    };
    const sheets: XlsxSheet[] = [];
    const otherSheets: string[] = [];
    for (const m of workbookXml.matchAll(/<sheet\s[^>]*>/g)) {
      const name = attr(m[0], "name") ?? "";
      const rid = attr(m[0], "r:id") ?? /\s[\w]+:id="([^"]*)"/.exec(m[0])?.[1];
      const rel = rid ? rels.get(rid) : undefined;
      const entry = rel ? z.entries.get(rel.target) : undefined;
      if (!rel || !rel.type.endsWith("/worksheet") || !entry) {
        otherSheets.push(name);
        continue;
      }
      sheets.push({ name, rows: () => sheetRows(z, entry, ctx, batchSize) });
    }
    return { sheets, otherSheets, close: () => z.zip.close() };
  } catch (err) {
    z.zip.close();
    if (err instanceof UserError) throw err;
    throw xlsxDamaged(displayName, err);
  }
}
