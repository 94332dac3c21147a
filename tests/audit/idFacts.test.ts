/**
 * The ID rules (Q001, Q002, Q007, Q018) read per-member facts from the member store (src/audit/idFacts.ts) when the
 * members were read from files, and the Member objects otherwise. Both must find exactly the same: the same fuzzed
 * files are audited as read (a MemberStore) and with the members copied into a plain Map.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { IdCheck, checkIdBytes, checkIdNumber, residentIdCheckChar } from "../../src/audit/residentId.js";
import { evaluateAudit, startAudit } from "../../src/audit/index.js";
import { readDataset } from "../../src/io/readDataset.js";
import type { Dataset } from "../../src/model/dataset.js";
import { MemberStore } from "../../src/model/memberStore.js";
import { useTempDir } from "../helpers/tmp.js";
import { rng } from "../helpers/rng.js";

const tempDir = useTempDir("povwatch-idfacts-");

/** A resident ID: area, birth date YYYYMMDD, sequence, and its check character (right or wrong). */
function residentId(rand: () => number, birth: string, right: boolean): string {
  const first17 = `110105${birth}${String(Math.floor(rand() * 1000)).padStart(3, "0")}`;
  const check = residentIdCheckChar(first17);
  const wrong = "0123456789X".replace(check, "")[Math.floor(rand() * 10)]!;
  return first17 + (right ? check : wrong);
}

/** checkIdNumber as the standard states it, written independently: shape, real date (1800–2099), MOD 11-2. */
function reference(t: string): IdCheck {
  if (/^\d{15}$/.test(t)) return IdCheck.Legacy15;
  if (!/^\d{17}[\dXx]$/.test(t)) return IdCheck.Other;
  const [y, m, d] = [Number(t.slice(6, 10)), Number(t.slice(10, 12)), Number(t.slice(12, 14))];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1800 || y > 2099 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return IdCheck.BirthDate;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(t[i]), 0);
  return "10X98765432"[sum % 11] === t[17]!.toUpperCase() ? IdCheck.Valid : IdCheck.CheckDigit;
}

describe("checkIdBytes", () => {
  it("classifies 20,000 fuzzed IDs as GB 11643-1999 does (a reference written with regular expressions and Date), bytes and text alike", () => {
    const rand = rng(3);
    const texts = ["", "0", "无", "11010519491231002X", "11010519491231002x", "110105194912310021", "130434900101123", "1101051949123100 2"];
    for (let i = 0; i < 20_000; i++) {
      const birth = `${1800 + Math.floor(rand() * 320)}${String(Math.floor(rand() * 14)).padStart(2, "0")}${String(Math.floor(rand() * 33)).padStart(2, "0")}`;
      let t = residentId(rand, birth, rand() < 0.7);
      const r = rand();
      if (r < 0.1) t = t.slice(0, 15);
      else if (r < 0.15) t = t.slice(0, 17) + "xYa/"[Math.floor(rand() * 4)];
      else if (r < 0.2) t = t.replace(/\d/, "A");
      else if (r < 0.25) t = t.slice(0, 6 + Math.floor(rand() * 12));
      texts.push(t);
    }
    const kinds = new Set<number>();
    for (const t of texts) {
      const b = Buffer.from(`##${t}`, "latin1");
      const expected = reference(t);
      expect(checkIdBytes(b, 2, t.length), t).toBe(expected);
      expect(checkIdNumber(t), t).toBe(expected);
      kinds.add(expected);
    }
    expect(kinds.size).toBe(5);
    // Full-width digits are not digits: another document number.
    expect(checkIdNumber("１１０１０５１９４９１２３１００２Ｘ")).toBe(IdCheck.Other);
    // Characters whose low byte is a digit or X (U+0131, U+0158) are not digits either.
    expect(checkIdNumber("\u0131".repeat(15))).toBe(IdCheck.Other);
    expect(checkIdNumber("11010519491231002\u0158")).toBe(IdCheck.Other);
  });
});

/**
 * Q002 by its definition (audit.md), for the comparison: every household's ID numbers (members', then a 户主证件号码
 * none of its members carries) normalised and compared with every other household's, no hashing; the households
 * holding a number found in another household, at their first row carrying it, sorted as findings are (file, row).
 */
