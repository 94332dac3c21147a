/**
 * The policy's disk side: loadPolicy reads a policy file (parsePolicyText does the rest) and writePolicyFile writes
 * the starter file. The only file under src/policy that touches the disk.
 */
import { link, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { EXIT, UserError } from "../model/errors.js";
import { DEFAULT_POLICY } from "./defaults.js";
import { parsePolicyText } from "./parse.js";
import type { Policy } from "./types.js";

/**
 * The policy of a run: DEFAULT_POLICY when `path` is undefined, else the file read as UTF-8 (BOM allowed), JSON with
 * `//` line comments. Throws UserError with exit code 2: "policy_unreadable" when the file cannot be read,
 * "policy_invalid" for invalid JSON (names the line) or any key-path problem (lists them all).
 */
export async function loadPolicy(path: string | undefined): Promise<Policy> {
  if (path === undefined) return DEFAULT_POLICY;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : code === "EACCES" ? "permission denied" : code ?? "read error";
    throw new UserError("policy_unreadable", `policy file ${path}: cannot read it (${why})`, {
      exitCode: EXIT.usage,
      context: { file: path },
      cause: err,
    });
  }
  return parsePolicyText(text, path);
}

/**
 * Writes `text` to `path` atomically (a temporary file in the same folder, then renamed or linked into place).
 * Without `force` an existing file is never replaced: throws UserError "output_exists" (exit 2) and writes nothing.
 * Other write failures throw UserError "write_failed" (exit 1).
 */
export async function writePolicyFile(path: string, text: string, options: { force: boolean }): Promise<void> {
  // A folder is not a file to replace (--force would not help): say so before anything is written.
  if ((await stat(path).catch(() => undefined))?.isDirectory()) {
    throw new UserError("output_is_folder", `${path} is a folder; give the name of the policy file to write (e.g. ${path}/policy.json)`, {
      exitCode: EXIT.usage,
      context: { file: path },
    });
  }
  const temp = `${path}.tmp-${process.pid}-${Date.now().toString(36)}`;
  try {
    await writeFile(temp, text, { encoding: "utf8", flag: "wx" });
  } catch (err) {
    throw writeFailed(path, err);
  }
  try {
    if (options.force) await rename(temp, path);
    else await link(temp, path); // link fails with EEXIST instead of replacing, atomically
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw exists(path);
    if (options.force || !(code === "EPERM" || code === "ENOTSUP" || code === "ENOSYS")) throw writeFailed(path, err);
    // A file system without hard links: exclusive create still refuses to replace an existing file.
    try {
      await writeFile(path, text, { encoding: "utf8", flag: "wx" });
    } catch (err2) {
      throw (err2 as NodeJS.ErrnoException).code === "EEXIST" ? exists(path) : writeFailed(path, err2);
    }
    return;
  }
  if (!options.force) await unlink(temp).catch(() => undefined);
}

function exists(path: string): UserError {
  return new UserError("output_exists", `${path} already exists; nothing written (use --force to overwrite it)`, {
    exitCode: EXIT.usage,
    context: { file: path },
  });
}

function writeFailed(path: string, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === "ENOENT" ? "its folder does not exist" : code === "EACCES" || code === "EPERM" ? "permission denied" : code ?? "write error";
  return new UserError("write_failed", `cannot write ${path} (${why}); nothing written`, { exitCode: EXIT.failed, context: { file: path }, cause: err });
}
