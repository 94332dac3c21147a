/**
 * The lines that apply to a household (rules.md §2), from its resolved policy settings.
 */
import type { PolicySettings } from "../policy/types.js";
import type { Lines } from "./types.js";

/** L = monitoringLine, l = L / 12 (unrounded: 6100 → 508.333…), V = povertyLine, Y = L × yellowFactor. */
export function linesFor(settings: PolicySettings): Lines {
  const annual = settings.monitoringLine;
  return { annual, monthly: annual / 12, poverty: settings.povertyLine, yellow: annual * settings.yellowFactor };
}
