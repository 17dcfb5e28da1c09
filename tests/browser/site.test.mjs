// The whole built site in headless Chromium. Run by tests/site_checks.rs:
//
//   CASEBOOK_SITE_URL=http://127.0.0.1:PORT/kb/ CASEBOOK_SITE_DIR=path/to/output \
//     node --test tests/browser/site.test.mjs
//
// - every page (those reachable from home, and every HTML file of the output), at 375 px wide
//   (a phone), loads with no console error, uncaught exception, failed request or request outside
//   the site's host, and does not scroll sideways; every link and file it points to in the site
//   answers 200;
// - home's facet links lead to pages listing exactly the cases cases.json has with that value,
//   and each facet index counts them right;
// - each case page's facet links lead to value pages that list the case, and its related cases
//   are existing case pages;
// - at 375 px, one page of each type, the search page with results among them, fits; their
//   screenshots are written to tests/artifacts/phone-<type>.png.
//
// The search flow itself (typing, filters, URL, reload, back, keyboard) is search.test.mjs.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  FACETS,
  ORIGIN,
  SITE,
  artifacts,
  casesJson,
  expectNone,
  htmlFiles,
  launch,
  newPage,
  pageType,
  pathOf,
  representativePages,
  valuesOf,
  waitForResults,
} from "./site.mjs";

/** The phone viewport. */
const PHONE = { width: 375, height: 800 };

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/**
 * What the current page points at, absolute, without fragments: `links` (a, area, form) a
 * visitor follows, `files` (link, script, img, source) the page refers to.
 */
function linksOf(page) {
  return page.evaluate(() => {
    const url = (u) => u.split("#")[0];
    // An SVG link's href is not a string: resolve the attribute as HTML links are.
    const resolved = (e) => new URL(e.getAttribute("href"), document.baseURI).href;
    return {
      links: [
        ...[...document.querySelectorAll("a[href], area[href]")].map(resolved),
        ...[...document.querySelectorAll("form[action]")].map((f) => f.action),
      ].map(url),
      files: [
        ...[...document.querySelectorAll("link[href]")].map((l) => l.href),
        ...[...document.querySelectorAll("script[src], img[src], source[src]")].map((e) => e.src),
        ...[...document.querySelectorAll("svg use[href]")].map(resolved),
      ].map(url),
    };
  });
}

/** The page's width, and (when too wide) the first elements that stick out past `width`. */
function measure(page, width) {
  return page.evaluate((width) => {
    const name = (e) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : "") + (e.classList.length ? `.${[...e.classList].join(".")}` : "");
    const scrollWidth = document.documentElement.scrollWidth;
    const out =
      scrollWidth <= width
        ? []
        : [...document.querySelectorAll("body *")]
            .filter((e) => e.getClientRects().length && e.getBoundingClientRect().right > width + 0.5)
            .slice(0, 5)
            .map((e) => `${name(e)} (right edge ${Math.round(e.getBoundingClientRect().right)} px)`);
    return { scrollWidth, out };
  }, width);
}

/** A link to an HTML page of the site (a folder or an .html file), not a file such as feed.xml. */
const isPage = (url) => /\/$|\.html$/.test(new URL(url).pathname);

/**
 * The cases a list page shows, following its pagination: URL paths in page order, and the first
 * page's heading. The pages are fetched and parsed in `page` (no rendering: only their links
 * matter here).
 */
async function listedCases(page, url) {
  const cases = [];
  let heading = null;
  const seen = new Set();
  for (let next = url; next && !seen.has(next); ) {
    seen.add(next);
    const { status, h1, cards, nextUrl } = await page.evaluate(async (at) => {
      const response = await fetch(at);
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const href = (a) => a && new URL(a.getAttribute("href"), at).href;
      return {
        status: response.status,
        h1: doc.querySelector("main h1")?.textContent.replace(/\s+/g, " ").trim(),
        cards: [...doc.querySelectorAll("main .card-title a")].map(href),
        nextUrl: href(doc.querySelector("main a[rel=next]")) ?? null,
      };
    }, next);
    assert.equal(status, 200, `${next} answers 200`);
    heading ??= h1;
    cases.push(...cards.map(pathOf));
    next = nextUrl;
  }
  return { cases, heading };
}

