/**
 * Months as integers: year × 12 + (month − 1). Compared and subtracted as integers, never through dates.
 */

/** The month integer of a calendar year and 1-based month. */
export function monthOf(year: number, month: number): number {
  return year * 12 + (month - 1);
}

/** "2026-10" for the month integer. */
export function formatMonth(m: number): string {
  const year = Math.floor(m / 12);
  const month = m - year * 12 + 1;
  return `${year}-${month < 10 ? "0" : ""}${month}`;
}

const FULL_WIDTH_DIGITS = /[０-９]/g;

function isValidDay(year: number, month: number, day: number): boolean {
  if (day < 1 || day > 31) return false;
  const dim = [31, (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= dim[month - 1]!;
}

const RE_COMPACT = /^(\d{4})(\d{2})(\d{2})?$/;
const RE_SEP = /^(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{1,2}))?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const RE_CN = /^(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?$/;

/**
 * Parses a month or a full date as written in exports (inputs.md "Value formats") into
 * { month, day } (day undefined for a month-only value). Returns undefined when the text is not one of those forms.
 */
export function parseDateParts(text: string): { year: number; month: number; day?: number } | undefined {
  // Fast path for the canonical forms povwatch itself writes (YYYY-MM-DD, YYYY-MM).
  if ((text.length === 10 || text.length === 7) && text.charCodeAt(4) === 45 && /^\d{4}-\d{2}(-\d{2})?$/.test(text)) {
    const year = +text.slice(0, 4);
    const month = +text.slice(5, 7);
    if (year >= 1900 && year <= 2200 && month >= 1 && month <= 12) {
      if (text.length === 7) return { year, month };
      const day = +text.slice(8, 10);
      if (isValidDay(year, month, day)) return { year, month, day };
    }
    return undefined;
  }
  const t = text.replace(FULL_WIDTH_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).trim();
  const m = RE_COMPACT.exec(t) ?? RE_SEP.exec(t) ?? RE_CN.exec(t);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (year < 1900 || year > 2200 || month < 1 || month > 12) return undefined;
  if (m[3] !== undefined) {
    const day = Number(m[3]);
    if (!isValidDay(year, month, day)) return undefined;
    return { year, month, day };
  }
  return { year, month };
}

/** Parses a month (or a date, reduced to its month) into a month integer, or undefined. */
export function parseMonth(text: string): number | undefined {
  const p = parseDateParts(text);
  return p ? monthOf(p.year, p.month) : undefined;
}
