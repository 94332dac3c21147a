/**
 * The monitoring list (outputs.md "The monitoring list"): one row per listed household, columns in the fixed order,
 * sorted by status, colour, region and 户编号, personal data masked unless revealed. As plain data (TableSpec /
 * WorkbookSpec); io/writeCsv and io/writeWorkbook write it.
 */
import type { Household, RegionLevel } from "../model/index.js";
import { REGION_LEVELS } from "../model/index.js";
import { formatMonth } from "../model/month.js";
import { maskIdNumber, maskName } from "../model/mask.js";
import { COLORS, STATUSES } from "../rules/types.js";
import type { Assessment } from "../rules/types.js";
import { ANNUAL_SOURCE_ZH, colorLabel, compareCodePoints, roundTo, statusLabel, triggerLabel } from "./labels.js";
import type { Lang } from "./labels.js";
import { SheetNamer } from "./sheetNames.js";
import type { Cell, ColumnSpec, Fill, LazyTableSpec, NumberFormat, RowStyle, SheetSpec, TableSpec, WorkbookSpec } from "./workbook.js";

/** One listed household with the rules' verdict on it. */
export interface ListedHousehold {
  household: Household;
  assessment: Assessment;
}

/** Options of the monitoring list. */
export interface FlaggedOptions {
  lang: Lang;
  /** `--reveal-personal-data`: write 户主姓名 and 户主证件号码 in full. */
  revealPersonalData: boolean;
  /** Region levels present in the input; only these get a column. */
  regionLevels: readonly RegionLevel[];
}

interface FlaggedColumn {
  key: string;
  zh: string;
  en: string;
  format?: NumberFormat;
}

const REGION_COLUMNS: Record<RegionLevel, FlaggedColumn> = {
  province: { key: "province", zh: "省", en: "province" },
  city: { key: "city", zh: "市", en: "city" },
  county: { key: "county", zh: "县", en: "county" },
  township: { key: "township", zh: "乡", en: "township" },
  village: { key: "village", zh: "村", en: "village" },
};

/** The columns after 户编号 and the region columns, in outputs.md order. */
const BODY_COLUMNS: readonly FlaggedColumn[] = [
  { key: "head_name", zh: "户主姓名", en: "head_name" },
  { key: "head_id_number", zh: "户主证件号码", en: "head_id_number" },
  { key: "household_type", zh: "户类型", en: "household_type" },
  { key: "household_size", zh: "家庭人口数", en: "household_size", format: "integer" },
  { key: "status", zh: "状态", en: "status" },
  { key: "current_category", zh: "当前监测类别", en: "current_category" },
  { key: "suggested_category", zh: "建议监测类别", en: "suggested_category" },
  { key: "color", zh: "风险等级", en: "color" },
  { key: "grade", zh: "风险程度", en: "grade" },
  { key: "triggers", zh: "预警信号", en: "triggers" },
  { key: "risk_types", zh: "风险类型", en: "risk_types" },
  { key: "current_streak", zh: "连续低收入月数", en: "current_streak", format: "integer" },
  { key: "longest_streak", zh: "最长连续低收入月数", en: "longest_streak", format: "integer" },
  { key: "streak_months", zh: "低收入月份", en: "streak_months" },
  { key: "annual_pc", zh: "年化人均纯收入", en: "annual_pc", format: "amount" },
  { key: "annual_source", zh: "收入口径", en: "annual_source" },
  { key: "monitoring_line", zh: "监测标准", en: "monitoring_line", format: "amount" },
  { key: "medical_self_paid", zh: "近12月医疗自付", en: "medical_self_paid", format: "amount" },
  { key: "rigid_expense_total", zh: "近12月刚性支出", en: "rigid_expense_total", format: "amount" },
  { key: "income_drop_ratio", zh: "收入降幅", en: "income_drop_ratio", format: "percent" },
  { key: "recorded_months", zh: "已记录月数", en: "recorded_months", format: "integer" },
  { key: "explanation", zh: "说明", en: "explanation" },
];

/** Separator of triggers, risk types and explanation parts (full-width semicolon). */
export const LIST_SEPARATOR = "；";
/** Separator of the first and last month of 低收入月份 (`2026-08～2026-10`). */
export const RANGE_SEPARATOR = "～";
/** Name of the monitoring list's sheet (kept with `--lang en`). */
export const FLAGGED_SHEET = "监测名单";
/** Sheet name for listed households without a 县 when the list is split by county. */
export const NO_COUNTY_SHEET = "县未填写";

const STATUS_RANK = new Map(STATUSES.map((s, i) => [s, i]));
const COLOR_RANK = new Map(COLORS.map((c, i) => [c, i]));

