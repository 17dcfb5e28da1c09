//! The browser editing form: `admin/index.html` and `admin/config.yml` when `_site.yaml`
//! enables `cms:`, `casebook cms`, and Decap CMS itself in headless Chromium over Decap's
//! local backend, writing files that `check` then reads.

use crate::common;

use std::collections::BTreeSet;

use common::served::{Served, PATIENCE};
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

/// The front matter and the body of a case file.
fn parts(text: &str) -> (serde_yaml::Mapping, String) {
    let rest = text.strip_prefix("---\n").expect("front matter");
    let (yaml, body) = rest.split_once("\n---\n").expect("closing ---");
    let mapping = serde_yaml::from_str(yaml).expect("YAML front matter");
    (mapping, body.trim().to_string())
}

/// A free port on 127.0.0.1 (free when asked: another process could take it after).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Decap's local backend (decap-server from npm) on `port`, over the files of `kb`, stopped
/// when dropped.
struct DecapServer(std::process::Child);

impl DecapServer {
    fn start(kb: &Kb, port: u16) -> DecapServer {
        let script =
            common::browser::browser_tests().join("node_modules/decap-server/dist/index.js");
        let child = std::process::Command::new("node")
            .arg(script)
            .env("PORT", port.to_string())
            .env("BIND_HOST", "127.0.0.1")
            .env("MODE", "fs")
            .env("GIT_REPO_DIRECTORY", kb.root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("node runs decap-server");
        let started = std::time::Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < PATIENCE, "decap-server never listened");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        DecapServer(child)
    }
}

impl Drop for DecapServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn decap_cms_writes_cases_that_check_accepts_and_changes_only_the_field_edited() {
    if !common::browser::chromium_or_skip() {
        return;
    }
    common::browser::install_node_packages();
    let kb = Kb::example();
    // The CMS bundle from its npm package, served by the site itself.
    let dist = common::browser::browser_tests().join("node_modules/decap-cms/dist");
    for entry in std::fs::read_dir(&dist).expect("decap-cms is installed") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "js") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            kb.write(
                &format!("themes/default/static/vendor/decap/{name}"),
                std::fs::read(&path).unwrap(),
            );
        }
    }
    let port = free_port();
    let settings = kb.read("content/_site.yaml").replace(
        "  local_backend: true\n",
        &format!("  local_backend: {port}\n  script: /vendor/decap/decap-cms.js\n"),
    );
    kb.write("content/_site.yaml", settings);
    let food_train = "content/cases/scotland/food-train.md";
    let before = kb.read(food_train);
    let _decap = DecapServer::start(&kb, port);
    let served = Served::start(&kb, 0);
    let site = common::browser::ServedSite {
        url: format!("http://{}/", served.address),
        output: std::path::PathBuf::new(),
        artifacts: common::repo().join("tests").join("artifacts"),
        kb,
    };
    site.node_test("cms.test.mjs", std::time::Duration::from_secs(240))
        .expect_pass();
    let kb = &site.kb;

    let written = kb.read("content/cases/youth-panel-in-leith.md");
    let (fields, body) = parts(&written);
    let list = |key: &str| serde_yaml::to_string(&fields[key]).unwrap();
    assert_eq!(fields["title"], "Youth panel in Leith");
    assert!(list("theme").contains("youth engagement"), "{written}");
    assert!(!written.contains("youth work"), "{written}");
    assert!(list("region").contains("Scotland"), "{written}");
    assert_eq!(body, "The panel met every month.");
    let run = kb.check();
    run.expect_success();
    let about_it: Vec<&str> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.contains("youth-panel-in-leith") || d.contains("food-train"))
        .collect();
    assert!(about_it.is_empty(), "{about_it:?}");

    // Only the summary changed (the CMS may write the YAML in its own layout).
    let (mut old, old_body) = parts(&before);
    let (mut new, new_body) = parts(&kb.read(food_train));
    assert_eq!(
        new.remove("summary"),
        Some("Food Train delivers groceries to older people, with volunteers.".into())
    );
    old.remove("summary");
    // A form field left empty is written as nothing or as its empty value.
    new.retain(|key, value| old.contains_key(key) || !is_empty_value(value));
    assert_eq!(new, old);
    assert_eq!(new_body, old_body);
}

/// `false`, `''`, `[]` or null: what a form writes for a field left alone.
fn is_empty_value(value: &serde_yaml::Value) -> bool {
    match value {
        serde_yaml::Value::Null => true,
        serde_yaml::Value::Bool(b) => !b,
        serde_yaml::Value::String(s) => s.is_empty(),
        serde_yaml::Value::Sequence(items) => items.is_empty(),
        _ => false,
    }
}
