/**
 * Building blocks shared by the rule files: `defineRule` fills code and severity into every finding and masks the ID
 * number, so that no rule can emit an unmasked one.
 */
import type { Dataset } from "../model/dataset.js";
import type { Household, SourceRef } from "../model/index.js";
import { maskIdNumber } from "../model/mask.js";
import { checkIdNumber, type IdCheck } from "./residentId.js";
import type { AuditContext, AuditRule, Finding, HouseholdView, RuleRun, Severity } from "./finding.js";

/** What a rule says about one problem; `idNumber` is given unmasked and masked by `emit`. */
export interface FindingDraft {
  householdId: string;
  source: SourceRef;
  /** The household, for its region (village summary). */
  household?: Household | undefined;
  idNumber?: string | undefined;
  zh: string;
  en: string;
}

/** Adds one finding of the rule being checked. */
export type Emit = (draft: FindingDraft) => void;

/** Turns a rule's draft into a Finding: code and severity filled in, the ID number masked, the region copied. */
function finding(code: string, severity: Severity, d: FindingDraft): Finding {
  const h = d.household;
  const id = d.idNumber?.trim();
  return {
    rule: code,
    severity,
    householdId: d.householdId,
    ...(id ? { idNumber: maskIdNumber(id) } : {}),
    source: d.source,
    ...(h?.county !== undefined ? { county: h.county } : {}),
    ...(h?.township !== undefined ? { township: h.township } : {}),
    ...(h?.village !== undefined ? { village: h.village } : {}),
    messageZh: d.zh,
    messageEn: d.en,
  };
}

/** Declares a rule from its table row and a start function that reports problems through `emit` (drafts). */
export function defineRule(
  code: string,
  severity: Severity,
  titleZh: string,
  titleEn: string,
  start: (dataset: Dataset, ctx: AuditContext, emit: Emit) => RuleRun,
): AuditRule {
  return {
    code,
    severity,
    titleZh,
    titleEn,
    start: (dataset, ctx, report) => start(dataset, ctx, (d) => report(finding(code, severity, d))),
  };
}

/** A rule that looks at one household (its row and member rows) at a time. */
export function householdRule(
  code: string,
  severity: Severity,
  titleZh: string,
  titleEn: string,
  check: (view: HouseholdView, emit: Emit, dataset: Dataset, ctx: AuditContext) => void,
): AuditRule {
  return defineRule(code, severity, titleZh, titleEn, (dataset, ctx, emit) => ({ household: (view) => check(view, emit, dataset, ctx) }));
}

/** A rule that looks at the whole dataset at once (household columns, rejects, conflicts). */
export function datasetRule(
  code: string,
  severity: Severity,
  titleZh: string,
  titleEn: string,
  check: (dataset: Dataset, ctx: AuditContext, emit: Emit) => void,
): AuditRule {
  return defineRule(code, severity, titleZh, titleEn, (dataset, ctx, emit) => ({ finish: () => check(dataset, ctx, emit) }));
}

/** ID text compared across rows: trimmed, lower-case x as X (the text itself when already so: no new string). */
export function normalizeIdNumber(id: string): string {
  return /[^0-9A-Z]/.test(id) ? id.trim().toUpperCase() : id;
}

/** Where idOccurrencesOf keeps a household's list on its view. */
const OCCURRENCES = Symbol("ID occurrences");

/** One place where an ID number is written: a member's 证件号码 or a household's 户主证件号码. */
export interface IdOccurrence {
  householdId: string;
  id: string;
  source: SourceRef;
  household: Household | undefined;
  /** True for a member's 证件号码, false for the household's 户主证件号码. */
  isMember: boolean;
  /** checkIdNumber(id): Q001, Q002 and Q018 read it instead of each looking at the text again. */
  check: IdCheck;
}

/**
 * Every non-empty ID number of one household, in input order: its members' 证件号码, then its 户主证件号码 unless one
 * of its own member rows carries the same number (it would be reported twice).
 */
export function idOccurrencesOf(view: HouseholdView): readonly IdOccurrence[] {
  // Q001, Q002 and Q018 each ask for the same household's list: it is kept on the view (built once per household).
  const memo = (view as { [OCCURRENCES]?: IdOccurrence[] })[OCCURRENCES];
  if (memo) return memo;
  const { householdId, household, members } = view;
  const out: IdOccurrence[] = [];
  for (const m of members) {
    const id = m.idNumber?.trim();
    if (id) out.push({ householdId, id, source: m.source, household, isMember: true, check: checkIdNumber(id) });
  }
  const head = household?.headIdNumber?.trim();
  if (household && head && !members.some((m) => m.idNumber !== undefined && normalizeIdNumber(m.idNumber) === normalizeIdNumber(head))) {
    out.push({ householdId, id: head, source: household.source, household, isMember: false, check: checkIdNumber(head) });
  }
  (view as { [OCCURRENCES]?: IdOccurrence[] })[OCCURRENCES] = out;
  return out;
}

/** Amounts in messages: 2 decimals, no grouping (plain for both languages). */
export function formatAmount(n: number): string {
  return n.toFixed(2);
}

/** Whether one of the household's 致贫/返贫风险1…5 is `risk`. */
export function hasRisk(h: Household, risk: string): boolean {
  // Defensive: a reader bug once let a non-text value into risks; it must not crash the audit.
  // An indexed loop, not `some` with a closure nor for-of: three rules ask this of every household of a province, and
  // iterating the store's frozen risk lists made an iterator object each time (≈ 140 MB of garbage for 1 M households).
  const risks = h.risks;
  for (let i = 0; i < risks.length; i++) {
    const r = risks[i];
    if (typeof r === "string" && r.trim() === risk) return true;
  }
  return false;
}
