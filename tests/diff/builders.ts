/**
 * Builders for diff tests: tables from inline CSV-like text, and monitoring lists from a few fields per household.
 */
import type { RawTable } from "../../src/diff/table.js";

/** A table from lines of comma-separated cells (no quoting); row n of the text is spreadsheet row n. */
export function table(text: string, file = "list.csv", sheet = ""): RawTable {
  const lines = text.replace(/^\n+|\n\s*$/g, "").split("\n");
  return { file, sheet, rows: lines.map((line, i) => ({ row: i + 1, cells: line.trim() === "" ? [] : line.split(",").map((c) => c.trim()) })) };
}

/** One household of a hand-made list. */
export interface ListRow {
  id: string;
  county?: string;
  township?: string;
  village?: string;
  status?: string;
  current?: string;
  suggested?: string;
  color?: string;
  grade?: string;
  explanation?: string;
}

const ZH_HEADER = "户编号,县,乡,村,户主姓名,状态,当前监测类别,建议监测类别,风险等级,风险程度,说明";
const EN_HEADER = "household_id,county,township,village,head_name,status,current_category,suggested_category,color,grade,explanation";

/** A monitoring list with the columns diff reads (Chinese headers, or English with `lang` "en"). */
export function listTable(rows: readonly ListRow[], options: { file?: string; lang?: "zh" | "en" } = {}): RawTable {
  const header = options.lang === "en" ? EN_HEADER : ZH_HEADER;
  const body = rows.map((r) =>
    [r.id, r.county ?? "甲县", r.township ?? "一乡", r.village ?? "东村", "张*", r.status ?? "新识别", r.current ?? "", r.suggested ?? "", r.color ?? "红", r.grade ?? "极易致贫", r.explanation ?? `说明${r.id}`].join(","),
  );
  return table([header, ...body].join("\n"), options.file ?? "list.csv");
}

/** OLD and NEW with one household for every kind of change (and one unchanged). */
export const OLD_ROWS: ListRow[] = [
  { id: "A", suggested: "边缘易致贫户", color: "红", grade: "极易致贫" },
  { id: "B", township: "二乡", village: "南村", suggested: "突发严重困难户", color: "橙", grade: "极易致贫", explanation: "B旧" },
  { id: "C", suggested: "边缘易致贫户", color: "红", grade: "极易致贫" },
  { id: "D", suggested: "边缘易致贫户", color: "红", grade: "极易致贫" },
  { id: "E", suggested: "边缘易致贫户", color: "红", grade: "极易致贫" },
  { id: "F", status: "持续监测", current: "边缘易致贫户", suggested: "突发严重困难户", color: "黄", grade: "较易致贫" },
  { id: "G", suggested: "突发严重困难户", color: "黄", grade: "较易致贫" },
];
export const NEW_ROWS: ListRow[] = [
  { id: "A", suggested: "边缘易致贫户", color: "红", grade: "极易致贫" },
  { id: "C", suggested: "突发严重困难户", color: "红", grade: "极易致贫" },
  { id: "D", suggested: "边缘易致贫户", color: "橙", grade: "极易致贫" },
  { id: "E", status: "持续监测", current: "边缘易致贫户", suggested: "边缘易致贫户", color: "红", grade: "极易致贫" },
  { id: "F", status: "建议消除", current: "边缘易致贫户", suggested: "", color: "绿", grade: "稳定" },
  { id: "G", suggested: "突发严重困难户", color: "黄", grade: "较易返贫" },
  { id: "N", county: "乙县", township: "三乡", village: "北村", suggested: "脱贫不稳定户", color: "红", grade: "极易返贫", explanation: "N新" },
];
