/**
 * Audit rules about ID numbers: Q001 check digit and birth date, Q002 the same ID in two households,
 * Q007 出生日期 vs the ID, Q018 legacy and non-resident document numbers.
 */
import { parseDateParts } from "../model/month.js";
import { hashString } from "../model/idIndex.js";
import type { HouseholdView } from "./finding.js";
import { defineRule, householdRule, idOccurrencesOf, normalizeIdNumber, type IdOccurrence } from "./define.js";
import type { Dataset } from "../model/dataset.js";
import { COMPARED, knownIds, memberPairsOf, type KnownIds, type MemberPairs } from "./idFacts.js";
import { markMixedRuns, sortPairsByHash } from "./idFactsKernel.js";
import { lowerBound } from "../rules/window.js";
import { MemberStore } from "../model/memberStore.js";
import { IdCheck, birthDateFromId, checkIdNumber, classifyIdNumber, residentIdCheckChar } from "./residentId.js";

function label(o: IdOccurrence): { zh: string; en: string } {
  return o.isMember ? { zh: "证件号码", en: "ID number" } : { zh: "户主证件号码", en: "head's ID number" };
}

/** What the ID facts need of a trimmed 户主证件号码: whether it is a valid resident ID, and Q002's hash of it. */
function headFacts(text: string): { valid: boolean; hash: number | undefined } {
  const check = checkIdNumber(text);
  return { valid: check === IdCheck.Valid, hash: compared(text) ? q002Hash(text, check) : undefined };
}

/** The hash Q002 sorts by: of the ID normalised (trimmed, upper-case), quickly for the digits-and-X shapes. */
function q002Hash(id: string, check: IdCheck): number {
  return check === IdCheck.Other ? hashString(normalizeIdNumber(id)) : hashDigitsId(id);
}

/** The household's ID facts (idFacts.ts), or undefined when its Member objects must be looked at. */
function known(view: HouseholdView, dataset: Dataset): KnownIds | undefined {
  return knownIds(view, dataset.members, headFacts);
}

/**
 * True when the member facts show every ID of the household — its members' and its 户主证件号码 — to be a valid
 * resident ID or empty: Q001 and Q018 then have nothing to report, and no occurrence list is built.
 */
function allIdsValid(view: HouseholdView, dataset: Dataset): boolean {
  return known(view, dataset)?.allValid === true;
}

/** Q001: an 18-character resident ID whose birth date is not a real date or whose check character is wrong. */
export const q001 = householdRule("Q001", "error", "证件号码校验", "invalid resident ID", (view, emit, dataset) => {
  if (allIdsValid(view, dataset)) return;
  for (const o of idOccurrencesOf(view)) {
    if (o.check !== IdCheck.BirthDate && o.check !== IdCheck.CheckDigit) continue;
    const l = label(o);
    const base = { householdId: o.householdId, source: o.source, household: o.household, idNumber: o.id };
    if (o.check === IdCheck.CheckDigit) {
      const expected = residentIdCheckChar(o.id);
      emit({
        ...base,
        zh: `${l.zh}校验位错误（按GB 11643-1999应为${expected}）`,
        en: `${l.en}: wrong check character (GB 11643-1999 requires ${expected})`,
      });
    } else {
      emit({
        ...base,
        zh: `${l.zh}中的出生日期（第7–14位）不是有效日期`,
        en: `${l.en}: the birth date inside (digits 7–14) is not a real date`,
      });
    }
  }
});

/** Shortest document number compared by Q002; shorter texts (无, 0, 待补) are placeholders. */
const MIN_COMPARED_LENGTH = 6;

/**
 * Q002: the same ID number (trimmed, x = X) in two or more households. Every household involved gets one finding,
 * at its first row carrying the number, naming the other households.
 *
 * A province has millions of ID numbers, so the rule works in two passes. The first finds the candidates: each ID
 * number is reduced to a 32-bit hash and its household (the owner), the pairs are sorted by hash (a radix sort, no
 * random probing of a big table), and the households that share a hash with another household are marked. For the
 * members of a member store that pass runs over the ID facts as a whole (memberPairsOf: in the facts worker while the
 * main thread runs the rules, when there is one); while households are visited, only the numbers the facts do not
 * cover are collected (a 户主证件号码 none of the household's own members carries, and every number of a household
 * whose IDs the facts cannot speak for), and at `finish` they are matched against the sorted member pairs and each
 * other. The exact comparison then runs over the candidate households alone, in visit order: every household holding
 * a number found elsewhere is a candidate, so the result is the one a full comparison gives.
 */
