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
    let results: Value = serde_json::from_str(&run.stdout).expect("JSON");
    results["hits"]
        .as_array()
        .expect("hits")
        .iter()
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

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

#[test]
fn json_output_says_what_was_searched_and_gives_hits_best_first() {
    let run = built_example()
        .kb
        .run(&["search", "participatory budgeting", "--json"]);
    run.expect_success();
    let results: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        keys(&results),
        BTreeSet::from([
            "query",
            "corrected",
            "corrections",
            "partial",
            "total",
            "sort",
            "undated",
            "hits"
        ])
    );
    assert_eq!(results["sort"], "relevance", "a query sorts by relevance");
    assert_eq!(results["undated"], 0, "no year range, no case left out");
    assert_eq!(results["query"], "participatory budgeting");
    assert_eq!(results["corrected"], Value::Null);
    assert_eq!(results["partial"], Value::Null);
    let hits = results["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert_eq!(results["total"].as_u64().unwrap() as usize, hits.len());
    for hit in hits {
        assert_eq!(
            keys(hit),
            BTreeSet::from(["slug", "title", "url", "score", "matched"])
        );
        assert_eq!(
            hit["matched"],
            serde_json::json!(["participatory budgeting"])
        );
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
fn a_misspelt_word_is_searched_as_the_collection_spells_it_and_says_so() {
    let example = &built_example().kb;
    let run = example.run(&["search", "partcipatory"]);
    run.expect_success();
    assert!(
        run.stdout.contains(
            "Showing results for \"participatory\" (search instead for \"partcipatory\" with --exact)"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Recife"), "{}", run.stdout);
    let exact = example.run(&["search", "partcipatory", "--exact"]);
    exact.expect_success();
    assert!(exact.stdout.contains("No cases match"), "{}", exact.stdout);
    let json = example.run(&["search", "older peple", "--json"]);
    let results: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(results["corrected"], "older people");
    assert_eq!(
        results["corrections"],
        serde_json::json!([{"word": "peple", "to": "people"}])
    );
    assert_eq!(
        results["hits"][0]["matched"],
        serde_json::json!(["older", "peple"])
    );
}

#[test]
fn a_word_found_nowhere_and_near_nothing_says_no_cases_match() {
    let run = built_example().kb.run(&["search", "zyxwvutsr"]);
    run.expect_success();
    assert!(
        run.stdout.contains("No cases match \"zyxwvutsr\""),
        "{}",
        run.stdout
    );
}

#[test]
fn a_remembered_passage_finds_the_case_whose_words_stand_in_that_order() {
    let kb = Kb::empty();
    // Every word of the passage, more often than the passage case has them, none side by side.
    kb.write(
        "content/cases/scattered.md",
        case_file(
            "Meals and volunteers",
            "",
            "Volunteers cook. Meals arrive. Hot soup, hot tea. Drivers deliver. Volunteers \
             plan meals; vans deliver.",
        ),
    );
    kb.write(
        "content/cases/passage.md",
        case_file(
            "A winter rota",
            "",
            "In the village volunteers deliver hot meals to neighbours who cannot cook, \
             each weekday through the winter, with a rota kept at the community hall.",
        ),
    );
    kb.build(&[]).expect_success();
    let ranked = |args: &[&str]| -> Vec<(String, f64)> {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        all.push("--json");
        let run = kb.run(&all);
        run.expect_success();
        let results: Value = serde_json::from_str(&run.stdout).unwrap();
        results["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["slug"].as_str().unwrap().into(),
                    h["score"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    let passage = ranked(&["volunteers deliver hot meals"]);
    let slugs: Vec<&str> = passage.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(slugs, ["passage", "scattered"], "{passage:?}");
    assert!(
        passage[0].1 < passage[1].1,
        "the passage case scores less, and comes first for its word order: {passage:?}"
    );
    // A misspelt word of the passage stands there through its correction.
    let misspelt = ranked(&["volunteers delivr hot meals"]);
    assert_eq!(misspelt[0].0, "passage", "{misspelt:?}");
    // Fewer words, or words being typed, rank by score alone.
    assert_eq!(ranked(&["deliver hot meals"])[0].0, "scattered");
    assert_eq!(
        ranked(&["volunteers deliver hot meals", "--prefix"])[0].0,
        "scattered"
    );
}

#[test]
fn when_no_case_has_every_word_the_cases_with_most_of_them_are_shown() {
    let kb = Kb::empty();
    kb.write(
        "content/cases/both.md",
        case_file(
            "Lantern walks",
            "",
            "Evening walks with lanterns by the river.",
        ),
    );
    kb.write(
        "content/cases/one.md",
        case_file("River clean-up", "", "Neighbours clear the river banks."),
    );
    kb.write(
        "content/cases/none.md",
        case_file("Street party", "", "A party in the street."),
    );
    kb.build(&[]).expect_success();
    let run = kb.run(&["search", "lantern river zeppelin", "--json"]);
    let results: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        results["partial"],
        serde_json::json!({"words": 3, "best": 2, "cases": 1})
    );
    let slugs: Vec<&str> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["both", "one"], "most words first");
    assert_eq!(results["hits"][1]["matched"], serde_json::json!(["river"]));
    let text = kb.run(&["search", "lantern river zeppelin"]);
    assert!(
        text.stdout
            .contains("No case has all 3 words; 1 case has 2 of them."),
        "{}",
        text.stdout
    );
    // With every word present somewhere, only cases with all of them count.
    assert_eq!(search(&kb, &["lantern river"]), ["both"]);
}

#[test]
fn while_typing_the_last_word_matches_the_words_that_begin_with_it() {
    let kb = Kb::empty();
    kb.write(
        "content/cases/budgeting.md",
        case_file("Budgeting together", "", "Residents decide."),
    );
    kb.write(
        "content/cases/bude.md",
        case_file("A day in Bude", "", "By the sea."),
    );
    kb.build(&[]).expect_success();
    // "budgeti" is neither a word nor a stem, but begins "budgeting".
    assert!(search(&kb, &["budgeti"]).is_empty());
    assert_eq!(search(&kb, &["budgeti", "--prefix"]), ["budgeting"]);
    // A finished word (followed by a space) is not a prefix.
    assert!(search(&kb, &["budgeti ", "--prefix"]).is_empty());
    let both = set(search(&kb, &["bud", "--prefix"]));
    assert_eq!(both, set(vec!["budgeting".into(), "bude".into()]));
    // A word no word begins with is misspelt already: corrected while typed, as once submitted.
    assert_eq!(search(&kb, &["budgetnig", "--prefix"]), ["budgeting"]);
    assert_eq!(search(&kb, &["budgetnig"]), ["budgeting"]);
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
    assert!(example.kb.path(".casebook/search/index").is_dir());
    assert!(!example.output().join(".casebook").exists());
    assert!(example.output().join("search/meta.json").is_file());
}

/// A case's date from cases.json as (year, month, day), `date` first, else `year`.
fn recency(case: &Value) -> Option<(i64, i64, i64)> {
    if let Some(date) = case["date"].as_str() {
        let parts: Vec<i64> = date.split('-').map(|p| p.parse().unwrap()).collect();
        return Some((parts[0], parts[1], parts[2]));
    }
    case["year"].as_i64().map(|y| (y, 0, 0))
}

/// Titles compared as the sort promises: folded (lowercase, no diacritics), as bytes.
fn title_key(case: &Value) -> Vec<u8> {
    deunicode::deunicode(case["title"].as_str().unwrap())
        .to_lowercase()
        .into_bytes()
}

fn slugs(cases: &[&Value]) -> Vec<String> {
    cases
        .iter()
        .map(|c| c["slug"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn sort_orders_cases_by_date_and_title_with_undated_last() {
    let json = built_example().cases_json();
    let mut by_title: Vec<&Value> = json.iter().collect();
    by_title.sort_by_key(|c| title_key(c));
    assert_eq!(example_search(&["--sort", "title"]), slugs(&by_title));

    let (mut dated, undated): (Vec<&Value>, Vec<&Value>) =
        by_title.iter().partition(|c| recency(c).is_some());
    assert!(
        !undated.is_empty(),
        "the example has an undated case to put last"
    );
    dated.sort_by_key(|c| std::cmp::Reverse(recency(c)));
    let newest: Vec<&Value> = dated.iter().chain(&undated).copied().collect();
    assert!(
        example_search(&[]).is_empty(),
        "nothing asked, nothing listed"
    );
    assert_eq!(example_search(&["--sort", "newest"]), slugs(&newest));
    let uk: Vec<String> = slugs(&newest)
        .into_iter()
        .filter(|s| cases_with("country", "United Kingdom").contains(s))
        .collect();
    assert_eq!(
        example_search(&["--country", "UK"]),
        uk,
        "filters without a query list the cases newest first"
    );
    dated.sort_by_key(|c| recency(c));
    let oldest: Vec<&Value> = dated.iter().chain(&undated).copied().collect();
    assert_eq!(example_search(&["--sort", "oldest"]), slugs(&oldest));

    let care = example_search(&["care", "--sort", "oldest"]);
    let expected: Vec<String> = slugs(&oldest)
        .into_iter()
        .filter(|s| care.contains(s))
        .collect();
    assert_eq!(care, expected, "a query's matches sorted oldest first");
    assert_ne!(
        care,
        example_search(&["care"]),
        "relevance orders them otherwise"
    );
}

#[test]
fn a_year_range_keeps_the_cases_of_those_years_and_says_how_many_had_none() {
    let json = built_example().cases_json();
    let year = |c: &Value| {
        c["year"]
            .as_i64()
            .or_else(|| c["date"].as_str().map(|d| d[..4].parse().unwrap()))
    };
    let within: BTreeSet<String> = json
        .iter()
        .filter(|c| year(c).is_some_and(|y| (2010..=2014).contains(&y)))
        .map(|c| c["slug"].as_str().unwrap().to_string())
        .collect();
    assert!(!within.is_empty() && within.len() < json.len());
    assert_eq!(set(example_search(&["--year", "2010..2014"])), within);
    let from: BTreeSet<String> = json
        .iter()
        .filter(|c| year(c).is_some_and(|y| y >= 2014))
        .map(|c| c["slug"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(set(example_search(&["--year", "2014.."])), from);
    assert_eq!(set(example_search(&["--year", "2012"])).len(), {
        json.iter().filter(|c| year(c) == Some(2012)).count()
    });

    let undated = json.iter().filter(|c| year(c).is_none()).count();
    let run = built_example().kb.run(&["search", "--year", "2010..2014"]);
    run.expect_success();
    let said = if undated == 1 {
        "1 case without a year left out by --year.".to_string()
    } else {
        format!("{undated} cases without a year left out by --year.")
    };
    assert!(run.stdout.contains(&said), "{}", run.stdout);

    for (bad, says) in [
        ("2015..2010", "2015 is after 2010"),
        ("twenty..", "`twenty` is not a year"),
        ("..", "give a year"),
    ] {
        let run = built_example().kb.run(&["search", "care", "--year", bad]);
        assert_eq!(run.code, 2, "--year {bad} is a usage error");
        assert!(run.stderr.contains(says), "--year {bad}: {}", run.stderr);
    }
    let run = built_example()
        .kb
        .run(&["search", "care", "--sort", "nonsense"]);
    assert_eq!(run.code, 2, "an unknown sort is a usage error");
    assert!(
        run.stderr
            .contains("choose one of relevance, newest, oldest, title"),
        "{}",
        run.stderr
    );
}

#[test]
fn country_filters_by_any_name_of_a_country_and_by_regions_that_name_one() {
    let uk = cases_with("country", "United Kingdom");
    assert!(
        uk.len() > 6,
        "besides the 6 cases saying `country: United Kingdom`, regions such as Scotland count"
    );
    for spelling in ["United Kingdom", "UK", "united kingdom", "Great Britain"] {
        assert_eq!(
            set(example_search(&["--country", spelling])),
            uk,
            "--country {spelling}"
        );
    }
    let scotland_care = set(example_search(&[
        "care",
        "--country",
        "UK",
        "--region",
        "Scotland",
    ]));
    assert!(!scotland_care.is_empty() && scotland_care.is_subset(&uk));
}
