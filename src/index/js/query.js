// What a search box query means: the browser's half of src/index/query.rs, which documents
// the rules (words, synonyms of vocabulary values, "quoted phrases"). Each clause keeps its
// span: where the query says it, in UTF-16 offsets, as Rust keeps byte offsets of the same
// characters.

import { analyze, querySpellings } from "./analyzer.js";

const QUOTES = new Set(['"', "“", "”", "„"]);

/**
 * Splits a query into clauses: the words outside quotes in their order (a run that spells a
 * vocabulary value as one clause), then each phrase. A clause is
 * { kind: "word", term, spelling, quoted, span: [start, end] },
 * { kind: "any", spellings, span } or { kind: "phrase", terms, span }.
 */
export function parseQuery(query, synonyms) {
  // Quoted text is blanked out of the words, keeping every code unit's place; an unclosed
  // quote's text stays plain words.
  let plain = query;
  const phrases = [];
  let open = -1;
  const blank = (from, to) => {
    plain = plain.slice(0, from) + " ".repeat(to - from) + plain.slice(to);
  };
  for (let at = 0; at < query.length; ) {
    const ch = String.fromCodePoint(query.codePointAt(at));
    const end = at + ch.length;
    if (QUOTES.has(ch)) {
      if (open >= 0) {
        phrases.push([open + query[open].length, at]);
        blank(open, end);
        open = -1;
      } else {
        open = at;
      }
    }
    at = end;
  }
  if (open >= 0) blank(open, open + 1);

  const words = querySpellings(plain);
  const terms = words.map((w) => w.term);
  const clauses = [];
  let i = 0;
  while (i < words.length) {
    const match = synonyms.find(terms, i);
    if (match) {
      clauses.push({ kind: "any", spellings: match.group, span: [words[i].start, words[i + match.length - 1].end] });
      i += match.length;
    } else {
      clauses.push({ kind: "word", term: words[i].term, spelling: words[i].word, quoted: false, span: [words[i].start, words[i].end] });
      i += 1;
    }
  }
  for (const span of phrases) {
    const text = query.slice(span[0], span[1]);
    const phraseTerms = analyze(text, "phrase").map((t) => t.text);
    if (phraseTerms.length === 1) {
      const spelling = querySpellings(text)[0]?.word ?? "";
      clauses.push({ kind: "word", term: phraseTerms[0], spelling, quoted: true, span });
    } else if (phraseTerms.length > 1) {
      clauses.push({ kind: "phrase", terms: phraseTerms, span });
    }
  }
  return clauses;
}

/** Groups of equivalent spellings of vocabulary values, from `meta.json`'s `synonyms`. */
export class Synonyms {
  constructor(groups) {
    this.groups = groups;
    this.lookup = new Map();
    this.longest = 0;
    groups.forEach((group, index) => {
      for (const spelling of group) {
        this.longest = Math.max(this.longest, spelling.length);
        const key = spelling.join(" ");
        if (!this.lookup.has(key)) this.lookup.set(key, index);
      }
    });
  }

  find(tokens, start) {
    for (let length = Math.min(this.longest, tokens.length - start); length >= 1; length--) {
      const index = this.lookup.get(tokens.slice(start, start + length).join(" "));
      if (index !== undefined) return { length, group: this.groups[index] };
    }
    return null;
  }
}
