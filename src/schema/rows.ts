/**
 * Row → typed record or RowIssue, for a recognised table (inputs.md "What makes a row unusable").
 * A converter is built once per table (headers resolved to positions once); rules never see raw strings.
 */
import type { DepartmentEvent, Member, RowIssue, SourceRef, TableKind } from "../model/index.js";
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
  const issue: RowIssue = { source: { file: source.file, sheet: source.sheet, row: source.row }, kind, column, value, code, reasonZh, reasonEn };
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

/**
 * The household columns of one row: parallel arrays of field names, canonical headers and parsed values
 * (undefined = blank). Reused from row to row.
 */
export interface HouseholdRow {
  id: string;
  readonly fields: readonly string[];
  readonly canonicals: readonly string[];
  /** Parsed values by field; ASCII_CELL for a value given as the bytes of `ascii` (the fast CSV path's 户主证件号码). */
  readonly values: unknown[];
  readonly ascii?: { b: Buffer; s: number; e: number };
}

/** A HouseholdRow value that is the plain ASCII text of the row's `ascii` bytes (no string made unless needed). */
export const ASCII_CELL = Symbol("ASCII cell");

export type RowOutcome =
  | { type: "skip" }
  | { type: "reject"; issue: RowIssue }
  | { type: "household"; household: HouseholdRow }
  | { type: "member"; member: Member; household: HouseholdRow }
  | { type: "income"; values: IncomeValues[] }
  | { type: "event"; event: DepartmentEvent };

export interface ConvertOptions {
  /** The latest acceptable month (today's month); later months reject the row. */
  maxMonth?: number;
}

const SUMMARY_WORDS = /^(合计|总计|小计)/;

/** Whether a cleaned cell text starts, once its white space is taken out, with 合计, 总计 or 小计 (a summary row's). */
export function isSummaryText(t: string): boolean {
  return SUMMARY_WORDS.test(t.replace(/\s/g, ""));
}

