/**
 * Cohort comparison of two monitoring lists (outputs.md "diff"), keyed by 户编号: which households entered, left,
 * or changed status, category or risk level; the category and colour transition matrices; and the net change per
 * county, township and village. Pure: the lists come in parsed, the result is plain data for report/diff.ts.
 */
import { compareCodePoints } from "../model/text.js";
import { REGION_LEVELS, type RegionLevel } from "../model/index.js";
import type { ListEntry, MonitoringList } from "./list.js";

/** The kinds of change, in the order they are listed (outputs.md: 新增, 移出, 类别变化, 等级变化, 状态变化). */
export const CHANGE_KINDS = ["entered", "exited", "category", "grade", "status"] as const;
/** A kind of change of one household. `grade` means its 风险等级 (colour) or 风险程度 changed. */
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** One household that entered, left or changed, with both sides. */
export interface HouseholdChange {
  readonly id: string;
  /** At least one; `entered` and `exited` stand alone, the others combine, in CHANGE_KINDS order. */
  readonly changes: readonly ChangeKind[];
  /** Region from NEW, from OLD for an exited household. */
  readonly region: Readonly<Partial<Record<RegionLevel, string>>>;
  readonly old: ListEntry | undefined;
  readonly new: ListEntry | undefined;
  /** 说明 from NEW, from OLD for an exited household. */
  readonly explanation: string;
}

/**
 * Counts of transitions from an OLD value (row) to a NEW value (column). `null` stands for "not listed" (未列入)
 * on that side; "" for a listed household with an empty value.
 */
export type TransitionMatrix = ReadonlyMap<string | null, ReadonlyMap<string | null, number>>;

/** Entered, exited and net change of one region (or of the whole list when `depth` is 0). */
export interface RegionChange {
  /** 0 for the total, 1 for the first grouped level (county, or the highest present of county/township/village), … */
  readonly depth: number;
  /** Names of the region levels down to this row's level (higher levels 省 市 included when present). */
  readonly region: Readonly<Partial<Record<RegionLevel, string>>>;
  /** Households on the OLD list in this region (by their OLD region). */
  readonly oldListed: number;
  /** Households on the NEW list in this region (by their NEW region). */
  readonly newListed: number;
  readonly entered: number;
  readonly exited: number;
  /** entered − exited. */
  readonly net: number;
}

/** Everything the diff outputs show. */
export interface CohortDiff {
  /** Region levels present in either list, in REGION_LEVELS order. */
  readonly regionLevels: readonly RegionLevel[];
  /** Households that changed, sorted (see diffCohorts). */
  readonly changes: readonly HouseholdChange[];
  readonly counts: {
    readonly old: number;
    readonly new: number;
    readonly entered: number;
    readonly exited: number;
    /** Listed on both sides with at least one change. */
    readonly changed: number;
    /** Listed on both sides with no change. */
    readonly unchanged: number;
  };
  /** Households per kind of change (a household with two changes counts under both). */
  readonly byChange: Readonly<Record<ChangeKind, number>>;
  readonly categoryMatrix: TransitionMatrix;
  readonly colorMatrix: TransitionMatrix;
  /** The total first, then each county, township and village (parents before children, by code point). */
  readonly byRegion: readonly RegionChange[];
}

/** The levels 分地区 groups by (when present); 省 and 市 only qualify them. */
export const GROUPED_REGION_LEVELS: readonly RegionLevel[] = ["county", "township", "village"];

/**
 * Compares two monitoring lists. A household is `entered` when only NEW lists it and `exited` when only OLD does;
 * listed on both sides it changes `category` when the compared category (建议监测类别, else 当前监测类别) differs,
 * `grade` when 风险等级 or 风险程度 differs, `status` when 状态 differs. Changes are sorted by their first kind
 * (新增, 移出, 类别变化, 等级变化, 状态变化), then 省 市 县 乡 村 (code point, empty first), then 户编号. Every
 * household of the union is counted exactly once in each matrix.
 */
export function diffCohorts(oldList: MonitoringList, newList: MonitoringList): CohortDiff {
  // Each household of either list matched with the other list's once (−1: not there): a province's lists have a
  // few hundred thousand rows, and every later step reads the match instead of looking the 户编号 up again.
  const oldEntries = oldList.entries;
  const newEntries = newList.entries;
  const oldIndex = new Map<string, number>();
  for (let i = 0; i < oldEntries.length; i++) oldIndex.set(oldEntries[i]!.id, i);
  const oldMatch = new Int32Array(oldEntries.length).fill(-1);
  const newMatch = new Int32Array(newEntries.length).fill(-1);
  for (let j = 0; j < newEntries.length; j++) {
    const i = oldIndex.get(newEntries[j]!.id);
    if (i !== undefined) {
      oldMatch[i] = j;
      newMatch[j] = i;
    }
  }
  const changes: HouseholdChange[] = [];
  const byChange: Record<ChangeKind, number> = { entered: 0, exited: 0, category: 0, grade: 0, status: 0 };
  const categoryMatrix = new Map<string | null, Map<string | null, number>>();
  const colorMatrix = new Map<string | null, Map<string | null, number>>();
  let unchanged = 0;

  const visit = (o: ListEntry | undefined, n: ListEntry | undefined) => {
    count(categoryMatrix, o ? o.category : null, n ? n.category : null);
    count(colorMatrix, o ? o.color : null, n ? n.color : null);
    const kinds = changeKinds(o, n);
    if (kinds.length === 0) {
      unchanged++;
      return;
    }
    for (const k of kinds) byChange[k]++;
    const side = (n ?? o)!;
    changes.push({ id: side.id, changes: kinds, region: side.region, old: o, new: n, explanation: side.explanation });
  };
  for (let i = 0; i < oldEntries.length; i++) visit(oldEntries[i]!, oldMatch[i]! >= 0 ? newEntries[oldMatch[i]!] : undefined);
  for (let j = 0; j < newEntries.length; j++) if (newMatch[j]! < 0) visit(undefined, newEntries[j]!);

  const regionLevels = REGION_LEVELS.filter((l) => oldList.regionLevels.includes(l) || newList.regionLevels.includes(l));
  changes.sort(compareChanges);
  return {
    regionLevels,
    changes,
    counts: {
      old: oldList.entries.length,
      new: newList.entries.length,
      entered: byChange.entered,
      exited: byChange.exited,
      changed: changes.length - byChange.entered - byChange.exited,
      unchanged,
    },
    byChange,
    categoryMatrix,
    colorMatrix,
    byRegion: summarizeByRegion(oldList, newList, regionLevels, oldMatch, newMatch),
  };
}

