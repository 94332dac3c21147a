/**
 * Builders for the rules tests: households, members, income series, events and policy settings, with the
 * defaults of policy.md except the monitoring line, which is 6000 (so l = 500.00 per month, like rules.md's example).
 */
import type { DepartmentEvent, Household, Member } from "../../src/model/index.js";
import { parseMonth } from "../../src/model/month.js";
import type { DeepPartial, PolicySettings } from "../../src/policy/types.js";
import type { HouseholdHistory, IncomeSeries } from "../../src/rules/types.js";

const SOURCE = { file: "test.csv", sheet: "", row: 2 };

/** The month integer of "YYYY-MM". */
export function mo(text: string): number {
  const m = parseMonth(text);
  if (m === undefined) throw new Error(`bad month ${text}`);
  return m;
}

/** The period used by most tests: 2026-10 (W = 2025-11 … 2026-10). */
export const P = mo("2026-10");

/** Policy settings: V 4000, L 6000, Y = 7200, streak 3, min 3 months, drop 0.5, rigid 10000 each, share 0.5, elimination 6/6. */
export function settings(over: DeepPartial<PolicySettings> = {}): PolicySettings {
  return {
    povertyLine: over.povertyLine ?? 4000,
    monitoringLine: over.monitoringLine ?? 6000,
    yellowFactor: over.yellowFactor ?? 1.2,
    streakMonths: over.streakMonths ?? 3,
    minMonthsForAnnual: over.minMonthsForAnnual ?? 3,
    incomeDrop: { ratio: over.incomeDrop?.ratio ?? 0.5 },
    rigidExpense: {
      medical: over.rigidExpense?.medical ?? 10000,
      education: over.rigidExpense?.education ?? 10000,
      disaster: over.rigidExpense?.disaster ?? 10000,
      accident: over.rigidExpense?.accident ?? 10000,
      incomeShare: over.rigidExpense?.incomeShare ?? 0.5,
    },
    elimination: {
      stableMonths: over.elimination?.stableMonths ?? 6,
      minMonitoredMonths: over.elimination?.minMonitoredMonths ?? 6,
    },
  };
}

/** A household (id H001, 一般农户, size 1) with the given fields. */
export function household(fields: Partial<Household> = {}): Household {
  return { id: "H001", householdType: "一般农户", size: 1, risks: [], source: SOURCE, ...fields };
}

/** A member of H001 with the given fields (普通劳动力, 健康 unless told). */
export function member(fields: Partial<Member> = {}): Member {
  return { householdId: "H001", labourSkill: "普通劳动力", health: "健康", source: SOURCE, ...fields };
}

/** One income row: month "YYYY-MM", net; wage NaN (no wage column) and size NaN (absent) unless given. */
export interface Row {
  month: string;
  net: number;
  wage?: number;
  size?: number;
}

/** An IncomeSeries from rows (sorted by month here). */
export function series(rows: readonly Row[]): IncomeSeries {
  const sorted = [...rows].sort((a, b) => mo(a.month) - mo(b.month));
  return {
    length: sorted.length,
    months: Int32Array.from(sorted, (r) => mo(r.month)),
    net: Float64Array.from(sorted, (r) => r.net),
    wage: Float64Array.from(sorted, (r) => r.wage ?? NaN),
    size: Float64Array.from(sorted, (r) => r.size ?? NaN),
  };
}

/**
 * Rows for consecutive months starting at `from`: one net amount per month, `null` = no record for that month.
 * monthly("2026-08", [400, null, 400]) → 2026-08 and 2026-10.
 */
export function monthly(from: string, nets: readonly (number | null)[], extra: Omit<Row, "month" | "net"> = {}): Row[] {
  const start = mo(from);
  const rows: Row[] = [];
  nets.forEach((net, k) => {
    if (net === null) return;
    const m = start + k;
    const year = Math.floor(m / 12);
    const month = m - year * 12 + 1;
    rows.push({ month: `${year}-${String(month).padStart(2, "0")}`, net, ...extra });
  });
  return rows;
}

/** Rows for consecutive months ending at `end` (default P = 2026-10); `null` = no record for that month. */
export function endingAt(nets: readonly (number | null)[], end = P, extra: Omit<Row, "month" | "net"> = {}): Row[] {
  return monthly(monthName(end - nets.length + 1), nets, extra);
}

/** `count` months of the same net ending at P (2026-10). */
export function flat(net: number, count = 12): Row[] {
  return endingAt(Array(count).fill(net));
}

/** "YYYY-MM" of a month integer. */
export function monthName(m: number): string {
  const year = Math.floor(m / 12);
  return `${year}-${String(m - year * 12 + 1).padStart(2, "0")}`;
}

/** A department event of H001. */
export function event(eventType: string, month: string, amount: number): DepartmentEvent {
  return { householdId: "H001", eventType, month: mo(month), amount, source: SOURCE };
}

/** A household history; members unknown unless members are given. */
export function history(
  parts: { household?: Partial<Household>; members?: Member[]; membersKnown?: boolean; income?: Row[]; events?: DepartmentEvent[] } = {},
): HouseholdHistory {
  const members = parts.members ?? [];
  return {
    household: household(parts.household),
    members,
    membersKnown: parts.membersKnown ?? members.length > 0,
    income: series(parts.income ?? []),
    events: parts.events ?? [],
  };
}
