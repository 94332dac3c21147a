/**
 * Columnar store of member rows (成员信息) for a whole province: a few million persons kept as typed arrays,
 * dictionary codes (one byte each while a column has few values) and 证件号码 as bytes, instead of one object and
 * several strings each: about 40 bytes a person. It reads like a `ReadonlyMap<householdId, Member[]>`; the Member
 * objects are built on demand for one household at a time (they are not kept). A member's 姓名 and 人口编号 are not
 * kept: no rule, audit check or output uses them (and personal data that is not needed is not held).
 */
import type { Member, SourceRef } from "./index.js";

/** What the store keeps of a member besides its household and row. */
export type MemberFields = Pick<Member, "idNumber" | "relation" | "sex" | "birthDate" | "health" | "labourSkill" | "studentStatus" | "workMonths" | "dibao" | "tekun">;

/** The member fields kept as dictionary codes, in the order of MemberStore.dictionaries. */
export const CODED_MEMBER_FIELDS = ["relation", "health", "labourSkill", "studentStatus", "birthDate"] as const;
import { AsciiColumn, CodeColumn, Dictionary } from "./columns.js";
import { IdIndex } from "./idIndex.js";

function growInt32(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

function growFloat32(a: Float32Array, n: number): Float32Array<ArrayBuffer> {
  const b = new Float32Array(n);
  b.set(a);
  return b;
}

const SEX: (Member["sex"] | undefined)[] = [undefined, "男", "女"];
const TRI: (boolean | undefined)[] = [undefined, false, true];
const tri = (b: boolean | undefined) => (b === undefined ? 0 : b ? 2 : 1);

export class MemberStore implements ReadonlyMap<string, Member[]> {
  private readonly households = new IdIndex();
  private n = 0;
  private cap = 1024;
  private hh = new Int32Array(this.cap);
  private row = new Int32Array(this.cap);
  /** Tables as runs: member tableRuns[2j] onwards came from table tableRuns[2j + 1]. */
  private readonly tableRuns: number[] = [];
  private readonly relation = new CodeColumn(this.cap);
  private readonly health = new CodeColumn(this.cap);
  private readonly labour = new CodeColumn(this.cap);
  private readonly student = new CodeColumn(this.cap);
  private readonly birth = new CodeColumn(this.cap);
  /** sex and the two yes/no columns, packed. */
  private flags = new Uint8Array(this.cap);
  private workMonths = new Float32Array(this.cap);
  /** 证件号码, as bytes where it is plain ASCII. */
  private readonly idNumber = new AsciiColumn(this.cap);
  private readonly relations = new Dictionary();
  private readonly healths = new Dictionary();
  private readonly skills = new Dictionary();
  private readonly students = new Dictionary();
  private readonly births = new Dictionary();
  private lastHousehold = "";
  private lastIndex = -1;
  /** After finalize: members of household i are order[start[i] .. start[i+1]). */
  private start: Int32Array | undefined;
  private order: Int32Array | undefined;

  /** @param sources resolves a table index to its file and sheet. */
  constructor(private readonly sources: (table: number) => { file: string; sheet: string } = () => ({ file: "", sheet: "" })) {}

  /** Makes room for `members` members at once (an estimate from the file size saves the copies of doubling). */
  reserve(members: number): void {
    if (members > this.cap && !this.start) this.grow(Math.ceil(members));
  }

  /** Appends one member read from table `table` (a Member, or the general path's fields). */
  add(table: number, row: number, householdId: string, m: MemberFields): void {
    const codes = this.codesOfAdd;
    codes[0] = this.relations.code(m.relation);
    codes[1] = this.healths.code(m.health);
    codes[2] = this.skills.code(m.labourSkill);
    codes[3] = this.students.code(m.studentStatus);
    codes[4] = this.births.code(m.birthDate);
    this.addCoded(table, row, householdId, codes, m);
    if (m.idNumber !== undefined) this.idNumber.set(this.n - 1, m.idNumber);
  }

  /** add's codes of the coded fields (reused). */
  private readonly codesOfAdd = new Int32Array(CODED_MEMBER_FIELDS.length);

  /**
   * The dictionaries of the coded fields, in CODED_MEMBER_FIELDS order: the fast path codes each distinct cell once
   * and hands `addCoded` the codes.
   */
  get dictionaries(): readonly Dictionary[] {
    return [this.relations, this.healths, this.skills, this.students, this.births];
  }

  /**
   * Appends one member whose coded fields are given as codes of `dictionaries` (codes[0 … 4], CODED_MEMBER_FIELDS
   * order) and the others as values; the 证件号码 follows with setLastIdNumberBytes.
   */
  addCoded(table: number, row: number, householdId: string, codes: Int32Array, m: Pick<MemberFields, "sex" | "dibao" | "tekun" | "workMonths">): void {
    if (this.start) throw new Error("MemberStore.add after finalize");
    if (this.n === this.cap) this.grow(this.cap * 2);
    const k = this.n++;
    const runs = this.tableRuns;
    if (runs.length === 0 || runs[runs.length - 1] !== table) runs.push(k, table);
    // Members of a household come one after another: the previous row's index is reused without hashing the id.
    if (householdId !== this.lastHousehold) {
      this.lastHousehold = householdId;
      this.lastIndex = this.households.add(householdId);
    }
    this.hh[k] = this.lastIndex;
    this.row[k] = row;
    this.relation.set(k, codes[0]!);
    this.health.set(k, codes[1]!);
    this.labour.set(k, codes[2]!);
    this.student.set(k, codes[3]!);
    this.birth.set(k, codes[4]!);
    this.flags[k] = (m.sex === "男" ? 1 : m.sex === "女" ? 2 : 0) | (tri(m.dibao) << 2) | (tri(m.tekun) << 4);
    this.workMonths[k] = m.workMonths ?? NaN;
  }

  /**
   * Sets the 证件号码 of the member added last from the bytes b[s..e): printable ASCII (the fast path's plain IDs), so
   * that no string is made while reading.
   */
  setLastIdNumberBytes(b: Buffer, s: number, e: number): void {
    this.idNumber.setBytes(this.n - 1, b, s, e);
  }

  private tableOf(k: number): number {
    const runs = this.tableRuns;
    let lo = 0;
    let hi = runs.length / 2 - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (runs[2 * mid]! <= k) lo = mid;
      else hi = mid - 1;
    }
    return runs[2 * lo + 1]!;
  }

  private grow(cap: number): void {
    this.cap = cap;
    this.hh = growInt32(this.hh, cap);
    this.row = growInt32(this.row, cap);
    for (const c of [this.relation, this.health, this.labour, this.student, this.birth]) c.grow(cap);
    const flags = new Uint8Array(cap);
    flags.set(this.flags);
    this.flags = flags;
    this.workMonths = growFloat32(this.workMonths, cap);
    this.idNumber.grow(cap);
  }

  /** Groups members by household (stable: input order within a household). Call once, after the last add. */
  finalize(): void {
    if (this.start) return;
    const H = this.households.size;
    const start = new Int32Array(H + 1);
    for (let k = 0; k < this.n; k++) start[this.hh[k]! + 1]!++;
    for (let i = 0; i < H; i++) start[i + 1]! += start[i]!;
    const pos = start.slice(0, H);
    const order = new Int32Array(this.n);
    for (let k = 0; k < this.n; k++) order[pos[this.hh[k]!]!++] = k;
    this.start = start;
    this.order = order;
  }

  /** Number of members added. */
  get rowCount(): number {
    return this.n;
  }

  /** Number of households with members. */
  get size(): number {
    return this.households.size;
  }

  has(householdId: string): boolean {
    return this.households.get(householdId) >= 0;
  }

  /** The household's members, in input order, as new objects; undefined when it has none. */
  get(householdId: string): Member[] | undefined {
    const i = this.households.get(householdId);
    return i < 0 ? undefined : this.build(i);
  }

  /** The store's index of the household (−1 when it has no members), for membersAt and rowsStart. */
  indexOf(householdId: string): number {
    return this.households.get(householdId);
  }

  /** The members of the household at `index` (indexOf), in input order, as new objects. */
  membersAt(index: number): Member[] {
    return this.build(index);
  }

  /**
   * The member numbers (0 … rowCount − 1, in adding order) of the household at `index` are memberAt(x) for x from
   * rowsStart(index) to rowsStart(index + 1) − 1, in the order membersAt gives them.
   */
  rowsStart(index: number): number {
    this.finalize();
    return this.start![index]!;
  }

  memberAt(x: number): number {
    return this.order![x]!;
  }

  /** Each member's household as the store's index (member k's at k; longer than rowCount). Read-only. */
  get householdsOfMembers(): Int32Array {
    return this.hh;
  }

  /** The 户编号 of the household at `index` (indexOf). */
  householdIdAt(index: number): string {
    return this.households.ids[index]!;
  }

  /** The 证件号码 column (member k's at row k), for the audit's per-member ID facts (audit/idFacts.ts). */
  get idNumbers(): AsciiColumn {
    return this.idNumber;
  }

  /**
   * Every member's 出生日期 as its dictionary code, by member number (birthDates()[code] is the text; 0 = none; longer
   * than rowCount). Read-only.
   */
  get birthCodes(): Uint8Array | Uint16Array | Int32Array {
    return this.birth.raw;
  }

  /**
   * 与户主关系 or 劳动技能 of every member as a dictionary code, by member number (codes[k]; longer than rowCount;
   * read-only), with the texts by code (values[0] is undefined: blank): for checks that loop over a household's
   * members without building them (audit/memberTraits.ts).
   */
  coded(field: "relation" | "labourSkill"): { codes: Uint8Array | Uint16Array | Int32Array; values: readonly (string | undefined)[] } {
    return field === "relation" ? { codes: this.relation.raw, values: this.relations.values } : { codes: this.labour.raw, values: this.skills.values };
  }

  /** Member k's 性别 as read (undefined when blank), what membersAt gives as its `sex`. */
  sexAt(k: number): Member["sex"] | undefined {
    return SEX[this.flags[k]! & 3];
  }

  /** Member k's 证件号码, what membersAt gives as its `idNumber`. */
  idNumberAt(k: number): string | undefined {
    return this.idNumber.get(k);
  }

  /** The 出生日期 texts by code (birthCodes). */
  birthDates(): readonly (string | undefined)[] {
    return this.births.values;
  }

  private build(i: number): Member[] {
    this.finalize();
    const out: Member[] = [];
    const id = this.households.ids[i]!;
    for (let x = this.start![i]!; x < this.start![i + 1]!; x++) {
      const k = this.order![x]!;
      const where = this.sources(this.tableOf(k));
      const source: SourceRef = { file: where.file, sheet: where.sheet, row: this.row[k]! };
      const f = this.flags[k]!;
      const wm = this.workMonths[k]!;
      out.push({
        householdId: id,
        personId: undefined,
        name: undefined,
        idNumber: this.idNumber.get(k),
        relation: this.relations.values[this.relation.get(k)],
        sex: SEX[f & 3],
        birthDate: this.births.values[this.birth.get(k)],
        health: this.healths.values[this.health.get(k)],
        labourSkill: this.skills.values[this.labour.get(k)],
        studentStatus: this.students.values[this.student.get(k)],
        workMonths: wm === wm ? wm : undefined,
        dibao: TRI[(f >> 2) & 3],
        tekun: TRI[(f >> 4) & 3],
        source,
      });
    }
    return out;
  }

  /**
   * For each of the `wanted` ID numbers (exact text), the household of the first member (in input order) carrying it.
   * Only members whose ID bytes hash like a wanted number are made into strings: a province has millions of members
   * and events name a few thousand of them.
   */
  householdsOfIdNumbers(wanted: ReadonlySet<string>): Map<string, string> {
    const found = new Map<string, string>();
    this.idNumber.rowsWith(wanted, this.n, (k, id) => {
      if (!found.has(id)) found.set(id, this.households.ids[this.hh[k]!]!);
      return found.size === wanted.size;
    });
    return found;
  }

  keys(): MapIterator<string> {
    return this.households.ids[Symbol.iterator]();
  }

  *values(): MapIterator<Member[]> {
    for (let i = 0; i < this.households.size; i++) yield this.build(i);
  }

  *entries(): MapIterator<[string, Member[]]> {
    for (let i = 0; i < this.households.size; i++) yield [this.households.ids[i]!, this.build(i)];
  }

  [Symbol.iterator](): MapIterator<[string, Member[]]> {
    return this.entries();
  }

  forEach(callback: (value: Member[], key: string, map: ReadonlyMap<string, Member[]>) => void): void {
    for (const [k, v] of this.entries()) callback(v, k, this);
  }
}
