/**
 * Builds one generated household — head, members, monitoring attributes, monthly income and department events —
 * as plain data. Amounts are integer cents (fen) so that every component sums exactly to the household's net.
 */
import { formatMonth } from "../model/month.js";
import { buildIdNumber, daysInMonth } from "./idNumber.js";
import { pickName, pickSurname } from "./names.js";
import type { Random } from "./random.js";
import type { Village } from "./regions.js";

/** One generated person (成员信息 row). */
export interface Person {
  /** 人口编号: 户编号 + 2-digit index. */
  personId: string;
  name: string;
  idNumber: string;
  relation: string;
  sex: "男" | "女";
  /** YYYY-MM-DD. */
  birthDate: string;
  /** Whole years at the end of the reference month. */
  age: number;
  health: string;
  labourSkill: string;
  studentStatus: string;
  workMonths: number;
  dibao: boolean;
  tekun: boolean;
}

/** One household-month of income, amounts in cents. */
export interface IncomeRecord {
  month: number;
  wage: number;
  business: number;
  property: number;
  transfer: number;
  expense: number;
}

/** One department push (部门预警数据 row), amounts in cents; undefined amounts are blank cells. */
export interface DepartmentPush {
  source: "医保" | "应急管理" | "教育";
  /** Blank ("") when the department only knows the person (医保). */
  householdId: string;
  /** The person concerned ("" when the department gives none). */
  idNumber: string;
  personName: string;
  eventType: "医疗" | "教育" | "灾害" | "意外事故";
  /** YYYY-MM-DD. */
  date: string;
  total?: number;
  reimbursed?: number;
  selfPaid?: number;
  loss?: number;
}

/** A whole generated household. */
export interface GeneratedHousehold {
  id: string;
  village: Village;
  householdType: "脱贫户" | "一般农户";
  /** 监测对象类别, "" when never monitored. */
  category: string;
  /** 识别监测时间 as YYYY-MM-DD ("" when not monitored). */
  identifiedDate: string;
  /** 风险是否已消除: "是" / "否" / "" (never monitored). */
  riskEliminated: "是" | "否" | "";
  /** 风险消除时间 as YYYY-MM-DD ("" unless eliminated). */
  eliminatedDate: string;
  eliminationMethod: "" | "帮扶消除" | "自然消除";
  risks: string[];
  /** 人均纯收入 in cents. */
  annualPcCents: number;
  /** 合规自付支出 in cents. */
  compliantSelfPaidCents: number;
  noLabour: boolean;
  members: Person[];
  /** Ascending by month; a month may be absent (no record). */
  income: IncomeRecord[];
  events: DepartmentPush[];
}

/** Skills that count as labour (rules.md §10). */
export const LABOUR_SKILLS: readonly string[] = ["普通劳动力", "技能劳动力"];

/** True when the person has labour capacity (普通劳动力 or 技能劳动力). */
export function hasLabour(p: Person): boolean {
  return LABOUR_SKILLS.includes(p.labourSkill);
}

/** Seasonal factors of monthly income by calendar month (Jan…Dec), mean 1: spring-festival wages, autumn harvest. */
const SEASON = [1.2, 1.15, 0.85, 0.9, 0.95, 1.0, 0.95, 0.95, 1.05, 1.1, 1.0, 0.9];
/** Seasonal factors of farm (business) income: harvest in Jul–Oct. */
const FARM_SEASON = [0.5, 0.5, 0.7, 0.8, 0.9, 1.0, 1.3, 1.5, 1.7, 1.6, 0.9, 0.6];

const DAY_MS = 86_400_000;
const DAY_ZERO = Date.UTC(1900, 0, 1);

/**
 * Hands out the 3-digit sequence of ID numbers so that no two people of one county share an ID: a counter per
 * (birth date, sex), reset when the county changes (households are generated county by county).
 */
export class IdAllocator {
  private county = "";
  private readonly counts = new Uint16Array(2 * 130 * 366 + 2);

