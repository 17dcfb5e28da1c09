// Valid HTML: the Nu Html Checker (vnu.jar of the npm package vnu-jar, run with the machine's
// Java) over every HTML file of the built site, the 404 page among them, its CSS and SVG, and
// the search page as the browser shows it with results and filters (what its script builds).
// Run by tests/site_checks.rs:
//
//   CASEBOOK_SITE_URL=http://127.0.0.1:PORT/kb/ CASEBOOK_SITE_DIR=path/to/output \
//     node --test tests/browser/validate.test.mjs
//
// Fails on any error; reports errors and warnings per page type (as test diagnostics and in
// tests/artifacts/vnu.json). The feed is checked as Atom by tests/site_checks.rs.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { vnu } from "./checkers.mjs";
import { SITE, SITE_DIR, artifacts, expectNone, htmlFiles, launch, newPage, pageType, representativePages, waitForResults } from "./site.mjs";

/** How the serialised search page is named in reports. */
const LIVE = "search/?q=… (the page's DOM with results)";

/**
 * The search page with results for a query that finds several cases, a theme and a year range
 * set (so its chips, chart and filters are drawn), as HTML.
 */
async function searchPageWithResults() {
  const pages = await representativePages();
  const search = pages.find((p) => p.type === "search");
  const theme = pages.find((p) => p.type === "facet-value").url.split("/").filter(Boolean).at(-1);
  const browser = await launch();
  try {
    const { page, problems, settle } = await newPage(browser);
    await page.goto(`${search.url}&theme=${theme}&from=2000&sort=newest`);
    await waitForResults(page, search.query);
    await settle();
    expectNone(problems, "problems on the search page");
    return `<!DOCTYPE html>\n${await page.evaluate(() => document.documentElement.outerHTML)}\n`;
  } finally {
    await browser.close();
  }
}

/**
 * The HTML files to check: all of them, or with CASEBOOK_VALIDATE=sample (a collection of
 * thousands of pages made by the same templates) every page but the cases and the facet
 * values' lists, of which the first 20 of each folder.
 */
async function pagesToValidate() {
  const all = await htmlFiles();
  if (process.env.CASEBOOK_VALIDATE !== "sample") return all;
  const seen = new Map();
  return all.filter((file) => {
    const parts = file.split("/");
    if (parts.length < 3) return true;
    const folder = parts[0];
    seen.set(folder, (seen.get(folder) || 0) + 1);
    return seen.get(folder) <= 20;
  });
}

test("every page is valid HTML, and the CSS and SVG are valid, by the Nu Html Checker", async (t) => {
  const pages = await pagesToValidate();
  const others = (await readdir(SITE_DIR, { recursive: true })).filter((f) => /\.(css|svg)$/.test(f)).sort();
  assert.ok(pages.length > 0, "the site has HTML files");
  // The search page's DOM with results, serialised, as a file next to the others.
  const scratch = await mkdtemp(join(tmpdir(), "casebook-vnu-"));
  const live = join(scratch, "search-with-results.html");
  let messages;
  try {
    await writeFile(live, await searchPageWithResults());
    messages = await vnu([...[...pages, ...others].map((f) => join(SITE_DIR, f)), live]);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }

  // Per page type: files, errors and warnings.
  const typeOf = (file) =>
    file === LIVE ? "search (with results, as shown)" : /\.(css|svg)$/.test(file) ? file.split(".").pop() : pageType(new URL(file, SITE)).type;
  const fileOf = (url) => (fileURLToPath(url) === live ? LIVE : fileURLToPath(url).slice(SITE_DIR.replace(/\/$/, "").length + 1));
  const summary = new Map();
  for (const f of [...pages, ...others, LIVE]) {
    const type = typeOf(f);
    if (!summary.has(type)) summary.set(type, { files: 0, errors: [], warnings: [] });
    summary.get(type).files++;
  }
  const errors = [];
  for (const m of messages) {
    const file = m.url ? fileOf(m.url) : "(vnu)";
    const at = `${file}:${m.lastLine ?? "?"}:${m.firstColumn ?? m.lastColumn ?? "?"}`;
    const entry = summary.get(m.url ? typeOf(file) : "other") ?? { errors: [], warnings: [] };
    if (m.type === "error" || m.type === "non-document-error") {
      errors.push(`${at}: ${m.message}${m.extract ? `\n      ${JSON.stringify(m.extract)}` : ""}`);
      entry.errors.push(`${at}: ${m.message}`);
    } else if (m.subType === "warning") {
      entry.warnings.push(`${at}: ${m.message}`);
    }
  }
  for (const [type, s] of summary) {
    t.diagnostic(`${type}: ${s.files} file(s), ${s.errors.length} error(s), ${s.warnings.length} warning(s)${s.warnings.length ? `: ${s.warnings.slice(0, 3).join("; ")}` : ""}`);
  }
  const name = process.env.CASEBOOK_SITE_NAME;
  await writeFile(`${await artifacts()}vnu${name ? `-${name}` : ""}.json`, `${JSON.stringify(Object.fromEntries(summary), null, 1)}\n`);
  assert.ok(errors.length === 0, `the Nu Html Checker found errors:\n  ${errors.join("\n  ")}`);
});
