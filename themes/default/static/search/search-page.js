// casebook's search page: results as you type, facet filters with live counts, the state in
// the URL, keyboard use. Enhances themes/default/templates/search.html; without JavaScript the
// page still offers its browse links. Plain ES module, no build step.
//
// Everything is found relative to this file (`search/search-page.js` of the built site), so the
// page works when the site is deployed under a sub-folder.

const RUNTIME = new URL("./casebook-search.js", import.meta.url).href;
const SEARCH_BASE = new URL("./", import.meta.url).href;

const TYPING_DELAY = 150; // ms between the last keystroke and the search
const ANNOUNCE_DELAY = 1000; // ms of quiet typing before a count is announced
const PAGE_SIZE = 20; // results shown, and added by "Show more results"
const TOP_VALUES = 10; // values shown per facet before "Show all"
const MIN_TYPED = 2; // word characters needed before searching as you type

const $ = (id) => document.getElementById(id);
const form = $("search-form");
const input = $("search-input");
const filtersBox = $("search-filters");
const status = $("search-status");
const results = $("search-results");
const browse = $("search-browse");
const output = $("search-output"); // optional wrapper of the results (heading + list)
const notice = $("search-notice"); // optional: corrections, and filters the query names

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
    spokenStatus.textContent = text;
  };
  if (announce === null) spokenStatus.textContent = "";
  else if (announce > 0) announceTimer = setTimeout(speak, announce);
  else speak();
}

// ---------- State: query, filters, how many results ----------

let facetKeys = ["theme", "region", "organisation", "approach"];
let facetData = null; // { key: { label, values: [{ name, slug, count }] } } from the runtime
let search = null; // the runtime, once loaded
let failed = false; // the runtime could not load: the form submits as it would without script
let limit = PAGE_SIZE;
let latest = 0; // number of the latest search; older answers are ignored
let typingTimer = 0;
let exactFor = null; // the query searched as typed, without corrections ("search instead for")

/** The state the URL describes: { q, filters: { key: [slug] }, exact }. */
function stateFromUrl() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const key of facetKeys) {
    const wanted = params.getAll(key).filter(Boolean);
    if (wanted.length) filters[key] = [...new Set(wanted)];
  }
  const q = params.get("q") || "";
  return { q, filters, exact: params.get("exact") === "1" && q !== "" };
}

/** The state the form shows; exact while the query is the one asked for as typed. */
function stateFromForm() {
  const filters = {};
  for (const key of facetKeys) {
    const checked = [...filtersBox.querySelectorAll(`input[type=checkbox][name="${key}"]:checked`)].map((c) => c.value);
    if (checked.length) filters[key] = checked;
  }
  return { q: input.value, filters, exact: exactFor !== null && input.value === exactFor };
}

