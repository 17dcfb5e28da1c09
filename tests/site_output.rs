//! What `casebook build` writes for the example knowledge base, read as a visitor and a data
//! user would: the pages DESIGN lists, links that lead somewhere, facets and their counts,
//! the feed, the sitemap and the open data files.

use crate::common;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use common::links::{check_links, file_for, resolve, Base, Target};
use common::records::{self, csv_source, facet_folder, slug, SourceCase, FACETS};
use common::xml::Document;
use common::{built_example, selector, text_of};
use serde_json::Value;

const BASE_URL: &str = "https://example.org/";

fn base() -> Base {
    Base::parse(BASE_URL)
}

fn source_cases() -> Vec<SourceCase> {
    records::read_cases(built_example().kb.root())
}

/// `cases.json` values of one facet of one case.
fn json_values(case: &Value, facet: &str) -> Vec<String> {
    case[facet]
        .as_array()
        .unwrap_or_else(|| panic!("`{facet}` is a list in cases.json"))
        .iter()
        .map(|v| v.as_str().expect("facet values are text").to_string())
        .collect()
}

/// Per facet, per value, the number of cases with it, counted from `cases.json`.
fn counts_from_json() -> HashMap<&'static str, BTreeMap<String, usize>> {
    let mut counts: HashMap<&str, BTreeMap<String, usize>> = HashMap::new();
    for case in built_example().cases_json() {
        for facet in FACETS {
            for value in json_values(&case, facet) {
                *counts.entry(facet).or_default().entry(value).or_default() += 1;
            }
        }
    }
    counts
}

/// The output file behind a link found on the page at `page_file`.
fn target_file(page_file: &str, href: &str) -> std::path::PathBuf {
    let page = base().path_of_file(page_file);
    let Target::Site { path, .. } = resolve(&base(), &page, href) else {
        panic!("{page_file}: {href} leaves the site");
    };
    file_for(&built_example().output(), &base(), &path)
        .unwrap_or_else(|why| panic!("{page_file}: {href} {why}"))
}

/// The output file of a link, as a path relative to the output folder.
fn target_relative(page_file: &str, href: &str) -> String {
    let file = target_file(page_file, href);
    file.strip_prefix(built_example().output())
        .expect("inside the output")
        .to_string_lossy()
        .replace('\\', "/")
}

/// "3 cases" → 3.
fn count_in(text: &str) -> usize {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| panic!("no number in `{text}`"))
        .parse()
        .expect("a count")
}

