/**
 * The data-quality audit (audit.md): rules Q001–Q018 as a table, their evaluation and counts.
 */
export type { AuditContext, AuditRule, Finding, HouseholdView, Severity } from "./finding.js";
export { SEVERITIES } from "./finding.js";
export { AUDIT_RULES, RULE_CODES, findRule } from "./rules.js";
export {
  compareFindings,
  countFindingsByRule,
  countFindingsBySeverity,
  defaultAuditPeriod,
  evaluateAudit,
  parseRuleSelection,
  startAudit,
  type AuditOptions,
  type AuditPass,
} from "./evaluate.js";
export { birthDateFromId, classifyIdNumber, residentIdCheckChar, sexFromId, validateResidentId } from "./residentId.js";
export type { CalendarDate, IdShape, ResidentIdResult } from "./residentId.js";
