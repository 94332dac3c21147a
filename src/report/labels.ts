/**
 * Labels of the codes the outputs show (outputs.md): status, colour, trigger and income source in Chinese and
 * English, the official category names, and the small text helpers every report builder shares.
 */
import type { Color, Status, Trigger } from "../rules/types.js";

/** Output language (`--lang`). */
export { compareCodePoints } from "../model/text.js";

export type Lang = "zh" | "en";

/** 状态: 新识别 / 持续监测 / 建议消除. English output uses the Status code itself. */
export const STATUS_ZH: Readonly<Record<Status, string>> = {
  new: "新识别",
  continuing: "持续监测",
  suggest_elimination: "建议消除",
};

/** 风险等级: 红 橙 黄 绿. English output uses the Color code itself. */
export const COLOR_ZH: Readonly<Record<Color, string>> = { red: "红", orange: "橙", yellow: "黄", green: "绿" };

/** 预警信号 names. English output uses the Trigger code itself. */
export const TRIGGER_ZH: Readonly<Record<Trigger, string>> = {
  STREAK: "连续低收入",
  MEDICAL: "医疗支出",
  EDUCATION: "教育支出",
  DISASTER: "灾害损失",
  ACCIDENT: "意外事故",
  INCOME_DROP: "收入骤减",
};

/** 收入口径: 月度 (from monthly records) / 年度 (the households table's 人均纯收入). */
export const ANNUAL_SOURCE_ZH: Readonly<Record<"monthly" | "annual", string>> = { monthly: "月度", annual: "年度" };

/** The three official monitoring categories, in the order reports list them. */
export const CATEGORIES: readonly string[] = ["脱贫不稳定户", "边缘易致贫户", "突发严重困难户"];

/** Risk types (风险类型) in the order of rules.md §10 followed by the remaining values of inputs.md. */
export const RISK_TYPE_ORDER: readonly string[] = [
  "因病",
  "因学",
  "因自然灾害",
  "因意外事故",
  "缺劳动力",
  "因务工就业不稳",
  "因残",
  "因产业项目失败",
  "因安全住房",
  "因安全饮水",
  "其他",
];

/** The status as written in the outputs: Chinese, or the code with `--lang en`. */
export function statusLabel(status: Status, lang: Lang): string {
  return lang === "en" ? status : STATUS_ZH[status];
}

/** The colour as written in the outputs: 红 橙 黄 绿, or the code with `--lang en`. */
export function colorLabel(color: Color, lang: Lang): string {
  return lang === "en" ? color : COLOR_ZH[color];
}

/** The trigger as written in the outputs: its Chinese name, or the code with `--lang en`. */
export function triggerLabel(trigger: Trigger, lang: Lang): string {
  return lang === "en" ? trigger : TRIGGER_ZH[trigger];
}

/**
 * Rounds to `digits` decimals, half away from zero on the exact binary value (as `toFixed` does); never returns −0.
 * Non-finite input gives undefined, so that no output ever shows NaN or Infinity.
 */
export function roundTo(value: number, digits: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  // A whole number (most amounts in yuan) is its own rounding: no text made and parsed.
  if (Number.isInteger(value)) return value === 0 ? 0 : value;
  const r = Number(value.toFixed(digits));
  return r === 0 ? 0 : r;
}
