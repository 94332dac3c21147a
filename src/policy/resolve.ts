/**
 * Which settings apply to one household: the policy's base settings with the overrides that match the household's
 * region and the scan period applied in specificity order (policy.md). Pure.
 */
import type { Region } from "../model/index.js";
import { REGION_LEVELS } from "../model/index.js";
import { deepFreeze } from "./defaults.js";
import { mergeSettings, normalizeRegionName } from "./normalize.js";
import type { Policy, PolicyOverride, PolicySettings } from "./types.js";

/** The settings of one household and the indices (file positions) of the overrides applied, in the order applied. */
export interface ResolvedSettings {
  readonly settings: PolicySettings;
  readonly applied: readonly number[];
}

/** Resolves a household's region to its settings; the same region key always gives the same (frozen) object. */
export type SettingsResolver = (region: Region) => ResolvedSettings;

/** The base settings of a policy (everything but name, builtIn and overrides), as a frozen object. */
export function baseSettings(policy: Policy): PolicySettings {
  return deepFreeze({
    povertyLine: policy.povertyLine,
    monitoringLine: policy.monitoringLine,
    yellowFactor: policy.yellowFactor,
    streakMonths: policy.streakMonths,
    minMonthsForAnnual: policy.minMonthsForAnnual,
    incomeDrop: policy.incomeDrop,
    rigidExpense: policy.rigidExpense,
    elimination: policy.elimination,
  });
}

/** True when the override's from/to (inclusive, open when absent) contain the period month. */
export function overrideCoversPeriod(override: PolicyOverride, period: number): boolean {
  return (override.from === undefined || override.from <= period) && (override.to === undefined || period <= override.to);
}

/**
 * True when every key of the override's `where` matches the region: names equal after removing all whitespace,
 * codePrefix a prefix of the 行政区划代码. A region without the named field does not match.
 */
export function overrideMatchesRegion(override: PolicyOverride, region: Region): boolean {
  const where = override.where;
  for (const level of REGION_LEVELS) {
    const wanted = where[level];
    if (wanted === undefined) continue;
    const have = region[level];
    if (have === undefined || normalizeRegionName(have) !== wanted) return false;
  }
  if (where.codePrefix !== undefined) {
    const code = region.regionCode === undefined ? "" : normalizeRegionName(region.regionCode);
    if (!code.startsWith(where.codePrefix)) return false;
  }
  return true;
}

/**
 * The overrides in the order they apply (policy.md): rank (province … village) ascending, then codePrefix length,
 * then file order, so that the later one wins.
 */
export function orderOverrides(overrides: readonly PolicyOverride[]): PolicyOverride[] {
  return [...overrides].sort((a, b) => a.rank - b.rank || a.prefixLength - b.prefixLength || a.index - b.index);
}

/**
 * The settings for one household's region in the scan period (a month integer), and which overrides were applied.
 * For many households use createSettingsResolver, which gives the same answer and caches it.
 */
export function settingsFor(policy: Policy, region: Region, period: number): ResolvedSettings {
  return createSettingsResolver(policy, period)(region);
}

/**
 * A resolver for one policy and period, memoised by the region key (province|city|county|township|village|regionCode)
 * and, behind that, by the list of applied overrides: households with the same key get the identical object, and
 * all households that the same overrides apply to share one settings object.
 */
export function createSettingsResolver(policy: Policy, period: number): SettingsResolver {
  const base: ResolvedSettings = deepFreeze({ settings: baseSettings(policy), applied: [] });
  const active = orderOverrides(policy.overrides.filter((o) => overrideCoversPeriod(o, period)));
  if (active.length === 0) return () => base;

  const byRegion = new Map<string, ResolvedSettings>();
  const byApplied = new Map<string, ResolvedSettings>([["", base]]);
  return (region: Region) => {
    const key = regionKey(region);
    const cached = byRegion.get(key);
    if (cached) return cached;

    const matched = active.filter((o) => overrideMatchesRegion(o, region));
    const appliedKey = matched.map((o) => o.index).join(",");
    let resolved = byApplied.get(appliedKey);
    if (!resolved) {
      let settings = base.settings;
      for (const o of matched) settings = mergeSettings(settings, o.settings);
      resolved = deepFreeze({ settings, applied: matched.map((o) => o.index) });
      byApplied.set(appliedKey, resolved);
    }
    byRegion.set(key, resolved);
    return resolved;
  };
}

/** province|city|county|township|village|regionCode, joined by a control character that region names do not contain. */
function regionKey(region: Region): string {
  const sep = "\u0001";
  return (region.province ?? "") + sep + (region.city ?? "") + sep + (region.county ?? "") + sep +
    (region.township ?? "") + sep + (region.village ?? "") + sep + (region.regionCode ?? "");
}