function sharedIdsReference(dataset: Dataset): string[] {
  const byId = new Map<string, Map<string, { file: string; row: number }>>();
  const ids = [...dataset.households.keys(), ...[...dataset.members.keys()].filter((id) => !dataset.households.has(id))];
  for (const h of ids) {
    const members = dataset.members.get(h) ?? [];
    const numbers = members.filter((m) => m.idNumber?.trim()).map((m) => ({ text: m.idNumber!.trim(), source: m.source }));
    const head = dataset.households.get(h);
    const headText = head?.headIdNumber?.trim();
    const norm = (t: string) => t.toUpperCase();
    if (head && headText && !numbers.some((n) => norm(n.text) === norm(headText))) numbers.push({ text: headText, source: head.source });
    for (const n of numbers) {
      if ([...n.text].length < 6) continue;
      const holders = byId.get(norm(n.text)) ?? new Map();
      if (!holders.has(h)) holders.set(h, n.source);
      byId.set(norm(n.text), holders);
    }
  }
  const out: { key: string; file: string; row: number }[] = [];
  for (const holders of byId.values()) if (holders.size > 1) for (const [h, s] of holders) out.push({ key: `${h} ${s.row}`, file: s.file, row: s.row });
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.row - b.row)).map((o) => o.key);
}

