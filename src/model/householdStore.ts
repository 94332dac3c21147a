/**
 * Columnar store of households (户信息) for a whole province: dictionary codes for the repeated texts (region,
 * 户类型, 监测对象类别 …), typed arrays for numbers, months and yes/no values, bytes for 户主证件号码. It reads like a
 * `ReadonlyMap<户编号, Household>` whose Household objects are built on each `get` (they are not kept): a million
 * household objects, each with its strings, source and risks, cost about three times the memory and keep the garbage
 * collector busy for the whole scan.
 *
 * Values are set field by field (`setField`), so that the dataset builder can merge a household's rows across tables
 * with "first non-empty value wins" exactly as it did on objects.
 */
import type { Household, SourceRef } from "./index.js";
import { AsciiColumn, CodeColumn, Dictionary } from "./columns.js";
import { IdIndex } from "./idIndex.js";

/** Household fields other than id, risks and source, in Household order. */
export const HOUSEHOLD_FIELDS = [
  "province",
  "city",
  "county",
  "township",
  "village",
  "regionCode",
  "headName",
  "headIdNumber",
  "householdType",
  "size",
  "monitoringCategory",
  "identifiedMonth",
  "riskEliminated",
  "eliminatedMonth",
  "eliminationMethod",
  "annualNetIncomePc",
  "compliantSelfPaid",
  "noLabourHousehold",
] as const;

export type HouseholdField = (typeof HOUSEHOLD_FIELDS)[number];

const enum F {
  province,
  city,
  county,
  township,
  village,
  regionCode,
  headName,
  headIdNumber,
  householdType,
  size,
  monitoringCategory,
  identifiedMonth,
  riskEliminated,
  eliminatedMonth,
  eliminationMethod,
  annualNetIncomePc,
  compliantSelfPaid,
  noLabourHousehold,
}

type Kind = "code" | "text" | "ascii" | "number" | "bool";
const KIND: readonly Kind[] = [
  "code", "code", "code", "code", "code", "code", // region
  "text", "ascii", "code", "number", "code", "number", "bool", "number", "code", "number", "number", "bool",
];

/** Field index of a household field name, or −1. */
export function householdFieldIndex(field: string): number {
  return (HOUSEHOLD_FIELDS as readonly string[]).indexOf(field);
}

const TRI: (boolean | undefined)[] = [undefined, false, true];
const NO_RISKS: string[] = Object.freeze([]) as unknown as string[];
/** The 致贫/返贫风险 columns (1…5). */
const RISK_COLUMNS = 5;
const NO_RISK_SLOTS: readonly (string | undefined)[] = Object.freeze(new Array<string | undefined>(RISK_COLUMNS).fill(undefined));

export class HouseholdStore implements ReadonlyMap<string, Household> {
  private readonly index = new IdIndex(1 << 16);
  private cap = 1024;
  /** Per field: its dictionary and codes, texts, bytes, numbers (NaN = undefined) or yes/no (0 = undefined). */
  private readonly dicts: (Dictionary | undefined)[] = KIND.map((k) => (k === "code" ? new Dictionary() : undefined));
  private readonly codes: (CodeColumn | undefined)[] = KIND.map((k) => (k === "code" ? new CodeColumn(this.cap) : undefined));
  private readonly texts: ((string | undefined)[] | undefined)[] = KIND.map((k) => (k === "text" ? [] : undefined));
  private readonly ascii: (AsciiColumn | undefined)[] = KIND.map((k) => (k === "ascii" ? new AsciiColumn(this.cap) : undefined));
  private numbers: (Float64Array | undefined)[] = KIND.map((k) => (k === "number" ? new Float64Array(this.cap).fill(NaN) : undefined));
  private bools: (Uint8Array | undefined)[] = KIND.map((k) => (k === "bool" ? new Uint8Array(this.cap) : undefined));
  /**
   * 致贫/返贫风险1…5, as codes of their joined cells: riskSlots[code] holds the five cells (undefined when blank), each
   * column merged on its own; riskLists[code] the non-blank ones in column order (the household's `risks`; frozen).
   */
  private readonly riskDict = new Dictionary();
  private readonly riskLists: string[][] = [NO_RISKS];
  private readonly riskSlots: (readonly (string | undefined)[])[] = [NO_RISK_SLOTS];
  private risks = new CodeColumn(this.cap);
  /** Where each household was first seen: (file, sheet) as a code of `places`, and the row. */
  private readonly places: { file: string; sheet: string }[] = [];
  private readonly placeIndex = new Map<string, number>();
  private place = new CodeColumn(this.cap);
  private row = new Int32Array(this.cap);

