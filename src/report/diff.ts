/**
 * The outputs of `povwatch diff` (outputs.md "diff") as plain data: diff.csv (the 变化明细 rows), diff.xlsx (变化明细,
 * 类别转移, 颜色转移, 分地区), the `--json` summary; and for the generic `--key/--fields` mode, its 变化明细 and 汇总.
 */
import type { RegionLevel } from "../model/index.js";
import { formatMonth } from "../model/month.js";
import { CHANGE_KINDS, type ChangeKind, type CohortDiff, type TransitionMatrix } from "../diff/cohort.js";
import type { ListEntry } from "../diff/list.js";
import type { TableDiff, RowChangeKind } from "../diff/generic.js";
import { LIST_SEPARATOR } from "./flagged.js";
import { CATEGORIES, COLOR_ZH, STATUS_ZH, compareCodePoints, type Lang } from "./labels.js";
import type { Cell, ColumnSpec, Fill, RowStyle, SheetSpec, TableSpec, WorkbookSpec } from "./workbook.js";
import type { Color, Status } from "../rules/types.js";

/** Sheet names of diff.xlsx (kept with `--lang en`, like 监测名单). */
export const DIFF_SHEETS = { changes: "变化明细", category: "类别转移", color: "颜色转移", region: "分地区", summary: "汇总" } as const;

/** 变化 labels: Chinese, and the English words used with `--lang en`. */
export const CHANGE_LABELS: Readonly<Record<ChangeKind, { zh: string; en: string }>> = {
  entered: { zh: "新增", en: "entered" },
  exited: { zh: "移出", en: "exited" },
  category: { zh: "类别变化", en: "category_change" },
  grade: { zh: "等级变化", en: "grade_change" },
  status: { zh: "状态变化", en: "status_change" },
};

/** Generic-mode 变化 labels. */
export const ROW_CHANGE_LABELS: Readonly<Record<RowChangeKind, { zh: string; en: string }>> = {
  entered: { zh: "新增", en: "entered" },
  exited: { zh: "移出", en: "exited" },
  changed: { zh: "变化", en: "changed" },
};

/** The row/column of households absent on one side of a transition matrix. */
export const NOT_LISTED = { zh: "未列入", en: "not_listed" } as const;
/** The row/column of listed households with an empty category or colour. */
export const EMPTY_VALUE = { zh: "（空）", en: "(empty)" } as const;
const TOTAL = { zh: "合计", en: "total" } as const;

const REGION_HEADERS: Record<RegionLevel, { zh: string; en: string }> = {
  province: { zh: "省", en: "province" },
  city: { zh: "市", en: "city" },
  county: { zh: "县", en: "county" },
  township: { zh: "乡", en: "township" },
  village: { zh: "村", en: "village" },
};

const STATUS_CODES = new Set<string>(Object.keys(STATUS_ZH));
const COLOR_CODES = new Set<string>(Object.keys(COLOR_ZH));
const COLOR_ORDER: readonly Color[] = ["red", "orange", "yellow", "green"];
const COLOR_FILLS: Record<string, Fill> = { red: "red", orange: "orange", yellow: "yellow", green: "green" };

function pick(label: { zh: string; en: string }, lang: Lang): string {
  return label[lang];
}

/** A 状态 value as written: 新识别 / 持续监测 / 建议消除 (English: the code); unknown text as it was. */
export function diffStatusLabel(status: string, lang: Lang): string {
  return STATUS_CODES.has(status) && lang === "zh" ? STATUS_ZH[status as Status] : status;
}

/** A 风险等级 value as written: 红 橙 黄 绿 (English: the code); unknown text as it was. */
export function diffColorLabel(color: string, lang: Lang): string {
  return COLOR_CODES.has(color) && lang === "zh" ? COLOR_ZH[color as Color] : color;
}

/** The 变化 cell: the labels of the household's changes joined with `；`. */
export function changeText(changes: readonly ChangeKind[], lang: Lang): string {
  return changes.map((c) => pick(CHANGE_LABELS[c], lang)).join(LIST_SEPARATOR);
}

/**
 * diff.csv / sheet 变化明细: one row per household that entered, left or changed, in diffCohorts' order. Columns
 * 户编号, the region columns present in either list (省 市 县 乡 村), 变化, 原状态 新状态, 原监测类别 新监测类别,
 * 原风险等级 新风险等级, 原风险程度 新风险程度, 说明 (English: household_id, province…village, change, old_status,
 * new_status, old_category, new_category, old_color, new_color, old_grade, new_grade, explanation). The side a
 * household is absent from has empty cells.
 */
