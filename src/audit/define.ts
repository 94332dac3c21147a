/**
 * Building blocks shared by the rule files: `defineRule` fills code and severity into every finding and masks the ID
 * number, so that no rule can emit an unmasked one.
 */
import type { Dataset } from "../model/dataset.js";
import type { Household, Member, SourceRef } from "../model/index.js";
import { maskIdNumber } from "../model/mask.js";
import type { AuditContext, AuditRule, Finding, Severity } from "./finding.js";

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

/** Declares an audit rule from its table row and a check that reports problems through `emit`. */
export function defineRule(
  code: string,
  severity: Severity,
  titleZh: string,
  titleEn: string,
  check: (dataset: Dataset, ctx: AuditContext, emit: Emit) => void,
): AuditRule {
  return {
    code,
    severity,
    titleZh,
    titleEn,
    check(dataset, ctx) {
      const findings: Finding[] = [];
      check(dataset, ctx, (d) => {
        const h = d.household;
        const id = d.idNumber?.trim();
        findings.push({
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
        });
      });
      return findings;
    },
  };
}

/** ID text compared across rows: trimmed, lower-case x as X. */
export function normalizeIdNumber(id: string): string {
  return id.trim().toUpperCase();
}

/** One place where an ID number is written: a member's 证件号码 or a household's 户主证件号码. */
export interface IdOccurrence {
  householdId: string;
  id: string;
  source: SourceRef;
  household: Household | undefined;
  member: Member | undefined;
}

/**
 * Every non-empty ID number in the data, in input order: members' 证件号码 first (household by household), then
 * each household's 户主证件号码 unless one of its own member rows carries the same number (it would be reported twice).
 */
export function idOccurrences(dataset: Dataset): IdOccurrence[] {
  const out: IdOccurrence[] = [];
  for (const [householdId, members] of dataset.members) {
    const household = dataset.households.get(householdId);
    for (const m of members) {
      const id = m.idNumber?.trim();
      if (id) out.push({ householdId, id, source: m.source, household, member: m });
    }
  }
  for (const h of dataset.households.values()) {
    const id = h.headIdNumber?.trim();
    if (!id) continue;
    const own = dataset.members.get(h.id) ?? [];
    if (own.some((m) => m.idNumber !== undefined && normalizeIdNumber(m.idNumber) === normalizeIdNumber(id))) continue;
    out.push({ householdId: h.id, id, source: h.source, household: h, member: undefined });
  }
  return out;
}

/** Whether a member has labour (rules.md §10): 劳动技能 普通劳动力 or 技能劳动力. */
export function hasLabour(m: Member): boolean {
  const s = m.labourSkill?.trim();
  return s === "普通劳动力" || s === "技能劳动力";
}

/** A household is monitored when 监测对象类别 is non-empty and 风险是否已消除 is not 是 (rules.md §11). */
export function isMonitored(h: Household): boolean {
  return !!h.monitoringCategory?.trim() && h.riskEliminated !== true;
}

/** Amounts in messages: 2 decimals, no grouping (plain for both languages). */
export function formatAmount(n: number): string {
  return n.toFixed(2);
}

/** Whether one of the household's 致贫/返贫风险1…5 is `risk`. */
export function hasRisk(h: Household, risk: string): boolean {
  // Defensive: a reader bug once let a non-text value into risks; it must not crash the audit.
  return h.risks.some((r) => typeof r === "string" && r.trim() === risk);
}
