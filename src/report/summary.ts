/**
 * The summary workbook (outputs.md "The summary workbook"): six sheets 总览, 分地区, 风险类型, 收入分布, 数据质量, 参数,
 * built as plain data from a SummaryAccumulator. Numbers stay numbers with the formats #,##0 / #,##0.00 / 0.0%.
 * Sheet names are fixed; with `--lang en` the labels inside the sheets are English.
 */
import type { InputFile } from "../model/dataset.js";
import type { RowIssue } from "../model/index.js";
import { formatMonth } from "../model/month.js";
import type { Policy, PolicyOverride } from "../policy/types.js";
import { COLORS, STATUSES, TRIGGERS } from "../rules/types.js";
import type { FgtAccumulator } from "../rules/fgt.js";
import { COLOR_ZH, RISK_TYPE_ORDER, STATUS_ZH, TRIGGER_ZH, compareCodePoints } from "./labels.js";
import type { Lang } from "./labels.js";
import { INCOME_BANDS, categoryKeys } from "./summaryAccumulator.js";
import type { IncomeBand, RegionStats, ScanTotals, SummaryAccumulator, Tally } from "./summaryAccumulator.js";
import type { Cell, ColumnSpec, NumberFormat, RowStyle, SheetBlock, SheetSpec, WorkbookSpec } from "./workbook.js";
import { SETTING_SPECS } from "../policy/defaults.js";
import { settingAt } from "../policy/describe.js";

/** The sheet names of summary.xlsx, in order (kept with `--lang en`). */
export const SUMMARY_SHEETS = ["总览", "分地区", "风险类型", "收入分布", "数据质量", "参数"] as const;

/** What the summary needs besides the accumulated counts. */
export interface SummaryContext {
  /** The scan period (month integer). */
  period: number;
  policy: Policy;
  /** povwatch version. */
  version: string;
  /** The command line as typed after `povwatch` (e.g. ["scan", "data/", "--period", "2026-10"]). */
  commandLine: readonly string[];
  inputs: readonly InputFile[];
  /** Every rejected row (grouped by reason on 数据质量). */
  rejects: readonly RowIssue[];
  /** Data-quality findings (audit.md) by rule code. */
  findingsByRule: Readonly<Record<string, number>>;
  lang: Lang;
}

type Label = readonly [zh: string, en: string];

function label(l: Label, lang: Lang): string {
  return lang === "en" ? l[1] : l[0];
}

function col(l: Label, lang: Lang, format?: NumberFormat, key?: string): ColumnSpec {
  return { header: label(l, lang), ...(format ? { format } : {}), ...(key ? { key } : {}) };
}

/** Builds the six sheets of summary.xlsx from the accumulated counts. */
export function buildSummaryWorkbook(acc: SummaryAccumulator | ScanTotals, context: SummaryContext): WorkbookSpec {
  const totals = "totals" in acc ? acc.totals : acc;
  return {
    sheets: [
      overviewSheet(totals, context),
      regionSheet(totals, context.lang),
      riskTypeSheet(totals, context.lang),
      incomeSheet(totals, context.lang),
      dataQualitySheet(totals, context),
      parameterSheet(totals, context),
    ],
  };
}

const tallyCells = (t: Tally): Cell[] => [t.households, t.persons];

// ---------------------------------------------------------------- 总览

