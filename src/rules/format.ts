/**
 * Number formatting for the Chinese explanation sentence (rules.md §12). Independent of the machine's locale.
 */

/** An amount with thousands separators and 2 decimals: 12400 → "12,400.00", −1234.5 → "-1,234.50", −0.001 → "0.00". */
export function formatYuan(amount: number): string {
  let text = Math.abs(amount).toFixed(2);
  const negative = amount < 0 && text !== "0.00";
  const dot = text.length - 3;
  let int = text.slice(0, dot);
  let grouped = "";
  while (int.length > 3) {
    grouped = "," + int.slice(-3) + grouped;
    int = int.slice(0, -3);
  }
  text = int + grouped + text.slice(dot);
  return negative ? "-" + text : text;
}

/** A ratio as a percentage with at most `decimals` decimals, trailing zeros dropped: 0.5 → "50%", 0.5385 → "53.9%". */
export function formatPercent(ratio: number, decimals = 1): string {
  return `${Number((ratio * 100).toFixed(decimals))}%`;
}
