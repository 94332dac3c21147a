/**
 * generate's table writers (io/writeExport.ts): a run that exits while writing — an interrupt's forced exit, or a
 * failure elsewhere — leaves no temporary file, whatever the format.
 */
import { spawnSync } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDir } from "../helpers/tmp.js";

const tempDir = useTempDir("povwatch-export-");

describe("table writers", () => {
  it.each(["csv", "xlsx"])("a process that exits while a %s table is being written leaves no temporary file", async (format) => {
    const dir = tempDir();
    const writeExportJs = join(process.cwd(), "dist/io/writeExport.js");
    const path = join(dir, `members.${format}`);
    const script = `const m = await import(${JSON.stringify(writeExportJs)});
      const w = ${format === "csv" ? `m.openCsvTable(${JSON.stringify(path)}, ["户编号", "姓名"], "utf8")` : `await m.openXlsxTable(${JSON.stringify(path)}, "成员信息", ["户编号", "姓名"], [])`};
      await w.writeRows([["H1", "张三"], ["H2", "李四"]]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      process.stdout.write(String((await import("node:fs")).readdirSync(${JSON.stringify(dir)}).length));
      process.exit(3);`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script]);
    expect([r.status, r.stdout.toString()]).toEqual([3, "1"]);
    expect(await readdir(dir)).toEqual([]);
  });
});
