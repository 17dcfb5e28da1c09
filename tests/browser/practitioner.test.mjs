// The search page and case lists as a practitioner uses them, in headless Chromium: the first
// result in view at desktop and phone sizes, the filters' disclosure and chips by keyboard,
// sorting and year ranges in the URL giving what `casebook search` gives, a malformed URL,
// the browse pages with and without JavaScript, and a long facet index's filter and sort.
// Run by tests/browser_search.rs on the example and on a real collection:
//
//   CASEBOOK_SITE_URL=http://127.0.0.1:PORT/kb/ CASEBOOK_SITE_DIR=path/to/output \
//   CASEBOOK_EXPECTED=answers.json CASEBOOK_SITE_NAME=example \
//     node --test tests/browser/practitioner.test.mjs
//
// CASEBOOK_EXPECTED holds what `casebook search --json` answers for some page states:
// [{ url: "search/?sort=title", slugs: [...], total }]. Screenshots of each page type at both
// sizes go to tests/artifacts/ as <site>-<type>-<desktop|phone>.png.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { SITE, artifacts, expectNone, launch, newPage, representativePages, searchQuery, waitForResults } from "./site.mjs";

const NAME = process.env.CASEBOOK_SITE_NAME || "site";
const EXPECTED = process.env.CASEBOOK_EXPECTED;
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const at = (path) => new URL(path, SITE).href;

/**
 * Waits until the search page has answered (a count, or no match), has drawn its filters
 * (a query without filters is answered before they are) and is quiet.
 */
async function answered(page, settle) {
  await page.waitForFunction(() => {
    const text = document.querySelector("#search-status .search-status-text")?.textContent ?? "";
    const filters = document.querySelector("#search-filters fieldset");
    return /\d+ cases?|No cases match/.test(text) && !/Searching/.test(text) && filters;
  });
  await settle();
}

/** The result links shown, as slugs. */
const shownSlugs = (page) =>
  page.evaluate(() => [...document.querySelectorAll("#search-results .search-result-title a")].map((a) => a.getAttribute("href").split("/").filter(Boolean).at(-1)));

/** Whether the whole of `selector`'s first match lies inside the viewport, unscrolled. */
function fullyVisible(page, selector) {
  return page.evaluate((s) => {
    const node = document.querySelector(s);
    if (!node) return { visible: false, why: "missing" };
    const r = node.getBoundingClientRect();
    const visible = r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
    return { visible, why: `top ${Math.round(r.top)}, bottom ${Math.round(r.bottom)} of ${innerHeight}` };
  }, selector);
}

test("the count and the first result's title are in view without scrolling, on a desktop and a phone", async () => {
  const query = await searchQuery();
  const pages = await representativePages();
  const theme = pages.find((p) => p.type === "facet-value").url.split("/").filter(Boolean).at(-1);
  for (const [size, viewport] of Object.entries(SIZES)) {
    const { page, context, problems, settle } = await newPage(browser, { viewport, mobile: size === "phone" });
    for (const url of [`search/?q=${encodeURIComponent(query)}`, `search/?q=${encodeURIComponent(query)}&theme=${theme}&from=1990`]) {
      await page.goto(at(url));
      await answered(page, settle);
      // Every facet with values has its filter, hidden behind the disclosure or not.
      const facets = await page.evaluate(() => [...document.querySelectorAll("#search-filters fieldset")].map((f) => f.dataset.facet));
      assert.ok(facets.includes("year") && facets.includes("theme") && facets.includes("country"), `${url}: the filters: ${facets}`);
      for (const what of ["#search-status .search-status-text", "#search-results > li:first-child .search-result-title"]) {
        const { visible, why } = await fullyVisible(page, what);
        assert.ok(visible, `${NAME} ${size} ${url}: ${what} is in view without scrolling (${why})`);
      }
      const filtersShown = await page.locator("#search-filters").isVisible();
      assert.equal(filtersShown, size === "desktop", `${size}: the filters ${size === "desktop" ? "stand beside the results" : "wait behind the disclosure"}`);
      if (size === "desktop") assert.equal(await page.locator(".search-filters-done").isVisible(), false, "beside the results, the filters need no button to close");
    }
    expectNone(problems, `problems at ${size} size`);
    await context.close();
  }
});

