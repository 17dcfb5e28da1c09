// Known-item relevance of casebook's browser runtime and of Pagefind on the same built sites.
//
// Usage: node benches/relevance.mjs [--per-kind N] [--seed S] [--show K] NAME=ROOT …
//
// ROOT is a knowledge base whose site `casebook build` wrote to ROOT/public and Pagefind
// indexed (benches/relevance.sh makes them). For each collection, a seeded generator picks cases and writes known-item
// queries, a practitioner looking for a case they have heard of:
//   title   three of the title's content words (three letters or more, not "the", "with" …),
//           in their order: what one recalls a title by
//   typo    the same with one typo in a word of 6 or more letters: one substitution, deletion,
//           insertion or transposition at a random position after the first letter
//   forms   the same with one word's number changed (singular ↔ plural)
//   body    eight consecutive words of the body as a reader sees it on the case page
//   source  eight consecutive words of the body as its file writes it (Markdown: link
//           targets, image paths, entities and shortcodes included), words a page may lack
// Each query runs through both engines (casebook: search/casebook-search.js as a submitted
// query; Pagefind: its own pagefind.js), and the case it came from is looked for in the first
// ten results: success@1, success@10 and MRR@10 per kind and engine. --show K prints K
// failures of casebook's per kind, to see what goes wrong.
//
// A title query is ambiguous when ten other cases or more have every one of its words in
// their titles (a series: "The Content Corner: …"): no engine can be sure to rank the one
// case meant in the first ten. For titles, success@10 is also given over the queries that
// are not ambiguous, with how many are.
import { existsSync } from "node:fs";
import { copyFile, mkdtemp, readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { KINDS, generate } from "./known_items.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [value] = args.splice(at, 2).slice(1);
  return Number(value);
};
const perKind = option("--per-kind", 150);
const seed = option("--seed", 1);
const show = option("--show", 0);
if (args.length === 0) {
  console.error("usage: node benches/relevance.mjs [--per-kind N] [--seed S] [--show K] NAME=ROOT …");
  process.exit(2);
}

/** casebook's runtime on a built site, read from disk. */
async function casebookEngine(site) {
  const { open } = await import(pathToFileURL(path.join(site, "search", "casebook-search.js")).href);
  const fromDisk = async (url) => {
    try {
      return new Response(await readFile(path.join(site, decodeURIComponent(url))));
    } catch {
      return new Response(null, { status: 404 });
    }
  };
  const search = await open("/search/", fromDisk);
  return async (query) => (await search.search(query, { limit: 10, counts: false })).map((h) => h.slug);
}

/** Pagefind's runtime (its own pagefind.js and wasm) on the same site. */
async function pagefindEngine(site) {
  const bundle = path.join(site, "pagefind");
  const nodeFetch = globalThis.fetch;
  globalThis.fetch = async (input) => {
    const url = String(input);
    if (!url.startsWith("file:")) return nodeFetch(input);
    try {
      return new Response(await readFile(fileURLToPath(url.replace(/\?.*$/, ""))));
    } catch {
      return new Response(null, { status: 404 });
    }
  };
  // pagefind.js is an ES module with a .js name and no package.json saying so: load a copy.
  const copy = path.join(await mkdtemp(path.join(os.tmpdir(), "pagefind-")), "pagefind.mjs");
  await copyFile(path.join(bundle, "pagefind.js"), copy);
  const pagefind = await import(pathToFileURL(copy).href + `?site=${encodeURIComponent(site)}`);
  await pagefind.options({ basePath: pathToFileURL(bundle).href + "/" });
  await pagefind.init();
  return async (query) => {
    const found = await pagefind.search(query);
    const shown = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
    return shown.map((d) => d.url.replace(/^.*\/cases\//, "").replace(/\/(index\.html)?$/, ""));
  };
}

/** Each case's body as its page shows it, by case number: the export's whole body text. */
async function bodiesOf(site, count) {
  const bodies = [];
  for (let n = 0; n < count; n++) {
    const whole = path.join(site, "search", "docs", `${n}.txt`);
    if (existsSync(whole)) bodies.push(await readFile(whole, "utf8"));
    else bodies.push(JSON.parse(await readFile(path.join(site, "search", "docs", `${n}.json`), "utf8")).text);
  }
  return bodies;
}

/**
 * Each case's body as its editor wrote it (the Markdown below the front matter, links,
 * images and shortcodes included), by case number. Cases are found by file name, which the
 * converters make the slug.
 */
async function sourcesOf(root, cases) {
  const files = new Map();
  const walk = async (dir) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith(".md")) files.set(entry.name.slice(0, -3), full);
    }
  };
  await walk(path.join(root, "content", "cases"));
  return Promise.all(
    cases.map(async ({ slug }) => {
      const file = files.get(slug);
      if (!file) return "";
      const text = await readFile(file, "utf8");
      const close = text.indexOf("\n---", 3);
      return close < 0 ? "" : text.slice(close + 4);
    }),
  );
}