export function buildCohortDiffTable(diff: CohortDiff, lang: Lang): TableSpec {
  const pair = (key: string, zh: string): ColumnSpec[] => [
    { key: `old_${key}`, header: lang === "en" ? `old_${key}` : `原${zh}` },
    { key: `new_${key}`, header: lang === "en" ? `new_${key}` : `新${zh}` },
  ];
  const columns: ColumnSpec[] = [
    { key: "household_id", header: lang === "en" ? "household_id" : "户编号", format: "text" },
    ...diff.regionLevels.map((l) => ({ key: l, header: pick(REGION_HEADERS[l], lang) })),
    { key: "change", header: lang === "en" ? "change" : "变化" },
    ...pair("status", "状态"),
    ...pair("category", "监测类别"),
    ...pair("color", "风险等级"),
    ...pair("grade", "风险程度"),
    { key: "explanation", header: lang === "en" ? "explanation" : "说明" },
  ];
  const text = (s: string | undefined): Cell => (s === undefined || s === "" ? null : s);
  const side = (e: ListEntry | undefined, f: (e: ListEntry) => string): Cell => (e === undefined ? null : text(f(e)));
  const rows = diff.changes.map((c): Cell[] => [
    c.id,
    ...diff.regionLevels.map((l) => text(c.region[l])),
    changeText(c.changes, lang),
    side(c.old, (e) => diffStatusLabel(e.status, lang)),
    side(c.new, (e) => diffStatusLabel(e.status, lang)),
    side(c.old, (e) => e.category),
    side(c.new, (e) => e.category),
    side(c.old, (e) => diffColorLabel(e.color, lang)),
    side(c.new, (e) => diffColorLabel(e.color, lang)),
    side(c.old, (e) => e.grade),
    side(c.new, (e) => e.grade),
    text(c.explanation),
  ]);
  return { columns, rows };
}

/** The labels of a matrix's rows and columns: `known` first (always), then other values by code point, empty, 未列入 (null). */
function matrixKeys(matrix: TransitionMatrix, known: readonly string[]): (string | null)[] {
  const values = new Set<string>();
  for (const [from, row] of matrix) {
    if (from !== null) values.add(from);
    for (const to of row.keys()) if (to !== null) values.add(to);
  }
  const others = [...values].filter((v) => v !== "" && !known.includes(v)).sort(compareCodePoints);
  return [...known, ...others, ...(values.has("") ? [""] : []), null];
}

/** The ordered row/column keys of the category matrix (three official categories always present). */
export function categoryMatrixKeys(diff: CohortDiff): (string | null)[] {
  return matrixKeys(diff.categoryMatrix, CATEGORIES);
}

/** The ordered row/column keys of the colour matrix (red, orange, yellow, green always present). */
export function colorMatrixKeys(diff: CohortDiff): (string | null)[] {
  return matrixKeys(diff.colorMatrix, COLOR_ORDER);
}

function keyLabel(key: string | null, lang: Lang, label: (v: string) => string): string {
  if (key === null) return pick(NOT_LISTED, lang);
  if (key === "") return pick(EMPTY_VALUE, lang);
  return label(key);
}

function cell(matrix: TransitionMatrix, from: string | null, to: string | null): number {
  return matrix.get(from)?.get(to) ?? 0;
}

function matrixSheet(name: string, corner: string, matrix: TransitionMatrix, keys: (string | null)[], lang: Lang, label: (v: string) => string, fills: boolean): SheetSpec {
  const total = pick(TOTAL, lang);
  const columns: ColumnSpec[] = [{ header: corner }, ...keys.map((k) => ({ header: keyLabel(k, lang, label), format: "integer" as const })), { header: total, format: "integer" }];
  const rows: Cell[][] = keys.map((from) => {
    const counts = keys.map((to) => cell(matrix, from, to));
    return [keyLabel(from, lang, label), ...counts, counts.reduce((a, b) => a + b, 0)];
  });
  const columnTotals = keys.map((to) => keys.reduce((s, from) => s + cell(matrix, from, to), 0));
  rows.push([total, ...columnTotals, columnTotals.reduce((a, b) => a + b, 0)]);
  const styles: (RowStyle | undefined)[] = keys.map((k) => (fills && k !== null && COLOR_FILLS[k] ? { fills: { 0: COLOR_FILLS[k]! } } : undefined));
  styles.push({ bold: true });
  return { name, columns, rows, styles, freezeHeader: true };
}

