/**
 * Audit rules about ID numbers: Q001 check digit and birth date, Q002 the same ID in two households,
 * Q007 出生日期 vs the ID, Q018 legacy and non-resident document numbers.
 */
import { parseDateParts } from "../model/month.js";
import type { SourceRef } from "../model/index.js";
import { IdIndex } from "../model/idIndex.js";
import { defineRule, householdRule, idOccurrencesOf, normalizeIdNumber, type IdOccurrence } from "./define.js";
import { birthDateFromId, classifyIdNumber, validateResidentId } from "./residentId.js";

function label(o: IdOccurrence): { zh: string; en: string } {
  return o.isMember ? { zh: "证件号码", en: "ID number" } : { zh: "户主证件号码", en: "head's ID number" };
}

/** Q001: an 18-character resident ID whose birth date is not a real date or whose check character is wrong. */
export const q001 = householdRule("Q001", "error", "证件号码校验", "invalid resident ID", (view, emit) => {
  for (const o of idOccurrencesOf(view)) {
    if (classifyIdNumber(o.id) !== "resident") continue;
    const r = validateResidentId(o.id);
    if (r.valid) continue;
    const l = label(o);
    const base = { householdId: o.householdId, source: o.source, household: o.household, idNumber: o.id };
    if (r.reason === "check_digit") {
      emit({
        ...base,
        zh: `${l.zh}校验位错误（按GB 11643-1999应为${r.expected}）`,
        en: `${l.en}: wrong check character (GB 11643-1999 requires ${r.expected})`,
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
 */
export const q002 = defineRule("Q002", "error", "证件号码重复", "ID in two households", (dataset, _ctx, emit) => {
  // A province has millions of IDs: where each was first seen is kept in flat arrays (no object per ID); full
  // occurrences are kept only for the rare IDs found in a second household.
  const first = new IdIndex(1 << 16);
  const firstHousehold: string[] = [];
  const firstId: string[] = [];
  const firstRow: number[] = [];
  const firstWhere: number[] = [];
  const firstIsMember: boolean[] = [];
  const places: { file: string; sheet: string }[] = [];
  const placeIndex = new Map<string, number>();
  const shared = new Map<string, Map<string, IdOccurrence>>();
  let lastPlace = -1;
  const place = (source: SourceRef): number => {
    const last = places[lastPlace];
    if (last && last.file === source.file && last.sheet === source.sheet) return lastPlace;
    const key = `${source.file}\u0000${source.sheet}`;
    let i = placeIndex.get(key);
    if (i === undefined) {
      placeIndex.set(key, (i = places.length));
      places.push({ file: source.file, sheet: source.sheet });
    }
    return (lastPlace = i);
  };
  const firstOccurrence = (i: number): IdOccurrence => {
    const householdId = firstHousehold[i]!;
    const household = dataset.households.get(householdId);
    const source = { ...places[firstWhere[i]!]!, row: firstRow[i]! };
    return { householdId, id: firstId[i]!, source, household, isMember: firstIsMember[i]! };
  };
  return {
    household(view) {
      for (const o of idOccurrencesOf(view)) {
        if (o.id.length < MIN_COMPARED_LENGTH && Array.from(o.id).length < MIN_COMPARED_LENGTH) continue;
        const key = normalizeIdNumber(o.id);
        const i = first.add(key);
        if (i === firstHousehold.length) {
          firstHousehold.push(o.householdId);
          firstId.push(o.id);
          firstRow.push(o.source.row);
          firstWhere.push(place(o.source));
          firstIsMember.push(o.isMember);
          continue;
        }
        let households = shared.get(key);
        if (!households) {
          if (firstHousehold[i] === o.householdId) continue;
          shared.set(key, (households = new Map([[firstHousehold[i]!, firstOccurrence(i)]])));
        }
        if (!households.has(o.householdId)) households.set(o.householdId, o);
      }
    },
    finish() {
      for (const households of shared.values()) {
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

/** Q007: a member's 出生日期 differs from the (real) birth date inside the 18-character resident ID. */
export const q007 = householdRule("Q007", "warning", "出生日期与证件号码不符", "birth date vs ID", ({ householdId, household, members }, emit) => {
  for (const m of members) {
    if (!m.idNumber || !m.birthDate || classifyIdNumber(m.idNumber) !== "resident") continue;
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

/** Q018: a 15-digit legacy ID, or a document number that does not have the 18-character resident-ID shape. */
export const q018 = householdRule("Q018", "note", "非18位居民身份证号码", "not a resident ID", (view, emit) => {
  for (const o of idOccurrencesOf(view)) {
    const shape = classifyIdNumber(o.id);
    if (shape === "resident") continue;
    const l = label(o);
    const base = { householdId: o.householdId, source: o.source, household: o.household, idNumber: o.id };
    if (shape === "legacy15") {
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
