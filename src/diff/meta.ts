/**
 * What is known about each compared list besides its rows (its period and the policy that made it, from the scan's
 * run.json or the folder name), and the warnings a comparison of two lists deserves. Pure.
 */
import { formatMonth, parseMonth } from "../model/month.js";

/** Where a list came from and what made it. */
export interface ListMeta {
  /** The file compared, as named in messages. */
  readonly file: string;
  /** The scan period (month integer), when run.json or the folder name gives it. */
  readonly period: number | undefined;
  /** The policy name from run.json, when there is one. */
  readonly policyName: string | undefined;
}

/**
 * The period ("YYYY-MM" → month integer) and policy name (policy.name) of a scan's run.json text; fields that are
 * missing or of the wrong type are undefined. Undefined when the text is not a JSON object.
 */
export function parseRunInfo(text: string): { period: number | undefined; policyName: string | undefined } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return undefined;
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
  const run = json as { period?: unknown; policy?: unknown };
  const period = typeof run.period === "string" && /^\d{4}-\d{1,2}$/.test(run.period.trim()) ? parseMonth(run.period) : undefined;
  const policy = run.policy as { name?: unknown } | undefined;
  const policyName = typeof policy === "object" && policy !== null && typeof policy.name === "string" ? policy.name : undefined;
  return { period, policyName };
}

/**
 * Warnings about comparing OLD with NEW, one line each: the periods reversed (OLD later than NEW), naming both
 * periods; the lists made with different policies, naming both. Unknown periods or policies give no warning.
 */
export function compareListMeta(oldMeta: ListMeta, newMeta: ListMeta): string[] {
  const warnings: string[] = [];
  if (oldMeta.period !== undefined && newMeta.period !== undefined && oldMeta.period > newMeta.period) {
    warnings.push(
      `the lists look reversed: OLD ${oldMeta.file} is ${formatMonth(oldMeta.period)} but NEW ${newMeta.file} is ${formatMonth(newMeta.period)} ` +
        `(give the earlier month first; 新增 and 移出 are swapped otherwise)`,
    );
  }
  if (oldMeta.policyName !== undefined && newMeta.policyName !== undefined && oldMeta.policyName !== newMeta.policyName) {
    warnings.push(
      `the lists were made with different policies: OLD "${oldMeta.policyName}", NEW "${newMeta.policyName}" ` +
        `(some changes may come from the policy, not from the households)`,
    );
  }
  return warnings;
}
