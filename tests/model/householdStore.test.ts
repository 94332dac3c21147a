import { describe, expect, it } from "vitest";
import { HouseholdStore, householdFieldIndex } from "../../src/model/householdStore.js";

const f = (name: string) => householdFieldIndex(name);

describe("HouseholdStore", () => {
  it("gives back every field as set, empty ones as undefined, in one object shape", () => {
    const s = new HouseholdStore();
    const { index: i, created } = s.indexOrCreate("0001", { file: "h.csv", sheet: "", row: 3 });
    expect(created).toBe(true);
    expect(s.indexOrCreate("0001", { file: "x.csv", sheet: "", row: 9 })).toEqual({ index: i, created: false });
    const values: Record<string, unknown> = {
      province: "云南省", village: "白井村", regionCode: "530621101201", headName: "常政强", headIdNumber: "53062119701224001x",
      householdType: "脱贫户", size: 5, monitoringCategory: "边缘易致贫户", identifiedMonth: 24_290, riskEliminated: false,
      eliminatedMonth: undefined, annualNetIncomePc: 12_108.47, compliantSelfPaid: 0, noLabourHousehold: true,
    };
    for (const [k, v] of Object.entries(values)) s.setField(i, f(k), v);
    s.setRiskSlots(i, ["因病", "因学"]);
    const h = s.get("0001")!;
    expect(h).toEqual({
      id: "0001", city: undefined, county: undefined, township: undefined, eliminationMethod: undefined,
      ...values, risks: ["因病", "因学"], source: { file: "h.csv", sheet: "", row: 3 },
    });
    expect(Object.keys(h)).toEqual(Object.keys(s.get("0001")!));
    expect(Object.keys(h)).toHaveLength(21);
    expect(s.getField(i, f("size"))).toBe(5);
    expect(s.getField(i, f("city"))).toBeUndefined();
    expect(s.householdsOfHeadIdNumbers(new Set(["53062119701224001x", "53062119701224001X"]))).toEqual(new Map([["53062119701224001x", "0001"]]));
  });

  it("keeps a non-ASCII 户主证件号码 and shares one frozen risks list among households with the same risks", () => {
    const s = new HouseholdStore();
    for (let k = 0; k < 3000; k++) {
      const i = s.indexOrCreate(`H${k}`, { file: k < 1500 ? "a.csv" : "b.xlsx", sheet: k < 1500 ? "" : "户", row: k + 2 }).index;
      s.setField(i, f("headIdNumber"), k === 7 ? "证件丢失" : `1101051949123100${String(k % 100).padStart(2, "0")}`);
      s.setField(i, f("village"), `村${k % 700}`); // past 255 codes
      if (k % 2) s.setRiskSlots(i, ["因病"]);
      else if (k === 4) s.setRiskSlots(i, [undefined, undefined, "因学"]);
    }
    expect(s.size).toBe(3000);
    expect(s.get("H7")!.headIdNumber).toBe("证件丢失");
    // The first household with each number: H7's text is kept as a string, the others as bytes.
    expect(s.householdsOfHeadIdNumbers(new Set(["证件丢失", "110105194912310042", "000000000000000000"]))).toEqual(
      new Map([["110105194912310042", "H42"], ["证件丢失", "H7"]]),
    );
    expect(s.get("H2999")).toMatchObject({ village: "村199", headIdNumber: "110105194912310099", source: { file: "b.xlsx", sheet: "户", row: 3001 } });
    expect(s.get("H1")!.risks).toBe(s.get("H3")!.risks);
    expect(s.get("H0")!.risks).toEqual([]);
    // 致贫/返贫风险3 alone: the household's risks are its non-blank columns, the columns kept by position.
    expect([s.get("H4")!.risks, s.riskSlotsOf(s.indexOf("H4"))]).toEqual([["因学"], [undefined, undefined, "因学", undefined, undefined]]);
    expect(() => (s.get("H1")!.risks as string[]).push("x")).toThrow();
    expect([...s.keys()].slice(0, 2)).toEqual(["H0", "H1"]);
    expect(s.sharedId("H5")).toBe([...s.keys()][5]);
    expect(s.has("H3000")).toBe(false);
  });
});
