/**
 * The counts behind the summary workbook and run.json, accumulated household by household: a province scan has up
 * to 10 million households, so nothing per household is kept — only counts per county / township / village and
 * overall, FGT accumulators (rules/fgt.ts) and the income histogram.
 */
import type { Household } from "../model/index.js";
import { createFgtAccumulator } from "../rules/fgt.js";
import type { FgtAccumulator } from "../rules/fgt.js";
import { COLORS, STATUSES, TRIGGERS } from "../rules/types.js";
import type { Assessment, Color, Status, Trigger } from "../rules/types.js";
import { CATEGORIES, compareCodePoints } from "./labels.js";

/** Households and the persons living in them (Σ size(h); households without a usable size add 0 persons). */
export interface Tally {
  households: number;
  persons: number;
}

/** Income bands of the histogram, by each household's own lines: < V, V–L, L–Y, ≥ Y. */
export type IncomeBand = "belowPoverty" | "povertyToMonitoring" | "monitoringToYellow" | "aboveYellow";
/** The bands in report order. */
export const INCOME_BANDS: readonly IncomeBand[] = ["belowPoverty", "povertyToMonitoring", "monitoringToYellow", "aboveYellow"];

/** Counts of one region (or of the whole scan). "Listed" = on the monitoring list (a status). */
export interface RegionStats {
  /** The region's name at its level ("" when the export leaves it blank). */
  readonly name: string;
  readonly level: "total" | "county" | "township" | "village";
  /** For a county: its 省 and 市 (to tell apart counties of the same name). */
  readonly province: string;
  readonly city: string;
  readonly scanned: Tally;
  readonly listed: Tally;
  readonly byStatus: Record<Status, Tally>;
  /** By the household's list category (see listedCategory). */
  readonly byCategory: Map<string, Tally>;
  readonly byColor: Record<Color, Tally>;
  /** FGT at z = the household's own monitoring line L. */
  readonly fgtMonitoring: FgtAccumulator;
  /** Sub-regions by name (county → townships → villages); empty for villages. */
  readonly children: Map<string, RegionStats>;
}

/** Everything the summary needs about the whole scan. */
export interface ScanTotals extends RegionStats {
  readonly byTrigger: Record<Trigger, Tally>;
  /** Risk types of listed households. */
  readonly byRiskType: Map<string, Tally>;
  /** FGT at z = the poverty line V. */
  readonly fgtPoverty: FgtAccumulator;
  /** Households with known annualPc and a usable size, by band. */
  readonly incomeBands: Record<IncomeBand, Tally>;
  /** Households left out of FGT and the histogram (annualPc unknown or no usable size). */
  readonly incomeUnknown: number;
  readonly noUsableSize: number;
  readonly insufficientIncome: number;
  readonly missingRecentMonths: number;
  /** How many households each override (by PolicyOverride.index) applied to. */
  readonly overrideMatches: Map<number, number>;
}

/** The counts of run.json (outputs.md), keyed by the stable codes; every status, colour and trigger present. */
export interface RunCounts {
  households: number;
  persons: number;
  listed: number;
  byStatus: Record<Status, number>;
  byCategory: Record<string, number>;
  byColor: Record<Color, number>;
  byTrigger: Record<Trigger, number>;
}

/** Accumulates the summary: `add` once per scanned household (listed or not), then read `totals` / `counts()`. */
export interface SummaryAccumulator {
  /** Adds one scanned household; `overridesApplied` = indices of the policy overrides that matched it. */
  add(household: Household, assessment: Assessment, overridesApplied: readonly number[]): void;
  /** The running totals (live, not a copy). */
  readonly totals: ScanTotals;
  /** The counts of run.json and 总览. */
  counts(): RunCounts;
}

/**
 * The category a listed household is counted under in the summary and run.json: its 建议监测类别, or, when the rules
 * suggest none (kept under monitoring, or suggested for elimination), its 当前监测类别. Every listed household has one,
 * so the category counts add up to the listed total.
 */
export function listedCategory(a: Pick<Assessment, "suggestedCategory" | "currentCategory">): string {
  return a.suggestedCategory ?? a.currentCategory ?? "";
}

function tally(): Tally {
  return { households: 0, persons: 0 };
}

function record<K extends string>(keys: readonly K[]): Record<K, Tally> {
  return Object.fromEntries(keys.map((k) => [k, tally()])) as Record<K, Tally>;
}

function regionStats(name: string, level: RegionStats["level"], province = "", city = ""): RegionStats {
  return {
    name,
    level,
    province,
    city,
    scanned: tally(),
    listed: tally(),
    byStatus: record(STATUSES),
    byCategory: new Map(),
    byColor: record(COLORS),
    fgtMonitoring: createFgtAccumulator(),
    children: new Map(),
  };
}

function bump(t: Tally, persons: number): void {
  t.households++;
  t.persons += persons;
}

function addTo(stats: RegionStats, a: Assessment, persons: number): void {
  bump(stats.scanned, persons);
  stats.fgtMonitoring.add(a.annualPc, a.lines.annual, a.size);
  if (a.status === undefined) return;
  bump(stats.listed, persons);
  bump(stats.byStatus[a.status], persons);
  bump(stats.byColor[a.color], persons);
  const category = listedCategory(a);
  let c = stats.byCategory.get(category);
  if (!c) stats.byCategory.set(category, (c = tally()));
  bump(c, persons);
}

