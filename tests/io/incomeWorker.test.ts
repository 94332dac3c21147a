/**
 * The income worker (io/incomeWorker.ts) must give exactly what reading on one thread gives: the same records,
 * rejects, duplicates, counts, file digests and household order, also when other income tables follow it and when
 * the file has an encoding error. The worker only starts from compiled code, so these tests use dist/.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import iconv from "iconv-lite";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import type { Dataset } from "../../src/model/dataset.js";
import type { ReadOptions } from "../../src/io/readDataset.js";
import { openXlsx } from "../../src/io/xlsxReader.js";
import { useTempDir } from "../helpers/tmp.js";
import { rng } from "../helpers/rng.js";

const tempDir = useTempDir("povwatch-worker-");
const { readDataset } = (await import(join(process.cwd(), "dist/io/readDataset.js"))) as {
  readDataset: (inputs: string[], options?: ReadOptions) => Promise<Dataset>;
};

function snapshot(d: Dataset) {
  return {
    incomeOrder: [...d.income.householdIds()],
    income: [...d.income.householdIds()].map((id) => {
      const s = d.income.series(id);
      return [id, Array.from({ length: s.length }, (_, i) => [s.months[i], s.net[i], s.wage[i], s.size[i]])];
    }),
    households: [...d.households.values()].map((h) => [h.id, h.size, h.source.row]),
    inputs: d.inputs.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size, tables: f.tables.map((t) => ({ kind: t.kind, counts: t.counts, firstRejects: t.firstRejects })) })),
    rejects: d.rejects.map((r) => [r.source.file, r.source.row, r.column, r.value, r.code]),
    events: d.events.map((e) => [e.householdId, e.source.row, e.type]),
    members: [...d.members.keys()].map((id) => [id, d.members.get(id)!.map((m) => m.source.row)]),
    maxMonth: d.income.maxMonth,
  };
}

const maxMonth = 2026 * 12 + 10;

async function both(dir: string, options: ReadOptions = {}) {
  const delegated: string[] = [];
  // "file#sheet", and " (ahead)" when the worker started before the files ahead of it were read.
  const onWorker = (file: string, sheet: string, ahead: boolean) => delegated.push(`${file}${sheet ? `#${sheet}` : ""}${ahead ? " (ahead)" : ""}`);
  const worker = await readDataset([dir], { maxMonth, workerMinBytes: 0, onWorker, ...options });
  const single = await readDataset([dir], { maxMonth, workers: false, ...options });
  return { worker: snapshot(worker), single: snapshot(single), delegated };
}

/** Writes a workbook with exceljs: sheet name → rows (numbers stay numbers). */
async function writeXlsx(path: string, sheets: Record<string, (string | number | null)[][]>): Promise<void> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  await wb.xlsx.writeFile(path);
}

/** incomeLines as xlsx rows: amounts that parse as numbers become number cells. */
function incomeRows(lines: string[]): (string | number | null)[][] {
  return lines.map((l, i) => l.split(",").map((c, j) => (i > 0 && j >= 2 && c !== "" && Number.isFinite(Number(c)) ? Number(c) : c === "" ? null : c)));
}

function incomeLines(rand: () => number, households: number, odd: boolean): string[] {
  const lines = ["户编号,年月,工资性收入,生产经营性收入,纯收入,家庭人口数"];
  for (let h = 0; h < households; h++) {
    for (let m = 1; m <= 10; m++) {
      const id = odd && rand() < 0.1 ? String(Math.floor(rand() * households)).padStart(4, "0") : String(h).padStart(4, "0");
      const month = odd && rand() < 0.05 ? "2026-13" : `2026-${String(m).padStart(2, "0")}`;
      const amount = odd && rand() < 0.05 ? "abc" : (rand() * 3000).toFixed(2);
      lines.push([id, month, amount, "0", rand() < 0.2 ? "100" : "", rand() < 0.5 ? "3" : ""].join(","));
    }
  }
  return lines;
}

