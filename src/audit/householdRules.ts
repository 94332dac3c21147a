/**
 * Audit rules about a household's own columns: Q008 early 帮扶消除, Q009 因病 without expenditure, Q012 elimination
 * flag vs month, Q013 no-labour household eliminated, Q014 per-capita income range, Q015 missing recent income months,
 * Q016 家庭人口数 range (accepted and rejected rows), Q017 conflicting values in a member-level export.
 */
import type { Household, SourceRef } from "../model/index.js";
import { maskIdNumber, maskName } from "../model/mask.js";
import { formatMonth } from "../model/month.js";
import { isCurrentlyMonitored } from "../rules/status.js";
import { indexOfMonth } from "../rules/window.js";
import { datasetRule, defineRule, formatAmount, hasRisk, householdRule } from "./define.js";

/** Months of monitoring before an assisted elimination is plausible (audit.md Q008). */
const MIN_MONTHS_BEFORE_ASSISTED_ELIMINATION = 6;
/** Plausible range of 人均纯收入 for a monitored household (audit.md Q014), yuan, bounds allowed. */
const INCOME_PC_MIN = 0;
const INCOME_PC_MAX = 20_000;
/** Largest plausible 家庭人口数 (audit.md Q016). */
const MAX_HOUSEHOLD_SIZE = 20;

/** Q008: 风险消除方式 帮扶消除 with 风险消除时间 − 识别监测时间 < 6 months (both months known). */
export const q008 = householdRule("Q008", "warning", "帮扶消除时间过短", "early assisted elimination", ({ household: h }, emit) => {
  if (h?.eliminationMethod?.trim() !== "帮扶消除" || h.identifiedMonth === undefined || h.eliminatedMonth === undefined) return;
  const months = h.eliminatedMonth - h.identifiedMonth;
  if (months >= MIN_MONTHS_BEFORE_ASSISTED_ELIMINATION) return;
  const span = `${formatMonth(h.identifiedMonth)}→${formatMonth(h.eliminatedMonth)}`;
  emit({
    householdId: h.id,
    source: h.source,
    household: h,
    zh: `帮扶消除距识别监测时间${months}个月（${span}），不足${MIN_MONTHS_BEFORE_ASSISTED_ELIMINATION}个月`,
    en: `assisted elimination (帮扶消除) ${months} months after identification (${span}), less than ${MIN_MONTHS_BEFORE_ASSISTED_ELIMINATION}`,
  });
});

/** Q009: risk 因病 but 合规自付支出 empty or 0 and no 医疗 event of the household (any date). */
export const q009 = defineRule("Q009", "warning", "因病无合规自付支出", "illness without expense", (dataset, _ctx, emit) => {
  const withMedicalEvent = new Set<string>();
  for (const e of dataset.events) if (e.eventType === "医疗" && e.householdId !== undefined) withMedicalEvent.add(e.householdId);
  return {
    household({ household: h }) {
      if (!h || !hasRisk(h, "因病")) return;
      if ((h.compliantSelfPaid !== undefined && h.compliantSelfPaid !== 0) || withMedicalEvent.has(h.id)) return;
      emit({
        householdId: h.id,
        source: h.source,
        household: h,
        zh: `风险类型为因病，但合规自付支出${h.compliantSelfPaid === undefined ? "为空" : "为0"}且无医疗预警数据`,
        en: `risk 因病 (illness) but compliant self-paid expenditure is ${h.compliantSelfPaid === undefined ? "empty" : "0"} and there are no medical events`,
      });
    },
  };
});

/** Q012: 风险是否已消除 = 是 without 风险消除时间, or a 风险消除时间 while 风险是否已消除 is 否 or blank. */
export const q012 = householdRule("Q012", "error", "风险消除标记与时间不符", "elimination flag vs month", ({ household: h }, emit) => {
  if (!h) return;
  if (h.riskEliminated === true && h.eliminatedMonth === undefined) {
    emit({
      householdId: h.id,
      source: h.source,
      household: h,
      zh: "风险是否已消除为“是”，但风险消除时间为空",
      en: "risk marked eliminated (是) but 风险消除时间 is empty",
    });
  } else if (h.riskEliminated !== true && h.eliminatedMonth !== undefined) {
    const flag = h.riskEliminated === false ? { zh: "为“否”", en: "is 否 (no)" } : { zh: "为空", en: "is empty" };
    emit({
      householdId: h.id,
      source: h.source,
      household: h,
      zh: `风险消除时间为${formatMonth(h.eliminatedMonth)}，但风险是否已消除${flag.zh}`,
      en: `风险消除时间 is ${formatMonth(h.eliminatedMonth)} but 风险是否已消除 ${flag.en}`,
    });
  }
});

/** Q013: 整户无劳动能力兜底保障户 = 是 and 风险是否已消除 = 是. */
export const q013 = householdRule("Q013", "warning", "无劳动能力户已消除", "no-labour hh eliminated", ({ household: h }, emit) => {
  if (h?.noLabourHousehold !== true || h.riskEliminated !== true) return;
  emit({
    householdId: h.id,
    source: h.source,
    household: h,
    zh: "整户无劳动能力兜底保障户已标记风险消除",
    en: "a household without labour capacity (整户无劳动能力兜底保障户) is marked eliminated",
  });
});

