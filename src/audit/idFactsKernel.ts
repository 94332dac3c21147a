/**
 * The per-member ID facts (idFacts.ts) computed from plain arrays, so that the main thread and the facts worker
 * (factsWorker.ts) run the same code: what a member store keeps of each 证件号码 (18 bytes a member, a length each)
 * and of each 出生日期 (a dictionary code, and the number YYYYMMDD each code's text writes).
 */
import { ASCII_BYTES, RAW_LENGTH_STRING } from "../model/columns.js";
import { IdCheck, checkIdBytes } from "./residentId.js";

/** flags[k] & CHECK: 0 = no ID, IdCheck + 1, or UNKNOWN. */
export const CHECK = 7;
export const UNKNOWN = 7;
/** Q002 compares the ID (6 characters or more); hashes[k] is the hash Q002 uses. */
export const COMPARED = 8;
/** A resident ID with an 出生日期 not written as its digits 7–14 (YYYY-MM-DD): Q007 must look at it. */
export const BIRTH_DIFFERS = 16;
/** birthNumbers' value for "no 出生日期". */
export const NO_DATE = -2;

/** What the facts are computed from; the arrays may be longer than `n` (a store's spare capacity). */
export interface FactsInput {
  /** Number of members. */
  readonly n: number;
  /** Member k's 证件号码 bytes at k × 18 (AsciiColumn.rawBytes). */
  readonly bytes: Uint8Array;
  /** Member k's byte count, 0 for none, RAW_LENGTH_STRING for an ID kept as a string (AsciiColumn.rawLengths). */
  readonly lengths: Uint8Array;
  /** Member k's 出生日期 code (MemberStore.birthCodes). */
  readonly birthCodes: Uint8Array | Uint16Array | Int32Array;
  /** By 出生日期 code: dateNumber of its text. */
  readonly birthNumbers: Int32Array;
}

/** Fills flags[k] and hashes[k] for members from … to − 1. */
export function computeFactsRange(input: FactsInput, flags: Uint8Array, hashes: Int32Array, from: number, to: number): void {
  const { bytes, lengths, birthCodes, birthNumbers } = input;
  for (let k = from; k < to; k++) {
    const len = lengths[k]!;
    if (len === 0) {
      flags[k] = 0;
      continue;
    }
    if (len === RAW_LENGTH_STRING) {
      flags[k] = UNKNOWN;
      continue;
    }
    const s = k * ASCII_BYTES;
    let h = 0x811c9dc5;
    let odd = false;
    for (let i = s; i < s + len; i++) {
      let c = bytes[i]!;
      odd ||= c <= 0x20 || c >= 0x7f;
      if (c >= 97 && c <= 122) c -= 32;
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (odd) {
      flags[k] = UNKNOWN;
      continue;
    }
    const check = checkIdBytes(bytes, s, len);
    let f = check + 1;
    if (len >= 6) {
      f |= COMPARED;
      hashes[k] = h;
    }
    if (check <= IdCheck.CheckDigit) {
      const birth = birthNumbers[birthCodes[k]!]!;
      if (birth !== NO_DATE && birth !== idDateNumber(bytes, s)) f |= BIRTH_DIFFERS;
    }
    flags[k] = f;
  }
}

/**
 * The number YYYYMMDD of a 出生日期 written YYYY-MM-DD (digits and hyphens only): identityRules' sameDateText holds
 * exactly when it equals the ID's digits 7–14 as a number. −1 for any other text, NO_DATE when there is none.
 */
export function dateNumber(text: string | undefined): number {
  if (text === undefined) return NO_DATE;
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return -1;
  let v = 0;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Digits 7–14 of the resident ID at b[s…] as a number (all digits: checkIdBytes said resident). */
function idDateNumber(b: Uint8Array, s: number): number {
  let v = 0;
  for (let i = s + 6; i < s + 14; i++) v = v * 10 + (b[i]! - 48);
  return v;
}

/**
 * Q002's first pass over a member store (identityRules.ts): the pairs (hash, household) of every member whose ID Q002
 * compares, sorted by hash, and the households that share a hash with another household marked. The facts worker
 * runs it once the facts are there; the main thread runs the same code when there is no worker.
 */
export interface MemberPairs {
  /** keys[0 … count − 1]: the members' hashes (as unsigned), ascending; owners[i]: the household of keys[i]. */
  readonly keys: Uint32Array;
  readonly owners: Int32Array;
  readonly count: number;
  /** By the store's household index: 1 when one of its members' hashes is also a member's of another household. */
  readonly marked: Uint8Array;
}

/**
 * Fills `out` (keys and owners at least n long, marked ownerCount long, all zero) from the facts of members
 * 0 … n − 1 and their households `households[k]`; returns the number of pairs.
 */
export function memberPairsInto(
  flags: Uint8Array,
  hashes: Int32Array,
  households: Int32Array,
  n: number,
  out: { keys: Uint32Array; owners: Int32Array; marked: Uint8Array },
): number {
  let count = 0;
  for (let k = 0; k < n; k++) if (flags[k]! & COMPARED) count++;
  const keys = new Uint32Array(count);
  const owners = new Int32Array(count);
  let p = 0;
  for (let k = 0; k < n; k++) {
    if (!(flags[k]! & COMPARED)) continue;
    keys[p] = hashes[k]!;
    owners[p++] = households[k]!;
  }
  sortPairsByHash(keys, owners, out.keys, out.owners);
  markMixedRuns(out.keys, out.owners, count, out.marked);
  return count;
}

/**
 * Sorts the pairs (keys[k], owners[k]) by key into outKeys and outOwners (at least as long) with a two-pass radix
 * sort, 16 bits a pass, stable. `keys` and `owners` are used as scratch space.
 */
export function sortPairsByHash(keys: Uint32Array, owners: Int32Array, outKeys: Uint32Array, outOwners: Int32Array): void {
  const n = keys.length;
  const midKeys = new Uint32Array(n);
  const midOwners = new Int32Array(n);
  radixPass(keys, owners, midKeys, midOwners, 0);
  radixPass(midKeys, midOwners, outKeys, outOwners, 16);
}

function radixPass(keys: Uint32Array, owners: Int32Array, toKeys: Uint32Array, toOwners: Int32Array, shift: number): void {
  const n = keys.length;
  const count = new Int32Array(65537);
  for (let k = 0; k < n; k++) count[((keys[k]! >>> shift) & 0xffff) + 1]!++;
  for (let b = 0; b < 65536; b++) count[b + 1]! += count[b]!;
  for (let k = 0; k < n; k++) {
    const d = count[(keys[k]! >>> shift) & 0xffff]!++;
    toKeys[d] = keys[k]!;
    toOwners[d] = owners[k]!;
  }
}

/** Marks every owner of a run of equal keys (keys sorted, the first n) that holds two or more different owners. */
export function markMixedRuns(keys: Uint32Array, owners: Int32Array, n: number, marked: Uint8Array): void {
  for (let a = 0; a < n; ) {
    let b = a + 1;
    let mixed = false;
    while (b < n && keys[b] === keys[a]) {
      if (owners[b] !== owners[a]) mixed = true;
      b++;
    }
    if (mixed) for (let k = a; k < b; k++) marked[owners[k]!] = 1;
    a = b;
  }
}
