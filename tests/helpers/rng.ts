/** A small seeded random number generator for fuzzed fixtures: the same seed gives the same numbers in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 0x100000000;
  };
}

/**
 * The lines of a fuzzed CSV: `header`, then 1 … maxRows rows, about one in twenty of them blank and each other made by
 * `row(r)` (r: its index among the rows). The numbers are drawn in that order, so a seed gives the same file.
 */
export function fuzzedLines(rand: () => number, header: string, maxRows: number, row: (r: number) => string): string[] {
  const lines = [header];
  const rows = 1 + Math.floor(rand() * maxRows);
  for (let r = 0; r < rows; r++) lines.push(rand() < 0.05 ? "" : row(r));
  return lines;
}