function regionSheet(diff: CohortDiff, lang: Lang): SheetSpec {
  const levels = diff.regionLevels;
  const regionColumns: ColumnSpec[] = levels.length > 0 ? levels.map((l) => ({ key: l, header: pick(REGION_HEADERS[l], lang) })) : [{ key: "region", header: lang === "en" ? "region" : "地区" }];
  const counts: ColumnSpec[] = [
    { key: "old_listed", header: lang === "en" ? "old_listed" : "原名单户数", format: "integer" },
    { key: "new_listed", header: lang === "en" ? "new_listed" : "新名单户数", format: "integer" },
    { key: "entered", header: lang === "en" ? "entered" : "新增", format: "integer" },
    { key: "exited", header: lang === "en" ? "exited" : "移出", format: "integer" },
    { key: "net", header: lang === "en" ? "net" : "净变化", format: "integer" },
  ];
  const rows: Cell[][] = [];
  const styles: (RowStyle | undefined)[] = [];
  for (const r of diff.byRegion) {
    const names: Cell[] =
      r.depth === 0
        ? [pick(TOTAL, lang), ...regionColumns.slice(1).map(() => null)]
        : levels.map((l) => (r.region[l] === undefined ? null : r.region[l] === "" ? pick(EMPTY_VALUE, lang) : r.region[l]!));
    rows.push([...names, r.oldListed, r.newListed, r.entered, r.exited, r.net]);
    const deepest = r.depth === 0 ? 0 : levels.filter((l) => r.region[l] !== undefined).length;
    styles.push(r.depth === 0 ? { bold: true } : { indent: r.depth - 1, ...(deepest < levels.length ? { bold: true } : {}) });
  }
  return { name: DIFF_SHEETS.region, columns: [...regionColumns, ...counts], rows, styles, freezeHeader: true, autoFilter: true };
}

/**
 * diff.xlsx: 变化明细 (the diff.csv rows, frozen header, autofilter), 类别转移 and 颜色转移 (rows OLD, columns NEW,
 * 未列入 for households absent on one side, 合计 row and column), 分地区 (the total, then every county, township and
 * village: OLD and NEW list sizes, entered, exited, net).
 */
export function buildCohortDiffWorkbook(diff: CohortDiff, lang: Lang): WorkbookSpec {
  const table = buildCohortDiffTable(diff, lang);
  const corner = lang === "en" ? "old \\ new" : "原＼新";
  return {
    sheets: [
      { name: DIFF_SHEETS.changes, columns: table.columns, rows: table.rows, freezeHeader: true, autoFilter: true },
      matrixSheet(DIFF_SHEETS.category, corner, diff.categoryMatrix, categoryMatrixKeys(diff), lang, (v) => v, false),
      matrixSheet(DIFF_SHEETS.color, corner, diff.colorMatrix, colorMatrixKeys(diff), lang, (v) => diffColorLabel(v, lang), true),
      regionSheet(diff, lang),
    ],
  };
}

/** A transition matrix as JSON: `{ OLD: { NEW: n } }`, every row and column key present (zeros included). */
function matrixJson(matrix: TransitionMatrix, keys: (string | null)[], lang: Lang, label: (v: string) => string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const from of keys) {
    const row: Record<string, number> = {};
    for (const to of keys) row[keyLabel(to, lang, label)] = cell(matrix, from, to);
    out[keyLabel(from, lang, label)] = row;
  }
  return out;
}

/** The `--json` summary of a cohort diff (outputs.md). */
export interface CohortDiffJson {
  old: { period: string | null; households: number };
  new: { period: string | null; households: number };
  entered: number;
  exited: number;
  changed: number;
  unchanged: number;
  byChange: Record<string, number>;
  categoryMatrix: Record<string, Record<string, number>>;
  colorMatrix: Record<string, Record<string, number>>;
}

/**
 * The `--json` object: periods as "YYYY-MM" (null when unknown), list sizes, counts, byChange with all five labels,
 * and both matrices with 未列入 (English: not_listed) for households absent on one side.
 */