/**
 * Sorts listed households in the order of outputs.md: status (新识别, 持续监测, 建议消除), colour (red first), then
 * 省, 市, 县, 乡, 村 by Unicode code point with an empty name first, then 户编号 as text. Returns a new array.
 */
export function sortListed<T extends ListedHousehold>(listed: readonly T[]): T[] {
  // The order of compareListed, on keys computed once: a province lists a few hundred thousand households, and each
  // comparison would otherwise look up ranks and compare region names as text again. Each level's names are numbered
  // as first seen (one lookup a household and level), then ranked by sorting the distinct names.
  const n = listed.length;
  const levels = REGION_LEVELS.length;
  const seen = REGION_LEVELS.map(() => new Map<string, number>());
  const firstSeen = new Int32Array(n * levels);
  for (let i = 0; i < n; i++) {
    const h = listed[i]!.household;
    for (let j = 0; j < levels; j++) {
      const name = h[REGION_LEVELS[j]!] ?? "";
      const names = seen[j]!;
      let k = names.get(name);
      if (k === undefined) names.set(name, (k = names.size));
      firstSeen[i * levels + j] = k;
    }
  }
  const rankOf = seen.map((names) => {
    const ranks = new Int32Array(names.size);
    [...names.keys()].sort(compareCodePoints).forEach((name, r) => (ranks[names.get(name)!] = r));
    return ranks;
  });
  // Status and colour, then each level's rank, as digits of one mixed-radix number when it stays exact (it does
  // unless a list has hundreds of distinct names at every level); else one key per level.
  const statusColors = (STATUS_RANK.size + 1) * (COLOR_RANK.size + 1);
  const packed = seen.reduce((product, names) => product * names.size, statusColors) <= Number.MAX_SAFE_INTEGER;
  const width = packed ? 1 : 1 + levels;
  const keys = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    const a = listed[i]!.assessment;
    let key = rank(STATUS_RANK, a.status) * (COLOR_RANK.size + 1) + rank(COLOR_RANK, a.color);
    if (!packed) keys[i * width] = key;
    for (let j = 0; j < levels; j++) {
      const r = rankOf[j]![firstSeen[i * levels + j]!]!;
      if (packed) key = key * seen[j]!.size + r;
      else keys[i * width + 1 + j] = r;
    }
    if (packed) keys[i] = key;
  }
  const ids = numericIds(listed);
  const byId = ids ? (a: number, b: number) => ids[a]! - ids[b]! : (a: number, b: number) => compareCodePoints(listed[a]!.household.id, listed[b]!.household.id);
  const order: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (packed) order.sort((a, b) => keys[a]! - keys[b]! || byId(a, b));
  else {
    order.sort((a, b) => {
      for (let j = 0; j < width; j++) {
        const d = keys[a * width + j]! - keys[b * width + j]!;
        if (d !== 0) return d;
      }
      return byId(a, b);
    });
  }
  return order.map((i) => listed[i]!);
}

/**
 * The 户编号 as numbers when every one is digits only and all have the same length (up to 15 digits, exact as a
 * number): then their numeric order is their order as text. Otherwise undefined.
 */
function numericIds(listed: readonly ListedHousehold[]): Float64Array | undefined {
  const length = listed[0]?.household.id.length ?? 0;
  if (length === 0 || length > 15) return undefined;
  const ids = new Float64Array(listed.length);
  for (let i = 0; i < listed.length; i++) {
    const id = listed[i]!.household.id;
    if (id.length !== length) return undefined;
    let v = 0;
    for (let k = 0; k < length; k++) {
      const c = id.charCodeAt(k) - 48;
      if (c < 0 || c > 9) return undefined;
      v = v * 10 + c;
    }
    ids[i] = v;
  }
  return ids;
}

/** The order of the monitoring list for two households (sortListed sorts by it on precomputed keys). */
export function compareListed(a: ListedHousehold, b: ListedHousehold): number {
  const s = rank(STATUS_RANK, a.assessment.status) - rank(STATUS_RANK, b.assessment.status);
  if (s !== 0) return s;
  const c = rank(COLOR_RANK, a.assessment.color) - rank(COLOR_RANK, b.assessment.color);
  if (c !== 0) return c;
  for (const level of REGION_LEVELS) {
    const r = compareCodePoints(a.household[level] ?? "", b.household[level] ?? "");
    if (r !== 0) return r;
  }
  return compareCodePoints(a.household.id, b.household.id);
}

function rank<K>(ranks: Map<K, number>, key: K | undefined): number {
  return key === undefined ? ranks.size : (ranks.get(key) ?? ranks.size);
}

