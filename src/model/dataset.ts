/**
 * Everything read from a set of inputs: the records of the four table kinds, merged per household,
 * with the row accounting of every table and every rejected row.
 */
import type { DepartmentEvent, Household, Member, RowIssue, TableCounts, TableKind } from "./index.js";
import type { IncomeStore } from "./incomeStore.js";

/** One table (a CSV file or a sheet of a workbook) and what became of it. */
export interface TableReport {
  file: string;
  /** Sheet name; "" for CSV. */
  sheet: string;
  kind: TableKind | null;
  /** Why no kind was recognised (kind null). */
  reason?: string;
  /** CSV encoding used ("utf-8", "utf-8-bom", "gb18030", …); undefined for xlsx. */
  encoding?: string;
  /** 1-based spreadsheet row of the header, undefined when none found. */
  headerRow?: number;
  /** canonical name → header as written. */
  columns: Record<string, string>;
  /** Headers not recognised. */
  ignored: string[];
  counts: TableCounts;
  /** Up to 10 first rejects. */
  firstRejects: RowIssue[];
}

/** One input file. */
export interface InputFile {
  path: string;
  sha256: string;
  size: number;
  tables: TableReport[];
}

/**
 * A member-level export gave two different non-empty values of a household column for the same 户编号
 * (inputs.md; audit Q017). The first value wins. Values are as written; Q017 masks names and ID numbers.
 */
export interface HouseholdConflict {
  householdId: string;
  column: string;
  first: string;
  other: string;
  source: import("./index.js").SourceRef;
}

export interface Dataset {
  inputs: InputFile[];
  /** Households from households tables and household columns on member rows (first non-empty value wins). */
  households: ReadonlyMap<string, Household>;
  /**
   * Members by household id, in input order (a MemberStore when read from files: the Member objects are built on
   * each `get`, so keep what you need rather than the objects).
   */
  members: ReadonlyMap<string, Member[]>;
  /** True when at least one members table was read. */
  membersKnown: boolean;
  /** Monthly income, finalized (duplicates resolved). */
  income: IncomeStore;
  /** True when any income table has a 工资性收入 column. */
  hasWageColumn: boolean;
  /** Accepted events, with householdId resolved (through the members table when only 证件号码 was given). */
  events: DepartmentEvent[];
  /** Every rejected row, in input order. */
  rejects: RowIssue[];
  conflicts: HouseholdConflict[];
}
