import { describe, expect, it } from "vitest";
import { evaluateStreaks, hasStableIncome } from "../../src/rules/streaks.js";
import { mo, monthly, P, series } from "./builders.js";

// l = 500 (L = 6000), size 1 unless a row says otherwise; W = 2025-11 … 2026-10
const l = 500;

function streaks(from: string, nets: (number | null)[], size: number | null = 1) {
  return evaluateStreaks(series(monthly(from, nets)), size ?? undefined, l, P);
}

describe("streaks (rules.md §3)", () => {
  it.each([
    { case: "just below the line is low", pc: 499.99, current: 3 },
    { case: "at the line is not low (strictly less)", pc: 500, current: 0 },
    { case: "just above the line is not low", pc: 500.01, current: 0 },
  ])("$case", ({ pc, current }) => {
    expect(streaks("2026-08", [pc, pc, pc]).currentStreak).toBe(current);
  });

  it("three low months ending at P give currentStreak 3 and the streak months", () => {
    expect(streaks("2026-06", [600, 600, 400, 400, 400])).toEqual({
      currentStreak: 3,
      longestStreak: 3,
      streakFirst: mo("2026-08"),
      streakLast: mo("2026-10"),
    });
  });

  it("a missing month ends a streak", () => {
    // 2026-09 missing
    expect(streaks("2026-07", [400, 400, null, 400])).toEqual({
      currentStreak: 1,
      longestStreak: 2,
      streakFirst: mo("2026-07"),
      streakLast: mo("2026-08"),
    });
  });

  it("P without a record → currentStreak 0 (longest still counted)", () => {
    expect(streaks("2026-07", [400, 400, 400, null])).toEqual({
      currentStreak: 0,
      longestStreak: 3,
      streakFirst: mo("2026-07"),
      streakLast: mo("2026-09"),
    });
  });

  it("a month that is not low ends a streak", () => {
    expect(streaks("2026-07", [400, 400, 500, 400]).currentStreak).toBe(1);
  });

  it("of two equally long runs, the more recent one is the longest", () => {
    expect(streaks("2026-03", [400, 400, 600, 400, 400, 600, 600, 600])).toMatchObject({
      longestStreak: 2,
      streakFirst: mo("2026-06"),
      streakLast: mo("2026-07"),
    });
  });

  it("only months inside W count: at most 12", () => {
    const r = streaks("2025-01", Array(22).fill(100));
    expect(r).toEqual({ currentStreak: 12, longestStreak: 12, streakFirst: mo("2025-11"), streakLast: mo("2026-10") });
  });

  it("records after P are ignored", () => {
    expect(streaks("2026-08", [400, 400, 400, 900, 900])).toMatchObject({ currentStreak: 3, streakLast: mo("2026-10") });
  });

  it("per-capita uses the month's own 家庭人口数 when the row has one", () => {
    // 900 / 2 = 450 < 500 in 2026-10; 900 / 1 = 900 otherwise
    const s = series([
      { month: "2026-09", net: 900 },
      { month: "2026-10", net: 900, size: 2 },
    ]);
    expect(evaluateStreaks(s, 1, l, P).currentStreak).toBe(1);
  });

  it("no usable size: no streaks", () => {
    expect(streaks("2026-08", [100, 100, 100], null)).toEqual({
      currentStreak: 0,
      longestStreak: 0,
      streakFirst: undefined,
      streakLast: undefined,
    });
  });

  it("no low month: longestStreak 0 and no streak months", () => {
    expect(streaks("2026-08", [800, 800, 800])).toEqual({ currentStreak: 0, longestStreak: 0, streakFirst: undefined, streakLast: undefined });
  });
});

describe("stable income for elimination (rules.md §11)", () => {
  it.each([
    { case: "six months at the line", nets: [500, 500, 500, 500, 500, 500], stable: true },
    { case: "one month just below", nets: [500, 500, 499.99, 500, 500, 500], stable: false },
    { case: "one month missing", nets: [600, 600, null, 600, 600, 600], stable: false },
    { case: "P missing", nets: [600, 600, 600, 600, 600, null], stable: false },
  ])("$case → $stable", ({ nets, stable }) => {
    expect(hasStableIncome(series(monthly("2026-05", nets)), 1, l, P, 6)).toBe(stable);
  });

  it("only the last stableMonths months matter", () => {
    expect(hasStableIncome(series(monthly("2026-04", [100, 600, 600, 600, 600, 600, 600])), 1, l, P, 6)).toBe(true);
  });

  it("no usable size is never stable", () => {
    expect(hasStableIncome(series(monthly("2026-05", Array(6).fill(900))), undefined, l, P, 6)).toBe(false);
  });
});
