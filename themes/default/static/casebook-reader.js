// casebook's reader pages: the shortlist (shortlist/, or shortlist/?cases=a,b,c when shared)
// and cases side by side (compare/?cases=a,b). Fills in shortlist.html and compare.html of the
// default theme from each case's `cases/<slug>/case.json`; without JavaScript those pages say
// what they would do and link to the list of cases. Plain ES module, no build step.
//
// What an address or the storage holds is read with suspicion: entries that are not slugs,
// repeats, too many, cases the site does not have; each is left out and the page says so.

import { SITE_ROOT, caseUrl, download, fetchRecords, looksLikeSlug, toCsv } from "./casebook-records.js";
import { MAX_CASES, readShortlist, saveControl, writeShortlist } from "./casebook-shortlist.js";

/** How many cases the compare page sets side by side. */
const COMPARE = { min: 2, max: 4 };
/** How many characters of a summary the shortlist shows. */
const SUMMARY = 240;
/** How many ignored entries a notice quotes, and how much of each. */
const QUOTED = { entries: 5, chars: 40 };

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** Builds an element: el("li", { className: "x", hidden: true }, child, "text"). */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith("aria-") || key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

const hiddenText = (text) => el("span", { className: "visually-hidden" }, text);

/** An address on this site, absolute (so that a printed page shows where its links go). */
const siteUrl = (path) => new URL(path, SITE_ROOT).href;

/**
 * The `cases` parameter of the address: { slugs, ignored, repeated, over }, at most `max`
 * slugs, or null when there is none.
 */
function casesParam(max) {
  const raw = new URLSearchParams(location.search).get("cases");
  if (raw === null) return null;
  const slugs = [];
  const seen = new Set();
  const ignored = [];
  let repeated = 0;
  for (const item of raw.split(",").map((s) => s.trim()).filter(Boolean)) {
    if (!looksLikeSlug(item)) ignored.push(item);
    else if (seen.has(item)) repeated++;
    else {
      seen.add(item);
      slugs.push(item);
    }
  }
  return { slugs: slugs.slice(0, max), ignored, repeated, over: Math.max(0, slugs.length - max) };
}

/** What was left out of an address, as sentences. */
function paramProblems({ ignored, repeated, over }, max) {
  const problems = [];
  if (ignored.length) {
    const shown = ignored.slice(0, QUOTED.entries).map((e) => `“${e.length > QUOTED.chars ? e.slice(0, QUOTED.chars) + "…" : e}”`);
    const rest = ignored.length > shown.length ? ` and ${ignored.length - shown.length} more` : "";
    problems.push(`${plural(ignored.length, "entry of the link is", "entries of the link are")} not a case address and ${ignored.length === 1 ? "was" : "were"} ignored: ${shown.join(", ")}${rest}.`);
  }
  if (repeated) problems.push(`${plural(repeated, "case was", "cases were")} named more than once and ${repeated === 1 ? "is" : "are"} shown once.`);
  if (over) problems.push(`The link names ${over + max} cases; the first ${max} are shown.`);
  return problems;
}

/**
 * The records of `slugs`, an old slug followed to its case: { records (one per case, in
 * order), missing, moved: [{ from, to }] }.
 */
async function recordsOf(slugs) {
  const { found, missing } = await fetchRecords(slugs);
  const records = [];
  const moved = [];
  const kept = new Set();
  for (const { asked, record } of found) {
    if (record.slug !== asked) moved.push({ from: asked, to: record.slug, title: record.title });
    if (kept.has(record.slug)) continue;
    kept.add(record.slug);
    records.push(record);
  }
  return { records, missing, moved };
}

function lookupProblems({ missing, moved }) {
  const problems = [];
  if (missing.length) {
    const names = missing.slice(0, QUOTED.entries).map((s) => `“${s}”`);
    const rest = missing.length > names.length ? ` and ${missing.length - names.length} more` : "";
    problems.push(`This site has no ${missing.length === 1 ? "case" : "cases"} ${names.join(", ")}${rest}: ${missing.length === 1 ? "it was" : "they were"} left out.`);
  }
  for (const { from, title } of moved) problems.push(`“${from}” has moved: it is now “${title}”.`);
  return problems;
}

function noticeOf(problems) {
  if (!problems.length) return null;
  return el("div", { className: "notice reader-notice", role: "status" }, el("ul", {}, ...problems.map((p) => el("li", {}, p))));
}

