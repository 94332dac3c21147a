/**
 * Resident ID numbers (居民身份证号码, GB 11643-1999): shape, ISO 7064 MOD 11-2 check character, the birth date and
 * sex digits inside. Pure text functions; no personal data leaves them.
 */

/** Weights of the first 17 digits (GB 11643-1999). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character by S mod 11. */
const CHECK_CHARS = "10X98765432";

const RESIDENT_SHAPE = /^\d{17}[\dXx]$/;
const LEGACY_SHAPE = /^\d{15}$/;

/** What kind of document number a text is: an 18-character resident ID, a 15-digit legacy ID, or anything else. */
export type IdShape = "resident" | "legacy15" | "other";

/** Classifies a (trimmed) ID number by its shape only: 17 digits + digit/X/x, 15 digits, or other. */
export function classifyIdNumber(id: string): IdShape {
  const t = id.trim();
  if (RESIDENT_SHAPE.test(t)) return "resident";
  if (LEGACY_SHAPE.test(t)) return "legacy15";
  return "other";
}

/** The check character ("0"–"9" or "X") that the 17 leading digits require. */
export function residentIdCheckChar(first17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[s % 11]!;
}

/** Result of validateResidentId: valid, or why not (and the check character expected when that is the reason). */
export type ResidentIdResult =
  | { readonly valid: true }
  | { readonly valid: false; readonly reason: "shape" | "birth_date" }
  | { readonly valid: false; readonly reason: "check_digit"; readonly expected: string };

/**
 * Validates an 18-character resident ID: the shape (17 digits then a digit or X; lower-case x is accepted as X),
 * a real birth date YYYYMMDD at digits 7–14 (years 1800–2099), and the MOD 11-2 check character.
 * The birth date is checked before the check character.
 */
export function validateResidentId(id: string): ResidentIdResult {
  const t = id.trim();
  if (!RESIDENT_SHAPE.test(t)) return { valid: false, reason: "shape" };
  if (!birthDateFromId(t)) return { valid: false, reason: "birth_date" };
  const expected = residentIdCheckChar(t);
  if (t[17]!.toUpperCase() !== expected) return { valid: false, reason: "check_digit", expected };
  return { valid: true };
}

/** A calendar date. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/**
 * The birth date inside an ID number: digits 7–14 of an 18-character resident ID, or 19YYMMDD from digits 7–12 of a
 * 15-digit legacy ID. Undefined when the shape is neither or the date is not a real calendar date (years 1800–2099).
 */
export function birthDateFromId(id: string): CalendarDate | undefined {
  const t = id.trim();
  let y: number, m: number, d: number;
  if (RESIDENT_SHAPE.test(t)) {
    y = Number(t.slice(6, 10));
    m = Number(t.slice(10, 12));
    d = Number(t.slice(12, 14));
  } else if (LEGACY_SHAPE.test(t)) {
    y = 1900 + Number(t.slice(6, 8));
    m = Number(t.slice(8, 10));
    d = Number(t.slice(10, 12));
  } else {
    return undefined;
  }
  return isRealDate(y, m, d) ? { year: y, month: m, day: d } : undefined;
}

/**
 * The sex encoded in an ID number: digit 17 of a resident ID (digit 15 of a legacy ID), odd 男, even 女.
 * Undefined for other shapes.
 */
export function sexFromId(id: string): "男" | "女" | undefined {
  const t = id.trim();
  const digit = RESIDENT_SHAPE.test(t) ? t[16] : LEGACY_SHAPE.test(t) ? t[14] : undefined;
  if (digit === undefined) return undefined;
  return Number(digit) % 2 === 1 ? "男" : "女";
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1800 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}
