/**
 * Running the audit: rule selection (`--rules`), evaluation in a deterministic order, and counts for reports.
 */
import { startIdFactsInWorker } from "./idFacts.js";
import { forgetMemberTraits } from "./memberTraits.js";
import { q001, q002, q007, q018 } from "./identityRules.js";
import type { Dataset } from "../model/dataset.js";
import { EXIT, UserError } from "../model/errors.js";
import type { Household, Member, SourceRef } from "../model/index.js";
import { compareCodePoints } from "../model/text.js";
import { MemberStore } from "../model/memberStore.js";
import { SEVERITIES, type AuditContext, type Finding, type HouseholdView, type Severity } from "./finding.js";
import { AUDIT_RULES, RULE_CODES } from "./rules.js";

/** Options of evaluateAudit: the period P (a month integer) and the enabled rule codes. */
export interface AuditOptions {
  /** Default: the latest income month (undefined when the data has no income). */
  readonly period?: number | undefined;
  /** Enabled codes (default: every rule). */
  readonly rules?: readonly string[];
  /**
   * Members from which the per-member ID facts are computed in a worker thread while the audit starts (idFacts.ts);
   * undefined: never (the facts are computed on this thread).
   */
  readonly factsWorkerMin?: number | undefined;
}

/** The codes of the ID rules, which read the per-member ID facts. */
const ID_FACT_RULES = [q001, q002, q007, q018].map((r) => r.code);

/** The default audit period: the latest month present in the income data, or undefined when there is none. */
export function defaultAuditPeriod(dataset: Dataset): number | undefined {
  return dataset.income.maxMonth >= 0 ? dataset.income.maxMonth : undefined;
}

/**
 * An audit in progress: `visit` each household once (in any order; households that are neither in the households
 * data nor in the members data are ignored by every rule), then `finish` for the sorted findings. Lets the scan run
 * the audit in the same pass as the monitoring rules, building each household's members once.
 */
export interface AuditPass {
  /** True when some enabled rule looks at households one at a time. */
  readonly needsHouseholds: boolean;
  visit(view: HouseholdView): void;
  finish(): Finding[];
}

/** Starts an audit of `dataset` with the enabled rules. */
export function startAudit(dataset: Dataset, options: AuditOptions = {}): AuditPass {
  const enabled = new Set(options.rules ?? RULE_CODES);
  const ctx: AuditContext = { period: options.period ?? defaultAuditPeriod(dataset) };
  const findings: Finding[] = [];
  const emit = (f: Finding) => void findings.push(f);
  if (options.factsWorkerMin !== undefined && ID_FACT_RULES.some((c) => enabled.has(c))) startIdFactsInWorker(dataset.members, options.factsWorkerMin);
  const runs = AUDIT_RULES.filter((r) => enabled.has(r.code)).map((r) => r.start(dataset, ctx, emit));
  const perHousehold = runs.filter((r) => r.household);
  return {
    needsHouseholds: perHousehold.length > 0,
    visit(view) {
      for (const r of perHousehold) r.household!(view);
    },
    finish() {
      forgetMemberTraits();
      for (const r of runs) r.finish?.();
      return findings.sort(compareFindings);
    },
  };
}

/**
 * Runs the enabled rules over the dataset. Findings are sorted by rule code, then file, sheet, row (code-point order
 * for text), then 户编号 and message, so the same input always gives the same list.
 */
export function evaluateAudit(dataset: Dataset, options: AuditOptions = {}): Finding[] {
  const pass = startAudit(dataset, options);
  if (pass.needsHouseholds) for (const _ of visitAll(dataset, pass, STEP_HOUSEHOLDS));
  return pass.finish();
}

/** Households visited between two checkpoints of evaluateAuditInSteps (≈ 50–100 ms of a province's audit). */
const STEP_HOUSEHOLDS = 50_000;

/**
 * evaluateAudit for a command that must stop within a second of Ctrl-C (check): `checkpoint` is awaited every
 * STEP_HOUSEHOLDS households (letSignalsIn: the event loop sees a signal and the checkpoint throws its reason), as
 * a province's audit takes seconds. The same findings as evaluateAudit.
 */
export async function evaluateAuditInSteps(dataset: Dataset, options: AuditOptions, checkpoint: () => Promise<void>, step = STEP_HOUSEHOLDS): Promise<Finding[]> {
  const pass = startAudit(dataset, options);
  if (pass.needsHouseholds) for (const _ of visitAll(dataset, pass, step)) await checkpoint();
  return pass.finish();
}

