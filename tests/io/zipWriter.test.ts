/**
 * The streaming zip writer of the xlsx outputs, read back with yauzl (an independent zip reader) and zlib.
 */
import { PassThrough } from "node:stream";
import * as zlib from "node:zlib";
import yauzl from "yauzl";
import { describe, expect, it } from "vitest";
import { Deflater, ZipWriter, crc32, crc32Combine, deflatePart, dosDateTime, tableCrc32 } from "../../src/io/zipWriter.js";

/** Runs `write` on a ZipWriter over an in-memory stream; returns the archive's bytes. */
async function zipBytes(write: (zip: ZipWriter) => Promise<void>, timestamp = new Date(Date.UTC(2026, 9, 1, 13, 45, 30))): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const zip = new ZipWriter(out, timestamp);
  await write(zip);
  await zip.finish();
  out.end();
  return Buffer.concat(chunks);
}

interface Entry {
  name: string;
  text: string;
  crc: number;
  time: number;
  date: number;
  method: number;
}

async function readZip(bytes: Buffer): Promise<Entry[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z))));
  const entries: Entry[] = [];
  return new Promise((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("error", reject);
        stream.on("end", () => {
          entries.push({
            name: entry.fileName,
            text: Buffer.concat(chunks).toString("utf8"),
            crc: entry.crc32,
            time: entry.lastModFileTime,
            date: entry.lastModFileDate,
            method: entry.compressionMethod,
          });
          zip.readEntry();
        });
      });
    });
    zip.on("end", () => resolve(entries));
    zip.on("error", reject);
    zip.readEntry();
  });
}

describe("crc32", () => {
  it("gives the standard check value of 123456789, natively and from the table", () => {
    const data = Buffer.from("123456789");
    expect(crc32(data)).toBe(0xcbf43926);
    expect(tableCrc32(data)).toBe(0xcbf43926);
  });

  it("table and zlib agree on random data, in one piece or continued over pieces", () => {
    const data = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919 + (i >> 3)) & 0xff));
    const whole = zlib.crc32(data) >>> 0;
    expect(tableCrc32(data)).toBe(whole);
    expect(tableCrc32(data.subarray(40_000), tableCrc32(data.subarray(0, 40_000)))).toBe(whole);
    expect(crc32(data.subarray(40_000), crc32(data.subarray(0, 40_000)))).toBe(whole);
  });
});

describe("dosDateTime", () => {
  it("DOS time and date of 2026-10-01 13:45:30 UTC", () => {
    expect(dosDateTime(new Date(Date.UTC(2026, 9, 1, 13, 45, 30)))).toEqual({ time: (13 << 11) | (45 << 5) | 15, date: (46 << 9) | (10 << 5) | 1 });
  });
});

describe("crc32Combine", () => {
  it("gives the CRC of a concatenation from the parts' CRCs and the second part's length", () => {
    const data = Buffer.from(Array.from({ length: 70_001 }, (_, i) => (i * 131 + (i >> 5)) & 0xff));
    for (const cut of [0, 1, 7, 8, 4096, 65_536, 70_000, 70_001]) {
      const a = data.subarray(0, cut);
      const b = data.subarray(cut);
      expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(crc32(data));
    }
  });
});