/** A case's place: its regions, then any country they do not name. */
function placeOf(record) {
  const places = [...(record.region || [])];
  for (const country of record.country || []) if (!places.includes(country)) places.push(country);
  return places.join(", ");
}

function shortened(text, chars) {
  if (!text || text.length <= chars) return text || "";
  const cut = text.slice(0, chars);
  return cut.slice(0, Math.max(cut.lastIndexOf(" "), chars / 2)) + "…";
}

// ---------- The shortlist ----------

async function shortlistPage(root) {
  const shared = casesParam(MAX_CASES);
  const own = readShortlist();
  const problems = [];
  let slugs;
  if (shared) {
    slugs = shared.slugs;
    problems.push(...paramProblems(shared, MAX_CASES));
  } else {
    slugs = own.slugs;
    if (!own.available) problems.push("This browser keeps nothing for this site (its storage is turned off), so it has no shortlist to show. A shared link to a shortlist still shows its cases.");
    if (own.damaged) {
      problems.push("Part of your saved shortlist could not be read, and was left out.");
      writeShortlist(slugs);
    }
  }
  let found;
  try {
    found = await recordsOf(slugs);
  } catch (error) {
    console.warn(error);
    root.replaceChildren(el("p", { className: "notice" }, "Sorry, the cases could not be loaded. Please try again later."));
    return;
  }
  problems.push(...lookupProblems(found));
  let records = found.records;
  if (!shared && (found.moved.length || found.missing.length)) {
    // Keeps the cases under their current slugs; a missing case stays until removed.
    writeShortlist([...records.map((r) => r.slug), ...found.missing]);
  }
  const notice = noticeOf(problems);
  const draw = () => {
    root.replaceChildren(...[notice, ...shortlistView(records, { shared: Boolean(shared), redraw })].filter(Boolean));
  };
  const redraw = (next) => {
    records = next;
    draw();
  };
  draw();
}

/** The shortlist's parts: its summary, actions and cases. */
function shortlistView(records, { shared, redraw }) {
  const n = records.length;
  if (!n) {
    return [
      el(
        "p",
        { className: "shortlist-empty" },
        shared ? "This shared shortlist holds no case of this site." : "Your shortlist is empty. Press “Save” on a case page or a search result to keep a case here; the list stays in this browser.",
      ),
      el("p", {}, el("a", { href: siteUrl("search/") }, "Search the cases"), " or ", el("a", { href: siteUrl("cases/") }, "see all cases"), "."),
    ];
  }
  const summary = el("p", { className: "shortlist-summary" }, shared ? `A shared shortlist of ${plural(n, "case", "cases")}.` : `${plural(n, "saved case", "saved cases")}, kept in this browser.`);
  const chosen = new Set(records.slice(0, COMPARE.max).map((r) => r.slug));
  const compareLink = el("a", { className: "button-link" });
  const compareHint = el("span", { className: "shortlist-hint" });
  const showCompare = () => {
    const slugs = records.map((r) => r.slug).filter((s) => chosen.has(s));
    const ok = slugs.length >= COMPARE.min && slugs.length <= COMPARE.max;
    compareLink.textContent = `Compare the ${plural(slugs.length, "chosen case", "chosen cases")}`;
    if (ok) {
      compareLink.href = siteUrl(`compare/?cases=${slugs.join(",")}`);
      compareLink.removeAttribute("aria-disabled");
    } else {
      compareLink.removeAttribute("href");
      compareLink.setAttribute("aria-disabled", "true");
    }
    compareHint.textContent = ok ? "" : `Choose ${COMPARE.min} to ${COMPARE.max} cases to compare.`;
  };
  const shareUrl = siteUrl(`shortlist/?cases=${records.map((r) => r.slug).join(",")}`);
  const shareBox = el("input", { type: "text", id: "shortlist-share", readOnly: true, value: shareUrl });
  const copyNote = el("span", { className: "shortlist-hint", role: "status" });
  const copy = el("button", { type: "button" }, "Copy link");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(shareUrl);
      copyNote.textContent = "Link copied.";
    } catch {
      shareBox.select();
      copyNote.textContent = "Select the link and copy it (Ctrl+C or ⌘C).";
    }
  });
  const csv = el("button", { type: "button" }, "Download CSV");
  csv.addEventListener("click", () => download("shortlist.csv", "text/csv", toCsv(records)));
  const bibNote = el("span", { className: "shortlist-hint", role: "status" });
  const bib = el("button", { type: "button" }, "Download BibTeX");
  bib.addEventListener("click", async () => {
    try {
      const entries = await Promise.all(
        records.map(async (r) => {
          const response = await fetch(siteUrl(`cases/${r.slug}/cite.bib`));
          if (!response.ok) throw new Error(`cite.bib of ${r.slug}: ${response.status}`);
          return (await response.text()).trim();
        }),
      );
      download("shortlist.bib", "application/x-bibtex", entries.join("\n\n") + "\n");
      bibNote.textContent = "";
    } catch (error) {
      console.warn(error);
      bibNote.textContent = "Sorry, the references could not be loaded.";
    }
  });
  const actions = el(
    "div",
    { className: "shortlist-actions" },
    el("p", {}, compareLink, " ", compareHint),
    el("p", {}, csv, " ", bib, " ", bibNote),
    el("p", { className: "shortlist-share" }, el("label", { htmlFor: "shortlist-share" }, "Link to this list"), " ", shareBox, " ", copy, " ", copyNote),
  );
  if (shared) {
    const keep = el("button", { type: "button" }, `Save ${n === 1 ? "this case" : `these ${n} cases`} to your shortlist`);
    const keepNote = el("span", { className: "shortlist-hint", role: "status" });
    keep.addEventListener("click", () => {
      const mine = readShortlist();
      const next = [...mine.slugs, ...records.map((r) => r.slug).filter((s) => !mine.slugs.includes(s))];
      if (!mine.available) keepNote.textContent = "This browser keeps nothing for this site, so the cases cannot be saved.";
      else if (next.length > MAX_CASES) keepNote.textContent = `Your shortlist would hold more than ${MAX_CASES} cases: remove some first.`;
      else keepNote.textContent = writeShortlist(next) ? "Saved to your shortlist." : "This browser would not save the shortlist.";
    });
    actions.append(el("p", {}, keep, " ", keepNote, " ", el("a", { href: siteUrl("shortlist/") }, "Your own shortlist")));
  }
  const list = el(
    "ol",
    { className: "shortlist-cases" },
    ...records.map((record) =>
      el(
        "li",
        {},
        shortlistCard(record, {
          chosen,
          onChoose: showCompare,
          onRemove: shared
            ? null
            : () => {
                const next = records.filter((r) => r.slug !== record.slug);
                writeShortlist(next.map((r) => r.slug));
                redraw(next);
                document.getElementById("shortlist-heading")?.focus();
              },
        }),
      ),
    ),
  );
  showCompare();
  return [summary, actions, list];
}

