import { describe, expect, it } from "vitest";
import { IdCheck, birthDateFromId, checkIdNumber, classifyIdNumber, residentIdCheckChar, sexFromId, validateResidentId } from "../../src/audit/residentId.js";

describe("validateResidentId (GB 11643-1999, ISO 7064 MOD 11-2)", () => {
  it.each([
    ["11010519491231002X", "worked example with check character X"],
    ["440524188001010014", "worked example born 1880"],
    ["11010519491231002x", "lower-case x is accepted as X"],
    ["130434199001011234", "ordinary valid number"],
    [" 130434199001011234 ", "surrounding blanks are trimmed"],
    ["130434200002290015", "29 February of a leap year"],
  ])("%s is valid (%s)", (id) => {
    expect(validateResidentId(id)).toEqual({ valid: true });
  });

  it.each([
    ["110105194912310021", "X"],
    ["11010519491231003X", "8"],
    ["440524188001010015", "4"],
    ["440524188001010104", "2"],
    ["130434199001011235", "4"],
  ])("%s has a wrong check character (expected %s)", (id, expected) => {
    expect(validateResidentId(id)).toEqual({ valid: false, reason: "check_digit", expected });
  });

  it.each([
    ["110105194913310023", "month 13"],
    ["110105194902300027", "30 February"],
    ["130434190002290014", "29 February 1900 (not a leap year)"],
    ["110105170001010010", "year 1700"],
    ["110105194912000028", "day 00"],
  ])("%s has no real birth date inside (%s)", (id) => {
    expect(validateResidentId(id)).toEqual({ valid: false, reason: "birth_date" });
  });

  it.each(["", "11010519491231002", "1101051949123100211", "11010519491231002Y", "130434900101123", "1101051949123l002X"])(
    "%j does not have the 18-character shape",
    (id) => {
      expect(validateResidentId(id)).toEqual({ valid: false, reason: "shape" });
    },
  );
});

describe("residentIdCheckChar", () => {
  it.each([
    ["11010519491231002", "X"],
    ["44052418800101001", "4"],
    ["13043419900101123", "4"],
  ])("the 17 digits %s require %s", (first17, check) => {
    expect(residentIdCheckChar(first17)).toBe(check);
  });
});

describe("classifyIdNumber", () => {
  it.each([
    ["11010519491231002X", "resident"],
    ["110105194912310021", "resident"],
    ["130434900101123", "legacy15"],
    ["13043419900101123412", "other"],
    ["残20150001", "other"],
    ["无", "other"],
  ])("%s is %s", (id, shape) => {
    expect(classifyIdNumber(id)).toBe(shape);
  });
});

describe("birthDateFromId and sexFromId", () => {
  it("reads digits 7–14 of a resident ID", () => {
    expect(birthDateFromId("11010519491231002X")).toEqual({ year: 1949, month: 12, day: 31 });
  });
  it("reads 19YYMMDD from digits 7–12 of a legacy ID", () => {
    expect(birthDateFromId("130434900101123")).toEqual({ year: 1990, month: 1, day: 1 });
  });
  it("gives undefined for a date that does not exist", () => {
    expect(birthDateFromId("110105194913310023")).toBeUndefined();
  });
  it.each([
    ["130434199001011234", "男"],
    ["130434199202021244", "女"],
    ["130434900101123", "男"],
    ["130434900101124", "女"],
    ["残20150001", undefined],
  ])("%s encodes sex %s (odd male, even female)", (id, sex) => {
    expect(sexFromId(id)).toBe(sex);
  });
});

describe("checkIdNumber", () => {
  it("agrees with a regular-expression reference on 20,000 generated texts (shape, birth date, then check character)", () => {
    // An independent statement of GB 11643-1999 (classifyIdNumber and validateResidentId are built on checkIdNumber).
    const realDate = (y: number, m: number, d: number) => {
      const t = new Date(Date.UTC(y, m - 1, d));
      return y >= 1800 && y <= 2099 && t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
    };
    const reference = (t: string) => {
      if (/^\d{15}$/.test(t)) return IdCheck.Legacy15;
      if (!/^\d{17}[\dXx]$/.test(t)) return IdCheck.Other;
      if (!realDate(Number(t.slice(6, 10)), Number(t.slice(10, 12)), Number(t.slice(12, 14)))) return IdCheck.BirthDate;
      const sum = [...t.slice(0, 17)].reduce((acc, c, i) => acc + Number(c) * [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2][i]!, 0);
      return "10X98765432"[sum % 11] === t[17]!.toUpperCase() ? IdCheck.Valid : IdCheck.CheckDigit;
    };
    let s = 7;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(rand() * 10))).join("");
    const seen = new Set<number>();
    for (let i = 0; i < 20_000; i++) {
      const first17 = `${digits(6)}${1790 + Math.floor(rand() * 320)}${String(1 + Math.floor(rand() * 13)).padStart(2, "0")}${String(Math.floor(rand() * 32)).padStart(2, "0")}${digits(3)}`;
      const right = residentIdCheckChar(first17);
      const pick = rand();
      const t =
        pick < 0.4 ? first17 + right
        : pick < 0.5 ? first17 + (right === "X" ? "x" : right)
        : pick < 0.7 ? first17 + "0123456789X"[Math.floor(rand() * 11)]
        : pick < 0.8 ? digits(15)
        : pick < 0.9 ? first17 + "Y"
        : [digits(14), `${digits(16)}a${digits(1)}`, "", "无", `${first17.slice(0, 16)}-${right}`, digits(19)][Math.floor(rand() * 6)]!;
      const expected = reference(t);
      expect(checkIdNumber(t), t).toBe(expected);
      expect(classifyIdNumber(t)).toBe(expected <= IdCheck.CheckDigit ? "resident" : expected === IdCheck.Legacy15 ? "legacy15" : "other");
      seen.add(expected);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
