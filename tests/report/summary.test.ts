import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeWorkbook } from "../../src/io/writeWorkbook.js";
import type { InputFile } from "../../src/model/dataset.js";
import type { Household, RowIssue } from "../../src/model/index.js";
import { buildFlaggedTable } from "../../src/report/flagged.js";
import { SUMMARY_SHEETS, buildSummaryWorkbook, formatCommandLine, groupRejects } from "../../src/report/summary.js";
import type { SummaryContext } from "../../src/report/summary.js";
import { createSummaryAccumulator, incomeBand, listedCategory } from "../../src/report/summaryAccumulator.js";
import type { Assessment } from "../../src/rules/types.js";
import { P, POLICY, assessment, household } from "./builders.js";

/** Six hand-made households: four listed (A, B, C, F), two not (D, E). Lines L 6000, V 4000, Y 7200. */
const SET: [Household, Assessment, number[]][] = [
  [
    household({ id: "A", county: "甲县", township: "一乡", village: "一村" }),
    assessment({ size: 3, annualPc: 3500, status: "new", color: "red", suggestedCategory: "边缘易致贫户", triggers: ["STREAK"], riskTypes: ["因病"] }),
    [0],
  ],
  [
    household({ id: "B", county: "甲县", township: "一乡", village: "二村" }),
    assessment({
      size: 4,
      annualPc: 5000,
      status: "continuing",
      color: "orange",
      currentCategory: "边缘易致贫户",
      suggestedCategory: "突发严重困难户",
      triggers: ["MEDICAL"],
      riskTypes: ["因病", "缺劳动力"],
    }),
    [0],
  ],
  [
    household({ id: "C", county: "甲县", township: "二乡", village: "三村" }),
    assessment({ size: 2, annualPc: 8000, status: "suggest_elimination", color: "green", currentCategory: "脱贫不稳定户" }),
    [0],
  ],
  [household({ id: "D", county: "乙县", township: "三乡", village: "四村" }), assessment({ size: 5, annualPc: 6500, color: "yellow" }), []],
  [
    household({ id: "E", county: "乙县" }),
    assessment({ size: undefined, annualPc: undefined, annualSource: undefined, noUsableSize: true, insufficientIncome: true, missingRecentMonths: true }),
    [],
  ],
  [
    household({ id: "F", county: "甲县", township: "一乡", village: "一村" }),
    assessment({ size: 1, annualPc: 9000, status: "new", color: "yellow", suggestedCategory: "突发严重困难户", triggers: ["EDUCATION", "INCOME_DROP"], riskTypes: ["因学"] }),
    [],
  ],
];

const INPUTS: InputFile[] = [
  {
    path: "data/export.xlsx",
    sha256: "ab".repeat(32),
    size: 12345,
    tables: [
      { file: "data/export.xlsx", sheet: "户信息", kind: "households", headerRow: 3, columns: {}, ignored: [], counts: { read: 8, accepted: 6, rejected: 1, skipped: 1, duplicates: 0 }, firstRejects: [] },
      { file: "data/export.xlsx", sheet: "说明", kind: null, reason: "no recognised columns", columns: {}, ignored: [], counts: { read: 0, accepted: 0, rejected: 0, skipped: 0, duplicates: 0 }, firstRejects: [] },
    ],
  },
];

function reject(row: number, code: string, column: string): RowIssue {
  return { source: { file: "data/export.xlsx", sheet: "户信息", row }, kind: "households", column, value: "x", code, reasonZh: `原因 ${code}`, reasonEn: `reason ${code}` };
}
const REJECTS = [reject(5, "missing_required", "户编号"), reject(6, "bad_size", "家庭人口数"), reject(9, "bad_size", "家庭人口数")];

function context(lang: "zh" | "en" = "zh"): SummaryContext {
  return {
    period: P,
    policy: POLICY,
    version: "0.1.0",
    commandLine: ["scan", "data/", "--period", "2026-10", "--policy", "my policy.json"],
    inputs: INPUTS,
    rejects: REJECTS,
    findingsByRule: { Q016: 1, Q005: 2 },
    lang,
  };
}

function accumulate() {
  const acc = createSummaryAccumulator();
  for (const [h, a, o] of SET) acc.add(h, a, o);
  return acc;
}

