/**
 * Writes generated export sets: CSV in UTF-8, UTF-8 with BOM or GB18030 (iconv-lite), and xlsx through exceljs's
 * streaming WorkbookWriter. Every file is written under a temporary name in its folder and renamed into place when
 * complete, so an interrupted run never leaves a half-written file under a final name. Output is byte-identical
 * for the same input: xlsx files carry a fixed creation time and fixed zip entry times.
 */
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type ExcelJS from "exceljs";
import { loadExcelJS, type ExcelJSModule } from "./excel.js";
import iconv from "iconv-lite";
import type { ExportFile, FileCell, FileEncoding, SheetData } from "../generate/files.js";
import { csvRecord } from "./writeCsv.js";
import { registerTempFile, unregisterTempFile } from "./atomic.js";

/** The creation time stamped into every generated workbook (the demo's export date). */
const WORKBOOK_TIME = new Date(Date.UTC(2026, 10, 1, 0, 0, 0));
/** Text is written to disk in chunks of about this many bytes. */
const CHUNK_BYTES = 4 * 1024 * 1024;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * A table being written row by row into a temporary file: `finish` completes that file, `commit` then renames it into
 * place, `abort` removes it. A set of tables is finished first, then committed, so that a disk that fills up while
 * the last is finished leaves every earlier file as it was.
 */
export interface TableWriter {
  readonly path: string;
  writeRows(rows: readonly (readonly string[])[]): Promise<void>;
  finish(): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** CSV text (CRLF line ends) of rows of fields. */
export function csvText(rows: readonly (readonly string[])[]): string {
  return rows.map(csvRecord).join("");
}

/** Bytes of `text` in the encoding (the BOM itself is written once at the start of the file, not here). */
export function encodeText(text: string, encoding: FileEncoding): Buffer {
  return encoding === "gb18030" ? iconv.encode(text, "gb18030") : Buffer.from(text, "utf8");
}

/** The temporary file `path` is written to, registered for removal at exit or interrupt until renamed or removed. */
function tempName(path: string): string {
  const temp = `${path}.tmp-${process.pid}`;
  registerTempFile(temp);
  return temp;
}

/** Renames temporary file `temp` into place at `path`. */
async function moveIn(temp: string, path: string): Promise<void> {
  await rename(temp, path);
  unregisterTempFile(temp);
}

/** Removes temporary file `temp`. */
async function removeTemp(temp: string): Promise<void> {
  await rm(temp, { force: true });
  unregisterTempFile(temp);
}

async function writeChunk(stream: WriteStream, chunk: Buffer): Promise<void> {
  if (!stream.write(chunk)) await once(stream, "drain");
}

async function endStream(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, "close");
}

/**
 * Opens a CSV table at `path` and writes its header row. Rows are encoded at once into multi-MB chunks that are
 * written as they fill (UTF-8 straight into a buffer; GB18030 through iconv-lite once per chunk), so that no row
 * text outlives its batch — holding millions of row strings would make garbage collection dominate the run.
 */
export function openCsvTable(path: string, headers: readonly string[], encoding: FileEncoding): TableWriter {
  const temp = tempName(path);
  const stream = createWriteStream(temp);
  const utf8 = encoding !== "gb18030";
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  let pending: string[] = [];
  let pendingChars = 0;
  if (encoding === "utf8-bom") used = UTF8_BOM.copy(chunk, 0);
  const flush = async (): Promise<void> => {
    if (!utf8) {
      if (pending.length === 0) return;
      const bytes = iconv.encode(pending.join(""), "gb18030");
      pending = [];
      pendingChars = 0;
      await writeChunk(stream, bytes);
      return;
    }
    if (used === 0) return;
    const full = chunk.subarray(0, used);
    chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    used = 0;
    await writeChunk(stream, full);
  };
  const append = (line: string): void => {
    if (!utf8) {
      pending.push(line);
      pendingChars += line.length;
      return;
    }
    if (used + 3 * line.length > chunk.length) {
      // Only a line longer than a whole chunk gets here with used = 0.
      const bytes = Buffer.from(line, "utf8");
      const next = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, used + bytes.length));
      chunk.copy(next, 0, 0, used);
      chunk = next;
    }
    used += chunk.write(line, used, "utf8");
  };
  append(csvRecord(headers));
  return {
    path,
    async writeRows(rows) {
      for (const row of rows) {
        append(csvRecord(row));
        if (utf8 ? used > CHUNK_BYTES - 64 * 1024 : pendingChars >= CHUNK_BYTES / 2) await flush();
      }
    },
    async finish() {
      await flush();
      await endStream(stream);
    },
    async commit() {
      await moveIn(temp, path);
    },
    async abort() {
      stream.destroy();
      await removeTemp(temp);
    },
  };
}