describe("ZipWriter", () => {
  it("joins parts compressed beforehand into one entry (sync-flushed parts, then the last one)", async () => {
    const head = "<worksheet><cols><col min=\"1\" max=\"1\" width=\"12\"/></cols><sheetData>";
    const rows = Array.from({ length: 40_000 }, (_, i) => `<row r="${i + 1}"><c><v>${(i * 7919) % 100_003}</v></c><c t="inlineStr"><is><t>户${i}</t></is></c></row>`);
    const tail = "</sheetData></worksheet>";
    const chunks: Buffer[] = [];
    const body = new Deflater(6, false, (c) => void chunks.push(c));
    for (const r of rows) await body.write(r);
    const bodyPart = { chunks, ...(await body.end()) };
    const bytes = await zipBytes(async (zip) => {
      await zip.entryOf("xl/worksheets/sheet1.xml", [deflatePart(head, 6, false), bodyPart, deflatePart(tail, 6, true)]);
      await zip.entry("b.xml", (w) => w.write("<b/>"));
    });
    const entries = await readZip(bytes);
    const text = head + rows.join("") + tail;
    expect(entries.map((e) => e.name)).toEqual(["xl/worksheets/sheet1.xml", "b.xml"]);
    expect(entries[0]!.text).toBe(text);
    expect(entries[0]!.crc).toBe(zlib.crc32(Buffer.from(text)) >>> 0);
    // zlib agrees that the joined data is one valid deflate stream.
    expect(zlib.inflateRawSync(Buffer.concat([...deflatePart(head, 6, false).chunks, ...chunks, ...deflatePart(tail, 6, true).chunks])).toString()).toBe(text);
  });


  it("writes deflated entries that another reader gives back exactly, with their CRC and the fixed time", async () => {
    // Large enough to pass through the compressor in many chunks, and to fill its queue (the producer waits).
    const rows = Array.from({ length: 120_000 }, (_, i) => `<row r="${i + 1}"><c t="inlineStr"><is><t>户${i} 西岭县 ${(i * 37) % 1000}</t></is></c></row>`);
    const bytes = await zipBytes(async (zip) => {
      await zip.entry("[Content_Types].xml", (w) => w.write("<Types/>"));
      await zip.entry("xl/worksheets/sheet1.xml", async (w) => {
        for (const r of rows) await w.write(r);
      });
      await zip.entry("空.txt", () => undefined);
    });
    const entries = await readZip(bytes);
    const { time, date } = dosDateTime(new Date(Date.UTC(2026, 9, 1, 13, 45, 30)));
    expect(entries.map((e) => e.name)).toEqual(["[Content_Types].xml", "xl/worksheets/sheet1.xml", "空.txt"]);
    expect(entries[0]!.text).toBe("<Types/>");
    const sheet = rows.join("");
    expect(Buffer.byteLength(sheet)).toBeGreaterThan(8 << 20);
    expect(entries[1]!.text).toBe(sheet);
    expect(entries[2]!.text).toBe("");
    for (const e of entries) {
      expect(e.crc).toBe(zlib.crc32(Buffer.from(e.text)) >>> 0);
      expect([e.time, e.date, e.method]).toEqual([time, date, 8]);
    }
    // The local headers carry the same time (the central directory is checked above).
    for (let i = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04])); i >= 0; i = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), i + 4)) {
      if (bytes.readUInt16LE(i + 26) > 64) continue; // a signature inside compressed data, not a header
      expect([bytes.readUInt16LE(i + 10), bytes.readUInt16LE(i + 12)]).toEqual([time, date]);
    }
  });

  it("keeps multi-byte text whole across chunk boundaries, and a single text longer than a chunk", async () => {
    const pieces = ["<a>", "户".repeat(100_000), "🙂𠀀".repeat(30_000), "</a>", ...Array.from({ length: 50_000 }, (_, i) => `<r>西岭${i}🙂</r>`)];
    const bytes = await zipBytes(async (zip) => {
      await zip.entry("a.xml", async (w) => {
        for (const p of pieces) await w.write(p);
      });
    });
    const [entry] = await readZip(bytes);
    expect(entry!.text).toBe(pieces.join(""));
    expect(entry!.crc).toBe(zlib.crc32(Buffer.from(pieces.join(""))) >>> 0);
  });

  it("gives the same bytes for the same entries and time", async () => {
    const write = async (zip: ZipWriter) => {
      await zip.entry("a.xml", async (w) => {
        for (let i = 0; i < 5000; i++) await w.write(`<x>${i}</x>`);
      });
    };
    expect((await zipBytes(write)).equals(await zipBytes(write))).toBe(true);
  });

  it("passes on an error thrown while an entry is produced", async () => {
    const out = new PassThrough();
    out.resume();
    const zip = new ZipWriter(out, new Date(0));
    await expect(
      zip.entry("a.xml", async (w) => {
        await w.write("<a>");
        throw new Error("row 5: no such household");
      }),
    ).rejects.toThrow("row 5: no such household");
  });

  it("stops with the output's error when the output fails", async () => {
    const out = new PassThrough({ highWaterMark: 16 });
    const zip = new ZipWriter(out, new Date(0));
    const writing = zip.entry("a.xml", async (w) => {
      for (let i = 0; i < 200_000; i++) await w.write(`<row r="${i}">${(i * 7919) % 100_003}</row>`);
    });
    setTimeout(() => out.destroy(new Error("ENOSPC: no space left on device")), 20);
    await expect(writing).rejects.toThrow("ENOSPC");
  });
});
