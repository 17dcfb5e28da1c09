// The reader's own tools in headless Chromium: saving cases from search results and case
// pages, the shortlist and its shared link in a fresh browser, comparing, the shortlist's
// downloads, an alias followed, bad addresses and a damaged or missing storage, the pages
// without JavaScript, axe-core and the Nu Html Checker at 1280 and 390 px, and printing. Run
// by tests/reader.rs on the example with a case whose slug changed:
//
//   CASEBOOK_SITE_URL=http://127.0.0.1:PORT/kb/ CASEBOOK_SITE_DIR=path/to/output \
//   CASEBOOK_ALIAS=old-slug:new-slug node --test tests/browser/reader.test.mjs
//
// Screenshots and PDFs go to tests/artifacts/ as reader-<page>-<size>.png and
// reader-<page>.pdf.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { axeReport, vnu } from "./checkers.mjs";
import { SITE, SITE_DIR, artifacts, casesJson, expectNone, launch, newPage, valuesOf } from "./site.mjs";

const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const STORAGE_KEY = `casebook:shortlist:${SITE}`;
const [ALIAS_FROM, ALIAS_TO] = (process.env.CASEBOOK_ALIAS || ":").split(":");

const at = (path) => new URL(path, SITE).href;

let browser;
let cases;
before(async () => {
  browser = await launch();
  cases = await casesJson();
});
after(async () => {
  await browser?.close();
});

const bySlug = (slug) => cases.find((c) => c.slug === slug);

/** The shortlist's (or a shared list's) cases as slugs, once drawn. */
async function listedSlugs(page) {
  await page.waitForSelector(".shortlist-cases, .shortlist-empty");
  return page.$$eval(".shortlist-cases .card-title a", (links) => links.map((a) => new URL(a.href).pathname.split("/").filter(Boolean).at(-1)));
}

const stored = (page, key = STORAGE_KEY) => page.evaluate((k) => JSON.parse(localStorage.getItem(k) || "null"), key);

/** What a download holds, as text, when `click` starts it. */
async function downloaded(page, click) {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  return { name: download.suggestedFilename(), text: await readFile(await download.path(), "utf8") };
}

/** A compare page's table: { heads: [title], rows: { label: [[value, shared]] per case } }. */
function compareTable(page) {
  return page.$eval(".compare-table", (table) => {
    const heads = [...table.querySelectorAll("thead .compare-case-title")].map((a) => a.textContent);
    const rows = {};
    for (const tr of table.querySelectorAll("tbody tr")) {
      const label = tr.querySelector("th").textContent;
      rows[label] = [...tr.querySelectorAll("td")].map((td) =>
        [...td.querySelectorAll("li")].map((li) => [li.childNodes[li.classList.contains("shared") ? 1 : 0].textContent, li.classList.contains("shared")]),
      );
    }
    return { heads, rows };
  });
}

