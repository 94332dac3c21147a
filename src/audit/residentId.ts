/**
 * Resident ID numbers (居民身份证号码, GB 11643-1999): shape, ISO 7064 MOD 11-2 check character, the birth date and
 * sex digits inside. Pure text functions; no personal data leaves them.
 */

/** Weights of the first 17 digits (GB 11643-1999). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character by S mod 11. */
const CHECK_CHARS = "10X98765432";

/** 17 digits then a digit, X or x (as /^\d{17}[\dXx]$/, without a regular expression: millions of IDs are checked). */
function isResidentShape(t: string): boolean {
  if (t.length !== 18) return false;
  for (let i = 0; i < 17; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return isCheckCharCode(t.charCodeAt(17));
}

/** A resident ID's last character: a digit, X or x. */
function isCheckCharCode(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 88 || c === 120;
}

/** 15 digits (as /^\d{15}$/). */
function isLegacyShape(t: string): boolean {
  if (t.length !== 15) return false;
  for (let i = 0; i < 15; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The number written by the digits t[from .. from + n) (all digits). */
function digits(t: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) v = v * 10 + (t.charCodeAt(i) - 48);
  return v;
}

/** What kind of document number a text is: an 18-character resident ID, a 15-digit legacy ID, or anything else. */
export type IdShape = "resident" | "legacy15" | "other";

/** Classifies a (trimmed) ID number by its shape only: 17 digits + digit/X/x, 15 digits, or other. */
export function classifyIdNumber(id: string): IdShape {
  const c = checkIdNumber(id.trim());
  return c <= IdCheck.CheckDigit ? "resident" : c === IdCheck.Legacy15 ? "legacy15" : "other";
}

/** The check character ("0"–"9" or "X") that the 17 leading digits require. */
export function residentIdCheckChar(first17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[s % 11]!;
}

/** What checkIdNumber finds: a resident ID (valid, with an impossible birth date, or a wrong check character), a 15-digit legacy ID, or another text. */
export const IdCheck = { Valid: 0, BirthDate: 1, CheckDigit: 2, Legacy15: 3, Other: 4 } as const;
export type IdCheck = (typeof IdCheck)[keyof typeof IdCheck];

/** Check characters by S mod 11, as character codes. */
const CHECK_CODES = Array.from(CHECK_CHARS, (c) => c.charCodeAt(0));

/**
 * The shape and validity of a trimmed ID text in one pass (the audit checks millions of them; classifyIdNumber and
 * validateResidentId read it): a resident shape (17 digits then a digit, X or x) gives Valid, BirthDate or
 * CheckDigit (the birth date, years 1800–2099, checked first), else Legacy15 (15 digits) or Other.
 */
export function checkIdNumber(t: string): IdCheck {
  const n = t.length;
  if (n !== 18 && n !== 15) return IdCheck.Other;
  // The text's codes as bytes, for the one check over bytes; a code past ASCII is never a digit, X or x.
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c > 0x7f) return IdCheck.Other;
    scratch[i] = c;
  }
  return checkIdBytes(scratch, 0, n);
}

/** checkIdNumber's copy of the text (at most 18 codes). */
const scratch = new Uint8Array(18);

/**
 * checkIdNumber of the ASCII text b[s .. s + n) (an ID kept as bytes by the member store), without making a string;
 * checkIdNumber itself copies its text's codes and calls this.
 */
export function checkIdBytes(b: Uint8Array, s: number, n: number): IdCheck {
  if (n === 18) {
    let sum = 0;
    for (let i = 0; i < 17; i++) {
      const c = b[s + i]! - 48;
      if (c < 0 || c > 9) return IdCheck.Other;
      sum += c * WEIGHTS[i]!;
    }
    const last = b[s + 17]!;
    if (!isCheckCharCode(last)) return IdCheck.Other;
    const year = (b[s + 6]! - 48) * 1000 + (b[s + 7]! - 48) * 100 + (b[s + 8]! - 48) * 10 + (b[s + 9]! - 48);
    const month = (b[s + 10]! - 48) * 10 + (b[s + 11]! - 48);
    const day = (b[s + 12]! - 48) * 10 + (b[s + 13]! - 48);
    if (!isRealDate(year, month, day)) return IdCheck.BirthDate;
    return CHECK_CODES[sum % 11] === (last === 120 ? 88 : last) ? IdCheck.Valid : IdCheck.CheckDigit;
  }
  if (n !== 15) return IdCheck.Other;
  for (let i = 0; i < 15; i++) {
    const c = b[s + i]!;
    if (c < 48 || c > 57) return IdCheck.Other;
  }
  return IdCheck.Legacy15;
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
  switch (checkIdNumber(t)) {
    case IdCheck.Valid:
      return VALID;
    case IdCheck.BirthDate:
      return NOT_A_BIRTH_DATE;
    case IdCheck.CheckDigit:
      return { valid: false, reason: "check_digit", expected: residentIdCheckChar(t) };
    default:
      return NOT_RESIDENT_SHAPE;
  }
}

// Shared results (validateResidentId runs for millions of IDs).
const VALID: ResidentIdResult = Object.freeze({ valid: true });
const NOT_RESIDENT_SHAPE: ResidentIdResult = Object.freeze({ valid: false, reason: "shape" });
const NOT_A_BIRTH_DATE: ResidentIdResult = Object.freeze({ valid: false, reason: "birth_date" });

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
  if (isResidentShape(t)) {
    y = digits(t, 6, 4);
    m = digits(t, 10, 2);
    d = digits(t, 12, 2);
  } else if (isLegacyShape(t)) {
    y = 1900 + digits(t, 6, 2);
    m = digits(t, 8, 2);
    d = digits(t, 10, 2);
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
  const digit = isResidentShape(t) ? t[16] : isLegacyShape(t) ? t[14] : undefined;
  if (digit === undefined) return undefined;
  return Number(digit) % 2 === 1 ? "男" : "女";
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1800 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!);
}
