// casebook's search runtime: reads the static export written by `casebook build` (format
// described in src/index/export.rs) and ranks exactly as `casebook search` does, by summing
// the per-term scores tantivy computed. Works in browsers and in Node:
//
//   const s = await open("/search/", fetch);
//   const hits = await s.search("older peple", { filters: { theme: ["tele-care"] }, limit: 10,
//     sort: "newest", years: { from: 2010, to: 2015 } });
//   hits → [{ slug, title, url, score, matched, snippet, year, theme, region, organisation,
//   approach, country }], with hits.total, hits.facets, hits.years (cases per year) and what
//   `casebook search --json` says besides: hits.query, hits.sort, hits.corrected,
//   hits.corrections, hits.partial and hits.undated; and hits.filterSuggestions, facet values
//   the query names.
//
// Misspelt words are corrected and the word being typed completed against the collection's
// dictionary, and when no case has every word the cases with most of them are shown, by the
// rules of src/index/forgive.rs (their numbers are in meta.json).

import { analyze } from "./analyzer.js";
import { Dictionary } from "./dictionary.js";
import { capped, corrigible, factor, scaled } from "./forgive.js";
import { VERSION, compareBytes, inflate, parseFacets, parseShard, parseSorts } from "./format.js";
import { Synonyms, parseQuery } from "./query.js";
import { snippet } from "./snippet.js";

/**
 * Opens the export under `baseUrl` (the site's `search/` folder). With `{ facets: true }` the
 * facet data loads alongside meta.json, for a page that shows filters at once.
 */
export async function open(baseUrl, fetchImpl = globalThis.fetch.bind(globalThis), { facets = false } = {}) {
  const base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
  const get = async (path) => {
    const response = await fetchImpl(base + path);
    if (!response.ok) throw new Error(`casebook search: cannot load ${base + path} (${response.status})`);
    return response;
  };
  const early = facets ? get("facets.bin") : null;
  // A failed early request must not go unhandled while meta.json loads; loadFacets reports it.
  if (early) early.catch(() => {});
  const meta = await (await get("meta.json")).json();
  if (meta.version !== VERSION) throw new Error(`casebook search: export version ${meta.version}, runtime ${VERSION}`);
  return new Search(meta, get, early);
}

// A set of matching cases with their scores: `docs` ascending, `scores` beside them.
const NONE = { docs: new Uint32Array(0), scores: new Float64Array(0) };

/** The orders results can be sorted in, as src/index/sorting.rs names them. */
export const SORTS = ["relevance", "newest", "oldest", "title"];

/** The facets of a result's card, as its fragment lists them. */
const CARD_FACETS = ["theme", "region", "organisation", "approach", "country"];

/** Whether a set holds `doc` (its docs are ascending). */
function holds(set, doc) {
  let lo = 0;
  let hi = set.docs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (set.docs[mid] < doc) lo = mid + 1;
    else hi = mid;
  }
  return lo < set.docs.length && set.docs[lo] === doc;
}

/** The cases in both, with the sum of their scores. */
function intersect(a, b) {
  const docs = new Uint32Array(Math.min(a.docs.length, b.docs.length));
  const scores = new Float64Array(docs.length);
  let n = 0;
  for (let i = 0, j = 0; i < a.docs.length && j < b.docs.length; ) {
    const x = a.docs[i];
    const y = b.docs[j];
    if (x < y) i++;
    else if (y < x) j++;
    else {
      docs[n] = x;
      scores[n++] = a.scores[i++] + b.scores[j++];
    }
  }
  return { docs: docs.subarray(0, n), scores: scores.subarray(0, n) };
}

/**
 * The cases in any of `sets`, each with the sum of its scores in the sets holding it (or,
 * with `best`, the highest of them).
 */
