/**
 * Text from a slice of a Buffer without Buffer#toString's argument checks and encoding lookup: the province-sized
 * stores and fast paths make millions of short strings (ID numbers, 户编号, region names), where that wrapper is a
 * measurable share. Node's Buffer instances carry these methods (they are what toString calls).
 */
interface Slicers {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/**
 * b[s..e) as Latin-1 text (ASCII bytes as themselves). The lengths of a resident ID (18) and of the usual 户编号 (15)
 * are made by String.fromCharCode with one argument a byte — a builtin, no call into C++: ≈ 40 % faster for those
 * texts, of which a province scan makes millions (≈ 25 ns less for each; bench/README.md). Byte values are code
 * points in Latin-1, so the text is the same.
 */
export function latin1(b: Buffer, s: number, e: number): string {
  switch (e - s) {
    case 18:
      return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!, b[s + 16]!, b[s + 17]!);
    case 15:
      return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!);
    default:
      return (b as unknown as Slicers).latin1Slice(s, e);
  }
}

/** b[s..e) as UTF-8 text (the bytes must be valid UTF-8: invalid ones become U+FFFD, as with toString). */
export function utf8(b: Buffer, s: number, e: number): string {
  return (b as unknown as Slicers).utf8Slice(s, e);
}
