/**
 * CSV encoding and delimiter detection (inputs.md): a BOM, else valid UTF-8, else GB18030; UTF-16 by BOM or NUL
 * pattern; UTF-8 that turns into other bytes later is a mixed file, not GB18030.
 */
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { detectDelimiter, detectEncoding, findMixedEncodingOffset, normalizeEncoding } from "../../src/io/csvReader.js";

const bytes = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));

describe("detectEncoding", () => {
  it.each([
    ["UTF-8 with a BOM", bytes(Buffer.from([0xef, 0xbb, 0xbf]), "户编号"), "utf-8-bom", 3],
    ["UTF-16LE with a BOM", bytes(Buffer.from([0xff, 0xfe]), Buffer.from("户编号", "utf16le")), "utf-16le", 2],
    ["UTF-16BE with a BOM", Buffer.from([0xfe, 0xff, 0x62, 0x37]), "utf-16be", 2],
    ["UTF-16LE without a BOM (NULs at odd offsets)", Buffer.from("household_id,month\n", "utf16le"), "utf-16le", 0],
    ["plain ASCII", bytes("a,b\n1,2\n"), "utf-8", 0],
    ["UTF-8 Chinese", bytes("户编号,年月\n"), "utf-8", 0],
    ["GB18030 Chinese", iconv.encode("户编号,年月\n", "gb18030"), "gb18030", 0],
  ])("%s → %s", (_, head, encoding, bomLength) => {
    expect(detectEncoding(head, true)).toEqual({ encoding, bomLength });
  });

  it("a UTF-8 character cut off at the end of an incomplete sample is still UTF-8", () => {
    const head = Buffer.from("户编号");
    expect(detectEncoding(head.subarray(0, head.length - 1), false).encoding).toBe("utf-8");
  });
});

describe("findMixedEncodingOffset", () => {
  const utf8 = "户编号,姓名\n0001,张三\n";
  it("gives the offset of the first GB18030 byte after Chinese UTF-8 text", () => {
    expect(findMixedEncodingOffset(bytes(utf8, iconv.encode("王五", "gb18030")), true)).toBe(Buffer.byteLength(utf8));
  });
  it.each([
    ["pure GB18030", iconv.encode("户编号,姓名\n0001,张三\n", "gb18030")],
    ["valid UTF-8", bytes(utf8)],
    ["ASCII then GB18030 (too little UTF-8 to call it mixed)", bytes("id,name\n", iconv.encode("王五", "gb18030"))],
  ])("is undefined for %s", (_, b) => {
    expect(findMixedEncodingOffset(b, true)).toBeUndefined();
  });
});

describe("detectDelimiter", () => {
  it.each([
    ["a,b,c\n1,2,3\n", ","],
    ["a\tb\tc\n1\t2\t3\n", "\t"],
    ['"x\ty",b\n1,2\n', ","],
  ])("%j → %j", (sample, delimiter) => {
    expect(detectDelimiter(sample)).toBe(delimiter);
  });
});

describe("normalizeEncoding", () => {
  it.each([
    ["UTF8", "utf-8"],
    ["gbk", "gb18030"],
    ["GB2312", "gb18030"],
    ["utf_16le", "utf-16le"],
  ])("%s → %s", (name, expected) => {
    expect(normalizeEncoding(name)).toBe(expected);
  });
  it("an unknown name is a usage error (exit 2)", () => {
    expect(() => normalizeEncoding("latin1")).toThrow(expect.objectContaining({ code: "bad_encoding", exitCode: 2 }));
  });
});
