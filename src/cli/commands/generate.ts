/**
 * povwatch generate — writes a realistic synthetic export set, or the bundled demo county.
 *
 *   povwatch generate --households N [--months K] [--seed S] [--format csv|xlsx] [--encoding utf8|utf8-bom|gb18030] --out DIR
 *   povwatch generate --demo --out DIR
 *
 * The set is households.csv, members.csv, income.csv, events.csv (or one .xlsx per table, sheets 户信息, 成员信息,
 * 月度收入, 部门预警数据), K months of income ending 2026-10, byte-identical for the same arguments. --demo writes
 * the demo county of fixtures/demo (several export shapes, planted cases documented in its README.md).
 */
import type { CommandSpec, CommandContext } from "../command.js";
import { EXIT } from "../../model/errors.js";
import { buildDemoFiles } from "../../generate/demo.js";
import { generateHouseholds, normalizeGenerateOptions, type GenerateOptions } from "../../generate/exportSet.js";
import { EXPORT_TABLES } from "../../generate/tables.js";
import { openCsvTable, openXlsxTable, writeExportFiles, type TableWriter } from "../../io/writeExport.js";
import { makeOutputFolder } from "../../io/atomic.js";
import { join } from "node:path";

/** Households generated between two writes (a few MB of text per table). */
const BATCH = 200;

/** The generate command: options, then build (pure, src/generate) → write (src/io/writeExport). */
export const generateCommand: CommandSpec = {
  name: "generate",
  configure(cmd) {
    cmd
      .description("write a synthetic export set (户信息, 成员信息, 月度收入, 部门预警数据) or, with --demo, the demo county")
      .option("--households <n>", "number of households (1 to 2,000,000)")
      .option("--months <k>", "months of income ending 2026-10 (default 12)")
      .option("--seed <s>", "random seed, a whole number (default 1); the same arguments give identical files")
      .option("--format <format>", "csv or xlsx (default csv)")
      .option("--encoding <encoding>", "csv encoding: utf8, utf8-bom or gb18030 (default utf8)")
      .option("--demo", "write the demo county (fixtures/demo) instead of a generated set")
      .option("--out <dir>", "folder to write into (created if missing)");
  },
  async run(_args, raw, ctx) {
    const options = normalizeGenerateOptions(raw);
    // Both kinds of set: a file of that name is refused as scan's --out is.
    await makeOutputFolder(options.out);
    if (raw.demo === true) return writeDemo(options.out, ctx);
    return writeGeneratedSet(options, ctx);
  },
};

async function writeDemo(out: string, ctx: CommandContext): Promise<number> {
  const files = buildDemoFiles();
  await writeExportFiles(out, files);
  ctx.ui.info(`generate: demo county written to ${out} (${files.length} files)`);
  return EXIT.ok;
}

async function writeGeneratedSet(options: GenerateOptions, ctx: CommandContext): Promise<number> {
  const ext = options.format === "xlsx" ? ".xlsx" : ".csv";
  const writers: TableWriter[] = [];
  for (const t of EXPORT_TABLES) {
    const path = join(options.out, t.file + ext);
    writers.push(options.format === "xlsx" ? await openXlsxTable(path, t.sheet, t.headers, t.numeric) : openCsvTable(path, t.headers, options.encoding));
  }
  const counts = EXPORT_TABLES.map(() => 0);
  if (ctx.ui.options.interactive) ctx.ui.phase("generating");
  try {
    let batch: string[][][] = EXPORT_TABLES.map(() => []);
    let n = 0;
    const flush = async (): Promise<void> => {
      for (let t = 0; t < writers.length; t++) {
        counts[t]! += batch[t]!.length;
        await writers[t]!.writeRows(batch[t]!);
      }
      batch = EXPORT_TABLES.map(() => []);
      ctx.ui.progress(`${n.toLocaleString("en-US")} households`);
      // Exit 1 like every interrupted command (cli.md lists no other code); the writers remove their temporary files.
      if (ctx.signal.aborted) throw ctx.signal.reason;
    };
    for (const household of generateHouseholds(options)) {
      for (let t = 0; t < EXPORT_TABLES.length; t++) EXPORT_TABLES[t]!.rows(household, batch[t]!);
      if (++n % BATCH === 0) await flush();
    }
    await flush();
    // Every table complete before any replaces an earlier file: a full disk leaves the earlier set as it was.
    for (const w of writers) await w.finish();
    for (const w of writers) await w.commit();
  } catch (err) {
    await Promise.all(writers.map((w) => w.abort()));
    throw err;
  }
  ctx.ui.done();
  const [households, members, income, events] = counts;
  ctx.ui.info(
    `generate: ${households} households, ${members} members, ${income} income rows (${options.months} months to 2026-10), ` +
      `${events} department events → ${options.out} (${options.format}${options.format === "csv" ? ", " + options.encoding : ""}, seed ${options.seed})`,
  );
  return EXIT.ok;
}
