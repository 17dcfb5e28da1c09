// The CSV the browser makes of a built site's cases.json, with the site's own
// casebook-records.js (what the search page's and the shortlist's downloads use), printed as
// JSON: { "csv": "…" }. tests/reader.rs compares it with the cases.csv the build wrote.
//
//   node tests/browser/records_csv.mjs path/to/output

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [dir] = process.argv.slice(2);
const { toCsv } = await import(pathToFileURL(join(dir, "casebook-records.js")).href);
const records = JSON.parse(await readFile(join(dir, "cases.json"), "utf8"));
process.stdout.write(JSON.stringify({ csv: toCsv(records) }));
