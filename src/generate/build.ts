/**
 * The generic household: draws size, type, members, an income profile, monitoring attributes that agree with the
 * members (no audit finding by construction) and the department pushes of one household.
 */
import {
  annualPerCapitaCents,
  hasLabour,
  type DepartmentPush,
  type GeneratedHousehold,
  type HouseholdFactory,
  type IncomeProfile,
  type Person,
} from "./household.js";
import { buildHouseholdId, type Village } from "./regions.js";

/** What kind of household to build. */
export interface BuildOptions {
  /** Force a profile instead of drawing one. */
  profile?: IncomeProfile;
  /** Allow currently monitored households (the demo's ordinary households are never currently monitored). */
  allowMonitored?: boolean;
  /** Probability of each department push; 0 switches pushes off. */
  eventRate?: number;
  /** Keep 医保 amounts small (self-paid ≤ 2,000 yuan) so that they trigger nothing. */
  smallEventsOnly?: boolean;
}

/** Risks that need a member with labour, and risks that need none. */
const LABOUR_RISKS = ["因务工就业不稳", "因产业项目失败"];
const OTHER_RISKS = ["因自然灾害", "因意外事故", "因安全住房", "其他"];

/** Draws the income profile: ~8 % vulnerable, ~3 % low streak at the end, ~2 % income drop (15+ months). */
function drawProfile(factory: HouseholdFactory): IncomeProfile {
  const k = factory.rng.weighted([87, 8, 3, factory.monthCount >= 15 ? 2 : 0]);
  return (["comfortable", "vulnerable", "streak", "drop"] as const)[k]!;
}

/** A month integer → YYYY-MM-DD on a random day. */
function dateOf(factory: HouseholdFactory, month: number): string {
  return factory.dateIn(month);
}

/** Builds the household numbered `sequence` inside `village`. */
export function buildHousehold(factory: HouseholdFactory, village: Village, sequence: number, options: BuildOptions = {}): GeneratedHousehold {
  const rng = factory.rng;
  const id = buildHouseholdId(village, sequence);
  const householdType = rng.chance(0.4) ? "脱贫户" : "一般农户";
  const size = factory.drawSize();
  const members = factory.members(id, village.code, size);
  const profile = options.profile ?? drawProfile(factory);
  const noLabour = !members.some(hasLabour);

  const dibao = rng.chance((profile === "vulnerable" ? 0.25 : 0.03) + (householdType === "脱贫户" ? 0.05 : 0));
  if (dibao) for (const p of members) p.dibao = true;
  if (size === 1 && noLabour && members[0]!.age >= 60 && rng.chance(0.5)) members[0]!.tekun = true;

  const perCapita = factory.perCapitaSeries(profile);
  const income = factory.incomeFromPerCapita(members, perCapita, dibao);
  const annualPcCents = annualPerCapitaCents(income, size);

  const h: GeneratedHousehold = {
    id,
    village,
    householdType,
    category: "",
    identifiedDate: "",
    riskEliminated: "",
    eliminatedDate: "",
    eliminationMethod: "",
    risks: [],
    annualPcCents,
    compliantSelfPaidCents: 0,
    noLabour,
    members,
    income,
    events: [],
  };

  assignMonitoring(factory, h, profile, options.allowMonitored ?? true);
  assignSelfPaid(factory, h);
  const rate = options.eventRate ?? 1;
  if (rate > 0) h.events = drawPushes(factory, h, rate, options.smallEventsOnly ?? false);
  return h;
}

/**
 * ~8 % currently monitored (more among vulnerable incomes), ~4 % monitored earlier with the risk eliminated. A
 * household with no labour is never marked eliminated (audit Q013); elimination comes 6+ months after
 * identification (Q008).
 */
function assignMonitoring(factory: HouseholdFactory, h: GeneratedHousehold, profile: IncomeProfile, allowMonitored: boolean): void {
  const rng = factory.rng;
  const end = factory.lastMonth;
  const p = { comfortable: 0.04, steady: 0.04, vulnerable: 0.5, streak: 0.2, drop: 0.1 }[profile];
  const affordable = h.annualPcCents < 1_800_000;
  let state: "none" | "monitored" | "eliminated" = "none";
  if (allowMonitored && affordable && rng.chance(p)) state = "monitored";
  else if (affordable && (profile === "comfortable" || profile === "steady") && rng.chance(0.045)) state = h.noLabour ? (allowMonitored ? "monitored" : "none") : "eliminated";
  if (state === "none") return;

  const sudden = rng.chance(0.15);
  h.category = sudden ? "突发严重困难户" : h.householdType === "脱贫户" ? "脱贫不稳定户" : "边缘易致贫户";
  h.risks = drawRisks(factory, h.members);
  if (state === "monitored") {
    h.identifiedDate = dateOf(factory, end - rng.int(1, 40));
    h.riskEliminated = "否";
  } else {
    const identified = end - rng.int(14, 60);
    const eliminated = identified + rng.int(6, Math.min(36, end - 1 - identified));
    h.identifiedDate = dateOf(factory, identified);
    h.riskEliminated = "是";
    h.eliminatedDate = dateOf(factory, eliminated);
    h.eliminationMethod = rng.chance(0.75) ? "帮扶消除" : "自然消除";
  }
}

