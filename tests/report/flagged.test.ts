import { describe, expect, it } from "vitest";
import { buildFlaggedTable, buildFlaggedWorkbook, compareListed, flaggedTableRows, fullExplanation, sortListed, streakMonths } from "../../src/report/flagged.js";
import type { Cell, SheetSpec } from "../../src/report/workbook.js";
import type { ListedHousehold } from "../../src/report/flagged.js";
import { compareCodePoints } from "../../src/report/labels.js";
import { SheetNamer, cleanSheetName } from "../../src/report/sheetNames.js";
import { monthOf } from "../../src/model/month.js";
import { assessment, household } from "./builders.js";

const ALL_LEVELS = ["province", "city", "county", "township", "village"] as const;

function listed(id: string, over: Parameters<typeof assessment>[0], hh: Partial<ListedHousehold["household"]> = {}): ListedHousehold {
  return { household: household({ id, ...hh }), assessment: assessment({ householdId: id, ...over }) };
}

const ids = (rows: unknown[][]) => rows.map((r) => r[0]);

describe("monitoring list columns", () => {
  it("has the outputs.md columns in order, region columns only for the levels present", () => {
    const t = buildFlaggedTable([], { lang: "zh", revealPersonalData: false, regionLevels: ["county", "village"] });
    expect(t.columns.map((c) => c.header)).toEqual([
      "户编号", "县", "村", "户主姓名", "户主证件号码", "户类型", "家庭人口数", "状态", "当前监测类别", "建议监测类别", "风险等级",
      "风险程度", "预警信号", "风险类型", "连续低收入月数", "最长连续低收入月数", "低收入月份", "年化人均纯收入", "收入口径",
      "监测标准", "近12月医疗自付", "近12月刚性支出", "收入降幅", "已记录月数", "说明",
    ]);
    expect(t.rows).toEqual([]);
  });

  it("uses the English names with --lang en, region levels in 省市县乡村 order whatever order they are given in", () => {
    const t = buildFlaggedTable([], { lang: "en", revealPersonalData: false, regionLevels: ["village", "province"] });
    expect(t.columns.map((c) => c.header)).toEqual([
      "household_id", "province", "village", "head_name", "head_id_number", "household_type", "household_size", "status",
      "current_category", "suggested_category", "color", "grade", "triggers", "risk_types", "current_streak", "longest_streak",
      "streak_months", "annual_pc", "annual_source", "monitoring_line", "medical_self_paid", "rigid_expense_total",
      "income_drop_ratio", "recorded_months", "explanation",
    ]);
  });
});

describe("monitoring list row", () => {
  const h = listed(
    "0012",
    {
      size: 4,
      status: "continuing",
      currentCategory: "边缘易致贫户",
      suggestedCategory: "突发严重困难户",
      categoryChange: "类别变化: 边缘易致贫户→突发严重困难户",
      color: "red",
      grade: "极易致贫",
      triggers: ["STREAK", "MEDICAL"],
      riskTypes: ["因病", "因务工就业不稳"],
      currentStreak: 3,
      longestStreak: 3,
      streakFirst: monthOf(2026, 8),
      streakLast: monthOf(2026, 10),
      annualPc: 6543.216,
      annualSource: "monthly",
      lines: { annual: 6100, monthly: 6100 / 12, poverty: 4000, yellow: 7320 },
      medicalSelfPaid: 12400,
      rigidExpenseTotal: 12400.004,
      incomeDropRatio: 0.523456,
      recorded: 11,
      explanation: "2026-08至2026-10连续3个月人均纯收入低于月监测标准508.33元",
    },
    { province: "河北省", county: "甲县", village: "一村", headName: "欧阳小明", headIdNumber: "130434199001011234", householdType: "一般农户" },
  );

  it("writes every field, masked, in Chinese", () => {
    const t = buildFlaggedTable([h], { lang: "zh", revealPersonalData: false, regionLevels: ["province", "county", "village"] });
    expect(t.rows).toEqual([
      [
        "0012", "河北省", "甲县", "一村", "欧阳**", "130434********1234", "一般农户", 4, "持续监测", "边缘易致贫户", "突发严重困难户", "红",
        "极易致贫", "连续低收入；医疗支出", "因病；因务工就业不稳", 3, 3, "2026-08～2026-10", 6543.22, "月度", 6100, 12400, 12400, 0.5235, 11,
        "2026-08至2026-10连续3个月人均纯收入低于月监测标准508.33元；类别变化: 边缘易致贫户→突发严重困难户",
      ],
    ]);
  });

  it("writes the codes of status, colour, triggers and income source with --lang en; categories, grades and risk types stay Chinese", () => {
    const t = buildFlaggedTable([h], { lang: "en", revealPersonalData: false, regionLevels: [] });
    expect(t.rows[0]!.slice(0, 16)).toEqual([
      "0012", "欧阳**", "130434********1234", "一般农户", 4, "continuing", "边缘易致贫户", "突发严重困难户", "red", "极易致贫",
      "STREAK；MEDICAL", "因病；因务工就业不稳", 3, 3, "2026-08～2026-10", 6543.22,
    ]);
    expect(t.rows[0]![16]).toBe("monthly");
  });

  it("writes names and ID numbers in full with --reveal-personal-data", () => {
    const t = buildFlaggedTable([h], { lang: "zh", revealPersonalData: true, regionLevels: [] });
    expect(t.rows[0]!.slice(1, 3)).toEqual(["欧阳小明", "130434199001011234"]);
  });

  it.each([
    ["张三", "张*"],
    ["欧阳小明", "欧阳**"],
    ["李", "李"],
  ])("masks the head's name %s as %s", (name, masked) => {
    const t = buildFlaggedTable([listed("1", { status: "new" }, { headName: name })], { lang: "zh", revealPersonalData: false, regionLevels: [] });
    expect(t.rows[0]![1]).toBe(masked);
  });

  it("writes empty values as null cells, never undefined or NaN", () => {
    const t = buildFlaggedTable(
      [listed("7", { status: "new", size: undefined, annualPc: undefined, annualSource: undefined, recorded: 0, incomeDropRatio: undefined, grade: "较易致贫", color: "yellow" })],
      { lang: "zh", revealPersonalData: false, regionLevels: ["county"] },
    );
    expect(t.rows[0]).toEqual([
      "7", null, null, null, null, null, "新识别", null, null, "黄", "较易致贫", null, null, 0, 0, null, null, null, 6000, 0, 0, null, 0, null,
    ]);
  });
});