export function buildCohortDiffJson(diff: CohortDiff, periods: { old: number | undefined; new: number | undefined }, lang: Lang): CohortDiffJson {
  const byChange: Record<string, number> = {};
  for (const k of CHANGE_KINDS) byChange[pick(CHANGE_LABELS[k], lang)] = diff.byChange[k];
  const period = (p: number | undefined) => (p === undefined ? null : formatMonth(p));
  return {
    old: { period: period(periods.old), households: diff.counts.old },
    new: { period: period(periods.new), households: diff.counts.new },
    entered: diff.counts.entered,
    exited: diff.counts.exited,
    changed: diff.counts.changed,
    unchanged: diff.counts.unchanged,
    byChange,
    categoryMatrix: matrixJson(diff.categoryMatrix, categoryMatrixKeys(diff), lang, (v) => v),
    colorMatrix: matrixJson(diff.colorMatrix, colorMatrixKeys(diff), lang, (v) => diffColorLabel(v, lang)),
  };
}

/**
 * Generic diff.csv / 变化明细: the key column (header as given), 变化 (新增 / 移出 / 变化), 变化字段 (the differing
 * fields joined with `；`), then 原X and 新X for every compared field X (English: change, changed_fields, old_X, new_X).
 */
export function buildTableDiffTable(diff: TableDiff, lang: Lang): TableSpec {
  const columns: ColumnSpec[] = [
    { key: "key", header: diff.key, format: "text" },
    { key: "change", header: lang === "en" ? "change" : "变化" },
    { key: "changed_fields", header: lang === "en" ? "changed_fields" : "变化字段" },
    ...diff.fields.flatMap((f): ColumnSpec[] => [{ header: lang === "en" ? `old_${f}` : `原${f}` }, { header: lang === "en" ? `new_${f}` : `新${f}` }]),
  ];
  const text = (s: string | undefined): Cell => (s === undefined || s === "" ? null : s);
  const rows = diff.changes.map((c): Cell[] => [
    c.key,
    pick(ROW_CHANGE_LABELS[c.kind], lang),
    text(c.changedFields.join(LIST_SEPARATOR)),
    ...diff.fields.flatMap((_, i) => [text(c.old?.[i]), text(c.new?.[i])]),
  ]);
  return { columns, rows };
}

/** Generic diff.xlsx: 变化明细, then 汇总 (files, rows, entered / exited / changed / unchanged, changes per field). */
export function buildTableDiffWorkbook(diff: TableDiff, lang: Lang): WorkbookSpec {
  const table = buildTableDiffTable(diff, lang);
  const en = lang === "en";
  const where = (s: TableDiff["old"]) => (s.sheet ? `${s.file} (${s.sheet})` : s.file);
  const rows: Cell[][] = [
    [en ? "old file" : "原表", where(diff.old)],
    [en ? "new file" : "新表", where(diff.new)],
    [en ? "key" : "比较键", diff.key],
    [en ? "old rows" : "原表行数", diff.old.rows],
    [en ? "new rows" : "新表行数", diff.new.rows],
    [en ? "entered" : "新增", diff.counts.entered],
    [en ? "exited" : "移出", diff.counts.exited],
    [en ? "changed" : "变化", diff.counts.changed],
    [en ? "unchanged" : "未变化", diff.counts.unchanged],
  ];
  const styles: (RowStyle | undefined)[] = rows.map((r) => (typeof r[1] === "number" ? { formats: { 1: "integer" } } : undefined));
  return {
    sheets: [
      { name: DIFF_SHEETS.changes, columns: table.columns, rows: table.rows, freezeHeader: true, autoFilter: true },
      {
        name: DIFF_SHEETS.summary,
        columns: [{ header: en ? "item" : "项目" }, { header: en ? "value" : "数值" }],
        rows,
        styles,
        blocks: [
          {
            columns: [{ header: en ? "field" : "字段" }, { header: en ? "changed rows" : "变化行数", format: "integer" }],
            rows: diff.fields.map((f, i) => [f, diff.byField[i]!]),
          },
        ],
      },
    ],
  };
}

/** The generic `--json` object: key, fields, both sides' files and row counts, counts and changes per field. */
export function buildTableDiffJson(diff: TableDiff): Record<string, unknown> {
  const byField: Record<string, number> = {};
  diff.fields.forEach((f, i) => (byField[f] = diff.byField[i]!));
  return {
    key: diff.key,
    fields: [...diff.fields],
    old: { file: diff.old.file, rows: diff.old.rows },
    new: { file: diff.new.file, rows: diff.new.rows },
    ...diff.counts,
    byField,
  };
}
