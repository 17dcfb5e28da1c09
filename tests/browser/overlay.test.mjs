// The error overlay of `casebook serve` is readable over the theme: axe-core's colour-contrast
// rule, in headless Chromium, on the overlay the server puts in a page (a declarative shadow
// root) and on the one the live-reload script makes from its template when told of an error.
// Run by tests/serve.rs while a case file is broken:
//
//   CASEBOOK_SITE_URL=http://127.0.0.1:PORT/ CASEBOOK_BROKEN_PAGE=cases/food-train/ \
//     CASEBOOK_BROKEN_FILE=food-train.md node --test tests/browser/overlay.test.mjs

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { launch } from "./chromium.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const SITE = process.env.CASEBOOK_SITE_URL;
const PAGE = new URL(process.env.CASEBOOK_BROKEN_PAGE, SITE).href;
const FILE = process.env.CASEBOOK_BROKEN_FILE;
const TIMEOUT = 20_000;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** axe's colour-contrast rule on the page: its violations, and the overlay nodes it passed. */
async function contrast(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: ["color-contrast"] });
    const inOverlay = (node) => Array.isArray(node.target[0]) && node.target[0][0] === "#casebook-error-overlay";
    const nodes = (results) => results.flatMap((rule) => rule.nodes);
    return {
      violations: nodes(r.violations).filter(inOverlay).map((n) => `${JSON.stringify(n.target)}: ${n.failureSummary}`),
      incomplete: nodes(r.incomplete).filter(inOverlay).map((n) => JSON.stringify(n.target)),
      passed: nodes(r.passes).filter(inOverlay).map((n) => JSON.stringify(n.target)),
    };
  });
}

async function checkOverlay(page) {
  const text = await page.evaluate(() => document.getElementById("casebook-error-overlay")?.shadowRoot?.querySelector("pre")?.textContent ?? "");
  assert.ok(text.includes(FILE), `the overlay names the broken file: ${JSON.stringify(text)}`);
  const { violations, incomplete, passed } = await contrast(page);
  assert.deepEqual(violations, [], "no text of the overlay lacks contrast");
  assert.deepEqual(incomplete, [], "axe could tell the overlay's contrast");
  assert.ok(passed.some((t) => t.includes("pre")), `axe inspected the overlay's error text: ${passed}`);
  assert.ok(passed.some((t) => t.includes("strong")), `axe inspected the overlay's heading: ${passed}`);
}

test("the overlay the server puts in a page is readable, whatever the theme says of pre", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(PAGE);
  await page.waitForFunction(() => document.getElementById("casebook-error-overlay")?.shadowRoot, null, { timeout: TIMEOUT });
  await checkOverlay(page);
  await page.close();
});

test("the overlay the live-reload script makes is readable too", async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  // The page as it was before the error: the script learns of it from the event stream.
  await page.route(PAGE, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(/<casebook-error-overlay[\s\S]*?<\/casebook-error-overlay>/, "");
    await route.fulfill({ response, body });
  });
  await page.goto(PAGE);
  await page.waitForFunction(() => document.getElementById("casebook-error-overlay")?.shadowRoot?.querySelector("pre")?.textContent, null, { timeout: TIMEOUT });
  await checkOverlay(page);
  await page.close();
});
