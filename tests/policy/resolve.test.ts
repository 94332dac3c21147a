import { describe, expect, it } from "vitest";
import type { Region } from "../../src/model/index.js";
import { parseMonth } from "../../src/model/month.js";
import { DEFAULT_POLICY, DEFAULT_SETTINGS } from "../../src/policy/defaults.js";
import { normalizePolicy } from "../../src/policy/normalize.js";
import { createSettingsResolver, settingsFor } from "../../src/policy/resolve.js";
import type { Policy } from "../../src/policy/types.js";

function policyOf(raw: unknown): Policy {
  const { policy, errors } = normalizePolicy(raw);
  expect(errors).toEqual([]);
  return policy!;
}

const P = (text: string) => parseMonth(text)!;

/** A household in 云南省 昆明市 禄劝彝族苗族自治县 屏山街道 中村, code 530128100201. */
const LUQUAN: Region = {
  province: "云南省",
  city: "昆明市",
  county: "禄劝彝族苗族自治县",
  township: "屏山街道",
  village: "中村",
  regionCode: "530128100201",
};

describe("settingsFor", () => {
  it("without overrides gives the base settings and applies nothing", () => {
    expect(settingsFor(DEFAULT_POLICY, LUQUAN, P("2026-10"))).toEqual({ settings: DEFAULT_SETTINGS, applied: [] });
  });

  it("applies policy.md's example to a Yunnan household in 2025 (both overrides)", () => {
    const policy = policyOf({
      overrides: [
        { where: { province: "云南省" }, from: "2025-01", monitoringLine: 8700 },
        { where: { codePrefix: "530" }, from: "2025-01", to: "2025-12", rigidExpense: { medical: 8000 } },
      ],
    });
    const { settings, applied } = settingsFor(policy, LUQUAN, P("2025-06"));
    expect(applied).toEqual([0, 1]);
    expect(settings.monitoringLine).toBe(8700);
    expect(settings.rigidExpense).toEqual({ medical: 8000, education: 10000, disaster: 10000, accident: 10000, incomeShare: 0.5 });
    expect(settings.povertyLine).toBe(4000);
  });

  it("county beats province regardless of file order", () => {
    const countyFirst = policyOf({
      overrides: [
        { where: { county: "禄劝彝族苗族自治县" }, monitoringLine: 9000 },
        { where: { province: "云南省" }, monitoringLine: 8700 },
      ],
    });
    const provinceFirst = policyOf({
      overrides: [
        { where: { province: "云南省" }, monitoringLine: 8700 },
        { where: { county: "禄劝彝族苗族自治县" }, monitoringLine: 9000 },
      ],
    });
    expect(settingsFor(countyFirst, LUQUAN, P("2026-10"))).toMatchObject({ applied: [1, 0], settings: { monitoringLine: 9000 } });
    expect(settingsFor(provinceFirst, LUQUAN, P("2026-10"))).toMatchObject({ applied: [0, 1], settings: { monitoringLine: 9000 } });
  });

  it("at the same rank the later override in the file wins", () => {
    const policy = policyOf({
      overrides: [
        { where: { province: "云南省" }, monitoringLine: 8700 },
        { where: { province: "云南省" }, monitoringLine: 8800 },
      ],
    });
    expect(settingsFor(policy, LUQUAN, P("2026-10"))).toMatchObject({ applied: [0, 1], settings: { monitoringLine: 8800 } });
  });

  it("a 6-digit codePrefix ranks as a county and beats a city name", () => {
    const policy = policyOf({
      overrides: [
        { where: { codePrefix: "530128" }, monitoringLine: 9100 },
        { where: { city: "昆明市" }, monitoringLine: 8900 },
      ],
    });
    expect(settingsFor(policy, LUQUAN, P("2026-10"))).toMatchObject({ applied: [1, 0], settings: { monitoringLine: 9100 } });
  });

  it("a township name beats a 6-digit codePrefix (county rank) even though the prefix is longer", () => {
    const policy = policyOf({
      overrides: [
        { where: { township: "屏山街道" }, monitoringLine: 9300 },
        { where: { codePrefix: "530128" }, monitoringLine: 9100 },
      ],
    });
    expect(settingsFor(policy, LUQUAN, P("2026-10"))).toMatchObject({ applied: [1, 0], settings: { monitoringLine: 9300 } });
  });

  it("within a rank a longer codePrefix applies later (wins), whatever the file order", () => {
    const policy = policyOf({
      overrides: [
        { where: { codePrefix: "5301" }, monitoringLine: 9200 },
        { where: { codePrefix: "530" }, monitoringLine: 9100 },
      ],
    });
    expect(settingsFor(policy, LUQUAN, P("2026-10"))).toMatchObject({ applied: [1, 0], settings: { monitoringLine: 9200 } });
  });

  it("a where with several keys ranks by its most specific key", () => {
    const policy = policyOf({
      overrides: [
        { where: { province: "云南省", village: "中村" }, monitoringLine: 9500 },
        { where: { county: "禄劝彝族苗族自治县" }, monitoringLine: 9000 },
      ],
    });
    expect(settingsFor(policy, LUQUAN, P("2026-10"))).toMatchObject({ applied: [1, 0], settings: { monitoringLine: 9500 } });
  });

  it("every key of a where must match", () => {
    const policy = policyOf({ overrides: [{ where: { province: "云南省", county: "寻甸回族彝族自治县" }, monitoringLine: 9000 }] });
    expect(settingsFor(policy, LUQUAN, P("2026-10")).applied).toEqual([]);
  });

  it("nested settings of several overrides merge key by key", () => {
    const policy = policyOf({
      overrides: [
        { where: { province: "云南省" }, rigidExpense: { medical: 8000, education: 6000 } },
        { where: { county: "禄劝彝族苗族自治县" }, rigidExpense: { medical: 7000 } },
      ],
    });
    expect(settingsFor(policy, LUQUAN, P("2026-10")).settings.rigidExpense).toEqual({
      medical: 7000, education: 6000, disaster: 10000, accident: 10000, incomeShare: 0.5,
    });
  });

  it("compares names with all whitespace removed, on both sides", () => {
    const policy = policyOf({ overrides: [{ where: { county: "禄劝 彝族苗族自治县" }, monitoringLine: 9000 }] });
    const spaced: Region = { ...LUQUAN, county: "\u3000禄劝彝族苗族自治县 " };
    expect(settingsFor(policy, spaced, P("2026-10")).applied).toEqual([0]);
  });

  it.each([
    ["530128100201", [0]],
    ["530128", [0]],
    ["530", [0]],
    ["53", []],
    ["520128100201", []],
    [undefined, []],
  ])("codePrefix 530 against 行政区划代码 %s", (regionCode, applied) => {
    const policy = policyOf({ overrides: [{ where: { codePrefix: "530" }, monitoringLine: 9000 }] });
    const region: Region = { ...LUQUAN };
    if (regionCode === undefined) delete region.regionCode;
    else region.regionCode = regionCode;
    expect(settingsFor(policy, region, P("2026-10")).applied).toEqual(applied);
  });

  it("a household without the named region field does not match", () => {
    const policy = policyOf({ overrides: [{ where: { township: "屏山街道" }, monitoringLine: 9000 }] });
    expect(settingsFor(policy, { county: "禄劝彝族苗族自治县" }, P("2026-10")).applied).toEqual([]);
  });

  it.each([
    ["2024-12", []],
    ["2025-01", [0]],
    ["2025-06", [0]],
    ["2025-12", [0]],
    ["2026-01", []],
  ])("from 2025-01 to 2025-12 (inclusive) in period %s", (period, applied) => {
    const policy = policyOf({ overrides: [{ where: { province: "云南省" }, from: "2025-01", to: "2025-12", monitoringLine: 8700 }] });
    const resolved = settingsFor(policy, LUQUAN, P(period));
    expect(resolved.applied).toEqual(applied);
    expect(resolved.settings.monitoringLine).toBe(applied.length ? 8700 : 6000);
  });

  it.each([
    ["2024-12", []],
    ["2025-01", [0]],
    ["2099-12", [0]],
  ])("an open end (from 2025-01 only) in period %s", (period, applied) => {
    const policy = policyOf({ overrides: [{ where: { province: "云南省" }, from: "2025-01", monitoringLine: 8700 }] });
    expect(settingsFor(policy, LUQUAN, P(period)).applied).toEqual(applied);
  });

  it("never changes the policy it reads", () => {
    const policy = policyOf({ overrides: [{ where: { province: "云南省" }, rigidExpense: { medical: 1 } }] });
    settingsFor(policy, LUQUAN, P("2026-10"));
    expect(policy.rigidExpense.medical).toBe(10000);
  });
});

