import { describe, expect, it } from "vitest";
import v8 from "node:v8";
import vm from "node:vm";
import { detached } from "../../src/model/text.js";

// A collector this test can call (vitest's forks do not run with --expose-gc).
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

/** Heap in use after a full collection, in MiB. */
function heapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** 2,000 cuts of 20 characters of a 32 MiB text decoded from bytes (as the readers decode a chunk), kept by `keep`. */
function cutsOf(keep: (cut: string) => string): string[] {
  const source = new TextDecoder().decode(Buffer.alloc(32 << 20, "0123456789"));
  const cuts: string[] = [];
  for (let i = 0; i < 2000; i++) cuts.push(keep(source.slice(i * 1000, i * 1000 + 20)));
  return cuts;
}

/** The heap (MiB) the cuts hold once the source is out of reach (measured after the function that made it returned). */
async function heldByCuts(keep: (cut: string) => string): Promise<{ cuts: string[]; held: number }> {
  const before = heapMiB();
  const cuts = cutsOf(keep);
  await new Promise((resolve) => setTimeout(resolve, 20));
  return { cuts, held: heapMiB() - before };
}

describe("detached", () => {
  it("returns the same text, for short and long texts", () => {
    for (const t of ["", "a", "户主", "1234567890ab", "1234567890abc", "530621197012240010", "云南省昭通市鲁甸县高源镇白井村", "x".repeat(1000)]) {
      expect(detached(t)).toBe(t);
    }
  });

  it("lets the text a kept cut came from be collected (V8 keeps cuts of 13+ characters as views of their source)", async () => {
    // Without detached, 2,000 cuts of 20 characters keep the whole 32 MiB text alive.
    const plain = await heldByCuts((c) => c);
    expect(plain.held).toBeGreaterThan(25);
    const copied = await heldByCuts(detached);
    expect(copied.held).toBeLessThan(5);
    expect(copied.cuts).toEqual(plain.cuts);
  });
});
