import { describe, expect, it } from "vitest";
import { maskIdNumber, maskName } from "../../src/model/mask.js";

// The masking rules written out on arrays of characters (code points), as outputs.md states them: the reference the
// string-slice fast path must agree with.
const COMPOUND = new Set(["欧阳", "司马", "诸葛", "上官"]);
function referenceName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return chars.join("");
  const keep = chars.length >= 3 && COMPOUND.has(chars[0]! + chars[1]!) ? 2 : 1;
  return chars.slice(0, keep).join("") + "*".repeat(chars.length - keep);
}
function referenceId(id: string): string {
  const chars = Array.from(id.trim());
  if (chars.length <= 10) return chars.slice(0, 2).join("") + "*".repeat(Math.max(0, chars.length - 2));
  return chars.slice(0, 6).join("") + "*".repeat(chars.length - 10) + chars.slice(-4).join("");
}

describe("maskName and maskIdNumber", () => {
  it("mask names and IDs as outputs.md shows", () => {
    expect(maskName("张三")).toBe("张*");
    expect(maskName(" 欧阳娜娜 ")).toBe("欧阳**");
    expect(maskName("欧阳")).toBe("欧*");
    expect(maskName("王")).toBe("王");
    expect(maskName("")).toBe("");
    expect(maskIdNumber("43010219900101123X")).toBe("430102********123X");
    expect(maskIdNumber(" 4.30102E+17 ")).toBe("4.3010*E+17");
    expect(maskIdNumber("4.3010E+17")).toBe("4.********");
    expect(maskIdNumber("A1234567")).toBe("A1******");
    // A character outside the BMP (two UTF-16 units) counts as one character.
    expect(maskName("𠀀小明")).toBe("𠀀**");
    expect(maskIdNumber("𠀀3010219900101123X")).toBe("𠀀30102********123X");
  });

  it("agree with the rules on characters for 20,000 random texts, with and without surrogate pairs", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    const alphabet = ["0", "1", "9", "X", "x", " ", "张", "欧", "阳", "司", "马", "诸", "葛", "𠀀", "😀", "-", "\t"];
    let surrogates = 0;
    for (let i = 0; i < 20_000; i++) {
      let t = "";
      const len = rand(22);
      for (let j = 0; j < len; j++) t += alphabet[rand(alphabet.length)]!;
      if (/[\uD800-\uDFFF]/.test(t)) surrogates++;
      expect(maskName(t), JSON.stringify(t)).toBe(referenceName(t));
      expect(maskIdNumber(t), JSON.stringify(t)).toBe(referenceId(t));
    }
    expect(surrogates).toBeGreaterThan(2_000);
  });
});
