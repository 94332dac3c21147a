import { describe, expect, it } from "vitest";
import { MemberStore } from "../../src/model/memberStore.js";

const sources = (t: number) => ({ file: `t${t}.csv`, sheet: "" });

function add(s: MemberStore, table: number, row: number, household: string, idNumber: string | undefined, birthDate?: string, health?: string) {
  s.add(table, row, household, { idNumber, relation: "户主", sex: "男", birthDate, health, labourSkill: undefined, studentStatus: undefined, workMonths: 12, dibao: true, tekun: undefined });
}

describe("MemberStore", () => {
  it("gives back every kind of 证件号码 as written: 18 ASCII characters, longer, non-ASCII, none", () => {
    const s = new MemberStore(sources);
    const ids = ["11010519491231002x", "1101051949123100231234", "身份证号11010519491231002X", undefined, "130434900101123"];
    ids.forEach((id, i) => add(s, 0, i + 2, "H1", id));
    add(s, 0, 9, "H2", "11010519491231002x");
    add(s, 0, 10, "H2", "身份证号11010519491231002X");
    expect(s.get("H1")!.map((m) => m.idNumber)).toEqual(ids);
    const wanted = new Set(["11010519491231002x", "身份证号11010519491231002X", "130434900101123", "11010519491231002X", "999"]);
    expect(s.householdsOfIdNumbers(wanted)).toEqual(
      new Map([
        ["11010519491231002x", "H1"],
        ["身份证号11010519491231002X", "H1"],
        ["130434900101123", "H1"],
      ]),
    );
  });

  it("takes a fast-path ID from bytes without a string", () => {
    const s = new MemberStore(sources);
    add(s, 0, 2, "H1", undefined);
    const line = Buffer.from("H1,130434199001011234,x");
    s.setLastIdNumberBytes(line, 3, 21);
    expect(s.get("H1")![0]!.idNumber).toBe("130434199001011234");
  });

  it("keeps codes past 255 and 65,535 distinct values, and each member's table across runs of tables", () => {
    const s = new MemberStore(sources);
    const n = 70_000;
    for (let i = 0; i < n; i++) add(s, i < 300 ? 0 : i < 600 ? 1 : 0, i + 2, `H${i % 7}`, undefined, `d${i}`, `h${i % 400}`);
    const all = [...s.values()].flat().sort((a, b) => a.source.row - b.source.row);
    expect(all).toHaveLength(n);
    expect(all.every((m, i) => m.birthDate === `d${i}` && m.health === `h${i % 400}`)).toBe(true);
    expect([all[0]!.source.file, all[299]!.source.file, all[300]!.source.file, all[599]!.source.file, all[600]!.source.file]).toEqual([
      "t0.csv", "t0.csv", "t1.csv", "t1.csv", "t0.csv",
    ]);
    expect(all[0]).toMatchObject({ householdId: "H0", relation: "户主", sex: "男", workMonths: 12, dibao: true, tekun: undefined });
    expect(s.rowCount).toBe(n);
  });
});
