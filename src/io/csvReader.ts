/**
 * CSV/TXT reading: bytes (file, .csv.gz, or stdin) → encoding detected (BOM, else valid UTF-8, else GB18030; UTF-16 by
 * its BOM or NUL pattern) → text decoded strictly (never silent mojibake) → csv-parse with the delimiter detected
 * (comma or tab) → batches of rows. The SHA-256 and size of the raw bytes are computed on the way.
 */
import { isAscii } from "node:buffer";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse";
import { UserError } from "../model/errors.js";
import { STDIN, looksBinary } from "./files.js";
import { ByteCsvSplitter, firstInvalidOffset } from "./csvBytes.js";

export interface CsvSource {
  /** Encoding used: "utf-8", "utf-8-bom", "gb18030", "utf-16le", "utf-16be". */
  encoding: string;
  delimiter: string;
  /** Batches of records; the n-th record (1-based, over all batches) is spreadsheet row n. */
  rows: AsyncGenerator<string[][], void, void>;
  /** After `rows` is exhausted: SHA-256 and byte size of the file as stored. */
  digest(): { sha256: string; size: number };
  /** True when the text uses LF or CRLF line ends (not CR only). */
  lineFeeds: boolean;
  /** Stops reading (the rest of the file is not needed). */
  close(): void;
  /** From now on only columns with mask[i] = 1 are decoded (others read as ""); the byte-level path only. */
  setColumnMask(mask: Uint8Array | undefined): void;
}

const ENCODING_ALIASES: Record<string, string> = {
  utf8: "utf-8",
  "utf-8": "utf-8",
  "utf-8-bom": "utf-8",
  gb18030: "gb18030",
  gbk: "gb18030",
  gb2312: "gb18030",
  cp936: "gb18030",
  "utf-16": "utf-16le",
  utf16: "utf-16le",
  "utf-16le": "utf-16le",
  utf16le: "utf-16le",
  "utf-16be": "utf-16be",
};

/** Normalises an --encoding value; throws UserError (exit 2) for an unknown one. */
export function normalizeEncoding(name: string): string {
  const e = ENCODING_ALIASES[name.toLowerCase().replace(/_/g, "-")];
  if (!e) throw new UserError("bad_encoding", `--encoding: unknown encoding "${name}" (expected utf8, gb18030, gbk or utf16le)`, { exitCode: 2 });
  return e;
}

/** Detects the encoding of a file's first bytes (inputs.md): BOM, else valid UTF-8, else GB18030. */
export function detectEncoding(head: Uint8Array, complete: boolean): { encoding: string; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf-8-bom", bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", bomLength: 2 };
  let nulEven = 0;
  let nulOdd = 0;
  for (let i = 0; i < Math.min(head.length, 4096); i++) if (head[i] === 0) i % 2 ? nulOdd++ : nulEven++;
  if (nulOdd > 8 && nulEven === 0) return { encoding: "utf-16le", bomLength: 0 };
  if (nulEven > 8 && nulOdd === 0) return { encoding: "utf-16be", bomLength: 0 };
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: !complete });
    return { encoding: "utf-8", bomLength: 0 };
  } catch {
    return { encoding: "gb18030", bomLength: 0 };
  }
}

/**
 * Where UTF-8 text turns into bytes of another encoding: the offset of the first byte that is not valid UTF-8, when
 * the bytes before it hold at least 4 multi-byte (3- or 4-byte) UTF-8 characters — Chinese text in UTF-8 — so the
 * file is UTF-8 with something else (typically GB18030) pasted in later. Undefined when the bytes are valid UTF-8 or
 * do not start as Chinese UTF-8 text (then they are GB18030). A sequence cut off by the end of `bytes` is not an
 * error unless `complete`.
 */
export function findMixedEncodingOffset(bytes: Uint8Array, complete: boolean): number | undefined {
  let wide = 0;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0) return wide >= 4 ? i : undefined;
    if (i + len > n) return complete && wide >= 4 ? i : undefined;
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return wide >= 4 ? i : undefined;
    }
    // Overlong and surrogate forms are invalid too.
    const c1 = bytes[i + 1]!;
    if ((b === 0xe0 && c1 < 0xa0) || (b === 0xed && c1 > 0x9f) || (b === 0xf0 && c1 < 0x90) || (b === 0xf4 && c1 > 0x8f)) return wide >= 4 ? i : undefined;
    if (len >= 3) wide++;
    i += len;
  }
  return undefined;
}

/** 1-based line of a byte offset (counting LF, else CR line ends). */
function lineAt(bytes: Uint8Array, offset: number): number {
  let lf = 0;
  let cr = 0;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    if (bytes[i] === 10) lf++;
    else if (bytes[i] === 13) cr++;
  }
  return (lf > 0 ? lf : cr) + 1;
}

