import { describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import { ByteCsvSplitter, CSV_PARSE_OPTIONS, MASKED, endsInsideQuotes, splitQuotedLine } from "../../src/io/csvBytes.js";
import { rng } from "../helpers/rng.js";

/** Records of `bytes` through the byte splitter, fed in chunks of the given sizes (cycled). */
function split(bytes: Buffer, encoding: "utf-8" | "gb18030", chunkSizes: number[] = [bytes.length || 1], delimiter = ","): string[][] {
  const sp = new ByteCsvSplitter({ delimiter, encoding, display: "t.csv", offset: 0, encodingError: (at) => new Error(`bad byte at ${at}`) });
  const out: string[][] = [];
  let pos = 0;
  let i = 0;
  while (pos < bytes.length) {
    const n = Math.max(1, chunkSizes[i++ % chunkSizes.length]!);
    sp.push(bytes.subarray(pos, pos + n), out);
    pos += n;
  }
  sp.end(out);
  return out;
}

/** The reference: csv-parse on the whole text with the streaming path's options. */
function reference(text: string, delimiter = ","): string[][] {
  return parse(text, { ...CSV_PARSE_OPTIONS, delimiter }) as string[][];
}

/** A small deterministic PRNG so that a failure can be replayed. */
const PIECES = ["a", "户编号", "1,234.50", "", " ", "张三", "x\"y", "2026-10", "＝", "元", "-5"];

/** A random CSV text: quoted fields with delimiters, doubled quotes and line breaks; empty lines; CRLF or LF. */
function randomCsv(rand: () => number, eol: string): string {
  const lines: string[] = [];
  const rows = 1 + Math.floor(rand() * 12);
  for (let r = 0; r < rows; r++) {
    if (rand() < 0.08) {
      lines.push("");
      continue;
    }
    const cols = 1 + Math.floor(rand() * 6);
    const fields: string[] = [];
    for (let c = 0; c < cols; c++) {
      const v = PIECES[Math.floor(rand() * PIECES.length)]!;
      const q = rand();
      if (q < 0.25) fields.push(`"${v.replace(/"/g, '""')}${rand() < 0.3 ? "," : ""}${rand() < 0.3 ? eol : ""}"`);
      else fields.push(v);
    }
    lines.push(fields.join(","));
  }
  return lines.join(eol) + (rand() < 0.5 ? eol : "");
}

describe("byte-level CSV splitter", () => {
  it.each([
    ["plain rows", "a,b,c\n1,2,3\n"],
    ["CRLF line ends", "a,b\r\n1,2\r\n"],
    ["no final line end", "a,b\n1,2"],
    ["an empty line is a record with one empty cell", "a\n\nb\n"],
    ["quoted delimiter", 'a,"b,c",d\n'],
    ["doubled quotes", 'a,"say ""hi""",d\n'],
    ["a line break inside quotes", 'a,"line1\nline2",d\ne,f\n'],
    ["a CRLF inside quotes is kept", 'a,"x\r\ny"\r\nz\r\n'],
    ["a quote inside an unquoted field is data (relax_quotes)", 'ab"c,d\ne\n'],
    ["an ID written as =\"…\"", '="0123",5\n'],
  ])("%s: same records as csv-parse", (_, text) => {
    expect(split(Buffer.from(text), "utf-8")).toEqual(reference(text));
    expect(split(Buffer.from(text), "utf-8", [1])).toEqual(reference(text));
  });

  it("tab-delimited text", () => {
    const text = "户编号\t年月\n0001\t2026-10\n";
    expect(split(Buffer.from(text), "utf-8", [3], "\t")).toEqual(reference(text, "\t"));
  });

  it("GB18030 text decodes field by field to the same records", () => {
    const text = '户编号,姓名,备注\n0001,张三,"说明，含逗号"\n0002,欧阳娜娜,\n';
    expect(split(iconv.encode(text, "gb18030"), "gb18030", [5, 7])).toEqual(reference(text));
  });

  it("an unclosed quote is csv-parse's CSV_QUOTE_NOT_CLOSED with the records before it", () => {
    expect(() => split(Buffer.from('a\n"b\nc\n'), "utf-8")).toThrow(expect.objectContaining({ code: "CSV_QUOTE_NOT_CLOSED", records: 1 }));
  });

  it("bytes that are not UTF-8 give the encoding error with the offset of the first bad byte", () => {
    const bytes = Buffer.concat([Buffer.from("a,b\n"), iconv.encode("王", "gb18030"), Buffer.from(",c\n")]);
    expect(() => split(bytes, "utf-8")).toThrow("bad byte at 4");
  });

  it("once a mask is set, unwanted cells are not decoded: empty stays empty, others read as a placeholder, except a row's first non-empty cell", () => {
    const sp = new ByteCsvSplitter({ delimiter: ",", encoding: "utf-8", display: "t.csv", offset: 0, encodingError: () => new Error("x") });
    const out: string[][] = [];
    sp.setMask(Uint8Array.from([0, 1, 0, 1]));
    sp.push(Buffer.from("a,b,c,d\n,b,,d\n合计,,x,\n,,合计,\n"), out);
    sp.end(out);
    expect(out).toEqual([
      ["a", "b", MASKED, "d"],
      ["", "b", "", "d"],
      ["合计", "", MASKED, ""],
      ["", "", "合计", ""],
    ]);
  });

  it("an unwanted cell with bytes of another encoding is still an encoding error", () => {
    const sp = new ByteCsvSplitter({ delimiter: ",", encoding: "utf-8", display: "t.csv", offset: 0, encodingError: (at) => new Error(`bad byte at ${at}`) });
    sp.setMask(Uint8Array.from([1, 0]));
    expect(() => sp.push(Buffer.concat([Buffer.from("a,"), iconv.encode("王", "gb18030"), Buffer.from("\n")]), [])).toThrow("bad byte at 2");
  });

  it("fuzzed texts, fed in random chunk sizes, give exactly csv-parse's records", () => {
    const rand = rng(20261129);
    for (let n = 0; n < 400; n++) {
      const text = randomCsv(rand, rand() < 0.5 ? "\n" : "\r\n");
      let expected: string[][] | Error;
      try {
        expected = reference(text);
      } catch (e) {
        expected = e as Error;
      }
      const sizes = [1 + Math.floor(rand() * 40), 1 + Math.floor(rand() * 7)];
      if (expected instanceof Error) {
        expect(() => split(Buffer.from(text), "utf-8", sizes), JSON.stringify(text)).toThrow();
      } else {
        expect(split(Buffer.from(text), "utf-8", sizes), JSON.stringify(text)).toEqual(expected);
      }
    }
  });
});

describe("splitQuotedLine (one record with quotes, without csv-parse)", () => {
  it.each([
    ['a,"b,c",d', ["a", "b,c", "d"]],
    ['"say ""hi""",x', ['say "hi"', "x"]],
    ['"",""', ["", ""]],
    ['"a",', ["a", ""]],
    [',"a"', ["", "a"]],
    ['"""",1', ['"', "1"]],
    ['"年化人均纯收入5,800.00元低于年监测标准6,000.00元；2026-05至2026-10"', ["年化人均纯收入5,800.00元低于年监测标准6,000.00元；2026-05至2026-10"]],
  ])("%s → csv-parse's fields", (line, fields) => {
    expect(splitQuotedLine(line, ",")).toEqual(fields);
    expect(reference(line)).toEqual([fields]);
  });

  it.each([['ab"c,d'], ['"a"b,c'], ['"a" ,b'], [' "a",b'], ['"unclosed']])("%s is left to csv-parse", (line) => {
    expect(splitQuotedLine(line, ",")).toBeUndefined();
  });

  it("agrees with csv-parse on 3,000 fuzzed lines wherever it answers, with , and tab delimiters", () => {
    const rand = rng(20261202);
    const pieces = ["a", "", " ", '"', '""', ",", "\t", "户", "1,234.50", "x\"y", "🙂"];
    let answered = 0;
    for (let n = 0; n < 3000; n++) {
      const delimiter = rand() < 0.8 ? "," : "\t";
      const fields = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => {
        const v = Array.from({ length: Math.floor(rand() * 3) }, () => pieces[Math.floor(rand() * pieces.length)]!).join("");
        return rand() < 0.5 ? `"${v.replace(/"/g, rand() < 0.9 ? '""' : '"')}"${rand() < 0.1 ? "x" : ""}` : v;
      });
      const line = fields.join(delimiter);
      if (!line.includes('"')) continue;
      const ours = splitQuotedLine(line, delimiter);
      if (ours === undefined) continue;
      answered++;
      expect(ours, JSON.stringify(line)).toEqual(parse(line, { ...CSV_PARSE_OPTIONS, delimiter })[0] ?? [""]);
    }
    expect(answered).toBeGreaterThan(1000);
  });
});

describe("endsInsideQuotes", () => {
  it.each([
    ['a,"b', true],
    ['a,"b"', false],
    ['a,"b""', true],
    ['a,"b"""', false],
    ['ab"c', false],
    ['"a,b",c', false],
  ])("%s → %s", (text, inside) => {
    const b = Buffer.from(text);
    expect(endsInsideQuotes(b, 0, b.length, 44)).toBe(inside);
  });
});
