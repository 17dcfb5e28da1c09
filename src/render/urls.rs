//! The one address scheme of a site: the URL of every page, relative to the site root (as
//! [`crate::content::BaseUrl`] joins it to the deployed address), and the output file behind
//! each URL.
//!
//! A folder URL (`cases/oldham/`) is served from the `index.html` inside it; a list of more
//! than one page continues at `page/2/`, `page/3/` … under its first page's URL.

use crate::content::Facet;

/// The home page.
pub const HOME: &str = "";
/// The list of every case, most recent first.
pub const ALL_CASES: &str = "cases/";
/// The search page (beside the search export and its runtime).
pub const SEARCH: &str = "search/";
/// The page static hosts show for a missing address.
pub const NOT_FOUND: &str = "404.html";
/// The Atom feed.
pub const FEED: &str = "feed.xml";
/// The sitemap for search engines.
pub const SITEMAP: &str = "sitemap.xml";
/// Open data: every case as JSON.
pub const CASES_JSON: &str = "cases.json";
/// Open data: every case as CSV.
pub const CASES_CSV: &str = "cases.csv";
/// The map's country shapes, which the light maps of facet value pages refer to.
pub const WORLD_SHEET: &str = "map/world.svg";

/// A case's citation in one format: `cases/<slug>/cite.bib` (`.ris`, `.json`).
pub fn case_citation(slug: &str, extension: &str) -> String {
    format!("{ALL_CASES}{slug}/cite.{extension}")
}

/// Every case's citation in one format: `cite/cases.bib` (`.ris`, `.json`).
pub fn collection_citation(extension: &str) -> String {
    format!("cite/cases.{extension}")
}

/// A case's page: `cases/<slug>/`.
pub fn case(slug: &str) -> String {
    format!("{ALL_CASES}{slug}/")
}

/// A case's open-data record (its object of `cases.json`): `cases/<slug>/case.json`. The
/// shortlist and compare pages fetch the few cases they show from here.
pub fn case_record(slug: &str) -> String {
    format!("{ALL_CASES}{slug}/case.json")
}

/// The slug a case page's address names, when `url` is one (`cases/old-name/` →
/// `old-name`): an alias of this form keeps a saved or shared slug working.
pub fn slug_of_case_page(url: &str) -> Option<&str> {
    let slug = url.strip_prefix(ALL_CASES)?.strip_suffix('/')?;
    let readable = !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    readable.then_some(slug)
}

/// The reader's shortlist of saved cases.
pub const SHORTLIST: &str = "shortlist/";

/// The page that sets cases side by side.
pub const COMPARE: &str = "compare/";

/// The compare page showing `slugs`: `compare/?cases=a,b`.
pub fn compare(slugs: &[&str]) -> String {
    format!("{COMPARE}?cases={}", slugs.join(","))
}

/// The folder of a facet's pages, e.g. `themes`.
pub fn facet_folder(facet: Facet) -> &'static str {
    match facet {
        Facet::Theme => "themes",
        Facet::Region => "regions",
        Facet::Organisation => "organisations",
        Facet::Approach => "approaches",
        Facet::Country => "countries",
    }
}

/// A facet's index of values: `themes/`.
pub fn facet_index(facet: Facet) -> String {
    format!("{}/", facet_folder(facet))
}

/// A facet value's list of cases: `themes/<value-slug>/`.
pub fn facet_value(facet: Facet, value_slug: &str) -> String {
    format!("{}/{value_slug}/", facet_folder(facet))
}

/// The search page with facet values' filters set: `search/?theme=<value-slug>` (the
/// search page's URL state, which it reads by slug).
pub fn search_filtered(filters: &[(Facet, &str)]) -> String {
    let state: Vec<String> = filters
        .iter()
        .map(|(facet, slug)| format!("{}={slug}", facet.key()))
        .collect();
    format!("{SEARCH}?{}", state.join("&"))
}

/// The cases of one theme in one country: `themes/<theme-slug>/<country-slug>/`. No country
/// slug is `page`, which continues the theme's own list.
pub fn combination(theme_slug: &str, country_slug: &str) -> String {
    format!("{}{country_slug}/", facet_value(Facet::Theme, theme_slug))
}

/// The search page listing every case, newest first: `search/?sort=newest`.
pub fn search_all() -> String {
    format!("{SEARCH}?sort=newest")
}

/// Page `page` (1-based) of the list whose first page is `list`: `list` itself for page 1,
/// else `list` + `page/<n>/`.
pub fn list_page(list: &str, page: usize) -> String {
    if page <= 1 {
        list.to_string()
    } else {
        format!("{list}page/{page}/")
    }
}

/// How many pages a list of `items` takes at `per_page` a page (at least one, so an empty
/// list still has a page saying so).
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

/// The output file behind a URL: a folder URL's `index.html`, or the file it names.
pub fn file_of(url: &str) -> String {
    if url.is_empty() || url.ends_with('/') {
        format!("{url}index.html")
    } else {
        url.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_their_files() {
        assert_eq!(case("oldham"), "cases/oldham/");
        assert_eq!(file_of(&case("oldham")), "cases/oldham/index.html");
        assert_eq!(file_of(HOME), "index.html");
        assert_eq!(file_of(FEED), "feed.xml");
        assert_eq!(file_of("2014/old.html"), "2014/old.html");
        let value = facet_value(Facet::Theme, "co-production");
        assert_eq!(value, "themes/co-production/");
        assert_eq!(list_page(&value, 1), value);
        assert_eq!(list_page(&value, 3), "themes/co-production/page/3/");
        assert_eq!(facet_index(Facet::Approach), "approaches/");
        assert_eq!(case_record("oldham"), "cases/oldham/case.json");
        assert_eq!(compare(&["a", "b"]), "compare/?cases=a,b");
        assert_eq!(
            combination("co-production", "united-kingdom"),
            "themes/co-production/united-kingdom/"
        );
        assert_eq!(
            search_filtered(&[(Facet::Theme, "pb"), (Facet::Country, "brazil")]),
            "search/?theme=pb&country=brazil"
        );
    }

    #[test]
    fn only_a_case_page_address_names_a_slug() {
        assert_eq!(slug_of_case_page("cases/food-train/"), Some("food-train"));
        assert_eq!(slug_of_case_page("cases/food-train"), None);
        assert_eq!(slug_of_case_page("cases/2014/old/"), None);
        assert_eq!(slug_of_case_page("2014/old/"), None);
        assert_eq!(slug_of_case_page("cases/"), None);
    }

    #[test]
    fn every_list_has_a_page() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
    }
}
