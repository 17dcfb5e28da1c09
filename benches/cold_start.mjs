// Cold start of the search page in headless Chromium: from navigation to the first result's
// title painted, on a built site served from 127.0.0.1 by a plain static server (Node's http,
// files as they are, no compression, no cache), each run in a fresh browser context (an empty
// cache). Prints each run, the median, and the median run's waterfall (each file: when it was
// asked for and when it arrived, ms after navigation); then, as medians over the runs, when
// the page first painted anything (the floor this machine sets for any page of this size,
// script or not) and when each group of files (scripts and meta, term shards, fragments)
// was first asked for and had all arrived; and, when the page's scripts set performance marks
// (performance.mark("name"), as one may add by hand to find where the time goes), when each
// was first set.
//
// Usage: node benches/cold_start.mjs OUTPUT_DIR "query" [runs=7] [--vs OTHER_OUTPUT_DIR]
// With --vs, each run of OUTPUT_DIR is followed by one of the other site (say, the same site
// built before a change), so that both meet the same moments of a shared machine; the other's
// runs, median and the ratio of the medians are printed last.
// Needs Debian's /usr/bin/chromium and tests/browser's npm packages (playwright-core).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";

const args = process.argv.slice(2);
const vsAt = args.indexOf("--vs");
const otherDir = vsAt >= 0 ? args.splice(vsAt, 2)[1] : null;
const [outDir, query, runsArg] = args;
if (!outDir || !query || (vsAt >= 0 && !otherDir)) {
  console.error('usage: node benches/cold_start.mjs OUTPUT_DIR "query" [runs] [--vs OTHER_OUTPUT_DIR]');
  process.exit(2);
}
const runs = Number(runsArg || 7);
const require = createRequire(new URL("../tests/browser/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".json": "application/json", ".css": "text/css", ".svg": "image/svg+xml" };
/** A plain static server of `dir` on a free port; resolves to the search page's URL for the query. */
async function serve(dir) {
  const root = path.resolve(dir);
  const server = createServer(async (request, response) => {
    let file = path.join(root, decodeURIComponent(new URL(request.url, "http://x").pathname));
    if (!file.startsWith(root)) return response.writeHead(403).end();
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
      const body = await readFile(file);
      response.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream", "Cache-Control": "no-store" });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return `http://127.0.0.1:${server.address().port}/search/?q=${encodeURIComponent(query)}`;
}
const servers = [];
const url = await serve(outDir);
const otherUrl = otherDir ? await serve(otherDir) : null;

const browser = await chromium.launch({
  executablePath: process.env.CASEBOOK_CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});

// In the page: the time of the first paint after the first result's title is in the DOM.
const probe = () => {
  window.__firstResult = new Promise((resolve) => {
    const seen = () => document.querySelector("#search-results .search-result-title");
    const observer = new MutationObserver(() => {
      if (!seen()) return;
      observer.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
    });
    document.addEventListener("DOMContentLoaded", () => observer.observe(document.body, { childList: true, subtree: true }));
  });
};

/** One cold start of `address`: a fresh context, to the first result's title painted. */
async function coldStart(address) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(probe);
  await page.goto(address);
  return { context, page, ms: await page.evaluate(() => window.__firstResult) };
}

const results = [];
const others = [];
for (let run = 0; run < runs + 1; run++) {
  const { context, page, ms } = await coldStart(url);
  const waterfall = await page.evaluate(() =>
    performance.getEntriesByType("resource").map((e) => ({ file: e.name.replace(location.origin, ""), start: e.startTime, end: e.responseEnd })),
  );
  const painted = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN);
  const marks = await page.evaluate(() => performance.getEntriesByType("mark").map((m) => [m.name, m.startTime]));
  await context.close();
  if (run > 0) results.push({ ms, waterfall, painted, marks }); // the first run warms the server and the browser
  if (otherUrl) {
    const other = await coldStart(otherUrl);
    await other.context.close();
    if (run > 0) others.push(other.ms);
  }
}
// The floor: the same page with JavaScript turned off, to its first paint.
const withoutScript = [];
for (let run = 0; run < runs + 1; run++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: "load" });
  // The paint may come after the load event: wait for it (a page's own scripts are off, not
  // the test's).
  const painted = await page
    .waitForFunction(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime, null, { timeout: 5000 })
    .then((handle) => handle.jsonValue())
    .catch(() => NaN);
  await context.close();
  if (run > 0) withoutScript.push(painted);
}
await browser.close();
for (const server of servers) server.close();

results.sort((a, b) => a.ms - b.ms);
const median = results[Math.floor(results.length / 2)];
console.log(`cold start, navigation to the first result's title painted, ${runs} runs: ${results.map((r) => r.ms.toFixed(0)).join(", ")} ms`);
console.log(`median ${median.ms.toFixed(0)} ms; its waterfall (ms after navigation):`);
for (const { file, start, end } of median.waterfall.sort((a, b) => a.start - b.start)) {
  console.log(`  ${start.toFixed(0).padStart(5)} → ${end.toFixed(0).padStart(5)}  ${file}`);
}

// Medians over the runs: the first paint, and each group of files' first request and last arrival.
const middle = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
};
const groupOf = (file) => (file.includes("/terms/") ? "term shards" : file.includes("/docs/") ? "fragments" : /\.(js|json|bin)$/.test(file) && !file.includes("/words") ? "scripts, meta, facets" : null);
console.log(`medians over the ${runs} runs (ms after navigation):`);
console.log(`  ${middle(withoutScript).toFixed(0).padStart(5)}  first contentful paint of the page with JavaScript turned off`);
console.log(`  ${middle(results.map((r) => r.painted)).toFixed(0).padStart(5)}  first contentful paint (the page before any result)`);
for (const group of ["scripts, meta, facets", "term shards", "fragments"]) {
  const spans = results.map((r) => r.waterfall.filter((e) => groupOf(e.file) === group));
  const asked = middle(spans.map((s) => Math.min(...s.map((e) => e.start))));
  const arrived = middle(spans.map((s) => Math.max(...s.map((e) => e.end))));
  console.log(`  ${asked.toFixed(0).padStart(5)} → ${arrived.toFixed(0).padStart(5)}  ${group}`);
}
// Each mark's first time in each run (a mark set again by later searches is not the first query's).
const firstTimes = results.map((r) => Object.fromEntries([...r.marks].reverse()));
for (const name of new Set(results.flatMap((r) => r.marks.map(([n]) => n)))) {
  console.log(`  ${middle(firstTimes.map((times) => times[name])).toFixed(0).padStart(5)}  mark ${name}`);
}
console.log(`  ${middle(results.map((r) => r.ms)).toFixed(0).padStart(5)}  first result's title painted`);
if (otherUrl) {
  const otherMedian = middle(others);
  console.log(`the other site (${otherDir}), runs taken in turn with these: ${others.map((ms) => ms.toFixed(0)).join(", ")} ms`);
  console.log(`median ${otherMedian.toFixed(0)} ms; this site's median is ${(median.ms / otherMedian).toFixed(2)} of it`);
}