function overviewSheet(totals: ScanTotals, ctx: SummaryContext): SheetSpec {
  const { lang, policy } = ctx;
  const amount: RowStyle = { formats: { 1: "amount" } };
  const info: [Label, Cell, RowStyle | undefined][] = [
    [["统计期", "period"], formatMonth(ctx.period), undefined],
    [["政策", "policy"], policy.name, undefined],
    [["贫困线（元/人·年）", "poverty line (yuan per person per year)"], policy.povertyLine, amount],
    [["监测标准（元/人·年）", "monitoring line (yuan per person per year)"], policy.monitoringLine, amount],
    [["黄色预警线（元/人·年）", "yellow line (yuan per person per year)"], policy.monitoringLine * policy.yellowFactor, amount],
    [["地区覆盖规则数", "regional overrides"], policy.overrides.length, { formats: { 1: "integer" } }],
    [["工具版本", "tool version"], `povwatch ${ctx.version}`, undefined],
  ];
  const group = (zh: string, en: string) => (lang === "en" ? en : zh);
  const rows: Cell[][] = [];
  const styles: (RowStyle | undefined)[] = [];
  const push = (g: string, item: string, t: Tally, style?: RowStyle) => {
    rows.push([g, item, ...tallyCells(t)]);
    styles.push(style);
  };
  push(group("扫描", "scanned"), group("全部农户", "all households"), totals.scanned, { bold: true });
  push(group("监测名单", "monitoring list"), group("合计", "total"), totals.listed, { bold: true });
  for (const s of STATUSES) push(group("状态", "status"), lang === "en" ? s : STATUS_ZH[s], totals.byStatus[s]);
  for (const c of categoryKeys(totals)) push(group("监测类别", "category"), c, totals.byCategory.get(c) ?? { households: 0, persons: 0 });
  for (const c of COLORS) push(group("风险等级", "color"), lang === "en" ? c : COLOR_ZH[c], totals.byColor[c], colorShade(c, 2));
  for (const t of TRIGGERS) push(group("预警信号", "trigger"), lang === "en" ? t : TRIGGER_ZH[t], totals.byTrigger[t]);
  return {
    name: "总览",
    columns: [col(["项目", "item"], lang), col(["值", "value"], lang)],
    rows: info.map(([l, v]) => [label(l, lang), v]),
    styles: info.map(([, , s]) => s),
    blocks: [
      {
        title: lang === "en" ? "Households and persons (listed = on the monitoring list)" : "户数与人数（监测名单内）",
        columns: [col(["分组", "group"], lang), col(["项目", "item"], lang), col(["户数", "households"], lang, "integer"), col(["人数", "persons"], lang, "integer")],
        rows,
        styles,
      },
    ],
  };
}

function colorShade(c: string, column: number): RowStyle | undefined {
  return c === "red" ? { fills: { [column]: "red" } } : c === "orange" ? { fills: { [column]: "orange" } } : undefined;
}

// ---------------------------------------------------------------- 分地区

const LEVEL_LABELS: Record<RegionStats["level"], Label> = {
  total: ["合计", "total"],
  county: ["县", "county"],
  township: ["乡", "township"],
  village: ["村", "village"],
};

const BLANK_NAMES: Record<RegionStats["level"], Label> = {
  total: ["全部地区", "all regions"],
  county: ["（县未填写）", "(county blank)"],
  township: ["（乡未填写）", "(township blank)"],
  village: ["（村未填写）", "(village blank)"],
};

function regionSheet(totals: ScanTotals, lang: Lang): SheetSpec {
  const categories = categoryKeys(totals);
  const columns: ColumnSpec[] = [
    col(["地区", "region"], lang),
    col(["层级", "level"], lang),
    col(["扫描户数", "households scanned"], lang, "integer"),
    col(["扫描人数", "persons scanned"], lang, "integer"),
    col(["列入户数", "listed households"], lang, "integer"),
    col(["列入人数", "listed persons"], lang, "integer"),
    ...STATUSES.map((s) => col([STATUS_ZH[s], s], lang, "integer")),
    ...categories.flatMap((c) => [col([`${c}（户）`, `${c} (households)`], lang, "integer"), col([`${c}（人）`, `${c} (persons)`], lang, "integer")]),
    ...COLORS.map((c) => col([COLOR_ZH[c], c], lang, "integer", c)),
    col(["P0 贫困发生率（监测标准）", "P0 headcount (monitoring line)"], lang, "percent"),
    col(["P1 贫困距（监测标准）", "P1 gap (monitoring line)"], lang, "percent"),
    col(["P2 平方贫困距（监测标准）", "P2 squared gap (monitoring line)"], lang, "percent"),
  ];
  const colorStart = 6 + STATUSES.length + categories.length * 2;
  const rows: Cell[][] = [];
  const styles: (RowStyle | undefined)[] = [];
  const countyNames = new Map<string, number>();
  for (const c of totals.children.values()) countyNames.set(c.name, (countyNames.get(c.name) ?? 0) + 1);

  const emit = (r: RegionStats, indent: number, name: string) => {
    const fgt = fgtCells(r.fgtMonitoring);
    rows.push([
      name,
      label(LEVEL_LABELS[r.level], lang),
      ...tallyCells(r.scanned),
      ...tallyCells(r.listed),
      ...STATUSES.map((s) => r.byStatus[s].households),
      ...categories.flatMap((c) => tallyCells(r.byCategory.get(c) ?? { households: 0, persons: 0 })),
      ...COLORS.map((c) => r.byColor[c].households),
      ...fgt,
    ]);
    const fills: RowStyle["fills"] = {};
    if (r.byColor.red.households > 0) fills[colorStart] = "red";
    if (r.byColor.orange.households > 0) fills[colorStart + 1] = "orange";
    styles.push({ indent, fills, ...(r.level === "village" ? {} : { bold: true }) });
  };

  emit(totals, 0, label(BLANK_NAMES.total, lang));
  for (const county of sortedChildren(totals, (c) => [c.province, c.city, c.name])) {
    const name = county.name === "" ? label(BLANK_NAMES.county, lang) : (countyNames.get(county.name)! > 1 ? county.city : "") + county.name;
    emit(county, 0, name);
    for (const township of sortedChildren(county, (t) => [t.name])) {
      emit(township, 1, township.name === "" ? label(BLANK_NAMES.township, lang) : township.name);
      for (const village of sortedChildren(township, (v) => [v.name])) {
        emit(village, 2, village.name === "" ? label(BLANK_NAMES.village, lang) : village.name);
      }
    }
  }
  return { name: "分地区", columns, rows, styles, freezeHeader: true, autoFilter: true };
}

