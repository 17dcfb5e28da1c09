//! The built site checked as a visitor's browser, an accessibility checker and an HTML validator
//! see it. The example is built for `http://127.0.0.1:PORT/kb/`, served from `/kb/` by a plain
//! static server, and the Node checks of `tests/browser/` run against it:
//!
//! - `site.test.mjs`: every page in headless Chromium (no console error, failed request or
//!   request off 127.0.0.1; every link resolves), facet links list the right cases, case pages'
//!   facet and related links fit, no sideways scroll at 375 px, screenshots in tests/artifacts/;
//! - `pictures.test.mjs`: the map, charts and theme × country pages against `cases.json`;
//! - `a11y.test.mjs`: axe-core on each page type at a desktop and a phone size, no violation of any impact;
//! - `validate.test.mjs`: the Nu Html Checker on every page, no error.
//!
//! The feed is checked as Atom here. A site with deliberate faults shows that each check fails
//! when it should. Needs Node, Debian's `/usr/bin/chromium` and Java; without Chromium (or Java
//! for the validator) a test is skipped, except on CI (`CI` set), where it fails.

use crate::common;

use std::sync::OnceLock;
use std::time::Duration;

use common::atom::atom_problems;
use common::browser::{chromium_or_skip, java_or_skip, NodeRun, ServedSite};
use common::{built_example, case_file, repo, Kb};

/// A guard against a hung browser or checker, well above the usual run times (10–60 s).
const NODE_TIMEOUT: Duration = Duration::from_secs(400);

/// The example, built and served once for the tests of this file.
fn example() -> &'static ServedSite {
    static SITE: OnceLock<ServedSite> = OnceLock::new();
    SITE.get_or_init(|| ServedSite::build(Kb::example_for_the_whole_run()))
}

#[test]
fn every_page_loads_cleanly_and_links_lead_to_the_right_cases() {
    if !chromium_or_skip() {
        return;
    }
    let site = example();
    site.node_test("site.test.mjs", NODE_TIMEOUT).expect_pass();
    for kind in [
        "home",
        "case",
        "cases",
        "facet-index",
        "facet-value",
        "search",
        "404",
    ] {
        let screenshot = site.artifacts.join(format!("phone-{kind}.png"));
        assert!(screenshot.is_file(), "{} was written", screenshot.display());
    }
}

#[test]
fn the_map_and_charts_agree_with_the_open_data() {
    if !chromium_or_skip() {
        return;
    }
    let site = example();
    site.node_test("pictures.test.mjs", NODE_TIMEOUT)
        .expect_pass();
    for kind in ["home", "countries", "facet-value", "combination"] {
        for size in ["desktop", "phone"] {
            let screenshot = site
                .artifacts
                .join(format!("pictures-example-{kind}-{size}.png"));
            assert!(screenshot.is_file(), "{} was written", screenshot.display());
        }
    }
}

#[test]
fn axe_finds_no_serious_or_critical_violation() {
    if !chromium_or_skip() {
        return;
    }
    example()
        .node_test("a11y.test.mjs", NODE_TIMEOUT)
        .expect_pass();
}

#[test]
fn every_page_is_valid_html() {
    if !chromium_or_skip() || !java_or_skip() {
        return;
    }
    example()
        .node_test("validate.test.mjs", NODE_TIMEOUT)
        .expect_pass();
}

#[test]
fn feed_is_valid_atom() {
    let site = built_example();
    let problems = atom_problems(&site.read("feed.xml"), "https://example.org/feed.xml");
    assert!(
        problems.is_empty(),
        "feed.xml is not valid Atom:\n{problems:#?}"
    );
}

