// The rules of the forgiving search: the browser's half of src/index/forgive.rs, which states
// them. The numbers come from `meta.json`'s `forgiving`, written from the Rust constants.

/** `query` cut to its first `rules.maxQueryChars` characters (code points, as Rust counts). */
export function capped(query, rules) {
  let n = 0;
  for (let at = 0; at < query.length; n++) {
    if (n === rules.maxQueryChars) return query.slice(0, at);
    at += query.codePointAt(at) > 0xffff ? 2 : 1;
  }
  return query;
}

/** How many edits a word of `chars` characters may be corrected by. */
export function maxEdits(chars, rules) {
  if (chars >= rules.twoEditsFromChars) return 2;
  if (chars >= rules.minCorrectedChars) return 1;
  return 0;
}

/** Whether a word spelt `spelling`, whose term `held` cases hold, is one to correct. */
export function corrigible(spelling, held, rules) {
  return [...spelling].length >= rules.minCorrectedChars && held <= rules.rareDocs;
}

/** The factor ([numerator, denominator]) of a term reached `edits` edits away. */
export function factor(edits, rules) {
  return rules.factors[Math.min(edits, rules.factors.length - 1)];
}

/** `units` scaled by a factor, rounded down: the one rounding rule of both sides. */
export function scaled(units, [numerator, denominator]) {
  return Math.floor((units * numerator) / denominator);
}

/**
 * The optimal string alignment distance between `a` and `b` (arrays of characters), or -1
 * when it is more than `max`.
 */
export function distance(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return -1;
  const width = b.length + 1;
  let before = new Array(width).fill(0);
  let previous = Array.from({ length: width }, (_, j) => j);
  let current = new Array(width).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      current[j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return -1;
    [before, previous, current] = [previous, current, before];
  }
  const d = previous[b.length];
  return d <= max ? d : -1;
}
