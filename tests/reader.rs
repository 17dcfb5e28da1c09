//! What readers do with cases, in a real browser and in Node: the shortlist, its shared link
//! and its downloads, the compare page, printing, bad addresses and storage
//! (`browser/reader.test.mjs`); the search page's "Download these N cases", whose CSV and
//! JSON hold every match `casebook search` finds (`browser/downloads.test.mjs`, here on the
//! example, where a download takes each case's `case.json`, and by tests/browser_search.rs on
//! IPS-X, where it takes `cases.json`); and the CSV the browser makes, byte for byte the
//! `cases.csv` the build wrote, formula payloads and all.

use crate::common;

use std::time::Duration;

use common::browser::{chromium_or_skip, java_or_skip, ServedSite};
use common::records::{most_common, slug};
use common::{case_file, Kb};
use serde_json::{json, Value};

/// A guard against a hung browser, well above the tests' usual run time.
const NODE_TIMEOUT: Duration = Duration::from_secs(240);

/// The example with one case renamed: its old address is an alias.
const RENAMED: (&str, &str) = (
    "adur-and-worthing-homelessness",
    "adur-worthing-homelessness",
);

#[test]
fn the_shortlist_and_compare_pages_work_in_headless_chromium() {
    if !chromium_or_skip() || !java_or_skip() {
        return;
    }
    let kb = Kb::example();
    let file = format!("content/cases/{}.md", RENAMED.0);
    let text = kb.read(&file).replacen(
        "\nyear:",
        &format!(
            "\nslug: {}\naliases: [cases/{}/]\nyear:",
            RENAMED.1, RENAMED.0
        ),
        1,
    );
    kb.write(&file, text);
    let site = ServedSite::build(kb);
    assert!(
        site.output
            .join(format!("cases/{}/case.json", RENAMED.0))
            .is_file(),
        "the alias keeps a record at the old address"
    );
    let alias = format!("{}:{}", RENAMED.0, RENAMED.1);
    site.node_test_with(
        "reader.test.mjs",
        NODE_TIMEOUT,
        &[("CASEBOOK_ALIAS", &alias)],
    )
    .expect_pass();
}

/// Search page states and every case `casebook search` finds for each, in order: a filter
/// sorted by title, words sorted by date, words no case has all of (partial matches), and
/// every case.
pub fn download_answers(site: &ServedSite) -> Value {
    let cases: Vec<Value> =
        serde_json::from_slice(&std::fs::read(site.output.join("cases.json")).unwrap()).unwrap();
    let theme = most_common(&cases, "theme");
    let word = theme.split_whitespace().next().unwrap().to_string();
    let states = [
        (
            format!("search/?theme={}&sort=title", slug(&theme)),
            casebook::SearchRequest {
                filters: [vec![theme.clone()], vec![], vec![], vec![], vec![]],
                sort: Some(casebook::Sort::Title),
                ..Default::default()
            },
        ),
        (
            format!("search/?q={word}&sort=newest"),
            casebook::SearchRequest {
                query: word.clone(),
                sort: Some(casebook::Sort::Newest),
                ..Default::default()
            },
        ),
        (
            format!("search/?q={word}+zzzunheardof"),
            casebook::SearchRequest {
                query: format!("{word} zzzunheardof"),
                ..Default::default()
            },
        ),
        (
            "search/?sort=newest".to_string(),
            casebook::SearchRequest {
                sort: Some(casebook::Sort::Newest),
                ..Default::default()
            },
        ),
    ];
    let answers: Vec<Value> = states
        .into_iter()
        .map(|(url, request)| {
            let request = casebook::SearchRequest {
                limit: usize::MAX,
                ..request
            };
            let results = casebook::search(site.kb.root(), &request).unwrap();
            let slugs: Vec<&str> = results.hits.iter().map(|h| h.slug.as_str()).collect();
            assert_eq!(slugs.len(), results.total, "{url}: every match");
            json!({ "url": url, "slugs": slugs, "partial": results.partial.is_some() })
        })
        .collect();
    assert!(
        answers.iter().any(|a| a["partial"] == true),
        "one state shows partial matches: {answers:#?}"
    );
    json!(answers)
}

/// Runs `downloads.test.mjs` on `site` with what `casebook search` finds.
pub fn download_checks(site: &ServedSite, name: &str) {
    let answers = site.kb.path("download-answers.json");
    std::fs::write(&answers, download_answers(site).to_string()).unwrap();
    site.node_test_with(
        "downloads.test.mjs",
        NODE_TIMEOUT,
        &[
            ("CASEBOOK_EXPECTED", answers.to_str().unwrap()),
            ("CASEBOOK_SITE_NAME", name),
        ],
    )
    .expect_pass();
}

#[test]
fn the_search_page_downloads_every_match_as_casebook_search_finds_them() {
    if !chromium_or_skip() {
        return;
    }
    download_checks(&ServedSite::build(Kb::example()), "example");
}

/// Text as a double-quoted YAML string.
fn quoted(text: &str) -> String {
    format!(
        "\"{}\"",
        text.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\t', "\\t")
    )
}

#[test]
fn the_browsers_csv_equals_cases_csv_on_formula_payloads() {
    // What spreadsheets run as formulas, with and without what hides them.
    let payloads = [
        "=HYPERLINK(\"http://evil.example/\",\"x\")",
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        " =1+1",
        "\u{feff}=1+1",
        "\u{200b}@SUM(A1)",
        "\u{a0}\u{200e}+1",
        "＝1+1",
        "＠SUM(A1)",
        "Oldham; =1+1",
        "plain, with a comma and \"quotes\"",
    ];
    let kb = Kb::empty();
    for (i, payload) in payloads.iter().enumerate() {
        let p = quoted(payload);
        kb.write(
            &format!("content/cases/payload-{i}.md"),
            case_file(
                &p,
                &format!(
                    "summary: {p}\ncountry: [{p}, Brazil]\nsources:\n  - title: {p}\n    url: https://example.org/{i}\n  - {p}\n"
                ),
                "Body.",
            )
            .replace("organisation: Food Train", &format!("organisation: [{p}, Food Train]")),
        );
    }
    kb.build(&[]).expect_success();
    let made = common::node_json("browser/records_csv.mjs", &[&kb.output()]);
    let written = kb.read("public/cases.csv");
    assert!(written.contains("'=HYPERLINK"), "{written}");
    assert_eq!(made["csv"].as_str().unwrap(), written);
}
