import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import yauzl from "yauzl";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { columnLetter, splitLongSheet, timestampForPeriod, writeWorkbook } from "../../src/io/writeWorkbook.js";
import { dosDateTime } from "../../src/io/zipWriter.js";
import { SheetNamer } from "../../src/report/sheetNames.js";
import { openXlsx } from "../../src/io/xlsxReader.js";
import { monthOf } from "../../src/model/month.js";
import type { WorkbookSpec } from "../../src/report/workbook.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "povwatch-xlsx-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const spec: WorkbookSpec = {
  sheets: [
    {
      name: "监测名单",
      columns: [{ header: "户编号" }, { header: "风险等级" }, { header: "年化人均纯收入", format: "amount" }, { header: "户数", format: "integer" }, { header: "P0", format: "percent" }],
      rows: [
        ["0012", "红", 3500.5, 1234, 0.125],
        ["=1+1", "绿", -12.5, 0, null],
      ],
      styles: [{ fills: { 1: "red" } }, { fills: { 1: "green" }, bold: true, indent: 2 }],
      freezeHeader: true,
      autoFilter: true,
    },
    {
      name: "收入分布",
      columns: [{ header: "指标" }, { header: "值" }],
      rows: [["P0", 0.25], ["人数", 100]],
      styles: [{ formats: { 1: "percent" } }, { formats: { 1: "integer" } }],
      blocks: [
        {
          title: "分布",
          columns: [{ header: "收入分组" }, { header: "户数", format: "integer" }],
          rows: [["低", 3], ["高", 9]],
          dataBarColumn: 1,
        },
      ],
    },
  ],
};

