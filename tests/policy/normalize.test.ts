import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, DEFAULT_SETTINGS } from "../../src/policy/defaults.js";
import { formatPolicyError, normalizePolicy, normalizeRegionName, UNNAMED_POLICY } from "../../src/policy/normalize.js";
import { monthOf } from "../../src/model/month.js";

/** The error lines of normalizePolicy(raw), formatted as the user sees them. */
function problems(raw: unknown): string[] {
  const result = normalizePolicy(raw);
  expect(result.policy).toBeUndefined();
  return result.errors.map(formatPolicyError);
}

function valid(raw: unknown) {
  const result = normalizePolicy(raw);
  expect(result.errors).toEqual([]);
  return result.policy!;
}

describe("DEFAULT_POLICY", () => {
  it("is policy.md's example without name and overrides, marked built in", () => {
    expect(DEFAULT_POLICY).toEqual({
      name: "内置国家底线 (built-in national floor)",
      builtIn: true,
      povertyLine: 4000,
      monitoringLine: 6000,
      yellowFactor: 1.2,
      streakMonths: 3,
      minMonthsForAnnual: 3,
      incomeDrop: { ratio: 0.5 },
      rigidExpense: { medical: 10000, education: 10000, disaster: 10000, accident: 10000, incomeShare: 0.5 },
      elimination: { stableMonths: 6, minMonitoredMonths: 6 },
      overrides: [],
    });
  });

  it("is deeply frozen, so no caller can change the national floor", () => {
    expect(Object.isFrozen(DEFAULT_POLICY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_POLICY.rigidExpense)).toBe(true);
    expect(Object.isFrozen(DEFAULT_SETTINGS.elimination)).toBe(true);
  });
});

describe("normalizePolicy: defaults", () => {
  it("an empty object gives the national floor, not built in, with the unnamed name", () => {
    const policy = valid({});
    expect(policy).toEqual({ ...DEFAULT_SETTINGS, name: UNNAMED_POLICY, builtIn: false, overrides: [] });
  });

  it("uses the default name given by the loader when the file has none", () => {
    expect(normalizePolicy({}, { defaultName: "yn.json" }).policy!.name).toBe("yn.json");
  });

  it("a top-level key replaces only that setting", () => {
    const policy = valid({ name: " 云南省 2025 ", monitoringLine: 8700 });
    expect(policy.name).toBe("云南省 2025");
    expect(policy.monitoringLine).toBe(8700);
    expect(policy.povertyLine).toBe(4000);
    expect(policy.yellowFactor).toBe(1.2);
  });

  it("nested objects merge key by key", () => {
    const policy = valid({ rigidExpense: { medical: 8000 }, elimination: { minMonitoredMonths: 0 } });
    expect(policy.rigidExpense).toEqual({ medical: 8000, education: 10000, disaster: 10000, accident: 10000, incomeShare: 0.5 });
    expect(policy.elimination).toEqual({ stableMonths: 6, minMonitoredMonths: 0 });
    expect(policy.incomeDrop).toEqual({ ratio: 0.5 });
  });

  it("accepts amounts of 0", () => {
    const policy = valid({ povertyLine: 0, rigidExpense: { education: 0, incomeShare: 0 } });
    expect(policy.povertyLine).toBe(0);
    expect(policy.rigidExpense.education).toBe(0);
    expect(policy.rigidExpense.incomeShare).toBe(0);
  });

  it("reads policy.md's example completely", () => {
    const policy = valid({
      name: "云南省 2025",
      povertyLine: 4000,
      monitoringLine: 6000,
      yellowFactor: 1.2,
      streakMonths: 3,
      minMonthsForAnnual: 3,
      incomeDrop: { ratio: 0.5 },
      rigidExpense: { medical: 10000, education: 10000, disaster: 10000, accident: 10000, incomeShare: 0.5 },
      elimination: { stableMonths: 6, minMonitoredMonths: 6 },
      overrides: [
        { where: { province: "云南省" }, from: "2025-01", monitoringLine: 8700, source: "云农办通〔2025〕1号" },
        { where: { codePrefix: "530" }, from: "2025-01", to: "2025-12", rigidExpense: { medical: 8000 } },
      ],
    });
    expect(policy.overrides).toEqual([
      { index: 0, where: { province: "云南省" }, from: monthOf(2025, 1), source: "云农办通〔2025〕1号", settings: { monitoringLine: 8700 }, rank: 1, prefixLength: 0 },
      { index: 1, where: { codePrefix: "530" }, from: monthOf(2025, 1), to: monthOf(2025, 12), settings: { rigidExpense: { medical: 8000 } }, rank: 2, prefixLength: 3 },
    ]);
  });

  it("removes all whitespace, including U+3000, from where names", () => {
    const policy = valid({ overrides: [{ where: { province: " 云南\u3000省 ", county: "禄 劝\t县", codePrefix: " 5301 " }, monitoringLine: 9000 }] });
    expect(policy.overrides[0]!.where).toEqual({ province: "云南省", county: "禄劝县", codePrefix: "5301" });
  });

  it("treats null from/to/source as absent (the form policy show prints)", () => {
    const policy = valid({ overrides: [{ where: { city: "昆明市" }, from: null, to: null, source: null, streakMonths: 2 }] });
    const o = policy.overrides[0]!;
    expect([o.from, o.to, o.source]).toEqual([undefined, undefined, undefined]);
  });
});