  get size(): number {
    return this.index.size;
  }

  /** The string instance kept for household `id` (one per household across the stores), else `id`. */
  sharedId(id: string): string {
    return this.knownId(id) ?? id;
  }

  /** The store's index of household `id` (its position in keys()), or −1. */
  indexOf(id: string): number {
    return this.index.get(id);
  }

  /** The string instance kept for household `id`, or undefined when there is no such household. */
  knownId(id: string): string | undefined {
    const i = this.index.get(id);
    return i < 0 ? undefined : this.index.ids[i]!;
  }

  /**
   * The index of household `id`, adding it (every field empty, first seen at `source`) when absent; one hash of the
   * id either way. `created` tells which.
   */
  indexOrCreate(id: string, source: SourceRef): { index: number; created: boolean } {
    const i = this.index.size;
    const index = this.index.add(id);
    if (index !== i) return { index, created: false };
    this.initialise(i, source);
    return { index, created: true };
  }

  private initialise(i: number, source: SourceRef): void {
    if (i === this.cap) this.grow(this.cap * 2);
    this.place.set(i, this.placeOf(source.file, source.sheet));
    this.row[i] = source.row;
  }

  private lastPlace = -1;

  private placeOf(file: string, sheet: string): number {
    const last = this.places[this.lastPlace];
    if (last && last.file === file && last.sheet === sheet) return this.lastPlace;
    const key = `${file}\u0000${sheet}`;
    let p = this.placeIndex.get(key);
    if (p === undefined) {
      this.placeIndex.set(key, (p = this.places.length));
      this.places.push({ file, sheet });
    }
    return (this.lastPlace = p);
  }

  /** The value of field `f` (a HOUSEHOLD_FIELDS index) of household i; undefined when empty. */
  getField(i: number, f: number): unknown {
    switch (KIND[f]) {
      case "code":
        return this.dicts[f]!.values[this.codes[f]!.get(i)];
      case "text":
        return this.texts[f]![i];
      case "ascii":
        return this.ascii[f]!.get(i);
      case "number": {
        const v = this.numbers[f]![i]!;
        return v === v ? v : undefined;
      }
      default:
        return TRI[this.bools[f]![i]!];
    }
  }

  /** Sets field `f` of household i to `value` (a value of the field's type, as the row converter gives it). */
  setField(i: number, f: number, value: unknown): void {
    switch (KIND[f]) {
      case "code":
        this.codes[f]!.set(i, this.dicts[f]!.code(value as string | undefined));
        return;
      case "text":
        this.texts[f]![i] = value as string | undefined;
        return;
      case "ascii":
        this.ascii[f]!.set(i, value as string | undefined);
        return;
      case "number":
        this.numbers[f]![i] = value === undefined ? NaN : (value as number);
        return;
      default:
        this.bools[f]![i] = value === undefined ? 0 : value ? 2 : 1;
    }
  }

  /** Sets field `f` (an ASCII column: 户主证件号码) of household i from plain ASCII bytes b[s..e). */
  setAsciiBytes(i: number, f: number, b: Buffer, s: number, e: number): void {
    this.ascii[f]!.setBytes(i, b, s, e);
  }

  /** Makes room for `households` households at least (an estimate from a file's size: the columns grow once). */
  reserve(households: number): void {
    if (households > this.cap) this.grow(Math.ceil(households));
    this.index.reserve(households);
  }

  risksOf(i: number): string[] {
    return this.riskLists[this.risks.get(i)]!;
  }

  /** Whether household i was first seen in table (file, sheet). */
  firstSeenIn(i: number, file: string, sheet: string): boolean {
    const p = this.places[this.place.get(i)]!;
    return p.file === file && p.sheet === sheet;
  }

  /** Household i's 致贫/返贫风险1…5 cells (five; undefined when blank). */
  riskSlotsOf(i: number): readonly (string | undefined)[] {
    return this.riskSlots[this.risks.get(i)]!;
  }