export function mixedEncodingError(display: string, encoding: string, offset: number, line: number | undefined, cause?: unknown): UserError {
  const where = `byte ${offset.toLocaleString("en-US")}${line !== undefined ? ` (line ${line})` : ""}`;
  return new UserError(
    "bad_encoding",
    `${display}: bytes that are not ${encoding} at ${where} (mixed encodings?); ` +
      `save the whole file again in one encoding (UTF-8 or GB18030), or give --encoding gb18030 / --encoding utf8`,
    { cause, context: { file: display } },
  );
}

/** Comma or tab: whichever occurs more often outside quotes in the first lines. */
export function detectDelimiter(sample: string): string {
  let commas = 0;
  let tabs = 0;
  let inQuotes = false;
  let lines = 0;
  for (let i = 0; i < sample.length && lines < 30; i++) {
    const c = sample.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    else if (!inQuotes) {
      if (c === 44 || c === 0xff0c) commas += c === 44 ? 1 : 0;
      else if (c === 9) tabs++;
      else if (c === 10) lines++;
    }
  }
  return tabs > commas ? "\t" : ",";
}

const SAMPLE_BYTES = 1 << 16;
/**
 * How far a source that begins in plain ASCII is read ahead for its first other byte, which tells UTF-8 from GB18030
 * (English headers and numbers can run for megabytes before the first Chinese 合计 row or name).
 */
export const ASCII_LOOKAHEAD_BYTES = 1 << 24;

