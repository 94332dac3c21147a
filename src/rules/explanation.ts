/**
 * The one-sentence Chinese explanation of a listed household (rules.md §12): one clause per piece of evidence,
 * joined with `；`, no final full stop.
 */
import { formatMonth } from "../model/month.js";
import type { PolicySettings } from "../policy/types.js";
import { formatPercent, formatYuan } from "./format.js";
import type { IncomeDrop } from "./incomeDrop.js";
import type { RigidBasis, RigidExpenses } from "./rigid.js";
import type { Lines, Status, Trigger } from "./types.js";

/** Everything the explanation is built from. */
export interface ExplanationEvidence {
  readonly status: Status | undefined;
  readonly period: number;
  readonly lines: Lines;
  readonly settings: PolicySettings;
  readonly annualPc: number | undefined;
  readonly annualSource: "monthly" | "annual" | undefined;
  readonly triggers: readonly Trigger[];
  readonly currentStreak: number;
  readonly rigid: RigidExpenses;
  /** annualPc × size(h) when known and > 0 (the base of the income-share test). */
  readonly householdAnnualNet: number | undefined;
  readonly incomeDrop: IncomeDrop;
  readonly categoryChange: string | undefined;
  readonly eliminationBlockers: readonly string[];
  readonly identifiedMonth: number | undefined;
}

function yuan(amount: number): string {
  return `${formatYuan(amount)}元`;
}

function rigidClause(label: string, sum: number, basis: RigidBasis, amount: number, e: ExplanationEvidence): string {
  const why =
    basis === "amount"
      ? `标准${yuan(amount)}`
      : `达到家庭年纯收入${yuan(e.householdAnnualNet ?? 0)}的${formatPercent(e.settings.rigidExpense.incomeShare)}`;
  return `${label}${yuan(sum)}（${why}）`;
}

/**
 * The explanation sentence, clauses in this order: annual income below the line (and below the poverty line);
 * the current streak; each rigid-expenditure trigger (MEDICAL, EDUCATION, DISASTER, ACCIDENT) with its sum and the
 * test it passed; the income drop; the category change note; for 建议消除 the evidence that elimination is
 * possible; for a continuing household without a suggested category the blockers. "" when not listed.
 * Example: `2026-08至2026-10连续3个月人均纯收入低于月监测标准500.00元；近12个月医疗自付12,400.00元（标准10,000.00元）`.
 */
export function buildExplanation(e: ExplanationEvidence): string {
  if (e.status === undefined) return "";
  const clauses: string[] = [];
  const { lines, period } = e;
  const annualLabel = e.annualSource === "monthly" ? "年化人均纯收入" : "年人均纯收入";
  if (e.annualPc !== undefined && e.annualPc < lines.annual) {
    const poverty = e.annualPc < lines.poverty ? `（低于贫困线${yuan(lines.poverty)}）` : "";
    clauses.push(`${annualLabel}${yuan(e.annualPc)}低于年监测标准${yuan(lines.annual)}${poverty}`);
  }
  const has = (t: Trigger) => e.triggers.includes(t);
  if (has("STREAK")) {
    const from = formatMonth(period - e.currentStreak + 1);
    clauses.push(`${from}至${formatMonth(period)}连续${e.currentStreak}个月人均纯收入低于月监测标准${yuan(lines.monthly)}`);
  }
  const r = e.rigid;
  const amounts = e.settings.rigidExpense;
  if (has("MEDICAL")) {
    const label = r.medicalSource === "compliant" ? "合规自付支出" : "近12个月医疗自付";
    clauses.push(rigidClause(label, r.medical, r.medicalBasis, amounts.medical, e));
  }
  if (has("EDUCATION")) clauses.push(rigidClause("近12个月教育支出", r.education, r.educationBasis, amounts.education, e));
  if (has("DISASTER")) clauses.push(rigidClause("近12个月灾害损失", r.disaster, r.disasterBasis, amounts.disaster, e));
  if (has("ACCIDENT")) clauses.push(rigidClause("近12个月意外事故损失", r.accident, r.accidentBasis, amounts.accident, e));
  const d = e.incomeDrop;
  if (has("INCOME_DROP") && d.recentSum !== undefined && d.earlierSum !== undefined && d.ratio !== undefined) {
    clauses.push(
      `${formatMonth(period - 2)}至${formatMonth(period)}家庭纯收入${yuan(d.recentSum)}，较上年同期${yuan(d.earlierSum)}下降${formatPercent(d.ratio)}`,
    );
  }
  if (e.categoryChange !== undefined) clauses.push(e.categoryChange);
  if (e.status === "suggest_elimination") {
    const stable = e.settings.elimination.stableMonths;
    if (stable > 0) clauses.push(`近${stable}个月人均纯收入均不低于月监测标准${yuan(lines.monthly)}`);
    if (e.annualPc !== undefined) clauses.push(`${annualLabel}${yuan(e.annualPc)}不低于年监测标准${yuan(lines.annual)}`);
    if (e.identifiedMonth !== undefined) clauses.push(`自${formatMonth(e.identifiedMonth)}起已监测${period - e.identifiedMonth}个月`);
    clauses.push("建议消除风险");
  } else if (e.eliminationBlockers.length > 0) {
    clauses.push(`暂不符合风险消除条件：${e.eliminationBlockers.join("、")}`);
  }
  return clauses.join("；");
}