describe("createSettingsResolver", () => {
  const policy = policyOf({
    overrides: [
      { where: { province: "云南省" }, monitoringLine: 8700 },
      { where: { county: "禄劝彝族苗族自治县" }, streakMonths: 2 },
    ],
  });

  it("gives the same answer as settingsFor", () => {
    const resolve = createSettingsResolver(policy, P("2026-10"));
    expect(resolve(LUQUAN)).toEqual(settingsFor(policy, LUQUAN, P("2026-10")));
  });

  it("returns the identical object for the same region key", () => {
    const resolve = createSettingsResolver(policy, P("2026-10"));
    expect(resolve({ ...LUQUAN })).toBe(resolve({ ...LUQUAN }));
  });

  it("shares one settings object among regions the same overrides apply to", () => {
    const resolve = createSettingsResolver(policy, P("2026-10"));
    const a = resolve({ province: "云南省", county: "禄劝彝族苗族自治县", village: "中村" });
    const b = resolve({ province: "云南省", county: "禄劝彝族苗族自治县", village: "下村" });
    expect(a).toBe(b);
    expect(a).toEqual({ settings: { ...DEFAULT_SETTINGS, monitoringLine: 8700, streakMonths: 2 }, applied: [0, 1] });
  });

  it("gives households no override matches the base settings", () => {
    const resolve = createSettingsResolver(policy, P("2026-10"));
    expect(resolve({ province: "贵州省" })).toEqual({ settings: DEFAULT_SETTINGS, applied: [] });
    expect(resolve({})).toBe(resolve({ province: "四川省" }));
  });

  it("returns frozen results, so one household's rules cannot change another's", () => {
    const resolved = createSettingsResolver(policy, P("2026-10"))(LUQUAN);
    expect(Object.isFrozen(resolved.settings)).toBe(true);
    expect(Object.isFrozen(resolved.applied)).toBe(true);
  });
});
