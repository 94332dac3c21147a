import { describe, expect, it } from "vitest";
import { evaluateIncomeDrop } from "../../src/rules/incomeDrop.js";
import { evaluateHousehold } from "../../src/rules/evaluate.js";
import { endingAt, history, P, series, settings } from "./builders.js";

/** 15 months 2025-08 … 2026-10: earlier = 2025-08 … 2025-10, recent = 2026-08 … 2026-10. */
function fifteen(earlier: number, recent: number, middle = 3000): (number | null)[] {
  return [earlier, earlier, earlier, ...Array(9).fill(middle), recent, recent, recent];
}

describe("income drop (rules.md §6)", () => {
  it.each([
    { case: "exactly halved", earlier: 1000, recent: 500, triggered: true, ratio: 0.5 },
    { case: "just below half", earlier: 1000, recent: 499.99, triggered: true, ratio: 1 - 1499.97 / 3000 },
    { case: "just above half", earlier: 1000, recent: 500.01, triggered: false, ratio: 1 - 1500.03 / 3000 },
    { case: "no drop", earlier: 1000, recent: 1000, triggered: false, ratio: 0 },
    { case: "income rose", earlier: 1000, recent: 1500, triggered: false, ratio: -0.5 },
  ])("$case → $triggered", ({ earlier, recent, triggered, ratio }) => {
    const r = evaluateIncomeDrop(series(endingAt(fifteen(earlier, recent))), 0.5, P);
    expect(r).toEqual({ recentSum: recent * 3, earlierSum: earlier * 3, ratio, triggered });
  });

  it("12 months of data: no earlier sum, no ratio, no trigger", () => {
    const r = evaluateIncomeDrop(series(endingAt(Array(12).fill(100))), 0.5, P);
    expect(r).toEqual({ recentSum: 300, earlierSum: undefined, ratio: undefined, triggered: false });
  });

  it.each([
    { case: "P − 14 missing", missing: 0 },
    { case: "P − 12 missing", missing: 2 },
    { case: "P − 1 missing", missing: 13 },
    { case: "P missing", missing: 14 },
  ])("$case: all six months need a record", ({ missing }) => {
    const nets = fifteen(1000, 100);
    nets[missing] = null;
    const r = evaluateIncomeDrop(series(endingAt(nets)), 0.5, P);
    expect(r.triggered).toBe(false);
    expect(r.ratio).toBe(undefined);
  });

  it("the months between (P − 11 … P − 3) are not needed", () => {
    const nets = [1000, 1000, 1000, ...Array(9).fill(null), 100, 100, 100];
    expect(evaluateIncomeDrop(series(endingAt(nets)), 0.5, P)).toEqual({ recentSum: 300, earlierSum: 3000, ratio: 0.9, triggered: true });
  });

  it("an earlier sum of 0 or less gives no ratio and no trigger", () => {
    const r = evaluateIncomeDrop(series(endingAt(fifteen(0, -100))), 0.5, P);
    expect(r).toEqual({ recentSum: -300, earlierSum: 0, ratio: undefined, triggered: false });
  });

  it("compares household net sums, not per-capita values", () => {
    // the household grew from 1 to 4 persons: per capita fell to a quarter, the household net did not change
    const rows = endingAt(fifteen(4000, 4000));
    for (const r of rows.slice(-3)) r.size = 4;
    const a = evaluateHousehold(history({ household: { size: 1 }, income: rows }), settings(), P);
    expect(a.incomeDropRatio).toBe(0);
    expect(a.triggers).not.toContain("INCOME_DROP");
  });

  it("the policy ratio is used: ratio 0.3 triggers at 70 %", () => {
    const r = evaluateIncomeDrop(series(endingAt(fifteen(1000, 700))), 0.3, P);
    expect(r.triggered).toBe(true);
  });
});
