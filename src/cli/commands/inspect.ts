/**
 * povwatch inspect — see ../shared/spec/cli.md. (Stub: being implemented.)
 */
import type { CommandSpec } from "../command.js";
import { UserError } from "../../model/errors.js";

export const inspectCommand: CommandSpec = {
  name: "inspect",
  configure(cmd) {
    cmd.description("not implemented yet").allowUnknownOption().argument("[args...]");
  },
  async run() {
    throw new UserError("not_implemented", "povwatch inspect is not implemented yet");
  },
};
