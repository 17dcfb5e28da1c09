//! The search page works in a real browser: a site is built for `http://127.0.0.1:PORT/kb/`,
//! served from `/kb/` by a plain static server, and the Node tests of `tests/browser/` drive
//! headless Chromium through it:
//!
//! - `search.test.mjs` on the example: typing, filters, the URL, reload, back, the keyboard;
//! - `practitioner.test.mjs` on the example and on IPS-X: the first result in view at
//!   1280×800 and 390×844, the filters' disclosure and chips, sorting and year ranges in the
//!   URL against `casebook search`, a malformed URL, browse pages with and without
//!   JavaScript, a long facet index; and on IPS-X also axe-core (`a11y.test.mjs`) and the Nu
//!   Html Checker (`validate.test.mjs`, on a sample of its 2,800 pages).
//!
//! Needs Node and Debian's `/usr/bin/chromium`; without Chromium the test is skipped, except
//! on CI (`CI` set), where it fails.

use crate::common;

use std::time::Duration;

use common::browser::{chromium_or_skip, java_or_skip, ServedSite};
use common::corpora::{convert, shared};
use common::records::{most_common, slug};
use common::Kb;
use serde_json::{json, Value};

/// A guard against a hung browser, well above the tests' usual run time (~15–40 s).
const NODE_TIMEOUT: Duration = Duration::from_secs(240);

#[test]
fn search_page_works_in_headless_chromium() {
    if !chromium_or_skip() {
        return;
    }
    let site = ServedSite::build(Kb::example());
    site.node_test("search.test.mjs", NODE_TIMEOUT)
        .expect_pass();
}

/// Search page states (as URLs) and what `casebook search` answers for each: the cases of
/// its first page, in order, and how many match.
fn expected_answers(site: &ServedSite) -> Value {
    let cases: Vec<Value> =
        serde_json::from_slice(&std::fs::read(site.output.join("cases.json")).unwrap()).unwrap();
    let theme = most_common(&cases, "theme");
    let country = most_common(&cases, "country");
    let word = theme.split_whitespace().next().unwrap().to_string();
    let years = |from: Option<i32>, to: Option<i32>| casebook::Years { from, to };
    let states: Vec<(String, casebook::SearchRequest)> = vec![
        (
            "search/?sort=title".into(),
            casebook::SearchRequest {
                sort: Some(casebook::Sort::Title),
                ..Default::default()
            },
        ),
        (
            "search/?sort=oldest&from=2010".into(),
            casebook::SearchRequest {
                sort: Some(casebook::Sort::Oldest),
                years: years(Some(2010), None),
                ..Default::default()
            },
        ),
        (
            format!("search/?country={}&sort=newest", slug(&country)),
            casebook::SearchRequest {
                sort: Some(casebook::Sort::Newest),
                filters: [vec![], vec![], vec![], vec![], vec![country.clone()]],
                ..Default::default()
            },
        ),
        (
            format!("search/?theme={}", slug(&theme)),
            casebook::SearchRequest {
                filters: [vec![theme.clone()], vec![], vec![], vec![], vec![]],
                ..Default::default()
            },
        ),
        (
            format!("search/?q={word}&to=2015"),
            casebook::SearchRequest {
                query: word.clone(),
                years: years(None, Some(2015)),
                ..Default::default()
            },
        ),
        (
            format!("search/?q={word}&sort=newest&from=2012&to=2020"),
            casebook::SearchRequest {
                query: word.clone(),
                sort: Some(casebook::Sort::Newest),
                years: years(Some(2012), Some(2020)),
                ..Default::default()
            },
        ),
    ];
    let answers: Vec<Value> = states
        .into_iter()
        .map(|(url, request)| {
            let request = casebook::SearchRequest {
                limit: 10,
                ..request
            };
            let results = casebook::search(site.kb.root(), &request).unwrap();
            let slugs: Vec<&str> = results.hits.iter().map(|h| h.slug.as_str()).collect();
            json!({ "url": url, "slugs": slugs, "total": results.total })
        })
        .collect();
    assert!(
        answers.iter().filter(|a| a["total"] != 0).count() >= 4,
        "most states find cases: {answers:#?}"
    );
    json!(answers)
}

/// Runs `practitioner.test.mjs` on `site`, with its expected answers, as `name`.
fn practitioner_checks(site: &ServedSite, name: &str) {
    let answers = site.kb.path("expected-answers.json");
    std::fs::write(&answers, expected_answers(site).to_string()).unwrap();
    site.node_test_with(
        "practitioner.test.mjs",
        NODE_TIMEOUT,
        &[
            ("CASEBOOK_EXPECTED", answers.to_str().unwrap()),
            ("CASEBOOK_SITE_NAME", name),
        ],
    )
    .expect_pass();
}

#[test]
fn the_search_page_and_lists_work_for_a_practitioner_on_the_example() {
    if !chromium_or_skip() {
        return;
    }
    practitioner_checks(&ServedSite::build(Kb::example()), "example");
}

#[test]
fn the_search_page_and_lists_work_for_a_practitioner_on_a_real_collection() {
    if !chromium_or_skip() {
        return;
    }
    let Some(shared) = shared() else {
        return;
    };
    let kb = Kb::empty();
    convert(&shared, "convert_ipsx.py", kb.root(), &[]);
    let site = ServedSite::build(kb);
    practitioner_checks(&site, "ipsx");
    // Downloads of more than 50 matches, which take cases.json.
    crate::reader::download_checks(&site, "ipsx");
    // Its long indexes (686 organisations) and richer cards, checked as the example's pages are.
    let named = [
        ("CASEBOOK_SITE_NAME", "ipsx"),
        ("CASEBOOK_VALIDATE", "sample"),
    ];
    site.node_test_with("a11y.test.mjs", NODE_TIMEOUT, &named)
        .expect_pass();
    // Its map (Malta, San Marino and Andorra as dots; the European Union beside the map).
    site.node_test_with("pictures.test.mjs", NODE_TIMEOUT, &named)
        .expect_pass();
    if java_or_skip() {
        site.node_test_with("validate.test.mjs", NODE_TIMEOUT, &named)
            .expect_pass();
    }
}
