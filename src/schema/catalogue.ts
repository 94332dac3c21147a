/**
 * The column catalogue (inputs.md "Table kinds and columns"): for each table kind, its canonical Chinese columns,
 * their aliases (Chinese variants and English snake_case), the English field they fill and how the value is read.
 */
import type { TableKind } from "../model/index.js";

/** How a cell is read. */
export type ValueType =
  | "text"
  | "householdId"
  | "idNumber"
  | "size"
  | "amount" // non-negative
  | "signedAmount" // may be negative (losses)
  | "month"
  | "date"
  | "yesno"
  | "sex"
  | "householdType"
  | "integer";

export interface ColumnDef {
  /** Canonical Chinese name. */
  canonical: string;
  /** Field of the record it fills. */
  field: string;
  type: ValueType;
  /** Other names, in order of preference (an earlier alias wins when two columns map to the same field). */
  aliases: string[];
  required?: boolean;
}

const HOUSEHOLD_ID: ColumnDef = { canonical: "户编号", field: "householdId", type: "householdId", aliases: ["户编码", "户号", "household_id"], required: true };

/** Household columns; also read from member rows (member-level exports). */
export const HOUSEHOLD_COLUMNS: ColumnDef[] = [
  HOUSEHOLD_ID,
  { canonical: "省", field: "province", type: "text", aliases: ["省份", "省(区、市)", "province"] },
  { canonical: "市", field: "city", type: "text", aliases: ["市(地、州)", "地市", "city"] },
  { canonical: "县", field: "county", type: "text", aliases: ["县(市、区)", "县(市、区、旗)", "区县", "county"] },
  { canonical: "乡", field: "township", type: "text", aliases: ["乡(镇)", "乡镇", "乡(镇、街道)", "township"] },
  { canonical: "村", field: "village", type: "text", aliases: ["行政村", "村(社区)", "village"] },
  { canonical: "行政区划代码", field: "regionCode", type: "text", aliases: ["区划代码", "统计用区划代码", "region_code"] },
  { canonical: "户主姓名", field: "headName", type: "text", aliases: ["head_name"] },
  { canonical: "户主证件号码", field: "headIdNumber", type: "idNumber", aliases: ["户主身份证号", "户主身份证号码", "head_id_number"] },
  { canonical: "户类型", field: "householdType", type: "householdType", aliases: ["household_type"] },
  { canonical: "家庭人口数", field: "size", type: "size", aliases: ["当前家庭人口数", "年度家庭人口数", "户人数", "人数", "household_size"] },
  { canonical: "监测对象类别", field: "monitoringCategory", type: "text", aliases: ["易返贫致贫户(监测对象)类型", "监测对象类型", "monitoring_category"] },
  { canonical: "识别监测时间", field: "identifiedMonth", type: "month", aliases: ["风险识别时间", "识别时间", "identified_month"] },
  { canonical: "风险是否已消除", field: "riskEliminated", type: "yesno", aliases: ["风险是否消除", "risk_eliminated"] },
  { canonical: "风险消除时间", field: "eliminatedMonth", type: "month", aliases: ["消除监测时间", "eliminated_month"] },
  { canonical: "风险消除方式", field: "eliminationMethod", type: "text", aliases: ["elimination_method"] },
  ...[1, 2, 3, 4, 5].map(
    (i): ColumnDef => ({ canonical: `致贫/返贫风险${i}`, field: `risk${i}`, type: "text", aliases: [`返贫致贫风险${i}`, `致贫返贫风险${i}`, `risk_${i}`] }),
  ),
  { canonical: "人均纯收入", field: "annualNetIncomePc", type: "signedAmount", aliases: ["人均纯收入(元)", "家庭人均纯收入", "annual_net_income_per_capita"] },
  { canonical: "合规自付支出", field: "compliantSelfPaid", type: "amount", aliases: ["compliant_self_paid"] },
  { canonical: "整户无劳动能力兜底保障户", field: "noLabourHousehold", type: "yesno", aliases: ["no_labour_household"] },
];

export const MEMBER_COLUMNS: ColumnDef[] = [
  HOUSEHOLD_ID,
  { canonical: "人口编号", field: "personId", type: "text", aliases: ["人编号", "person_id"] },
  { canonical: "姓名", field: "name", type: "text", aliases: ["name"] },
  { canonical: "证件号码", field: "idNumber", type: "idNumber", aliases: ["身份证号", "身份证号码", "id_number"] },
  { canonical: "与户主关系", field: "relation", type: "text", aliases: ["relation"] },
  { canonical: "性别", field: "sex", type: "sex", aliases: ["sex"] },
  { canonical: "出生日期", field: "birthDate", type: "date", aliases: ["birth_date"] },
  { canonical: "健康状况", field: "health", type: "text", aliases: ["health"] },
  { canonical: "劳动技能", field: "labourSkill", type: "text", aliases: ["labour_skill"] },
  { canonical: "在校生状况", field: "studentStatus", type: "text", aliases: ["student_status"] },
  { canonical: "务工时间（月）", field: "workMonths", type: "integer", aliases: ["务工时间", "work_months"] },
  { canonical: "是否享受低保", field: "dibao", type: "yesno", aliases: ["是否享受农村居民最低生活保障", "享受低保政策情况", "dibao"] },
  { canonical: "是否特困供养人员", field: "tekun", type: "yesno", aliases: ["享受特困供养政策情况", "tekun"] },
];

