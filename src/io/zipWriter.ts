/**
 * A streaming zip writer for the xlsx outputs (writeWorkbook.ts): each entry is deflated while it is produced (zlib
 * runs on libuv's thread pool, beside the thread that builds the XML) and followed by a data descriptor, so no entry
 * is held in memory uncompressed; an entry may also be joined from parts compressed beforehand (entryOf). The output is deterministic: every entry carries the same DOS time and date, no
 * extra fields, and entries are written in the order given. No zip64: past 4 GiB it stops with an error (a sheet
 * holds at most 1,048,576 rows, far below that for povwatch's lists).
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import * as zlib from "node:zlib";

/** MS-DOS time and date words of a timestamp (UTC components; DOS dates start in 1980). */
export function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

/** zlib's CRC-32 (Node 20.15 and later). */
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** The CRC-32 table (polynomial 0xEDB88320) of tableCrc32. */
let crcTable: Int32Array | undefined;

/** CRC-32 of `data` continuing from `crc`, table-driven: for a Node 20 without zlib.crc32. */
export function tableCrc32(data: Uint8Array, crc = 0): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let c = ~crc;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32 of `data` continuing from `crc` (unsigned). */
export function crc32(data: Uint8Array, crc = 0): number {
  return nativeCrc32 ? nativeCrc32(data, crc) >>> 0 : tableCrc32(data, crc);
}

const LIMIT = 0xffffffff;
/** Bytes of XML gathered (encoded straight into a buffer) before they go to the compressor. */
const CHUNK = 1 << 18;
/**
 * Bytes the compressor may have queued before the producer waits: several chunks, so that building the XML (this
 * thread) and compressing it (the thread pool) overlap instead of taking turns.
 */
const QUEUED = 1 << 22;

interface Written {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** Writes `b` to `out`, waiting while its buffer is full (and failing if the stream has failed). */
async function put(out: Writable, b: Buffer): Promise<void> {
  if (out.destroyed) throw out.errored ?? new Error("output stream closed");
  if (!out.write(b)) await once(out, "drain");
}

/**
 * CRC-32 of the concatenation A·B from crc(A), crc(B) and B's length (zlib's crc32_combine: B's length applied to
 * crc(A) as a power of the CRC's GF(2) shift operator, by repeated squaring).
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  if (lengthB <= 0) return crcA >>> 0;
  const times = (mat: Uint32Array, vec: number) => {
    let sum = 0;
    for (let i = 0; vec !== 0; i++, vec >>>= 1) if (vec & 1) sum ^= mat[i]!;
    return sum >>> 0;
  };
  const square = (out: Uint32Array, mat: Uint32Array) => {
    for (let n = 0; n < 32; n++) out[n] = times(mat, mat[n]!);
  };
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  odd[0] = 0xedb88320; // the operator for one zero bit
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row >>> 0;
  square(even, odd); // two zero bits
  square(odd, even); // four zero bits
  let crc = crcA >>> 0;
  let len = lengthB;
  for (;;) {
    square(even, odd); // the first pass: one zero byte
    if (len % 2) crc = times(even, crc);
    len = Math.floor(len / 2);
    if (len === 0) break;
    square(odd, even);
    if (len % 2) crc = times(odd, crc);
    len = Math.floor(len / 2);
    if (len === 0) break;
  }
  return (crc ^ crcB) >>> 0;
}

/** Text appended piece by piece to a zip entry (see ZipWriter.entry). */
export interface EntryWriter {
  /** Appends `text` (UTF-8); await it now and then (every row is fine) so that memory stays bounded. */
  write(text: string): Promise<void> | void;
}

/** Compressed text with what a zip entry needs to know of it. */
export interface DeflatedPart {
  chunks: Buffer[];
  /** CRC-32 and length of the uncompressed bytes; length of the compressed ones. */
  crc: number;
  size: number;
  compressed: number;
}

/**
 * Text deflated as it is written: encoded straight into 256 KiB chunks, which go to zlib (on libuv's thread pool)
 * while the next one is built; the compressed bytes go to `sink` in order. `end` finishes the stream, or, for a part
 * that other parts follow inside one entry (`last` false), ends it with a sync flush: byte-aligned and not final, so
 * that another raw deflate stream can follow it.
 */
export class Deflater implements EntryWriter {
  private readonly deflate: zlib.DeflateRaw;
  private readonly flowing: Promise<void>;
  private failure: Error | undefined;
  private compressed = 0;
  private crc = 0;
  private size = 0;
  private chunk = Buffer.allocUnsafe(CHUNK);
  private used = 0;

  constructor(level: number, last: boolean, sink: (chunk: Buffer) => Promise<void> | void) {
    const deflate = zlib.createDeflateRaw({
      level,
      chunkSize: 1 << 16,
      writableHighWaterMark: QUEUED,
      finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
    } as zlib.ZlibOptions);
    this.deflate = deflate;
    // Compressed bytes go out as they come; the compressor waits while the sink is busy.
    this.flowing = (async () => {
      for await (const chunk of deflate as AsyncIterable<Buffer>) {
        this.compressed += chunk.length;
        await sink(chunk);
      }
    })().catch((err: Error) => {
      this.failure = err;
      deflate.destroy(err);
    });
  }

  write(text: string): Promise<void> | void {
    // At most 3 bytes of UTF-8 per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
    if (this.used + text.length * 3 > CHUNK) return this.append(text);
    this.used += this.chunk.write(text, this.used, "utf8");
  }

  private async append(text: string): Promise<void> {
    await this.flush();
    if (text.length * 3 <= CHUNK) this.used += this.chunk.write(text, this.used, "utf8");
    else await this.send(Buffer.from(text, "utf8")); // longer than a chunk: on its own
  }

