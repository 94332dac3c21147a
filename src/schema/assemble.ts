/**
 * Assembles the rows of every table into one Dataset: households merged across tables (first non-empty value wins,
 * differing values recorded as conflicts), members, the columnar income store, events matched to households.
 * Keeps the row accounting of every table: read = accepted + rejected + skipped + duplicates.
 */
import type { Dataset, HouseholdConflict, InputFile, TableReport } from "../model/dataset.js";
import type { DepartmentEvent, RowIssue, SourceRef, TableCounts } from "../model/index.js";
import { HouseholdStore, householdFieldIndex } from "../model/householdStore.js";
import { IncomeStore, type IncomeStoreState } from "../model/incomeStore.js";
import { MemberStore, type MemberFields } from "../model/memberStore.js";
import { formatMonth } from "../model/month.js";
import type { Dictionary } from "../model/columns.js";
import { maskIdNumber } from "../model/mask.js";
import { ASCII_CELL, makeIssue, type HouseholdRow, type RowOutcome } from "./rows.js";
import { latin1 } from "../model/bytes.js";

const FIRST_REJECTS = 10;

/**
 * Hash of a row's amounts (FNV-1a over their values in cents), to tell identical duplicate rows from differing ones
 * without keeping every amount. A blank income component is 0 (inputs.md: "a blank amount in a row that exists is
 * 0"), so a row with a blank 工资性收入 repeats one with 0 there; a blank 纯收入 (NaN) stays apart from 0, because it
 * means "the net income is the components' sum".
 */
export function amountSignature(wage: number, business: number, property: number, transfer: number, expense: number, netGiven: number, size: number): number {
  let h = 0x811c9dc5;
  h = mix(h, wage || 0);
  h = mix(h, business || 0);
  h = mix(h, property || 0);
  h = mix(h, transfer || 0);
  h = mix(h, expense || 0);
  h = mix(h, netGiven);
  h = mix(h, size);
  return h;
}

function mix(h: number, v: number): number {
  const x = v !== v ? -123456789 : Math.round(v * 100);
  h = Math.imul(h ^ (x | 0), 0x01000193);
  return Math.imul(h ^ Math.floor(x / 4294967296), 0x01000193) | 0;
}

interface TableState {
  report: TableReport;
  hasWage: boolean;
  wide: boolean;
  /** For wide tables: months contributed per row. */
  monthsPerRow?: Map<number, number>;
}

/** One income table read by another thread (DatasetBuilder.incomeTableResult → adoptIncomeTable). */
export interface IncomeTableResult {
  counts: TableCounts;
  firstRejects: RowIssue[];
  rejects: RowIssue[];
  income: IncomeStoreState;
  /** A wide table's months per row (how a row with duplicate months is counted at finish). */
  monthsPerRow?: Map<number, number> | undefined;
}

export class DatasetBuilder {
  private readonly households = new HouseholdStore();
  private readonly members = new MemberStore((table) => this.tables[table]!.report);
  private membersKnown = false;
  private income = new IncomeStore();
  private hasWageColumn = false;
  private readonly events: { event: DepartmentEvent; table: number }[] = [];
  private readonly rejects: RowIssue[] = [];
  private readonly conflicts: HouseholdConflict[] = [];
  private readonly tables: TableState[] = [];
  readonly inputs: InputFile[] = [];

  /** Registers a table; returns its index for `add`. */
  addTable(file: InputFile, report: TableReport, flags: { hasWage: boolean; wide: boolean }): number {
    if (!this.inputs.includes(file)) this.inputs.push(file);
    file.tables.push(report);
    if (report.kind === "members") this.membersKnown = true;
    if (report.kind === "income" && flags.hasWage) this.hasWageColumn = true;
    this.tables.push({ report, hasWage: flags.hasWage, wide: flags.wide, monthsPerRow: flags.wide ? new Map() : undefined });
    return this.tables.length - 1;
  }

  /** Registers an input file with no tables (yet). */
  addInput(file: InputFile): void {
    if (!this.inputs.includes(file)) this.inputs.push(file);
  }

