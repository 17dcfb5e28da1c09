// "Download these N cases" on the search page, in headless Chromium: for each state of
// CASEBOOK_EXPECTED ([{ url, slugs, partial }], every case `casebook search --json` finds
// there, in order), the CSV holds exactly those cases in that order, each row the row of
// cases.csv, and the JSON their records of cases.json. Run by tests/reader.rs (the example:
// each case's case.json) and tests/browser_search.rs (IPS-X: cases.json, fetched once):
//
//   CASEBOOK_SITE_URL=http://127.0.0.1:PORT/kb/ CASEBOOK_SITE_DIR=path/to/output \
//   CASEBOOK_EXPECTED=answers.json node --test tests/browser/downloads.test.mjs

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { SITE, SITE_DIR, casesJson, expectNone, launch, newPage } from "./site.mjs";

const EXPECTED = JSON.parse(await readFile(process.env.CASEBOOK_EXPECTED, "utf8"));

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** RFC 4180 CSV as rows of fields. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[i++];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      rows.push([...row, field]);
      row = [];
      field = "";
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

async function downloaded(page, format) {
  const button = page.locator(".search-download button", { hasText: format });
  const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
  return readFile(await download.path(), "utf8");
}

test("every match of a search downloads as CSV and JSON, as casebook search finds them", async (t) => {
  const { page, context, problems, settle } = await newPage(browser);
  const siteCsv = parseCsv(await readFile(join(SITE_DIR, "cases.csv"), "utf8"));
  const rowOf = new Map(siteCsv.slice(1).map((r) => [r[0], r]));
  const records = new Map((await casesJson()).map((c) => [c.slug, c]));
  const requests = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  for (const { url, slugs, partial } of EXPECTED) {
    await page.goto(new URL(url, SITE).href);
    await page.waitForSelector(".search-download:not([hidden])");
    const label = await page.textContent(".search-download-label");
    assert.equal(label, `Download these ${slugs.length} ${slugs.length === 1 ? "case" : "cases"}:`, url);
    if (partial) assert.match(await page.textContent("#search-status"), /No case has (all|both)/, `${url} shows partial matches`);
    requests.length = 0;
    const csv = parseCsv(await downloaded(page, "CSV"));
    assert.deepEqual(csv[0], siteCsv[0], `${url}: the columns of cases.csv`);
    assert.deepEqual(csv.slice(1).map((r) => r[0]), slugs, `${url}: every match, in order`);
    for (const row of csv.slice(1)) assert.deepEqual(row, rowOf.get(row[0]), `${url}: the row of ${row[0]} is that of cases.csv`);
    const json = JSON.parse(await downloaded(page, "JSON"));
    assert.deepEqual(json, slugs.map((s) => records.get(s)), `${url}: the records of cases.json`);
    const whole = requests.filter((p) => p.endsWith("/cases.json")).length;
    const single = requests.filter((p) => p.endsWith("/case.json")).length;
    t.diagnostic(`${url}: ${slugs.length} cases, from ${whole ? "cases.json" : `${single} case.json files`}`);
    assert.ok(slugs.length > 50 ? whole <= 1 && single === 0 : whole === 0, `${url}: the records' source follows the rule`);
  }
  await settle();
  expectNone(problems, "problems while downloading");
  await context.close();
});

test("nothing is offered for download when nothing matches", async () => {
  const { page, context, problems, settle } = await newPage(browser);
  await page.goto(new URL("search/?q=xqzjvwk", SITE).href);
  await page.waitForFunction(() => /No cases match/.test(document.getElementById("search-status").textContent));
  // The row is hidden by its attribute, which its class's display once overrode.
  assert.equal(await page.locator(".search-download").isVisible(), false, "no “Download these 0 cases”");
  assert.equal(await page.locator(".search-download button").first().isVisible(), false);
  await settle();
  expectNone(problems, "problems");
  await context.close();
});