function union(sets, total, best = false) {
  if (sets.length === 1) return sets[0];
  const sums = new Float64Array(total);
  const seen = new Uint8Array(total);
  let n = 0;
  for (const set of sets) {
    for (let k = 0; k < set.docs.length; k++) {
      const doc = set.docs[k];
      if (!seen[doc]) n++;
      seen[doc] = 1;
      sums[doc] = best ? Math.max(sums[doc], set.scores[k]) : sums[doc] + set.scores[k];
    }
  }
  const docs = new Uint32Array(n);
  const scores = new Float64Array(n);
  for (let doc = 0, k = 0; k < n; doc++) {
    if (seen[doc]) {
      docs[k] = doc;
      scores[k++] = sums[doc];
    }
  }
  return { docs, scores };
}

class Search {
  constructor(meta, get, facetResponse = null) {
    this.meta = meta;
    this.get = get;
    this.facetResponse = facetResponse;
    this.synonyms = new Synonyms(meta.synonyms);
    this.shards = new Map();
    this.fragments = new Map();
    this.texts = new Map();
    // Where each term stands in a case's fields, for the last cases phrases or words side by side read.
    this.standing = new Map();
    this.facetData = null;
    this.sortData = null;
    this.scale = 10 ** meta.scoreDecimals;
    this.dictionary = new Dictionary(meta.words, get, meta.forgiving);
  }