  /** Counts rows that were read and skipped before the header (title and grouping rows) or in an unrecognised table. */
  skipRows(table: number, n: number): void {
    const c = this.tables[table]!.report.counts;
    c.read += n;
    c.skipped += n;
  }

  /** Takes one converted row. `source` may be reused by the caller for the next row: what is kept is copied. */
  add(table: number, outcome: RowOutcome, source: SourceRef): void {
    const t = this.tables[table]!;
    const c = t.report.counts;
    c.read++;
    switch (outcome.type) {
      case "skip":
        c.skipped++;
        return;
      case "reject":
        this.reject(t, outcome.issue);
        return;
      case "household":
        c.accepted++;
        this.mergeHousehold(outcome.household, source);
        return;
      case "member": {
        c.accepted++;
        this.members.add(table, outcome.member.source.row, outcome.member.householdId, outcome.member);
        this.mergeHousehold(outcome.household, source);
        return;
      }
      case "income": {
        c.accepted++;
        for (const v of outcome.values) {
          this.addIncome(t, table, source.row, v.householdId, v.month, v.wage ?? NaN, v.business ?? NaN, v.property ?? NaN, v.transfer ?? NaN, v.businessExpense ?? NaN, v.netGiven ?? NaN, v.size ?? NaN);
        }
        if (t.monthsPerRow) t.monthsPerRow.set(source.row, outcome.values.length);
        return;
      }
      case "event":
        c.accepted++;
        this.events.push({ event: outcome.event, table });
        return;
    }
  }

  /**
   * One accepted member row of a members table without household columns (the fast CSV path's entry). Counts the
   * row as read and accepted; a household first seen here is added, at this row.
   */
  addMemberRow(table: number, row: number, householdId: string, member: MemberFields): void {
    this.members.add(table, row, householdId, member);
    this.memberRowAdded(table, row, householdId);
  }

  /** The dictionaries of the member store's coded fields (CODED_MEMBER_FIELDS order), for addCodedMemberRow. */
  memberDictionaries(): readonly Dictionary[] {
    return this.members.dictionaries;
  }

  /** addMemberRow with the coded fields given as codes of memberDictionaries() (the fast path codes each cell once). */
  addCodedMemberRow(table: number, row: number, householdId: string, codes: Int32Array, member: MemberFields): void {
    this.members.addCoded(table, row, householdId, codes, member);
    this.memberRowAdded(table, row, householdId);
  }

  private memberRowAdded(table: number, row: number, householdId: string): void {
    const t = this.tables[table]!;
    t.report.counts.read++;
    t.report.counts.accepted++;
    if (householdId !== this.lastMemberHousehold) {
      this.lastMemberHousehold = householdId;
      this.fastSource.file = t.report.file;
      this.fastSource.sheet = t.report.sheet;
      this.fastSource.row = row;
      // A household sharedHouseholdId found is in the store already: no second lookup.
      if (householdId !== this.knownHousehold) this.households.indexOrCreate(householdId, this.fastSource);
    }
  }

  private lastMemberHousehold = "";
  /** The last id sharedHouseholdId found among the households. */
  private knownHousehold: string | undefined;

  /**
   * The string instance already used for household `id` (by the households table read before), else `id`: the fast
   * paths make one string per household, and a province's worth of equal strings would be kept three times.
   */
  sharedHouseholdId(id: string): string {
    const known = this.households.knownId(id);
    if (known === undefined) return id;
    this.knownHousehold = known;
    return known;
  }

  /** Sets the 证件号码 of the member row added last from plain ASCII bytes b[s..e) (the fast path: no string). */
  setLastMemberIdBytes(b: Buffer, s: number, e: number): void {
    this.members.setLastIdNumberBytes(b, s, e);
  }

  /** One accepted households row (the fast CSV path's entry). Counts the row as read and accepted. */
  addHouseholdRow(table: number, row: number, household: HouseholdRow): void {
    const t = this.tables[table]!;
    t.report.counts.read++;
    t.report.counts.accepted++;
    this.fastSource.file = t.report.file;
    this.fastSource.sheet = t.report.sheet;
    this.fastSource.row = row;
    this.mergeHousehold(household, this.fastSource);
  }