test("three saved cases make a shortlist that a shared link shows in a fresh browser, and they compare side by side", async () => {
  const { page, context, problems, settle } = await newPage(browser);
  // Two from the search results, one from its case page.
  await page.goto(at("search/?sort=title"));
  await page.waitForSelector("#search-results > li .save-button");
  const resultSlugs = await page.$$eval("#search-results .search-result-title a", (links) => links.map((a) => a.getAttribute("href").split("/").filter(Boolean).at(-1)));
  await page.locator("#search-results > li").nth(0).locator(".save-button").click();
  await page.locator("#search-results > li").nth(2).locator(".save-button").click();
  assert.equal(await page.locator("#search-results > li").nth(0).locator(".save-button").getAttribute("data-saved"), "true");
  const third = cases.find((c) => !resultSlugs.slice(0, 3).includes(c.slug) && valuesOf(c, "theme").length);
  await page.goto(at(`cases/${third.slug}/`));
  const save = page.locator(".save-case .save-button");
  assert.match(await save.textContent(), /^Save/);
  await save.click();
  await page.waitForFunction(() => document.querySelector(".save-case .save-note").textContent.includes("Saved"));
  const saved = [resultSlugs[0], resultSlugs[2], third.slug];
  assert.deepEqual(await stored(page), { version: 1, cases: saved });
  assert.equal((await page.locator("[data-shortlist-count]").textContent()).trim(), "(3)");

  // The shortlist lists them in the order saved, with a link that shares them.
  await page.goto(at("shortlist/"));
  assert.deepEqual(await listedSlugs(page), saved);
  const share = await page.inputValue("#shortlist-share");
  assert.equal(share, at(`shortlist/?cases=${saved.join(",")}`));

  // Its CSV holds the cases.csv rows of those cases; its BibTeX their cite.bib entries.
  const csv = await downloaded(page, () => page.getByRole("button", { name: "Download CSV" }).click());
  const siteCsv = (await readFile(join(SITE_DIR, "cases.csv"), "utf8")).split("\n");
  const rowOf = (slug) => siteCsv.find((line) => line.startsWith(`${slug},`));
  assert.equal(csv.name, "shortlist.csv");
  assert.deepEqual(csv.text.trimEnd().split("\n"), [siteCsv[0], ...saved.map(rowOf)]);
  const bib = await downloaded(page, () => page.getByRole("button", { name: "Download BibTeX" }).click());
  for (const slug of saved) {
    const own = (await readFile(join(SITE_DIR, `cases/${slug}/cite.bib`), "utf8")).trim();
    assert.ok(bib.text.includes(own), `the shortlist's BibTeX holds ${slug}'s entry`);
  }

  // Another person's browser: no storage, the same list from the link alone.
  const other = await newPage(browser);
  await other.page.goto(share);
  assert.deepEqual(await listedSlugs(other.page), saved);
  assert.match(await other.page.textContent(".shortlist-summary"), /shared shortlist of 3 cases/);
  assert.equal(await stored(other.page), null, "showing a shared list saves nothing");
  await other.page.getByRole("button", { name: /Save these 3 cases/ }).click();
  assert.deepEqual(await stored(other.page), { version: 1, cases: saved });
  expectNone(other.problems, "problems in the fresh browser");
  await other.context.close();

  // Compare the three: a column each, the facets, year, summary and sources in rows.
  await page.getByRole("link", { name: /Compare the 3 chosen cases/ }).click();
  await page.waitForSelector(".compare-table");
  assert.equal(new URL(page.url()).search, `?cases=${saved.join(",")}`);
  const table = await compareTable(page);
  const records = saved.map(bySlug);
  assert.deepEqual(table.heads, records.map((r) => r.title));
  for (const [key, label] of [["theme", /^Themes?$/], ["organisation", /^Organisations?$/]]) {
    const row = Object.entries(table.rows).find(([l]) => label.test(l));
    if (!records.some((r) => valuesOf(r, key).length)) continue;
    assert.ok(row, `a row for ${key}`);
    row[1].forEach((cell, i) => {
      assert.deepEqual(cell.map(([value]) => value), valuesOf(records[i], key), `${key} of ${records[i].slug}`);
      for (const [value, shared] of cell) {
        const holders = records.filter((r) => valuesOf(r, key).includes(value)).length;
        assert.equal(shared, holders > 1, `${value} is marked shared exactly when ${holders} > 1`);
      }
    });
  }
  assert.ok("Summary" in table.rows && "Year" in table.rows, `rows: ${Object.keys(table.rows)}`);

  // From a case page's related cases to a comparison of the two.
  await page.goto(at(`cases/${third.slug}/`));
  const related = page.locator(".card-compare a").first();
  if (await related.count()) {
    await related.click();
    await page.waitForSelector(".compare-table");
    assert.equal((await compareTable(page)).heads.length, 2);
  }
  await settle();
  expectNone(problems, "problems while saving, sharing and comparing");
  await context.close();
});

