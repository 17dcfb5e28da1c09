// The search export's binary format, as the runtime reads it: the reading half of
// src/index/export.rs, whose doc comment describes the layout. One version number, checked
// against the Rust constant by a test.

/** The export format this runtime reads (`meta.json`'s `version`). */
export const VERSION = 3;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The bytes of a gzip-compressed `.bin` file of the export. */
export async function inflate(response) {
  const packed = new Blob([await response.arrayBuffer()]).stream();
  return new Response(packed.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
}

/** Compares two strings as UTF-8 bytes, the order of the export's terms. */
export function compareBytes(a, b) {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** One LEB128 varint at `at.i`, moving `at.i` past it. */
export function readVarint(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at.i++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return value;
    shift += 7;
  }
}

/** `n` varints from `at`: as deltas from 0 (doc numbers) or as they are (scores). */
export function readVarints(bytes, at, n, deltas) {
  const out = new Uint32Array(n);
  let i = at.i;
  let previous = 0;
  for (let k = 0; k < n; k++) {
    let value = bytes[i++];
    if (value >= 0x80) {
      value &= 0x7f;
      let shift = 7;
      let byte;
      do {
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

/** A term shard: term → { docs, scores }, docs ascending, scores in integer units. */
export function parseShard(buffer) {
  const bytes = new Uint8Array(buffer);
  const terms = new Map();
  const at = { i: 0 };
  while (at.i < bytes.length) {
    const length = readVarint(bytes, at);
    const term = decoder.decode(bytes.subarray(at.i, at.i + length));
    at.i += length;
    const n = readVarint(bytes, at);
    const docs = readVarints(bytes, at, n, true);
    const scores = readVarints(bytes, at, n, false);
    terms.set(term, { docs, scores });
  }
  return terms;
}

/**
 * `facets.bin`, for a site of `total` cases with facets `keys`: per facet, its label, its
 * values ({ name, slug, count }: count is every case having it), each value's cases
 * (`members`), and each case's values (`starts`/`perDoc`: case d has
 * perDoc[starts[d] .. starts[d + 1]]).
 */
export function parseFacets(buffer, keys, total) {
  const bytes = new Uint8Array(buffer);
  const at = { i: 0 };
  const namesLength = readVarint(bytes, at);
  const names = JSON.parse(decoder.decode(bytes.subarray(at.i, at.i + namesLength)));
  at.i += namesLength;
  const facets = {};
  for (const key of keys) {
    const members = names[key].values.map(() => readVarints(bytes, at, readVarint(bytes, at), true));
    const values = names[key].values.map((entry, v) => {
      const [name, slug] = typeof entry === "string" ? [entry, entry.toLowerCase().replaceAll(" ", "-")] : entry;
      return { name, slug, count: members[v].length };
    });
    const starts = new Uint32Array(total + 1);
    for (const docs of members) for (const d of docs) starts[d + 1]++;
    for (let d = 0; d < total; d++) starts[d + 1] += starts[d];
    const filled = starts.slice(0, total);
    const perDoc = new Uint32Array(starts[total]);
    members.forEach((docs, v) => {
      for (const d of docs) perDoc[filled[d]++] = v;
    });
    facets[key] = { label: names[key].label, values, members, starts, perDoc };
  }
  return facets;
}
