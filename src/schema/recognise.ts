/**
 * Header detection and table recognition (inputs.md): find the header row within the first 20 rows, then try the
 * kinds in order (events, income, members, households) and resolve every header to a column of the first that fits.
 */
import type { TableKind } from "../model/index.js";
import { formatMonth, monthOf, parseDateParts } from "../model/month.js";
import { CATALOGUE, INCOME_AMOUNT_FIELDS, EVENT_AMOUNT_FIELDS, isKnownHeader, lookupColumn, normalizeHeader, type ColumnDef } from "./catalogue.js";
import { cleanCell } from "./values.js";

/** How many leading rows are searched for the header. */
export const HEADER_SEARCH_ROWS = 20;

/** Why a table without a header row in its first 20 rows is skipped. */
export const NO_HEADER_REASON = `no recognised columns (no row among the first ${HEADER_SEARCH_ROWS} has two known column names such as 户编号, 年月; if this is a data table, its header is missing or too far down)`;

export interface ResolvedColumn {
  /** 0-based cell index. */
  index: number;
  def: ColumnDef;
  /** Header as written. */
  header: string;
}

export interface WideMonthColumn {
  index: number;
  month: number;
  header: string;
}

export interface Recognition {
  kind: TableKind | null;
  /** Why no kind was recognised. */
  reason?: string;
  /** 0-based index of the header row among the rows given, undefined when none. */
  headerIndex?: number;
  columns: ResolvedColumn[];
  /** Month columns of the wide income layout. */
  wideMonths: WideMonthColumn[];
  /** Headers not used (as written), with a note for duplicates. */
  ignored: string[];
}

const MONTH_ONLY = /^(\d{1,2})月(份)?$/;

/**
 * The month a wide-layout header names (`2026-01`, `202601`, `2026年1月`, `2026.01`, a date), `1月`…`12月` with a year;
 * "needs-year" for `1月` without one; undefined when it is not a month.
 */
export function parseMonthHeader(header: string, year: number | undefined): number | "needs-year" | undefined {
  const t = normalizeHeader(header).replace(/(纯收入|收入|\(元\))$/, "");
  const m = MONTH_ONLY.exec(t);
  if (m) {
    const month = Number(m[1]);
    if (month < 1 || month > 12) return undefined;
    return year === undefined ? "needs-year" : monthOf(year, month);
  }
  const p = parseDateParts(t);
  return p ? monthOf(p.year, p.month) : undefined;
}

function countKnown(row: string[]): number {
  let n = 0;
  for (const raw of row) {
    const cell = cleanCell(raw);
    if (cell && (isKnownHeader(cell) || parseMonthHeader(cell, 2000) !== undefined)) n++;
  }
  return n;
}

/** 0-based index of the header row: the first of the first 20 rows with ≥ 2 known column names. */
export function findHeaderRow(rows: string[][]): number | undefined {
  const limit = Math.min(rows.length, HEADER_SEARCH_ROWS);
  for (let i = 0; i < limit; i++) if (countKnown(rows[i]!) >= 2) return i;
  return undefined;
}

interface Mapping {
  byField: Map<string, ResolvedColumn & { rank: number }>;
  ignored: string[];
}

function mapHeaders(kind: TableKind, header: string[]): Mapping {
  const byField = new Map<string, ResolvedColumn & { rank: number }>();
  const ignored: string[] = [];
  header.forEach((raw, index) => {
    const text = cleanCell(raw);
    if (!text) return;
    const hit = lookupColumn(kind, text);
    if (!hit) {
      ignored.push(text);
      return;
    }
    const prev = byField.get(hit.def.field);
    if (!prev || hit.rank < prev.rank) {
      if (prev) ignored.push(`${prev.header} (same as ${text})`);
      byField.set(hit.def.field, { index, def: hit.def, header: text, rank: hit.rank });
    } else {
      ignored.push(`${text} (same as ${prev.header})`);
    }
  });
  return { byField, ignored };
}

function result(kind: TableKind, headerIndex: number, m: Mapping, wide: WideMonthColumn[] = []): Recognition {
  const columns = [...m.byField.values()].sort((a, b) => a.index - b.index).map(({ index, def, header }) => ({ index, def, header }));
  return { kind, headerIndex, columns, wideMonths: wide, ignored: m.ignored };
}

/**
 * Recognises a table from its first rows (at least the first 20, or all if fewer).
 * `year` is the --year option for `1月`…`12月` wide headers.
 */