  private readonly fastSource = { file: "", sheet: "", row: 0 };

  /** Makes room for about `rows` more rows of table `table` (an estimate from the file size; income and members tables). */
  reserveRows(table: number, rows: number): void {
    const kind = this.tables[table]!.report.kind;
    if (kind === "income") this.income.reserve(this.income.rowCount + rows);
    else if (kind === "members") this.members.reserve(this.members.rowCount + rows);
    else if (kind === "households") this.households.reserve(this.households.size + rows);
  }

  /**
   * One accepted long-layout income row, amounts as numbers with NaN for a blank cell (the fast CSV path's entry:
   * no objects per row). Counts the row as read and accepted.
   */
  addIncomeRow(table: number, row: number, householdId: string, month: number, wage: number, business: number, property: number, transfer: number, expense: number, netGiven: number, size: number): void {
    const t = this.tables[table]!;
    t.report.counts.read++;
    t.report.counts.accepted++;
    this.addIncome(t, table, row, householdId, month, wage, business, property, transfer, expense, netGiven, size);
  }

  private addIncome(t: TableState, table: number, row: number, householdId: string, month: number, wage: number, business: number, property: number, transfer: number, expense: number, netGiven: number, size: number): void {
    const net = netGiven === netGiven ? netGiven : (wage || 0) + (business || 0) + (property || 0) + (transfer || 0) - (expense || 0);
    const storedWage = t.hasWage ? wage || 0 : NaN;
    this.income.add(householdId, month, net, storedWage, size, amountSignature(wage, business, property, transfer, expense, netGiven, size), table, row);
  }

  private reject(t: TableState, issue: RowIssue): void {
    t.report.counts.rejected++;
    this.rejects.push(issue);
    if (t.report.firstRejects.length < FIRST_REJECTS) t.report.firstRejects.push(issue);
  }

  /**
   * Adds a row's household columns to its household: each column's first non-empty value wins. A different later
   * value is a conflict (Q017: "a member-level export gives two different values") only when it comes from the table
   * the household was first seen in — the export disagreeing with itself; a later table that differs from an earlier
   * one (a households table against a member export of another day) is not, and the first table's value stands.
   */
  private mergeHousehold(row: HouseholdRow, source: SourceRef): void {
    const store = this.households;
    const fields = this.fieldIndexes(row.fields);
    const { index: i, created } = store.indexOrCreate(row.id, source);
    if (created) {
      let risks: (string | undefined)[] | undefined;
      for (let j = 0; j < fields.length; j++) {
        const value = row.values[j];
        if (value === undefined) continue;
        const f = fields[j]!;
        if (f <= RISK) (risks ??= [])[RISK - f] = value as string;
        else if (value === ASCII_CELL) store.setAsciiBytes(i, f, row.ascii!.b, row.ascii!.s, row.ascii!.e);
        else store.setField(i, f, value);
      }
      if (risks) store.setRiskSlots(i, risks);
      return;
    }
    let risks: (string | undefined)[] | undefined;
    for (let j = 0; j < fields.length; j++) {
      let value = row.values[j];
      if (value === undefined) continue;
      if (value === ASCII_CELL) value = latin1(row.ascii!.b, row.ascii!.s, row.ascii!.e);
      const f = fields[j]!;
      if (f <= RISK) {
        (risks ??= [])[RISK - f] = value as string;
        continue;
      }
      const cur = store.getField(i, f);
      if (cur === undefined) store.setField(i, f, value);
      else if (cur !== value && store.firstSeenIn(i, source.file, source.sheet)) {
        const field = row.fields[j]!;
        this.conflicts.push({ householdId: row.id, column: row.canonicals[j]!, first: displayValue(field, cur), other: displayValue(field, value), source: { ...source } });
      }
    }
    if (risks) {
      // Each of 致贫/返贫风险1…5 is a household column of its own: its first non-empty value wins.
      const existing = store.riskSlotsOf(i);
      let merged: (string | undefined)[] | undefined;
      for (let s = 0; s < risks.length; s++) {
        const value = risks[s];
        if (value === undefined) continue;
        const cur = existing[s];
        if (cur === undefined) (merged ??= [...existing])[s] = value;
        else if (cur !== value && store.firstSeenIn(i, source.file, source.sheet)) {
          this.conflicts.push({ householdId: row.id, column: `致贫/返贫风险${s + 1}`, first: cur, other: value, source: { ...source } });
        }
      }
      if (merged) store.setRiskSlots(i, merged);
    }
  }

