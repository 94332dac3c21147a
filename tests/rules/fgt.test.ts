import { describe, expect, it } from "vitest";
import { createFgtAccumulator } from "../../src/rules/fgt.js";

describe("FGT poverty indices (rules.md §13)", () => {
  it("a hand-computed example, person-weighted", () => {
    // z = 6000: household A 3000 × 2 persons (gap 0.5), B 4500 × 1 (gap 0.25), C 6000 × 3 (not poor: strictly less),
    // D 9000 × 2 (not poor). persons 8; P0 = 3/8; P1 = (2·0.5 + 0.25)/8 = 0.15625; P2 = (2·0.25 + 0.0625)/8 = 0.0703125
    const fgt = createFgtAccumulator();
    fgt.add(3000, 6000, 2);
    fgt.add(4500, 6000, 1);
    fgt.add(6000, 6000, 3);
    fgt.add(9000, 6000, 2);
    expect(fgt.result()).toEqual({ p0: 0.375, p1: 0.15625, p2: 0.0703125, persons: 8 });
  });

  it("each household may have its own line z", () => {
    const fgt = createFgtAccumulator();
    fgt.add(5000, 8000, 1); // gap 0.375
    fgt.add(5000, 4000, 1); // not poor
    expect(fgt.result()).toEqual({ p0: 0.5, p1: 0.1875, p2: 0.0703125, persons: 2 });
  });

  it.each([
    { case: "unknown income", annualPc: undefined, line: 6000, weight: 2 },
    { case: "NaN income", annualPc: NaN, line: 6000, weight: 2 },
    { case: "unknown size", annualPc: 3000, line: 6000, weight: undefined },
    { case: "weight 0", annualPc: 3000, line: 6000, weight: 0 },
    { case: "line 0", annualPc: 3000, line: 0, weight: 2 },
  ])("a household with $case is left out", ({ annualPc, line, weight }) => {
    const fgt = createFgtAccumulator();
    fgt.add(annualPc, line, weight);
    fgt.add(9000, 6000, 1);
    expect(fgt.result()).toEqual({ p0: 0, p1: 0, p2: 0, persons: 1 });
  });

  it("an empty group has persons 0 and indices 0", () => {
    expect(createFgtAccumulator().result()).toEqual({ p0: 0, p1: 0, p2: 0, persons: 0 });
  });

  it("a negative income has a gap above 1 (no cap, as svyfgt)", () => {
    const fgt = createFgtAccumulator();
    fgt.add(-3000, 6000, 1);
    expect(fgt.result()).toEqual({ p0: 1, p1: 1.5, p2: 2.25, persons: 1 });
  });
});
