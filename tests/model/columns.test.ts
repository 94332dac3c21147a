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
