/**
 * Plain-data forms of a resolved policy: the JSON object of `policy show` and run.json, and the rows of the 参数 sheet.
 * Pure; key order is fixed so that the same policy always prints the same bytes.
 */
import { formatMonth } from "../model/month.js";
import { SETTING_SPECS } from "./defaults.js";
import { WHERE_KEYS } from "./normalize.js";
import type { DeepPartial, OverrideWhere, Policy, PolicyOverride, PolicySettings } from "./types.js";

/** One override as plain data: months as "YYYY-MM", null when open; names with whitespace removed. */
export interface OverrideDescription {
  /** Position in the file's overrides array (0-based). */
  readonly index: number;
  /** Specificity, 1 province … 5 village. */
  readonly rank: number;
  readonly where: OverrideWhere;
  readonly from: string | null;
  readonly to: string | null;
  readonly source: string | null;
  readonly settings: DeepPartial<PolicySettings>;
}

/** The resolved policy as plain data (policy show, run.json "policy"). */
export interface PolicyDescription extends PolicySettings {
  readonly name: string;
  readonly builtIn: boolean;
  readonly overrides: readonly OverrideDescription[];
}

/**
 * The resolved policy as a JSON-ready object: name, builtIn, every setting (defaults filled in, in policy.md's
 * order), then the overrides in file order.
 */
export function describePolicy(policy: Policy): PolicyDescription {
  return {
    name: policy.name,
    builtIn: policy.builtIn,
    povertyLine: policy.povertyLine,
    monitoringLine: policy.monitoringLine,
    yellowFactor: policy.yellowFactor,
    streakMonths: policy.streakMonths,
    minMonthsForAnnual: policy.minMonthsForAnnual,
    incomeDrop: { ratio: policy.incomeDrop.ratio },
    rigidExpense: { ...policy.rigidExpense },
    elimination: { ...policy.elimination },
    overrides: policy.overrides.map(describeOverride),
  };
}

/** One override as plain data (see OverrideDescription). */
export function describeOverride(override: PolicyOverride): OverrideDescription {
  const where: Record<string, string> = {};
  for (const key of WHERE_KEYS) {
    const v = override.where[key];
    if (v !== undefined) where[key] = v;
  }
  return {
    index: override.index,
    rank: override.rank,
    where,
    from: override.from === undefined ? null : formatMonth(override.from),
    to: override.to === undefined ? null : formatMonth(override.to),
    source: override.source ?? null,
    settings: orderedSettings(override.settings),
  };
}

/** The leaves of a partial settings object as [dotted key path, value] pairs, in policy.md's order. */
export function flattenSettings(settings: DeepPartial<PolicySettings>): [string, number][] {
  const pairs: [string, number][] = [];
  for (const spec of SETTING_SPECS) {
    const v = settingAt(settings, spec.path);
    if (typeof v === "number") pairs.push([spec.path, v]);
  }
  return pairs;
}

/** The same partial settings with keys in policy.md's order (so printed JSON does not depend on file order). */
function orderedSettings(settings: DeepPartial<PolicySettings>): DeepPartial<PolicySettings> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of flattenSettings(settings)) {
    const [head, tail] = path.split(".") as [string, string | undefined];
    if (tail === undefined) out[head] = value;
    else ((out[head] ??= {}) as Record<string, number>)[tail] = value;
  }
  return out as DeepPartial<PolicySettings>;
}

/** The value at a dotted key path (`rigidExpense.medical`) of a policy or settings object, or undefined. */
export function settingAt(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