/** The band of an annual per-capita income against a household's lines (strictly below each line, as colours). */
export function incomeBand(annualPc: number, lines: Assessment["lines"]): IncomeBand {
  if (annualPc < lines.poverty) return "belowPoverty";
  if (annualPc < lines.annual) return "povertyToMonitoring";
  if (annualPc < lines.yellow) return "monitoringToYellow";
  return "aboveYellow";
}

/**
 * The child region `name` of a parent (added when new), through a memo of the last one asked for: consecutive
 * households mostly share their 乡 and 村.
 */
function childMemo(level: "township" | "village"): (parent: RegionStats, name: string) => RegionStats {
  let lastParent: RegionStats | undefined;
  let lastName = "";
  let lastChild: RegionStats | undefined;
  return (parent, name) => {
    if (parent === lastParent && name === lastName) return lastChild!;
    let child = parent.children.get(name);
    if (!child) parent.children.set(name, (child = regionStats(name, level)));
    lastParent = parent;
    lastName = name;
    return (lastChild = child);
  };
}

/** A new, empty summary accumulator. */
export function createSummaryAccumulator(): SummaryAccumulator {
  const base = regionStats("", "total");
  const totals: ScanTotals = {
    ...base,
    byTrigger: record(TRIGGERS),
    byRiskType: new Map(),
    fgtPoverty: createFgtAccumulator(),
    incomeBands: record(INCOME_BANDS),
    incomeUnknown: 0,
    noUsableSize: 0,
    insufficientIncome: 0,
    missingRecentMonths: 0,
    overrideMatches: new Map(),
  };
  // Mutable view of the scalar counters.
  const t = totals as { -readonly [K in keyof ScanTotals]: ScanTotals[K] };
  // Households come village by village: the previous household's regions are reused while the names are the same
  // (no key string and no map lookups for most households).
  let lastCounty: RegionStats | undefined;
  let lastCountyKey: readonly string[] = [];
  const township = childMemo("township");
  const village = childMemo("village");

  return {
    totals,
    add(household, a, overridesApplied) {
      const persons = a.size ?? 0;
      addTo(totals, a, persons);
      totals.fgtPoverty.add(a.annualPc, a.lines.poverty, a.size);

      const province = household.province ?? "";
      const city = household.city ?? "";
      const countyName = household.county ?? "";
      let county = lastCounty;
      if (!county || province !== lastCountyKey[0] || city !== lastCountyKey[1] || countyName !== lastCountyKey[2]) {
        const key = `${province}\u0000${city}\u0000${countyName}`;
        county = totals.children.get(key);
        if (!county) totals.children.set(key, (county = regionStats(countyName, "county", province, city)));
        lastCounty = county;
        lastCountyKey = [province, city, countyName];
      }
      addTo(county, a, persons);
      const inTownship = township(county, household.township ?? "");
      addTo(inTownship, a, persons);
      addTo(village(inTownship, household.village ?? ""), a, persons);

      if (a.status !== undefined) {
        for (const trigger of a.triggers) bump(totals.byTrigger[trigger], persons);
        for (const type of new Set(a.riskTypes)) {
          let r = totals.byRiskType.get(type);
          if (!r) totals.byRiskType.set(type, (r = tally()));
          bump(r, persons);
        }
      }
      if (a.annualPc !== undefined && Number.isFinite(a.annualPc) && a.size !== undefined && a.size > 0) {
        bump(totals.incomeBands[incomeBand(a.annualPc, a.lines)], a.size);
      } else {
        t.incomeUnknown++;
      }
      if (a.noUsableSize) t.noUsableSize++;
      if (a.insufficientIncome) t.insufficientIncome++;
      if (a.missingRecentMonths) t.missingRecentMonths++;
      if (overridesApplied.length > 0) {
        for (const index of new Set(overridesApplied)) totals.overrideMatches.set(index, (totals.overrideMatches.get(index) ?? 0) + 1);
      }
    },
    counts() {
      return runCounts(totals);
    },
  };
}

/** run.json's counts from the totals: the official categories always present (0 when none), others after them. */
export function runCounts(totals: ScanTotals): RunCounts {
  const byCategory: Record<string, number> = {};
  for (const c of categoryKeys(totals)) byCategory[c] = totals.byCategory.get(c)?.households ?? 0;
  const pick = <K extends string>(r: Record<K, Tally>, keys: readonly K[]) =>
    Object.fromEntries(keys.map((k) => [k, r[k].households])) as Record<K, number>;
  return {
    households: totals.scanned.households,
    persons: totals.scanned.persons,
    listed: totals.listed.households,
    byStatus: pick(totals.byStatus, STATUSES),
    byCategory,
    byColor: pick(totals.byColor, COLORS),
    byTrigger: pick(totals.byTrigger, TRIGGERS),
  };
}

/** The official categories, then any other category seen (as written in the input), by code point. */
export function categoryKeys(totals: Pick<RegionStats, "byCategory">): string[] {
  const extra = [...totals.byCategory.keys()].filter((c) => !CATEGORIES.includes(c)).sort(compareCodePoints);
  return [...CATEGORIES, ...extra];
}
