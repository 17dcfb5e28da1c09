//! The browser editing form: `admin/index.html` and `admin/config.yml` when `_site.yaml`
//! enables `cms:`, and `casebook cms`. (A test driving Decap CMS itself in Chromium is still
//! to come; these check what casebook writes.)

use crate::common;

use std::collections::BTreeSet;

use common::{built_example, markdown_files, Kb};

/// The example's `admin/config.yml`, parsed.
fn example_config() -> serde_yaml::Value {
    let text = built_example().read("admin/config.yml");
    serde_yaml::from_str(&text).expect("admin/config.yml is YAML")
}

#[test]
fn the_example_has_a_form_whose_collections_mirror_the_vocabulary_and_folders() {
    let site = built_example();
    let page = site.read("admin/index.html");
    assert!(page.contains("<link href=\"config.yml\" type=\"text/yaml\" rel=\"cms-config-url\">"));
    assert!(
        page.contains(
            "src=\"https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js\" integrity=\"sha384-"
        ),
        "the CMS comes from a pinned address, checked by its hash:\n{page}"
    );
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));

    let config = example_config();
    assert_eq!(config["backend"]["name"], "git-gateway");
    assert_eq!(config["local_backend"], true);
    // One collection per folder holding cases.
    let folders: BTreeSet<String> = config["collections"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|c| c["folder"].as_str().unwrap().to_string())
        .collect();
    let repo_cases = common::repo().join("content/cases");
    let expected: BTreeSet<String> = markdown_files(&repo_cases)
        .iter()
        .map(|file| {
            let folder = file.parent().unwrap().strip_prefix(common::repo()).unwrap();
            folder.to_string_lossy().replace('\\', "/")
        })
        .collect();
    assert_eq!(folders, expected);

    let taxonomy: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(common::repo().join("content/_taxonomy.yaml")).unwrap(),
    )
    .unwrap();
    for collection in config["collections"].as_sequence().unwrap() {
        assert_eq!(collection["format"], "yaml-frontmatter");
        let fields = collection["fields"].as_sequence().unwrap();
        let field = |name: &str| {
            fields
                .iter()
                .find(|f| f["name"] == name)
                .unwrap_or_else(|| panic!("no field {name}"))
        };
        assert_eq!(field("title")["required"], true);
        assert_eq!(field("body")["widget"], "markdown");
        assert_eq!(field("draft")["widget"], "boolean");
        let source_fields: Vec<&str> = field("sources")["fields"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(source_fields, ["title", "url"]);
        // A facet the vocabulary lists is a select of exactly its values.
        for facet in ["theme", "region", "approach"] {
            let listed: Vec<&str> = taxonomy[facet]
                .as_mapping()
                .unwrap()
                .keys()
                .map(|k| k.as_str().unwrap())
                .collect();
            let options: Vec<&str> = field(facet)["options"]
                .as_sequence()
                .unwrap()
                .iter()
                .map(|o| o.as_str().unwrap())
                .collect();
            assert_eq!(field(facet)["widget"], "select");
            assert_eq!(options, listed, "{facet}");
        }
        // One the vocabulary leaves open is free text.
        assert_eq!(field("organisation")["widget"], "list");
    }
    // `casebook cms` prints what the build wrote.
    let run = site.kb.run(&["cms"]);
    run.expect_success();
    assert_eq!(run.stdout, site.read("admin/config.yml"));
    // The form is not a page of the site.
    assert!(!site.read("sitemap.xml").contains("admin/"));
}

#[test]
fn a_script_of_the_site_owners_choice_is_loaded_as_given() {
    let kb = Kb::example();
    let settings = kb.read("content/_site.yaml");
    kb.write(
        "content/_site.yaml",
        format!("{settings}  script: /vendor/decap-cms.js\n"),
    );
    kb.build(&[]).expect_success();
    let page = kb.read("public/admin/index.html");
    assert!(
        page.contains("<script src=\"/vendor/decap-cms.js\"></script>"),
        "{page}"
    );
}

#[test]
fn without_cms_settings_there_is_no_form_and_cms_says_what_to_add() {
    let kb = Kb::empty();
    kb.write(
        "content/cases/a.md",
        common::case_file("A case", "", "Text."),
    );
    kb.build(&[]).expect_success();
    assert!(!kb.path("public/admin").exists());
    let run = kb.run(&["cms"]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("content/_site.yaml: error: `_site.yaml` enables no editing form"),
        "{}",
        run.stderr
    );
}

#[test]
fn broken_cms_settings_name_their_line_for_build_and_cms() {
    let kb = Kb::example();
    let settings = kb.read("content/_site.yaml");
    let broken = settings.replace("backend: git-gateway", "backend: wordpress");
    assert_ne!(broken, settings);
    kb.write("content/_site.yaml", &broken);
    let line = broken
        .lines()
        .position(|l| l.contains("backend: wordpress"))
        .unwrap()
        + 1;
    for command in [&["build"][..], &["cms"][..]] {
        let run = kb.run(command);
        run.expect_code(1);
        assert!(
            run.stderr.contains(&format!("content/_site.yaml:{line}:1: error: `cms.backend` must be one of github, gitlab, gitea, bitbucket, azure, git-gateway, found `wordpress`")),
            "{command:?}: {}",
            run.stderr
        );
    }
    kb.write(
        "content/_site.yaml",
        settings.replace("backend: git-gateway", "backend: github"),
    );
    let run = kb.run(&["cms"]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("the `github` backend needs `repo: owner/name` under `cms:`"),
        "{}",
        run.stderr
    );
}