  shardOf(term) {
    const bounds = this.meta.shards;
    let lo = 0;
    let hi = bounds.length - 1;
    if (hi < 0 || compareBytes(term, bounds[0]) < 0) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (compareBytes(bounds[mid], term) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  loadShard(index) {
    if (!this.shards.has(index)) {
      this.shards.set(index, this.get(`terms/${index}.bin`).then(inflate).then(parseShard));
    }
    return this.shards.get(index);
  }

  async postings(term) {
    const shard = this.shardOf(term);
    if (shard < 0) return null;
    return (await this.loadShard(shard)).get(term) || null;
  }

  /** Cases having every term, with the sum of the terms' scores. */
  async allTerms(terms) {
    const lists = await Promise.all(terms.map((t) => this.postings(t)));
    if (lists.some((p) => !p)) return NONE;
    lists.sort((a, b) => a.docs.length - b.docs.length);
    return lists.slice(1).reduce(intersect, lists[0]);
  }

  /**
   * Plans parsed clauses as src/index/plan.rs does: each word with its corrections or (the
   * last word, while typing) completions. Returns { clauses, corrections }.
   */
  async plan(clauses, queryLength, { prefix, exact }) {
    const rules = this.meta.forgiving;
    const last = clauses.length - 1;
    // Every word's shard at once: each word below asks for its own in turn.
    await Promise.all(clauses.filter((c) => c.kind === "word").map((c) => this.postings(c.term)));
    const corrections = [];
    const planned = [];
    for (const [index, clause] of clauses.entries()) {
      if (clause.kind === "any") {
        planned.push({ kind: "spellings", spellings: clause.spellings, span: clause.span });
        continue;
      }
      if (clause.kind === "phrase") {
        planned.push({ kind: "phrase", terms: clause.terms, span: clause.span });
        continue;
      }
      const typing = prefix && !clause.quoted && index === last && clause.span[1] === queryLength && [...clause.spelling].length >= 2;
      const terms = [[clause.term, [1, 1]]];
      const completions = typing ? await this.dictionary.completions(clause.spelling) : [];
      for (const term of completions) if (term !== clause.term) terms.push([term, [1, 1]]);
      // A word being typed that no word of the collection begins with is misspelt already.
      if (completions.length === 0 && !clause.quoted && !exact) {
        const own = await this.postings(clause.term);
        const held = own ? own.docs.length : 0;
        if (corrigible(clause.spelling, held, rules)) {
          const found = await this.dictionary.corrections(clause.spelling, clause.term, held);
          if (found.length) corrections.push({ span: clause.span, to: found[0].word });
          for (const c of found) terms.push([c.term, factor(c.edits, rules)]);
        }
      }
      planned.push({ kind: "alternatives", terms, span: clause.span });
    }
    return { clauses: planned, corrections };
  }

  /** The cases a planned clause matches, with its score in each (a phrase: its words). */
  async clauseScores(clause) {
    switch (clause.kind) {
      case "alternatives": {
        const sets = await Promise.all(
          clause.terms.map(async ([term, f]) => {
            const set = await this.allTerms([term]);
            if (f[0] === f[1]) return set;
            return { docs: set.docs, scores: set.scores.map((units) => scaled(units, f)) };
          }),
        );
        return union(sets, this.meta.docs, true);
      }
      case "spellings":
        return union(await Promise.all(clause.spellings.map((a) => this.allTerms(a))), this.meta.docs);
      case "phrase":
        return this.allTerms(clause.terms);
    }
    return NONE;
  }

  /** The sort keys of `sorts.bin` (see `parseSorts`), loaded once, when first sorted by. */
  loadSorts() {
    this.sortData ??= this.get("sorts.bin").then(inflate).then((buffer) => parseSorts(buffer, this.meta.docs));
    return this.sortData;
  }

  /** The facet data of `facets.bin` (see `parseFacets`): { facets, years }, loaded once. */
  loadFacets() {
    if (!this.facetData) {
      const response = this.facetResponse || this.get("facets.bin");
      this.facetData = response.then(inflate).then((buffer) => parseFacets(buffer, this.meta.facets, this.meta.docs));
    }
    return this.facetData;
  }

  /** Every facet's label and values with how many cases have each: for building filters. */
  async facetValues() {
    const { facets } = await this.loadFacets();
    const out = {};
    for (const key of this.meta.facets) {
      out[key] = { label: facets[key].label, values: facets[key].values.map((v) => ({ ...v })) };
    }
    return out;
  }

  /** How many cases have each year, from the collection's first year to its last: [{ year, count }]. */
  async yearTotals() {
    return yearCounts((await this.loadFacets()).years, null);
  }

  /** Case `doc`'s fragment: { slug, title, url, summary, text, … } (see src/index/export.rs). */
  fragment(doc) {
    if (!this.fragments.has(doc)) this.fragments.set(doc, this.get(`docs/${doc}.json`).then((r) => r.json()));
    return this.fragments.get(doc);
  }

  /** A case's whole body text: the fragment holds only its beginning when `cut` is set. */
  async bodyText(doc) {
    const fragment = await this.fragment(doc);
    if (!fragment.cut) return fragment.text;
    if (!this.texts.has(doc)) this.texts.set(doc, this.get(`docs/${doc}.txt`).then((r) => r.text()));
    return this.texts.get(doc);
  }

  /**
   * Per facet with filters, a mask of the cases its filters allow (1) or not (0); the values
   * wanted may be given by slug or by name.
   */
  filterMasks(facets, filters) {
    const masks = {};
    for (const key of this.meta.facets) {
      const wanted = filters[key];
      if (!wanted || wanted.length === 0) continue;
      const mask = new Uint8Array(this.meta.docs);
      const values = facets[key].values;
      for (const w of wanted) {
        const lower = String(w).toLowerCase();
        const index = values.findIndex((v) => v.slug === lower || v.name.toLowerCase() === lower);
        if (index >= 0) for (const d of facets[key].members[index]) mask[d] = 1;
      }
      masks[key] = mask;
    }
    return masks;
  }

  /**
   * Searches. Options: filters ({ theme: ["tele-care"] }), years ({ from: 2010, to: 2015 },
   * either end optional: cases whose year of record lies in it), sort (one of `SORTS`; by
   * default relevance with a query and newest without), limit (10), prefix (false: treat
   * the last word as complete; true while the query is being typed), exact (false: correct
   * misspelt words), counts (true: compute facet and year counts), all (false; true: also
   * give hits.all, the case number of every match in order, with every phrase checked).
   */
  async search(rawQuery, { filters = {}, years = {}, sort = null, limit = 10, prefix = false, exact = false, counts = true, all = false } = {}) {
    const query = capped(String(rawQuery ?? ""), this.meta.forgiving);
    const parsed = parseQuery(query, this.synonyms);
    const range = yearRange(years);
    const hasFilters = Object.values(filters).some((v) => v && v.length) || range !== null;
    // The facet data is needed first only to filter; for counts, once the words are looked
    // up (so that the term shards load while it is read).
    let data = hasFilters ? await this.loadFacets() : null;
    if (!data && counts && parsed.length === 0) data = await this.loadFacets();
    let facets = data?.facets;
    const outcome = (hits, fields) =>
      Object.assign(
        hits,
        { query, sort: null, corrected: null, corrections: [], partial: null, total: 0, undated: 0, approximate: false, filterSuggestions: [], years: [] },
        fields,
      );
    // Nothing asked: no words, no filters, no order to list every case in.
    if (parsed.length === 0 && !hasFilters && !SORTS.includes(sort)) {
      return outcome([], { sort: "newest", facets: counts ? this.emptyCounts(facets) : {}, years: counts ? yearCounts(data.years, null) : [], clauses: [] });
    }
    const { clauses, corrections } = await this.plan(parsed, query.length, { prefix, exact });
    const order = SORTS.includes(sort) ? sort : clauses.length ? "relevance" : "newest";
    const sorts = order === "relevance" ? null : await this.loadSorts();
    const masks = hasFilters ? this.filterMasks(facets, filters) : {};
    const facetMasks = Object.values(masks);
    if (range) masks.year = yearMask(data.years, range);
    const perClause = await Promise.all(clauses.map((c) => this.clauseScores(c)));
    let matched;
    if (clauses.length === 0) {
      const docs = new Uint32Array(this.meta.docs).map((_, d) => d);
      matched = { docs, scores: new Float64Array(docs.length) };
    } else {
      matched = [...perClause].sort((a, b) => a.docs.length - b.docs.length).reduce((a, b) => intersect(a, b));
    }
    let ranked = this.rank(matched, Object.values(masks), order, sorts);
    let candidates = matched;
    const phrases = clauses.filter((c) => c.kind === "phrase");
    let approximate = false;
    const neighbours = order === "relevance" ? neighbourWords(clauses, prefix, this.meta.forgiving) : [];
    // Enough phrase matches for words side by side to reorder as many as the CLI does.
    const wanted = neighbours.length ? Math.max(limit, this.meta.forgiving.sideBySideDepth) : limit;
    if (phrases.length) ({ ranked, approximate } = await this.checkPhrases(ranked, phrases, all ? Infinity : wanted));
    let partial = null;
    let only = phrases.length ? new Set(ranked.map((r) => r.doc)) : null;
    if (ranked.length === 0 && clauses.length >= 2) {
      let best;
      ({ ranked, matched, best } = this.partialMatches(perClause, Object.values(masks), order, sorts));
      candidates = matched;
      only = null;
      approximate = false;
      if (ranked.length) partial = { words: clauses.length, best: best.count, cases: best.cases };
    }
    ranked = await this.sideBySideFirst(ranked, neighbours);
    const top = ranked.slice(0, limit);
    const fragments = await Promise.all(top.map((r) => this.fragment(r.doc)));
    if (!data && counts) ({ facets } = data = await this.loadFacets());
    const highlight = new Set(clauses.flatMap(termsOf));
    const hits = top.map((r, i) => ({
      slug: fragments[i].slug,
      title: fragments[i].title,
      url: fragments[i].url,
      score: r.score / this.scale,
      matched: clauses.filter((c, k) => holds(perClause[k], r.doc)).map((c) => query.slice(c.span[0], c.span[1])),
      snippet: snippet(fragments[i], highlight),
      year: fragments[i].year ?? null,
      ...Object.fromEntries(CARD_FACETS.map((key) => [key, [].concat(fragments[i][key] ?? [])])),
    }));
    if (all) Object.defineProperty(hits, "all", { value: Uint32Array.from(ranked.map((r) => r.doc)) });
    return outcome(hits, {
      sort: order,
      filterSuggestions: facets ? this.filterSuggestions(parsed, facets, filters) : [],
      corrected: corrections.length ? correctedQuery(query, corrections) : null,
      corrections: corrections.map((c) => ({ word: query.slice(c.span[0], c.span[1]), to: c.to })),
      partial,
      total: ranked.length,
      undated: range && !phrases.length ? undatedLeftOut(candidates, facetMasks, data.years) : 0,
      approximate,
      clauses,
      facets: counts ? this.counts(facets, matched, masks, only) : {},
      years: counts ? yearCounts(data.years, matched, facetMasks, only) : [],
    });
  }

  /**
   * Facet values the query names (a value's words, or a vocabulary spelling of it, among
   * the query's words) that no filter already asks for: [{ facet, label, name, slug }], at
   * most three, to offer as filters.
   */
  filterSuggestions(parsed, facets, filters) {
    const words = [];
    const spellings = [];
    for (const clause of parsed) {
      if (clause.kind === "word" && !clause.quoted) words.push(clause.term);
      if (clause.kind === "any") spellings.push(...clause.spellings.map((s) => s.join(" ")));
    }
    const said = " " + words.join(" ") + " ";
    const found = [];
    for (const key of this.meta.facets) {
      const facet = facets[key];
      facet.tokens ??= facet.values.map((v) => analyze(v.name, "query").map((t) => t.text).join(" "));
      const wanted = new Set((filters[key] || []).map((w) => String(w).toLowerCase()));
      facet.values.forEach((value, v) => {
        const tokens = facet.tokens[v];
        if (!tokens || found.length >= 3 || wanted.has(value.slug) || wanted.has(value.name.toLowerCase())) return;
        if (said.includes(" " + tokens + " ") || spellings.includes(tokens)) {
          found.push({ facet: key, label: facet.label, name: value.name, slug: value.slug });
        }
      });
    }
    return found;
  }

  /**
   * The cases having some of the clauses (and every mask), most clauses first, then in
   * `order` (by relevance: the score of those, then case number): { ranked: [{ doc, score,
   * count }], matched: every case with some clause, masks aside, best: { count, cases }, the
   * most clauses a case has and how many have that many }.
   */
  partialMatches(perClause, masks, order, sorts) {
    const total = this.meta.docs;
    const count = new Uint16Array(total);
    const sums = new Float64Array(total);
    for (const set of perClause) {
      for (let k = 0; k < set.docs.length; k++) {
        count[set.docs[k]]++;
        sums[set.docs[k]] += set.scores[k];
      }
    }
    const any = new Uint32Array(total);
    const kept = new Uint32Array(total);
    let m = 0;
    let n = 0;
    const best = { count: 0, cases: 0 };
    for (let doc = 0; doc < total; doc++) {
      if (!count[doc]) continue;
      any[m++] = doc;
      if (!masks.every((mask) => mask[doc])) continue;
      kept[n++] = doc;
      if (count[doc] > best.count) Object.assign(best, { count: count[doc], cases: 0 });
      if (count[doc] === best.count) best.cases++;
    }
    // Facet counts are of every partial match, each facet's own filter aside.
    const matched = { docs: any.subarray(0, m), scores: new Float64Array(m) };
    if (order !== "relevance") {
      const ranked = sortedBy(order, sorts, kept.subarray(0, n), total, (doc) => count[doc]);
      ranked.scoreOf = (doc) => sums[doc];
      ranked.countOf = (doc) => count[doc];
      return { ranked, matched, best };
    }
    // One float per case, sorted natively: (count × 2^31 + score) × width + (width − 1 − doc),
    // exact below 2^53 (a query has fewer than 256 clauses; a score is below 2^31 units).
    const width = 2 ** Math.ceil(Math.log2(total + 1));
    const keys = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const doc = kept[k];
      keys[k] = (count[doc] * 2 ** 31 + sums[doc]) * width + (width - 1 - doc);
    }
    return { ranked: new RankedList(keys.sort().reverse(), width, 2 ** 31), matched, best };
  }

  /**
   * The matched cases every mask allows, in `order`: by relevance, score (integer units)
   * descending, then case number (slug order), as `casebook search` ranks them; otherwise by
   * the sort keys `sorts`. Returns a lazy list: the order is computed once, the { doc, score }
   * objects only for what is read.
   */
  rank(matched, masks, order, sorts) {
    const allowed = (doc) => masks.every((mask) => mask[doc]);
    if (order !== "relevance") {
      const docs = matched.docs.filter(allowed);
      const ranked = sortedBy(order, sorts, docs, this.meta.docs, () => 0);
      const scores = new Float64Array(this.meta.docs);
      matched.docs.forEach((doc, k) => (scores[doc] = matched.scores[k]));
      ranked.scoreOf = (doc) => scores[doc];
      return ranked;
    }
    // One float per case: score × width + (width − 1 − doc), exact below 2^53, sorted natively.
    const width = 2 ** Math.ceil(Math.log2(this.meta.docs + 1));
    const keys = new Float64Array(matched.docs.length);
    let n = 0;
    for (let k = 0; k < matched.docs.length; k++) {
      const doc = matched.docs[k];
      if (allowed(doc)) keys[n++] = matched.scores[k] * width + (width - 1 - doc);
    }
    return new RankedList(keys.subarray(0, n).sort().reverse(), width);
  }

  /** Keeps the candidates whose text has each phrase; checks in rank order, enough for `limit`. */
  async checkPhrases(ranked, phrases, limit) {
    const kept = [];
    const budget = Math.max(limit, 200);
    for (let i = 0; i < ranked.length; i++) {
      if (i >= budget && kept.length >= limit) return { ranked: kept, approximate: true };
      const candidate = ranked.at(i);
      const fields = await this.whereTermsStand(candidate.doc);
      if (phrases.every((p) => fields.some((field) => inOrder(field, p.terms)))) kept.push(candidate);
    }
    return { ranked: kept, approximate: false };
  }

  /**
   * Reorders the first results as src/index/search.rs does: those where more of the
   * `neighbours` stand side by side in one field first, keeping the tiers of partial matches
   * and, among equals, the order they had.
   */
  async sideBySideFirst(ranked, neighbours) {
    if (neighbours.length === 0 || ranked.length < 2) return ranked;
    const head = ranked.slice(0, this.meta.forgiving.sideBySideDepth);
    const together = await Promise.all(
      head.map(async ({ doc }) => {
        const fields = await this.whereTermsStand(doc);
        return neighbours.filter(([first, second]) => fields.some((field) => sideBySide(field, first, second))).length;
      }),
    );
    const order = head.map((hit, i) => i);
    order.sort((a, b) => (head[b].count ?? 0) - (head[a].count ?? 0) || together[b] - together[a] || a - b);
    return new Reordered(order.map((i) => head[i]), ranked);
  }

  /**
   * Per field of case `doc` (its fragment and whole body), where each term stands: term → its
   * positions; kept for the last 256 cases, for phrases and words side by side alike.
   */
  async whereTermsStand(doc) {
    if (!this.standing.has(doc)) {
      const [fragment, body] = await Promise.all([this.fragment(doc), this.bodyText(doc)]);
      if (this.standing.size >= 256) this.standing.delete(this.standing.keys().next().value);
      this.standing.set(doc, fieldTexts(this.meta.fields, fragment, body).map(termPositions));
    }
    return this.standing.get(doc);
  }

  emptyCounts(facets) {
    const out = {};
    for (const key of this.meta.facets) out[key] = facets[key].values.map((v) => ({ name: v.name, slug: v.slug, count: 0 }));
    return out;
  }

  /** Per facet, how many matching cases have each value (the other filters applied). */
  counts(facets, matched, masks, only) {
    const out = {};
    for (const key of this.meta.facets) {
      const others = Object.entries(masks).filter(([k]) => k !== key).map(([, mask]) => mask);
      const { starts, perDoc, values } = facets[key];
      const tally = new Uint32Array(values.length);
      for (const doc of matched.docs) {
        if (only && !only.has(doc)) continue;
        if (others.length && !others.every((mask) => mask[doc])) continue;
        for (let k = starts[doc]; k < starts[doc + 1]; k++) tally[perDoc[k]]++;
      }
      out[key] = values.map((v, i) => ({ name: v.name, slug: v.slug, count: tally[i] }));
    }
    return out;
  }
}

/**
 * What ranked results share: `length` and `at(i)` (a { doc, score, count? }), read only as
 * far as they are shown; `slice` and `map` as arrays have them.
 */
class LazyList {
  slice(from, to) {
    const out = [];
    for (let i = from; i < Math.min(to, this.length); i++) out.push(this.at(i));
    return out;
  }