/** Opens a CSV source. `display` is the name used in messages. */
export async function openCsv(path: string, display: string, options: { encoding?: string; gzip?: boolean; batchSize?: number } = {}): Promise<CsvSource> {
  const raw: NodeJS.ReadableStream = path === STDIN ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
  const hash = createHash("sha256");
  let size = 0;
  const counted = (async function* () {
    for await (const chunk of raw) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  })();
  let bytes: AsyncIterator<Buffer>;
  if (options.gzip || (path !== STDIN && /\.gz$/i.test(path))) {
    const gunzip = createGunzip();
    (async () => {
      try {
        for await (const c of counted) if (!gunzip.write(c)) await new Promise((r) => gunzip.once("drain", r));
        gunzip.end();
      } catch (e) {
        gunzip.destroy(e as Error);
      }
    })();
    bytes = (gunzip as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  } else {
    bytes = counted[Symbol.asyncIterator]();
  }

  // Gather a sample for detection.
  const head: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  // While every byte so far is ASCII (the same text in UTF-8 and GB18030), read on, up to ASCII_LOOKAHEAD_BYTES.
  let ascii = !options.encoding;
  try {
    while (headLength < SAMPLE_BYTES || (ascii && headLength < ASCII_LOOKAHEAD_BYTES)) {
      const r = await bytes.next();
      if (r.done) {
        ended = true;
        break;
      }
      head.push(r.value);
      headLength += r.value.length;
      if (ascii) ascii = isAscii(r.value);
    }
  } catch (cause) {
    throw new UserError("gzip_damaged", `${display}: cannot be read (${(cause as Error).message}); is the .gz file complete?`, { cause, context: { file: display } });
  }
  const sample = Buffer.concat(head);
  if (sample.length === 0) throw new UserError("empty_file", `${display}: the file is empty (0 bytes); export the table again`, { context: { file: display } });
  if (looksBinary(sample.subarray(0, 8192))) {
    throw new UserError("binary_file", `${display}: not a text file (binary data); export the table as .csv or .xlsx`, { context: { file: display } });
  }
  const detected = detectEncoding(sample, ended);
  if (!options.encoding && detected.encoding === "gb18030") {
    const offset = findMixedEncodingOffset(sample, ended);
    if (offset !== undefined) throw mixedEncodingError(display, "utf-8", offset, lineAt(sample, offset));
  }
  const encoding = options.encoding ? normalizeEncoding(options.encoding) : detected.encoding;
  const bomLength = options.encoding ? (encoding === "utf-8" && detected.encoding === "utf-8-bom" ? 3 : encoding.startsWith("utf-16") && detected.bomLength === 2 ? 2 : 0) : detected.bomLength;
  const decoder = new TextDecoder(encoding === "utf-8-bom" ? "utf-8" : encoding, { fatal: true });
  const decoderName = encoding === "utf-8-bom" ? "utf-8" : encoding;
  // Offset (in the decoded byte stream, BOM included) of the chunk being decoded.
  let decodedBytes = bomLength;
  const decode = (chunk: Uint8Array, stream: boolean): string => {
    try {
      const s = decoder.decode(chunk, { stream });
      decodedBytes += chunk.length;
      return s;
    } catch (cause) {
      // A sequence begun in the previous chunk may be the culprit: report the first bad byte of this chunk or, failing that, its start.
      const at = decodedBytes + (chunk.length > 0 ? firstInvalidOffset(decoderName, chunk, decodedBytes > bomLength) : 0);
      throw mixedEncodingError(display, decoderName, at, decodedBytes === bomLength ? lineAt(chunk, at - bomLength) : undefined, cause);
    }
  };
  const firstText = decode(sample.subarray(bomLength), !ended);
  const delimiter = detectDelimiter(firstText.slice(0, 65536));
  const batchSize = options.batchSize ?? 2048;
  let closed = false;

  const byteLevel = (encoding === "utf-8" || encoding === "utf-8-bom" || encoding === "gb18030") && firstText.includes("\n");
  const splitter = byteLevel
    ? new ByteCsvSplitter({
        delimiter,
        encoding: encoding === "gb18030" ? "gb18030" : "utf-8",
        display,
        offset: bomLength,
        encodingError: (at, cause) => mixedEncodingError(display, decoderName, at, undefined, cause),
      })
    : undefined;

  /** Records through the byte-level splitter (LF/CRLF text in an ASCII-compatible encoding). */
  async function* byteRows(sp: ByteCsvSplitter): AsyncGenerator<string[][], void, void> {
    const batch: string[][] = [];
    const push = (chunk: Buffer | undefined) => {
      try {
        if (chunk) sp.push(chunk, batch);
        else sp.end(batch);
      } catch (err) {
        throw csvError(err, display);
      }
    };
    push(sample.subarray(bomLength));
    for (;;) {
      while (batch.length >= batchSize) yield batch.splice(0, batchSize);
      if (closed) return;
      let r: IteratorResult<Buffer>;
      try {
        r = await bytes.next();
      } catch (cause) {
        throw new UserError("gzip_damaged", `${display}: cannot be read (${(cause as Error).message}); is the file complete?`, { cause, context: { file: display } });
      }
      if (r.done) break;
      push(r.value);
    }
    push(undefined);
    while (batch.length) yield batch.splice(0, batchSize);
  }

  async function* rows(): AsyncGenerator<string[][], void, void> {
    if (splitter) {
      yield* byteRows(splitter);
      return;
    }
    const parser = parse({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: false, trim: false });
    const feed = (async () => {
      try {
        if (!parser.write(firstText)) await new Promise((r) => parser.once("drain", r));
        for (;;) {
          if (closed) return;
          const r = await bytes.next();
          if (r.done) break;
          const text = decode(r.value, true);
          if (text && !parser.write(text)) await new Promise((res) => parser.once("drain", res));
        }
        const tail = ended ? "" : decode(new Uint8Array(0), false);
        parser.end(tail);
      } catch (err) {
        parser.destroy(err as Error);
      }
    })();
    let batch: string[][] = [];
    try {
      for await (const record of parser) {
        batch.push(record as string[]);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    } catch (err) {
      throw csvError(err, display);
    }
    if (batch.length) yield batch;
    await feed;
  }


  let digested: { sha256: string; size: number } | undefined;
  return {
    // A text without LF in its first 64 KB uses CR-only line ends (or is one line): never the byte-level fast path.
    lineFeeds: firstText.includes("\n"),
    close: () => {
      closed = true;
      (raw as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    },
    encoding: options.encoding ? encoding : detected.encoding,
    delimiter,
    rows: rows(),
    digest: () => (digested ??= { sha256: hash.digest("hex"), size }),
    setColumnMask: (mask) => splitter?.setMask(mask),
  };
}

/** A csv-parse error as a UserError naming the file (and the row of an unclosed quote). */
function csvError(err: unknown, display: string): unknown {
  if (err instanceof UserError) return err;
  const e = err as { code?: string; records?: number; message?: string };
  if (e.code === "CSV_QUOTE_NOT_CLOSED") {
    // The unclosed field belongs to the record after the last complete one; records are spreadsheet rows.
    const row = typeof e.records === "number" ? e.records + 1 : undefined;
    return new UserError(
      "csv_quote",
      `${display}${row !== undefined ? `, row ${row}` : ""}: a quoted field (starting with ") is never closed, so the rest of the file would be one cell; fix the quote, or save the file again from Excel or WPS`,
      { cause: err, context: { file: display, row } },
    );
  }
  return new UserError("csv_parse", `${display}: cannot be parsed as CSV (${e.message ?? String(err)})`, { cause: err, context: { file: display } });
}
