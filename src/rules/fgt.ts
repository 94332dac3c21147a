/**
 * Foster–Greer–Thorbecke poverty indices (rules.md §13), accumulated household by household so that a
 * province-sized scan never holds all incomes in memory. The caller keeps one accumulator per group and line
 * (overall, per county, per township; at z = the household's own L and at z = V).
 */

/** FGT indices of one group. `persons` = Σ weights added; p0, p1, p2 are 0 when persons is 0 (no data). */
export interface FgtResult {
  /** Headcount ratio: share of persons with annualPc < z. */
  readonly p0: number;
  /** Poverty gap index: person-weighted mean of max(0, (z − annualPc) / z). */
  readonly p1: number;
  /** Squared poverty gap index: person-weighted mean of max(0, (z − annualPc) / z)². */
  readonly p2: number;
  readonly persons: number;
}

/** An FGT accumulator: `add` once per household, `result` at the end (may be called at any time, repeatedly). */
export interface FgtAccumulator {
  /**
   * Adds one household with annual per-capita income `annualPc`, poverty line `line` (z) and weight
   * `weight` (its size, i.e. persons). Households with unknown income (undefined/NaN), a weight that is not
   * a positive finite number, or a line that is not > 0 are ignored.
   */
  add(annualPc: number | undefined, line: number, weight: number | undefined): void;
  result(): FgtResult;
}

/** A new, empty FGT accumulator. Same definitions as R convey::svyfgt with g = 0, 1, 2 and unit weights per person. */
export function createFgtAccumulator(): FgtAccumulator {
  let persons = 0;
  let poor = 0;
  let gap = 0;
  let gap2 = 0;
  return {
    add(annualPc, line, weight) {
      if (annualPc === undefined || !Number.isFinite(annualPc)) return;
      if (weight === undefined || !(weight > 0) || !Number.isFinite(weight)) return;
      if (!(line > 0) || !Number.isFinite(line)) return;
      persons += weight;
      if (annualPc < line) {
        const g = (line - annualPc) / line;
        poor += weight;
        gap += weight * g;
        gap2 += weight * g * g;
      }
    },
    result() {
      if (persons === 0) return { p0: 0, p1: 0, p2: 0, persons: 0 };
      return { p0: poor / persons, p1: gap / persons, p2: gap2 / persons, persons };
    },
  };
}
