/**
 * Cell value parsing (inputs.md "Value formats"): text with the `="…"` trick undone, amounts with thousands
 * separators / 元 / full-width digits, yes/no words, sexes, sizes, dates and months. Pure; no exceptions.
 */
import { parseDateParts } from "../model/month.js";

/** The text of a cell: `="0123"` → `0123`, trimmed (including U+3000 and NBSP). */
export function cleanCell(raw: string): string {
  let t = raw;
  if (t.length >= 3 && t.charCodeAt(0) === 61 /* = */ && t.charCodeAt(1) === 34 /* " */ && t.endsWith('"')) {
    t = t.slice(2, -1).replace(/""/g, '"');
  }
  return t.trim();
}

const AMOUNT_JUNK = /[,，\s元¥￥]/g;
const NUMBER_SHAPE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Amounts at or above this (in absolute value) are rejected as implausible for one household. */
export const AMOUNT_LIMIT = 1e9;

/**
 * An amount: undefined for blank, NaN for text that is not a number. Accepts `1,234.50`, `1234.5元`, full-width
 * digits, a Unicode minus and `(123)` accounting negatives.
 */
export function parseAmount(text: string): number | undefined {
  if (text === "") return undefined;
  // Fast path: plain ASCII numbers (the bulk of a province's income rows).
  const fast = Number(text);
  if (Number.isFinite(fast)) {
    // Number() also reads 0x1A, 0b1, 0o7: not amounts.
    const c1 = text.charCodeAt(1) | 32;
    if (!(text.charCodeAt(0) === 48 && (c1 === 120 || c1 === 98 || c1 === 111))) return fast;
  }
  let t = text.normalize("NFKC").replace(AMOUNT_JUNK, "").replace(/[\u2212\u2012\u2013]/g, "-");
  if (t === "" || t === "-") return t === "" ? undefined : NaN;
  let negative = false;
  if (t.startsWith("(") && t.endsWith(")")) {
    negative = true;
    t = t.slice(1, -1);
  }
  if (!NUMBER_SHAPE.test(t)) return NaN;
  const n = Number(t);
  return negative ? -n : n;
}

/** True for a number that lost its digits (an ID stored as a number: `1.30434E+17`). */
export function isScientific(text: string): boolean {
  return /^[+-]?\d+(\.\d+)?e[+-]?\d+$/i.test(text.normalize("NFKC"));
}

/** An ID-like text (户编号, 证件号码): `'` prefix removed, full-width to half-width, spaces removed, `x` → `X`. */
export function cleanIdentifier(text: string): string {
  let t = text.startsWith("'") ? text.slice(1) : text;
  t = t.normalize("NFKC").replace(/\s/g, "");
  if (t.endsWith("x")) t = t.slice(0, -1) + "X";
  // Whole numbers written by a spreadsheet with a trailing ".0".
  if (/^\d+\.0+$/.test(t)) t = t.replace(/\.0+$/, "");
  return t;
}

const YES = new Set(["是", "y", "yes", "true", "1", "有", "√"]);
const NO = new Set(["否", "n", "no", "false", "0", "无", "×"]);

/** 是/否, Y/N, yes/no, true/false, 1/0 (any case): true / false; undefined for blank; null for anything else. */
export function parseYesNo(text: string): boolean | undefined | null {
  if (text === "") return undefined;
  const t = text.normalize("NFKC").trim().toLowerCase();
  if (YES.has(t)) return true;
  if (NO.has(t)) return false;
  return null;
}

/** 男/女 or 1/2; undefined for blank or anything else. */
export function parseSex(text: string): "男" | "女" | undefined {
  const t = text.normalize("NFKC").trim();
  if (t === "男" || t === "1" || t === "男性") return "男";
  if (t === "女" || t === "2" || t === "女性") return "女";
  return undefined;
}

/** A whole number ≥ 1, else undefined (blank) or NaN (invalid). */
export function parseSize(text: string): number | undefined {
  const n = parseAmount(text);
  if (n === undefined) return undefined;
  return Number.isInteger(n) && n >= 1 ? n : NaN;
}

/** A date as `YYYY-MM-DD` (a month-only value gives day 01), or undefined. */
export function parseDate(text: string): string | undefined {
  const p = parseDateParts(text);
  if (!p) return undefined;
  const mm = String(p.month).padStart(2, "0");
  const dd = String(p.day ?? 1).padStart(2, "0");
  return `${p.year}-${mm}-${dd}`;
}

const HOUSEHOLD_TYPE_ALIASES: Record<string, string> = { 普通农户: "一般农户", 农户: "一般农户", 非脱贫户: "一般农户", 一般农户: "一般农户", 脱贫户: "脱贫户" };

/** 户类型 with its aliases normalised (普通农户, 农户, 非脱贫户 → 一般农户); other values kept as written. */
export function parseHouseholdType(text: string): string {
  return HOUSEHOLD_TYPE_ALIASES[text.replace(/\s/g, "")] ?? text;
}
