/**
 * The command table: adding a command is one file under commands/ plus one line here.
 */
import type { CommandSpec } from "../command.js";

export const COMMANDS: CommandSpec[] = [];
