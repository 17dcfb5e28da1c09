// Runs queries through the real search runtime of a built site, from Node.
// Usage: node search.mjs OUTPUT_DIR < queries.json
//   queries.json: [{ "query": "...", "filters": { "theme": ["..."] }, "limit": 10,
//                    "prefix": false, "exact": false, "sort": "newest",
//                    "years": { "from": 2010, "to": 2015 } }, …]
// Prints a JSON array with, per query, what `casebook search --json` prints ({ query,
// corrected, corrections, partial, total, sort, undated, hits: [{ slug, title, url, score,
// matched }] }), plus approximate, slugs, scores and ms.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const outDir = path.resolve(process.argv[2]);
const { open } = await import(pathToFileURL(path.join(outDir, "search", "casebook-search.js")).href);

// Serves site paths (`/search/meta.json`) from the output folder, like a static host.
async function fetchFromDisk(url) {
  try {
    return new Response(await readFile(path.join(outDir, decodeURIComponent(url))));
  } catch {
    return new Response(null, { status: 404 });
  }
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const queries = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const meta = JSON.parse(await readFile(path.join(outDir, "search", "meta.json"), "utf8"));
const search = await open("/search/", fetchFromDisk);
const results = [];
for (const { query, filters = {}, limit = 10, prefix = false, exact = false, sort = null, years = {} } of queries) {
  const started = performance.now();
  const hits = await search.search(query, { filters, limit, prefix, exact, sort, years, counts: false });
  const ms = performance.now() - started;
  results.push({
    query: hits.query,
    corrected: hits.corrected,
    corrections: hits.corrections,
    partial: hits.partial,
    total: hits.total,
    sort: hits.sort,
    undated: hits.undated,
    approximate: hits.approximate,
    hits: hits.map(({ slug, title, url, score, matched }) => ({ slug, title, url, score, matched })),
    slugs: hits.map((h) => h.slug),
    scores: hits.map((h) => h.score),
    ms,
  });
}
process.stdout.write(JSON.stringify(results));
void meta;
