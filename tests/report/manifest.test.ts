import { describe, expect, it } from "vitest";
import type { InputFile } from "../../src/model/dataset.js";
import { buildRejectsTable, buildRunManifest, policyToJson } from "../../src/report/manifest.js";
import type { RunCounts } from "../../src/report/summaryAccumulator.js";
import { P, POLICY } from "./builders.js";

const INPUTS: InputFile[] = [
  {
    path: "data/income.csv",
    sha256: "0f".repeat(32),
    size: 99,
    tables: [
      { file: "data/income.csv", sheet: "", kind: "income", encoding: "gb18030", headerRow: 3, columns: {}, ignored: [], counts: { read: 10, accepted: 7, rejected: 1, skipped: 1, duplicates: 1 }, firstRejects: [] },
    ],
  },
  {
    path: "data/a.xlsx",
    sha256: "1e".repeat(32),
    size: 5,
    tables: [{ file: "data/a.xlsx", sheet: "说明", kind: null, reason: "no columns", columns: {}, ignored: [], counts: { read: 0, accepted: 0, rejected: 0, skipped: 0, duplicates: 0 }, firstRejects: [] }],
  },
];

const COUNTS: RunCounts = {
  households: 6,
  persons: 15,
  listed: 4,
  byStatus: { new: 2, continuing: 1, suggest_elimination: 1 },
  byCategory: { 脱贫不稳定户: 1, 边缘易致贫户: 1, 突发严重困难户: 2 },
  byColor: { red: 1, orange: 1, yellow: 1, green: 1 },
  byTrigger: { STREAK: 1, MEDICAL: 1, EDUCATION: 1, DISASTER: 0, ACCIDENT: 0, INCOME_DROP: 1 },
};

describe("run.json", () => {
  const manifest = buildRunManifest({
    version: "0.1.0",
    command: "scan",
    period: P,
    policy: POLICY,
    inputs: INPUTS,
    counts: COUNTS,
    outputs: ["flagged.csv", "flagged.xlsx", "summary.xlsx", "rejects.csv", "run.json"],
    personalDataRevealed: false,
    startedAt: new Date("2026-11-02T01:00:00.000Z"),
    finishedAt: new Date("2026-11-02T01:00:02.500Z"),
  });

  it("has the keys of outputs.md in order", () => {
    expect(Object.keys(manifest)).toEqual([
      "tool", "version", "command", "period", "policy", "inputs", "counts", "outputs", "personalDataRevealed", "startedAt", "finishedAt", "durationMs",
    ]);
    expect(Object.keys(manifest.counts)).toEqual(["households", "persons", "listed", "byStatus", "byCategory", "byColor", "byTrigger"]);
  });

  it("is the exact JSON for a small run", () => {
    expect(JSON.parse(JSON.stringify(manifest))).toEqual({
      tool: "povwatch",
      version: "0.1.0",
      command: "scan",
      period: "2026-10",
      policy: {
        name: "测试省 2026",
        povertyLine: 4000,
        monitoringLine: 6000,
        yellowFactor: 1.2,
        streakMonths: 3,
        minMonthsForAnnual: 3,
        incomeDrop: { ratio: 0.5 },
        rigidExpense: { medical: 10000, education: 10000, disaster: 10000, accident: 10000, incomeShare: 0.5 },
        elimination: { stableMonths: 6, minMonitoredMonths: 6 },
        overrides: [{ where: { county: "甲县" }, from: "2026-01", source: "测农办〔2026〕1号", monitoringLine: 6500 }],
      },
      inputs: [
        {
          path: "data/income.csv",
          sha256: "0f".repeat(32),
          tables: [{ sheet: "", kind: "income", encoding: "gb18030", headerRow: 3, read: 10, accepted: 7, rejected: 1, skipped: 1, duplicates: 1 }],
        },
        {
          path: "data/a.xlsx",
          sha256: "1e".repeat(32),
          tables: [{ sheet: "说明", kind: null, encoding: null, headerRow: null, read: 0, accepted: 0, rejected: 0, skipped: 0, duplicates: 0 }],
        },
      ],
      counts: COUNTS,
      outputs: ["flagged.csv", "flagged.xlsx", "summary.xlsx", "rejects.csv", "run.json"],
      personalDataRevealed: false,
      startedAt: "2026-11-02T01:00:00.000Z",
      finishedAt: "2026-11-02T01:00:02.500Z",
      durationMs: 2500,
    });
  });

  it("the policy has the policy-file form and does not share objects with the Policy", () => {
    const json = policyToJson(POLICY);
    expect(Object.keys(json)).toEqual([
      "name", "povertyLine", "monitoringLine", "yellowFactor", "streakMonths", "minMonthsForAnnual", "incomeDrop", "rigidExpense", "elimination", "overrides",
    ]);
    expect(json.rigidExpense).not.toBe(POLICY.rigidExpense);
  });
});

describe("rejects.csv table", () => {
  const rejects = [
    {
      source: { file: "a.csv", sheet: "", row: 7 },
      kind: "members" as const,
      column: "证件号码",
      value: "130434********1234",
      code: "id_lost_digits",
      reasonZh: "证件号码以数字存储，位数已丢失",
      reasonEn: "ID number stored as a number; digits lost",
    },
  ];

  it.each([
    ["zh", ["文件", "工作表", "行", "列", "值", "原因", "原因（英文）"]],
    ["en", ["file", "sheet", "row", "column", "value", "reason_zh", "reason_en"]],
  ] as const)("has the columns file, sheet, row, column, value, both reasons (%s headers)", (lang, headers) => {
    const t = buildRejectsTable(rejects, lang);
    expect(t.columns.map((c) => c.header)).toEqual(headers);
    expect(t.rows).toEqual([["a.csv", null, 7, "证件号码", "130434********1234", "证件号码以数字存储，位数已丢失", "ID number stored as a number; digits lost"]]);
  });
});
