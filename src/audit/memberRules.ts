/**
 * Audit rules about a household's member rows: Q003 户主 count, Q004 配偶 count, Q005 家庭人口数 vs member rows,
 * Q006 户主 and 配偶 of the same sex, Q010/Q011 labour risks vs the members' 劳动技能.
 * All of them look only at households that have member rows.
 */
import type { Member } from "../model/index.js";
import { hasLabour } from "../rules/labour.js";
import { hasRisk, householdRule } from "./define.js";
import { hasRelation, memberSex, memberTraits } from "./memberTraits.js";

function withRelation(members: readonly Member[], relation: string): Member[] {
  return members.filter((m) => hasRelation(m, relation));
}

// Each check first asks the household's member traits (memberTraits.ts: counted on the store's columns, no Member
// object built) and returns when they show no problem; the members themselves are read only to report one.

/** Q003: a household with member rows has no 户主 (reported at its first member row) or several (at the second 户主). */
export const q003 = householdRule("Q003", "error", "户主人数", "household head count", (view, emit, dataset) => {
  const t = memberTraits(view, dataset);
  if (t.count === 0 || t.heads === 1) return;
  const { householdId, household, members } = view;
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
export const q004 = householdRule("Q004", "warning", "配偶人数", "more than one spouse", (view, emit, dataset) => {
  if (memberTraits(view, dataset).spouses < 2) return;
  const { householdId, household, members } = view;
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
export const q005 = householdRule("Q005", "warning", "家庭人口数与成员数不符", "size vs member rows", (view, emit, dataset) => {
  const { householdId, household } = view;
  if (!household || household.size === undefined) return;
  const count = memberTraits(view, dataset).count;
  if (count === 0 || household.size === count) return;
  emit({
    householdId,
    source: household.source,
    household,
    zh: `家庭人口数为${household.size}，成员信息有${count}人`,
    en: `household size is ${household.size} but there are ${count} member rows`,
  });
});

/** Q006: a 配偶 has the same sex as the (first) 户主; reported at the 配偶 row. Members of unknown sex are skipped. */
export const q006 = householdRule("Q006", "warning", "户主配偶同性别", "head and spouse same sex", (view, emit, dataset) => {
  if (!memberTraits(view, dataset).sameSexSpouse) return;
  const { householdId, household, members } = view;
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
export const q010 = householdRule("Q010", "warning", "缺劳动力但有劳动力成员", "no-labour risk with labour", (view, emit, dataset) => {
  const { household } = view;
  if (!household || !hasRisk(household, "缺劳动力") || memberTraits(view, dataset).labour === 0) return;
  const worker = view.members.find(hasLabour);
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
export const q011 = householdRule("Q011", "warning", "务工不稳但无劳动力", "job risk without labour", (view, emit, dataset) => {
  const { household } = view;
  if (!household || !hasRisk(household, "因务工就业不稳")) return;
  const t = memberTraits(view, dataset);
  if (t.count === 0 || t.labour > 0) return;
  emit({
    householdId: household.id,
    source: household.source,
    household,
    zh: `风险类型为因务工就业不稳，但${t.count}名成员均无劳动力`,
    en: `risk 因务工就业不稳 (unstable employment) but none of the ${t.count} members has labour`,
  });
});
