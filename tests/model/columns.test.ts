import { describe, expect, it } from "vitest";
import { AsciiColumn, CodeColumn, DATE_SLOTS, Dictionary, dateSlot, dateSlotBytes } from "../../src/model/columns.js";

describe("dateSlot", () => {
  it("numbers every YYYY-MM-DD of years 1800–2199 (months 01–12, days 01–31) once, below DATE_SLOTS", () => {
    expect(dateSlot("1800-01-01")).toBe(0);
    expect(dateSlot("2199-12-31")).toBe(DATE_SLOTS - 1);
    const seen = new Set<number>();
    for (let y = 1990; y <= 1993; y++) {
      for (let m = 1; m <= 12; m++) {
        for (let d = 1; d <= 31; d++) {
          const t = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
          const slot = dateSlot(t);
          expect(dateSlotBytes(Buffer.from(`x${t}`), 1)).toBe(slot);
          seen.add(slot);
        }
      }
    }
    expect(seen.size).toBe(4 * 12 * 31);
  });

  it.each(["1799-12-31", "2200-01-01", "2026-13-01", "2026-00-10", "2026-01-32", "2026-01-00", "2026/01/01", "2026-1-011", "20260101", "2026-0a-01", "２０２６-01-01"])(
    "is −1 for %s",
    (t) => {
      expect(dateSlot(t)).toBe(-1);
    },
  );
});

describe("Dictionary", () => {
  it("gives one code per distinct value, dates and other texts alike, and back the value by its code", () => {
    const d = new Dictionary();
    const texts = ["户主", "1990-01-02", "配偶", "1990-01-02", "2026-13-01", "户主", ...Array.from({ length: 40 }, (_, i) => `v${i}`), "1990-01-03", "v3", "2026-13-01"];
    const codes = texts.map((t) => d.code(t));
    expect(codes.slice(0, 6)).toEqual([1, 2, 3, 2, 4, 1]);
    expect(codes.at(-2)).toBe(codes[6 + 3]);
    expect(codes.at(-1)).toBe(4);
    texts.forEach((t, i) => expect(d.values[codes[i]!]).toBe(t));
    expect(d.code(undefined)).toBe(0);
  });
});

describe("CodeColumn and AsciiColumn", () => {
  it("widen and grow without losing values", () => {
    const c = new CodeColumn(4);
    c.set(0, 7);
    c.set(1, 300);
    c.grow(8);
    c.set(7, 70_000);
    expect([c.get(0), c.get(1), c.get(7)]).toEqual([7, 300, 70_000]);
    const a = new AsciiColumn(2);
    a.set(0, "110105194912310021");
    a.set(1, "证件丢失");
    a.grow(4);
    a.setBytes(3, Buffer.from("0123456789012345678901"), 0, 22);
    expect([a.get(0), a.get(1), a.get(2), a.get(3)]).toEqual(["110105194912310021", "证件丢失", undefined, "0123456789012345678901"]);
  });
});

describe("latin1 and utf8 (model/bytes.ts)", () => {
  it("give what Buffer#toString gives for the same slice", async () => {
    const { latin1, utf8 } = await import("../../src/model/bytes.js");
    const b = Buffer.from("x110105194912310021,白井村,é😀,", "utf8");
    for (const [s, e] of [[1, 19], [20, 29], [0, b.length], [3, 3]] as const) {
      expect(latin1(b, s, e)).toBe(b.toString("latin1", s, e));
      expect(utf8(b, s, e)).toBe(b.toString("utf8", s, e));
    }
  });
});

describe("hashBytes", () => {
  it("is hashString of the bytes' text (so ID bytes and ID strings meet in one table)", async () => {
    const { hashBytes, hashString } = await import("../../src/model/idIndex.js");
    for (const t of ["110105194912310021", "11010519491231002x", "", "H-01"]) {
      const b = Buffer.from(`,${t},`, "latin1");
      expect(hashBytes(b, 1, 1 + t.length)).toBe(hashString(t));
    }
  });
});

describe("AsciiColumn.rowsWith", () => {
  it("visits exactly the rows holding a wanted text, in order: short, long, non-ASCII and near-miss texts alike", () => {
    const col = new AsciiColumn(16);
    const rows = ["110105194912310021", "1", "12345", "A-01", "证件丢失", "110105194912310021", "x".repeat(25), "210105194912310021", "110105194912310022", "", "12345"];
    rows.forEach((t, k) => {
      if (t === "") return;
      if (/^[\x21-\x7e]{1,18}$/.test(t)) col.setBytes(k, Buffer.from(`,${t},`), 1, 1 + t.length);
      else col.set(k, t);
    });
    const wanted = new Set(["110105194912310021", "12345", "证件丢失", "x".repeat(25), "1", "not there"]);
    const seen: [number, string][] = [];
    col.rowsWith(wanted, rows.length, (k, text) => void seen.push([k, text]) ?? false);
    expect(seen).toEqual([
      [0, "110105194912310021"],
      [1, "1"],
      [2, "12345"],
      [4, "证件丢失"],
      [5, "110105194912310021"],
      [6, "x".repeat(25)],
      [10, "12345"],
    ]);
  });

  it("finds 2,000 wanted numbers among 200,000 rows (the sieve lets every one through)", () => {
    const n = 200_000;
    const col = new AsciiColumn(n);
    const b = Buffer.alloc(18);
    for (let k = 0; k < n; k++) {
      b.write(`53062119${String(k).padStart(10, "0")}`, 0, "latin1");
      col.setBytes(k, b, 0, 18);
    }
    const wanted = new Set(Array.from({ length: 2000 }, (_, i) => `53062119${String(i * 97 + 13).padStart(10, "0")}`));
    const found: number[] = [];
    col.rowsWith(wanted, n, (k) => void found.push(k) ?? false);
    expect(found).toEqual(Array.from({ length: 2000 }, (_, i) => i * 97 + 13));
  });
});
