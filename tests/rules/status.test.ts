import { describe, expect, it } from "vitest";
import { evaluateHousehold } from "../../src/rules/evaluate.js";
import { linesFor } from "../../src/rules/lines.js";
import { BLOCKER, eliminationBlockers, isCurrentlyMonitored, type EliminationEvidence } from "../../src/rules/status.js";
import type { Household } from "../../src/model/index.js";
import { endingAt, event, flat, history, household, member, mo, P, settings } from "./builders.js";

type Parts = Parameters<typeof history>[0];

/**
 * A monitored 边缘易致贫户 identified 2026-04 (6 months before P), 600 a month for 12 months (annualPc 7200 ≥ L,
 * every month ≥ l = 500), one member with labour: everything allows elimination.
 */
function eliminable(change: Parts = {}): Parts {
  return {
    household: { monitoringCategory: "边缘易致贫户", riskEliminated: false, identifiedMonth: mo("2026-04"), ...change.household },
    members: change.members ?? [member()],
    income: change.income ?? flat(600),
    events: change.events ?? [],
  };
}

describe("currently monitored (rules.md §11)", () => {
  it.each([
    { case: "category, 风险是否已消除 否", fields: { monitoringCategory: "边缘易致贫户", riskEliminated: false }, monitored: true },
    { case: "category, 风险是否已消除 blank", fields: { monitoringCategory: "脱贫不稳定户" }, monitored: true },
    { case: "category, 风险是否已消除 是", fields: { monitoringCategory: "边缘易致贫户", riskEliminated: true }, monitored: false },
    { case: "no category", fields: {}, monitored: false },
    { case: "blank category", fields: { monitoringCategory: "  " }, monitored: false },
  ] as { case: string; fields: Partial<Household>; monitored: boolean }[])("$case → $monitored", ({ fields, monitored }) => {
    expect(isCurrentlyMonitored(household(fields))).toBe(monitored);
  });
});

