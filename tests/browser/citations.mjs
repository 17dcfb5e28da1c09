// Reads casebook's citation files with Citation.js (its BibTeX, RIS and CSL parsers, and
// citeproc-js with the APA style), for tests/cite.rs.
//
// Usage: node tests/browser/citations.mjs CITE.bib CITE.ris CITE.json
// Prints {"bibtex": [CSL items], "ris": [CSL items], "apa": "…"}: what each parser read, and
// the APA reference citeproc renders from the CSL-JSON.
import { readFile } from "node:fs/promises";
import { Cite, plugins } from "@citation-js/core";
import "@citation-js/plugin-bibtex";
import "@citation-js/plugin-ris";
import "@citation-js/plugin-csl";

const [bib, ris, json] = process.argv.slice(2);
const read = (file) => readFile(file, "utf8");
const strict = { forceType: undefined, strict: true };
const fromBibtex = await Cite.async(await read(bib), { ...strict, forceType: "@bibtex/text" });
const fromRis = await Cite.async(await read(ris), { ...strict, forceType: "@ris/file" });
const fromCsl = await Cite.async(JSON.parse(await read(json)));
console.log(JSON.stringify({
  bibtex: fromBibtex.data,
  ris: fromRis.data,
  apa: fromCsl.format("bibliography", { format: "text", template: "apa", lang: "en-US" }).trim(),
}));
void plugins;
