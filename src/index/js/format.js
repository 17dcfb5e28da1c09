// The search export's binary format, as the runtime reads it: the reading half of
// src/index/export.rs, whose doc comment describes the layout. One version number, checked
// against the Rust constant by a test.

/** The export format this runtime reads (`meta.json`'s `version`). */
export const VERSION = 5;

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
  const facets = {};
  for (const key of keys) {
    const members = names[key].values.map(() => readVarints(bytes, at, readVarint(bytes, at), true));
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
  readYears(bytes, at, total);
  const pairs = readVarints(bytes, at, 2 * total, false);
  const dates = new Uint32Array(total);
  const titles = new Uint32Array(total);
  const byTitle = new Uint32Array(total).fill(total);
  for (let d = 0; d < total; d++) {
    dates[d] = pairs[2 * d];
    titles[d] = pairs[2 * d + 1];
    if (dates[d] > total || titles[d] >= total || byTitle[titles[d]] !== total) {
      throw new DamagedExport("a sort key out of range");
    }
    byTitle[titles[d]] = d;
  }
  return { dates, titles, byTitle };
}
