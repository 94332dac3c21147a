/**
 * The demo county (fixtures/demo): 西岭县 (a made-up county of 河北省 石家庄市), 3 townships, 12 villages, 204
 * households, income 2025-08 … 2026-10, written as a national-system member-level export, two income exports of
 * different shapes and three department pushes. Planted households hit every monitoring rule; every other household
 * is steady and not listed; the whole set is clean for the audit (Q001–Q018).
 */
import { formatMonth, monthOf } from "../model/month.js";
import { buildHousehold } from "./build.js";
import type { ExportFile, FileCell, SheetData } from "./files.js";
import {
  annualPerCapitaCents,
  formatCents,
  hasLabour,
  HouseholdFactory,
  netCents,
  type DepartmentPush,
  type GeneratedHousehold,
  type IncomeRecord,
  type MemberOptions,
  type Person,
} from "./household.js";
import { Random } from "./random.js";
import { buildHouseholdId, type County, type Village } from "./regions.js";
import { TRIGGER_ZH } from "../report/labels.js";
import type { Trigger } from "../rules/types.js";

/** The demo's county. */
export const DEMO_COUNTY: County = { province: "河北省", city: "石家庄市", county: "西岭县", code: "130137" };
/** First income month of the demo (15 months in all, so that the income-drop rule can look a year back). */
export const DEMO_FIRST_MONTH = monthOf(2025, 8);
/** Last income month of the demo: the period a scan of the demo uses. */
export const DEMO_LAST_MONTH = monthOf(2026, 10);
/** The export date printed in the title rows. */
export const DEMO_EXPORT_DATE = "2026-11-01";

const TOWNSHIPS: readonly { name: string; code: string; villages: readonly [string, number][] }[] = [
  { name: "西岭镇", code: "101", villages: [["东岭村", 18], ["西沟村", 17], ["南台村", 16], ["北庄村", 17]] },
  { name: "南沟乡", code: "201", villages: [["南沟村", 17], ["杨家庄村", 16], ["石槽村", 18], ["柳树湾村", 17]] },
  { name: "石门乡", code: "202", villages: [["石门村", 17], ["上庄村", 16], ["下庄村", 17], ["马家峪村", 18]] },
];
/** Townships whose income comes as the GB18030 long CSV; the others as the wide xlsx. */
const LONG_CSV_TOWNSHIPS = ["西岭镇", "南沟乡"];

/** The expected verdict of a scan with the built-in policy (L 6000, V 4000, Y 7200) for period 2026-10. */
export interface Expected {
  /** 新识别 / 持续监测 / 建议消除, or 不列入 (not listed). */
  status: "新识别" | "持续监测" | "建议消除" | "不列入";
  suggested: string;
  colour: "红" | "橙" | "黄" | "绿" | "";
  triggers: string;
  currentStreak: number;
  note: string;
}

interface PlannedEvent {
  source: DepartmentPush["source"];
  date: string;
  total?: number;
  reimbursed?: number;
  selfPaid?: number;
  loss?: number;
  eventType?: DepartmentPush["eventType"];
}

interface Plant {
  township: number;
  village: number;
  sequence: number;
  planted: string;
  householdType: "脱贫户" | "一般农户";
  size: number;
  memberOptions?: MemberOptions;
  /** Builds special members instead of drawing them. */
  members?: (f: HouseholdFactory, id: string) => Person[];
  /** Per-capita net income (yuan) of each month 2025-08 … 2026-10; null = no record. */
  pc: readonly (number | null)[];
  /** Components in whole yuan, so that their sum is exact in binary floating point (the at-the-line case). */
  wholeYuan?: boolean;
  monitoring?: { category: string; identified: string; eliminated?: string; method?: "帮扶消除" | "自然消除" };
  risks?: string[];
  selfPaid?: number;
  events?: PlannedEvent[];
  /** Whose ID the 医保 / 教育 pushes carry (member index). */
  eventPerson?: number;
  expected: Expected;
}

/** A comfortable, seasonal per-capita series around `base` yuan a month (never below 0.85 × base). */
function steady(base: number): number[] {
  const f = [0.95, 1.05, 1.1, 1.0, 0.9, 1.2, 1.15, 0.85, 0.9, 0.95, 1.0, 0.95, 0.95, 1.05, 1.1];
  return f.map((x) => Math.round(base * x));
}

const none: Omit<Expected, "status" | "note"> = { suggested: "", colour: "", triggers: "", currentStreak: 0 };

