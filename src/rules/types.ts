/**
 * What the monitoring rules (rules.md) take and give for one household.
 */
import type { DepartmentEvent, Household, Member } from "../model/index.js";

/**
 * One household's monthly income records, ascending by month, one record per month (duplicates already resolved).
 * Columnar so that a province-sized scan does not allocate an object per row.
 */
export interface IncomeSeries {
  readonly length: number;
  /** Month integers (model/month.ts), strictly ascending. */
  readonly months: ArrayLike<number>;
  /** net(h, m): 纯收入 if given, else the components (rules.md §1). */
  readonly net: ArrayLike<number>;
  /** 工资性收入: NaN when the row's table has no wage column, 0 for a blank cell. */
  readonly wage: ArrayLike<number>;
  /** The row's 家庭人口数, NaN when absent. */
  readonly size: ArrayLike<number>;
}

/** Everything the rules need to know about one household. */
export interface HouseholdHistory {
  readonly household: Household;
  /** Member rows; empty when the data has no members table (then `membersKnown` is false). */
  readonly members: readonly Member[];
  readonly membersKnown: boolean;
  readonly income: IncomeSeries;
  /** Department events matched to this household (any date; rules pick the window). */
  readonly events: readonly DepartmentEvent[];
}

export type Trigger = "STREAK" | "MEDICAL" | "EDUCATION" | "DISASTER" | "ACCIDENT" | "INCOME_DROP";
export const TRIGGERS: readonly Trigger[] = ["STREAK", "MEDICAL", "EDUCATION", "DISASTER", "ACCIDENT", "INCOME_DROP"];

export type Color = "red" | "orange" | "yellow" | "green";
export const COLORS: readonly Color[] = ["red", "orange", "yellow", "green"];

export type Status = "new" | "continuing" | "suggest_elimination";
export const STATUSES: readonly Status[] = ["new", "continuing", "suggest_elimination"];

/** The lines that apply to a household (rules.md §2). */
export interface Lines {
  /** Annual monitoring line L. */
  readonly annual: number;
  /** Monthly line l = L / 12, unrounded. */
  readonly monthly: number;
  /** Poverty line V. */
  readonly poverty: number;
  /** Yellow line Y = L × yellowFactor. */
  readonly yellow: number;
}

/** The rules' verdict on one household, with all the evidence the outputs show. */
export interface Assessment {
  readonly householdId: string;
  /** size(h) per rules.md §1, undefined when no usable size. */
  readonly size: number | undefined;
  readonly lines: Lines;
  readonly currentStreak: number;
  readonly longestStreak: number;
  /** First and last month of the longest streak (undefined when longestStreak = 0). */
  readonly streakFirst: number | undefined;
  readonly streakLast: number | undefined;
  /** Months of W with a record. */
  readonly recorded: number;
  readonly annualPc: number | undefined;
  readonly annualSource: "monthly" | "annual" | undefined;
  /** Sums of self-paid / loss amounts over W used by the rigid-expenditure rule (medical may come from 合规自付支出). */
  readonly medicalSelfPaid: number;
  readonly educationExpense: number;
  readonly disasterLoss: number;
  readonly accidentLoss: number;
  /** medical + education + disaster + accident. */
  readonly rigidExpenseTotal: number;
  /** 1 − recent / earlier when both three-month sums exist (earlier > 0), else undefined. */
  readonly incomeDropRatio: number | undefined;
  /** In TRIGGERS order. */
  readonly triggers: readonly Trigger[];
  readonly suggestedCategory: string | undefined;
  readonly color: Color;
  readonly grade: string;
  /** 风险类型 (rules.md §10) of a listed household; empty when not listed (nothing reports them). */
  readonly riskTypes: readonly string[];
  readonly currentlyMonitored: boolean;
  /** 当前监测类别: the input category for a currently monitored household, else undefined. */
  readonly currentCategory: string | undefined;
  /** undefined = not listed. */
  readonly status: Status | undefined;
  /** `类别变化: A→B` when continuing with a different category. */
  readonly categoryChange: string | undefined;
  /** Why elimination is not yet possible (Chinese), for continuing households without a suggested category. */
  readonly eliminationBlockers: readonly string[];
  /** The Chinese explanation sentence (rules.md §12); "" when not listed. */
  readonly explanation: string;
  /** Data-quality notes: no usable size; insufficient income data; a missing month in P−2 … P. */
  readonly noUsableSize: boolean;
  readonly insufficientIncome: boolean;
  readonly missingRecentMonths: boolean;
}