describe("summary accumulator", () => {
  it("counts households and persons scanned and listed, by status, category, colour and trigger", () => {
    expect(accumulate().counts()).toEqual({
      households: 6,
      persons: 15,
      listed: 4,
      byStatus: { new: 2, continuing: 1, suggest_elimination: 1 },
      byCategory: { 脱贫不稳定户: 1, 边缘易致贫户: 1, 突发严重困难户: 2 },
      byColor: { red: 1, orange: 1, yellow: 1, green: 1 },
      byTrigger: { STREAK: 1, MEDICAL: 1, EDUCATION: 1, DISASTER: 0, ACCIDENT: 0, INCOME_DROP: 1 },
    });
  });

  it.each([
    ["suggested category wins", "突发严重困难户", "边缘易致贫户", "突发严重困难户"],
    ["current category when none is suggested", undefined, "脱贫不稳定户", "脱贫不稳定户"],
  ])("list category: %s", (_name, suggestedCategory, currentCategory, expected) => {
    expect(listedCategory({ suggestedCategory, currentCategory })).toBe(expected);
  });

  it.each([
    [3999.99, "belowPoverty"],
    [4000, "povertyToMonitoring"],
    [5999.99, "povertyToMonitoring"],
    [6000, "monitoringToYellow"],
    [7200, "aboveYellow"],
  ] as const)("income %d falls in band %s", (pc, band) => {
    expect(incomeBand(pc, { annual: 6000, monthly: 500, poverty: 4000, yellow: 7200 })).toBe(band);
  });

  it("computes person-weighted FGT at the monitoring line and the poverty line, the histogram and data-quality counts", () => {
    const t = accumulate().totals;
    const atL = t.fgtMonitoring.result();
    expect(atL.persons).toBe(15);
    expect(atL.p0).toBeCloseTo(7 / 15, 12);
    expect(atL.p1).toBeCloseTo((3 * (2500 / 6000) + 4 * (1000 / 6000)) / 15, 12);
    expect(atL.p2).toBeCloseTo((3 * (2500 / 6000) ** 2 + 4 * (1000 / 6000) ** 2) / 15, 12);
    const atV = t.fgtPoverty.result();
    expect([atV.p0, atV.p1, atV.p2, atV.persons]).toEqual([0.2, 0.025, 0.003125, 15]);
    expect(t.incomeBands).toEqual({
      belowPoverty: { households: 1, persons: 3 },
      povertyToMonitoring: { households: 1, persons: 4 },
      monitoringToYellow: { households: 1, persons: 5 },
      aboveYellow: { households: 2, persons: 3 },
    });
    expect([t.incomeUnknown, t.noUsableSize, t.insufficientIncome, t.missingRecentMonths]).toEqual([1, 1, 1, 1]);
    expect([...t.overrideMatches]).toEqual([[0, 3]]);
  });
});

