import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  LOCK_FILE,
  acquireLock,
  createAtomicWriteStream,
  liveTempPaths,
  registerTempDir,
  removeAllTempDirs,
  removeAllTempFiles,
  tempPathFor,
  unregisterTempDir,
  writeFileAtomic,
} from "../../src/io/atomic.js";
import { UserError } from "../../src/model/errors.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "povwatch-atomic-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The PID of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(r.stdout.toString());
}

describe("atomic writes", () => {
  it("uses .<name>.<pid>.tmp in the same folder", () => {
    expect(tempPathFor(join(dir, "flagged.csv"))).toBe(join(dir, `.flagged.csv.${process.pid}.tmp`));
  });

  it("writeFileAtomic replaces the final file and leaves no temporary file", async () => {
    const path = join(dir, "run.json");
    await writeFile(path, "old");
    await writeFileAtomic(path, "new");
    expect(await readFile(path, "utf8")).toBe("new");
    expect(await readdir(dir)).toEqual(["run.json"]);
  });

  it("a committed stream appears under the final name only on commit", async () => {
    const path = join(dir, "flagged.csv");
    const w = createAtomicWriteStream(path);
    w.stream.write("a,b\r\n");
    await new Promise((r) => setTimeout(r, 10));
    expect(existsSync(path)).toBe(false);
    await w.commit();
    expect(await readFile(path, "utf8")).toBe("a,b\r\n");
    expect(await readdir(dir)).toEqual(["flagged.csv"]);
  });

  it("an aborted write leaves no file under the final name and keeps the earlier output", async () => {
    const fresh = join(dir, "summary.xlsx");
    const earlier = join(dir, "flagged.csv");
    await writeFile(earlier, "earlier");
    const w1 = createAtomicWriteStream(fresh);
    const w2 = createAtomicWriteStream(earlier);
    w1.stream.write("half");
    w2.stream.write("half");
    await w1.abort();
    await w2.abort();
    expect(await readdir(dir)).toEqual(["flagged.csv"]);
    expect(await readFile(earlier, "utf8")).toBe("earlier");
  });

  it("removeAllTempFiles removes every live temporary file (the interrupt path)", async () => {
    const w = createAtomicWriteStream(join(dir, "flagged.csv"));
    w.stream.write("half");
    await new Promise((r) => w.stream.once("open", r));
    expect(liveTempPaths()).toContain(w.tempPath);
    expect(existsSync(w.tempPath)).toBe(true);
    removeAllTempFiles();
    expect(existsSync(w.tempPath)).toBe(false);
    expect(liveTempPaths()).toEqual([]);
    await w.abort();
    expect(await readdir(dir)).toEqual([]);
  });

  it("removeAllTempDirs removes the staging folders still registered, with what they hold, and no other", async () => {
    const [staging, done] = [join(dir, ".2026-10.1.tmp"), join(dir, ".2026-09.1.tmp")];
    for (const d of [staging, done]) {
      await mkdir(d);
      await writeFile(join(d, "flagged.csv"), "half");
      registerTempDir(d);
    }
    unregisterTempDir(done);
    removeAllTempDirs();
    expect([existsSync(staging), existsSync(done)]).toEqual([false, true]);
  });

  it("a process that exits while a staging folder is registered leaves no staging folder behind", async () => {
    const staging = join(dir, ".2026-10.2.tmp");
    await mkdir(staging);
    await writeFile(join(staging, "summary.xlsx"), "half");
    const atomicJs = join(process.cwd(), "dist/io/atomic.js");
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", `const m = await import(${JSON.stringify(atomicJs)}); m.registerTempDir(${JSON.stringify(staging)}); process.exit(3);`]);
    expect([r.status, existsSync(staging), existsSync(dir)]).toEqual([3, false, true]);
  });
});

