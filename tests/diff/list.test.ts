import { describe, expect, it } from "vitest";
import { parseColor, parseMonitoringList, parseStatus } from "../../src/diff/list.js";
import { UserError } from "../../src/model/errors.js";
import { listTable, table } from "./builders.js";

function thrown(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error("expected a UserError");
}

describe("parseMonitoringList", () => {
  it("reads a Chinese list: 户编号, region, status and colour as codes, category, grade and 说明 as written", () => {
    const list = parseMonitoringList(listTable([{ id: "0001", status: "持续监测", current: "边缘易致贫户", suggested: "突发严重困难户", color: "橙", grade: "极易致贫", explanation: "收入骤减" }]));
    expect(list.regionLevels).toEqual(["county", "township", "village"]);
    expect(list.entries).toEqual([
      {
        id: "0001",
        row: 2,
        region: { county: "甲县", township: "一乡", village: "东村" },
        status: "continuing",
        currentCategory: "边缘易致贫户",
        suggestedCategory: "突发严重困难户",
        category: "突发严重困难户",
        color: "orange",
        grade: "极易致贫",
        explanation: "收入骤减",
      },
    ]);
  });

  it("reads an English (--lang en) list to the same codes", () => {
    const zh = parseMonitoringList(listTable([{ id: "A", status: "建议消除", current: "脱贫不稳定户", color: "绿", grade: "稳定脱贫" }]));
    const en = parseMonitoringList(listTable([{ id: "A", status: "suggest_elimination", current: "脱贫不稳定户", color: "green", grade: "稳定脱贫" }], { lang: "en" }));
    expect(en.entries).toEqual(zh.entries);
  });

  it("compares a listed household without a suggested category under its current category", () => {
    const list = parseMonitoringList(listTable([{ id: "A", status: "建议消除", current: "边缘易致贫户", suggested: "" }]));
    expect(list.entries[0]!.category).toBe("边缘易致贫户");
  });

  it("finds the header below title rows and skips blank and 合计 rows", () => {
    const list = parseMonitoringList(
      table(`
XX县防返贫监测名单
导出时间：2026-10-31
户编号,状态,风险等级
A,新识别,红

B,持续监测,黄
合计,2,
`),
    );
    expect(list.entries.map((e) => [e.id, e.row, e.status, e.color])).toEqual([
      ["A", 4, "new", "red"],
      ["B", 6, "continuing", "yellow"],
    ]);
    expect(list.regionLevels).toEqual([]);
  });

  it("leaves out rows without 户编号 and reports their row numbers", () => {
    const list = parseMonitoringList(table("户编号,状态\nA,新识别\n,新识别\nB,新识别"));
    expect(list.entries.map((e) => e.id)).toEqual(["A", "B"]);
    expect(list.rowsWithoutId).toEqual([3]);
  });

  it("refuses a table without a 户编号 column as not a monitoring list (exit 1)", () => {
    const err = thrown(() => parseMonitoringList(table("姓名,证件号码\n张三,1", "members.csv")));
    expect(err.code).toBe("not_a_list");
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe(
      "members.csv: not a monitoring list (no 户编号 / household_id column in its first 20 rows)\n" +
        "give a scan's flagged.csv / flagged.xlsx or its output folder, or compare other tables with --key COL --fields A,B",
    );
  });

  it("refuses a table with 户编号 but none of 状态, 当前监测类别, 建议监测类别, 风险等级", () => {
    const err = thrown(() => parseMonitoringList(table("户编号,家庭人口数\nA,3", "households.csv")));
    expect(err.code).toBe("not_a_list");
    expect(err.message.split("\n")[0]).toBe("households.csv: not a monitoring list (it has 户编号 but none of 状态, 当前监测类别, 建议监测类别, 风险等级 (row 1))");
  });

  it("stops on duplicate 户编号, naming each with its rows (exit 1)", () => {
    const err = thrown(() => parseMonitoringList(listTable([{ id: "A" }, { id: "B" }, { id: "A" }, { id: "B" }, { id: "C" }], { file: "new.csv" })));
    expect(err.code).toBe("duplicate_key");
    expect(err.exitCode).toBe(1);
    expect(err.context).toEqual({ file: "new.csv", column: "户编号" });
    expect(err.message).toBe(
      "new.csv: column 户编号 must identify one row, but 2 values occur more than once: A (rows 2, 4), B (rows 3, 5)\n" +
        "remove the duplicate rows (or choose another --key) and run diff again; nothing was written",
    );
  });

  it("lists at most 10 duplicate keys and says how many more there are", () => {
    const ids = Array.from({ length: 12 }, (_, i) => `H${String(i).padStart(2, "0")}`);
    const err = thrown(() => parseMonitoringList(listTable([...ids, ...ids].map((id) => ({ id })))));
    const first = err.message.split("\n")[0]!;
    expect(first.startsWith("list.csv: column 户编号 must identify one row, but 12 values occur more than once: H00 (rows 2, 14), H01 (rows 3, 15),")).toBe(true);
    expect(first.endsWith("H09 (rows 11, 23), … and 2 more")).toBe(true);
    expect(first).not.toContain("H10");
  });
});

describe("status and colour values", () => {
  it.each([
    ["新识别", "new"],
    ["new", "new"],
    ["持续监测", "continuing"],
    ["continuing", "continuing"],
    ["建议消除", "suggest_elimination"],
    ["suggest_elimination", "suggest_elimination"],
    ["待核实", "待核实"],
    ["", ""],
  ])("状态 %j → %j", (text, code) => {
    expect(parseStatus(text)).toBe(code);
  });

  it.each([
    ["红", "red"],
    ["Red", "red"],
    ["橙", "orange"],
    ["黄", "yellow"],
    ["绿", "green"],
    ["green", "green"],
    ["蓝", "蓝"],
  ])("风险等级 %j → %j", (text, code) => {
    expect(parseColor(text)).toBe(code);
  });
});
