/**
 * The commented starter policy file written by `povwatch policy init`: policy.md's example, with a comment on every
 * key saying what it does and where its default comes from. It is JSON with `//` line comments (parse.ts).
 */

/** The default file name of `povwatch policy init`. */
export const STARTER_POLICY_FILE = "povwatch-policy.json";

/** The text of the starter policy file (loads with loadPolicy; tests guard that). */
export function buildStarterPolicyText(): string {
  return STARTER_POLICY_TEXT;
}

const STARTER_POLICY_TEXT = `// povwatch 监测策略文件 (policy file) — JSON; lines starting with // are comments.
// Use it with:  povwatch scan INPUTS… --policy ${STARTER_POLICY_FILE}
// Check it with: povwatch policy show --policy ${STARTER_POLICY_FILE}
// Every key is optional: a key you delete takes the built-in national floor shown in the comment next to it.
// Amounts are yuan per person per year unless said otherwise; amounts may be 0 but not negative.
{
  // 策略名称: shown in the summary workbook (总览, 参数) and in run.json.
  "name": "云南省 2025",

  // 贫困线 V (red below it). Default 4000: the 2020 poverty line, "about 4,000 yuan" (中农组发〔2021〕7号).
  "povertyLine": 4000,

  // 监测标准 L, the annual monitoring line (监测范围); the monthly line is L / 12.
  // Default 6000: the 2021 national floor, 1.5 × the poverty line. Each province announces its own figure
  // every year — set yours here or in an override below (e.g. Yunnan 2025: 8700).
  "monitoringLine": 6000,

  // 黄色预警倍数: yellow line Y = L × yellowFactor (must be ≥ 1). Default 1.2: not a national figure, chosen so
  // that the four colours 红橙黄绿 work out of the box.
  "yellowFactor": 1.2,

  // 连续低收入预警月数: months in a row below L / 12 that raise the STREAK signal (whole number 1…12).
  // Default 3: "连续3个月收入未达标" triggers a visit (Xinjiang, 2020 reporting).
  "streakMonths": 3,

  // 年化收入最少记录月数: monthly records needed in the last 12 months to annualise income (whole number 1…12);
  // with fewer, the household's 人均纯收入 is used. Default 3.
  "minMonthsForAnnual": 3,

  // 收入骤减: INCOME_DROP when the last 3 months' net income is at most (1 − ratio) × the same 3 months a year
  // before (ratio from 0 to 1). Default 0.5 (income halved): not a national figure.
  "incomeDrop": { "ratio": 0.5 },

  // 刚性支出: a signal when the year's self-paid amount of a kind reaches its amount, or reaches incomeShare ×
  // the household's annual net income. medical 10000: Xi'an's medical-insurance push line after three-tier
  // reimbursement; incomeShare 0.5: Binzhou's 50 % of income. education, disaster, accident 10000: placeholders,
  // to be set locally.
  "rigidExpense": { "medical": 10000, "education": 10000, "disaster": 10000, "accident": 10000, "incomeShare": 0.5 },

  // 风险消除: suggest elimination only after stableMonths months in a row at or above L / 12 (whole number 1…12)
  // and at least minMonitoredMonths months after identification (whole number ≥ 0). Defaults 6 and 6:
  // "收入持续稳定（原则上不得低于半年）" and the audit rule on elimination within 6 months of identification.
  "elimination": { "stableMonths": 6, "minMonitoredMonths": 6 },

  // 分地区/分年度标准 (overrides): each applies to the households its "where" matches — region names
  // (province, city, county, township, village; spaces ignored) and/or codePrefix (the start of the 行政区划代码,
  // written in quotes) — in the months from…to (YYYY-MM, inclusive; leave one out for an open end).
  // It may set any key above except name; nested objects ({ "medical": 8000 }) change only the keys given.
  // When several match, the more specific wins (province < city < county < township < village; a codePrefix of
  // 2/4/6/9/12 digits counts as province/city/county/township/village); at equal rank the longer codePrefix wins,
  // then the later one in this list. "source" cites the document the figure comes from; it is shown in the 参数 sheet.
  "overrides": [
    { "where": { "province": "云南省" }, "from": "2025-01", "monitoringLine": 8700,
      "source": "云农办通〔2025〕1号" },
    { "where": { "codePrefix": "530" }, "from": "2025-01", "to": "2025-12", "rigidExpense": { "medical": 8000 } }
  ]
}
`;
