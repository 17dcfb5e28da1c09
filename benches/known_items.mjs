// Known-item queries generated from a collection, as a practitioner looking for a case they
// have heard of would type them (the kinds are described in relevance.mjs, which uses them, as
// search_download.mjs does to count what misspelt first queries download).

/** The kinds of query, in the order they are reported. */
export const KINDS = ["title", "typo", "forms", "body", "source"];

/** A small seeded generator (mulberry32): the same queries for the same seed, every run. */
export function random(seedValue) {
  let state = seedValue >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;
// Words one does not remember a title by.
const FUNCTION_WORDS = new Set(
  "a an and are as at be by for from has have how in into is it its of on or our the their this to was we what when why with you your".split(" "),
);
/** A word a practitioner would recall a title by: three letters or more, not a function word. */
const isContentWord = (word) => word.length >= 3 && /\p{L}/u.test(word) && !FUNCTION_WORDS.has(word.toLowerCase());
const wordsOf = (text) => (text || "").match(WORD) || [];
const isLetters = (word) => /^\p{L}+$/u.test(word);
const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** One typo in `word` after its first letter: substitution, deletion, insertion or transposition. */
function typo(word, next) {
  const pick = (n) => Math.floor(next() * n);
  for (;;) {
    const kind = pick(4);
    const at = 1 + pick(word.length - 1);
    const letter = LETTERS[pick(26)];
    let out = word;
    if (kind === 0) out = word.slice(0, at) + letter + word.slice(at + 1);
    else if (kind === 1) out = word.slice(0, at) + word.slice(at + 1);
    else if (kind === 2) out = word.slice(0, at) + letter + word.slice(at);
    else if (at < word.length - 1) out = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
    if (out !== word && out.toLowerCase() !== word.toLowerCase()) return out;
  }
}

/** The word with its number changed: plurals made singular, singulars plural. */
function otherForm(word) {
  const lower = word.toLowerCase();
  // An acronym's plural ("APIs", "URLs") loses its "s", which no other rule below would see.
  if (/^[A-Z]{2,}s$/.test(word)) return word.slice(0, -1);
  if (lower.endsWith("ies") && lower.length > 4) return word.slice(0, -3) + "y";
  if (lower.endsWith("is")) return word.slice(0, -2) + "es"; // analysis → analyses
  if (/(ss|us)$/.test(lower)) return word + "es";
  if (lower.endsWith("s")) return word.slice(0, -1);
  if (/[^aeiou]y$/.test(lower)) return word.slice(0, -1) + "ies";
  if (/(x|ch|sh)$/.test(lower)) return word + "es";
  return word + "s";
}

/**
 * Seeded known-item queries of each kind for the cases of one site (`cases` as cases.json
 * lists them; `bodies` and `sources` per case, or empty): { kind: [{ doc, query }] }, at most
 * `perKind` of each.
 */
export function generate(cases, bodies, sources, seedValue, perKind) {
  const next = random(seedValue);
  const order = cases.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const queries = Object.fromEntries(KINDS.map((k) => [k, []]));
  for (const i of order) {
    const title = wordsOf(cases[i].title).filter(isContentWord);
    if (title.length >= 3) {
      // Three of its words, in their order: what one remembers of a title is seldom a run.
      const picked = new Set();
      while (picked.size < 3) picked.add(Math.floor(next() * title.length));
      const three = [...picked].sort((a, b) => a - b).map((k) => title[k]);
      if (queries.title.length < perKind) queries.title.push({ doc: i, query: three.join(" ") });
      const long = three.map((w, k) => [w, k]).filter(([w]) => isLetters(w) && w.length >= 6);
      if (long.length && queries.typo.length < perKind) {
        const [word, k] = long[Math.floor(next() * long.length)];
        const words = [...three];
        words[k] = typo(word, next);
        queries.typo.push({ doc: i, query: words.join(" ") });
      }
      const nouns = three.map((w, k) => [w, k]).filter(([w]) => isLetters(w) && w.length >= 4);
      if (nouns.length && queries.forms.length < perKind) {
        const [word, k] = nouns[Math.floor(next() * nouns.length)];
        const words = [...three];
        words[k] = otherForm(word);
        queries.forms.push({ doc: i, query: words.join(" ") });
      }
    }
    for (const [kind, text] of [["body", bodies[i]], ["source", sources[i]]]) {
      const words = wordsOf(text);
      if (words.length >= 8 && queries[kind].length < perKind) {
        const start = Math.floor(next() * (words.length - 7));
        queries[kind].push({ doc: i, query: words.slice(start, start + 8).join(" ") });
      }
    }
    if (KINDS.every((k) => queries[k].length >= perKind)) break;
  }
  return queries;
}