/** URL path → { cases, heading } of the list there, read once per page. */
function listReader(page) {
  const cache = new Map();
  return async (url) => {
    const key = pathOf(url);
    if (!cache.has(key)) cache.set(key, await listedCases(page, url));
    return cache.get(key);
  };
}

/** The cases of cases.json with `value` of `facet`, as URL paths, sorted. */
function expectedCases(cases, facet, value) {
  return cases
    .filter((c) => valuesOf(c, facet).includes(value))
    .map((c) => pathOf(c.url))
    .sort();
}

test("every page loads at phone width without console errors, failed requests, requests off the host or sideways scroll; every link resolves", async () => {
  // At 375 px (a phone, honouring the viewport meta tag): one visit of each page checks both.
  const { page, context, problems, settle } = await newPage(browser, { viewport: PHONE, mobile: true });
  const queue = [SITE, ...(await htmlFiles()).map((f) => new URL(f, SITE).href)];
  const visited = new Set();
  const wide = [];
  const files = new Map(); // a non-page file of the site → a page pointing at it
  const linkedFrom = new Map(); // a page → the first page linking to it
  while (queue.length) {
    const url = queue.shift();
    if (visited.has(pathOf(url))) continue;
    visited.add(pathOf(url));
    const from = linkedFrom.has(pathOf(url)) ? `, linked from ${linkedFrom.get(pathOf(url))}` : "";
    try {
      const response = await page.goto(url);
      await settle();
      if (response.status() !== 200) {
        problems.push(`${pathOf(url)}${from}: answers ${response.status()}`);
        continue;
      }
    } catch (error) {
      problems.push(`${pathOf(url)}${from}: ${error.message.split("\n")[0]}`);
      continue;
    }
    const { scrollWidth, out } = await measure(page, PHONE.width);
    if (scrollWidth > PHONE.width) wide.push(`${pathOf(page.url())}: ${scrollWidth} px wide; sticking out: ${out.join(", ")}`);
    const { links, files: used } = await linksOf(page);
    for (const link of [...links, ...used]) {
      if (new URL(link).origin !== ORIGIN) continue;
      if (isPage(link) && links.includes(link)) {
        queue.push(link);
        if (!linkedFrom.has(pathOf(link))) linkedFrom.set(pathOf(link), pathOf(page.url()));
      } else if (!files.has(link)) files.set(link, pathOf(page.url()));
    }
  }
  for (const [file, from] of files) {
    const response = await fetch(file);
    if (response.status !== 200) problems.push(`${from}: link to ${file} answers ${response.status}`);
  }
  await context.close();
  expectNone(
    [...problems, ...wide.map((w) => `wider than a ${PHONE.width} px phone: ${w}`)],
    "problems while loading every page",
  );
  const pages = [...visited];
  for (const type of ["home", "case", "cases", "facet-index", "facet-value", "search", "404"]) {
    assert.ok(pages.some((p) => pageType(p).type === type), `a ${type} page was loaded`);
  }
});

