import { describe, expect, it } from "vitest";
import { COMPARED, memberPairsInto } from "../../src/audit/idFactsKernel.js";
import { rng } from "../helpers/rng.js";
import { ID, audit, couple, household, member, where } from "./builders.js";

describe("Q001 证件号码校验", () => {
  it("reports members whose 18-digit ID has a wrong check character or an impossible birth date, masked", () => {
    const findings = audit("Q001", {
      households: [household("H1"), household("H2")],
      members: [
        member("H1", { relation: "户主", idNumber: "130434199001011235" }),
        member("H1", { relation: "配偶", idNumber: ID.female1992 }),
        member("H2", { relation: "户主", idNumber: "110105194913310023" }),
      ],
    });
    expect(findings.map(where)).toEqual(["members.csv:2 H1 130434********1235", "members.csv:4 H2 110105********0023"]);
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([
      ["Q001", "error"],
      ["Q001", "error"],
    ]);
    expect(findings[0]!.messageZh).toBe("证件号码校验位错误（按GB 11643-1999应为4）");
    expect(findings[0]!.messageEn).toBe("ID number: wrong check character (GB 11643-1999 requires 4)");
    expect(findings[1]!.messageZh).toBe("证件号码中的出生日期（第7–14位）不是有效日期");
  });

  it("checks 户主证件号码 of the households table unless a member row of the household carries the same number", () => {
    const findings = audit("Q001", {
      households: [
        household("H1", { headIdNumber: "130434199001011235" }),
        household("H2", { headIdNumber: "130434199202021245" }),
      ],
      members: [member("H1", { relation: "户主", idNumber: "130434199001011235" })],
    });
    expect(findings.map(where)).toEqual(["households.csv:3 H2 130434********1245", "members.csv:2 H1 130434********1235"]);
    expect(findings[0]!.messageZh).toBe("户主证件号码校验位错误（按GB 11643-1999应为4）");
  });

  it("leaves valid IDs (lower-case x too), 15-digit and other document numbers alone", () => {
    const findings = audit("Q001", {
      households: [household("H1")],
      members: [
        member("H1", { idNumber: "11010519491231002x" }),
        member("H1", { idNumber: "440524188001010014" }),
        member("H1", { idNumber: "130434900101123" }),
        member("H1", { idNumber: "13043419900101123412" }),
      ],
    });
    expect(findings).toEqual([]);
  });
});

describe("Q002 证件号码重复", () => {
  it("reports every household in which the same number appears, at its first row, naming the others", () => {
    const findings = audit("Q002", {
      households: [household("H1"), household("H2"), household("H3", { headIdNumber: ID.male1990 })],
      members: [
        member("H1", { relation: "户主", idNumber: ID.male1990 }),
        member("H2", { relation: "之子", idNumber: ID.male1990.toLowerCase() }),
        member("H2", { relation: "户主", idNumber: ID.male1988 }),
      ],
    });
    expect(findings.map(where)).toEqual([
      "households.csv:4 H3 130434********1234",
      "members.csv:2 H1 130434********1234",
      "members.csv:3 H2 130434********1234",
    ]);
    expect(findings.map((f) => f.messageZh)).toEqual(["同一户主证件号码也出现在户H1、H2", "同一证件号码也出现在户H2、H3", "同一证件号码也出现在户H1、H3"]);
    expect(findings[1]!.messageEn).toBe("the same ID number also appears in household H2, H3");
  });

  it("treats an x check character as X when comparing", () => {
    const findings = audit("Q002", {
      households: [household("H1"), household("H2")],
      members: [member("H1", { idNumber: "11010519491231002X" }), member("H2", { idNumber: "11010519491231002x" })],
    });
    expect(findings.map(where)).toEqual(["members.csv:2 H1 110105********002X", "members.csv:3 H2 110105********002x"]);
  });

  it.each([
    ["the same number twice inside one household", [member("H1", { idNumber: ID.male1990 }), member("H1", { idNumber: ID.male1990 })]],
    ["placeholders shorter than 6 characters", [member("H1", { idNumber: "无" }), member("H2", { idNumber: "无" })]],
    ["3 characters outside the BMP (6 UTF-16 units, still a placeholder)", [member("H1", { idNumber: "𠀀𠀁𠀂" }), member("H2", { idNumber: "𠀀𠀁𠀂" })]],
    ["different numbers", [member("H1", { idNumber: ID.male1990 }), member("H2", { idNumber: ID.female1992 })]],
  ])("is silent for %s", (_label, members) => {
    expect(audit("Q002", { households: [household("H1"), household("H2")], members })).toEqual([]);
  });

  it("is silent for two different numbers whose 32-bit hashes collide (the first pass only picks candidates)", () => {
    // FNV-1a of both texts is the same 32-bit value; the exact comparison at finish tells them apart.
    const findings = audit("Q002", {
      households: [household("H1"), household("H2"), household("H3")],
      members: [
        member("H1", { idNumber: "110101199001439599" }),
        member("H2", { idNumber: "110101199001622382" }),
        member("H3", { idNumber: "110101199001622382" }),
      ],
    });
    expect(findings.map(where)).toEqual(["members.csv:3 H2 110101********2382", "members.csv:4 H3 110101********2382"]);
  });

  it("finds the one shared number among 50,000 households (the first pass's table grows)", () => {
    const n = 50_000;
    const households = Array.from({ length: n }, (_, i) => household(`H${i}`));
    const members = households.map((h, i) => member(h.id, { idNumber: `4405241880${String(i).padStart(8, "0")}` }));
    members.push(member("H49999", { idNumber: "440524188000000007" }));
    const findings = audit("Q002", { households, members });
    expect(findings.map((f) => [f.householdId, f.messageZh])).toEqual([
      ["H7", "同一证件号码也出现在户H49999"],
      ["H49999", "同一证件号码也出现在户H7"],
    ]);
  });
});