/** Q014: 人均纯收入 below 0 or above 20,000 yuan for a monitored household (0 and 20,000 themselves are plausible). */
export const q014 = householdRule("Q014", "note", "人均纯收入异常", "income per capita range", ({ household: h }, emit) => {
  if (!h) return;
  const pc = h.annualNetIncomePc;
  if (pc === undefined || !isCurrentlyMonitored(h) || (pc >= INCOME_PC_MIN && pc <= INCOME_PC_MAX)) return;
  emit({
    householdId: h.id,
    source: h.source,
    household: h,
    zh: `监测户人均纯收入为${formatAmount(pc)}元，${pc < INCOME_PC_MIN ? "低于0元" : "高于20000元"}`,
    en: `monitored household's per-capita net income is ${formatAmount(pc)} yuan, ${pc < INCOME_PC_MIN ? "below 0" : "above 20000"}`,
  });
});

/**
 * Q015: a monitored household has no income record for one or more of P−2 … P; one finding per household listing the
 * months. Only when the data has income at all and a period is known.
 */
export const q015 = householdRule("Q015", "note", "近3个月缺收入记录", "missing recent income", ({ household: h }, emit, dataset, ctx) => {
  const p = ctx.period;
  if (!h || p === undefined || dataset.income.householdIds().length === 0) return;
  if (!isCurrentlyMonitored(h)) return;
  const months = dataset.income.monthsOf(h.id);
  const missing = [p - 2, p - 1, p].filter((m) => indexOfMonth(months, months.length, m) < 0).map(formatMonth);
  if (missing.length === 0) return;
  emit({
    householdId: h.id,
    source: h.source,
    household: h,
    zh: `监测户缺少${missing.join("、")}的收入记录`,
    en: `monitored household has no income record for ${missing.join(", ")}`,
  });
});

/** The number a 家庭人口数 cell holds as written (full-width digits, a trailing 人), or NaN. */
function sizeValue(text: string): number {
  const t = text
    .normalize("NFKC")
    .replace(/^'/, "")
    .replace(/人$/, "")
    .trim();
  return t === "" ? Number.NaN : Number(t);
}

function sizeOutOfRange(size: number): boolean {
  return size <= 0 || size > MAX_HOUSEHOLD_SIZE;
}

/**
 * Q016: 家庭人口数 is 0, negative or above 20, in an accepted household or in a households/members row the reader
 * rejected (code invalid_size). One finding per household (its accepted row first, else its first rejected row);
 * rejected rows without 户编号 each get their own. Non-numeric and fractional sizes are left to the rejects list.
 */
export const q016 = defineRule("Q016", "error", "家庭人口数异常", "household size range", (dataset, _ctx, emit) => {
  const reported = new Set<string>();
  const report = (householdId: string, source: SourceRef, household: Household | undefined, size: number) => {
    if (householdId !== "") {
      if (reported.has(householdId)) return;
      reported.add(householdId);
    }
    const why = size > MAX_HOUSEHOLD_SIZE ? { zh: "超过20", en: "above 20" } : { zh: "不是正数", en: "not positive" };
    emit({
      householdId,
      source,
      household,
      zh: `家庭人口数为${size}，${why.zh}`,
      en: `household size is ${size}, ${why.en}`,
    });
  };
  return {
    household({ household: h }) {
      if (h?.size !== undefined && sizeOutOfRange(h.size)) report(h.id, h.source, h, h.size);
    },
    finish() {
      for (const r of dataset.rejects) {
        if (r.code !== "invalid_size" || (r.kind !== "households" && r.kind !== "members")) continue;
        const size = sizeValue(r.value);
        if (!Number.isFinite(size) || !sizeOutOfRange(size)) continue;
        const householdId = r.householdId?.trim() ?? "";
        report(householdId, r.source, householdId ? dataset.households.get(householdId) : undefined, size);
      }
    },
  };
});

/** Columns whose values are personal data and are masked in Q017 messages. */
function maskValue(column: string, value: string): string {
  if (column.includes("姓名") || /name/i.test(column)) return maskName(value);
  if (/证件|身份证|id_number/i.test(column)) return maskIdNumber(value);
  return value;
}

/** Q017: a member-level export gives a different non-empty value of a household column; at the later row. */
export const q017 = datasetRule("Q017", "warning", "户信息前后不一致", "conflicting household data", (dataset, _ctx, emit) => {
  for (const c of dataset.conflicts) {
    const first = maskValue(c.column, c.first);
    const other = maskValue(c.column, c.other);
    emit({
      householdId: c.householdId,
      source: c.source,
      household: dataset.households.get(c.householdId),
      zh: `同一户的${c.column}前后不一致：先为“${first}”，此行为“${other}”（以前者为准）`,
      en: `${c.column} differs within the household: first "${first}", this row "${other}" (the first value is used)`,
    });
  }
});
