//! `casebook schema`: the JSON Schema of a case's front matter, checked with a real validator
//! (Ajv, draft 2020-12 with formats): every example case passes it, and the mistakes `check`
//! refuses fail it too.

use crate::common;

use common::{markdown_files, Kb};
use serde_json::{json, Value};

/// The front matter of a case file, as JSON.
fn front_matter(text: &str) -> Value {
    let yaml = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map(|(yaml, _)| yaml)
        .expect("front matter between --- lines");
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).expect("YAML");
    serde_json::to_value(value).expect("front matter as JSON")
}

/// Each instance's name and whether the schema printed by `casebook schema <options>` accepts it.
fn validate(
    kb: &Kb,
    options: &[&str],
    instances: &[(String, Value)],
) -> Vec<(String, bool, Value)> {
    let mut args = vec!["schema"];
    args.extend_from_slice(options);
    let run = kb.run(&args);
    run.expect_success();
    let schema = kb.write("schema.json", &run.stdout);
    let listed: Vec<Value> = instances
        .iter()
        .map(|(name, data)| json!({"name": name, "data": data}))
        .collect();
    let instances_file = kb.write("instances.json", serde_json::to_string(&listed).unwrap());
    let results = common::node_json("browser/validate_schema.mjs", &[&schema, &instances_file]);
    results
        .as_array()
        .expect("a result for each instance")
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["valid"].as_bool().unwrap(),
                r["errors"].clone(),
            )
        })
        .collect()
}

const GOOD: &str = "---\ntitle: Food Train meals\ntheme: [co-production]\nregion: Scotland\norganisation: Food Train\napproach: volunteering\nyear: 2012\ndate: 2012-05-31\nsources:\n  - title: A report\n    url: https://example.org/report\n---\nText.\n";

#[test]
fn every_example_case_passes_the_schema_and_the_mistakes_check_refuses_fail_it() {
    let kb = Kb::example();
    let mut instances: Vec<(String, Value)> = markdown_files(&kb.path("content/cases"))
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.display().to_string(), front_matter(&text))
        })
        .collect();
    assert!(instances.len() >= 19);
    let examples = instances.len();
    instances.push(("good".into(), front_matter(GOOD)));
    // Each mistake: the schema refuses it, and so does `check`.
    let mistakes = [
        (
            "an unknown key",
            "title: Food Train meals\n",
            "title: Food Train meals\ncolour: red\n",
        ),
        (
            "a value outside the vocabulary",
            "theme: [co-production]",
            "theme: [youth work]",
        ),
        ("a year that is no year", "year: 2012", "year: soon"),
        (
            "a date that is no date",
            "date: 2012-05-31",
            "date: 31/05/2012",
        ),
        (
            "sources that are a number",
            "sources:\n  - title: A report\n    url: https://example.org/report\n",
            "sources: 42\n",
        ),
        ("no title", "title: Food Train meals\n", ""),
        (
            "a source address that is not http(s)",
            "url: https://example.org/report",
            "url: ftp://example.org/report",
        ),
    ];
    for (name, from, to) in mistakes {
        let text = GOOD.replacen(from, to, 1);
        assert_ne!(text, GOOD, "{name}");
        kb.write("content/cases/mistake.md", &text);
        let run = kb.check();
        assert_eq!(run.code, 1, "check refuses {name}:\n{}", run.stderr);
        instances.push((name.to_string(), front_matter(&text)));
    }
    std::fs::remove_file(kb.path("content/cases/mistake.md")).unwrap();
    let results = validate(&kb, &[], &instances);
    assert_eq!(results.len(), instances.len());
    for (index, (name, valid, errors)) in results.iter().enumerate() {
        let should_pass = index <= examples;
        assert_eq!(*valid, should_pass, "{name}: {errors}");
    }
}

#[test]
fn the_strict_schema_requires_the_four_facets() {
    let kb = Kb::example();
    let without_approach = front_matter(&GOOD.replacen("approach: volunteering\n", "", 1));
    let instance = vec![("no approach".to_string(), without_approach)];
    assert!(validate(&kb, &[], &instance)[0].1);
    assert!(!validate(&kb, &["--strict"], &instance)[0].1);
}

#[test]
fn a_schema_for_a_knowledge_base_with_broken_settings_names_the_line() {
    let kb = Kb::example();
    kb.write(
        "content/_taxonomy.yaml",
        "theme:\n  co-production:\n    synonyms: [a\n",
    );
    let run = kb.run(&["schema"]);
    run.expect_code(1);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("content/_taxonomy.yaml:3:15: error:"),
        "{}",
        run.stderr
    );
}
