/**
 * `povwatch policy show|init` through the built binary (node bin/povwatch.js), in a temporary work folder.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/policy/defaults.js";
import { describePolicy } from "../../src/policy/describe.js";
import { buildStarterPolicyText } from "../../src/policy/starter.js";

const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin", "povwatch.js");
let work: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs povwatch with `args` in the folder `cwd`, without a TTY or colour. */
function povwatchIn(cwd: string, args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { ...process.env, NO_COLOR: "1", CI: "1", FORCE_COLOR: undefined } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** Runs povwatch with `args` in the shared work folder. */
function povwatch(...args: string[]): Promise<Run> {
  return povwatchIn(work, args);
}

beforeAll(async () => {
  // Other folders may be mid-edit: tsc still emits JavaScript when it reports type errors elsewhere.
  try {
    execFileSync("npx", ["tsc", "-p", "."], { cwd: ROOT, stdio: "pipe" });
  } catch {
    /* type errors outside src/policy do not stop the build */
  }
  expect(existsSync(join(ROOT, "dist", "cli", "commands", "policy.js"))).toBe(true);
  work = await mkdtemp(join(tmpdir(), "povwatch-e2e-policy-"));
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("povwatch policy show", () => {
  it("without a file prints the built-in national floor as JSON and says so once on stderr", async () => {
    const run = await povwatch("policy", "show");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(describePolicy(DEFAULT_POLICY));
    expect(run.stderr.match(/built-in national floor/g)).toHaveLength(1);
  });

  it("with --quiet says nothing on stderr", async () => {
    const run = await povwatch("policy", "show", "--quiet");
    expect([run.code, run.stderr]).toEqual([0, ""]);
  });

  it("resolves a policy file given with --policy or as FILE, --json accepted, nothing on stderr", async () => {
    await writeFile(join(work, "yn.json"), '// 云南\n{ "name": "云南省 2025", "overrides": [ { "where": { "province": "云南 省" }, "monitoringLine": 8700 } ] }\n');
    const byOption = await povwatch("policy", "show", "--policy", "yn.json", "--json");
    const byArgument = await povwatch("policy", "show", "yn.json");
    expect([byOption.code, byOption.stderr]).toEqual([0, ""]);
    const shown = JSON.parse(byOption.stdout);
    expect([shown.name, shown.builtIn, shown.monitoringLine, shown.overrides[0].where]).toEqual(["云南省 2025", false, 6000, { province: "云南省" }]);
    expect(byArgument.stdout).toBe(byOption.stdout);
  });

  it("refuses a policy file with problems: exit 2, every key path on stderr, nothing on stdout", async () => {
    await writeFile(join(work, "bad.json"), JSON.stringify({ yellowFactor: 0.9, overrides: [{ where: { provnce: "云南省" } }] }));
    const run = await povwatch("policy", "show", "--policy", "bad.json");
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "error: policy file bad.json has 2 problems:\n  yellowFactor: must be ≥ 1 (got 0.9)\n  overrides[0].where.provnce: unknown key\n",
    );
  });

  it("refuses invalid JSON naming the file and line", async () => {
    await writeFile(join(work, "comma.json"), '{\n  "monitoringLine": 8700,\n}\n');
    const run = await povwatch("policy", "show", "comma.json");
    expect([run.code, run.stdout, run.stderr]).toEqual([2, "", "error: policy file comma.json: not valid JSON at line 3, column 1: Expected double-quoted property name\n"]);
  });

  it("refuses a missing file with exit 2", async () => {
    const run = await povwatch("policy", "show", "--policy", "nope.json");
    expect([run.code, run.stdout, run.stderr]).toEqual([2, "", "error: policy file nope.json: cannot read it (no such file)\n"]);
  });

  it("refuses two different files", async () => {
    const run = await povwatch("policy", "show", "a.json", "--policy", "b.json");
    expect([run.code, run.stdout]).toEqual([2, ""]);
    expect(run.stderr).toBe("error: give the policy file once: either FILE (a.json) or --policy (b.json)\n");
  });
});

describe("povwatch policy init", () => {
  it("writes the commented starter to povwatch-policy.json, which policy show then resolves", async () => {
    const dir = await mkdtemp(join(work, "init-"));
    const init = await povwatchIn(dir, ["policy", "init"]);
    expect([init.code, init.stdout]).toEqual([0, ""]);
    expect(init.stderr).toContain("wrote povwatch-policy.json");
    expect(await readFile(join(dir, "povwatch-policy.json"), "utf8")).toBe(buildStarterPolicyText());

    const show = await povwatch("policy", "show", join(dir, "povwatch-policy.json"));
    expect(show.code).toBe(0);
    const shown = JSON.parse(show.stdout);
    expect([shown.name, shown.overrides.length, shown.overrides[0].settings]).toEqual(["云南省 2025", 2, { monitoringLine: 8700 }]);
  });

  it("writes to FILE, refuses to overwrite it (exit 2, file unchanged) and replaces it with --force", async () => {
    const first = await povwatch("policy", "init", "mine.json");
    expect(first.code).toBe(0);
    await writeFile(join(work, "mine.json"), "{ \"monitoringLine\": 9000 }\n");

    const again = await povwatch("policy", "init", "mine.json");
    expect([again.code, again.stdout, again.stderr]).toEqual([2, "", "error: mine.json already exists; nothing written (use --force to overwrite it)\n"]);
    expect(await readFile(join(work, "mine.json"), "utf8")).toBe("{ \"monitoringLine\": 9000 }\n");

    const forced = await povwatch("policy", "init", "mine.json", "--force");
    expect(forced.code).toBe(0);
    expect(await readFile(join(work, "mine.json"), "utf8")).toBe(buildStarterPolicyText());
  });

  it("FILE naming a folder → exit 2, asks for a file name (--force would not help), nothing written", async () => {
    await mkdir(join(work, "pol"), { recursive: true });
    for (const args of [["policy", "init", "pol"], ["policy", "init", "pol", "--force"]]) {
      const run = await povwatch(...args);
      expect([run.code, run.stdout, run.stderr]).toEqual([2, "", "error: pol is a folder; give the name of the policy file to write (e.g. pol/policy.json)\n"]);
    }
    expect(await readdir(join(work, "pol"))).toEqual([]);
  });

  it("with - prints the starter on stdout and writes nothing", async () => {
    const before = await readdir(work);
    const run = await povwatch("policy", "init", "-");
    expect([run.code, run.stdout]).toEqual([0, buildStarterPolicyText()]);
    expect(await readdir(work)).toEqual(before);
  });

  it("fails with exit 1 when the folder does not exist", async () => {
    const run = await povwatch("policy", "init", "no/such/folder/p.json");
    expect([run.code, run.stdout]).toEqual([1, ""]);
    expect(run.stderr).toBe("error: cannot write no/such/folder/p.json (its folder does not exist); nothing written\n");
  });
});

describe("povwatch policy usage", () => {
  it("rejects an unknown action with exit 2", async () => {
    const run = await povwatch("policy", "frob");
    expect([run.code, run.stdout]).toEqual([2, ""]);
    expect(run.stderr).toContain("Allowed choices are show, init.");
  });
});
