/**
 * 18-digit resident ID numbers (GB 11643-1999): 6-digit region code, birth date YYYYMMDD, 3-digit sequence
 * (odd for men, even for women) and an ISO 7064 MOD 11-2 check character.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

/** The check character ("0"–"9" or "X") for the first 17 digits of an ID number. */
export function idCheckCharacter(first17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK[s % 11]!;
}

/**
 * Builds a valid 18-digit ID: `regionCode` (6 digits), birth date, `sequence` 0…499 (the 3-digit sequence is
 * 2·sequence + 1 for a man, 2·sequence + 2 for a woman, so its last digit carries the sex).
 */
export function buildIdNumber(regionCode: string, birthDate: string, sequence: number, male: boolean): string {
  const seq = 2 * sequence + (male ? 1 : 2);
  const first17 = regionCode + birthDate.replace(/-/g, "") + String(seq).padStart(3, "0");
  return first17 + idCheckCharacter(first17);
}

/** True when `id` has 17 digits plus a correct check character and a real birth date. */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  if (idCheckCharacter(id) !== id[17]) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

/** The birth date inside an 18-digit ID, as YYYY-MM-DD. */
export function idBirthDate(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** The sex encoded by digit 17 (odd male, even female). */
export function idSex(id: string): "男" | "女" {
  return (id.charCodeAt(16) - 48) % 2 === 1 ? "男" : "女";
}

/** Number of days of a month (1-based) of the Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
