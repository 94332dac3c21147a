import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { buildDemoCounty, buildDemoFiles, DEMO_LAST_MONTH, type Expected } from "../../src/generate/demo.js";
import { hasLabour, netCents, type GeneratedHousehold } from "../../src/generate/household.js";
import { birthDateFromId, sexFromId, validateResidentId } from "../../src/audit/residentId.js";
import { runCli, ROOT } from "../helpers/cli.js";
import { useTempDir } from "../helpers/tmp.js";

const tmp = useTempDir("povwatch-demo-");
const COUNTY = buildDemoCounty();
const FILES = buildDemoFiles(COUNTY);
const FIXTURES = join(ROOT, "fixtures", "demo");

/**
 * rules.md for one household of the demo, written independently of src/rules so that the planted cases are checked
 * against the spec itself: built-in policy (L 6000, l 500, V 4000, Y 7200), period 2026-10.
 */
function verdict(h: GeneratedHousehold): Omit<Expected, "note"> {
  const P = DEMO_LAST_MONTH;
  const size = h.members.length;
  const byMonth = new Map(h.income.map((r) => [r.month, netCents(r) / 100]));
  const pc = (m: number): number | undefined => (byMonth.has(m) ? byMonth.get(m)! / size : undefined);
  let currentStreak = 0;
  for (let m = P; m > P - 12 && pc(m) !== undefined && pc(m)! < 500; m--) currentStreak++;
  let sum = 0;
  let recorded = 0;
  for (let m = P - 11; m <= P; m++) if (pc(m) !== undefined) (sum += pc(m)!), recorded++;
  const annual = (sum * 12) / recorded;
  const inWindow = (d: string): boolean => d >= "2025-11-01" && d <= "2026-10-31";
  const events = h.events.filter((e) => inWindow(e.date));
  const total = (type: string): number => events.filter((e) => e.eventType === type).reduce((s, e) => s + (e.selfPaid ?? e.loss ?? 0) / 100, 0);
  const medical = events.some((e) => e.eventType === "医疗") ? total("医疗") : h.compliantSelfPaidCents / 100;
  const rigid = (x: number): boolean => x >= 10000 || x >= 0.5 * annual * size;
  const net = (m: number): number | undefined => byMonth.get(m);
  const recent = [P - 2, P - 1, P].map(net);
  const earlier = [P - 14, P - 13, P - 12].map(net);
  const s = (xs: (number | undefined)[]): number => xs.reduce((a: number, b) => a + (b ?? 0), 0);
  const drop = [...recent, ...earlier].every((x) => x !== undefined) && s(earlier) > 0 && s(recent) <= 0.5 * s(earlier);
  const triggers = [
    currentStreak >= 3 && "STREAK",
    rigid(medical) && "MEDICAL",
    rigid(total("教育")) && "EDUCATION",
    rigid(total("灾害")) && "DISASTER",
    rigid(total("意外事故")) && "ACCIDENT",
    drop && "INCOME_DROP",
  ].filter((t): t is string => t !== false);
  const suggested = annual < 6000 ? (h.householdType === "脱贫户" ? "脱贫不稳定户" : "边缘易致贫户") : triggers.length > 0 ? "突发严重困难户" : "";
  let step = annual < 4000 ? 3 : annual < 6000 ? 2 : annual < 7200 ? 1 : 0;
  if (triggers.includes("STREAK")) step++;
  if (triggers.some((t) => ["MEDICAL", "EDUCATION", "DISASTER", "ACCIDENT"].includes(t))) step++;
  if (drop) step++;
  const colour = (["绿", "黄", "橙", "红"] as const)[Math.min(3, step)]!;
  const monitored = h.category !== "" && h.riskEliminated !== "是";
  let status: Expected["status"] = "不列入";
  if (suggested !== "") status = monitored ? "持续监测" : "新识别";
  else if (monitored) {
    const stable = [0, 1, 2, 3, 4, 5].every((k) => pc(P - k) !== undefined && pc(P - k)! >= 500);
    const identified = Number(h.identifiedDate.slice(0, 4)) * 12 + Number(h.identifiedDate.slice(5, 7)) - 1;
    const noLabour = h.noLabour || !h.members.some(hasLabour);
    status = stable && annual >= 6000 && triggers.length === 0 && P - identified >= 6 && !noLabour ? "建议消除" : "持续监测";
  }
  return { status, suggested, colour: status === "不列入" ? "" : colour, triggers: triggers.join(","), currentStreak };
}

