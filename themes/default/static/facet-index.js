// A long facet index (more than 50 values): a box that filters the values as you type and a
// choice between sorting them by name (in their letter or country groups) and by number of
// cases (one list). Enhances themes/default/templates/facet_index.html; without JavaScript
// the full list stays, by name, with its jump bar. Plain ES module, no build step.

const tools = document.getElementById("value-tools");
const filter = document.getElementById("value-filter");
const status = document.getElementById("value-status");
const groups = document.getElementById("value-groups");
const jumpBar = document.getElementById("jump-bar");

/** Lowercase without diacritics, so "seinajoki" finds "Seinäjoki". */
const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

// Each value with where it stands in the name order, so it can go back there.
const items = [...groups.querySelectorAll(".value-list > li")].map((li, order) => ({
  li,
  order,
  home: li.parentElement,
  name: fold(li.querySelector(".value-name").textContent),
  count: Number(li.dataset.count) || 0,
}));
const byCount = document.createElement("ul");
byCount.className = "value-list";
byCount.hidden = true;
groups.after(byCount);
const noun = document.querySelector("h1").textContent.trim().toLowerCase();

function sortBy(order) {
  const counting = order === "count";
  if (counting) {
    const sorted = [...items].sort((a, b) => b.count - a.count || a.order - b.order);
    byCount.replaceChildren(...sorted.map((item) => item.li));
  } else {
    for (const item of items) item.home.append(item.li); // in name order, as they came
  }
  byCount.hidden = !counting;
  groups.hidden = counting;
  if (jumpBar) jumpBar.hidden = counting;
  applyFilter(); // the groups' headings and letters follow the values that came back to them
}

function applyFilter() {
  const words = fold(filter.value).split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const item of items) {
    const match = words.every((w) => item.name.includes(w));
    item.li.hidden = !match;
    shown += match;
  }
  // A group with nothing left hides its heading, and its letter in the jump bar. Its values
  // are asked, not its children: sorted by count, they all stand in the one other list.
  const kept = new Set(items.filter((item) => !item.li.hidden).map((item) => item.home));
  for (const list of groups.querySelectorAll(".value-list")) {
    const empty = !kept.has(list);
    list.hidden = empty;
    const heading = list.previousElementSibling;
    if (heading?.matches(".value-group-heading")) {
      heading.hidden = empty;
      const link = jumpBar?.querySelector(`a[href="#${heading.id}"]`);
      if (link) link.parentElement.hidden = empty;
    }
  }
  status.textContent = words.length ? `${shown} of ${items.length} ${noun} shown.` : "";
}

tools.hidden = false;
filter.addEventListener("input", applyFilter);
tools.addEventListener("change", (event) => {
  if (event.target.name === "value-sort") sortBy(event.target.value);
});
