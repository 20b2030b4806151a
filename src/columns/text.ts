import type Database from "better-sqlite3";
import type { Db } from "../db/client.js";
import { ftsWords, prefixMatch } from "../queries/filters.js";
import { membersOf } from "./bitset.js";
import { eachId, type ColumnStore } from "./store.js";

/**
 * The full-text index's common terms as bitsets over the store's entries (docs/decisions/0006,
 * round 3). A search word is a prefix (`"transfer"*`), and FTS5 hands a common one's matches
 * over at about 0.25 µs a study: 100–130 ms for the 470,000 studies of "transfer" at 1M, more
 * than the aggregation that follows. A term carried by an eighth of the studies or more is kept
 * as one bit per study (n/8 bytes, no more than its own list of entries would take); a word's
 * matches are then the union of the bitsets of its terms, plus the few uncommon terms in its
 * range asked of FTS5 by name. Words the index cannot answer that way go to FTS5 as before.
 *
 * Only terms of ASCII letters and digits get a bitset or are asked for by name: FTS5's unicode61
 * tokenizer gives such a term back unchanged, so `"term"` matches exactly the studies the
 * vocabulary counts for it. Any other term in a word's range sends the word to FTS5.
 */
export type TextIndex = {
  /** Every term of the vocabulary, sorted, concatenated: term i is terms.slice(at[i], at[i + 1]). */
  terms: string;
  at: Uint32Array;
  /** Bitset over entries (bit e & 31 of word e >>> 5) of each common term, by term index. */
  bits: Map<number, Uint32Array>;
};

/** Uncommon terms per word asked of FTS5 by name before the whole word is handed to it instead. */
const MAX_NAMED = 16;
const PLAIN = /^[a-z0-9]+$/;

// The vocabulary is read a first character at a time: fts5vocab counts each term's studies by
// reading its whole posting list, about 1 s for the 9,000 terms at 1M in one statement.
// Every range has an upper bound but the last, whose terms start past ASCII's letters.
const VOCAB_SQL = "SELECT term, doc FROM studies_fts_terms WHERE term >= ? AND term < ?";
const VOCAB_REST_SQL = "SELECT term, doc FROM studies_fts_terms WHERE term >= ?";
const FIRST = "0123456789abcdefghijklmnopqrstuvwxyz{";
const RANGES: [string, string | null][] = [["", "0"], ...[...FIRST].map((c, i): [string, string | null] => [c, FIRST[i + 1] ?? null])];
const ROWIDS_SQL = "SELECT group_concat(rowid) FROM studies_fts WHERE studies_fts MATCH ?";

/**
 * Builds the index for the store's snapshot, one statement per step: run inside the same read
 * transaction as the store (registry.ts), so the vocabulary and the entries agree.
 */
export function* buildText(sqlite: Database.Database, store: Pick<ColumnStore, "n" | "entryOf">): Generator<void, TextIndex> {
  const read: [string, number][] = [];
  const within = sqlite.prepare(VOCAB_SQL).raw();
  const rest = sqlite.prepare(VOCAB_REST_SQL).raw();
  for (const [from, to] of RANGES) {
    const rows = (to === null ? rest.all(from) : within.all(from, to)) as [string, number][];
    for (const row of rows) read.push(row);
    yield;
  }
  read.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const at = new Uint32Array(read.length + 1);
  read.forEach(([term], i) => {
    at[i + 1] = at[i]! + term.length;
  });
  const terms = read.map(([term]) => term).join("");
  const bits = new Map<number, Uint32Array>();
  const common = Math.max(1, Math.ceil(store.n / 8));
  const rowids = sqlite.prepare(ROWIDS_SQL).pluck();
  for (let i = 0; i < read.length; i++) {
    const [term, n] = read[i]!;
    if (n < common || !PLAIN.test(term)) continue;
    const set = new Uint32Array((store.n + 31) >>> 5);
    markRowids(store, rowids.get(`"${term}"`) as string | null, set);
    bits.set(i, set);
    yield;
  }
  return { terms, at, bits };
}