async function readBack(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

describe("writeWorkbook", () => {
  it("writes typed cells with number formats, header style, fills, indentation, frozen header and autofilter", async () => {
    const path = join(dir, "flagged.xlsx");
    await writeWorkbook(path, spec);
    const wb = await readBack(path);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["监测名单", "收入分布"]);
    const ws = wb.getWorksheet("监测名单")!;
    expect(ws.getRow(1).values).toEqual([undefined, "户编号", "风险等级", "年化人均纯收入", "户数", "P0"]);
    expect(ws.getCell("A1").font?.bold).toBe(true);
    expect((ws.getCell("A1").fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FFDDEBF7");
    expect(ws.getCell("A2").value).toBe("0012");
    expect(ws.getCell("A3").value).toBe("=1+1"); // typed text in xlsx: never a formula
    expect(ws.getCell("A3").formula).toBeUndefined();
    expect([ws.getCell("C2").value, ws.getCell("C2").numFmt]).toEqual([3500.5, "#,##0.00"]);
    expect([ws.getCell("C3").value, ws.getCell("C3").numFmt]).toEqual([-12.5, "#,##0.00"]);
    expect([ws.getCell("D2").value, ws.getCell("D2").numFmt]).toEqual([1234, "#,##0"]);
    expect([ws.getCell("E2").value, ws.getCell("E2").numFmt]).toEqual([0.125, "0.0%"]);
    expect(ws.getCell("E3").value).toBeNull();
    expect((ws.getCell("B2").fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FFFF7C80");
    expect((ws.getCell("B3").fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FF92D050");
    expect(ws.getCell("A3").alignment?.indent).toBe(2);
    expect(ws.getCell("B3").font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.autoFilter).toBe("A1:E3");
    expect(ws.getColumn(3).width).toBeGreaterThanOrEqual(16);
  });

  it("writes blocks below the first table, per-row formats and a data bar", async () => {
    const path = join(dir, "summary.xlsx");
    await writeWorkbook(path, spec);
    const ws = (await readBack(path)).getWorksheet("收入分布")!;
    expect([ws.getCell("B2").value, ws.getCell("B2").numFmt]).toEqual([0.25, "0.0%"]);
    expect([ws.getCell("B3").value, ws.getCell("B3").numFmt]).toEqual([100, "#,##0"]);
    expect(ws.getRow(4).values).toEqual([]);
    expect(ws.getCell("A5").value).toBe("分布");
    expect(ws.getCell("A5").font?.bold).toBe(true);
    expect(ws.getRow(6).values).toEqual([undefined, "收入分组", "户数"]);
    expect([ws.getCell("B8").value, ws.getCell("B8").numFmt]).toEqual([9, "#,##0"]);
    const xml = await sheetXml(path, 2);
    expect(xml).toContain('<conditionalFormatting sqref="B7:B8"><cfRule type="dataBar" priority="1"><dataBar>');
  });

  it("gives byte-identical files when written twice with the same timestamp", async () => {
    const a = join(dir, "a.xlsx");
    const b = join(dir, "b.xlsx");
    await writeWorkbook(a, spec, { timestamp: timestampForPeriod(monthOf(2026, 10)) });
    await new Promise((r) => setTimeout(r, 2100)); // zip times have a 2-second resolution
    await writeWorkbook(b, spec, { timestamp: timestampForPeriod(monthOf(2026, 10)) });
    expect((await readFile(a)).equals(await readFile(b))).toBe(true);
    const wb = await readBack(a);
    expect(wb.created.toISOString()).toBe("2026-10-01T00:00:00.000Z");
    expect((await readdir(dir)).sort()).toEqual(["a.xlsx", "b.xlsx"]);
  });

  it("writes the same bytes (widths, fills, autofilter) when a sheet's rows come from a rowSource", async () => {
    // A long cell widens its column: the widths must come from the rowSource's rows too.
    const first = { ...spec.sheets[0]!, rows: [...spec.sheets[0]!.rows, ["这是一段很长的说明文字用来撑宽第一列", "黄", 1, 1, 0.5]] };
    const styles = [...first.styles!, { fills: { 1: "yellow" as const } }];
    const eager: WorkbookSpec = { sheets: [{ ...first, styles }, ...spec.sheets.slice(1)] };
    const lazy: WorkbookSpec = {
      sheets: [{ ...first, rows: [], styles: undefined, rowSource: { count: first.rows.length, row: (i) => first.rows[i]!, style: (cells) => styles[first.rows.indexOf(cells)] } }, ...spec.sheets.slice(1)],
    };
    const a = join(dir, "rows.xlsx");
    const b = join(dir, "source.xlsx");
    const timestamp = timestampForPeriod(monthOf(2026, 10));
    await writeWorkbook(a, eager, { timestamp });
    await writeWorkbook(b, lazy, { timestamp });
    expect((await readFile(a)).equals(await readFile(b))).toBe(true);
  });

  it("stamps every zip entry with the timestamp", async () => {
    const path = join(dir, "a.xlsx");
    await writeWorkbook(path, spec, { timestamp: new Date(Date.UTC(2026, 9, 1, 13, 45, 30)) });
    const { time, date } = dosDateTime(new Date(Date.UTC(2026, 9, 1, 13, 45, 30)));
    const bytes = await readFile(path);
    const stamps = new Set<string>();
    for (let i = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); i >= 0; i = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), i + 4)) {
      stamps.add(`${bytes.readUInt16LE(i + 12)}/${bytes.readUInt16LE(i + 14)}`);
    }
    expect([...stamps]).toEqual([`${time}/${date}`]);
  });
});

describe("writeWorkbook: cells and failures", () => {
  it("stops a long sheet within a few thousand rows once the signal is aborted (Ctrl-C), leaving no file", async () => {
    const controller = new AbortController();
    const reason = new Error("interrupted");
    let built = 0;
    const row = (i: number) => {
      built++;
      if (i === 5000) controller.abort(reason);
      return [`户${i}`, i * 1.5];
    };
    const spec: WorkbookSpec = { sheets: [{ name: "监测名单", columns: [{ key: "a", header: "户编号" }, { key: "b", header: "金额" }], rows: [], rowSource: { count: 100_000, row } }] };
    const path = join(dir, "stopped.xlsx");
    await expect(writeWorkbook(path, spec, { signal: controller.signal })).rejects.toBe(reason);
    expect(built).toBeLessThan(5000 + 4096 + 1);
    expect(await readdir(dir)).toEqual([]);
  });

  const texts = ["A&B <c> d>e", " 前导空格", "末尾空格 ", "第一行\r\n第二行", "制表\t符", "控制\u0001\u001f字符\u007f", "_x0041_", "𠀀 emoji 🙂", "", "=SUM(A1)"];
  const textSheet: WorkbookSpec = {
    sheets: [{ name: "文本 & <符号>", columns: [{ header: "文本" }, { header: "数", format: "amount" }], rows: texts.map((t, i) => [t, i === 0 ? Number.NaN : i === 1 ? Number.POSITIVE_INFINITY : i]) }],
  };

  it("keeps every text as written (markup, spaces at either end, CR LF, tabs, _x0041_), leaving out only control characters XML cannot carry", async () => {
    const path = join(dir, "texts.xlsx");
    await writeWorkbook(path, textSheet);
    const expected = texts.map((t) => t.replace(/[\u0001\u001f\u007f]/g, ""));
    const ws = (await readBack(path)).worksheets[0]!;
    expect(ws.name).toBe("文本 & <符号>");
    // An empty text is an empty cell.
    expect(texts.map((_, i) => ws.getCell(i + 2, 1).value)).toEqual(expected.map((t) => (t === "" ? null : t)));
    // Excel keeps spaces at either end only when told to (exceljs and our reader keep them anyway).
    const xml = await sheetXml(path, 1);
    expect(xml).toContain('<t xml:space="preserve"> 前导空格</t>');
    expect(xml).toContain('<t xml:space="preserve">末尾空格 </t>');
    expect(xml).toContain("<t>第一行&#13;\n第二行</t>");
    // povwatch's own reader (diff reads flagged.xlsx) gives the same texts.
    const { sheets, close } = await openXlsx(path, path);
    try {
      const rows: string[][] = [];
      for await (const batch of sheets[0]!.rows()) for (const r of batch) rows.push(r.cells);
      expect(rows.slice(1).map((r) => r[0] ?? "")).toEqual(expected);
    } finally {
      close();
    }
  });

  it("writes a number that is not finite (NaN, ∞) as an empty cell, keeping its format", async () => {
    const path = join(dir, "numbers.xlsx");
    await writeWorkbook(path, textSheet);
    const ws = (await readBack(path)).worksheets[0]!;
    expect([ws.getCell("B2").value, ws.getCell("B3").value, ws.getCell("B4").value]).toEqual([null, null, 2]);
    const xml = await sheetXml(path, 1);
    expect(xml).toContain('<c r="B2" s="');
    expect(xml).not.toMatch(/NaN|Infinity/);
  });

  it("leaves the previous file in place and no temporary file when building a row fails half-way", async () => {
    const path = join(dir, "flagged.xlsx");
    await writeFile(path, "previous month's list");
    const failing: WorkbookSpec = {
      sheets: [
        {
          name: "监测名单",
          columns: [{ header: "户编号" }],
          rows: [],
          rowSource: {
            count: 100_000,
            row: (i) => {
              if (i === 60_000) throw new Error("row 60000: cannot build");
              return [String(i).padStart(15, "0")];
            },
          },
        },
      ],
    };
    await expect(writeWorkbook(path, failing)).rejects.toThrow("row 60000: cannot build");
    expect(await readFile(path, "utf8")).toBe("previous month's list");
    expect(await readdir(dir)).toEqual(["flagged.xlsx"]);
  });

  it("writes a long table streamed from a rowSource completely (every row, the last one included)", async () => {
    const path = join(dir, "long.xlsx");
    const count = 30_000;
    const long: WorkbookSpec = {
      sheets: [
        {
          name: "监测名单",
          columns: [{ header: "户编号" }, { header: "年化人均纯收入", format: "amount" }],
          rows: [],
          rowSource: { count, row: (i) => [`5306211012${String(i).padStart(5, "0")}`, i + 0.5], style: (cells) => ((cells[1] as number) < 100 ? { fills: { 0: "red" } } : undefined) },
          freezeHeader: true,
          autoFilter: true,
        },
      ],
    };
    await writeWorkbook(path, long);
    const ws = (await readBack(path)).worksheets[0]!;
    expect(ws.rowCount).toBe(count + 1);
    expect([ws.getCell(count + 1, 1).value, ws.getCell(count + 1, 2).value]).toEqual([`5306211012${count - 1}`, count - 0.5]);
    expect((ws.getCell("A2").fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FFFF7C80");
    expect(ws.getCell("A200").fill).toBeUndefined();
    expect(ws.autoFilter).toBe(`A1:B${count + 1}`);
  });
});

describe("helpers", () => {
  it("continues a table longer than the row limit on 名称(2), 名称(3), blocks on the first sheet only", () => {
    const sheet = { name: "监测名单", columns: [{ header: "户编号" }], rows: [["1"], ["2"], ["3"], ["4"], ["5"]], styles: [undefined, { bold: true }], blocks: [{ columns: [], rows: [] }] };
    const parts = splitLongSheet(sheet, new SheetNamer(["监测名单"]), 3);
    expect(parts.map((p) => [p.name, p.rows, p.blocks?.length])).toEqual([
      ["监测名单", [["1"], ["2"]], 1],
      ["监测名单(2)", [["3"], ["4"]], 0],
      ["监测名单(3)", [["5"]], 0],
    ]);
    expect(parts[0]!.styles).toEqual([undefined, { bold: true }]);
  });

  it("splits a sheet whose rows are built as they are written the same way", () => {
    const built: number[] = [];
    const row = (i: number) => (built.push(i), [String(i + 1)]);
    const sheet = { name: "监测名单", columns: [{ header: "户编号" }], rows: [], rowSource: { count: 5, row } };
    const parts = splitLongSheet(sheet, new SheetNamer(["监测名单"]), 3);
    expect(built).toEqual([]);
    expect(parts.map((p) => [p.name, Array.from({ length: p.rowSource!.count }, (_, i) => p.rowSource!.row(i))])).toEqual([
      ["监测名单", [["1"], ["2"]]],
      ["监测名单(2)", [["3"], ["4"]]],
      ["监测名单(3)", [["5"]]],
    ]);
  });

  it.each([
    [0, "A"],
    [25, "Z"],
    [26, "AA"],
    [27, "AB"],
    [701, "ZZ"],
    [702, "AAA"],
  ])("column %i is %s", (i, letter) => {
    expect(columnLetter(i)).toBe(letter);
  });
});

/** The XML of the n-th worksheet (1-based). */
async function sheetXml(path: string, n: number): Promise<string> {
  const zip = await new Promise<yauzl.ZipFile>(async (resolve, reject) =>
    yauzl.fromBuffer(await readFile(path), { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  const wanted = `xl/worksheets/sheet${n}.xml`;
  return new Promise((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) => {
      if (entry.fileName.replace(/^\//, "") !== wanted) return zip.readEntry();
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      });
    });
    zip.on("end", () => reject(new Error(`${wanted} not found`)));
    zip.readEntry();
  });
}