/** The planted households, in 户编号 order. */
const PLANTS: readonly Plant[] = [
  {
    township: 0, village: 0, sequence: 3, planted: "连续3个月低收入（2026-08至2026-10），2026-07不低", householdType: "一般农户", size: 3,
    pc: [780, 790, 800, 900, 850, 1100, 1050, 820, 860, 900, 940, 620, 420, 380, 450],
    expected: { status: "新识别", suggested: "突发严重困难户", colour: "黄", triggers: "STREAK", currentStreak: 3, note: "年收入在监测线以上，仅连续低收入" },
  },
  {
    township: 0, village: 0, sequence: 9, planted: "只有2个月连续低收入（不预警）", householdType: "一般农户", size: 4,
    pc: [800, 820, 840, 950, 900, 1150, 1100, 870, 900, 950, 980, 1000, 520, 470, 460],
    expected: { status: "不列入", ...none, currentStreak: 2, note: "连续2个月 < 3" },
  },
  {
    township: 0, village: 1, sequence: 5, planted: "2026-08人均纯收入恰好等于月监测标准500元（不算低），其后2个月低", householdType: "一般农户", size: 4,
    pc: [800, 820, 840, 950, 900, 1150, 1100, 870, 900, 950, 980, 1000, 500, 450, 440], wholeYuan: true,
    expected: { status: "不列入", ...none, currentStreak: 2, note: "500.00 不小于 500，故连续低收入只有2个月；若按 ≤ 判断会误报" },
  },
  {
    township: 0, village: 2, sequence: 7, planted: "脱贫户，年人均纯收入低于监测线，无连续3个月低收入", householdType: "脱贫户", size: 3,
    pc: [480, 470, 520, 450, 440, 520, 430, 460, 510, 440, 450, 505, 430, 420, 515],
    expected: { status: "新识别", suggested: "脱贫不稳定户", colour: "橙", triggers: "", currentStreak: 0, note: "年化5,570元 < 6,000" },
  },
  {
    township: 0, village: 3, sequence: 2, planted: "一般农户，年人均纯收入低于监测线", householdType: "一般农户", size: 2,
    pc: [520, 510, 500, 480, 520, 470, 510, 460, 505, 470, 490, 510, 480, 470, 505],
    expected: { status: "新识别", suggested: "边缘易致贫户", colour: "橙", triggers: "", currentStreak: 0, note: "年化5,870元 < 6,000" },
  },
  {
    township: 0, village: 3, sequence: 11, planted: "收入在线上，医保按证件号码推送大额自付（11,200 + 3,500 元）", householdType: "一般农户", size: 3,
    memberOptions: { headHealth: "患有大病" }, pc: steady(1000), eventPerson: 0,
    events: [
      { source: "医保", date: "2026-03-12", total: 3_680_000, reimbursed: 2_560_000, selfPaid: 1_120_000 },
      { source: "医保", date: "2026-08-21", total: 985_000, reimbursed: 635_000, selfPaid: 350_000 },
    ],
    expected: { status: "新识别", suggested: "突发严重困难户", colour: "黄", triggers: "MEDICAL", currentStreak: 0, note: "近12月医疗自付14,700元 ≥ 10,000（按证件号码经成员表匹配）" },
  },
  {
    township: 1, village: 0, sequence: 4, planted: "无医保推送，仅户表合规自付支出12,000元", householdType: "一般农户", size: 3,
    memberOptions: { headHealth: "长期慢性病" }, pc: steady(950), selfPaid: 1_200_000,
    expected: { status: "新识别", suggested: "突发严重困难户", colour: "黄", triggers: "MEDICAL", currentStreak: 0, note: "窗口内无医疗事件，用合规自付支出" },
  },
  {
    township: 1, village: 1, sequence: 6, planted: "应急管理按户编号推送灾害损失18,000元（2026-07暴雨）", householdType: "一般农户", size: 4,
    pc: steady(1000), events: [{ source: "应急管理", date: "2026-07-30", loss: 1_800_000, eventType: "灾害" }],
    expected: { status: "新识别", suggested: "突发严重困难户", colour: "黄", triggers: "DISASTER", currentStreak: 0, note: "" },
  },
  {
    township: 1, village: 2, sequence: 8, planted: "收入下降过半：2026-08至10月比上年同期减少56.09%", householdType: "一般农户", size: 4,
    memberOptions: { requireLabour: true },
    pc: [1400, 1450, 1500, 1300, 1250, 1500, 1450, 1200, 1250, 1300, 1300, 1280, 620, 640, 650],
    expected: { status: "新识别", suggested: "突发严重困难户", colour: "黄", triggers: "INCOME_DROP", currentStreak: 0, note: "收入降幅 = 1 − 1,910/4,350" },
  },
  {
    township: 1, village: 3, sequence: 3, planted: "监测户，收入稳定13个月以上，应建议消除", householdType: "一般农户", size: 3,
    memberOptions: { requireLabour: true }, pc: steady(800),
    monitoring: { category: "边缘易致贫户", identified: "2025-09-15" }, risks: ["因务工就业不稳"],
    expected: { status: "建议消除", ...none, colour: "绿", note: "识别于2025-09，近6个月每月人均 ≥ 500，年化 ≥ 6,000" },
  },
  {
    township: 1, village: 3, sequence: 9, planted: "脱贫户，无劳动能力兜底保障户（整户无劳动能力兜底保障户=是），收入稳定", householdType: "脱贫户", size: 2,
    memberOptions: { elderlyNoLabour: true },
    pc: [650, 660, 660, 650, 660, 700, 680, 650, 650, 660, 660, 650, 660, 660, 670],
    monitoring: { category: "脱贫不稳定户", identified: "2024-03-10" }, risks: ["缺劳动力"],
    expected: { status: "持续监测", ...none, colour: "绿", note: "无劳动能力户暂不消除" },
  },
  {
    township: 1, village: 0, sequence: 12, planted: "已消除风险（2025-06帮扶消除）的脱贫户又连续6个月低收入、年收入低于线", householdType: "脱贫户", size: 4,
    memberOptions: { requireLabour: true },
    pc: [560, 540, 520, 520, 510, 530, 505, 515, 520, 480, 470, 490, 430, 420, 410],
    monitoring: { category: "脱贫不稳定户", identified: "2024-05-08", eliminated: "2025-06-20", method: "帮扶消除" }, risks: ["因务工就业不稳"],
    expected: { status: "新识别", suggested: "脱贫不稳定户", colour: "红", triggers: "STREAK", currentStreak: 6, note: "当前监测类别为空（已消除）；年化5,800元，橙再因连续低收入升为红" },
  },
  {
    township: 0, village: 2, sequence: 14, planted: "医保推送早于窗口（2025-09，15,000元自付），不计", householdType: "一般农户", size: 3,
    memberOptions: { headHealth: "长期慢性病" }, pc: steady(1000), eventPerson: 0,
    events: [{ source: "医保", date: "2025-09-20", total: 5_200_000, reimbursed: 3_700_000, selfPaid: 1_500_000 }],
    expected: { status: "不列入", ...none, note: "窗口为2025-11至2026-10" },
  },
  {
    township: 2, village: 0, sequence: 4, planted: "教育支出8,000元（低于10,000元，但 ≥ 家庭年纯收入15,000元的50%）", householdType: "一般农户", size: 2,
    members: (f, id) => {
      const head = f.person(id, DEMO_COUNTY.code, 0, "户主", false, 47, "郭", "健康");
      head.labourSkill = "普通劳动力";
      head.workMonths = 10;
      const son = f.person(id, DEMO_COUNTY.code, 1, "之子", true, 19, "郭", "健康");
      son.studentStatus = "本科及以上";
      son.labourSkill = "无劳动力";
      son.workMonths = 0;
      return [head, son];
    },
    pc: [640, 610, 650, 600, 650, 625, 625, 610, 640, 625, 625, 620, 630, 625, 625], eventPerson: 1,
    events: [{ source: "教育", date: "2026-09-05", selfPaid: 800_000 }],
    expected: { status: "新识别", suggested: "突发严重困难户", colour: "黄", triggers: "EDUCATION", currentStreak: 0, note: "年化7,500元 × 2人 × 0.5 = 7,500 ≤ 8,000" },
  },
  {
    township: 2, village: 1, sequence: 5, planted: "监测户，收入稳定但识别不满6个月（2026-05识别）", householdType: "脱贫户", size: 4,
    memberOptions: { requireLabour: true }, pc: steady(850),
    monitoring: { category: "脱贫不稳定户", identified: "2026-05-20" }, risks: ["因务工就业不稳"],
    expected: { status: "持续监测", ...none, colour: "绿", note: "2026-10 − 2026-05 = 5 < 6，暂不消除" },
  },
  {
    township: 2, village: 1, sequence: 12, planted: "边缘易致贫户监测中，医保大额自付12,300元，建议类别变为突发严重困难户", householdType: "一般农户", size: 3,
    memberOptions: { requireLabour: true, headHealth: "长期慢性病" }, pc: steady(760), selfPaid: 300_000, eventPerson: 0,
    monitoring: { category: "边缘易致贫户", identified: "2025-06-18" }, risks: ["因病"],
    events: [{ source: "医保", date: "2026-04-09", total: 4_150_000, reimbursed: 2_920_000, selfPaid: 1_230_000 }],
    expected: { status: "持续监测", suggested: "突发严重困难户", colour: "黄", triggers: "MEDICAL", currentStreak: 0, note: "类别变化: 边缘易致贫户→突发严重困难户" },
  },
  {
    township: 2, village: 2, sequence: 7, planted: "低收入中间缺2026-08月记录（宽表空单元格）：缺月中断连续", householdType: "一般农户", size: 3,
    pc: [600, 620, 640, 520, 470, 530, 460, 510, 480, 505, 470, 440, null, 450, 430],
    expected: { status: "新识别", suggested: "边缘易致贫户", colour: "橙", triggers: "", currentStreak: 2, note: "记录11个月，年化5,743.64元；若把空格当0则连续5个月并升为红" },
  },
  {
    township: 2, village: 3, sequence: 3, planted: "脱贫不稳定户监测中，收入仍低于线（类别不变）", householdType: "脱贫户", size: 3,
    memberOptions: { requireLabour: true },
    pc: [500, 520, 510, 470, 520, 480, 510, 470, 515, 460, 505, 470, 520, 480, 515],
    monitoring: { category: "脱贫不稳定户", identified: "2025-03-12" }, risks: ["因产业项目失败"],
    expected: { status: "持续监测", suggested: "脱贫不稳定户", colour: "橙", triggers: "", currentStreak: 0, note: "年化5,915元" },
  },
  {
    township: 2, village: 3, sequence: 10, planted: "一般农户，全年人均低于贫困线4,000元，12个月连续低收入", householdType: "一般农户", size: 1,
    pc: [320, 310, 330, 300, 290, 340, 320, 280, 300, 310, 290, 300, 310, 300, 290],
    expected: { status: "新识别", suggested: "边缘易致贫户", colour: "红", triggers: "STREAK", currentStreak: 12, note: "年化3,630元 < 4,000" },
  },
];