test("on a phone the filters open and close from the keyboard, and the button counts them", async () => {
  const theme = (await representativePages()).find((p) => p.type === "facet-value").url.split("/").filter(Boolean).at(-1);
  const { page, context, problems, settle } = await newPage(browser, { viewport: SIZES.phone, mobile: true });
  await page.goto(at(`search/?q=${encodeURIComponent(await searchQuery())}&theme=${theme}&from=2000`));
  await answered(page, settle);
  const toggle = page.locator("#search-filters-toggle");
  assert.equal(await toggle.textContent(), "Filters (2)", "the theme and the year range");
  assert.equal(await toggle.getAttribute("aria-expanded"), "false", "closed at first");
  assert.equal(await page.locator("#search-filters").isVisible(), false);
  await toggle.focus();
  await page.keyboard.press("Enter");
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  assert.equal(await page.locator("#search-filters").isVisible(), true, "Enter opens it");
  assert.ok(await page.evaluate(() => document.getElementById("search-filters").contains(document.activeElement)), "the focus moves into the filters");
  await page.keyboard.press("Escape");
  assert.equal(await toggle.getAttribute("aria-expanded"), "false", "Escape closes it");
  assert.equal(await page.locator("#search-filters").isVisible(), false);
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-filters-toggle", "back on its button");
  await page.keyboard.press(" ");
  assert.equal(await page.locator("#search-filters").isVisible(), true, "Space opens it too");
  await page.screenshot({ path: `${await artifacts()}${NAME}-search-filters-open-phone.png` });
  // The open filters stand above the results: their last control says how many results
  // there are, closes them and goes to the first.
  const done = page.locator("#search-filters .search-filters-done");
  const count = Number((await page.locator("#search-status .search-status-text").textContent()).match(/\d+/)[0]);
  assert.equal(await done.textContent(), `Show ${count} ${count === 1 ? "result" : "results"}`);
  assert.equal(await page.evaluate(() => document.querySelector("#search-filters").lastElementChild.className), "search-filters-done", "it is the filters' last control");
  await done.focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.locator("#search-filters").isVisible(), false, "it closes the filters");
  assert.ok(await page.evaluate(() => document.activeElement.closest(".search-result-title") !== null), "the focus is on the first result");
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  expectNone(problems, "problems");
  await context.close();
});

test("removing a chip removes its filter and updates the URL; Clear all removes them all", async () => {
  const theme = (await representativePages()).find((p) => p.type === "facet-value").url.split("/").filter(Boolean).at(-1);
  const { page, context, problems, settle } = await newPage(browser, { viewport: SIZES.desktop });
  await page.goto(at(`search/?theme=${theme}&from=2000&to=2030&sort=title`));
  await answered(page, settle);
  const chips = () => page.evaluate(() => [...document.querySelectorAll("#search-chips .search-chip")].map((c) => c.textContent));
  const before = await chips();
  assert.equal(before.length, 2, `a chip for the theme and one for the years: ${before}`);
  assert.ok(before.some((c) => c.startsWith("Year: 2000–2030")), before.join(", "));
  const total = async () => Number((await page.locator("#search-status .search-status-text").textContent()).match(/\d+/)[0]);
  const narrowed = await total();

  // The theme's chip, by keyboard.
  await page.locator("#search-chips .search-chip", { hasText: "Theme" }).focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => !new URLSearchParams(location.search).has("theme"));
  await answered(page, settle);
  const params = new URLSearchParams(new URL(page.url()).search);
  assert.equal(params.get("from"), "2000", "the other filters stay");
  assert.equal(params.get("sort"), "title", "and the sort");
  assert.equal(await page.locator(`#search-filters input[name=theme][value="${theme}"]`).isChecked(), false, "its box is unchecked");
  assert.deepEqual((await chips()).map((c) => c.split(":")[0]), ["Year"]);
  assert.ok((await total()) >= narrowed, "as many cases or more");
  assert.ok(await page.evaluate(() => document.activeElement.closest("#search-chips") !== null), "the focus stays among the chips");

  // Clear all.
  await page.locator("#search-chips .search-chip-clear").click();
  await page.waitForFunction(() => !new URLSearchParams(location.search).has("from"));
  await answered(page, settle);
  assert.deepEqual(await chips(), []);
  assert.equal(await page.locator("#search-chips").isVisible(), false);
  assert.equal(new URLSearchParams(new URL(page.url()).search).get("sort"), "title", "a sort is not a filter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-input", "the focus goes back to the search box");
  expectNone(problems, "problems");
  await context.close();
});

