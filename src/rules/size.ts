/**
 * Household size (rules.md §1): size(h) for persons counts, FGT weights and householdAnnualNet, and size(h, m)
 * for the per-capita income of one month.
 */
import type { HouseholdHistory, IncomeSeries } from "./types.js";

/** True when `n` is a usable household size: a whole number ≥ 1. */
export function isUsableSize(n: number | undefined): n is number {
  return n !== undefined && Number.isInteger(n) && n >= 1;
}

/**
 * size(h): the household's 家庭人口数 when it is a whole number ≥ 1, else the number of member rows when > 0,
 * else the 家庭人口数 of the latest income row that has a usable one, else undefined (no usable size).
 */
export function householdSize(history: HouseholdHistory): number | undefined {
  const declared = history.household.size;
  if (isUsableSize(declared)) return declared;
  if (history.members.length > 0) return history.members.length;
  const income = history.income;
  for (let i = income.length - 1; i >= 0; i--) {
    const s = income.size[i]!;
    if (isUsableSize(s)) return s;
  }
  return undefined;
}

/**
 * size(h, m) of the income row at `index`: the row's 家庭人口数 when usable (NaN = absent), else `size`
 * (= size(h)); undefined when neither is usable.
 */
export function monthSize(income: IncomeSeries, index: number, size: number | undefined): number | undefined {
  const s = income.size[index]!;
  return isUsableSize(s) ? s : size;
}
