/**
 * Labour and health of members (rules.md §10, §11).
 */
import type { Member } from "../model/index.js";
import type { HouseholdHistory } from "./types.js";

/** 劳动技能 values that count as labour. 弱劳动力或半劳动力, 丧失劳动力, 无劳动力 and a blank skill do not. */
export const LABOUR_SKILLS: readonly string[] = ["普通劳动力", "技能劳动力"];

/** True when the member's 劳动技能 is 普通劳动力 or 技能劳动力. */
export function hasLabour(member: Member): boolean {
  const s = member.labourSkill?.trim();
  return s !== undefined && LABOUR_SKILLS.includes(s);
}

/** True when the member's (comma-joined) 健康状况 contains 患有大病 or 长期慢性病. */
export function hasSeriousIllness(member: Member): boolean {
  const h = member.health;
  return h !== undefined && (h.includes("患有大病") || h.includes("长期慢性病"));
}

/** Members are known for this household: the data has a members table and the household has member rows. */
export function membersKnownFor(history: HouseholdHistory): boolean {
  return history.membersKnown && history.members.length > 0;
}

/** True when at least one member has labour (false when members are not known). */
export function anyMemberHasLabour(history: HouseholdHistory): boolean {
  for (const m of history.members) if (hasLabour(m)) return true;
  return false;
}

/** No-labour household: 整户无劳动能力兜底保障户 = 是, or members known and none has labour. */
export function isNoLabourHousehold(history: HouseholdHistory): boolean {
  if (history.household.noLabourHousehold === true) return true;
  return membersKnownFor(history) && !anyMemberHasLabour(history);
}