/** A planted household with its 户编号 and expectation. */
export interface PlantedHousehold {
  household: GeneratedHousehold;
  planted: string;
  expected: Expected;
}

/** The demo county as data: every household in 户编号 order, and the planted ones. */
export interface DemoCounty {
  households: GeneratedHousehold[];
  plants: PlantedHousehold[];
}

function villageOf(t: number, v: number): Village {
  const township = TOWNSHIPS[t]!;
  const [name] = township.villages[v]!;
  return { ...DEMO_COUNTY, township: township.name, village: name, villageCode: DEMO_COUNTY.code + township.code + String(201 + v) };
}

/** Income records with every component in whole yuan (net unchanged: it already is whole yuan). */
function wholeYuan(r: IncomeRecord): IncomeRecord {
  const net = netCents(r);
  const y = (c: number): number => Math.round(c / 100) * 100;
  const out = { ...r, business: y(r.business), property: y(r.property), transfer: y(r.transfer), expense: y(r.expense) };
  out.wage = net - (out.business + out.property + out.transfer - out.expense);
  if (out.wage < 0) {
    out.business += out.wage;
    out.wage = 0;
  }
  return out;
}

function buildPlant(factory: HouseholdFactory, village: Village, sequence: number, plant: Plant): GeneratedHousehold {
  const id = buildHouseholdId(village, sequence);
  const members = plant.members ? plant.members(factory, id) : factory.members(id, DEMO_COUNTY.code, plant.size, plant.memberOptions);
  const noLabour = !members.some(hasLabour);
  const dibao = plant.memberOptions?.elderlyNoLabour === true;
  if (dibao) for (const p of members) p.dibao = true;
  let income = factory.incomeFromPerCapita(members, plant.pc.map((v) => (v === null ? Number.NaN : v)), dibao);
  if (plant.wholeYuan) income = income.map(wholeYuan);
  const person = members[plant.eventPerson ?? 0]!;
  const events: DepartmentPush[] = (plant.events ?? []).map((e) => ({
    source: e.source,
    householdId: e.source === "医保" ? "" : id,
    idNumber: e.source === "应急管理" ? "" : person.idNumber,
    personName: e.source === "应急管理" ? "" : person.name,
    eventType: e.eventType ?? (e.source === "医保" ? "医疗" : e.source === "教育" ? "教育" : "灾害"),
    date: e.date,
    total: e.total,
    reimbursed: e.reimbursed,
    selfPaid: e.selfPaid,
    loss: e.loss,
  }));
  const m = plant.monitoring;
  return {
    id,
    village,
    householdType: plant.householdType,
    category: m?.category ?? "",
    identifiedDate: m?.identified ?? "",
    riskEliminated: m ? (m.eliminated ? "是" : "否") : "",
    eliminatedDate: m?.eliminated ?? "",
    eliminationMethod: m?.method ?? "",
    risks: plant.risks ?? [],
    annualPcCents: annualPerCapitaCents(income, members.length),
    compliantSelfPaidCents: plant.selfPaid ?? 0,
    noLabour,
    members,
    income,
    events,
  };
}