describe("monitoring list order", () => {
  it("sorts by status, then colour red first, then region with empty first by code point, then 户编号 as text", () => {
    const rows = [
      listed("9", { status: "suggest_elimination", color: "green" }),
      listed("10", { status: "continuing", color: "red" }, { county: "乙县" }),
      listed("2", { status: "continuing", color: "red" }, { county: "乙县" }),
      listed("3", { status: "continuing", color: "red" }, { county: "甲县" }),
      listed("4", { status: "continuing", color: "red" }),
      listed("5", { status: "new", color: "yellow" }),
      listed("6", { status: "new", color: "orange" }, { province: "河北省" }),
      listed("7", { status: "new", color: "orange" }),
      listed("8", { status: undefined, color: "red" }),
    ];
    const t = buildFlaggedTable(rows, { lang: "zh", revealPersonalData: false, regionLevels: ["county"] });
    // 乙 (U+4E59) sorts before 甲 (U+7532); "10" < "2" as text; the household without a status is not listed
    expect(ids(t.rows)).toEqual(["7", "6", "5", "4", "10", "2", "3", "9"]);
  });

  it("compares region names by code point, not by locale or UTF-16 unit", () => {
    // U+FF21 (Ａ) is a BMP character above the surrogates; U+20000 (𠀀) is encoded with surrogates but is the larger code point.
    expect(compareCodePoints("\uFF21", "\u{20000}")).toBe(-1);
    expect(compareCodePoints("", "a")).toBeLessThan(0);
    expect(compareCodePoints("ab", "a")).toBeGreaterThan(0);
    const t = buildFlaggedTable(
      [listed("1", { status: "new", color: "red" }, { village: "\u{20000}村" }), listed("2", { status: "new", color: "red" }, { village: "\uFF21村" })],
      { lang: "zh", revealPersonalData: false, regionLevels: ["village"] },
    );
    expect(ids(t.rows)).toEqual(["2", "1"]);
  });
});

describe("low-income months and explanation", () => {
  it.each([
    [0, undefined, undefined, undefined],
    [1, monthOf(2026, 10), monthOf(2026, 10), "2026-10～2026-10"],
    [4, monthOf(2025, 11), monthOf(2026, 2), "2025-11～2026-02"],
  ])("longest streak %i gives %s…%s → %s", (longestStreak, streakFirst, streakLast, expected) => {
    expect(streakMonths({ longestStreak, streakFirst, streakLast })).toBe(expected);
  });

  it.each([
    ["adds the category change and blockers the rules left out", "收入低于标准", "类别变化: A→B", ["收入稳定不足6个月"], "收入低于标准；类别变化: A→B；收入稳定不足6个月"],
    ["does not repeat what the explanation already says", "收入低于标准；收入稳定不足6个月", undefined, ["收入稳定不足6个月"], "收入低于标准；收入稳定不足6个月"],
    ["works from an empty explanation", "", undefined, ["无劳动能力户暂不消除"], "无劳动能力户暂不消除"],
  ])("%s", (_name, explanation, categoryChange, eliminationBlockers, expected) => {
    expect(fullExplanation({ explanation, categoryChange, eliminationBlockers })).toBe(expected);
  });
});

