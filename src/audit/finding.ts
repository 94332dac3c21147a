/**
 * What the data-quality audit (audit.md) reports: one Finding per problem, and the rule objects that produce them.
 */
import type { Dataset } from "../model/dataset.js";
import type { Household, Member, SourceRef } from "../model/index.js";

/** 错误 error / 警告 warning / 提示 note. */
export type Severity = "error" | "warning" | "note";
/** Severities from the most to the least serious. */
export const SEVERITIES: readonly Severity[] = ["error", "warning", "note"];

/** One data-quality problem found in the input, pointing at the row to fix. */
export interface Finding {
  /** Rule code, "Q001" … "Q018". */
  readonly rule: string;
  readonly severity: Severity;
  /** 户编号 of the household concerned ("" when the offending row has none). */
  readonly householdId: string;
  /** The person's ID number, masked (first 6 and last 4 characters), when the finding is about one person's ID. */
  readonly idNumber?: string;
  /** File, sheet and 1-based spreadsheet row of the offending row. */
  readonly source: SourceRef;
  /** Region of the household (for the by-village summary), as written in the export. */
  readonly county?: string;
  readonly township?: string;
  readonly village?: string;
  readonly messageZh: string;
  readonly messageEn: string;
}

/** What a rule may know besides the data: the period (a month integer), nothing about the system. */
export interface AuditContext {
  /** The audit period P (default: the latest income month); undefined when neither given nor any income read. */
  readonly period: number | undefined;
}

/** One household as the per-household checks see it: its row (if any) and its member rows, built once per audit. */
export interface HouseholdView {
  readonly householdId: string;
  readonly household: Household | undefined;
  readonly members: readonly Member[];
  /**
   * The household's index in `dataset.members` when that is a MemberStore (−1: no members there), so that the ID
   * rules can read per-member facts (idFacts.ts) instead of the objects; absent otherwise.
   */
  readonly memberIndex?: number;
}

/**
 * One evaluation of a rule: `household` is called for every household (households data first, then households known
 * only from member rows), then `finish` once. Either may be absent.
 */
export interface RuleRun {
  household?(view: HouseholdView): void;
  finish?(): void;
}

/**
 * One audit rule: a row of the rules table. `start` is pure: it returns the rule's run over `dataset`, which reports
 * findings (in any order) through the `emit` given to it.
 */
export interface AuditRule {
  readonly code: string;
  readonly severity: Severity;
  readonly titleZh: string;
  readonly titleEn: string;
  start(dataset: Dataset, ctx: AuditContext, emit: (finding: Finding) => void): RuleRun;
}