/** Builds the demo county (always the same: fixed seed). */
export function buildDemoCounty(): DemoCounty {
  const factory = new HouseholdFactory(new Random(20261101), DEMO_LAST_MONTH, DEMO_LAST_MONTH - DEMO_FIRST_MONTH + 1);
  const households: GeneratedHousehold[] = [];
  const plants: PlantedHousehold[] = [];
  TOWNSHIPS.forEach((township, t) => {
    township.villages.forEach(([, count], v) => {
      const village = villageOf(t, v);
      for (let sequence = 1; sequence <= count; sequence++) {
        const plant = PLANTS.find((p) => p.township === t && p.village === v && p.sequence === sequence);
        if (plant) {
          const household = buildPlant(factory, village, sequence, plant);
          households.push(household);
          plants.push({ household, planted: plant.planted, expected: plant.expected });
        } else {
          households.push(buildHousehold(factory, village, sequence, { profile: "steady", allowMonitored: false, eventRate: 0.6, smallEventsOnly: true }));
        }
      }
    });
  });
  addSmallPushes(factory, households);
  plants.sort((a, b) => (a.household.id < b.household.id ? -1 : 1));
  return { households, plants };
}

/** A few small 应急管理 and 教育 pushes on ordinary households (far below any threshold), as real pushes have. */
function addSmallPushes(factory: HouseholdFactory, households: GeneratedHousehold[]): void {
  const rng = factory.rng;
  const ordinary = households.filter((h) => h.events.length === 0 && h.category === "" && h.members.length >= 2);
  for (let i = 0; i < 2; i++) {
    const h = ordinary[rng.int(0, ordinary.length - 1)]!;
    h.events.push({ source: "应急管理", householdId: h.id, idNumber: "", personName: "", eventType: "灾害", date: i === 0 ? "2026-06-12" : "2026-07-31", loss: rng.int(8, 15) * 10_000 });
  }
  const students = ordinary.filter((h) => h.events.length === 0 && h.members.some((p) => ["高中", "中职", "高职", "本科及以上"].includes(p.studentStatus)));
  for (const h of students.slice(0, 3)) {
    const s = h.members.find((p) => ["高中", "中职", "高职", "本科及以上"].includes(p.studentStatus))!;
    h.events.push({ source: "教育", householdId: h.id, idNumber: s.idNumber, personName: s.name, eventType: "教育", date: "2026-09-01", selfPaid: rng.int(6, 15) * 10_000 });
  }
}