test("home's facet links lead to pages that list the right cases, and facet indexes count them right", async () => {
  const cases = await casesJson();
  const { page, context, problems, settle } = await newPage(browser);
  const list = listReader(page);
  await page.goto(SITE);
  await settle();
  const links = await page.evaluate(() =>
    [...document.querySelectorAll("main .home-browse a")].map((a) => ({
      href: a.href,
      name: a.firstChild?.textContent.trim(), // a chip's value name, without its count
      count: a.querySelector(".chip-count") ? Number(a.querySelector(".chip-count").textContent.replace(/\D+/g, "")) : null,
    })),
  );
  const facetIndexes = new Set();
  let values = 0;
  for (const link of links) {
    const { type, facet } = pageType(link.href);
    if (type === "facet-index") {
      facetIndexes.add(link.href);
      continue;
    }
    assert.equal(type, "facet-value", `home links to facet pages only: ${link.href}`);
    values++;
    const expected = expectedCases(cases, facet, link.name);
    assert.ok(expected.length > 0, `${link.href}: “${link.name}” is a ${facet} of some case in cases.json`);
    const { cases: listed, heading } = await list(link.href);
    assert.deepEqual([...listed].sort(), expected, `${link.href} lists the cases with ${facet} “${link.name}”`);
    assert.equal(link.count, expected.length, `home's count for ${facet} “${link.name}”`);
    assert.ok(heading?.endsWith(`: ${link.name}`), `${link.href} is headed with its value: ${heading}`);
  }
  assert.ok(values > 0, "home links to facet values");
  assert.deepEqual([...facetIndexes].map(pathOf).sort(), Object.values(FACETS).map((f) => pathOf(new URL(`${f}/`, SITE))).sort(), "home links to each facet's index");

  // Each facet index: every value with its true count, linking to a page that lists those cases.
  for (const index of facetIndexes) {
    const { facet } = pageType(index);
    await page.goto(index);
    await settle();
    const shown = await page.evaluate(() =>
      [...document.querySelectorAll("main .value-list > li")].map((li) => ({
        name: li.querySelector(".value-name").textContent.trim(),
        href: li.querySelector(".value-name").href,
        count: Number(li.querySelector(".value-count").textContent.replace(/\D+/g, "")),
      })),
    );
    const all = new Set(cases.flatMap((c) => valuesOf(c, facet)));
    assert.deepEqual(shown.map((v) => v.name).sort(), [...all].sort(), `${index} lists every ${facet}`);
    for (const v of shown) {
      const expected = expectedCases(cases, facet, v.name);
      assert.equal(v.count, expected.length, `${index}: the count of “${v.name}”`);
      assert.deepEqual([...(await list(v.href)).cases].sort(), expected, `${v.href} lists the cases with ${facet} “${v.name}”`);
    }
  }
  await context.close();
  expectNone(problems, "problems while following facet links");
});

test("each case page's facet links and related cases lead to existing pages that fit", async () => {
  const cases = await casesJson();
  const caseUrls = new Set(cases.map((c) => pathOf(c.url)));
  const { page, context, problems, settle } = await newPage(browser);
  const list = listReader(page); // read from whichever case page is open
  let related = 0;
  for (const c of cases) {
    const response = await page.goto(c.url);
    assert.equal(response.status(), 200, c.url);
    await settle();
    const { facetLinks, relatedLinks } = await page.evaluate(() => ({
      facetLinks: [...document.querySelectorAll("main .case-facts a")].map((a) => ({ href: a.href, name: a.textContent.trim() })),
      relatedLinks: [...document.querySelectorAll("main .related .card-title a")].map((a) => a.href),
    }));
    const expectedLinks = Object.keys(FACETS).flatMap((facet) => valuesOf(c, facet).map((name) => `${facet}:${name}`));
    assert.deepEqual(
      facetLinks.map((l) => `${pageType(l.href).facet}:${l.name}`).sort(),
      expectedLinks.sort(),
      `${c.url} links each of its facet values to its page`,
    );
    for (const link of facetLinks) {
      assert.ok((await list(link.href)).cases.includes(pathOf(c.url)), `${link.href}, linked from ${c.url}, lists the case`);
    }
    for (const href of relatedLinks) {
      related++;
      assert.ok(caseUrls.has(pathOf(href)), `${c.url}: the related case ${href} is a case of cases.json`);
      assert.notEqual(pathOf(href), pathOf(c.url), `${c.url} is not related to itself`);
      const answer = await fetch(href);
      assert.equal(answer.status, 200, `${c.url}: the related case ${href} answers 200`);
    }
  }
  assert.ok(related > 0 || cases.length < 2, "some case shows related cases");
  await context.close();
  expectNone(problems, "problems on case pages");
});

test("at phone width, each page type (the search page with results) fits; screenshots in tests/artifacts/", async () => {
  const folder = await artifacts();
  const { page, context, problems, settle } = await newPage(browser, { viewport: PHONE, mobile: true });
  const wide = [];
  for (const p of await representativePages()) {
    await page.goto(p.url);
    if (p.query) await waitForResults(page, p.query);
    await settle();
    const { scrollWidth, out } = await measure(page, PHONE.width);
    if (scrollWidth > PHONE.width) wide.push(`${p.type} ${pathOf(p.url)}: ${scrollWidth} px wide; sticking out: ${out.join(", ")}`);
    await page.screenshot({ path: `${folder}phone-${p.type}.png`, fullPage: true });
  }
  await context.close();
  expectNone(wide, `pages wider than a ${PHONE.width} px phone`);
  expectNone(problems, "problems at phone width");
});