/** The columns of the monitoring list for the region levels present, with headers in `lang`. */
export function flaggedColumns(regionLevels: readonly RegionLevel[], lang: Lang): ColumnSpec[] {
  const present = REGION_LEVELS.filter((l) => regionLevels.includes(l)).map((l) => REGION_COLUMNS[l]);
  const all: FlaggedColumn[] = [{ key: "household_id", zh: "户编号", en: "household_id" }, ...present, ...BODY_COLUMNS];
  return all.map((c) => ({ key: c.key, header: lang === "en" ? c.en : c.zh, ...(c.format ? { format: c.format } : {}) }));
}

/**
 * Builds the monitoring list: exactly the columns of outputs.md (region columns only for `regionLevels`), one row
 * per listed household in the stated order. Empty values are null cells (an empty CSV field / empty xlsx cell);
 * amounts are numbers rounded to 2 decimals, 收入降幅 a ratio rounded to 4 decimals. Households without a status
 * (not listed) are left out.
 */
export function buildFlaggedTable(listed: readonly ListedHousehold[], options: FlaggedOptions): TableSpec {
  const lazy = flaggedTableRows(listed, options);
  return { columns: lazy.columns, rows: Array.from({ length: lazy.rowCount }, (_, i) => lazy.row(i)) };
}

/** The monitoring list of buildFlaggedTable with each row built when asked for (for writing a long list as CSV). */
export function flaggedTableRows(listed: readonly ListedHousehold[], options: FlaggedOptions): LazyTableSpec {
  const columns = flaggedColumns(options.regionLevels, options.lang);
  const levels = REGION_LEVELS.filter((l) => options.regionLevels.includes(l));
  const sorted = sortListed(listed.filter((x) => x.assessment.status !== undefined));
  return {
    columns,
    rowCount: sorted.length,
    row: (i) => flaggedRow(sorted[i]!, levels, options),
    // 户编号 and the region columns (what --split-by county groups by) straight from the household; any other cell
    // from the row.
    cell: (i, col) => {
      const h = sorted[i]!.household;
      if (col === 0) return h.id;
      if (col <= levels.length) return textCell(h[levels[col - 1]!]);
      return flaggedRow(sorted[i]!, levels, options)[col]!;
    },
  };
}

/** A text cell: null when empty. */
function textCell(s: string | undefined): Cell {
  return s === undefined || s === "" ? null : s;
}

/** An amount cell, rounded to 2 decimals. */
function amountCell(n: number | undefined): Cell {
  return n === undefined ? null : (roundTo(n, 2) ?? null);
}

/** A count cell: null when unknown. */
function countCell(n: number | undefined): Cell {
  return n === undefined || !Number.isFinite(n) ? null : n;
}

function flaggedRow({ household: h, assessment: a }: ListedHousehold, levels: readonly RegionLevel[], options: FlaggedOptions): Cell[] {
  const { lang, revealPersonalData } = options;
  const headName = h.headName === undefined ? undefined : revealPersonalData ? h.headName : maskName(h.headName);
  const headId = h.headIdNumber === undefined ? undefined : revealPersonalData ? h.headIdNumber : maskIdNumber(h.headIdNumber);
  const row: Cell[] = [h.id];
  for (const l of levels) row.push(textCell(h[l]));
  row.push(
    textCell(headName),
    textCell(headId),
    textCell(h.householdType),
    countCell(a.size),
    a.status === undefined ? null : statusLabel(a.status, lang),
    textCell(a.currentCategory),
    textCell(a.suggestedCategory),
    colorLabel(a.color, lang),
    textCell(a.grade),
    textCell(a.triggers.map((t) => triggerLabel(t, lang)).join(LIST_SEPARATOR)),
    textCell(a.riskTypes.join(LIST_SEPARATOR)),
    countCell(a.currentStreak),
    countCell(a.longestStreak),
    textCell(streakMonths(a)),
    amountCell(a.annualPc),
    a.annualSource === undefined ? null : lang === "en" ? a.annualSource : ANNUAL_SOURCE_ZH[a.annualSource],
    amountCell(a.lines.annual),
    amountCell(a.medicalSelfPaid),
    amountCell(a.rigidExpenseTotal),
    a.incomeDropRatio === undefined ? null : (roundTo(a.incomeDropRatio, 4) ?? null),
    countCell(a.recorded),
    textCell(fullExplanation(a)),
  );
  return row;
}

/** `2026-08～2026-10` for the longest streak (also when it is one month long); undefined without a streak. */
export function streakMonths(a: Pick<Assessment, "longestStreak" | "streakFirst" | "streakLast">): string | undefined {
  if (a.longestStreak <= 0 || a.streakFirst === undefined || a.streakLast === undefined) return undefined;
  return `${formatMonth(a.streakFirst)}${RANGE_SEPARATOR}${formatMonth(a.streakLast)}`;
}

/**
 * The 说明 of a listed household: the rules' explanation, followed by the category-change note and the reasons
 * elimination is not yet possible when the explanation does not already contain them, joined with `；`.
 */
