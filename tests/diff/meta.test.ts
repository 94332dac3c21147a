import { describe, expect, it } from "vitest";
import { compareListMeta, parseRunInfo } from "../../src/diff/meta.js";
import { monthOf } from "../../src/model/month.js";

const meta = (file: string, period: number | undefined, policyName: string | undefined) => ({ file, period, policyName });

describe("compareListMeta", () => {
  it("warns when OLD is later than NEW, naming both periods", () => {
    expect(compareListMeta(meta("a/flagged.csv", monthOf(2026, 10), "p"), meta("b/flagged.csv", monthOf(2026, 9), "p"))).toEqual([
      "the lists look reversed: OLD a/flagged.csv is 2026-10 but NEW b/flagged.csv is 2026-09 (give the earlier month first; 新增 and 移出 are swapped otherwise)",
    ]);
  });

  it("warns when the lists were made with different policies, naming both", () => {
    expect(compareListMeta(meta("a", monthOf(2026, 9), "国家底线"), meta("b", monthOf(2026, 10), "云南2026"))).toEqual([
      'the lists were made with different policies: OLD "国家底线", NEW "云南2026" (some changes may come from the policy, not from the households)',
    ]);
  });

  it.each([
    ["in order, same policy", meta("a", monthOf(2026, 9), "p"), meta("b", monthOf(2026, 10), "p")],
    ["the same month", meta("a", monthOf(2026, 10), "p"), meta("b", monthOf(2026, 10), "p")],
    ["periods and policies unknown", meta("a", undefined, undefined), meta("b", monthOf(2026, 1), "q")],
  ])("gives no warning: %s", (_, a, b) => {
    expect(compareListMeta(a, b)).toEqual([]);
  });

  it("gives both warnings together", () => {
    expect(compareListMeta(meta("a", monthOf(2027, 1), "p"), meta("b", monthOf(2026, 12), "q"))).toHaveLength(2);
  });
});

describe("parseRunInfo", () => {
  it("reads period and policy.name from run.json", () => {
    expect(parseRunInfo('{"tool":"povwatch","period":"2026-10","policy":{"name":"云南2026","povertyLine":4000}}')).toEqual({ period: monthOf(2026, 10), policyName: "云南2026" });
  });

  it.each([
    ["fields missing", "{}", { period: undefined, policyName: undefined }],
    ["fields of the wrong type", '{"period":202610,"policy":"x"}', { period: undefined, policyName: undefined }],
    ["not JSON", "period: 2026-10", undefined],
    ["a JSON array", "[]", undefined],
  ])("%s", (_, text, expected) => {
    expect(parseRunInfo(text)).toEqual(expected);
  });
});
