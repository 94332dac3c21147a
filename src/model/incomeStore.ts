/**
 * Columnar store of monthly income rows for a whole province: typed arrays, no object per row.
 * Rows are appended while reading; `finalize` groups them by household, resolves duplicate household-months
 * (identical → duplicate, different → the later row rejected) and afterwards serves one IncomeSeries per household.
 */
import type { IncomeSeries } from "../rules/types.js";
import { IdIndex, type IdIndexState } from "./idIndex.js";

const EMPTY: IncomeSeries = { length: 0, months: new Int32Array(0), net: new Float64Array(0), wage: new Float64Array(0), size: new Float64Array(0) };

function growInt32(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

function grow<T extends Uint8Array | Uint16Array | Int32Array | Float64Array>(a: T, n: number): T {
  const b = new (a.constructor as { new (n: number): T })(n);
  b.set(a);
  return b;
}

/** A duplicate household-month found by `finalize`: `identical` rows are dropped, others rejected. */
export interface DuplicateRow {
  table: number;
  row: number;
  householdId: string;
  month: number;
  identical: boolean;
}

/** An IncomeStore before finalize as plain data (structured-cloneable). */
export interface IncomeStoreState {
  index: IdIndexState;
  n: number;
  cap: number;
  month: Uint16Array | Int32Array;
  net: Float64Array;
  wage: Float64Array;
  size: Uint8Array | Int32Array;
  sig: Int32Array;
  firstRow: Int32Array<ArrayBuffer>;
  breakAt: number;
  hh: Int32Array | undefined;
  table: Int32Array | undefined;
  row: Int32Array | undefined;
  maxMonth: number;
  minMonth: number;
  lastId: string;
  lastIndex: number;
}

export class IncomeStore {
  private index = new IdIndex();
  private n = 0;
  private cap = 1024;
  /** Month integers: two bytes each while every month fits (years up to 5461), else four. */
  private month: Uint16Array | Int32Array = new Uint16Array(this.cap);
  private net = new Float64Array(this.cap);
  private wage = new Float64Array(this.cap);
  /** 家庭人口数 (a whole number ≥ 1 when given; 0 = absent): one byte each while every size fits, else four. */
  private size: Uint8Array | Int32Array = new Uint8Array(this.cap);
  /** A hash of the row's other amounts, so that identical and differing duplicates can be told apart. */
  private sig = new Int32Array(this.cap);
  /**
   * While rows arrive grouped by household with strictly ascending months (the usual export order), the first row of
   * each household is all that is kept of where rows came from: no duplicate can be among them, and finalize needs no
   * sort and no copy. The first row out of that order (`breakAt`) starts the full columns: every row's household
   * index (`hh`), and the table and spreadsheet row of the rows from `breakAt` on (only those can be duplicates).
   */
  private firstRow: Int32Array<ArrayBuffer> = new Int32Array(1024);
  private breakAt = -1;
  private hh: Int32Array | undefined;
  private table: Int32Array | undefined;
  private row: Int32Array | undefined;
  // After finalize: rows of household i are start[i] .. start[i+1] of the s* columns.
  private start: Int32Array | undefined;
  private sMonth: Uint16Array | Int32Array = new Int32Array(0);
  private sNet = new Float64Array(0);
  private sWage = new Float64Array(0);
  private sSize: Uint8Array | Int32Array = new Int32Array(0);
  /** Largest month seen (NaN-free: -1 when empty). */
  maxMonth = -1;
  minMonth = Number.MAX_SAFE_INTEGER;
  private lastId = "";
  private lastIndex = -1;
  private readonly view = { length: 0, months: new Int32Array(0), net: new Float64Array(0), wage: new Float64Array(0), size: new Float64Array(0) };

  /** Number of rows added (before de-duplication). */
  get rowCount(): number {
    return this.n;
  }

  private get ids(): string[] {
    return this.index.ids;
  }

  /** Makes room for `rows` rows at once (a good estimate saves the copies of doubling). */
  reserve(rows: number): void {
    if (rows > this.cap && !this.start) this.resize(Math.ceil(rows));
  }

  /**
   * Appends one accepted row. `wage` NaN = no wage column; `size` NaN = none; `sig` = hash of the other amounts.
   * `table` and `row` say where it came from (for duplicate accounting).
   */
  add(householdId: string, month: number, net: number, wage: number, size: number, sig: number, table: number, row: number): void {
    if (this.start) throw new Error("IncomeStore.add after finalize");
    if (this.n === this.cap) this.resize(this.cap * 2);
    const k = this.n++;
    let h: number;
    if (householdId === this.lastId) {
      h = this.lastIndex;
      if (this.breakAt < 0 && month <= this.month[k - 1]!) this.breakGrouping(k);
    } else {
      const before = this.index.size;
      h = this.index.add(householdId);
      if (this.breakAt < 0) {
        if (h !== before) this.breakGrouping(k);
        else {
          if (h >= this.firstRow.length) this.firstRow = growInt32(this.firstRow, this.firstRow.length * 2);
          this.firstRow[h] = k;
        }
      }
      this.lastId = householdId;
      this.lastIndex = h;
    }
    if (this.hh) {
      this.hh[k] = h;
      this.table![k - this.breakAt] = table;
      this.row![k - this.breakAt] = row;
    }
    if (month > 65535 || month < 0) {
      if (this.month instanceof Uint16Array) this.month = Int32Array.from(this.month);
    }
    this.month[k] = month;
    this.net[k] = net;
    this.wage[k] = wage;
    if (size > 255 && this.size instanceof Uint8Array) this.size = Int32Array.from(this.size);
    this.size[k] = size === size ? size : 0;
    this.sig[k] = sig;
    if (month > this.maxMonth) this.maxMonth = month;
    if (month < this.minMonth) this.minMonth = month;
  }

  /**
   * The rows added so far as plain data, for another thread (`IncomeStore.fromState`; before finalize only). The
   * typed arrays' buffers are listed in `transfer` so that they move instead of being copied.
   */
  toState(): { state: IncomeStoreState; transfer: ArrayBuffer[] } {
    if (this.start) throw new Error("IncomeStore.toState after finalize");
    const index = this.index.toState();
    const state: IncomeStoreState = {
      index,
      n: this.n,
      cap: this.cap,
      month: this.month,
      net: this.net,
      wage: this.wage,
      size: this.size,
      sig: this.sig,
      firstRow: this.firstRow,
      breakAt: this.breakAt,
      hh: this.hh,
      table: this.table,
      row: this.row,
      maxMonth: this.maxMonth,
      minMonth: this.minMonth,
      lastId: this.lastId,
      lastIndex: this.lastIndex,
    };
    const arrays = [index.hashes, index.slots, this.month, this.net, this.wage, this.size, this.sig, this.firstRow, this.hh, this.table, this.row];
    const transfer = [...new Set(arrays.filter((a) => a !== undefined).map((a) => a!.buffer as ArrayBuffer))];
    return { state, transfer };
  }

  static fromState(state: IncomeStoreState): IncomeStore {
    const store = new IncomeStore();
    const { index, ...rest } = state;
    Object.assign(store, rest);
    store.index = IdIndex.fromState(index);
    return store;
  }

  /** Replaces each household id string by `shared(id)`, an equal string (so that each id is kept once). */
  shareIds(shared: (id: string) => string): void {
    const ids = this.index.ids;
    for (let i = 0; i < ids.length; i++) ids[i] = shared(ids[i]!);
    if (this.lastIndex >= 0) this.lastId = ids[this.lastIndex]!;
  }

  /** Marks every row added so far as coming from table `table` (rows read by another thread's single table). */
  setTable(table: number): void {
    this.table?.fill(table);
  }

  /** Row k is the first out of grouped order: the household index of every earlier row comes from `firstRow`. */
  private breakGrouping(k: number): void {
    this.breakAt = k;
    const hh = new Int32Array(this.cap);
    const H = this.index.size;
    for (let i = 0; i < H; i++) hh.fill(i, this.firstRow[i]!, i + 1 < H ? this.firstRow[i + 1]! : k);
    this.hh = hh;
    this.table = new Int32Array(this.cap - k);
    this.row = new Int32Array(this.cap - k);
    this.firstRow = new Int32Array(0);
  }

  private resize(cap: number): void {
    this.cap = cap;
    this.month = grow(this.month, cap);
    this.net = grow(this.net, cap);
    this.wage = grow(this.wage, cap);
    this.size = grow(this.size, cap);
    this.sig = grow(this.sig, cap);
    if (this.hh) {
      this.hh = grow(this.hh, cap);
      this.table = grow(this.table!, cap - this.breakAt);
      this.row = grow(this.row!, cap - this.breakAt);
    }
  }

  /**
   * Groups rows by household (a counting sort, O(rows)), sorts each household's rows by month then arrival,
   * and removes duplicate household-months. Returns the removed rows, in arrival order.
   */
  finalize(): DuplicateRow[] {
    const H = this.ids.length;
    const n = this.n;
    if (!this.hh) {
      // Still grouped and ascending: the arrival-order columns are the series; nothing to sort or remove.
      const start = new Int32Array(H + 1);
      start.set(this.firstRow.subarray(0, H));
      start[H] = n;
      this.start = start;
      this.sMonth = this.month.subarray(0, n);
      this.sNet = this.net.subarray(0, n);
      this.sWage = this.wage.subarray(0, n);
      this.sSize = this.size.subarray(0, n);
      this.sig = this.firstRow = new Int32Array(0);
      return [];
    }
    const hh = this.hh;
    const count = new Int32Array(H + 1);
    for (let k = 0; k < n; k++) count[hh[k]! + 1]!++;
    for (let i = 0; i < H; i++) count[i + 1]! += count[i]!;
    const pos = count.slice(0, H);
    const order = new Int32Array(n);
    for (let k = 0; k < n; k++) order[pos[hh[k]!]!++] = k;
    const dups: DuplicateRow[] = [];
    const keep = new Uint8Array(n).fill(1);
    for (let i = 0; i < H; i++) {
      const a = count[i]!;
      const b = count[i + 1]!;
      // insertion sort by (month, arrival): households have few rows
      for (let x = a + 1; x < b; x++) {
        const v = order[x]!;
        const mv = this.month[v]!;
        let y = x - 1;
        while (y >= a && (this.month[order[y]!]! > mv || (this.month[order[y]!]! === mv && order[y]! > v))) {
          order[y + 1] = order[y]!;
          y--;
        }
        order[y + 1] = v;
      }
      let k0 = a < b ? order[a]! : -1; // first (kept) row of the current month
      for (let x = a + 1; x < b; x++) {
        const v = order[x]!;
        if (this.month[v] !== this.month[k0]) {
          k0 = v;
          continue;
        }
        const identical =
          Object.is(this.net[k0], this.net[v]) &&
          Object.is(this.wage[k0], this.wage[v]) &&
          this.size[k0] === this.size[v] &&
          this.sig[k0] === this.sig[v];
        keep[v] = 0;
        // A removed row arrived after its month's first row, so never before breakAt (see firstRow).
        dups.push({ table: this.table![v - this.breakAt]!, row: this.row![v - this.breakAt]!, householdId: this.ids[i]!, month: this.month[v]!, identical });
      }
    }
    // compact
    const start = new Int32Array(H + 1);
    let m = 0;
    for (let k = 0; k < n; k++) if (keep[k]) m++;
    this.sMonth = new (this.month.constructor as new (n: number) => Uint16Array | Int32Array)(m);
    this.sNet = new Float64Array(m);
    this.sWage = new Float64Array(m);
    this.sSize = new (this.size.constructor as new (n: number) => Uint8Array | Int32Array)(m);
    let w = 0;
    for (let i = 0; i < H; i++) {
      start[i] = w;
      for (let x = count[i]!; x < count[i + 1]!; x++) {
        const k = order[x]!;
        if (!keep[k]) continue;
        this.sMonth[w] = this.month[k]!;
        this.sNet[w] = this.net[k]!;
        this.sWage[w] = this.wage[k]!;
        this.sSize[w] = this.size[k]!;
        w++;
      }
    }
    start[H] = w;
    this.start = start;
    // release the arrival-order columns
    this.hh = this.table = this.row = undefined;
    this.month = this.sig = this.size = new Int32Array(0);
    this.net = this.wage = new Float64Array(0);
    dups.sort((p, q) => p.table - q.table || p.row - q.row);
    return dups;
  }

  /** Household ids that have income rows, in first-seen order. */
  householdIds(): readonly string[] {
    return this.ids;
  }

  has(householdId: string): boolean {
    return this.index.get(householdId) >= 0;
  }

  /**
   * The household's series in a view object reused by every call (valid until the next call): for loops over a
   * million households, where a fresh series per household would cost four typed-array views each.
   */
  seriesView(householdId: string): IncomeSeries {
    const i = this.index.get(householdId);
    const v = this.view;
    if (i < 0 || !this.start) {
      v.length = 0;
      return v;
    }
    const a = this.start[i]!;
    const len = this.start[i + 1]! - a;
    if (v.months.length < len) {
      const cap = Math.max(len, 2 * v.months.length, 32);
      v.months = new Int32Array(cap);
      v.net = new Float64Array(cap);
      v.wage = new Float64Array(cap);
      v.size = new Float64Array(cap);
    }
    for (let j = 0; j < len; j++) {
      v.months[j] = this.sMonth[a + j]!;
      v.net[j] = this.sNet[a + j]!;
      v.wage[j] = this.sWage[a + j]!;
      const size = this.sSize[a + j]!;
      v.size[j] = size === 0 ? NaN : size;
    }
    v.length = len;
    return v;
  }

  /** The household's months, ascending (a view, no copy; empty when it has no income rows). Only after finalize. */
  monthsOf(householdId: string): ArrayLike<number> {
    const i = this.index.get(householdId);
    if (i < 0 || !this.start) return EMPTY.months;
    return this.sMonth.subarray(this.start[i]!, this.start[i + 1]!);
  }

  /** The household's series (empty when it has no income rows). Only after finalize. */
  series(householdId: string): IncomeSeries {
    const i = this.index.get(householdId);
    if (i < 0 || !this.start) return EMPTY;
    const a = this.start[i]!;
    const b = this.start[i + 1]!;
    return {
      length: b - a,
      months: this.sMonth.subarray(a, b),
      net: this.sNet.subarray(a, b),
      wage: this.sWage.subarray(a, b),
      size: Float64Array.from(this.sSize.subarray(a, b), (x) => (x === 0 ? NaN : x)),
    };
  }
}
