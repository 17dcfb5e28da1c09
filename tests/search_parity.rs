//! Parity: for the same query and filters, the browser runtime (run in Node on the built
//! output) returns the same ranked cases as `casebook search --json`.

mod common;

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
        for ((_, cli_score), js_score) in cli.iter().zip(js["scores"].as_array().unwrap()) {
            let js_score = js_score.as_f64().unwrap();
            assert!(
                (cli_score - js_score).abs() < 2e-4,
                "{query:?}: score {cli_score} vs {js_score}"
            );
        }
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
