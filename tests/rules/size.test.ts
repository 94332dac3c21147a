import { describe, expect, it } from "vitest";
import { householdSize, monthSize } from "../../src/rules/size.js";
import { linesFor } from "../../src/rules/lines.js";
import { history, member, series, settings } from "./builders.js";

describe("household size (rules.md §1)", () => {
  it.each([
    { case: "家庭人口数 wins over members and income", size: 4, members: 2, incomeSizes: [5], expected: 4 },
    { case: "no 家庭人口数: the number of member rows", size: undefined, members: 3, incomeSizes: [5], expected: 3 },
    { case: "家庭人口数 0 is not usable: members", size: 0, members: 2, incomeSizes: [], expected: 2 },
    { case: "家庭人口数 2.5 is not usable: members", size: 2.5, members: 2, incomeSizes: [], expected: 2 },
    { case: "no size, no members: the latest income row's size", size: undefined, members: 0, incomeSizes: [3, 4, NaN], expected: 4 },
    { case: "no usable size anywhere", size: undefined, members: 0, incomeSizes: [NaN, NaN], expected: undefined },
    { case: "no size, no members, no income", size: undefined, members: 0, incomeSizes: [], expected: undefined },
  ])("$case → $expected", ({ size, members, incomeSizes, expected }) => {
    const h = history({
      household: { size },
      members: Array.from({ length: members }, () => member()),
      income: incomeSizes.map((s, k) => ({ month: `2026-0${k + 1}`, net: 100, size: s })),
    });
    expect(householdSize(h)).toBe(expected);
  });

  it("size(h, m) is the income row's 家庭人口数 when present, else size(h)", () => {
    const s = series([
      { month: "2026-01", net: 100, size: 5 },
      { month: "2026-02", net: 100 },
    ]);
    expect(monthSize(s, 0, 2)).toBe(5);
    expect(monthSize(s, 1, 2)).toBe(2);
    expect(monthSize(s, 1, undefined)).toBe(undefined);
  });
});

describe("lines for a household (rules.md §2)", () => {
  it("monthly line is L / 12 unrounded, Y = L × yellowFactor", () => {
    const lines = linesFor(settings({ monitoringLine: 6100, povertyLine: 4000, yellowFactor: 1.2 }));
    expect(lines.annual).toBe(6100);
    expect(lines.monthly).toBe(508.3333333333333); // unrounded: not 508.33
    expect(lines.poverty).toBe(4000);
    expect(lines.yellow).toBe(7320);
  });
});