test("a slug that a case's aliases now redirect is followed to the case, in storage and in links", { skip: !ALIAS_FROM }, async () => {
  const { page, context, problems } = await newPage(browser);
  await page.goto(at("shortlist/"));
  await page.evaluate(([k, slug]) => localStorage.setItem(k, JSON.stringify({ version: 1, cases: [slug] })), [STORAGE_KEY, ALIAS_FROM]);
  await page.reload();
  assert.deepEqual(await listedSlugs(page), [ALIAS_TO]);
  assert.match(await page.textContent(".reader-notice"), new RegExp(`“${ALIAS_FROM}” has moved`));
  assert.deepEqual((await stored(page)).cases, [ALIAS_TO], "the saved slug is brought up to date");
  await page.goto(at(`compare/?cases=${ALIAS_FROM},${cases.find((c) => c.slug !== ALIAS_TO).slug}`));
  await page.waitForSelector(".compare-table");
  assert.equal((await compareTable(page)).heads[0], bySlug(ALIAS_TO).title);
  expectNone(problems, "problems following an alias");
  await context.close();
});

test("bad addresses and a damaged storage entry give working pages that say what they left out", async () => {
  const { page, context, problems } = await newPage(browser);
  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs++;
    d.dismiss();
  });
  const [a, b, c] = cases.map((x) => x.slug);
  const many = Array.from({ length: 500 }, (_, i) => `case-${i}`);
  const hostile = ["../../etc/passwd", "<script>alert(1)</script>", "%2e%2e%2f", "UPPER", "a/b"];
  const param = [a, a, "no-such-case", ...hostile, b, c].map(encodeURIComponent).join(",");
  await page.goto(at(`shortlist/?cases=${param}`));
  assert.deepEqual(await listedSlugs(page), [a, b, c]);
  const notice = await page.textContent(".reader-notice");
  assert.match(notice, /5 entries of the link are not a case address and were ignored/);
  assert.match(notice, /1 case was named more than once/);
  assert.match(notice, /no case “no-such-case”/);
  assert.equal(await page.locator(".shortlist-cases script, .reader-notice script").count(), 0);

  // 500 names: the first 100 are looked up, and the page says so.
  await page.goto(at(`shortlist/?cases=${[a, ...many].join(",")}`));
  assert.deepEqual(await listedSlugs(page), [a]);
  assert.match(await page.textContent(".reader-notice"), /names 501 cases; the first 100 are shown/);

  // Compare: too many, and too few.
  await page.goto(at(`compare/?cases=${cases.slice(0, 6).map((x) => x.slug).join(",")}`));
  await page.waitForSelector(".compare-table");
  assert.equal((await compareTable(page)).heads.length, 4);
  assert.match(await page.textContent(".reader-notice"), /names 6 cases; the first 4 are shown/);
  for (const query of ["", `?cases=${a}`, "?cases=<script>,../x", "?cases=zzz-none,yyy-none"]) {
    await page.goto(at(`compare/${query}`));
    await page.waitForSelector(".compare-empty");
    assert.match(await page.textContent(".compare-empty"), /needs 2 to 4/);
  }

  // A damaged entry: said, set aside, and saving works again.
  for (const damaged of ["{not json", JSON.stringify({ version: 1, cases: "x" }), JSON.stringify([1, 2])]) {
    await page.goto(at("shortlist/"));
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [STORAGE_KEY, damaged]);
    await page.reload();
    await page.waitForSelector(".shortlist-empty");
    assert.match(await page.textContent(".reader-notice"), /could not be read/);
    await page.goto(at(`cases/${a}/`));
    await page.locator(".save-case .save-button").click();
    assert.deepEqual(await stored(page), { version: 1, cases: [a] });
    await page.evaluate((k) => localStorage.removeItem(k), STORAGE_KEY);
  }
  assert.equal(dialogs, 0, "no script from the address ran");
  // The cases the site does not have answer 404, as they should; nothing else may fail.
  const missing = /\/cases\/(no-such-case|case-\d+|zzz-none|yyy-none)\/case\.json/;
  expectNone(
    problems.filter((p) => !missing.test(p)),
    "problems on bad input",
  );
  await context.close();
});