describe("demo county: planted households", () => {
  it("plants every case the brief asks for", () => {
    const statuses = COUNTY.plants.map((p) => p.expected.status);
    expect(new Set(statuses)).toEqual(new Set(["新识别", "持续监测", "建议消除", "不列入"]));
    const triggers = new Set(COUNTY.plants.flatMap((p) => p.expected.triggers.split(",").filter(Boolean)));
    expect(triggers).toEqual(new Set(["STREAK", "MEDICAL", "EDUCATION", "DISASTER", "INCOME_DROP"]));
    expect(new Set(COUNTY.plants.map((p) => p.expected.colour))).toEqual(new Set(["红", "橙", "黄", "绿", ""]));
    expect(COUNTY.plants.some((p) => p.household.income.length < 15)).toBe(true); // a missing month
    expect(COUNTY.plants.some((p) => p.household.riskEliminated === "是")).toBe(true);
    expect(COUNTY.plants.some((p) => p.household.noLabour && p.household.riskEliminated === "否")).toBe(true);
  });

  it.each(COUNTY.plants.map((p) => [p.household.id, p.planted, p] as const))("%s %s: verdict as documented", (_id, _what, plant) => {
    const { note: _note, ...expected } = plant.expected;
    expect(verdict(plant.household)).toEqual(expected);
  });

  it("the month at the line is exactly 500.00 per person (2,000.00 for 4 persons), components in whole yuan", () => {
    const h = COUNTY.plants.find((p) => p.planted.includes("恰好等于"))!.household;
    const august = h.income.find((r) => r.month === DEMO_LAST_MONTH - 2)!;
    expect(netCents(august)).toBe(200_000);
    expect(h.members).toHaveLength(4);
    for (const c of [august.wage, august.business, august.property, august.transfer, august.expense]) expect(c % 100).toBe(0);
  });

  it("every other household is steady and not listed", () => {
    const planted = new Set(COUNTY.plants.map((p) => p.household.id));
    const others = COUNTY.households.filter((h) => !planted.has(h.id));
    expect(others.length).toBeGreaterThan(180);
    for (const h of others) expect(verdict(h).status, h.id).toBe("不列入");
  });
});

