// casebook's search page: results as you type, cards that say where and when, sorting, a year
// range with a chart of cases per year, facet filters with live counts and removable chips,
// the state in the URL, keyboard use. Enhances themes/default/templates/search.html; without
// JavaScript the page still offers its browse links. Plain ES module, no build step.
//
// Everything is found relative to this file (`search/search-page.js` of the built site), so the
// page works when the site is deployed under a sub-folder.

import { ONE_BY_ONE, allRecords, download, fetchRecords, toCsv, toJson } from "../casebook-records.js";
import { saveControl } from "../casebook-shortlist.js";

const RUNTIME = new URL("./casebook-search.js", import.meta.url).href;
const SEARCH_BASE = new URL("./", import.meta.url).href;

const TYPING_DELAY = 150; // ms between the last keystroke and the search
const ANNOUNCE_DELAY = 1000; // ms of quiet typing before a count is announced
const YEAR_DELAY = 500; // ms between the last keystroke in a year box and the search
const PAGE_SIZE = 10; // results shown, and added by "Show more results"
const TOP_VALUES = 10; // values shown per facet before "Show all"
const MIN_TYPED = 2; // word characters needed before searching as you type
const SORTS = ["relevance", "newest", "oldest", "title"]; // as src/index/sorting.rs names them
const YEARS = [1000, 2100]; // the years a case is counted by, as src/content/case says
const CARD_THEMES = 4; // themes a result's card names

const $ = (id) => document.getElementById(id);
const form = $("search-form");
const input = $("search-input");
const keysHint = $("search-keys");
const filtersBox = $("search-filters");
const status = $("search-status");
const results = $("search-results");
const browse = $("search-browse");
const output = $("search-output");
const notice = $("search-notice");
const tools = $("search-tools");
const sortSelect = $("search-sort");
const filtersToggle = $("search-filters-toggle");
const chips = $("search-chips");
const chipList = chips.querySelector("ul");

const plural = (n, one, many) => (n === 1 ? one : many);
const quoted = (q) => `“${q}”`;

/** Builds an element: el("li", { className: "x", hidden: true }, child, "text"). */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith("aria-") || key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  node.append(...children);
  return node;
}

// ---------- Status: a polite live region ----------
//
// #search-status holds two spans: the visible count (hidden from assistive technology), updated
// with every render, and a visually hidden copy that is what the live region announces. While
// the user types, the copy is only updated once typing pauses, so a screen reader hears the
// settled count, not every keystroke's churn.

const visibleStatus = el("span", { className: "search-status-text", "aria-hidden": "true" });
const spokenStatus = el("span", { className: "visually-hidden" });
let announceTimer = 0;

/** Shows `nodes`; announces their text after `announce` ms (at once: 0, never: null). */
function setStatus(nodes, { announce = 0 } = {}) {
  visibleStatus.replaceChildren(...nodes);
  const text = visibleStatus.textContent;
  clearTimeout(announceTimer);
  if (!status.contains(visibleStatus)) status.replaceChildren(visibleStatus, spokenStatus);
  if (!text) {
    status.replaceChildren();
    spokenStatus.textContent = "";
    return;
  }
  const speak = () => {
    // The same words again (a search redrawn, not changed) are not announced twice.
    if (spokenStatus.textContent !== text) spokenStatus.textContent = text;
  };
  if (announce === null) spokenStatus.textContent = "";
  else if (announce > 0) announceTimer = setTimeout(speak, announce);
  else speak();
}

// ---------- State: query, filters, years, sort, how many results ----------

let facetKeys = ["theme", "region", "organisation", "approach", "country"];
let facetData = null; // { key: { label, values: [{ name, slug, count }] } } from the runtime
let yearSpan = null; // [first, last] year of the collection's cases, or null when none has one
let search = null; // the runtime, once loaded
let failed = false; // the runtime could not load: the form submits as it would without script
let limit = PAGE_SIZE;
let latest = 0; // number of the latest search; older answers are ignored
let typingTimer = 0;
let exactFor = null; // the query searched as typed, without corrections ("search instead for")
let chosenSort = null; // the sort the reader chose, or null for the default

/** A year written in the URL or a year box: a whole number in YEARS, else null. */
function yearOf(text) {
  const value = String(text ?? "").trim();
  if (!/^\d{4}$/.test(value)) return null;
  const year = Number(value);
  return year >= YEARS[0] && year <= YEARS[1] ? year : null;
}