test("sorting and year ranges in the URL show what casebook search answers", async (t) => {
  if (!EXPECTED) return t.skip("CASEBOOK_EXPECTED not set");
  const expected = JSON.parse(await readFile(EXPECTED, "utf8"));
  assert.ok(expected.length >= 4);
  const { page, context, problems, settle } = await newPage(browser, { viewport: SIZES.desktop });
  for (const { url, slugs, total } of expected) {
    await page.goto(at(url));
    await answered(page, settle);
    assert.deepEqual(await shownSlugs(page), slugs, `${url}: the cases of casebook search, in its order`);
    const status = await page.locator("#search-status .search-status-text").textContent();
    assert.ok(total === 0 ? status.startsWith("No cases") : status.startsWith(`${total} case`), `${url}: ${status} (casebook search: ${total})`);
    const sort = new URLSearchParams(new URL(url, SITE).search).get("sort");
    if (sort) assert.equal(await page.locator("#search-sort").inputValue(), sort, `${url}: the sort box shows the sort`);
  }

  // Choosing a sort and typing years put them in the URL.
  await page.goto(at("search/?sort=title"));
  await answered(page, settle);
  await page.locator("#search-sort").selectOption("oldest");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("sort") === "oldest");
  await answered(page, settle);
  const from = await page.locator("#search-year-from").getAttribute("min");
  await page.locator("#search-year-from").fill(from);
  await page.locator("#search-year-from").press("Enter");
  await page.waitForFunction((y) => new URLSearchParams(location.search).get("from") === y, from);
  await answered(page, settle);
  const bars = await page.evaluate(() => ({
    all: document.querySelectorAll(".search-years-bar").length,
    marked: document.querySelectorAll(".search-years-bar.in-range").length,
    label: document.querySelector(".search-years-chart").getAttribute("aria-label"),
  }));
  assert.ok(bars.all >= 1 && bars.marked === bars.all, `every year is from ${from} on: ${JSON.stringify(bars)}`);
  assert.match(bars.label, /^Cases per year from \d{4} to \d{4}/);
  expectNone(problems, "problems");
  await context.close();
});

test("a malformed URL gives a working page with the bad parts left out", async () => {
  const { page, context, problems, settle } = await newPage(browser, { viewport: SIZES.desktop });
  const long = "participation ".repeat(715).slice(0, 10_000);
  for (const url of [
    "search/?sort=nonsense&from=abc&to=1&theme=&theme=",
    "search/?theme=no-such-theme&region=nowhere&country=atlantis&sort=",
    "search/?from=2015&to=2010",
    "search/?q=%E0%A4%A&from=99999&to=-5",
    `search/?q=${encodeURIComponent(long)}&sort=oldest`,
  ]) {
    await page.goto(at(url));
    await page.waitForFunction(() => document.getElementById("search-filters").querySelector("fieldset"));
    await settle();
    const state = await page.evaluate(() => ({
      sort: document.getElementById("search-sort").value,
      from: document.getElementById("search-year-from")?.value,
      to: document.getElementById("search-year-to")?.value,
      status: document.querySelector("#search-status")?.textContent,
      chips: document.querySelectorAll("#search-chips .search-chip").length,
    }));
    assert.ok(["relevance", "newest", "oldest", "title"].includes(state.sort), `${url}: ${JSON.stringify(state)}`);
    assert.ok(!/failed|damaged/.test(state.status), `${url}: ${state.status}`);
    if (url.includes("2015&to=2010")) assert.deepEqual([state.from, state.to], ["2010", "2015"], "the ends in order");
    else assert.ok(state.chips === 0, `${url}: no filter is made of the bad parts: ${JSON.stringify(state)}`);
  }
  expectNone(problems, "a malformed URL made an error");
  await context.close();
});

test("without JavaScript every list and index works, and 'search these cases' says search needs it", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: SIZES.phone });
  const page = await context.newPage();
  const pages = await representativePages();
  for (const p of pages.filter((p) => ["home", "cases", "facet-index", "facet-value"].includes(p.type))) {
    const response = await page.goto(p.url);
    assert.equal(response.status(), 200, p.url);
    const links = await page.locator("main a").count();
    assert.ok(links > 3, `${p.url} has its links without JavaScript (${links})`);
    if (p.type === "facet-index") {
      assert.equal(await page.locator("#value-tools").isVisible().catch(() => false), false, "the filter tools need JavaScript and stay hidden");
    }
  }
  for (const p of pages.filter((p) => ["cases", "facet-value"].includes(p.type))) {
    await page.goto(p.url);
    const link = page.locator("main .search-these a");
    assert.match(await link.textContent(), /^Search and filter these \d+ cases?$/, p.url);
    await link.click();
    await page.waitForURL((url) => url.pathname.endsWith("/search/"));
    const text = await page.locator("main").textContent();
    assert.ok(text.includes("Search needs JavaScript"), "the search page says search needs JavaScript");
    assert.ok((await page.locator("#search-browse a").count()) > 3, "and offers the browse links");
  }
  await context.close();
});

