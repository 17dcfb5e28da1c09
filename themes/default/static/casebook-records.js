// casebook's open data in the browser: the records of `cases.json` and of each case's
// `cases/<slug>/case.json`, and the spreadsheet (CSV) and JSON files made of them, for the
// search page's downloads and the shortlist. Plain ES module, no build step; it works in Node
// too, where the tests compare its CSV with the `cases.csv` the build wrote.
//
// The columns and the text of each cell are those of src/render/data.rs: a record's keys come
// in column order, so the header is read from the records, never written down twice.

/** The site's root: this file sits there. */
export const SITE_ROOT = new URL("./", import.meta.url);

/** Which cases a download takes one by one, from `cases/<slug>/case.json`; more: `cases.json`. */
export const ONE_BY_ONE = 50;

/**
 * Whether `text` can be a case's slug (lowercase ASCII letters, digits and hyphens, at most
 * 80, as src/content/facet.rs makes them): what a shared link or a storage entry holds is
 * checked against this before it becomes part of an address.
 */
export function looksLikeSlug(text) {
  return typeof text === "string" && /^[a-z0-9][a-z0-9-]{0,79}$/.test(text);
}

/** A case's page, absolute. */
export function caseUrl(slug) {
  return new URL(`cases/${slug}/`, SITE_ROOT).href;
}

/**
 * Case `slug`'s record, or null when the site has no such case. An old slug that a case's
 * `aliases` redirect gives that case's record, whose `slug` is the one to keep.
 */
export async function fetchRecord(slug, fetchImpl = fetch) {
  if (!looksLikeSlug(slug)) return null;
  const response = await fetchImpl(new URL(`cases/${slug}/case.json`, SITE_ROOT).href);
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`cannot load the case ${slug} (${response.status})`);
  return response.json();
}

/**
 * The records of `slugs`, fetched a few at a time: { found: [{ asked, record }] in the order
 * asked, missing: [slug] } (a network failure throws).
 */
export async function fetchRecords(slugs, fetchImpl = fetch) {
  const records = new Array(slugs.length);
  let next = 0;
  const worker = async () => {
    while (next < slugs.length) {
      const at = next++;
      records[at] = await fetchRecord(slugs[at], fetchImpl);
    }
  };
  await Promise.all(Array.from({ length: Math.min(6, slugs.length) }, worker));
  const found = [];
  const missing = [];
  slugs.forEach((asked, i) => (records[i] ? found.push({ asked, record: records[i] }) : missing.push(asked)));
  return { found, missing };
}

let everyRecord = null;

/** Every case's record, from `cases.json`, fetched once; in case number (slug) order. */
export function allRecords(fetchImpl = fetch) {
  everyRecord ??= fetchImpl(new URL("cases.json", SITE_ROOT).href).then((response) => {
    if (!response.ok) throw new Error(`cannot load cases.json (${response.status})`);
    return response.json();
  });
  everyRecord.catch(() => (everyRecord = null));
  return everyRecord;
}

// Spreadsheets run a cell that starts with one of these as a formula…
const FORMULA = new Set(["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"]);
// … whatever spaces and invisible characters come before.
const INVISIBLE = /^[ \u00a0\u00ad\u180e\u3000\ufeff\u2000-\u200f\u2028-\u202f\u205f-\u2064]*/u;

/**
 * A cell made safe to open in a spreadsheet: a leading `'` makes a would-be formula text. The
 * same rule as `guard_formula` in src/render/data.rs; tests/records.rs holds them equal.
 */
export function guardFormula(cell) {
  const rest = cell.slice(cell.match(INVISIBLE)[0].length);
  return rest && FORMULA.has(String.fromCodePoint(rest.codePointAt(0))) ? `'${cell}` : cell;
}

/** A record's value as the text of its cell: lists joined with `; `, each item guarded. */
function cellText(value) {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map((item) => guardFormula(itemText(item))).join("; ");
  return String(value);
}

/** A list item: a source as `title <url>`, anything else as its text. */
function itemText(item) {
  if (item === null || typeof item !== "object") return String(item);
  const { title, url } = item;
  if (url && url !== title) return `${title} <${url}>`;
  return url ? `<${url}>` : title;
}

/** A field as CSV writes it: quoted when it holds a comma, a quote or a line break. */
function csvField(text) {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `records` as CSV, with the columns and cells of `cases.csv`. */
export function toCsv(records) {
  if (!records.length) return "";
  const columns = Object.keys(records[0]);
  const lines = [columns.map(csvField).join(",")];
  for (const record of records) lines.push(columns.map((c) => csvField(guardFormula(cellText(record[c])))).join(","));
  return lines.join("\n") + "\n";
}

/** `records` as JSON, as `cases.json` writes them. */
export function toJson(records) {
  return JSON.stringify(records, null, 2) + "\n";
}

/** Hands `text` to the reader as a file called `name`. */
export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