  /** A fresh, valid 18-digit ID for someone born on `birthDate` (YYYY-MM-DD) in `countyCode`. */
  allocate(countyCode: string, birthDate: string, male: boolean): string {
    if (countyCode !== this.county) {
      this.county = countyCode;
      this.counts.fill(0);
    }
    let y = Number(birthDate.slice(0, 4));
    let m = Number(birthDate.slice(5, 7));
    let d = Number(birthDate.slice(8, 10));
    for (;;) {
      const day = Math.round((Date.UTC(y, m - 1, d) - DAY_ZERO) / DAY_MS);
      const slot = 2 * day + (male ? 1 : 0);
      const n = this.counts[slot]!;
      if (n < 500) {
        this.counts[slot] = n + 1;
        return buildIdNumber(countyCode, `${y}-${pad2(m)}-${pad2(d)}`, n, male);
      }
      // 500 people of one sex born on one day in one county: move to the next day.
      d++;
      if (d > daysInMonth(y, m)) {
        d = 1;
        m++;
        if (m > 12) {
          m = 1;
          y++;
        }
      }
    }
  }
}

function pad2(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

/** Options of one household's members. */
export interface MemberOptions {
  /** Force at least one member with labour. */
  requireLabour?: boolean;
  /** An elderly household with no labour at all (head 75–84, spouse if size ≥ 2). */
  elderlyNoLabour?: boolean;
  /** Health of the head, overriding the draw. */
  headHealth?: string;
}

/** Income profiles of the generic generator. */
export type IncomeProfile = "comfortable" | "vulnerable" | "streak" | "drop" | "steady";

/**
 * Builds households for one run. `lastMonth` is the latest income month (the reference date for ages is its last
 * day); `monthCount` months of income end there.
 */
export class HouseholdFactory {
  readonly firstMonth: number;
  private readonly refYear: number;
  private readonly refMonth: number;

  constructor(
    readonly rng: Random,
    readonly lastMonth: number,
    readonly monthCount: number,
    readonly ids: IdAllocator = new IdAllocator(),
  ) {
    this.firstMonth = lastMonth - monthCount + 1;
    this.refYear = Math.floor(lastMonth / 12);
    this.refMonth = lastMonth - this.refYear * 12 + 1;
  }

  /** A household size drawn from a rural distribution (mean ≈ 3.3). */
  drawSize(): number {
    return 1 + this.rng.weighted([12, 22, 22, 21, 13, 6, 3, 1]);
  }

  /** A birth date (YYYY-MM-DD) for someone `age` years old at the end of the reference month. */
  birthDateFor(age: number): string {
    const rng = this.rng;
    const m = rng.int(1, 12);
    const year = this.refYear - age - (m > this.refMonth ? 1 : 0);
    const d = rng.int(1, daysInMonth(year, m));
    return `${year}-${pad2(m)}-${pad2(d)}`;
  }

  /** One person of a household; labour, health and schooling follow from age. */
  person(householdId: string, countyCode: string, index: number, relation: string, male: boolean, age: number, surname: string | undefined, health?: string): Person {
    const rng = this.rng;
    age = Math.max(0, Math.min(98, Math.round(age)));
    const birthDate = this.birthDateFor(age);
    health ??= this.drawHealth(age);
    const studentStatus = this.drawStudent(age);
    const labourSkill = this.drawSkill(age, health, studentStatus);
    const labour = LABOUR_SKILLS.includes(labourSkill);
    const workMonths = labour && age <= 60 && rng.chance(0.6) ? rng.int(4, 12) : 0;
    return {
      personId: householdId + pad2(index + 1),
      name: pickName(rng, male, surname),
      idNumber: this.ids.allocate(countyCode, birthDate, male),
      relation,
      sex: male ? "男" : "女",
      birthDate,
      age,
      health,
      labourSkill,
      studentStatus,
      workMonths,
      dibao: false,
      tekun: false,
    };
  }

  private drawHealth(age: number): string {
    const rng = this.rng;
    const old = age >= 60;
    const k = rng.weighted([old ? 74 : 90, old ? 16 : 4, old ? 4 : 2, 3, old ? 1 : 0.3]);
    return ["健康", "长期慢性病", "患有大病", "残疾", "残疾,长期慢性病"][k]!;
  }

  private drawStudent(age: number): string {
    const rng = this.rng;
    if (age < 3) return "学龄前儿童";
    if (age <= 5) return "学前教育";
    if (age <= 11) return "小学";
    if (age <= 14) return "初中";
    if (age <= 17) return rng.chance(0.75) ? "高中" : "中职";
    if (age <= 21 && rng.chance(0.35)) return rng.chance(0.5) ? "高职" : "本科及以上";
    return "非在校生";
  }

  private drawSkill(age: number, health: string, student: string): string {
    const rng = this.rng;
    if (student !== "非在校生" || age < 16) return "无劳动力";
    if (health.includes("患有大病") || health.includes("残疾")) return rng.chance(0.6) ? "丧失劳动力" : "弱劳动力或半劳动力";
    if (age >= 75) return rng.chance(0.5) ? "丧失劳动力" : "无劳动力";
    if (age >= 65) return rng.chance(0.6) ? "弱劳动力或半劳动力" : "普通劳动力";
    const k = rng.weighted([health === "健康" ? 78 : 55, 15, health === "健康" ? 7 : 30]);
    return ["普通劳动力", "技能劳动力", "弱劳动力或半劳动力"][k]!;
  }

  /**
   * The members of a household of `size`: exactly one 户主, at most one 配偶 of the other sex, then children,
   * a daughter-in-law and grandchildren, or a parent.
   */
  members(householdId: string, countyCode: string, size: number, options: MemberOptions = {}): Person[] {
    for (let attempt = 0; ; attempt++) {
      const members = this.drawMembers(householdId, countyCode, size, options);
      if (!options.requireLabour || members.some(hasLabour) || attempt >= 20) {
        if (options.requireLabour && !members.some(hasLabour)) {
          const head = members[0]!;
          head.health = "健康";
          head.labourSkill = "普通劳动力";
        }
        return members;
      }
    }
  }

  private drawMembers(householdId: string, countyCode: string, size: number, options: MemberOptions): Person[] {
    const rng = this.rng;
    const headMale = rng.chance(options.elderlyNoLabour ? 0.6 : 0.82);
    const headAge = options.elderlyNoLabour ? rng.int(75, 84) : options.requireLabour ? rng.int(28, 58) : rng.int(26, 82);
    const surname = pickSurname(rng);
    const out: Person[] = [this.person(householdId, countyCode, 0, "户主", headMale, headAge, surname, options.headHealth)];
    const add = (relation: string, male: boolean, age: number, sameSurname: boolean): void => {
      if (out.length < size) out.push(this.person(householdId, countyCode, out.length, relation, male, age, sameSurname ? surname : undefined));
    };
    if (size >= 2 && (options.elderlyNoLabour || rng.chance(0.85))) {
      add("配偶", !headMale, headAge + (headMale ? -rng.int(0, 5) : rng.int(0, 5)), false);
    }
    if (options.elderlyNoLabour) {
      while (out.length < size) add("其他", rng.chance(0.5), rng.int(75, 88), false);
    } else if (headAge >= 58) {
      const sonAge = headAge - rng.int(24, 32);
      add("之子", true, sonAge, true);
      add("之儿媳", false, sonAge - rng.int(0, 4), false);
      let childAge = sonAge - rng.int(22, 28);
      while (out.length < size) {
        const male = rng.chance(0.52);
        add(male ? "之孙子" : "之孙女", male, Math.max(0, childAge), true);
        childAge -= rng.int(2, 5);
      }
    } else {
      if (headAge < 45 && size >= 4 && rng.chance(0.35)) {
        const male = rng.chance(0.4);
        add(male ? "之父" : "之母", male, headAge + rng.int(23, 32), male);
      }
      let childAge = headAge - rng.int(22, 30);
      while (out.length < size) {
        const male = rng.chance(0.52);
        add(male ? "之子" : "之女", male, Math.max(0, childAge), true);
        childAge -= rng.int(2, 5);
      }
    }
    if (options.elderlyNoLabour) {
      for (const p of out) {
        p.labourSkill = p.age >= 80 ? "丧失劳动力" : "无劳动力";
        p.workMonths = 0;
        if (p.studentStatus !== "非在校生") p.studentStatus = "非在校生";
      }
    }
    return out;
  }

  /**
   * Monthly per-capita net income (yuan) for each month of the run, by profile: comfortable (log-normal, median
   * 13,000 a year), vulnerable (3,800–7,000 a year), streak (3–5 low months at the end), drop (the last 3 months
   * cut to 30–45 %, only when 15 months or more are generated), steady (9,000–20,000 a year with little noise: every
   * month stays above 500 yuan and no month is half of the same month a year before — the demo's ordinary households).
   */
  perCapitaSeries(profile: IncomeProfile): number[] {
    const rng = this.rng;
    const n = this.monthCount;
    let annual: number;
    if (profile === "vulnerable") annual = rng.uniform(3800, 7000);
    else if (profile === "streak") annual = rng.uniform(6500, 11000);
    else if (profile === "steady") annual = rng.uniform(9000, 20000);
    else annual = Math.min(60000, Math.max(7000, rng.logNormal(13000, 0.35)));
    const spread = profile === "steady" ? 0.05 : 0.08;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const month = this.firstMonth + i;
      const noise = 1 + spread * Math.max(-2, Math.min(2, rng.normal()));
      out[i] = (annual / 12) * SEASON[month % 12]! * noise;
    }
    if (profile === "streak") {
      const len = Math.min(n, rng.int(3, 5));
      for (let i = n - len; i < n; i++) out[i] = rng.uniform(250, 480);
    } else if (profile === "drop" && n >= 15) {
      const f = rng.uniform(0.3, 0.45);
      for (let i = n - 3; i < n; i++) out[i] = out[i]! * f;
    }
    return out;
  }

  /**
   * Splits each month's household net (per-capita × size, rounded to cents) into the five components: transfers
   * (pensions for members 60+, 低保), a little property income, farm income net of its expenses, and wages.
   * NaN per-capita values are months without a record.
   */
  incomeFromPerCapita(members: readonly Person[], perCapita: readonly number[], dibao: boolean): IncomeRecord[] {
    const rng = this.rng;
    const size = members.length;
    const labour = members.some(hasLabour);
    const elderly = members.filter((p) => p.age >= 60).length;
    const propertyRate = rng.chance(0.15) ? rng.uniform(0.01, 0.05) : 0;
    const farmShare = labour ? rng.uniform(0.1, 0.5) : rng.uniform(0.05, 0.2);
    const expenseRate = rng.uniform(0.2, 0.4);
    const dibaoPerPerson = dibao ? rng.int(15000, 30000) : 0;
    const out: IncomeRecord[] = [];
    for (let i = 0; i < perCapita.length; i++) {
      const pc = perCapita[i]!;
      if (Number.isNaN(pc)) continue;
      const month = this.firstMonth + i;
      const net = Math.round(pc * size * 100);
      const transfer = Math.max(0, Math.min(elderly * 16000 + dibaoPerPerson * size + rng.int(0, 5000), Math.round(net * 0.9)));
      const property = Math.round(net * propertyRate);
      const rest = net - transfer - property;
      let gross = Math.max(0, Math.round(rest * farmShare * FARM_SEASON[month % 12]!));
      let expense = Math.round(gross * expenseRate);
      let wage = rest - (gross - expense);
      if (!labour || wage < 0) {
        wage = 0;
        gross = rest + expense;
        if (gross < 0) {
          expense = 0;
          gross = rest;
        }
      }
      out.push({ month, wage, business: gross, property, transfer, expense });
    }
    return out;
  }

  /** A full date (YYYY-MM-DD) on a random day of `month`. */
  dateIn(month: number): string {
    const y = Math.floor(month / 12);
    const m = month - y * 12 + 1;
    return `${formatMonth(month)}-${pad2(this.rng.int(1, daysInMonth(y, m)))}`;
  }
}

/** Net income of a record in cents. */
export function netCents(r: IncomeRecord): number {
  return r.wage + r.business + r.property + r.transfer - r.expense;
}

/**
 * 人均纯收入 (cents) as the system computes it: net income of the last 12 recorded months (fewer when fewer exist),
 * scaled to a year, divided by the household size.
 */
export function annualPerCapitaCents(income: readonly IncomeRecord[], size: number): number {
  const last = income.slice(-12);
  if (last.length === 0) return 0;
  let sum = 0;
  for (const r of last) sum += netCents(r);
  return Math.round((sum * 12) / last.length / size);
}

/** "1234.50" for 123450 cents (negative amounts keep their sign). */
export function formatCents(cents: number): string {
  const neg = cents < 0;
  const c = neg ? -cents : cents;
  const yuan = Math.floor(c / 100);
  const fen = c - yuan * 100;
  return (neg ? "-" : "") + yuan + (fen < 10 ? ".0" : ".") + fen;
}
