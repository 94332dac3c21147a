/**
 * Annual income (rules.md §4).
 */
import type { Household } from "../model/index.js";
import { monthSize } from "./size.js";
import type { IncomeSeries } from "./types.js";
import { lowerBound, windowStart } from "./window.js";

/** The annual per-capita net income of a household and where it came from. */
export interface AnnualIncome {
  /** Months of W with a record (0 when the household has no usable size). */
  readonly recorded: number;
  readonly annualPc: number | undefined;
  readonly source: "monthly" | "annual" | undefined;
}

/**
 * recorded = months of W with a record. When recorded ≥ `minMonthsForAnnual` (and ≥ 1):
 * annualPc = (Σ pc over those months) × 12 / recorded, source "monthly". Else the household's 人均纯收入
 * (source "annual") when present, else unknown. With no usable size (`size` undefined) recorded is 0 and only
 * 人均纯收入 can give annualPc.
 */
export function evaluateAnnualIncome(
  household: Household,
  income: IncomeSeries,
  size: number | undefined,
  minMonthsForAnnual: number,
  period: number,
): AnnualIncome {
  let recorded = 0;
  let sum = 0;
  if (size !== undefined) {
    const months = income.months;
    const n = income.length;
    for (let i = lowerBound(months, n, windowStart(period)); i < n && months[i]! <= period; i++) {
      recorded++;
      sum += income.net[i]! / monthSize(income, i, size)!;
    }
  }
  if (recorded > 0 && recorded >= minMonthsForAnnual) return { recorded, annualPc: (sum * 12) / recorded, source: "monthly" };
  const given = household.annualNetIncomePc;
  if (given !== undefined && Number.isFinite(given)) return { recorded, annualPc: given, source: "annual" };
  return { recorded, annualPc: undefined, source: undefined };
}
