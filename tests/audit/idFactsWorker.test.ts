/**
 * The audit's per-member ID facts computed by the facts worker (src/audit/factsWorker.ts) must be exactly those the
 * main thread computes. A worker starts only from compiled JavaScript, so this test uses dist/ (built by the global
 * setup) throughout: the store classes must be the ones the compiled idFacts.ts knows.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDir } from "../helpers/tmp.js";
import { rng } from "../helpers/rng.js";

type IdFactsModule = typeof import("../../src/audit/idFacts.js");
type ReadModule = typeof import("../../src/io/readDataset.js");
type AuditModule = typeof import("../../src/audit/evaluate.js");
type ResidentModule = typeof import("../../src/audit/residentId.js");

const dist = (path: string) => new URL(`../../dist/${path}`, import.meta.url).href;
const { computeIdFacts, completeIdFacts, idFactsProgressOf, idFactsWorkerRuns, memberPairsOf, startIdFactsInWorker } = (await import(dist("audit/idFacts.js"))) as IdFactsModule;
const { readDataset } = (await import(dist("io/readDataset.js"))) as ReadModule;
const { evaluateAudit } = (await import(dist("audit/evaluate.js"))) as AuditModule;
const { residentIdCheckChar } = (await import(dist("audit/residentId.js"))) as ResidentModule;
const { FACTS_FAILED } = (await import(dist("audit/factsWorker.js"))) as typeof import("../../src/audit/factsWorker.js");

const tempDir = useTempDir("povwatch-factsworker-");

/**
 * A members CSV of `households` households (1–4 members each) with every kind of ID the facts tell apart: valid,
 * wrong check character, impossible date, legacy 15 digits, placeholders, other documents, lower-case x, padded,
 * non-ASCII, repeated in another household; 出生日期 matching the ID or not. Rows are shuffled, so that a household's
 * members are scattered over the file (the facts worker is then ahead of or behind the households in any order).
 */