test("without storage the controls say so, and without JavaScript the pages say what they need", async () => {
  const { page, context, problems } = await newPage(browser);
  await context.addInitScript(() => {
    Object.defineProperty(window, "localStorage", {
      get() {
        throw new DOMException("storage is turned off", "SecurityError");
      },
    });
  });
  const slug = cases[0].slug;
  await page.goto(at(`cases/${slug}/`));
  const save = page.locator(".save-case .save-button");
  await save.waitFor();
  assert.ok(await save.isDisabled());
  assert.match(await page.textContent(".save-case .save-note"), /storage, which is turned off/);
  await page.goto(at("shortlist/"));
  await page.waitForSelector(".shortlist-empty");
  assert.match(await page.textContent(".reader-notice"), /keeps nothing for this site/);
  // A shared link still works.
  await page.goto(at(`shortlist/?cases=${slug}`));
  assert.deepEqual(await listedSlugs(page), [slug]);
  expectNone(problems, "problems without storage");
  await context.close();

  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  for (const path of ["shortlist/", "compare/?cases=a,b"]) {
    await plain.goto(at(path));
    const text = await plain.textContent("main");
    assert.match(text, /needs JavaScript/);
    assert.ok(await plain.locator(`main a[href$="cases/"]`).count(), `${path} links to the list of cases`);
  }
  await plain.goto(at(`cases/${slug}/`));
  assert.equal(await plain.locator(".save-case").isVisible(), false, "no dead Save button without JavaScript");
  await noScript.close();
});

