// The search page in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven by
// playwright-core. Run by tests/browser_search.rs against a freshly built example site:
//
//   CASEBOOK_SITE_URL=http://127.0.0.1:PORT/kb/ node --test tests/browser/search.test.mjs
//
// Every test fails on a console error, an uncaught exception or a failed request.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { launch } from "./chromium.mjs";

const SITE = process.env.CASEBOOK_SITE_URL;
if (!SITE || !SITE.endsWith("/")) throw new Error("set CASEBOOK_SITE_URL to the built site's base URL, ending with /");
const SEARCH = new URL("search/", SITE).href;
const BASE_PATH = new URL(SITE).pathname; // "/kb/"
const ARTIFACTS = fileURLToPath(new URL("../artifacts/", import.meta.url));
const TIMEOUT = 15_000; // generous: CI machines may be busy

/** A query that matches several of the example cases. */
const QUERY = "co-production";

let browser;
/** What each page logged: every console message, and the problems among them. */
const logs = new WeakMap();

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/**
 * A fresh page that records console errors, uncaught exceptions and failed requests (network
 * failures and HTTP errors). `problems()` lists them, `expectNoProblems()` asserts none.
 */
async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  const problems = [];
  const log = [];
  logs.set(page, { log, problems });
  page.on("console", (message) => log.push(`${message.type()}: ${message.text()}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.stack || error}`));
  page.on("requestfailed", (request) => {
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return {
    page,
    context,
    problems,
    expectNoProblems() {
      assert.deepEqual(problems, [], "the page logged errors or had failed requests");
    },
  };
}

/** What the search page shows, read in the page. */
function pageState(page) {
  return page.evaluate(() => {
    const results = [...document.querySelectorAll("#search-results > li")];
    return {
      url: location.pathname + location.search,
      input: document.getElementById("search-input").value,
      status: document.querySelector("#search-status .search-status-text")?.textContent ?? "",
      spoken: document.querySelector("#search-status .visually-hidden")?.textContent ?? "",
      results: results.map((li) => ({
        title: li.querySelector("a")?.textContent,
        href: li.querySelector("a")?.getAttribute("href"),
        marks: li.querySelectorAll(".search-snippet mark").length,
      })),
      outputHidden: document.getElementById("search-output").hidden,
      browseHidden: document.getElementById("search-browse").hidden,
      checked: [...document.querySelectorAll("#search-filters input[type=checkbox]:checked")].map(
        (c) => `${c.name}=${c.value}`,
      ),
      fieldsets: [...document.querySelectorAll("#search-filters fieldset:not([hidden])")].map(
        (f) => f.querySelector("legend").textContent,
      ),
    };
  });
}

/** Waits until the status shows a count (`n cases match`) and returns the page's state. */
async function waitForCount(page, query) {
  await until(
    page,
    `a count and results for “${query}”`,
    (q) => {
      const text = document.querySelector("#search-status .search-status-text")?.textContent ?? "";
      return /^(At least )?\d+ cases? match/.test(text) && text.includes(`“${q}”`) && document.querySelector("#search-results > li");
    },
    query,
  );
  return pageState(page);
}

/** page.waitForFunction, failing with `what` was awaited and what the page showed instead. */
async function until(page, what, fn, arg) {
  try {
    return await page.waitForFunction(fn, arg);
  } catch (error) {
    const state = await pageState(page).catch((e) => `(unreadable: ${e.message})`);
    const { log = [], problems = [] } = logs.get(page) || {};
    // Files the page loaded, with when each started and ended (ms): one missing shows a hang.
    const loaded = await page
      .evaluate(() =>
        performance
          .getEntriesByType("resource")
          .map((e) => `${e.name.replace(location.origin, "")} ${Math.round(e.startTime)}-${Math.round(e.responseEnd)}`),
      )
      .catch(() => []);
    log.push(...loaded);
    throw new Error(
      `waiting for ${what}: ${error.message.split("\n")[0]}\nthe page: ${JSON.stringify(state, null, 1)}\n` +
        `problems: ${JSON.stringify(problems, null, 1)}\nconsole and loaded files: ${JSON.stringify(log, null, 1)}`,
    );
  }
}

/** Waits until the search runtime has loaded (the filters exist, hidden or not). */
function ready(page) {
  return page.waitForSelector("#search-filters fieldset", { state: "attached" });
}

/** The number in "13 cases match …". */
const countOf = (state) => Number(/(\d+) cases? match/.exec(state.status)?.[1]);

async function checkedRegion(page) {
  return page.evaluate(() => document.querySelector("#search-filters input[name=region]:checked")?.value ?? null);
}

test("results as you type, filters, the URL, reload and back", async () => {
  const { page, context, expectNoProblems } = await newPage();
  await page.goto(SEARCH);
  // Without a query: no results, no filters, the browse section.
  await ready(page);
  let state = await pageState(page);
  assert.equal(state.results.length, 0);
  assert.equal(state.status, "");
  assert.equal(state.browseHidden, false, "the browse links show when there is no query");
  assert.equal(await page.locator("#search-filters").isVisible(), false);

  // Typing: results appear, debounced, with the last word as a prefix.
  await page.locator("#search-input").pressSequentially(QUERY, { delay: 30 });
  state = await waitForCount(page, QUERY);
  const all = countOf(state);
  assert.ok(all >= 3, `"${QUERY}" matches several example cases: ${state.status}`);
  assert.equal(state.results.length, Math.min(all, 10));
  for (const r of state.results) assert.ok(r.href.startsWith(`${BASE_PATH}cases/`), `a case link under the base path: ${r.href}`);
  assert.ok(state.results.some((r) => r.marks > 0), "snippets highlight the query");
  assert.equal(state.browseHidden, true, "browse links step aside for results");
  assert.equal(new URL(page.url()).searchParams.get("q"), QUERY, "typing records the query in the URL");
  assert.deepEqual(state.fieldsets, ["Year", "Theme", "Region", "Organisation", "Approach", "Country"], "a year range and filters for each facet");
  await until(page, "the count to be announced", () => /cases? match/.test(document.querySelector("#search-status .visually-hidden")?.textContent));

  // A region that has some, not all, of the results.
  const region = await page.evaluate(() => {
    const boxes = [...document.querySelectorAll("#search-filters input[name=region]")].filter((b) => !b.closest("[hidden]"));
    const count = (b) => Number(/\((\d+)\)/.exec(b.labels[0].textContent)[1]);
    const best = boxes.filter((b) => count(b) > 0).sort((a, b) => count(b) - count(a))[0];
    return best && { value: best.value, id: best.id, count: count(best), name: best.labels[0].firstChild.textContent.trim() };
  });
  assert.ok(region && region.count < all, `a region narrows the results: ${JSON.stringify(region)}`);
  await page.locator(`label[for="${region.id}"]`).click();
  await until(
    page,
    "the filtered results",
    (n) => /^\d+ cases? match/.test(document.querySelector("#search-status .search-status-text").textContent) &&
      document.querySelectorAll("#search-results > li").length === n,
    region.count,
  );
  const filtered = await pageState(page);
  assert.equal(countOf(filtered), region.count, filtered.status);
  assert.ok(filtered.status.includes("with the chosen filters"), filtered.status);
  assert.deepEqual(new URL(page.url()).searchParams.getAll("region"), [region.value]);
  assert.equal(new URL(page.url()).searchParams.get("q"), QUERY);
  const places = await page.evaluate(() => [...document.querySelectorAll("#search-results .search-result-meta")].map((p) => p.textContent));
  assert.equal(places.length, filtered.results.length, "every result's card says where it is from");
  for (const place of places) assert.ok(place.includes(region.name), `a filtered result's card names the region ${region.name}: ${place}`);

  // Reload: the same query, checkbox and results.
  await page.reload();
  const reloaded = await waitForCount(page, QUERY);
  assert.equal(reloaded.input, QUERY);
  assert.equal(await checkedRegion(page), region.value);
  assert.deepEqual(reloaded.results, filtered.results);
  assert.equal(reloaded.status, filtered.status);

  // Back: the state before the filter.
  await page.goBack();
  await until(page, "the URL without the region", () => !new URLSearchParams(location.search).has("region"));
  await until(
    page,
    "the unfiltered results and no region checked",
    (n) => document.querySelectorAll("#search-results > li").length === n &&
      !document.querySelector("#search-filters input[name=region]:checked"),
    state.results.length,
  );
  const back = await waitForCount(page, QUERY);
  assert.equal(back.input, QUERY);
  assert.deepEqual(back.checked, []);
  assert.deepEqual(back.results, state.results);
  assert.equal(back.status, state.status);

  // Forward again: the filter comes back.
  await page.goForward();
  await until(page, "the region checked again", (v) => document.querySelector("#search-filters input[name=region]:checked")?.value === v, region.value);
  await until(page, "the filtered results again", (n) => document.querySelectorAll("#search-results > li").length === n, region.count);

  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}search-page.png`, fullPage: true });
  expectNoProblems();
  await context.close();
});

test("a query that matches nothing says so and offers the browse links", async () => {
  const { page, context, expectNoProblems } = await newPage();
  await page.goto(`${SEARCH}?q=${encodeURIComponent("xyzzyplugh")}`);
  await until(page, "the no-results status", () => document.querySelector("#search-status .search-status-text")?.textContent.startsWith("No cases match"));
  const state = await pageState(page);
  assert.match(state.status, /No cases match “xyzzyplugh”\. Check the spelling/);
  assert.equal(state.results.length, 0);
  assert.equal(state.outputHidden, true);
  assert.equal(state.browseHidden, false, "the browse links show when nothing matches");
  assert.match(state.spoken, /^No cases match “xyzzyplugh”\. Check the spelling, .* or browse .* below\.$/, "the status announces the advice");
  assert.ok(await page.locator("#search-browse h2").isVisible());
  expectNoProblems();
  await context.close();
});

test("keyboard only: Tab to the input, type, arrows through results, Enter opens the case", async () => {
  const { page, context, expectNoProblems } = await newPage();
  await page.goto(SEARCH);
  await ready(page);
  // Tab from the top of the page until the search input has focus.
  let steps = 0;
  while (!(await page.evaluate(() => document.activeElement?.id === "search-input"))) {
    assert.ok(++steps < 30, "the search input is reachable with Tab");
    await page.keyboard.press("Tab");
  }
  const hasFocusStyle = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle !== "none");
  assert.ok(hasFocusStyle, "the focused input shows a focus outline");
  await page.keyboard.type(QUERY, { delay: 30 });
  const state = await waitForCount(page, QUERY);
  assert.ok(state.results.length >= 2);

  // Tab alone also gets there, in three presses at most: the results come before the sort,
  // the chips and the filters in the document.
  let presses = 0;
  for (;;) {
    assert.ok(presses < 3, "Tab reaches the first result within 3 presses of the search box");
    await page.keyboard.press("Tab");
    presses++;
    if (await page.evaluate(() => document.activeElement.closest("#search-results") !== null)) break;
  }
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), state.results[0].href, `the first result, after ${presses} presses`);
  await page.keyboard.press("ArrowUp"); // from the first result, back to the input
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-input");

  // ArrowDown to the first result, on to the second, back up, and up to the input.
  const focused = () => page.evaluate(() => {
    const a = document.activeElement;
    return a.id === "search-input" ? "input" : a.closest("#search-results") ? a.getAttribute("href") : a.tagName;
  });
  await page.keyboard.press("ArrowDown");
  assert.equal(await focused(), state.results[0].href);
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, "none", "a focused result link shows a focus outline");
  await page.keyboard.press("ArrowDown");
  assert.equal(await focused(), state.results[1].href);
  await page.keyboard.press("ArrowUp");
  assert.equal(await focused(), state.results[0].href);
  await page.keyboard.press("ArrowUp");
  assert.equal(await focused(), "input");

  // Escape clears the input; typing again and Enter search at once, without reloading.
  await page.keyboard.press("Escape");
  await until(page, "an empty input and no results", () => document.getElementById("search-input").value === "" && !document.querySelector("#search-results > li"));
  assert.equal(new URL(page.url()).searchParams.get("q"), null);
  await page.evaluate(() => (window.__sameDocument = true));
  await page.keyboard.type(QUERY);
  await page.keyboard.press("Enter");
  await waitForCount(page, QUERY);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, "Enter does not reload the page");
  assert.equal(new URL(page.url()).searchParams.get("q"), QUERY);

  // ArrowDown to the first result; Enter follows the link to the case page.
  const first = (await pageState(page)).results[0];
  await page.keyboard.press("ArrowDown");
  assert.equal(await focused(), first.href);
  await Promise.all([page.waitForURL((url) => url.pathname === first.href), page.keyboard.press("Enter")]);
  assert.equal(await page.locator("h1").first().textContent(), first.title);
  expectNoProblems();
  await context.close();
});

test("every script the search page runs is asked for by the page itself, none an import later", async () => {
  const { page, context, expectNoProblems } = await newPage();
  await page.goto(`${SEARCH}?q=${QUERY}`);
  await waitForCount(page, QUERY);
  // A module found only when its importer runs costs a round trip before search can start.
  const late = await page.evaluate(() => {
    const asked = new Set([...document.querySelectorAll("script[type=module][src], link[rel=modulepreload]")].map((e) => e.src || e.href));
    return performance.getEntriesByType("resource").map((e) => e.name).filter((name) => name.endsWith(".js") && !asked.has(name));
  });
  assert.deepEqual(late, []);
  expectNoProblems();
  await context.close();
});

test("organisations show the top values and a Show all toggle", async () => {
  const { page, context, expectNoProblems } = await newPage();
  await page.goto(`${SEARCH}?q=${QUERY}`);
  await waitForCount(page, QUERY);
  const organisations = "#search-filters fieldset[data-facet=organisation]";
  const shown = () => page.locator(`${organisations} li:not([hidden])`).count();
  // The count comes first; the filters follow when the facet data has arrived.
  await page.waitForFunction(
    (css) => [...document.querySelectorAll(`${css} .search-facet-count`)].some((c) => c.textContent !== "(0)"),
    organisations,
    { timeout: TIMEOUT },
  );
  // Values the results have: the toggle counts them; only the ten shown have rows yet.
  const toggle = page.locator(`${organisations} .search-facet-toggle`);
  const total = Number((/^Show all (\d+)$/.exec(await toggle.textContent()) || [])[1]);
  assert.ok(total > 10, `the results have more than ten organisations: ${total}`);
  assert.equal(await shown(), 10);
  assert.equal(await page.locator(`${organisations} li`).count(), 10, "no rows made for values not shown");
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  await toggle.click();
  assert.equal(await shown(), total);
  const counts = await page.locator(`${organisations} li:not([hidden]) .search-facet-count`).allTextContents();
  assert.ok(counts.every((c) => c !== "(0)"), "every value shown has a result");
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  // Checks the last value shown (not one of the top ten), then shows fewer: it stays visible.
  const last = page.locator(`${organisations} li:not([hidden])`).last();
  const value = await last.locator("input").getAttribute("value");
  await last.locator("label").click();
  await until(page, "the organisation in the URL", (v) => new URLSearchParams(location.search).getAll("organisation").includes(v), value);
  await until(page, "one result", () => /^1 case matches/.test(document.querySelector("#search-status .search-status-text").textContent));
  assert.equal(await toggle.textContent(), "Show fewer");
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  assert.equal(await shown(), 11, "the top ten and the checked value");
  assert.equal(await page.locator(`${organisations} input[value="${value}"]`).isVisible(), true);
  assert.equal(await page.locator(`${organisations} input[value="${value}"]`).isChecked(), true);
  // Ids are unique across the page.
  const duplicates = await page.evaluate(() => {
    const seen = new Map();
    for (const e of document.querySelectorAll("[id]")) seen.set(e.id, (seen.get(e.id) || 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  });
  assert.deepEqual(duplicates, []);
  expectNoProblems();
  await context.close();
});

test("only the latest query's results are shown, however the answers arrive", async () => {
  const { page, context, expectNoProblems } = await newPage();
  // The first query's first term shard is held back until the second query has been answered.
  // ("telecare" first needs the shard of "tele"; "homelessness" needs another one.)
  let release;
  const held = new Promise((resolve) => (release = resolve));
  let holding;
  const isHolding = new Promise((resolve) => (holding = resolve));
  let hold = true;
  await page.route("**/search/terms/*.bin", async (route) => {
    if (hold) {
      hold = false;
      holding();
      await held;
    }
    await route.continue();
  });
  await page.goto(SEARCH);
  await ready(page);
  // Records every answer the page gets (the page's `casebook:search` event).
  await page.evaluate(() => {
    window.__answers = [];
    document.getElementById("search-form").addEventListener("casebook:search", (e) => window.__answers.push(e.detail));
  });
  await page.fill("#search-input", "telecare");
  await page.locator("#search-input").press("Enter");
  await isHolding;
  await page.fill("#search-input", "homelessness");
  await page.locator("#search-input").press("Enter");
  const latest = await waitForCount(page, "homelessness"); // answered while the first is held
  assert.match(latest.results[0].title, /homeless/i);
  release();
  // The held answer arrives late; the page must ignore it.
  await until(page, "the stale answer", () => window.__answers.some((a) => a.q === "telecare"));
  // (On a slow machine, typing may also have started a search before Enter did: then a query
  // answers more than once. Every "telecare" answer arrives after a "homelessness" one was
  // shown, and none of them is shown.)
  const answers = await page.evaluate(() => window.__answers.map((a) => `${a.q}:${a.shown}`));
  const firstShown = answers.indexOf("homelessness:true");
  const telecare = answers.filter((a) => a.startsWith("telecare:"));
  assert.ok(firstShown >= 0 && firstShown < answers.indexOf("telecare:false"), answers.join(", "));
  assert.deepEqual([...new Set(telecare)], ["telecare:false"], answers.join(", "));
  const after = await pageState(page);
  assert.deepEqual(after.results, latest.results);
  assert.equal(after.status, latest.status);
  assert.equal(after.input, "homelessness");
  assert.equal(new URL(page.url()).searchParams.get("q"), "homelessness");
  expectNoProblems();
  await context.close();
});

test("if the search runtime cannot load, the page says so and keeps the browse links", async () => {
  const { page, context, problems } = await newPage();
  await page.route("**/search/casebook-search.js", (route) => route.fulfill({ status: 404, body: "" }));
  await page.goto(`${SEARCH}?q=${QUERY}`);
  await until(page, "the not-available status", () => /not available/.test(document.getElementById("search-status").textContent));
  assert.equal(await page.locator("#search-browse").isVisible(), true);
  assert.ok(await page.locator("#search-browse a").count() > 5);
  assert.ok(problems.every((p) => p.includes("casebook-search.js") || p.includes("404")), problems.join("\n"));
  await context.close();
});

test("a misspelt word is corrected, says so, and can be searched as typed", async () => {
  const { page, context, expectNoProblems } = await newPage();
  await page.goto(`${SEARCH}?q=${encodeURIComponent("older peple")}`);
  // The count is of the words searched for: the corrected ones.
  await waitForCount(page, "older people");
  const notice = page.locator("#search-notice");
  await until(page, "the correction notice", () => !document.getElementById("search-notice").hidden);
  assert.equal((await notice.textContent()).trim(), "Showing results for older people · search instead for older peple");
  const state = await pageState(page);
  assert.match(state.results[0].title, /older people/i, "the cases about older people come first");
  // "search instead" searches the words as typed: exact in the URL, nothing corrected.
  await notice.getByRole("link", { name: "older peple" }).click();
  await until(page, "exact in the URL", () => new URLSearchParams(location.search).get("exact") === "1");
  await until(page, "the partial-match status", () =>
    /^No case has both words; \d+ cases? ha(s|ve) 1 of them[.,]/.test(document.querySelector("#search-status .search-status-text")?.textContent ?? ""),
  );
  assert.equal(await notice.isHidden(), true, "nothing was corrected");
  assert.equal(await page.inputValue("#search-input"), "older peple");
  const has = await page.locator("#search-results .search-has").first().textContent();
  assert.match(has, /^Has 1 of 2: older$/);
  // Back: the corrected search again.
  await page.goBack();
  await until(page, "the correction again", () => !document.getElementById("search-notice").hidden);
  assert.equal(new URL(page.url()).searchParams.get("exact"), null);
  expectNoProblems();
  await context.close();
});

test("a query that names a facet value offers it as a filter", async () => {
  const { page, context, expectNoProblems } = await newPage();
  await page.goto(`${SEARCH}?q=${encodeURIComponent("participatory budgeting scotland")}`);
  await until(page, "the partial-match status", () =>
    /^No case has both words;/.test(document.querySelector("#search-status .search-status-text")?.textContent ?? ""),
  );
  // The offers follow once the facet data is read, after the first results.
  await until(page, "the filter offers", () => document.querySelectorAll("#search-notice a").length >= 2);
  const notice = page.locator("#search-notice");
  const offered = await notice.getByRole("link").allTextContents();
  assert.ok(offered.includes("region: Scotland"), offered.join(", "));
  assert.ok(offered.includes("theme: participatory budgeting"), offered.join(", "));
  await notice.getByRole("link", { name: "region: Scotland" }).click();
  await until(page, "the region filter in the URL", () => new URLSearchParams(location.search).getAll("region").includes("scotland"));
  await until(page, "the region checked", () => document.querySelector("#search-filters input[name=region][value=scotland]")?.checked);
  const state = await pageState(page);
  assert.ok(state.results.length > 0, "the cases in Scotland with some of the words");
  expectNoProblems();
  await context.close();
});

test("while typing, the last word matches the words that begin with it", async () => {
  const { page, context, expectNoProblems } = await newPage();
  await page.goto(SEARCH);
  await ready(page);
  await page.locator("#search-input").pressSequentially("older peo", { delay: 30 });
  const state = await waitForCount(page, "older peo");
  assert.ok(countOf(state) >= 2, state.status);
  assert.equal(await page.locator("#search-notice").isHidden(), true, "a word being typed is not corrected");
  expectNoProblems();
  await context.close();
});