/**
 * The entries matching `q` (every word, as a prefix), ascending: from the bitsets where they
 * answer, from FTS5 for the rest. Exactly the studies `studies_fts MATCH ftsQuery(q)` returns.
 */
export function textEntries(db: Db, store: ColumnStore, q: string): Uint32Array {
  const words = ftsWords(q);
  if (words.length === 0) return new Uint32Array(0);
  const index = store.text;
  const asked: string[] = [];
  let both: Uint32Array | null = null;
  for (const word of words) {
    const set = index ? wordBits(db, store, index, word) : null;
    if (set === null) asked.push(word);
    else if (both === null) both = set;
    else for (let i = 0; i < both.length; i++) both[i]! &= set[i]!;
  }
  if (both === null) return ftsEntries(db, store, prefixMatch(asked));
  if (asked.length === 0) return membersOf(both);
  // Words left to FTS5: its matches, kept where the bitsets' words match too.
  const fromFts = ftsEntries(db, store, prefixMatch(asked));
  const out = new Uint32Array(fromFts.length);
  let k = 0;
  for (const e of fromFts) if ((both[e >>> 5]! >>> (e & 31)) & 1) out[k++] = e;
  return out.subarray(0, k);
}

/**
 * A fresh bitset of the studies carrying a term that starts with the word (FTS5's `"word"*`),
 * or null when the index cannot answer it: a word that is not plain ASCII, no common term in
 * its range, or too many uncommon or non-ASCII ones.
 */
function wordBits(db: Db, store: ColumnStore, index: TextIndex, word: string): Uint32Array | null {
  // ASCII only before folding too: toLowerCase maps a few other letters (the Kelvin sign) to ASCII.
  if (!/^[A-Za-z0-9]+$/.test(word)) return null;
  const prefix = word.toLowerCase();
  const term = (i: number) => index.terms.slice(index.at[i]!, index.at[i + 1]!);
  const count = index.at.length - 1;
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (term(mid) < prefix) lo = mid + 1;
    else hi = mid;
  }
  const common: Uint32Array[] = [];
  const named: string[] = [];
  for (let i = lo; i < count; i++) {
    const t = term(i);
    if (!t.startsWith(prefix)) break;
    const set = index.bits.get(i);
    if (set) common.push(set);
    else if (!PLAIN.test(t) || named.push(t) > MAX_NAMED) return null;
  }
  if (common.length === 0) return null;
  const out = common[0]!.slice();
  for (const set of common.slice(1)) for (let i = 0; i < out.length; i++) out[i]! |= set[i]!;
  if (named.length > 0) {
    const list = db.$client.prepare(ROWIDS_SQL).pluck().get(named.map((t) => `"${t}"`).join(" OR ")) as string | null;
    markRowids(store, list, out);
  }
  return out;
}

function markRowids(store: Pick<ColumnStore, "entryOf">, list: string | null, set: Uint32Array): void {
  if (list === null) return;
  eachId(list, (id) => {
    const e = store.entryOf(id);
    if (e >= 0) set[e >>> 5]! |= 1 << (e & 31);
  });
}

/**
 * The entries FTS5 matches, ascending; one string of rowids crosses from SQLite, not a row each.
 * FTS5 hands its rowids over in ascending order and entries follow the study ids, so the entries
 * come out ascending already: they are sorted only if that ever stops being true.
 */
export function ftsEntries(db: Db, store: ColumnStore, match: string): Uint32Array {
  const list = db.$client.prepare(ROWIDS_SQL).pluck().get(match) as string | null;
  if (list === null) return new Uint32Array(0);
  let commas = 0;
  for (let i = 0; i < list.length; i++) if (list.charCodeAt(i) === 44) commas++;
  const out = new Uint32Array(commas + 1);
  let k = 0;
  let ascending = true;
  eachId(list, (id) => {
    const e = store.entryOf(id);
    if (e < 0) return;
    if (k > 0 && e < out[k - 1]!) ascending = false;
    out[k++] = e;
  });
  const rows = out.subarray(0, k);
  return ascending ? rows : rows.sort();
}
