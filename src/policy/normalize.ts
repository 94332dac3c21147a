/**
 * normalizePolicy: the parsed JSON of a policy file → one fully defaulted, validated, frozen Policy, or every problem
 * found, each named by its key path (`overrides[1].where.provnce: unknown key`). Pure: no I/O.
 */
import { REGION_LEVELS } from "../model/index.js";
import { monthOf, formatMonth } from "../model/month.js";
import { DEFAULT_SETTINGS, SETTING_GROUPS, SETTING_SPECS, deepFreeze, type SettingSpec } from "./defaults.js";
import type { DeepPartial, OverrideWhere, Policy, PolicyOverride, PolicySettings } from "./types.js";

/** One problem of a policy file: the key path (`rigidExpense.medical`, `overrides[0].where`) and what is wrong. */
export interface PolicyError {
  readonly path: string;
  readonly message: string;
}

/** `rigidExpense.medical: must not be negative (got -5)`. */
export function formatPolicyError(error: PolicyError): string {
  return `${error.path}: ${error.message}`;
}

/** Options of normalizePolicy. */
export interface NormalizeOptions {
  /** Name used when the file has no "name" (loadPolicy passes the file name). */
  readonly defaultName?: string;
}

/** The result of normalizePolicy: `policy` is present exactly when `errors` is empty. */
export interface NormalizeResult {
  readonly policy?: Policy;
  readonly errors: PolicyError[];
}

/** Name of a policy file that has no "name" and no default was given. */
export const UNNAMED_POLICY = "未命名策略 (unnamed policy)";

/** Path used for problems of the whole document (not an object). */
export const ROOT_PATH = "(top level)";

/** The keys a `where` may hold: the five region levels and codePrefix. */
export const WHERE_KEYS: readonly (keyof OverrideWhere)[] = [...REGION_LEVELS, "codePrefix"];

const TOP_ONLY_KEYS = new Set(["name", "overrides"]);
const SPEC_BY_PATH = new Map(SETTING_SPECS.map((s) => [s.path, s]));
const GROUPS = new Set(SETTING_GROUPS);

/**
 * Removes all whitespace (spaces, tabs, U+3000 ideographic space, NBSP, line breaks) from a region name, so that
 * `云南 省` and `云南省` compare equal (policy.md).
 */
export function normalizeRegionName(name: string): string {
  return name.replace(/\s+/gu, "");
}

/**
 * Validates and defaults a parsed policy document. Every top-level key is optional; nested setting objects merge
 * key by key with DEFAULT_SETTINGS. Collects every problem instead of stopping at the first; returns a deeply frozen
 * Policy (builtIn false) only when there is none. Overrides keep file order in `overrides` (index = position).
 */
export function normalizePolicy(raw: unknown, options: NormalizeOptions = {}): NormalizeResult {
  const errors: PolicyError[] = [];
  if (!isPlainObject(raw)) {
    errors.push({ path: ROOT_PATH, message: `must be a JSON object (got ${describeValue(raw)})` });
    return { errors };
  }

  let name = options.defaultName ?? UNNAMED_POLICY;
  const partial: DeepPartial<PolicySettings> = {};
  const overrides: PolicyOverride[] = [];

  for (const [key, value] of Object.entries(raw)) {
    if (key === "name") {
      if (typeof value !== "string") errors.push({ path: key, message: `must be a string (got ${describeValue(value)})` });
      else if (value.trim() === "") errors.push({ path: key, message: "must not be empty" });
      else name = value.trim();
    } else if (key === "overrides") {
      if (!Array.isArray(value)) {
        errors.push({ path: key, message: `must be an array (got ${describeValue(value)})` });
        continue;
      }
      value.forEach((item, index) => {
        const override = readOverride(item, index, errors);
        if (override) overrides.push(override);
      });
    } else if (!readSetting(key, value, "", partial, errors)) {
      errors.push({ path: key, message: "unknown key" });
    }
  }

  if (errors.length > 0) return { errors };
  const settings = mergeSettings(DEFAULT_SETTINGS, partial);
  return { policy: deepFreeze({ ...settings, name, builtIn: false, overrides }), errors };
}

