import { describe, expect, it } from "vitest";
import { roundTo } from "../../src/report/labels.js";

// toFixed's rounding (half away from zero on the exact binary value), −0 as 0, non-finite as undefined: the reference
// for roundTo's shortcut on whole numbers.
function reference(value: number, digits: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  const r = Number(value.toFixed(digits));
  return r === 0 ? 0 : r;
}

describe("roundTo", () => {
  it("rounds as toFixed does, never gives −0, NaN or Infinity", () => {
    expect(roundTo(1.005, 2)).toBe(1); // 1.005 is 1.00499999… in binary
    expect(roundTo(2.675, 2)).toBe(2.67);
    expect(roundTo(-0.0001, 2)).toBe(0);
    expect(Object.is(roundTo(-0, 2), 0)).toBe(true);
    expect(Object.is(roundTo(-0.001, 2), 0)).toBe(true);
    expect(roundTo(12000, 2)).toBe(12000);
    expect(roundTo(0.12345, 4)).toBe(0.1235);
    expect(roundTo(Number.NaN, 2)).toBeUndefined();
    expect(roundTo(Number.POSITIVE_INFINITY, 2)).toBeUndefined();
  });

  it("agrees with toFixed on 50,000 whole and fractional amounts, large and small, both signs", () => {
    let seed = 11;
    const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const special = [0, -0, 1e21, -1e21, 2 ** 53, -(2 ** 53), 1e22, 123456789012345680000];
    for (const v of special) for (const d of [2, 4]) expect(Object.is(roundTo(v, d), reference(v, d)), String(v)).toBe(true);
    for (let i = 0; i < 50_000; i++) {
      const scale = 10 ** Math.floor(rand() * 12 - 3);
      let v = (rand() - 0.3) * scale;
      if (i % 3 === 0) v = Math.round(v);
      const d = i % 2 === 0 ? 2 : 4;
      expect(Object.is(roundTo(v, d), reference(v, d)), `${v} ${d}`).toBe(true);
    }
  });
});