/** True for a row to skip: all cells empty, or the first non-empty cell starts with 合计 / 总计 / 小计. */
export function isSkippableRow(cells: string[]): boolean {
  for (const raw of cells) {
    if (raw === "") continue;
    const t = cleanCell(raw);
    if (t === "") continue;
    return isSummaryText(t);
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
export function parseValue(def: ColumnDef, raw: string, options: ConvertOptions): unknown {
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

/**
 * Converts one row. `source` may be a object the caller reuses from row to row: whatever keeps it (an event, a
 * reject) keeps a copy.
 */
type Converter = (cells: string[], source: SourceRef) => RowOutcome;

/** Types whose values repeat a lot (dates, months, codes, words): parsed once per distinct text and table. */
const MEMO_TYPES = new Set<ColumnDef["type"]>(["month", "date", "yesno", "sex", "householdType", "size", "integer"]);
/** Text fields with few distinct values: one string instance per value, instead of one per row. */
const INTERNED_FIELDS = new Set([
  "province", "city", "county", "township", "village", "regionCode", "householdType", "monitoringCategory",
  "eliminationMethod", "risk1", "risk2", "risk3", "risk4", "risk5", "relation", "health", "labourSkill", "studentStatus",
  "sourceDept", "eventType",
]);
const MEMO_LIMIT = 50_000;
const REJECTED = Symbol("rejected");

/**
 * Builds the converter of a recognised table. For speed on millions of rows the returned outcome (and the
 * HouseholdRow inside it) is reused: it is valid until the next call, and the caller consumes it at once.
 */
export function createRowConverter(recognition: Recognition, options: ConvertOptions = {}): Converter {
  const kind = recognition.kind;
  if (!kind) throw new Error("createRowConverter: table not recognised");
  const columns = recognition.columns;
  const n = columns.length;
  const defs = columns.map((c) => c.def);
  const index = Int32Array.from(columns.map((c) => c.index));
  const memo = defs.map((d) => (MEMO_TYPES.has(d.type) || INTERNED_FIELDS.has(d.field) ? new Map<string, unknown>() : undefined));
  const vals: unknown[] = new Array(n).fill(undefined);
  const at = (field: string) => defs.findIndex((d) => d.field === field);
  const idPos = at("householdId");
  const wide = recognition.wideMonths;

  const parseRow = (cells: string[]): void => {
    for (let k = 0; k < n; k++) {
      const raw = cells[index[k]!] ?? "";
      const m = memo[k];
      if (m) {
        const hit = m.get(raw);
        if (hit !== undefined) {
          if (hit === REJECTED) parseValue(defs[k]!, raw, options); // throws the same Reject again
          vals[k] = hit === null ? undefined : hit;
          continue;
        }
        let v: unknown;
        try {
          v = parseValue(defs[k]!, raw, options);
        } catch (e) {
          if (m.size < MEMO_LIMIT) m.set(raw, REJECTED);
          throw e;
        }
        if (m.size < MEMO_LIMIT) m.set(raw, v === undefined ? null : v);
        vals[k] = v;
      } else {
        vals[k] = parseValue(defs[k]!, raw, options);
      }
    }
  };

  // Household columns of this table (households tables, and household columns repeated on member rows).
  const hhPos = defs.map((d, k) => (HOUSEHOLD_FIELD_SET.has(d.field) ? k : -1)).filter((k) => k >= 0);
  const householdRow: HouseholdRow = {
    id: "",
    fields: hhPos.map((k) => defs[k]!.field),
    canonicals: hhPos.map((k) => defs[k]!.canonical),
    values: new Array(hhPos.length).fill(undefined),
  };
  const fillHousehold = (id: string): HouseholdRow => {
    householdRow.id = id;
    for (let j = 0; j < hhPos.length; j++) householdRow.values[j] = vals[hhPos[j]!];
    return householdRow;
  };
  const memberPos = MEMBER_FIELDS.map(at);

  const householdIdOf = (cells: string[]): string | undefined => {
    if (idPos < 0) return undefined;
    const t = cleanCell(cells[index[idPos]!] ?? "");
    return t && !isScientific(t) ? cleanIdentifier(t) : undefined;
  };

  const requireId = (): string => {
    const id = idPos >= 0 ? (vals[idPos] as string | undefined) : undefined;
    if (!id) throw new Reject("户编号", "", "missing_required");
    return id;
  };
  const val = (field: string) => {
    const k = at(field);
    return k >= 0 ? () => vals[k] : () => undefined;
  };
  const v = {
    month: val("month"),
    wage: val("wage"),
    business: val("business"),
    property: val("property"),
    transfer: val("transfer"),
    businessExpense: val("businessExpense"),
    netGiven: val("netGiven"),
    size: val("size"),
    idNumber: val("idNumber"),
    sourceDept: val("sourceDept"),
    eventType: val("eventType"),
    selfPaid: val("selfPaid"),
    totalCost: val("totalCost"),
    reimbursed: val("reimbursed"),
    loss: val("loss"),
  };

  return (cells, source) => {
    if (isSkippableRow(cells)) return SKIP;
    try {
      switch (kind) {
        case "households": {
          parseRow(cells);
          const id = requireId();
          return { type: "household", household: fillHousehold(id) };
        }
        case "members": {
          parseRow(cells);
          const id = requireId();
          const p = memberPos;
          const member: Member = {
            householdId: id,
            // 人口编号 and 姓名 are not used (recognise.ts usedColumns): readers may not even decode them.
            personId: undefined,
            name: undefined,
            idNumber: p[2]! >= 0 ? (vals[p[2]!] as string | undefined) : undefined,
            relation: p[3]! >= 0 ? (vals[p[3]!] as string | undefined) : undefined,
            sex: p[4]! >= 0 ? (vals[p[4]!] as Member["sex"]) : undefined,
            birthDate: p[5]! >= 0 ? (vals[p[5]!] as string | undefined) : undefined,
            health: p[6]! >= 0 ? (vals[p[6]!] as string | undefined) : undefined,
            labourSkill: p[7]! >= 0 ? (vals[p[7]!] as string | undefined) : undefined,
            studentStatus: p[8]! >= 0 ? (vals[p[8]!] as string | undefined) : undefined,
            workMonths: p[9]! >= 0 ? (vals[p[9]!] as number | undefined) : undefined,
            dibao: p[10]! >= 0 ? (vals[p[10]!] as boolean | undefined) : undefined,
            tekun: p[11]! >= 0 ? (vals[p[11]!] as boolean | undefined) : undefined,
            source,
          };
          return { type: "member", member, household: fillHousehold(id) };
        }
        case "income": {
          if (wide.length > 0) {
            parseRow(cells);
            const id = requireId();
            const size = v.size() as number | undefined;
            const out: IncomeValues[] = [];
            for (const w of wide) {
              const text = cleanCell(cells[w.index] ?? "");
              if (text === "") continue; // no record for that month
              const amount = parseAmount(text);
              if (amount === undefined) continue;
              if (Number.isNaN(amount)) throw new Reject(w.header, text, "bad_number");
              if (Math.abs(amount) >= AMOUNT_LIMIT) throw new Reject(w.header, text, "amount_out_of_range");
              if (options.maxMonth !== undefined && w.month > options.maxMonth) throw new Reject(w.header, formatMonth(w.month), "future_month");
              out.push({ householdId: id, month: w.month, wage: undefined, business: undefined, property: undefined, transfer: undefined, businessExpense: undefined, netGiven: amount, size });
            }
            return { type: "income", values: out };
          }
          parseRow(cells);
          const id = requireId();
          const month = v.month() as number | undefined;
          if (month === undefined) throw new Reject("年月", "", "missing_required");
          return {
            type: "income",
            values: [
              {
                householdId: id,
                month,
                wage: v.wage() as number | undefined,
                business: v.business() as number | undefined,
                property: v.property() as number | undefined,
                transfer: v.transfer() as number | undefined,
                businessExpense: v.businessExpense() as number | undefined,
                netGiven: v.netGiven() as number | undefined,
                size: v.size() as number | undefined,
              },
            ],
          };
        }
        case "events": {
          parseRow(cells);
          const householdId = idPos >= 0 ? (vals[idPos] as string | undefined) : undefined;
          const idNumber = v.idNumber() as string | undefined;
          if (!householdId && !idNumber) throw new Reject("户编号/证件号码", "", "missing_required");
          const month = v.month() as number | undefined;
          if (month === undefined) throw new Reject("发生日期", "", "missing_required");
          const selfPaid = v.selfPaid() as number | undefined;
          const total = v.totalCost() as number | undefined;
          const reimbursed = v.reimbursed() as number | undefined;
          const loss = v.loss() as number | undefined;
          const amount = selfPaid ?? (total !== undefined && reimbursed !== undefined ? total - reimbursed : loss);
          if (amount === undefined) throw new Reject("自付金额", "", "event_no_amount");
          // 总费用 − 报销金额 below 0: a negative amount, rejected as any other (inputs.md).
          if (amount < 0) throw new Reject("报销金额", String(reimbursed), "negative_amount");
          const sourceDept = v.sourceDept() as string | undefined;
          const event: DepartmentEvent = {
            eventType: normalizeEventType(v.eventType() as string | undefined, sourceDept),
            month,
            amount,
            source: { file: source.file, sheet: source.sheet, row: source.row },
          };
          if (householdId) event.householdId = householdId;
          if (idNumber) event.idNumber = idNumber;
          if (sourceDept) event.sourceDept = sourceDept;
          return { type: "event", event };
        }
      }
    } catch (e) {
      if (e instanceof Reject) return { type: "reject", issue: makeIssue(kind, source, e.column, e.value, e.code, householdIdOf(cells)) };
      throw e;
    }
  };
}

const SKIP: RowOutcome = { type: "skip" };

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
