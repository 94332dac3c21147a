/**
 * evaluateHousehold: every monitoring rule (rules.md §1–§12) over one household's history, for period P.
 * Called once per household for up to 10 million households: loops over the typed arrays of the income series,
 * allocates only the result and a few small arrays.
 */
import type { PolicySettings } from "../policy/types.js";
import { evaluateAnnualIncome } from "./annual.js";
import { riskColor, riskGrade, suggestCategory } from "./classify.js";
import { buildExplanation } from "./explanation.js";
import { evaluateIncomeDrop, type IncomeDrop } from "./incomeDrop.js";
import { isNoLabourHousehold } from "./labour.js";
import { linesFor } from "./lines.js";
import { evaluateRigidExpenses } from "./rigid.js";
import { deriveRiskTypes } from "./riskTypes.js";
import { householdSize } from "./size.js";
import { categoryChangeNote, eliminationBlockers, isCurrentlyMonitored, monitoringStatus } from "./status.js";
import { evaluateStreaks, hasStableIncome } from "./streaks.js";
import type { Assessment, HouseholdHistory, IncomeSeries, Trigger } from "./types.js";
import { indexOfMonth } from "./window.js";

const NO_DROP: IncomeDrop = { recentSum: undefined, earlierSum: undefined, ratio: undefined, triggered: false };
const NO_BLOCKERS: readonly string[] = [];
const NO_RISK_TYPES: readonly string[] = [];

/** True when one of P − 2 … P has no income record (data quality). */
export function hasMissingRecentMonths(income: IncomeSeries, period: number): boolean {
  const i = indexOfMonth(income.months, income.length, period - 2);
  return i < 0 || i + 2 >= income.length || income.months[i + 1] !== period - 1 || income.months[i + 2] !== period;
}

/**
 * The rules' verdict on one household for period P under its resolved policy `settings` (overrides applied).
 * Pure: the same history, settings and period always give the same Assessment.
 */
export function evaluateHousehold(history: HouseholdHistory, settings: PolicySettings, period: number): Assessment {
  const { household, income } = history;
  const size = householdSize(history);
  const lines = linesFor(settings);

  const streaks = evaluateStreaks(income, size, lines.monthly, period);
  const annual = evaluateAnnualIncome(household, income, size, settings.minMonthsForAnnual, period);
  const annualPc = annual.annualPc;
  const householdAnnualNet = annualPc !== undefined && annualPc > 0 && size !== undefined ? annualPc * size : undefined;
  const rigid = evaluateRigidExpenses(household, history.events, settings, period, householdAnnualNet);
  // income drop needs a usable size too (rules.md §1: such a household is left out of the income rules)
  const drop = size === undefined ? NO_DROP : evaluateIncomeDrop(income, settings.incomeDrop.ratio, period);

  const triggers: Trigger[] = [];
  if (streaks.currentStreak > 0 && streaks.currentStreak >= settings.streakMonths) triggers.push("STREAK");
  if (rigid.medicalBasis !== undefined) triggers.push("MEDICAL");
  if (rigid.educationBasis !== undefined) triggers.push("EDUCATION");
  if (rigid.disasterBasis !== undefined) triggers.push("DISASTER");
  if (rigid.accidentBasis !== undefined) triggers.push("ACCIDENT");
  if (drop.triggered) triggers.push("INCOME_DROP");

  const suggestedCategory = suggestCategory(annualPc, lines, household.householdType, triggers);
  const color = riskColor(annualPc, lines, triggers);
  const currentlyMonitored = isCurrentlyMonitored(household);
  const currentCategory = currentlyMonitored ? household.monitoringCategory!.trim() : undefined;

  let blockers = NO_BLOCKERS;
  if (suggestedCategory === undefined && currentlyMonitored) {
    const e = settings.elimination;
    blockers = eliminationBlockers({
      stableIncome: hasStableIncome(income, size, lines.monthly, period, e.stableMonths),
      stableMonths: e.stableMonths,
      annualPc,
      lines,
      triggers,
      identifiedMonth: household.identifiedMonth,
      minMonitoredMonths: e.minMonitoredMonths,
      period,
      noLabourHousehold: isNoLabourHousehold(history),
    });
  }
  const status = monitoringStatus(suggestedCategory, currentlyMonitored, blockers);
  const categoryChange = status === "continuing" ? categoryChangeNote(currentCategory, suggestedCategory) : undefined;

  const explanation = buildExplanation({
    status,
    period,
    lines,
    settings,
    annualPc,
    annualSource: annual.source,
    triggers,
    currentStreak: streaks.currentStreak,
    rigid,
    householdAnnualNet,
    incomeDrop: drop,
    categoryChange,
    eliminationBlockers: blockers,
    identifiedMonth: household.identifiedMonth,
  });

  return {
    householdId: household.id,
    size,
    lines,
    currentStreak: streaks.currentStreak,
    longestStreak: streaks.longestStreak,
    streakFirst: streaks.streakFirst,
    streakLast: streaks.streakLast,
    recorded: annual.recorded,
    annualPc,
    annualSource: annual.source,
    medicalSelfPaid: rigid.medical,
    educationExpense: rigid.education,
    disasterLoss: rigid.disaster,
    accidentLoss: rigid.accident,
    rigidExpenseTotal: rigid.medical + rigid.education + rigid.disaster + rigid.accident,
    incomeDropRatio: drop.ratio,
    triggers,
    suggestedCategory,
    color,
    grade: riskGrade(color, household.householdType),
    // Like the explanation, only for a listed household: nothing reports the risk types of the others.
    riskTypes: status === undefined ? NO_RISK_TYPES : deriveRiskTypes(history, triggers, annualPc, lines, period),
    currentlyMonitored,
    currentCategory,
    status,
    categoryChange,
    eliminationBlockers: blockers,
    explanation,
    noUsableSize: size === undefined,
    insufficientIncome: annualPc === undefined,
    missingRecentMonths: hasMissingRecentMonths(income, period),
  };
}