describe("demo county: clean for the audit (Q001–Q018)", () => {
  const people = COUNTY.households.flatMap((h) => h.members);

  it("has ~200 households in 3 townships and 12 villages of one county", () => {
    expect(COUNTY.households).toHaveLength(204);
    expect(new Set(COUNTY.households.map((h) => h.village.township)).size).toBe(3);
    expect(new Set(COUNTY.households.map((h) => h.village.villageCode)).size).toBe(12);
    expect(new Set(COUNTY.households.map((h) => h.village.county))).toEqual(new Set(["西岭县"]));
  });

  it("Q001/Q002/Q007/Q018: every ID is a valid 18-digit resident ID, unique, matching 出生日期 and 性别", () => {
    for (const p of people) {
      expect(validateResidentId(p.idNumber)).toEqual({ valid: true });
      expect(birthDateFromId(p.idNumber)).toEqual(dateParts(p.birthDate));
      expect(sexFromId(p.idNumber)).toBe(p.sex);
    }
    expect(new Set(people.map((p) => p.idNumber)).size).toBe(people.length);
  });

  it("Q003/Q004/Q006/Q016: one 户主, at most one 配偶 of the other sex, 1–20 persons", () => {
    for (const h of COUNTY.households) {
      expect(h.members.filter((p) => p.relation === "户主")).toHaveLength(1);
      const spouses = h.members.filter((p) => p.relation === "配偶");
      expect(spouses.length).toBeLessThanOrEqual(1);
      if (spouses[0]) expect(spouses[0].sex).not.toBe(h.members[0]!.sex);
      expect(h.members.length).toBeGreaterThanOrEqual(1);
      expect(h.members.length).toBeLessThanOrEqual(20);
    }
  });

  it("Q008–Q015: risks agree with members and expenses; eliminations 6+ months after identification; monitored ones have the last 3 months", () => {
    const monthOfDate = (d: string): number => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
    for (const h of COUNTY.households) {
      const medical = h.compliantSelfPaidCents > 0 || h.events.some((e) => e.eventType === "医疗");
      if (h.risks.includes("因病")) expect(medical, h.id).toBe(true);
      if (h.risks.includes("缺劳动力")) expect(h.members.some(hasLabour)).toBe(false);
      if (h.risks.includes("因务工就业不稳")) expect(h.members.some(hasLabour)).toBe(true);
      expect(h.riskEliminated === "是").toBe(h.eliminatedDate !== "");
      if (h.riskEliminated === "是") {
        expect(h.noLabour).toBe(false);
        expect(monthOfDate(h.eliminatedDate) - monthOfDate(h.identifiedDate)).toBeGreaterThanOrEqual(6);
      }
      if (h.category !== "") {
        expect(h.annualPcCents).toBeGreaterThanOrEqual(0);
        expect(h.annualPcCents).toBeLessThanOrEqual(2_000_000);
        const months = new Set(h.income.map((r) => r.month));
        for (const m of [DEMO_LAST_MONTH - 2, DEMO_LAST_MONTH - 1, DEMO_LAST_MONTH]) expect(months.has(m), h.id).toBe(true);
      }
    }
  });
});

