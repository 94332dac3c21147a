/**
 * Text order shared by every output.
 */

/**
 * Compares two strings by Unicode code point (not UTF-16 code unit, not locale): the order the spec fixes for
 * region names and 户编号. A string sorts before every longer string it is a prefix of, so "" sorts first.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Only surrogates (0xD800–0xDFFF) disagree between code-unit and code-point order: they stand for code points
    // above 0xFFFF and must sort after 0xE000–0xFFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs === ys) return x < y ? -1 : 1;
    return xs ? 1 : -1;
  }
  return a.length - b.length;
}

/**
 * `text` without a reference to the string it was cut from, for texts kept long after reading. V8 keeps a cut of 13
 * or more characters as a view of its source: a cell kept by the caller would keep the whole decoded chunk of a file
 * it came from alive (diff keeps every row of two lists: without this, about the size of both files' text again).
 * Concatenating, then cutting the result, makes a fresh copy the only source.
 */
export function detached(text: string): string {
  return text.length < 13 ? text : (text + " ").slice(0, -1);
}