  /** Store field index of each of a row's fields (RISK − k for 致贫/返贫风险(k+1)), cached per fields array. */
  private fieldIndexes(fields: readonly string[]): Int32Array {
    let indexes = this.fieldIndexCache.get(fields);
    if (!indexes) {
      indexes = Int32Array.from(fields, (field) => {
        if (RISK_FIELD.test(field)) return RISK - (Number(field.slice(4)) - 1);
        const f = householdFieldIndex(field);
        if (f < 0) throw new Error(`not a household field: ${field}`);
        return f;
      });
      this.fieldIndexCache.set(fields, indexes);
    }
    return indexes;
  }

  private readonly fieldIndexCache = new WeakMap<readonly string[], Int32Array>();

  /**
   * What this builder read into its only table, an income table (the income worker's side of readDataset): the
   * table's counts and first rejects, every reject, and the income store before finalize.
   */
  incomeTableResult(): { result: IncomeTableResult; transfer: ArrayBuffer[] } {
    const report = this.tables[0]!.report;
    const { state, transfer } = this.income.toState();
    const monthsPerRow = this.tables[0]!.monthsPerRow;
    return { result: { counts: report.counts, firstRejects: report.firstRejects, rejects: this.rejects, income: state, monthsPerRow }, transfer };
  }

  /** Number of income rows taken so far (to tell whether another thread's income may be adopted whole). */
  get incomeRows(): number {
    return this.income.rowCount;
  }

  /**
   * Takes what another thread read from table `table` (an income table registered here): its counts, rejects and
   * income rows. Only while this builder has no income rows yet, so that the rows keep their order of arrival.
   */
  adoptIncomeTable(table: number, r: IncomeTableResult): void {
    if (this.income.rowCount > 0) throw new Error("adoptIncomeTable: income rows already taken");
    const t = this.tables[table]!;
    const c = t.report.counts;
    for (const k of ["read", "accepted", "rejected", "skipped", "duplicates"] as const) c[k] += r.counts[k];
    for (const issue of r.firstRejects) if (t.report.firstRejects.length < FIRST_REJECTS) t.report.firstRejects.push(issue);
    for (const issue of r.rejects) this.rejects.push(issue);
    if (r.monthsPerRow) for (const [row, months] of r.monthsPerRow) (t.monthsPerRow ??= new Map()).set(row, months);
    const income = IncomeStore.fromState(r.income);
    income.setTable(table);
    income.shareIds((id) => this.households.sharedId(id));
    this.income = income;
  }

  /**
   * The part of `finish` that needs no income: groups the members by household and finds the households of the ID
   * numbers events name without a 户编号. Called once every file is read, while another thread may still be reading
   * income (readDataset), so that this thread does it instead of waiting; `finish` calls it when nobody did.
   */
  prepareFinish(): void {
    if (this.eventHouseholds) return;
    this.members.finalize();
    this.eventHouseholds = this.householdsOfEventIdNumbers();
  }

  /** prepareFinish's households by ID number (undefined: not found), once it ran. */
  private eventHouseholds: Map<string, string | undefined> | undefined;

  /** Finalises income (duplicates), matches events to households, and returns the dataset. */
  finish(): Dataset {
    this.prepareFinish();
    this.resolveIncomeDuplicates();
    const events = this.matchEvents(this.eventHouseholds!);
    return {
      inputs: this.inputs,
      households: this.households,
      members: this.members,
      membersKnown: this.membersKnown,
      income: this.income,
      hasWageColumn: this.hasWageColumn,
      events,
      rejects: this.rejectsInInputOrder(),
      conflicts: this.conflicts,
    };
  }

