import { describe, expect, it } from "vitest";
import { birthDateFromId, residentIdCheckChar, sexFromId, validateResidentId } from "../../src/audit/residentId.js";
import { buildIdNumber, daysInMonth } from "../../src/generate/idNumber.js";

describe("ID number check character (GB 11643, ISO 7064 MOD 11-2)", () => {
  it.each([
    ["11010519491231002", "X"], // the standard's own example
    ["44052418800101001", "4"],
    ["13043419900101123", "4"],
    ["62110219701224001", "7"], // values checked with an independent Python implementation
  ])("%s → %s", (first17, check) => {
    expect(residentIdCheckChar(first17)).toBe(check);
  });

  it("maps S mod 11 = 0…10 to 1 0 X 9 8 7 6 5 4 3 2", () => {
    // 17 digits "0…0d" at the last position (weight 2) give S = 2d; pick d to hit each remainder.
    const seen = new Map<number, string>();
    for (let a = 0; a <= 9; a++) {
      for (let b = 0; b <= 9; b++) {
        const first17 = "000000000000000" + a + b; // weights 4 and 2
        seen.set((4 * a + 2 * b) % 11, residentIdCheckChar(first17));
      }
    }
    expect([...seen.entries()].sort((p, q) => p[0] - q[0]).map(([, c]) => c).join("")).toBe("10X98765432");
  });
});

describe("buildIdNumber", () => {
  it("puts region, birth date and a sequence whose parity is the sex, then a valid check character", () => {
    const man = buildIdNumber("130137", "1990-01-01", 0, true);
    const woman = buildIdNumber("130137", "1990-01-01", 0, false);
    expect(man.slice(0, 17)).toBe("13013719900101001");
    expect(woman.slice(0, 17)).toBe("13013719900101002");
    // Read back with the audit's functions (Q001/Q007 judge the generated numbers with them).
    expect([validateResidentId(man), validateResidentId(woman)]).toEqual([{ valid: true }, { valid: true }]);
    expect([sexFromId(man), sexFromId(woman)]).toEqual(["男", "女"]);
    expect(birthDateFromId(man)).toEqual({ year: 1990, month: 1, day: 1 });
  });

  it.each([
    [0, true, "001"],
    [1, true, "003"],
    [499, true, "999"],
    [0, false, "002"],
    [499, false, "1000"],
  ])("sequence %i, male %s → digits 15–17 %s", (seq, male, digits) => {
    const id = buildIdNumber("130137", "2000-02-29", seq, male);
    expect(id.slice(14, 14 + digits.length)).toBe(digits);
  });
});

describe("generated numbers", () => {
  it("are 17 digits and a check character, never a lower-case x, valid for the audit over many draws", () => {
    for (let seq = 0; seq < 500; seq += 7) {
      for (const date of ["1949-12-31", "2000-02-29", "2026-10-01"]) {
        const id = buildIdNumber("110105", date, seq, seq % 2 === 0);
        expect(id).toMatch(/^\d{17}[\dX]$/);
        expect(validateResidentId(id)).toEqual({ valid: true });
      }
    }
  });
});

describe("daysInMonth", () => {
  it.each([
    [2024, 2, 29],
    [2025, 2, 28],
    [1900, 2, 28],
    [2000, 2, 29],
    [2026, 4, 30],
    [2026, 12, 31],
  ])("%i-%i has %i days", (y, m, d) => {
    expect(daysInMonth(y, m)).toBe(d);
  });
});
