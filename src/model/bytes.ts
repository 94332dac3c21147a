/**
 * Text from a slice of a Buffer without Buffer#toString's argument checks and encoding lookup: the province-sized
 * stores and fast paths make millions of short strings (ID numbers, 户编号, region names), where that wrapper is a
 * measurable share. Node's Buffer instances carry these methods (they are what toString calls).
 */
interface Slicers {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** b[s..e) as Latin-1 text (ASCII bytes as themselves). */
export function latin1(b: Buffer, s: number, e: number): string {
  return (b as unknown as Slicers).latin1Slice(s, e);
}

/** b[s..e) as UTF-8 text (the bytes must be valid UTF-8: invalid ones become U+FFFD, as with toString). */
export function utf8(b: Buffer, s: number, e: number): string {
  return (b as unknown as Slicers).utf8Slice(s, e);
}
