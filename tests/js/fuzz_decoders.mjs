// Fuzzes the search runtime's decoders on a built site's real binary files: seeded cuts and
// mutations of each file's payload (gzip again around it, as a damaged upload would be) and of
// its gzip bytes, each read as the runtime reads it (`inflate`, then the file's parser). Each
// must resolve, or reject with a DamagedExport, within a second: a decoder reading past its
// buffer could loop forever and freeze a visitor's tab.
//
// Usage: node tests/js/fuzz_decoders.mjs SITE_DIR [mutations per file = 60]
// Prints a summary line; exits 1 naming the first case that hung or threw anything else.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { gunzipSync, gzipSync } from "node:zlib";
// The benchmarks' seeded generator, so a failure can be run again.
import { random } from "../../benches/known_items.mjs";

const PATIENCE_MS = 1000; // per case

if (isMainThread) {
  const [site, perFile = "60"] = process.argv.slice(2);
  if (!site) {
    console.error("usage: node tests/js/fuzz_decoders.mjs SITE_DIR [mutations per file]");
    process.exit(2);
  }
  const worker = new Worker(new URL(import.meta.url), { workerData: { site: path.resolve(site), perFile: Number(perFile) } });
  let watchdog = null;
  worker.on("message", (message) => {
    clearTimeout(watchdog);
    if (message.kind === "start") {
      watchdog = setTimeout(() => {
        console.error(`hung for over ${PATIENCE_MS} ms: ${message.label}`);
        worker.terminate().then(() => process.exit(1));
      }, PATIENCE_MS);
    } else if (message.kind === "summary") {
      console.log(message.text);
      if (message.failure) {
        console.error(message.failure);
        process.exitCode = 1;
      }
    }
  });
  worker.on("error", (error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  await fuzz(workerData);
}

/** `count` damaged copies of a gzip file: [{ how, bytes }] (the bytes as fetched). */
function damaged(packed, count, next) {
  const payload = gunzipSync(packed);
  const pick = (n) => Math.floor(next() * n);
  const out = [];
  for (let k = 0; k < count; k++) {
    const kind = k % 6;
    let bytes;
    let how;
    if (kind === 0 || kind === 1) {
      const at = pick(payload.length);
      bytes = payload.subarray(0, at);
      how = `payload cut to ${at} of ${payload.length} bytes`;
    } else if (kind === 2) {
      bytes = Buffer.from(payload);
      const flips = 1 + pick(4);
      for (let f = 0; f < flips; f++) bytes[pick(bytes.length)] = pick(256);
      how = `${flips} payload bytes changed`;
    } else if (kind === 3) {
      // A count claiming 2^32 − 1 (or more) entries, where a length or count is read.
      const at = pick(payload.length);
      bytes = Buffer.concat([payload.subarray(0, at), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), payload.subarray(at)]);
      how = `a huge number inserted at ${at}`;
    } else if (kind === 4) {
      const at = pick(payload.length);
      bytes = Buffer.concat([payload.subarray(0, at), Buffer.alloc(1 + pick(16), 0x80)]);
      how = `cut at ${at} inside an unfinished number`;
    } else {
      const raw = Buffer.from(packed);
      if (next() < 0.5) {
        const at = pick(raw.length);
        out.push({ how: `gzip cut to ${at} of ${raw.length} bytes`, bytes: raw.subarray(0, at) });
      } else {
        raw[10 + pick(Math.max(1, raw.length - 10))] ^= 1 + pick(255);
        out.push({ how: "a gzip byte changed", bytes: raw });
      }
      continue;
    }
    out.push({ how, bytes: gzipSync(bytes) });
  }
  return out;
}

async function fuzz({ site, perFile }) {
  const search = path.join(site, "search");
  const format = await import(pathToFileURL(path.join(search, "format.js")).href);
  const meta = JSON.parse(await readFile(path.join(search, "meta.json"), "utf8"));
  const next = random(20261202);
  const sample = (names, n) => names.filter((_, i) => i % Math.max(1, Math.floor(names.length / n)) === 0).slice(0, n);
  const terms = (await readdir(path.join(search, "terms"))).filter((f) => f.endsWith(".bin"));
  const words = (await readdir(path.join(search, "words"))).filter((f) => f.endsWith(".bin"));
  const files = [
    ...sample(terms, 6).map((f) => [`terms/${f}`, (b) => format.parseShard(b)]),
    ...sample(words, 6).map((f) => [`words/${f}`, (b) => format.parseWords(b)]),
    ["facets.bin", (b) => format.parseFacets(b, meta.facets, meta.docs)],
    ["sorts.bin", (b) => format.parseSorts(b, meta.docs)],
  ];
  let cases = 0;
  let rejected = 0;
  let failure = null;
  for (const [file, parse] of files) {
    const packed = await readFile(path.join(search, file));
    for (const { how, bytes } of damaged(packed, perFile, next)) {
      const label = `${file}: ${how}`;
      parentPort.postMessage({ kind: "start", label });
      try {
        await parse(await format.inflate(new Response(bytes)));
      } catch (error) {
        rejected++;
        if (error?.name !== "DamagedExport") failure ??= `${label}: rejected with ${error?.name}: ${error?.message}, not a DamagedExport`;
      }
      cases++;
      parentPort.postMessage({ kind: "done" });
    }
  }
  const text = `${cases} damaged copies of ${files.length} files: ${rejected} rejected as damaged, ${cases - rejected} read, none hung`;
  parentPort.postMessage({ kind: "summary", text, failure });
}