describe("income worker", () => {
  it("gives the one-thread result: grouped rows, duplicates, rejects and a second income file after it", async () => {
    const rand = rng(3);
    for (let n = 0; n < 6; n++) {
      const dir = join(tempDir(), `set-${n}`);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, "a-households.csv"), ["户编号,家庭人口数", ...Array.from({ length: 30 }, (_, h) => `${String(h).padStart(4, "0")},${1 + (h % 4)}`)].join("\n") + "\n");
      await writeFile(join(dir, "b-income.csv"), incomeLines(rand, 40, n % 2 === 1).join("\n") + "\n");
      if (n >= 2) await writeFile(join(dir, "c-members.csv"), "户编号,证件号码,与户主关系\n0001,110105194912310021,户主\n0099,110105194912310021,户主\n");
      if (n >= 4) await writeFile(join(dir, "d-income.csv"), incomeLines(rand, 50, true).join("\r\n") + "\r\n");
      const { worker, single, delegated } = await both(dir);
      expect(delegated).toEqual([`${join(dir, "b-income.csv")} (ahead)`]);
      expect(worker).toEqual(single);
      expect(worker.inputs.find((f) => f.path.endsWith("b-income.csv"))!.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("matches events to households by 户编号 and by ID number (members', heads') as on one thread, while it reads", async () => {
    const dir = join(tempDir(), "events");
    await mkdir(dir, { recursive: true });
    const head = "110105194912310021";
    const member = "11010519800101002X";
    await writeFile(join(dir, "a-households.csv"), `户编号,户主证件号码,家庭人口数\n0001,${head},2\n0002,130434199001011235,1\n`);
    // Member rows of one household apart from each other: grouping them is part of what is done while the worker reads.
    await writeFile(join(dir, "b-members.csv"), `户编号,证件号码,与户主关系\n0001,${head},户主\n0002,130434199001011235,户主\n0001,${member},配偶\n`);
    await writeFile(join(dir, "c-income.csv"), incomeLines(rng(9), 60, false).join("\n") + "\n");
    await writeFile(
      join(dir, "d-events.csv"),
      [
        "数据来源,户编号,证件号码,事件类型,发生日期,自付金额",
        `医保,,${member},医疗,2026-09-01,900.00`,
        `医保,,${head},医疗,2026-09-02,800.00`,
        "医保,0045,,医疗,2026-09-03,700.00",
        "医保,,110105199912310011,医疗,2026-09-04,600.00",
        "医保,9999,,医疗,2026-09-05,500.00",
      ].join("\n") + "\n",
    );
    const { worker, single, delegated } = await both(dir);
    expect(delegated).toEqual([`${join(dir, "c-income.csv")} (ahead)`]);
    expect(worker).toEqual(single);
    // By the member's ID, by the head's, by a 户编号 known only from income; two unmatched events rejected.
    expect(worker.events.map((e) => [e[0], e[1]])).toEqual([["0001", 2], ["0001", 3], ["0045", 4]]);
    expect(worker.rejects.filter((r) => r[4] === "event_unmatched").map((r) => r[1])).toEqual([5, 6]);
    expect(worker.members).toEqual([["0001", [2, 4]], ["0002", [3]]]);
  });

  it("starts at the income file's turn when a file it cannot look into (.csv.gz) comes first, with the same result", async () => {
    const dir = join(tempDir(), "gz-first");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "a-households.csv.gz"), gzipSync("户编号,家庭人口数\n0001,3\n0002,4\n"));
    await writeFile(join(dir, "b-income.csv"), incomeLines(rng(5), 50, true).join("\n") + "\n");
    const { worker, single, delegated } = await both(dir);
    expect(delegated).toEqual([join(dir, "b-income.csv")]);
    expect(worker).toEqual(single);
  });

  it("gives the one-thread result on a GB18030 file with Chinese notes and a title row", async () => {
    const dir = join(tempDir(), "gb");
    await mkdir(dir, { recursive: true });
    const lines = incomeLines(rng(4), 30, true).map((l, i) => (i === 0 ? `${l},备注` : `${l},${i % 3 ? "外出务工" : ""}`));
    await writeFile(join(dir, "income.csv"), iconv.encode(["某县2026年月度收入", ...lines].join("\r\n") + "\r\n", "gb18030"));
    const { worker, single } = await both(dir);
    expect(worker).toEqual(single);
    expect(worker.inputs[0]!.tables[0]!.counts.read).toBe(301); // the title row and 300 data rows
  });

  it("reports an encoding error in a file it reads exactly as the one-thread read does", async () => {
    const dir = join(tempDir(), "mixed");
    await mkdir(dir, { recursive: true });
    const good = incomeLines(rng(9), 20, false).join("\n") + "\n";
    await writeFile(join(dir, "income.csv"), Buffer.concat([Buffer.from(good), Buffer.from("0001,2026-01,1,1,1,"), Buffer.from([0xff, 0xfe]), Buffer.from("\n")]));
    const errors = await Promise.all(
      [{ workerMinBytes: 0 }, { workers: false }].map((o) => readDataset([dir], { maxMonth, ...o }).then(() => undefined, (e: Error & { code?: string }) => [e.name, e.code, e.message])),
    );
    expect(errors[0]).toBeDefined();
    expect(errors[0]).toEqual(errors[1]);
  });

  it("started ahead of the files before it, still reports the first file's error first (and the same rows otherwise)", async () => {
    // The worker starts on b-income.csv before a-households.csv is read; a-households.csv's bad byte is the error of
    // the run, as on one thread, although b-income.csv has one too.
    const dir = join(tempDir(), "ahead");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "a-households.csv"), Buffer.concat([Buffer.from("户编号,家庭人口数\n0001,3\n0002,"), Buffer.from([0xff]), Buffer.from("\n")]));
    await writeFile(join(dir, "b-income.csv"), Buffer.concat([Buffer.from(incomeLines(rng(12), 200, false).join("\n") + "\n0001,2026-01,1,1,1,"), Buffer.from([0xfe]), Buffer.from("\n")]));
    const errors = await Promise.all(
      [{ workerMinBytes: 0 }, { workers: false }].map((o) => readDataset([dir], { maxMonth, ...o }).then(() => undefined, (e: Error & { code?: string }) => [e.code, e.message])),
    );
    expect(errors[0]).toEqual(errors[1]);
    expect(String(errors[0]![1])).toContain("a-households.csv");
  });

  it("is not started ahead when a smaller income file comes first (income rows stay in file order)", async () => {
    const dir = join(tempDir(), "two-income");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "a-income.csv"), incomeLines(rng(13), 5, true).join("\n") + "\n");
    await writeFile(join(dir, "b-households.csv"), "户编号,家庭人口数\n0001,3\n");
    await writeFile(join(dir, "c-income.csv"), incomeLines(rng(14), 300, true).join("\n") + "\n");
    const { worker, single } = await both(dir, { workerMinBytes: 4096 });
    expect(worker).toEqual(single);
  });

  it("reads an income sheet of an xlsx workbook (after other sheets, below a title row) with the one-thread result", async () => {
    for (const [n, odd] of [[0, false], [1, true]] as const) {
      const dir = join(tempDir(), `xlsx-${n}`);
      await mkdir(dir, { recursive: true });
      const lines = incomeLines(rng(20 + n), 60, odd);
      await writeXlsx(join(dir, "a-county.xlsx"), {
        说明: [["本表由监测系统导出"]],
        户信息: [["户编号", "家庭人口数"], ...Array.from({ length: 60 }, (_, h) => [String(h).padStart(4, "0"), 1 + (h % 4)])],
        月度收入: [["西岭县2026年月度收入"], ...incomeRows(lines), [], ["合计", null, 1000]],
      });
      // A second income table after it waits for the worker's rows.
      await writeFile(join(dir, "b-income.csv"), incomeLines(rng(30 + n), 10, true).join("\n") + "\n");
      // The second set without the look-ahead (noFastPath also turns it off): the worker starts at the sheet's turn.
      const { worker, single, delegated } = await both(dir, odd ? { noFastPath: true } : {});
      expect(delegated).toEqual([`${join(dir, "a-county.xlsx")}#月度收入${odd ? "" : " (ahead)"}`]);
      expect(worker).toEqual(single);
      const table = worker.inputs[0]!.tables[2]!;
      expect(table.counts.read).toBe(1 + 600 + 1); // the title row, the data rows and the 合计 row (not the header)
      if (odd) expect(worker.rejects.filter((r) => r[0] === join(dir, "a-county.xlsx")).length).toBeGreaterThan(10);
    }
  });

  it("starts on an xlsx income sheet before the files ahead of it are read, with the same result", async () => {
    const dir = join(tempDir(), "xlsx-ahead");
    await mkdir(dir, { recursive: true });
    await writeXlsx(join(dir, "1-households.xlsx"), { 户信息: [["户编号", "家庭人口数"], ["0001", 3], ["0002", 5]] });
    await writeXlsx(join(dir, "2-income.xlsx"), { 月度收入: incomeRows(incomeLines(rng(40), 80, true)) });
    await writeFile(join(dir, "3-members.csv"), "户编号,证件号码,与户主关系\n0001,110105194912310021,户主\n");
    const { worker, single, delegated } = await both(dir);
    expect(delegated).toEqual([`${join(dir, "2-income.xlsx")}#月度收入 (ahead)`]);
    expect(worker).toEqual(single);
    expect(worker.inputs.map((f) => f.tables[0]!.counts.read)).toEqual([2, 800, 1]);
  });

  it("reads a wide xlsx income sheet (1月…12月 with --year 2025) with the one-thread result", async () => {
    const dir = join(tempDir(), "xlsx-wide");
    await mkdir(dir, { recursive: true });
    const rand = rng(50);
    const header = ["户编号", "家庭人口数", ...Array.from({ length: 12 }, (_, m) => `${m + 1}月`)];
    const rows = Array.from({ length: 40 }, (_, h) => [String(h).padStart(4, "0"), 3, ...Array.from({ length: 12 }, () => (rand() < 0.1 ? "缺" : Math.round(rand() * 300000) / 100))]);
    await writeXlsx(join(dir, "wide.xlsx"), { 收入: [header, ...rows] });
    const { worker, single, delegated } = await both(dir, { year: 2025 });
    expect(delegated).toHaveLength(1);
    expect(worker).toEqual(single);
    // A row with a 缺 among its months is rejected whole: 10 of the 40 households have none.
    expect(worker.income.length).toBe(10);
    expect(worker.rejects.length).toBeGreaterThanOrEqual(30);
  });

  it("counts a wide sheet's rows with duplicate months as the one-thread read does (months per row carried back)", async () => {
    const dir = join(tempDir(), "xlsx-wide-dups");
    await mkdir(dir, { recursive: true });
    const header = ["户编号", ...Array.from({ length: 4 }, (_, m) => `2025-0${m + 1}`)];
    const rows: (string | number | null)[][] = [
      ["H1", 100, 200, null, null],
      // Its 2025-02 conflicts with row 2's, its 2025-03 is new: the row stays accepted, the month is listed.
      ["H1", null, 250, 300, null],
      ["H2", 100, 200, null, null],
      // Every month repeats row 4's exactly: a duplicate row.
      ["H2", 100, 200, null, null],
      // One month, which repeats: a duplicate; and one whose only month conflicts: rejected.
      ["H2", null, 200, null, null],
      ["H2", 999, null, null, null],
    ];
    await writeXlsx(join(dir, "wide.xlsx"), { 月度收入: [header, ...rows] });
    const { worker, single, delegated } = await both(dir);
    expect(delegated).toHaveLength(1);
    expect(worker).toEqual(single);
    expect(single.inputs[0]!.tables[0]!.counts).toEqual({ read: 6, accepted: 3, rejected: 1, skipped: 0, duplicates: 2 });
    expect(single.rejects.map((r) => [r[1], r[3]])).toEqual([
      [3, "2025-02"],
      [7, "2025-01"],
    ]);
  });

  it("reports an xlsx income sheet damaged half-way exactly as the one-thread read does", async () => {
    const dir = join(tempDir(), "xlsx-damaged");
    await mkdir(dir, { recursive: true });
    const path = join(dir, "income.xlsx");
    await writeXlsx(path, { 月度收入: incomeRows(incomeLines(rng(70), 400, false)) });
    // The sheet is almost all of the file: garbage in its middle breaks the compressed data after the head rows.
    const bytes = await readFile(path);
    bytes.fill(0xff, bytes.length >> 1, (bytes.length >> 1) + 64);
    await writeFile(path, bytes);
    // The head rows still read, so the table is recognised and handed to the worker, which meets the damage.
    const { sheets, close } = await openXlsx(path, path);
    try {
      expect((await sheets[0]!.rows().next()).value![1]!.cells[0]).toBe("0000");
    } finally {
      close();
    }
    const errors = await Promise.all(
      [{ workerMinBytes: 0 }, { workers: false }].map((o) =>
        readDataset([dir], { maxMonth, ...o }).then(
          () => undefined,
          (e: Error & { code?: string }) => [e.code, e.message],
        ),
      ),
    );
    expect(errors[0]).toEqual(["xlsx_damaged", `${path}: not a readable .xlsx (the file is damaged or truncated); open it in Excel or WPS and save it again`]);
    expect(errors[1]).toEqual(errors[0]);
  });

  it("leaves a small xlsx file on this thread (below workerMinBytes)", async () => {
    const dir = join(tempDir(), "xlsx-small");
    await mkdir(dir, { recursive: true });
    await writeXlsx(join(dir, "income.xlsx"), { 月度收入: incomeRows(incomeLines(rng(60), 5, false)) });
    const { worker, single, delegated } = await both(dir, { workerMinBytes: 1 << 20 });
    expect(delegated).toEqual([]);
    expect(worker).toEqual(single);
  });

  it("reports the error of its own file, not of a later file that fails while it reads, as on one thread", async () => {
    // a-income.csv (in the worker) has a bad byte past its first MiB; b-households.csv, read here meanwhile, has one
    // too: a-income.csv comes first, so its error is the run's.
    const dir = join(tempDir(), "both-bad");
    await mkdir(dir, { recursive: true });
    const good = incomeLines(rng(15), 5000, false).join("\n") + "\n";
    expect(good.length).toBeGreaterThan(1 << 20);
    await writeFile(join(dir, "a-income.csv"), Buffer.concat([Buffer.from(good), Buffer.from("0001,2026-01,1,1,1,"), Buffer.from([0xff]), Buffer.from("\n")]));
    await writeFile(join(dir, "b-households.csv"), Buffer.concat([Buffer.from("户编号,家庭人口数\n0001,3\n0002,"), Buffer.from([0xfe]), Buffer.from("\n")]));
    const errors = await Promise.all(
      [{ workerMinBytes: 0 }, { workers: false }].map((o) => readDataset([dir], { maxMonth, ...o }).then(() => undefined, (e: Error & { code?: string }) => [e.code, e.message])),
    );
    expect(errors[0]).toEqual(errors[1]);
    expect(String(errors[0]![1])).toContain("a-income.csv");
  });
});
