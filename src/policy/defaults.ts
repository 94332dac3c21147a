/**
 * The built-in national floor (policy.md) and the catalogue of every setting: its key path, what kind of value it
 * takes, its Chinese label and where its default comes from. Validation, the 参数 sheet and the starter file are all
 * driven by this one table.
 */
import type { Policy, PolicySettings } from "./types.js";

/**
 * What a setting may hold:
 * - amount: yuan, 0 allowed, not negative;
 * - factor: a multiplier ≥ 1;
 * - ratio: a share from 0 to 1;
 * - share: a share of income, 0 allowed, not negative (may exceed 1);
 * - months: a whole number of months within [min, max].
 */
export type SettingKind = "amount" | "factor" | "ratio" | "share" | "months";

/** One leaf of PolicySettings, addressed by its dotted key path (`rigidExpense.medical`). */
export interface SettingSpec {
  readonly path: string;
  readonly kind: SettingKind;
  /** Inclusive bounds for kind "months" (max undefined = no upper bound). */
  readonly min?: number;
  readonly max?: number;
  /** Labels for the 参数 sheet (and `policy show`). */
  readonly labelZh: string;
  readonly labelEn: string;
  /** Where the default comes from (policy.md), for the starter file and the docs. */
  readonly origin: string;
}

/** Every setting, in the order of policy.md's example. */
export const SETTING_SPECS: readonly SettingSpec[] = [
  { path: "povertyLine", kind: "amount", labelZh: "贫困线（元/人·年）", labelEn: "poverty line (yuan per person per year)", origin: "2020 poverty line, about 4,000 yuan (中农组发〔2021〕7号)" },
  { path: "monitoringLine", kind: "amount", labelZh: "监测标准（元/人·年）", labelEn: "monitoring line (yuan per person per year)", origin: "2021 national floor, 1.5 × the poverty line; each province sets its own figure every year" },
  { path: "yellowFactor", kind: "factor", labelZh: "黄色预警倍数", labelEn: "yellow line factor", origin: "not a national figure: yellow line = monitoringLine × yellowFactor" },
  { path: "streakMonths", kind: "months", min: 1, max: 12, labelZh: "连续低收入预警月数", labelEn: "low-income streak (months)", origin: "连续3个月收入未达标 triggers a visit (Xinjiang, 2020)" },
  { path: "minMonthsForAnnual", kind: "months", min: 1, max: 12, labelZh: "年化收入最少记录月数", labelEn: "months needed to annualise", origin: "months of records needed to annualise monthly income" },
  { path: "incomeDrop.ratio", kind: "ratio", labelZh: "收入骤减比例", labelEn: "income drop ratio", origin: "not a national figure: 0.5 = income halved against the same months a year before" },
  { path: "rigidExpense.medical", kind: "amount", labelZh: "医疗自付预警线（元/年）", labelEn: "medical self-paid threshold (yuan per year)", origin: "Xi'an medical-insurance push line after three-tier reimbursement" },
  { path: "rigidExpense.education", kind: "amount", labelZh: "教育支出预警线（元/年）", labelEn: "education expense threshold (yuan per year)", origin: "placeholder, to be set locally" },
  { path: "rigidExpense.disaster", kind: "amount", labelZh: "灾害损失预警线（元/年）", labelEn: "disaster loss threshold (yuan per year)", origin: "placeholder, to be set locally" },
  { path: "rigidExpense.accident", kind: "amount", labelZh: "意外事故损失预警线（元/年）", labelEn: "accident loss threshold (yuan per year)", origin: "placeholder, to be set locally" },
  { path: "rigidExpense.incomeShare", kind: "share", labelZh: "刚性支出占家庭年纯收入比例", labelEn: "rigid expense share of household net income", origin: "Binzhou: 50 % of household income" },
  { path: "elimination.stableMonths", kind: "months", min: 1, max: 12, labelZh: "消除前收入稳定月数", labelEn: "stable months for elimination", origin: "收入持续稳定（原则上不得低于半年）" },
  { path: "elimination.minMonitoredMonths", kind: "months", min: 0, labelZh: "消除前最少监测月数", labelEn: "minimum monitored months for elimination", origin: "audit rule: elimination within 6 months of identification is flagged" },
];

/** The nested setting groups (objects merged key by key). */
export const SETTING_GROUPS: readonly string[] = ["incomeDrop", "rigidExpense", "elimination"];

/** The settings of the built-in national floor, exactly policy.md's example without name and overrides. */
export const DEFAULT_SETTINGS: PolicySettings = deepFreeze({
  povertyLine: 4000,
  monitoringLine: 6000,
  yellowFactor: 1.2,
  streakMonths: 3,
  minMonthsForAnnual: 3,
  incomeDrop: { ratio: 0.5 },
  rigidExpense: { medical: 10000, education: 10000, disaster: 10000, accident: 10000, incomeShare: 0.5 },
  elimination: { stableMonths: 6, minMonitoredMonths: 6 },
});

/** Name of the built-in policy, shown in outputs and on stderr. */
export const BUILT_IN_POLICY_NAME = "内置国家底线 (built-in national floor)";

/** The one stderr line a run using the built-in policy prints (policy.md: a province should set its own figure). */
export const BUILT_IN_POLICY_NOTICE =
  "no --policy given: using the built-in national floor (监测标准 6000, 贫困线 4000); set your province's figures " +
  "with --policy FILE (`povwatch policy init` writes a starter file)";

/** The policy used when no --policy file is given: DEFAULT_SETTINGS, no overrides, builtIn true. Deeply frozen. */
export const DEFAULT_POLICY: Policy = deepFreeze({
  ...DEFAULT_SETTINGS,
  name: BUILT_IN_POLICY_NAME,
  builtIn: true,
  overrides: [],
});

/** Freezes an object graph in place and returns it (policy objects are shared by millions of households). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
