/**
 * The general path of a table's data rows, shared by readDataset (main thread) and the income worker (an income
 * sheet of an xlsx workbook): the head rows the table is recognised from, then every row after the header converted
 * and handed to the dataset builder. Both threads run this same code on the same rows, so a table gives the same
 * records, rejects and counts wherever it is read.
 */
import type { DatasetBuilder } from "../schema/assemble.js";
import { HEADER_SEARCH_ROWS, type Recognition } from "../schema/recognise.js";
import { createRowConverter } from "../schema/rows.js";
import { UserError } from "../model/errors.js";

/** A numbered row as readers give it: 1-based spreadsheet row and cell texts. */
export interface NumberedRow {
  row: number;
  cells: string[];
}

export type RowBatches = AsyncGenerator<NumberedRow[], void, void>;

/**
 * The rows of a table within its first HEADER_SEARCH_ROWS spreadsheet rows (header detection: inputs.md's "within the
 * first 20"), and the rest of the batch they ended in. By row number, not by position: an xlsx sheet leaves its empty
 * rows out, so its 20th row given may be row 25.
 */
export async function headOf(batches: RowBatches): Promise<{ head: NumberedRow[]; rest: NumberedRow[] }> {
  const head: NumberedRow[] = [];
  for (;;) {
    const r = await batches.next();
    if (r.done) return { head, rest: [] };
    const batch = r.value;
    let i = 0;
    while (i < batch.length && head.length < HEADER_SEARCH_ROWS && batch[i]!.row <= HEADER_SEARCH_ROWS) head.push(batch[i++]!);
    if (i < batch.length) return { head, rest: batch.slice(i) };
    if (head.length >= HEADER_SEARCH_ROWS) return { head, rest: [] };
  }
}

/** What the dataset builder is told of a recognised table when it is added (DatasetBuilder.addTable). */
export function tableFlags(recognition: Recognition): { hasWage: boolean; wide: boolean } {
  return { hasWage: recognition.columns.some((c) => c.def.field === "wage"), wide: recognition.wideMonths.length > 0 };
}

/**
 * Converts the data rows of a recognised table (those after its header row: the rest of `head`, then `rest`, then
 * every further batch) into records, rejects and skipped rows of table `table` in `builder`.
 */
export async function convertRows(
  recognition: Recognition,
  rows: { head: NumberedRow[]; rest: NumberedRow[]; batches: RowBatches },
  target: { builder: DatasetBuilder; table: number; file: string; sheet: string },
  options: { maxMonth?: number | undefined; signal?: AbortSignal | undefined; progress: (rows: number) => void },
): Promise<void> {
  const { builder, table } = target;
  const convert = createRowConverter(recognition, { maxMonth: options.maxMonth });
  // One source object for every row of the table: the builder and converter copy it where they keep it.
  const source = { file: target.file, sheet: target.sheet, row: 0 };
  const take = (batch: NumberedRow[]) => {
    for (const r of batch) {
      source.row = r.row;
      builder.add(table, convert(r.cells, source), source);
    }
    options.progress(batch.length);
  };
  take(rows.head.slice(recognition.headerIndex! + 1));
  take(rows.rest);
  for await (const batch of rows.batches) {
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new UserError("interrupted", "interrupted");
    take(batch);
  }
}
