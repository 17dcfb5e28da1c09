// Snippets: a passage of a case's text around the words that matched, with <mark>.

import { analyze } from "./analyzer.js";

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Escapes text for HTML, in element content and in quoted attributes. */
export const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** A passage of the body (or the summary) around the most matches, as HTML with <mark>. */
export function snippet(fragment, terms, width = 180) {
  for (const text of [fragment.text, fragment.summary]) {
    const matches = analyze(text || "", "index").filter((t) => terms.has(t.text));
    if (!matches.length) continue;
    let best = 0;
    let bestCount = 0;
    for (let i = 0; i < matches.length; i++) {
      let count = 0;
      for (let j = i; j < matches.length && matches[j].end - matches[i].start <= width; j++) count++;
      if (count > bestCount) [best, bestCount] = [i, count];
    }
    let start = Math.max(0, matches[best].start - 30);
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    let end = Math.min(text.length, start + width);
    if (end < text.length) end = text.lastIndexOf(" ", end) > start ? text.lastIndexOf(" ", end) : end;
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
