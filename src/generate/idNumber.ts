/**
 * 18-digit resident ID numbers (GB 11643-1999): 6-digit region code, birth date YYYYMMDD, 3-digit sequence
 * (odd for men, even for women) and an ISO 7064 MOD 11-2 check character (the audit's residentIdCheckChar, so that
 * generated numbers are exactly the ones Q001 accepts).
 */
import { residentIdCheckChar } from "../audit/residentId.js";

/**
 * Builds a valid 18-digit ID: `regionCode` (6 digits), birth date, `sequence` 0…499 (the 3-digit sequence is
 * 2·sequence + 1 for a man, 2·sequence + 2 for a woman, so its last digit carries the sex).
 */
export function buildIdNumber(regionCode: string, birthDate: string, sequence: number, male: boolean): string {
  const seq = 2 * sequence + (male ? 1 : 2);
  const first17 = regionCode + birthDate.replace(/-/g, "") + String(seq).padStart(3, "0");
  return first17 + residentIdCheckChar(first17);
}

/** Number of days of a month (1-based) of the Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
