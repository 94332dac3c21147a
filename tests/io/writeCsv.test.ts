import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { UTF8_BUFFER_BYTES, csvRecord, formatCsv, formatCsvCell, guardCsvText, writeCsv } from "../../src/io/writeCsv.js";
import type { TableSpec } from "../../src/report/workbook.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "povwatch-csv-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const table: TableSpec = {
  columns: [{ header: "户编号" }, { header: "村" }, { header: "年化人均纯收入", format: "amount" }, { header: "已记录月数", format: "integer" }, { header: "收入降幅", format: "percent" }],
  rows: [
    ["0012", "一村", 6543.2, 12, 0.5],
    ["0013", null, -12.5, 0, -0.25],
    ["0014", "=HYPERLINK(\"x\")", 0, 3, null],
  ],
};

describe("CSV injection guard", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+86 123", "'+86 123"],
    ["-5", "'-5"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", "'\tx"],
    ["\rx", "'\rx"],
    ["一村", "一村"],
    ["a=b", "a=b"],
    ["", ""],
  ])("%j → %j", (text, expected) => {
    expect(guardCsvText(text)).toBe(expected);
  });

  it("leaves numbers alone: a negative amount stays a number", () => {
    expect(formatCsvCell(-12.5, "amount")).toBe("-12.50");
    expect(formatCsvCell(-3, undefined)).toBe("-3");
  });
});

describe("CSV cells", () => {
  it.each([
    [null, undefined, ""],
    [6543.2, "amount", "6543.20"],
    [6000, "amount", "6000.00"],
    [-0.001, "amount", "0.00"],
    [12, "integer", "12"],
    [0.52346, "percent", "0.5235"],
    [Number.NaN, "amount", ""],
    [Number.POSITIVE_INFINITY, undefined, ""],
    ["0012", undefined, "0012"],
  ] as const)("%j with format %s → %j", (cell, format, expected) => {
    expect(formatCsvCell(cell, format)).toBe(expected);
  });

  it("writes header and rows with CRLF, quoting only where needed", () => {
    expect(formatCsv(table)).toBe(
      "户编号,村,年化人均纯收入,已记录月数,收入降幅\r\n" +
        "0012,一村,6543.20,12,0.5000\r\n" +
        "0013,,-12.50,0,-0.2500\r\n" +
        "0014,\"'=HYPERLINK(\"\"x\"\")\",0.00,3,\r\n",
    );
  });
});

describe("csvRecord", () => {
  it("quotes like csv-stringify told to quote line breaks too, and reads back with csv-parse, on fuzzed fields", () => {
    let seed = 17;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 0x100000000);
    const pieces = ["a", "户主", ",", '"', "\r", "\n", "\r\n", " ", "'", "=", "；", "0012", "\t", "😀"];
    const records: string[][] = [];
    for (let r = 0; r < 2000; r++) {
      const fields = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => Array.from({ length: Math.floor(rand() * 5) }, () => pieces[Math.floor(rand() * pieces.length)]!).join(""));
      records.push(fields);
    }
    const ours = records.map(csvRecord).join("");
    expect(ours).toBe(stringify(records, { record_delimiter: "windows", quoted_match: /[\r\n]/ }));
    const nonEmpty = records.filter((f) => f.length > 1 || f[0] !== "");
    expect(parse(nonEmpty.map(csvRecord).join(""), { relax_column_count: true })).toEqual(nonEmpty);
  });

  it("quotes a field with a lone line break (csv-stringify's default would not)", () => {
    expect(csvRecord(["12\n34", "x\ry", "ok"])).toBe('"12\n34","x\ry",ok\r\n');
  });
});

