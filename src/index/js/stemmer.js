// English (Porter2) stemmer for the browser-side search box.
//
// Mirrors `rust-stemmers` 1.2.0, `Stemmer::create(Algorithm::English)`, the
// stemmer our tantivy index uses, so that query terms stem to the same tokens
// as indexed terms. That crate is generated from Snowball's english.sbl; this
// file re-implements the same algorithm by hand (prelude with Y marking and
// apostrophe handling, mark_regions with the gener/commun/arsen exceptions,
// Step_1a..Step_5, the exception1/exception2 word lists, postlude) and copies
// its quirks: positions count characters (code points), only the ASCII
// letters a e i o u y are vowels, and every other character is a non-vowel.
//
// The algorithm is from the Snowball project (https://snowballstem.org/),
// Copyright (c) 2001 Dr Martin Porter, Copyright (c) 2004,2005 Richard Boulton,
// released under the BSD 3-clause licence. This code was written for this
// project; no Snowball source code is included.
//
// Usage: stem(word) -> string. The caller lowercases the word first.

const V = new Uint8Array(128); // a e i o u y
const WXY = new Uint8Array(128); // vowels, w, x and Y
const LI = new Uint8Array(128); // valid letters before a deletable "li"
for (const c of 'aeiouy') V[c.charCodeAt(0)] = WXY[c.charCodeAt(0)] = 1;
for (const c of 'wxY') WXY[c.charCodeAt(0)] = 1;
for (const c of 'cdeghkmnrt') LI[c.charCodeAt(0)] = 1;

const isV = (c) => c < 128 && V[c] === 1; // c may be NaN
const isHi = (c) => c >= 0xd800 && c < 0xdc00;
const isLo = (c) => c >= 0xdc00 && c < 0xe000;

// Start of the character that ends at index i (steps over surrogate pairs).
const prev = (s, i) => (i > 1 && isLo(s.charCodeAt(i - 1)) && isHi(s.charCodeAt(i - 2)) ? i - 2 : i - 1);
// Index after the character that starts at index i.
const next = (s, i) => (isHi(s.charCodeAt(i)) && isLo(s.charCodeAt(i + 1)) ? i + 2 : i + 1);

function hasVowelBefore(s, i) {
  while (i > 0) if (isV(s.charCodeAt(--i))) return true;
  return false;
}

// Suffix tables: entries [suffix, action], looked up longest-first by last char
// (Snowball's `among` picks the longest matching entry).
function table(list) {
  const t = new Map();
  for (const e of list) {
    const k = e[0].charCodeAt(e[0].length - 1);
    if (!t.has(k)) t.set(k, []);
    t.get(k).push(e);
  }
  for (const a of t.values()) a.sort((x, y) => y[0].length - x[0].length);
  return t;
}
function suffix(t, s) {
  const a = t.get(s.charCodeAt(s.length - 1));
  if (a !== undefined) for (let i = 0; i < a.length; i++) if (s.endsWith(a[i][0])) return a[i];
  return null;
}

const T1a0 = table([["'"], ["'s"], ["'s'"]]);
const T1a = table([['sses', 1], ['ied', 2], ['ies', 2], ['s', 3], ['ss', 0], ['us', 0]]);
const T1b = table([['eed', 1], ['eedly', 1], ['ed', 2], ['edly', 2], ['ing', 2], ['ingly', 2]]);
const T1bx = table([['at', 1], ['bl', 1], ['iz', 1], ['bb', 2], ['dd', 2], ['ff', 2], ['gg', 2],
  ['mm', 2], ['nn', 2], ['pp', 2], ['rr', 2], ['tt', 2]]); // no match: action 3
// Step 2/3: string = replacement; 1 = "ogi" after l -> "og"; 2 = "li" after valid_LI -> "";
// 3 = delete in R2.
const T2 = table([['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['abli', 'able'],
  ['entli', 'ent'], ['izer', 'ize'], ['ization', 'ize'], ['ational', 'ate'], ['ation', 'ate'],
  ['ator', 'ate'], ['alism', 'al'], ['aliti', 'al'], ['alli', 'al'], ['fulness', 'ful'],
  ['ousli', 'ous'], ['ousness', 'ous'], ['iveness', 'ive'], ['iviti', 'ive'], ['biliti', 'ble'],
  ['bli', 'ble'], ['ogi', 1], ['fulli', 'ful'], ['lessli', 'less'], ['li', 2]]);
const T3 = table([['tional', 'tion'], ['ational', 'ate'], ['alize', 'al'], ['icate', 'ic'],
  ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''], ['ness', ''], ['ative', 3]]);
// Step 4: 1 = delete; 2 = "ion" after s or t.
const T4 = table(['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent',
  'ism', 'ate', 'iti', 'ous', 'ive', 'ize'].map((w) => [w, 1]).concat([['ion', 2]]));

const EX1 = new Map([['skis', 'ski'], ['skies', 'sky'], ['dying', 'die'], ['lying', 'lie'],
  ['tying', 'tie'], ['idly', 'idl'], ['gently', 'gentl'], ['ugly', 'ugli'], ['early', 'earli'],
  ['only', 'onli'], ['singly', 'singl'], ['sky', 'sky'], ['news', 'news'], ['howe', 'howe'],
  ['atlas', 'atlas'], ['cosmos', 'cosmos'], ['bias', 'bias'], ['andes', 'andes']]);