/** Both ends of a range in order: a reader may type them either way round. */
function ordered({ from, to }) {
  return from !== null && to !== null && from > to ? { from: to, to: from } : { from, to };
}

/**
 * The state the URL describes: { q, filters: { key: [slug] }, years: { from, to }, sort,
 * exact }. Parts that make no sense (an unknown sort, a year that is not one, an empty or
 * repeated value) are left out, never an error.
 */
function stateFromUrl() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const key of facetKeys) {
    const wanted = params.getAll(key).filter(Boolean);
    if (wanted.length) filters[key] = [...new Set(wanted)];
  }
  const q = params.get("q") || "";
  const sort = SORTS.includes(params.get("sort")) ? params.get("sort") : null;
  const years = ordered({ from: yearOf(params.get("from")), to: yearOf(params.get("to")) });
  return { q, filters, years, sort, exact: params.get("exact") === "1" && q !== "" };
}

const fromBox = () => filtersBox.querySelector("#search-year-from");
const toBox = () => filtersBox.querySelector("#search-year-to");

/** The state the form shows; exact while the query is the one asked for as typed. */
function stateFromForm() {
  const filters = {};
  for (const key of facetKeys) {
    const checked = [...filtersBox.querySelectorAll(`input[type=checkbox][name="${key}"]:checked`)].map((c) => c.value);
    if (checked.length) filters[key] = checked;
  }
  const years = ordered({ from: yearOf(fromBox()?.value), to: yearOf(toBox()?.value) });
  return { q: input.value, filters, years, sort: chosenSort, exact: exactFor !== null && input.value === exactFor };
}

function urlFor(state) {
  const params = new URLSearchParams();
  if (state.q.trim()) params.set("q", state.q);
  if (state.exact && state.q.trim()) params.set("exact", "1");
  for (const key of facetKeys) for (const value of state.filters[key] || []) params.append(key, value);
  if (state.years.from !== null) params.set("from", state.years.from);
  if (state.years.to !== null) params.set("to", state.years.to);
  if (state.sort) params.set("sort", state.sort);
  const query = params.toString();
  return location.pathname + (query ? "?" + query : "");
}

/** Records the state in the URL: "push" adds a history entry, "replace" updates this one. */
function remember(state, how) {
  const url = urlFor(state);
  const current = location.pathname + location.search;
  if (how === "push" && url !== current) history.pushState(null, "", url);
  else if (url !== current) history.replaceState(null, "", url);
}

const hasYears = (years) => years.from !== null || years.to !== null;
const hasFilters = (state) => Object.values(state.filters).some((v) => v.length) || hasYears(state.years);
const wordChars = (q) => (q.match(/[\p{L}\p{N}]/gu) || []).length;

/** "2010–2015", "from 2010", "up to 2015". */
function yearsText({ from, to }) {
  if (from !== null && to !== null) return from === to ? `${from}` : `${from}–${to}`;
  return from !== null ? `from ${from}` : `up to ${to}`;
}

// ---------- Facet filters ----------

const facetViews = new Map(); // key → { fieldset, list, toggle, expanded, values: Map(slug → view) }
let yearView = null; // { fieldset, chart, undated } once built

/** Turns slugs or names from the URL into known slugs (unknown values would match nothing). */
function knownFilters(filters) {
  if (!facetData) return filters;
  const out = {};
  for (const [key, wanted] of Object.entries(filters)) {
    const values = facetData[key]?.values || [];
    const slugs = wanted
      .map((w) => values.find((v) => v.slug === w || v.name.toLowerCase() === w.toLowerCase())?.slug)
      .filter(Boolean);
    if (slugs.length) out[key] = [...new Set(slugs)];
  }
  return out;
}