/** The kinds of change between two sides of one household (empty when nothing the diff compares changed). */
export function changeKinds(o: ListEntry | undefined, n: ListEntry | undefined): ChangeKind[] {
  if (!o && !n) return [];
  if (!o) return ["entered"];
  if (!n) return ["exited"];
  const kinds: ChangeKind[] = [];
  if (o.category !== n.category) kinds.push("category");
  if (o.color !== n.color || o.grade !== n.grade) kinds.push("grade");
  if (o.status !== n.status) kinds.push("status");
  return kinds;
}

function count(matrix: Map<string | null, Map<string | null, number>>, from: string | null, to: string | null): void {
  let row = matrix.get(from);
  if (!row) matrix.set(from, (row = new Map()));
  row.set(to, (row.get(to) ?? 0) + 1);
}

/** The sum of all cells of a transition matrix. */
export function matrixTotal(matrix: TransitionMatrix): number {
  let total = 0;
  for (const row of matrix.values()) for (const n of row.values()) total += n;
  return total;
}


function compareChanges(a: HouseholdChange, b: HouseholdChange): number {
  const k = CHANGE_KINDS.indexOf(a.changes[0]!) - CHANGE_KINDS.indexOf(b.changes[0]!);
  if (k !== 0) return k;
  for (const level of REGION_LEVELS) {
    const r = compareCodePoints(a.region[level] ?? "", b.region[level] ?? "");
    if (r !== 0) return r;
  }
  return compareCodePoints(a.id, b.id);
}

interface RegionTally {
  depth: number;
  path: string[];
  region: Partial<Record<RegionLevel, string>>;
  oldListed: number;
  newListed: number;
  entered: number;
  exited: number;
}

function summarizeByRegion(
  oldList: MonitoringList,
  newList: MonitoringList,
  regionLevels: readonly RegionLevel[],
  oldMatch: Int32Array,
  newMatch: Int32Array,
): RegionChange[] {
  const qualifiers = regionLevels.filter((l) => !GROUPED_REGION_LEVELS.includes(l));
  const grouped = regionLevels.filter((l) => GROUPED_REGION_LEVELS.includes(l));
  const total: RegionTally = { depth: 0, path: [], region: {}, oldListed: 0, newListed: 0, entered: 0, exited: 0 };
  const tallies = new Map<string, RegionTally>();
  // The rows a household's region contributes to: the total, then one per grouped level down to the village. Found
  // once per distinct region (a province's list has a few thousand villages and hundreds of thousands of rows).
  const byRegion = new Map<string, RegionTally[]>();
  const levels = [...qualifiers, ...grouped];
  const rowsOf = (e: ListEntry): RegionTally[] => {
    let key = "";
    for (const l of levels) key += (e.region[l] ?? "") + "\u0000";
    let known = byRegion.get(key);
    if (!known) byRegion.set(key, (known = tallyRowsOf(e)));
    return known;
  };
  const tallyRowsOf = (e: ListEntry): RegionTally[] => {
    const out = [total];
    const region: Partial<Record<RegionLevel, string>> = {};
    const path: string[] = [];
    for (const l of qualifiers) {
      region[l] = e.region[l] ?? "";
      path.push(region[l]!);
    }
    grouped.forEach((l, i) => {
      region[l] = e.region[l] ?? "";
      path.push(region[l]!);
      const key = path.join("\u0000");
      let t = tallies.get(key);
      if (!t) tallies.set(key, (t = { depth: i + 1, path: [...path], region: { ...region }, oldListed: 0, newListed: 0, entered: 0, exited: 0 }));
      out.push(t);
    });
    return out;
  };
  oldList.entries.forEach((o, i) => {
    const exited = oldMatch[i]! < 0 ? 1 : 0;
    for (const t of rowsOf(o)) {
      t.oldListed++;
      t.exited += exited;
    }
  });
  newList.entries.forEach((n, j) => {
    const entered = newMatch[j]! < 0 ? 1 : 0;
    for (const t of rowsOf(n)) {
      t.newListed++;
      t.entered += entered;
    }
  });
  const rows = [...tallies.values()].sort((a, b) => comparePaths(a.path, b.path));
  return [total, ...rows].map(({ depth, region, oldListed, newListed, entered, exited }) => ({
    depth,
    region,
    oldListed,
    newListed,
    entered,
    exited,
    net: entered - exited,
  }));
}

function comparePaths(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const r = compareCodePoints(a[i]!, b[i]!);
    if (r !== 0) return r;
  }
  return a.length - b.length;
}
