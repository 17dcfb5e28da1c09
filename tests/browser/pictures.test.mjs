// Pictures of the collection in headless Chromium, against cases.json: each country the map
// shades links to a page listing exactly that country's cases, and every country of the cases
// is on the map or listed beside it; the year and theme charts count as cases.json does; the
// theme × country pages exist exactly where at least 2 cases share both (the default) and list
// exactly those cases; the light map of a facet value page shades its cases' countries; every
// shade has 3:1 contrast with the page (WCAG 1.4.11, which axe does not check on SVG fills).
// All of it with JavaScript off. Screenshots of the pictures at 1280 and 390 px. Run by
// tests/site_checks.rs (the example) and tests/browser_search.rs (IPS-X):
//
//   CASEBOOK_SITE_URL=http://127.0.0.1:PORT/kb/ CASEBOOK_SITE_DIR=path/to/output \
//     node --test tests/browser/pictures.test.mjs

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { SITE, artifacts, casesJson, expectNone, htmlFiles, launch, newPage, pathOf, valuesOf } from "./site.mjs";

const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const NAME = process.env.CASEBOOK_SITE_NAME || "example";
/** How many lists a test follows page by page at most (the rest are checked by count). */
const FOLLOWED = 25;

let browser;
let cases;
let noScript;
before(async () => {
  browser = await launch();
  cases = await casesJson();
  noScript = await browser.newContext({ javaScriptEnabled: false, viewport: SIZES.desktop });
});
after(async () => {
  await noScript?.close();
  await browser?.close();
});

/** The year a case is counted under: `year`, else its date's year, within 1000–2100. */
function yearOf(c) {
  const year = c.year ?? (c.date ? Number(c.date.slice(0, 4)) : null);
  return year != null && year >= 1000 && year <= 2100 ? year : null;
}

/** "United Kingdom: 5 cases" → ["United Kingdom", 5]. */
function nameAndCount(text) {
  const m = text.trim().match(/^(.*): (\d+) cases?$/s);
  assert.ok(m, `"${text}" reads "name: n cases"`);
  return [m[1], Number(m[2])];
}

/** The slugs of the cases a paginated list shows, following its "Next" links. */
async function listedSlugs(page, url) {
  const slugs = [];
  let next = url;
  while (next) {
    await page.goto(new URL(next, SITE).href);
    const urls = await page.$$eval("main .card-list .card-title a", (as) => as.map((a) => a.getAttribute("href")));
    slugs.push(...urls.map((u) => u.split("/").filter(Boolean).at(-1)));
    next = await page.$eval("main a[rel=next]", (a) => a.getAttribute("href")).catch(() => null);
  }
  return slugs.sort();
}

const slugsWith = (test) => cases.filter(test).map((c) => c.slug).sort();

/** Where `list` comes from, as [name, count] pairs, sorted: each country, and each region of
 * the cases that name no country; and how many cases name neither. */
function placesOf(list) {
  const count = (names) => {
    const counts = new Map();
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
    return [...counts];
  };
  const countryless = list.filter((c) => valuesOf(c, "country").length === 0);
  const pairs = [...count(list.flatMap((c) => valuesOf(c, "country"))), ...count(countryless.flatMap((c) => valuesOf(c, "region")))];
  return { pairs: pairs.sort(), nowhere: countryless.filter((c) => valuesOf(c, "region").length === 0).length };
}

