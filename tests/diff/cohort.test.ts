import { describe, expect, it } from "vitest";
import { changeKinds, diffCohorts, matrixTotal } from "../../src/diff/cohort.js";
import { compareCodePoints } from "../../src/model/text.js";
import { parseMonitoringList, type ListEntry } from "../../src/diff/list.js";
import { NEW_ROWS, OLD_ROWS, listTable } from "./builders.js";

const oldList = () => parseMonitoringList(listTable(OLD_ROWS, { file: "old.csv" }));
const newList = () => parseMonitoringList(listTable(NEW_ROWS, { file: "new.csv" }));

describe("diffCohorts", () => {
  it("diff(a, a) is empty: every household unchanged, matrices on the diagonal", () => {
    const d = diffCohorts(newList(), newList());
    expect(d.changes).toEqual([]);
    expect(d.counts).toEqual({ old: 7, new: 7, entered: 0, exited: 0, changed: 0, unchanged: 7 });
    expect(d.byChange).toEqual({ entered: 0, exited: 0, category: 0, grade: 0, status: 0 });
    for (const [from, row] of d.categoryMatrix) for (const to of row.keys()) expect(to).toBe(from);
    for (const [from, row] of d.colorMatrix) for (const to of row.keys()) expect(to).toBe(from);
  });

  it("finds every kind of change, in the order 新增, 移出, 类别变化, 等级变化, 状态变化, then region, then 户编号", () => {
    const d = diffCohorts(oldList(), newList());
    expect(d.changes.map((c) => [c.id, c.changes.join("+")])).toEqual([
      ["N", "entered"],
      ["B", "exited"],
      ["C", "category"],
      ["F", "category+grade+status"],
      ["D", "grade"],
      ["G", "grade"],
      ["E", "status"],
    ]);
    expect(d.counts).toEqual({ old: 7, new: 7, entered: 1, exited: 1, changed: 5, unchanged: 1 });
    expect(d.byChange).toEqual({ entered: 1, exited: 1, category: 2, grade: 3, status: 2 });
  });

  it("takes region and 说明 from NEW, and from OLD for an exited household", () => {
    const d = diffCohorts(oldList(), newList());
    const byId = new Map(d.changes.map((c) => [c.id, c]));
    expect(byId.get("N")!.region).toEqual({ county: "乙县", township: "三乡", village: "北村" });
    expect(byId.get("N")!.explanation).toBe("N新");
    expect(byId.get("N")!.old).toBeUndefined();
    expect(byId.get("B")!.region).toEqual({ county: "甲县", township: "二乡", village: "南村" });
    expect(byId.get("B")!.explanation).toBe("B旧");
    expect(byId.get("B")!.new).toBeUndefined();
  });

  it("counts every household of the union exactly once in each transition matrix", () => {
    const d = diffCohorts(oldList(), newList());
    const union = new Set([...OLD_ROWS, ...NEW_ROWS].map((r) => r.id)).size;
    expect(union).toBe(8);
    expect(matrixTotal(d.categoryMatrix)).toBe(union);
    expect(matrixTotal(d.colorMatrix)).toBe(union);
  });

  it("puts households absent on one side in the 未列入 (null) row or column", () => {
    const d = diffCohorts(oldList(), newList());
    expect(d.categoryMatrix.get(null)).toEqual(new Map([["脱贫不稳定户", 1]]));
    expect(d.categoryMatrix.get("突发严重困难户")).toEqual(new Map<string | null, number>([[null, 1], ["边缘易致贫户", 1], ["突发严重困难户", 1]]));
    expect(d.colorMatrix.get("yellow")).toEqual(new Map([["green", 1], ["yellow", 1]]));
    expect(d.colorMatrix.get("orange")).toEqual(new Map([[null, 1]]));
  });

  it("counts listed, entered, exited and net per county, township and village, parents first", () => {
    const d = diffCohorts(oldList(), newList());
    expect(d.byRegion.map((r) => [r.depth, Object.values(r.region).join("/"), r.oldListed, r.newListed, r.entered, r.exited, r.net])).toEqual([
      [0, "", 7, 7, 1, 1, 0],
      [1, "乙县", 0, 1, 1, 0, 1],
      [2, "乙县/三乡", 0, 1, 1, 0, 1],
      [3, "乙县/三乡/北村", 0, 1, 1, 0, 1],
      [1, "甲县", 7, 6, 0, 1, -1],
      [2, "甲县/一乡", 6, 6, 0, 0, 0],
      [3, "甲县/一乡/东村", 6, 6, 0, 0, 0],
      [2, "甲县/二乡", 1, 0, 0, 1, -1],
      [3, "甲县/二乡/南村", 1, 0, 0, 1, -1],
    ]);
  });

  it("keeps region levels of either list", () => {
    const d = diffCohorts(oldList(), parseMonitoringList(listTable([])));
    expect(d.regionLevels).toEqual(["county", "township", "village"]);
    expect(d.counts).toEqual({ old: 7, new: 0, entered: 0, exited: 7, changed: 0, unchanged: 0 });
  });
});

describe("changeKinds", () => {
  const base: ListEntry = {
    id: "A",
    row: 2,
    region: {},
    status: "new",
    currentCategory: "",
    suggestedCategory: "边缘易致贫户",
    category: "边缘易致贫户",
    color: "red",
    grade: "极易致贫",
    explanation: "x",
  };
  it.each<[string, Partial<ListEntry>, string[]]>([
    ["nothing compared changed (说明 and row may differ)", { explanation: "y", row: 9 }, []],
    ["the compared category", { category: "突发严重困难户" }, ["category"]],
    ["the colour", { color: "orange" }, ["grade"]],
    ["the 风险程度 alone", { grade: "极易返贫" }, ["grade"]],
    ["the status", { status: "continuing" }, ["status"]],
    ["category, colour and status together", { category: "", color: "green", status: "suggest_elimination" }, ["category", "grade", "status"]],
  ])("%s", (_, change, kinds) => {
    expect(changeKinds(base, { ...base, ...change })).toEqual(kinds);
  });

  it("a household on one side only has entered or exited alone", () => {
    expect(changeKinds(undefined, base)).toEqual(["entered"]);
    expect(changeKinds(base, undefined)).toEqual(["exited"]);
  });
});

describe("compareCodePoints (the order of 户编号 and region names)", () => {
  it.each([
    ["", "a", -1],
    ["a", "a", 0],
    ["甲", "乙", 1],
    ["\uffff", "😀", -1],
    ["H2", "H10", 1],
  ])("%j vs %j", (a, b, sign) => {
    expect(Math.sign(compareCodePoints(a, b))).toBe(sign);
  });
});
