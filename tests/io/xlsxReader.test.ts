/**
 * The streaming xlsx reader against exceljs's (non-streaming) reader as the reference: the same sheets in the same
 * order with the same names, and the same rows cell by cell after the same conversion to text (dates as calendar
 * dates `YYYY-MM-DD`, booleans TRUE/FALSE, formulas as their cached result, rich text flattened).
 */
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { excelSerialToDate, isDateFormatCode, openXlsx } from "../../src/io/xlsxReader.js";
import { buildRawXlsx } from "../helpers/zip.js";
import { useTempDir } from "../helpers/tmp.js";

const tempDir = useTempDir("povwatch-xlsx-");

type Rows = [number, string[]][];

/** Drops trailing empty cells; rows left empty are dropped. */
function tidy(rows: Rows): Rows {
  const out: Rows = [];
  for (const [n, cells] of rows) {
    const c = [...cells];
    while (c.length && c[c.length - 1] === "") c.pop();
    if (c.length) out.push([n, c]);
  }
  return out;
}

/** Our reader: sheet name → rows. */
async function readOurs(path: string): Promise<[string, Rows][]> {
  const { sheets, close } = await openXlsx(path, path, 3); // small batches: rows span batches
  try {
    const out: [string, Rows][] = [];
    for (const s of sheets) {
      const rows: Rows = [];
      for await (const batch of s.rows()) for (const r of batch) rows.push([r.row, r.cells]);
      out.push([s.name, tidy(rows)]);
    }
    return out;
  } finally {
    close();
  }
}

const pad = (n: number) => (n < 10 ? "0" : "") + n;

/** exceljs's value as the text our reader gives. */
function valueText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (v instanceof Date) return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
  if ("richText" in v) return v.richText.map((r) => r.text).join("");
  if ("result" in v || "formula" in v || "sharedFormula" in v) return valueText((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ("error" in v) return v.error;
  if ("text" in v) return String((v as { text: unknown }).text);
  return String(v);
}

/** The reference: exceljs reads the whole workbook; merged cells other than the top-left one hold nothing. */
async function readReference(path: string): Promise<[string, Rows][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb.worksheets.map((ws) => {
    const rows: Rows = [];
    ws.eachRow({ includeEmpty: false }, (row, n) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        while (cells.length < col - 1) cells.push("");
        cells[col - 1] = cell.type === ExcelJS.ValueType.Merge ? "" : valueText(cell.value);
      });
      rows.push([n, cells]);
    });
    return [ws.name, tidy(rows)] as [string, Rows];
  });
}

