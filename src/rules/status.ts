/**
 * Monitoring status (rules.md §11): new, continuing, suggest elimination; the category change note and the
 * reasons elimination is not yet possible.
 */
import type { Household } from "../model/index.js";
import type { Lines, Status, Trigger } from "./types.js";

/** currentlyMonitored(h) ⇔ 监测对象类别 is non-empty and 风险是否已消除 is not 是. */
export function isCurrentlyMonitored(household: Household): boolean {
  const c = household.monitoringCategory;
  return c !== undefined && c.trim() !== "" && household.riskEliminated !== true;
}

/** What the elimination rule looks at, already computed. */
export interface EliminationEvidence {
  /** The last `stableMonths` months all have records with pc ≥ l. */
  readonly stableIncome: boolean;
  readonly stableMonths: number;
  readonly annualPc: number | undefined;
  readonly lines: Lines;
  readonly triggers: readonly Trigger[];
  /** 识别监测时间 (month integer), undefined when unknown. */
  readonly identifiedMonth: number | undefined;
  readonly minMonitoredMonths: number;
  readonly period: number;
  readonly noLabourHousehold: boolean;
}

/** The reason texts, one per blocking condition (two wordings where the condition can fail in two ways). */
export const BLOCKER = {
  unstable: (months: number) => `收入稳定不足${months}个月`,
  annualUnknown: "年人均纯收入未知",
  annualBelowLine: "年人均纯收入低于监测标准",
  riskSignal: "存在刚性支出或收入骤减预警",
  identifiedUnknown: "识别监测时间未知",
  monitoredTooShort: (months: number) => `监测不足${months}个月`,
  noLabour: "无劳动能力户暂不消除",
} as const;

/**
 * Why a monitored household cannot yet be eliminated, in this order: income not stable for stableMonths;
 * annualPc unknown or below L; a rigid-expenditure trigger or INCOME_DROP; 识别监测时间 unknown or
 * P − 识别监测时间 < minMonitoredMonths; a no-labour household. Empty ⇔ elimination may be suggested.
 */
export function eliminationBlockers(e: EliminationEvidence): string[] {
  const out: string[] = [];
  if (!e.stableIncome) out.push(BLOCKER.unstable(e.stableMonths));
  if (e.annualPc === undefined) out.push(BLOCKER.annualUnknown);
  else if (!(e.annualPc >= e.lines.annual)) out.push(BLOCKER.annualBelowLine);
  if (e.triggers.some((t) => t !== "STREAK")) out.push(BLOCKER.riskSignal);
  if (e.identifiedMonth === undefined) out.push(BLOCKER.identifiedUnknown);
  else if (e.period - e.identifiedMonth < e.minMonitoredMonths) out.push(BLOCKER.monitoredTooShort(e.minMonitoredMonths));
  if (e.noLabourHousehold) out.push(BLOCKER.noLabour);
  return out;
}

/**
 * 状态: a suggested category → new (not currently monitored) or continuing; no suggested category and
 * currently monitored → suggest_elimination when there are no blockers, else continuing; otherwise not listed.
 */
export function monitoringStatus(
  suggestedCategory: string | undefined,
  currentlyMonitored: boolean,
  blockers: readonly string[],
): Status | undefined {
  if (suggestedCategory !== undefined) return currentlyMonitored ? "continuing" : "new";
  if (!currentlyMonitored) return undefined;
  return blockers.length === 0 ? "suggest_elimination" : "continuing";
}

/** `类别变化: A→B` when a continuing household's suggested category B differs from its current category A. */
export function categoryChangeNote(currentCategory: string | undefined, suggestedCategory: string | undefined): string | undefined {
  if (currentCategory === undefined || suggestedCategory === undefined) return undefined;
  const current = currentCategory.trim();
  return current === suggestedCategory ? undefined : `类别变化: ${current}→${suggestedCategory}`;
}
