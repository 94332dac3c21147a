import { describe, expect, it } from "vitest";
import { evaluateHousehold, hasMissingRecentMonths } from "../../src/rules/evaluate.js";
import { linesFor } from "../../src/rules/lines.js";
import { endingAt, event, flat, history, member, mo, P, series, settings } from "./builders.js";

describe("evaluateHousehold", () => {
  it("gives the whole assessment of a household hit by a streak and a medical bill", () => {
    const h = history({
      household: { id: "0001", householdType: "脱贫户", size: 2, monitoringCategory: "脱贫不稳定户", risks: ["因残"] },
      members: [member({ health: "长期慢性病" }), member({ labourSkill: "技能劳动力" })],
      // per capita: 9 months 1000, then 400 × 3 → annualPc = (9000 + 1200) × 12 / 12 = 10200
      income: endingAt([...Array(9).fill(2000), 800, 800, 800]),
      events: [event("医疗", "2026-03", 8000), event("医疗", "2026-09", 4400), event("教育", "2026-09", 300)],
    });
    expect(evaluateHousehold(h, settings(), P)).toEqual({
      householdId: "0001",
      size: 2,
      lines: { annual: 6000, monthly: 500, poverty: 4000, yellow: 7200 },
      currentStreak: 3,
      longestStreak: 3,
      streakFirst: mo("2026-08"),
      streakLast: mo("2026-10"),
      recorded: 12,
      annualPc: 10200,
      annualSource: "monthly",
      medicalSelfPaid: 12400,
      educationExpense: 300,
      disasterLoss: 0,
      accidentLoss: 0,
      rigidExpenseTotal: 12700,
      incomeDropRatio: undefined,
      triggers: ["STREAK", "MEDICAL"],
      suggestedCategory: "突发严重困难户",
      color: "orange", // green base (10200 ≥ Y), raised by STREAK and by MEDICAL
      grade: "极易返贫",
      riskTypes: ["因病", "因残"],
      currentlyMonitored: true,
      currentCategory: "脱贫不稳定户",
      status: "continuing",
      categoryChange: "类别变化: 脱贫不稳定户→突发严重困难户",
      eliminationBlockers: [],
      explanation:
        "2026-08至2026-10连续3个月人均纯收入低于月监测标准500.00元；近12个月医疗自付12,400.00元（标准10,000.00元）；" +
        "类别变化: 脱贫不稳定户→突发严重困难户",
      noUsableSize: false,
      insufficientIncome: false,
      missingRecentMonths: false,
    });
  });

  it.each([
    // 12 months of size-1 data summing to annualPc; with a streak the last three months are 400
    { case: "annualPc 6500 → yellow", nets: [...Array(12).fill(6500 / 12)], events: [], color: "yellow" },
    { case: "annualPc 6500 with STREAK → orange", nets: [...Array(9).fill((6500 - 1200) / 9), 400, 400, 400], events: [], color: "orange" },
    {
      case: "annualPc 6500 with STREAK and MEDICAL → red",
      nets: [...Array(9).fill((6500 - 1200) / 9), 400, 400, 400],
      events: [event("医疗", "2026-01", 10000)],
      color: "red",
    },
    { case: "annualPc 9000 with MEDICAL only → yellow", nets: Array(12).fill(750), events: [event("医疗", "2026-01", 10000)], color: "yellow" },
  ])("the worked example of rules.md §8: $case", ({ nets, events, color }) => {
    const a = evaluateHousehold(history({ income: endingAt(nets), events }), settings(), P);
    expect(a.annualPc).toBeCloseTo(nets.reduce((s, x) => s + x, 0), 9);
    expect(a.color).toBe(color);
  });

  it("triggers are listed in TRIGGERS order", () => {
    const h = history({
      income: endingAt([2000, 2000, 2000, ...Array(9).fill(3000), 400, 400, 400]),
      events: [event("意外事故", "2026-01", 10000), event("教育", "2026-01", 10000), event("灾害", "2026-01", 10000), event("医疗", "2026-01", 10000)],
    });
    expect(evaluateHousehold(h, settings(), P).triggers).toEqual(["STREAK", "MEDICAL", "EDUCATION", "DISASTER", "ACCIDENT", "INCOME_DROP"]);
  });

  it("STREAK needs currentStreak ≥ policy.streakMonths", () => {
    const h = history({ income: endingAt([1000, 1000, 1000, 400, 400]) });
    expect(evaluateHousehold(h, settings({ streakMonths: 3 }), P).triggers).toEqual([]);
    expect(evaluateHousehold(h, settings({ streakMonths: 2 }), P).triggers).toEqual(["STREAK"]);
  });

  it("a household with no usable size: no pc rules, recorded 0, annualPc from 人均纯收入, expenditure triggers apply", () => {
    const h = history({
      household: { size: undefined, annualNetIncomePc: 7000 },
      income: endingAt([2000, 2000, 2000, ...Array(9).fill(100), 100, 100, 100]),
      events: [event("医疗", "2026-01", 10000)],
    });
    const a = evaluateHousehold(h, settings(), P);
    expect({
      size: a.size,
      currentStreak: a.currentStreak,
      longestStreak: a.longestStreak,
      recorded: a.recorded,
      annualPc: a.annualPc,
      annualSource: a.annualSource,
      incomeDropRatio: a.incomeDropRatio,
      triggers: a.triggers,
      noUsableSize: a.noUsableSize,
      insufficientIncome: a.insufficientIncome,
      missingRecentMonths: a.missingRecentMonths,
    }).toEqual({
      size: undefined,
      currentStreak: 0,
      longestStreak: 0,
      recorded: 0,
      annualPc: 7000,
      annualSource: "annual",
      incomeDropRatio: undefined,
      triggers: ["MEDICAL"],
      noUsableSize: true,
      insufficientIncome: false,
      missingRecentMonths: false,
    });
  });

  it("insufficient income data: only the expenditure triggers apply", () => {
    const h = history({ income: endingAt([100, 100]), events: [event("灾害", "2026-10", 10000)] });
    const a = evaluateHousehold(h, settings(), P);
    expect([a.annualPc, a.insufficientIncome, a.triggers, a.suggestedCategory, a.color]).toEqual([
      undefined,
      true,
      ["DISASTER"],
      "突发严重困难户",
      "yellow",
    ]);
  });

  it("a household with no income rows and no 人均纯收入 is in data quality but not listed", () => {
    const a = evaluateHousehold(history(), settings(), P);
    expect([a.status, a.insufficientIncome, a.missingRecentMonths, a.recorded, a.color, a.grade]).toEqual([
      undefined,
      true,
      true,
      0,
      "green",
      "稳定",
    ]);
  });

  it("gives the risk types and the explanation of a listed household only (nothing reports them for the others)", () => {
    const parts = { household: { size: 2, risks: ["因残"] }, members: [member({ labourSkill: "无劳动力" }), member({ labourSkill: "无劳动力" })] };
    const unlisted = evaluateHousehold(history({ ...parts, income: flat(2000) }), settings(), P);
    expect([unlisted.status, unlisted.riskTypes, unlisted.explanation]).toEqual([undefined, [], ""]);
    // The same household with low income: listed, with 缺劳动力 (no member has labour) and its own 因残.
    const listed = evaluateHousehold(history({ ...parts, income: flat(400) }), settings(), P);
    expect([listed.status, listed.riskTypes]).toEqual(["new", ["缺劳动力", "因残"]]);
    expect(listed.explanation).not.toBe("");
  });

  it("uses the settings it is given (an override's monitoring line)", () => {
    const h = history({ income: flat(700) }); // annualPc 8400
    expect(evaluateHousehold(h, settings(), P).suggestedCategory).toBe(undefined);
    const a = evaluateHousehold(h, settings({ monitoringLine: 8700 }), P);
    expect([a.suggestedCategory, a.lines]).toEqual(["边缘易致贫户", linesFor(settings({ monitoringLine: 8700 }))]);
  });

  it("is pure: it changes nothing it is given, and a copy of the input gives an equal assessment", () => {
    const h = history({ income: flat(450), events: [event("医疗", "2026-01", 20000)] });
    const before = structuredClone(h);
    const a = evaluateHousehold(h, settings(), P);
    expect(h).toEqual(before);
    expect(evaluateHousehold(structuredClone(before), settings(), P)).toEqual(a);
    expect(a.triggers).toEqual(["STREAK", "MEDICAL"]);
  });
});

describe("missing recent months (data quality)", () => {
  it.each([
    { case: "P − 2 … P all recorded", nets: [1, 1, 1], missing: false },
    { case: "P − 2 missing", nets: [null, 1, 1], missing: true },
    { case: "P − 1 missing", nets: [1, null, 1], missing: true },
    { case: "P missing", nets: [1, 1, null], missing: true },
    { case: "no records", nets: [], missing: true },
  ])("$case → $missing", ({ nets, missing }) => {
    expect(hasMissingRecentMonths(series(endingAt(nets)), P)).toBe(missing);
  });
});
