// What a visitor downloads for a first query on a built site, and how fast queries run.
//
// Usage: node benches/search_download.mjs OUTPUT_DIR [--sort newest] "two words" [more queries…]
//        node benches/search_download.mjs OUTPUT_DIR --typos N
// (with --typos, N misspelt known-item queries are generated from the site's titles, as
// relevance.mjs makes its "typo" kind, each run as a first query with an empty cache, and the
// bytes sent printed as median, 90th percentile and maximum)
// (with --sort, every query is sorted so, and the sort keys count in the first query's bytes;
// "" is the query of a list sorted with no words, as "Search and filter these cases" opens)
//
// Loads the real runtime from OUTPUT_DIR/search/ with a fetch that reads the files from disk
// and counts their bytes: as stored (what a host that compresses nothing sends), and as a
// compressing host sends them (scripts and JSON gzip -6; the `.bin` files are gzip already,
// so they go as stored). For the first
// query it counts the runtime modules, meta.json, the term shards, the dictionary shards (when a
// word is corrected), the facet data (counts are shown) and the fragments of the first 10
// results; then it times each query warm.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { pathToFileURL } from "node:url";
import { generate } from "./known_items.mjs";

const [outDir, ...rest] = process.argv.slice(2);
const flag = (name) => {
  const at = rest.indexOf(name);
  return at >= 0 ? rest.splice(at, 2)[1] : null;
};
const sort = flag("--sort");
const typos = Number(flag("--typos") || 0);
const queries = rest;
if (!outDir || (queries.length === 0 && !typos)) {
  console.error('usage: node benches/search_download.mjs OUTPUT_DIR "query" [query…]');
  process.exit(2);
}
const root = path.resolve(outDir);
const sum = (rows, key) => rows.reduce((total, row) => total + row[key], 0);
const fetched = [];
async function countingFetch(url) {
  try {
    const bytes = await readFile(path.join(root, decodeURIComponent(url)));
    const sent = url.endsWith(".bin") ? bytes.length : gzipSync(bytes, { level: 6 }).length;
    fetched.push({ url, stored: bytes.length, sent });
    return new Response(bytes);
  } catch {
    return new Response(null, { status: 404 });
  }
}

// The modules a browser loads before it can search: the runtime and what it imports.
const MODULES = ["casebook-search.js", "format.js", "query.js", "forgive.js", "dictionary.js", "snippet.js", "analyzer.js", "stemmer.js"];
for (const module of MODULES) await countingFetch(`/search/${module}`);
const { open } = await import(pathToFileURL(path.join(root, "search", "casebook-search.js")).href);
if (typos) {
  const cases = JSON.parse(await readFile(path.join(root, "cases.json"), "utf8"));
  const generated = generate(cases, [], [], 7919, typos).typo.map((q) => q.query);
  const runtime = fetched.splice(0);
  const sent = [];
  for (const query of generated) {
    fetched.splice(0);
    const fresh = await open("/search/", countingFetch);
    await fresh.search(query, { limit: 10, counts: true, sort });
    sent.push((sum(runtime, "sent") + sum(fetched, "sent")) / 1024);
  }
  sent.sort((a, b) => a - b);
  const at = (p) => sent[Math.min(sent.length - 1, Math.floor(p * sent.length))].toFixed(1);
  console.log(`${sent.length} generated misspelt first queries (facet counts, 10 results): KiB sent median ${at(0.5)}, p90 ${at(0.9)}, max ${sent.at(-1).toFixed(1)}`);
  process.exit(0);
}
const search = await open("/search/", countingFetch);
const started = performance.now();
const hits = await search.search(queries[0], { limit: 10, counts: true, sort });
const coldMs = performance.now() - started;

const group = (name, test) => {
  const rows = fetched.filter((f) => test(f.url));
  return { name, files: rows.length, stored: sum(rows, "stored"), sent: sum(rows, "sent") };
};
const groups = [
  group("runtime (js)", (u) => u.endsWith(".js")),
  group("meta.json", (u) => u.endsWith("meta.json")),
  group("term shards", (u) => u.includes("/terms/")),
  group("dictionary", (u) => u.includes("/words/")),
  group("facet data", (u) => u.includes("/facets.bin")),
  group("sort keys", (u) => u.includes("/sorts.bin")),
  group("fragments", (u) => u.includes("/docs/")),
];
const kib = (n) => (n / 1024).toFixed(1).padStart(7) + " KiB";
console.log(`first query ${JSON.stringify(queries[0])}${sort ? `, sorted ${sort}` : ""}: ${hits.total} matches, ${hits.length} shown, ${coldMs.toFixed(1)} ms from disk`);
console.log("part            files     stored       sent");
for (const g of groups) console.log(`${g.name.padEnd(14)} ${String(g.files).padStart(6)} ${kib(g.stored)} ${kib(g.sent)}`);
const [stored, sent] = [sum(fetched, "stored"), sum(fetched, "sent")];
console.log(`${"total".padEnd(14)} ${String(fetched.length).padStart(6)} ${kib(stored)} ${kib(sent)}`);
console.log(`(${(stored / 1000).toFixed(1)} kB stored, ${(sent / 1000).toFixed(1)} kB sent by a compressing host)`);

// Warm query times: every shard and fragment involved is already loaded.
for (const query of queries) {
  await search.search(query, { limit: 10, counts: true, sort });
  const times = [];
  for (let i = 0; i < 21; i++) {
    const t = performance.now();
    await search.search(query, { limit: 10, counts: true, sort });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`query ${JSON.stringify(query)}: median ${times[10].toFixed(2)} ms, min ${times[0].toFixed(2)} ms, max ${times[20].toFixed(2)} ms (warm, facet counts on)`);
}
