// Accessibility: axe-core in headless Chromium on one page of each type (home, a case, the list
// of all cases, a facet index, a facet value page, the search page with results, the 404 page),
// the search page with filters set (and, on a phone, their disclosure open) and every facet
// index, at 1280×800 and at 390×844. Run by tests/site_checks.rs and tests/browser_search.rs:
//
//   CASEBOOK_SITE_URL=http://127.0.0.1:PORT/kb/ CASEBOOK_SITE_DIR=path/to/output \
//     node --test tests/browser/a11y.test.mjs
//
// Fails on any violation, whatever its impact; reports each per page (as test diagnostics and
// in tests/artifacts/a11y[-<CASEBOOK_SITE_NAME>].json).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { axeReport } from "./checkers.mjs";
import { FACETS, artifacts, launch, newPage, pathOf, representativePages, waitForResults } from "./site.mjs";

const IMPACTS = ["critical", "serious", "moderate", "minor"];
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const NAME = process.env.CASEBOOK_SITE_NAME;

/** The pages checked: one of each type, the search page with filters, every facet index. */
async function pagesToCheck() {
  const pages = await representativePages();
  const search = pages.find((p) => p.type === "search");
  const theme = pages.find((p) => p.type === "facet-value").url.split("/").filter(Boolean).at(-1);
  const filtered = { type: "search with filters", url: `${search.url}&theme=${theme}&from=2000&sort=newest`, query: search.query, openFilters: true };
  const indexes = Object.values(FACETS)
    .filter((folder) => folder !== "themes")
    .map((folder) => ({ type: "facet-index", url: new URL(`${folder}/`, pages[0].url).href }));
  return [...pages, filtered, ...indexes];
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("axe finds no violation on any page type, on a desktop and on a phone", async (t) => {
  const report = [];
  const failures = [];
  const problems = [];
  for (const [size, viewport] of Object.entries(SIZES)) {
    const { page, context, problems: seen, settle } = await newPage(browser, { viewport, mobile: size === "phone" });
    for (const p of await pagesToCheck()) {
      await page.goto(p.url);
      if (p.query) await waitForResults(page, p.query);
      await settle();
      if (p.openFilters && (await page.locator("#search-filters-toggle").isVisible())) await page.locator("#search-filters-toggle").click();
      const { violations, passes, incomplete, version } = await axeReport(page);
      const byImpact = Object.fromEntries(IMPACTS.map((i) => [i, violations.filter((v) => v.impact === i).map((v) => `${v.id} (${v.nodes.length})`)]));
      const where = `${size} ${p.type} ${pathOf(p.url)}${new URL(p.url).search}`;
      report.push({ type: p.type, url: where, axe: version, rulesPassed: passes, byImpact, violations, needsReview: incomplete });
      t.diagnostic(
        `${where}: violations ` +
          IMPACTS.map((i) => `${i} ${byImpact[i].length}${byImpact[i].length ? ` [${byImpact[i].join(", ")}]` : ""}`).join(", ") +
          `; ${passes} rules passed; needs review: ${incomplete.join(", ") || "none"}`,
      );
      for (const v of violations) {
        for (const n of v.nodes) failures.push(`${where}: ${v.impact} ${v.id}: ${v.help} at ${n.target}: ${n.html}\n    ${n.summary.replace(/\n/g, "\n    ")}`);
      }
    }
    await context.close();
    problems.push(...seen);
  }
  await writeFile(`${await artifacts()}a11y${NAME ? `-${NAME}` : ""}.json`, `${JSON.stringify(report, null, 1)}\n`);
  assert.ok(failures.length === 0, `accessibility violations:\n  ${failures.join("\n  ")}`);
  assert.deepEqual(problems, [], "the pages logged errors or had failed requests");
});