describe("summary sheets (as data)", () => {
  const wb = buildSummaryWorkbook(accumulate(), context());
  const sheet = (name: string) => wb.sheets.find((s) => s.name === name)!;

  it("has the six sheets in order, with the same names in English", () => {
    expect(wb.sheets.map((s) => s.name)).toEqual([...SUMMARY_SHEETS]);
    expect(buildSummaryWorkbook(accumulate(), context("en")).sheets.map((s) => s.name)).toEqual(["总览", "分地区", "风险类型", "收入分布", "数据质量", "参数"]);
  });

  it("分地区 is a county → township → village hierarchy with subtotals, blank names labelled, red/orange shaded", () => {
    const s = sheet("分地区");
    expect(s.rows.map((r) => [r[0], r[1], r[2], r[3], r[4]])).toEqual([
      ["全部地区", "合计", 6, 15, 4],
      ["乙县", "县", 2, 5, 0],
      ["（乡未填写）", "乡", 1, 0, 0],
      ["（村未填写）", "村", 1, 0, 0],
      ["三乡", "乡", 1, 5, 0],
      ["四村", "村", 1, 5, 0],
      ["甲县", "县", 4, 10, 4],
      ["一乡", "乡", 3, 8, 3],
      ["一村", "村", 2, 4, 2],
      ["二村", "村", 1, 4, 1],
      ["二乡", "乡", 1, 2, 1],
      ["三村", "村", 1, 2, 1],
    ]);
    expect(s.styles!.map((st) => st!.indent)).toEqual([0, 0, 1, 2, 1, 2, 0, 1, 2, 2, 1, 2]);
    const header = s.columns.map((c) => c.header);
    const row = s.rows[6]!; // 甲县
    expect(row.slice(5, 21)).toEqual([10, 2, 1, 1, 1, 2, 1, 3, 2, 5, 1, 1, 1, 1, row[19], row[20]]);
    expect(header.slice(15, 22)).toEqual(["红", "橙", "黄", "绿", "P0 贫困发生率（监测标准）", "P1 贫困距（监测标准）", "P2 平方贫困距（监测标准）"]);
    expect(row[19]).toBeCloseTo(0.7, 12);
    expect(s.styles![6]!.fills).toEqual({ 15: "red", 16: "orange" });
    expect(s.styles![1]!.fills).toEqual({});
    expect(s.rows[2]!.slice(19)).toEqual([null, null, null]); // no person with known income
  });

  it("风险类型 lists risk types in the official order, then triggers", () => {
    expect(sheet("风险类型").rows).toEqual([
      ["风险类型", "因病", 2, 7],
      ["风险类型", "因学", 1, 1],
      ["风险类型", "缺劳动力", 1, 4],
      ["预警信号", "连续低收入", 1, 3],
      ["预警信号", "医疗支出", 1, 4],
      ["预警信号", "教育支出", 1, 1],
      ["预警信号", "灾害损失", 0, 0],
      ["预警信号", "意外事故", 0, 0],
      ["预警信号", "收入骤减", 1, 1],
    ]);
  });

  it("数据质量 has the row accounting per table, rejects by reason, household notes and findings by rule", () => {
    const s = sheet("数据质量");
    expect(s.rows).toEqual([
      ["data/export.xlsx", "户信息", "户信息", null, 3, 8, 6, 1, 1, 0],
      ["data/export.xlsx", "说明", "（未识别）", null, null, 0, 0, 0, 0, 0],
    ]);
    expect(s.blocks!.map((b) => b.rows)).toEqual([
      [
        ["户信息", "家庭人口数", "bad_size", "原因 bad_size", 2],
        ["户信息", "户编号", "missing_required", "原因 missing_required", 1],
      ],
      [
        ["无可用家庭人口数的户", 1],
        ["近3个月缺少收入记录的户", 1],
        ["收入数据不足（无法年化）的户", 1],
      ],
      [
        ["Q005", 2],
        ["Q016", 1],
      ],
    ]);
  });

  it("参数 has the resolved policy, overrides with their matches, input files and the command line", () => {
    const s = sheet("参数");
    expect(s.rows.slice(0, 4)).toEqual([
      ["name", "政策名称", "测试省 2026"],
      ["builtIn", "内置全国底线政策", "否"],
      ["povertyLine", "贫困线（元/人·年）", 4000],
      ["monitoringLine", "监测标准（元/人·年）", 6000],
    ]);
    expect(s.rows).toHaveLength(15);
    // Labels come from the policy's own table (policy/defaults.ts SETTING_SPECS), the one place they are written.
    expect(s.rows[4]).toEqual(["yellowFactor", "黄色预警倍数", 1.2]);
    const en = buildSummaryWorkbook(accumulate(), context("en")).sheets.find((x) => x.name === "参数")!;
    expect(en.rows[5]).toEqual(["streakMonths", "low-income streak (months)", 3]);
    expect(s.blocks!.map((b) => b.rows)).toEqual([
      [["overrides[0]", "county=甲县", "2026-01", null, "测农办〔2026〕1号", '{"monitoringLine":6500}', 3]],
      [["data/export.xlsx", 12345, "ab".repeat(32)]],
      [["povwatch scan data/ --period 2026-10 --policy 'my policy.json'"]],
    ]);
  });

  it("groups rejects by kind, column and code, most frequent first", () => {
    expect(groupRejects(REJECTS).map((g) => [g.column, g.code, g.rows])).toEqual([
      ["家庭人口数", "bad_size", 2],
      ["户编号", "missing_required", 1],
    ]);
  });

  it.each([
    [["scan", "a.xlsx"], "povwatch scan a.xlsx"],
    [["scan", "数据 目录/"], "povwatch scan '数据 目录/'"],
    [["scan", "it's"], "povwatch scan 'it'\\''s'"],
  ])("command line %j is written as %s", (args, expected) => {
    expect(formatCommandLine(args)).toBe(expected);
  });
});