export const q002 = defineRule("Q002", "error", "证件号码重复", "ID in two households", (dataset, _ctx, emit) => {
  const store = dataset.members instanceof MemberStore ? dataset.members : undefined;
  /** Owners 0 … M − 1 are the store's households (by index); owner M + j is others[j], a household without members there. */
  const M = store?.size ?? 0;
  const rank = new Int32Array(M).fill(-1);
  const others: { householdId: string; rank: number }[] = [];
  let visits = 0;
  /** The pairs the member facts do not give. */
  const extraHashes: number[] = [];
  const extraOwners: number[] = [];
  return {
    household(view) {
      const r = visits++;
      const index = store ? (view.memberIndex ?? -1) : -1;
      if (index >= 0) rank[index] = r;
      const first = extraHashes.length;
      const ids = known(view, dataset);
      if (ids) {
        // The members' numbers are in the member pairs; the head's is added unless one of them has it (a pair with
        // the household's own owner again would change nothing).
        const h = ids.headHash;
        if (h === undefined || ids.headIsMember) return;
        const { facts, store: s } = ids;
        for (let x = ids.from; x < ids.to; x++) {
          const k = s.memberAt(x);
          if (facts.flags[k]! & COMPARED && facts.hashes[k] === h) return;
        }
        extraHashes.push(h);
      } else {
        for (const o of idOccurrencesOf(view)) if (compared(o.id)) extraHashes.push(q002Hash(o.id, o.check));
      }
      if (extraHashes.length === first) return;
      let owner = index;
      if (owner < 0) {
        owner = M + others.length;
        others.push({ householdId: view.householdId, rank: r });
      }
      while (extraOwners.length < extraHashes.length) extraOwners.push(owner);
    },
    finish() {
      const marked = new Uint8Array(M + others.length);
      const pairs = store && store.rowCount > 0 ? memberPairsOf(store) : undefined;
      if (pairs) marked.set(pairs.marked);
      if (extraHashes.length > 0) markExtraPairs(Int32Array.from(extraHashes), Int32Array.from(extraOwners), pairs, marked);
      const candidates: { householdId: string; rank: number }[] = [];
      for (let i = 0; i < M; i++) if (marked[i] && rank[i]! >= 0) candidates.push({ householdId: store!.householdIdAt(i), rank: rank[i]! });
      others.forEach((o, j) => marked[M + j] && candidates.push(o));
      candidates.sort((a, b) => a.rank - b.rank);
      const exact = exactSharedIds();
      for (const { householdId: id } of candidates) {
        exact.visit({ householdId: id, household: dataset.households.get(id), members: dataset.members.get(id) ?? [] });
      }
      for (const households of exact.shared()) {
        for (const o of households.values()) {
          const others = [...households.keys()].filter((id) => id !== o.householdId);
          emit({
            householdId: o.householdId,
            source: o.source,
            household: o.household,
            idNumber: o.id,
            zh: `同一${label(o).zh}也出现在户${others.join("、")}`,
            en: `the same ${label(o).en} also appears in household ${others.join(", ")}`,
          });
        }
      }
    },
  };
});

/**
 * Marks the owners of the extra pairs (hashes[k], owners[k]) that share a hash with a different owner, among
 * themselves or in the sorted member pairs, and then the member pairs' owners of that hash too: the extra pairs,
 * sorted, each followed by the member pairs of its hash, are runs of equal hashes for markMixedRuns.
 */
function markExtraPairs(hashes: Int32Array, owners: Int32Array, pairs: MemberPairs | undefined, marked: Uint8Array): void {
  const n = hashes.length;
  const keys = new Uint32Array(n);
  const sortedOwners = new Int32Array(n);
  sortPairsByHash(Uint32Array.from(hashes), owners, keys, sortedOwners);
  const runKeys: number[] = [];
  const runOwners: number[] = [];
  for (let k = 0; k < n; k++) {
    runKeys.push(keys[k]!);
    runOwners.push(sortedOwners[k]!);
    if (!pairs || keys[k + 1] === keys[k]) continue;
    // The last extra pair of its hash: the member pairs of that hash after it.
    for (let x = lowerBound(pairs.keys, pairs.count, keys[k]!); x < pairs.count && pairs.keys[x] === keys[k]; x++) {
      runKeys.push(keys[k]!);
      runOwners.push(pairs.owners[x]!);
    }
  }
  markMixedRuns(Uint32Array.from(runKeys), Int32Array.from(runOwners), runKeys.length, marked);
}

/**
 * hashString(normalizeIdNumber(id)) of a resident or legacy ID (digits, then a digit or X or x): normalising only
 * turns a final x into X.
 */
function hashDigitsId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h = Math.imul(h ^ (c === 120 ? 88 : c), 0x01000193);
  }
  return h;
}