describe("xlsx reader = exceljs, cell by cell", () => {
  it("on a workbook written by exceljs: shared strings, rich text, formulas, dates, numbers, booleans, merged titles, gaps, several sheets", async () => {
    const path = join(tempDir(), "exceljs.xlsx");
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("说明").addRow(["本表由系统导出，请勿修改 & <注意>"]);
    const ws = wb.addWorksheet("2026年月度收入");
    ws.addRow(["某某县防返贫监测户月度收入"]);
    ws.mergeCells("A1:F1");
    ws.addRow(["户编号", "年月", "工资性收入", "纯收入", "是否享受低保", "备注"]);
    ws.addRow(["000123", new Date(Date.UTC(2026, 8, 1)), 1234.5, { formula: "C3*2", result: 2469 }, true, { richText: [{ text: "富" }, { font: { bold: true }, text: "文本" }] }]);
    ws.addRow(["000124", "2026-09", null, -0.25, false, "  前后有空格  "]);
    ws.addRow([]);
    ws.addRow(["000125", new Date(Date.UTC(1900, 1, 28)), 1e-7, { formula: "1/0", result: { error: "#DIV/0!" } }, null, "第一行\n第二行"]);
    ws.getCell("H6").value = "远处的单元格";
    ws.getCell("B6").numFmt = "yyyy年m月d日";
    const third = wb.addWorksheet("Sheet 3 (副本)");
    third.addRow([null, null, "C1 only"]);
    third.addRow([0, "", 123456789012]);
    await wb.xlsx.writeFile(path);

    const ours = await readOurs(path);
    expect(ours).toEqual(await readReference(path));
    expect(ours.map(([name]) => name)).toEqual(["说明", "2026年月度收入", "Sheet 3 (副本)"]);
    expect(ours[1]![1].slice(0, 3)).toEqual([
      [1, ["某某县防返贫监测户月度收入"]],
      [2, ["户编号", "年月", "工资性收入", "纯收入", "是否享受低保", "备注"]],
      [3, ["000123", "2026-09-01", "1234.5", "2469", "TRUE", "富文本"]],
    ]);
  });

  it("on a hand-made workbook: inline strings, phonetic runs, t=str formulas, a 1904 date system, workbook.xml stored last, sheets in non-default order", async () => {
    const path = join(tempDir(), "raw.xlsx");
    const bytes = buildRawXlsx(
      [
        {
          name: "户信息",
          rowsXml:
            '<row r="2"><c r="A2" t="inlineStr"><is><t>户编号</t></is></c><c r="B2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c><c r="D2" t="inlineStr"><is><r><t>识别</t></r><r><t>监测时间</t></r></is></c></row>' +
            '<row r="3"><c r="A3" t="inlineStr"><is><t xml:space="preserve"> 0001 </t></is></c><c r="B3"><v>1.30434199001011E+17</v></c><c r="C3" t="str"><f>"A"&amp;"B"</f><v>A&amp;B</v></c><c r="D3" s="1"><v>44835</v></c></row>' +
            '<row r="5"><c r="B5" s="2"><v>0.5</v></c><c r="E5" t="b"><v>0</v></c></row>',
        },
        { name: "Sheet1", rowsXml: '<row r="1"><c r="A1"><v>1</v></c></row>' },
      ],
      { sharedStrings: ["<si><t>户主证件号码</t></si>", "<si><r><t>户主</t></r><r><t>姓名</t></r><rPh sb=\"0\" eb=\"2\"><t>フリガナ</t></rPh></si>"], styles: [0, 14, 10], date1904: true },
    );
    await writeFile(path, bytes);
    const ours = await readOurs(path);
    expect(ours).toEqual([
      [
        "户信息",
        [
          [2, ["户编号", "户主证件号码", "户主姓名", "识别监测时间"]],
          [3, [" 0001 ", "1.30434199001011E+17", "A&B", "2026-10-02"]],
          [5, ["", "0.5", "", "", "FALSE"]],
        ],
      ],
      ["Sheet1", [[1, ["1"]]]],
    ]);
    // exceljs agrees except where it turns the stored number text into a JavaScript number.
    const reference = await readReference(path);
    expect(reference[0]![1][1]).toEqual([3, [" 0001 ", "130434199001011000", "A&B", "2026-10-02"]]);
  });

  it("decodes the _xHHHH_ escapes of shared strings (_x000D_ a carriage return, _x005F_ an underscore) as exceljs does; inline strings are taken as written", async () => {
    const path = join(tempDir(), "escapes.xlsx");
    const rowsXml =
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>_x0041_</t></is></c></row>' +
      '<row r="2"><c r="A2" t="s"><v>2</v></c></row>';
    await writeFile(path, buildRawXlsx([{ name: "户信息", rowsXml }], { sharedStrings: ["<si><t>家庭_x000D_\n人口数</t></si>", "<si><t>a_x005F_x000D_b</t></si>", "<si><t>_x4E2D__x6587_</t></si>"] }));
    const ours = await readOurs(path);
    expect(ours).toEqual([["户信息", [[1, ["家庭\r\n人口数", "a_x000D_b", "_x0041_"]], [2, ["中文"]]]]]);
    const reference = await readReference(path);
    expect(reference[0]![1].map(([row, cells]) => [row, cells.slice(0, 2)])).toEqual([[1, ["家庭\r\n人口数", "a_x000D_b"]], [2, ["中文"]]]);
  });

  it("on a long sheet whose rows straddle the inflate chunks (no row lost at a chunk boundary)", async () => {
    const path = join(tempDir(), "long.xlsx");
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("月度收入");
    ws.addRow(["户编号", "年月", "工资性收入", "备注"]);
    for (let i = 0; i < 30_000; i++) ws.addRow([String(i).padStart(8, "0"), `2026-${pad((i % 12) + 1)}`, (i * 7919) % 5000 + 0.25, i % 3 ? "" : `说明${i}`]);
    await wb.xlsx.writeFile(path);
    const ours = await readOurs(path);
    expect(ours[0]![1]).toHaveLength(30_001);
    expect(ours).toEqual(await readReference(path));
  });

  it.skipIf(!hasLibreOffice())("on a workbook converted by LibreOffice from CSV", async () => {
    const dir = tempDir();
    await writeFile(join(dir, "lo.csv"), "户编号,年月,纯收入\n0001,2026-09,500\n");
    execFileSync("soffice", ["--headless", "--convert-to", "xlsx", "--outdir", dir, join(dir, "lo.csv")], { stdio: "pipe", timeout: 60_000 });
    const path = join(dir, "lo.xlsx");
    expect(await readOurs(path)).toEqual(await readReference(path));
  });
});