/**
 * Applies a partial settings object over complete settings: top-level values replace, nested groups merge key by
 * key. Returns a new object; neither argument is changed.
 */
export function mergeSettings(base: PolicySettings, patch: DeepPartial<PolicySettings>): PolicySettings {
  return {
    povertyLine: patch.povertyLine ?? base.povertyLine,
    monitoringLine: patch.monitoringLine ?? base.monitoringLine,
    yellowFactor: patch.yellowFactor ?? base.yellowFactor,
    streakMonths: patch.streakMonths ?? base.streakMonths,
    minMonthsForAnnual: patch.minMonthsForAnnual ?? base.minMonthsForAnnual,
    incomeDrop: patch.incomeDrop ? { ...base.incomeDrop, ...patch.incomeDrop } : base.incomeDrop,
    rigidExpense: patch.rigidExpense ? { ...base.rigidExpense, ...patch.rigidExpense } : base.rigidExpense,
    elimination: patch.elimination ? { ...base.elimination, ...patch.elimination } : base.elimination,
  };
}

/** Specificity of one `where` key (policy.md): province 1 … village 5; codePrefix by its number of digits. */
export function rankOfWhereKey(key: keyof OverrideWhere, value: string): number {
  if (key !== "codePrefix") return REGION_LEVELS.indexOf(key) + 1;
  const n = value.length;
  return n <= 2 ? 1 : n <= 4 ? 2 : n <= 6 ? 3 : n <= 9 ? 4 : 5;
}

/**
 * Reads one setting key (a top-level setting or a group such as rigidExpense) into `into`, recording problems under
 * `prefix + key`. Returns false when `key` is not a setting at all (the caller decides what that means).
 */
function readSetting(key: string, value: unknown, prefix: string, into: DeepPartial<PolicySettings>, errors: PolicyError[]): boolean {
  const path = prefix + key;
  // A top-level setting is a leaf without a group: "rigidExpense.medical" written as one key is not a setting.
  const leaf = key.includes(".") ? undefined : SPEC_BY_PATH.get(key);
  if (leaf) {
    const n = checkLeaf(leaf, value, path, errors);
    if (n !== undefined) (into as Record<string, unknown>)[key] = n;
    return true;
  }
  if (!GROUPS.has(key)) return false;
  if (!isPlainObject(value)) {
    errors.push({ path, message: `must be an object (got ${describeValue(value)})` });
    return true;
  }
  const group: Record<string, number> = {};
  for (const [sub, subValue] of Object.entries(value)) {
    const spec = SPEC_BY_PATH.get(`${key}.${sub}`);
    if (!spec) {
      errors.push({ path: `${path}.${sub}`, message: "unknown key" });
      continue;
    }
    const n = checkLeaf(spec, subValue, `${path}.${sub}`, errors);
    if (n !== undefined) group[sub] = n;
  }
  (into as Record<string, unknown>)[key] = group;
  return true;
}

/** The number when `value` is valid for `spec`, else undefined with the problem recorded. */
function checkLeaf(spec: SettingSpec, value: unknown, path: string, errors: PolicyError[]): number | undefined {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    errors.push({ path, message: `must be a number (got ${describeValue(value)})` });
    return undefined;
  }
  let message: string | undefined;
  switch (spec.kind) {
    case "amount":
    case "share":
      if (value < 0) message = `must not be negative (got ${value})`;
      break;
    case "factor":
      if (value < 1) message = `must be ≥ 1 (got ${value})`;
      break;
    case "ratio":
      if (value < 0 || value > 1) message = `must be from 0 to 1 (got ${value})`;
      break;
    case "months": {
      const min = spec.min ?? 0;
      const ok = Number.isInteger(value) && value >= min && (spec.max === undefined || value <= spec.max);
      if (!ok) {
        message = spec.max === undefined
          ? `must be a whole number ≥ ${min} (got ${value})`
          : `must be a whole number from ${min} to ${spec.max} (got ${value})`;
      }
      break;
    }
  }
  if (message !== undefined) {
    errors.push({ path, message });
    return undefined;
  }
  return value;
}

