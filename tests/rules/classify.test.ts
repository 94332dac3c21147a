import { describe, expect, it } from "vitest";
import { riskColor, riskGrade, suggestCategory } from "../../src/rules/classify.js";
import { linesFor } from "../../src/rules/lines.js";
import type { Color, Trigger } from "../../src/rules/types.js";
import { settings } from "./builders.js";

// L = 6000, V = 4000, Y = 7200 (rules.md §8's worked example)
const lines = linesFor(settings());

describe("suggested category (rules.md §7)", () => {
  it.each([
    { case: "脱贫户 just below L", annualPc: 5999.99, type: "脱贫户", triggers: [], expected: "脱贫不稳定户" },
    { case: "一般农户 just below L", annualPc: 5999.99, type: "一般农户", triggers: [], expected: "边缘易致贫户" },
    { case: "unknown 户类型 below L", annualPc: 100, type: undefined, triggers: [], expected: "边缘易致贫户" },
    { case: "below L with a trigger: still by income", annualPc: 3000, type: "脱贫户", triggers: ["MEDICAL"], expected: "脱贫不稳定户" },
    { case: "at L with STREAK", annualPc: 6000, type: "脱贫户", triggers: ["STREAK"], expected: "突发严重困难户" },
    { case: "above L with INCOME_DROP", annualPc: 9000, type: "一般农户", triggers: ["INCOME_DROP"], expected: "突发严重困难户" },
    { case: "unknown income with DISASTER", annualPc: undefined, type: "一般农户", triggers: ["DISASTER"], expected: "突发严重困难户" },
    { case: "at L, no trigger", annualPc: 6000, type: "一般农户", triggers: [], expected: undefined },
    { case: "unknown income, no trigger", annualPc: undefined, type: "脱贫户", triggers: [], expected: undefined },
  ] as { case: string; annualPc: number | undefined; type: string | undefined; triggers: Trigger[]; expected: string | undefined }[])(
    "$case → $expected",
    ({ annualPc, type, triggers, expected }) => {
      expect(suggestCategory(annualPc, lines, type, triggers)).toBe(expected);
    },
  );
});

describe("risk colour (rules.md §8)", () => {
  it.each([
    { annualPc: 3999.99, color: "red" },
    { annualPc: 4000, color: "orange" },
    { annualPc: 5999.99, color: "orange" },
    { annualPc: 6000, color: "yellow" },
    { annualPc: 7199.99, color: "yellow" },
    { annualPc: 7200, color: "green" },
    { annualPc: undefined, color: "green" },
  ] as { annualPc: number | undefined; color: Color }[])("base colour of annualPc $annualPc is $color", ({ annualPc, color }) => {
    expect(riskColor(annualPc, lines, [])).toBe(color);
  });

  it.each([
    { case: "worked example: 6500 → yellow", annualPc: 6500, triggers: [], color: "yellow" },
    { case: "worked example: 6500 with STREAK → orange", annualPc: 6500, triggers: ["STREAK"], color: "orange" },
    { case: "worked example: 6500 with STREAK and MEDICAL → red", annualPc: 6500, triggers: ["STREAK", "MEDICAL"], color: "red" },
    { case: "worked example: 9000 with MEDICAL only → yellow", annualPc: 9000, triggers: ["MEDICAL"], color: "yellow" },
    { case: "rigid triggers are one group", annualPc: 9000, triggers: ["MEDICAL", "EDUCATION", "DISASTER", "ACCIDENT"], color: "yellow" },
    { case: "three groups from green → red", annualPc: 9000, triggers: ["STREAK", "ACCIDENT", "INCOME_DROP"], color: "red" },
    { case: "INCOME_DROP from unknown income → yellow", annualPc: undefined, triggers: ["INCOME_DROP"], color: "yellow" },
    { case: "capped at red", annualPc: 3000, triggers: ["STREAK", "MEDICAL", "INCOME_DROP"], color: "red" },
    { case: "orange + one group → red", annualPc: 5000, triggers: ["EDUCATION"], color: "red" },
  ] as { case: string; annualPc: number | undefined; triggers: Trigger[]; color: Color }[])("$case", ({ annualPc, triggers, color }) => {
    expect(riskColor(annualPc, lines, triggers)).toBe(color);
  });
});

describe("grade (rules.md §9)", () => {
  it.each([
    { color: "red", type: "脱贫户", grade: "极易返贫" },
    { color: "orange", type: "脱贫户", grade: "极易返贫" },
    { color: "yellow", type: "脱贫户", grade: "较易返贫" },
    { color: "green", type: "脱贫户", grade: "稳定脱贫" },
    { color: "red", type: "一般农户", grade: "极易致贫" },
    { color: "orange", type: "一般农户", grade: "极易致贫" },
    { color: "yellow", type: "一般农户", grade: "较易致贫" },
    { color: "green", type: "一般农户", grade: "稳定" },
    { color: "yellow", type: undefined, grade: "较易致贫" },
  ] as { color: Color; type: string | undefined; grade: string }[])("$type $color → $grade", ({ color, type, grade }) => {
    expect(riskGrade(color, type)).toBe(grade);
  });
});
