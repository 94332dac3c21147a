/**
 * The fast path for department events CSVs (医保, 教育, 应急管理 … exports): fields are cut from the bytes
 * (fastLines.ts), each column's repeated cells (数据来源, 事件类型, 发生日期) are parsed once per distinct byte sequence
 * (fastMembers.ts ByteValueCache), amounts and IDs are read from ASCII bytes, and each row becomes the event the
 * general converter (schema/rows.ts) would make, without an array of cell strings or a parse per cell.
 *
 * Any row that is not plain — a quote, a value the general parser rejects, a row the converter would reject (no
 * 户编号 nor 证件号码, no amount, a negative amount), a first cell that could make it a 合计 row — is decoded and
 * handed to the general converter, so both paths give the same events, rejects and counts.
 * tests/io/fastEvents.test.ts compares them on the same files, fuzzed ones included.
 */
import type { ColumnDef } from "../schema/catalogue.js";
import type { Recognition } from "../schema/recognise.js";
import { isSummaryText, normalizeEventType } from "../schema/rows.js";
import { AMOUNT_LIMIT } from "../schema/values.js";
import type { DepartmentEvent } from "../model/index.js";
import { latin1 } from "../model/bytes.js";
import { parseAmountBytes, plainId } from "./fastIncome.js";
import { firstFilled, readFastLines, type FastReadContext } from "./fastLines.js";
import { ByteValueCache, NOT_PLAIN, cellDecoder } from "./fastMembers.js";

/** The event fields the fast path reads, in the order of FastEventsLayout.columns. */
const FIELDS = ["householdId", "idNumber", "sourceDept", "eventType", "month", "totalCost", "reimbursed", "selfPaid", "loss"] as const;
const enum E {
  householdId,
  idNumber,
  sourceDept,
  eventType,
  month,
  totalCost,
  reimbursed,
  selfPaid,
  loss,
}

export interface FastEventsLayout {
  /** Cell position of each of FIELDS (−1 = absent) and its column definition. */
  columns: Int32Array;
  defs: (ColumnDef | undefined)[];
}

/** The fast layout of a recognised events table (every recognised column one of FIELDS), else undefined. */
export function fastEventsLayout(r: Recognition): FastEventsLayout | undefined {
  if (r.kind !== "events" || !r.columns.every((c) => (FIELDS as readonly string[]).includes(c.def.field))) return undefined;
  const cols = FIELDS.map((f) => r.columns.find((c) => c.def.field === f));
  if (cols[E.month] === undefined) return undefined;
  return { columns: Int32Array.from(cols.map((c) => c?.index ?? -1)), defs: cols.map((c) => c?.def) };
}

export interface FastEventsContext extends FastReadContext {
  layout: FastEventsLayout;
}

/** Reads the data rows of an events CSV through the fast path. Returns the SHA-256 and size of the file. */
export function readEventsFast(ctx: FastEventsContext): Promise<{ sha256: string; size: number }> {
  const { layout, builder, table } = ctx;
  const { decode, isUtf8 } = cellDecoder(ctx.encoding);
  const cols = layout.columns;
  const caches = layout.defs.map((d, k) => (d && k !== E.householdId && k !== E.idNumber && d.type !== "amount" ? new ByteValueCache(d, decode, ctx.maxMonth, isUtf8) : undefined));
  const values: unknown[] = new Array(FIELDS.length);
  const source = { file: ctx.display, sheet: "", row: 0 };
  const outcome = { type: "event" as const, event: undefined as unknown as DepartmentEvent };
  // 事件类型 from its text and 数据来源: the last pair's answer (exports come sorted by department).
  let lastType: string | undefined;
  let lastDept: string | undefined;
  let lastNormalized = normalizeEventType(undefined, undefined);
  // Whether the last first cell's text is a 合计 word (the first cell repeats: 数据来源 in department exports).
  let lastFirst: string | undefined;
  let lastFirstSummary = false;
  const needed = Math.max(...cols) + 1;
  return readFastLines(ctx, -1, needed, (b, starts, ends, n, row) => {
    // The first non-empty cell decides whether the row is a 合计 row: it is checked below once parsed.
    const first = firstFilled(starts, ends, n);
    for (let k = 0; k < FIELDS.length; k++) {
      const col = cols[k]!;
      if (col < 0 || starts[col] === ends[col]) {
        values[k] = undefined;
        continue;
      }
      const fs = starts[col]!;
      const fe = ends[col]!;
      const cache = caches[k];
      if (cache) {
        const v = cache.get(b, fs, fe);
        if (v === NOT_PLAIN) return false;
        values[k] = v;
      } else if (k === E.householdId || k === E.idNumber) {
        // Plain ASCII, as the general parser keeps it; anything else (a mangled 1.3E+17, a lower-case x) is its call.
        if (!plainId(b, fs, fe)) return false;
        values[k] = latin1(b, fs, fe);
      } else {
        const v = parseAmountBytes(b, fs, fe);
        if (v < 0 || v >= AMOUNT_LIMIT) return false;
        values[k] = v;
      }
    }
    // A first cell outside the table's columns (a 序号 that may read 合计), or blank once cleaned (the general path
    // then looks at the next cell): the general converter decides.
    const firstValue = values[cols.indexOf(first)];
    if (firstValue === undefined) return false;
    if (typeof firstValue === "string") {
      if (firstValue !== lastFirst) {
        lastFirst = firstValue;
        lastFirstSummary = isSummaryText(firstValue);
      }
      if (lastFirstSummary) return false;
    }
    const householdId = values[E.householdId] as string | undefined;
    const idNumber = values[E.idNumber] as string | undefined;
    const month = values[E.month] as number | undefined;
    if ((!householdId && !idNumber) || month === undefined) return false;
    const selfPaid = values[E.selfPaid] as number | undefined;
    const total = values[E.totalCost] as number | undefined;
    const reimbursed = values[E.reimbursed] as number | undefined;
    const amount = selfPaid ?? (total !== undefined && reimbursed !== undefined ? total - reimbursed : (values[E.loss] as number | undefined));
    // No amount, or 总费用 − 报销金额 below 0: the general converter rejects the row.
    if (amount === undefined || amount < 0) return false;
    const type = values[E.eventType] as string | undefined;
    const dept = values[E.sourceDept] as string | undefined;
    if (type !== lastType || dept !== lastDept) {
      lastType = type;
      lastDept = dept;
      lastNormalized = normalizeEventType(type, dept);
    }
    // The converter's event, field for field.
    const event: DepartmentEvent = { eventType: lastNormalized, month, amount, source: { file: ctx.display, sheet: "", row } };
    if (householdId) event.householdId = householdId;
    if (idNumber) event.idNumber = idNumber;
    if (dept) event.sourceDept = dept;
    source.row = row;
    outcome.event = event;
    builder.add(table, outcome, source);
    return true;
  });
}
