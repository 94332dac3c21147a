/**
 * The domain model: typed records read from exports, with their source, and the issues found on rows.
 * Months are integers (year × 12 + month − 1) everywhere inside povwatch; see month.ts.
 */

/** Where a record came from: file path as given, sheet name ("" for CSV), 1-based spreadsheet row. */
export interface SourceRef {
  readonly file: string;
  readonly sheet: string;
  readonly row: number;
}

export type TableKind = "households" | "members" | "income" | "events";

/** Region names of a household, as written in the export (any subset may be missing). */
export interface Region {
  province?: string;
  city?: string;
  county?: string;
  township?: string;
  village?: string;
  /** 行政区划代码: 6, 9 or 12 digits. */
  regionCode?: string;
}

export const REGION_LEVELS = ["province", "city", "county", "township", "village"] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** 户信息: one household. Fields are undefined when the export does not give them. */
export interface Household extends Region {
  /** 户编号, text, leading zeros kept. */
  id: string;
  headName?: string;
  headIdNumber?: string;
  /** 户类型: 脱贫户, 一般农户 (aliases normalised), or as written. */
  householdType?: string;
  /** 家庭人口数 (as read; may be invalid, e.g. 0 — validation decides). */
  size?: number;
  /** 监测对象类别: 脱贫不稳定户 / 边缘易致贫户 / 突发严重困难户, or undefined (not monitored). */
  monitoringCategory?: string;
  /** 识别监测时间 as a month integer. */
  identifiedMonth?: number;
  /** 风险是否已消除: true 是, false 否, undefined blank. */
  riskEliminated?: boolean;
  eliminatedMonth?: number;
  /** 风险消除方式: 帮扶消除 / 自然消除. */
  eliminationMethod?: string;
  /** 致贫/返贫风险1…5, non-empty values in column order. */
  risks: string[];
  /** 人均纯收入 (annual per-capita net income, yuan). */
  annualNetIncomePc?: number;
  /** 合规自付支出 (annual, yuan). */
  compliantSelfPaid?: number;
  /** 整户无劳动能力兜底保障户. */
  noLabourHousehold?: boolean;
  source: SourceRef;
}

/** 成员信息: one person. */
export interface Member {
  householdId: string;
  personId?: string;
  name?: string;
  idNumber?: string;
  relation?: string;
  /** 男 / 女 (1/2 normalised). */
  sex?: "男" | "女";
  /** YYYY-MM-DD. */
  birthDate?: string;
  health?: string;
  labourSkill?: string;
  studentStatus?: string;
  workMonths?: number;
  dibao?: boolean;
  tekun?: boolean;
  source: SourceRef;
}

/** 月度收入: one household-month record. Amounts in yuan; undefined = column absent or cell blank. */
export interface IncomeMonth {
  householdId: string;
  month: number;
  wage?: number;
  business?: number;
  property?: number;
  transfer?: number;
  businessExpense?: number;
  /** 纯收入 as given (wins over the components when present). */
  netGiven?: number;
  /** 家庭人口数 of this month, overriding the household's size. */
  size?: number;
  /** True when the table this row came from has a 工资性收入 column. */
  hasWageColumn: boolean;
  source: SourceRef;
}

export type EventType = "医疗" | "教育" | "灾害" | "意外事故" | "残疾" | "失业" | "其他";

/** 部门预警数据: one event pushed by a partner department. */
export interface DepartmentEvent {
  householdId?: string;
  idNumber?: string;
  sourceDept?: string;
  eventType: string;
  month: number;
  /** The event's amount per inputs.md (自付金额, else 总费用 − 报销金额, else 损失金额). */
  amount: number;
  source: SourceRef;
}

/** A row that cannot be used, with its reason in Chinese and English. Values are already masked. */
export interface RowIssue {
  source: SourceRef;
  /** The table kind the row was read as. */
  kind: TableKind;
  /** The row's 户编号 when it has one. */
  householdId?: string;
  column: string;
  value: string;
  /** Stable code, e.g. "missing_required". */
  code: string;
  reasonZh: string;
  reasonEn: string;
}

/** Row accounting of one table: read = accepted + rejected + skipped + duplicates. */
export interface TableCounts {
  read: number;
  accepted: number;
  rejected: number;
  skipped: number;
  duplicates: number;
}
