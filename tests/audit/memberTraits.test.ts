/**
 * The member checks (Q003–Q006, Q010, Q011) first count a household's members on the member store's columns
 * (src/audit/memberTraits.ts) and look at the Member objects only to report a problem. They must find exactly what
 * they find on the objects: the same fuzzed files are audited as read (a MemberStore) and with the members copied
 * into a plain Map, and the counts themselves are compared household by household.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { evaluateAudit, startAudit } from "../../src/audit/index.js";
import { householdView } from "../../src/audit/evaluate.js";
import { memberTraits } from "../../src/audit/memberTraits.js";
import { residentIdCheckChar } from "../../src/audit/residentId.js";
import { readDataset } from "../../src/io/readDataset.js";
import type { Dataset } from "../../src/model/dataset.js";
import { MemberStore } from "../../src/model/memberStore.js";
import { loadPolicy } from "../../src/policy/load.js";
import { evaluateDataset } from "../../src/report/scanDataset.js";
import { useTempDir } from "../helpers/tmp.js";
import { rng } from "../helpers/rng.js";

const tempDir = useTempDir("povwatch-traits-");
const RULES = ["Q003", "Q004", "Q005", "Q006", "Q010", "Q011"];

/** An 18-character resident ID with the given sex digit (odd: male), or its 15-character legacy form. */
function idWithSex(rand: () => number, male: boolean, legacy: boolean): string {
  const digit = String(2 * Math.floor(rand() * 5) + (male ? 1 : 0));
  if (legacy) return `11010580010112${digit}`;
  const first17 = `11010519800101${String(Math.floor(rand() * 10))}${String(Math.floor(rand() * 10))}${digit}`;
  return first17 + residentIdCheckChar(first17);
}

