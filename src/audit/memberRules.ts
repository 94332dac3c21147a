/**
 * Audit rules about a household's member rows: Q003 户主 count, Q004 配偶 count, Q005 家庭人口数 vs member rows,
 * Q006 户主 and 配偶 of the same sex, Q010/Q011 labour risks vs the members' 劳动技能.
 * All of them look only at households that have member rows.
 */
import type { Member } from "../model/index.js";
import { hasLabour } from "../rules/labour.js";
import { hasRisk, householdRule } from "./define.js";
import { sexFromId } from "./residentId.js";

/** Whether the member's 与户主关系 is `relation` (blanks around it ignored). */
function hasRelation(m: Member, relation: string): boolean {
  return m.relation?.trim() === relation;
}

function withRelation(members: readonly Member[], relation: string): Member[] {
  return members.filter((m) => hasRelation(m, relation));
}

/** How many members have 与户主关系 `relation` (counted without building the list: most households have one 户主). */
function countRelation(members: readonly Member[], relation: string): number {
  let n = 0;
  for (const m of members) if (hasRelation(m, relation)) n++;
  return n;
}

/** Q003: a household with member rows has no 户主 (reported at its first member row) or several (at the second 户主). */
export const q003 = householdRule("Q003", "error", "户主人数", "household head count", ({ householdId, household, members }, emit) => {
  if (members.length === 0 || countRelation(members, "户主") === 1) return;
  const heads = withRelation(members, "户主");
  if (heads.length === 0) {
    emit({
      householdId,
      source: members[0]!.source,
      household,
      zh: `户内${members.length}名成员中没有户主`,
      en: `none of the household's ${members.length} members is the head (户主)`,
    });
  } else {
    emit({
      householdId,
      source: heads[1]!.source,
      household,
      idNumber: heads[1]!.idNumber,
      zh: `户内有${heads.length}名户主`,
      en: `the household has ${heads.length} heads (户主)`,
    });
  }
});

/** Q004: a household has more than one 配偶; reported at the second 配偶 row. */
export const q004 = householdRule("Q004", "warning", "配偶人数", "more than one spouse", ({ householdId, household, members }, emit) => {
  if (countRelation(members, "配偶") < 2) return;
  const spouses = withRelation(members, "配偶");
  emit({
    householdId,
    source: spouses[1]!.source,
    household,
    idNumber: spouses[1]!.idNumber,
    zh: `户内有${spouses.length}名配偶`,
    en: `the household has ${spouses.length} spouses (配偶)`,
  });
});

/** Q005: 家庭人口数 differs from the number of member rows (households with member rows and a size); at the household row. */
export const q005 = householdRule("Q005", "warning", "家庭人口数与成员数不符", "size vs member rows", ({ householdId, household, members }, emit) => {
  if (!household || household.size === undefined || members.length === 0 || household.size === members.length) return;
  emit({
    householdId,
    source: household.source,
    household,
    zh: `家庭人口数为${household.size}，成员信息有${members.length}人`,
    en: `household size is ${household.size} but there are ${members.length} member rows`,
  });
});

/** The sex of a member: 性别, else the sex digit of the ID number. */
export function memberSex(m: Member): "男" | "女" | undefined {
  return m.sex ?? (m.idNumber ? sexFromId(m.idNumber) : undefined);
}

/** Q006: a 配偶 has the same sex as the (first) 户主; reported at the 配偶 row. Members of unknown sex are skipped. */
export const q006 = householdRule("Q006", "warning", "户主配偶同性别", "head and spouse same sex", ({ householdId, household, members }, emit) => {
  const head = members.find((m) => hasRelation(m, "户主"));
  const headSex = head ? memberSex(head) : undefined;
  if (!headSex) return;
  for (const spouse of members) {
    if (!hasRelation(spouse, "配偶") || memberSex(spouse) !== headSex) continue;
    emit({
      householdId,
      source: spouse.source,
      household,
      idNumber: spouse.idNumber,
      zh: `户主与配偶性别相同（${headSex}）`,
      en: `head and spouse have the same sex (${headSex === "男" ? "male" : "female"})`,
    });
  }
});

/** Q010: risk 缺劳动力 but a member has 普通劳动力 or 技能劳动力; reported at the first such member's row. */
export const q010 = householdRule("Q010", "warning", "缺劳动力但有劳动力成员", "no-labour risk with labour", ({ household, members }, emit) => {
  if (!household || !hasRisk(household, "缺劳动力")) return;
  const worker = members.find(hasLabour);
  if (!worker) return;
  emit({
    householdId: household.id,
    source: worker.source,
    household,
    idNumber: worker.idNumber,
    zh: `风险类型为缺劳动力，但成员劳动技能为${worker.labourSkill!.trim()}`,
    en: `risk 缺劳动力 (lack of labour) but a member's labour skill is ${worker.labourSkill!.trim()}`,
  });
});

/** Q011: risk 因务工就业不稳 but no member has labour (households with member rows); at the household row. */
export const q011 = householdRule("Q011", "warning", "务工不稳但无劳动力", "job risk without labour", ({ household, members }, emit) => {
  if (!household || !hasRisk(household, "因务工就业不稳")) return;
  if (members.length === 0 || members.some(hasLabour)) return;
  emit({
    householdId: household.id,
    source: household.source,
    household,
    zh: `风险类型为因务工就业不稳，但${members.length}名成员均无劳动力`,
    en: `risk 因务工就业不稳 (unstable employment) but none of the ${members.length} members has labour`,
  });
});