/** The year range: two boxes, and a chart of the cases per year that follows the other filters. */
function buildYears() {
  if (!yearSpan) return null;
  const [first, last] = yearSpan;
  const box = (id, label, placeholder) =>
    el(
      "div",
      { className: "search-year" },
      el("label", { htmlFor: id }, label),
      el("input", { type: "number", id, inputMode: "numeric", min: first, max: last, step: 1, placeholder: String(placeholder) }),
    );
  const chart = el("div", { className: "search-years-chart", role: "img" });
  const axis = el("div", { className: "search-years-axis", "aria-hidden": "true" }, el("span", {}, String(first)), el("span", {}, String(last)));
  const undated = el("p", { className: "search-years-undated", hidden: true });
  const fieldset = el(
    "fieldset",
    { className: "search-facet search-years", "data-facet": "year" },
    el("legend", {}, "Year"),
    el("div", { className: "search-year-boxes" }, box("search-year-from", "From", first), box("search-year-to", "To", last)),
    chart,
    axis,
    undated,
  );
  let yearTimer = 0;
  fieldset.addEventListener("input", () => {
    clearTimeout(yearTimer);
    yearTimer = setTimeout(() => {
      limit = PAGE_SIZE;
      run({ history: "replace" });
    }, YEAR_DELAY);
  });
  fieldset.addEventListener("change", () => {
    clearTimeout(yearTimer);
    limit = PAGE_SIZE;
    run({ history: "push" });
  });
  return { fieldset, chart, undated };
}

/** Draws the cases per year ([{ year, count }]) as bars, those in the range marked. */
function updateYears(counts, years, undated) {
  if (!yearView) return;
  const most = Math.max(1, ...counts.map((c) => c.count));
  const inRange = (y) => (years.from === null || y >= years.from) && (years.to === null || y <= years.to);
  const bars = counts.map(({ year, count }) => {
    const bar = el("span", { className: "search-years-bar" + (hasYears(years) && inRange(year) ? " in-range" : "") });
    bar.style.height = `${count ? Math.max(4, Math.round((100 * count) / most)) : 0}%`;
    bar.title = `${year}: ${count} ${plural(count, "case", "cases")}`;
    return bar;
  });
  yearView.chart.replaceChildren(...bars);
  const peak = counts.reduce((best, c) => (c.count > best.count ? c : best), { year: null, count: 0 });
  const first = counts[0]?.year;
  const last = counts.at(-1)?.year;
  yearView.chart.setAttribute(
    "aria-label",
    peak.count
      ? `Cases per year from ${first} to ${last}; the most, ${peak.count}, in ${peak.year}`
      : `No cases with a year from ${first} to ${last}`,
  );
  yearView.undated.hidden = !(undated > 0);
  yearView.undated.textContent = undated > 0 ? `${undated} ${plural(undated, "case", "cases")} without a year left out.` : "";
}

function setYears(years) {
  if (!yearView) return;
  fromBox().value = years.from ?? "";
  toBox().value = years.to ?? "";
}

function buildFilters() {
  const fieldsets = [];
  yearView = buildYears();
  if (yearView) fieldsets.push(yearView.fieldset);
  for (const key of facetKeys) {
    const facet = facetData[key];
    if (!facet || !facet.values.length) continue;
    const list = el("ul", { className: "search-facet-values", id: `search-filter-${key}-values` });
    // A value's row is made when it is first shown (rowOf): a facet of thousands of values
    // would otherwise hold the first results' paint while rows nobody sees are built.
    // `order`: the export lists values by name, as the site's indexes do.
    const values = new Map(facet.values.map((v, order) => [v.slug, { ...v, order, total: v.count, li: null, box: null, countNode: null, drawn: null }]));
    const toggle = el("button", {
      type: "button",
      className: "search-facet-toggle",
      hidden: true,
      "aria-expanded": "false",
      "aria-controls": list.id,
    });
    const fieldset = el(
      "fieldset",
      { className: "search-facet", "data-facet": key },
      el("legend", {}, facet.label),
      list,
      toggle,
    );
    const view = { key, label: facet.label, fieldset, list, toggle, expanded: false, values, counts: null };
    toggle.addEventListener("click", () => {
      view.expanded = !view.expanded;
      updateFacet(view);
    });
    facetViews.set(key, view);
    fieldsets.push(fieldset);
  }
  filtersBox.append(...fieldsets, filtersDone);
  filtersBox.addEventListener("change", (event) => {
    if (event.target.matches("input[type=checkbox]")) {
      limit = PAGE_SIZE;
      run({ history: "push" });
    }
  });
}

/** A value's row in its facet's list (hidden until shown), made the first time it is needed. */
function rowOf(view, v) {
  if (!v.li) {
    const id = `search-filter-${view.key}-${v.slug}`;
    v.box = el("input", { type: "checkbox", name: view.key, value: v.slug, id });
    v.countNode = el("span", { className: "search-facet-count" });
    v.li = el("li", { hidden: true }, v.box, el("label", { htmlFor: id }, v.name, " ", v.countNode));
    view.list.append(v.li);
  }
  return v;
}

