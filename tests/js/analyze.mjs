// Prints the browser analyzer's tokens for each line of a file, for comparison with the
// Rust analyzer. Usage: node analyze.mjs ANALYZER_JS INPUT_FILE
// Output, one line per input line: index-mode tokens as text@position, a tab, query-mode
// tokens, a tab, query spellings as word:term.
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import path from "node:path";

const { analyze, querySpellings } = await import(pathToFileURL(path.resolve(process.argv[2])).href);
const lines = (await readFile(process.argv[3], "utf8")).split("\n");
const out = [];
for (const line of lines) {
  const index = analyze(line, "index").map((t) => `${t.text}@${t.position}`).join(" ");
  const query = analyze(line, "query").map((t) => t.text).join(" ");
  const spellings = querySpellings(line).map((s) => `${s.word}:${s.term}`).join(" ");
  out.push(`${index}\t${query}\t${spellings}`);
}
process.stdout.write(out.join("\n"));
