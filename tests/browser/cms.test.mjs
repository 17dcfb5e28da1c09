// Decap CMS, as the example's editing form at admin/ loads it, in headless Chromium against
// Decap's local backend (decap-server on 127.0.0.1): an editor adds a case through the form
// and edits one field of a case in a sub-folder. tests/cms.rs then checks the files written.
// The CMS bundle comes from the npm package, served by the site: no other host is asked.
//
//   CASEBOOK_SITE_URL=http://127.0.0.1:PORT/ node --test tests/browser/cms.test.mjs

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch } from "./chromium.mjs";

const SITE = process.env.CASEBOOK_SITE_URL;
const TIMEOUT = 30_000;
/** The new case, as the Rust side expects to find it. */
export const NEW_CASE = {
  title: "Youth panel in Leith",
  summary: "Young people advised the council on its youth services.",
  theme: "youth engagement",
  region: "Scotland",
  organisation: "Leith Youth Panel",
  approach: "co-design",
  body: "The panel met every month.",
};
const NEW_SUMMARY = "Food Train delivers groceries to older people, with volunteers.";

let browser;
let page;
const otherHosts = [];
before(async () => {
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(TIMEOUT);
  page.on("request", (request) => {
    const { hostname } = new URL(request.url());
    if (!["127.0.0.1", "localhost"].includes(hostname)) otherHosts.push(request.url());
  });
  await page.goto(new URL("admin/", SITE).href);
  // The local backend signs in without an account.
  await page.getByRole("button", { name: "Login" }).click();
  await page.getByText("Collections").waitFor();
});
after(async () => {
  await browser?.close();
});

/** Types `text` into the select field `id` and takes the option it offers; the options shown. */
async function choose(id, text) {
  await page.locator(`#${id}`).fill(text);
  const menu = page.locator("[class*=menu]").first();
  await menu.waitFor();
  const shown = await menu.innerText();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Escape");
  return shown;
}

async function publish() {
  await page.getByRole("button", { name: "Publish" }).first().click();
  await page.getByText("Publish now").click();
  await page.getByText("Published").first().waitFor();
}

test("a new case is written through the form, and a value outside the vocabulary cannot be chosen", async () => {
  await page.goto(new URL("admin/#/collections/cases/new", SITE).href);
  await page.locator("[id^=title-field]").fill(NEW_CASE.title);
  await page.locator("[id^=summary-field]").fill(NEW_CASE.summary);
  const theme = await page.locator("[id^=theme-field]").getAttribute("id");
  assert.equal(await choose(theme, "youth work"), "No options", "a theme the vocabulary does not list is not offered");
  assert.equal(await choose(theme, NEW_CASE.theme), NEW_CASE.theme);
  const region = await page.locator("[id^=region-field]").getAttribute("id");
  assert.equal(await choose(region, NEW_CASE.region), NEW_CASE.region);
  await page.locator("[id^=organisation-field]").fill(NEW_CASE.organisation);
  const approach = await page.locator("[id^=approach-field]").getAttribute("id");
  assert.equal(await choose(approach, NEW_CASE.approach), NEW_CASE.approach);
  await page.locator("[contenteditable=true]").first().click();
  await page.keyboard.type(NEW_CASE.body);
  await publish();
});

test("one field of a case in a sub-folder is changed through the form", async () => {
  await page.goto(new URL("admin/#/collections/cases-scotland/entries/food-train", SITE).href);
  const summary = page.locator("textarea[id^=summary-field]");
  await summary.waitFor();
  await page.getByText("Food Train was named").first().waitFor();
  await summary.fill(NEW_SUMMARY);
  await publish();
});

test("the form asked no other host for anything", () => {
  assert.deepEqual(otherHosts, []);
});
