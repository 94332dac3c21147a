/**
 * povwatch policy — show the resolved policy, or write a commented starter policy file (policy.md, cli.md).
 *
 *   povwatch policy show [FILE] [--policy FILE] [--json]
 *       Prints the resolved policy (defaults filled in, overrides listed) as JSON on stdout. With no file: the
 *       built-in national floor (said once on stderr). --json is accepted for symmetry; the output is always JSON.
 *   povwatch policy init [FILE] [--force]
 *       Writes a commented starter policy file to FILE (default povwatch-policy.json; "-" prints it on stdout).
 *       An existing file is not replaced without --force.
 *
 * Exit codes: 0 done; 2 invalid policy file, existing file without --force, or bad usage (nothing written);
 * 1 the file could not be written.
 */
import { Argument } from "commander";
import type { CommandContext, CommandSpec } from "../command.js";
import { EXIT, UserError } from "../../model/errors.js";
import { BUILT_IN_POLICY_NOTICE } from "../../policy/defaults.js";
import { describePolicy } from "../../policy/describe.js";
import { loadPolicy, writePolicyFile } from "../../policy/load.js";
import { STARTER_POLICY_FILE, buildStarterPolicyText } from "../../policy/starter.js";

interface PolicyOptions {
  policy?: string;
  json?: boolean;
  force?: boolean;
}

/** `povwatch policy show|init`: the command table entry (see the usage text above). */
export const policyCommand: CommandSpec = {
  name: "policy",
  configure(cmd) {
    cmd
      .description("show the resolved policy (JSON on stdout) or write a commented starter policy file")
      .addArgument(new Argument("<action>", "show | init").choices(["show", "init"]))
      .argument("[file]", `show: the policy file to resolve; init: where to write (default ${STARTER_POLICY_FILE}, - for stdout)`)
      .option("--policy <file>", "show: the policy file to resolve (same as FILE)")
      .option("--json", "show: print JSON (the default and only format)")
      .option("--force", "init: overwrite an existing file");
  },
  async run(args, options, ctx) {
    const [action, file] = args as [string, string | undefined];
    const opts = options as PolicyOptions;
    return action === "init" ? runInit(file, opts, ctx) : runShow(file, opts, ctx);
  },
};

async function runShow(file: string | undefined, opts: PolicyOptions, ctx: CommandContext): Promise<number> {
  if (file !== undefined && opts.policy !== undefined && file !== opts.policy) {
    throw usage(`give the policy file once: either FILE (${file}) or --policy (${opts.policy})`);
  }
  const policy = await loadPolicy(file ?? opts.policy);
  if (policy.builtIn) ctx.ui.info(BUILT_IN_POLICY_NOTICE);
  ctx.stdout(JSON.stringify(describePolicy(policy), null, 2) + "\n");
  return EXIT.ok;
}

async function runInit(file: string | undefined, opts: PolicyOptions, ctx: CommandContext): Promise<number> {
  if (opts.policy !== undefined) throw usage("--policy is for `povwatch policy show`; give init the file to write: povwatch policy init FILE");
  const text = buildStarterPolicyText();
  if (file === "-") {
    ctx.stdout(text);
    return EXIT.ok;
  }
  const target = file ?? STARTER_POLICY_FILE;
  await writePolicyFile(target, text, { force: !!opts.force });
  ctx.ui.info(`wrote ${target}: set your province's figures, then check it with: povwatch policy show --policy ${target}`);
  return EXIT.ok;
}

function usage(message: string): UserError {
  return new UserError("usage", message, { exitCode: EXIT.usage });
}
