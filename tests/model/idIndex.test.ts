/**
 * IdIndex: household ids to dense indexes.
 */
import { describe, expect, it } from "vitest";
import { IdIndex, hashBytes, hashString } from "../../src/model/idIndex.js";
import { rng } from "../helpers/rng.js";

/** Ids of several lengths and scripts (ASCII, CJK, a surrogate pair, one a prefix of another), 3,000 in all. */
function someIds(): string[] {
  const rand = rng(11);
  const ids = ["", "0", "062110120100001", "06211012010000", "0621101201000011", "户编号甲", "𠀀1", "H 1"];
  while (ids.length < 3000) {
    const n = 1 + Math.floor(rand() * 18);
    let s = "";
    for (let i = 0; i < n; i++) s += rand() < 0.9 ? String(Math.floor(rand() * 10)) : "X户𠀀"[Math.floor(rand() * 3)]!;
    if (!ids.includes(s)) ids.push(s);
  }
  return ids;
}

describe("IdIndex", () => {
  it("finds every id out of order, the empty one too (its hash is stored as a signed 32-bit number)", () => {
    const ids = someIds();
    const index = new IdIndex();
    for (const id of ids) index.add(id);
    for (let i = ids.length - 1; i >= 0; i--) expect(index.get(ids[i]!), ids[i]).toBe(i);
    expect(index.get("")).toBe(0);
    expect(index.add("")).toBe(0);
  });

  it("hashes a text and its Latin-1 bytes alike, as signed 32-bit numbers (the empty text too)", () => {
    for (const t of ["", "0", "062110120100001", "11010519491231002X", "café"]) {
      const h = hashString(t);
      expect(h, t).toBe(h | 0);
      expect(hashBytes(Buffer.from(t, "latin1"), 0, t.length), t).toBe(h);
    }
  });
});
