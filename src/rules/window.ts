/**
 * Month windows over an IncomeSeries (months ascending, one record per month). No allocation.
 */

/** Number of months in the window W (rules.md: the 12 months ending at P). */
export const WINDOW_MONTHS = 12;

/** First month of W for period P: P − 11. */
export function windowStart(period: number): number {
  return period - (WINDOW_MONTHS - 1);
}

/** Index of the first record with month ≥ `month` (= `months.length` when none), by binary search. */
export function lowerBound(months: ArrayLike<number>, length: number, month: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (months[mid]! < month) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the record of `month`, or −1 when that month has no record. */
export function indexOfMonth(months: ArrayLike<number>, length: number, month: number): number {
  const i = lowerBound(months, length, month);
  return i < length && months[i] === month ? i : -1;
}
