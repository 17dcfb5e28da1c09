//! `casebook search`: the analyzer's promises shown on real cases of the example, filters,
//! phrases, JSON output, and what an empty result says.

use crate::common;

use std::collections::BTreeSet;

use common::{built_example, case_file, Kb, Run};
use serde_json::Value;

/// The slugs `casebook search --json` returns for a query (all of them).
fn search(kb: &Kb, args: &[&str]) -> Vec<String> {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--json", "--limit", "100"]);
    let run = kb.run(&all);
    run.expect_success();
    let hits: Vec<Value> = serde_json::from_str(&run.stdout).expect("JSON");
    hits.iter()
        .map(|h| h["slug"].as_str().unwrap().to_string())
        .collect()
}

fn example_search(args: &[&str]) -> Vec<String> {
    search(&built_example().kb, args)
}

/// Slugs of the example's cases whose `facet` includes `value`, from the open data.
fn cases_with(facet: &str, value: &str) -> BTreeSet<String> {
    built_example()
        .cases_json()
        .iter()
        .filter(|c| c[facet].as_array().unwrap().iter().any(|v| v == value))
        .map(|c| c["slug"].as_str().unwrap().to_string())
        .collect()
}

fn set(slugs: Vec<String>) -> BTreeSet<String> {
    slugs.into_iter().collect()
}

/// Panics unless searching `query` finds every case of `tagged`.
fn assert_finds_all(query: &str, tagged: &BTreeSet<String>) {
    let found = set(example_search(&[query]));
    let missed: Vec<_> = tagged.difference(&found).collect();
    assert!(missed.is_empty(), "{query} missed {missed:?}");
}

#[test]
fn search_without_diacritics_finds_seinajoki() {
    for query in ["Seinajoki", "seinäjoki", "SEINÄJOKI"] {
        let hits = example_search(&[query]);
        assert_eq!(
            hits.first().map(String::as_str),
            Some("seinajoki-preventative-care"),
            "{query}"
        );
    }
}

#[test]
fn other_diacritics_fold_too() {
    let kb = Kb::empty();
    kb.write(
        "content/cases/ronne.md",
        case_file("Care in Rønne", "", "A visit to Rønne on Bornholm."),
    );
    kb.write(
        "content/cases/sao-paulo.md",
        case_file("Budgets in São Paulo", "", "São Paulo's budget."),
    );
    kb.build(&[]).expect_success();
    assert_eq!(search(&kb, &["Ronne"]), ["ronne"]);
    assert_eq!(search(&kb, &["Sao Paulo"]), ["sao-paulo"]);
}

#[test]
fn budgets_finds_budgeting_cases() {
    let budgeting = set(example_search(&["budgeting"]));
    assert!(budgeting.contains("recife-participatory-budgeting"));
    assert_eq!(set(example_search(&["budgets"])), budgeting);
}

#[test]
fn volunteer_finds_volunteers() {
    let volunteers = set(example_search(&["volunteers"]));
    assert!(volunteers.contains("speed-watch-volunteers-and-police"));
    assert_eq!(set(example_search(&["volunteer"])), volunteers);
}

#[test]
fn every_spelling_of_co_production_finds_the_co_production_cases() {
    let tagged = cases_with("theme", "co-production");
    assert!(tagged.len() >= 3);
    for query in [
        "co-production",
        "coproduction",
        "co production",
        "Co-Production",
    ] {
        assert_finds_all(query, &tagged);
    }
}

#[test]
fn every_spelling_of_co_design_finds_the_co_design_cases() {
    let tagged = cases_with("approach", "co-design");
    assert!(!tagged.is_empty());
    for query in ["co-design", "codesign", "co design"] {
        assert_finds_all(query, &tagged);
    }
}

#[test]
fn vocabulary_synonym_pb_finds_participatory_budgeting_cases() {
    let tagged = cases_with("theme", "participatory budgeting");
    let found = set(example_search(&["PB"]));
    assert!(
        found.is_superset(&tagged),
        "missed {:?}",
        tagged.difference(&found).collect::<Vec<_>>()
    );
}

