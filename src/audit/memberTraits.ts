/**
 * What the member checks (Q003–Q006, Q010, Q011) need to know of a household's members, counted once per household:
 * from a MemberStore's coded columns when the household's members are there (no Member object is built), else from
 * the Member objects. A check whose traits show no problem returns at once; otherwise it looks at the members
 * themselves, which alone decide what is reported. Both ways count the same things (tests/audit/memberTraits.test.ts).
 */
import type { Dataset } from "../model/dataset.js";
import type { Member } from "../model/index.js";
import { MemberStore } from "../model/memberStore.js";
import { LABOUR_SKILLS, hasLabour } from "../rules/labour.js";
import type { HouseholdView } from "./finding.js";
import { sexFromId } from "./residentId.js";

export interface MemberTraits {
  /** Member rows. */
  count: number;
  /** Members whose 与户主关系 is 户主 (blanks around it ignored). */
  heads: number;
  /** Members whose 与户主关系 is 配偶. */
  spouses: number;
  /** Members with labour (劳动技能 普通劳动力 or 技能劳动力). */
  labour: number;
  /** The first 户主's sex is known and some 配偶 has the same (Q006; sex from 性别, else from the ID number). */
  sameSexSpouse: boolean;
}

/** Whether the member's 与户主关系 is `relation` (blanks around it ignored). */
export function hasRelation(m: Member, relation: string): boolean {
  return m.relation?.trim() === relation;
}

/** The sex of a member: 性别, else the sex digit of the ID number. */
export function memberSex(m: Member): "男" | "女" | undefined {
  return m.sex ?? (m.idNumber ? sexFromId(m.idNumber) : undefined);
}

const HEAD = 1;
const SPOUSE = 2;

/**
 * A store's coded columns, with per dictionary code the relation class (HEAD, SPOUSE, 0) and whether the 劳动技能
 * counts as labour.
 */
interface CodeClasses {
  relationCodes: Uint8Array | Uint16Array | Int32Array;
  skillCodes: Uint8Array | Uint16Array | Int32Array;
  relation: Uint8Array;
  labour: Uint8Array;
}

const classesOf = new WeakMap<MemberStore, CodeClasses>();

function codeClasses(store: MemberStore): CodeClasses {
  let c = classesOf.get(store);
  if (!c) {
    // Asked for only once the store is final (fromStore's rowsStart finalizes it): its columns and dictionaries no
    // longer change.
    const relations = store.coded("relation");
    const skills = store.coded("labourSkill");
    const relation = Uint8Array.from(relations.values, (v) => {
      const t = v?.trim();
      return t === "户主" ? HEAD : t === "配偶" ? SPOUSE : 0;
    });
    const labour = Uint8Array.from(skills.values, (v) => {
      const t = v?.trim();
      return t !== undefined && LABOUR_SKILLS.includes(t) ? 1 : 0;
    });
    classesOf.set(store, (c = { relationCodes: relations.codes, skillCodes: skills.codes, relation, labour }));
  }
  return c;
}

function storeSex(store: MemberStore, k: number): "男" | "女" | undefined {
  const sex = store.sexAt(k);
  if (sex !== undefined) return sex;
  const id = store.idNumberAt(k);
  return id ? sexFromId(id) : undefined;
}

function fromStore(store: MemberStore, index: number, t: MemberTraits): void {
  const from = store.rowsStart(index);
  const to = store.rowsStart(index + 1);
  const classes = codeClasses(store);
  const relations = classes.relationCodes;
  const skills = classes.skillCodes;
  let heads = 0;
  let spouses = 0;
  let labour = 0;
  let firstHead = -1;
  for (let x = from; x < to; x++) {
    const k = store.memberAt(x);
    const c = classes.relation[relations[k]!]!;
    if (c === HEAD) {
      if (heads++ === 0) firstHead = k;
    } else if (c === SPOUSE) spouses++;
    labour += classes.labour[skills[k]!]!;
  }
  let same = false;
  if (firstHead >= 0 && spouses > 0) {
    const headSex = storeSex(store, firstHead);
    if (headSex !== undefined) {
      for (let x = from; x < to && !same; x++) {
        const k = store.memberAt(x);
        same = classes.relation[relations[k]!] === SPOUSE && storeSex(store, k) === headSex;
      }
    }
  }
  t.count = to - from;
  t.heads = heads;
  t.spouses = spouses;
  t.labour = labour;
  t.sameSexSpouse = same;
}

function fromMembers(members: readonly Member[], t: MemberTraits): void {
  let heads = 0;
  let spouses = 0;
  let labour = 0;
  let head: Member | undefined;
  for (const m of members) {
    if (hasRelation(m, "户主")) {
      if (heads++ === 0) head = m;
    } else if (hasRelation(m, "配偶")) spouses++;
    if (hasLabour(m)) labour++;
  }
  const headSex = head ? memberSex(head) : undefined;
  t.count = members.length;
  t.heads = heads;
  t.spouses = spouses;
  t.labour = labour;
  t.sameSexSpouse = headSex !== undefined && members.some((m) => hasRelation(m, "配偶") && memberSex(m) === headSex);
}

/**
 * The traits of the household last asked about: the six checks ask in turn about the same household. Cleared when an
 * audit finishes (forgetMemberTraits), so that the last view does not keep its dataset alive.
 */
let lastView: HouseholdView | undefined;
const last: MemberTraits = { count: 0, heads: 0, spouses: 0, labour: 0, sameSexSpouse: false };

/**
 * The household's member traits (valid until the next call for another household: one object, reused). From the
 * store's columns when the view gives the household's index in `dataset.members`, a MemberStore.
 */
export function memberTraits(view: HouseholdView, dataset: Dataset): Readonly<MemberTraits> {
  if (view === lastView) return last;
  const index = view.memberIndex;
  if (index !== undefined && dataset.members instanceof MemberStore) {
    if (index < 0) {
      last.count = last.heads = last.spouses = last.labour = 0;
      last.sameSexSpouse = false;
    } else fromStore(dataset.members, index, last);
  } else fromMembers(view.members, last);
  lastView = view;
  return last;
}

/** Drops the household last asked about (an audit's finish): its view would keep the whole dataset reachable. */
export function forgetMemberTraits(): void {
  lastView = undefined;
}
