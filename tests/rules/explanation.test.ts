import { describe, expect, it } from "vitest";
import { evaluateHousehold } from "../../src/rules/evaluate.js";
import { endingAt, event, flat, history, member, mo, P, settings } from "./builders.js";

type Parts = Parameters<typeof history>[0];

describe("explanation (rules.md §12)", () => {
  it.each([
    {
      case: "the spec's example: streak and medical self-paid",
      parts: { income: endingAt([...Array(9).fill(1000), 400, 400, 400]), events: [event("医疗", "2026-03", 12400)] },
      over: {},
      text: "2026-08至2026-10连续3个月人均纯收入低于月监测标准500.00元；近12个月医疗自付12,400.00元（标准10,000.00元）",
    },
    {
      case: "annual income below the line and the poverty line, with a 12-month streak",
      parts: { income: flat(300) },
      over: {},
      text: "年化人均纯收入3,600.00元低于年监测标准6,000.00元（低于贫困线4,000.00元）；2025-11至2026-10连续12个月人均纯收入低于月监测标准500.00元",
    },
    {
      case: "annual income from 人均纯收入 (too few monthly records)",
      parts: { household: { annualNetIncomePc: 5500 }, income: endingAt([600, 600]) },
      over: {},
      text: "年人均纯收入5,500.00元低于年监测标准6,000.00元",
    },
    {
      case: "an unrounded monthly line is shown with 2 decimals",
      parts: { income: endingAt([...Array(9).fill(1000), 508, 508, 508]) },
      over: { monitoringLine: 6100 },
      text: "2026-08至2026-10连续3个月人均纯收入低于月监测标准508.33元",
    },
    {
      case: "income drop against the same months a year before",
      parts: { income: endingAt([2000, 2000, 2000, ...Array(9).fill(3000), 900, 900, 900]) },
      over: {},
      text: "2026-08至2026-10家庭纯收入2,700.00元，较上年同期6,000.00元下降55%",
    },
    {
      case: "medical by the income-share test",
      parts: { household: { size: 2 }, income: flat(2000), events: [event("医疗", "2026-05", 12000)] },
      over: { rigidExpense: { medical: 50000 } },
      text: "近12个月医疗自付12,000.00元（达到家庭年纯收入24,000.00元的50%）",
    },
    {
      case: "合规自付支出 as the medical sum, and every other rigid type",
      parts: {
        household: { compliantSelfPaid: 12400 },
        income: flat(1000),
        events: [event("教育", "2026-09", 10000), event("灾害", "2026-01", 25000.5), event("意外事故", "2025-11", 1234567.891)],
      },
      over: {},
      text:
        "合规自付支出12,400.00元（标准10,000.00元）；近12个月教育支出10,000.00元（标准10,000.00元）；" +
        "近12个月灾害损失25,000.50元（标准10,000.00元）；近12个月意外事故损失1,234,567.89元（标准10,000.00元）",
    },
    {
      case: "continuing with a category change",
      parts: { household: { monitoringCategory: "边缘易致贫户" }, income: flat(1000), events: [event("医疗", "2026-03", 12400)] },
      over: {},
      text: "近12个月医疗自付12,400.00元（标准10,000.00元）；类别变化: 边缘易致贫户→突发严重困难户",
    },
    {
      case: "suggest elimination",
      parts: { household: { monitoringCategory: "边缘易致贫户", identifiedMonth: mo("2026-02") }, members: [member()], income: flat(600) },
      over: {},
      text: "近6个月人均纯收入均不低于月监测标准500.00元；年化人均纯收入7,200.00元不低于年监测标准6,000.00元；自2026-02起已监测8个月；建议消除风险",
    },
    {
      case: "continuing without a suggested category: the blockers",
      parts: {
        household: { monitoringCategory: "脱贫不稳定户", identifiedMonth: mo("2026-02"), noLabourHousehold: true },
        income: endingAt([...Array(11).fill(600), 499]),
      },
      over: {},
      text: "暂不符合风险消除条件：收入稳定不足6个月、无劳动能力户暂不消除",
    },
  ] as { case: string; parts: Parts; over: Parameters<typeof settings>[0]; text: string }[])("$case", ({ parts, over, text }) => {
    expect(evaluateHousehold(history(parts), settings(over), P).explanation).toBe(text);
  });

  it("a household that is not listed has an empty explanation", () => {
    expect(evaluateHousehold(history({ income: flat(600) }), settings(), P).explanation).toBe("");
  });
});
