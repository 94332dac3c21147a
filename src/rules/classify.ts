/**
 * Suggested category (rules.md §7), risk colour (§8) and grade (§9).
 */
import type { Color, Lines, Trigger } from "./types.js";

/** 监测对象类别 values. */
export const CATEGORY = {
  unstable: "脱贫不稳定户",
  marginal: "边缘易致贫户",
  sudden: "突发严重困难户",
} as const;

/** 户类型 of a household that left registered poverty. */
export const LIFTED_OUT = "脱贫户";

/**
 * 建议监测类别: annualPc known and < L → 脱贫不稳定户 (户类型 脱贫户) or 边缘易致贫户; else any trigger →
 * 突发严重困难户; else undefined (not at risk).
 */
export function suggestCategory(
  annualPc: number | undefined,
  lines: Lines,
  householdType: string | undefined,
  triggers: readonly Trigger[],
): string | undefined {
  if (annualPc !== undefined && annualPc < lines.annual) return householdType === LIFTED_OUT ? CATEGORY.unstable : CATEGORY.marginal;
  if (triggers.length > 0) return CATEGORY.sudden;
  return undefined;
}

const ESCALATION: readonly Color[] = ["green", "yellow", "orange", "red"];

/**
 * 风险等级: base colour from annualPc (< V red, < L orange, < Y yellow, else green; unknown → green), raised one
 * step (capped at red) for each group that holds: STREAK; any rigid-expenditure trigger; INCOME_DROP.
 */
export function riskColor(annualPc: number | undefined, lines: Lines, triggers: readonly Trigger[]): Color {
  let level = 0;
  if (annualPc !== undefined) {
    if (annualPc < lines.poverty) level = 3;
    else if (annualPc < lines.annual) level = 2;
    else if (annualPc < lines.yellow) level = 1;
  }
  let streak = false;
  let rigid = false;
  let drop = false;
  for (const t of triggers) {
    if (t === "STREAK") streak = true;
    else if (t === "INCOME_DROP") drop = true;
    else rigid = true;
  }
  level += (streak ? 1 : 0) + (rigid ? 1 : 0) + (drop ? 1 : 0);
  return ESCALATION[Math.min(level, 3)]!;
}

/**
 * 返贫致贫风险程度: 脱贫户 red/orange → 极易返贫, yellow → 较易返贫, green → 稳定脱贫; other households
 * red/orange → 极易致贫, yellow → 较易致贫, green → 稳定.
 */
export function riskGrade(color: Color, householdType: string | undefined): string {
  const lifted = householdType === LIFTED_OUT;
  if (color === "red" || color === "orange") return lifted ? "极易返贫" : "极易致贫";
  if (color === "yellow") return lifted ? "较易返贫" : "较易致贫";
  return lifted ? "稳定脱贫" : "稳定";
}