  /** Sets household i's 致贫/返贫风险1…5 cells (up to five, by column; undefined when blank). */
  setRiskSlots(i: number, slots: readonly (string | undefined)[]): void {
    // The key of the five cells in one pass (called for every household row with a risk): arrays only for a new one.
    let key = "";
    let any = false;
    for (let s = 0; s < RISK_COLUMNS; s++) {
      const v = slots[s];
      if (s > 0) key += "\u0000";
      if (v !== undefined) {
        key += v;
        any = true;
      }
    }
    const c = any ? this.riskDict.code(key) : 0;
    if (c === this.riskLists.length) {
      const cells = Array.from({ length: RISK_COLUMNS }, (_, s) => slots[s]);
      this.riskLists.push(Object.freeze(cells.filter((v): v is string => v !== undefined)) as string[]);
      this.riskSlots.push(Object.freeze(cells));
    }
    this.risks.set(i, c);
  }

  private grow(cap: number): void {
    this.cap = cap;
    for (const c of this.codes) c?.grow(cap);
    for (const a of this.ascii) a?.grow(cap);
    this.numbers = this.numbers.map((a) => {
      if (!a) return undefined;
      const b = new Float64Array(cap).fill(NaN);
      b.set(a);
      return b;
    });
    this.bools = this.bools.map((a) => {
      if (!a) return undefined;
      const b = new Uint8Array(cap);
      b.set(a);
      return b;
    });
    this.risks.grow(cap);
    this.place.grow(cap);
    const row = new Int32Array(cap);
    row.set(this.row);
    this.row = row;
  }

  /** Household i as a new object (every field present, undefined when empty: one object shape for all). */
  private build(i: number): Household {
    const place = this.places[this.place.get(i)]!;
    const code = (f: number) => this.dicts[f]!.values[this.codes[f]!.get(i)];
    const num = (f: number) => {
      const v = this.numbers[f]![i]!;
      return v === v ? v : undefined;
    };
    return {
      id: this.index.ids[i]!,
      province: code(F.province),
      city: code(F.city),
      county: code(F.county),
      township: code(F.township),
      village: code(F.village),
      regionCode: code(F.regionCode),
      headName: this.texts[F.headName]![i],
      headIdNumber: this.ascii[F.headIdNumber]!.get(i),
      householdType: code(F.householdType),
      size: num(F.size),
      monitoringCategory: code(F.monitoringCategory),
      identifiedMonth: num(F.identifiedMonth),
      riskEliminated: TRI[this.bools[F.riskEliminated]![i]!],
      eliminatedMonth: num(F.eliminatedMonth),
      eliminationMethod: code(F.eliminationMethod),
      risks: this.riskLists[this.risks.get(i)]!,
      annualNetIncomePc: num(F.annualNetIncomePc),
      compliantSelfPaid: num(F.compliantSelfPaid),
      noLabourHousehold: TRI[this.bools[F.noLabourHousehold]![i]!],
      source: { file: place.file, sheet: place.sheet, row: this.row[i]! },
    };
  }

  get(id: string): Household | undefined {
    const i = this.index.get(id);
    return i < 0 ? undefined : this.build(i);
  }

  has(id: string): boolean {
    return this.index.get(id) >= 0;
  }

  /** For each of the `wanted` ID numbers, the first household (in order) whose 户主证件号码 it is. */
  householdsOfHeadIdNumbers(wanted: ReadonlySet<string>): Map<string, string> {
    const found = new Map<string, string>();
    this.ascii[F.headIdNumber]!.rowsWith(wanted, this.index.size, (i, id) => {
      if (!found.has(id)) found.set(id, this.index.ids[i]!);
      return found.size === wanted.size;
    });
    return found;
  }

  keys(): MapIterator<string> {
    return this.index.ids[Symbol.iterator]();
  }

  *values(): MapIterator<Household> {
    for (let i = 0; i < this.index.size; i++) yield this.build(i);
  }

  *entries(): MapIterator<[string, Household]> {
    for (let i = 0; i < this.index.size; i++) yield [this.index.ids[i]!, this.build(i)];
  }

  [Symbol.iterator](): MapIterator<[string, Household]> {
    return this.entries();
  }

  forEach(callback: (value: Household, key: string, map: ReadonlyMap<string, Household>) => void): void {
    for (let i = 0; i < this.index.size; i++) callback(this.build(i), this.index.ids[i]!, this);
  }
}
