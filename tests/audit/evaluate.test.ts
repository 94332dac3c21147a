import { describe, expect, it } from "vitest";
import {
  countFindingsByRule,
  countFindingsBySeverity,
  evaluateAudit,
  evaluateAuditInSteps,
  parseRuleSelection,
} from "../../src/audit/evaluate.js";
import type { Finding } from "../../src/audit/finding.js";
import { AUDIT_RULES, RULE_CODES } from "../../src/audit/rules.js";
import { UserError } from "../../src/model/errors.js";
import { ID, buildDataset, couple, household, m, member, where } from "./builders.js";

/** A tidy monitored household with two members, income for 2026-08 … 2026-10 and a medical event. */
function cleanParts() {
  return {
    households: [
      household("H1", {
        size: 2,
        monitoringCategory: "边缘易致贫户",
        identifiedMonth: m("2026-01"),
        risks: ["因病"],
        compliantSelfPaid: 5000,
        annualNetIncomePc: 6500,
      }),
      household("H2", {
        size: 1,
        monitoringCategory: "脱贫不稳定户",
        identifiedMonth: m("2025-01"),
        riskEliminated: true,
        eliminatedMonth: m("2025-09"),
        eliminationMethod: "帮扶消除",
      }),
    ],
    members: [...couple("H1"), member("H2", { relation: "户主", sex: "男", idNumber: ID.male1988, birthDate: "1988-08-08" })],
    income: [
      ["H1", "2026-08", 1100],
      ["H1", "2026-09", 1100],
      ["H1", "2026-10", 1100],
    ] as [string, string, number][],
  };
}

describe("evaluateAudit", () => {
  it("finds nothing in a tidy dataset, with every rule enabled", () => {
    expect(evaluateAudit(buildDataset(cleanParts()))).toEqual([]);
  });

  it("orders findings by rule, then file, sheet and row", () => {
    const parts = cleanParts();
    const dataset = buildDataset({
      ...parts,
      households: [household("H1", { ...parts.households[0], size: 3 }), { ...parts.households[1]!, eliminatedMonth: undefined }],
      members: [
        member("H1", { relation: "户主", sex: "男", idNumber: "130434199001011235", source: { file: "b.xlsx", sheet: "成员", row: 9 } }),
        member("H1", { relation: "配偶", sex: "女", idNumber: "130434199202021245", source: { file: "b.xlsx", sheet: "成员", row: 4 } }),
        member("H2", { relation: "户主", idNumber: "130434900101123", source: { file: "a.csv", sheet: "", row: 12 } }),
      ],
    });
    const findings = evaluateAudit(dataset);
    expect(findings.map((f) => `${f.rule} ${where(f)}`)).toEqual([
      "Q001 b.xlsx:4 H1 130434********1245",
      "Q001 b.xlsx:9 H1 130434********1235",
      "Q005 households.csv:2 H1",
      "Q012 households.csv:3 H2",
      "Q018 a.csv:12 H2 130434*****1123",
    ]);
  });

  it("runs only the enabled rules", () => {
    const parts = cleanParts();
    const dataset = buildDataset({ ...parts, households: [household("H1", { ...parts.households[0], size: 21 })] });
    expect(evaluateAudit(dataset).map((f) => f.rule)).toEqual(["Q005", "Q016"]);
    expect(evaluateAudit(dataset, { rules: ["Q016"] }).map((f) => f.rule)).toEqual(["Q016"]);
    expect(evaluateAudit(dataset, { rules: [] })).toEqual([]);
  });

  it("defaults the period to the latest income month (Q015), and takes the one given", () => {
    // H1 has income in 2026-08 and 2026-10 only: the default period 2026-10 finds 2026-09 missing.
    const parts = cleanParts();
    const dataset = buildDataset({ ...parts, income: parts.income.filter(([, month]) => month !== "2026-09") });
    expect(evaluateAudit(dataset, { rules: ["Q015"] }).map((f) => f.messageZh)).toEqual(["监测户缺少2026-09的收入记录"]);
    expect(evaluateAudit(dataset, { rules: ["Q015"], period: m("2026-12") }).map((f) => f.messageZh)).toEqual([
      "监测户缺少2026-11、2026-12的收入记录",
    ]);
  });

  it("carries the household's county, township and village on each finding", () => {
    const dataset = buildDataset({ households: [household("H1", { size: 0, county: "甲县", township: "乙镇", village: "丙村" })] });
    const [f] = evaluateAudit(dataset);
    expect([f!.county, f!.township, f!.village]).toEqual(["甲县", "乙镇", "丙村"]);
  });
});

