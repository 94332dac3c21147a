import { describe, expect, it } from "vitest";
import { hasRisk } from "../../src/audit/define.js";
import type { Household } from "../../src/model/index.js";

const household = (risks: unknown[]): Household => ({ id: "H1", risks: risks as string[], source: { file: "h.csv", sheet: "", row: 2 } });

describe("hasRisk", () => {
  it("finds a 致贫/返贫风险 written with blanks around it, and not a risk the household does not have", () => {
    const h = household([" 因病 ", "缺劳动力"]);
    expect(hasRisk(h, "因病")).toBe(true);
    expect(hasRisk(h, "缺劳动力")).toBe(true);
    expect(hasRisk(h, "因残")).toBe(false);
    expect(hasRisk(household([]), "因病")).toBe(false);
  });

  it("skips a value that is not text instead of failing (the audit must not crash on a reader's mistake)", () => {
    expect(hasRisk(household([3, null, "因学"]), "因学")).toBe(true);
    expect(hasRisk(household([3, null]), "因学")).toBe(false);
  });
});
