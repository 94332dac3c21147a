/**
 * povwatch generate — see ../shared/spec/cli.md. (Stub: being implemented.)
 */
import type { CommandSpec } from "../command.js";
import { UserError } from "../../model/errors.js";

export const generateCommand: CommandSpec = {
  name: "generate",
  configure(cmd) {
    cmd.description("not implemented yet").allowUnknownOption().argument("[args...]");
  },
  async run() {
    throw new UserError("not_implemented", "povwatch generate is not implemented yet");
  },
};
