/**
 * Input paths → files (files, folders, globs, `-` for stdin), and what each file really is (by its first bytes,
 * not only its name), with one clear error for files povwatch cannot read.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import { UserError } from "../model/errors.js";

export const STDIN = "-";

const SUPPORTED = /\.(xlsx|xlsm|csv|txt|tsv|csv\.gz|txt\.gz|tsv\.gz)$/i;
const KNOWN_UNSUPPORTED = /\.(xls|et|ods|xlsb|numbers|docx?|pdf)$/i;
/** Spreadsheets povwatch cannot read: taken from a folder too, so that they get their error instead of being left out. */
const UNSUPPORTED_SHEETS = /\.(xls|et|ods|xlsb|numbers)$/i;

/** Expands the command line's INPUTS into file paths, in a stable order (folders and globs sorted by name). */
export async function expandInputs(inputs: readonly string[], options: { recursive?: boolean; exclude?: readonly string[] } = {}): Promise<string[]> {
  const excluded = new Set((options.exclude ?? []).map((d) => resolve(d)));
  const out: string[] = [];
  for (const input of inputs) {
    if (input === STDIN) {
      out.push(STDIN);
      continue;
    }
    let info;
    try {
      info = await stat(input);
    } catch {
      if (isDynamicPattern(input)) {
        const found = (await glob(input, { onlyFiles: true, dot: false, expandDirectories: false })).sort();
        const files = found.filter((f) => SUPPORTED.test(f) || KNOWN_UNSUPPORTED.test(f));
        if (files.length === 0) throw new UserError("no_input", `${input}: no .xlsx, .csv or .txt file matches this pattern; check the pattern`, { context: { file: input } });
        out.push(...files);
        continue;
      }
      throw new UserError("no_input", `${input}: no such file or folder; check the path (quote paths with spaces)`, { context: { file: input } });
    }
    if (info.isDirectory()) {
      const files = await listFolder(input, !!options.recursive, excluded);
      if (files.length === 0) throw new UserError("no_input", `${input}: the folder has no .xlsx, .csv, .txt or .csv.gz file`, { context: { file: input } });
      out.push(...files);
    } else {
      out.push(input);
    }
  }
  return [...new Set(out)];
}

/**
 * The supported files of `dir` (and of its subfolders when `recursive`, except the `excluded` ones: a scan's output
 * folder inside its input folder holds its own earlier lists, which are not inputs).
 */
async function listFolder(dir: string, recursive: boolean, excluded: ReadonlySet<string>): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name.startsWith("~$")) continue; // hidden files and Excel lock files
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (recursive && !excluded.has(resolve(p))) out.push(...(await listFolder(p, true, excluded)));
    } else if (SUPPORTED.test(e.name) || UNSUPPORTED_SHEETS.test(e.name)) {
      out.push(p);
    }
  }
  return out;
}

export type FileFormat = "xlsx" | "csv" | "csv.gz";

/**
 * What a file is, from its first bytes; throws UserError (exit 1) with what to do for: an empty file, an old .xls
 * (or one renamed), a password-protected workbook, another format, binary data named .csv.
 */
export async function sniffFile(path: string): Promise<FileFormat> {
  const handle = await open(path, "r").catch((cause: NodeJS.ErrnoException) => {
    throw new UserError("unreadable", `${path}: cannot be opened (${cause.code === "EACCES" ? "permission denied" : cause.code ?? cause.message})`, { cause, context: { file: path } });
  });
  let head: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    if (size === 0) throw new UserError("empty_file", `${path}: the file is empty (0 bytes); export the table again`, { context: { file: path } });
    head = Buffer.alloc(Math.min(size, 8192));
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const isZip = head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5 || head[2] === 7);
  const isOle = head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
  const isGzip = head[0] === 0x1f && head[1] === 0x8b;
  if (isOle) {
    // Encrypted OOXML lives in an OLE container with an "EncryptedPackage" stream (UTF-16 name).
    const encrypted = head.includes(Buffer.from("EncryptedPackage", "utf16le")) || (await fileContains(path, Buffer.from("EncryptedPackage", "utf16le")));
    if (encrypted) {
      throw new UserError("xlsx_encrypted", `${path}: the workbook is password-protected; open it in Excel or WPS, remove the password and save it again`, { context: { file: path } });
    }
    throw new UserError("xls_unsupported", `${path}: an old Excel 97-2003 (.xls) workbook; open it in Excel or WPS and save it as .xlsx`, { context: { file: path } });
  }
  if (isZip) {
    if (/\.(csv|txt|tsv)$/i.test(path)) throw new UserError("not_csv", `${path}: named as a text file but is a zip archive (an .xlsx?); rename it to .xlsx or export it as CSV`, { context: { file: path } });
    if (/\.(ods)$/i.test(path)) throw new UserError("ods_unsupported", `${path}: an OpenDocument spreadsheet; save it as .xlsx`, { context: { file: path } });
    return "xlsx";
  }
  if (isGzip) return "csv.gz";
  if (/\.(xlsx|xlsm)$/i.test(path)) {
    throw new UserError("xlsx_damaged", `${path}: not a readable .xlsx (it is not a zip archive: damaged, or another format renamed); open it in Excel or WPS and save it as .xlsx`, { context: { file: path } });
  }
  if (KNOWN_UNSUPPORTED.test(path)) {
    throw new UserError("unsupported", `${path}: this file type is not supported; save it as .xlsx or .csv`, { context: { file: path } });
  }
  if (looksBinary(head)) {
    throw new UserError("binary_file", `${path}: not a text file (binary data); export the table as .csv or .xlsx`, { context: { file: path } });
  }
  return "csv";
}

/** Binary: NUL bytes that are not UTF-16 text, or many control characters. */
export function looksBinary(head: Buffer): boolean {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) return false;
  let nul = 0;
  let nulOdd = 0;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if (b === 0) {
      nul++;
      if (i % 2 === 1) nulOdd++;
    } else if (b < 9 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  if (nul > 0) {
    const utf16 = nul > head.length / 4 && (nulOdd > nul * 0.9 || nulOdd < nul * 0.1);
    return !utf16;
  }
  return control > head.length * 0.05;
}

async function fileContains(path: string, needle: Buffer): Promise<boolean> {
  let tail = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 16, end: 4 << 20 })) {
    const buf = Buffer.concat([tail, chunk as Buffer]);
    if (buf.includes(needle)) return true;
    tail = buf.subarray(Math.max(0, buf.length - needle.length));
  }
  return false;
}

/** SHA-256 (hex) and size of a file. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size };
}