  map(f) {
    return this.slice(0, this.length).map(f);
  }
}

/**
 * Ranked results as an array-like of { doc, score } (and { count } of clauses, when ranked by
 * it first), decoded from sort keys when read.
 */
class RankedList extends LazyList {
  constructor(keys, width, counted = 0) {
    super();
    this.keys = keys;
    this.width = width;
    this.counted = counted;
    this.length = keys.length;
  }

  at(i) {
    const key = this.keys[i];
    const rest = Math.floor(key / this.width);
    const doc = this.width - 1 - (key - rest * this.width);
    if (!this.counted) return { doc, score: rest };
    const count = Math.floor(rest / this.counted);
    return { doc, score: rest - count * this.counted, count };
  }
}

/** Ranked results whose first ones, `head`, were reordered. */
class Reordered extends LazyList {
  constructor(head, ranked) {
    super();
    this.head = head;
    this.ranked = ranked;
    this.length = ranked.length;
  }

  at(i) {
    return i < this.head.length ? this.head[i] : this.ranked.at(i);
  }
}

/**
 * Results in a sort order other than relevance: `docs` ordered by their keys in `sorts`, as
 * `SortKeys::compare` orders them, within tiers of `tierOf(doc)` clauses, most first.
 */
class SortedList extends LazyList {
  constructor(docs) {
    super();
    this.docs = docs;
    this.length = docs.length;
    this.scoreOf = () => 0;
    this.countOf = null;
  }

