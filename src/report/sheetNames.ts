/**
 * Excel sheet names: valid characters, length and uniqueness (Excel refuses a workbook that breaks them).
 */

/** Excel's limit on sheet-name length (UTF-16 code units). */
export const SHEET_NAME_MAX = 31;

/**
 * Gives valid, unique Excel sheet names: `[]:*?/\` replaced by `_`, no leading or trailing `'`, at most 31
 * characters (never splitting a surrogate pair), not empty, unique ignoring case (`名称(2)`, `名称(3)`, …).
 */
export class SheetNamer {
  private readonly used = new Set<string>();

  constructor(reserved: readonly string[] = []) {
    for (const r of reserved) this.used.add(r.toLowerCase());
  }

  /** A valid name for `wanted` that no earlier call (or reserved name) returned. */
  name(wanted: string): string {
    const base = cleanSheetName(wanted);
    let candidate = base;
    for (let n = 2; this.used.has(candidate.toLowerCase()); n++) {
      const suffix = `(${n})`;
      candidate = truncateUtf16(base, SHEET_NAME_MAX - suffix.length) + suffix;
    }
    this.used.add(candidate.toLowerCase());
    return candidate;
  }
}

/** `wanted` made valid for Excel (see SheetNamer), without the uniqueness step. */
export function cleanSheetName(wanted: string): string {
  let s = wanted.replace(/[[\]:*?/\\]/g, "_").replace(/[\u0000-\u001f]/g, "").trim();
  s = s.replace(/^'+/, "");
  s = truncateUtf16(s, SHEET_NAME_MAX).replace(/'+$/, "");
  if (s === "" || s.toLowerCase() === "history") s = s === "" ? "Sheet" : `${s}_`;
  return s;
}

function truncateUtf16(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = max;
  const last = s.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return s.slice(0, cut);
}

