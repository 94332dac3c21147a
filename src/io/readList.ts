/**
 * Reading what `povwatch diff` compares: a monitoring list (flagged.csv / flagged.xlsx) or any table (.csv, .csv.gz,
 * .xlsx), given as a file or as a scan's output folder, with the period and policy name from the scan's run.json
 * (or the period from a YYYY-MM folder name). Reuses the input layer's CSV and xlsx readers.
 */
import { readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { EXIT, UserError } from "../model/errors.js";
import { parseMonth } from "../model/month.js";
import { type ListMeta, parseRunInfo } from "../diff/meta.js";
import type { RawRow, RawTable } from "../diff/table.js";
import { openCsv } from "./csvReader.js";
import { sniffFile } from "./files.js";
import { openXlsx } from "./xlsxReader.js";

/** The sheet of flagged.xlsx that holds the whole list (the county sheets of `--split-by county` are not read). */
export const LIST_SHEET = "监测名单";

/** The list files looked for in a scan output folder, in order of preference. */
export const LIST_FILES: readonly string[] = ["flagged.csv", "flagged.xlsx"];

/** A table to compare with what is known about where it came from. */
export interface ListInput {
  readonly table: RawTable;
  readonly meta: ListMeta;
  /** Things the user should know (e.g. a run.json that could not be read); the command shows them as warnings. */
  readonly notes: readonly string[];
}

/**
 * Resolves OLD or NEW to a file: a folder gives its flagged.csv, else its flagged.xlsx; a file is itself. Also
 * the run.json to read (in the folder, or beside the file). Throws UserError (exit 1) naming the path when there
 * is nothing to read.
 */
export async function locateList(path: string): Promise<{ file: string; runJson: string }> {
  const info = await stat(path).catch((cause: NodeJS.ErrnoException) => {
    throw new UserError("no_input", `${path}: no such file or folder`, { cause, exitCode: EXIT.failed, context: { file: path } });
  });
  if (!info.isDirectory()) return { file: path, runJson: join(dirname(path), "run.json") };
  for (const name of LIST_FILES) {
    const candidate = join(path, name);
    if (await stat(candidate).then((s) => s.isFile(), () => false)) return { file: candidate, runJson: join(path, "run.json") };
  }
  throw new UserError(
    "no_list",
    `${path}: the folder has no flagged.csv or flagged.xlsx; give a scan's period folder (e.g. out/2026-10) or a list file`,
    { exitCode: EXIT.failed, context: { file: path } },
  );
}

/** Undoes the CSV-injection guard of our CSV writer: `'=…`, `'+…`, `'-…`, `'@…`, `'<tab>…`, `'<CR>…` lose the `'`. */
export function unguardCsvText(text: string): string {
  return text.length >= 2 && text.charCodeAt(0) === 39 && /^[=+\-@\t\r]/.test(text.slice(1)) ? text.slice(1) : text;
}

/**
 * Reads every row of a table file: a CSV (encoding detected as for inputs; the injection guard undone) or, for a
 * workbook, the sheet 监测名单 when there is one, else the first sheet. Row numbers are spreadsheet rows (1-based).
 * Once `signal` is aborted, stops at the next batch of rows with its reason.
 */
export async function readTable(path: string, signal?: AbortSignal): Promise<RawTable> {
  const format = await sniffFile(path);
  const rows: RawRow[] = [];
  if (format === "xlsx") {
    const book = await openXlsx(path, path);
    try {
      const sheet = book.sheets.find((s) => s.name === LIST_SHEET) ?? book.sheets[0];
      if (!sheet) throw new UserError("xlsx_empty", `${path}: the workbook has no worksheet`, { context: { file: path } });
      // The xlsx reader's texts are already cut loose from the sheet's XML (the rows are kept until compared).
      for await (const batch of sheet.rows()) {
        if (signal?.aborted) throw signal.reason;
        for (const r of batch) rows.push({ row: r.row, cells: r.cells });
      }
      return { file: path, sheet: sheet.name, rows };
    } finally {
      book.close();
    }
  }
  const csv = await openCsv(path, path, { gzip: format === "csv.gz" });
  let n = 0;
  try {
    for await (const batch of csv.rows) {
      if (signal?.aborted) throw signal.reason;
      for (const cells of batch) rows.push({ row: ++n, cells: cells.map(unguardCsvText) });
    }
  } finally {
    csv.close();
  }
  return { file: path, sheet: "", rows };
}

/**
 * Reads OLD or NEW (a file or a scan output folder): the table, and its period and policy name from run.json,
 * or, without run.json, the period from the folder name when it is YYYY-MM.
 */
export async function readList(path: string, signal?: AbortSignal): Promise<ListInput> {
  const { file, runJson } = await locateList(path);
  const table = await readTable(file, signal);
  const notes: string[] = [];
  let info: { period: number | undefined; policyName: string | undefined } = { period: undefined, policyName: undefined };
  const text = await readFile(runJson, "utf8").catch(() => undefined);
  if (text !== undefined) {
    const parsed = parseRunInfo(text);
    if (parsed === undefined) notes.push(`${runJson}: not a readable run.json; the period and policy of ${file} are unknown`);
    else info = parsed;
  }
  if (info.period === undefined) {
    const folder = basename(dirname(file));
    if (/^\d{4}-\d{2}$/.test(folder)) info = { ...info, period: parseMonth(folder) };
  }
  return { table, meta: { file, period: info.period, policyName: info.policyName }, notes };
}
