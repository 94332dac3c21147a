/**
 * A hash table keyed by byte sequences (a cell's bytes in a CSV chunk): the fast paths look up the parsed value of a
 * cell without decoding it into a string first. Keys are copied into one growing arena; slots are an Int32Array with
 * open addressing, so a hit costs one hash of the bytes and one comparison.
 */
import { hashBytes } from "../model/idIndex.js";

export class ByteKeyTable<V> {
  private arena: Buffer = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  private starts: Int32Array = new Int32Array(64);
  private lengths: Int32Array = new Int32Array(64);
  private hashes: Int32Array = new Int32Array(64);
  private readonly values: V[] = [];
  private slots: Int32Array = new Int32Array(256).fill(-1);
  private mask = 255;

  get size(): number {
    return this.values.length;
  }

  /** The entry of b[s..e), or −1 (`valueAt` gives its value). */
  find(b: Uint8Array, s: number, e: number): number {
    const h = hashBytes(b, s, e);
    const len = e - s;
    const arena = this.arena;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const k = this.slots[slot]!;
      if (k < 0) return -1;
      if (this.hashes[k] !== h || this.lengths[k] !== len) continue;
      const ks = this.starts[k]!;
      let i = 0;
      while (i < len && arena[ks + i] === b[s + i]) i++;
      if (i === len) return k;
    }
  }

  valueAt(k: number): V {
    return this.values[k]!;
  }

  /** Adds b[s..e) → value (the key must not be present). */
  add(b: Uint8Array, s: number, e: number, value: V): void {
    const len = e - s;
    const k = this.values.length;
    if (this.used + len > this.arena.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + len));
      this.arena.copy(bigger, 0, 0, this.used);
      this.arena = bigger;
    }
    if (k === this.starts.length) {
      this.starts = grown(this.starts);
      this.lengths = grown(this.lengths);
      this.hashes = grown(this.hashes);
    }
    this.arena.set(b.subarray(s, e), this.used);
    const h = hashBytes(b, s, e);
    this.starts[k] = this.used;
    this.lengths[k] = len;
    this.hashes[k] = h;
    this.used += len;
    this.values.push(value);
    if ((k + 1) * 2 > this.slots.length) this.rehash();
    else this.place(k, h);
  }

  private place(k: number, h: number): void {
    let slot = h & this.mask;
    while (this.slots[slot]! >= 0) slot = (slot + 1) & this.mask;
    this.slots[slot] = k;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let k = 0; k < this.values.length; k++) this.place(k, this.hashes[k]!);
  }
}

function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
