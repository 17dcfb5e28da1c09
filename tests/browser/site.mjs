// Shared by the site checks (site.test.mjs, a11y.test.mjs, validate.test.mjs): where the built
// site is, what kind of page a URL is, headless Chromium, and pages that record every problem.
//
//   CASEBOOK_SITE_URL  the served site's base URL, ending with / (http://127.0.0.1:PORT/kb/)
//   CASEBOOK_SITE_DIR  the folder the site was built into (what is served at that URL)
//   CASEBOOK_CHROMIUM  the browser (default /usr/bin/chromium; never a downloaded one)
//   CASEBOOK_ARTIFACTS where screenshots and reports go (default tests/artifacts/, git-ignored)

import assert from "node:assert/strict";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./chromium.mjs";

export { launch };

export const SITE = process.env.CASEBOOK_SITE_URL;
if (!SITE || !SITE.endsWith("/")) throw new Error("set CASEBOOK_SITE_URL to the built site's base URL, ending with /");
export const SITE_DIR = process.env.CASEBOOK_SITE_DIR;
if (!SITE_DIR) throw new Error("set CASEBOOK_SITE_DIR to the folder the site was built into");
export const ORIGIN = new URL(SITE).origin;
export const BASE_PATH = new URL(SITE).pathname; // "/kb/"
export const ARTIFACTS = process.env.CASEBOOK_ARTIFACTS
  ? join(process.env.CASEBOOK_ARTIFACTS, "/")
  : fileURLToPath(new URL("../artifacts/", import.meta.url));
export const TIMEOUT = 20_000; // generous: CI machines may be busy

/** The four facets: the key in cases.json → the folder of their pages. */
export const FACETS = { theme: "themes", region: "regions", organisation: "organisations", approach: "approaches", country: "countries" };
const FACET_OF_FOLDER = Object.fromEntries(Object.entries(FACETS).map(([key, folder]) => [folder, key]));

/**
 * The kind of page a URL of the site is: home, case, cases (the list of all cases), facet-index,
 * facet-value, search, 404, or other; `facet` is the facet key of facet pages.
 */
export function pageType(url) {
  const path = new URL(url, SITE).pathname;
  if (!path.startsWith(BASE_PATH)) return { type: "other" };
  const parts = path.slice(BASE_PATH.length).replace(/index\.html$/, "").split("/").filter(Boolean);
  if (parts.length === 0) return { type: "home" };
  if (parts.length === 1 && parts[0] === "404.html") return { type: "404" };
  if (parts[0] === "search" && parts.length === 1) return { type: "search" };
  if (parts[0] === "cases") {
    if (parts.length === 1 || parts[1] === "page") return { type: "cases" };
    return { type: "case" };
  }
  const facet = FACET_OF_FOLDER[parts[0]];
  if (facet) return { type: parts.length === 1 ? "facet-index" : "facet-value", facet };
  return { type: "other" };
}

/** The URL path of a link, with `index.html` dropped: the key pages are compared by. */
export function pathOf(url) {
  return new URL(url, SITE).pathname.replace(/index\.html$/, "");
}

/**
 * Every HTML file of the built site, as paths relative to its folder, sorted; not the
 * editing form under admin/, which loads the CMS from its pinned address and is checked by
 * tests/cms.rs.
 */
export async function htmlFiles() {
  const entries = await readdir(SITE_DIR, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".html"))
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(SITE_DIR.replace(/\/$/, "").length + 1))
    .filter((file) => !file.startsWith("admin/"))
    .sort();
}

/** The site's cases.json. */
export async function casesJson() {
  return JSON.parse(await readFile(join(SITE_DIR, "cases.json"), "utf8"));
}

/** The facet values of one case (a facet holds one value or a list). */
export function valuesOf(c, facet) {
  const v = c[facet];
  return v == null ? [] : Array.isArray(v) ? v : [v];
}

