import { describe, expect, it } from "vitest";
import { audit, household, m, member, where } from "./builders.js";

describe("Q008 帮扶消除时间过短", () => {
  it.each([
    ["2026-01", "2026-06", 1],
    ["2026-01", "2026-07", 0],
    ["2025-12", "2025-12", 1],
    ["2026-03", "2026-01", 1],
  ])("identified %s, 帮扶消除 %s → %i finding(s)", (identified, eliminated, count) => {
    const findings = audit("Q008", {
      households: [household("H1", { eliminationMethod: "帮扶消除", identifiedMonth: m(identified), eliminatedMonth: m(eliminated), riskEliminated: true })],
    });
    expect(findings.map(where)).toEqual(count ? ["households.csv:2 H1"] : []);
  });

  it("says how many months passed", () => {
    const [f] = audit("Q008", {
      households: [household("H1", { eliminationMethod: "帮扶消除", identifiedMonth: m("2026-01"), eliminatedMonth: m("2026-05") })],
    });
    expect(f!.messageZh).toBe("帮扶消除距识别监测时间4个月（2026-01→2026-05），不足6个月");
    expect(f!.severity).toBe("warning");
  });

  it("is silent for 自然消除 and for missing months", () => {
    const findings = audit("Q008", {
      households: [
        household("H1", { eliminationMethod: "自然消除", identifiedMonth: m("2026-01"), eliminatedMonth: m("2026-02") }),
        household("H2", { eliminationMethod: "帮扶消除", eliminatedMonth: m("2026-02") }),
        household("H3", { eliminationMethod: "帮扶消除", identifiedMonth: m("2026-01") }),
      ],
    });
    expect(findings).toEqual([]);
  });
});

describe("Q009 因病无合规自付支出", () => {
  it("reports 因病 households with 合规自付支出 empty or 0 and no 医疗 event", () => {
    const findings = audit("Q009", {
      households: [
        household("H1", { risks: ["因病"] }),
        household("H2", { risks: ["缺劳动力", "因病"], compliantSelfPaid: 0 }),
        household("H3", { risks: ["因病"], compliantSelfPaid: 3200 }),
        household("H4", { risks: ["因病"] }),
        household("H5", { risks: ["因病"] }),
        household("H6", { risks: ["因学"] }),
      ],
      events: [
        { householdId: "H4", eventType: "医疗" },
        { householdId: "H5", eventType: "教育" },
      ],
    });
    expect(findings.map(where)).toEqual(["households.csv:2 H1", "households.csv:3 H2", "households.csv:6 H5"]);
    expect(findings.map((f) => f.messageZh)).toEqual([
      "风险类型为因病，但合规自付支出为空且无医疗预警数据",
      "风险类型为因病，但合规自付支出为0且无医疗预警数据",
      "风险类型为因病，但合规自付支出为空且无医疗预警数据",
    ]);
  });
});

describe("Q012 风险消除标记与时间不符", () => {
  it.each([
    ["是 without a month", true, undefined, "风险是否已消除为“是”，但风险消除时间为空"],
    ["a month while 否", false, "2026-03", "风险消除时间为2026-03，但风险是否已消除为“否”"],
    ["a month while blank", undefined, "2026-03", "风险消除时间为2026-03，但风险是否已消除为空"],
  ])("reports %s", (_label, riskEliminated, eliminated, message) => {
    const findings = audit("Q012", {
      households: [household("H1", { riskEliminated, eliminatedMonth: eliminated === undefined ? undefined : m(eliminated) })],
    });
    expect(findings.map((f) => [where(f), f.severity, f.messageZh])).toEqual([["households.csv:2 H1", "error", message]]);
  });

  it.each([
    ["是 with a month", true, "2026-03"],
    ["否 without a month", false, undefined],
    ["both blank", undefined, undefined],
  ])("is silent for %s", (_label, riskEliminated, eliminated) => {
    const findings = audit("Q012", {
      households: [household("H1", { riskEliminated, eliminatedMonth: eliminated === undefined ? undefined : m(eliminated) })],
    });
    expect(findings).toEqual([]);
  });
});

describe("Q013 无劳动能力户已消除", () => {
  it("reports a no-labour household marked eliminated, only that one", () => {
    const findings = audit("Q013", {
      households: [
        household("H1", { noLabourHousehold: true, riskEliminated: true }),
        household("H2", { noLabourHousehold: true, riskEliminated: false }),
        household("H3", { noLabourHousehold: false, riskEliminated: true }),
        household("H4", { riskEliminated: true }),
      ],
    });
    expect(findings.map((f) => [where(f), f.severity])).toEqual([["households.csv:2 H1", "warning"]]);
  });
});

describe("Q014 人均纯收入异常", () => {
  it.each([
    [-0.01, 1],
    [0, 0],
    [8700, 0],
    [20000, 0],
    [20000.01, 1],
  ])("人均纯收入 %d of a monitored household → %i finding(s)", (pc, count) => {
    const findings = audit("Q014", { households: [household("H1", { monitoringCategory: "边缘易致贫户", annualNetIncomePc: pc })] });
    expect(findings.length).toBe(count);
  });

  it("only looks at monitored households (category present, not eliminated)", () => {
    const findings = audit("Q014", {
      households: [
        household("H1", { monitoringCategory: "脱贫不稳定户", annualNetIncomePc: 25000 }),
        household("H2", { monitoringCategory: "脱贫不稳定户", riskEliminated: true, annualNetIncomePc: 25000 }),
        household("H3", { annualNetIncomePc: 25000 }),
      ],
    });
    expect(findings.map((f) => [where(f), f.severity, f.messageZh])).toEqual([
      ["households.csv:2 H1", "note", "监测户人均纯收入为25000.00元，高于20000元"],
    ]);
  });
});

