/**
 * The scan's evaluation step: every household of the dataset (from households, members or income data) through the
 * rules with its own resolved policy, accumulating the summary and keeping only the listed households.
 */
import type { Dataset } from "../model/dataset.js";
import { HouseholdStore } from "../model/householdStore.js";
import { HOUSEHOLD_COLUMNS } from "../schema/catalogue.js";
import { REGION_LEVELS, type DepartmentEvent, type Household, type Member, type RegionLevel } from "../model/index.js";
import type { HouseholdHistory, IncomeSeries } from "../rules/types.js";
import type { Policy } from "../policy/types.js";
import { createSettingsResolver } from "../policy/resolve.js";
import { evaluateHousehold } from "../rules/evaluate.js";
import { householdView } from "../audit/evaluate.js";
import type { HouseholdView } from "../audit/finding.js";
import type { ListedHousehold } from "./flagged.js";
import { createSummaryAccumulator, type SummaryAccumulator } from "./summaryAccumulator.js";

export interface ScanEvaluation {
  /** Listed households, in dataset order (the list builder sorts them). */
  listed: ListedHousehold[];
  summary: SummaryAccumulator;
  /** Region levels that have a value for at least one household. */
  regionLevels: RegionLevel[];
}

/**
 * Household ids in a stable order: households data first (in its order: a HouseholdStore's index is the position,
 * which eventLookup relies on), then members-only, then income-only households.
 */
export function householdIdsOf(dataset: Dataset): string[] {
  const { households, members, income } = dataset;
  const ids = Array.from(households.keys());
  for (const id of members.keys()) if (!households.has(id)) ids.push(id);
  const incomeIds = income.householdIds();
  for (let i = 0; i < incomeIds.length; i++) {
    const id = incomeIds[i]!;
    if (!households.has(id) && !members.has(id)) ids.push(id);
  }
  return ids;
}

export interface EvaluateOptions {
  onProgress?: (done: number) => void;
  /**
   * Awaited every few thousand households, so that the caller can let signals in (Ctrl-C) and stop by throwing;
   * without it the evaluation runs straight through.
   */
  checkpoint?: () => Promise<void>;
  /** Called with every household and its members (built once per household), e.g. an audit pass. */
  visit?: (view: HouseholdView) => void;
}

const CHECKPOINT_EVERY = 20_000;

/**
 * A household's history whose members are read through its view, which builds a store's members on first read: the
 * rules need them only for a household without a usable 家庭人口数 and for a few others (labour, risk types).
 */
class ViewHistory implements HouseholdHistory {
  constructor(
    readonly household: Household,
    private readonly view: HouseholdView,
    readonly membersKnown: boolean,
    readonly income: IncomeSeries,
    readonly events: readonly DepartmentEvent[],
  ) {}

  get members(): readonly Member[] {
    return this.view.members;
  }
}

const NO_EVENTS: readonly DepartmentEvent[] = Object.freeze([]);

/**
 * The department events of the household at position k of householdIdsOf(dataset), whose id is `id`. The events of a
 * household of a HouseholdStore are found by its store index, which is its position (householdIdsOf lists the store's
 * households first, in its order); only the others' by their id in a Map. A Map looked up with each of a million ids
 * took ≈ 0.4 s: the id strings lie all over the heap and each lookup touched them cold.
 */
function eventLookup(dataset: Dataset): (k: number, id: string) => readonly DepartmentEvent[] {
  const store = dataset.households instanceof HouseholdStore ? dataset.households : undefined;
  const inStore = store?.size ?? 0;
  // listOf[i]: the index in `lists` of store household i's events, −1 for none (a typed array: a JS array written at
  // scattered indices would turn into a dictionary).
  const listOf = new Int32Array(inStore).fill(-1);
  const lists: DepartmentEvent[][] = [];
  const byId = new Map<string, DepartmentEvent[]>();
  for (const e of dataset.events) {
    const id = e.householdId!;
    const i = store ? store.indexOf(id) : -1;
    if (i >= 0) {
      if (listOf[i]! < 0) listOf[i] = lists.push([]) - 1;
      lists[listOf[i]!]!.push(e);
    } else {
      const list = byId.get(id);
      if (list) list.push(e);
      else byId.set(id, [e]);
    }
  }
  return (k, id) => {
    if (k >= inStore) return byId.get(id) ?? NO_EVENTS;
    const j = listOf[k]!;
    return j < 0 ? NO_EVENTS : lists[j]!;
  };
}

/** The canonical header of each region level, as the catalogue names it (a table report's `columns` keys). */
const REGION_HEADER = Object.fromEntries(HOUSEHOLD_COLUMNS.filter((c) => (REGION_LEVELS as readonly string[]).includes(c.field)).map((c) => [c.field, c.canonical])) as Record<RegionLevel, string>;

/**
 * The region levels whose column some table of the input has (outputs.md: the list's region columns are "those
 * present in the input"), even when every cell of it is blank; the evaluation adds the levels a household has a
 * value for (a Dataset made in code has no tables).
 */
function regionColumnsOf(dataset: Dataset): Set<RegionLevel> {
  const present = new Set<RegionLevel>();
  for (const f of dataset.inputs) for (const t of f.tables) for (const level of REGION_LEVELS) if (t.columns[REGION_HEADER[level]] !== undefined) present.add(level);
  return present;
}

/** Evaluates every household of `dataset` for `period` (a month integer). */
export async function evaluateDataset(dataset: Dataset, policy: Policy, period: number, options: EvaluateOptions = {}): Promise<ScanEvaluation> {
  const resolve = createSettingsResolver(policy, period);
  const summary = createSummaryAccumulator();
  const eventsOf = eventLookup(dataset);
  const present = regionColumnsOf(dataset);
  const listed: ListedHousehold[] = [];
  const ids = householdIdsOf(dataset);
  let done = 0;
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k]!;
    const view = householdView(dataset, id);
    options.visit?.(view);
    const household: Household = view.household ?? { id, risks: [], source: view.members[0]?.source ?? { file: "", sheet: "", row: 0 } };
    if (present.size < REGION_LEVELS.length) for (const level of REGION_LEVELS) if (household[level]) present.add(level);
    const { settings, applied } = resolve(household);
    const assessment = evaluateHousehold(
      new ViewHistory(household, view, dataset.membersKnown, dataset.income.seriesView(id), eventsOf(k, id)),
      settings,
      period,
    );
    summary.add(household, assessment, applied);
    if (assessment.status !== undefined) listed.push({ household, assessment });
    if (++done % CHECKPOINT_EVERY === 0) {
      options.onProgress?.(done);
      if (options.checkpoint) await options.checkpoint();
    }
  }
  return { listed, summary, regionLevels: REGION_LEVELS.filter((l) => present.has(l)) };
}
