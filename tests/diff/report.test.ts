import { describe, expect, it } from "vitest";
import { diffCohorts } from "../../src/diff/cohort.js";
import { diffTables } from "../../src/diff/generic.js";
import { parseMonitoringList } from "../../src/diff/list.js";
import {
  buildCohortDiffJson,
  buildCohortDiffTable,
  buildCohortDiffWorkbook,
  buildTableDiffJson,
  buildTableDiffTable,
  buildTableDiffWorkbook,
} from "../../src/report/diff.js";
import { monthOf } from "../../src/model/month.js";
import { NEW_ROWS, OLD_ROWS, listTable, table } from "./builders.js";

const diff = () => diffCohorts(parseMonitoringList(listTable(OLD_ROWS)), parseMonitoringList(listTable(NEW_ROWS)));

describe("diff.csv / 变化明细", () => {
  it("has one row per changed household with old and new values side by side", () => {
    const t = buildCohortDiffTable(diff(), "zh");
    expect(t.columns.map((c) => c.header)).toEqual([
      "户编号", "县", "乡", "村", "变化", "原状态", "新状态", "原监测类别", "新监测类别", "原风险等级", "新风险等级", "原风险程度", "新风险程度", "说明",
    ]);
    expect(t.rows).toEqual([
      ["N", "乙县", "三乡", "北村", "新增", null, "新识别", null, "脱贫不稳定户", null, "红", null, "极易返贫", "N新"],
      ["B", "甲县", "二乡", "南村", "移出", "新识别", null, "突发严重困难户", null, "橙", null, "极易致贫", null, "B旧"],
      ["C", "甲县", "一乡", "东村", "类别变化", "新识别", "新识别", "边缘易致贫户", "突发严重困难户", "红", "红", "极易致贫", "极易致贫", "说明C"],
      ["F", "甲县", "一乡", "东村", "类别变化；等级变化；状态变化", "持续监测", "建议消除", "突发严重困难户", "边缘易致贫户", "黄", "绿", "较易致贫", "稳定", "说明F"],
      ["D", "甲县", "一乡", "东村", "等级变化", "新识别", "新识别", "边缘易致贫户", "边缘易致贫户", "红", "橙", "极易致贫", "极易致贫", "说明D"],
      ["G", "甲县", "一乡", "东村", "等级变化", "新识别", "新识别", "突发严重困难户", "突发严重困难户", "黄", "黄", "较易致贫", "较易返贫", "说明G"],
      ["E", "甲县", "一乡", "东村", "状态变化", "新识别", "持续监测", "边缘易致贫户", "边缘易致贫户", "红", "红", "极易致贫", "极易致贫", "说明E"],
    ]);
  });

  it("uses English headers, change words, status and colour codes with --lang en", () => {
    const t = buildCohortDiffTable(diff(), "en");
    expect(t.columns.map((c) => c.header)).toEqual([
      "household_id", "county", "township", "village", "change", "old_status", "new_status", "old_category", "new_category", "old_color", "new_color", "old_grade", "new_grade", "explanation",
    ]);
    expect(t.rows[3]).toEqual(["F", "甲县", "一乡", "东村", "category_change；grade_change；status_change", "continuing", "suggest_elimination", "突发严重困难户", "边缘易致贫户", "yellow", "green", "较易致贫", "稳定", "说明F"]);
  });
});

