/**
 * Row → typed record or RowIssue, for a recognised table (inputs.md "What makes a row unusable").
 * A converter is built once per table (headers resolved to positions once); rules never see raw strings.
 */
import type { DepartmentEvent, Household, Member, RowIssue, SourceRef, TableKind } from "../model/index.js";
import { maskIdNumber, maskName } from "../model/mask.js";
import { formatMonth, parseMonth } from "../model/month.js";
import type { ColumnDef } from "./catalogue.js";
import type { Recognition } from "./recognise.js";
import {
  AMOUNT_LIMIT,
  cleanCell,
  cleanIdentifier,
  isScientific,
  parseAmount,
  parseDate,
  parseHouseholdType,
  parseSex,
  parseSize,
  parseYesNo,
} from "./values.js";

/** Reasons a row is rejected: code → [Chinese, English]. */
export const REJECT_REASONS = {
  missing_required: ["缺少必填值", "missing required value"],
  bad_month: ["无法识别的月份", "unparseable month"],
  future_month: ["月份晚于当前月份", "month is in the future"],
  bad_number: ["金额不是数字", "non-numeric amount"],
  negative_amount: ["金额为负数", "negative amount"],
  amount_out_of_range: ["金额超出合理范围（≥10亿元）", "amount out of range (≥ 1,000,000,000)"],
  invalid_size: ["家庭人口数不是≥1的整数", "household size is not a whole number ≥ 1"],
  id_digits_lost: ["编号被存成了数字，位数已丢失（如1.30434E+17），请把该列设为文本后重新导出", "ID stored as a number, its digits were lost (e.g. 1.30434E+17); export the column as text"],
  income_conflict: ["同一户同一月份已有金额不同的收入记录", "an income row for this household-month was already seen with different amounts"],
  event_unmatched: ["部门数据中的户或人员不在本次数据中", "the event's household or person is not in the data"],
  event_no_amount: ["没有金额（自付金额、总费用−报销金额或损失金额）", "no amount (自付金额, 总费用 − 报销金额, or 损失金额)"],
} as const satisfies Record<string, readonly [string, string]>;

export type RejectCode = keyof typeof REJECT_REASONS;

/** Builds a RowIssue; `value` must already be masked. */
export function makeIssue(kind: TableKind, source: SourceRef, column: string, value: string, code: RejectCode, householdId?: string): RowIssue {
  const [reasonZh, reasonEn] = REJECT_REASONS[code];
  const issue: RowIssue = { source, kind, column, value, code, reasonZh, reasonEn };
  if (householdId) issue.householdId = householdId;
  return issue;
}

/** One income household-month read from a row (a wide row gives several). */
export interface IncomeValues {
  householdId: string;
  month: number;
  wage: number | undefined;
  business: number | undefined;
  property: number | undefined;
  transfer: number | undefined;
  businessExpense: number | undefined;
  netGiven: number | undefined;
  size: number | undefined;
}

/** Household columns found on a row, as parsed values and as the text written (for conflict findings). */
export interface HouseholdFields {
  values: Partial<Household> & { id: string };
  texts: Record<string, string>;
}

export type RowOutcome =
  | { type: "skip" }
  | { type: "reject"; issue: RowIssue }
  | { type: "household"; household: HouseholdFields }
  | { type: "member"; member: Member; household: HouseholdFields }
  | { type: "income"; values: IncomeValues[] }
  | { type: "event"; event: DepartmentEvent };

export interface ConvertOptions {
  /** The latest acceptable month (today's month); later months reject the row. */
  maxMonth?: number;
}

const SUMMARY_WORDS = /^(合计|总计|小计)/;

/** True for a row to skip: all cells empty, or the first non-empty cell starts with 合计 / 总计 / 小计. */
export function isSkippableRow(cells: string[]): boolean {
  for (const raw of cells) {
    if (raw === "") continue;
    const t = cleanCell(raw);
    if (t === "") continue;
    return SUMMARY_WORDS.test(t.replace(/\s/g, ""));
  }
  return true;
}

class Reject {
  constructor(readonly column: string, readonly value: string, readonly code: RejectCode) {}
}

const PERSONAL_FIELDS = new Set(["name", "headName"]);
const ID_FIELDS = new Set(["idNumber", "headIdNumber"]);

function maskValue(def: ColumnDef, text: string): string {
  if (ID_FIELDS.has(def.field)) return maskIdNumber(text);
  if (PERSONAL_FIELDS.has(def.field)) return maskName(text);
  return text;
}

