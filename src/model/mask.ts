/**
 * Masking of personal data (outputs.md): names keep their first character, ID numbers their first 6 and last 4.
 */

/**
 * A lone or paired UTF-16 surrogate: a text without one has one code unit per character, and is masked with string
 * slices instead of an array of its characters (a province's list masks hundreds of thousands of names and IDs).
 */
const SURROGATE = /[\uD800-\uDFFF]/;

/** `张*`, `欧阳**` (compound surnames keep two characters when the name has 3 or more and starts with one). */
export function maskName(name: string): string {
  const t = name.trim();
  if (!SURROGATE.test(t)) {
    const n = t.length;
    if (n <= 1) return t;
    const keep = n >= 3 && COMPOUND_SURNAMES.has(t.slice(0, 2)) ? 2 : 1;
    return t.slice(0, keep) + "*".repeat(n - keep);
  }
  const chars = Array.from(t);
  if (chars.length <= 1) return chars.join("");
  const keep = chars.length >= 3 && COMPOUND_SURNAMES.has(chars[0]! + chars[1]!) ? 2 : 1;
  return chars.slice(0, keep).join("") + "*".repeat(chars.length - keep);
}

/** `130434********1234`; values of 10 characters or fewer keep only the first 2 characters. */
export function maskIdNumber(id: string): string {
  const t = id.trim();
  if (!SURROGATE.test(t)) {
    const n = t.length;
    if (n <= 10) return t.slice(0, 2) + "*".repeat(Math.max(0, n - 2));
    return t.slice(0, 6) + "*".repeat(n - 10) + t.slice(n - 4);
  }
  const chars = Array.from(t);
  if (chars.length <= 10) return chars.slice(0, Math.min(2, chars.length)).join("") + "*".repeat(Math.max(0, chars.length - 2));
  return chars.slice(0, 6).join("") + "*".repeat(chars.length - 10) + chars.slice(-4).join("");
}

const COMPOUND_SURNAMES = new Set(
  "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 西门 南宫 独孤 百里 呼延 澹台 公冶 太史 申屠 闻人 万俟 赫连 钟离 宗政 濮阳 淳于 单于 乐正 拓跋".split(" "),
);
