/**
 * Entry point: builds the commander program from the command table, runs one command, and turns every outcome
 * into an exit code (cli.md: 0 done, 1 failed, 2 usage or policy error, 3 data-quality gate). The only place that
 * exits the process.
 */
import { Command, CommanderError } from "commander";
import { EXIT, UserError } from "../model/errors.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { Ui, resolveUiOptions } from "./ui.js";
import { VERSION } from "../version.js";
import { idFactsWorkerRuns } from "../audit/idFacts.js";

interface GlobalFlags {
  quiet?: boolean;
  color?: boolean;
  debug?: boolean;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  if (process.env.POVWATCH_STATS) reportStatsAtExit();
  installStdoutGuard();
  let ui = new Ui(resolveUiOptions({}, process.env, !!process.stderr.isTTY, process.stderr.columns));
  const controller = new AbortController();
  // Ctrl-C / SIGTERM: the command stops at its next checkpoint, its temporary files and lock are removed, and
  // earlier outputs stay as they were. The run failed with nothing written: exit 1 (cli.md). A second signal, or
  // a cleanup longer than 0.9 s, exits at once (the exit hooks still remove temporary files and the lock).
  let abortedAt = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    // A terminal's Ctrl-C reaches this process twice (directly and forwarded by bin/povwatch.js): one interrupt.
    if (controller.signal.aborted) {
      if (Date.now() - abortedAt > 300) process.exit(EXIT.failed);
      return;
    }
    abortedAt = Date.now();
    controller.abort(new UserError("interrupted", `interrupted by ${sig}; nothing was written, earlier outputs are unchanged`, { exitCode: EXIT.failed }));
    setTimeout(() => {
      ui.error(`interrupted by ${sig}`);
      process.exit(EXIT.failed);
    }, 900).unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // A closed terminal or ssh session (SIGHUP, which bin/povwatch.js forwards): the same clean stop.
  process.on("SIGHUP", onSignal);

  let code: number = EXIT.ok;
  const program = new Command("povwatch")
    .description("Poverty-return prevention monitoring (防止返贫动态监测): scan, check, diff, inspect exports")
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  program.configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  for (const spec of COMMANDS) {
    const cmd = program.command(spec.name);
    spec.configure(cmd);
    cmd
      .option("--quiet", "only errors on stderr")
      .option("--no-color", "no colour on stderr")
      .option("--debug", "show stack traces of errors")
      .exitOverride();
    cmd.action(async (...actionArgs: unknown[]) => {
      const command = actionArgs[actionArgs.length - 1] as Command;
      const options = command.opts() as Record<string, unknown> & GlobalFlags;
      const uiOptions = resolveUiOptions(options, process.env, !!process.stderr.isTTY, process.stderr.columns);
      // The spinner library only for a terminal (cron and pipes get plain lines and skip its import).
      ui = new Ui(uiOptions, process.stderr, uiOptions.interactive && !uiOptions.quiet ? (await import("ora")).default : undefined);
      const ctx: CommandContext = {
        ui,
        stdout: (text) => void process.stdout.write(text),
        signal: controller.signal,
        argv: argv.slice(2),
        now: () => new Date(),
      };
      code = await runCommand(spec, actionArgs.slice(0, -2), options, ctx);
    });
  }

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return EXIT.ok;
      // `povwatch` with no command (or `help` of an unknown one) prints the usage as an error: a usage error.
      if (err.code === "commander.help") return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return EXIT.usage;
    }
    return reportError(err, ui);
  }
  return code;
}

async function runCommand(spec: CommandSpec, args: unknown[], options: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  try {
    return await spec.run(args, options, ctx);
  } catch (err) {
    return reportError(err, ctx.ui);
  }
}

function reportError(err: unknown, ui: Ui): number {
  if (err instanceof UserError) {
    ui.error(err.message);
    if (err.cause !== undefined) ui.debug(String((err.cause as Error)?.stack ?? err.cause));
    ui.debug(err.stack ?? "");
    return err.exitCode;
  }
  const e = err as NodeJS.ErrnoException;
  const what = e && typeof e.code === "string" ? IO_ERRORS[e.code] : undefined;
  if (what) {
    ui.error(`${e.path ?? "output"}: ${what} (${e.code}); nothing was written under a final name`);
  } else {
    ui.error(`internal error: ${e?.message ?? String(err)} (run with --debug for details)`);
  }
  ui.debug(e?.stack ?? "");
  return EXIT.failed;
}

/** File-system error codes → what they mean for the person running povwatch (and what to do). */
const IO_ERRORS: Record<string, string> = {
  ENOSPC: "disk full; free some space and run again",
  EDQUOT: "disk quota exceeded; free some space and run again",
  EACCES: "permission denied; choose a folder you may write to (--out)",
  EPERM: "permission denied; choose a folder you may write to (--out)",
  EROFS: "read-only file system; choose another folder (--out)",
  EIO: "I/O error; check the disk or network drive",
  ENOTDIR: "part of this path is a file, not a folder; choose another folder (--out)",
  EISDIR: "is a folder where a file was expected; choose another path",
  ENAMETOOLONG: "the path is too long; choose a shorter one",
};

/**
 * `povwatch … | head` closes stdout early: exit quietly instead of throwing EPIPE. Any other failure to write stdout
 * (a full disk under `--json > file`, /dev/full) is a one-line error and exit 1, not a stack trace. A closed stderr
 * (`2>&1 | head -1`) is ignored: the run goes on and its outputs are written.
 */
function installStdoutGuard(): void {
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    const what = (err.code && IO_ERRORS[err.code]) ?? err.message;
    process.stderr.write(`error: standard output: ${what}${err.code ? ` (${err.code})` : ""}\n`);
    process.exit(EXIT.failed);
  });
  process.stderr.on("error", () => undefined);
}

/**
 * POVWATCH_STATS=1 (used by bench/): one line `povwatch-stats {"maxRssKb":…,"cpuUserMs":…,"cpuSystemMs":…,"execArgv":[…],
 * "idFactsWorkers":{"started":…,"fellBack":…}}` on stderr when the process exits, so that a benchmark can read the peak
 * memory of the run it timed (and a test the Node flags bin/povwatch.js gave the process, and whether the audit's ID
 * facts were computed by a worker).
 */
function reportStatsAtExit(): void {
  process.once("exit", () => {
    const u = process.resourceUsage();
    process.stderr.write(`povwatch-stats ${JSON.stringify({ maxRssKb: u.maxRSS, cpuUserMs: Math.round(u.userCPUTime / 1000), cpuSystemMs: Math.round(u.systemCPUTime / 1000), execArgv: process.execArgv, idFactsWorkers: idFactsWorkerRuns })}\n`);
  });
}