const isChecked = (v) => v.box !== null && v.box.checked;

function setChecked(filters) {
  for (const [key, view] of facetViews) {
    const wanted = new Set(filters[key] || []);
    for (const [slug, v] of view.values) {
      if (wanted.has(slug)) rowOf(view, v).box.checked = true;
      else if (v.box) v.box.checked = false;
    }
  }
}

/** Shows each facet's values with `counts` ({ key: [{ slug, count }] }; null: the totals). */
function updateFilters(counts) {
  for (const view of facetViews.values()) {
    view.counts = new Map();
    if (counts && counts[view.key]) for (const c of counts[view.key]) view.counts.set(c.slug, c.count);
    else for (const [slug, v] of view.values) view.counts.set(slug, v.total);
    updateFacet(view);
  }
}

function updateFacet(view) {
  const focused = view.fieldset.contains(document.activeElement) ? document.activeElement : null;
  const eligible = [];
  for (const [slug, v] of view.values) {
    v.current = view.counts.get(slug) || 0;
    if (v.current > 0 || isChecked(v)) eligible.push(v);
  }
  eligible.sort((a, b) => b.current - a.current || a.order - b.order);
  const shown = view.expanded ? eligible : eligible.filter((v, i) => i < TOP_VALUES || isChecked(v));
  const visible = new Set(shown);
  for (const v of view.values.values()) if (v.li) v.li.hidden = !visible.has(v);
  for (const v of shown) {
    rowOf(view, v).li.hidden = false;
    if (v.drawn !== v.current) v.countNode.textContent = `(${v.current})`; // the count its row shows
    v.drawn = v.current;
  }
  // Puts the shown values in order, moving as few nodes as possible (a moved node loses focus).
  let ref = view.list.firstChild;
  for (const v of shown) {
    if (v.li === ref) ref = ref.nextSibling;
    else view.list.insertBefore(v.li, ref);
  }
  if (focused && document.activeElement !== focused && !focused.closest("[hidden]")) focused.focus();
  view.fieldset.hidden = eligible.length === 0;
  view.list.classList.toggle("search-facet-values-all", view.expanded);
  const more = eligible.length > shown.length;
  view.toggle.hidden = !(more || (view.expanded && eligible.length > TOP_VALUES));
  view.toggle.setAttribute("aria-expanded", String(view.expanded));
  view.toggle.textContent = view.expanded ? "Show fewer" : `Show all ${eligible.length}`;
}

// ---------- Active filters: chips, "Clear all", the narrow screen's disclosure ----------

/** The active filters as chips that each remove theirs; the disclosure counts them. */
function renderChips(state) {
  const active = [];
  for (const key of facetKeys) {
    const view = facetViews.get(key);
    for (const slug of state.filters[key] || []) {
      const value = view?.values.get(slug);
      if (value) active.push({ text: `${view.label}: ${value.name}`, remove: () => (rowOf(view, value).box.checked = false) });
    }
  }
  if (hasYears(state.years)) {
    const text = yearsText(state.years);
    active.push({ text: `Year: ${text}`, remove: () => setYears({ from: null, to: null }) });
  }
  const items = active.map(({ text, remove }, i) => {
    const button = el(
      "button",
      { type: "button", className: "search-chip", "aria-label": `Remove filter ${text}` },
      text,
      el("span", { className: "search-chip-x", "aria-hidden": "true" }, "×"),
    );
    button.addEventListener("click", () => {
      remove();
      limit = PAGE_SIZE;
      run({ history: "push", focusChip: i });
    });
    return el("li", {}, button);
  });
  if (items.length) {
    const clear = el("button", { type: "button", className: "search-chip-clear" }, "Clear all");
    clear.addEventListener("click", () => {
      setChecked({});
      setYears({ from: null, to: null });
      limit = PAGE_SIZE;
      run({ history: "push" });
      input.focus();
    });
    items.push(el("li", {}, clear));
  }
  chipList.replaceChildren(...items);
  chips.hidden = active.length === 0;
  filtersToggle.textContent = active.length ? `Filters (${active.length})` : "Filters";
  return active.length;
}

/** After a chip removed its filter: the focus goes to the chip now in its place. */
function focusChip(index) {
  const buttons = [...chipList.querySelectorAll("button")];
  (buttons[Math.min(index, buttons.length - 2)] || input).focus();
}

