// The same measurement as search_download.mjs, for Pagefind on the same corpus: what a
// visitor downloads for a first query, and how fast queries run once loaded.
//
// Usage: node benches/pagefind_download.mjs HUGO_OUTPUT_DIR "two words" [more queries…]
//
// HUGO_OUTPUT_DIR is a site Pagefind indexed (benches/compare.sh leaves one). Loads the
// site's own pagefind.js in Node with a fetch that reads files from disk and counts their
// bytes: pagefind.js (gzip -6, as a host sends it), then Pagefind's own files as they are
// (it writes them gzipped already). For the first query it loads the filters (so facet
// counts are shown, as on casebook's search page) and the data of the first 10 results.
import { copyFile, mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const [siteDir, ...queries] = process.argv.slice(2);
if (!siteDir || queries.length === 0) {
  console.error('usage: node benches/pagefind_download.mjs HUGO_OUTPUT_DIR "query" [query…]');
  process.exit(2);
}
const bundle = path.join(path.resolve(siteDir), "pagefind");
const fetched = [];
globalThis.fetch = async (input) => {
  const file = fileURLToPath(new URL(String(input)).href.replace(/\?.*$/, ""));
  try {
    const bytes = await readFile(file);
    fetched.push({ url: file, raw: bytes.length, gzip: bytes.length });
    return new Response(bytes);
  } catch {
    return new Response(null, { status: 404 });
  }
};

// pagefind.js is an ES module with a .js name and no package.json saying so: load a copy.
const runtime = path.join(await mkdtemp(path.join(os.tmpdir(), "pagefind-")), "pagefind.mjs");
await copyFile(path.join(bundle, "pagefind.js"), runtime);
const js = await readFile(runtime);
fetched.push({ url: "pagefind.js", raw: js.length, gzip: gzipSync(js, { level: 6 }).length });
const pagefind = await import(pathToFileURL(runtime).href);
await pagefind.options({ basePath: pathToFileURL(bundle).href + "/" });

const started = performance.now();
await pagefind.init();
await pagefind.filters();
const first = await pagefind.search(queries[0]);
const shown = await Promise.all(first.results.slice(0, 10).map((r) => r.data()));
const coldMs = performance.now() - started;

const sum = (rows, key) => rows.reduce((total, row) => total + row[key], 0);
const group = (name, test) => {
  const rows = fetched.filter((f) => test(f.url));
  return { name, files: rows.length, raw: sum(rows, "raw"), gzip: sum(rows, "gzip") };
};
const groups = [
  group("runtime+wasm", (u) => u.endsWith(".js") || u.includes("wasm.")),
  group("meta", (u) => u.endsWith(".pf_meta") || u.endsWith("entry.json")),
  group("index chunks", (u) => u.endsWith(".pf_index")),
  group("filter data", (u) => u.endsWith(".pf_filter")),
  group("fragments", (u) => u.endsWith(".pf_fragment")),
];
const facetCount = Object.values(first.filters || {}).reduce((n, values) => n + Object.keys(values).length, 0);
const kib = (n) => (n / 1024).toFixed(1).padStart(7) + " KiB";
console.log(`Pagefind, first query ${JSON.stringify(queries[0])}: ${first.results.length} matches, ${shown.length} shown, ${facetCount} facet values counted, ${coldMs.toFixed(1)} ms from disk`);
console.log("part            files   as stored  as sent");
for (const g of groups) console.log(`${g.name.padEnd(14)} ${String(g.files).padStart(6)} ${kib(g.raw)} ${kib(g.gzip)}`);
console.log(`${"total".padEnd(14)} ${String(fetched.length).padStart(6)} ${kib(sum(fetched, "raw"))} ${kib(sum(fetched, "gzip"))}`);

// Warm query times: the query, its facet counts and the data of its first 10 results.
for (const query of queries) {
  const once = async () => {
    const search = await pagefind.search(query);
    await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  };
  await once();
  const times = [];
  for (let i = 0; i < 21; i++) {
    const t = performance.now();
    await once();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`Pagefind query ${JSON.stringify(query)}: median ${times[10].toFixed(2)} ms, min ${times[0].toFixed(2)} ms, max ${times[20].toFixed(2)} ms (warm, facet counts on)`);
}