/**
 * For each title query, whether ten other cases or more have all its words in their titles,
 * the words compared as the site's own analyzer indexes them.
 */
async function ambiguousTitles(site, cases, titleQueries) {
  const { analyze } = await import(pathToFileURL(path.join(site, "search", "analyzer.js")).href);
  const terms = (text) => new Set(analyze(text, "index").map((t) => t.text));
  const titles = cases.map((c) => terms(c.title));
  return titleQueries.map(({ doc, query }) => {
    const wanted = [...terms(query)];
    const rivals = titles.filter((title, other) => other !== doc && wanted.every((t) => title.has(t))).length;
    return rivals >= 10;
  });
}

const percent = (x) => (100 * x).toFixed(1).padStart(6) + " %";
for (const [index, spec] of args.entries()) {
  const [name, dir] = spec.split("=");
  const root = path.resolve(dir);
  const site = path.join(root, "public");
  const cases = JSON.parse(await readFile(path.join(site, "cases.json"), "utf8"));
  const bodies = await bodiesOf(site, cases.length);
  const sources = await sourcesOf(root, cases);
  const queries = generate(cases, bodies, sources, seed * 7919 + index, perKind);
  const engines = { casebook: await casebookEngine(site), pagefind: await pagefindEngine(site) };
  const ambiguous = await ambiguousTitles(site, cases, queries.title);
  console.log(`\n${name}: ${cases.length} cases, seed ${seed}`);
  console.log(`${"kind".padEnd(7)}${"n".padStart(5)}  ${"engine".padEnd(9)}${"s@1".padStart(9)}${"s@10".padStart(9)}${"MRR@10".padStart(9)}`);
  for (const kind of KINDS) {
    for (const [engineName, engine] of Object.entries(engines)) {
      let at1 = 0;
      let at10 = 0;
      let reciprocal = 0;
      let clearAt10 = 0;
      const failures = [];
      for (const [q, { doc, query }] of queries[kind].entries()) {
        const slugs = await engine(query);
        const rank = slugs.indexOf(cases[doc].slug);
        if (rank === 0) at1++;
        if (rank >= 0) {
          at10++;
          if (kind === "title" && !ambiguous[q]) clearAt10++;
          reciprocal += 1 / (rank + 1);
        } else if (engineName === "casebook") {
          failures.push(`${JSON.stringify(query)} → ${cases[doc].slug} (got ${slugs.slice(0, 3).join(", ") || "nothing"})`);
        }
      }
      const n = queries[kind].length;
      console.log(
        `${kind.padEnd(7)}${String(n).padStart(5)}  ${engineName.padEnd(9)}${percent(at1 / n)}${percent(at10 / n)}${(reciprocal / n).toFixed(3).padStart(9)}`,
      );
      if (kind === "title") {
        const clear = ambiguous.filter((a) => !a).length;
        console.log(`         not ambiguous: ${clear} of ${n}, s@10 ${clear ? percent(clearAt10 / clear).trim() : "–"}`);
      }
      for (const failure of failures.slice(0, show)) console.log(`         missed: ${failure}`);
    }
  }
}
