// The forgiving search's dictionary: the browser's half of src/index/dictionary.rs. Its shards
// (`words/<i>.bin`, first words in `meta.json`'s `words`) are fetched only when a word must be
// corrected (every shard that may hold words of its first letter) or completed (those that may
// hold words beginning with it).

import { compareBytes, inflate, parseWords } from "./format.js";
import { distance, maxEdits } from "./forgive.js";

export class Dictionary {
  /** `boundaries`: the first word of each shard; `get(path)`: a fetch of the export. */
  constructor(boundaries, get, rules) {
    this.boundaries = boundaries;
    this.get = get;
    this.rules = rules;
    this.shards = new Map();
    this.byLetter = new Map(); // first letter → its entries, each with its characters
  }

  /**
   * The shard a word belongs to: the last whose first word is not after it, unless that shard
   * is of another letter and the next one of the word's (as src/index/word_shards.rs puts it).
   */
  shardOf(word) {
    let lo = 0;
    let hi = this.boundaries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (compareBytes(this.boundaries[mid], word) <= 0) lo = mid;
      else hi = mid - 1;
    }
    const letter = String.fromCodePoint(word.codePointAt(0));
    const ofLetter = (i) => i < this.boundaries.length && this.boundaries[i].startsWith(letter);
    return !ofLetter(lo) && ofLetter(lo + 1) ? lo + 1 : lo;
  }

  shard(index) {
    if (!this.shards.has(index)) {
      this.shards.set(index, this.get(`words/${index}.bin`).then(inflate).then(parseWords));
    }
    return this.shards.get(index);
  }

  /** The entries whose words begin with `prefix`, in order. */
  async startingWith(prefix) {
    if (this.boundaries.length === 0 || prefix === "") return [];
    const first = this.shardOf(prefix);
    let last = first;
    while (last + 1 < this.boundaries.length && this.boundaries[last + 1].startsWith(prefix)) last++;
    const shards = await Promise.all(Array.from({ length: last - first + 1 }, (_, k) => this.shard(first + k)));
    return shards.flat().filter((entry) => entry.word.startsWith(prefix));
  }

  /** The entries of a first letter, each with its characters, loaded once. */
  letter(first) {
    if (!this.byLetter.has(first)) {
      const entries = this.startingWith(first).then((found) => found.map((e) => ({ ...e, chars: [...e.word] })));
      // A failed load is not remembered, so a later search tries again.
      entries.catch(() => this.byLetter.delete(first));
      this.byLetter.set(first, entries);
    }
    return this.byLetter.get(first);
  }

  /** The terms `word` may have meant, best first ({ word, term, edits, cases }). */
  async corrections(word, ownTerm, ownCases) {
    const typed = [...word];
    const max = maxEdits(typed.length, this.rules);
    if (max === 0) return [];
    const best = new Map();
    for (const entry of await this.letter(typed[0])) {
      if (entry.term === ownTerm || entry.cases <= ownCases || Math.abs(entry.chars.length - typed.length) > max) continue;
      const edits = distance(typed, entry.chars, max);
      if (edits < 0) continue;
      const known = best.get(entry.term);
      if (!known || edits < known.edits || (edits === known.edits && compareBytes(entry.word, known.word) < 0)) {
        best.set(entry.term, { word: entry.word, term: entry.term, edits, cases: entry.cases });
      }
    }
    return [...best.values()]
      .sort((a, b) => a.edits - b.edits || b.cases - a.cases || compareBytes(a.term, b.term))
      .slice(0, this.rules.maxCorrections);
  }

  /** The terms of the words that begin with `prefix`, held by most cases first. */
  async completions(prefix) {
    const terms = new Map();
    for (const entry of await this.startingWith(prefix)) terms.set(entry.term, entry.cases);
    return [...terms]
      .sort((a, b) => b[1] - a[1] || compareBytes(a[0], b[0]))
      .slice(0, this.rules.maxCompletions)
      .map(([term]) => term);
  }
}