// ---- the files ---------------------------------------------------------------------------------------------------

const HOSPITALS = ["西岭县人民医院", "西岭县中医院", "石家庄市第一医院", "河北医科大学第二医院"];
const MEMBER_EXPORT_GROUPS: readonly [string, number][] = [["", 1], ["户基本情况", 11], ["家庭成员情况", 12], ["监测信息", 8], ["收入情况", 2]];
const MEMBER_EXPORT_HEADERS = [
  "序号", "省", "市", "县", "乡", "村", "行政区划代码", "户编号", "户主姓名", "户主证件号码", "户类型", "家庭人口数",
  "人口编号", "姓名", "证件号码", "与户主关系", "性别", "出生日期", "健康状况", "劳动技能", "在校生状况", "务工时间（月）", "是否享受低保", "是否特困供养人员",
  "监测对象类别", "识别监测时间", "风险是否已消除", "风险消除时间", "风险消除方式", "致贫/返贫风险1", "致贫/返贫风险2", "整户无劳动能力兜底保障户",
  "人均纯收入（元）", "合规自付支出（元）",
];

/** Spreadsheet column letters of a 1-based index (1 → A, 27 → AA). */
export function columnLetter(index: number): string {
  let s = "";
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const dateCell = (date: string): FileCell => (date === "" ? null : { date, numFmt: "yyyy-mm-dd" });
const yesNo = (b: boolean): string => (b ? "是" : "否");
const text = (s: string): FileCell => (s === "" ? null : s);

/** The member-level national-system export: title, export date, grouping row, header, one row per person; 说明. */
function memberExport(county: DemoCounty): ExportFile {
  const n = MEMBER_EXPORT_HEADERS.length;
  const last = columnLetter(n);
  const rows: FileCell[][] = [[`${DEMO_COUNTY.county}防返贫监测对象信息表`], [`导出时间：${DEMO_EXPORT_DATE}`]];
  const groupRow: FileCell[] = [];
  const merges = [`A1:${last}1`, "A2:F2"];
  let col = 1;
  for (const [label, span] of MEMBER_EXPORT_GROUPS) {
    groupRow.push(label === "" ? null : label, ...new Array<FileCell>(span - 1).fill(null));
    if (span > 1 && label !== "") merges.push(`${columnLetter(col)}3:${columnLetter(col + span - 1)}3`);
    col += span;
  }
  rows.push(groupRow, [...MEMBER_EXPORT_HEADERS]);
  let serial = 0;
  for (const h of county.households) {
    const v = h.village;
    const head = h.members[0]!;
    for (const p of h.members) {
      rows.push([
        ++serial, v.province, v.city, v.county, v.township, v.village, v.villageCode, h.id, head.name, head.idNumber, h.householdType, h.members.length,
        p.personId, p.name, p.idNumber, p.relation, p.sex, dateCell(p.birthDate), p.health, p.labourSkill, p.studentStatus, p.workMonths, yesNo(p.dibao), yesNo(p.tekun),
        text(h.category), dateCell(h.identifiedDate), text(h.riskEliminated), text(h.eliminatedDate), text(h.eliminationMethod), text(h.risks[0] ?? ""), text(h.risks[1] ?? ""), yesNo(h.noLabour),
        h.annualPcCents / 100, h.compliantSelfPaidCents / 100,
      ]);
    }
  }
  const widths = MEMBER_EXPORT_HEADERS.map((hd) => (/证件号码|人口编号|户编号|行政区划代码/.test(hd) ? 21 : Math.max(8, hd.length * 2 + 2)));
  const sheet: SheetData = { name: "监测对象信息", rows, merges, widths, numFmts: { 32: "0.00", 33: "0.00" } };
  const notes: SheetData = {
    name: "说明",
    rows: [
      ["填表说明"],
      ["1. 本表自全国防返贫监测信息系统导出，每名家庭成员一行，户信息在同户各成员行重复。"],
      ["2. 证件号码、户编号为文本格式，请勿改为数值，否则末位会丢失。"],
      [`3. 收入为${formatMonth(DEMO_LAST_MONTH).slice(0, 4)}年度系统数据，月度收入另见各乡镇月度收入表。`],
    ],
    widths: [90],
  };
  return { name: `${DEMO_COUNTY.county}防返贫监测对象信息_20261101.xlsx`, kind: "xlsx", sheets: [sheet, notes] };
}

function incomeTownship(h: GeneratedHousehold): boolean {
  return LONG_CSV_TOWNSHIPS.includes(h.village.township);
}

/** Income of the long-CSV townships: a title row, the header, household-months, a trailing 合计 row (GB18030). */
function longIncomeCsv(county: DemoCounty): ExportFile {
  const headers = ["户编号", "年月", "工资性收入", "生产经营性收入", "财产性收入", "转移性收入", "生产经营性支出"];
  const title = `${DEMO_COUNTY.county}${LONG_CSV_TOWNSHIPS.join("、")}2025年8月至2026年10月农户月度收入明细（单位：元）`;
  const rows: string[][] = [[title, ...new Array<string>(headers.length - 1).fill("")], headers];
  const sums = [0, 0, 0, 0, 0];
  for (const h of county.households.filter(incomeTownship)) {
    for (const r of h.income) {
      const parts = [r.wage, r.business, r.property, r.transfer, r.expense];
      parts.forEach((c, i) => (sums[i]! += c));
      rows.push([h.id, formatMonth(r.month), ...parts.map(formatCents)]);
    }
  }
  rows.push(["合计", "", ...sums.map(formatCents)]);
  return { name: `月度收入_${LONG_CSV_TOWNSHIPS.join("_")}_202508-202610.csv`, kind: "csv", encoding: "gb18030", rows };
}

/** Income of the other township as a wide sheet: 户编号 and one 纯收入 column per month (empty = no record). */
function wideIncomeXlsx(county: DemoCounty): ExportFile {
  const months: number[] = [];
  for (let m = DEMO_FIRST_MONTH; m <= DEMO_LAST_MONTH; m++) months.push(m);
  const label = (m: number): string => `${Math.floor(m / 12)}年${(m % 12) + 1}月`;
  const rows: FileCell[][] = [["户编号", ...months.map(label)]];
  const townships = TOWNSHIPS.map((t) => t.name).filter((t) => !LONG_CSV_TOWNSHIPS.includes(t));
  for (const h of county.households.filter((x) => !incomeTownship(x))) {
    const byMonth = new Map(h.income.map((r) => [r.month, netCents(r)]));
    rows.push([h.id, ...months.map((m) => (byMonth.has(m) ? byMonth.get(m)! / 100 : null))]);
  }
  const numFmts: Record<number, string> = {};
  months.forEach((_, i) => (numFmts[i + 1] = "0.00"));
  return {
    name: `月度收入_${townships.join("_")}_202508-202610.xlsx`,
    kind: "xlsx",
    sheets: [{ name: `${townships.join("")}月度纯收入`, rows, numFmts, widths: [20, ...months.map(() => 12)] }],
  };
}

function pushesOf(county: DemoCounty, source: DepartmentPush["source"]): DepartmentPush[] {
  const all = county.households.flatMap((h) => h.events.filter((e) => e.source === source));
  return all.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.idNumber < b.idNumber ? -1 : 1));
}