describe("writeCsv", () => {
  it("writes UTF-8 with a BOM by default", async () => {
    const path = join(dir, "flagged.csv");
    await writeCsv(path, table, { encoding: "utf8" });
    const bytes = await readFile(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString("utf8")).toBe(formatCsv(table));
  });

  it("writes GB18030 without a BOM", async () => {
    const path = join(dir, "flagged.csv");
    await writeCsv(path, { columns: [{ header: "户编号" }, { header: "村" }], rows: [["1", "一村"]] }, { encoding: "gb18030" });
    const bytes = await readFile(path);
    // 户 = BB A7, 编 = B1 E0, 号 = BA C5 in GB18030/GBK
    expect([...bytes.subarray(0, 6)]).toEqual([0xbb, 0xa7, 0xb1, 0xe0, 0xba, 0xc5]);
    expect(iconv.decode(bytes, "gb18030")).toBe("户编号,村\r\n1,一村\r\n");
  });

  it("gives identical bytes when written twice, and leaves no temporary file", async () => {
    const a = join(dir, "a.csv");
    const b = join(dir, "b.csv");
    const big: TableSpec = { columns: table.columns, rows: Array.from({ length: 5000 }, (_, i) => [String(i).padStart(6, "0"), `村${i % 7}`, i * 1.25, i % 12, null]) };
    await writeCsv(a, big, { encoding: "utf8" });
    await writeCsv(b, big, { encoding: "utf8" });
    expect((await readFile(a)).equals(await readFile(b))).toBe(true);
    expect((await readFile(a)).subarray(3).toString("utf8")).toBe(formatCsv(big));
    expect((await readdir(dir)).sort()).toEqual(["a.csv", "b.csv"]);
  });

  it("writes a list larger than its 4 MiB buffer, a 5 MiB cell and characters outside the BMP exactly as formatCsv gives them", async () => {
    // Records are encoded into one reused buffer written out when full: every byte must survive the hand-overs, a
    // record longer than the buffer included; 𠀀 (a surrogate pair, 4 bytes) and 村 (3 bytes) fill it unevenly.
    const path = join(dir, "big.csv");
    const rows = Array.from({ length: 6000 }, (_, i): (string | number | null)[] => [String(i).padStart(6, "0"), `𠀀村${"说明".repeat(i % 400)}`, i * 1.25, i % 12, i % 3 ? null : -0.5]);
    rows.splice(3000, 0, ["huge", `"${"𠀀,\n".repeat(1_400_000)}"`, 1, 1, 1]);
    const big: TableSpec = { columns: table.columns, rows };
    await writeCsv(path, big, { encoding: "utf8" });
    const bytes = await readFile(path);
    expect(bytes.length).toBeGreaterThan(3 * 4 * 2 ** 20);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).equals(Buffer.from(formatCsv(big), "utf8"))).toBe(true);
    expect(parse(bytes.subarray(3), { bom: false })).toHaveLength(6002);
  });

  it("writes the buffer out before a record of 3-byte characters that would not fit (room reserved at 3 bytes a unit)", async () => {
    // BOM + "h\r\n" (6 bytes), then ASCII records of 1,002 bytes up to 2,932 bytes short of the buffer's end, then
    // a record of 1,000 CJK characters: 3,002 bytes, which must go to the next buffer, not be cut off.
    const k = Math.floor((UTF8_BUFFER_BYTES - 6 - 2500) / 1002);
    const rows: string[][] = Array.from({ length: k }, (_, i) => [String(i % 10).repeat(1000)]);
    rows.push(["村".repeat(1000)], ["end"]);
    expect(UTF8_BUFFER_BYTES - 6 - 1002 * k).toBeLessThan(3002);
    const narrow: TableSpec = { columns: [{ header: "h" }], rows };
    const path = join(dir, "edge.csv");
    await writeCsv(path, narrow, { encoding: "utf8" });
    expect((await readFile(path)).subarray(3).equals(Buffer.from(formatCsv(narrow), "utf8"))).toBe(true);
  });
});

describe("writeCsv and a signal", () => {
  it.each(["utf8", "gb18030"] as const)("stops once the signal is aborted (Ctrl-C), leaving no file (%s)", async (encoding) => {
    const controller = new AbortController();
    const reason = new Error("interrupted");
    const table = {
      columns: [{ key: "a", header: "户编号" }],
      rowCount: 300_000,
      row: (i: number) => {
        if (i === 10) controller.abort(reason);
        return [`0000000${i}的说明文字`];
      },
    };
    const path = join(dir, `stopped-${encoding}.csv`);
    await expect(writeCsv(path, table, { encoding, signal: controller.signal })).rejects.toBe(reason);
    expect(await readdir(dir)).toEqual([]);
  });
});