function sortedChildren(r: RegionStats, key: (c: RegionStats) => string[]): RegionStats[] {
  return [...r.children.values()].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      const d = compareCodePoints(ka[i]!, kb[i]!);
      if (d !== 0) return d;
    }
    return 0;
  });
}

/** P0, P1, P2 as cells: empty when no person with known income was counted. */
function fgtCells(fgt: FgtAccumulator): Cell[] {
  const r = fgt.result();
  return r.persons > 0 ? [r.p0, r.p1, r.p2] : [null, null, null];
}

// ---------------------------------------------------------------- 风险类型

function riskTypeSheet(totals: ScanTotals, lang: Lang): SheetSpec {
  const rows: Cell[][] = [];
  const kind = lang === "en" ? "risk type" : "风险类型";
  for (const type of orderedRiskTypes(totals.byRiskType)) rows.push([kind, type, ...tallyCells(totals.byRiskType.get(type)!)]);
  const trig = lang === "en" ? "trigger" : "预警信号";
  for (const t of TRIGGERS) rows.push([trig, lang === "en" ? t : TRIGGER_ZH[t], ...tallyCells(totals.byTrigger[t])]);
  return {
    name: "风险类型",
    columns: [col(["分组", "group"], lang), col(["名称", "name"], lang), col(["户数", "households"], lang, "integer"), col(["人数", "persons"], lang, "integer")],
    rows,
    freezeHeader: true,
    autoFilter: true,
  };
}

/** Risk types seen: those of rules.md §10 / inputs.md in their official order, then others by code point. */
function orderedRiskTypes(byRiskType: Map<string, Tally>): string[] {
  const known = RISK_TYPE_ORDER.filter((t) => byRiskType.has(t));
  const other = [...byRiskType.keys()].filter((t) => !RISK_TYPE_ORDER.includes(t)).sort(compareCodePoints);
  return [...known, ...other];
}

// ---------------------------------------------------------------- 收入分布

const BAND_LABELS: Record<IncomeBand, Label> = {
  belowPoverty: ["低于贫困线（< V）", "below poverty line (< V)"],
  povertyToMonitoring: ["贫困线至监测标准（V ≤ 收入 < L）", "poverty line to monitoring line (V ≤ income < L)"],
  monitoringToYellow: ["监测标准至黄色预警线（L ≤ 收入 < Y）", "monitoring line to yellow line (L ≤ income < Y)"],
  aboveYellow: ["黄色预警线及以上（≥ Y）", "yellow line and above (≥ Y)"],
};

