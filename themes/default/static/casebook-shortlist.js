// casebook's shortlist: the cases a reader saves, kept in this browser's storage (no account,
// nothing sent anywhere). Loaded on every page: it counts the saved cases in the header and
// gives case pages their "Save" control; the search page and casebook-reader.js (the shortlist
// and compare pages) use it too. Without JavaScript nothing of it shows. Plain ES module.

import { SITE_ROOT, looksLikeSlug } from "./casebook-records.js";

/**
 * The storage entry, keyed by the site's address: two sites on one host (example.org/a/ and
 * example.org/b/) share the browser's storage but never a shortlist.
 */
export const STORAGE_KEY = `casebook:shortlist:${SITE_ROOT.href}`;

/** The most cases a shortlist keeps (and a shared link shows). */
export const MAX_CASES = 100;

const listeners = new Set();

let probed; // the storage once probed: a write to it takes milliseconds, and a page asks often

/** The browser's storage, or null when it is turned off or refused (private modes, policies). */
function storage() {
  if (probed !== undefined) return probed;
  try {
    const store = window.localStorage;
    const probe = `${STORAGE_KEY}:probe`;
    store.setItem(probe, "1");
    store.removeItem(probe);
    probed = store;
  } catch {
    probed = null;
  }
  return probed;
}

/**
 * The saved cases: { slugs, available, damaged }. `available` is false when the browser keeps
 * nothing for this site; `damaged` when the entry could not be read (it is then treated as
 * empty, and replaced at the next save). Entries that are not slugs are dropped.
 */
export function readShortlist() {
  const store = storage();
  if (!store) return { slugs: [], available: false, damaged: false };
  const raw = store.getItem(STORAGE_KEY);
  if (raw === null) return { slugs: [], available: true, damaged: false };
  try {
    const entry = JSON.parse(raw);
    if (!entry || entry.version !== 1 || !Array.isArray(entry.cases)) throw new Error("not a shortlist");
    const slugs = [...new Set(entry.cases.filter(looksLikeSlug))].slice(0, MAX_CASES);
    return { slugs, available: true, damaged: slugs.length !== entry.cases.length };
  } catch {
    return { slugs: [], available: true, damaged: true };
  }
}

/** Keeps `slugs` as the shortlist; false when the browser would not store them. */
export function writeShortlist(slugs) {
  const store = storage();
  if (!store) return false;
  const cases = [...new Set(slugs.filter(looksLikeSlug))].slice(0, MAX_CASES);
  try {
    store.setItem(STORAGE_KEY, JSON.stringify({ version: 1, cases }));
  } catch {
    return false; // full, or refused
  }
  changed();
  return true;
}

/** Calls `listener(shortlist)` whenever the shortlist changes, here or in another tab. */
export function onShortlistChange(listener) {
  listeners.add(listener);
}

function changed() {
  const shortlist = readShortlist();
  for (const listener of listeners) listener(shortlist);
}

window.addEventListener("storage", (event) => {
  if (event.key === STORAGE_KEY || event.key === null) changed();
});

/**
 * A "Save" control for case `slug` (titled `title`, for screen readers): a toggle button
 * that says whether the case is saved, or a note when the browser keeps nothing.
 */
export function saveControl(slug, title) {
  const wrapper = document.createElement("span");
  wrapper.className = "save-control";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "save-button";
  const note = document.createElement("span");
  note.className = "save-note";
  note.setAttribute("role", "status");
  const hidden = (text) => {
    const span = document.createElement("span");
    span.className = "visually-hidden";
    span.textContent = text;
    return span;
  };
  const show = ({ slugs, available }) => {
    const saved = slugs.includes(slug);
    // The name says what a press does; the note beside it says what a press did.
    button.dataset.saved = String(saved);
    button.replaceChildren(
      saved ? "Saved" : "Save",
      hidden(saved ? `: press to remove “${title}” from your shortlist` : ` “${title}” to your shortlist`),
    );
    button.disabled = !available;
    if (!available) note.textContent = "Saving needs this browser's storage, which is turned off for this site.";
  };
  button.addEventListener("click", () => {
    const { slugs, available } = readShortlist();
    if (!available) return show({ slugs, available });
    const saved = slugs.includes(slug);
    if (!saved && slugs.length >= MAX_CASES) {
      note.textContent = `Your shortlist is full (${MAX_CASES} cases): remove one to save another.`;
      return;
    }
    const next = saved ? slugs.filter((s) => s !== slug) : [...slugs, slug];
    if (!writeShortlist(next)) {
      note.textContent = "This browser would not save the shortlist (its storage may be full).";
      return;
    }
    note.textContent = saved ? "Removed from your shortlist." : "Saved to your shortlist.";
  });
  show(readShortlist());
  onShortlistChange(show);
  wrapper.append(button, note);
  return wrapper;
}

/** The header's count of saved cases. */
function showCount({ slugs }) {
  for (const badge of document.querySelectorAll("[data-shortlist-count]")) {
    badge.hidden = slugs.length === 0;
    badge.textContent = slugs.length ? ` (${slugs.length})` : "";
  }
}

showCount(readShortlist());
onShortlistChange(showCount);

// A case page's control goes in the empty element case.html marks with the case's slug.
for (const place of document.querySelectorAll("[data-casebook-save]")) {
  const slug = place.dataset.casebookSave;
  const title = document.querySelector("h1")?.textContent.trim() || slug;
  if (!looksLikeSlug(slug)) continue;
  place.append(saveControl(slug, title));
  place.hidden = false;
}
