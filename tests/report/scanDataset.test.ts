/**
 * The scan's evaluation pass: every household (households data, then members-only, then income-only) gets its own
 * department events, whether it is in the households store (found by its store index) or not (found by its id).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDataset } from "../../src/io/readDataset.js";
import { HouseholdStore } from "../../src/model/householdStore.js";
import { loadPolicy } from "../../src/policy/load.js";
import { evaluateDataset, householdIdsOf } from "../../src/report/scanDataset.js";
import { useTempDir } from "../helpers/tmp.js";

const tempDir = useTempDir("povwatch-scandataset-");

/** A folder `name` with the given files: each a text, or its lines (joined with line feeds, one at the end). */
async function exportSet(name: string, files: Record<string, string | string[]>): Promise<string> {
  const dir = join(tempDir(), name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), Array.isArray(text) ? text.join("\n") + "\n" : text);
  return dir;
}

describe("evaluateDataset", () => {
  it("lists the region levels whose column the input has, even when every cell of it is blank (outputs.md: those present in the input)", async () => {
    const income = ["户编号,年月,纯收入", ...["2026-08", "2026-09", "2026-10"].map((m) => `N1,${m},100`)];
    const blank = await exportSet("blank-province", { "households.csv": "户编号,省,县,家庭人口数\nN1,,甲县,1\n", "income.csv": income });
    const none = await exportSet("no-province", { "households.csv": "户编号,县,家庭人口数\nN1,甲县,1\n", "income.csv": income });
    const levels = async (dir: string) => {
      const read = await readDataset([dir], {});
      return (await evaluateDataset(read, await loadPolicy(undefined), read.income.maxMonth)).regionLevels;
    };
    expect(await levels(blank)).toEqual(["province", "county"]);
    expect(await levels(none)).toEqual(["county"]);
  });

  it("gives each household its own events: in the households data, members-only and income-only households alike", async () => {
    // Households data: B, A, E (not in 户编号 order); C only in members.csv; D only in income.csv. Self-paid medical
    // costs: A 12,000 (two events, by 户编号 and by ID number), C 11,000 (by its member's ID), D 10,500, E 10,200;
    // B none.
    const dir = await exportSet("events", {
      "households.csv": "户编号,家庭人口数\nB,2\nA,2\nE,2\n",
      "members.csv": "户编号,证件号码,与户主关系\nA,130434199001011234,户主\nC,130434199202021244,户主\n",
      "income.csv": ["户编号,年月,工资性收入", ...["A", "B", "C", "D", "E"].flatMap((h) => ["2026-08", "2026-09", "2026-10"].map((m) => `${h},${m},9000`))],
      "events.csv": [
        "数据来源,户编号,证件号码,事件类型,发生日期,自付金额",
        "医保,D,,医疗,2026-05-01,10500",
        "医保,,130434199202021244,医疗,2026-06-01,11000",
        "医保,A,,医疗,2026-03-01,7000",
        "医保,E,,医疗,2026-04-01,10200",
        "医保,,130434199001011234,医疗,2026-07-01,5000",
      ],
    });
    const read = await readDataset([dir], {});
    expect(read.households).toBeInstanceOf(HouseholdStore);
    expect(householdIdsOf(read)).toEqual(["B", "A", "E", "C", "D"]);
    const evaluation = await evaluateDataset(read, await loadPolicy(undefined), read.income.maxMonth);
    const medical = Object.fromEntries(evaluation.listed.map((l) => [l.household.id, l.assessment.medicalSelfPaid]));
    expect(medical).toEqual({ A: 12000, E: 10200, C: 11000, D: 10500 });
    expect(evaluation.listed.map((l) => l.assessment.triggers)).toEqual([["MEDICAL"], ["MEDICAL"], ["MEDICAL"], ["MEDICAL"]]);
    expect(evaluation.summary.counts().households).toBe(5);
  });

  it("matches events to households by ID number alike whether the events are read before the members or after them", async () => {
    // A number two members carry (the first in input order wins), one kept as text (not ASCII), a 户主证件号码 no
    // member carries, a number nobody carries, and the events' own 户编号.
    const dir = await exportSet("order", {
      "households.csv": "户编号,户主证件号码,家庭人口数\nA,,2\nB,,2\nC,130434199202021244,1\n",
      "members.csv": "户编号,证件号码,与户主关系\nB,130434199001011234,户主\nA,130434199001011234,户主\nA,身份证130434,配偶\nB,130434198808085678,配偶\n",
      "events.csv": [
        "数据来源,户编号,证件号码,事件类型,发生日期,自付金额",
        "医保,,130434199001011234,医疗,2026-05-01,100",
        "医保,,身份证130434,医疗,2026-05-02,200",
        "医保,,130434199202021244,医疗,2026-05-03,300",
        "医保,,130434198808085678,医疗,2026-05-04,400",
        "医保,,110105194912310021,医疗,2026-05-05,500",
        "医保,C,,医疗,2026-05-06,600",
      ],
    });
    const files = (names: string[]) => names.map((n) => join(dir, n));
    const before = await readDataset(files(["events.csv", "households.csv", "members.csv"]), {});
    const after = await readDataset(files(["households.csv", "members.csv", "events.csv"]), {});
    const matched = (d: Awaited<ReturnType<typeof readDataset>>) => d.events.map((e) => `${e.amount} ${e.householdId ?? "-"}`).sort();
    expect(matched(before)).toEqual(["100 B", "200 A", "300 C", "400 B", "600 C"]);
    expect(matched(after)).toEqual(matched(before));
    expect(before.rejects.map((r) => r.source.row)).toEqual(after.rejects.map((r) => r.source.row));
    expect(before.rejects).toHaveLength(1);
  });
});
