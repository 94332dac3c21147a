/**
 * Masking of personal data (outputs.md): names keep their first character, ID numbers their first 6 and last 4.
 */

/** `张*`, `欧阳**` (compound surnames keep two characters when the name has 3 or more and starts with one). */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return chars.join("");
  const keep = chars.length >= 3 && COMPOUND_SURNAMES.has(chars[0]! + chars[1]!) ? 2 : 1;
  return chars.slice(0, keep).join("") + "*".repeat(chars.length - keep);
}

/** `130434********1234`; values of 10 characters or fewer keep only the first 2 characters. */
export function maskIdNumber(id: string): string {
  const chars = Array.from(id.trim());
  if (chars.length <= 10) return chars.slice(0, Math.min(2, chars.length)).join("") + "*".repeat(Math.max(0, chars.length - 2));
  return chars.slice(0, 6).join("") + "*".repeat(chars.length - 10) + chars.slice(-4).join("");
}

const COMPOUND_SURNAMES = new Set(
  "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 西门 南宫 独孤 百里 呼延 澹台 公冶 太史 申屠 闻人 万俟 赫连 钟离 宗政 濮阳 淳于 单于 乐正 拓跋".split(" "),
);
