/**
 * What the ID rules (Q001, Q002, Q007, Q018) need to know about each member's 证件号码, computed once from a member
 * store's columns, without a string or an object per member: a province has millions of members, nearly all with a
 * valid resident ID whose birth date is their 出生日期, and their households then need no per-member work from
 * these rules. A member whose ID the facts cannot speak for (kept as a string: not plain ASCII, or with blanks or
 * control characters) is marked unknown, and its household goes through the rules' general path.
 */
import { ASCII_BYTES } from "../model/columns.js";
import { MemberStore } from "../model/memberStore.js";
import { IdCheck } from "./residentId.js";
import { BIRTH_DIFFERS, CHECK, COMPARED, UNKNOWN, computeFactsRange, dateNumber, memberPairsInto, type FactsInput, type MemberPairs } from "./idFactsKernel.js";
import { FACTS_FAILED, factsWorkerAvailable, startFactsWorker } from "./factsWorker.js";

export { COMPARED, type MemberPairs } from "./idFactsKernel.js";

export interface IdFacts {
  readonly flags: Uint8Array;
  /** FNV-1a of the ID with a–z as A–Z (identityRules' hashDigitsId / hashString of normalizeIdNumber). */
  readonly hashes: Int32Array;
  /** Members 0 … ready − 1 have their facts (all of them unless the facts worker is still computing). */
  ready: number;
  /**
   * The household view knownIds answered for last, and its answer: the four rules ask in turn about the same
   * household (a property on each view would cost more than the facts). Kept with the store's facts, so that
   * nothing carries over from one dataset to another.
   */
  lastView: object | undefined;
  lastKnown: KnownIds | undefined;
  /** Q002's first pass over the members (memberPairsOf), once asked for. */
  pairs: MemberPairs | undefined;
  /**
   * The facts worker, while it may still deliver facts or Q002's pass: its shared progress counter (factsWorker.ts)
   * and the arrays it writes that pass into.
   */
  worker: { progress: Int32Array; keys: Uint32Array; owners: Int32Array; marked: Uint8Array } | undefined;
}

const computed = new WeakMap<MemberStore, IdFacts>();

/** The facts of every member of `store` (computed on the first call, then kept with the store). */
function idFactsOf(store: MemberStore): IdFacts {
  let facts = computed.get(store);
  if (!facts) computed.set(store, (facts = computeIdFacts(store)));
  return facts;
}

/** Every member's facts of `store`, waiting for the facts worker if one is computing them (tests). */
export function completeIdFacts(store: MemberStore): IdFacts {
  const facts = idFactsOf(store);
  if (facts.ready < store.rowCount) waitForFacts(facts, store, store.rowCount - 1);
  return facts;
}

/** What computeFactsRange reads of the store (its own arrays, not copies). */
function factsInput(store: MemberStore): FactsInput {
  const ids = store.idNumbers;
  return {
    n: store.rowCount,
    bytes: ids.rawBytes,
    lengths: ids.rawLengths,
    birthCodes: store.birthCodes,
    // Each 出生日期 text as the number its digits YYYYMMDD write when it is YYYY-MM-DD, else −1: compared with the
    // ID's digits 7–14 without touching the text (tens of thousands of strings scattered over the heap).
    birthNumbers: Int32Array.from(store.birthDates(), dateNumber),
  };
}

/** The facts of every member of `store`, computed on this thread (the reference for the facts worker). */
export function computeIdFacts(store: MemberStore): IdFacts {
  const n = store.rowCount;
  const flags = new Uint8Array(n);
  const hashes = new Int32Array(n);
  computeFactsRange(factsInput(store), flags, hashes, 0, n);
  return { flags, hashes, ready: n, lastView: undefined, lastKnown: undefined, pairs: undefined, worker: undefined };
}

/**
 * Members from which the scan and check hand the facts to a worker: ≈ 0.17 s of work on this thread a million
 * members, against a worker's start (≈ 40 ms) that the first household may have to wait for.
 */
export const FACTS_WORKER_MIN_MEMBERS = 1_000_000;

/**
 * Starts computing the facts of `store` in a worker thread (when it has at least `minMembers` members, the worker can
 * run, and the facts are not there yet): the audit then reads each household's facts as soon as the worker has them,
 * waiting only when it is ahead of the worker. Returns whether a worker was started.
 */
export function startIdFactsInWorker(store: unknown, minMembers = FACTS_WORKER_MIN_MEMBERS): boolean {
  if (!(store instanceof MemberStore) || !factsWorkerAvailable || computed.has(store)) return false;
  const n = store.rowCount;
  if (n < minMembers || n === 0) return false;
  const flags = new Uint8Array(new SharedArrayBuffer(n));
  const hashes = new Int32Array(new SharedArrayBuffer(4 * n));
  const progress = new Int32Array(new SharedArrayBuffer(16));
  const pairs = {
    households: store.householdsOfMembers.slice(0, n),
    keys: new Uint32Array(new SharedArrayBuffer(4 * n)),
    owners: new Int32Array(new SharedArrayBuffer(4 * n)),
    marked: new Uint8Array(new SharedArrayBuffer(store.size)),
  };
  const own = factsInput(store);
  // Copies of exactly n members' worth, handed over (transferred): the store keeps its own arrays. (The ID bytes are
  // a Buffer, whose slice would be a view of the store's memory: the constructor copies.)
  const input: FactsInput = {
    n,
    bytes: new Uint8Array(own.bytes.subarray(0, n * ASCII_BYTES)),
    lengths: new Uint8Array(own.lengths.subarray(0, n)),
    birthCodes: own.birthCodes.slice(0, n),
    birthNumbers: own.birthNumbers,
  };
  try {
    startFactsWorker(input, flags, hashes, progress, pairs);
  } catch {
    return false;
  }
  const worker = { progress, keys: pairs.keys, owners: pairs.owners, marked: pairs.marked };
  computed.set(store, { flags, hashes, ready: 0, lastView: undefined, lastKnown: undefined, pairs: undefined, worker });
  idFactsWorkerRuns.started++;
  return true;
}

