/**
 * The audit rules table (audit.md): one entry per rule, in code order. Adding a rule is one file entry plus one line here.
 */
import type { AuditRule } from "./finding.js";
import { q008, q009, q012, q013, q014, q015, q016, q017 } from "./householdRules.js";
import { q001, q002, q007, q018 } from "./identityRules.js";
import { q003, q004, q005, q006, q010, q011 } from "./memberRules.js";

/** Every audit rule, ordered by code. */
export const AUDIT_RULES: readonly AuditRule[] = [
  q001, q002, q003, q004, q005, q006, q007, q008, q009, q010, q011, q012, q013, q014, q015, q016, q017, q018,
];

/** Every rule code, in order ("Q001" … "Q018"). */
export const RULE_CODES: readonly string[] = AUDIT_RULES.map((r) => r.code);

/** The rule with this code, or undefined. */
export function findRule(code: string): AuditRule | undefined {
  return AUDIT_RULES.find((r) => r.code === code);
}