function setFiltersOpen(open) {
  filtersToggle.setAttribute("aria-expanded", String(open));
  filtersBox.classList.toggle("search-filters-closed", !open);
}

// On a narrow screen the open filters stand above the results: their last control closes
// them and goes to the results, saying how many there are. (Wide screens hide it.)
const filtersDone = el("button", { type: "button", className: "search-filters-done" }, "Show the results");
filtersDone.addEventListener("click", () => {
  setFiltersOpen(false);
  (resultLinks()[0] ?? filtersToggle).focus();
});

function updateFiltersDone(total) {
  filtersDone.textContent = total ? `Show ${total} ${plural(total, "result", "results")}` : "Close the filters";
}

filtersToggle.addEventListener("click", () => {
  const open = filtersToggle.getAttribute("aria-expanded") !== "true";
  setFiltersOpen(open);
  if (open) filtersBox.querySelector("input, button")?.focus();
});

filtersBox.addEventListener("keydown", (event) => {
  // Escape closes the disclosure where there is one (narrow screens), back on its button.
  if (event.key !== "Escape" || getComputedStyle(filtersToggle).display === "none") return;
  setFiltersOpen(false);
  filtersToggle.focus();
});

sortSelect.addEventListener("change", () => {
  chosenSort = sortSelect.value;
  limit = PAGE_SIZE;
  run({ history: "push" });
});

// ---------- Results ----------

function showBrowse(visible) {
  if (browse) browse.hidden = !visible;
}

function clearResults() {
  results.replaceChildren();
  shownSearch = null;
  downloads.hidden = true;
  moreButton.hidden = true;
  output.hidden = true;
  keysHint.hidden = true;
}

const moreButton = el("button", { type: "button", className: "search-more", hidden: true }, "Show more results");
moreButton.addEventListener("click", () => {
  const shown = results.children.length;
  limit += PAGE_SIZE;
  run({ history: "none", focusFrom: shown });
});
results.after(moreButton);

/** Where a case happened: its regions and countries, a region naming its country once. */
function placeOf(hit) {
  const places = [...hit.region];
  for (const country of hit.country) if (!places.includes(country)) places.push(country);
  return places.join(", ");
}

/** One result: title, then year · place · organisation, the snippet, the themes. */
function card(hit, partial) {
  const snippet = el("p", { className: "search-snippet" });
  snippet.innerHTML = hit.snippet; // escaped HTML with <mark>, made by the runtime
  const facts = [];
  if (hit.year) facts.push(el("span", { className: "search-result-year" }, String(hit.year)));
  const place = placeOf(hit);
  if (place) facts.push(el("span", {}, el("span", { className: "visually-hidden" }, "Where: "), place));
  if (hit.organisation.length) facts.push(el("span", {}, el("span", { className: "visually-hidden" }, "By: "), hit.organisation.join(", ")));
  const meta = facts.length ? el("p", { className: "search-result-meta" }, ...facts.flatMap((f, i) => (i ? [el("span", { "aria-hidden": "true" }, " · "), f] : [f]))) : "";
  const themes = hit.theme.slice(0, CARD_THEMES);
  const more = hit.theme.length - themes.length;
  const themeList = themes.length
    ? el(
        "p",
        { className: "search-result-themes" },
        el("span", { className: "visually-hidden" }, plural(hit.theme.length, "Theme: ", "Themes: ")),
        ...themes.map((t) => el("span", { className: "search-result-theme" }, t)),
        more > 0 ? el("span", { className: "search-result-more" }, `+${more} more`) : "",
      )
    : "";
  const has = partial ? el("p", { className: "search-has" }, `Has ${hit.matched.length} of ${partial.words}: ${hit.matched.join(", ")}`) : "";
  const save = el("p", { className: "search-result-save" }, saveControl(hit.slug, hit.title));
  return el("li", {}, el("h3", { className: "search-result-title" }, el("a", { href: hit.url }, hit.title)), meta, has, snippet, themeList, save);
}

// ---------- Downloading every match ----------
//
// "Download these N cases" takes every match of the search shown (its words, filters, years,
// sort and partial matches, with the same options), not only the results on the page. The
// records come from each case's case.json for up to ONE_BY_ONE matches, else from cases.json,
// fetched once, whose records are in case number order as the search export numbers them.

let shownSearch = null; // { q, options } of the results on the page