async function fuzzedExport(seed: number): Promise<Dataset> {
  const rand = rng(seed * 104_729);
  const pick = <T,>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
  const hh = ["户编号,县,村,户主证件号码,家庭人口数,致贫/返贫风险1,致贫/返贫风险2"];
  const rows: string[][] = [];
  for (let h = 0; h < 60; h++) {
    const id = `H${String(h).padStart(3, "0")}`;
    const size = h % 13 === 7 ? 0 : 1 + Math.floor(rand() * 5);
    for (let m = 0; m < size; m++) {
      const relation =
        m === 0 ? pick(["户主", "户主", "户主", " 户主 ", "子女", ""]) : pick(["配偶", "配偶", " 配偶", "户主", "子女", "子女", "孙子女", "父母", ""]);
      const sex = pick(["男", "女", "", ""]);
      const r = rand();
      const idNumber =
        r < 0.6 ? idWithSex(rand, rand() < 0.5, false)
        : r < 0.7 ? idWithSex(rand, rand() < 0.5, true)
        : r < 0.8 ? pick(["", "无", "护照E1234567", "１１０１０５１９４９１２３１００２Ｘ"])
        : ` ${idWithSex(rand, rand() < 0.5, false)} `;
      const skill = pick(["普通劳动力", " 技能劳动力", "技能劳动力", "弱劳动力或半劳动力", "无劳动力", "丧失劳动力", ""]);
      rows.push([id, "某某", `"${idNumber}"`, relation, sex, skill]);
    }
    if (h >= 56) continue;
    const declared = size === 0 || rand() < 0.7 ? size : size + pick([-1, 1, 2]);
    const risk = () => pick(["缺劳动力", "因务工就业不稳", "因病", "", ""]);
    hh.push([id, "甲县", "一村", "", declared === 0 ? "" : String(declared), risk(), risk()].join(","));
  }
  // Members of neighbouring households interleaved: the store's order differs from the rows' order.
  for (let i = 0; i + 1 < rows.length; i += 2) if (rand() < 0.2) [rows[i], rows[i + 1]] = [rows[i + 1]!, rows[i]!];
  const dir = join(tempDir(), `s${seed}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "households.csv"), hh.join("\n") + "\n");
  await writeFile(join(dir, "members.csv"), ["户编号,姓名,证件号码,与户主关系,性别,劳动技能", ...rows.map((r) => r.join(","))].join("\n") + "\n");
  const read = await readDataset([dir], {});
  expect(read.members).toBeInstanceOf(MemberStore);
  return read;
}

describe("member traits on the store's columns and on Member objects", () => {
  it("count the same for every household of 30 fuzzed exports (relations with blanks, sex from 性别 or the ID, labour)", async () => {
    let sameSex = 0;
    let households = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const read = await fuzzedExport(seed);
      const plain: Dataset = { ...read, members: new Map(read.members) };
      for (const id of new Set([...read.households.keys(), ...read.members.keys()])) {
        const fromStore = { ...memberTraits(householdView(read, id), read) };
        const fromObjects = { ...memberTraits(householdView(plain, id), plain) };
        expect(fromStore, `seed ${seed} ${id}`).toEqual(fromObjects);
        households++;
        if (fromStore.sameSexSpouse) sameSex++;
      }
    }
    // 60 a set, less H059: no members (every 13th from H007 has none) and no households row (H056 on have none).
    expect(households).toBe(30 * 59);
    expect(sameSex).toBeGreaterThan(50);
  });

  it("let the member checks find on 30 fuzzed exports what they find on the objects, every check finding something", async () => {
    const found = new Map<string, number>();
    for (let seed = 1; seed <= 30; seed++) {
      const read = await fuzzedExport(seed);
      const onStore = evaluateAudit(read, { rules: RULES });
      expect(onStore, `seed ${seed}`).toEqual(evaluateAudit({ ...read, members: new Map(read.members) }, { rules: RULES }));
      for (const f of onStore) found.set(f.rule, (found.get(f.rule) ?? 0) + 1);
    }
    for (const rule of RULES) expect(found.get(rule) ?? 0, rule).toBeGreaterThan(20);
  });

  it("give the counts of a hand-made household: blanks, a second 户主, sex from a legacy ID, labour", async () => {
    const dir = join(tempDir(), "hand");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "households.csv"), "户编号,家庭人口数,致贫/返贫风险1\nA,3,因务工就业不稳\n");
    await writeFile(
      join(dir, "members.csv"),
      // The 户主 is male by 性别; the 配偶's sex comes from digit 15 of a legacy ID (1: male); a second 户主.
      "户编号,证件号码,与户主关系,性别,劳动技能\nA,130434199001011234, 户主 ,男,弱劳动力或半劳动力\nA,130434900101121, 配偶,,\nA,,户主,女,技能劳动力\n",
    );
    const read = await readDataset([dir], {});
    expect({ ...memberTraits(householdView(read, "A"), read) }).toEqual({ count: 3, heads: 2, spouses: 1, labour: 1, sameSexSpouse: true });
    expect(evaluateAudit(read, { rules: RULES }).map((f) => `${f.rule} ${f.source.row}`)).toEqual(["Q003 4", "Q006 3"]);
  });

  it("read a store's texts as the objects do: blanks around 与户主关系 and 劳动技能 ignored (a store filled by add)", async () => {
    const dir = join(tempDir(), "added");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "households.csv"), "户编号,家庭人口数,致贫/返贫风险1\nA,2,缺劳动力\nB,2,因务工就业不稳\n");
    const read = await readDataset([dir], {});
    // The readers trim cells; a store filled through add keeps what it is given.
    const store = new MemberStore();
    store.add(0, 2, "A", { relation: " 户主 ", sex: "男", labourSkill: " 技能劳动力 " });
    store.add(0, 3, "A", { relation: "配偶 ", sex: "男", labourSkill: "无劳动力" });
    store.add(0, 4, "B", { relation: " 户主", sex: "女", labourSkill: "普通劳动力 " });
    store.add(0, 5, "B", { relation: " 配偶", labourSkill: "弱劳动力或半劳动力" });
    const onStore: Dataset = { ...read, members: store };
    expect({ ...memberTraits(householdView(onStore, "A"), onStore) }).toEqual({ count: 2, heads: 1, spouses: 1, labour: 1, sameSexSpouse: true });
    expect({ ...memberTraits(householdView(onStore, "B"), onStore) }).toEqual({ count: 2, heads: 1, spouses: 1, labour: 1, sameSexSpouse: false });
    const findings = (d: Dataset) => evaluateAudit(d, { rules: RULES }).map((f) => `${f.rule} ${f.householdId}`);
    expect(findings(onStore)).toEqual(["Q006 A", "Q010 A"]);
    expect(findings({ ...read, members: new Map(store) })).toEqual(["Q006 A", "Q010 A"]);
  });
});

describe("an audit's end", () => {
  it("lets the dataset go: the traits' memo of the last household is dropped when the audit finishes", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const audited = async (): Promise<WeakRef<object>> => {
      const read = await fuzzedExport(3);
      expect(evaluateAudit(read, { rules: RULES }).length).toBeGreaterThan(0);
      return new WeakRef(read.members);
    };
    const members = await audited();
    // A few turns of the event loop and collections: the reading's last promises and handles let go of it too.
    for (let i = 0; i < 10 && members.deref() !== undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      gc();
    }
    expect(members.deref()).toBeUndefined();
  });
});

describe("the scan's evaluation", () => {
  it("builds the members only of households it must look at: a clean, unlisted household's are never made", async () => {
    const dir = join(tempDir(), "lazy");
    await mkdir(dir, { recursive: true });
    const ok = "130434199001011234";
    await writeFile(join(dir, "households.csv"), "户编号,家庭人口数,监测对象类别,识别监测时间,风险是否已消除\nA,2,,,\nB,2,,,\nC,2,边缘易致贫户,2020-01-01,否\n");
    await writeFile(
      join(dir, "members.csv"),
      `户编号,证件号码,与户主关系,性别,劳动技能\nA,${ok},户主,男,普通劳动力\nA,,配偶,女,普通劳动力\nB,,户主,男,普通劳动力\nB,,户主,男,普通劳动力\nC,,户主,男,普通劳动力\nC,,配偶,女,普通劳动力\n`,
    );
    await writeFile(join(dir, "income.csv"), ["户编号,年月,工资性收入", ...["A", "B", "C"].flatMap((h) => ["2026-08", "2026-09", "2026-10"].map((m) => `${h},${m},9000`))].join("\n") + "\n");
    const read = await readDataset([dir], {});
    const store = read.members as MemberStore;
    const built: string[] = [];
    const membersAt = store.membersAt.bind(store);
    store.membersAt = (i: number) => (built.push(store.householdIdAt(i)), membersAt(i));
    const audit = startAudit(read, { period: read.income.maxMonth });
    const evaluation = await evaluateDataset(read, await loadPolicy(undefined), read.income.maxMonth, { visit: (v) => audit.visit(v) });
    expect(audit.finish().map((f) => `${f.rule} ${f.householdId}`)).toEqual(["Q003 B"]);
    // B to report its two 户主; C, monitored and no longer at risk, for its labour (elimination blockers) — not A.
    expect(evaluation.listed.map((l) => l.household.id)).toEqual(["C"]);
    expect(built).toEqual(["B", "C"]);
  });
});
