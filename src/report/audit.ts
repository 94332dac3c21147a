/**
 * The audit outputs of `povwatch check` (outputs.md "check") as plain data: audit.csv (one row per finding) and
 * audit.xlsx (a 汇总 sheet counting findings by rule and by village, then one sheet per rule with findings).
 */
import type { Finding, Severity } from "../audit/finding.js";
import { AUDIT_RULES, RULE_CODES, findRule } from "../audit/rules.js";
import { compareCodePoints, type Lang } from "./labels.js";
import type { Cell, ColumnSpec, RowStyle, SheetSpec, TableSpec, WorkbookSpec } from "./workbook.js";
import { cleanSheetName } from "./sheetNames.js";

/** 严重程度 as written: 错误 / 警告 / 提示 (English: the code). */
export const SEVERITY_ZH: Readonly<Record<Severity, string>> = { error: "错误", warning: "警告", note: "提示" };

/** The severity as written in the outputs. */
export function severityLabel(severity: Severity, lang: Lang): string {
  return lang === "en" ? severity : SEVERITY_ZH[severity];
}

/** The rule's title in the output language (the code itself for an unknown rule). */
export function ruleTitle(code: string, lang: Lang): string {
  const rule = findRule(code);
  if (!rule) return code;
  return lang === "en" ? rule.titleEn : rule.titleZh;
}

const FINDING_COLUMNS: readonly { key: string; zh: string; format?: ColumnSpec["format"] }[] = [
  { key: "rule", zh: "规则编号" },
  { key: "severity", zh: "严重程度" },
  { key: "household_id", zh: "户编号", format: "text" },
  { key: "id_number", zh: "证件号码", format: "text" },
  { key: "file", zh: "文件" },
  { key: "sheet", zh: "工作表" },
  { key: "row", zh: "行", format: "integer" },
  { key: "message", zh: "说明" },
];

function findingColumns(lang: Lang): ColumnSpec[] {
  return FINDING_COLUMNS.map((c) => ({ header: lang === "en" ? c.key : c.zh, key: c.key, ...(c.format ? { format: c.format } : {}) }));
}

function findingRow(f: Finding, lang: Lang): Cell[] {
  return [
    f.rule,
    severityLabel(f.severity, lang),
    f.householdId,
    f.idNumber ?? "",
    f.source.file,
    f.source.sheet,
    f.source.row,
    lang === "en" ? f.messageEn : f.messageZh,
  ];
}

/**
 * audit.csv: one row per finding, in the order given (evaluateAudit's), columns 规则编号 严重程度 户编号 证件号码 文件
 * 工作表 行 说明 (English: rule, severity, household_id, id_number, file, sheet, row, message). ID numbers are the
 * findings' masked ones.
 */
export function buildAuditTable(findings: readonly Finding[], lang: Lang): TableSpec {
  return { columns: findingColumns(lang), rows: findings.map((f) => findingRow(f, lang)) };
}

/** The sheet of one rule: `Q001 证件号码校验` (English: `Q001 invalid resident ID`). */
export function ruleSheetName(code: string, lang: Lang): string {
  return cleanSheetName(`${code} ${ruleTitle(code, lang)}`);
}

interface VillageKey {
  county: string;
  township: string;
  village: string;
}

/**
 * audit.xlsx: first the 汇总 sheet — a table of every rule in `codes` (default: all; the rules that were run) with its
 * severity and number of findings, then a table by village (县, 乡, 村, one column per rule with findings, 合计;
 * villages in code-point order of county, township, village, blank first; a 合计 row last); then one sheet per rule
 * with findings, in rule order, with the audit.csv columns.
 */