const downloadLabel = el("span", { className: "search-download-label" });
const downloadNote = el("span", { className: "search-download-note", role: "status" });
const downloadButton = (format, name) => {
  const button = el("button", { type: "button", className: "search-download-button" }, el("span", { className: "visually-hidden" }, "Download the matches as "), name);
  button.addEventListener("click", () => downloadMatches(format));
  return button;
};
const downloads = el("div", { className: "search-download", hidden: true }, downloadLabel, " ", downloadButton("csv", "CSV"), " ", downloadButton("json", "JSON"), " ", downloadNote);
tools.append(downloads);

function updateDownloads(hits, q, options) {
  shownSearch = hits.total > 0 ? { q, options } : null;
  downloads.hidden = !shownSearch;
  downloadLabel.textContent = `Download these ${hits.total} ${plural(hits.total, "case", "cases")}:`;
  downloadNote.textContent = "";
}

/** The records of case numbers `docs`, in their order. */
async function recordsOfDocs(docs) {
  if (docs.length <= ONE_BY_ONE) {
    const fragments = await Promise.all(docs.map((doc) => search.fragment(doc)));
    const { found, missing } = await fetchRecords(fragments.map((f) => f.slug));
    if (missing.length) throw new Error(`no record for ${missing.join(", ")}`);
    return found.map((f) => f.record);
  }
  const every = await allRecords();
  if (every.length !== search.meta.docs) throw new Error("cases.json does not list the cases the search index has");
  return docs.map((doc) => every[doc]);
}

async function downloadMatches(format) {
  const asked = shownSearch;
  if (!asked || !search) return;
  downloadNote.textContent = "Preparing the file…";
  try {
    const hits = await search.search(asked.q, { ...asked.options, limit: 0, counts: false, all: true });
    const records = await recordsOfDocs([...(hits.all ?? [])]);
    if (format === "csv") download("search-results.csv", "text/csv", toCsv(records));
    else download("search-results.json", "application/json", toJson(records));
    downloadNote.textContent = `${records.length} ${plural(records.length, "case", "cases")} downloaded.`;
  } catch (error) {
    console.warn(error);
    downloadNote.textContent = "Sorry, the file could not be made. Please try again.";
  }
}

function renderHits(hits, { focusFrom = -1 } = {}) {
  const items = hits.map((hit) => card(hit, hits.partial));
  results.replaceChildren(...items);
  output.hidden = items.length === 0;
  keysHint.hidden = items.length === 0;
  moreButton.hidden = !(hits.total > hits.length);
  if (focusFrom >= 0) resultLinks()[focusFrom]?.focus();
}

/**
 * Says what the search did besides matching: the words it corrected ("Showing results for …
 * · search instead for …") and the filters the query names ("Filter by region: Scotland"),
 * as links that keep the rest of the state. Outside the live region, so its links can be
 * reached.
 */
function renderNotice(hits, state) {
  const parts = [];
  if (hits.corrected) {
    parts.push(
      el(
        "p",
        {},
        "Showing results for ",
        el("a", { href: urlFor({ ...state, q: hits.corrected, exact: false }) }, el("strong", {}, hits.corrected)),
        " · search instead for ",
        el("a", { href: urlFor({ ...state, q: hits.query, exact: true }) }, hits.query),
      ),
    );
  }
  if (hits.filterSuggestions.length) {
    const links = hits.filterSuggestions.map((f) => {
      const filters = { ...state.filters, [f.facet]: [...(state.filters[f.facet] || []), f.slug] };
      return el("a", { href: urlFor({ ...state, filters }) }, `${f.label.toLowerCase()}: ${f.name}`);
    });
    parts.push(el("p", {}, "Filter by ", ...links.flatMap((link, i) => (i ? [" · ", link] : [link]))));
  }
  notice.replaceChildren(...parts);
  notice.hidden = parts.length === 0;
}

function clearNotice() {
  notice.replaceChildren();
  notice.hidden = true;
}

/** "both words" or "all 3 words": what a partial match lacks. */
const allWords = (words) => (words === 2 ? "both words" : `all ${words} words`);