#[test]
fn atom_check_finds_what_a_broken_feed_lacks() {
    let feed = built_example().read("feed.xml");
    let self_url = "https://example.org/feed.xml";
    let first_entry_updated = {
        let entry = feed.find("<entry>").expect("an entry");
        let start = entry + feed[entry..].find("<updated>").expect("an updated");
        let end = start + feed[start..].find("</updated>").expect("closed") + "</updated>".len();
        start..end
    };
    let mut no_entry_date = feed.clone();
    no_entry_date.replace_range(first_entry_updated, "");
    let faults = [
        (feed.replacen("</title>", "</titel>", 1), "not well-formed"),
        (
            feed.replace("http://www.w3.org/2005/Atom", "http://example.org/not-atom"),
            "not in the Atom namespace",
        ),
        (no_entry_date, "entry 1: 0 <updated> elements"),
        (
            feed.replacen("<author>", "<writer>", 1)
                .replacen("</author>", "</writer>", 1),
            "no <author>, and the feed has none",
        ),
        (
            feed.replacen(r#"rel="self""#, r#"rel="related""#, 1),
            "0 rel=\"self\" links",
        ),
        (
            feed.replacen("Z</updated>", "</updated>", 1),
            "is not an RFC 3339 date-time",
        ),
    ];
    assert!(atom_problems(&feed, self_url).is_empty());
    for (broken, expected) in faults {
        let problems = atom_problems(&broken, self_url);
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "expected a problem with {expected:?}, found {problems:#?}"
        );
    }
}

/// A small knowledge base whose theme overrides two templates with deliberate faults:
/// case pages get a broken link, an input without a label, a script that logs a console error,
/// a request to another host, a duplicate id and an element too wide for a phone; facet value
/// pages leave out their first case.
fn faulty_site() -> ServedSite {
    let kb = Kb::empty();
    for (slug, title) in [
        ("alpha", "Alpha tenants co-produce repairs"),
        ("beta", "Beta residents run a library"),
        ("gamma", "Gamma youth panel"),
    ] {
        kb.write(
            &format!("content/cases/{slug}.md"),
            case_file(title, "year: 2020\n", "A short body about co-production."),
        );
    }
    let builtin = |name: &str| {
        std::fs::read_to_string(repo().join("themes/default/templates").join(name))
            .expect("a built-in template")
    };
    let case = builtin("case.html");
    let faults = r#"<section>
<h2>Deliberate faults</h2>
<p><a href="{{ site.base_path }}no-such-page/">A broken link</a></p>
<input type="text" name="unlabelled">
<script>console.error("casebook deliberate fault");</script>
<img src="https://example.org/tracker.png" alt="">
<span id="twice"></span><span id="twice"></span>
<div class="deliberate-wide" style="width: 600px">Too wide for a phone</div>
</section>
{% endblock main %}"#;
    assert!(case.contains("{% endblock main %}"));
    kb.write(
        "themes/default/templates/case.html",
        case.replace("{% endblock main %}", faults),
    );
    let value = builtin("facet_value.html");
    let all_cards = "{{ m::card_list(cards=cases) }}";
    assert!(value.contains(all_cards));
    kb.write(
        "themes/default/templates/facet_value.html",
        value.replace(
            all_cards,
            "{{ m::card_list(cards=cases | slice(start=1)) }}",
        ),
    );
    let mut site = ServedSite::build(kb);
    // Its screenshots and reports stay with it, away from the example's.
    site.artifacts = site.kb.path("artifacts");
    site
}

/// Panics unless `run` failed and said each of `expected`.
#[track_caller]
fn expect_failure(run: &NodeRun, expected: &[&str]) {
    let said = run.said();
    assert!(
        !run.passed(),
        "{} passed on a faulty site\n{said}",
        run.file
    );
    for text in expected {
        assert!(
            said.contains(text),
            "{} did not report {text:?}\n{said}",
            run.file
        );
    }
    println!(
        "{} failed on the faulty site, as it should ({:.1} s)\n{}",
        run.file,
        run.seconds,
        String::from_utf8_lossy(&run.output.stdout)
    );
}

#[test]
fn the_checks_fail_on_a_site_with_deliberate_faults() {
    if !chromium_or_skip() || !java_or_skip() {
        return;
    }
    let site = faulty_site();
    expect_failure(
        &site.node_test("site.test.mjs", NODE_TIMEOUT),
        &[
            // the broken link
            "HTTP 404",
            "/kb/no-such-page/",
            // the console error
            "console error: casebook deliberate fault",
            // the request to another host
            "request outside",
            "https://example.org/tracker.png",
            // the value pages that leave out a case
            "lists the cases with theme “co-production”",
            // the wide element
            "px wide; sticking out: div.deliberate-wide",
        ],
    );
    expect_failure(
        &site.node_test("a11y.test.mjs", NODE_TIMEOUT),
        &[
            "critical label: Form elements must have labels",
            "unlabelled",
        ],
    );
    expect_failure(
        &site.node_test("validate.test.mjs", NODE_TIMEOUT),
        &["Duplicate ID “twice”"],
    );
}
