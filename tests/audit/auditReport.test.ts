import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/audit/finding.js";
import { buildAuditTable, buildAuditWorkbook, buildRuleList, ruleSheetName } from "../../src/report/audit.js";

function finding(rule: string, severity: Finding["severity"], row: number, region: Partial<Finding> = {}): Finding {
  return {
    rule,
    severity,
    householdId: `H${row}`,
    source: { file: "a.xlsx", sheet: "户信息", row },
    messageZh: `说明${row}`,
    messageEn: `message ${row}`,
    ...region,
  };
}

const findings: Finding[] = [
  finding("Q001", "error", 3, { idNumber: "130434********1235", county: "某县", township: "城关镇", village: "二村" }),
  finding("Q001", "error", 5, { county: "某县", township: "城关镇", village: "一村" }),
  finding("Q015", "note", 4, { county: "某县", township: "城关镇", village: "二村" }),
  finding("Q016", "error", 9),
];

describe("buildAuditTable (audit.csv)", () => {
  it("has the Chinese columns of outputs.md and one row per finding", () => {
    const table = buildAuditTable(findings.slice(0, 1), "zh");
    expect(table.columns.map((c) => c.header)).toEqual(["规则编号", "严重程度", "户编号", "证件号码", "文件", "工作表", "行", "说明"]);
    expect(table.rows).toEqual([["Q001", "错误", "H3", "130434********1235", "a.xlsx", "户信息", 3, "说明3"]]);
  });

  it("uses the English names, severity codes and messages with --lang en", () => {
    const table = buildAuditTable([findings[2]!], "en");
    expect(table.columns.map((c) => c.header)).toEqual(["rule", "severity", "household_id", "id_number", "file", "sheet", "row", "message"]);
    expect(table.rows).toEqual([["Q015", "note", "H4", "", "a.xlsx", "户信息", 4, "message 4"]]);
  });

  it.each([
    ["error", "错误"],
    ["warning", "警告"],
    ["note", "提示"],
  ] as const)("writes severity %s as %s", (severity, label) => {
    expect(buildAuditTable([finding("Q001", severity, 2)], "zh").rows[0]![1]).toBe(label);
  });

  it("keeps 户编号 and 证件号码 as text and 行 as a number", () => {
    const formats = buildAuditTable([], "zh").columns.map((c) => c.format ?? "");
    expect(formats).toEqual(["", "", "text", "text", "", "", "integer", ""]);
  });
});

describe("buildAuditWorkbook (audit.xlsx)", () => {
  const workbook = buildAuditWorkbook(findings, "zh");

  it("has 汇总 first, then one sheet per rule with findings, in rule order", () => {
    expect(workbook.sheets.map((s) => s.name)).toEqual(["汇总", "Q001 证件号码校验", "Q015 近3个月缺收入记录", "Q016 家庭人口数异常"]);
    expect(workbook.sheets[1]!.rows.map((r) => r[6])).toEqual([3, 5]);
    expect(workbook.sheets[1]!.columns.map((c) => c.header)).toEqual(["规则编号", "严重程度", "户编号", "证件号码", "文件", "工作表", "行", "说明"]);
  });

  it("counts findings by rule for every rule run, with a total", () => {
    const summary = workbook.sheets[0]!;
    expect(summary.rows.length).toBe(19);
    expect(summary.rows[0]).toEqual(["Q001", "证件号码校验", "错误", 2]);
    expect(summary.rows[1]).toEqual(["Q002", "证件号码重复", "错误", 0]);
    expect(summary.rows[14]).toEqual(["Q015", "近3个月缺收入记录", "提示", 1]);
    expect(summary.rows[18]).toEqual(["合计", "", "", 4]);
  });

  it("lists only the rules that were run when given", () => {
    const summary = buildAuditWorkbook([], "zh", ["Q001", "Q002"]).sheets[0]!;
    expect(summary.rows).toEqual([
      ["Q001", "证件号码校验", "错误", 0],
      ["Q002", "证件号码重复", "错误", 0],
      ["合计", "", "", 0],
    ]);
  });

  it("counts findings by village, blank region first, with a total row", () => {
    const block = workbook.sheets[0]!.blocks![0]!;
    expect(block.title).toBe("按村统计");
    expect(block.columns.map((c) => c.header)).toEqual(["县", "乡", "村", "Q001", "Q015", "Q016", "合计"]);
    expect(block.rows).toEqual([
      ["", "", "", 0, 0, 1, 1],
      ["某县", "城关镇", "一村", 1, 0, 0, 1],
      ["某县", "城关镇", "二村", 1, 1, 0, 2],
      ["合计", "", "", 2, 1, 1, 4],
    ]);
  });

  it("names sheets in English with --lang en, within Excel's 31 characters", () => {
    const names = buildAuditWorkbook(findings, "en").sheets.map((s) => s.name);
    expect(names).toEqual(["汇总", "Q001 invalid resident ID", "Q015 missing recent income", "Q016 household size range"]);
    expect(ruleSheetName("Q010", "en")).toBe("Q010 no-labour risk with labour");
    expect(ruleSheetName("Q010", "en").length).toBeLessThanOrEqual(31);
  });

  it("has only 汇总 when nothing was found", () => {
    expect(buildAuditWorkbook([], "zh").sheets.map((s) => s.name)).toEqual(["汇总"]);
  });
});

describe("buildRuleList (--list-rules)", () => {
  it("lists all 18 rules with severity and title", () => {
    const list = buildRuleList("zh");
    expect(list.rows.length).toBe(18);
    expect(list.rows[0]).toEqual(["Q001", "错误", "证件号码校验"]);
    expect(buildRuleList("en").rows[17]).toEqual(["Q018", "note", "not a resident ID"]);
  });
});
