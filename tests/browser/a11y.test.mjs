// Accessibility: axe-core in headless Chromium on one page of each type (home, a case, the list
// of all cases, a facet index, a facet value page, the search page with results, the 404 page).
// Run by tests/site_checks.rs:
//
//   CASEBOOK_SITE_URL=http://127.0.0.1:PORT/kb/ CASEBOOK_SITE_DIR=path/to/output \
//     node --test tests/browser/a11y.test.mjs
//
// Fails on any serious or critical violation; reports every violation, whatever its impact, per
// page (as test diagnostics and in tests/artifacts/a11y.json).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { writeFile } from "node:fs/promises";
import { artifacts, launch, newPage, pathOf, representativePages, waitForResults } from "./site.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const FAILING = new Set(["serious", "critical"]);
const IMPACTS = ["critical", "serious", "moderate", "minor"];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("axe finds no serious or critical violation on any page type", async (t) => {
  const report = [];
  const failures = [];
  const { page, context, problems, settle } = await newPage(browser);
  for (const p of await representativePages()) {
    await page.goto(p.url);
    if (p.query) await waitForResults(page, p.query);
    await settle();
    await page.addScriptTag({ path: AXE });
    const { violations, passes, incomplete, version } = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ["violations"] });
      return {
        version: r.testEngine.version,
        passes: r.passes.length,
        incomplete: r.incomplete.map((v) => `${v.id} (${v.nodes.length})`),
        violations: r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html, summary: n.failureSummary })),
        })),
      };
    });
    const byImpact = Object.fromEntries(IMPACTS.map((i) => [i, violations.filter((v) => v.impact === i).map((v) => `${v.id} (${v.nodes.length})`)]));
    const where = `${p.type} ${pathOf(p.url)}${new URL(p.url).search}`;
    report.push({ type: p.type, url: where, axe: version, rulesPassed: passes, byImpact, violations, needsReview: incomplete });
    t.diagnostic(
      `${where}: violations ` +
        IMPACTS.map((i) => `${i} ${byImpact[i].length}${byImpact[i].length ? ` [${byImpact[i].join(", ")}]` : ""}`).join(", ") +
        `; ${passes} rules passed; needs review: ${incomplete.join(", ") || "none"}`,
    );
    for (const v of violations.filter((v) => FAILING.has(v.impact))) {
      for (const n of v.nodes) failures.push(`${where}: ${v.impact} ${v.id}: ${v.help} at ${n.target}: ${n.html}\n    ${n.summary.replace(/\n/g, "\n    ")}`);
    }
  }
  await context.close();
  await writeFile(`${await artifacts()}a11y.json`, `${JSON.stringify(report, null, 1)}\n`);
  assert.ok(failures.length === 0, `serious or critical accessibility violations:\n  ${failures.join("\n  ")}`);
  assert.deepEqual(problems, [], "the pages logged errors or had failed requests");
});
