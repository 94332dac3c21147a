import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, SETTING_SPECS } from "../../src/policy/defaults.js";
import { describePolicy, flattenSettings, settingAt } from "../../src/policy/describe.js";
import { normalizePolicy } from "../../src/policy/normalize.js";

const YUNNAN = normalizePolicy({
  name: "云南省 2025",
  monitoringLine: 6100,
  overrides: [
    { where: { province: "云南省" }, from: "2025-01", monitoringLine: 8700, source: "云农办通〔2025〕1号" },
    // keys deliberately out of policy.md's order: the description puts them back in order
    { rigidExpense: { incomeShare: 0.4, medical: 8000 }, to: "2025-12", streakMonths: 2, where: { codePrefix: "530", county: "禄劝县" } },
  ],
}).policy!;

describe("describePolicy", () => {
  it("prints the built-in policy with every default", () => {
    expect(JSON.stringify(describePolicy(DEFAULT_POLICY))).toBe(
      '{"name":"内置国家底线 (built-in national floor)","builtIn":true,"povertyLine":4000,"monitoringLine":6000,' +
        '"yellowFactor":1.2,"streakMonths":3,"minMonthsForAnnual":3,"incomeDrop":{"ratio":0.5},' +
        '"rigidExpense":{"medical":10000,"education":10000,"disaster":10000,"accident":10000,"incomeShare":0.5},' +
        '"elimination":{"stableMonths":6,"minMonitoredMonths":6},"overrides":[]}',
    );
  });

  it("lists overrides in file order with months as YYYY-MM, null when open, keys in a fixed order", () => {
    expect(JSON.stringify(describePolicy(YUNNAN).overrides)).toBe(
      '[{"index":0,"rank":1,"where":{"province":"云南省"},"from":"2025-01","to":null,"source":"云农办通〔2025〕1号","settings":{"monitoringLine":8700}},' +
        '{"index":1,"rank":3,"where":{"county":"禄劝县","codePrefix":"530"},"from":null,"to":"2025-12","source":null,' +
        '"settings":{"streakMonths":2,"rigidExpense":{"medical":8000,"incomeShare":0.4}}}]',
    );
  });

  it("round-trips an override's settings through normalizePolicy", () => {
    const o = describePolicy(YUNNAN).overrides[1]!;
    const again = normalizePolicy({ overrides: [{ where: o.where, from: o.from, to: o.to, source: o.source, ...o.settings }] }).policy!;
    expect(describePolicy(again).overrides[0]).toEqual({ ...o, index: 0 });
  });
});

describe("settingAt", () => {
  it("reads every setting of a resolved policy by its dotted key path, in policy.md's order", () => {
    expect(SETTING_SPECS.map((spec) => [spec.path, settingAt(YUNNAN, spec.path)])).toEqual([
      ["povertyLine", 4000],
      ["monitoringLine", 6100],
      ["yellowFactor", 1.2],
      ["streakMonths", 3],
      ["minMonthsForAnnual", 3],
      ["incomeDrop.ratio", 0.5],
      ["rigidExpense.medical", 10000],
      ["rigidExpense.education", 10000],
      ["rigidExpense.disaster", 10000],
      ["rigidExpense.accident", 10000],
      ["rigidExpense.incomeShare", 0.5],
      ["elimination.stableMonths", 6],
      ["elimination.minMonitoredMonths", 6],
    ]);
    expect(settingAt(YUNNAN, "rigidExpense.dental")).toBeUndefined();
  });
});

describe("flattenSettings", () => {
  it("lists only the keys that are set", () => {
    expect(flattenSettings({ elimination: { minMonitoredMonths: 0 }, povertyLine: 4100 })).toEqual([
      ["povertyLine", 4100],
      ["elimination.minMonitoredMonths", 0],
    ]);
  });
});