describe("normalizePolicy: ranks of overrides", () => {
  it.each([
    [{ province: "云南省" }, 1, 0],
    [{ city: "昆明市" }, 2, 0],
    [{ county: "禄劝县" }, 3, 0],
    [{ township: "屏山街道" }, 4, 0],
    [{ village: "中村" }, 5, 0],
    [{ codePrefix: "53" }, 1, 2],
    [{ codePrefix: "530" }, 2, 3],
    [{ codePrefix: "5301" }, 2, 4],
    [{ codePrefix: "53012" }, 3, 5],
    [{ codePrefix: "530128" }, 3, 6],
    [{ codePrefix: "530128100" }, 4, 9],
    [{ codePrefix: "5301281001" }, 5, 10],
    [{ codePrefix: "530128100201" }, 5, 12],
    [{ province: "云南省", county: "禄劝县" }, 3, 0],
    [{ village: "中村", codePrefix: "53" }, 5, 2],
  ])("where %j ranks %i (prefix length %i)", (where, rank, prefixLength) => {
    const o = valid({ overrides: [{ where, monitoringLine: 7000 }] }).overrides[0]!;
    expect([o.rank, o.prefixLength]).toEqual([rank, prefixLength]);
  });
});

describe("normalizePolicy: refusals name the key path", () => {
  it("an unknown key at the top", () => {
    expect(problems({ monitoringLin: 6000 })).toEqual(["monitoringLin: unknown key"]);
  });

  it("a nested setting written as one dotted key, at the top and in an override", () => {
    expect(problems({ "rigidExpense.medical": 8000, overrides: [{ where: { county: "A" }, "elimination.stableMonths": 6 }] })).toEqual([
      "rigidExpense.medical: unknown key",
      "overrides[0].elimination.stableMonths: unknown key",
    ]);
  });

  it("an unknown key inside a where", () => {
    expect(problems({ overrides: [{ where: { province: "云南省" }, monitoringLine: 1 }, { where: { provnce: "云南省" }, monitoringLine: 1 }] }))
      .toEqual(["overrides[1].where.provnce: unknown key"]);
  });

  it("an unknown key inside a nested setting, at the top and in an override", () => {
    expect(problems({ rigidExpense: { dental: 1 }, overrides: [{ where: { county: "A" }, elimination: { stable: 6 } }] })).toEqual([
      "rigidExpense.dental: unknown key",
      "overrides[0].elimination.stable: unknown key",
    ]);
  });

  it.each([
    [{ monitoringLine: "6000" }, 'monitoringLine: must be a number (got string "6000")'],
    [{ yellowFactor: null }, "yellowFactor: must be a number (got null)"],
    [{ streakMonths: true }, "streakMonths: must be a number (got boolean true)"],
    [{ incomeDrop: 0.5 }, "incomeDrop: must be an object (got 0.5)"],
    [{ rigidExpense: [1] }, "rigidExpense: must be an object (got an array)"],
    [{ name: 2025 }, "name: must be a string (got 2025)"],
    [{ name: "  " }, "name: must not be empty"],
    [{ overrides: {} }, "overrides: must be an array (got an object)"],
    [{ overrides: ["云南省"] }, 'overrides[0]: must be an object (got string "云南省")'],
  ])("a wrong type: %j", (raw, message) => {
    expect(problems(raw)).toEqual([message]);
  });

  it("a document that is not an object", () => {
    expect(problems([1, 2])).toEqual(["(top level): must be a JSON object (got an array)"]);
    expect(problems("x")).toEqual(['(top level): must be a JSON object (got string "x")']);
  });

  it.each([
    [{ rigidExpense: { medical: -5 } }, "rigidExpense.medical: must not be negative (got -5)"],
    [{ povertyLine: -0.01 }, "povertyLine: must not be negative (got -0.01)"],
    [{ rigidExpense: { incomeShare: -0.5 } }, "rigidExpense.incomeShare: must not be negative (got -0.5)"],
  ])("a negative amount: %j", (raw, message) => {
    expect(problems(raw)).toEqual([message]);
  });

  it.each([
    [0.99, ["yellowFactor: must be ≥ 1 (got 0.99)"]],
    [0, ["yellowFactor: must be ≥ 1 (got 0)"]],
    [1, []],
    [1.5, []],
  ])("yellowFactor %d (must be ≥ 1)", (yellowFactor, expected) => {
    expect(normalizePolicy({ yellowFactor }).errors.map(formatPolicyError)).toEqual(expected);
  });

  it.each([
    [0, ["streakMonths: must be a whole number from 1 to 12 (got 0)"]],
    [1, []],
    [12, []],
    [13, ["streakMonths: must be a whole number from 1 to 12 (got 13)"]],
    [2.5, ["streakMonths: must be a whole number from 1 to 12 (got 2.5)"]],
  ])("streakMonths %d (whole number 1…12)", (streakMonths, expected) => {
    expect(normalizePolicy({ streakMonths }).errors.map(formatPolicyError)).toEqual(expected);
  });

  it.each([
    [{ minMonthsForAnnual: 0 }, "minMonthsForAnnual: must be a whole number from 1 to 12 (got 0)"],
    [{ minMonthsForAnnual: 3.5 }, "minMonthsForAnnual: must be a whole number from 1 to 12 (got 3.5)"],
    [{ elimination: { stableMonths: 13 } }, "elimination.stableMonths: must be a whole number from 1 to 12 (got 13)"],
    [{ elimination: { minMonitoredMonths: 1.5 } }, "elimination.minMonitoredMonths: must be a whole number ≥ 0 (got 1.5)"],
    [{ elimination: { minMonitoredMonths: -1 } }, "elimination.minMonitoredMonths: must be a whole number ≥ 0 (got -1)"],
    [{ incomeDrop: { ratio: 1.2 } }, "incomeDrop.ratio: must be from 0 to 1 (got 1.2)"],
    [{ incomeDrop: { ratio: -0.1 } }, "incomeDrop.ratio: must be from 0 to 1 (got -0.1)"],
  ])("other ranges: %j", (raw, message) => {
    expect(problems(raw)).toEqual([message]);
  });

  it("an override without where", () => {
    expect(problems({ overrides: [{ from: "2025-01", monitoringLine: 8700 }] })).toEqual(['overrides[0]: has no "where"']);
  });

  it.each([
    [{ where: {} }, "overrides[0].where: must name at least one of province, city, county, township, village, codePrefix"],
    [{ where: "云南省" }, 'overrides[0].where: must be an object (got string "云南省")'],
    [{ where: { county: "\u3000 " } }, "overrides[0].where.county: must not be empty"],
    [{ where: { county: 5 } }, "overrides[0].where.county: must be a string (got 5)"],
    [{ where: { codePrefix: 530 } }, 'overrides[0].where.codePrefix: must be a string (got 530) (write it in quotes: "530")'],
    [{ where: { codePrefix: "53a" } }, 'overrides[0].where.codePrefix: must be 1 to 12 digits of a 行政区划代码 (got "53a")'],
    [{ where: { codePrefix: "5301281002011" } }, 'overrides[0].where.codePrefix: must be 1 to 12 digits of a 行政区划代码 (got "5301281002011")'],
  ])("a bad where: %j", (override, message) => {
    expect(problems({ overrides: [override] })).toEqual([message]);
  });

  it.each([
    ["2025-1", 'overrides[0].from: must be a month written YYYY-MM, e.g. "2025-01" (got string "2025-1")'],
    ["2025-13", 'overrides[0].from: must be a month written YYYY-MM, e.g. "2025-01" (got string "2025-13")'],
    ["2025年1月", 'overrides[0].from: must be a month written YYYY-MM, e.g. "2025-01" (got string "2025年1月")'],
    [202501, 'overrides[0].from: must be a month written YYYY-MM, e.g. "2025-01" (got 202501)'],
  ])("from %j is not YYYY-MM", (from, message) => {
    expect(problems({ overrides: [{ where: { province: "云南省" }, from, monitoringLine: 8700 }] })).toEqual([message]);
  });

  it("a to before the from", () => {
    expect(problems({ overrides: [{ where: { province: "云南省" }, from: "2025-12", to: "2025-01" }] }))
      .toEqual(['overrides[0].to: must not be before "from" 2025-12 (got "2025-01")']);
  });

  it("an override may not set name or overrides", () => {
    expect(problems({ overrides: [{ where: { province: "云南省" }, name: "x", overrides: [] }] })).toEqual([
      "overrides[0].name: cannot be set in an override",
      "overrides[0].overrides: cannot be set in an override",
    ]);
  });

  it("settings inside overrides are validated like top-level ones", () => {
    expect(problems({ overrides: [{ where: { county: "禄劝县" }, streakMonths: 0, rigidExpense: { medical: -1 }, yellowFactor: 0.5, source: 7 }] })).toEqual([
      "overrides[0].streakMonths: must be a whole number from 1 to 12 (got 0)",
      "overrides[0].rigidExpense.medical: must not be negative (got -1)",
      "overrides[0].yellowFactor: must be ≥ 1 (got 0.5)",
      "overrides[0].source: must be a string (got 7)",
    ]);
  });

  it("collects every problem at once, in file order", () => {
    expect(
      problems({
        name: "测试",
        yellowFactor: 0.8,
        streakMonths: 13,
        rigidExpense: { medical: -5, dental: 1 },
        colour: "red",
        overrides: [
          { monitoringLine: 8700 },
          { where: { provnce: "云南省" }, from: "2025/01" },
        ],
      }),
    ).toEqual([
      "yellowFactor: must be ≥ 1 (got 0.8)",
      "streakMonths: must be a whole number from 1 to 12 (got 13)",
      "rigidExpense.medical: must not be negative (got -5)",
      "rigidExpense.dental: unknown key",
      "colour: unknown key",
      'overrides[0]: has no "where"',
      "overrides[1].where.provnce: unknown key",
      'overrides[1].from: must be a month written YYYY-MM, e.g. "2025-01" (got string "2025/01")',
    ]);
  });
});

describe("normalizeRegionName", () => {
  it.each([
    ["云南省", "云南省"],
    [" 云南 省 ", "云南省"],
    ["云南\u3000省", "云南省"],
    ["云南\u00a0省\t\n", "云南省"],
  ])("%j → %j", (input, output) => {
    expect(normalizeRegionName(input)).toBe(output);
  });
});
