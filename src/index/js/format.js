// The search export's binary format, as the runtime reads it: the reading half of
// src/index/export.rs, whose doc comment describes the layout. One version number, checked
// against the Rust constant by a test.

/** The export format this runtime reads (`meta.json`'s `version`). */
export const VERSION = 8;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The bytes of a gzip-compressed `.bin` file of the export. */
export async function inflate(response) {
  const packed = new Blob([await response.arrayBuffer()]).stream();
  try {
    return await new Response(packed.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  } catch {
    throw new DamagedExport(`${response.url || "a file"} is not gzip`);
  }
}

/** Compares two strings as UTF-8 bytes, the order of the export's terms. */
export function compareBytes(a, b) {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** Why a file of the export cannot be read: it is damaged or cut short. */
export class DamagedExport extends Error {
  constructor(what) {
    super(`casebook search: the search index is damaged (${what}); rebuilding the site should mend it`);
    this.name = "DamagedExport";
  }
}

/** One LEB128 varint at `at.i`, moving `at.i` past it; refuses one past the end or 53 bits. */
export function readVarint(bytes, at) {
  let value = 0;
  for (let shift = 0; shift < 53; shift += 7) {
    if (at.i >= bytes.length) throw new DamagedExport("a number runs past the end");
    const byte = bytes[at.i++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return value;
  }
  throw new DamagedExport("a number is too long");
}

/** `n` varints from `at`: as deltas from 0 (doc numbers) or as they are (scores). */
export function readVarints(bytes, at, n, deltas) {
  // Each takes a byte at least: a count beyond what is left is damage, not a request to fill.
  if (n > bytes.length - at.i) throw new DamagedExport("a list is longer than its file");
  const out = new Uint32Array(n);
  let i = at.i;
  let previous = 0;
  for (let k = 0; k < n; k++) {
    if (i >= bytes.length) throw new DamagedExport("a list runs past the end");
    let value = bytes[i++];
    if (value >= 0x80) {
      value &= 0x7f;
      let shift = 7;
      let byte;
      do {
        if (i >= bytes.length || shift > 28) throw new DamagedExport("a number runs past the end");
        byte = bytes[i++];
        value += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte >= 0x80);
    }
    out[k] = deltas ? (previous += value) : value;
  }
  at.i = i;
  return out;
}

/** `n` bytes from `at` as text. */
function readText(bytes, at, n) {
  if (n > bytes.length - at.i) throw new DamagedExport("a word runs past the end");
  const text = decoder.decode(bytes.subarray(at.i, at.i + n));
  at.i += n;
  return text;
}

/** A term shard: term → { docs, scores }, docs ascending, scores in integer units. */
export function parseShard(buffer) {
  const bytes = new Uint8Array(buffer);
  const terms = new Map();
  const at = { i: 0 };
  while (at.i < bytes.length) {
    const term = readText(bytes, at, readVarint(bytes, at));
    const n = readVarint(bytes, at);
    const docs = readVarints(bytes, at, n, true);
    const scores = readVarints(bytes, at, n, false);
    terms.set(term, { docs, scores });
  }
  return terms;
}

/**
 * A dictionary shard (src/index/dictionary.rs describes the encoding): its entries in order,
 * [{ word, term, cases }].
 */
export function parseWords(buffer) {
  const bytes = new Uint8Array(buffer);
  const entries = [];
  const at = { i: 0 };
  let previous = new Uint8Array(0);
  while (at.i < bytes.length) {
    const word = readShared(bytes, at, previous);
    const term = readShared(bytes, at, word);
    const cases = readVarint(bytes, at);
    entries.push({ word: decoder.decode(word), term: decoder.decode(term), cases });
    previous = word;
  }
  return entries;
}

/** `varint(shared) varint(n) n×byte`: the first `shared` bytes of `from`, then `n` bytes read. */
function readShared(bytes, at, from) {
  const shared = readVarint(bytes, at);
  const n = readVarint(bytes, at);
  if (shared > from.length || n > bytes.length - at.i) throw new DamagedExport("a word runs past the end");
  const out = new Uint8Array(shared + n);
  out.set(from.subarray(0, shared));
  out.set(bytes.subarray(at.i, at.i + n), shared);
  at.i += n;
  return out;
}

/**
 * `facets.bin`, for a site of `total` cases with facets `keys`: { facets, years }. Per facet,
 * its label, its values ({ name, slug, count }: count is every case having it), each value's
 * cases (`members`), and each case's values (`starts`/`perDoc`: case d has
 * perDoc[starts[d] .. starts[d + 1]]); `years`, each case's year of record (0: none).
 */
export function parseFacets(buffer, keys, total) {
  const bytes = new Uint8Array(buffer);
  const at = { i: 0 };
  let names;
  try {
    names = JSON.parse(readText(bytes, at, readVarint(bytes, at)));
  } catch (error) {
    throw error instanceof DamagedExport ? error : new DamagedExport("the facet names do not read");
  }
  for (const key of keys) if (!names[key] || !Array.isArray(names[key].values)) throw new DamagedExport(`no ${key} values`);
  const read = {};
  for (const key of keys) read[key] = readMembers(bytes, at, names[key].values.length, total);
  if (read.country && read.region && names.country.fromRegion) {
    read.country = withCountriesOfRegions(read.country, read.region, names.country.fromRegion, total);
  }
  const facets = {};
  for (const key of keys) {
    const members = read[key];
    const values = names[key].values.map((entry, v) => {
      const [name, slug] = typeof entry === "string" ? [entry, entry.toLowerCase().replaceAll(" ", "-")] : entry;
      return { name, slug, count: members[v].length };
    });
    const starts = new Uint32Array(total + 1);
    for (const docs of members) for (const d of docs) {
      if (d >= total) throw new DamagedExport("a case number out of range");
      starts[d + 1]++;
    }
    for (let d = 0; d < total; d++) starts[d + 1] += starts[d];
    const filled = starts.slice(0, total);
    const perDoc = new Uint32Array(starts[total]);
    members.forEach((docs, v) => {
      for (const d of docs) perDoc[filled[d]++] = v;
    });
    facets[key] = { label: names[key].label, values, members, starts, perDoc };
  }
  return { facets, years: readYears(bytes, at, total) };
}

/**
 * One facet's cases, per value ascending, from any layout of src/index/export.rs: by value
 * (`0`, then each value's case deltas), by case (`1`, then each case's value indexes) or one
 * value a case (`2`, then each case's value index + 1, 0 for none).
 */
function readMembers(bytes, at, values, total) {
  const layout = readVarint(bytes, at);
  if (layout === 0) return Array.from({ length: values }, () => readVarints(bytes, at, readVarint(bytes, at), true));
  if (layout !== 1 && layout !== 2) throw new DamagedExport("a facet's layout is unknown");
  const lists = Array.from({ length: values }, () => []);
  const add = (d, v) => {
    if (v >= values) throw new DamagedExport("a value number out of range");
    lists[v].push(d);
  };
  if (layout === 2) {
    const each = readVarints(bytes, at, total, false);
    for (let d = 0; d < total; d++) if (each[d]) add(d, each[d] - 1);
  } else {
    for (let d = 0; d < total; d++) for (const v of readVarints(bytes, at, readVarint(bytes, at), false)) add(d, v);
  }
  return lists.map((docs) => Uint32Array.from(docs));
}

/**
 * The country facet's cases: those `listed` under a country, and each case listed under
 * none has the countries its regions name (`fromRegion`: per region value, the index of
 * the country it names, or null), as src/index/export.rs describes.
 */
function withCountriesOfRegions(listed, regions, fromRegion, total) {
  if (!Array.isArray(fromRegion) || fromRegion.length !== regions.length) throw new DamagedExport("the countries of regions do not read");
  const hasCountry = new Uint8Array(total);
  for (const docs of listed) for (const d of docs) if (d < total) hasCountry[d] = 1;
  const added = listed.map(() => []);
  fromRegion.forEach((country, r) => {
    if (country === null) return;
    if (!Number.isInteger(country) || country < 0 || country >= listed.length) throw new DamagedExport("a region names no country value");
    for (const d of regions[r]) if (d < total && !hasCountry[d]) added[country].push(d);
  });
  return listed.map((docs, c) => {
    if (!added[c].length) return docs;
    const all = Uint32Array.from(new Set([...docs, ...added[c]]));
    return all.sort();
  });
}

/**
 * Each case's year of record, as src/index/sorting.rs encodes them: `varint(first)` then per
 * case `varint(year − first + 1)`, 0 for none.
 */
function readYears(bytes, at, total) {
  const first = readVarint(bytes, at);
  const offsets = readVarints(bytes, at, total, false);
  const years = new Uint16Array(total);
  for (let d = 0; d < total; d++) {
    if (!offsets[d]) continue;
    const year = first + offsets[d] - 1;
    if (year > 9999) throw new DamagedExport("a year out of range");
    years[d] = year;
  }
  return years;
}

/**
 * `sorts.bin`, for a site of `total` cases (src/index/sorting.rs describes it): { dates,
 * titles }, per case its date's rank among the distinct dates (1 the earliest, 0 undated) and
 * its place in title order; `byTitle`, the case at each place.
 */
export function parseSorts(buffer, total) {
  const bytes = new Uint8Array(buffer);
  const at = { i: 0 };
  const dates = readVarints(bytes, at, total, false);
  const deltas = readVarints(bytes, at, total, false);
  const titles = new Uint32Array(total);
  const byTitle = new Uint32Array(total).fill(total);
  for (let d = 0; d < total; d++) {
    // zigzag: even numbers are the differences ≥ 0, odd ones those below 0.
    const delta = deltas[d];
    const place = d + (delta % 2 ? -(delta + 1) / 2 : delta / 2);
    if (dates[d] > total || !(place >= 0 && place < total) || byTitle[place] !== total) {
      throw new DamagedExport("a sort key out of range");
    }
    titles[d] = place;
    byTitle[place] = d;
  }
  return { dates, titles, byTitle };
}