  /** The rejects in input order: by the table they come from (in the order tables were read), then by row. */
  private rejectsInInputOrder(): RowIssue[] {
    const order = new Map<string, number>();
    this.tables.forEach((t, i) => {
      const key = `${t.report.file}\u0000${t.report.sheet}`;
      if (!order.has(key)) order.set(key, i);
    });
    const tableOf = (r: RowIssue) => order.get(`${r.source.file}\u0000${r.source.sheet}`) ?? this.tables.length;
    return this.rejects.sort((a, b) => tableOf(a) - tableOf(b) || a.source.row - b.source.row);
  }

  private resolveIncomeDuplicates(): void {
    const dups = this.income.finalize();
    // Group by (table, row): a wide row contributes several months.
    let i = 0;
    while (i < dups.length) {
      let j = i;
      while (j < dups.length && dups[j]!.table === dups[i]!.table && dups[j]!.row === dups[i]!.row) j++;
      const group = dups.slice(i, j);
      const t = this.tables[group[0]!.table]!;
      const c = t.report.counts;
      const months = t.monthsPerRow?.get(group[0]!.row) ?? 1;
      const conflict = group.filter((d) => !d.identical);
      const source: SourceRef = { file: t.report.file, sheet: t.report.sheet, row: group[0]!.row };
      for (const d of conflict) {
        const issue = makeIssue("income", source, "年月", formatMonth(d.month), "income_conflict", d.householdId);
        this.rejects.push(issue);
        if (t.report.firstRejects.length < FIRST_REJECTS) t.report.firstRejects.push(issue);
      }
      if (group.length >= months) {
        c.accepted--;
        if (conflict.length > 0) c.rejected++;
        else c.duplicates++;
      }
      i = j;
    }
  }

  /**
   * The household of each ID number that events name without a 户编号: a member's first, else a 户主证件号码's.
   * Only those numbers are looked up (a province has millions of members).
   */
  private householdsOfEventIdNumbers(): Map<string, string | undefined> {
    const byIdNumber = new Map<string, string | undefined>();
    for (const { event } of this.events) if (event.householdId === undefined && event.idNumber !== undefined) byIdNumber.set(event.idNumber, undefined);
    if (byIdNumber.size > 0) {
      const wanted = new Set(byIdNumber.keys());
      for (const [idNumber, hid] of this.members.householdsOfIdNumbers(wanted)) byIdNumber.set(idNumber, hid);
      for (const [idNumber, hid] of this.households.householdsOfHeadIdNumbers(wanted)) if (byIdNumber.get(idNumber) === undefined) byIdNumber.set(idNumber, hid);
    }
    return byIdNumber;
  }

  private matchEvents(byIdNumber: ReadonlyMap<string, string | undefined>): DepartmentEvent[] {
    const known = (id: string) => this.households.has(id) || this.members.has(id) || this.income.has(id);
    if (this.events.length === 0) return [];
    const out: DepartmentEvent[] = [];
    for (const { event, table } of this.events) {
      let hid = event.householdId;
      if (hid === undefined && event.idNumber !== undefined) hid = byIdNumber.get(event.idNumber);
      if (hid !== undefined && known(hid)) {
        out.push(hid === event.householdId ? event : { ...event, householdId: hid });
        continue;
      }
      const t = this.tables[table]!;
      t.report.counts.accepted--;
      const column = event.householdId !== undefined ? "户编号" : "证件号码";
      const value = event.householdId ?? maskIdNumber(event.idNumber ?? "");
      this.reject(t, makeIssue("events", event.source, column, value, "event_unmatched", event.householdId));
    }
    return out;
  }
}

const RISK_FIELD = /^risk\d$/;
/** fieldIndexes of 致贫/返贫风险1 (and RISK − k of 致贫/返贫风险(k+1)): below every store field index. */
const RISK = -1;

/** A household value as the conflict shows it (as written; Q017 masks names and ID numbers by their column). */
function displayValue(key: string, v: unknown): string {
  if (typeof v === "boolean") return v ? "是" : "否";
  if (typeof v === "number" && (key === "identifiedMonth" || key === "eliminatedMonth")) return formatMonth(v);
  return String(v);
}

