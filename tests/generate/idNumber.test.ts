import { describe, expect, it } from "vitest";
import { buildIdNumber, daysInMonth, idBirthDate, idCheckCharacter, idSex, isValidIdNumber } from "../../src/generate/idNumber.js";

describe("ID number check character (GB 11643, ISO 7064 MOD 11-2)", () => {
  it.each([
    ["11010519491231002", "X"], // the standard's own example
    ["44052418800101001", "4"],
    ["13043419900101123", "4"],
    ["62110219701224001", "7"], // values checked with an independent Python implementation
  ])("%s → %s", (first17, check) => {
    expect(idCheckCharacter(first17)).toBe(check);
  });

  it("maps S mod 11 = 0…10 to 1 0 X 9 8 7 6 5 4 3 2", () => {
    // 17 digits "0…0d" at the last position (weight 2) give S = 2d; pick d to hit each remainder.
    const seen = new Map<number, string>();
    for (let a = 0; a <= 9; a++) {
      for (let b = 0; b <= 9; b++) {
        const first17 = "000000000000000" + a + b; // weights 4 and 2
        seen.set((4 * a + 2 * b) % 11, idCheckCharacter(first17));
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
    expect(isValidIdNumber(man)).toBe(true);
    expect(isValidIdNumber(woman)).toBe(true);
    expect(idSex(man)).toBe("男");
    expect(idSex(woman)).toBe("女");
    expect(idBirthDate(man)).toBe("1990-01-01");
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

describe("isValidIdNumber", () => {
  it.each([
    ["11010519491231002X", true],
    ["110105194912310021", false], // wrong check character
    ["11010519490231002X", false], // 1949-02-31 is not a date
    ["11010519491231002", false], // 17 characters
    ["130434900101123", false], // 15-digit legacy number
    ["11010519491231002x", false], // lower-case x is not what the generator writes
  ])("%s → %s", (id, valid) => {
    expect(isValidIdNumber(id)).toBe(valid);
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
