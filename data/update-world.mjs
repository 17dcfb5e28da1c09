// Writes data/world.json, the world map casebook draws: Natural Earth country shapes (public
// domain, https://www.naturalearthdata.com/) as packaged by the npm package world-atlas
// (ISC licence, https://github.com/topojson/world-atlas), projected once with Equal Earth
// (equal-area, so shaded areas are honest) to a 1000-wide SVG coordinate space with integer,
// relative path commands. Countries are 1:110m shapes; a country of data/countries.json too
// small for 1:110m gets a marker at the centroid of its 1:50m shape, and one in neither file
// is listed in `unplaced`. Antarctica is left out of the map (countries and outline alike).
// Run only when the map is to be updated:
//
//   (cd data && npm install --no-save world-atlas@2.0.2 topojson-client@3.1.0 d3-geo@3.1.2 i18n-iso-countries@7.14.0 && node update-world.mjs)
//
// The binary embeds the JSON it writes; a build never needs npm.
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { geoCentroid, geoEqualEarth, geoPath } from "d3-geo";
import { feature, merge } from "topojson-client";

const require = createRequire(import.meta.url);
const iso = require("i18n-iso-countries");
const version = require("world-atlas/package.json").version;
const small = require("world-atlas/countries-110m.json");
const medium = require("world-atlas/countries-50m.json");
const known = new Set(JSON.parse(await readFile(new URL("./countries.json", import.meta.url), "utf8")).map((c) => c.code));

const WIDTH = 1000;
const LEFT_OUT = new Set(["AQ"]); // Antarctica: rare in cases, and a wide band at the bottom.
// Features with no ISO numeric id, by Natural Earth name; used only where countries.json has the code.
const BY_NAME = { Kosovo: "XK" };

const codeOf = (g) => {
  const code = g.id ? iso.numericToAlpha2(g.id) : BY_NAME[g.properties?.name];
  return code && known.has(code) ? code : undefined;
};

const projection = geoEqualEarth().fitWidth(WIDTH, { type: "Sphere" });
const [[, y0], [, y1]] = geoPath(projection).bounds({ type: "Sphere" });
const height = Math.ceil(y1 - y0);

// An SVG path `d` with integer points: an absolute M for each ring, then relative l steps;
// repeated points after rounding are dropped, and so are rings of fewer than 3 points.
function relative(object) {
  let out = "";
  let ring = [];
  const num = (n, first) => (first || n < 0 ? `${n}` : ` ${n}`);
  const flush = () => {
    if (ring.length > 1 && ring[0][0] === ring.at(-1)[0] && ring[0][1] === ring.at(-1)[1]) ring.pop();
    if (ring.length >= 3) {
      out += "M" + num(ring[0][0], true) + num(ring[0][1]) + "l";
      for (let i = 1; i < ring.length; i++) {
        out += num(ring[i][0] - ring[i - 1][0], i === 1) + num(ring[i][1] - ring[i - 1][1]);
      }
      out += "z";
    }
    ring = [];
  };
  const point = (x, y) => {
    const p = [Math.round(x), Math.round(y - y0)];
    const last = ring.at(-1);
    if (!last || last[0] !== p[0] || last[1] !== p[1]) ring.push(p);
  };
  geoPath(projection, {
    moveTo(x, y) { flush(); point(x, y); },
    lineTo: point,
    closePath: flush,
    arc() { throw new Error("no arcs expected (points are not drawn)"); },
  })(object);
  flush();
  return out;
}

const smallGeometries = small.objects.countries.geometries.filter((g) => !LEFT_OUT.has(codeOf(g)));
const countries = [];
const shaped = new Set();
const uncoded = [];
for (const g of smallGeometries) {
  const code = codeOf(g);
  if (!code) {
    uncoded.push(g); // N. Cyprus, Somaliland: drawn, never shaded
    continue;
  }
  if (shaped.has(code)) throw new Error(`two 1:110m shapes for ${code}`);
  const d = relative(feature(small, g));
  if (!d) continue;
  shaped.add(code);
  countries.push({ code, d });
}
countries.sort((a, b) => a.code.localeCompare(b.code));

const outline = relative(merge(small, smallGeometries));
const others = relative(merge(small, uncoded));
const sphere = relative({ type: "Sphere" });

// Markers: 1:50m centroid for each known code without a 1:110m shape.
const mediumByCode = new Map();
for (const g of medium.objects.countries.geometries) {
  const code = codeOf(g);
  if (code) mediumByCode.set(code, [...(mediumByCode.get(code) ?? []), g]);
}
const markers = [];
const unplaced = [];
for (const code of [...known].sort()) {
  if (shaped.has(code) || LEFT_OUT.has(code)) continue;
  const gs = mediumByCode.get(code);
  if (!gs) { unplaced.push(code); continue; }
  const c = geoCentroid(feature(medium, { type: "GeometryCollection", geometries: gs }));
  const [x, y] = projection(c);
  markers.push({ code, x: Math.round(x), y: Math.round(y - y0) });
}

const head = {
  source: `Natural Earth 1:110m (markers from 1:50m) via npm world-atlas ${version}`,
  projection: "Equal Earth",
  width: WIDTH,
  height,
  sphere,
  outline,
  others,
};
const list = (items) => "[\n" + items.map((i) => JSON.stringify(i)).join(",\n") + "\n]";
const text = JSON.stringify(head).slice(0, -1) +
  `,\n"countries":${list(countries)},\n"markers":${list(markers)},\n"unplaced":${JSON.stringify(unplaced)}}\n`;
JSON.parse(text);
await writeFile(new URL("./world.json", import.meta.url), text);
console.log(`wrote world.json: ${countries.length} countries, ${markers.length} markers, ${unplaced.length} unplaced ` +
  `(${unplaced.join(" ")}), ${WIDTH}x${height}, ${(Buffer.byteLength(text) / 1024).toFixed(1)} KB ` +
  `(outline ${(outline.length / 1024).toFixed(1)} KB, sphere ${sphere.length} B)`);
