// casebook's search runtime: reads the static export written by `casebook build` (format
// described in src/index/export.rs) and ranks exactly as `casebook search` does, by summing
// the per-term scores tantivy computed. Works in browsers and in Node:
//
//   const s = await open("/search/", fetch);
//   const hits = await s.search("older people", { filters: { theme: ["tele-care"] }, limit: 10 });
//   hits → [{ slug, title, url, score, snippet }], with hits.total and hits.facets.

import { analyze } from "./analyzer.js";
import { VERSION, compareBytes, inflate, parseFacets, parseShard } from "./format.js";
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

/** The cases in any of `sets`, each with the sum of its scores in the sets holding it. */
function union(sets, total) {
  if (sets.length === 1) return sets[0];
  const sums = new Float64Array(total);
  const seen = new Uint8Array(total);
  let n = 0;
  for (const set of sets) {
    for (let k = 0; k < set.docs.length; k++) {
      const doc = set.docs[k];
      if (!seen[doc]) n++;
      seen[doc] = 1;
      sums[doc] += set.scores[k];
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
    this.facetData = null;
    this.scale = 10 ** meta.scoreDecimals;
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

  /** Terms beginning with `prefix`, most frequent first. */
  async termsWithPrefix(prefix, max = 20) {
    const found = [];
    let shard = Math.max(this.shardOf(prefix), 0);
    for (; shard < this.meta.shards.length; shard++) {
      if (shard > this.shardOf(prefix) && !this.meta.shards[shard].startsWith(prefix)) break;
      for (const [term, postings] of await this.loadShard(shard)) {
        if (term.startsWith(prefix)) found.push([term, postings.docs.length]);
      }
    }
    return found.sort((a, b) => b[1] - a[1]).slice(0, max).map(([term]) => term);
  }

  /** Cases having every term, with the sum of the terms' scores. */
  async allTerms(terms) {
    const lists = await Promise.all(terms.map((t) => this.postings(t)));
    if (lists.some((p) => !p)) return NONE;
    lists.sort((a, b) => a.docs.length - b.docs.length);
    return lists.slice(1).reduce(intersect, lists[0]);
  }

  async clauseScores(clause) {
    switch (clause.kind) {
      case "term":
        return this.allTerms([clause.term]);
      case "phrase":
        return this.allTerms(clause.terms);
      case "any":
        return union(await Promise.all(clause.alternatives.map((a) => this.allTerms(a))), this.meta.docs);
      case "prefix": {
        const raw = analyze(clause.raw, "query").map((t) => t.text).join("");
        const prefixes = new Set([clause.term, raw, raw.slice(0, -1), raw.slice(0, -2)].filter((p) => p.length >= 2));
        const terms = new Set([clause.term]);
        for (const p of prefixes) for (const t of await this.termsWithPrefix(p)) terms.add(t);
        clause.expanded = [...terms];
        return this.clauseScores({ kind: "any", alternatives: clause.expanded.map((t) => [t]) });
      }
    }
    return NONE;
  }

  /** The facet data of `facets.bin` (see `parseFacets`), loaded once. */
  loadFacets() {
    if (!this.facetData) {
      const response = this.facetResponse || this.get("facets.bin");
      this.facetData = response.then(inflate).then((buffer) => parseFacets(buffer, this.meta.facets, this.meta.docs));
    }
    return this.facetData;
  }

  /** Every facet's label and values with how many cases have each: for building filters. */
  async facetValues() {
    const facets = await this.loadFacets();
    const out = {};
    for (const key of this.meta.facets) {
      out[key] = { label: facets[key].label, values: facets[key].values.map((v) => ({ ...v })) };
    }
    return out;
  }

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
   * Searches. Options: filters ({ theme: ["tele-care"] }), limit (10), prefix (false: treat
   * the last word as complete), counts (true: compute facet counts).
   */
  async search(query, { filters = {}, limit = 10, prefix = false, counts = true } = {}) {
    const clauses = parseQuery(query, this.synonyms, { prefix });
    const hasFilters = Object.values(filters).some((v) => v && v.length);
    const needFacets = hasFilters || counts;
    const facets = needFacets ? await this.loadFacets() : null;
    let matched;
    if (clauses.length === 0) {
      if (!hasFilters) return Object.assign([], { total: 0, facets: counts ? this.emptyCounts(facets) : {}, clauses });
      const docs = new Uint32Array(this.meta.docs).map((_, d) => d);
      matched = { docs, scores: new Float64Array(docs.length) };
    } else {
      const perClause = await Promise.all(clauses.map((c) => this.clauseScores(c)));
      perClause.sort((a, b) => a.docs.length - b.docs.length);
      matched = perClause.slice(1).reduce(intersect, perClause[0]);
    }
    const masks = hasFilters ? this.filterMasks(facets, filters) : {};
    let ranked = this.rank(matched, Object.values(masks));
    const phrases = clauses.filter((c) => c.kind === "phrase");
    let approximate = false;
    if (phrases.length) ({ ranked, approximate } = await this.checkPhrases(ranked, phrases, limit));
    const top = ranked.slice(0, limit);
    const fragments = await Promise.all(top.map((r) => this.fragment(r.doc)));
    const highlight = new Set(clauses.flatMap(termsOf));
    const hits = top.map((r, i) => ({
      slug: fragments[i].slug,
      title: fragments[i].title,
      url: fragments[i].url,
      score: r.score / this.scale,
      snippet: snippet(fragments[i], highlight),
    }));
    hits.total = ranked.length;
    hits.approximate = approximate;
    hits.clauses = clauses;
    hits.facets = counts ? this.counts(facets, matched, masks, phrases.length ? new Set(ranked.map((r) => r.doc)) : null) : {};
    return hits;
  }

  /**
   * The matched cases every mask allows, best first: score (integer units) descending, then
   * case number (slug order), as `casebook search` ranks them. Returns a lazy list: the
   * order is computed once, the { doc, score } objects only for what is read.
   */
  rank(matched, masks) {
    // One float per case: score × width + (width − 1 − doc), exact below 2^53, sorted natively.
    const width = 2 ** Math.ceil(Math.log2(this.meta.docs + 1));
    const keys = new Float64Array(matched.docs.length);
    let n = 0;
    for (let k = 0; k < matched.docs.length; k++) {
      const doc = matched.docs[k];
      if (masks.every((mask) => mask[doc])) keys[n++] = matched.scores[k] * width + (width - 1 - doc);
    }
    const order = keys.subarray(0, n).sort().reverse();
    return new RankedList(order, width);
  }

  /** Keeps the candidates whose text has each phrase; checks in rank order, enough for `limit`. */
  async checkPhrases(ranked, phrases, limit) {
    const kept = [];
    const budget = Math.max(limit, 200);
    for (let i = 0; i < ranked.length; i++) {
      if (i >= budget && kept.length >= limit) return { ranked: kept, approximate: true };
      const candidate = ranked.at(i);
      const fragment = await this.fragment(candidate.doc);
      const text = await this.bodyText(candidate.doc);
      const texts = fieldTexts(this.meta.fields, fragment, text);
      if (phrases.every((p) => hasPhrase(texts, p.terms))) kept.push(candidate);
    }
    return { ranked: kept, approximate: false };
  }

  emptyCounts(facets) {
    const out = {};
    for (const key of this.meta.facets) out[key] = facets[key].values.map((v) => ({ name: v.name, slug: v.slug, count: 0 }));
    return out;
  }

  /** Per facet, how many matching cases have each value (other facets' filters applied). */
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

/** Ranked results as an array-like of { doc, score }, decoded from sort keys when read. */
class RankedList {
  constructor(keys, width) {
    this.keys = keys;
    this.width = width;
    this.length = keys.length;
  }

  at(i) {
    const key = this.keys[i];
    const score = Math.floor(key / this.width);
    return { doc: this.width - 1 - (key - score * this.width), score };
  }

  slice(from, to) {
    const out = [];
    for (let i = from; i < Math.min(to, this.length); i++) out.push(this.at(i));
    return out;
  }

  map(f) {
    return this.slice(0, this.length).map(f);
  }
}

function termsOf(clause) {
  switch (clause.kind) {
    case "term": return [clause.term];
    case "phrase": return clause.terms;
    case "any": return clause.alternatives.flat();
    case "prefix": return clause.expanded || [clause.term];
  }
  return [];
}

/**
 * The texts of a case in the index's fields (`meta.fields`, in order), from its fragment and
 * whole body: a facet field holds its values joined by ", ", as the index does.
 */
function fieldTexts(fields, fragment, body) {
  return fields.map(({ name }) => (name === "body" ? body : [].concat(fragment[name] ?? []).join(", ")));
}

/** True when `terms` stand side by side in one field of the case, as tantivy's phrase query checks. */
function hasPhrase(texts, terms) {
  return texts.some((text) => {
    const byPosition = new Map();
    for (const t of analyze(text, "index")) {
      if (!byPosition.has(t.position)) byPosition.set(t.position, new Set());
      byPosition.get(t.position).add(t.text);
    }
    for (const [position, texts] of byPosition) {
      if (texts.has(terms[0]) && terms.every((term, k) => byPosition.get(position + k)?.has(term))) return true;
    }
    return false;
  });
}