  at(i) {
    const doc = this.docs[i];
    const hit = { doc, score: this.scoreOf(doc) };
    if (this.countOf) hit.count = this.countOf(doc);
    return hit;
  }
}

/**
 * `docs` in `order` ("newest", "oldest" or "title"), most clauses (`tierOf`) first: one float
 * per case, (tier × (total + 2) + date) × width + title place, exact below 2^53 and unique,
 * since title places are; the case is read back from its title place.
 */
function sortedBy(order, { dates, byTitle, titles }, docs, total, tierOf) {
  const width = 2 ** Math.ceil(Math.log2(total + 2));
  const undated = total + 1;
  const dateKey = {
    newest: (date) => (date ? total + 1 - date : undated),
    oldest: (date) => (date ? date : undated),
    title: () => 0,
  }[order];
  const keys = new Float64Array(docs.length);
  for (let k = 0; k < docs.length; k++) {
    const doc = docs[k];
    keys[k] = ((255 - tierOf(doc)) * (total + 2) + dateKey(dates[doc])) * width + titles[doc];
  }
  keys.sort();
  const ordered = new Uint32Array(keys.length);
  for (let k = 0; k < keys.length; k++) ordered[k] = byTitle[keys[k] % width];
  return new SortedList(ordered);
}

/** `{ from, to }` as whole years, or null when neither end is a number. */
function yearRange({ from, to } = {}) {
  const end = (value) => (value === null || value === undefined || value === "" || !Number.isInteger(Number(value)) ? null : Number(value));
  const range = { from: end(from), to: end(to) };
  return range.from === null && range.to === null ? null : range;
}

/** A mask of the cases whose year of record lies in `range` (a case without one never does). */
function yearMask(years, { from, to }) {
  const mask = new Uint8Array(years.length);
  for (let d = 0; d < years.length; d++) {
    const year = years[d];
    mask[d] = year && (from === null || year >= from) && (to === null || year <= to) ? 1 : 0;
  }
  return mask;
}

/** How many of `set`'s cases the masks allow that have no year (a year range leaves them out). */
function undatedLeftOut(set, masks, years) {
  let n = 0;
  for (const doc of set.docs) if (!years[doc] && masks.every((mask) => mask[doc])) n++;
  return n;
}

/**
 * Per year of the collection (its first to its last), how many of `matched`'s cases the
 * masks allow have it: [{ year, count }]. With `matched` null, every case counts.
 */
function yearCounts(years, matched, masks = [], only = null) {
  let first = 0;
  let last = 0;
  for (const year of years) {
    if (!year) continue;
    if (!first || year < first) first = year;
    if (year > last) last = year;
  }
  if (!first) return [];
  const tally = new Uint32Array(last - first + 1);
  const count = (doc) => {
    if (years[doc] && (!only || only.has(doc)) && masks.every((mask) => mask[doc])) tally[years[doc] - first]++;
  };
  if (matched) for (const doc of matched.docs) count(doc);
  else for (let doc = 0; doc < years.length; doc++) count(doc);
  return [...tally].map((n, k) => ({ year: first + k, count: n }));
}

function termsOf(clause) {
  switch (clause.kind) {
    case "alternatives": return clause.terms.map(([term]) => term);
    case "phrase": return clause.terms;
    case "spellings": return clause.spellings.flat();
  }
  return [];
}

/** `query` with each corrected word replaced by the word searched for it. */
function correctedQuery(query, corrections) {
  let out = "";
  let at = 0;
  for (const c of corrections) {
    out += query.slice(at, c.span[0]) + c.to;
    at = c.span[1];
  }
  return out + query.slice(at);
}

/**
 * The texts of a case in the index's fields (`meta.fields`, in order), from its fragment and
 * whole body: a facet field holds its values joined by ", ", as the index does.
 */
function fieldTexts(fields, fragment, body) {
  return fields.map(({ name }) => (name === "body" ? body : [].concat(fragment[name] ?? []).join(", ")));
}

/**
 * True when `terms` stand side by side, in order, in a field's `at` (see `termPositions`), as
 * tantivy's phrase query checks.
 */
function inOrder(at, terms) {
  const later = terms.slice(1).map((term) => new Set(at.get(term) ?? []));
  return (at.get(terms[0]) ?? []).some((position) => later.every((positions, k) => positions.has(position + k + 1)));
}

/** Where each term stands in a field's text: term → its positions. */
function termPositions(text) {
  const at = new Map();
  for (const t of analyze(text, "index")) {
    if (!at.has(t.text)) at.set(t.text, []);
    at.get(t.text).push(t.position);
  }
  return at;
}

/** True when, in a field's `at` (see `termPositions`), one of `first` stands right before one of `second`. */
function sideBySide(at, first, second) {
  const after = new Set(second.flatMap((t) => at.get(t) ?? []));
  return first.some((t) => (at.get(t) ?? []).some((position) => after.has(position + 1)));
}

/**
 * As src/index/plan.rs's `neighbour_words`: each two neighbouring words of a submitted query
 * of `sideBySideClauses` clauses or more, as [terms of one, terms of the other].
 */
function neighbourWords(clauses, prefix, rules) {
  if (prefix || clauses.length < rules.sideBySideClauses) return [];
  const out = [];
  for (let k = 0; k + 1 < clauses.length; k++) {
    if (clauses[k].kind === "alternatives" && clauses[k + 1].kind === "alternatives") out.push([termsOf(clauses[k]), termsOf(clauses[k + 1])]);
  }
  return out;
}

