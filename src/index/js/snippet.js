// Snippets: a passage of a case's text around the words that matched, with <mark>.

import { analyze } from "./analyzer.js";

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Escapes text for HTML, in element content and in quoted attributes. */
export const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/**
 * A passage of the body (or the summary) around the most matches, as HTML with <mark>. The
 * body's text has one block (paragraph, heading, list item) a line: a passage keeps to one
 * block, the longer on a tie, so a heading never runs into the paragraph below it, and an
 * ellipsis stands where text is left out.
 */
export function snippet(fragment, terms, width = 180) {
  for (const text of [fragment.text, fragment.summary]) {
    const matches = analyze(text || "", "index").filter((t) => terms.has(t.text));
    if (!matches.length) continue;
    const blockOf = (at) => {
      const start = text.lastIndexOf("\n", at - 1) + 1;
      const end = text.indexOf("\n", at);
      return [start, end < 0 ? text.length : end];
    };
    let best = 0;
    let bestCount = 0;
    let bestBlock = [0, 0];
    for (let i = 0; i < matches.length; i++) {
      const block = blockOf(matches[i].start);
      let count = 0;
      for (let j = i; j < matches.length && matches[j].end <= block[1] && matches[j].end - matches[i].start <= width; j++) count++;
      const longer = block[1] - block[0] > bestBlock[1] - bestBlock[0];
      if (count > bestCount || (count === bestCount && longer)) [best, bestCount, bestBlock] = [i, count, block];
    }
    const [blockStart, blockEnd] = bestBlock;
    let start = Math.max(blockStart, matches[best].start - 30);
    if (start > blockStart) start = text.indexOf(" ", start) + 1 || start;
    if (start > matches[best].start) start = matches[best].start;
    let end = Math.min(blockEnd, start + width);
    if (end < blockEnd) end = text.lastIndexOf(" ", end) > start ? text.lastIndexOf(" ", end) : end;
    let html = start > 0 ? "…" : "";
    let at = start;
    for (const m of matches) {
      if (m.start < at || m.end > end) continue;
      html += escapeHtml(text.slice(at, m.start)) + "<mark>" + escapeHtml(text.slice(m.start, m.end)) + "</mark>";
      at = m.end;
    }
    html += escapeHtml(text.slice(at, end)) + (end < text.length ? "…" : "");
    return html;
  }
  const summary = fragment.summary || "";
  return escapeHtml(summary.length > width ? summary.slice(0, width) + "…" : summary);
}
