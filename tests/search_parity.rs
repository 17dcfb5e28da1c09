//! Parity: for the same query and filters, the browser runtime (run in Node on the built
//! output) returns the same ranked cases as `casebook search --json`.

use crate::common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{built_example, casebook, repo, Run};
use serde_json::{json, Value};

/// (query, filters as (facet, value)); single words, several words, phrases, diacritics,
/// hyphenated words, stems, synonyms, with and without filters.
const QUERIES: &[(&str, &[(&str, &str)])] = &[
    ("co-production", &[]),
    ("coproduction", &[]),
    ("co production", &[]),
    ("care", &[]),
    ("police", &[]),
    ("Oldham", &[]),
    ("Manchester", &[]),
    ("residents", &[]),
    ("council", &[]),
    ("Scotland", &[]),
    ("Japan", &[]),
    ("Iowa", &[]),
    ("Camden", &[]),
    ("Blakelaw", &[]),
    ("disabled", &[]),
    ("homelessness", &[]),
    ("older people co-production", &[]),
    ("participatory budgeting", &[]),
    ("social enterprise Lancashire", &[]),
    ("young people mental health", &[]),
    ("community assets Newcastle", &[]),
    ("peer learning local government", &[]),
    ("Danish visitors learning tour", &[]),
    ("needs and capabilities", &[]),
    ("video phones older people", &[]),
    ("charter agencies savings", &[]),
    ("\"decision day\"", &[]),
    ("\"learning tour\"", &[]),
    ("\"older people\"", &[]),
    ("\"participatory budgeting\" Brazil", &[]),
    ("\"co-production\"", &[]),
    ("\"community post office\"", &[]),
    ("\"Family Nurse Partnership\"", &[]),
    ("Seinäjoki", &[]),
    ("Seinajoki", &[]),
    ("SEINAJOKI preventative", &[]),
    ("São Paulo", &[]),
    ("co-design", &[]),
    ("co design", &[]),
    ("codesign", &[]),
    ("age-friendly", &[]),
    ("not-for-profit", &[]),
    ("asset-based", &[]),
    ("budgets", &[]),
    ("volunteering", &[]),
    ("volunteer", &[]),
    ("organisations", &[]),
    ("communities", &[]),
    ("partnerships", &[]),
    ("PB", &[]),
    ("ABCD", &[]),
    ("telecare", &[]),
    ("partcipatory", &[]),
    ("care", &[("region", "Scotland")]),
    ("co-production", &[("theme", "co-production")]),
    ("learning", &[("region", "North West England")]),
    ("", &[("theme", "participatory budgeting")]),
    ("older people", &[("approach", "technology-enabled care")]),
    (
        "council",
        &[
            ("region", "North West England"),
            ("region", "West Midlands"),
        ],
    ),
    (
        "community",
        &[
            ("theme", "community assets"),
            ("region", "North West England"),
        ],
    ),
    (
        "services",
        &[("theme", "co-production"), ("approach", "co-production")],
    ),
];