type StreamingWorkbook = InstanceType<typeof ExcelJS.stream.xlsx.WorkbookWriter>;

/**
 * exceljs's WorkbookWriter with every zip entry stamped WORKBOOK_TIME instead of the clock (the constructor already
 * appends entries, so the stamp is installed from the first method it calls). Made once exceljs is loaded.
 */
let Reproducible: (new (options: ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookWriter>[0]) => StreamingWorkbook) | undefined;

function reproducibleWriter(excel: ExcelJSModule): NonNullable<typeof Reproducible> {
  return (Reproducible ??= class ReproducibleWorkbookWriter extends excel.stream.xlsx.WorkbookWriter {
    override addThemes(): Promise<void> {
      const zip = (this as unknown as { zip: { append: (source: unknown, data: Record<string, unknown>) => unknown; stamped?: boolean } }).zip;
      if (!zip.stamped) {
        const append = zip.append.bind(zip);
        zip.append = (source, data) => append(source, { ...data, date: WORKBOOK_TIME });
        zip.stamped = true;
      }
      return (super.addThemes as () => Promise<void>)();
    }
  });
}

/** A streaming workbook onto its file, and the file's end: resolved when it closes, rejected with its error. */
interface OpenWorkbook {
  workbook: StreamingWorkbook;
  stream: WriteStream;
  closed: Promise<void>;
}

async function openWorkbook(temp: string, useStyles: boolean): Promise<OpenWorkbook> {
  const Writer = reproducibleWriter(await loadExcelJS());
  const stream = createWriteStream(temp);
  // Listened for from the start: the file may fail (a full disk) long before the workbook is committed.
  const closed = once(stream, "close").then(() => undefined);
  closed.catch(() => undefined);
  const workbook = new Writer({
    stream,
    useStyles,
    useSharedStrings: false,
    created: WORKBOOK_TIME,
    modified: WORKBOOK_TIME,
    creator: "povwatch",
    lastModifiedBy: "povwatch",
  } as ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookWriter>[0]) as StreamingWorkbook;
  return { workbook, stream, closed };
}

/**
 * Commits the workbook and waits until its file is closed. A file that could not be written (a full disk), before or
 * during the commit, ends the wait with its error: the workbook's commit then never settles.
 */
async function finishWorkbook({ workbook, stream, closed }: OpenWorkbook): Promise<void> {
  if (stream.errored) throw stream.errored;
  await Promise.race([workbook.commit(), closed]);
  await closed;
}

/** Bytes a sheet's zip entry may hold before the writer waits for compression and the disk to catch up. */
const SHEET_BACKLOG = 8 * 1024 * 1024;

/**
 * exceljs's sheet stream hands committed rows to the zip entry without waiting (its StreamBuf ignores backpressure),
 * so a fast producer piles rows up in memory. Wait while the entry's input holds more than SHEET_BACKLOG bytes.
 */
async function waitForZip(worksheet: unknown, file: WriteStream): Promise<void> {
  // The entry is a readable-stream PassThrough (older API: the buffered length is in _writableState).
  type Entry = { _writableState?: { length: number }; once: (event: string, fn: () => void) => void; off: (event: string, fn: () => void) => void };
  const entry = (worksheet as { stream?: { pipes?: Entry[] } }).stream?.pipes?.[0];
  await new Promise((resolve) => setImmediate(resolve));
  while (entry?._writableState && entry._writableState.length > SHEET_BACKLOG) {
    // A file that cannot be written (a full disk) never drains: its error ends the wait instead.
    if (file.errored) throw file.errored;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => {
        entry.off("drain", onDrain);
        reject(err);
      };
      const onDrain = () => {
        file.off("error", onError);
        resolve();
      };
      entry.once("drain", onDrain);
      file.once("error", onError);
    });
  }
}

/**
 * Opens a one-sheet xlsx table at `path` (streaming: each row is committed as it is added, so memory stays flat).
 * Columns listed in `numeric` are stored as numbers, all others as text (IDs keep every digit).
 */