/** Whether Q002 compares this ID text (shorter texts — 无, 0, 待补 — are placeholders). */
function compared(id: string): boolean {
  // Characters, not UTF-16 units: at least MIN of them; 2·MIN units always are (a character takes 1 or 2 units).
  return id.length >= 2 * MIN_COMPARED_LENGTH || (id.length >= MIN_COMPARED_LENGTH && Array.from(id).length >= MIN_COMPARED_LENGTH);
}

/**
 * Q002's exact comparison: the households visited (in order) by normalised ID number, for the numbers found in two or
 * more households; each household at its first occurrence of the number.
 */
function exactSharedIds(): { visit(view: HouseholdView): void; shared(): Iterable<Map<string, IdOccurrence>> } {
  const first = new Map<string, IdOccurrence>();
  const shared = new Map<string, Map<string, IdOccurrence>>();
  return {
    visit(view) {
      for (const o of idOccurrencesOf(view)) {
        if (!compared(o.id)) continue;
        const key = normalizeIdNumber(o.id);
        const f = first.get(key);
        if (!f) {
          first.set(key, o);
          continue;
        }
        let households = shared.get(key);
        if (!households) {
          if (f.householdId === o.householdId) continue;
          shared.set(key, (households = new Map([[f.householdId, f]])));
        }
        if (!households.has(o.householdId)) households.set(o.householdId, o);
      }
    },
    shared: () => shared.values(),
  };
}

/** Q007: a member's 出生日期 differs from the (real) birth date inside the 18-character resident ID. */
export const q007 = householdRule("Q007", "warning", "出生日期与证件号码不符", "birth date vs ID", (view, emit, dataset) => {
  // Nothing to look at unless a member's 出生日期 is not written as the digits of its resident ID.
  if (known(view, dataset)?.birthDiffers === false) return;
  const { householdId, household, members } = view;
  for (const m of members) {
    if (!m.idNumber || !m.birthDate || sameDateText(m.birthDate, m.idNumber) || classifyIdNumber(m.idNumber) !== "resident") continue;
    const inId = birthDateFromId(m.idNumber);
    const given = parseDateParts(m.birthDate);
    if (!inId || !given) continue;
    const same = given.year === inId.year && given.month === inId.month && (given.day === undefined || given.day === inId.day);
    if (same) continue;
    // The dates themselves are not shown: digits 7–14 are exactly what masking hides.
    const part =
      given.year !== inId.year ? { zh: "年份", en: "year" } : given.month !== inId.month ? { zh: "月份", en: "month" } : { zh: "日", en: "day" };
    emit({
      householdId,
      source: m.source,
      household,
      idNumber: m.idNumber,
      zh: `出生日期与证件号码第7–14位的出生日期不一致（${part.zh}不同）`,
      en: `birth date differs from the date in the ID number, digits 7–14 (${part.en} differs)`,
    });
  }
});

/**
 * Whether a YYYY-MM-DD 出生日期 repeats digits 7–14 of an 18-character ID character for character (the usual case,
 * checked without parsing either; such a member never gets a Q007 finding).
 */
function sameDateText(birthDate: string, id: string): boolean {
  if (birthDate.length !== 10 || id.length !== 18) return false;
  for (let i = 0; i < 4; i++) if (birthDate.charCodeAt(i) !== id.charCodeAt(6 + i)) return false;
  return (
    birthDate.charCodeAt(5) === id.charCodeAt(10) &&
    birthDate.charCodeAt(6) === id.charCodeAt(11) &&
    birthDate.charCodeAt(8) === id.charCodeAt(12) &&
    birthDate.charCodeAt(9) === id.charCodeAt(13) &&
    birthDate.charCodeAt(4) === 45 &&
    birthDate.charCodeAt(7) === 45
  );
}

/** Q018: a 15-digit legacy ID, or a document number that does not have the 18-character resident-ID shape. */
export const q018 = householdRule("Q018", "note", "非18位居民身份证号码", "not a resident ID", (view, emit, dataset) => {
  if (allIdsValid(view, dataset)) return;
  for (const o of idOccurrencesOf(view)) {
    if (o.check < IdCheck.Legacy15) continue;
    const l = label(o);
    const base = { householdId: o.householdId, source: o.source, household: o.household, idNumber: o.id };
    if (o.check === IdCheck.Legacy15) {
      emit({ ...base, zh: `${l.zh}为15位旧身份证号码`, en: `${l.en} is a 15-digit legacy ID` });
    } else {
      const n = Array.from(o.id).length;
      emit({
        ...base,
        zh: `${l.zh}不是18位居民身份证号码（${n}位）`,
        en: `${l.en} is not an 18-character resident ID (${n} characters)`,
      });
    }
  }
});
