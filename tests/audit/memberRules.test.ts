import { describe, expect, it } from "vitest";
import { ID, audit, couple, household, member, where } from "./builders.js";

describe("Q003 户主人数", () => {
  it("reports a household without 户主 at its first member row, and one with two at the second 户主", () => {
    const findings = audit("Q003", {
      households: [household("H1"), household("H2"), household("H3")],
      members: [
        member("H1", { relation: "配偶" }),
        member("H1", { relation: "之子" }),
        member("H2", { relation: "户主", idNumber: ID.male1990 }),
        member("H2", { relation: "户主", idNumber: ID.female1992 }),
        ...couple("H3"),
      ],
    });
    expect(findings.map(where)).toEqual(["members.csv:2 H1", "members.csv:5 H2 130434********1244"]);
    expect(findings.map((f) => [f.severity, f.messageZh])).toEqual([
      ["error", "户内2名成员中没有户主"],
      ["error", "户内有2名户主"],
    ]);
  });

  it("does not judge households that have no member rows", () => {
    expect(audit("Q003", { households: [household("H1"), household("H2")], members: couple("H1") })).toEqual([]);
  });
});

describe("Q004 配偶人数", () => {
  it("reports a household with two 配偶 at the second 配偶 row", () => {
    const findings = audit("Q004", {
      households: [household("H1")],
      members: [...couple("H1"), member("H1", { relation: "配偶", idNumber: ID.female1985 })],
    });
    expect(findings.map(where)).toEqual(["members.csv:4 H1 130434********0021"]);
    expect(findings[0]!.messageZh).toBe("户内有2名配偶");
    expect(findings[0]!.severity).toBe("warning");
  });

  it("is silent for one 配偶 or none", () => {
    expect(audit("Q004", { households: [household("H1"), household("H2")], members: [...couple("H1"), member("H2", { relation: "户主" })] })).toEqual([]);
  });
});

describe("Q005 家庭人口数与成员数不符", () => {
  it.each([
    [1, ["households.csv:2 H1"]],
    [2, []],
    [3, ["households.csv:2 H1"]],
  ])("家庭人口数 %i with 2 member rows gives %j", (size, expected) => {
    const findings = audit("Q005", { households: [household("H1", { size })], members: couple("H1") });
    expect(findings.map(where)).toEqual(expected);
  });

  it("says both numbers", () => {
    const [f] = audit("Q005", { households: [household("H1", { size: 3 })], members: couple("H1") });
    expect([f!.messageZh, f!.messageEn]).toEqual(["家庭人口数为3，成员信息有2人", "household size is 3 but there are 2 member rows"]);
  });

  it("is silent without member rows or without a size", () => {
    const findings = audit("Q005", {
      households: [household("H1", { size: 4 }), household("H2")],
      members: couple("H2"),
    });
    expect(findings).toEqual([]);
  });
});

describe("Q006 户主配偶同性别", () => {
  it.each([
    ["性别 of both", { sex: "男" as const }, { sex: "男" as const }, 1],
    ["性别 of the head, ID digit 17 of the spouse", { sex: "女" as const }, { idNumber: ID.female1985 }, 1],
    ["ID digit 17 of both (odd male)", { idNumber: ID.male1990 }, { idNumber: ID.male1988 }, 1],
    ["性别 wins over the ID digit", { sex: "男" as const, idNumber: ID.male1990 }, { sex: "女" as const, idNumber: ID.male1988 }, 0],
    ["different sexes", { sex: "男" as const }, { idNumber: ID.female1992 }, 0],
    ["spouse of unknown sex", { sex: "男" as const }, { idNumber: "残20150001" }, 0],
  ])("%s → %i finding(s)", (_label, head, spouse, count) => {
    const findings = audit("Q006", {
      households: [household("H1")],
      members: [member("H1", { relation: "户主", ...head }), member("H1", { relation: "配偶", ...spouse })],
    });
    expect(findings.length).toBe(count);
    if (count) expect(where(findings[0]!)).toMatch(/^members\.csv:3 H1/);
  });

  it("describes the sex in both languages", () => {
    const [f] = audit("Q006", {
      households: [household("H1")],
      members: [member("H1", { relation: "户主", sex: "女" }), member("H1", { relation: "配偶", sex: "女" })],
    });
    expect([f!.messageZh, f!.messageEn]).toEqual(["户主与配偶性别相同（女）", "head and spouse have the same sex (female)"]);
  });
});

describe("Q010 缺劳动力但有劳动力成员", () => {
  it("reports the first member with 普通劳动力 or 技能劳动力 of a household at risk 缺劳动力", () => {
    const findings = audit("Q010", {
      households: [household("H1", { risks: ["因病", "缺劳动力"] }), household("H2", { risks: ["缺劳动力"] }), household("H3", { risks: ["缺劳动力"] })],
      members: [
        member("H1", { relation: "户主", labourSkill: "丧失劳动力" }),
        member("H1", { relation: "之子", labourSkill: "技能劳动力", idNumber: ID.male2015 }),
        member("H1", { relation: "之女", labourSkill: "普通劳动力" }),
        member("H2", { relation: "户主", labourSkill: "弱劳动力或半劳动力" }),
        member("H2", { relation: "配偶", labourSkill: "无劳动力" }),
        member("H2", { relation: "之子" }),
        // One member with labour is enough.
        member("H3", { relation: "户主", labourSkill: "无劳动力" }),
        member("H3", { relation: "配偶", labourSkill: " 普通劳动力 " }),
      ],
    });
    expect(findings.map(where)).toEqual(["members.csv:3 H1 130434********0015", "members.csv:9 H3"]);
    expect(findings[0]!.messageZh).toBe("风险类型为缺劳动力，但成员劳动技能为技能劳动力");
  });

  it("is silent for households with labour but no 缺劳动力 risk", () => {
    expect(audit("Q010", { households: [household("H1", { risks: ["因病"] })], members: couple("H1") })).toEqual([]);
  });
});

describe("Q011 务工不稳但无劳动力", () => {
  it("reports a household at risk 因务工就业不稳 whose members all lack labour, at the household row", () => {
    const findings = audit("Q011", {
      households: [
        household("H1", { risks: ["因务工就业不稳"] }),
        household("H2", { risks: ["因务工就业不稳"] }),
        household("H3", { risks: ["因务工就业不稳"] }),
      ],
      members: [
        member("H1", { relation: "户主", labourSkill: "弱劳动力或半劳动力" }),
        member("H1", { relation: "配偶" }),
        ...couple("H2"),
      ],
    });
    expect(findings.map(where)).toEqual(["households.csv:2 H1"]);
    expect(findings[0]!.messageZh).toBe("风险类型为因务工就业不稳，但2名成员均无劳动力");
  });
});
