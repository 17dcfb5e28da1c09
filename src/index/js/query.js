// What a search box query means: the browser's half of src/index/query.rs, which documents
// the rules (terms, synonyms of vocabulary values, "quoted phrases").

import { analyze } from "./analyzer.js";

const QUOTES = new Set(['"', "“", "”", "„"]);

/** Splits a query into clauses, as src/index/query.rs does. */
export function parseQuery(query, synonyms, { prefix = false } = {}) {
  let plain = "";
  let current = "";
  const phrases = [];
  let inQuotes = false;
  for (const ch of query) {
    if (QUOTES.has(ch)) {
      if (inQuotes) {
        phrases.push(current);
        current = "";
      } else {
        plain += " ";
      }
      inQuotes = !inQuotes;
    } else if (inQuotes) {
      current += ch;
    } else {
      plain += ch;
    }
  }
  plain += " " + current;
  const tokens = analyze(plain, "query").map((t) => t.text);
  const clauses = [];
  let i = 0;
  while (i < tokens.length) {
    const match = synonyms.find(tokens, i);
    if (match) {
      clauses.push({ kind: "any", alternatives: match.group });
      i += match.length;
    } else {
      clauses.push({ kind: "term", term: tokens[i] });
      i += 1;
    }
  }
  for (const phrase of phrases) {
    const terms = analyze(phrase, "phrase").map((t) => t.text);
    if (terms.length === 1) clauses.push({ kind: "term", term: terms[0] });
    else if (terms.length > 1) clauses.push({ kind: "phrase", terms });
  }
  // While typing, the last word may be incomplete: it also matches terms it begins. The word
  // is the whole of a hyphenated compound ("co-prod"), as the clause's term is, not just its
  // last part ("prod"), which would widen the prefix to unrelated terms ("pr…").
  const last = /(?:[\p{L}\p{M}\p{N}]+[-'\u2019\u2010\u2011])*[\p{L}\p{M}\p{N}]+$/u.exec(query.trimEnd() === query ? query : "");
  if (prefix && last && last[0].length >= 2 && !inQuotes && clauses.length && clauses[clauses.length - 1].kind === "term") {
    clauses[clauses.length - 1] = { kind: "prefix", term: clauses[clauses.length - 1].term, raw: last[0] };
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
