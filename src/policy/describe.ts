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

/** One row of the 参数 sheet's settings table. */
export interface PolicyParameterRow {
  /** Dotted key path as in the policy file (`rigidExpense.medical`), or "name" / "builtIn". */
  readonly key: string;
  readonly labelZh: string;
  readonly value: string | number | boolean;
}

/** One row of the 参数 sheet's override table; where and settings are written `key=value; key=value`. */
export interface OverrideRow {
  readonly index: number;
  readonly rank: number;
  readonly where: string;
  /** "YYYY-MM", "" when open. */
  readonly from: string;
  readonly to: string;
  readonly source: string;
  readonly settings: string;
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

/** Rows for the 参数 sheet: name, builtIn, then every setting with its Chinese label, in policy.md's order. */
export function policyParameterRows(policy: Policy): PolicyParameterRow[] {
  const rows: PolicyParameterRow[] = [
    { key: "name", labelZh: "策略名称", value: policy.name },
    { key: "builtIn", labelZh: "内置国家底线", value: policy.builtIn },
  ];
  for (const spec of SETTING_SPECS) {
    rows.push({ key: spec.path, labelZh: spec.labelZh, value: readPath(policy, spec.path) as number });
  }
  return rows;
}

/** One row per override, in file order, for the 参数 sheet. */
export function policyOverrideRows(policy: Policy): OverrideRow[] {
  return policy.overrides.map((o) => {
    const d = describeOverride(o);
    return {
      index: d.index,
      rank: d.rank,
      where: Object.entries(d.where).map(([k, v]) => `${k}=${v}`).join("; "),
      from: d.from ?? "",
      to: d.to ?? "",
      source: d.source ?? "",
      settings: flattenSettings(o.settings).map(([k, v]) => `${k}=${v}`).join("; "),
    };
  });
}

/** The leaves of a partial settings object as [dotted key path, value] pairs, in policy.md's order. */
export function flattenSettings(settings: DeepPartial<PolicySettings>): [string, number][] {
  const pairs: [string, number][] = [];
  for (const spec of SETTING_SPECS) {
    const v = readPath(settings, spec.path);
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

function readPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
