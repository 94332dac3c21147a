import { describe, expect, it } from "vitest";
import { linesFor } from "../../src/rules/lines.js";
import { deriveRiskTypes, wageIncomeFell } from "../../src/rules/riskTypes.js";
import type { Trigger } from "../../src/rules/types.js";
import { endingAt, history, member, P, type Row, series, settings } from "./builders.js";

const lines = linesFor(settings()); // L = 6000

/** 12 months ending at P with net 1000 and the given wages (P last). */
function wages(ws: (number | undefined)[]): Row[] {
  return endingAt(Array(ws.length).fill(1000)).map((r, k) => ({ ...r, wage: ws[k] ?? NaN }));
}

describe("risk types (rules.md §10)", () => {
  it("derived types come in the fixed order, then the household's own risks not already listed", () => {
    const h = history({
      household: { risks: ["因学", "因残", "因病", "其他", "因残"] },
      members: [member({ labourSkill: "普通劳动力" })],
      income: wages([2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 0]),
    });
    const triggers: Trigger[] = ["STREAK", "MEDICAL", "EDUCATION", "DISASTER", "ACCIDENT"];
    expect(deriveRiskTypes(h, triggers, 9000, lines, P)).toEqual(["因病", "因学", "因自然灾害", "因意外事故", "因务工就业不稳", "因残", "其他"]);
  });

  it("缺劳动力 comes after the expenditure types and before the household's risks", () => {
    const h = history({ household: { risks: ["缺劳动力", "因残"] }, members: [member({ labourSkill: "丧失劳动力" })] });
    expect(deriveRiskTypes(h, ["ACCIDENT"], 9000, lines, P)).toEqual(["因意外事故", "缺劳动力", "因残"]);
  });

  it.each([
    { case: "MEDICAL", health: "健康", triggers: ["MEDICAL"], annualPc: 9000, ill: true },
    { case: "患有大病 with STREAK", health: "患有大病", triggers: ["STREAK"], annualPc: 9000, ill: true },
    { case: "长期慢性病 in a comma-joined value, annualPc < L", health: "残疾,长期慢性病", triggers: [], annualPc: 5999.99, ill: true },
    { case: "长期慢性病 but annualPc at L and no STREAK", health: "长期慢性病", triggers: [], annualPc: 6000, ill: false },
    { case: "长期慢性病 with INCOME_DROP only", health: "长期慢性病", triggers: ["INCOME_DROP"], annualPc: 9000, ill: false },
    { case: "残疾 is not illness", health: "残疾", triggers: ["STREAK"], annualPc: 3000, ill: false },
  ] as { case: string; health: string; triggers: Trigger[]; annualPc: number; ill: boolean }[])(
    "因病: $case → $ill",
    ({ health, triggers, annualPc, ill }) => {
      const h = history({ members: [member({ health })] });
      expect(deriveRiskTypes(h, triggers, annualPc, lines, P).includes("因病")).toBe(ill);
    },
  );

  it.each([
    { skill: "普通劳动力", lacking: false },
    { skill: "技能劳动力", lacking: false },
    { skill: "弱劳动力或半劳动力", lacking: true },
    { skill: "丧失劳动力", lacking: true },
    { skill: "无劳动力", lacking: true },
    { skill: undefined, lacking: true },
  ])("缺劳动力 for a single member with 劳动技能 $skill → $lacking", ({ skill, lacking }) => {
    const h = history({ members: [member({ labourSkill: skill })] });
    expect(deriveRiskTypes(h, [], 9000, lines, P)).toEqual(lacking ? ["缺劳动力"] : []);
  });

  it("缺劳动力 is not derived when members are not known", () => {
    expect(deriveRiskTypes(history(), [], 9000, lines, P)).toEqual([]);
  });

  it("one member with labour is enough", () => {
    const h = history({ members: [member({ labourSkill: "无劳动力" }), member({ labourSkill: "技能劳动力" })] });
    expect(deriveRiskTypes(h, [], 9000, lines, P)).toEqual([]);
  });

  it.each([
    { case: "STREAK, labour, wage fell", triggers: ["STREAK"], skill: "普通劳动力", unstable: true },
    { case: "INCOME_DROP, labour, wage fell", triggers: ["INCOME_DROP"], skill: "技能劳动力", unstable: true },
    { case: "no STREAK or INCOME_DROP", triggers: ["MEDICAL"], skill: "普通劳动力", unstable: false },
    { case: "no member has labour", triggers: ["STREAK"], skill: "弱劳动力或半劳动力", unstable: false },
  ] as { case: string; triggers: Trigger[]; skill: string; unstable: boolean }[])("因务工就业不稳: $case → $unstable", ({ triggers, skill, unstable }) => {
    const h = history({ members: [member({ labourSkill: skill })], income: wages([3000, 3000, 3000, 3000, 3000, 0]) });
    expect(deriveRiskTypes(h, triggers, 9000, lines, P).includes("因务工就业不稳")).toBe(unstable);
  });
});

describe("wage income fell (rules.md §10)", () => {
  // mean over the recorded months of W, P included
  it.each([
    { case: "P just below half the mean", ws: [1400, 1400, 1400, 599.99], fell: true }, // mean 1199.9975, half 599.99875
    { case: "P at half the mean", ws: [1400, 1400, 1400, 600], fell: false }, // mean 1200, half 600
    { case: "P just above half the mean", ws: [1400, 1400, 1400, 600.01], fell: false },
    { case: "a blank wage cell counts as 0", ws: [0, 0, 900, 100], fell: true }, // mean 250, half 125
    { case: "no wage anywhere", ws: [0, 0, 0, 0], fell: false },
    { case: "no wage column (NaN) in P", ws: [3000, 3000, 3000, undefined], fell: false },
  ])("$case → $fell", ({ ws, fell }) => {
    expect(wageIncomeFell(series(wages(ws)), P)).toBe(fell);
  });

  it("P without a record → not derived", () => {
    const rows = wages([3000, 3000, 3000, 0]).slice(0, 3);
    expect(wageIncomeFell(series(rows), P)).toBe(false);
  });

  it("months before W do not enter the mean", () => {
    // 2025-10 (before W) has a huge wage; inside W the mean is (400 + 100) / 2 = 250, half 125: 100 fell
    const rows = [...endingAt([100000], P - 12).map((r) => ({ ...r, wage: 100000 })), ...wages([400, 100])];
    expect(wageIncomeFell(series(rows), P)).toBe(true);
  });
});
