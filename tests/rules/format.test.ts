import { describe, expect, it } from "vitest";
import { formatPercent, formatYuan } from "../../src/rules/format.js";

describe("amounts in explanations", () => {
  it.each([
    { amount: 0, text: "0.00" },
    { amount: 500, text: "500.00" },
    { amount: 508.3333333, text: "508.33" },
    { amount: 999.999, text: "1,000.00" },
    { amount: 12400, text: "12,400.00" },
    { amount: 1234567.891, text: "1,234,567.89" },
    { amount: -1234.5, text: "-1,234.50" },
    { amount: -0.001, text: "0.00" },
  ])("$amount → $text", ({ amount, text }) => {
    expect(formatYuan(amount)).toBe(text);
  });

  it.each([
    { ratio: 0.5, text: "50%" },
    { ratio: 0.55, text: "55%" },
    { ratio: 1 - 1499.97 / 3000, text: "50%" },
    { ratio: 0.53846, text: "53.8%" },
    { ratio: 1, text: "100%" },
  ])("ratio $ratio → $text", ({ ratio, text }) => {
    expect(formatPercent(ratio)).toBe(text);
  });
});
