/**
 * A streaming zip writer for the xlsx outputs (writeWorkbook.ts): each entry is deflated while it is produced (zlib
 * runs on libuv's thread pool, beside the thread that builds the XML) and followed by a data descriptor, so no entry
 * is ever held whole in memory. The output is deterministic: every entry carries the same DOS time and date, no
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

/** Text appended piece by piece to a zip entry (see ZipWriter.entry). */
export interface EntryWriter {
  /** Appends `text` (UTF-8); await it now and then (every row is fine) so that memory stays bounded. */
  write(text: string): Promise<void> | void;
}

export class ZipWriter {
  private offset = 0;
  private readonly written: Written[] = [];
  private readonly stamp: { time: number; date: number };

  /** @param level zlib compression level of every entry. */
  constructor(
    private readonly out: Writable,
    timestamp: Date,
    private readonly level = 6,
  ) {
    this.stamp = dosDateTime(timestamp);
  }

  private async emit(b: Buffer): Promise<void> {
    this.offset += b.length;
    await put(this.out, b);
  }

  /** An entry whose text `produce` writes piece by piece; resolves once it is compressed and written. */
  async entry(name: string, produce: (w: EntryWriter) => Promise<void> | void): Promise<void> {
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

    const deflate = zlib.createDeflateRaw({ level: this.level, chunkSize: 1 << 16, writableHighWaterMark: QUEUED } as zlib.ZlibOptions);
    let compressed = 0;
    let failure: Error | undefined;
    // Compressed bytes go out as they come; the compressor waits while the output is busy.
    const flowing = (async () => {
      for await (const chunk of deflate as AsyncIterable<Buffer>) {
        compressed += chunk.length;
        await this.emit(chunk);
      }
    })().catch((err: Error) => {
      failure = err;
      deflate.destroy(err);
    });

    let crc = 0;
    let size = 0;
    // Text is encoded straight into the chunk (no joined string, no second copy); a chunk, once handed to the
    // compressor, is its own (a new one is started).
    let chunk = Buffer.allocUnsafe(CHUNK);
    let used = 0;
    const send = async (b: Buffer) => {
      crc = crc32(b, crc);
      size += b.length;
      if (failure) throw failure;
      if (!deflate.write(b)) await once(deflate, "drain");
      // A turn of the event loop: the compressor's finished step is picked up here and its next one started, so
      // that it keeps working while this thread builds the next chunk.
      else await new Promise((resolve) => setImmediate(resolve));
    };
    const flush = async () => {
      if (used === 0) return;
      const b = chunk.subarray(0, used);
      chunk = Buffer.allocUnsafe(CHUNK);
      used = 0;
      await send(b);
    };
    /** At most 3 bytes of UTF-8 per UTF-16 unit (a surrogate pair: 4 bytes for 2 units). */
    const fits = (text: string) => used + text.length * 3 <= CHUNK;
    const append = async (text: string) => {
      await flush();
      if (fits(text)) used += chunk.write(text, used, "utf8");
      else await send(Buffer.from(text, "utf8")); // longer than a chunk: on its own
    };
    try {
      await produce({
        write(text) {
          if (!fits(text)) return append(text);
          used += chunk.write(text, used, "utf8");
        },
      });
      await flush();
    } catch (err) {
      deflate.destroy();
      throw err;
    }
    deflate.end();
    await flowing;
    if (failure) throw failure;
    if (size > LIMIT || compressed > LIMIT || this.offset > LIMIT) throw new Error(`${name}: larger than 4 GiB, which a zip file without zip64 cannot hold`);
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    descriptor.writeUInt32LE(compressed, 8);
    descriptor.writeUInt32LE(size, 12);
    await this.emit(descriptor);
    this.written.push({ name: fileName, crc: crc >>> 0, compressed, size, offset });
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