/** True when `soffice` is on the PATH (it is never installed for the tests). */
function hasLibreOffice(): boolean {
  try {
    execFileSync("which", ["soffice"], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

describe("date cells", () => {
  it.each([
    [1, false, "1900-01-01"],
    [59, false, "1900-02-28"],
    [61, false, "1900-03-01"],
    [45931, false, "2025-10-01"],
    [45931.99999, false, "2025-10-01"],
    [0, true, "1904-01-01"],
    [44835, true, "2026-10-02"],
  ])("serial %d (1904 system: %s) is %s", (serial, date1904, expected) => {
    expect(excelSerialToDate(serial, date1904)).toBe(expected);
  });

  it.each([
    ["yyyy-mm-dd", true],
    ['yyyy"年"m"月"d"日"', true],
    ["[$-804]yyyy年m月", true],
    ["m/d/yy", true],
    ["0.00", false],
    ["#,##0", false],
    ["h:mm:ss", false],
    ["@", false],
    ["General", false],
  ])("number format %s shows a date: %s", (code, expected) => {
    expect(isDateFormatCode(code)).toBe(expected);
  });
});

describe("damaged workbooks", () => {
  it("a truncated workbook is a UserError xlsx_damaged naming the file", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("a").addRow(["户编号", "年月", "纯收入"]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const path = join(tempDir(), "cut.xlsx");
    await writeFile(path, buf.subarray(0, buf.length - 100));
    await expect(openXlsx(path, "cut.xlsx")).rejects.toMatchObject({ code: "xlsx_damaged", message: expect.stringMatching(/^cut\.xlsx: not a readable \.xlsx/) });
  });

  it.each([
    [0, undefined],
    [1, /not enough bytes in the stream \(expected \d+, got \d+\)/],
    [-1, /too many bytes in the stream/],
  ])("a deflated sheet whose directory declares %i byte(s) more than it inflates to: read, or refused", async (sizeError, refused) => {
    const rowsXml = Array.from({ length: 3000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`).join("");
    const path = join(tempDir(), `sized${sizeError}.xlsx`);
    await writeFile(path, buildRawXlsx([{ name: "a", rowsXml }], { sheetZip: { deflate: true, sizeError } }));
    const { sheets, close } = await openXlsx(path, "sized.xlsx");
    try {
      const read = (async () => {
        let rows = 0;
        for await (const batch of sheets[0]!.rows()) rows += batch.length;
        return rows;
      })();
      if (refused) await expect(read).rejects.toThrow(refused);
      else expect(await read).toBe(3000);
    } finally {
      close();
    }
  });

  it.each([
    ["a cell without </c>", '<row r="2"><c r="A2"><v>1</v><c r="B2"><v>2</v></row>'],
    ["an unclosed <c> tag", '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"</row>'],
  ])("a row holding %s (garbage from damaged compressed data) fails instead of reading forever", async (_what, row) => {
    const path = join(tempDir(), "garbled.xlsx");
    await writeFile(path, buildRawXlsx([{ name: "a", rowsXml: `<row r="1"><c r="A1"><v>1</v></c></row>${row}` }]));
    const { sheets, close } = await openXlsx(path, "garbled.xlsx");
    try {
      const read = (async () => {
        for await (const _batch of sheets[0]!.rows());
      })();
      await expect(read).rejects.toThrow(/malformed sheet XML/);
    } finally {
      close();
    }
  });
});