/// The case URLs (site paths) listed as cards on a list page and the pages after it.
fn cards_across_pages(first_page: &str) -> Vec<String> {
    let site = built_example();
    let mut cards = Vec::new();
    let mut page_file = first_page.to_string();
    loop {
        let html = site.page(&page_file);
        cards.extend(
            html.select(&selector(".card-title a"))
                .map(|a| a.value().attr("href").expect("a card links").to_string()),
        );
        let next = html
            .select(&selector(r#".pagination a[rel="next"]"#))
            .next();
        match next {
            Some(a) => page_file = target_relative(&page_file, a.value().attr("href").unwrap()),
            None => return cards,
        }
    }
}

#[test]
fn build_writes_every_page_the_design_lists() {
    let site = built_example();
    let cases = source_cases();
    assert_eq!(cases.len(), 19, "the example has 19 case files");
    assert!(
        site.run.stderr.contains("built 19 cases"),
        "{}",
        site.run.stderr
    );
    assert!(
        site.run.diagnostics().is_empty(),
        "the example builds without warnings but those about sources without URLs:\n{}",
        site.run.stderr
    );

    let mut expected: Vec<String> = [
        "index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "cases.json",
        "cases.csv",
        "search/index.html",
        "search/casebook-search.js",
        "cases/index.html",
    ]
    .map(String::from)
    .to_vec();
    for case in &cases {
        expected.push(format!("cases/{}/index.html", case.slug));
    }
    for facet in FACETS {
        let folder = facet_folder(facet);
        expected.push(format!("{folder}/index.html"));
        let values: BTreeSet<&String> = cases.iter().flat_map(|c| c.values(facet)).collect();
        assert!(!values.is_empty(), "the example uses every facet");
        for value in values {
            expected.push(format!("{folder}/{}/index.html", slug(value)));
        }
    }
    let missing: Vec<&String> = expected
        .iter()
        .filter(|f| !site.output().join(f).is_file())
        .collect();
    assert!(missing.is_empty(), "missing from the output: {missing:#?}");
    assert!(
        site.output()
            .join("cases/seinajoki-preventative-care/index.html")
            .is_file(),
        "the file seinäjoki-preventative-care.md gets an ASCII address"
    );
}

#[test]
fn every_internal_link_and_fragment_resolves() {
    let report = check_links(&built_example().output(), &base());
    assert!(
        report.broken.is_empty(),
        "{} broken link(s):\n{}",
        report.broken.len(),
        report.broken.join("\n")
    );
    assert!(report.pages > 19 + 4, "walked {} pages", report.pages);
    assert!(
        report.checked > 1000,
        "checked only {} links",
        report.checked
    );
    assert!(
        report.fragments > 19,
        "checked only {} fragments",
        report.fragments
    );
}

#[test]
fn no_page_links_to_a_markdown_file() {
    let site = built_example();
    let oldham = site.page("cases/oldham-big-local-decision-day/index.html");
    let to_recife = selector(r#".case-body a[href="/cases/recife-participatory-budgeting/"]"#);
    let link = oldham
        .select(&to_recife)
        .next()
        .expect("Oldham's body links to Recife's page, not to its .md file");
    assert_eq!(text_of(link), "Recife’s participatory budgeting");

    let report = check_links(&site.output(), &base());
    let to_markdown: Vec<&String> = report
        .targets
        .iter()
        .filter(|t| t.ends_with(".md"))
        .collect();
    assert!(
        to_markdown.is_empty(),
        "links to .md files: {to_markdown:?}"
    );
}

#[test]
fn case_pages_show_their_four_facets_as_links_to_existing_pages() {
    let site = built_example();
    let labels = [
        ("theme", "Theme", "Themes"),
        ("region", "Region", "Regions"),
        ("organisation", "Organisation", "Organisations"),
        ("approach", "Approach", "Approaches"),
    ];
    for case in site.cases_json() {
        let slug = case["slug"].as_str().expect("a slug");
        let page_file = format!("cases/{slug}/index.html");
        let page = site.page(&page_file);
        let facts = page
            .select(&selector("dl.case-facts > div"))
            .map(|row| {
                let term = text_of(row.select(&selector("dt")).next().expect("a <dt>"));
                let chips: Vec<(String, String)> = row
                    .select(&selector("dd a"))
                    .map(|a| (text_of(a), a.value().attr("href").unwrap().to_string()))
                    .collect();
                (term, chips)
            })
            .collect::<Vec<_>>();
        for (facet, singular, plural) in labels {
            let expected = json_values(&case, facet);
            let label = if expected.len() > 1 { plural } else { singular };
            let (_, chips) = facts
                .iter()
                .find(|(term, _)| term == label)
                .unwrap_or_else(|| panic!("{page_file} shows no `{label}`: {facts:?}"));
            let names: Vec<&String> = chips.iter().map(|(name, _)| name).collect();
            assert_eq!(
                names,
                expected.iter().collect::<Vec<_>>(),
                "{page_file}: {label}"
            );
            for (name, href) in chips {
                let target = target_relative(&page_file, href);
                assert!(
                    target.starts_with(&format!("{}/", facet_folder(facet))),
                    "{page_file}: {name} links to {target}"
                );
                let value_page = site.page(&target);
                let heading = text_of(value_page.select(&selector("h1")).next().expect("h1"));
                assert_eq!(heading, format!("{singular}: {name}"), "{target}");
            }
        }
    }
}

#[test]
fn facet_index_counts_equal_the_cases_with_each_value() {
    let site = built_example();
    let counts = counts_from_json();
    for facet in FACETS {
        let page_file = format!("{}/index.html", facet_folder(facet));
        let page = site.page(&page_file);
        let shown: BTreeMap<String, usize> = page
            .select(&selector("ul.value-list > li"))
            .map(|item| {
                let name = text_of(item.select(&selector("a.value-name")).next().unwrap());
                let count = text_of(item.select(&selector(".value-count")).next().unwrap());
                (name, count_in(&count))
            })
            .collect();
        assert_eq!(shown, counts[facet], "{page_file}");
    }
}

#[test]
fn facet_value_pages_list_every_case_with_that_value() {
    let site = built_example();
    let json = site.cases_json();
    for facet in FACETS {
        let index_file = format!("{}/index.html", facet_folder(facet));
        let index = site.page(&index_file);
        for link in index.select(&selector("ul.value-list a.value-name")) {
            let name = text_of(link);
            let value_file = target_relative(&index_file, link.value().attr("href").unwrap());
            let expected: BTreeSet<String> = json
                .iter()
                .filter(|c| json_values(c, facet).contains(&name))
                .map(|c| format!("/cases/{}/", c["slug"].as_str().unwrap()))
                .collect();
            let cards = cards_across_pages(&value_file);
            assert_eq!(
                cards.len(),
                expected.len(),
                "{value_file} lists a case twice"
            );
            assert_eq!(
                cards.into_iter().collect::<BTreeSet<_>>(),
                expected,
                "{value_file}"
            );
            let page = site.page(&value_file);
            let count = text_of(page.select(&selector(".list-count")).next().unwrap());
            assert_eq!(count_in(&count), expected.len(), "{value_file}: {count}");
        }
    }
}

#[test]
fn all_cases_list_pages_through_every_case() {
    let site = built_example();
    let expected: BTreeSet<String> = site
        .cases_json()
        .iter()
        .map(|c| format!("/cases/{}/", c["slug"].as_str().unwrap()))
        .collect();
    assert!(
        site.output().join("cases/page/2/index.html").is_file(),
        "19 cases at 10 per page make two pages"
    );
    let cards = cards_across_pages("cases/index.html");
    assert_eq!(cards.len(), 19);
    assert_eq!(cards.into_iter().collect::<BTreeSet<_>>(), expected);
}

#[test]
fn home_page_browses_each_facet_with_true_counts() {
    let site = built_example();
    let counts = counts_from_json();
    let home = site.page("index.html");
    let groups: Vec<_> = home
        .select(&selector(".home-browse .browse-facet"))
        .collect();
    assert_eq!(groups.len(), FACETS.len(), "one group per facet");
    for (group, facet) in groups.into_iter().zip(FACETS) {
        let chips: Vec<_> = group.select(&selector("a.chip")).collect();
        assert!(!chips.is_empty(), "{facet} shows values");
        for chip in chips {
            let name = chip.text().next().unwrap_or_default().trim().to_string();
            let count = text_of(chip.select(&selector(".chip-count")).next().unwrap());
            assert_eq!(
                Some(&count_in(&count)),
                counts[facet].get(&name),
                "home page: {facet} {name}"
            );
        }
    }
}

#[test]
fn feed_is_well_formed_and_lists_every_case_url() {
    let site = built_example();
    let feed = Document::parse(&site.read("feed.xml")).expect("feed.xml is well-formed XML");
    assert_eq!(feed.root().name, "feed");
    assert_eq!(
        feed.root().attr("xmlns"),
        Some("http://www.w3.org/2005/Atom")
    );
    let mut ids = HashSet::new();
    let mut listed = BTreeMap::new();
    for (entry, _) in feed.children(0, "entry") {
        let id = feed.child_text(entry, "id").expect("an entry has an id");
        assert!(ids.insert(id.to_string()), "entry id {id} appears twice");
        let link = feed
            .children(entry, "link")
            .map(|(_, l)| l)
            .find(|l| l.attr("rel") == Some("alternate"))
            .expect("an entry links to its page");
        let title = feed
            .child_text(entry, "title")
            .expect("an entry has a title");
        listed.insert(link.attr("href").unwrap().to_string(), title.to_string());
    }
    let expected: BTreeMap<String, String> = site
        .cases_json()
        .iter()
        .map(|c| {
            (
                c["url"].as_str().unwrap().into(),
                c["title"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(listed, expected);
    for url in listed.keys() {
        assert!(url.starts_with(BASE_URL), "{url}");
        target_file("feed.xml", url);
    }
}

#[test]
fn sitemap_lists_every_case_and_value_page_and_nothing_missing() {
    let site = built_example();
    let sitemap = Document::parse(&site.read("sitemap.xml")).expect("sitemap.xml is well-formed");
    assert_eq!(sitemap.root().name, "urlset");
    let locs: BTreeSet<String> = sitemap
        .children(0, "url")
        .map(|(url, _)| sitemap.child_text(url, "loc").expect("a <loc>").to_string())
        .collect();
    for loc in &locs {
        target_file("sitemap.xml", loc);
    }
    for case in site.cases_json() {
        let url = case["url"].as_str().unwrap();
        assert!(locs.contains(url), "the sitemap lacks {url}");
    }
    for facet in FACETS {
        for value in counts_from_json()[facet].keys() {
            let url = format!("{BASE_URL}{}/{}/", facet_folder(facet), slug(value));
            assert!(locs.contains(&url), "the sitemap lacks {url}");
        }
    }
}

/// What a spreadsheet-safe CSV cell holds for `text` (formula characters get a `'`).
fn csv_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[test]
fn cases_csv_round_trips_every_front_matter_field() {
    let site = built_example();
    let sources: HashMap<String, SourceCase> = source_cases()
        .into_iter()
        .map(|c| (c.slug.clone(), c))
        .collect();
    let mut reader = csv::Reader::from_path(site.output().join("cases.csv")).expect("cases.csv");
    let rows: Vec<HashMap<String, String>> = reader
        .deserialize()
        .map(|r| r.expect("a well-formed CSV row"))
        .collect();
    assert_eq!(rows.len(), sources.len(), "one row per case");
    for row in &rows {
        let case = &sources[&row["slug"]];
        let name = case.file.display();
        let mut expected: Vec<(&str, String)> = vec![
            ("url", format!("{BASE_URL}cases/{}/", case.slug)),
            ("title", case.title.clone()),
            ("year", case.year.map(|y| y.to_string()).unwrap_or_default()),
            (
                "sources",
                case.sources
                    .iter()
                    .map(csv_source)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            ("draft", "false".into()),
        ];
        for facet in FACETS {
            expected.push((facet, case.values(facet).join("; ")));
        }
        if let Some(summary) = &case.summary {
            expected.push(("summary", summary.clone()));
        } else {
            assert!(
                !row["summary"].is_empty(),
                "{name}: a summary from the body"
            );
        }
        for (column, value) in expected {
            assert_eq!(row[column], csv_cell(&value), "{name}: column `{column}`");
        }
    }
}

#[test]
fn cases_json_round_trips_every_front_matter_field() {
    let site = built_example();
    let sources: HashMap<String, SourceCase> = source_cases()
        .into_iter()
        .map(|c| (c.slug.clone(), c))
        .collect();
    let json = site.cases_json();
    assert_eq!(json.len(), sources.len(), "one object per case");
    for object in &json {
        let case = &sources[object["slug"].as_str().expect("a slug")];
        let name = case.file.display();
        assert_eq!(
            object["url"],
            format!("{BASE_URL}cases/{}/", case.slug),
            "{name}"
        );
        assert_eq!(object["title"], case.title.as_str(), "{name}");
        for facet in FACETS {
            assert_eq!(
                json_values(object, facet),
                case.values(facet),
                "{name}: {facet}"
            );
        }
        assert_eq!(object["year"].as_i64(), case.year, "{name}");
        assert_eq!(object["draft"], false, "{name}");
        let listed: Vec<(Option<&str>, Option<&str>)> = object["sources"]
            .as_array()
            .expect("sources is a list")
            .iter()
            .map(|s| (s["title"].as_str(), s["url"].as_str()))
            .collect();
        let written: Vec<(Option<&str>, Option<&str>)> = case
            .sources
            .iter()
            .map(|s| (s.title.as_deref().or(s.url.as_deref()), s.url.as_deref()))
            .collect();
        assert_eq!(listed, written, "{name}: sources");
        match &case.summary {
            Some(summary) => assert_eq!(object["summary"], summary.as_str(), "{name}"),
            None => assert!(object["summary"].as_str().is_some_and(|s| !s.is_empty())),
        }
    }
}

#[test]
fn cases_csv_has_the_columns_of_cases_json() {
    let site = built_example();
    let mut reader = csv::Reader::from_path(site.output().join("cases.csv")).expect("cases.csv");
    let columns: BTreeSet<String> = reader.headers().unwrap().iter().map(String::from).collect();
    for object in site.cases_json() {
        let keys: BTreeSet<String> = object.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, columns);
    }
    for key in [
        "slug", "url", "title", "summary", "country", "year", "sources",
    ] {
        assert!(columns.contains(key), "no `{key}` column");
    }
}

/// Every page of `output` has a language, a title, one `<main>`, one `<h1>`, unique ids and
/// labelled form fields.
fn assert_pages_are_well_formed(output: &std::path::Path) {
    for file in common::links::html_files(output) {
        let text = std::fs::read_to_string(output.join(&file)).unwrap();
        let page = scraper::Html::parse_document(&text);
        let lang = page
            .select(&selector("html"))
            .next()
            .unwrap()
            .value()
            .attr("lang");
        assert!(lang.is_some_and(|l| !l.is_empty()), "{file}: <html lang>");
        let title = page.select(&selector("head > title")).next().map(text_of);
        assert!(title.is_some_and(|t| !t.is_empty()), "{file}: <title>");
        assert_eq!(
            page.select(&selector("main")).count(),
            1,
            "{file}: one <main>"
        );
        assert_eq!(page.select(&selector("h1")).count(), 1, "{file}: one <h1>");
        let mut ids = HashSet::new();
        for element in page.select(&selector("[id]")) {
            let id = element.value().attr("id").unwrap();
            assert!(ids.insert(id), "{file}: id `{id}` is used twice");
        }
        for input in page.select(&selector("input:not([type=hidden]), select, textarea")) {
            let labelled = input.value().attr("aria-label").is_some()
                || input.value().attr("id").is_some_and(|id| {
                    page.select(&selector(&format!(r#"label[for="{id}"]"#)))
                        .next()
                        .is_some()
                });
            assert!(labelled, "{file}: an unlabelled {:?}", input.value());
        }
    }
}

#[test]
fn every_page_has_a_language_a_title_one_main_one_h1_and_unique_ids() {
    assert_pages_are_well_formed(&built_example().output());
}

#[test]
fn unusual_content_builds_a_site_whose_links_all_resolve() {
    // Raw HTML, footnotes, aliases, accents, `&`, formula-like values, a very long name,
    // two spellings of one value and lists longer than a page, deployed under /kb/.
    let kb = common::Kb::fixture("unusual-content");
    kb.build(&[]).expect_success();
    let report = check_links(&kb.output(), &Base::parse("https://example.org/kb/"));
    assert!(
        report.broken.is_empty(),
        "{} broken link(s):\n{}",
        report.broken.len(),
        report.broken.join("\n")
    );
    assert_pages_are_well_formed(&kb.output());
    for file in ["feed.xml", "sitemap.xml"] {
        let text = kb.read(&format!("public/{file}"));
        if let Err(why) = Document::parse(&text) {
            panic!("{file} is not well-formed: {why}");
        }
    }
}

#[test]
fn link_check_catches_a_missing_page_and_a_missing_fragment() {
    // The link tests above prove something only if the checker can fail: break a template.
    let kb = common::Kb::example();
    let template = "themes/default/templates/case.html";
    let broken = kb.read(template).replace(
        "<article class=\"case\">",
        "<a href=\"{{ site.base_path }}nowhere/\">x</a><a href=\"#no-such-id\">y</a><article class=\"case\">",
    );
    kb.write(template, broken);
    kb.build(&[]).expect_success();
    let report = check_links(&kb.output(), &base());
    let case_pages = common::case_pages(&kb.output()).len();
    let missing_page = report
        .broken
        .iter()
        .filter(|b| b.contains("nowhere/"))
        .count();
    let missing_id = report
        .broken
        .iter()
        .filter(|b| b.contains("#no-such-id"))
        .count();
    assert_eq!(
        (missing_page, missing_id),
        (case_pages, case_pages),
        "{:#?}",
        report.broken
    );
}

/// Front matter pasted from a web page carries character references ("What&#8217;s"): the
/// site shows the characters, on the case's page, in the lists, in the open data and in search.
#[test]
fn character_references_in_front_matter_show_as_the_characters_they_stand_for() {
    let kb = common::Kb::empty();
    kb.write(
        "content/cases/usability.md",
        common::case_file(
            "\"Usability Testing&#8230;What&#8217;s the Dif?\"",
            "summary: Fish &amp; chips &ndash; with a map\n",
            "Volunteers tested the service.",
        ),
    );
    kb.build(&[]).expect_success();
    let page = kb.page("cases/usability/index.html");
    let heading = page.select(&selector("h1")).next().map(text_of);
    assert_eq!(
        heading.as_deref(),
        Some("Usability Testing\u{2026}What\u{2019}s the Dif?")
    );
    let card = kb.page("cases/index.html");
    let listed: Vec<String> = card.select(&selector(".card-title")).map(text_of).collect();
    assert_eq!(listed, ["Usability Testing\u{2026}What\u{2019}s the Dif?"]);
    let cases: Vec<Value> = serde_json::from_str(&kb.read("public/cases.json")).unwrap();
    assert_eq!(cases[0]["summary"], "Fish & chips \u{2013} with a map");
    let found = kb.run(&["search", "--json", "what\u{2019}s dif"]);
    found.expect_success();
    assert!(found.stdout.contains("usability"), "{}", found.stdout);
    assert!(!kb.read("public/search/docs/0.json").contains("&#8217;"));
}

/// What a list page's pagination shows: page numbers, "…" where pages are left out.
fn pagination_of(html: &scraper::Html) -> Vec<String> {
    html.select(&selector(
        ".pagination li:not(.pagination-prev):not(.pagination-next)",
    ))
    .map(|li| text_of(li).replace("Page ", "").trim().to_string())
    .collect()
}

#[test]
fn a_long_list_marks_the_pages_its_pagination_leaves_out() {
    let Some(ipsx) = common::corpora::built_ipsx() else {
        return;
    };
    let last = pagination_of(&ipsx.page("cases/index.html"))
        .last()
        .cloned()
        .expect("All cases of IPS-X has pages");
    let pages: usize = last.parse().expect("the last page's number");
    assert!(pages >= 20, "IPS-X lists its cases on {pages} pages");
    let numbers = |from: usize, to: usize| (from..=to).map(|n| n.to_string());
    let gap = || "…".to_string();
    let expect = |page: usize, shown: Vec<String>| {
        let html = ipsx.page(&format!("cases/page/{page}/index.html"));
        assert_eq!(pagination_of(&html), shown, "page {page} of {pages}");
    };
    expect(
        10,
        [
            vec!["1".into(), gap()],
            numbers(8, 12).collect(),
            vec![gap(), last.clone()],
        ]
        .concat(),
    );
    // One page left out shows its number instead: "1 2 3 …" rather than "1 … 3".
    expect(
        5,
        [numbers(1, 7).collect(), vec![gap(), last.clone()]].concat(),
    );
    expect(
        pages - 1,
        [vec!["1".into(), gap()], numbers(pages - 3, pages).collect()].concat(),
    );
}

#[test]
fn a_related_case_names_each_place_it_shares_once() {
    let Some(ipsx) = common::corpora::built_ipsx() else {
        return;
    };
    let mut reasons = 0;
    for file in common::links::html_files(&ipsx.output()) {
        if !file.starts_with("cases/") || file.starts_with("cases/page/") {
            continue;
        }
        for reason in ipsx.page(&file).select(&selector(".card-reason")) {
            reasons += 1;
            let reason = text_of(reason);
            let places: Vec<&str> = (reason.split(" · "))
                .filter_map(|part| {
                    part.strip_prefix("also in ")
                        .or(part.strip_prefix("also from "))
                })
                .collect();
            let unique: BTreeSet<&&str> = places.iter().collect();
            assert_eq!(unique.len(), places.len(), "{file}: “{reason}”");
        }
    }
    assert!(reasons > 100, "IPS-X's case pages give {reasons} reasons");
}
