// casebook's search runtime: reads the static export written by `casebook build` (format
// described in src/index/export.rs) and ranks exactly as `casebook search` does, by summing
// the per-term scores tantivy computed. Works in browsers and in Node:
//
//   const s = await open("/search/", fetch);
//   const hits = await s.search("older people", { filters: { theme: ["tele-care"] }, limit: 10 });
//   hits → [{ slug, title, url, score, snippet }], with hits.total and hits.facets.

import { analyze } from "./analyzer.js";

const VERSION = 1;
const QUOTES = new Set(['"', "“", "”", "„"]);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Opens the export under `baseUrl` (the site's `search/` folder). */
export async function open(baseUrl, fetchImpl = globalThis.fetch.bind(globalThis)) {
  const base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
  const get = async (path) => {
    const response = await fetchImpl(base + path);
    if (!response.ok) throw new Error(`casebook search: cannot load ${base + path} (${response.status})`);
    return response;
  };
  const meta = await (await get("meta.json")).json();
  if (meta.version !== VERSION) throw new Error(`casebook search: export version ${meta.version}, runtime ${VERSION}`);
  return new Search(meta, get);
}

/** Compares two strings as UTF-8 bytes, the order of the export's terms. */
function compareBytes(a, b) {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

function readVarint(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at.i++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return value;
    shift += 7;
  }
}

function parseShard(buffer) {
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  const terms = new Map();
  const at = { i: 0 };
  while (at.i < bytes.length) {
    const length = readVarint(bytes, at);
    const term = decoder.decode(bytes.subarray(at.i, at.i + length));
    at.i += length;
    const n = readVarint(bytes, at);
    const docs = new Uint32Array(n);
    let doc = 0;
    for (let k = 0; k < n; k++) docs[k] = doc += readVarint(bytes, at);
    const scores = new Float32Array(n);
    for (let k = 0; k < n; k++, at.i += 4) scores[k] = view.getFloat32(at.i, true);
    terms.set(term, { docs, scores });
  }
  return terms;
}

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

class Synonyms {
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

class Search {
  constructor(meta, get) {
    this.meta = meta;
    this.get = get;
    this.synonyms = new Synonyms(meta.synonyms);
    this.shards = new Map();
    this.fragments = new Map();
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
      this.shards.set(index, this.get(`terms/${index}.bin`).then((r) => r.arrayBuffer()).then(parseShard));
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

  /** Documents having every term, with the sum of the terms' scores (in order). */
  async allTerms(terms) {
    let result = null;
    for (const term of terms) {
      const p = await this.postings(term);
      if (!p) return new Map();
      const next = new Map();
      for (let k = 0; k < p.docs.length; k++) {
        const doc = p.docs[k];
        if (result === null) next.set(doc, p.scores[k]);
        else if (result.has(doc)) next.set(doc, result.get(doc) + p.scores[k]);
      }
      result = next;
    }
    return result || new Map();
  }

  async clauseScores(clause) {
    switch (clause.kind) {
      case "term":
        return this.allTerms([clause.term]);
      case "phrase":
        return this.allTerms(clause.terms);
      case "any": {
        const union = new Map();
        for (const alternative of clause.alternatives) {
          for (const [doc, score] of await this.allTerms(alternative)) {
            union.set(doc, (union.get(doc) || 0) + score);
          }
        }
        return union;
      }
      case "prefix": {
        const raw = analyze(clause.raw, "query").map((t) => t.text).join("");
        const prefixes = new Set([clause.term, raw, raw.slice(0, -1), raw.slice(0, -2)].filter((p) => p.length >= 2));
        const terms = new Set([clause.term]);
        for (const p of prefixes) for (const t of await this.termsWithPrefix(p)) terms.add(t);
        clause.expanded = [...terms];
        return this.clauseScores({ kind: "any", alternatives: clause.expanded.map((t) => [t]) });
      }
    }
    return new Map();
  }

  async loadFacets() {
    if (!this.facetData) {
      this.facetData = Promise.all([
        this.get("facets.json").then((r) => r.json()),
        this.get("facets.bin").then((r) => r.arrayBuffer()),
      ]).then(([names, buffer]) => {
        const bytes = new Uint8Array(buffer);
        const at = { i: 0 };
        const facets = {};
        for (const key of this.meta.facets) {
          const values = names[key].values;
          const members = values.map(() => {
            const n = readVarint(bytes, at);
            const docs = new Uint32Array(n);
            let doc = 0;
            for (let k = 0; k < n; k++) docs[k] = doc += readVarint(bytes, at);
            return docs;
          });
          const perDoc = Array.from({ length: this.meta.docs }, () => []);
          members.forEach((docs, value) => docs.forEach((d) => perDoc[d].push(value)));
          facets[key] = { label: names[key].label, values, members, perDoc };
        }
        return facets;
      });
    }
    return this.facetData;
  }

  fragment(doc) {
    if (!this.fragments.has(doc)) this.fragments.set(doc, this.get(`docs/${doc}.json`).then((r) => r.json()));
    return this.fragments.get(doc);
  }

  /** Documents allowed by the filters of every facet except `except`; null means all. */
  filterSet(facets, filters, except) {
    let allowed = null;
    for (const key of this.meta.facets) {
      const wanted = filters[key];
      if (key === except || !wanted || wanted.length === 0) continue;
      const chosen = new Set();
      const values = facets[key].values;
      for (const w of wanted) {
        const lower = String(w).toLowerCase();
        const index = values.findIndex((v) => v.slug === lower || v.name.toLowerCase() === lower);
        if (index >= 0) for (const d of facets[key].members[index]) chosen.add(d);
      }
      allowed = allowed === null ? chosen : new Set([...allowed].filter((d) => chosen.has(d)));
    }
    return allowed;
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
    let scores;
    if (clauses.length === 0) {
      if (!hasFilters) return Object.assign([], { total: 0, facets: counts ? this.emptyCounts(facets) : {}, clauses });
      scores = new Map(Array.from({ length: this.meta.docs }, (_, d) => [d, 0]));
    } else {
      const perClause = await Promise.all(clauses.map((c) => this.clauseScores(c)));
      perClause.sort((a, b) => a.size - b.size);
      scores = perClause[0];
      for (const other of perClause.slice(1)) {
        const next = new Map();
        for (const [doc, score] of scores) if (other.has(doc)) next.set(doc, score + other.get(doc));
        scores = next;
      }
    }
    let ranked = [...scores].map(([doc, score]) => ({ doc, score, key: Math.round(score * this.scale) }));
    ranked.sort((a, b) => b.key - a.key || a.doc - b.doc);
    const phrases = clauses.filter((c) => c.kind === "phrase");
    let approximate = false;
    const allowed = hasFilters ? this.filterSet(facets, filters, null) : null;
    if (allowed) ranked = ranked.filter((r) => allowed.has(r.doc));
    if (phrases.length) ({ ranked, approximate } = await this.checkPhrases(ranked, phrases, limit));
    const top = ranked.slice(0, limit);
    const fragments = await Promise.all(top.map((r) => this.fragment(r.doc)));
    const highlight = new Set(clauses.flatMap(termsOf));
    const hits = top.map((r, i) => ({
      slug: fragments[i].slug,
      title: fragments[i].title,
      url: fragments[i].url,
      score: r.key / this.scale,
      snippet: snippet(fragments[i], highlight),
    }));
    hits.total = ranked.length;
    hits.approximate = approximate;
    hits.clauses = clauses;
    hits.facets = counts ? this.counts(facets, scores, filters, phrases.length ? new Set(ranked.map((r) => r.doc)) : null) : {};
    return hits;
  }

  /** Keeps the candidates whose text has each phrase; checks in rank order, enough for `limit`. */
  async checkPhrases(ranked, phrases, limit) {
    const kept = [];
    const budget = Math.max(limit, 200);
    for (let i = 0; i < ranked.length; i++) {
      if (i >= budget && kept.length >= limit) return { ranked: kept, approximate: true };
      const fragment = await this.fragment(ranked[i].doc);
      if (phrases.every((p) => hasPhrase(fragment, p.terms))) kept.push(ranked[i]);
    }
    return { ranked: kept, approximate: false };
  }

  emptyCounts(facets) {
    const out = {};
    for (const key of this.meta.facets) out[key] = facets[key].values.map((v) => ({ name: v.name, slug: v.slug, count: 0 }));
    return out;
  }

  /** Per facet, how many matching cases have each value (other facets' filters applied). */
  counts(facets, scores, filters, only) {
    const out = {};
    for (const key of this.meta.facets) {
      const allowed = this.filterSet(facets, filters, key);
      const tally = new Uint32Array(facets[key].values.length);
      for (const doc of scores.keys()) {
        if (allowed && !allowed.has(doc)) continue;
        if (only && !only.has(doc)) continue;
        for (const v of facets[key].perDoc[doc]) tally[v]++;
      }
      out[key] = facets[key].values.map((v, i) => ({ name: v.name, slug: v.slug, count: tally[i] }));
    }
    return out;
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

const FIELD_TEXTS = (f) => [f.title, f.summary, f.text, ...["theme", "region", "organisation", "approach"].map((k) => f[k].join(", "))];

/** True when `terms` stand side by side in one field of the case, as tantivy's phrase query checks. */
function hasPhrase(fragment, terms) {
  return FIELD_TEXTS(fragment).some((text) => {
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

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** A passage of the body (or the summary) around the most matches, as HTML with <mark>. */
export function snippet(fragment, terms, width = 180) {
  for (const text of [fragment.text, fragment.summary]) {
    const matches = analyze(text || "", "index").filter((t) => terms.has(t.text));
    if (!matches.length) continue;
    let best = 0;
    let bestCount = 0;
    for (let i = 0; i < matches.length; i++) {
      let count = 0;
      for (let j = i; j < matches.length && matches[j].end - matches[i].start <= width; j++) count++;
      if (count > bestCount) [best, bestCount] = [i, count];
    }
    let start = Math.max(0, matches[best].start - 30);
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    let end = Math.min(text.length, start + width);
    if (end < text.length) end = text.lastIndexOf(" ", end) > start ? text.lastIndexOf(" ", end) : end;
    let html = start > 0 ? "…" : "";
    let at = start;
    for (const m of matches) {
      if (m.start < at || m.end > end) continue;
      html += escapeHtml(text.slice(at, m.start)) + "<mark>" + escapeHtml(text.slice(m.start, m.end)) + "</mark>";
      at = m.end;
    }
    html += escapeHtml(text.slice(at, end)) + (end < text.length ? "…" : "");
    return html;
  }
  const summary = fragment.summary || "";
  return escapeHtml(summary.length > width ? summary.slice(0, width) + "…" : summary);
}