describe("summary.xlsx read back", () => {
  let dir: string;
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "povwatch-summary-"));
    const path = join(dir, "summary.xlsx");
    await writeWorkbook(path, buildSummaryWorkbook(accumulate(), context()));
    wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** 总览's counts table: "group|item" → [households, persons] (with their number formats). */
  function overview(): Map<string, [unknown, unknown, string, string]> {
    const ws = wb.getWorksheet("总览")!;
    const out = new Map<string, [unknown, unknown, string, string]>();
    let inCounts = false;
    ws.eachRow((row) => {
      const v = row.values as unknown[];
      if (v[1] === "分组") inCounts = true;
      else if (inCounts) out.set(`${v[1]}|${v[2]}`, [v[3], v[4], row.getCell(3).numFmt, row.getCell(4).numFmt]);
    });
    return out;
  }

  it("has the six sheets in order", () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(["总览", "分地区", "风险类型", "收入分布", "数据质量", "参数"]);
  });

  it("总览 totals equal the counts of the monitoring list", () => {
    const list = buildFlaggedTable(
      SET.map(([household, assessment]) => ({ household, assessment })),
      { lang: "zh", revealPersonalData: false, regionLevels: ["county", "township", "village"] },
    );
    const colOf = (h: string) => list.columns.findIndex((c) => c.header === h);
    const countBy = (h: string, split = false) => {
      const m = new Map<string, number>();
      for (const r of list.rows) for (const v of split ? String(r[colOf(h)] ?? "").split("；").filter(Boolean) : [String(r[colOf(h)])]) m.set(v, (m.get(v) ?? 0) + 1);
      return m;
    };
    const o = overview();
    expect(o.get("监测名单|合计")![0]).toBe(list.rows.length);
    for (const [status, n] of countBy("状态")) expect(o.get(`状态|${status}`)![0]).toBe(n);
    for (const [color, n] of countBy("风险等级")) expect(o.get(`风险等级|${color}`)![0]).toBe(n);
    for (const [trigger, n] of countBy("预警信号", true)) expect(o.get(`预警信号|${trigger}`)![0]).toBe(n);
    const category = list.rows.map((r) => String(r[colOf("建议监测类别")] ?? r[colOf("当前监测类别")]));
    for (const c of new Set(category)) expect(o.get(`监测类别|${c}`)![0]).toBe(category.filter((x) => x === c).length);
    expect([...o.entries()].slice(0, 5)).toEqual([
      ["扫描|全部农户", [6, 15, "#,##0", "#,##0"]],
      ["监测名单|合计", [4, 10, "#,##0", "#,##0"]],
      ["状态|新识别", [2, 4, "#,##0", "#,##0"]],
      ["状态|持续监测", [1, 4, "#,##0", "#,##0"]],
      ["状态|建议消除", [1, 2, "#,##0", "#,##0"]],
    ]);
  });

  it("writes numbers as numbers with #,##0 / #,##0.00 / 0.0%", () => {
    const o = wb.getWorksheet("总览")!;
    expect([o.getCell("A1").value, o.getCell("B1").value]).toEqual(["项目", "值"]);
    expect([o.getCell("B2").value, o.getCell("B3").value]).toEqual(["2026-10", "测试省 2026"]);
    expect([o.getCell("B4").value, o.getCell("B4").numFmt]).toEqual([4000, "#,##0.00"]);
    const income = wb.getWorksheet("收入分布")!;
    expect([income.getCell("C2").value, income.getCell("C2").numFmt]).toEqual([0.2, "0.0%"]);
    expect([income.getCell("B5").value, income.getCell("B5").numFmt]).toEqual([15, "#,##0"]);
    const region = wb.getWorksheet("分地区")!;
    expect([region.getCell("C2").value, region.getCell("C2").numFmt]).toEqual([6, "#,##0"]);
    expect(region.getCell("T8").numFmt).toBe("0.0%");
    expect(typeof region.getCell("T8").value).toBe("number");
  });
});

describe("summary accumulator regions", () => {
  it("counts households coming in any order into their own county, township and village (names repeat across parents)", () => {
    // The same 乡 name under two counties and the same 村 name under two 乡: households alternate between them.
    const places = [
      ["云南省", "昭通市", "鲁甸县", "一乡", "东村"],
      ["云南省", "昭通市", "巧家县", "一乡", "东村"],
      ["云南省", "昭通市", "鲁甸县", "二乡", "东村"],
      ["云南省", "曲靖市", "鲁甸县", "一乡", "东村"],
      ["云南省", "昭通市", "鲁甸县", "一乡", "西村"],
    ] as const;
    const order = [0, 0, 1, 0, 2, 2, 3, 1, 4, 0, 4, 3];
    const acc = createSummaryAccumulator();
    order.forEach((p, i) => {
      const [province, city, county, township, village] = places[p]!;
      acc.add(household({ id: `H${i}`, province, city, county, township, village }), assessment({ householdId: `H${i}`, size: 1 + p }), []);
    });
    const counts: string[] = [];
    for (const county of acc.totals.children.values()) {
      for (const township of county.children.values()) {
        for (const village of township.children.values()) counts.push(`${county.city}${county.name}/${township.name}/${village.name}: ${village.scanned.households} households, ${village.scanned.persons} persons`);
      }
    }
    expect(counts).toEqual([
      "昭通市鲁甸县/一乡/东村: 4 households, 4 persons",
      "昭通市鲁甸县/一乡/西村: 2 households, 10 persons",
      "昭通市鲁甸县/二乡/东村: 2 households, 6 persons",
      "昭通市巧家县/一乡/东村: 2 households, 4 persons",
      "曲靖市鲁甸县/一乡/东村: 2 households, 8 persons",
    ]);
    expect(acc.totals.scanned.households).toBe(12);
  });
});