describe("Q015 近3个月缺收入记录", () => {
  const income: [string, string, number][] = [
    ["H1", "2026-08", 900],
    ["H1", "2026-09", 900],
    ["H1", "2026-10", 900],
    ["H2", "2026-08", 900],
    ["H2", "2026-10", 900],
    ["H4", "2026-10", 900],
  ];
  const households = [
    household("H1", { monitoringCategory: "边缘易致贫户" }),
    household("H2", { monitoringCategory: "边缘易致贫户" }),
    household("H3", { monitoringCategory: "突发严重困难户" }),
    household("H4"),
    household("H5", { monitoringCategory: "边缘易致贫户", riskEliminated: true }),
  ];

  it("lists the missing months of P−2 … P of each monitored household (default P = latest income month)", () => {
    const findings = audit("Q015", { households, income });
    expect(findings.map((f) => [where(f), f.messageZh])).toEqual([
      ["households.csv:3 H2", "监测户缺少2026-09的收入记录"],
      ["households.csv:4 H3", "监测户缺少2026-08、2026-09、2026-10的收入记录"],
    ]);
    expect(findings[1]!.messageEn).toBe("monitored household has no income record for 2026-08, 2026-09, 2026-10");
  });

  it("uses the period given", () => {
    const findings = audit("Q015", { households, income }, "2026-11");
    expect(findings.map((f) => [where(f), f.messageZh])).toEqual([
      ["households.csv:2 H1", "监测户缺少2026-11的收入记录"],
      ["households.csv:3 H2", "监测户缺少2026-09、2026-11的收入记录"],
      ["households.csv:4 H3", "监测户缺少2026-09、2026-10、2026-11的收入记录"],
    ]);
  });

  it("is silent when the data has no income at all", () => {
    expect(audit("Q015", { households }, "2026-10")).toEqual([]);
  });
});

describe("Q016 家庭人口数异常", () => {
  it.each([
    [20, 0],
    [21, 1],
    [1, 0],
  ])("an accepted 家庭人口数 %i → %i finding(s)", (size, count) => {
    expect(audit("Q016", { households: [household("H1", { size })] }).length).toBe(count);
  });

  it("reports rejected households/members rows with 0, negative or above 20, once per household", () => {
    const findings = audit("Q016", {
      households: [household("H1", { size: 25 }), household("H2")],
      rejects: [
        { householdId: "H1", value: "0" },
        { householdId: "H2", value: "-1", kind: "members", source: { file: "members.csv", sheet: "", row: 7 } },
        { householdId: "H2", value: "0", kind: "members", source: { file: "members.csv", sheet: "", row: 8 } },
        { householdId: "H3", value: "０" },
        { householdId: "H4", value: "2.5" },
        { householdId: "H5", value: "三" },
        { householdId: "H6", value: "0", code: "missing_required" },
        { householdId: "H7", value: "0", kind: "income" },
        { value: "30" },
      ],
    });
    expect(findings.map((f) => [where(f), f.severity, f.messageZh])).toEqual([
      ["households.csv:2 H1", "error", "家庭人口数为25，超过20"],
      ["households.csv:103 H3", "error", "家庭人口数为0，不是正数"],
      ["households.csv:108 ", "error", "家庭人口数为30，超过20"],
      ["members.csv:7 H2", "error", "家庭人口数为-1，不是正数"],
    ]);
  });
});

describe("Q017 户信息前后不一致", () => {
  it("reports every conflict at the later row, masking names and ID numbers", () => {
    const findings = audit("Q017", {
      households: [household("H1")],
      members: [member("H1", { relation: "户主" })],
      conflicts: [
        { householdId: "H1", column: "家庭人口数", first: "4", other: "5", source: { file: "members.csv", sheet: "", row: 3 } },
        { householdId: "H1", column: "户主姓名", first: "张三丰", other: "张三", source: { file: "members.csv", sheet: "", row: 4 } },
        { householdId: "H1", column: "户主证件号码", first: "130434199001011234", other: "130434199202021244", source: { file: "members.csv", sheet: "", row: 5 } },
      ],
    });
    expect(findings.map((f) => [where(f), f.severity, f.messageZh])).toEqual([
      ["members.csv:3 H1", "warning", "同一户的家庭人口数前后不一致：先为“4”，此行为“5”（以前者为准）"],
      ["members.csv:4 H1", "warning", "同一户的户主姓名前后不一致：先为“张**”，此行为“张*”（以前者为准）"],
      ["members.csv:5 H1", "warning", "同一户的户主证件号码前后不一致：先为“130434********1234”，此行为“130434********1244”（以前者为准）"],
    ]);
    expect(findings[0]!.messageEn).toBe('家庭人口数 differs within the household: first "4", this row "5" (the first value is used)');
  });
});