/** "2026/3/12" as 医保 settlement systems print dates. */
function slashDate(date: string): string {
  const [y, m, d] = date.split("-");
  return `${y}/${Number(m)}/${Number(d)}`;
}

/** 医保 push: by ID number only (="…" keeps it text in Excel), UTF-8 with BOM. */
function medicalCsv(county: DemoCounty): ExportFile {
  const rows: string[][] = [["序号", "姓名", "身份证号", "数据来源", "就诊医院", "结算日期", "医疗总费用", "报销合计", "个人自付"]];
  pushesOf(county, "医保").forEach((e, i) => {
    rows.push([String(i + 1), e.personName, `="${e.idNumber}"`, "医保", HOSPITALS[i % HOSPITALS.length]!, slashDate(e.date), formatCents(e.total!), formatCents(e.reimbursed!), formatCents(e.selfPaid!)]);
  });
  return { name: "医保_大额医疗费用推送_2026.csv", kind: "csv", encoding: "utf8-bom", rows };
}

/** 应急管理 push: by 户编号, 损失金额, GB18030. */
function disasterCsv(county: DemoCounty): ExportFile {
  const rows: string[][] = [["数据来源", "户编号", "事件类型", "灾害名称", "发生日期", "损失金额（元）"]];
  for (const e of pushesOf(county, "应急管理")) {
    rows.push(["应急管理", e.householdId, e.eventType, e.date >= "2026-07-01" ? "7·30暴雨洪涝" : "6·12冰雹", e.date, formatCents(e.loss!)]);
  }
  return { name: "应急管理_受灾户损失_2026.csv", kind: "csv", encoding: "gb18030", rows };
}

