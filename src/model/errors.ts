/**
 * The few error kinds povwatch throws. Bad rows are data (RowIssue); only structural failures throw.
 */

/** Exit codes of cli.md. */
export const EXIT = { ok: 0, failed: 1, usage: 2, qualityGate: 3 } as const;

export interface ErrorContext {
  file?: string;
  sheet?: string;
  row?: number;
  column?: string;
}

/**
 * A failure the user can act on: a one- or two-line message (naming file, sheet, row, column where they apply),
 * a stable code and the exit code. The library error, if any, is kept as `cause` (shown with --debug).
 */
export class UserError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly context: ErrorContext;

  constructor(code: string, message: string, options: { exitCode?: number; context?: ErrorContext; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "UserError";
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT.failed;
    this.context = options.context ?? {};
  }
}