function membersCsv(seed: number, households: number): string {
  const rand = rng(seed);
  const pick = <T,>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
  const used: string[] = [];
  const rows: string[] = [];
  for (let h = 0; h < households; h++) {
    const size = 1 + Math.floor(rand() * 4);
    for (let m = 0; m < size; m++) {
      const year = 1940 + Math.floor(rand() * 70);
      const birth = `${year}${String(1 + Math.floor(rand() * 12)).padStart(2, "0")}${String(1 + Math.floor(rand() * 28)).padStart(2, "0")}`;
      const first17 = (b: string) => `110105${b}${String(Math.floor(rand() * 1000)).padStart(3, "0")}`;
      const valid = (b: string) => {
        const f = first17(b);
        return f + residentIdCheckChar(f);
      };
      const r = rand();
      const id =
        r < 0.6 ? valid(birth)
        : r < 0.66 ? first17(birth) + "0"
        : r < 0.7 ? valid(`${year}0231`)
        : r < 0.74 ? valid(birth).slice(0, 15)
        : r < 0.78 ? pick(["0", "无", "待补", ""])
        : r < 0.82 ? pick(["ab12cd34", "P-123456", "zx0001", "zx001", "护照E1234567", "1101051949123100231"])
        : r < 0.85 ? ` ${valid(birth)} `
        : r < 0.9 && used.length > 0 ? pick(used)
        : valid(birth).toLowerCase();
      used.push(id.trim());
      const birthCell = rand() < 0.8 ? `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}` : pick(["", `${year + 1}-01-01`, `${year}/1/1`]);
      rows.push([`H${String(h).padStart(6, "0")}`, `"${id}"`, m === 0 ? "户主" : "子女", birthCell].join(","));
    }
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return ["户编号,证件号码,与户主关系,出生日期", ...rows].join("\n") + "\n";
}

describe("the ID facts worker", () => {
  it("gives every member of a 100 k-member store (four chunks, rows shuffled) the flags and hashes of the main thread", async () => {
    const dir = join(tempDir(), "big");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "members.csv"), membersCsv(11, 40_000));
    const inWorker = (await readDataset([dir], {})).members;
    const here = (await readDataset([dir], {})).members;
    const started = idFactsWorkerRuns.started;
    expect(startIdFactsInWorker(inWorker, 0)).toBe(true);
    expect(idFactsWorkerRuns.started).toBe(started + 1);
    // Started once: a second call finds the facts (being) computed.
    expect(startIdFactsInWorker(inWorker, 0)).toBe(false);
    const store = inWorker as import("../../src/model/memberStore.js").MemberStore;
    expect(store.rowCount).toBeGreaterThan(98_304);
    const fromWorker = completeIdFacts(store);
    const reference = computeIdFacts(here as typeof store);
    expect(fromWorker.flags.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.from(fromWorker.flags).equals(Buffer.from(reference.flags))).toBe(true);
    expect(Buffer.from(fromWorker.hashes.buffer).equals(Buffer.from(reference.hashes.buffer))).toBe(true);
    // Not all alike: the data has every kind of flag.
    expect(new Set(reference.flags).size).toBeGreaterThan(5);
    expect(idFactsWorkerRuns.fellBack).toBe(0);
    // The store keeps its ID numbers: the worker got copies.
    for (const id of ["H000000", "H012345", "H039999"]) {
      expect(inWorker.get(id)!.map((m) => m.idNumber)).toEqual(here.get(id)!.map((m) => m.idNumber));
    }
    expect(inWorker.get("H000000")![0]!.idNumber).toMatch(/\S/);
    // Q002's first pass, done by the worker after the facts (shared arrays), equals the main thread's.
    const pairs = memberPairsOf(store);
    const mainPairs = memberPairsOf(here as typeof store);
    expect(pairs.keys.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(mainPairs.keys.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(pairs.count).toBe(mainPairs.count);
    expect(pairs.count).toBeGreaterThan(80_000);
    expect(Buffer.from(pairs.keys.buffer, 0, 4 * pairs.count).equals(Buffer.from(mainPairs.keys.buffer, 0, 4 * pairs.count))).toBe(true);
    expect(Buffer.from(pairs.owners.buffer, 0, 4 * pairs.count).equals(Buffer.from(mainPairs.owners.buffer, 0, 4 * pairs.count))).toBe(true);
    expect(Buffer.from(pairs.marked).equals(Buffer.from(mainPairs.marked))).toBe(true);
    expect(mainPairs.marked.some((m) => m === 1)).toBe(true);
    expect(idFactsWorkerRuns.fellBack).toBe(0);
  });

  it("when the worker fails, the main thread computes the facts itself", async () => {
    const dir = join(tempDir(), "failed");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "members.csv"), membersCsv(13, 5_000));
    const store = (await readDataset([dir], {})).members as import("../../src/model/memberStore.js").MemberStore;
    const reference = computeIdFacts((await readDataset([dir], {})).members as typeof store);
    const fellBack = idFactsWorkerRuns.fellBack;
    expect(startIdFactsInWorker(store, 0)).toBe(true);
    // As the worker reports a failure (it has not started yet: a thread takes milliseconds to start).
    const progress = idFactsProgressOf(store)!;
    Atomics.store(progress, 1, FACTS_FAILED);
    const facts = completeIdFacts(store);
    expect(idFactsWorkerRuns.fellBack).toBe(fellBack + 1);
    expect(Buffer.from(facts.flags).equals(Buffer.from(reference.flags))).toBe(true);
    expect(Buffer.from(facts.hashes.buffer).equals(Buffer.from(reference.hashes.buffer))).toBe(true);
    // Q002's pass is then done here too, and the fallback is counted once.
    const pairs = memberPairsOf(store);
    expect(pairs.keys.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(pairs.marked)).toEqual(Array.from(memberPairsOf((await readDataset([dir], {})).members as typeof store).marked));
    expect(idFactsWorkerRuns.fellBack).toBe(fellBack + 1);
  });

  it("does not start below the threshold", async () => {
    const dir = join(tempDir(), "small");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "members.csv"), membersCsv(12, 100));
    const read = await readDataset([dir], {});
    expect(startIdFactsInWorker(read.members, 1_000_000)).toBe(false);
    expect(startIdFactsInWorker(new Map(), 0)).toBe(false);
  });

  it("gives the ID rules the same findings as the facts computed on the main thread, on 5 fuzzed exports", async () => {
    for (let seed = 1; seed <= 5; seed++) {
      const dir = join(tempDir(), `rules${seed}`);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, "members.csv"), membersCsv(seed * 131, 3_000));
      const rules = ["Q001", "Q002", "Q007", "Q018"];
      const started = idFactsWorkerRuns.started;
      const withWorker = evaluateAudit(await readDataset([dir], {}), { rules, factsWorkerMin: 0 });
      expect(idFactsWorkerRuns.started).toBe(started + 1);
      const onMain = evaluateAudit(await readDataset([dir], {}), { rules });
      expect(withWorker.length).toBeGreaterThan(100);
      expect(withWorker, `seed ${seed}`).toEqual(onMain);
    }
  });
});
