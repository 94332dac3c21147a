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
export const CHECK = 7;
export const UNKNOWN = 7;
/** Q002 compares the ID (6 characters or more); hashes[k] is the hash Q002 uses. */
export const COMPARED = 8;
/** A resident ID with an 出生日期 not written as its digits 7–14 (YYYY-MM-DD): Q007 must look at it. */
export const BIRTH_DIFFERS = 16;

export interface IdFacts {
  readonly flags: Uint8Array;
  /** FNV-1a of the ID with a–z as A–Z (identityRules' hashDigitsId / hashString of normalizeIdNumber). */
  readonly hashes: Int32Array;
}

const computed = new WeakMap<MemberStore, IdFacts>();

/** The facts of every member of `store` (computed on the first call, then kept with the store). */
export function idFactsOf(store: MemberStore): IdFacts {
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
  const births = store.birthDates();
  for (let k = 0; k < n; k++) {
    const len = ids.byteLength(k);
    if (len === 0) continue;
    const s = k * ASCII_BYTES;
    let h = 0x811c9dc5;
    let plain = len > 0;
    for (let i = s; i < s + len && plain; i++) {
      let c = bytes[i]!;
      if (c <= 0x20 || c >= 0x7f) plain = false;
      if (c >= 97 && c <= 122) c -= 32;
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (!plain) {
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
      const birth = births[store.birthCode(k)];
      if (birth !== undefined && !sameDate(birth, bytes, s)) f |= BIRTH_DIFFERS;
    }
    flags[k] = f;
  }
  return { flags, hashes };
}

/** identityRules' sameDateText for an 18-byte ID at b[s…]: 出生日期 YYYY-MM-DD equal to digits 7–14 character for character. */
function sameDate(birth: string, b: Uint8Array, s: number): boolean {
  if (birth.length !== 10 || birth.charCodeAt(4) !== 45 || birth.charCodeAt(7) !== 45) return false;
  for (let i = 0; i < 4; i++) if (birth.charCodeAt(i) !== b[s + 6 + i]) return false;
  return (
    birth.charCodeAt(5) === b[s + 10] && birth.charCodeAt(6) === b[s + 11] && birth.charCodeAt(8) === b[s + 12] && birth.charCodeAt(9) === b[s + 13]
  );
}

/**
 * The view's members as numbers of `members` (a MemberStore, as read from files) with the facts, when the facts
 * speak for every one of them; else undefined (the rules then look at the Member objects).
 */
export function knownMembers(view: { readonly memberIndex?: number | undefined }, members: unknown): { facts: IdFacts; store: MemberStore; from: number; to: number } | undefined {
  const index = view.memberIndex;
  if (index === undefined || !(members instanceof MemberStore)) return undefined;
  const facts = idFactsOf(members);
  if (index < 0) return { facts, store: members, from: 0, to: 0 };
  const from = members.rowsStart(index);
  const to = members.rowsStart(index + 1);
  for (let x = from; x < to; x++) if ((facts.flags[members.memberAt(x)]! & CHECK) === UNKNOWN) return undefined;
  return { facts, store: members, from, to };
}
