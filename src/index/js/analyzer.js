// casebook's analyzer in JavaScript: the exact mirror of src/index/analyzer.rs, which is
// the one registered with tantivy. A test runs both on large word lists and requires equal
// tokens, so change both together.
//
// 1. Each character is lowercased, decomposed (NFD), stripped of combining marks and
//    folded (ø → o, ß → ss, ’ → ', ‐ → -).
// 2. A word is a run of letters and digits; one - or ' between two of them joins.
// 3. Parts of a word (split at -) are stemmed (Snowball English) and lose apostrophes;
//    so is the whole word without its hyphens.
// 4. "index" mode gives parts and whole, "query" the whole only, "phrase" the parts only.

import { stem as snowball } from "./stemmer.js";

export const MAX_WORD_CHARS = 40;

const FOLD = new Map([
  ["ø", "o"], ["đ", "d"], ["ð", "d"], ["ħ", "h"], ["ı", "i"], ["ł", "l"], ["ŀ", "l"],
  ["ŧ", "t"], ["þ", "th"], ["æ", "ae"], ["œ", "oe"], ["ß", "ss"],
  ["\u2019", "'"], ["\u2018", "'"], ["\u02bc", "'"], ["\u2010", "-"], ["\u2011", "-"], ["\u00ad", ""],
]);
const MARK = /^\p{M}$/u;
const WORD_CHAR = /^[\p{Alphabetic}\p{N}]$/u;
const foldCache = new Map();

/** Lowercases and folds one character (a code point string). */
export function foldChar(ch) {
  const code = ch.codePointAt(0);
  if (code < 128) return ch.toLowerCase();
  let folded = foldCache.get(ch);
  if (folded !== undefined) return folded;
  folded = "";
  for (const lower of ch.toLowerCase()) {
    for (const d of lower.normalize("NFD")) {
      if (!MARK.test(d)) folded += FOLD.has(d) ? FOLD.get(d) : d;
    }
  }
  foldCache.set(ch, folded);
  return folded;
}

function isWordChar(ch) {
  if (ch === undefined) return false;
  const code = ch.codePointAt(0);
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
  return WORD_CHAR.test(ch);
}

/** The words of `text`, folded, with UTF-16 offsets: [{ text, start, end, parts: [[s, e]] }]. */
export function words(text) {
  // Folded characters, each with the UTF-16 offsets of the character it came from. ASCII
  // text (most text) folds by lowercasing alone, each character in its place, so it needs
  // no table of offsets: a snippet's thousand bytes are read several times faster.
  const ascii = !/[^\x00-\x7f]/.test(text);
  const chars = ascii ? text.toLowerCase() : [];
  const starts = [];
  const ends = [];
  if (!ascii) {
    let offset = 0;
    for (const ch of text) {
      const end = offset + ch.length;
      for (const f of foldChar(ch)) {
        chars.push(f);
        starts.push(offset);
        ends.push(end);
      }
      offset = end;
    }
  }
  const startOf = ascii ? (i) => i : (i) => starts[i];
  const endOf = ascii ? (i) => i + 1 : (i) => ends[i];
  const n = chars.length;
  const word = (i) => i >= 0 && i < n && isWordChar(chars[i]);
  const out = [];
  let i = 0;
  while (i < n) {
    if (!word(i)) { i++; continue; }
    let textOut = "";
    const start = startOf(i);
    let partStart = start;
    let end = start;
    const parts = [];
    for (;;) {
      if (word(i)) {
        textOut += chars[i];
        end = endOf(i);
        i++;
      } else if (i < n && (chars[i] === "-" || chars[i] === "'") && word(i + 1) && word(i - 1)) {
        const joiner = chars[i];
        textOut += joiner;
        if (joiner === "-") {
          parts.push([partStart, end]);
          partStart = startOf(i + 1);
        }
        i++;
      } else {
        break;
      }
    }
    parts.push([partStart, end]);
    out.push({ text: textOut, start, end, parts });
  }
  return out;
}

/** Snowball English stem of a folded word part, without apostrophes. */
export function stem(part) {
  let s = stemCache.get(part);
  if (s !== undefined) return s;
  s = snowball(part);
  if (s.includes("'")) s = s.replaceAll("'", "");
  // Words repeat: a text's stems are mostly found here. Bounded, as a long session may read
  // many texts.
  if (stemCache.size >= STEM_CACHE) stemCache.clear();
  stemCache.set(part, s);
  return s;
}

const STEM_CACHE = 20000;
const stemCache = new Map();

function charCount(s) {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Tokens of `text`: [{ text, position, start, end }]; mode is "index", "query" or "phrase". */
export function analyze(text, mode = "index") {
  const tokens = [];
  let position = 0;
  for (const w of words(text)) {
    const parts = w.text.split("-");
    if (charCount(w.text) > MAX_WORD_CHARS) {
      position += parts.length;
      continue;
    }
    if (parts.length === 1) {
      tokens.push({ text: stem(w.text), position, start: w.start, end: w.end });
      position += 1;
      continue;
    }
    if (mode !== "phrase") tokens.push({ text: stem(parts.join("")), position, start: w.start, end: w.end });
    if (mode !== "query") {
      parts.forEach((part, k) => {
        tokens.push({ text: stem(part), position: position + k, start: w.parts[k][0], end: w.parts[k][1] });
      });
    }
    position += parts.length;
  }
  return tokens.filter((t) => t.text !== "");
}

/**
 * The spellings of a query's words, one per query-mode token: [{ word, term, start, end }],
 * `word` the folded word without hyphens and apostrophes, `term` what it is indexed as, and
 * its UTF-16 offsets in `text`.
 */
export function querySpellings(text) {
  const out = [];
  for (const w of words(text)) {
    if (charCount(w.text) > MAX_WORD_CHARS) continue;
    const joined = w.text.split("-").join("");
    const spelling = { word: joined.replaceAll("'", ""), term: stem(joined), start: w.start, end: w.end };
    if (spelling.term !== "") out.push(spelling);
  }
  return out;
}