  private async flush(): Promise<void> {
    if (this.used === 0) return;
    const b = this.chunk.subarray(0, this.used);
    // A chunk handed to the compressor is its own: a new one is started.
    this.chunk = Buffer.allocUnsafe(CHUNK);
    this.used = 0;
    await this.send(b);
  }

  private async send(b: Buffer): Promise<void> {
    this.crc = crc32(b, this.crc);
    this.size += b.length;
    if (this.failure) throw this.failure;
    if (!this.deflate.write(b)) await once(this.deflate, "drain");
    // A turn of the event loop: the compressor's finished step is picked up here and its next one started, so that
    // it keeps working while this thread builds the next chunk.
    else await new Promise((resolve) => setImmediate(resolve));
  }

  /** Compresses what is left; resolves with the CRC-32 and lengths once every compressed byte went to the sink. */
  async end(): Promise<{ crc: number; size: number; compressed: number }> {
    await this.flush();
    this.deflate.end();
    await this.flowing;
    if (this.failure) throw this.failure;
    return { crc: this.crc >>> 0, size: this.size, compressed: this.compressed };
  }

  /** Stops (after a failure of the producer). */
  destroy(): void {
    this.deflate.destroy();
  }
}

/** `text` compressed whole, as a part of an entry (see Deflater; `last` for the entry's final part). */
export function deflatePart(text: string, level: number, last: boolean): DeflatedPart {
  const raw = Buffer.from(text, "utf8");
  const out = zlib.deflateRawSync(raw, { level, finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH });
  return { chunks: [out], crc: crc32(raw), size: raw.length, compressed: out.length };
}

export class ZipWriter {
  private offset = 0;
  private readonly written: Written[] = [];
  private readonly stamp: { time: number; date: number };

  /** @param level zlib compression level of every entry. */
  constructor(
    private readonly out: Writable,
    timestamp: Date,
    readonly level = 6,
  ) {
    this.stamp = dosDateTime(timestamp);
  }

  private async emit(b: Buffer): Promise<void> {
    this.offset += b.length;
    await put(this.out, b);
  }

  /** The local header of an entry whose CRC and sizes follow its data (in the data descriptor). */
  private async begin(name: string): Promise<{ fileName: Buffer; offset: number }> {
    const fileName = Buffer.from(name, "utf8");
    const offset = this.offset;
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    header.writeUInt16LE(0x0808, 6); // bit 3: sizes in a data descriptor; bit 11: UTF-8 name
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt16LE(this.stamp.time, 10);
    header.writeUInt16LE(this.stamp.date, 12);
    // crc and sizes (14 … 25) stay 0: they follow the data; name length, no extra field
    header.writeUInt16LE(fileName.length, 26);
    await this.emit(Buffer.concat([header, fileName]));
    return { fileName, offset };
  }

  /** The data descriptor after an entry's data, and the entry's record for the central directory. */
  private async close(name: string, entry: { fileName: Buffer; offset: number }, crc: number, size: number, compressed: number): Promise<void> {
    if (size > LIMIT || compressed > LIMIT || this.offset > LIMIT) throw new Error(`${name}: larger than 4 GiB, which a zip file without zip64 cannot hold`);
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    descriptor.writeUInt32LE(compressed, 8);
    descriptor.writeUInt32LE(size, 12);
    await this.emit(descriptor);
    this.written.push({ name: entry.fileName, crc: crc >>> 0, compressed, size, offset: entry.offset });
  }

  /** An entry whose text `produce` writes piece by piece; resolves once it is compressed and written. */
  async entry(name: string, produce: (w: EntryWriter) => Promise<void> | void): Promise<void> {
    const entry = await this.begin(name);
    const deflater = new Deflater(this.level, true, (chunk) => this.emit(chunk));
    try {
      await produce(deflater);
    } catch (err) {
      deflater.destroy();
      throw err;
    }
    const { crc, size, compressed } = await deflater.end();
    await this.close(name, entry, crc, size, compressed);
  }

  /**
   * An entry made of parts compressed beforehand (each but the last ended with a sync flush: see Deflater), written
   * one after another; its CRC-32 is combined from theirs.
   */
  async entryOf(name: string, parts: readonly DeflatedPart[]): Promise<void> {
    const entry = await this.begin(name);
    let crc = 0;
    let size = 0;
    let compressed = 0;
    for (const part of parts) {
      for (const chunk of part.chunks) await this.emit(chunk);
      crc = crc32Combine(crc, part.crc, part.size);
      size += part.size;
      compressed += part.compressed;
    }
    await this.close(name, entry, crc, size, compressed);
  }

  /** Writes the central directory and the end record (the caller ends the stream). */
  async finish(): Promise<void> {
    const start = this.offset;
    const parts: Buffer[] = [];
    for (const e of this.written) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(20, 4); // made by: MS-DOS attributes, version 2.0
      h.writeUInt16LE(20, 6);
      h.writeUInt16LE(0x0808, 8);
      h.writeUInt16LE(8, 10);
      h.writeUInt16LE(this.stamp.time, 12);
      h.writeUInt16LE(this.stamp.date, 14);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(e.compressed, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.length, 28);
      // extra, comment, disk, attributes: 0
      h.writeUInt32LE(e.offset, 42);
      parts.push(h, e.name);
    }
    const directory = Buffer.concat(parts);
    if (this.written.length > 0xffff || start + directory.length > LIMIT) throw new Error("zip file too large (more than 65,535 entries or 4 GiB)");
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.written.length, 8);
    end.writeUInt16LE(this.written.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(start, 16);
    await this.emit(Buffer.concat([directory, end]));
  }
}
