/**
 * parsePolicyText: the text of a policy file → Policy, or a UserError naming the file and every problem. Pure (the
 * file is read by load.ts). Policy files are JSON with `//` line comments allowed, so that the starter file can
 * explain itself.
 */
import { EXIT, UserError } from "../model/errors.js";
import { formatPolicyError, normalizePolicy } from "./normalize.js";
import type { Policy } from "./types.js";

/**
 * Replaces every `//` comment (to the end of its line, outside strings) with spaces, so that JSON.parse accepts the
 * text and its error positions still point into the original file. Block comments are not supported.
 */
export function blankLineComments(text: string): string {
  let out = "";
  let inString = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === "\\" && i + 1 < text.length) {
        out += text[i + 1];
        i += 2;
        continue;
      }
      if (ch === '"' || ch === "\n") inString = false;
      i++;
    } else if (ch === '"') {
      inString = true;
      out += ch;
      i++;
    } else if (ch === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n" && text[i] !== "\r") {
        out += " ";
        i++;
      }
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Parses and validates a policy file's text. `file` is the path as the user gave it (used in messages and as the
 * policy's name when the file has none). Throws UserError (code "policy_invalid", exit 2) for invalid JSON (with the
 * line and column) or for any validation problem (every key-path problem, one per line).
 */
export function parsePolicyText(text: string, file: string): Policy {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const json = blankLineComments(source);
  if (json.trim() === "") {
    throw invalid(file, `policy file ${file} is empty (expected a JSON object such as { "monitoringLine": 8700 })`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    const message = (err as Error).message;
    const pos = /at position (\d+)/.exec(message);
    const where = pos ? lineAndColumn(json, Number(pos[1])) : lineAndColumn(json, json.trimEnd().length);
    const reason = message.replace(/\s*in JSON at position \d+.*$/s, "").replace(/\s*\(line \d+ column \d+\)/, "");
    throw invalid(file, `policy file ${file}: not valid JSON at line ${where.line}, column ${where.column}: ${reason}`, where.line, err);
  }
  const { policy, errors } = normalizePolicy(raw, { defaultName: baseName(file) });
  if (!policy) {
    const noun = errors.length === 1 ? "problem" : "problems";
    throw invalid(file, `policy file ${file} has ${errors.length} ${noun}:\n${errors.map((e) => "  " + formatPolicyError(e)).join("\n")}`);
  }
  return policy;
}

function invalid(file: string, message: string, row?: number, cause?: unknown): UserError {
  return new UserError("policy_invalid", message, {
    exitCode: EXIT.usage,
    context: row === undefined ? { file } : { file, row },
    ...(cause === undefined ? {} : { cause }),
  });
}

function baseName(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts[parts.length - 1] || file;
}