describe("the rules table", () => {
  it("holds Q001 … Q018 in order with the severities of audit.md", () => {
    expect(AUDIT_RULES.map((r) => `${r.code} ${r.severity}`)).toEqual([
      "Q001 error",
      "Q002 error",
      "Q003 error",
      "Q004 warning",
      "Q005 warning",
      "Q006 warning",
      "Q007 warning",
      "Q008 warning",
      "Q009 warning",
      "Q010 warning",
      "Q011 warning",
      "Q012 error",
      "Q013 warning",
      "Q014 note",
      "Q015 note",
      "Q016 error",
      "Q017 warning",
      "Q018 note",
    ]);
  });

  it("has titles short enough for a sheet name `Qnnn title` (31 characters) without characters Excel forbids", () => {
    for (const r of AUDIT_RULES) {
      for (const title of [r.titleZh, r.titleEn]) {
        expect(`${r.code} ${title}`.length).toBeLessThanOrEqual(31);
        expect(title).not.toMatch(/[[\]:*?/\\]/);
      }
    }
  });
});

describe("parseRuleSelection", () => {
  it.each([
    ["Q001,Q002", ["Q001", "Q002"]],
    ["Q002, q001", ["Q001", "Q002"]],
    ["Q018", ["Q018"]],
    ["-Q008,-Q014", RULE_CODES.filter((c) => c !== "Q008" && c !== "Q014")],
    ["-q018", RULE_CODES.slice(0, 17)],
    ["Q001,Q002,-Q002", ["Q001"]],
    ["Q003，Q004", ["Q003", "Q004"]],
  ])("%j enables %j", (text, codes) => {
    expect(parseRuleSelection(text)).toEqual(codes);
  });

  it("names every unknown code and exits 2", () => {
    let error: unknown;
    try {
      parseRuleSelection("Q001,Q099,-Q8");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect((error as UserError).code).toBe("unknown_rule");
    expect((error as UserError).message).toBe(
      '--rules: unknown rule codes "Q099", "-Q8"; expected Q001…Q018, optionally with a leading "-" to switch one off (see --list-rules)',
    );
  });

  it("refuses an empty list with exit 2", () => {
    expect(() => parseRuleSelection(" , ")).toThrow(expect.objectContaining({ code: "empty_rules", exitCode: 2 }));
  });
});

describe("counts", () => {
  const f = (rule: string, severity: Finding["severity"]): Finding => ({
    rule,
    severity,
    householdId: "H1",
    source: { file: "a.csv", sheet: "", row: 2 },
    messageZh: "",
    messageEn: "",
  });
  const findings = [f("Q001", "error"), f("Q001", "error"), f("Q014", "note")];

  it("countFindingsByRule lists every rule code, 0 where nothing was found", () => {
    const counts = countFindingsByRule(findings);
    expect(Object.keys(counts)).toEqual([...RULE_CODES]);
    expect(counts.Q001).toBe(2);
    expect(counts.Q014).toBe(1);
    expect(counts.Q002).toBe(0);
  });

  it("countFindingsByRule restricts to the codes given", () => {
    expect(countFindingsByRule(findings, ["Q001", "Q002"])).toEqual({ Q001: 2, Q002: 0, Q014: 1 });
  });

  it("countFindingsBySeverity always has error, warning and note", () => {
    expect(countFindingsBySeverity(findings)).toEqual({ error: 2, warning: 0, note: 1 });
    expect(countFindingsBySeverity([])).toEqual({ error: 0, warning: 0, note: 0 });
  });
});

describe("evaluateAuditInSteps (check: Ctrl-C within a second on a province)", () => {
  /** Five households with a finding each (家庭人口数 21: Q016), and one only the members data has. */
  function sixHouseholds() {
    const parts = cleanParts();
    return buildDataset({
      ...parts,
      households: ["H1", "H2", "H3", "H4", "H5"].map((id) => household(id, { size: 21 })),
      members: [...parts.members, member("H9", { relation: "户主", idNumber: "130434900101123" })],
    });
  }

  it("gives evaluateAudit's findings, awaiting the checkpoint every `step` households (6 households, step 2: 3 times)", async () => {
    const dataset = sixHouseholds();
    let checkpoints = 0;
    const findings = await evaluateAuditInSteps(dataset, {}, async () => void checkpoints++, 2);
    expect(findings).toEqual(evaluateAudit(dataset));
    expect(findings.filter((f) => f.rule === "Q016")).toHaveLength(5);
    expect(checkpoints).toBe(3);
  });

  it("stops with the checkpoint's error (an interrupt) before the audit is over", async () => {
    let checkpoints = 0;
    const interrupted = new UserError("interrupted", "interrupted by SIGINT");
    const run = evaluateAuditInSteps(sixHouseholds(), {}, async () => {
      if (++checkpoints === 2) throw interrupted;
    }, 2);
    await expect(run).rejects.toBe(interrupted);
    expect(checkpoints).toBe(2);
  });
});
