import { describe, expect, it } from "vitest";
import { latin1, utf8 } from "../../src/model/bytes.js";
import { rng } from "../helpers/rng.js";

describe("latin1", () => {
  it("gives Buffer#toString('latin1') for every length 0–40 (15 and 18 by their own path) at every offset, all 256 byte values", () => {
    const rand = rng(7);
    const b = Buffer.alloc(4096);
    for (let i = 0; i < b.length; i++) b[i] = Math.floor(rand() * 256);
    for (let i = 0; i < 256; i++) b[i] = i;
    let checked = 0;
    for (let len = 0; len <= 40; len++) {
      for (let s = 0; s + len <= b.length; s += 7) {
        expect(latin1(b, s, s + len)).toBe(b.toString("latin1", s, s + len));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20_000);
    expect(latin1(Buffer.from("530621197012240010"), 0, 18)).toBe("530621197012240010");
    expect(latin1(Buffer.from("x062110120100001x"), 1, 16)).toBe("062110120100001");
  });

  it("utf8 gives Buffer#toString('utf8')", () => {
    const b = Buffer.from("户编号,云南省,530621197012240010");
    expect(utf8(b, 0, b.length)).toBe(b.toString("utf8"));
    expect(utf8(b, 0, 9)).toBe("户编号");
  });
});