describe("memberPairsInto (Q002's first pass over a member store)", () => {
  it("sorts the compared members' (hash, household) pairs and marks exactly the households of hashes held by two or more, as a Map would", () => {
    const rand = rng(5);
    const n = 70_000;
    const owners = Int32Array.from({ length: n }, (_, k) => Math.floor(k / 3));
    // Few distinct hashes among the first 300 pairs (shared within and across owners), then mostly unique ones,
    // negative ones included (the sort reads them as unsigned).
    const hashes = Int32Array.from({ length: n }, (_, k) => (k < 300 ? Math.floor(rand() * 40) - 20 : (rand() * 0x100000000) | 0));
    hashes[n - 1] = hashes[5]!; // a late owner shares an early hash
    hashes[n - 2] = hashes[n - 3]!; // one owner, the same hash twice: not shared
    // Every 7th member's ID is not compared (too short, or none): its hash is left out, even where it is shared.
    const flags = Uint8Array.from({ length: n }, (_, k) => (k % 7 === 3 ? 1 : COMPARED | 1));
    hashes[3] = hashes[n - 1]!;
    const ownerCount = owners[n - 1]! + 1;
    const byHash = new Map<number, Set<number>>();
    hashes.forEach((h, k) => flags[k]! & COMPARED && byHash.set(h, (byHash.get(h) ?? new Set()).add(owners[k]!)));
    const expected = new Uint8Array(ownerCount);
    for (const set of byHash.values()) if (set.size > 1) for (const o of set) expected[o] = 1;
    const out = { keys: new Uint32Array(n), owners: new Int32Array(n), marked: new Uint8Array(ownerCount) };
    const count = memberPairsInto(flags, hashes, owners, n, out);
    expect(count).toBe(n - Math.floor((n - 4) / 7) - 1);
    expect(Array.from(out.marked)).toEqual(Array.from(expected));
    expect(out.marked[owners[n - 1]!]).toBe(1);
    expect(out.marked[owners[n - 2]!]).toBe(expected[owners[n - 2]!]);
    // Sorted by the unsigned hash, stable, and every compared pair is there once.
    const pairs = Array.from({ length: count }, (_, i) => `${out.keys[i]}:${out.owners[i]}`);
    for (let i = 1; i < count; i++) expect(out.keys[i - 1]! <= out.keys[i]!).toBe(true);
    const input = [...hashes.keys()].filter((k) => flags[k]! & COMPARED).map((k) => `${hashes[k]! >>> 0}:${owners[k]}`);
    expect(pairs.slice().sort()).toEqual(input.sort());
  });
});

describe("Q007 出生日期与证件号码不符", () => {
  it("reports a member whose 出生日期 differs from digits 7–14 of the ID, without showing either date", () => {
    const findings = audit("Q007", {
      households: [household("H1")],
      members: [
        member("H1", { relation: "户主", idNumber: ID.male1990, birthDate: "1990-01-02" }),
        member("H1", { relation: "配偶", idNumber: ID.female1992, birthDate: "1993-02-02" }),
        member("H1", { relation: "之子", idNumber: ID.male2015, birthDate: "2015-03-15" }),
      ],
    });
    expect(findings.map(where)).toEqual(["members.csv:2 H1 130434********1234", "members.csv:3 H1 130434********1244"]);
    expect(findings.map((f) => f.messageZh)).toEqual([
      "出生日期与证件号码第7–14位的出生日期不一致（日不同）",
      "出生日期与证件号码第7–14位的出生日期不一致（年份不同）",
    ]);
    expect(findings[0]!.severity).toBe("warning");
  });

  it.each([
    ["a matching date", ID.male1990, "1990-01-01"],
    ["a month-only 出生日期 in the same month", ID.male1990, "1990-01"],
    ["a 15-digit legacy ID", "130434900101123", "1991-01-01"],
    ["an ID whose inside date is not real (Q001's business)", "110105194913310023", "1949-12-31"],
    ["an unreadable 出生日期", ID.male1990, "不详"],
  ])("is silent for %s", (_label, idNumber, birthDate) => {
    expect(audit("Q007", { households: [household("H1")], members: [member("H1", { idNumber, birthDate })] })).toEqual([]);
  });
});

describe("Q018 非18位居民身份证号码", () => {
  it("notes 15-digit legacy IDs and other document numbers of members and heads", () => {
    const findings = audit("Q018", {
      households: [household("H1"), household("H2", { headIdNumber: "13043419900101123412" })],
      members: [...couple("H1"), member("H1", { relation: "之子", idNumber: "130434900101123" })],
    });
    expect(findings.map(where)).toEqual(["households.csv:3 H2 130434**********3412", "members.csv:4 H1 130434*****1123"]);
    expect(findings.map((f) => [f.severity, f.messageZh])).toEqual([
      ["note", "户主证件号码不是18位居民身份证号码（20位）"],
      ["note", "证件号码为15位旧身份证号码"],
    ]);
  });

  it("is silent for 18-character resident IDs, even invalid ones", () => {
    const findings = audit("Q018", {
      households: [household("H1")],
      members: [member("H1", { idNumber: "130434199001011235" }), member("H1", { idNumber: "11010519491231002x" })],
    });
    expect(findings).toEqual([]);
  });
});