/** A query that finds several cases: the theme most cases share. */
export async function searchQuery() {
  if (process.env.CASEBOOK_SEARCH_QUERY) return process.env.CASEBOOK_SEARCH_QUERY;
  const counts = new Map();
  for (const c of await casesJson()) for (const t of valuesOf(c, "theme")) counts.set(t, (counts.get(t) || 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
}

/**
 * One page of each type worth checking: home, a case (the one with the most related cases and
 * sources), the list of all cases, a facet index (themes), a facet value page (the most common
 * theme), the search page with results for `searchQuery()`, and the 404 page. [{ type, url }]
 */
export async function representativePages() {
  const cases = await casesJson();
  const query = await searchQuery();
  const richest = [...cases].sort((a, b) => (b.sources?.length ?? 0) - (a.sources?.length ?? 0) || valuesOf(b, "theme").length - valuesOf(a, "theme").length)[0];
  const themeSlug = (await htmlFiles())
    .filter((f) => /^themes\/[^/]+\/index\.html$/.test(f))
    .map((f) => f.split("/")[1]);
  const common = slugify(query);
  const value = themeSlug.includes(common) ? common : themeSlug[0];
  // A theme × country page, when the site has one.
  const combination = (await htmlFiles()).find((f) => /^themes\/[^/]+\/(?!page\/)[^/]+\/index\.html$/.test(f));
  return [
    { type: "home", url: SITE },
    { type: "case", url: new URL(richest.url).pathname },
    { type: "cases", url: "cases/" },
    { type: "facet-index", url: "themes/" },
    { type: "facet-value", url: `themes/${value}/` },
    { type: "search", url: `search/?q=${encodeURIComponent(query)}`, query },
    { type: "404", url: "404.html" },
    ...(combination ? [{ type: "combination", url: combination.replace(/index\.html$/, "") }] : []),
  ].map((p) => ({ ...p, url: new URL(p.url, SITE).href }));
}

/** Close to casebook's slugs, enough to find a value page by its name. */
function slugify(name) {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * A fresh page in its own context that records problems: console errors, uncaught exceptions,
 * failed requests, HTTP errors, and any request to a host other than the site's (which is
 * refused). `problems` lists them, each with the page it happened on (`page.url()`);
 * `settle()` waits until no request is in flight.
 */
export async function newPage(browser, { viewport = { width: 1100, height: 900 }, mobile = false } = {}) {
  const context = await browser.newContext({ viewport, isMobile: mobile, hasTouch: mobile });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  const problems = [];
  const at = () => pathOf(page.url());
  await context.route(
    (url) => url.origin !== ORIGIN && url.protocol !== "data:" && url.protocol !== "blob:",
    (route) => {
      problems.push(`${at()}: request outside ${ORIGIN}: ${route.request().url()}`);
      return route.abort("blockedbyclient");
    },
  );
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`${at()}: console error: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => problems.push(`${at()}: uncaught: ${error.stack || error}`));
  let inFlight = 0;
  page.on("request", () => inFlight++);
  page.on("requestfinished", () => inFlight--);
  page.on("requestfailed", (request) => {
    inFlight--;
    if (new URL(request.url()).origin !== ORIGIN) return; // already reported by the route
    // Cancelled (by the next navigation, e.g. a late favicon request, or by the page itself) is
    // no fault of the site: a missing file answers 404 and a broken one fails otherwise.
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push(`${at()}: request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on("response", (response) => {
    if (response.status() < 400) return;
    // A page that fails to load is reported as itself; the page it was loaded from may not be.
    const where = response.request().isNavigationRequest() ? pathOf(response.url()) : at();
    problems.push(`${where}: HTTP ${response.status()}: ${response.url()}`);
  });
  return {
    page,
    context,
    problems,
    /** Waits until the page has no request in flight (for 50 ms), at most `TIMEOUT`. */
    async settle() {
      const end = Date.now() + TIMEOUT;
      let quietSince = 0;
      while (Date.now() < end) {
        if (inFlight > 0) quietSince = 0;
        else if (!quietSince) quietSince = Date.now();
        else if (Date.now() - quietSince >= 50) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      problems.push(`${at()}: requests still in flight after ${TIMEOUT} ms`);
    },
  };
}

/** Waits until the search page shows results for `query`. */
export async function waitForResults(page, query) {
  await page.waitForFunction(
    (q) => {
      const text = document.querySelector("#search-status .search-status-text")?.textContent ?? "";
      return /^(At least )?\d+ cases? match/.test(text) && text.includes(`“${q}”`) && document.querySelector("#search-results > li");
    },
    query,
  );
}

/** Makes the artefacts folder and returns its path, ending with a slash. */
export async function artifacts() {
  await mkdir(ARTIFACTS, { recursive: true });
  return ARTIFACTS;
}

/** Fails with every problem listed, one a line. */
export function expectNone(problems, what) {
  assert.ok(problems.length === 0, `${what}:\n  ${problems.join("\n  ")}`);
}
