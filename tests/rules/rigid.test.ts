import { describe, expect, it } from "vitest";
import { evaluateRigidExpenses, rigidBasis } from "../../src/rules/rigid.js";
import { evaluateHousehold } from "../../src/rules/evaluate.js";
import { event, flat, history, household, P, settings } from "./builders.js";

describe("rigid-expenditure triggers (rules.md §5)", () => {
  it.each([
    { case: "just below the amount, no income known", sum: 9999.99, net: undefined, basis: undefined },
    { case: "at the amount", sum: 10000, net: undefined, basis: "amount" },
    { case: "above the amount", sum: 10000.01, net: undefined, basis: "amount" },
    { case: "at incomeShare × householdAnnualNet", sum: 5000, net: 10000, basis: "incomeShare" },
    { case: "just below incomeShare × householdAnnualNet", sum: 4999.99, net: 10000, basis: undefined },
    { case: "householdAnnualNet 0 is not used", sum: 1, net: 0, basis: undefined },
    { case: "both tests hold: the amount is reported", sum: 12000, net: 10000, basis: "amount" },
    { case: "a zero sum never triggers", sum: 0, net: 10000, basis: undefined },
  ])("$case → $basis", ({ sum, net, basis }) => {
    expect(rigidBasis(sum, 10000, 0.5, net)).toBe(basis);
  });

  it("sums events dated inside W by type; other types and events outside W count for nothing", () => {
    const events = [
      event("医疗", "2025-11", 3000), // first month of W
      event("医疗", "2026-10", 4000), // P
      event("医疗", "2025-10", 50000), // before W
      event("医疗", "2026-11", 50000), // after P
      event("教育", "2026-03", 2500),
      event("灾害", "2026-04", 700),
      event("意外事故", "2026-05", 800),
      event("意外事故", "2026-06", 200),
      event("残疾", "2026-05", 90000),
      event("失业", "2026-05", 90000),
      event("其他", "2026-05", 90000),
    ];
    const r = evaluateRigidExpenses(household(), events, settings(), P, undefined);
    expect(r).toEqual({
      medical: 7000,
      medicalSource: "events",
      education: 2500,
      disaster: 700,
      accident: 1000,
      medicalBasis: undefined,
      educationBasis: undefined,
      disasterBasis: undefined,
      accidentBasis: undefined,
    });
  });

  it("each type has its own amount and the same incomeShare", () => {
    const s = settings({ rigidExpense: { medical: 100, education: 200, disaster: 300, accident: 400, incomeShare: 0.1 } });
    const events = [event("医疗", "2026-01", 100), event("教育", "2026-01", 199), event("灾害", "2026-01", 150), event("意外事故", "2026-01", 400)];
    const r = evaluateRigidExpenses(household(), events, s, P, 1500);
    expect([r.medicalBasis, r.educationBasis, r.disasterBasis, r.accidentBasis]).toEqual(["amount", "incomeShare", "incomeShare", "amount"]);
  });

  it("合规自付支出 is the medical sum when no medical event is dated inside W", () => {
    const r = evaluateRigidExpenses(household({ compliantSelfPaid: 12000 }), [event("医疗", "2025-01", 1)], settings(), P, undefined);
    expect([r.medical, r.medicalSource, r.medicalBasis]).toEqual([12000, "compliant", "amount"]);
  });

  it("a medical event inside W wins over 合规自付支出", () => {
    const r = evaluateRigidExpenses(household({ compliantSelfPaid: 12000 }), [event("医疗", "2026-01", 500)], settings(), P, undefined);
    expect([r.medical, r.medicalSource, r.medicalBasis]).toEqual([500, "events", undefined]);
  });

  it("householdAnnualNet = annualPc × size(h): MEDICAL at incomeShare of it", () => {
    // size 2, 2000 a month → annualPc 12000, householdAnnualNet 24000, half of it 12000 (amount set out of reach)
    const s = settings({ rigidExpense: { medical: 50000 } });
    const at = evaluateHousehold(history({ household: { size: 2 }, income: flat(2000), events: [event("医疗", "2026-05", 12000)] }), s, P);
    const below = evaluateHousehold(history({ household: { size: 2 }, income: flat(2000), events: [event("医疗", "2026-05", 11999.99)] }), s, P);
    expect(at.annualPc).toBe(12000);
    expect(at.triggers).toEqual(["MEDICAL"]);
    expect(at.medicalSelfPaid).toBe(12000);
    expect(below.triggers).toEqual([]);
  });

  it("no usable size: only the amount test applies (householdAnnualNet unknown)", () => {
    const h = history({ household: { size: undefined, annualNetIncomePc: 1000 }, events: [event("医疗", "2026-05", 9000)] });
    const a = evaluateHousehold(h, settings(), P);
    expect(a.size).toBe(undefined);
    expect(a.triggers).toEqual([]);
  });
});