export const INCOME_COLUMNS: ColumnDef[] = [
  HOUSEHOLD_ID,
  { canonical: "年月", field: "month", type: "month", aliases: ["月份", "统计月份", "监测月份", "month"], required: true },
  { canonical: "工资性收入", field: "wage", type: "amount", aliases: ["wage_income"] },
  { canonical: "生产经营性收入", field: "business", type: "signedAmount", aliases: ["经营性收入", "business_income"] },
  { canonical: "财产性收入", field: "property", type: "amount", aliases: ["property_income"] },
  { canonical: "转移性收入", field: "transfer", type: "amount", aliases: ["transfer_income"] },
  { canonical: "生产经营性支出", field: "businessExpense", type: "amount", aliases: ["business_expense"] },
  { canonical: "纯收入", field: "netGiven", type: "signedAmount", aliases: ["月纯收入", "家庭纯收入", "net_income"] },
  { canonical: "家庭人口数", field: "size", type: "size", aliases: ["household_size"] },
];

/** The income columns that are amounts (at least one is needed to recognise a long income table). */
export const INCOME_AMOUNT_FIELDS = ["wage", "business", "property", "transfer", "businessExpense", "netGiven"];

export const EVENT_COLUMNS: ColumnDef[] = [
  { ...HOUSEHOLD_ID, required: false },
  { canonical: "证件号码", field: "idNumber", type: "idNumber", aliases: ["身份证号", "身份证号码", "id_number"] },
  { canonical: "数据来源", field: "sourceDept", type: "text", aliases: ["来源部门", "source"] },
  { canonical: "事件类型", field: "eventType", type: "text", aliases: ["类型", "event_type"] },
  { canonical: "发生日期", field: "month", type: "month", aliases: ["日期", "结算日期", "年月", "event_date"], required: true },
  { canonical: "总费用", field: "totalCost", type: "amount", aliases: ["医疗总费用", "total_cost"] },
  { canonical: "报销金额", field: "reimbursed", type: "amount", aliases: ["报销合计", "reimbursed"] },
  { canonical: "自付金额", field: "selfPaid", type: "amount", aliases: ["个人自付", "合规自付支出", "self_paid"] },
  { canonical: "损失金额", field: "loss", type: "amount", aliases: ["金额", "loss"] },
];

export const EVENT_AMOUNT_FIELDS = ["totalCost", "reimbursed", "selfPaid", "loss"];

/** Columns of each kind; members also take every households column (member-level exports). */
export const CATALOGUE: Record<TableKind, ColumnDef[]> = {
  households: HOUSEHOLD_COLUMNS,
  members: [...MEMBER_COLUMNS, ...HOUSEHOLD_COLUMNS.filter((c) => c.field !== "householdId")],
  income: INCOME_COLUMNS,
  events: EVENT_COLUMNS,
};

/** Header normalisation (inputs.md): NFKC, remove all whitespace and `*`, lower-case ASCII letters. */
export function normalizeHeader(text: string): string {
  return text.normalize("NFKC").replace(/[\s*\u3000]/g, "").toLowerCase();
}

/** Units that may follow a header in brackets and are dropped when the name does not match as written. */
const UNIT_SUFFIX = /\((元|元\/人|人|月|个月|岁)\)$/;

interface Lookup {
  def: ColumnDef;
  /** 0 for the canonical name, 1 + alias position otherwise. */
  rank: number;
}

function buildLookup(defs: ColumnDef[]): Map<string, Lookup> {
  const map = new Map<string, Lookup>();
  for (const def of defs) {
    const names = [def.canonical, ...def.aliases];
    names.forEach((name, i) => {
      const key = normalizeHeader(name);
      if (!map.has(key)) map.set(key, { def, rank: i });
    });
  }
  return map;
}

const LOOKUPS: Record<TableKind, Map<string, Lookup>> = {
  households: buildLookup(CATALOGUE.households),
  members: buildLookup(CATALOGUE.members),
  income: buildLookup(CATALOGUE.income),
  events: buildLookup(CATALOGUE.events),
};

/** Finds the column definition a header means for a kind, or undefined. */
export function lookupColumn(kind: TableKind, header: string): Lookup | undefined {
  const key = normalizeHeader(header);
  if (!key) return undefined;
  const map = LOOKUPS[kind];
  const hit = map.get(key);
  if (hit) return hit;
  const stripped = key.replace(UNIT_SUFFIX, "");
  return stripped !== key ? map.get(stripped) : undefined;
}

/** True when the header is a known column name of any kind. */
export function isKnownHeader(header: string): boolean {
  return (Object.keys(LOOKUPS) as TableKind[]).some((k) => lookupColumn(k, header) !== undefined);
}