describe("status (rules.md §11)", () => {
  it("a suggested category and not monitored → new", () => {
    const a = evaluateHousehold(history({ income: flat(400) }), settings(), P);
    expect([a.status, a.suggestedCategory, a.currentCategory, a.categoryChange]).toEqual(["new", "边缘易致贫户", undefined, undefined]);
  });

  it("a household whose risk was eliminated is new again, with no current category", () => {
    const h = history({ household: { monitoringCategory: "边缘易致贫户", riskEliminated: true }, income: flat(400) });
    const a = evaluateHousehold(h, settings(), P);
    expect([a.status, a.currentlyMonitored, a.currentCategory]).toEqual(["new", false, undefined]);
  });

  it("a suggested category and monitored in the same category → continuing, no change note", () => {
    const a = evaluateHousehold(history(eliminable({ income: flat(400) })), settings(), P);
    expect([a.status, a.currentCategory, a.categoryChange, a.eliminationBlockers]).toEqual(["continuing", "边缘易致贫户", undefined, []]);
  });

  it("a different suggested category → continuing with the category change note", () => {
    const a = evaluateHousehold(history(eliminable({ events: [event("医疗", "2026-06", 12400)] })), settings(), P);
    expect([a.status, a.suggestedCategory, a.categoryChange]).toEqual(["continuing", "突发严重困难户", "类别变化: 边缘易致贫户→突发严重困难户"]);
  });

  it("no suggested category and not monitored → not listed", () => {
    const a = evaluateHousehold(history({ income: flat(600) }), settings(), P);
    expect([a.status, a.explanation, a.eliminationBlockers]).toEqual([undefined, "", []]);
  });

  it("no suggested category, monitored, every condition met → suggest_elimination", () => {
    const a = evaluateHousehold(history(eliminable()), settings(), P);
    expect([a.status, a.eliminationBlockers]).toEqual(["suggest_elimination", []]);
  });

  it.each([
    { case: "a month of the last 6 just below l", parts: eliminable({ income: endingAt([...Array(9).fill(600), 499.99, 600, 600]) }), blocker: "收入稳定不足6个月" },
    { case: "a month of the last 6 missing", parts: eliminable({ income: endingAt([...Array(8).fill(600), null, 600, 600, 600]) }), blocker: "收入稳定不足6个月" },
    { case: "P missing", parts: eliminable({ income: endingAt([...Array(11).fill(600), null]) }), blocker: "收入稳定不足6个月" },
    { case: "识别监测时间 unknown", parts: eliminable({ household: { identifiedMonth: undefined } }), blocker: "识别监测时间未知" },
    { case: "identified 5 months before P", parts: eliminable({ household: { identifiedMonth: mo("2026-05") } }), blocker: "监测不足6个月" },
    { case: "整户无劳动能力兜底保障户 = 是", parts: eliminable({ household: { noLabourHousehold: true } }), blocker: "无劳动能力户暂不消除" },
    { case: "members known, none has labour", parts: eliminable({ members: [member({ labourSkill: "弱劳动力或半劳动力" }), member({ labourSkill: "" })] }), blocker: "无劳动能力户暂不消除" },
  ])("elimination blocked by one condition: $case → continuing, $blocker", ({ parts, blocker }) => {
    const a = evaluateHousehold(history(parts), settings(), P);
    expect([a.status, a.suggestedCategory, a.eliminationBlockers]).toEqual(["continuing", undefined, [blocker]]);
  });

  it("elimination blocked by unknown annual income (6 records, minMonthsForAnnual 7, no 人均纯收入)", () => {
    const a = evaluateHousehold(history(eliminable({ income: endingAt(Array(6).fill(600)) })), settings({ minMonthsForAnnual: 7 }), P);
    expect([a.status, a.annualPc, a.eliminationBlockers]).toEqual(["continuing", undefined, ["年人均纯收入未知"]]);
  });

  it("members unknown and 整户无劳动能力兜底保障户 not 是: not a no-labour household", () => {
    const a = evaluateHousehold(history(eliminable({ members: [] })), settings(), P);
    expect(a.status).toBe("suggest_elimination");
  });

  it("the policy's elimination months are used", () => {
    const s = settings({ elimination: { stableMonths: 2, minMonitoredMonths: 12 } });
    const a = evaluateHousehold(history(eliminable({ income: endingAt([...Array(9).fill(600), 450, 600, 600]) })), s, P);
    expect(a.eliminationBlockers).toEqual(["监测不足12个月"]);
  });

  it("all blockers at once, in their fixed order", () => {
    expect(eliminationBlockers(evidence({ stableIncome: false, annualPc: 5000, triggers: ["MEDICAL"], identifiedMonth: P, noLabourHousehold: true }))).toEqual([
      "收入稳定不足6个月",
      "年人均纯收入低于监测标准",
      "存在刚性支出或收入骤减预警",
      "监测不足6个月",
      "无劳动能力户暂不消除",
    ]);
  });

  it.each([
    { case: "annualPc below L", change: { annualPc: 5999.99 }, blockers: [BLOCKER.annualBelowLine] },
    { case: "annualPc at L", change: { annualPc: 6000 }, blockers: [] },
    { case: "a rigid trigger", change: { triggers: ["DISASTER"] }, blockers: [BLOCKER.riskSignal] },
    { case: "INCOME_DROP", change: { triggers: ["INCOME_DROP"] }, blockers: [BLOCKER.riskSignal] },
    { case: "monitored exactly minMonitoredMonths", change: { identifiedMonth: P - 6 }, blockers: [] },
    { case: "monitored one month less", change: { identifiedMonth: P - 5 }, blockers: ["监测不足6个月"] },
  ] as { case: string; change: Partial<EliminationEvidence>; blockers: string[] }[])("eliminationBlockers: $case", ({ change, blockers }) => {
    expect(eliminationBlockers(evidence(change))).toEqual(blockers);
  });
});

function evidence(change: Partial<EliminationEvidence>): EliminationEvidence {
  return {
    stableIncome: true,
    stableMonths: 6,
    annualPc: 7000,
    lines: linesFor(settings()),
    triggers: [],
    identifiedMonth: P - 6,
    minMonitoredMonths: 6,
    period: P,
    noLabourHousehold: false,
    ...change,
  };
}