fn cli_search(query: &str, filters: &[(&str, &str)]) -> Vec<(String, f64)> {
    let example = built_example();
    let mut command = casebook();
    command
        .arg("search")
        .arg("--root")
        .arg(example.kb.root())
        .arg(query)
        .args(["--json", "--limit", "10"]);
    for (facet, value) in filters {
        command.arg(format!("--{facet}")).arg(value);
    }
    let run = Run::of(&mut command);
    run.expect_success();
    let hits: Vec<Value> = serde_json::from_str(&run.stdout).expect("--json prints JSON");
    hits.iter()
        .map(|h| {
            (
                h["slug"].as_str().unwrap().to_string(),
                h["score"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn node_search() -> Vec<Value> {
    let example = built_example();
    let queries: Vec<Value> = QUERIES
        .iter()
        .map(|(query, filters)| {
            let mut by_facet = serde_json::Map::new();
            for (facet, value) in *filters {
                by_facet
                    .entry(facet.to_string())
                    .or_insert_with(|| json!([]))
                    .as_array_mut()
                    .unwrap()
                    .push(json!(value));
            }
            json!({ "query": query, "filters": by_facet, "limit": 10 })
        })
        .collect();
    let output = run_search_script(&example.output(), &json!(queries).to_string());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn browser_runtime_ranks_exactly_as_casebook_search() {
    assert!(QUERIES.len() >= 50);
    let browser = node_search();
    let mut with_results = 0;
    for ((query, filters), js) in QUERIES.iter().zip(&browser) {
        let cli = cli_search(query, filters);
        let js_slugs: Vec<&str> = js["slugs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        let cli_slugs: Vec<&str> = cli.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            js_slugs, cli_slugs,
            "ranked slugs differ for {query:?} with filters {filters:?}"
        );
        // Both sum the same integer term scores: equal to the last bit, not just close.
        let js_scores: Vec<f64> = js["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_f64().unwrap())
            .collect();
        let cli_scores: Vec<f64> = cli.iter().map(|(_, score)| *score).collect();
        assert_eq!(js_scores, cli_scores, "scores differ for {query:?}");
        with_results += usize::from(!cli.is_empty());
    }
    assert!(
        with_results >= 45,
        "most queries must find something; {with_results} did"
    );
}

#[test]
fn the_runtime_loads_in_node_even_under_a_commonjs_package() {
    // A site is often deployed inside a Node project whose package.json says CommonJS;
    // the runtime's .js files must still load as ES modules there.
    let example = built_example();
    let project = common::temp_dir();
    std::fs::write(
        project.path().join("package.json"),
        r#"{ "type": "commonjs" }"#,
    )
    .unwrap();
    let site = project.path().join("site");
    common::copy_tree(&example.output(), &site);
    let output = run_search_script(&site, r#"[{"query": "Oldham"}]"#);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("oldham"));
}

#[test]
fn a_phrase_deep_in_a_long_body_is_found_from_the_whole_text() {
    // Fragments carry only the start of a long body (for snippets); phrases are checked on
    // the whole body, fetched from docs/<n>.txt only for such cases.
    let kb = common::Kb::empty();
    let filler = "Volunteers met every week to plan the next season of visits. ".repeat(60);
    kb.write(
        "content/cases/long.md",
        common::case_file(
            "A long account",
            "",
            &format!("{filler}\n\nAt last the zebra crossing opened."),
        ),
    );
    kb.write(
        "content/cases/short.md",
        common::case_file("A short one", "", "The crossing for zebra herds."),
    );
    kb.build(&[]).expect_success();
    let docs = kb.output().join("search/docs");
    let numbers: Vec<Value> = (0..2)
        .map(|n| {
            serde_json::from_slice(&std::fs::read(docs.join(format!("{n}.json"))).unwrap()).unwrap()
        })
        .collect();
    let long = numbers
        .iter()
        .position(|f| f["slug"] == "long")
        .expect("the long case");
    let fragment = &numbers[long];
    assert_eq!(fragment["cut"], true);
    let carried = fragment["text"].as_str().unwrap();
    assert!(
        carried.len() <= 1500 && carried.len() > 1000,
        "{} bytes",
        carried.len()
    );
    assert!(!carried.contains("zebra"));
    let whole = std::fs::read_to_string(docs.join(format!("{long}.txt"))).unwrap();
    assert!(whole.starts_with(carried) && whole.ends_with("At last the zebra crossing opened."));
    assert!(numbers[1 - long].get("cut").is_none());
    assert!(
        !docs.join(format!("{}.txt", 1 - long)).exists(),
        "a short body travels whole"
    );

    let output = run_search_script(
        &kb.output(),
        r#"[{"query": "\"zebra crossing\""}, {"query": "zebra crossing"}]"#,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let js: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        js[0]["slugs"],
        json!(["long"]),
        "only the long case has the phrase"
    );
    assert_eq!(js[1]["total"], 2, "both have both words");
    let run = kb.run(&["search", "\"zebra crossing\"", "--json"]);
    run.expect_success();
    let cli: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(cli.len(), 1);
    assert_eq!(cli[0]["slug"], "long");
}

/// Runs `tests/js/search.mjs` (the real runtime, in Node) on a built site with `queries` as JSON.
fn run_search_script(site: &std::path::Path, queries: &str) -> std::process::Output {
    let mut child = Command::new("node")
        .arg(repo().join("tests/js/search.mjs"))
        .arg(site)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node must be installed to run the browser runtime");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(queries.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}
