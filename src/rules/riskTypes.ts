/**
 * Risk types (rules.md §10), in the fixed order, de-duplicated.
 */
import { anyMemberHasLabour, hasSeriousIllness, membersKnownFor } from "./labour.js";
import type { HouseholdHistory, IncomeSeries, Lines, Trigger } from "./types.js";
import { indexOfMonth, lowerBound, windowStart } from "./window.js";

/**
 * Wage income fell: P has a record with a wage value (the row's table has a 工资性收入 column; a blank cell is 0)
 * and it is below half the mean wage over the recorded months of W that have a wage value. False otherwise.
 */
export function wageIncomeFell(income: IncomeSeries, period: number): boolean {
  const n = income.length;
  const iP = indexOfMonth(income.months, n, period);
  if (iP < 0) return false;
  const wageP = income.wage[iP]!;
  if (Number.isNaN(wageP)) return false;
  let sum = 0;
  let count = 0;
  for (let i = lowerBound(income.months, n, windowStart(period)); i <= iP; i++) {
    const w = income.wage[i]!;
    if (Number.isNaN(w)) continue;
    sum += w;
    count++;
  }
  return wageP < sum / count / 2;
}

/**
 * 风险类型, in this order: 因病 (MEDICAL, or a member 患有大病/长期慢性病 while STREAK or annualPc < L); 因学
 * (EDUCATION); 因自然灾害 (DISASTER); 因意外事故 (ACCIDENT); 缺劳动力 (members known, none has labour);
 * 因务工就业不稳 (STREAK or INCOME_DROP, some member has labour, and wage income fell); then the household's own
 * 致贫/返贫风险 values not already listed. No duplicates, no blanks.
 */
export function deriveRiskTypes(
  history: HouseholdHistory,
  triggers: readonly Trigger[],
  annualPc: number | undefined,
  lines: Lines,
  period: number,
): string[] {
  const streak = triggers.includes("STREAK");
  const drop = triggers.includes("INCOME_DROP");
  const out: string[] = [];
  const known = membersKnownFor(history);
  let ill = triggers.includes("MEDICAL");
  if (!ill && known && (streak || (annualPc !== undefined && annualPc < lines.annual))) {
    for (const m of history.members) {
      if (hasSeriousIllness(m)) {
        ill = true;
        break;
      }
    }
  }
  if (ill) out.push("因病");
  if (triggers.includes("EDUCATION")) out.push("因学");
  if (triggers.includes("DISASTER")) out.push("因自然灾害");
  if (triggers.includes("ACCIDENT")) out.push("因意外事故");
  const labour = known && anyMemberHasLabour(history);
  if (known && !labour) out.push("缺劳动力");
  if ((streak || drop) && labour && wageIncomeFell(history.income, period)) out.push("因务工就业不稳");
  for (const r of history.household.risks) {
    const t = r.trim();
    if (t !== "" && !out.includes(t)) out.push(t);
  }
  return out;
}