export function fullExplanation(a: Pick<Assessment, "explanation" | "categoryChange" | "eliminationBlockers">): string {
  const parts = a.explanation === "" ? [] : [a.explanation];
  const extra = [...(a.categoryChange ? [a.categoryChange] : []), ...a.eliminationBlockers];
  for (const note of extra) if (note !== "" && !a.explanation.includes(note)) parts.push(note);
  return parts.join(LIST_SEPARATOR);
}

/** Options of the monitoring-list workbook. */
export interface FlaggedWorkbookOptions {
  /** `--split-by county`: after 监测名单, one sheet per county (in list order). */
  splitByCounty: boolean;
}

const COLOR_FILLS: Record<string, Fill> = { 红: "red", 橙: "orange", 黄: "yellow", 绿: "green", red: "red", orange: "orange", yellow: "yellow", green: "green" };

/**
 * The monitoring list as a workbook: sheet 监测名单 with a frozen header, an autofilter and the 风险等级 cells filled
 * red/orange/yellow/green; with `splitByCounty`, one more sheet per county (households without a 县 on 县未填写),
 * named after the county (made valid and unique for Excel; a county name found under two cities is prefixed with
 * its 市). Without a 县 column there is nothing to split by and only 监测名单 is written.
 */
export function buildFlaggedWorkbook(table: TableSpec | LazyTableSpec, options: FlaggedWorkbookOptions): WorkbookSpec {
  const colorCol = table.columns.findIndex((c) => c.key === "color");
  const style = (cells: Cell[]) => colorStyle(cells, colorCol);
  // A materialised table's rows are shared by its sheets; a lazy one's are built as each sheet is written.
  const rowAt = "rows" in table ? (i: number) => table.rows[i]! : (i: number) => table.row(i);
  const count = "rows" in table ? table.rows.length : table.rowCount;
  // Grouping reads three cells a row: a lazy table's rows are built only as each sheet is written (one that cannot
  // give a cell alone builds each row once here).
  const cellAt = "rows" in table ? (i: number, col: number) => table.rows[i]![col]! : table.cell ? (i: number, col: number) => table.cell!(i, col) : lastRowCells(table);
  const sheet = (name: string, indices: number[] | undefined): SheetSpec => ({
    name,
    columns: table.columns,
    rows: [],
    rowSource: { count: indices ? indices.length : count, row: indices ? (i) => rowAt(indices[i]!) : rowAt, style },
    freezeHeader: true,
    autoFilter: true,
  });
  const sheets: SheetSpec[] = [sheet(FLAGGED_SHEET, undefined)];
  const countyCol = table.columns.findIndex((c) => c.key === "county");
  if (options.splitByCounty && countyCol >= 0) {
    const names = new SheetNamer([FLAGGED_SHEET]);
    for (const group of groupByCounty(table.columns, count, cellAt)) sheets.push(sheet(names.name(group.label), group.rows));
  }
  return { sheets };
}

/** Cells of a lazy table's rows, the last row built kept (grouping reads a row's cells one after another). */
function lastRowCells(table: LazyTableSpec): (i: number, col: number) => Cell {
  let last = -1;
  let cells: Cell[] = [];
  return (i, col) => {
    if (i !== last) {
      cells = table.row(i);
      last = i;
    }
    return cells[col]!;
  };
}

function colorStyle(row: Cell[], colorCol: number): RowStyle | undefined {
  if (colorCol < 0) return undefined;
  const fill = COLOR_FILLS[String(row[colorCol] ?? "")];
  return fill ? { fills: { [colorCol]: fill } } : undefined;
}

/** Row indices per county (keyed by 省, 市, 县), in order of first appearance; labels made unambiguous. */
function groupByCounty(columns: readonly ColumnSpec[], count: number, cellAt: (i: number, col: number) => Cell): { label: string; rows: number[] }[] {
  const col = (key: string) => columns.findIndex((c) => c.key === key);
  const [p, c, k] = [col("province"), col("city"), col("county")];
  const value = (i: number, column: number) => {
    const v = column < 0 ? null : cellAt(i, column);
    return v === null || v === undefined ? "" : String(v);
  };
  const groups = new Map<string, { city: string; county: string; rows: number[] }>();
  for (let i = 0; i < count; i++) {
    const key = [value(i, p), value(i, c), value(i, k)].join("\u0000");
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { city: value(i, c), county: value(i, k), rows: [] }));
    g.rows.push(i);
  }
  const seen = new Map<string, number>();
  for (const g of groups.values()) seen.set(g.county, (seen.get(g.county) ?? 0) + 1);
  return [...groups.values()].map((g) => ({
    label: g.county === "" ? NO_COUNTY_SHEET : (seen.get(g.county)! > 1 ? g.city : "") + g.county,
    rows: g.rows,
  }));
}