/**
 * Visits every household once, yielding every `step` households: the households data in order, then households only
 * the members data has. One pass: each household's member rows are built once for all the rules that look at them.
 */
function* visitAll(dataset: Dataset, pass: AuditPass, step: number): Generator<void, void, void> {
  let n = 0;
  for (const id of dataset.households.keys()) {
    pass.visit(householdView(dataset, id));
    if (++n % step === 0) yield;
  }
  for (const id of dataset.members.keys()) {
    if (dataset.households.has(id)) continue;
    pass.visit(householdView(dataset, id));
    if (++n % step === 0) yield;
  }
}

const NO_MEMBERS: readonly Member[] = Object.freeze([]);

/**
 * A household of a MemberStore as the audit and the rules see it: its Member objects are built on the first read of
 * `members`. Most households pass every member check on the store's columns (memberTraits.ts, the ID facts) and
 * nothing in the scan reads their members: a province's 3 million Member objects are mostly never made.
 */
class StoreHouseholdView implements HouseholdView {
  private built: readonly Member[] | undefined;

  constructor(
    readonly householdId: string,
    readonly household: Household | undefined,
    readonly memberIndex: number,
    private readonly store: MemberStore,
  ) {}

  get members(): readonly Member[] {
    return (this.built ??= this.memberIndex < 0 ? NO_MEMBERS : this.store.membersAt(this.memberIndex));
  }
}

/**
 * One household as the audit sees it (and the scan, which runs the audit in its pass): its row, its members built
 * once (when first read, for members read from files), and — when the members were read from files (a MemberStore)
 * — its index there, by which the ID rules and member checks read the store's columns.
 */
export function householdView(dataset: Dataset, householdId: string): HouseholdView {
  const household = dataset.households.get(householdId);
  const members = dataset.members;
  if (!(members instanceof MemberStore)) return { householdId, household, members: members.get(householdId) ?? NO_MEMBERS };
  return new StoreHouseholdView(householdId, household, members.indexOf(householdId), members);
}

function compareSource(a: SourceRef, b: SourceRef): number {
  return compareCodePoints(a.file, b.file) || compareCodePoints(a.sheet, b.sheet) || a.row - b.row;
}

/** The order of findings: rule, file, sheet, row, then 户编号 and the Chinese message as tie-breakers. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareCodePoints(a.rule, b.rule) ||
    compareSource(a.source, b.source) ||
    compareCodePoints(a.householdId, b.householdId) ||
    compareCodePoints(a.messageZh, b.messageZh)
  );
}

/**
 * Parses `--rules`: "Q001,Q002" enables only those; "-Q008,-Q014" enables all but those; both kinds together enable
 * the listed codes minus the excluded ones. Codes are case-insensitive, blanks around commas ignored. Returns the
 * enabled codes in rule order. Throws a UserError (exit 2) naming every unknown code, or when nothing is listed.
 */
export function parseRuleSelection(text: string): string[] {
  const include = new Set<string>();
  const exclude = new Set<string>();
  const unknown: string[] = [];
  for (const raw of text.split(/[,，]/)) {
    const item = raw.trim();
    if (item === "") continue;
    const negative = item.startsWith("-");
    const code = (negative ? item.slice(1) : item).trim().toUpperCase();
    if (!RULE_CODES.includes(code)) unknown.push(item);
    else (negative ? exclude : include).add(code);
  }
  if (unknown.length > 0) {
    throw new UserError(
      "unknown_rule",
      `--rules: unknown rule code${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `"${u}"`).join(", ")}; expected ${RULE_CODES[0]}…${RULE_CODES[RULE_CODES.length - 1]}, optionally with a leading "-" to switch one off (see --list-rules)`,
      { exitCode: EXIT.usage },
    );
  }
  if (include.size === 0 && exclude.size === 0) {
    throw new UserError("empty_rules", `--rules: no rule code given; expected e.g. "Q001,Q002" or "-Q008,-Q014"`, { exitCode: EXIT.usage });
  }
  const base = include.size > 0 ? include : new Set(RULE_CODES);
  return RULE_CODES.filter((c) => base.has(c) && !exclude.has(c));
}

/**
 * Findings per rule code: every code of `codes` (default: all rules) is present, 0 when nothing was found, in rule
 * order; codes of findings outside `codes` are added after them.
 */
export function countFindingsByRule(findings: readonly Finding[], codes: readonly string[] = RULE_CODES): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of codes) counts[c] = 0;
  for (const f of findings) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
  return counts;
}

/** Findings per severity, always with the three keys error, warning, note. */
export function countFindingsBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}
