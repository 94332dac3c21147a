/**
 * What the ID rules (Q001, Q002, Q007, Q018) need to know about each member's 证件号码, computed once from a member
 * store's columns, without a string or an object per member: a province has millions of members, nearly all with a
 * valid resident ID whose birth date is their 出生日期, and their households then need no per-member work from
 * these rules. A member whose ID the facts cannot speak for (kept as a string: not plain ASCII, or with blanks or
 * control characters) is marked unknown, and its household goes through the rules' general path.
 */
import { ASCII_BYTES } from "../model/columns.js";
import { MemberStore } from "../model/memberStore.js";
import { IdCheck, checkIdBytes } from "./residentId.js";

/** flags[k] & CHECK: 0 = no ID, IdCheck + 1, or UNKNOWN. */
const CHECK = 7;
const UNKNOWN = 7;
/** Q002 compares the ID (6 characters or more); hashes[k] is the hash Q002 uses. */
export const COMPARED = 8;
/** A resident ID with an 出生日期 not written as its digits 7–14 (YYYY-MM-DD): Q007 must look at it. */
const BIRTH_DIFFERS = 16;

export interface IdFacts {
  readonly flags: Uint8Array;
  /** FNV-1a of the ID with a–z as A–Z (identityRules' hashDigitsId / hashString of normalizeIdNumber). */
  readonly hashes: Int32Array;
  /**
   * The household view knownIds answered for last, and its answer: the four rules ask in turn about the same
   * household (a property on each view would cost more than the facts). Kept with the store's facts, so that
   * nothing carries over from one dataset to another.
   */
  lastView: object | undefined;
  lastKnown: KnownIds | undefined;
}

const computed = new WeakMap<MemberStore, IdFacts>();

/** The facts of every member of `store` (computed on the first call, then kept with the store). */
function idFactsOf(store: MemberStore): IdFacts {
  let facts = computed.get(store);
  if (!facts) computed.set(store, (facts = computeFacts(store)));
  return facts;
}

function computeFacts(store: MemberStore): IdFacts {
  const n = store.rowCount;
  const flags = new Uint8Array(n);
  const hashes = new Int32Array(n);
  const ids = store.idNumbers;
  const bytes = ids.rawBytes;
  // Each 出生日期 text as the number its digits YYYYMMDD write when it is YYYY-MM-DD, else −1: compared with the
  // ID's digits 7–14 without touching the text (tens of thousands of strings scattered over the heap).
  const birthNumbers = Int32Array.from(store.birthDates(), dateNumber);
  for (let k = 0; k < n; k++) {
    const len = ids.byteLength(k);
    if (len === 0) continue;
    if (len < 0) {
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
      const birth = birthNumbers[store.birthCode(k)]!;
      if (birth !== NO_DATE && birth !== idDateNumber(bytes, s)) f |= BIRTH_DIFFERS;
    }
    flags[k] = f;
  }
  return { flags, hashes, lastView: undefined, lastKnown: undefined };
}

const NO_DATE = -2;

/**
 * The number YYYYMMDD of a 出生日期 written YYYY-MM-DD (digits and hyphens only): identityRules' sameDateText holds
 * exactly when it equals the ID's digits 7–14 as a number. −1 for any other text, NO_DATE when there is none.
 */
function dateNumber(text: string | undefined): number {
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

/** What the ID rules need to know of one household, from the facts (knownIds). */
export interface KnownIds {
  readonly facts: IdFacts;
  readonly store: MemberStore;
  /** The household's members are store.memberAt(x) for x in from … to − 1. */
  readonly from: number;
  readonly to: number;
  /** Every member's ID and the 户主证件号码 is a valid resident ID or empty: Q001 and Q018 have nothing to report. */
  readonly allValid: boolean;
  /** A member's 出生日期 is not written as its resident ID's digits 7–14: Q007 must look. */
  readonly birthDiffers: boolean;
  /** Q002's hash of the 户主证件号码 (trimmed), or undefined when Q002 does not compare it (empty or too short). */
  readonly headHash: number | undefined;
}

/**
 * The household's ID facts when the view's members are numbers of `members` (a MemberStore, as read from files) and
 * the facts speak for every one of them; else undefined (the rules then look at the Member objects). The answer for
 * the last view is kept with the facts. `head` says whether a trimmed 户主证件号码 is a valid resident ID and gives its
 * Q002 hash.
 */
export function knownIds(
  view: { readonly memberIndex?: number | undefined; readonly household: { readonly headIdNumber?: string | undefined } | undefined },
  members: unknown,
  head: (text: string) => { valid: boolean; hash: number | undefined },
): KnownIds | undefined {
  const index = view.memberIndex;
  if (index === undefined || !(members instanceof MemberStore)) return undefined;
  const facts = idFactsOf(members);
  if (facts.lastView === view) return facts.lastKnown;
  facts.lastView = view;
  facts.lastKnown = undefined;
  const from = index < 0 ? 0 : members.rowsStart(index);
  const to = index < 0 ? 0 : members.rowsStart(index + 1);
  let allValid = true;
  let birthDiffers = false;
  for (let x = from; x < to; x++) {
    const f = facts.flags[members.memberAt(x)]!;
    const check = f & CHECK;
    if (check === UNKNOWN) return undefined;
    if (check !== 0 && check !== IdCheck.Valid + 1) allValid = false;
    if (f & BIRTH_DIFFERS) birthDiffers = true;
  }
  const text = view.household?.headIdNumber?.trim();
  let headHash: number | undefined;
  if (text) {
    const h = head(text);
    if (!h.valid) allValid = false;
    headHash = h.hash;
  }
  return (facts.lastKnown = { facts, store: members, from, to, allValid, birthDiffers, headHash });
}