function incomeSheet(totals: ScanTotals, lang: Lang): SheetSpec {
  const atL = totals.fgtMonitoring.result();
  const atV = totals.fgtPoverty.result();
  const v = (x: number, persons: number): Cell => (persons > 0 ? x : null);
  const pct: RowStyle = { formats: { 1: "percent", 2: "percent" } };
  const int: RowStyle = { formats: { 1: "integer", 2: "integer" } };
  const fgtRows: [Label, Cell, Cell, RowStyle][] = [
    [["P0 贫困发生率", "P0 headcount ratio"], v(atL.p0, atL.persons), v(atV.p0, atV.persons), pct],
    [["P1 贫困距指数", "P1 poverty gap index"], v(atL.p1, atL.persons), v(atV.p1, atV.persons), pct],
    [["P2 平方贫困距指数", "P2 squared poverty gap index"], v(atL.p2, atL.persons), v(atV.p2, atV.persons), pct],
    [["计入人数", "persons counted"], atL.persons, atV.persons, int],
    [["未计入户数（收入未知或无可用人口数）", "households left out (income unknown or no usable size)"], totals.incomeUnknown, totals.incomeUnknown, int],
  ];
  const bandPersons = INCOME_BANDS.reduce((s, b) => s + totals.incomeBands[b].persons, 0);
  return {
    name: "收入分布",
    columns: [col(["指标", "index"], lang), col(["按监测标准 L", "at monitoring line L"], lang), col(["按贫困线 V", "at poverty line V"], lang)],
    rows: fgtRows.map(([l, a, b]) => [label(l, lang), a, b]),
    styles: fgtRows.map(([, , , s]) => s),
    blocks: [
      {
        title: lang === "en" ? "Annualised per-capita net income, by each household's own lines" : "年化人均纯收入分布（按各户适用标准）",
        columns: [
          col(["收入分组", "band"], lang),
          col(["户数", "households"], lang, "integer"),
          col(["人数", "persons"], lang, "integer"),
          col(["人数占比", "share of persons"], lang, "percent"),
        ],
        rows: INCOME_BANDS.map((b) => {
          const t = totals.incomeBands[b];
          return [label(BAND_LABELS[b], lang), t.households, t.persons, bandPersons > 0 ? t.persons / bandPersons : null];
        }),
        dataBarColumn: 1,
      },
    ],
  };
}

// ---------------------------------------------------------------- 数据质量

/** Rejected rows of one reason. */
export interface RejectGroup {
  kind: string;
  column: string;
  code: string;
  reasonZh: string;
  reasonEn: string;
  rows: number;
}

/**
 * Groups rejected rows by table kind, column and reason code (the reason text of the first row of each group is
 * shown); most frequent first, then kind, column and code by code point.
 */
export function groupRejects(rejects: readonly RowIssue[]): RejectGroup[] {
  const groups = new Map<string, RejectGroup>();
  for (const r of rejects) {
    const key = `${r.kind}\u0000${r.column}\u0000${r.code}`;
    const g = groups.get(key);
    if (g) g.rows++;
    else groups.set(key, { kind: r.kind, column: r.column, code: r.code, reasonZh: r.reasonZh, reasonEn: r.reasonEn, rows: 1 });
  }
  return [...groups.values()].sort(
    (a, b) => b.rows - a.rows || compareCodePoints(a.kind, b.kind) || compareCodePoints(a.column, b.column) || compareCodePoints(a.code, b.code),
  );
}

const KIND_ZH: Record<string, string> = { households: "户信息", members: "成员信息", income: "月度收入", events: "部门预警数据" };

function kindLabel(kind: string | null, lang: Lang): string {
  if (kind === null) return lang === "en" ? "(not recognised)" : "（未识别）";
  return lang === "en" ? kind : (KIND_ZH[kind] ?? kind);
}

function dataQualitySheet(totals: ScanTotals, ctx: SummaryContext): SheetSpec {
  const { lang } = ctx;
  const tableRows: Cell[][] = [];
  for (const file of ctx.inputs) {
    for (const t of file.tables) {
      const c = t.counts;
      tableRows.push([t.file || file.path, t.sheet || null, kindLabel(t.kind, lang), t.encoding ?? null, t.headerRow ?? null, c.read, c.accepted, c.rejected, c.skipped, c.duplicates]);
    }
  }
  const rules = Object.keys(ctx.findingsByRule).sort(compareCodePoints);
  const notes: [Label, number][] = [
    [["无可用家庭人口数的户", "households without a usable size"], totals.noUsableSize],
    [["近3个月缺少收入记录的户", "households with a missing month in the last 3 months"], totals.missingRecentMonths],
    [["收入数据不足（无法年化）的户", "households with insufficient income data"], totals.insufficientIncome],
  ];
  const blocks: SheetBlock[] = [
    {
      title: lang === "en" ? "Rejected rows by reason" : "拒绝行（按原因）",
      columns: [
        col(["表类型", "table kind"], lang),
        col(["列", "column"], lang),
        col(["原因代码", "reason code"], lang),
        col(["原因", "reason"], lang),
        col(["行数", "rows"], lang, "integer"),
      ],
      rows: groupRejects(ctx.rejects).map((g) => [kindLabel(g.kind, lang), g.column || null, g.code, lang === "en" ? g.reasonEn : g.reasonZh, g.rows]),
    },
    {
      title: lang === "en" ? "Households" : "农户数据问题",
      columns: [col(["项目", "item"], lang), col(["户数", "households"], lang, "integer")],
      rows: notes.map(([l, n]) => [label(l, lang), n]),
    },
    {
      title: lang === "en" ? "Data-quality findings by rule (audit.md)" : "数据质量审核发现（按规则）",
      columns: [col(["规则编号", "rule"], lang), col(["发现条数", "findings"], lang, "integer")],
      rows: rules.map((r) => [r, ctx.findingsByRule[r]!]),
    },
  ];
  return {
    name: "数据质量",
    columns: [
      col(["文件", "file"], lang),
      col(["工作表", "sheet"], lang),
      col(["表类型", "table kind"], lang),
      col(["编码", "encoding"], lang),
      col(["表头行", "header row"], lang, "integer"),
      col(["读取行数", "rows read"], lang, "integer"),
      col(["接受", "accepted"], lang, "integer"),
      col(["拒绝", "rejected"], lang, "integer"),
      col(["跳过", "skipped"], lang, "integer"),
      col(["重复", "duplicates"], lang, "integer"),
    ],
    rows: tableRows,
    freezeHeader: true,
    blocks,
  };
}