test("axe-core and the Nu Html Checker find nothing on the shortlist and compare pages, at 1280 and 390 px", async (t) => {
  const three = cases.slice(0, 3).map((c) => c.slug);
  const pages = {
    shortlist: `shortlist/?cases=${three.join(",")}`,
    compare: `compare/?cases=${three.join(",")}`,
    "case with Save": `cases/${three[0]}/`,
    "empty shortlist": "shortlist/",
  };
  const failures = [];
  const scratch = await mkdtemp(join(tmpdir(), "casebook-reader-vnu-"));
  const files = [];
  try {
    for (const [size, viewport] of Object.entries(SIZES)) {
      const { page, context, problems, settle } = await newPage(browser, { viewport, mobile: size === "phone" });
      for (const [name, path] of Object.entries(pages)) {
        await page.goto(at(path));
        await page.waitForSelector(".shortlist-cases, .shortlist-empty, .compare-table, .save-case .save-button");
        await settle();
        // As shown, before axe adds its own script.
        const shown = `<!DOCTYPE html>\n${await page.evaluate(() => document.documentElement.outerHTML)}\n`;
        const { violations } = await axeReport(page);
        for (const v of violations) for (const n of v.nodes) failures.push(`${size} ${name}: ${v.impact} ${v.id}: ${v.help} at ${n.target}: ${n.html}`);
        // Nothing wider than the screen: a wide table scrolls in its own region.
        // (A phone widens its layout to fit what overflows: the viewport asked for is the measure.)
        const overflow = await page.evaluate((width) => document.documentElement.scrollWidth - width, viewport.width);
        assert.ok(overflow <= 0, `${size} ${name}: the page is ${overflow} px wider than the screen`);
        const file = join(scratch, `${name.replaceAll(" ", "-")}-${size}.html`);
        await writeFile(file, shown);
        files.push(file);
        await page.screenshot({ path: `${await artifacts()}reader-${name.replaceAll(" ", "-")}-${size}.png`, fullPage: true });
      }
      if (size === "phone") {
        await page.goto(at(pages.compare));
        await page.waitForSelector(".compare-scroll");
        const region = await page.$eval(".compare-scroll", (r) => ({ scrolls: r.scrollWidth > r.clientWidth, focusable: r.tabIndex === 0, name: r.getAttribute("aria-labelledby") }));
        assert.ok(region.scrolls && region.focusable && region.name, `the comparison scrolls in its own named, focusable region: ${JSON.stringify(region)}`);
        // The labels stay as the table scrolls, and leave room for a whole case's column.
        const columns = await page.$eval(".compare-table", (table) => {
          const [corner, firstCase] = [...table.querySelectorAll("thead th")].map((th) => th.getBoundingClientRect());
          const scroll = table.closest(".compare-scroll");
          const label = () => table.querySelector("tbody th").getBoundingClientRect().left;
          const before = label();
          scroll.scrollLeft = 200;
          const after = label();
          scroll.scrollLeft = 0;
          return { label: corner.width, caseRight: firstCase.right, edge: scroll.getBoundingClientRect().right, moved: after - before };
        });
        assert.ok(columns.label <= 150, `the labels' column is narrow on a phone: ${JSON.stringify(columns)}`);
        assert.ok(columns.caseRight <= columns.edge, `the first case's column is whole on screen: ${JSON.stringify(columns)}`);
        assert.equal(columns.moved, 0, "the labels stay in place as the table scrolls");
      }
      expectNone(problems, `problems at ${size}`);
      await context.close();
    }
    const messages = await vnu(files);
    const errors = messages.filter((m) => m.type === "error" || m.type === "non-document-error").map((m) => `${m.url?.split("/").at(-1)}:${m.lastLine}: ${m.message}`);
    t.diagnostic(`vnu: ${files.length} pages as shown, ${errors.length} errors`);
    assert.deepEqual(errors, [], "the Nu Html Checker found errors");
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  assert.deepEqual(failures, [], "axe found violations");
});

test("case pages, the shortlist and the compare page print cleanly", async () => {
  const { page, context, problems, settle } = await newPage(browser, { viewport: { width: 800, height: 1000 } });
  const three = cases.slice(0, 3).map((c) => c.slug);
  const withSource = cases.find((c) => c.sources?.some((s) => s.url));
  const pages = { case: `cases/${withSource.slug}/`, shortlist: `shortlist/?cases=${three.join(",")}`, compare: `compare/?cases=${three.join(",")}` };
  await page.emulateMedia({ media: "print" });
  for (const [name, path] of Object.entries(pages)) {
    await page.goto(at(path));
    await page.waitForSelector(name === "case" ? "main" : ".shortlist-cases, .compare-table");
    await settle();
    const look = await page.evaluate(() => {
      const shown = (s) => [...document.querySelectorAll(s)].some((n) => n.getClientRects().length > 0);
      const printedUrls = [...document.querySelectorAll("main a[href^='http']")]
        .map((a) => getComputedStyle(a, "::after").content)
        .filter((c) => c.includes("http")).length;
      const clipped = [...document.querySelectorAll("main table, main .compare-scroll")].filter((t) => t.scrollWidth > t.clientWidth + 1).length;
      return {
        nav: shown(".site-nav, .skip-link, .breadcrumb"),
        controls: shown("main button, .shortlist-actions, .save-case"),
        printedUrls,
        clipped,
      };
    });
    assert.equal(look.nav, false, `${name}: no navigation in print`);
    assert.equal(look.controls, false, `${name}: no buttons in print`);
    assert.ok(look.printedUrls > 0, `${name}: links print their address`);
    assert.equal(look.clipped, 0, `${name}: no clipped table`);
    await page.pdf({ path: `${await artifacts()}reader-${name}.pdf`, format: "A4" });
  }
  expectNone(problems, "problems while printing");
  await context.close();
});
