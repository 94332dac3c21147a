/**
 * The monitoring rules (rules.md): pure functions over one household's history. Entry point: evaluateHousehold.
 */
export * from "./types.js";
export { evaluateHousehold, hasMissingRecentMonths } from "./evaluate.js";
export { householdSize, monthSize, isUsableSize } from "./size.js";
export { linesFor } from "./lines.js";
export { evaluateStreaks, hasStableIncome, type StreakResult } from "./streaks.js";
export { evaluateAnnualIncome, type AnnualIncome } from "./annual.js";
export { evaluateRigidExpenses, rigidBasis, type RigidExpenses, type RigidBasis } from "./rigid.js";
export { evaluateIncomeDrop, type IncomeDrop } from "./incomeDrop.js";
export { suggestCategory, riskColor, riskGrade, CATEGORY, LIFTED_OUT } from "./classify.js";
export { deriveRiskTypes, wageIncomeFell } from "./riskTypes.js";
export { hasLabour, hasSeriousIllness, isNoLabourHousehold, membersKnownFor, anyMemberHasLabour, LABOUR_SKILLS } from "./labour.js";
export {
  isCurrentlyMonitored,
  eliminationBlockers,
  monitoringStatus,
  categoryChangeNote,
  BLOCKER,
  type EliminationEvidence,
} from "./status.js";
export { buildExplanation, type ExplanationEvidence } from "./explanation.js";
export { formatYuan, formatPercent } from "./format.js";
export { createFgtAccumulator, type FgtAccumulator, type FgtResult } from "./fgt.js";
export { WINDOW_MONTHS, windowStart, lowerBound, indexOfMonth } from "./window.js";