describe("output-folder lock", () => {
  it("holds this process's PID and is removed on release", async () => {
    const release = await acquireLock(dir);
    expect(await readFile(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n`);
    release();
    release();
    expect(await readdir(dir)).toEqual([]);
  });

  it("refuses a folder locked by a live process, naming its PID (exit 1)", async () => {
    const live = process.ppid;
    await writeFile(join(dir, LOCK_FILE), `${live}\n`);
    const err = await acquireLock(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe("output_locked");
    expect((err as UserError).exitCode).toBe(1);
    expect((err as UserError).message).toContain(`PID ${live}`);
    expect(await readFile(join(dir, LOCK_FILE), "utf8")).toBe(`${live}\n`);
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
  });

  it("refuses a second lock by the same process", async () => {
    const release = await acquireLock(dir);
    await expect(acquireLock(dir)).rejects.toThrow(`PID ${process.pid}`);
    release();
  });

  it.each([
    ["a dead PID", () => `${deadPid()}\n`],
    ["garbage", () => "not a pid"],
  ])("takes over a stale lock holding %s", async (_name, content) => {
    await writeFile(join(dir, LOCK_FILE), content());
    const release = await acquireLock(dir);
    expect(await readFile(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n`);
    release();
    expect(await readdir(dir)).toEqual([]);
  });

  it("lets exactly one of several runs starting together take over a stale lock", async () => {
    // 8 processes, 12 rounds: in each round every process tries, at the same instant, to take the stale lock of the
    // round's folder, and says whether it got it. Locks are kept until every process has tried every round, so that
    // however late a process is, one holder per round is the only right answer. Without the takeover lock, a run
    // could remove the lock another had just put in place of the stale one, and two runs held it.
    const rounds = 12;
    const folders: string[] = [];
    for (let r = 0; r < rounds; r++) {
      const f = join(dir, `round-${r}`);
      await mkdir(f);
      await writeFile(join(f, LOCK_FILE), r % 2 === 0 ? `${deadPid()}\n` : "not a pid");
      folders.push(f);
    }
    const atomicJs = join(process.cwd(), "dist/io/atomic.js");
    const script = `const { acquireLock } = await import(${JSON.stringify(atomicJs)});
      const folders = ${JSON.stringify(folders)};
      const lines = process.stdin.setEncoding("utf8")[Symbol.asyncIterator]();
      process.stdout.write("ready\\n");
      const start = Number((await lines.next()).value);
      for (let r = 0; r < folders.length; r++) {
        while (Date.now() < start + r * 100) {}
        try { await acquireLock(folders[r]); process.stdout.write("1"); }
        catch (e) { process.stdout.write(e.code === "output_locked" ? "0" : "?"); }
      }
      process.stdout.write("\\n");
      await lines.next();`;
    const children = Array.from({ length: 8 }, () => spawn(process.execPath, ["--input-type=module", "-e", script]));
    const outputs = children.map(() => "");
    const lineCount = (k: number) => outputs[k]!.split("\n").length - 1;
    const until = (n: number) =>
      Promise.all(children.map((c, k) => new Promise<void>((resolve) => {
        const check = () => lineCount(k) >= n && (c.stdout.off("data", onData), resolve());
        const onData = (d: Buffer) => ((outputs[k] += d.toString()), check());
        c.stdout.on("data", onData);
        check();
      })));
    await until(1);
    const start = Date.now() + 200;
    for (const c of children) c.stdin.write(`${start}\n`);
    await until(2);
    const closed = children.map((c) => new Promise((resolve) => c.on("close", resolve)));
    for (const c of children) c.stdin.end();
    await Promise.all(closed);
    const results = outputs.map((o) => o.split("\n")[1]!);
    expect(results.every((o) => /^[01]{12}$/.test(o))).toBe(true);
    expect(folders.map((_, r) => results.filter((o) => o[r] === "1").length)).toEqual(folders.map(() => 1));
    for (const f of folders) expect(await readdir(f)).toEqual([]);
  }, 30_000);

  it("never lets two runs hold the folder while runs keep taking and releasing it", async () => {
    // 8 processes for 1.5 s each: take the lock, create a marker file that must not exist (O_EXCL), remove it,
    // release. A missing lock (just released) was once taken for a stale one, and a run removed the lock another
    // had just taken: 15–18 double holds in 2 s.
    const atomicJs = join(process.cwd(), "dist/io/atomic.js");
    const marker = join(dir, "held");
    const script = `const { acquireLock } = await import(${JSON.stringify(atomicJs)});
      const fs = await import("node:fs");
      const end = Date.now() + 1500;
      let held = 0, twice = 0;
      while (Date.now() < end) {
        let release;
        try { release = await acquireLock(${JSON.stringify(dir)}); } catch { continue; }
        held++;
        try { fs.writeFileSync(${JSON.stringify(marker)}, "", { flag: "wx" }); fs.unlinkSync(${JSON.stringify(marker)}); } catch { twice++; }
        release();
      }
      process.stdout.write(held + " " + twice);`;
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        new Promise<number[]>((resolve) => {
          const child = spawn(process.execPath, ["--input-type=module", "-e", script]);
          let out = "";
          child.stdout.on("data", (d: Buffer) => (out += d.toString()));
          child.on("close", () => resolve(out.split(" ").map(Number)));
        }),
      ),
    );
    const held = results.reduce((n, r) => n + r[0]!, 0);
    const twice = results.reduce((n, r) => n + r[1]!, 0);
    expect(held).toBeGreaterThan(100);
    expect(twice).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  }, 30_000);

  it("creates the output folder when it does not exist", async () => {
    const out = join(dir, "out", "2026-10");
    const release = await acquireLock(out);
    expect(await readdir(out)).toEqual([LOCK_FILE]);
    release();
  });
});