export function buildAuditWorkbook(findings: readonly Finding[], lang: Lang, codes: readonly string[] = RULE_CODES): WorkbookSpec {
  const en = lang === "en";
  const byRule = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byRule.get(f.rule);
    if (list) list.push(f);
    else byRule.set(f.rule, [f]);
  }
  const listed = [...codes, ...[...byRule.keys()].filter((c) => !codes.includes(c)).sort(compareCodePoints)];
  const ruleRows: Cell[][] = listed.map((code) => {
    const rule = findRule(code);
    return [code, ruleTitle(code, lang), rule ? severityLabel(rule.severity, lang) : "", byRule.get(code)?.length ?? 0];
  });
  ruleRows.push([en ? "total" : "合计", "", "", findings.length]);
  const ruleStyles: (RowStyle | undefined)[] = [];
  ruleStyles[ruleRows.length - 1] = { bold: true };

  const withFindings = listed.filter((c) => byRule.has(c));
  const villages = new Map<string, { key: VillageKey; counts: Map<string, number> }>();
  for (const f of findings) {
    const key = { county: f.county ?? "", township: f.township ?? "", village: f.village ?? "" };
    const id = `${key.county}\u0000${key.township}\u0000${key.village}`;
    let v = villages.get(id);
    if (!v) villages.set(id, (v = { key, counts: new Map() }));
    v.counts.set(f.rule, (v.counts.get(f.rule) ?? 0) + 1);
  }
  const villageRows: Cell[][] = [...villages.values()]
    .sort(
      (a, b) =>
        compareCodePoints(a.key.county, b.key.county) ||
        compareCodePoints(a.key.township, b.key.township) ||
        compareCodePoints(a.key.village, b.key.village),
    )
    .map(({ key, counts }) => {
      const cells = withFindings.map((c) => counts.get(c) ?? 0);
      return [key.county, key.township, key.village, ...cells, cells.reduce((s, n) => s + n, 0)];
    });
  villageRows.push([en ? "total" : "合计", "", "", ...withFindings.map((c) => byRule.get(c)!.length), findings.length]);
  const villageStyles: (RowStyle | undefined)[] = [];
  villageStyles[villageRows.length - 1] = { bold: true };

  const summary: SheetSpec = {
    // The sheet outputs.md names, in both languages (like summary.xlsx's sheets); the rule sheets carry their titles.
    name: "汇总",
    columns: [
      { header: en ? "rule" : "规则编号", key: "rule" },
      { header: en ? "title" : "规则", key: "title" },
      { header: en ? "severity" : "严重程度", key: "severity" },
      { header: en ? "findings" : "发现数", key: "findings", format: "integer" },
    ],
    rows: ruleRows,
    styles: ruleStyles,
    freezeHeader: true,
    blocks: [
      {
        title: en ? "Findings by village" : "按村统计",
        columns: [
          { header: en ? "county" : "县", key: "county" },
          { header: en ? "township" : "乡", key: "township" },
          { header: en ? "village" : "村", key: "village" },
          ...withFindings.map((c) => ({ header: c, key: c, format: "integer" as const })),
          { header: en ? "total" : "合计", key: "total", format: "integer" },
        ],
        rows: villageRows,
        styles: villageStyles,
      },
    ],
  };

  const ruleSheets: SheetSpec[] = withFindings.map((code) => ({
    name: ruleSheetName(code, lang),
    columns: findingColumns(lang),
    rows: byRule.get(code)!.map((f) => findingRow(f, lang)),
    freezeHeader: true,
    autoFilter: true,
  }));
  return { sheets: [summary, ...ruleSheets] };
}

/** Every rule as a row of `--list-rules`: code, severity, title in the output language. */
export function buildRuleList(lang: Lang): TableSpec {
  const en = lang === "en";
  return {
    columns: [
      { header: en ? "rule" : "规则编号", key: "rule" },
      { header: en ? "severity" : "严重程度", key: "severity" },
      { header: en ? "title" : "规则", key: "title" },
    ],
    rows: AUDIT_RULES.map((r) => [r.code, severityLabel(r.severity, lang), en ? r.titleEn : r.titleZh]),
  };
}
