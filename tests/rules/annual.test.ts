import { describe, expect, it } from "vitest";
import { evaluateAnnualIncome } from "../../src/rules/annual.js";
import { endingAt, household, monthly, P, series } from "./builders.js";

describe("annual income (rules.md §4)", () => {
  it.each([
    { case: "12 months", nets: Array(12).fill(500), recorded: 12, annualPc: 6000 },
    { case: "3 months (the minimum) annualised × 12 / 3", nets: [400, 500, 600], recorded: 3, annualPc: 6000 },
    { case: "uneven months", nets: [100, 200, 300, 400], recorded: 4, annualPc: 3000 },
  ])("$case → annualPc $annualPc from monthly data", ({ nets, recorded, annualPc }) => {
    const s = series(endingAt(nets));
    expect(evaluateAnnualIncome(household(), s, 1, 3, P)).toEqual({ recorded, annualPc, source: "monthly" });
  });

  it("per-capita months are summed: net / size(h, m)", () => {
    const s = series([
      { month: "2026-08", net: 1200, size: 2 },
      { month: "2026-09", net: 1200 },
      { month: "2026-10", net: 1200, size: 4 },
    ]);
    // size(h) = 3: (600 + 400 + 300) × 12 / 3
    expect(evaluateAnnualIncome(household(), s, 3, 3, P).annualPc).toBe(5200);
  });

  it("months outside W are not counted", () => {
    // 2025-08 … 2025-10 lie before W = 2025-11 … 2026-10; 2026-11 lies after it
    const s = series([...monthly("2025-08", [9000, 9000, 9000]), ...monthly("2026-08", [300, 300, 300, 9000])]);
    expect(evaluateAnnualIncome(household(), s, 1, 3, P)).toEqual({ recorded: 3, annualPc: 3600, source: "monthly" });
  });

  it("fewer than minMonthsForAnnual records: 人均纯收入 of the households data (source annual)", () => {
    const s = series(monthly("2026-09", [100, 100]));
    expect(evaluateAnnualIncome(household({ annualNetIncomePc: 7000 }), s, 1, 3, P)).toEqual({ recorded: 2, annualPc: 7000, source: "annual" });
  });

  it("fewer than minMonthsForAnnual records and no 人均纯收入: unknown", () => {
    const s = series(monthly("2026-09", [100, 100]));
    expect(evaluateAnnualIncome(household(), s, 1, 3, P)).toEqual({ recorded: 2, annualPc: undefined, source: undefined });
  });

  it("no usable size: recorded 0 and annualPc from 人均纯收入", () => {
    const s = series(monthly("2026-01", Array(10).fill(100)));
    expect(evaluateAnnualIncome(household({ annualNetIncomePc: 5000 }), s, undefined, 3, P)).toEqual({
      recorded: 0,
      annualPc: 5000,
      source: "annual",
    });
  });

  it("minMonthsForAnnual 0 with no records does not divide by zero", () => {
    expect(evaluateAnnualIncome(household(), series([]), 1, 0, P)).toEqual({ recorded: 0, annualPc: undefined, source: undefined });
  });
});