describe("diff.xlsx", () => {
  it("has the sheets 变化明细, 类别转移, 颜色转移, 分地区", () => {
    expect(buildCohortDiffWorkbook(diff(), "zh").sheets.map((s) => s.name)).toEqual(["变化明细", "类别转移", "颜色转移", "分地区"]);
  });

  it("类别转移: rows OLD, columns NEW, official categories, 未列入 and 合计; totals equal the union", () => {
    const sheet = buildCohortDiffWorkbook(diff(), "zh").sheets[1]!;
    expect(sheet.columns.map((c) => c.header)).toEqual(["原＼新", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户", "未列入", "合计"]);
    expect(sheet.rows).toEqual([
      ["脱贫不稳定户", 0, 0, 0, 0, 0],
      ["边缘易致贫户", 0, 3, 1, 0, 4],
      ["突发严重困难户", 0, 1, 1, 1, 3],
      ["未列入", 1, 0, 0, 0, 1],
      ["合计", 1, 4, 2, 1, 8],
    ]);
  });

  it("颜色转移: 红 橙 黄 绿 and 未列入, with totals", () => {
    const sheet = buildCohortDiffWorkbook(diff(), "zh").sheets[2]!;
    expect(sheet.columns.map((c) => c.header)).toEqual(["原＼新", "红", "橙", "黄", "绿", "未列入", "合计"]);
    expect(sheet.rows).toEqual([
      ["红", 3, 1, 0, 0, 0, 4],
      ["橙", 0, 0, 0, 0, 1, 1],
      ["黄", 0, 0, 1, 1, 0, 2],
      ["绿", 0, 0, 0, 0, 0, 0],
      ["未列入", 1, 0, 0, 0, 0, 1],
      ["合计", 4, 1, 1, 1, 1, 8],
    ]);
  });

  it("shows a listed household with an empty category as （空）, after the official ones", () => {
    const d = diffCohorts(parseMonitoringList(listTable([{ id: "A", suggested: "", current: "" }])), parseMonitoringList(listTable([{ id: "A", suggested: "其他类别" }])));
    const sheet = buildCohortDiffWorkbook(d, "zh").sheets[1]!;
    expect(sheet.columns.map((c) => c.header)).toEqual(["原＼新", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户", "其他类别", "（空）", "未列入", "合计"]);
    expect(sheet.rows[4]).toEqual(["（空）", 0, 0, 0, 1, 0, 0, 1]);
  });

  it("分地区: the total, then county, township, village with entered, exited and net", () => {
    const sheet = buildCohortDiffWorkbook(diff(), "zh").sheets[3]!;
    expect(sheet.columns.map((c) => c.header)).toEqual(["县", "乡", "村", "原名单户数", "新名单户数", "新增", "移出", "净变化"]);
    expect(sheet.rows).toEqual([
      ["合计", null, null, 7, 7, 1, 1, 0],
      ["乙县", null, null, 0, 1, 1, 0, 1],
      ["乙县", "三乡", null, 0, 1, 1, 0, 1],
      ["乙县", "三乡", "北村", 0, 1, 1, 0, 1],
      ["甲县", null, null, 7, 6, 0, 1, -1],
      ["甲县", "一乡", null, 6, 6, 0, 0, 0],
      ["甲县", "一乡", "东村", 6, 6, 0, 0, 0],
      ["甲县", "二乡", null, 1, 0, 0, 1, -1],
      ["甲县", "二乡", "南村", 1, 0, 0, 1, -1],
    ]);
    expect(sheet.styles?.slice(0, 4)).toEqual([{ bold: true }, { indent: 0, bold: true }, { indent: 1, bold: true }, { indent: 2 }]);
  });
});

describe("--json", () => {
  it("gives periods, list sizes, counts, all five byChange labels and both matrices with 未列入", () => {
    const json = buildCohortDiffJson(diff(), { old: monthOf(2026, 9), new: monthOf(2026, 10) }, "zh");
    expect(json.old).toEqual({ period: "2026-09", households: 7 });
    expect(json.new).toEqual({ period: "2026-10", households: 7 });
    expect([json.entered, json.exited, json.changed, json.unchanged]).toEqual([1, 1, 5, 1]);
    expect(json.byChange).toEqual({ 新增: 1, 移出: 1, 类别变化: 2, 等级变化: 3, 状态变化: 2 });
    expect(json.categoryMatrix["未列入"]).toEqual({ 脱贫不稳定户: 1, 边缘易致贫户: 0, 突发严重困难户: 0, 未列入: 0 });
    expect(json.colorMatrix["黄"]).toEqual({ 红: 0, 橙: 0, 黄: 1, 绿: 1, 未列入: 0 });
    const sum = (m: Record<string, Record<string, number>>) => Object.values(m).reduce((s, row) => s + Object.values(row).reduce((a, b) => a + b, 0), 0);
    expect(sum(json.categoryMatrix)).toBe(8);
    expect(sum(json.colorMatrix)).toBe(8);
  });

  it("gives null periods when they are unknown, and English keys with --lang en", () => {
    const json = buildCohortDiffJson(diff(), { old: undefined, new: undefined }, "en");
    expect(json.old.period).toBeNull();
    expect(Object.keys(json.byChange)).toEqual(["entered", "exited", "category_change", "grade_change", "status_change"]);
    expect(Object.keys(json.colorMatrix)).toEqual(["red", "orange", "yellow", "green", "not_listed"]);
  });
});

describe("generic outputs", () => {
  const generic = () =>
    diffTables(table("id,a,b\n1,x,10\n2,y,20\n3,z,30"), table("b,id,a\n10,1,x\n25,2,y\n40,4,w"), { key: "id", fields: ["a", "b"] });

  it("变化明细: key, 变化, 变化字段, then 原X and 新X per field", () => {
    const t = buildTableDiffTable(generic(), "zh");
    expect(t.columns.map((c) => c.header)).toEqual(["id", "变化", "变化字段", "原a", "新a", "原b", "新b"]);
    expect(t.rows).toEqual([
      ["4", "新增", null, null, "w", null, "40"],
      ["3", "移出", null, "z", null, "30", null],
      ["2", "变化", "b", "y", "y", "20", "25"],
    ]);
  });

  it("diff.xlsx has 变化明细 and 汇总 with the counts and changes per field", () => {
    const wb = buildTableDiffWorkbook(generic(), "zh");
    expect(wb.sheets.map((s) => s.name)).toEqual(["变化明细", "汇总"]);
    expect(wb.sheets[1]!.rows).toEqual([
      ["原表", "list.csv"],
      ["新表", "list.csv"],
      ["比较键", "id"],
      ["原表行数", 3],
      ["新表行数", 3],
      ["新增", 1],
      ["移出", 1],
      ["变化", 1],
      ["未变化", 1],
    ]);
    expect(wb.sheets[1]!.blocks![0]!.rows).toEqual([
      ["a", 0],
      ["b", 1],
    ]);
  });

  it("--json gives key, fields, files, counts and changes per field", () => {
    expect(buildTableDiffJson(generic())).toEqual({
      key: "id",
      fields: ["a", "b"],
      old: { file: "list.csv", rows: 3 },
      new: { file: "list.csv", rows: 3 },
      entered: 1,
      exited: 1,
      changed: 1,
      unchanged: 1,
      byField: { a: 0, b: 1 },
    });
  });
});