describe("demo county: the files", () => {
  const byName = new Map(FILES.map((f) => [f.name, f]));

  it("holds the member-level xlsx, the two income shapes, the three pushes and README.md", () => {
    expect(FILES.map((f) => `${f.name} ${f.kind}${f.kind === "csv" ? " " + f.encoding : ""}`)).toEqual([
      "西岭县防返贫监测对象信息_20261101.xlsx xlsx",
      "月度收入_西岭镇_南沟乡_202508-202610.csv csv gb18030",
      "月度收入_石门乡_202508-202610.xlsx xlsx",
      "医保_大额医疗费用推送_2026.csv csv utf8-bom",
      "应急管理_受灾户损失_2026.csv csv gb18030",
      "教育_学生资助_2026.xlsx xlsx",
      "README.md text",
    ]);
  });

  it("the committed fixtures/demo is exactly what generate --demo writes, and well under 1 MB", async () => {
    const dir = join(tmp(), "demo");
    const run = await runCli(["generate", "--demo", "--out", dir], { cwd: tmp() });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    const names = (await readdir(dir)).sort();
    expect((await readdir(FIXTURES)).sort()).toEqual(names);
    let total = 0;
    for (const name of names) {
      const fresh = await readFile(join(dir, name));
      expect(fresh.equals(await readFile(join(FIXTURES, name))), name).toBe(true);
      total += (await stat(join(FIXTURES, name))).size;
    }
    expect(total).toBeLessThan(500_000);
  });

  it("member-level export: merged title, 导出时间, grouping row, header on row 4, date cells, IDs as text, a 说明 sheet", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(FIXTURES, "西岭县防返贫监测对象信息_20261101.xlsx"));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["监测对象信息", "说明"]);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell("A1").value).toBe("西岭县防返贫监测对象信息表");
    expect(ws.getCell("AH1").isMerged).toBe(true);
    expect(ws.getCell("A2").value).toBe("导出时间：2026-11-01");
    expect(ws.getCell("B3").value).toBe("户基本情况");
    expect(ws.getCell("L3").isMerged).toBe(true);
    const header = (ws.getRow(4).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(["序号", "省", "市"]);
    const col = (name: string): number => header.indexOf(name) + 1;
    const first = ws.getRow(5);
    expect(first.getCell(col("出生日期")).value).toBeInstanceOf(Date);
    expect(typeof first.getCell(col("证件号码")).value).toBe("string");
    expect(typeof first.getCell(col("户编号")).value).toBe("string");
    expect(ws.rowCount).toBe(4 + COUNTY.households.reduce((s, h) => s + h.members.length, 0));
    const identified = COUNTY.households.findIndex((h) => h.identifiedDate !== "");
    const rowOf = 5 + COUNTY.households.slice(0, identified).reduce((s, h) => s + h.members.length, 0);
    const cell = ws.getRow(rowOf).getCell(col("识别监测时间")).value as Date;
    expect(cell.toISOString().slice(0, 10)).toBe(COUNTY.households[identified]!.identifiedDate);
  });

  it("long income CSV: GB18030, a title row, the header, household-months, a trailing 合计 row", async () => {
    const text = iconv.decode(await readFile(join(FIXTURES, "月度收入_西岭镇_南沟乡_202508-202610.csv")), "gb18030");
    const rows = text.split("\r\n").filter(Boolean);
    expect(rows[0]).toMatch(/^西岭县西岭镇、南沟乡2025年8月至2026年10月农户月度收入明细（单位：元）,{6}$/);
    expect(rows[1]).toBe("户编号,年月,工资性收入,生产经营性收入,财产性收入,转移性收入,生产经营性支出");
    expect(rows.at(-1)).toMatch(/^合计,,[-\d.]+,[-\d.]+,[-\d.]+,[-\d.]+,[-\d.]+$/);
    const inFile = COUNTY.households.filter((h) => h.village.township !== "石门乡");
    expect(rows).toHaveLength(3 + inFile.reduce((s, h) => s + h.income.length, 0));
  });

  it("wide income xlsx: 户编号 and 2025年8月 … 2026年10月, an empty cell for the missing month", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(FIXTURES, "月度收入_石门乡_202508-202610.xlsx"));
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toHaveLength(16);
    expect([header[0], header[1], header[15]]).toEqual(["户编号", "2025年8月", "2026年10月"]);
    const gap = COUNTY.plants.find((p) => p.household.income.length < 15)!.household;
    let found = false;
    ws.eachRow((row) => {
      if (row.getCell(1).value !== gap.id) return;
      found = true;
      expect(row.getCell(14).value).toBe(null); // 2026年8月
      expect(row.getCell(16).value).toBe(netCents(gap.income.at(-1)!) / 100);
    });
    expect(found).toBe(true);
  });

  it("医保 push: UTF-8 with BOM, by 身份证号 only, written =\"…\"; 应急管理 GB18030 by 户编号", async () => {
    const medical = await readFile(join(FIXTURES, "医保_大额医疗费用推送_2026.csv"));
    expect([...medical.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = medical.subarray(3).toString("utf8").split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("序号,姓名,身份证号,数据来源,就诊医院,结算日期,医疗总费用,报销合计,个人自付");
    expect(lines[1]).toMatch(/^1,[^,]+,"=""\d{17}[\dX]""",医保,[^,]+,\d{4}\/\d{1,2}\/\d{1,2},\d+\.\d\d,\d+\.\d\d,\d+\.\d\d$/);
    expect(lines.some((l) => l.includes("11200.00"))).toBe(true);
    const disaster = iconv.decode(await readFile(join(FIXTURES, "应急管理_受灾户损失_2026.csv")), "gb18030").split("\r\n");
    expect(disaster[0]).toBe("数据来源,户编号,事件类型,灾害名称,发生日期,损失金额（元）");
    expect(disaster.some((l) => /^应急管理,0137\d{11},灾害,[^,]+,2026-07-30,18000\.00$/.test(l))).toBe(true);
  });

  it("README.md documents every planted household with its expected status", () => {
    const readme = byName.get("README.md")!;
    expect(readme.kind).toBe("text");
    const text = readme.kind === "text" ? readme.text : "";
    for (const p of COUNTY.plants) expect(text).toContain(`| ${p.household.id} | ${p.household.village.township} ${p.household.village.village} | ${p.planted} | ${p.expected.status} |`);
  });
});

/** { year, month, day } of a YYYY-MM-DD text (as birthDateFromId gives them). */
function dateParts(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return { year, month, day };
}