function shortlistCard(record, { chosen, onChoose, onRemove }) {
  const facts = [];
  const fact = (term, value) => value && facts.push(el("div", {}, el("dt", {}, term), el("dd", {}, value)));
  fact("Year", record.year ? String(record.year) : "");
  fact("Where", placeOf(record));
  fact(record.organisation?.length > 1 ? "Organisations" : "Organisation", (record.organisation || []).join(", "));
  fact(record.theme?.length > 1 ? "Themes" : "Theme", (record.theme || []).join(", "));
  const box = el("input", { type: "checkbox", id: `compare-${record.slug}`, checked: chosen.has(record.slug) });
  box.addEventListener("change", () => {
    if (box.checked) chosen.add(record.slug);
    else chosen.delete(record.slug);
    onChoose();
  });
  const controls = el(
    "p",
    { className: "shortlist-case-actions" },
    box,
    el("label", { htmlFor: box.id }, "Compare", hiddenText(` “${record.title}”`)),
  );
  if (onRemove) {
    const remove = el("button", { type: "button", className: "shortlist-remove" }, "Remove", hiddenText(` “${record.title}” from your shortlist`));
    remove.addEventListener("click", onRemove);
    controls.append(" ", remove);
  }
  return el(
    "article",
    { className: "card" },
    el("h2", { className: "card-title" }, el("a", { href: caseUrl(record.slug) }, record.title)),
    record.summary ? el("p", { className: "card-summary" }, shortened(record.summary, SUMMARY)) : null,
    facts.length ? el("dl", { className: "card-facets" }, ...facts) : null,
    controls,
  );
}

// ---------- Compare ----------

/** The facets' keys and labels, as the page's template lists them. */
function facetLabels() {
  try {
    return JSON.parse(document.getElementById("casebook-facets")?.textContent || "[]");
  } catch {
    return [];
  }
}

