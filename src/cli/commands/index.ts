/**
 * The command table: adding a command is one file under commands/ plus one line here.
 */
import type { CommandSpec } from "../command.js";
import { checkCommand } from "./check.js";
import { diffCommand } from "./diff.js";
import { generateCommand } from "./generate.js";
import { inspectCommand } from "./inspect.js";
import { policyCommand } from "./policy.js";
import { scanCommand } from "./scan.js";

export const COMMANDS: CommandSpec[] = [scanCommand, checkCommand, diffCommand, inspectCommand, policyCommand, generateCommand];
