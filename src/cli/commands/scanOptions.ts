/**
 * The scan's options, checked and defaulted in one place (style.md habit 4): every problem names the option, what
 * was expected and what was received (exit 2).
 */
import { subMonths } from "date-fns/subMonths";
import { EXIT, UserError } from "../../model/errors.js";
import { monthOf, parseDateParts } from "../../model/month.js";
import type { Lang } from "../../report/labels.js";
import type { CsvEncoding } from "../../io/writeCsv.js";

export interface ScanOptions {
  readonly period: number | "previous" | undefined;
  readonly policy: string | undefined;
  readonly out: string;
  readonly format: "csv" | "xlsx" | "both";
  readonly splitByCounty: boolean;
  readonly lang: Lang;
  readonly revealPersonalData: boolean;
  readonly maxRejectRate: number | undefined;
  readonly csvEncoding: CsvEncoding;
  readonly json: boolean;
}

function usage(message: string): UserError {
  return new UserError("bad_option", message, { exitCode: EXIT.usage });
}

/** Parses `--period`: YYYY-MM (also 202610, 2026/10) or "previous". */
export function parsePeriodOption(value: string): number | "previous" {
  if (value === "previous") return "previous";
  const p = /^\d{4}[-/.]?\d{1,2}$/.test(value.trim()) ? parseDateParts(value) : undefined;
  if (!p || p.day !== undefined) throw usage(`--period: expected YYYY-MM or "previous", got "${value}"`);
  return monthOf(p.year, p.month);
}

/** Checks and defaults the scan options. */
export function normalizeScanOptions(raw: Record<string, unknown>): ScanOptions {
  const format = String(raw.format ?? "both");
  if (!["csv", "xlsx", "both"].includes(format)) throw usage(`--format: expected csv, xlsx or both, got "${format}"`);
  const lang = String(raw.lang ?? "zh");
  if (lang !== "zh" && lang !== "en") throw usage(`--lang: expected zh or en, got "${lang}"`);
  const split = raw.splitBy;
  if (split !== undefined && split !== "county") throw usage(`--split-by: expected county, got "${String(split)}"`);
  let maxRejectRate: number | undefined;
  if (raw.maxRejectRate !== undefined) {
    const text = String(raw.maxRejectRate).trim();
    const n = text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : Number(text);
    if (!Number.isFinite(n) || n < 0 || n > 1) throw usage(`--max-reject-rate: expected a share from 0 to 1 (or a percentage like 5%), got "${text}"`);
    maxRejectRate = n;
  }
  const enc = String(raw.csvEncoding ?? "utf8").toLowerCase().replace("-", "");
  if (enc !== "utf8" && enc !== "gb18030") throw usage(`--csv-encoding: expected utf8 or gb18030, got "${String(raw.csvEncoding)}"`);
  return {
    period: raw.period === undefined ? undefined : parsePeriodOption(String(raw.period)),
    policy: raw.policy === undefined ? undefined : String(raw.policy),
    out: String(raw.out ?? "out"),
    format: format as ScanOptions["format"],
    splitByCounty: split === "county",
    lang,
    revealPersonalData: !!raw.revealPersonalData,
    maxRejectRate,
    csvEncoding: enc,
    json: !!raw.json,
  };
}

/**
 * The scan period: the option's month; "previous" = the calendar month before `today`; default the latest income
 * month (UserError when the data has no income and no --period was given).
 */
export function resolvePeriod(period: number | "previous" | undefined, latestIncomeMonth: number, today: Date): number {
  if (period === "previous") {
    const d = subMonths(today, 1);
    return monthOf(d.getFullYear(), d.getMonth() + 1);
  }
  if (period !== undefined) return period;
  if (latestIncomeMonth < 0) throw new UserError("no_period", "the inputs have no monthly income rows, so there is no latest month: give --period YYYY-MM", { exitCode: EXIT.failed });
  return latestIncomeMonth;
}