const EX2 = new Set(['inning', 'outing', 'canning', 'herring', 'earring', 'proceed', 'exceed',
  'succeed']);

// Short syllable ending at index c.
function shortv(s, c) {
  if (c === 0) return false;
  const last = s.charCodeAt(c - 1);
  const i = prev(s, c);
  if (i === 0 || !isV(s.charCodeAt(i - 1))) return false;
  if (!(last < 128 && WXY[last] === 1) && i > 1 && !isV(s.charCodeAt(i - 2))) return true;
  return i === 1 && !isV(last);
}

export function stem(word) {
  const ex = EX1.get(word);
  if (ex !== undefined) return ex;
  // Words of fewer than three characters are left alone.
  let n = word.length;
  if (n < 3) return word;
  if (n < 6) {
    for (let i = 0; i < word.length; i++) if (isHi(word.charCodeAt(i)) && isLo(word.charCodeAt(i + 1))) n--;
    if (n < 3) return word;
  }

  // Prelude: drop one leading apostrophe; mark consonant-y as Y.
  let s = word.charCodeAt(0) === 39 ? word.slice(1) : word;
  let yFound = false;
  if (s.indexOf('y') >= 0) {
    if (s.charCodeAt(0) === 121) { s = 'Y' + s.slice(1); yFound = true; }
    for (let i = 1; i < s.length; i++) {
      if (s.charCodeAt(i) === 121 && isV(s.charCodeAt(i - 1))) {
        s = s.slice(0, i) + 'Y' + s.slice(i + 1);
        yFound = true;
      }
    }
  }

  // Regions R1 (from p1) and R2 (from p2).
  let L = s.length;
  let p1 = L, p2 = L;
  let c = -1;
  if (s.startsWith('gener') || s.startsWith('arsen')) c = 5;
  else if (s.startsWith('commun')) c = 6;
  else {
    for (let i = 0; i < L; i++) if (isV(s.charCodeAt(i))) { c = i + 1; break; }
    if (c >= 0) { while (c < L && isV(s.charCodeAt(c))) c++; c = c < L ? next(s, c) : -1; }
  }
  if (c >= 0) {
    p1 = c;
    while (c < L && !isV(s.charCodeAt(c))) c++;
    if (c < L) {
      c++;
      while (c < L && isV(s.charCodeAt(c))) c++;
      if (c < L) p2 = next(s, c);
    }
  }

  // Step 1a
  let e = suffix(T1a0, s);
  if (e !== null) s = s.slice(0, s.length - e[0].length);
  e = suffix(T1a, s);
  if (e !== null) {
    const b = s.length - e[0].length;
    if (e[1] === 1) s = s.slice(0, b) + 'ss';
    else if (e[1] === 2) s = s.slice(0, b) + (b > 0 && prev(s, b) > 0 ? 'i' : 'ie');
    else if (e[1] === 3 && b > 0 && hasVowelBefore(s, prev(s, b))) s = s.slice(0, b);
  }

  if (!EX2.has(s)) {
    // Step 1b
    e = suffix(T1b, s);
    if (e !== null) {
      const b = s.length - e[0].length;
      if (e[1] === 1) {
        if (p1 <= b) s = s.slice(0, b) + 'ee';
      } else if (hasVowelBefore(s, b)) {
        s = s.slice(0, b);
        const f = suffix(T1bx, s);
        if (f !== null) s = f[1] === 1 ? s + 'e' : s.slice(0, b - 1);
        else if (b === p1 && shortv(s, b)) s += 'e';
      }
    }

    // Step 1c: consonant-y at the end (not as the first letter) -> i
    L = s.length;
    c = s.charCodeAt(L - 1);
    if ((c === 121 || c === 89) && L > 1 && !isV(s.charCodeAt(L - 2)) && prev(s, L - 1) > 0) {
      s = s.slice(0, L - 1) + 'i';
    }

    // Step 2
    e = suffix(T2, s);
    if (e !== null) {
      const b = s.length - e[0].length;
      if (p1 <= b) {
        const r = e[1];
        if (typeof r === 'string') s = s.slice(0, b) + r;
        else if (r === 1) { if (s.charCodeAt(b - 1) === 108) s = s.slice(0, b) + 'og'; }
        else if (LI[s.charCodeAt(b - 1)] === 1) s = s.slice(0, b);
      }
    }

    // Step 3
    e = suffix(T3, s);
    if (e !== null) {
      const b = s.length - e[0].length;
      if (p1 <= b) {
        if (typeof e[1] === 'string') s = s.slice(0, b) + e[1];
        else if (p2 <= b) s = s.slice(0, b);
      }
    }

    // Step 4
    e = suffix(T4, s);
    if (e !== null) {
      const b = s.length - e[0].length;
      if (p2 <= b) {
        if (e[1] === 1) s = s.slice(0, b);
        else if (b > 0) {
          c = s.charCodeAt(b - 1);
          if (c === 115 || c === 116) s = s.slice(0, b);
        }
      }
    }

    // Step 5
    L = s.length;
    c = s.charCodeAt(L - 1);
    if (c === 101) {
      if (p2 <= L - 1 || (p1 <= L - 1 && !shortv(s, L - 1))) s = s.slice(0, L - 1);
    } else if (c === 108) {
      if (p2 <= L - 1 && s.charCodeAt(L - 2) === 108) s = s.slice(0, L - 1);
    }
  }

  // Postlude
  return yFound ? s.replaceAll('Y', 'y') : s;
}
