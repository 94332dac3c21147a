import { describe, expect, it } from "vitest";
import { GENERATED_LAST_MONTH, generateHouseholds, normalizeGenerateOptions } from "../../src/generate/exportSet.js";
import { formatCents, hasLabour, netCents, type GeneratedHousehold } from "../../src/generate/household.js";
import { birthDateFromId, sexFromId, validateResidentId } from "../../src/audit/residentId.js";
import { Random } from "../../src/generate/random.js";
import { EXPORT_TABLES, INCOME_TABLE } from "../../src/generate/tables.js";
import { UserError } from "../../src/model/errors.js";
import { formatMonth } from "../../src/model/month.js";

const SET = [...generateHouseholds({ households: 3000, months: 15, seed: 1 })];

function rowsOf(households: readonly GeneratedHousehold[]): string[][][] {
  const out: string[][][] = EXPORT_TABLES.map(() => []);
  for (const h of households) EXPORT_TABLES.forEach((t, i) => t.rows(h, out[i]!));
  return out;
}

describe("normalizeGenerateOptions", () => {
  it("defaults months 12, seed 1, csv, utf8", () => {
    expect(normalizeGenerateOptions({ households: "10", out: "o" })).toEqual({ households: 10, months: 12, seed: 1, format: "csv", encoding: "utf8", out: "o" });
  });

  it("--demo needs only --out", () => {
    expect(normalizeGenerateOptions({ demo: true, out: "d" }).out).toBe("d");
  });

  it("collects every problem into one usage error (exit 2) naming each option", () => {
    let error: unknown;
    try {
      normalizeGenerateOptions({ households: "0", months: "x", seed: "-1", format: "xls", encoding: "latin1" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect((error as UserError).message.split("\n")).toEqual([
      '--households: expected a whole number from 1 to 2000000, got "0"',
      '--months: expected a whole number from 1 to 120, got "x"',
      '--seed: expected a whole number from 0 to 4294967295, got "-1"',
      '--format: expected csv or xlsx, got "xls"',
      '--encoding: expected utf8, utf8-bom or gb18030, got "latin1"',
      "--out: required (the folder to write into)",
    ]);
  });

  it("refuses --encoding with --format xlsx", () => {
    expect(() => normalizeGenerateOptions({ households: "1", format: "xlsx", encoding: "gb18030", out: "o" })).toThrow("--encoding: only applies to --format csv");
  });
});

describe("Random", () => {
  it("gives the same sequence for the same seed and another for another seed", () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const sa = Array.from({ length: 5 }, () => a.uint32());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.uint32())).not.toEqual(sa);
  });

  it("int(lo, hi) stays inside both bounds and reaches them", () => {
    const r = new Random(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(r.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });
});

describe("generateHouseholds", () => {
  it("is deterministic: the same seed gives identical rows, another seed different ones", () => {
    const again = rowsOf([...generateHouseholds({ households: 300, months: 15, seed: 1 })]);
    expect(again).toEqual(rowsOf(SET.slice(0, 300)));
    const other = rowsOf([...generateHouseholds({ households: 300, months: 15, seed: 2 })]);
    expect(other[0]).not.toEqual(again[0]);
  });

  it("every ID number is 18 characters with a valid check digit, matching 出生日期 and 性别", () => {
    let checked = 0;
    for (const h of SET) {
      for (const p of h.members) {
        expect(validateResidentId(p.idNumber), p.idNumber).toEqual({ valid: true });
        expect(birthDateFromId(p.idNumber)).toEqual(dateParts(p.birthDate));
        expect(sexFromId(p.idNumber)).toBe(p.sex);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(9000);
  });

  it("no ID number appears twice", () => {
    const ids = SET.flatMap((h) => h.members.map((p) => p.idNumber));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("户编号 are unique 15-digit text, the first county's with a leading zero", () => {
    const ids = SET.map((h) => h.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^\d{15}$/);
    expect(ids[0]).toBe("062110120100001");
  });

  it("行政区划代码 is 12 digits consistent with the county, and the 户编号 continues it", () => {
    for (const h of SET) {
      expect(h.village.villageCode).toMatch(/^\d{12}$/);
      expect(h.village.villageCode.slice(0, 6)).toBe(h.village.code);
      expect(h.id.slice(0, 10)).toBe(h.village.villageCode.slice(2));
    }
  });

  it("member rows = 家庭人口数, exactly one 户主, at most one 配偶 and of the other sex", () => {
    const [households, members] = rowsOf(SET);
    const perHousehold = new Map<string, number>();
    for (const m of members!) perHousehold.set(m[0]!, (perHousehold.get(m[0]!) ?? 0) + 1);
    for (const row of households!) expect(perHousehold.get(row[0]!)).toBe(Number(row[10]));
    for (const h of SET) {
      expect(h.members.filter((p) => p.relation === "户主")).toHaveLength(1);
      const spouses = h.members.filter((p) => p.relation === "配偶");
      expect(spouses.length).toBeLessThanOrEqual(1);
      if (spouses.length === 1) expect(spouses[0]!.sex).not.toBe(h.members[0]!.sex);
    }
  });

  it("writes one income row per household-month: N × K rows, the K months ending 2026-10", () => {
    const [, , income] = rowsOf(SET);
    expect(income).toHaveLength(3000 * 15);
    const months = new Set(income!.map((r) => r[1]));
    expect([...months].sort()).toEqual(Array.from({ length: 15 }, (_, i) => formatMonth(GENERATED_LAST_MONTH - 14 + i)));
  });

  it("amounts have 2 decimals and the components add up to the net in cents", () => {
    const h = SET[0]!;
    const out: string[][] = [];
    INCOME_TABLE.rows(h, out);
    for (const row of out) for (const cell of row.slice(2)) expect(cell).toMatch(/^-?\d+\.\d\d$/);
    for (const r of h.income) expect(r.wage + r.business + r.property + r.transfer - r.expense).toBe(netCents(r));
  });

  it.each([
    [0, "0.00"],
    [5, "0.05"],
    [123450, "1234.50"],
    [-1999, "-19.99"],
  ])("formatCents(%i) = %s", (cents, text) => {
    expect(formatCents(cents)).toBe(text);
  });

  it("has a realistic mix: ~40 % 脱贫户, ~8 % currently monitored, ~10 % below the line, a few % with pushes", () => {
    const share = (f: (h: GeneratedHousehold) => boolean): number => SET.filter(f).length / SET.length;
    expect(share((h) => h.householdType === "脱贫户")).toBeGreaterThan(0.35);
    expect(share((h) => h.householdType === "脱贫户")).toBeLessThan(0.45);
    expect(share((h) => h.riskEliminated === "否")).toBeGreaterThan(0.05);
    expect(share((h) => h.riskEliminated === "否")).toBeLessThan(0.11);
    expect(share((h) => h.annualPcCents < 600_000)).toBeGreaterThan(0.05);
    expect(share((h) => h.annualPcCents < 600_000)).toBeLessThan(0.15);
    expect(share((h) => h.events.length > 0)).toBeGreaterThan(0.02);
    expect(share((h) => h.events.length > 0)).toBeLessThan(0.1);
    expect(SET.some((h) => h.events.some((e) => (e.selfPaid ?? e.loss ?? 0) > 1_000_000))).toBe(true);
  });

  it("some households end with three or more low months (< 500 per person) in a row", () => {
    const endsLow = SET.filter((h) => h.income.slice(-3).every((r) => netCents(r) / h.members.length < 50_000));
    expect(endsLow.length).toBeGreaterThan(30);
  });

  it("some households' last 3 months are at most half of the same months a year before (K ≥ 15)", () => {
    const sum = (h: GeneratedHousehold, from: number, to: number): number =>
      h.income.slice(from, to).reduce((s, r) => s + netCents(r), 0);
    const halved = SET.filter((h) => sum(h, 12, 15) <= 0.5 * sum(h, 0, 3));
    expect(halved.length).toBeGreaterThan(20);
  });

  it("医保 pushes carry only the person's ID number; 应急管理 and 教育 carry the 户编号", () => {
    const events = SET.flatMap((h) => h.events.map((e) => ({ e, h })));
    for (const { e, h } of events) {
      if (e.source === "医保") {
        expect(e.householdId).toBe("");
        expect(h.members.map((p) => p.idNumber)).toContain(e.idNumber);
        expect(e.total! - e.reimbursed!).toBe(e.selfPaid);
      } else expect(e.householdId).toBe(h.id);
    }
    expect(new Set(events.map(({ e }) => e.source))).toEqual(new Set(["医保", "应急管理", "教育"]));
  });

  it("monitoring attributes agree with the members (audit Q008–Q013 would find nothing)", () => {
    for (const h of SET) {
      if (h.risks.includes("因病")) expect(h.compliantSelfPaidCents).toBeGreaterThan(0);
      if (h.risks.includes("缺劳动力")) expect(h.members.some(hasLabour)).toBe(false);
      if (h.risks.includes("因务工就业不稳")) expect(h.members.some(hasLabour)).toBe(true);
      expect(h.riskEliminated === "是").toBe(h.eliminatedDate !== "");
      if (h.riskEliminated === "是") {
        expect(h.noLabour).toBe(false);
        const months = (d: string): number => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7));
        expect(months(h.eliminatedDate) - months(h.identifiedDate)).toBeGreaterThanOrEqual(6);
      }
      if (h.category !== "") expect(h.annualPcCents).toBeLessThanOrEqual(2_000_000);
    }
  });
});

/** { year, month, day } of a YYYY-MM-DD text (as birthDateFromId gives them). */
function dateParts(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return { year, month, day };
}
