/**
 * The policy: every threshold of the monitoring rules (policy.md). `Policy` is the fully defaulted, validated
 * form; `PolicySettings` is what one household's rules see after the matching overrides are applied.
 */

export interface PolicySettings {
  readonly povertyLine: number;
  readonly monitoringLine: number;
  readonly yellowFactor: number;
  readonly streakMonths: number;
  readonly minMonthsForAnnual: number;
  readonly incomeDrop: { readonly ratio: number };
  readonly rigidExpense: {
    readonly medical: number;
    readonly education: number;
    readonly disaster: number;
    readonly accident: number;
    readonly incomeShare: number;
  };
  readonly elimination: { readonly stableMonths: number; readonly minMonitoredMonths: number };
}

export type DeepPartial<T> = { -readonly [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Which households an override applies to. Names are stored with all whitespace removed. */
export interface OverrideWhere {
  readonly province?: string;
  readonly city?: string;
  readonly county?: string;
  readonly township?: string;
  readonly village?: string;
  readonly codePrefix?: string;
}

export interface PolicyOverride {
  /** Position in the file's overrides array (0-based). */
  readonly index: number;
  readonly where: OverrideWhere;
  /** Month integers, inclusive; undefined = open. */
  readonly from?: number;
  readonly to?: number;
  readonly source?: string;
  readonly settings: DeepPartial<PolicySettings>;
  /** Specificity: 1 province … 5 village (policy.md). */
  readonly rank: number;
  /** Tie-break inside a rank: codePrefix length (0 without one). */
  readonly prefixLength: number;
}

export interface Policy extends PolicySettings {
  readonly name: string;
  /** True when no policy file was given (the built-in national floor). */
  readonly builtIn: boolean;
  readonly overrides: readonly PolicyOverride[];
}