/** Parses one cell by its column's type; throws Reject for an unusable value. Blank → undefined. */
function parseValue(def: ColumnDef, raw: string, options: ConvertOptions): unknown {
  const text = cleanCell(raw);
  if (text === "") return undefined;
  switch (def.type) {
    case "text":
      return text;
    case "householdId":
    case "idNumber": {
      if (isScientific(text)) throw new Reject(def.canonical, maskValue(def, text), "id_digits_lost");
      return cleanIdentifier(text);
    }
    case "size": {
      const n = parseSize(text);
      if (Number.isNaN(n)) throw new Reject(def.canonical, text, "invalid_size");
      return n;
    }
    case "amount":
    case "signedAmount": {
      const n = parseAmount(text);
      if (n === undefined) return undefined;
      if (Number.isNaN(n)) throw new Reject(def.canonical, text, "bad_number");
      if (n < 0 && def.type === "amount") throw new Reject(def.canonical, text, "negative_amount");
      if (Math.abs(n) >= AMOUNT_LIMIT) throw new Reject(def.canonical, text, "amount_out_of_range");
      return n;
    }
    case "month": {
      const m = parseMonth(text);
      if (m === undefined) throw new Reject(def.canonical, text, "bad_month");
      if (options.maxMonth !== undefined && m > options.maxMonth) throw new Reject(def.canonical, text, "future_month");
      return m;
    }
    case "date":
      return parseDate(text);
    case "yesno":
      return parseYesNo(text) ?? undefined;
    case "sex":
      return parseSex(text);
    case "householdType":
      return parseHouseholdType(text);
    case "integer": {
      const n = parseAmount(text);
      return n === undefined || Number.isNaN(n) ? undefined : n;
    }
  }
}

type Converter = (cells: string[], source: SourceRef) => RowOutcome;