/** WCAG relative luminance of "rgb(r, g, b)". */
function luminance(rgb) {
  const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

test("each country on the map leads to exactly its cases, and every country is on it or beside it", async (t) => {
  const page = await noScript.newPage();
  for (const where of ["", "countries/"]) {
    await page.goto(new URL(where, SITE).href);
    const shaded = await page.$$eval("svg.map a", (as) => as.map((a) => ({ href: a.getAttribute("href"), title: a.querySelector("title").textContent })));
    const beside = await page.$$eval(".map-elsewhere a", (as) => as.map((a) => ({ href: a.getAttribute("href"), name: a.textContent, count: Number(a.nextSibling.textContent.trim().split(" ")[0]) })));
    const expected = placesOf(cases);
    const shown = [...shaded.map((s) => nameAndCount(s.title)), ...beside.map((b) => [b.name, b.count])].sort();
    assert.deepEqual(shown, expected.pairs, `${where || "home"}: every country of cases.json (or region, for cases naming no country), with its count, on the map or beside it`);
    const nowhere = await page.$eval(".map-nowhere", (p) => Number(p.textContent.split(" ")[0])).catch(() => 0);
    assert.equal(nowhere, expected.nowhere, "the cases naming no place are counted");
    const table = await page.$$eval("figure.world-map table tbody tr", (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    assert.deepEqual(table.map(([name, n]) => [name, Number(n)]).sort(), shaded.map((s) => nameAndCount(s.title)).sort(), "the table beside the map lists the map's countries");
    if (where) continue;
    const links = [...shaded.map((s) => ({ href: s.href, name: nameAndCount(s.title)[0] })), ...beside];
    for (const { href, name } of links.slice(0, FOLLOWED)) {
      const facet = href.includes("/regions/") ? "region" : "country";
      assert.deepEqual(await listedSlugs(page, href), slugsWith((c) => valuesOf(c, facet).includes(name)), `${href} lists exactly the cases of ${name}`);
    }
    t.diagnostic(`${NAME}: ${shaded.length} countries shaded, ${beside.length} places beside the map; ${Math.min(links.length, FOLLOWED)} followed`);
  }
  await page.close();
});

test("the year and theme charts count as cases.json does", async () => {
  const page = await noScript.newPage();
  await page.goto(SITE);
  const bars = await page.$$eval(".year-chart rect.bar", (rs) => rs.map((r) => r.querySelector("title").textContent));
  const years = cases.map(yearOf).filter((y) => y != null);
  assert.ok(bars.length > 0, "home has a year chart");
  let total = 0;
  for (const bar of bars) {
    const [label, count] = nameAndCount(bar);
    const [from, to = from] = label.split("–").map(Number);
    assert.equal(count, years.filter((y) => y >= from && y <= to).length, `the bar of ${label}`);
    total += count;
  }
  assert.equal(total, years.length, "the bars hold every case with a year");
  const caption = await page.textContent(".year-chart figcaption");
  const undated = cases.length - years.length;
  if (undated) assert.ok(caption.includes(`${undated} without a year not shown`), caption);
  const themes = await page.$$eval(".theme-bars li", (lis) => lis.map((li) => ({ name: li.querySelector("a").textContent, count: Number(li.querySelector(".bar-count").firstChild.textContent) })));
  assert.ok(themes.length > 0, "home has a themes chart");
  for (const { name, count } of themes) {
    const matches = (t) => (name.endsWith("…") ? t.startsWith(name.slice(0, -1).trim()) : t === name);
    assert.equal(count, cases.filter((c) => valuesOf(c, "theme").some(matches)).length, `the bar of ${name}`);
  }
  await page.close();
});

test("theme × country pages exist where at least 2 cases share both, and list exactly those", async (t) => {
  const pairs = new Map();
  for (const c of cases) {
    for (const theme of valuesOf(c, "theme")) for (const country of valuesOf(c, "country")) {
      const key = `${theme}\u0000${country}`;
      pairs.set(key, [...(pairs.get(key) ?? []), c.slug]);
    }
  }
  const expected = [...pairs].filter(([, slugs]) => slugs.length >= 2);
  const files = (await htmlFiles()).filter((f) => /^themes\/[^/]+\/(?!page\/)[^/]+\/index\.html$/.test(f));
  assert.equal(files.length, expected.length, "one page per theme and country that at least 2 cases share");
  const page = await noScript.newPage();
  let followed = 0;
  for (const file of files) {
    const url = file.replace(/index\.html$/, "");
    await page.goto(new URL(url, SITE).href);
    const crumbs = await page.$$eval("nav.breadcrumb a", (as) => as.map((a) => a.textContent));
    assert.equal(crumbs.length, 3, `${url}: Home › Themes › the theme`);
    const theme = crumbs[2];
    const country = await page.$eval("main .lead a:last-child", (a) => a.textContent);
    const slugs = pairs.get(`${theme}\u0000${country}`);
    assert.ok(slugs, `${url} is a pair of cases.json (${theme} in ${country})`);
    const count = Number((await page.textContent("main .list-count")).split(" ")[0]);
    assert.equal(count, slugs.length, `${url}: the count`);
    if (followed++ >= FOLLOWED) continue;
    const themePage = await page.$eval("nav.breadcrumb li:last-child a", (a) => a.getAttribute("href"));
    const countryPage = await page.$eval("main .lead a:last-child", (a) => a.getAttribute("href"));
    assert.deepEqual(await listedSlugs(page, url), [...slugs].sort(), `${url} lists exactly its cases`);
    for (const link of [themePage, countryPage]) {
      await page.goto(new URL(link, SITE).href);
      // A theme's list is the one under its map; a country's, "… by theme".
      const targets = await page.$$eval(".combinations a, .light-map figcaption a", (as) => as.map((a) => a.getAttribute("href")));
      assert.ok(targets.some((h) => pathOf(h) === pathOf(new URL(url, SITE).href)), `${link} links to ${url}`);
    }
  }
  t.diagnostic(`${NAME}: ${files.length} theme × country pages, ${Math.min(followed, FOLLOWED)} followed`);
  const sitemap = await (await page.goto(new URL("sitemap.xml", SITE).href)).text();
  for (const file of files) assert.ok(sitemap.includes(`/${file.replace(/index\.html$/, "")}</loc>`), `${file} is in the sitemap`);
  await page.close();
});

test("a facet value page's light map shades exactly its cases' countries", async () => {
  const page = await noScript.newPage();
  const values = (await htmlFiles()).filter((f) => /^(themes|regions|approaches|countries)\/[^/]+\/index\.html$/.test(f)).slice(0, 12);
  for (const file of values) {
    const url = new URL(file.replace(/index\.html$/, ""), SITE).href;
    await page.goto(url);
    const slugs = new Set(await listedSlugs(page, url));
    await page.goto(url);
    const { pairs } = placesOf(cases.filter((c) => slugs.has(c.slug)));
    const drawn = await page.locator(".light-map g use, .light-map circle.marker").count();
    const beside = await page.locator(".map-elsewhere a").count();
    assert.equal(drawn + beside, pairs.length, `${url}: each country of its ${slugs.size} cases drawn or listed beside the map`);
    const uses = await page.$$eval(".light-map use", (us) => us.map((u) => u.getAttribute("href")));
    for (const href of uses) assert.match(href, /map\/world\.svg#[A-Za-z]+$/, "shapes come from the shared map/world.svg");
    // Each place named leads to exactly this page's cases there, not to all of the place's.
    const named = await page.$$eval(".light-map figcaption a, .map-elsewhere a", (as) =>
      as.map((a) => ({ href: a.href, name: a.textContent, count: Number(a.nextSibling.textContent.trim().split(" ")[0]) })),
    );
    const counts = new Map(pairs);
    const pageFilter = { themes: "theme", regions: "region", approaches: "approach", countries: "country" }[file.split("/")[0]];
    for (const { href, name, count } of named) {
      assert.equal(count, counts.get(name), `${url}: ${name}'s count`);
      const target = new URL(href);
      if (/\/cases\/[^/]+\/$/.test(target.pathname)) {
        assert.equal(count, 1, `${url}: ${name} leads to its one case`);
        const slug = target.pathname.split("/").filter(Boolean).at(-1);
        assert.ok(slugs.has(slug), `${url}: ${name} leads to one of the page's cases`);
        const there = cases.find((c) => c.slug === slug);
        assert.ok([...valuesOf(there, "country"), ...valuesOf(there, "region")].includes(name), `${url}: ${slug} is in ${name}`);
      } else if (target.pathname.endsWith("/search/")) {
        assert.ok(target.searchParams.get(pageFilter), `${url}: ${name}'s search keeps the page's own filter`);
        assert.ok(target.searchParams.get("country") || target.searchParams.get("region"), `${url}: ${name}'s search filters by the place`);
      } else {
        await page.goto(href);
        assert.equal((await listedSlugs(page, href)).length, count, `${url}: ${name} leads to a list of its ${count} cases`);
      }
    }
  }
  await page.close();
});

test("every shade and bar has 3:1 contrast with the page, at both sizes, and no picture needs sideways scrolling", async (t) => {
  const value = (await htmlFiles()).find((f) => /^themes\/[^/]+\/index\.html$/.test(f)).replace(/index\.html$/, "");
  const dir = await artifacts();
  for (const [size, viewport] of Object.entries(SIZES)) {
    const { page, context, problems, settle } = await newPage(browser, { viewport, mobile: size === "phone" });
    const combination = (await htmlFiles()).find((f) => /^themes\/[^/]+\/(?!page\/)[^/]+\/index\.html$/.test(f));
    for (const [kind, url] of [["home", ""], ["countries", "countries/"], ["facet-value", value], ...(combination ? [["combination", combination.replace(/index\.html$/, "")]] : [])]) {
      await page.goto(new URL(url, SITE).href);
      await settle();
      const { background, fills } = await page.evaluate(() => {
        const background = getComputedStyle(document.body).backgroundColor;
        const marks = document.querySelectorAll("svg [class^='shade-'], svg [class*=' shade-'], .chart .bar, .theme-bars rect");
        return { background, fills: [...marks].map((m) => ({ what: m.getAttribute("class") || m.tagName, fill: getComputedStyle(m).fill })) };
      });
      const seen = new Map(fills.map((f) => [`${f.what} ${f.fill}`, f]));
      for (const { what, fill } of seen.values()) {
        const ratio = contrast(fill, background);
        assert.ok(ratio >= 3, `${size} ${kind}: ${what} (${fill}) has ${ratio.toFixed(2)}:1 against ${background}`);
      }
      if (kind === "home") {
        // A keyboard user sees which country has focus: its outline turns black and thicker.
        const link = page.locator("svg.map a").first();
        await page.keyboard.press("Shift");
        await link.focus();
        const focused = await link.evaluate((a) => {
          const shape = a.querySelector("path, circle");
          // Chrome gives a width scaled by the map's --line as "calc(1.2px)".
          const px = (e) => parseFloat(getComputedStyle(e).strokeWidth.replace(/^calc\(/, ""));
          const plain = a.closest("svg").querySelector(":scope > path:not(.map-sphere)");
          return { stroke: getComputedStyle(shape).stroke, width: px(shape), plain: px(plain), focus: a.matches(":focus-visible") };
        });
        const outlined = focused.focus && focused.stroke === "rgb(0, 0, 0)" && focused.width >= 4 * focused.plain;
        assert.ok(outlined, `${size}: a focused country is outlined, thicker than a border: ${JSON.stringify(focused)}`);
      }
      // The charts' words stand apart: a bar's count on one line beside its bar, the bars
      // in proportion to their counts, the year labels not running into each other.
      const drawn = await page.evaluate(() => ({
        bars: [...document.querySelectorAll(".theme-bars li")].map((li) => {
          const count = li.querySelector(".bar-count");
          return { count: Number(count.firstChild.textContent), width: li.querySelector("svg").getBoundingClientRect().width, height: count.getBoundingClientRect().height, font: parseFloat(getComputedStyle(count).fontSize) };
        }),
        years: [...document.querySelectorAll(".chart .tick.x")].map((tick) => tick.getBoundingClientRect()).map((r) => [r.left, r.right]),
      }));
      const most = Math.max(...drawn.bars.map((b) => b.count));
      const longest = Math.max(...drawn.bars.map((b) => b.width));
      for (const bar of drawn.bars) {
        assert.ok(bar.height < 2 * bar.font, `${size} ${kind}: the count ${bar.count} stands on one line (${bar.height} px high)`);
        assert.ok(Math.abs(bar.width - Math.max(2, (longest * bar.count) / most)) <= 2 + longest * 0.01, `${size} ${kind}: the bar of ${bar.count} is ${bar.width} px of ${longest}`);
      }
      drawn.years.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < drawn.years.length; i++) {
        assert.ok(drawn.years[i][0] >= drawn.years[i - 1][1] + 2, `${size} ${kind}: year labels ${i} and ${i + 1} stand apart: ${JSON.stringify(drawn.years)}`);
      }
      if (kind === "home") t.diagnostic(`${size}: ${[...seen.values()].map((f) => `${f.what} ${contrast(f.fill, background).toFixed(2)}:1`).join(", ")}`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth > innerWidth + 1);
      assert.equal(wide, false, `${size} ${kind}: no sideways scrolling`);
      const pictures = page.locator("figure.picture").first();
      if (await pictures.count()) await pictures.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${dir}pictures-${NAME}-${kind}-${size}.png`, fullPage: kind !== "countries" });
    }
    expectNone(problems, `${size}: the pictures' pages load cleanly`);
    await context.close();
  }
});