export function recogniseTable(rows: string[][], options: { year?: number; kind?: TableKind } = {}): Recognition {
  const headerIndex = findHeaderRow(rows);
  if (headerIndex === undefined) {
    return { kind: null, reason: NO_HEADER_REASON, columns: [], wideMonths: [], ignored: [] };
  }
  const header = rows[headerIndex]!;
  const has = (m: Mapping, ...fields: string[]) => fields.some((f) => m.byField.has(f));
  if (options.kind) return recogniseAs(options.kind, header, headerIndex, options.year);

  const ev = mapHeaders("events", header);
  if (has(ev, "householdId", "idNumber") && has(ev, "month") && has(ev, ...EVENT_AMOUNT_FIELDS) && has(ev, "sourceDept", "eventType")) {
    return result("events", headerIndex, ev);
  }

  const inc = mapHeaders("income", header);
  if (has(inc, "householdId") && has(inc, "month") && has(inc, ...INCOME_AMOUNT_FIELDS)) {
    return result("income", headerIndex, inc);
  }
  if (has(inc, "householdId") && !has(inc, "month")) {
    const wide: WideMonthColumn[] = [];
    let needsYear = false;
    header.forEach((raw, index) => {
      const text = cleanCell(raw);
      if (!text || inc.byField.get("householdId")?.index === index) return;
      const m = parseMonthHeader(text, options.year);
      if (m === "needs-year") needsYear = true;
      else if (m !== undefined) wide.push({ index, month: m, header: text });
    });
    if (needsYear && wide.length === 0) {
      return {
        kind: null,
        headerIndex,
        reason: "month columns 1月…12月 without a year: give the year with --year YYYY",
        columns: [],
        wideMonths: [],
        ignored: [],
      };
    }
    if (wide.length > 0) {
      const used = new Set(wide.map((w) => w.header));
      const idCol = inc.byField.get("householdId")!;
      const ignored = inc.ignored.filter((h) => !used.has(h));
      const sizeCol = inc.byField.get("size");
      const byField = new Map([["householdId", idCol]]);
      if (sizeCol) byField.set("size", sizeCol);
      return result("income", headerIndex, { byField, ignored }, wide);
    }
  }

  const mem = mapHeaders("members", header);
  if (has(mem, "relation") || (has(mem, "idNumber") && has(mem, "name"))) {
    if (has(mem, "householdId")) return result("members", headerIndex, mem);
    return { kind: null, headerIndex, reason: "looks like a members table but has no 户编号 column", columns: [], wideMonths: [], ignored: [] };
  }

  const hh = mapHeaders("households", header);
  if (has(hh, "householdId") && has(hh, "size", "headName", "householdType", "monitoringCategory")) {
    return result("households", headerIndex, hh);
  }
  return { kind: null, headerIndex, reason: describeMiss(hh, inc, ev), columns: [], wideMonths: [], ignored: [] };
}

/** Recognition forced by --households/--members/--income/--events: the kind's required columns must be there. */
function recogniseAs(kind: TableKind, header: string[], headerIndex: number, year: number | undefined): Recognition {
  if (kind === "income") {
    const r = recogniseTable([header], { year });
    if (r.kind === "income") return { ...r, headerIndex };
  }
  const m = mapHeaders(kind, header);
  const missing = CATALOGUE[kind].filter((c) => c.required && !m.byField.has(c.field)).map((c) => c.canonical);
  if (kind === "events" && !m.byField.has("householdId") && !m.byField.has("idNumber")) missing.push("户编号 or 证件号码");
  if (missing.length > 0) {
    return { kind: null, headerIndex, reason: `given as ${kind} but has no ${missing.join(", ")} column`, columns: [], wideMonths: [], ignored: [] };
  }
  return result(kind, headerIndex, m);
}

function describeMiss(hh: Mapping, inc: Mapping, ev: Mapping): string {
  if (!hh.byField.has("householdId") && !ev.byField.has("idNumber")) return "no 户编号 column (户编号 or 证件号码 is needed)";
  if (ev.byField.has("sourceDept") || ev.byField.has("eventType")) return "looks like department events but lacks a date/month or an amount column";
  if (inc.byField.has("month")) return "has a month column but no income amount column";
  return "has 户编号 but none of 家庭人口数, 户主姓名, 户类型, 监测对象类别, 与户主关系, 年月 or month columns";
}

/** canonical name → header as written (for inspect and run.json); wide months as `纯收入 YYYY-MM`. */
export function describeColumns(r: Recognition): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of r.columns) out[c.def.canonical] = c.header;
  for (const w of r.wideMonths) out[`纯收入 ${formatMonth(w.month)}`] = w.header;
  return out;
}


/** Fields that are recognised (so not listed as ignored) but used by no rule, check or output. */
const UNUSED_FIELDS = new Set(["personId", "name"]);

/**
 * The cell positions a recognised table's rows are read from (so that a reader may skip decoding the others):
 * its mapped columns, less the unused ones, and the wide layout's month columns.
 */
export function usedColumns(r: Recognition): number[] {
  return [...r.columns.filter((c) => !UNUSED_FIELDS.has(c.def.field)).map((c) => c.index), ...r.wideMonths.map((w) => w.index)];
}