async function comparePage(root) {
  const asked = casesParam(COMPARE.max) || { slugs: [], ignored: [], repeated: 0, over: 0 };
  const problems = paramProblems(asked, COMPARE.max);
  let found;
  try {
    found = await recordsOf(asked.slugs);
  } catch (error) {
    console.warn(error);
    root.replaceChildren(el("p", { className: "notice" }, "Sorry, the cases could not be loaded. Please try again later."));
    return;
  }
  problems.push(...lookupProblems(found));
  const { records } = found;
  const notice = noticeOf(problems);
  const back = el("p", {}, el("a", { href: siteUrl("shortlist/") }, "Your shortlist"), " · ", el("a", { href: siteUrl("cases/") }, "All cases"));
  if (records.length < COMPARE.min) {
    const says = records.length
      ? `Only one of the cases asked for is on this site: comparing needs ${COMPARE.min} to ${COMPARE.max}.`
      : `No case to compare: the address names none of this site's cases. Comparing needs ${COMPARE.min} to ${COMPARE.max}, chosen on your shortlist.`;
    root.replaceChildren(...[notice, el("p", { className: "compare-empty" }, says), back].filter(Boolean));
    return;
  }
  document.title = `Compare: ${records.map((r) => r.title).join(" · ")} – ${document.title.split(" · ").slice(-1)[0]}`;
  root.replaceChildren(
    ...[
      notice,
      el("p", { className: "compare-legend" }, `${plural(records.length, "case", "cases")} side by side. `, el("span", { className: "shared-mark", "aria-hidden": "true" }, "✓"), " marks what two or more of them share."),
      compareTable(records),
      back,
    ].filter(Boolean),
  );
}

function compareTable(records) {
  const caption = el("caption", { id: "compare-caption" }, `${records.length} cases compared, a column each`);
  const head = el(
    "tr",
    {},
    el("th", { scope: "col" }, hiddenText("Field")),
    ...records.map((record) => {
      const others = records.filter((r) => r !== record).map((r) => r.slug);
      const drop = records.length > COMPARE.min ? el("a", { className: "compare-drop", href: siteUrl(`compare/?cases=${others.join(",")}`) }, "Leave out", hiddenText(` “${record.title}”`)) : null;
      return el("th", { scope: "col" }, el("a", { className: "compare-case-title", href: caseUrl(record.slug) }, record.title), el("div", { className: "compare-case-actions" }, saveControl(record.slug, record.title), drop ? " " : null, drop));
    }),
  );
  const rows = [];
  const listRow = (label, values) => {
    if (values.every((v) => !v.length)) return;
    const counts = new Map();
    for (const list of values) for (const v of new Set(list)) counts.set(v, (counts.get(v) || 0) + 1);
    rows.push(
      el(
        "tr",
        {},
        el("th", { scope: "row" }, label),
        ...values.map((list) =>
          el(
            "td",
            {},
            list.length
              ? el(
                  "ul",
                  { className: "compare-values" },
                  ...list.map((v) =>
                    counts.get(v) > 1
                      ? el("li", { className: "shared" }, el("span", { className: "shared-mark", "aria-hidden": "true" }, "✓ "), v, hiddenText(` (shared by ${counts.get(v)})`))
                      : el("li", {}, v),
                  ),
                )
              : el("span", { className: "muted" }, "–", hiddenText("none")),
          ),
        ),
      ),
    );
  };
  for (const { key, label, plural_label: many } of facetLabels()) listRow(many || label, records.map((r) => [].concat(r[key] || [])));
  listRow("Year", records.map((r) => (r.year ? [String(r.year)] : [])));
  const textRow = (label, cells) => {
    if (cells.every((c) => !c)) return;
    rows.push(el("tr", {}, el("th", { scope: "row" }, label), ...cells.map((c) => el("td", {}, c || el("span", { className: "muted" }, "–", hiddenText("none"))))));
  };
  textRow("Summary", records.map((r) => r.summary || null));
  textRow(
    "Sources",
    records.map((r) =>
      r.sources?.length
        ? el("ul", { className: "compare-sources" }, ...r.sources.map((s) => el("li", {}, /^https?:\/\//.test(s.url || "") ? el("a", { href: s.url }, s.title) : s.title)))
        : null,
    ),
  );
  const table = el("table", { className: "compare-table" }, caption, el("thead", {}, head), el("tbody", {}, ...rows));
  return el("div", { className: "compare-scroll", role: "region", "aria-labelledby": "compare-caption", tabIndex: 0 }, table);
}

// ---------- Start ----------

const shortlistRoot = document.querySelector("[data-casebook-shortlist]");
if (shortlistRoot) shortlistPage(shortlistRoot);
const compareRoot = document.querySelector("[data-casebook-compare]");
if (compareRoot) comparePage(compareRoot);