/** A sheet's rows, from its rowSource when it has one. */
function sheetRows(s: SheetSpec): Cell[][] {
  return s.rowSource ? Array.from({ length: s.rowSource.count }, (_, i) => s.rowSource!.row(i)) : s.rows;
}

describe("monitoring list workbook", () => {
  const rows = [
    listed("1", { status: "new", color: "red" }, { city: "甲市", county: "朝阳区" }),
    listed("2", { status: "new", color: "orange" }, { city: "乙市", county: "朝阳区" }),
    listed("3", { status: "new", color: "yellow" }, { city: "甲市", county: "a/b:c" }),
    listed("4", { status: "new", color: "green" }, { city: "甲市" }),
  ];
  const table = buildFlaggedTable(rows, { lang: "zh", revealPersonalData: false, regionLevels: ["city", "county"] });

  it("has one sheet 监测名单 with frozen header, autofilter and the colour cells filled", () => {
    const wb = buildFlaggedWorkbook(table, { splitByCounty: false });
    expect(wb.sheets.map((s) => s.name)).toEqual(["监测名单"]);
    const s = wb.sheets[0]!;
    expect([s.freezeHeader, s.autoFilter]).toEqual([true, true]);
    const colorCol = table.columns.findIndex((c) => c.header === "风险等级");
    expect(sheetRows(s).map((r) => s.rowSource!.style!(r)!.fills![colorCol])).toEqual(["red", "orange", "yellow", "green"]);
    expect(ids(sheetRows(s))).toEqual(["1", "2", "3", "4"]);
  });

  it("gives the same sheets from a list whose rows are built as they are written", () => {
    const lazy = flaggedTableRows(rows, { lang: "zh", revealPersonalData: false, regionLevels: ["city", "county"] });
    const fromLazy = buildFlaggedWorkbook(lazy, { splitByCounty: true });
    const fromTable = buildFlaggedWorkbook(table, { splitByCounty: true });
    expect(fromLazy.sheets.map((s) => [s.name, sheetRows(s)])).toEqual(fromTable.sheets.map((s) => [s.name, sheetRows(s)]));
    expect(sheetRows(fromLazy.sheets[0]!)).toEqual(table.rows);
  });

  it("splits a lazy list by county without building its rows (they are built as each sheet is written)", () => {
    const lazy = flaggedTableRows(rows, { lang: "zh", revealPersonalData: false, regionLevels: ["city", "county"] });
    let built = 0;
    const counted = { ...lazy, row: (i: number) => (built++, lazy.row(i)) };
    const wb = buildFlaggedWorkbook(counted, { splitByCounty: true });
    expect([wb.sheets.length, built]).toEqual([5, 0]);
    expect(wb.sheets.map((s) => ids(sheetRows(s)))).toEqual([["1", "2", "3", "4"], ["1"], ["2"], ["3"], ["4"]]);
    // cell(i, col) is row(i)[col] for every cell
    const cells = table.rows.map((_, i) => table.columns.map((_, col) => lazy.cell!(i, col)));
    expect(cells).toEqual(table.rows);
    // a lazy table that cannot give a cell alone: each row built once for the grouping, the same sheets
    built = 0;
    const bare = { columns: lazy.columns, rowCount: lazy.rowCount, row: counted.row };
    const fromBare = buildFlaggedWorkbook(bare, { splitByCounty: true });
    expect(built).toBe(4);
    expect(fromBare.sheets.map((s) => [s.name, ids(sheetRows(s))])).toEqual(wb.sheets.map((s) => [s.name, ids(sheetRows(s))]));
  });

  it("adds one sheet per county with --split-by county, names valid and unique", () => {
    const wb = buildFlaggedWorkbook(table, { splitByCounty: true });
    expect(wb.sheets.map((s) => s.name)).toEqual(["监测名单", "甲市朝阳区", "乙市朝阳区", "a_b_c", "县未填写"]);
    expect(wb.sheets.map((s) => ids(sheetRows(s)))).toEqual([["1", "2", "3", "4"], ["1"], ["2"], ["3"], ["4"]]);
  });
});

