import { describe, expect, it } from "vitest";
import { ByteKeyTable } from "../../src/io/byteKeys.js";
import { plainTextBytes } from "../../src/io/fastMembers.js";
import { cleanCell } from "../../src/schema/values.js";

describe("ByteKeyTable", () => {
  it("finds each of 100,000 keys by its bytes (past several rehashes and arena growths) and misses others", () => {
    const table = new ByteKeyTable<string>();
    const key = (i: number) => Buffer.from(`村${i.toString(36)}${"x".repeat(i % 7)}`);
    for (let i = 0; i < 100_000; i++) {
      const b = Buffer.concat([Buffer.from("前缀,"), key(i), Buffer.from(",后")]);
      expect(table.find(b, 7, b.length - 4)).toBe(-1);
      table.add(b, 7, b.length - 4, `v${i}`);
    }
    expect(table.size).toBe(100_000);
    for (let i = 0; i < 100_000; i += 997) {
      const k = key(i);
      expect(table.valueAt(table.find(k, 0, k.length))).toBe(`v${i}`);
    }
    const missing = Buffer.from("村zzzzzz");
    expect(table.find(missing, 0, missing.length)).toBe(-1);
    const empty = Buffer.alloc(0);
    expect(table.find(empty, 0, 0)).toBe(-1);
  });
});

describe("plainTextBytes", () => {
  it("says a cell needs no cleaning only when cleanCell would keep its text as it is", () => {
    const samples = ["张三", "欧阳娜娜", "a", "Z0", "村1", "张 三", " 张三", "张三 ", "\u3000张三", "张三\u3000", "\u00a0张", "张\u00a0", "\ufeff张", "张\ufeff",
      "\t张", "张\t", '="0123"', "=1", "张=", "\u2028张", "张\u2009", "·张", "张·", "é", "中", "龥", "一", "㐀", "😀", "张😀"];
    let plain = 0;
    for (const t of samples) {
      const b = Buffer.from(t);
      if (plainTextBytes(b, 0, b.length)) {
        plain++;
        expect(cleanCell(t), t).toBe(t);
      }
    }
    // the ordinary names and ASCII texts are plain
    expect(["张三", "欧阳娜娜", "a", "Z0", "村1", "张 三", "张=", "中", "龥", "一"].every((t) => plainTextBytes(Buffer.from(t), 0, Buffer.from(t).length))).toBe(true);
    expect(plain).toBe(10);
  });
});