describe("the ID rules on member facts and on Member objects", () => {
  it("looks at each household's own facts: a clean household first does not hide the problems of the next ones", async () => {
    const dir = join(tempDir(), "order");
    await mkdir(dir, { recursive: true });
    const ok = "11010519491231002X";
    await writeFile(join(dir, "households.csv"), `户编号,户主证件号码\nC,${ok}\nD1,\nD2,\nD3,\n`);
    await writeFile(
      join(dir, "members.csv"),
      `户编号,证件号码,与户主关系,出生日期\nC,${ok},户主,1949-12-31\nD1,130434199001011235,户主,1990-01-01\nD2,110105194912310021,户主,1950-01-01\nD3,130434900101123,户主,\n`,
    );
    const read = await readDataset([dir], {});
    const rules = ["Q001", "Q002", "Q007", "Q018"];
    const got = evaluateAudit(read, { rules }).map((f) => `${f.rule} ${f.householdId}`);
    expect(got).toEqual(evaluateAudit({ ...read, members: new Map(read.members) }, { rules }).map((f) => `${f.rule} ${f.householdId}`));
    expect(got).toEqual(["Q001 D1", "Q001 D2", "Q007 D2", "Q018 D3"]);
  });

  it("find the same on 30 fuzzed exports: invalid, legacy, other, duplicated, lower-case and non-ASCII IDs, heads, birth dates", async () => {
    let withFindings = 0;
    let sharedIn = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const rand = rng(seed * 7919);
      const pick = <T,>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
      const used: string[] = [];
      const hh = ["户编号,县,村,户主姓名,户主证件号码,家庭人口数"];
      const mm = ["户编号,姓名,证件号码,与户主关系,性别,出生日期"];
      for (let h = 0; h < 66; h++) {
        const id = `H${String(h).padStart(4, "0")}`;
        // Every 11th household has no member rows (only its 户主证件号码); the last 4 have no households row.
        const size = h % 11 === 5 ? 0 : 1 + Math.floor(rand() * 4);
        const ids: string[] = [];
        for (let m = 0; m < size; m++) {
          const year = 1940 + Math.floor(rand() * 70);
          const birth = `${year}${String(1 + Math.floor(rand() * 12)).padStart(2, "0")}${String(1 + Math.floor(rand() * 28)).padStart(2, "0")}`;
          const r = rand();
          let idNumber =
            r < 0.55 ? residentId(rand, birth, true)
            : r < 0.62 ? residentId(rand, birth, false)
            : r < 0.66 ? residentId(rand, `${year}0231`, true)
            : r < 0.7 ? residentId(rand, birth, true).slice(0, 15)
            : r < 0.74 ? pick(["0", "无", "待补", "", "  "])
            : r < 0.78 ? pick(["ab12cd34", "AB12CD34", "P-123456", "p-123456", "zx0001", "ZX0001", "zx001", "ZX001"])
            : r < 0.81 ? pick(["１１０１０５１９４９１２３１００２Ｘ", "护照E1234567", "护照e1234567", "1101051949123100231", "港澳居民居住证810000199001011234"])
            : r < 0.84 ? ` ${residentId(rand, birth, true)} `
            : r < 0.9 && used.length > 0 ? pick(used)
            : residentId(rand, birth, true).toLowerCase().replace(/X$/, "x");
          if (rand() < 0.05) idNumber = idNumber.replace(/X$/, "x");
          ids.push(idNumber);
          used.push(idNumber.trim());
          const given = rand();
          const birthCell =
            given < 0.6 ? `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`
            : given < 0.7 ? `${birth.slice(0, 4)}/${Number(birth.slice(4, 6))}/${Number(birth.slice(6, 8))}`
            : given < 0.8 ? ""
            : `${Number(birth.slice(0, 4)) + pick([0, 1])}-${birth.slice(4, 6)}-${pick(["01", birth.slice(6, 8)])}`;
          mm.push([id, "某某", `"${idNumber}"`, m === 0 ? "户主" : "子女", pick(["男", "女", ""]), birthCell].join(","));
        }
        if (h >= 62) continue;
        // The 户主's own number, upper-cased, cut to 15 characters (a prefix of a member's), with its last character
        // mistyped, another, none.
        const own = (ids[0] ?? "").trim();
        const typo = own === "" ? "" : own.slice(0, -1) + (own.endsWith("1") ? "2" : "1");
        const head = pick([ids[0] ?? "", (ids[0] ?? "").toUpperCase(), own.slice(0, 15), typo, "", residentId(rand, "19800101", rand() < 0.5), pick(used), "123"]);
        hh.push([id, "甲县", pick(["一村", "二村"]), "某某", `"${head}"`, size === 0 ? "" : String(size)].join(","));
      }
      const dir = join(tempDir(), `s${seed}`);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, "households.csv"), hh.join("\n") + "\n");
      await writeFile(join(dir, "members.csv"), mm.join("\n") + "\n");
      const read = await readDataset([dir], {});
      expect(read.members).toBeInstanceOf(MemberStore);
      const plain: Dataset = { ...read, members: new Map(read.members) };
      const rules = ["Q001", "Q002", "Q007", "Q018"];
      const onFacts = evaluateAudit(read, { rules });
      const onObjects = evaluateAudit(plain, { rules });
      expect(onFacts, `seed ${seed}`).toEqual(onObjects);
      expect(onFacts.filter((f) => f.rule === "Q002").map((f) => `${f.householdId} ${f.source.row}`), `seed ${seed}`).toEqual(sharedIdsReference(plain));
      if (new Set(onFacts.map((f) => f.rule)).size === 4) withFindings++;
      sharedIn += onFacts.filter((f) => f.rule === "Q002" && !plain.members.has(f.householdId)).length;
    }
    // Every rule finds something in most sets: the comparison is not between two empty lists.
    expect(withFindings).toBeGreaterThan(20);
    // Some shared numbers are a 户主证件号码 of a household without member rows.
    expect(sharedIn).toBeGreaterThan(5);
  });

  it("gives the scan's pass (memberIndex on each view) the findings of the audit on objects", async () => {
    const dir = join(tempDir(), "pass");
    await mkdir(dir, { recursive: true });
    const ok = "11010519491231002X";
    await writeFile(join(dir, "households.csv"), `户编号,户主证件号码\nA,"${ok}"\nB,130434199001011235\n`);
    await writeFile(join(dir, "members.csv"), `户编号,证件号码,与户主关系,出生日期\nA,${ok},户主,1949-12-31\nA,130434199001011235,子女,1990-01-02\nB,130434199001011235,户主,1990-01-01\n`);
    const read = await readDataset([dir], {});
    const store = read.members as MemberStore;
    const pass = startAudit(read, { rules: ["Q001", "Q002", "Q007", "Q018"] });
    for (const id of ["A", "B"]) pass.visit({ householdId: id, household: read.households.get(id), members: read.members.get(id)!, memberIndex: store.indexOf(id) });
    const got = pass.finish().map((f) => `${f.rule} ${f.householdId} ${f.source.row}`);
    expect(got).toEqual(evaluateAudit({ ...read, members: new Map(read.members) }, { rules: ["Q001", "Q002", "Q007", "Q018"] }).map((f) => `${f.rule} ${f.householdId} ${f.source.row}`));
    // B's head carries its member's number: reported once, at the member row.
    expect(got).toEqual(["Q001 A 3", "Q001 B 4", "Q002 A 3", "Q002 B 4", "Q007 A 3"]);
  });
});
