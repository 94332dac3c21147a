/**
 * Builders for report tests: a household and an assessment with neutral defaults, overridden per test.
 */
import type { Household } from "../../src/model/index.js";
import { monthOf } from "../../src/model/month.js";
import type { Policy } from "../../src/policy/types.js";
import type { Assessment } from "../../src/rules/types.js";

export const P = monthOf(2026, 10);

export function household(over: Partial<Household> & { id: string }): Household {
  return { risks: [], source: { file: "hh.csv", sheet: "", row: 2 }, ...over };
}

export function assessment(over: Partial<Assessment> = {}): Assessment {
  return {
    householdId: "x",
    size: 3,
    lines: { annual: 6000, monthly: 500, poverty: 4000, yellow: 7200 },
    currentStreak: 0,
    longestStreak: 0,
    streakFirst: undefined,
    streakLast: undefined,
    recorded: 12,
    annualPc: 9000,
    annualSource: "monthly",
    medicalSelfPaid: 0,
    educationExpense: 0,
    disasterLoss: 0,
    accidentLoss: 0,
    rigidExpenseTotal: 0,
    incomeDropRatio: undefined,
    triggers: [],
    suggestedCategory: undefined,
    color: "green",
    grade: "稳定",
    riskTypes: [],
    currentlyMonitored: false,
    currentCategory: undefined,
    status: undefined,
    categoryChange: undefined,
    eliminationBlockers: [],
    explanation: "",
    noUsableSize: false,
    insufficientIncome: false,
    missingRecentMonths: false,
    ...over,
  };
}

export const POLICY: Policy = {
  name: "测试省 2026",
  builtIn: false,
  povertyLine: 4000,
  monitoringLine: 6000,
  yellowFactor: 1.2,
  streakMonths: 3,
  minMonthsForAnnual: 3,
  incomeDrop: { ratio: 0.5 },
  rigidExpense: { medical: 10000, education: 10000, disaster: 10000, accident: 10000, incomeShare: 0.5 },
  elimination: { stableMonths: 6, minMonitoredMonths: 6 },
  overrides: [
    {
      index: 0,
      where: { county: "甲县" },
      from: monthOf(2026, 1),
      source: "测农办〔2026〕1号",
      settings: { monitoringLine: 6500 },
      rank: 3,
      prefixLength: 0,
    },
  ],
};
