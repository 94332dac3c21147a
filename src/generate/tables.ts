/**
 * The four tables of a generated export set — canonical Chinese headers (inputs.md) and the rows of one household
 * as strings. Numeric columns are listed so that the xlsx writer can store them as numbers.
 */
import { formatMonth } from "../model/month.js";
import { formatCents, type GeneratedHousehold } from "./household.js";

/** One table of the export set. */
export interface TableLayout {
  /** File name without extension: households, members, income, events. */
  file: string;
  /** Sheet name in the xlsx form. */
  sheet: string;
  headers: readonly string[];
  /** Indexes of columns written as numbers in xlsx. */
  numeric: readonly number[];
  /** Appends this household's rows to `out`. */
  rows(h: GeneratedHousehold, out: string[][]): void;
}

const yesNo = (b: boolean): string => (b ? "是" : "否");
const amount = (c: number | undefined): string => (c === undefined ? "" : formatCents(c));

/** 户信息: one row per household. */
export const HOUSEHOLDS_TABLE: TableLayout = {
  file: "households",
  sheet: "户信息",
  headers: ["户编号", "省", "市", "县", "乡", "村", "行政区划代码", "户主姓名", "户主证件号码", "户类型", "家庭人口数", "监测对象类别", "识别监测时间", "风险是否已消除", "风险消除时间", "风险消除方式", "致贫/返贫风险1", "致贫/返贫风险2", "人均纯收入", "合规自付支出", "整户无劳动能力兜底保障户"],
  numeric: [10, 18, 19],
  rows(h, out) {
    const v = h.village;
    const head = h.members[0]!;
    out.push([
      h.id, v.province, v.city, v.county, v.township, v.village, v.villageCode, head.name, head.idNumber, h.householdType,
      String(h.members.length), h.category, h.identifiedDate, h.riskEliminated, h.eliminatedDate, h.eliminationMethod,
      h.risks[0] ?? "", h.risks[1] ?? "", formatCents(h.annualPcCents), formatCents(h.compliantSelfPaidCents), yesNo(h.noLabour),
    ]);
  },
};

/** 成员信息: one row per person. */
export const MEMBERS_TABLE: TableLayout = {
  file: "members",
  sheet: "成员信息",
  headers: ["户编号", "人口编号", "姓名", "证件号码", "与户主关系", "性别", "出生日期", "健康状况", "劳动技能", "在校生状况", "务工时间（月）", "是否享受低保", "是否特困供养人员"],
  numeric: [10],
  rows(h, out) {
    for (const p of h.members) {
      out.push([h.id, p.personId, p.name, p.idNumber, p.relation, p.sex, p.birthDate, p.health, p.labourSkill, p.studentStatus, String(p.workMonths), yesNo(p.dibao), yesNo(p.tekun)]);
    }
  },
};

/** 月度收入 in the long layout: one row per household-month. */
export const INCOME_TABLE: TableLayout = {
  file: "income",
  sheet: "月度收入",
  headers: ["户编号", "年月", "工资性收入", "生产经营性收入", "财产性收入", "转移性收入", "生产经营性支出"],
  numeric: [2, 3, 4, 5, 6],
  rows(h, out) {
    for (const r of h.income) {
      out.push([h.id, formatMonth(r.month), formatCents(r.wage), formatCents(r.business), formatCents(r.property), formatCents(r.transfer), formatCents(r.expense)]);
    }
  },
};

/** 部门预警数据: the household's department pushes. */
export const EVENTS_TABLE: TableLayout = {
  file: "events",
  sheet: "部门预警数据",
  headers: ["数据来源", "户编号", "证件号码", "事件类型", "发生日期", "总费用", "报销金额", "自付金额", "损失金额"],
  numeric: [5, 6, 7, 8],
  rows(h, out) {
    for (const e of h.events) {
      out.push([e.source, e.householdId, e.idNumber, e.eventType, e.date, amount(e.total), amount(e.reimbursed), amount(e.selfPaid), amount(e.loss)]);
    }
  },
};

/** The four tables in file order. */
export const EXPORT_TABLES: readonly TableLayout[] = [HOUSEHOLDS_TABLE, MEMBERS_TABLE, INCOME_TABLE, EVENTS_TABLE];