describe("sheet names", () => {
  it.each([
    ["a[b]c:d*e?f/g\\h", "a_b_c_d_e_f_g_h"],
    ["'引号'", "引号"],
    ["", "Sheet"],
    ["History", "History_"],
    ["一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"],
  ])("%s → %s", (wanted, expected) => {
    expect(cleanSheetName(wanted)).toBe(expected);
  });

  it("makes names unique ignoring case, within 31 characters", () => {
    const n = new SheetNamer(["监测名单"]);
    const long = "x".repeat(40);
    expect([n.name("监测名单"), n.name("Abc"), n.name("abc"), n.name(long), n.name(long)]).toEqual([
      "监测名单(2)", "Abc", "abc(2)", "x".repeat(31), `${"x".repeat(28)}(2)`,
    ]);
  });
});

describe("sortListed", () => {
  it("gives the order of compareListed on 3,000 households with repeated, empty and non-BMP region names", () => {
    let s = 11;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const pick = <T,>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
    const names = ["", "甲", "乙", "甲乙", "𠀀村", "\uffef村", "Z", "a"];
    const list = Array.from({ length: 3000 }, (_, i) =>
      listed(
        pick([`H${i % 700}`, `h${i}`, `${i}`, `𠀀${i % 50}`]),
        { status: pick(["new", "continuing", "suggest_elimination", undefined] as const), color: pick(["red", "orange", "yellow", "green", undefined] as const) },
        Object.fromEntries(ALL_LEVELS.map((l) => [l, rand() < 0.2 ? undefined : pick(names)])),
      ),
    );
    const expected = [...list].sort(compareListed).map((l) => l.household.id + "|" + l.assessment.status + "|" + l.assessment.color + "|" + ALL_LEVELS.map((v) => l.household[v] ?? "").join("/"));
    const got = sortListed(list).map((l) => l.household.id + "|" + l.assessment.status + "|" + l.assessment.color + "|" + ALL_LEVELS.map((v) => l.household[v] ?? "").join("/"));
    expect(got).toEqual(expected);
    expect(new Set(got.map((g) => g.split("|")[1])).size).toBe(4);
  });

  const orderOf = (list: ListedHousehold[]) => ({
    expected: [...list].sort(compareListed).map((l) => l.household.id),
    got: sortListed(list).map((l) => l.household.id),
  });

  it("orders 户编号 of digits as text: leading zeros, and numbers of different lengths (10 before 9)", () => {
    const same = { county: "鲁甸县", village: "白井村" };
    const uniform = ["530621000000010", "062110120100002", "062110120100001", "000000000000009", "999999999999999"];
    const a = orderOf(uniform.map((id) => listed(id, { status: "new", color: "red" }, same)));
    expect(a.got).toEqual(a.expected);
    expect(a.got).toEqual(["000000000000009", "062110120100001", "062110120100002", "530621000000010", "999999999999999"]);
    // Different lengths, 16 digits (past exact numbers) and a letter: compared as text.
    for (const mixed of [["9", "11", "100", "10"], ["1234567890123457", "1234567890123456", "1234567890123455"], ["0621A", "06219", "06210"]]) {
      const b = orderOf(mixed.map((id) => listed(id, { status: "new", color: "red" }, same)));
      expect(b.got).toEqual(b.expected);
      expect(b.got).toEqual([...mixed].sort());
    }
  });

  it("gives the order of compareListed when the region ranks are too many for one key (about 1,000 names at every level)", () => {
    let s = 5;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const list = Array.from({ length: 3000 }, (_, i) =>
      listed(
        String(100000 + Math.floor(rand() * 900000)),
        { status: i % 2 ? "new" : "continuing", color: i % 3 ? "red" : "green" },
        Object.fromEntries(ALL_LEVELS.map((l, j) => [l, `${l}${Math.floor(rand() * (j < 3 ? 2 : 1000))}`])),
      ),
    );
    // Province, city and county have 2 names, township and village about 950: one key. All five that large make
    // 20 × 950^5 > 2^53: one key per level.
    const wide = list.map((l, i) => ({ ...l, household: { ...l.household, province: `p${i % 1000}`, city: `c${i % 1001}`, county: `x${i % 999}` } }));
    // Households told apart only by 村 (the last digit of the key) or only by 户编号, at the top ranks (past 2^53).
    const top = { province: "p999", city: "c999", county: "x998", township: "township999" };
    for (let k = 0; k < 40; k++) wide.push(listed(String(900000 - k), { status: "suggest_elimination", color: "green" }, { ...top, village: `village99${k % 5}` }));
    for (const l of [list, wide]) {
      const r = orderOf(l);
      expect(r.got).toEqual(r.expected);
    }
  });
});
