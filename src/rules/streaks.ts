/**
 * Income streaks, the three-month rule (rules.md §3).
 */
import { monthSize } from "./size.js";
import type { IncomeSeries } from "./types.js";
import { lowerBound, windowStart } from "./window.js";

/** Streaks of low months inside W. */
export interface StreakResult {
  /** Consecutive low months ending at P (0 when P has no record or is not low); at most 12. */
  readonly currentStreak: number;
  /** Longest run of consecutive low months inside W. */
  readonly longestStreak: number;
  /** First and last month of the longest run (of equally long runs, the more recent); undefined when none. */
  readonly streakFirst: number | undefined;
  readonly streakLast: number | undefined;
}

const NO_STREAK: StreakResult = { currentStreak: 0, longestStreak: 0, streakFirst: undefined, streakLast: undefined };

/**
 * Streaks of low(h, m) ⇔ m has a record and net / size(h, m) < `monthlyLine` (strictly), over W = P − 11 … P.
 * A missing month ends a run. `size` is size(h); with no usable size there are no pc values and no streaks.
 */
export function evaluateStreaks(
  income: IncomeSeries,
  size: number | undefined,
  monthlyLine: number,
  period: number,
): StreakResult {
  if (size === undefined) return NO_STREAK;
  const months = income.months;
  const n = income.length;
  let run = 0;
  let runStart = 0;
  let lastLow = -Infinity;
  let longest = 0;
  let first: number | undefined;
  let last: number | undefined;
  for (let i = lowerBound(months, n, windowStart(period)); i < n; i++) {
    const m = months[i]!;
    if (m > period) break;
    const pc = income.net[i]! / monthSize(income, i, size)!;
    if (pc < monthlyLine) {
      if (run > 0 && m === lastLow + 1) run++;
      else {
        run = 1;
        runStart = m;
      }
      lastLow = m;
      // ≥: of equally long runs, the later one wins
      if (run >= longest) {
        longest = run;
        first = runStart;
        last = m;
      }
    } else run = 0;
  }
  if (longest === 0) return NO_STREAK;
  const current = run > 0 && lastLow === period ? run : 0;
  return { currentStreak: current, longestStreak: longest, streakFirst: first, streakLast: last };
}

/**
 * True when each of the `count` months P − count + 1 … P has a record with net / size(h, m) ≥ `monthlyLine`
 * (the elimination rule's stable income, rules.md §11). False with no usable size; true when count ≤ 0.
 */
export function hasStableIncome(
  income: IncomeSeries,
  size: number | undefined,
  monthlyLine: number,
  period: number,
  count: number,
): boolean {
  if (count <= 0) return true;
  if (size === undefined) return false;
  const months = income.months;
  const n = income.length;
  const from = period - count + 1;
  let i = lowerBound(months, n, from);
  for (let m = from; m <= period; m++, i++) {
    if (i >= n || months[i] !== m) return false;
    if (!(income.net[i]! / monthSize(income, i, size)! >= monthlyLine)) return false;
  }
  return true;
}
