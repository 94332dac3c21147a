/**
 * A monitoring list (flagged.csv / flagged.xlsx, outputs.md) read back for comparison: the columns diff needs,
 * found by their Chinese or English headers (`--lang en` lists), one entry per household. Pure.
 */
import { EXIT, UserError } from "../model/errors.js";
import { REGION_LEVELS, type RegionLevel } from "../model/index.js";
import {
  type RawTable,
  cellText,
  describeTable,
  duplicateKeyError,
  findColumn,
  findDuplicateKeys,
  isBlankOrTotalRow,
  locateHeader,
} from "./table.js";

/** One listed household as the list shows it. Empty cells are "". */
export interface ListEntry {
  /** 户编号 as text (leading zeros kept). */
  readonly id: string;
  /** 1-based spreadsheet row. */
  readonly row: number;
  /** Region names of the levels the list has a column for. */
  readonly region: Readonly<Partial<Record<RegionLevel, string>>>;
  /** `new` / `continuing` / `suggest_elimination` for a known status (Chinese or English), else the text as written. */
  readonly status: string;
  /** 当前监测类别 as written. */
  readonly currentCategory: string;
  /** 建议监测类别 as written. */
  readonly suggestedCategory: string;
  /** The category diff compares: 建议监测类别, or 当前监测类别 when the household has no suggested category. */
  readonly category: string;
  /** `red` / `orange` / `yellow` / `green` for a known colour (红橙黄绿 or English), else the text as written. */
  readonly color: string;
  /** 风险程度 as written. */
  readonly grade: string;
  /** 说明 as written. */
  readonly explanation: string;
}

/** A monitoring list: its entries in file order and the region levels it has columns for. */
export interface MonitoringList {
  readonly file: string;
  readonly sheet: string;
  /** Region levels with a column, in REGION_LEVELS order. */
  readonly regionLevels: readonly RegionLevel[];
  readonly entries: readonly ListEntry[];
  /** Rows that have content but no 户编号 (left out of the comparison; the command warns about them). */
  readonly rowsWithoutId: readonly number[];
}

/** Header names of the household key: the list's own (zh, en) and the input aliases of 户编号. */
export const HOUSEHOLD_ID_HEADERS: readonly string[] = ["户编号", "household_id", "户编码", "户号"];

const REGION_HEADERS: Record<RegionLevel, readonly string[]> = {
  province: ["省", "province"],
  city: ["市", "city"],
  county: ["县", "county"],
  township: ["乡", "township"],
  village: ["村", "village"],
};

const FIELD_HEADERS = {
  status: ["状态", "status"],
  currentCategory: ["当前监测类别", "current_category"],
  suggestedCategory: ["建议监测类别", "suggested_category"],
  color: ["风险等级", "color"],
  grade: ["风险程度", "grade"],
  explanation: ["说明", "explanation"],
} as const;

const STATUS_CODES: Record<string, string> = {
  新识别: "new",
  new: "new",
  持续监测: "continuing",
  continuing: "continuing",
  建议消除: "suggest_elimination",
  suggest_elimination: "suggest_elimination",
};

const COLOR_CODES: Record<string, string> = {
  红: "red",
  red: "red",
  橙: "orange",
  orange: "orange",
  黄: "yellow",
  yellow: "yellow",
  绿: "green",
  green: "green",
};

/** The status code of a 状态 cell (新识别 / new → `new`, …); other text is returned as written. */
export function parseStatus(text: string): string {
  return STATUS_CODES[text.toLowerCase()] ?? STATUS_CODES[text] ?? text;
}

/** The colour code of a 风险等级 cell (红 / red → `red`, …); other text is returned as written. */
export function parseColor(text: string): string {
  return COLOR_CODES[text.toLowerCase()] ?? COLOR_CODES[text] ?? text;
}

/**
 * Reads a monitoring list out of a table. Throws UserError (exit 1): `not_a_list` when no row among the first 20
 * has a 户编号 / household_id column, or the table has none of 状态, 当前监测类别, 建议监测类别, 风险等级;
 * `duplicate_key` when a 户编号 occurs on more than one row (listing up to 10 with their rows). Blank rows and
 * 合计 rows are left out; rows with content but no 户编号 are reported in `rowsWithoutId`.
 */
export function parseMonitoringList(table: RawTable): MonitoringList {
  const header = locateHeader(table, HOUSEHOLD_ID_HEADERS);
  if (!header) {
    throw notAList(table, "no 户编号 / household_id column in its first 20 rows");
  }
  const col = (names: readonly string[]) => findColumn(header.headers, names);
  const idCol = col(HOUSEHOLD_ID_HEADERS);
  const fields = {
    status: col(FIELD_HEADERS.status),
    currentCategory: col(FIELD_HEADERS.currentCategory),
    suggestedCategory: col(FIELD_HEADERS.suggestedCategory),
    color: col(FIELD_HEADERS.color),
    grade: col(FIELD_HEADERS.grade),
    explanation: col(FIELD_HEADERS.explanation),
  };
  if (fields.status < 0 && fields.currentCategory < 0 && fields.suggestedCategory < 0 && fields.color < 0) {
    throw notAList(table, `it has ${header.headers[idCol]} but none of 状态, 当前监测类别, 建议监测类别, 风险等级 (row ${header.row})`);
  }
  const regionColumns = REGION_LEVELS.map((level) => [level, col(REGION_HEADERS[level])] as const).filter(([, i]) => i >= 0);
  const entries: ListEntry[] = [];
  const rowsWithoutId: number[] = [];
  for (const r of table.rows.slice(header.index + 1)) {
    if (isBlankOrTotalRow(r)) continue;
    const id = cellText(r, idCol);
    if (id === "") {
      rowsWithoutId.push(r.row);
      continue;
    }
    const text = (i: number) => (i < 0 ? "" : cellText(r, i));
    const region: Partial<Record<RegionLevel, string>> = {};
    for (const [level, i] of regionColumns) region[level] = text(i);
    const suggestedCategory = text(fields.suggestedCategory);
    const currentCategory = text(fields.currentCategory);
    entries.push({
      id,
      row: r.row,
      region,
      status: parseStatus(text(fields.status)),
      currentCategory,
      suggestedCategory,
      category: suggestedCategory !== "" ? suggestedCategory : currentCategory,
      color: parseColor(text(fields.color)),
      grade: text(fields.grade),
      explanation: text(fields.explanation),
    });
  }
  const duplicates = findDuplicateKeys(entries.map((e) => ({ key: e.id, row: e.row })));
  if (duplicates.length > 0) throw duplicateKeyError(table, header.headers[idCol]!, duplicates);
  return { file: table.file, sheet: table.sheet, regionLevels: regionColumns.map(([level]) => level), entries, rowsWithoutId };
}

function notAList(table: RawTable, why: string): UserError {
  return new UserError(
    "not_a_list",
    `${describeTable(table)}: not a monitoring list (${why})\n` +
      `give a scan's flagged.csv / flagged.xlsx or its output folder, or compare other tables with --key COL --fields A,B`,
    { exitCode: EXIT.failed, context: { file: table.file, ...(table.sheet ? { sheet: table.sheet } : {}), column: "户编号" } },
  );
}
