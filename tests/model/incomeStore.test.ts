import { describe, expect, it } from "vitest";
import { IncomeStore } from "../../src/model/incomeStore.js";

/** Adds rows [household, month, net, size?] from table 0 at spreadsheet rows 2, 3, … */
function store(rows: [string, number, number, number?][], sig = (i: number) => 0 * i): IncomeStore {
  const s = new IncomeStore();
  rows.forEach(([h, m, net, size], i) => s.add(h, m, net, NaN, size ?? NaN, sig(i), 0, i + 2));
  return s;
}

function series(s: IncomeStore, id: string) {
  const v = s.series(id);
  return { months: Array.from(v.months), net: Array.from(v.net), size: Array.from(v.size) };
}

describe("IncomeStore", () => {
  it("serves rows that arrive grouped and ascending as they are, with absent sizes as NaN", () => {
    const s = store([["A", 1, 10, 3], ["A", 2, 20], ["B", 1, 5, 1]]);
    expect(s.finalize()).toEqual([]);
    expect(series(s, "A")).toEqual({ months: [1, 2], net: [10, 20], size: [3, NaN] });
    expect(series(s, "B")).toEqual({ months: [1], net: [5], size: [1] });
    expect(s.seriesView("A").size[1]).toBeNaN();
  });

  it("sorts and de-duplicates once a household comes back, naming the removed rows by table and row", () => {
    // Rows 2–4 grouped; row 5 returns to A (identical month 1), row 6 differs from A's month 2, row 7 goes back in B.
    const s = store([["A", 1, 10], ["A", 2, 20], ["B", 3, 30], ["A", 1, 10], ["A", 2, 21], ["B", 1, 7]]);
    expect(s.finalize()).toEqual([
      { table: 0, row: 5, householdId: "A", month: 1, identical: true },
      { table: 0, row: 6, householdId: "A", month: 2, identical: false },
    ]);
    expect(series(s, "A")).toEqual({ months: [1, 2], net: [10, 20], size: [NaN, NaN] });
    expect(series(s, "B")).toEqual({ months: [1, 3], net: [7, 30], size: [NaN, NaN] });
  });

  it("widens its narrow month and size columns when a value does not fit, keeping earlier rows", () => {
    const s = store([["A", 24_000, 1, 2], ["A", 24_001, 2, 300], ["B", 70_000, 3, 4], ["A", 24_000, 1, 2]]);
    expect(s.finalize()).toEqual([{ table: 0, row: 5, householdId: "A", month: 24_000, identical: true }]);
    expect(series(s, "A")).toEqual({ months: [24_000, 24_001], net: [1, 2], size: [2, 300] });
    expect(series(s, "B")).toEqual({ months: [70_000], net: [3], size: [4] });
  });

  it("tells identical duplicates from differing ones by the signature of the other amounts", () => {
    const s = store([["A", 1, 10], ["A", 1, 10]], (i) => i);
    expect(s.finalize()).toEqual([{ table: 0, row: 3, householdId: "A", month: 1, identical: false }]);
  });

  it("keeps the accounting right when the order breaks after thousands of grouped rows (growth of every column)", () => {
    const rows: [string, number, number, number?][] = [];
    for (let h = 0; h < 1500; h++) for (let m = 0; m < 3; m++) rows.push([`H${h}`, m, h + m, 2]);
    rows.push(["H700", 1, 999, 2], ["H1499", 5, 1, 2], ["H3", 0, 3, 2]);
    const s = store(rows);
    expect(s.finalize()).toEqual([
      { table: 0, row: 4502, householdId: "H700", month: 1, identical: false },
      { table: 0, row: 4504, householdId: "H3", month: 0, identical: true },
    ]);
    expect(series(s, "H700")).toEqual({ months: [0, 1, 2], net: [700, 701, 702], size: [2, 2, 2] });
    expect(series(s, "H1499").months).toEqual([0, 1, 2, 5]);
    expect(s.householdIds().length).toBe(1500);
  });
});