function readOverride(item: unknown, index: number, errors: PolicyError[]): PolicyOverride | undefined {
  const path = `overrides[${index}]`;
  if (!isPlainObject(item)) {
    errors.push({ path, message: `must be an object (got ${describeValue(item)})` });
    return undefined;
  }
  const before = errors.length;
  if (!("where" in item)) errors.push({ path, message: 'has no "where"' });

  let where: OverrideWhere = {};
  let from: number | undefined;
  let to: number | undefined;
  let source: string | undefined;
  const settings: DeepPartial<PolicySettings> = {};

  for (const [key, value] of Object.entries(item)) {
    const keyPath = `${path}.${key}`;
    if (key === "where") {
      where = readWhere(value, keyPath, errors);
    } else if (key === "from" || key === "to") {
      const month = readMonth(value, keyPath, errors);
      if (key === "from") from = month;
      else to = month;
    } else if (key === "source") {
      if (value === null) continue;
      if (typeof value !== "string") errors.push({ path: keyPath, message: `must be a string (got ${describeValue(value)})` });
      else source = value.trim();
    } else if (TOP_ONLY_KEYS.has(key)) {
      errors.push({ path: keyPath, message: "cannot be set in an override" });
    } else if (!readSetting(key, value, `${path}.`, settings, errors)) {
      errors.push({ path: keyPath, message: "unknown key" });
    }
  }
  if (from !== undefined && to !== undefined && to < from) {
    errors.push({ path: `${path}.to`, message: `must not be before "from" ${formatMonth(from)} (got "${formatMonth(to)}")` });
  }
  if (errors.length > before) return undefined;

  let rank = 0;
  for (const key of WHERE_KEYS) {
    const v = where[key];
    if (v !== undefined) rank = Math.max(rank, rankOfWhereKey(key, v));
  }
  const override: PolicyOverride = {
    index,
    where,
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(source !== undefined ? { source } : {}),
    settings,
    rank,
    prefixLength: where.codePrefix?.length ?? 0,
  };
  return override;
}

function readWhere(value: unknown, path: string, errors: PolicyError[]): OverrideWhere {
  if (!isPlainObject(value)) {
    errors.push({ path, message: `must be an object (got ${describeValue(value)})` });
    return {};
  }
  const entries = Object.entries(value);
  if (entries.length === 0) {
    errors.push({ path, message: `must name at least one of ${WHERE_KEYS.join(", ")}` });
    return {};
  }
  const where: Record<string, string> = {};
  for (const [key, v] of entries) {
    const keyPath = `${path}.${key}`;
    if (!(WHERE_KEYS as readonly string[]).includes(key)) {
      errors.push({ path: keyPath, message: "unknown key" });
      continue;
    }
    if (typeof v !== "string") {
      const hint = key === "codePrefix" && typeof v === "number" ? ` (write it in quotes: "${v}")` : "";
      errors.push({ path: keyPath, message: `must be a string (got ${describeValue(v)})${hint}` });
      continue;
    }
    const normalized = normalizeRegionName(v);
    if (normalized === "") errors.push({ path: keyPath, message: "must not be empty" });
    else if (key === "codePrefix" && !/^\d{1,12}$/.test(normalized)) {
      errors.push({ path: keyPath, message: `must be 1 to 12 digits of a 行政区划代码 (got ${JSON.stringify(v)})` });
    } else where[key] = normalized;
  }
  return where;
}

const RE_MONTH = /^(\d{4})-(\d{2})$/;

function readMonth(value: unknown, path: string, errors: PolicyError[]): number | undefined {
  if (value === null) return undefined;
  const m = typeof value === "string" ? RE_MONTH.exec(value.trim()) : null;
  const month = m ? Number(m[2]) : 0;
  if (!m || month < 1 || month > 12) {
    errors.push({ path, message: `must be a month written YYYY-MM, e.g. "2025-01" (got ${describeValue(value)})` });
    return undefined;
  }
  return monthOf(Number(m[1]), month);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `string "6000"`, `null`, `an array`, `-5` — the "got" part of a message. */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string": {
      const s = value.length > 40 ? value.slice(0, 40) + "…" : value;
      return `string ${JSON.stringify(s)}`;
    }
    case "number":
      return String(value);
    case "boolean":
      return `boolean ${value}`;
    case "object":
      return "an object";
    default:
      return typeof value;
  }
}