function statusFor(hits, state) {
  const q = state.q.trim();
  const filtered = hasFilters(state);
  // A corrected query's count is of the words searched for, which the notice names.
  const searched = hits.corrected ?? q;
  const where = q ? " " + quoted(searched) + (filtered ? " with the chosen filters" : "") : filtered ? " the chosen filters" : "";
  const left = hits.undated > 0 ? ` (${hits.undated} ${plural(hits.undated, "case", "cases")} without a year left out)` : "";
  if (hits.total === 0) {
    // No link here: the visible copy is hidden from assistive technology, so it holds no
    // controls; the browse section it points to follows the status.
    const hint = `Check the spelling, try other or fewer words${filtered ? ", remove a filter" : ""}, or browse the themes, regions, organisations, approaches and countries below.`;
    return [el("strong", {}, `No cases match${where}${left}.`), " ", hint];
  }
  const n = hits.total;
  const showing = n > hits.length ? `, showing the first ${hits.length}` : "";
  if (hits.partial) {
    const { words, best, cases } = hits.partial;
    const first = `No case has ${allWords(words)}${filtered ? " with the chosen filters" : ""}; ${cases} ${plural(cases, "case has", "cases have")} ${best} of them`;
    // Said once when every partial match has that many words.
    if (cases === n) return [`${first}${left}${showing}.`];
    return [`${first}. ${n} ${plural(n, "case has", "cases have")} some${left}${showing}.`];
  }
  if (!q && !filtered) return [`${n} ${plural(n, "case", "cases")}${showing}.`];
  const count = `${hits.approximate ? "At least " : ""}${n} ${plural(n, "case", "cases")} ${plural(n, "matches", "match")}`;
  return [`${count}${where}${left}${showing}.`];
}

/** The sort box: the order shown; relevance only where there are words to be relevant to. */
function updateSort(hits) {
  const relevance = sortSelect.querySelector('option[value="relevance"]');
  relevance.disabled = hits.clauses.length === 0;
  sortSelect.value = hits.sort;
}

// ---------- Running a search ----------

/** What the runtime is asked for a state; `typing`: the last word may be unfinished. */
function searchOptions(state, typing) {
  return { filters: state.filters, years: state.years, sort: state.sort, prefix: typing, exact: state.exact };
}

/**
 * Searches for what the form shows and renders the answer. `history`: "replace" (typing),
 * "push" (submit, filter change) or "none" (restoring from the URL). `typing` delays the
 * announcement and lets a one-letter query wait.
 */
async function run({ history = "none", typing = false, focusFrom = -1, focusChip: chip = -1, state = stateFromForm(), counts = true } = {}) {
  clearTimeout(typingTimer);
  if (!search) return; // still loading, or failed: the load renders the state when it can
  if (history !== "none") remember(state, history);
  updateTitle(state.q.trim());
  const number = ++latest;
  const q = state.q.trim();
  const tooShort = typing && wordChars(q) < MIN_TYPED;
  const active = renderChips(state);
  if (chip >= 0) focusChip(chip);
  if ((!q || tooShort) && !hasFilters(state) && !state.sort) {
    // Nothing asked: the browse section, not the filters (which would repeat it).
    clearResults();
    clearNotice();
    updateFilters(null);
    filtersBox.hidden = true;
    tools.hidden = true;
    showBrowse(true);
    setStatus([]);
    return;
  }
  filtersBox.hidden = false;
  tools.hidden = false;
  if (active === 0 && !filtersBox.contains(document.activeElement)) setFiltersOpen(false);
  const asked = tooShort ? { ...state, q: "" } : state; // filters only, while a word starts
  let hits;
  try {
    // While typing, the last word may be unfinished; a submitted query is whole words.
    hits = await search.search(asked.q, { ...searchOptions(asked, typing), limit, counts });
  } catch (error) {
    if (number !== latest) return;
    console.warn(error);
    clearResults();
    clearNotice();
    showBrowse(true);
    const damaged = error && error.name === "DamagedExport";
    setStatus([
      damaged
        ? "Sorry, this site's search index is damaged, so search cannot answer. You can still browse the cases below; the site's owner can mend it by building the site again."
        : "Sorry, the search failed. Please try again, or browse the cases below.",
    ]);
    return;
  }
  const current = number === latest;
  if (current) {
    renderHits(hits, { focusFrom });
    renderNotice(hits, asked);
    if (counts) {
      updateFilters(hits.facets);
      updateYears(hits.years, asked.years, hits.undated);
    }
    updateSort(hits);
    updateFiltersDone(hits.total);
    updateDownloads(hits, asked.q, searchOptions(asked, typing));
    showBrowse(hits.total === 0);
    setStatus(statusFor(hits, asked), { announce: typing ? ANNOUNCE_DELAY : 0 });
  } // else a newer search has started: this answer is out of date and is not shown
  answered(asked, hits, current);
}

