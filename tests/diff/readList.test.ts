import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readList, readTable, unguardCsvText } from "../../src/io/readList.js";
import { writeWorkbook } from "../../src/io/writeWorkbook.js";
import { monthOf } from "../../src/model/month.js";
import { useTempDir } from "../helpers/tmp.js";

const dir = useTempDir("povwatch-diff-read-");
const BOM = "\uFEFF";
const LIST_CSV = `${BOM}户编号,状态,风险等级,说明\r\nH1,新识别,红,'=SUM(A1)\r\nH2,持续监测,黄,'-50%\r\n`;

async function folder(name: string, files: Record<string, string>): Promise<string> {
  const path = join(dir(), name);
  await mkdir(path, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(path, file), text);
  return path;
}

describe("readList", () => {
  it("reads a scan output folder: its flagged.csv, with period and policy name from run.json", async () => {
    const out = await folder("scan/2026-10", { "flagged.csv": LIST_CSV, "run.json": JSON.stringify({ period: "2026-10", policy: { name: "云南2026" } }) });
    const input = await readList(out);
    expect(input.meta).toEqual({ file: join(out, "flagged.csv"), period: monthOf(2026, 10), policyName: "云南2026" });
    expect(input.notes).toEqual([]);
    expect(input.table.rows.map((r) => r.cells)).toEqual([
      ["户编号", "状态", "风险等级", "说明"],
      ["H1", "新识别", "红", "=SUM(A1)"],
      ["H2", "持续监测", "黄", "-50%"],
    ]);
  });

  it("reads a bare file without run.json, taking the period from a YYYY-MM folder name", async () => {
    const out = await folder("lists/2026-09", { "flagged.csv": LIST_CSV });
    expect((await readList(join(out, "flagged.csv"))).meta).toEqual({ file: join(out, "flagged.csv"), period: monthOf(2026, 9), policyName: undefined });
  });

  it("leaves the period unknown for a file outside a YYYY-MM folder", async () => {
    const out = await folder("elsewhere", { "名单.csv": LIST_CSV });
    expect((await readList(join(out, "名单.csv"))).meta.period).toBeUndefined();
  });

  it("notes a run.json it cannot read and falls back to the folder name", async () => {
    const out = await folder("broken/2026-08", { "flagged.csv": LIST_CSV, "run.json": "{ not json" });
    const input = await readList(out);
    expect(input.meta.period).toBe(monthOf(2026, 8));
    expect(input.notes).toEqual([`${join(out, "run.json")}: not a readable run.json; the period and policy of ${join(out, "flagged.csv")} are unknown`]);
  });

  it("takes flagged.xlsx when the folder has no flagged.csv, reading the sheet 监测名单", async () => {
    const out = await folder("xlsx-only", {});
    await writeWorkbook(join(out, "flagged.xlsx"), {
      sheets: [
        { name: "说明", columns: [{ header: "备注" }], rows: [["x"]] },
        { name: "监测名单", columns: [{ header: "户编号" }, { header: "状态" }], rows: [["0007", "新识别"]] },
      ],
    });
    const input = await readList(out);
    expect(input.table.file).toBe(join(out, "flagged.xlsx"));
    expect(input.table.sheet).toBe("监测名单");
    expect(input.table.rows.map((r) => [r.row, ...r.cells])).toEqual([
      [1, "户编号", "状态"],
      [2, "0007", "新识别"],
    ]);
  });

  it("reads the first sheet of a workbook without 监测名单", async () => {
    const out = await folder("generic", {});
    await writeWorkbook(join(out, "t.xlsx"), { sheets: [{ name: "户信息", columns: [{ header: "户编号" }], rows: [["1"]] }, { name: "其他", columns: [{ header: "x" }], rows: [] }] });
    expect((await readTable(join(out, "t.xlsx"))).sheet).toBe("户信息");
  });

  it("refuses a folder without a list, saying what to give (exit 1)", async () => {
    const out = await folder("empty", { "notes.txt": "x" });
    await expect(readList(out)).rejects.toMatchObject({
      code: "no_list",
      exitCode: 1,
      message: `${out}: the folder has no flagged.csv or flagged.xlsx; give a scan's period folder (e.g. out/2026-10) or a list file`,
    });
  });

  it("stops at the next batch of rows once the signal is aborted (diff: Ctrl-C within a second on a province's list)", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `H${i},新识别,红,说明`).join("\r\n");
    const out = await folder("big", { "flagged.csv": `${BOM}户编号,状态,风险等级,说明\r\n${rows}\r\n` });
    const interrupted = new Error("interrupted by SIGINT");
    const controller = new AbortController();
    controller.abort(interrupted);
    await expect(readList(out, controller.signal)).rejects.toBe(interrupted);
    expect((await readList(out)).table.rows).toHaveLength(20_001);
  });

  it("refuses a path that does not exist (exit 1)", async () => {
    await expect(readList(join(dir(), "nope.csv"))).rejects.toMatchObject({ code: "no_input", exitCode: 1 });
  });
});

describe("unguardCsvText", () => {
  it.each([
    ["'=1+1", "=1+1"],
    ["'+86", "+86"],
    ["'-5", "-5"],
    ["'@x", "@x"],
    ["'\tx", "\tx"],
    ["'abc", "'abc"],
    ["'", "'"],
    ["=1", "=1"],
    ["", ""],
  ])("%j → %j", (text, expected) => {
    expect(unguardCsvText(text)).toBe(expected);
  });
});