test("browse pages lead to the search page with their filter set", async () => {
  const { page, context, problems, settle } = await newPage(browser, { viewport: SIZES.desktop });
  const value = (await representativePages()).find((p) => p.type === "facet-value");
  await page.goto(value.url);
  const count = Number((await page.locator("main .search-these a").textContent()).match(/\d+/)[0]);
  await page.locator("main .search-these a").click();
  await answered(page, settle);
  const status = await page.locator("#search-status .search-status-text").textContent();
  assert.ok(status.startsWith(`${count} case`), `the search page lists the same ${count} cases: ${status}`);
  assert.equal(await page.locator("#search-chips .search-chip").count(), 1, "with its filter as a chip");
  assert.equal(await page.locator("#search-sort").inputValue(), "newest", "newest first, as the list was");
  await page.goto(at("cases/"));
  await page.locator("main .search-these a").click();
  await answered(page, settle);
  const all = await page.locator("#search-status .search-status-text").textContent();
  assert.match(all, /^\d+ cases?/, all);
  expectNone(problems, "problems");
  await context.close();
});

test("a long facet index filters as you type and sorts by name or by count", async (t) => {
  const indexes = ["organisations", "regions", "countries", "themes", "approaches"];
  const { page, context, problems } = await newPage(browser, { viewport: SIZES.phone, mobile: true });
  let checked = 0;
  for (const folder of indexes) {
    await page.goto(at(`${folder}/`));
    if (!(await page.locator("#value-tools").isVisible())) continue; // 50 values or fewer
    checked++;
    const names = await page.locator(".value-list > li .value-name").allTextContents();
    assert.ok(names.length > 50);
    assert.ok(await page.locator("#jump-bar a").count() >= 2, "a jump bar");
    const word = names[Math.floor(names.length / 2)].split(/\s+/)[0];
    await page.locator("#value-filter").fill(word);
    const shown = await page.locator(".value-list > li:visible .value-name").allTextContents();
    assert.ok(shown.length >= 1 && shown.length < names.length, `${folder}: “${word}” keeps ${shown.length}`);
    const fold = (s) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    for (const name of shown) assert.ok(fold(name).includes(fold(word)), `${name} has ${word}`);
    assert.match(await page.locator("#value-status").textContent(), new RegExp(`^${shown.length} of ${names.length} `));
    await page.locator("#value-filter").fill("");
    await page.locator("input[name=value-sort][value=count]").check();
    const counts = await page.locator(".value-list:visible > li").evaluateAll((lis) => lis.map((li) => Number(li.dataset.count)));
    assert.equal(counts.length, names.length, "one list of every value");
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a), "most cases first");
    assert.equal(await page.locator("#jump-bar").isVisible(), false, "no letters while sorted by count");
    await page.locator("input[name=value-sort][value=name]").check();
    assert.deepEqual(await page.locator(".value-list:visible > li .value-name").allTextContents(), names, "back in name order");
    // Filtered while sorted by count, then back by name: the filter's values, in name order
    // (the lists once stayed empty), and again every value once the box is cleared.
    await page.locator("input[name=value-sort][value=count]").check();
    await page.locator("#value-filter").fill(word);
    const byCount = await page.locator(".value-list:visible > li:visible .value-name").allTextContents();
    assert.deepEqual([...byCount].sort(), [...shown].sort(), `${folder}: sorted by count, “${word}” keeps the same values`);
    await page.locator("input[name=value-sort][value=name]").check();
    assert.deepEqual(await page.locator(".value-list:visible > li:visible .value-name").allTextContents(), shown, `${folder}: by name again, “${word}” keeps them in name order`);
    assert.match(await page.locator("#value-status").textContent(), new RegExp(`^${shown.length} of ${names.length} `));
    await page.locator("input[name=value-sort][value=count]").check();
    await page.locator("#value-filter").fill("");
    await page.locator("input[name=value-sort][value=name]").check();
    assert.deepEqual(await page.locator(".value-list:visible > li .value-name").allTextContents(), names, `${folder}: cleared, every value by name`);
    await page.screenshot({ path: `${await artifacts()}${NAME}-${folder}-index-phone.png` });
  }
  if (!checked) t.diagnostic(`${NAME}: no facet index has more than 50 values`);
  expectNone(problems, "problems");
  await context.close();
});

test("screenshots of each page type at both sizes", async () => {
  const dir = await artifacts();
  for (const [size, viewport] of Object.entries(SIZES)) {
    const { page, context, problems, settle } = await newPage(browser, { viewport, mobile: size === "phone" });
    for (const p of await representativePages()) {
      await page.goto(p.url);
      if (p.query) await waitForResults(page, p.query);
      await settle();
      await page.screenshot({ path: `${dir}${NAME}-${p.type}-${size}.png` });
    }
    expectNone(problems, `problems at ${size} size`);
    await context.close();
  }
});
