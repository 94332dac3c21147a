/**
 * Hand-built Datasets for the audit tests: households, members, income, events, rejects and conflicts with
 * predictable sources (households.csv / members.csv, rows counted from 2 in the order given).
 */
import type { Dataset, HouseholdConflict } from "../../src/model/dataset.js";
import type { DepartmentEvent, Household, Member, RowIssue, SourceRef } from "../../src/model/index.js";
import { IncomeStore } from "../../src/model/incomeStore.js";
import { monthOf } from "../../src/model/month.js";

/** Valid resident IDs (check characters computed by hand, independent of the code under test). */
export const ID = {
  /** male, born 1990-01-01 */
  male1990: "130434199001011234",
  /** female, born 1992-02-02 */
  female1992: "130434199202021244",
  /** male, born 2015-03-15 */
  male2015: "130434201503150015",
  /** male, born 1988-08-08 */
  male1988: "130434198808085678",
  /** female, born 1985-05-05 */
  female1985: "130434198505050021",
} as const;

/** A month integer from "YYYY-MM". */
export function m(text: string): number {
  const [y, mo] = text.split("-").map(Number);
  return monthOf(y!, mo!);
}

/** A household with the given fields; source households.csv row `row` (default: assigned by buildDataset). */
export function household(id: string, fields: Partial<Household> = {}): Household {
  return { id, risks: [], source: { file: "", sheet: "", row: 0 }, village: "一村", township: "城关镇", county: "某县", ...fields };
}

/** A member of household `householdId` with the given fields. */
export function member(householdId: string, fields: Partial<Member> = {}): Member {
  return { householdId, source: { file: "", sheet: "", row: 0 }, ...fields };
}

/** The 户主 and 配偶 of a typical household (male head 1990, female spouse 1992). */
export function couple(householdId: string): Member[] {
  return [
    member(householdId, { relation: "户主", sex: "男", idNumber: ID.male1990, birthDate: "1990-01-01", labourSkill: "普通劳动力" }),
    member(householdId, { relation: "配偶", sex: "女", idNumber: ID.female1992, birthDate: "1992-02-02", labourSkill: "普通劳动力" }),
  ];
}

export interface DatasetParts {
  households?: Household[];
  members?: Member[];
  /** [householdId, "YYYY-MM", net] */
  income?: [string, string, number][];
  events?: Partial<DepartmentEvent>[];
  rejects?: Partial<RowIssue>[];
  conflicts?: HouseholdConflict[];
}

function src(file: string, row: number): SourceRef {
  return { file, sheet: "", row };
}

/**
 * A finalized Dataset. Records without a source file get households.csv / members.csv and consecutive rows from 2,
 * in the order given.
 */
export function buildDataset(parts: DatasetParts): Dataset {
  const households = new Map<string, Household>();
  let row = 2;
  for (const h of parts.households ?? []) {
    households.set(h.id, h.source.file ? h : { ...h, source: src("households.csv", row) });
    row++;
  }
  const members = new Map<string, Member[]>();
  row = 2;
  for (const mem of parts.members ?? []) {
    const placed = mem.source.file ? mem : { ...mem, source: src("members.csv", row) };
    row++;
    const list = members.get(mem.householdId) ?? [];
    list.push(placed);
    members.set(mem.householdId, list);
  }
  const income = new IncomeStore();
  (parts.income ?? []).forEach(([id, month, net], i) => income.add(id, m(month), net, Number.NaN, Number.NaN, 0, 0, i + 2));
  income.finalize();
  const events: DepartmentEvent[] = (parts.events ?? []).map((e, i) => ({
    eventType: "医疗",
    month: m("2026-01"),
    amount: 1000,
    source: src("events.csv", i + 2),
    ...e,
  }));
  const rejects: RowIssue[] = (parts.rejects ?? []).map((r, i) => ({
    source: src("households.csv", 100 + i),
    kind: "households",
    column: "家庭人口数",
    value: "",
    code: "invalid_size",
    reasonZh: "家庭人口数不是不小于1的整数",
    reasonEn: "household size is not a whole number ≥ 1",
    ...r,
  }));
  return {
    inputs: [],
    households,
    members,
    membersKnown: (parts.members ?? []).length > 0,
    income,
    hasWageColumn: false,
    events,
    rejects,
    conflicts: parts.conflicts ?? [],
  };
}

import { evaluateAudit } from "../../src/audit/evaluate.js";
import type { Finding } from "../../src/audit/finding.js";

/** Runs one rule over a dataset built from `parts` (period: "YYYY-MM", default the latest income month). */
export function audit(code: string, parts: DatasetParts, period?: string): Finding[] {
  return evaluateAudit(buildDataset(parts), { rules: [code], period: period === undefined ? undefined : m(period) });
}

/** Where a finding points: "file:row household [masked id]". */
export function where(f: Finding): string {
  return `${f.source.file}:${f.source.row} ${f.householdId}${f.idNumber ? ` ${f.idNumber}` : ""}`;
}