/** One or two 致贫/返贫风险 that agree with the members (Q009–Q011). */
function drawRisks(factory: HouseholdFactory, members: readonly Person[]): string[] {
  const rng = factory.rng;
  const options: string[] = [];
  if (members.some((p) => p.health.includes("患有大病") || p.health.includes("长期慢性病"))) options.push("因病");
  if (members.some((p) => p.health.includes("残疾"))) options.push("因残");
  if (members.some((p) => ["高中", "中职", "高职", "本科及以上"].includes(p.studentStatus))) options.push("因学");
  if (!members.some(hasLabour)) options.push("缺劳动力");
  else options.push(rng.pick(LABOUR_RISKS));
  options.push(rng.pick(OTHER_RISKS));
  const first = options[0]!;
  const risks = [first];
  if (options.length > 1 && rng.chance(0.45)) risks.push(options[1 + Math.floor(rng.next() * (options.length - 1))]!);
  return risks;
}

/**
 * 合规自付支出: 2,000–9,000 yuan for a 因病 household (Q009), a little for households with a sick member, mostly 0,
 * and always below a third of the household's annual net income so that it alone triggers nothing.
 */
function assignSelfPaid(factory: HouseholdFactory, h: GeneratedHousehold): void {
  const rng = factory.rng;
  const cap = Math.floor((h.annualPcCents * h.members.length) / 3);
  let v = 0;
  if (h.risks.includes("因病")) v = rng.int(200_000, 900_000);
  else if (h.members.some((p) => p.health !== "健康")) v = rng.chance(0.5) ? rng.int(20_000, 300_000) : 0;
  else v = rng.chance(0.2) ? rng.int(10_000, 150_000) : 0;
  if (v > cap) v = h.risks.includes("因病") ? Math.max(10_000, cap) : cap;
  h.compliantSelfPaidCents = Math.round(v / 100) * 100;
}

/** 医保 (by ID number only), 应急管理 and 教育 pushes for a few % of households, some above 10,000 yuan. */
function drawPushes(factory: HouseholdFactory, h: GeneratedHousehold, rate: number, small: boolean): DepartmentPush[] {
  const rng = factory.rng;
  const out: DepartmentPush[] = [];
  const month = (): number => factory.firstMonth + rng.int(0, factory.monthCount - 1);
  const sick = h.members.filter((p) => p.health !== "健康");
  if (rng.chance((sick.length > 0 ? 0.08 : 0.02) * rate)) {
    const person = sick.length > 0 ? rng.pick(sick) : rng.pick(h.members);
    const n = small ? 1 : rng.int(1, 3);
    for (let i = 0; i < n; i++) {
      const total = small ? rng.int(100_000, 500_000) : Math.round(Math.min(30_000_000, Math.max(50_000, rng.logNormal(900_000, 0.9))));
      const reimbursed = Math.round(total * rng.uniform(small ? 0.6 : 0.5, 0.8));
      out.push({ source: "医保", householdId: "", idNumber: person.idNumber, personName: person.name, eventType: "医疗", date: dateOf(factory, month()), total, reimbursed, selfPaid: total - reimbursed });
    }
  }
  if (!small && rng.chance(0.01 * rate)) {
    const loss = Math.round(Math.min(10_000_000, Math.max(100_000, rng.logNormal(800_000, 0.8))) / 100) * 100;
    out.push({ source: "应急管理", householdId: h.id, idNumber: "", personName: "", eventType: rng.chance(0.85) ? "灾害" : "意外事故", date: dateOf(factory, month()), loss });
  }
  const students = h.members.filter((p) => ["高中", "中职", "高职", "本科及以上"].includes(p.studentStatus));
  if (!small && students.length > 0 && rng.chance(0.15 * rate)) {
    const s = rng.pick(students);
    const total = rng.int(500_000, 2_000_000);
    const reimbursed = Math.round(total * rng.uniform(0, 0.3) / 100) * 100;
    out.push({ source: "教育", householdId: h.id, idNumber: s.idNumber, personName: s.name, eventType: "教育", date: dateOf(factory, month()), total, reimbursed, selfPaid: total - reimbursed });
  }
  out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return out;
}
