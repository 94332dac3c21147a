/**
 * The interface every command implements. Commands never exit the process: they return an exit code
 * or throw a UserError; main.ts turns both into the process's exit.
 */
import type { Command } from "commander";
import type { Ui } from "./ui.js";

export interface CommandContext {
  ui: Ui;
  /** Writes the requested result to stdout (the only way to reach it). */
  stdout: (text: string) => void;
  /** Aborted on SIGINT / SIGTERM. */
  signal: AbortSignal;
  /** The full command line, for run.json and the parameters sheet. */
  argv: readonly string[];
  /** Now, passed in so that nothing below the CLI calls new Date(). */
  now: () => Date;
}

export interface CommandSpec {
  name: string;
  /** Declares the command's description, arguments and options on `cmd`. */
  configure(cmd: Command): void;
  /** Runs with commander's positional arguments and parsed options. */
  run(args: unknown[], options: Record<string, unknown>, ctx: CommandContext): Promise<number>;
}

/**
 * Gives the event loop a turn, so that a signal that arrived during synchronous work is seen (Node runs its handler
 * only then), and throws the abort reason when the run was interrupted: called before anything is written.
 */
export async function letSignalsIn(signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal.aborted) throw signal.reason;
}
