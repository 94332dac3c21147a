/**
 * Rigid-expenditure triggers (rules.md §5): MEDICAL, EDUCATION, DISASTER, ACCIDENT.
 */
import type { DepartmentEvent, Household } from "../model/index.js";
import type { PolicySettings } from "../policy/types.js";
import { windowStart } from "./window.js";

/** Which test made a rigid-expenditure trigger hold: its own amount, the income share, or neither. */
export type RigidBasis = "amount" | "incomeShare" | undefined;

/** The sums over W the rule used, and which triggers hold. */
export interface RigidExpenses {
  /** Medical self-paid over W (or the household's 合规自付支出 when no medical event is dated in W). */
  readonly medical: number;
  /** "events": summed from events in W; "compliant": 合规自付支出; undefined: neither (sum 0). */
  readonly medicalSource: "events" | "compliant" | undefined;
  readonly education: number;
  readonly disaster: number;
  readonly accident: number;
  readonly medicalBasis: RigidBasis;
  readonly educationBasis: RigidBasis;
  readonly disasterBasis: RigidBasis;
  readonly accidentBasis: RigidBasis;
}

/**
 * Whether a sum triggers: it must be > 0 and either ≥ `amount` or ≥ `incomeShare` × `householdAnnualNet`
 * (the latter only when householdAnnualNet is known and > 0). Returns the test that held ("amount" first).
 */
export function rigidBasis(sum: number, amount: number, incomeShare: number, householdAnnualNet: number | undefined): RigidBasis {
  if (!(sum > 0)) return undefined;
  if (sum >= amount) return "amount";
  if (householdAnnualNet !== undefined && householdAnnualNet > 0 && sum >= incomeShare * householdAnnualNet) return "incomeShare";
  return undefined;
}

/**
 * Sums the household's events dated inside W (P − 11 … P) by type (医疗, 教育, 灾害, 意外事故; other types
 * count for nothing) and applies the two-pronged test of each. `householdAnnualNet` = annualPc × size(h),
 * undefined when unknown.
 */
export function evaluateRigidExpenses(
  household: Household,
  events: readonly DepartmentEvent[],
  settings: PolicySettings,
  period: number,
  householdAnnualNet: number | undefined,
): RigidExpenses {
  const from = windowStart(period);
  let medical = 0;
  let education = 0;
  let disaster = 0;
  let accident = 0;
  let medicalEvents = false;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.month < from || e.month > period) continue;
    switch (e.eventType) {
      case "医疗":
        medical += e.amount;
        medicalEvents = true;
        break;
      case "教育":
        education += e.amount;
        break;
      case "灾害":
        disaster += e.amount;
        break;
      case "意外事故":
        accident += e.amount;
        break;
    }
  }
  let medicalSource: RigidExpenses["medicalSource"] = medicalEvents ? "events" : undefined;
  if (!medicalEvents && household.compliantSelfPaid !== undefined && Number.isFinite(household.compliantSelfPaid)) {
    medical = household.compliantSelfPaid;
    medicalSource = "compliant";
  }
  const r = settings.rigidExpense;
  return {
    medical,
    medicalSource,
    education,
    disaster,
    accident,
    medicalBasis: rigidBasis(medical, r.medical, r.incomeShare, householdAnnualNet),
    educationBasis: rigidBasis(education, r.education, r.incomeShare, householdAnnualNet),
    disasterBasis: rigidBasis(disaster, r.disaster, r.incomeShare, householdAnnualNet),
    accidentBasis: rigidBasis(accident, r.accident, r.incomeShare, householdAnnualNet),
  };
}