#[test]
fn a_title_match_outranks_a_body_match() {
    let kb = Kb::empty();
    kb.write(
        "content/cases/a-body.md",
        case_file(
            "Street work",
            "",
            "Lanterns, lanterns and more lanterns lit the street.",
        ),
    );
    kb.write(
        "content/cases/b-title.md",
        case_file("Lantern walks", "", "An evening event in the park."),
    );
    kb.build(&[]).expect_success();
    assert_eq!(search(&kb, &["lantern"]), ["b-title", "a-body"]);
}

#[test]
fn quoted_phrases_need_the_words_together() {
    let phrase = set(example_search(&["\"decision day\""]));
    let words = set(example_search(&["decision day"]));
    assert!(phrase.contains("oldham-big-local-decision-day"));
    assert!(phrase.is_subset(&words));
    let kb = Kb::empty();
    kb.write(
        "content/cases/together.md",
        case_file("One", "", "The decision day was busy."),
    );
    kb.write(
        "content/cases/apart.md",
        case_file("Two", "", "A decision took a day."),
    );
    kb.build(&[]).expect_success();
    assert_eq!(search(&kb, &["\"decision day\""]), ["together"]);
    assert_eq!(set(search(&kb, &["decision day"])).len(), 2);
}

#[test]
fn filters_are_or_within_a_facet_and_and_across_facets() {
    let scotland = set(example_search(&["care", "--region", "Scotland"]));
    assert!(!scotland.is_empty());
    assert!(scotland.is_subset(&cases_with("region", "Scotland")));
    let either = set(example_search(&[
        "", "--region", "Scotland", "--region", "Japan",
    ]));
    let expected: BTreeSet<String> = cases_with("region", "Scotland")
        .union(&cases_with("region", "Japan"))
        .cloned()
        .collect();
    assert_eq!(either, expected);
    let both = set(example_search(&[
        "",
        "--region",
        "North West England",
        "--theme",
        "co-production",
    ]));
    let expected: BTreeSet<String> = cases_with("region", "North West England")
        .intersection(&cases_with("theme", "co-production"))
        .cloned()
        .collect();
    assert_eq!(both, expected);
}

#[test]
fn json_output_is_slug_title_url_score_best_first() {
    let run = built_example()
        .kb
        .run(&["search", "participatory budgeting", "--json"]);
    run.expect_success();
    let hits: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    assert!(!hits.is_empty());
    for hit in &hits {
        let keys: BTreeSet<&str> = hit
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, BTreeSet::from(["slug", "title", "url", "score"]));
        assert_eq!(
            hit["url"],
            format!("/cases/{}/", hit["slug"].as_str().unwrap())
        );
    }
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
}

#[test]
fn the_table_shows_titles_and_highlighted_snippets() {
    let run = built_example()
        .kb
        .run(&["search", "decision day", "--limit", "2"]);
    run.expect_success();
    assert!(run.stdout.contains("Oldham Big Local"), "{}", run.stdout);
    assert!(
        run.stdout.contains("*decision*") || run.stdout.contains("*day*"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("matching case"), "{}", run.stdout);
}

#[test]
fn no_hits_says_so_and_suggests_the_nearest_indexed_word() {
    let run = built_example().kb.run(&["search", "partcipatory"]);
    run.expect_success();
    assert!(run.stdout.contains("No cases match"), "{}", run.stdout);
    assert!(
        run.stderr.contains("did you mean: participatory"),
        "{}",
        run.stderr
    );
}

#[test]
fn search_before_any_build_says_to_build_first() {
    let kb = Kb::empty();
    let run: Run = kb.run(&["search", "anything"]);
    run.expect_code(2);
    assert!(run.stderr.contains("casebook build"), "{}", run.stderr);
}

#[test]
fn the_index_lives_in_the_cache_and_is_never_deployed() {
    let example = built_example();
    assert!(example.kb.path(".casebook/index").is_dir());
    assert!(!example.output().join(".casebook").exists());
    assert!(example.output().join("search/meta.json").is_file());
}
