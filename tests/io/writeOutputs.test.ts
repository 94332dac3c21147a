/**
 * A run's outputs are written as one step: a write that fails half-way (a full disk) leaves the earlier outputs as
 * they were, no temporary file or staging folder, and a short error naming the folder.
 */
import { Writable } from "node:stream";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { useTempDir } from "../helpers/tmp.js";

/** When set, every new write stream fails with ENOSPC after `failAfter` bytes (a disk that fills up). */
const disk = vi.hoisted(() => ({ full: false, failAfter: 0 }));

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  return {
    ...fs,
    createWriteStream: (path: string, options?: unknown) => {
      if (!disk.full) return fs.createWriteStream(path, options as never);
      let written = 0;
      fs.writeFileSync(path, "");
      return new Writable({
        write(chunk: Buffer, _enc, callback) {
          written += chunk.length;
          if (written > disk.failAfter) return callback(Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: "ENOSPC", path }));
          fs.appendFileSync(path, chunk);
          callback();
        },
      });
    },
  };
});

const { writeOutputs } = await import("../../src/io/writeOutputs.js");
const tempDir = useTempDir("povwatch-outputs-");

const table = { columns: [{ header: "户编号" }, { header: "金额", format: "amount" as const }], rows: [["0001", 12.5], ["0002", -3]] };
const plan = () => [
  { name: "flagged.csv", kind: "csv" as const, table },
  { name: "summary.xlsx", kind: "xlsx" as const, workbook: { sheets: [{ name: "总览", ...table }] } },
  { name: "run.json", kind: "text" as const, text: () => "{}\n" },
];

describe("writeOutputs", () => {
  it("writes every file under its final name and leaves nothing else", async () => {
    const dir = join(tempDir(), "ok", "2026-10");
    await writeOutputs(dir, plan(), { csvEncoding: "utf8", timestamp: new Date(Date.UTC(2026, 9, 1)) });
    expect((await readdir(dir)).sort()).toEqual(["flagged.csv", "run.json", "summary.xlsx"]);
    expect(await readdir(join(tempDir(), "ok"))).toEqual(["2026-10"]);
    expect(await readFile(join(dir, "flagged.csv"), "utf8")).toBe("\uFEFF户编号,金额\r\n0001,12.50\r\n0002,-3.00\r\n");
  });

  it.each([
    ["the first file", 0],
    ["a later file", 200],
  ])("a full disk while writing %s: a short error naming the folder, earlier outputs unchanged, no temporary file", async (_, failAfter) => {
    const dir = join(tempDir(), `full-${failAfter}`, "2026-10");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "flagged.csv"), "earlier\n");
    disk.full = true;
    disk.failAfter = failAfter;
    try {
      await expect(writeOutputs(dir, plan(), { csvEncoding: "utf8", timestamp: new Date(Date.UTC(2026, 9, 1)) })).rejects.toThrow(
        `${dir}: cannot write the outputs (disk full); earlier outputs were left as they were`,
      );
    } finally {
      disk.full = false;
    }
    expect(await readdir(dir)).toEqual(["flagged.csv"]);
    expect(await readFile(join(dir, "flagged.csv"), "utf8")).toBe("earlier\n");
    expect(await readdir(join(tempDir(), `full-${failAfter}`))).toEqual(["2026-10"]);
    expect(existsSync(join(tempDir(), `full-${failAfter}`, `.2026-10.${process.pid}.tmp`))).toBe(false);
  });
});

describe("writeOutputs: moving the files into place", () => {
  it("a later file that cannot be moved into place (a folder of its name): the files moved in before are put back, earlier outputs unchanged", async () => {
    const dir = join(tempDir(), "rename", "2026-10");
    await mkdir(join(dir, "summary.xlsx"), { recursive: true });
    await writeFile(join(dir, "flagged.csv"), "earlier\n");
    await writeFile(join(dir, "run.json"), "{ \"earlier\": true }\n");
    await expect(writeOutputs(dir, plan(), { csvEncoding: "utf8", timestamp: new Date(Date.UTC(2026, 9, 1)) })).rejects.toThrow(
      `${dir}: cannot write the outputs (${join(dir, "summary.xlsx")} is a folder); earlier outputs were left as they were`,
    );
    expect((await readdir(dir)).sort()).toEqual(["flagged.csv", "run.json", "summary.xlsx"]);
    expect(await readFile(join(dir, "flagged.csv"), "utf8")).toBe("earlier\n");
    expect(await readFile(join(dir, "run.json"), "utf8")).toBe("{ \"earlier\": true }\n");
    expect(await readdir(join(dir, "summary.xlsx"))).toEqual([]);
    expect(await readdir(join(tempDir(), "rename"))).toEqual(["2026-10"]);
  });

  it("replaces earlier files and leaves nothing moved aside", async () => {
    const dir = join(tempDir(), "replace", "2026-10");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "flagged.csv"), "earlier\n");
    await writeOutputs(dir, plan(), { csvEncoding: "utf8", timestamp: new Date(Date.UTC(2026, 9, 1)) });
    expect((await readdir(dir)).sort()).toEqual(["flagged.csv", "run.json", "summary.xlsx"]);
    expect(await readFile(join(dir, "flagged.csv"), "utf8")).toBe("\uFEFF户编号,金额\r\n0001,12.50\r\n0002,-3.00\r\n");
  });
});
