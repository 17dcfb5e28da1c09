// Writes data/countries.json, the one table of country names casebook knows: ISO 3166-1
// alpha-2 codes with English names and aliases from the npm package i18n-iso-countries
// (MIT licence, https://github.com/michaelwittig/node-i18n-iso-countries), with a shorter
// display name where the package's first name is a formal one, and a few aliases people
// write in case studies. Run only when the table is to be updated:
//
//   (cd data && npm install --no-save i18n-iso-countries@7.14.0 && node update-countries.mjs)
//
// The binary embeds the JSON it writes; a build never needs npm.
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const english = require("i18n-iso-countries/langs/en.json").countries;
const version = require("i18n-iso-countries/package.json").version;

// Display names: the common short form where the package leads with a formal one.
const DISPLAY = {
  BO: "Bolivia",
  CZ: "Czechia",
  FM: "Micronesia",
  IR: "Iran",
  KR: "South Korea",
  LA: "Laos",
  MD: "Moldova",
  MK: "North Macedonia",
  PS: "Palestine",
  RU: "Russia",
  SY: "Syria",
  TW: "Taiwan",
  TZ: "Tanzania",
  US: "United States",
  VA: "Vatican City",
  VE: "Venezuela",
};
// Names case studies use that the package lacks.
const MORE = {
  GB: ["Britain", "England", "Scotland", "Wales", "Northern Ireland", "U.K."],
  US: ["United States of America", "America"],
  NL: ["Holland"],
  CZ: ["Czechia"],
  CD: ["DR Congo", "Democratic Republic of the Congo"],
  CG: ["Republic of the Congo"],
  VA: ["Vatican", "Holy See"],
  KP: ["Democratic People's Republic of Korea"],
};

const table = Object.entries(english)
  .map(([code, names]) => {
    const all = [].concat(names);
    const name = DISPLAY[code] ?? all[0];
    const aliases = [...new Set([...all, ...(MORE[code] ?? [])])].filter((a) => a !== name);
    return { code, name, aliases };
  })
  .sort((a, b) => a.code.localeCompare(b.code));

await writeFile(new URL("./countries.json", import.meta.url), JSON.stringify(table, null, 0).replaceAll("},{", "},\n{") + "\n");
const readme = await readFile(new URL("./README.md", import.meta.url), "utf8").catch(() => "");
console.log(`wrote ${table.length} countries from i18n-iso-countries ${version}${readme ? "" : " (data/README.md is missing)"}`);