function urlFor(state) {
  const params = new URLSearchParams();
  if (state.q.trim()) params.set("q", state.q);
  if (state.exact && state.q.trim()) params.set("exact", "1");
  for (const key of facetKeys) for (const value of state.filters[key] || []) params.append(key, value);
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

const hasFilters = (filters) => Object.values(filters).some((v) => v.length);
const wordChars = (q) => (q.match(/[\p{L}\p{N}]/gu) || []).length;

// ---------- Facet filters ----------

const facetViews = new Map(); // key → { fieldset, list, toggle, expanded, values: Map(slug → view) }

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

function buildFilters() {
  const fieldsets = [];
  for (const key of facetKeys) {
    const facet = facetData[key];
    if (!facet || !facet.values.length) continue;
    const list = el("ul", { className: "search-facet-values", id: `search-filter-${key}-values` });
    const values = new Map();
    for (const v of facet.values) {
      const id = `search-filter-${key}-${v.slug}`;
      const box = el("input", { type: "checkbox", name: key, value: v.slug, id });
      const count = el("span", { className: "search-facet-count" });
      const label = el("label", { htmlFor: id }, v.name, " ", count);
      const li = el("li", { hidden: true }, box, label);
      list.append(li);
      values.set(v.slug, { ...v, li, box, countNode: count, total: v.count });
    }
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
    const view = { key, fieldset, list, toggle, expanded: false, values, counts: null };
    toggle.addEventListener("click", () => {
      view.expanded = !view.expanded;
      updateFacet(view);
    });
    facetViews.set(key, view);
    fieldsets.push(fieldset);
  }
  filtersBox.replaceChildren(...fieldsets);
  filtersBox.addEventListener("change", (event) => {
    if (event.target.matches("input[type=checkbox]")) {
      limit = PAGE_SIZE;
      run({ history: "push" });
    }
  });
}

function setChecked(filters) {
  for (const [key, view] of facetViews) {
    const wanted = new Set(filters[key] || []);
    for (const [slug, v] of view.values) v.box.checked = wanted.has(slug);
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
    const count = view.counts.get(slug) || 0;
    if (v.current !== count) v.countNode.textContent = `(${count})`;
    v.current = count;
    if (count > 0 || v.box.checked) eligible.push(v);
  }
  eligible.sort((a, b) => b.current - a.current || a.name.localeCompare(b.name));
  const shown = view.expanded ? eligible : eligible.filter((v, i) => i < TOP_VALUES || v.box.checked);
  const visible = new Set(shown);
  for (const v of view.values.values()) v.li.hidden = !visible.has(v);
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

// ---------- Results ----------

function showBrowse(visible) {
  if (browse) browse.hidden = !visible;
}

function showOutput(visible) {
  if (output) output.hidden = !visible;
  else results.hidden = !visible;
}

function clearResults() {
  results.replaceChildren();
  moreButton.hidden = true;
  showOutput(false);
}

const moreButton = el("button", { type: "button", className: "search-more", hidden: true }, "Show more results");
moreButton.addEventListener("click", () => {
  const shown = results.children.length;
  limit += PAGE_SIZE;
  run({ history: "none", focusFrom: shown });
});
(output || results).after(moreButton);

function renderHits(hits, { focusFrom = -1 } = {}) {
  const items = hits.map((hit) => {
    const snippet = el("p", { className: "search-snippet" });
    snippet.innerHTML = hit.snippet; // escaped HTML with <mark>, made by the runtime
    const has = hits.partial
      ? el("p", { className: "search-has" }, `Has ${hit.matched.length} of ${hits.partial.words}: ${hit.matched.join(", ")}`)
      : "";
    return el(
      "li",
      {},
      el("h3", { className: "search-result-title" }, el("a", { href: hit.url }, hit.title)),
      has,
      snippet,
    );
  });
  results.replaceChildren(...items);
  showOutput(items.length > 0);
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
  if (!notice) return;
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
  if (notice) {
    notice.replaceChildren();
    notice.hidden = true;
  }
}

function statusFor(hits, state) {
  const q = state.q.trim();
  const filtered = hasFilters(state.filters);
  const where = q ? " " + quoted(q) + (filtered ? " with the chosen filters" : "") : " the chosen filters";
  if (hits.total === 0) {
    // No link here: the visible copy is hidden from assistive technology, so it holds no
    // controls; the browse section it points to follows the status.
    const hint = `Check the spelling, try other or fewer words${filtered ? ", remove a filter" : ""}, or browse the themes, regions, organisations and approaches below.`;
    return [el("strong", {}, `No cases match${where}.`), " ", hint];
  }
  const n = hits.total;
  const showing = n > hits.length ? `, showing the first ${hits.length}` : "";
  if (hits.partial) {
    const { words, best, cases } = hits.partial;
    const first = `No case has all ${words} words${filtered ? " with the chosen filters" : ""}; ${cases} ${plural(cases, "case has", "cases have")} ${best} of them`;
    return [`${first}. ${n} ${plural(n, "case has", "cases have")} some${showing}.`];
  }
  const count = `${hits.approximate ? "At least " : ""}${n} ${plural(n, "case", "cases")} ${plural(n, "matches", "match")}`;
  return [`${count}${where}${showing}.`];
}

// ---------- Running a search ----------

/**
 * Searches for what the form shows and renders the answer. `history`: "replace" (typing),
 * "push" (submit, filter change) or "none" (restoring from the URL). `typing` delays the
 * announcement and lets a one-letter query wait.
 */
async function run({ history = "none", typing = false, focusFrom = -1 } = {}) {
  clearTimeout(typingTimer);
  if (!search) return; // still loading, or failed: the load renders the state when it can
  const state = stateFromForm();
  if (history !== "none") remember(state, history);
  updateTitle(state.q.trim());
  const number = ++latest;
  const q = state.q.trim();
  const tooShort = typing && wordChars(q) < MIN_TYPED;
  if ((!q || tooShort) && !hasFilters(state.filters)) {
    // Nothing asked: the browse section, not the filters (which would repeat it).
    clearResults();
    clearNotice();
    updateFilters(null);
    filtersBox.hidden = true;
    showBrowse(true);
    setStatus([]);
    return;
  }
  filtersBox.hidden = false;
  const asked = tooShort ? { ...state, q: "" } : state; // filters only, while a word starts
  let hits;
  try {
    // While typing, the last word may be unfinished; a submitted query is whole words.
    hits = await search.search(asked.q, {
      filters: asked.filters,
      limit,
      prefix: typing,
      exact: asked.exact,
      counts: true,
    });
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
    updateFilters(hits.facets);
    showBrowse(hits.total === 0);
    setStatus(statusFor(hits, asked), { announce: typing ? ANNOUNCE_DELAY : 0 });
  } // else a newer search has started: this answer is out of date and is not shown
  answered(asked, hits.total, current);
}

/**
 * Tells listeners (analytics, tests) that a search answered: a `casebook:search` event on the
 * form, detail { q, filters, total, shown } (shown: false when a newer search made it stale).
 */
function answered(state, total, shown) {
  form.dispatchEvent(new CustomEvent("casebook:search", { detail: { q: state.q, filters: state.filters, total, shown } }));
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
  setChecked(knownFilters(state.filters));
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
notice?.addEventListener("click", (event) => {
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
  input.value = stateFromUrl().q;
  if (input.value) setStatus(["Searching…"], { announce: null });
  try {
    const runtime = await import(RUNTIME);
    const opened = await runtime.open(SEARCH_BASE, fetch, { facets: true });
    // The filters need every facet's labels, values and totals at once.
    const facets = await opened.facetValues();
    facetKeys = [...facetKeys.filter((k) => k in facets), ...Object.keys(facets).filter((k) => !facetKeys.includes(k))];
    facetData = facets;
    search = opened;
  } catch (error) {
    console.warn("casebook search could not start:", error);
    failed = true;
    setStatus(["Search is not available right now. You can still browse the cases below."]);
    showBrowse(true);
    return;
  }
  buildFilters();
  // The user may have typed while the runtime loaded: their words win over the URL's.
  const fromUrl = stateFromUrl();
  const typed = input.value;
  await restore();
  if (typed !== fromUrl.q) {
    input.value = typed;
    run({ history: "replace", typing: true });
  }
}

start();