export async function openXlsxTable(path: string, sheet: string, headers: readonly string[], numeric: readonly number[]): Promise<TableWriter> {
  const temp = tempName(path);
  const book = await openWorkbook(temp, false);
  const { workbook, stream } = book;
  const worksheet = workbook.addWorksheet(sheet);
  worksheet.addRow([...headers]).commit();
  const isNumeric = headers.map((_, i) => numeric.includes(i));
  let rowsSinceYield = 0;
  return {
    path,
    async writeRows(rows) {
      if (stream.errored) throw stream.errored;
      for (const row of rows) {
        const values: (string | number | null)[] = new Array(row.length);
        for (let i = 0; i < row.length; i++) {
          const v = row[i]!;
          values[i] = v === "" ? null : isNumeric[i] ? Number(v) : v;
        }
        worksheet.addRow(values).commit();
      }
      rowsSinceYield += rows.length;
      if (rowsSinceYield >= 5_000) {
        rowsSinceYield = 0;
        await waitForZip(worksheet, stream);
      }
    },
    async finish() {
      worksheet.commit();
      await finishWorkbook(book);
    },
    async commit() {
      await moveIn(temp, path);
    },
    async abort() {
      stream.destroy();
      await removeTemp(temp);
    },
  };
}

function toCellValue(cell: FileCell): string | number | Date | null {
  if (cell === null || typeof cell === "string" || typeof cell === "number") return cell;
  const [y, m, d] = cell.date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

/** Writes `sheets` as an xlsx workbook at `temp` (removed again on failure). */
async function writeWorkbookFile(temp: string, sheets: readonly SheetData[]): Promise<void> {
  const book = await openWorkbook(temp, true);
  const { workbook, stream } = book;
  try {
    for (const sheet of sheets) {
      const worksheet = workbook.addWorksheet(sheet.name);
      if (sheet.widths) worksheet.columns = sheet.widths.map((width) => ({ width }));
      // Merged ranges are applied once the rows they cover exist and before those rows are committed (merging
      // first would make exceljs create the rows and push the data below them).
      const merges = sheet.merges ?? [];
      const mergeBottom = Math.max(0, ...merges.map((m) => Number(/(\d+)$/.exec(m)![1])));
      sheet.rows.forEach((cells, r) => {
        const row = worksheet.addRow(cells.map(toCellValue));
        cells.forEach((cell, i) => {
          if (cell !== null && typeof cell === "object") row.getCell(i + 1).numFmt = cell.numFmt;
          else if (typeof cell === "number" && sheet.numFmts?.[i] !== undefined) row.getCell(i + 1).numFmt = sheet.numFmts[i]!;
        });
        if (r + 1 === mergeBottom) for (const range of merges) worksheet.mergeCells(range);
        if (r + 1 >= mergeBottom) row.commit();
      });
      worksheet.commit();
    }
    await finishWorkbook(book);
  } catch (err) {
    stream.destroy();
    await removeTemp(temp);
    throw err;
  }
}

/** Writes `bytes` at `temp` (removed again on failure). */
async function writeBytes(temp: string, bytes: Buffer): Promise<void> {
  try {
    await writeFile(temp, bytes);
  } catch (err) {
    await removeTemp(temp);
    throw err;
  }
}

/**
 * Writes small export files (the demo county) into the folder `dir` (made by the caller): every file into a temporary
 * file first, then all renamed into place, so that a failure (a full disk) leaves every earlier file as it was.
 * Returns the paths written, in order.
 */
export async function writeExportFiles(dir: string, files: readonly ExportFile[]): Promise<string[]> {
  const paths = files.map((file) => join(dir, file.name));
  const temps: string[] = [];
  try {
    for (let k = 0; k < files.length; k++) {
      const file = files[k]!;
      const temp = tempName(paths[k]!);
      temps.push(temp);
      if (file.kind === "text") await writeBytes(temp, Buffer.from(file.text, "utf8"));
      else if (file.kind === "csv") {
        const body = encodeText(csvText(file.rows), file.encoding);
        await writeBytes(temp, file.encoding === "utf8-bom" ? Buffer.concat([UTF8_BOM, body]) : body);
      } else await writeWorkbookFile(temp, file.sheets);
    }
  } catch (err) {
    await Promise.all(temps.map(removeTemp));
    throw err;
  }
  for (let k = 0; k < files.length; k++) await moveIn(temps[k]!, paths[k]!);
  return paths;
}
