/**
 * Everything povwatch says to a person goes through here, on stderr: phases, warnings, errors, the spinner.
 * stdout is reserved for the requested result (--json).
 */
import { Chalk, type ChalkInstance } from "chalk";
import type { Ora, Options as OraOptions } from "ora";

/** ora's default export (loaded by the caller only for a terminal: it costs a tenth of a second to import). */
export type SpinnerFactory = (options: OraOptions) => Ora;

export interface UiOptions {
  quiet: boolean;
  color: boolean;
  /** Spinner allowed (stderr is a TTY and CI unset). */
  interactive: boolean;
  debug: boolean;
}

/** Decides colour and interactivity from the environment (cli.md): NO_COLOR, TERM=dumb, --no-color, TTY, CI. */
export function resolveUiOptions(flags: { quiet?: boolean; color?: boolean; debug?: boolean }, env: NodeJS.ProcessEnv, isTty: boolean, columns = 80): UiOptions {
  const color = isTty && flags.color !== false && env.NO_COLOR === undefined && env.TERM !== "dumb";
  // A terminal that says it has no columns (a pty before its size is set: `script`, `docker exec -t`) gets no
  // spinner: ora divides by the width and would clear lines forever.
  const interactive = isTty && columns > 0 && !env.CI && env.TERM !== "dumb" && !flags.quiet;
  return { quiet: !!flags.quiet, color, interactive, debug: !!flags.debug };
}

export class Ui {
  readonly chalk: ChalkInstance;
  private spinner: Ora | undefined;
  private phaseText = "";

  constructor(
    readonly options: UiOptions,
    private readonly stream: NodeJS.WritableStream = process.stderr,
    private readonly spinners?: SpinnerFactory,
  ) {
    this.chalk = new Chalk({ level: options.color ? 1 : 0 });
  }

  /** A new phase: a spinner line on a TTY, one plain line otherwise, nothing with --quiet. */
  phase(text: string): void {
    if (this.options.quiet) return;
    this.phaseText = text;
    if (this.options.interactive && this.spinners) {
      if (this.spinner) this.spinner.succeed();
      this.spinner = this.spinners({ text, stream: this.stream as NodeJS.WriteStream, color: "cyan" }).start();
    } else {
      this.write(text);
    }
  }

  /** Progress inside a phase (spinner only; plain output stays one line per phase). */
  progress(detail: string): void {
    if (this.spinner) this.spinner.text = `${this.phaseText} ${detail}`;
  }

  /** Stops the spinner, leaving its last line. */
  done(): void {
    if (this.spinner) {
      this.spinner.succeed();
      this.spinner = undefined;
    }
  }

  info(text: string): void {
    if (this.options.quiet) return;
    this.stopSpinner();
    this.write(text);
  }

  warn(text: string): void {
    if (this.options.quiet) return;
    this.stopSpinner();
    this.write(this.chalk.yellow(`warning: ${text}`));
  }

  /** Errors are shown even with --quiet. */
  error(text: string): void {
    this.stopSpinner();
    this.write(this.chalk.red(`error: ${text}`));
  }

  debug(text: string): void {
    if (this.options.debug) this.write(text);
  }

  private stopSpinner(): void {
    if (this.spinner) {
      this.spinner.stop();
      this.spinner = undefined;
    }
  }

  private write(line: string): void {
    this.stream.write(line + "\n");
  }
}
