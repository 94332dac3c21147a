/**
 * The policy (policy.md), pure parts: defaults, validation, per-household resolution, plain-data forms, the starter
 * file's text. The disk side (loadPolicy, writePolicyFile) is imported from ./load.js by the CLI only, so that
 * importing this index never pulls in fs.
 */
export * from "./types.js";
export * from "./defaults.js";
export * from "./normalize.js";
export * from "./resolve.js";
export * from "./describe.js";
export * from "./parse.js";
export * from "./starter.js";
