import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../../src/model/errors.js";
import { DEFAULT_POLICY, DEFAULT_SETTINGS } from "../../src/policy/defaults.js";
import { describePolicy } from "../../src/policy/describe.js";
import { loadPolicy, writePolicyFile } from "../../src/policy/load.js";
import { blankLineComments, parsePolicyText } from "../../src/policy/parse.js";
import { buildStarterPolicyText } from "../../src/policy/starter.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "povwatch-policy-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `text` to a fresh file in the temp folder and returns its path. */
async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text, "utf8");
  return path;
}

/** The UserError thrown by `promise` (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error("expected a UserError");
}

describe("loadPolicy", () => {
  it("with no path gives the built-in national floor", async () => {
    expect(await loadPolicy(undefined)).toBe(DEFAULT_POLICY);
  });

  it("reads a file, fills defaults and is not built in", async () => {
    const path = await file("yn.json", '{ "name": "云南省 2025", "monitoringLine": 8700 }');
    expect(await loadPolicy(path)).toEqual({ ...DEFAULT_SETTINGS, monitoringLine: 8700, name: "云南省 2025", builtIn: false, overrides: [] });
  });

  it("names a policy without a name after its file", async () => {
    const path = await file("禄劝县.json", "{}");
    expect((await loadPolicy(path)).name).toBe("禄劝县.json");
  });

  it("accepts a UTF-8 BOM and // comments, also after values", async () => {
    const path = await file("commented.json", '\uFEFF// 云南\n{\n  "monitoringLine": 8700, // 云农办通〔2025〕1号\n  "name": "http://example.org//x"\n}\n');
    const policy = await loadPolicy(path);
    expect([policy.monitoringLine, policy.name]).toEqual([8700, "http://example.org//x"]);
  });

  it("refuses a file with problems, listing every key path on its own line (exit 2, policy_invalid)", async () => {
    const path = await file("bad.json", JSON.stringify({ yellowFactor: 0.9, overrides: [{ monitoringLine: 1 }, { where: { provnce: "云南省" } }] }));
    const err = await rejection(loadPolicy(path));
    expect([err.code, err.exitCode]).toEqual(["policy_invalid", 2]);
    expect(err.message).toBe(
      `policy file ${path} has 3 problems:\n` +
        "  yellowFactor: must be ≥ 1 (got 0.9)\n" +
        '  overrides[0]: has no "where"\n' +
        "  overrides[1].where.provnce: unknown key",
    );
    expect(err.context).toEqual({ file: path });
  });

  it("says 'problem' for a single one", async () => {
    const path = await file("one.json", '{ "streakMonths": 0 }');
    expect((await rejection(loadPolicy(path))).message).toBe(`policy file ${path} has 1 problem:\n  streakMonths: must be a whole number from 1 to 12 (got 0)`);
  });

  it("refuses invalid JSON naming the file, line and column", async () => {
    const path = await file("trailing.json", '{\n  "monitoringLine": 8700,\n}\n');
    const err = await rejection(loadPolicy(path));
    expect([err.code, err.exitCode]).toEqual(["policy_invalid", 2]);
    expect(err.message).toBe(`policy file ${path}: not valid JSON at line 3, column 1: Expected double-quoted property name`);
    expect(err.context).toEqual({ file: path, row: 3 });
  });

  it("counts lines of the original file when comments come first", async () => {
    const path = await file("late.json", '// one\n// two\n{ "a" 1 }\n');
    expect((await rejection(loadPolicy(path))).message).toBe(`policy file ${path}: not valid JSON at line 3, column 7: Expected ':' after property name`);
  });

  it("points at the end of a truncated file", async () => {
    const path = await file("cut.json", '{\n  "monitoringLine": 8700');
    expect((await rejection(loadPolicy(path))).message).toBe(`policy file ${path}: not valid JSON at line 2, column 25: Expected ',' or '}' after property value`);
  });

  it("points just past the last character when JSON.parse gives no position", async () => {
    const path = await file("open.json", '{\n  "monitoringLine":\n\n');
    expect((await rejection(loadPolicy(path))).message).toBe(`policy file ${path}: not valid JSON at line 2, column 20: Unexpected end of JSON input`);
  });

  it("refuses an empty file (only comments)", async () => {
    const path = await file("empty.json", "// nothing yet\n");
    expect((await rejection(loadPolicy(path))).message).toBe(
      `policy file ${path} is empty (expected a JSON object such as { "monitoringLine": 8700 })`,
    );
  });

  it("refuses a missing file (exit 2, policy_unreadable)", async () => {
    const path = join(dir, "missing.json");
    const err = await rejection(loadPolicy(path));
    expect([err.code, err.exitCode, err.message]).toEqual(["policy_unreadable", 2, `policy file ${path}: cannot read it (no such file)`]);
  });

  it("refuses a folder", async () => {
    const err = await rejection(loadPolicy(dir));
    expect(err.message).toBe(`policy file ${dir}: cannot read it (it is a folder)`);
  });
});

describe("the starter policy file", () => {
  it("loads and resolves to policy.md's example", async () => {
    const path = await file("starter.json", buildStarterPolicyText());
    expect(describePolicy(await loadPolicy(path))).toEqual({
      name: "云南省 2025",
      builtIn: false,
      ...DEFAULT_SETTINGS,
      overrides: [
        { index: 0, rank: 1, where: { province: "云南省" }, from: "2025-01", to: null, source: "云农办通〔2025〕1号", settings: { monitoringLine: 8700 } },
        { index: 1, rank: 2, where: { codePrefix: "530" }, from: "2025-01", to: "2025-12", source: null, settings: { rigidExpense: { medical: 8000 } } },
      ],
    });
  });

  it("explains every key with a comment", () => {
    const text = buildStarterPolicyText();
    for (const key of ["name", "povertyLine", "monitoringLine", "yellowFactor", "streakMonths", "minMonthsForAnnual", "incomeDrop", "rigidExpense", "elimination", "overrides"]) {
      const line = text.split("\n").findIndex((l) => l.trimStart().startsWith(`"${key}"`));
      expect(line, key).toBeGreaterThan(0);
      expect(text.split("\n")[line - 1]!.trimStart().startsWith("//"), key).toBe(true);
    }
  });
});

describe("blankLineComments", () => {
  it.each([
    ['{"a":1} // x', '{"a":1}     '],
    ['{"u":"http://x"}', '{"u":"http://x"}'],
    ['{"q":"say \\"//\\" here"} //c', '{"q":"say \\"//\\" here"}    '],
    ["// a\n{}", "    \n{}"],
    ["{}\r\n// b\r\n", "{}\r\n    \r\n"],
  ])("%j → %j (same length, strings kept)", (input, output) => {
    expect(blankLineComments(input)).toBe(output);
  });
});

describe("parsePolicyText", () => {
  it("is what loadPolicy uses, without the disk", () => {
    expect(parsePolicyText('{ "povertyLine": 4100 }', "x/y/p.json")).toMatchObject({ povertyLine: 4100, name: "p.json", builtIn: false });
  });
});

describe("writePolicyFile", () => {
  it("writes a new file", async () => {
    const path = join(dir, "new.json");
    await writePolicyFile(path, "{}\n", { force: false });
    expect(await readFile(path, "utf8")).toBe("{}\n");
  });

  it("refuses to replace an existing file without force, leaving it as it was (exit 2)", async () => {
    const path = await file("exists.json", "mine");
    const err = await rejection(writePolicyFile(path, "{}\n", { force: false }));
    expect([err.code, err.exitCode, err.message]).toEqual(["output_exists", 2, `${path} already exists; nothing written (use --force to overwrite it)`]);
    expect(await readFile(path, "utf8")).toBe("mine");
  });

  it("replaces an existing file with force", async () => {
    const path = await file("forced.json", "mine");
    await writePolicyFile(path, "{}\n", { force: true });
    expect(await readFile(path, "utf8")).toBe("{}\n");
  });

  it("fails with exit 1 when the folder does not exist", async () => {
    const path = join(dir, "no-such-folder", "p.json");
    const err = await rejection(writePolicyFile(path, "{}\n", { force: false }));
    expect([err.code, err.exitCode, err.message]).toEqual(["write_failed", 1, `cannot write ${path} (its folder does not exist); nothing written`]);
  });

  it("leaves no temporary file behind", async () => {
    const { readdir } = await import("node:fs/promises");
    expect((await readdir(dir)).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });
});