/** How many facts workers this process started, and how many failed (the main thread finished their work): for POVWATCH_STATS. */
export const idFactsWorkerRuns = { started: 0, fellBack: 0 };

/** The facts worker's shared progress counter for `store` while it runs (factsWorker.ts), else undefined (tests). */
export function idFactsProgressOf(store: MemberStore): Int32Array | undefined {
  return computed.get(store)?.worker?.progress;
}

/** How long the main thread waits for the worker to make progress before computing the rest itself. */
const STALLED_MS = 10_000;

/**
 * Waits until `reached(progress[index])` (index 0: members done, 2: Q002's pass done). False when the worker failed
 * or made no progress for STALLED_MS: the caller then does the work itself.
 */
function awaitWorker(progress: Int32Array, index: number, reached: (value: number) => boolean): boolean {
  let waited = 0;
  for (;;) {
    const value = Atomics.load(progress, index);
    if (reached(value)) return true;
    if (Atomics.load(progress, 1) === FACTS_FAILED || waited >= STALLED_MS) return false;
    // Blocks this thread for a few milliseconds at most: the worker advances every ≈ 10 ms.
    if (Atomics.wait(progress, index, value, 50) === "timed-out") waited += 50;
    else waited = 0;
  }
}

/** Waits until member k's facts are there (facts.ready > k), or computes the missing ones here if the worker failed. */
function waitForFacts(facts: IdFacts, store: MemberStore, k: number): void {
  const progress = facts.worker!.progress;
  if (awaitWorker(progress, 0, (done) => done > k)) {
    facts.ready = Atomics.load(progress, 0);
    return;
  }
  idFactsWorkerRuns.fellBack++;
  // The worker's Q002 pass will not come either: memberPairsOf does it here.
  facts.worker = undefined;
  // Recomputing what the worker may also be writing is harmless: the same values.
  computeFactsRange(factsInput(store), facts.flags, facts.hashes, Atomics.load(progress, 0), store.rowCount);
  facts.ready = store.rowCount;
}

/**
 * Q002's first pass over every member of `store` (idFactsKernel.ts memberPairsInto): from the facts worker when it
 * did it (waiting for it if need be), else computed here, with the same code.
 */
export function memberPairsOf(store: MemberStore): MemberPairs {
  const facts = completeIdFacts(store);
  if (facts.pairs) return facts.pairs;
  const w = facts.worker;
  facts.worker = undefined;
  if (w && awaitWorker(w.progress, 2, (done) => done === 1)) {
    return (facts.pairs = { keys: w.keys, owners: w.owners, count: Atomics.load(w.progress, 3), marked: w.marked });
  }
  if (w) idFactsWorkerRuns.fellBack++;
  const n = store.rowCount;
  const out = { keys: new Uint32Array(n), owners: new Int32Array(n), marked: new Uint8Array(store.size) };
  const count = memberPairsInto(facts.flags, facts.hashes, store.householdsOfMembers, n, out);
  return (facts.pairs = { ...out, count });
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
  /** The trimmed 户主证件号码 is, character for character, one of the household's members' (usually the 户主's). */
  readonly headIsMember: boolean;
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
  const text = view.household?.headIdNumber?.trim();
  // The 户主证件号码 is usually the 户主's own number: the first member whose bytes are its text, looked for in the
  // same pass (a text longer than a stored number cannot be one).
  const headLength = text && text.length <= ASCII_BYTES ? text.length : 0;
  const bytes = members.idNumbers.rawBytes;
  const lengths = members.idNumbers.rawLengths;
  let headMember = -1;
  let allValid = true;
  let birthDiffers = false;
  for (let x = from; x < to; x++) {
    const k = members.memberAt(x);
    if (k >= facts.ready) waitForFacts(facts, members, k);
    const f = facts.flags[k]!;
    const check = f & CHECK;
    if (check === UNKNOWN) return undefined;
    if (check !== 0 && check !== IdCheck.Valid + 1) allValid = false;
    if (f & BIRTH_DIFFERS) birthDiffers = true;
    if (headMember < 0 && lengths[k] === headLength && headLength > 0 && bytesAre(bytes, k * ASCII_BYTES, text!)) headMember = k;
  }
  let headHash: number | undefined;
  if (headMember >= 0) {
    // Its facts are the member's (the same text checks and hashes the same way), its check in allValid already.
    headHash = facts.flags[headMember]! & COMPARED ? facts.hashes[headMember] : undefined;
  } else if (text) {
    const h = head(text);
    if (!h.valid) allValid = false;
    headHash = h.hash;
  }
  return (facts.lastKnown = { facts, store: members, from, to, allValid, birthDiffers, headHash, headIsMember: headMember >= 0 });
}

/** Whether bytes[s …] are the characters of `text`, one byte each. */
function bytesAre(bytes: Uint8Array, s: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[s + i] !== text.charCodeAt(i)) return false;
  return true;
}
