/**
 * Income drop (rules.md §6): household net of P − 2 … P against the same three months a year before.
 */
import type { IncomeSeries } from "./types.js";
import { indexOfMonth } from "./window.js";

/** The two three-month sums and the verdict. Sums are undefined unless all three of their months have records. */
export interface IncomeDrop {
  readonly recentSum: number | undefined;
  readonly earlierSum: number | undefined;
  /** 1 − recent / earlier when both sums exist and earlier > 0, else undefined. */
  readonly ratio: number | undefined;
  readonly triggered: boolean;
}

/** Σ net over `from` … `from + 2` when all three months have records, else undefined. */
function threeMonthSum(income: IncomeSeries, from: number): number | undefined {
  let i = indexOfMonth(income.months, income.length, from);
  if (i < 0) return undefined;
  let sum = 0;
  for (let m = from; m < from + 3; m++, i++) {
    if (i >= income.length || income.months[i] !== m) return undefined;
    sum += income.net[i]!;
  }
  return sum;
}

/**
 * INCOME_DROP ⇔ P − 2 … P and P − 14 … P − 12 all have records, the earlier sum is > 0, and
 * recent ≤ (1 − ratio) × earlier. Household net sums, not per-capita values.
 */
export function evaluateIncomeDrop(income: IncomeSeries, dropRatio: number, period: number): IncomeDrop {
  const recentSum = threeMonthSum(income, period - 2);
  const earlierSum = threeMonthSum(income, period - 14);
  if (recentSum === undefined || earlierSum === undefined || !(earlierSum > 0)) {
    return { recentSum, earlierSum, ratio: undefined, triggered: false };
  }
  return { recentSum, earlierSum, ratio: 1 - recentSum / earlierSum, triggered: recentSum <= (1 - dropRatio) * earlierSum };
}
