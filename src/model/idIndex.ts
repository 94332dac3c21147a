/**
 * A string → dense index map for household ids (open addressing over an Int32Array), several times faster than a
 * Map for millions of ids because it hashes the id's characters itself and never rehashes strings when it grows.
 */

/** FNV-1a over the UTF-16 code units of `s` (32 bits, signed). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  // `| 0`: the empty text's hash would otherwise be the unsigned start value, never equal to itself stored in an
  // Int32Array (an IdIndex could not find "" again).
  return h | 0;
}

/** hashString of the Latin-1 text of b[s..e) (for ASCII bytes: of their text), without making the string. */
export function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h | 0;
}

/** An IdIndex as plain data (structured-cloneable). */
export interface IdIndexState {
  ids: string[];
  hashes: Int32Array;
  slots: Int32Array;
  mask: number;
}

export class IdIndex {
  /** ids by index, in insertion order. */
  readonly ids: string[] = [];
  private hashes: Int32Array = new Int32Array(0);
  private slots: Int32Array;
  private mask: number;

  constructor(capacity = 1024) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.hashes = new Int32Array(Math.max(16, capacity));
  }

  get size(): number {
    return this.ids.length;
  }

  /** The index after the one `get` found last: ids are mostly looked up in the order they were added. */
  private next = 0;

  /** The index of `id`, or −1. */
  get(id: string): number {
    const n = this.next;
    // Stores filled from the same files share the id strings and their order: most lookups are the next index.
    if (n < this.ids.length && this.ids[n] === id) {
      this.next = n + 1;
      return n;
    }
    const i = this.find(id);
    if (i >= 0) this.next = i + 1;
    return i;
  }

  private find(id: string): number {
    const h = hashString(id);
    let slot = h & this.mask;
    for (;;) {
      const i = this.slots[slot]!;
      if (i < 0) return -1;
      if (this.hashes[i] === h && this.ids[i] === id) return i;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The index of `id`, adding it when new. */
  add(id: string): number {
    const h = hashString(id);
    let slot = h & this.mask;
    for (;;) {
      const i = this.slots[slot]!;
      if (i < 0) break;
      if (this.hashes[i] === h && this.ids[i] === id) return i;
      slot = (slot + 1) & this.mask;
    }
    const index = this.ids.length;
    this.ids.push(id);
    if (index >= this.hashes.length) {
      const bigger = new Int32Array(this.hashes.length * 2);
      bigger.set(this.hashes);
      this.hashes = bigger;
    }
    this.hashes[index] = h;
    this.slots[slot] = index;
    if (this.ids.length * 2 > this.slots.length) this.grow();
    return index;
  }

  /** Makes room for `count` ids without growing on the way. */
  reserve(count: number): void {
    if (count > this.hashes.length) {
      const bigger = new Int32Array(count);
      bigger.set(this.hashes);
      this.hashes = bigger;
    }
    while (count * 2 > this.slots.length) this.grow();
  }

  /** Everything the index holds, for another thread (`IdIndex.fromState`); the arrays' buffers can be transferred. */
  toState(): IdIndexState {
    return { ids: this.ids, hashes: this.hashes, slots: this.slots, mask: this.mask };
  }

  static fromState(state: IdIndexState): IdIndex {
    const index = new IdIndex(0);
    (index as { ids: string[] }).ids = state.ids;
    index.hashes = state.hashes;
    index.slots = state.slots;
    index.mask = state.mask;
    return index;
  }

  private grow(): void {
    const size = this.slots.length * 2;
    const slots = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let i = 0; i < this.ids.length; i++) {
      let slot = this.hashes[i]! & mask;
      while (slots[slot]! >= 0) slot = (slot + 1) & mask;
      slots[slot] = i;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