// ---------------------------------------------------------------- 参数

/** `province=云南省, codePrefix=530` for an override's `where`. */
export function formatWhere(where: PolicyOverride["where"]): string {
  const keys = ["province", "city", "county", "township", "village", "codePrefix"] as const;
  return keys.filter((k) => where[k] !== undefined).map((k) => `${k}=${where[k]}`).join(", ");
}

/** The command line as one string, arguments with spaces or quotes single-quoted (POSIX shell style). */
export function formatCommandLine(args: readonly string[]): string {
  const quote = (a: string) => (/^[\w@%+=:,./\-\u0080-\uffff]+$/u.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ["povwatch", ...args.map(quote)].join(" ");
}

function parameterSheet(totals: ScanTotals, ctx: SummaryContext): SheetSpec {
  const { lang, policy } = ctx;
  const rows: Cell[][] = [["name", lang === "en" ? "policy name" : "政策名称", policy.name]];
  const styles: (RowStyle | undefined)[] = [undefined];
  rows.push(["builtIn", lang === "en" ? "built-in national floor" : "内置全国底线政策", lang === "en" ? (policy.builtIn ? "yes" : "no") : policy.builtIn ? "是" : "否"]);
  styles.push(undefined);
  // Every setting, labelled from the policy's own table (policy/defaults.ts), in policy.md's order.
  for (const spec of SETTING_SPECS) {
    const v = settingAt(policy, spec.path);
    rows.push([spec.path, lang === "en" ? spec.labelEn : spec.labelZh, typeof v === "number" ? v : v === undefined ? null : String(v)]);
    styles.push({ formats: { 2: spec.kind === "months" ? "integer" : "amount" } });
  }
  const overrideRows: Cell[][] = policy.overrides.map((o) => [
    `overrides[${o.index}]`,
    formatWhere(o.where),
    o.from === undefined ? null : formatMonth(o.from),
    o.to === undefined ? null : formatMonth(o.to),
    o.source ?? null,
    JSON.stringify(o.settings),
    totals.overrideMatches.get(o.index) ?? 0,
  ]);
  return {
    name: "参数",
    columns: [col(["参数", "key"], lang), col(["说明", "meaning"], lang), col(["值", "value"], lang)],
    rows,
    styles,
    blocks: [
      {
        title: lang === "en" ? "Regional overrides" : "地区覆盖规则",
        columns: [
          col(["规则", "override"], lang),
          col(["适用地区", "where"], lang),
          col(["起始月份", "from"], lang),
          col(["截止月份", "to"], lang),
          col(["依据", "source"], lang),
          col(["设置", "settings"], lang),
          col(["匹配户数", "households matched"], lang, "integer"),
        ],
        rows: overrideRows,
      },
      {
        title: lang === "en" ? "Input files" : "输入文件",
        columns: [col(["文件", "file"], lang), col(["大小（字节）", "size (bytes)"], lang, "integer"), col(["SHA-256", "SHA-256"], lang)],
        rows: ctx.inputs.map((f) => [f.path, f.size, f.sha256]),
      },
      {
        title: lang === "en" ? "Command line" : "命令行",
        columns: [col(["命令行", "command line"], lang)],
        rows: [[formatCommandLine(ctx.commandLine)]],
      },
    ],
  };
}