/**
 * Tells listeners (analytics, tests) that a search answered: a `casebook:search` event on the
 * form, detail { q, filters, years, sort, total, shown } (shown: false when a newer search
 * made it stale).
 */
function answered(state, hits, shown) {
  const detail = { q: state.q, filters: state.filters, years: state.years, sort: hits.sort, total: hits.total, shown };
  form.dispatchEvent(new CustomEvent("casebook:search", { detail }));
}

const baseTitle = document.title;
function updateTitle(q) {
  document.title = q ? `${q} – ${baseTitle}` : baseTitle;
}

/** Shows the state of the URL: on load and when the user goes back or forward. */
function restore() {
  const state = stateFromUrl();
  input.value = state.q;
  exactFor = state.exact ? state.q : null;
  chosenSort = state.sort;
  setChecked(knownFilters(state.filters));
  setYears(state.years);
  limit = PAGE_SIZE;
  return run({ history: "none" });
}

// ---------- Keyboard ----------

const resultLinks = () => [...results.querySelectorAll(".search-result-title a")];

input.addEventListener("input", () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => {
    limit = PAGE_SIZE;
    run({ history: "replace", typing: true });
  }, TYPING_DELAY);
});

input.addEventListener("keydown", (event) => {
  if (event.key === "ArrowDown") {
    const first = resultLinks()[0];
    if (first) {
      event.preventDefault();
      first.focus();
    }
  } else if (event.key === "Escape" && input.value) {
    event.preventDefault();
    input.value = "";
    limit = PAGE_SIZE;
    run({ history: "push" });
  }
});

results.addEventListener("keydown", (event) => {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  const links = resultLinks();
  const at = links.indexOf(event.target);
  if (at < 0) return;
  event.preventDefault();
  if (event.key === "ArrowDown") links[Math.min(at + 1, links.length - 1)].focus();
  else if (at === 0) input.focus();
  else links[at - 1].focus();
});

form.addEventListener("submit", (event) => {
  if (failed) return;
  event.preventDefault();
  limit = PAGE_SIZE;
  run({ history: "push" });
});

window.addEventListener("popstate", () => {
  restore();
});

// The notice's links change the state in place, as the back button will restore it.
notice.addEventListener("click", (event) => {
  const link = event.target.closest("a");
  if (!link || failed || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  history.pushState(null, "", link.getAttribute("href"));
  restore();
  input.focus();
});

// ---------- Start ----------

async function start() {
  // Shows the query at once, while the runtime loads.
  const fromUrl = stateFromUrl();
  input.value = fromUrl.q;
  if (input.value) setStatus(["Searching…"], { announce: null });
  setFiltersOpen(false);
  try {
    const runtime = await import(RUNTIME);
    search = await runtime.open(SEARCH_BASE, fetch, { facets: true });
  } catch (error) {
    console.warn("casebook search could not start:", error);
    failed = true;
    setStatus(["Search is not available right now. You can still browse the cases below."]);
    showBrowse(true);
    return;
  }
  // A query without facet filters is answered first, without counts: reading the facet data
  // and drawing the filters would hold up its results.
  const early = Object.keys(fromUrl.filters).length === 0 && fromUrl.q.trim() !== "" && input.value === fromUrl.q;
  if (early) {
    exactFor = fromUrl.exact ? fromUrl.q : null;
    chosenSort = fromUrl.sort;
    await run({ history: "none", state: fromUrl, counts: false });
    // Lets the browser paint those results before the filters are drawn.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  }
  try {
    // The filters need every facet's labels, values and totals, and the years.
    const [facets, years] = await Promise.all([search.facetValues(), search.yearTotals()]);
    facetKeys = [...facetKeys.filter((k) => k in facets), ...Object.keys(facets).filter((k) => !facetKeys.includes(k))];
    facetData = facets;
    yearSpan = years.length ? [years[0].year, years.at(-1).year] : null;
  } catch (error) {
    console.warn("casebook search could not read its filters:", error);
    search = null;
    failed = true;
    setStatus(["Search is not available right now. You can still browse the cases below."]);
    showBrowse(true);
    return;
  }
  buildFilters();
  // The user may have typed while the runtime loaded: their words win over the URL's.
  const typed = input.value;
  await restore();
  if (typed !== fromUrl.q) {
    input.value = typed;
    run({ history: "replace", typing: true });
  }
}

start();