/** 教育 push: by 户编号 with the student, 自付金额, xlsx. */
function educationXlsx(county: DemoCounty): ExportFile {
  const rows: FileCell[][] = [["数据来源", "户编号", "学生姓名", "就读学段", "发生日期", "自付金额"]];
  for (const e of pushesOf(county, "教育")) {
    const household = county.households.find((h) => h.id === e.householdId)!;
    const student = household.members.find((p) => p.idNumber === e.idNumber)!;
    rows.push(["教育", e.householdId, e.personName, student.studentStatus, e.date, e.selfPaid! / 100]);
  }
  return { name: "教育_学生资助_2026.xlsx", kind: "xlsx", sheets: [{ name: "学生资助", rows, numFmts: { 5: "0.00" }, widths: [10, 20, 10, 12, 12, 12] }] };
}

/** fixtures/demo/README.md: the files, their shapes, and the planted households with the expected verdicts. */
export function buildDemoReadme(county: DemoCounty, files: readonly ExportFile[]): string {
  const lines: string[] = [];
  const listed = county.plants.filter((p) => p.expected.status !== "不列入").length;
  lines.push(
    "# Demo county 西岭县 (fixtures/demo)",
    "",
    "Made-up data: 西岭县 is a fictional county (code 130137) of 河北省 石家庄市; names and ID numbers are generated",
    "(the ID numbers have valid check digits but belong to no one). Regenerate with `npm run fixtures` or",
    "`povwatch generate --demo --out fixtures/demo`; the output is byte-identical every time.",
    "",
    `${county.households.length} households, ${county.households.reduce((s, h) => s + h.members.length, 0)} persons, 3 townships, 12 villages,`,
    "monthly income 2025-08 … 2026-10 (15 months). Scan with `povwatch scan fixtures/demo --period 2026-10`.",
    "",
    "## Files",
    "",
    "| file | what it is | shape |",
    "| --- | --- | --- |",
  );
  const describe: Record<string, [string, string]> = {
    xlsx0: ["national-system member-level export (households + members)", "sheet 监测对象信息: title row merged across the sheet, 导出时间 row, grouping row (户基本情况 / 家庭成员情况 / 监测信息 / 收入情况), header on row 4; household columns repeated on every member row; 出生日期 and 识别监测时间 are Excel date cells; ID numbers and 户编号 are text. Sheet 说明 is free text (skipped as unrecognised)"],
    csv0: ["monthly income of 西岭镇 and 南沟乡 (long layout)", "GB18030, CRLF; one title row, header on row 2, one row per household-month, trailing 合计 row"],
    xlsx1: ["monthly income of 石门乡 (wide layout)", "户编号 + columns 2025年8月 … 2026年10月 holding 纯收入; an empty cell is a month without a record"],
    csv1: ["医保 push (large medical bills)", "UTF-8 with BOM; by 身份证号 only (written =\"…\"), 结算日期 as 2026/3/12, 医疗总费用 / 报销合计 / 个人自付"],
    csv2: ["应急管理 push (disaster losses)", "GB18030; by 户编号, 事件类型 灾害, 损失金额（元）"],
    xlsx2: ["教育 push (schooling costs)", "by 户编号 with the student's name, 自付金额"],
  };
  const seen = { csv: 0, xlsx: 0 };
  for (const f of files) {
    if (f.kind === "text") continue;
    const [what, shape] = describe[`${f.kind}${seen[f.kind]++}`]!;
    lines.push(`| ${f.name} | ${what} | ${shape} |`);
  }
  lines.push(
    "",
    "## Planted households",
    "",
    "Expected verdicts of `povwatch scan fixtures/demo --period 2026-10` with the built-in policy (monitoring line",
    "L = 6,000, monthly line 500, poverty line V = 4,000, yellow line Y = 7,200). The window is 2025-11 … 2026-10.",
    `Exactly the ${listed} households below marked with a status are listed; every other household of the county is`,
    "steady (every month above 500 yuan per person, no large expense, not currently monitored) and is not listed.",
    "`povwatch check fixtures/demo` finds nothing (Q001–Q018).",
    "",
    "| 户编号 | 乡 / 村 | planted | 状态 | 当前监测类别 | 建议监测类别 | 风险等级 | 预警信号 | 连续低收入月数 | 年化人均纯收入 | note |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const p of county.plants) {
    const h = p.household;
    const e = p.expected;
    const current = h.riskEliminated === "否" ? h.category : "";
    const triggers = e.triggers === "" ? "" : e.triggers.split(",").map((t) => `${TRIGGER_ZH[t as Trigger]} ${t}`).join("；");
    lines.push(
      `| ${h.id} | ${h.village.township} ${h.village.village} | ${p.planted} | ${e.status} | ${current} | ${e.suggested} | ${e.colour} | ${triggers} | ${e.currentStreak} | ${formatYuan(windowAnnualPc(h))} | ${e.note} |`,
    );
  }
  lines.push("");
  return lines.join("\n");
}

/** annualPc of rules.md §4 over the window 2025-11 … 2026-10 (Σ monthly pc × 12 / recorded months). */
export function windowAnnualPc(h: GeneratedHousehold): number {
  let sum = 0;
  let recorded = 0;
  for (const r of h.income) {
    if (r.month < DEMO_LAST_MONTH - 11 || r.month > DEMO_LAST_MONTH) continue;
    sum += netCents(r) / 100 / h.members.length;
    recorded++;
  }
  return (sum * 12) / recorded;
}

/** "5,743.64": 2 decimals with thousands separators (locale-independent). */
function formatYuan(v: number): string {
  const [int, dec] = v.toFixed(2).split(".");
  return `${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${dec}`;
}

/** Every file of fixtures/demo, README.md last. */
export function buildDemoFiles(county: DemoCounty = buildDemoCounty()): ExportFile[] {
  const files: ExportFile[] = [memberExport(county), longIncomeCsv(county), wideIncomeXlsx(county), medicalCsv(county), disasterCsv(county), educationXlsx(county)];
  files.push({ name: "README.md", kind: "text", text: buildDemoReadme(county, files) });
  return files;
}
