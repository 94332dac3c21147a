/**
 * Columnar store of member rows (成员信息) for a whole province: a few million persons kept as typed arrays, string
 * columns and dictionary codes instead of one object each. It reads like a `ReadonlyMap<householdId, Member[]>`; the
 * Member objects are built on demand for one household at a time (they are not kept), so a province's members cost
 * about a third of the memory of plain objects. A member's 姓名 and 人口编号 are not kept: no rule, audit check or
 * output uses them (and personal data that is not needed is not held).
 */
import type { Member, SourceRef } from "./index.js";
import { IdIndex } from "./idIndex.js";

/**
 * Interns repeated texts of one column as small integer codes (0 = undefined). Columns such as 与户主关系 have a
 * handful of values: those are found by a short scan (the same string instance most of the time), others by a Map.
 */
class Dictionary {
  private readonly codes = new Map<string, number>();
  readonly values: (string | undefined)[] = [undefined];

  code(value: string | undefined): number {
    if (value === undefined) return 0;
    const values = this.values;
    if (values.length <= 16) {
      for (let i = 1; i < values.length; i++) if (values[i] === value) return i;
    } else {
      const c = this.codes.get(value);
      if (c !== undefined) return c;
    }
    const c = values.length;
    values.push(value);
    this.codes.set(value, c);
    return c;
  }
}

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
  private table = new Int32Array(this.cap);
  private row = new Int32Array(this.cap);
  /** relation, health, labourSkill, studentStatus, birthDate codes; sex and yes/no packed. */
  private relation = new Int32Array(this.cap);
  private health = new Int32Array(this.cap);
  private labour = new Int32Array(this.cap);
  private student = new Int32Array(this.cap);
  private birth = new Int32Array(this.cap);
  private flags = new Int32Array(this.cap);
  private workMonths = new Float32Array(this.cap);
  private readonly idNumber: (string | undefined)[] = [];
  private readonly relations = new Dictionary();
  private readonly healths = new Dictionary();
  private readonly skills = new Dictionary();
  private readonly students = new Dictionary();
  private readonly births = new Dictionary();
  /** After finalize: members of household i are order[start[i] .. start[i+1]). */
  private start: Int32Array | undefined;
  private order: Int32Array | undefined;

  /** @param sources resolves a table index to its file and sheet. */
  constructor(private readonly sources: (table: number) => { file: string; sheet: string } = () => ({ file: "", sheet: "" })) {}

  /** Appends one member read from table `table`. */
  add(m: Member, table: number): void {
    this.addValues(table, m.source.row, m.householdId, m.idNumber, m.relation, m.sex, m.birthDate, m.health, m.labourSkill, m.studentStatus, m.workMonths, m.dibao, m.tekun);
  }

  /** Appends one member from its values (the fast path's entry: no Member object). */
  addValues(
    table: number,
    row: number,
    householdId: string,
    idNumber: string | undefined,
    relation: string | undefined,
    sex: Member["sex"],
    birthDate: string | undefined,
    health: string | undefined,
    labourSkill: string | undefined,
    studentStatus: string | undefined,
    workMonths: number | undefined,
    dibao: boolean | undefined,
    tekun: boolean | undefined,
  ): void {
    if (this.start) throw new Error("MemberStore.add after finalize");
    if (this.n === this.cap) this.grow(this.cap * 2);
    const k = this.n++;
    this.hh[k] = this.households.add(householdId);
    this.table[k] = table;
    this.row[k] = row;
    this.relation[k] = this.relations.code(relation);
    this.health[k] = this.healths.code(health);
    this.labour[k] = this.skills.code(labourSkill);
    this.student[k] = this.students.code(studentStatus);
    this.birth[k] = this.births.code(birthDate);
    this.flags[k] = (sex === "男" ? 1 : sex === "女" ? 2 : 0) | (tri(dibao) << 2) | (tri(tekun) << 4);
    this.workMonths[k] = workMonths ?? NaN;
    this.idNumber.push(idNumber);
  }

  private grow(cap: number): void {
    this.cap = cap;
    this.hh = growInt32(this.hh, cap);
    this.table = growInt32(this.table, cap);
    this.row = growInt32(this.row, cap);
    this.relation = growInt32(this.relation, cap);
    this.health = growInt32(this.health, cap);
    this.labour = growInt32(this.labour, cap);
    this.student = growInt32(this.student, cap);
    this.birth = growInt32(this.birth, cap);
    this.flags = growInt32(this.flags, cap);
    this.workMonths = growFloat32(this.workMonths, cap);
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

  private build(i: number): Member[] {
    this.finalize();
    const out: Member[] = [];
    const id = this.households.ids[i]!;
    for (let x = this.start![i]!; x < this.start![i + 1]!; x++) {
      const k = this.order![x]!;
      const where = this.sources(this.table[k]!);
      const source: SourceRef = { file: where.file, sheet: where.sheet, row: this.row[k]! };
      const f = this.flags[k]!;
      const wm = this.workMonths[k]!;
      out.push({
        householdId: id,
        personId: undefined,
        name: undefined,
        idNumber: this.idNumber[k],
        relation: this.relations.values[this.relation[k]!],
        sex: SEX[f & 3],
        birthDate: this.births.values[this.birth[k]!],
        health: this.healths.values[this.health[k]!],
        labourSkill: this.skills.values[this.labour[k]!],
        studentStatus: this.students.values[this.student[k]!],
        workMonths: wm === wm ? wm : undefined,
        dibao: TRI[(f >> 2) & 3],
        tekun: TRI[(f >> 4) & 3],
        source,
      });
    }
    return out;
  }

  /** Each person's ID number with its household (for matching department events), in input order. */
  *idNumbers(): IterableIterator<[string, string]> {
    for (let k = 0; k < this.n; k++) {
      const id = this.idNumber[k];
      if (id) yield [id, this.households.ids[this.hh[k]!]!];
    }
  }

  *keys(): MapIterator<string> {
    yield* this.households.ids;
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