/** Builds the converter of a recognised table. */
export function createRowConverter(recognition: Recognition, options: ConvertOptions = {}): Converter {
  const kind = recognition.kind;
  if (!kind) throw new Error("createRowConverter: table not recognised");
  const columns = recognition.columns;
  const idCol = columns.find((c) => c.def.field === "householdId");
  const wide = recognition.wideMonths;

  const parseRow = (cells: string[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const c of columns) {
      const v = parseValue(c.def, cells[c.index] ?? "", options);
      if (v !== undefined) out[c.def.field] = v;
    }
    return out;
  };

  const householdIdOf = (cells: string[]): string | undefined => {
    if (!idCol) return undefined;
    const t = cleanCell(cells[idCol.index] ?? "");
    return t && !isScientific(t) ? cleanIdentifier(t) : undefined;
  };

  const householdFields = (cells: string[], values: Record<string, unknown>, id: string): HouseholdFields => {
    const h: Partial<Household> & { id: string } = { id };
    const texts: Record<string, string> = {};
    const risks: string[] = [];
    for (const c of columns) {
      const v = values[c.def.field];
      if (v === undefined || c.def.field === "householdId") continue;
      if (!HOUSEHOLD_FIELD_SET.has(c.def.field)) continue;
      texts[c.def.canonical] = cleanCell(cells[c.index] ?? "");
      if (/^risk\d$/.test(c.def.field)) risks.push(v as string);
      else (h as Record<string, unknown>)[c.def.field] = v;
    }
    if (risks.length) h.risks = risks;
    return { values: h, texts };
  };

  const reject = (source: SourceRef, r: Reject, householdId: string | undefined): RowOutcome => ({
    type: "reject",
    issue: makeIssue(kind, source, r.column, r.value, r.code, householdId),
  });

  const requireId = (values: Record<string, unknown>): string => {
    const id = values.householdId as string | undefined;
    if (!id) throw new Reject("户编号", "", "missing_required");
    return id;
  };

  return (cells, source) => {
    if (isSkippableRow(cells)) return { type: "skip" };
    try {
      switch (kind) {
        case "households": {
          const values = parseRow(cells);
          const id = requireId(values);
          return { type: "household", household: householdFields(cells, values, id) };
        }
        case "members": {
          const values = parseRow(cells);
          const id = requireId(values);
          const member: Member = { householdId: id, source };
          for (const f of MEMBER_FIELDS) if (values[f] !== undefined) (member as unknown as Record<string, unknown>)[f] = values[f];
          return { type: "member", member, household: householdFields(cells, values, id) };
        }
        case "income": {
          if (wide.length > 0) {
            const values = parseRow(cells);
            const id = requireId(values);
            const size = values.size as number | undefined;
            const out: IncomeValues[] = [];
            for (const w of wide) {
              const text = cleanCell(cells[w.index] ?? "");
              if (text === "") continue; // no record for that month
              const n = parseAmount(text);
              if (n === undefined) continue;
              if (Number.isNaN(n)) throw new Reject(w.header, text, "bad_number");
              if (Math.abs(n) >= AMOUNT_LIMIT) throw new Reject(w.header, text, "amount_out_of_range");
              if (options.maxMonth !== undefined && w.month > options.maxMonth) throw new Reject(w.header, formatMonth(w.month), "future_month");
              out.push({ householdId: id, month: w.month, wage: undefined, business: undefined, property: undefined, transfer: undefined, businessExpense: undefined, netGiven: n, size });
            }
            return { type: "income", values: out };
          }
          const v = parseRow(cells);
          const id = requireId(v);
          if (v.month === undefined) throw new Reject("年月", "", "missing_required");
          return {
            type: "income",
            values: [
              {
                householdId: id,
                month: v.month as number,
                wage: v.wage as number | undefined,
                business: v.business as number | undefined,
                property: v.property as number | undefined,
                transfer: v.transfer as number | undefined,
                businessExpense: v.businessExpense as number | undefined,
                netGiven: v.netGiven as number | undefined,
                size: v.size as number | undefined,
              },
            ],
          };
        }
        case "events": {
          const v = parseRow(cells);
          const householdId = v.householdId as string | undefined;
          const idNumber = v.idNumber as string | undefined;
          if (!householdId && !idNumber) throw new Reject("户编号/证件号码", "", "missing_required");
          if (v.month === undefined) throw new Reject("发生日期", "", "missing_required");
          const selfPaid = v.selfPaid as number | undefined;
          const total = v.totalCost as number | undefined;
          const reimbursed = v.reimbursed as number | undefined;
          const loss = v.loss as number | undefined;
          const amount = selfPaid ?? (total !== undefined && reimbursed !== undefined ? total - reimbursed : loss);
          if (amount === undefined) throw new Reject("自付金额", "", "event_no_amount");
          const sourceDept = v.sourceDept as string | undefined;
          const event: DepartmentEvent = {
            eventType: normalizeEventType(v.eventType as string | undefined, sourceDept),
            month: v.month as number,
            amount,
            source,
          };
          if (householdId) event.householdId = householdId;
          if (idNumber) event.idNumber = idNumber;
          if (sourceDept) event.sourceDept = sourceDept;
          return { type: "event", event };
        }
      }
    } catch (e) {
      if (e instanceof Reject) return reject(source, e, householdIdOf(cells));
      throw e;
    }
  };
}

const MEMBER_FIELDS = ["personId", "name", "idNumber", "relation", "sex", "birthDate", "health", "labourSkill", "studentStatus", "workMonths", "dibao", "tekun"];

const HOUSEHOLD_FIELD_SET = new Set([
  "province", "city", "county", "township", "village", "regionCode", "headName", "headIdNumber", "householdType", "size",
  "monitoringCategory", "identifiedMonth", "riskEliminated", "eliminatedMonth", "eliminationMethod",
  "risk1", "risk2", "risk3", "risk4", "risk5", "annualNetIncomePc", "compliantSelfPaid", "noLabourHousehold",
]);

const TYPE_FROM_SOURCE: Record<string, string> = { 医保: "医疗", 教育: "教育", 应急管理: "灾害", 应急: "灾害", 残联: "残疾", 人社: "失业" };
const EVENT_TYPES = new Set(["医疗", "教育", "灾害", "意外事故", "残疾", "失业", "其他"]);

/** 事件类型 as given (known types kept, 意外 → 意外事故), else derived from 数据来源 (inputs.md), else 其他. */
export function normalizeEventType(eventType: string | undefined, sourceDept: string | undefined): string {
  const t = eventType?.replace(/\s/g, "");
  if (t) {
    if (EVENT_TYPES.has(t)) return t;
    if (t === "意外" || t === "意外伤害") return "意外事故";
    if (t === "自然灾害") return "灾害";
    if (t === "医疗费用" || t === "大病") return "医疗";
    return t;
  }
  const s = sourceDept?.replace(/\s/g, "");
  if (s) {
    for (const [k, v] of Object.entries(TYPE_FROM_SOURCE)) if (s.startsWith(k)) return v;
  }
  return "其他";
}
