//! Editors' mistakes and hostile content, one test per bad input: each runs the real binary
//! on a knowledge base holding it and checks the exit code, the file and line reported, the
//! suggestion where one is promised, and that the site built before is exactly as it was.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{case_file, casebook, snapshot, temp_dir, Kb, Run};

type Snapshot = BTreeMap<String, Vec<u8>>;

/// A knowledge base with one good case, built: the site a mistake must leave alone.
fn built_site() -> (Kb, Snapshot) {
    let kb = Kb::empty();
    kb.write(
        "content/cases/good.md",
        case_file("A good case", "", "Volunteers delivered meals."),
    );
    kb.build(&[]).expect_success();
    let before = snapshot(&kb.output());
    (kb, before)
}

/// Builds again after a mistake: it must fail with exit code 1 and change nothing.
#[track_caller]
fn build_fails(kb: &Kb, before: &Snapshot) -> Run {
    let run = kb.build(&[]);
    run.expect_code(1);
    assert!(
        *before == snapshot(&kb.output()),
        "a failed build changed the previous output\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    // Pages are written to a staging folder as they are rendered: a failure found after
    // rendering (an alias over a page) must remove it.
    let beside_output: Vec<String> = std::fs::read_dir(kb.root())
        .expect("the knowledge base folder")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.contains(".casebook-"))
        .collect();
    assert!(
        beside_output.is_empty(),
        "staging left behind: {beside_output:?}"
    );
    run
}

/// One diagnostic's first line: `path[:line:col]: severity: message`.
#[derive(Debug)]
struct Reported {
    line: usize,
    column: usize,
    severity: String,
    message: String,
    /// The whole first line, to find its help with [`Run::help_for`].
    header: String,
}

/// The diagnostics a run reported for `path`, in order; panics when there are none.
#[track_caller]
fn reported(run: &Run, path: &str) -> Vec<Reported> {
    let found: Vec<Reported> = run
        .diagnostics()
        .into_iter()
        .filter_map(|line| {
            let rest = line.strip_prefix(path)?;
            let (position, rest) = match rest.strip_prefix(':') {
                Some(after) if after.starts_with(|c: char| c.is_ascii_digit()) => {
                    let mut parts = after.splitn(3, ':');
                    let line: usize = parts.next()?.parse().ok()?;
                    let column: usize = parts.next()?.parse().ok()?;
                    ((line, column), parts.next()?.strip_prefix(' ')?)
                }
                Some(after) => ((0, 0), after.strip_prefix(' ')?),
                None => return None,
            };
            let (severity, message) = rest.split_once(": ")?;
            Some(Reported {
                line: position.0,
                column: position.1,
                severity: severity.to_string(),
                message: message.to_string(),
                header: line.to_string(),
            })
        })
        .collect();
    assert!(
        !found.is_empty(),
        "nothing reported for {path}:\n{}",
        run.stderr
    );
    found
}

/// The only error a run reported for `path`.
#[track_caller]
fn the_error(run: &Run, path: &str) -> Reported {
    let errors: Vec<Reported> = reported(run, path)
        .into_iter()
        .filter(|d| d.severity == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    errors.into_iter().next().expect("one")
}

#[track_caller]
fn assert_at(d: &Reported, line: usize, column: usize, words: &str) {
    assert_eq!(
        (d.line, d.column),
        (line, column),
        "wrong position: {}",
        d.header
    );
    assert!(d.message.contains(words), "{}", d.header);
}

const BAD: &str = "content/cases/bad.md";

#[test]
fn a_file_without_front_matter_is_an_error_on_its_first_line() {
    let (kb, before) = built_site();
    kb.write(BAD, "# Oldham's decision day\n\nResidents voted.\n");
    let run = build_fails(&kb, &before);
    let d = the_error(&run, BAD);
    assert_at(&d, 1, 1, "no front matter");
    assert!(run.help_for(&d.header).unwrap().contains("`---`"));
}

#[test]
fn unterminated_front_matter_is_an_error_on_its_opening_line() {
    let (kb, before) = built_site();
    kb.write(
        BAD,
        "---\ntitle: Never closed\ntheme: co-production\n\nText.\n",
    );
    let d = the_error(&build_fails(&kb, &before), BAD);
    assert_at(&d, 1, 1, "not closed");
}

#[test]
fn front_matter_that_is_not_a_mapping_is_an_error() {
    let (kb, before) = built_site();
    kb.write(BAD, "---\n- title\n- theme\n---\nText.\n");
    kb.write(
        "content/cases/sentence.md",
        "---\nJust a sentence.\n---\nText.\n",
    );
    let run = build_fails(&kb, &before);
    assert_at(&the_error(&run, BAD), 2, 1, "found a list");
    assert_at(
        &the_error(&run, "content/cases/sentence.md"),
        2,
        1,
        "found text",
    );
}

#[test]
fn a_tab_in_indentation_is_an_error_on_its_line() {
    let (kb, before) = built_site();
    kb.write(
        BAD,
        case_file("Tabbed", "sources:\n\t- title: A report\n", "Text."),
    );
    let run = build_fails(&kb, &before);
    let d = the_error(&run, BAD);
    assert_at(&d, 8, 1, "tab");
    assert_eq!(
        run.help_for(&d.header),
        Some("indent the line with 2 spaces instead of the tab")
    );
}

#[test]
fn an_unclosed_quote_is_an_error_where_the_quote_opens() {
    let (kb, before) = built_site();
    let text = case_file("Quoted", "", "Text.")
        .replace("region: Scotland", "region: \"Scotland, Highlands");
    kb.write(BAD, text);
    let d = the_error(&build_fails(&kb, &before), BAD);
    assert_at(&d, 4, 9, "quoted value is never closed");
}

#[test]
fn a_duplicate_key_is_an_error_on_the_second_one() {
    let (kb, before) = built_site();
    kb.write(BAD, case_file("Twice", "title: Again\n", "Text."));
    let run = build_fails(&kb, &before);
    let d = the_error(&run, BAD);
    assert_at(&d, 7, 1, "`title` is given twice");
    assert!(
        run.help_for(&d.header).unwrap().contains("line 2"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_title_is_an_error() {
    let (kb, before) = built_site();
    let text = case_file("Untitled", "", "Text.").replace("title: Untitled\n", "");
    kb.write(BAD, text);
    let run = build_fails(&kb, &before);
    let d = the_error(&run, BAD);
    assert_at(&d, 1, 1, "missing required key `title`");
    assert_eq!(
        run.help_for(&d.header),
        Some("add a line `title: …` to the front matter")
    );
}

#[test]
fn values_of_the_wrong_type_are_errors_at_the_value() {
    let (kb, before) = built_site();
    let number = case_file("Number", "", "Text.").replace("theme: co-production", "theme: 42");
    let mapping =
        case_file("Mapping", "", "Text.").replace("theme: co-production", "theme: {a: b}");
    kb.write("content/cases/number.md", number);
    kb.write("content/cases/mapping.md", mapping);
    kb.write(BAD, case_file("Soon", "year: soon\n", "Text."));
    let run = build_fails(&kb, &before);
    let d = the_error(&run, "content/cases/number.md");
    assert_at(
        &d,
        3,
        8,
        "`theme` must be text or a list of text, found a number",
    );
    let d = the_error(&run, "content/cases/mapping.md");
    assert_at(&d, 3, 8, "found a mapping");
    let d = the_error(&run, BAD);
    assert_at(&d, 7, 7, "`year` must be a four-digit year, found `soon`");
    assert!(run.stderr.contains("3 error(s)"), "{}", run.stderr);
}

#[test]
fn unknown_keys_suggest_the_nearest_known_key() {
    let (kb, before) = built_site();
    let text = case_file("Misspelt", "themes: [housing]\n", "Text.")
        .replace("organisation:", "organization:");
    kb.write(BAD, text);
    let run = build_fails(&kb, &before);
    let problems = reported(&run, BAD);
    let errors: Vec<&Reported> = problems.iter().filter(|d| d.severity == "error").collect();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert_at(errors[0], 5, 1, "unknown key `organization`");
    assert_eq!(
        run.help_for(&errors[0].header),
        Some("did you mean `organisation`?")
    );
    assert_at(errors[1], 7, 1, "unknown key `themes`");
    assert_eq!(
        run.help_for(&errors[1].header),
        Some("did you mean `theme`?")
    );
}

#[test]
fn a_value_outside_the_vocabulary_suggests_the_nearest_and_synonyms_are_accepted() {
    let (kb, before) = built_site();
    kb.write(
        "content/_taxonomy.yaml",
        "theme:\n  co-production:\n    synonyms: [coproduction]\n  participatory budgeting:\n",
    );
    let synonym = case_file("Synonym", "", "Text.").replace("co-production", "coproduction");
    kb.write("content/cases/synonym.md", synonym);
    let misspelt = case_file("Misspelt", "", "Text.").replace(
        "theme: co-production",
        "theme: [co-production, participatory budgetting]",
    );
    kb.write(BAD, &misspelt);
    let run = build_fails(&kb, &before);
    let d = the_error(&run, BAD);
    assert_at(
        &d,
        3,
        24,
        "`participatory budgetting` is not a theme listed in _taxonomy.yaml",
    );
    assert_eq!(
        run.help_for(&d.header),
        Some("did you mean `participatory budgeting`?")
    );
    assert!(!run.stderr.contains("synonym.md"), "{}", run.stderr);

    kb.write(BAD, misspelt.replace("budgetting", "budgeting"));
    kb.build(&[]).expect_success();
    let page = kb.read("public/cases/synonym/index.html");
    assert!(
        page.contains("/themes/co-production/"),
        "the synonym maps to its value"
    );
    assert!(!kb.path("public/themes/coproduction").exists());
}

#[test]
fn two_files_with_the_same_slug_are_an_error_naming_both() {
    let (kb, before) = built_site();
    let same = "content/cases/same.md";
    kb.write(same, case_file("Same address", "slug: good\n", "Text."));
    let run = build_fails(&kb, &before);
    let d = the_error(&run, same);
    assert_at(
        &d,
        7,
        1,
        "slug `good` is already used by content/cases/good.md",
    );
}

#[test]
fn a_key_indented_past_the_key_above_is_told_to_line_up_and_then_passes() {
    // `url:` one space too far under a source reads as more of the title; quoting the value,
    // the old advice, would have corrupted the entry.
    let (kb, before) = built_site();
    let sources = "sources:\n  - title: A report\n     url: https://example.org/report\n";
    kb.write(BAD, case_file("Indented", sources, "Text."));
    let run = build_fails(&kb, &before);
    let d = the_error(&run, BAD);
    assert_at(
        &d,
        9,
        6,
        "`url:` is indented more than `title:` above it, so it reads as part of that value",
    );
    let help = run.help_for(&d.header).unwrap_or_default();
    assert_eq!(
        help,
        "line `url:` up with `title:`: indent it by 4 spaces instead of 5"
    );
    // The advice, applied.
    let mended = sources.replace("     url:", "    url:");
    kb.write(BAD, case_file("Indented", &mended, "Text."));
    kb.build(&[]).expect_success();
    let page = kb.read("public/cases/bad/index.html");
    assert!(
        page.contains("https://example.org/report"),
        "the source keeps its link"
    );

    // A `: ` inside a value on its own line keeps the advice to quote it.
    kb.write(BAD, case_file("Oldham: a decision day", "", "Text."));
    let run = kb.build(&[]);
    run.expect_code(1);
    let d = the_error(&run, BAD);
    assert!(
        d.message.contains("a `: ` inside the value of `title`"),
        "{}",
        d.header
    );
}

#[test]
fn a_list_item_indented_too_far_is_told_to_line_up_and_then_passes() {
    // `- b` indented past `- a` reads as the one value `a - b`: not an unknown theme at the
    // `theme:` line, but the line of `- b`. (A facet the vocabulary lists: an open one may
    // hold " - ".)
    let kb = Kb::example();
    kb.build(&[]).expect_success();
    let before = snapshot(&kb.output());
    let text = "---\ntitle: Listed\ntheme:\n  - co-production\n    - participatory budgeting\nregion: Scotland\norganisation: Food Train\napproach: volunteering\n---\nText.\n";
    kb.write(BAD, text);
    let run = build_fails(&kb, &before);
    let d = the_error(&run, BAD);
    assert_at(
        &d,
        5,
        5,
        "`- participatory budgeting` is indented further than the `-` above it, so it reads as part of `co-production`",
    );
    assert!(!run.stderr.contains("`theme` is empty"), "{}", run.stderr);
    assert_eq!(
        run.help_for(&d.header),
        Some("line up its `-` with the `-` of `co-production` above it")
    );
    kb.write(
        BAD,
        text.replace("    - participatory", "  - participatory"),
    );
    kb.build(&[]).expect_success();
    let page = kb.read("public/cases/bad/index.html");
    assert!(page.contains("participatory budgeting") && page.contains("co-production"));
}

#[test]
fn an_alias_that_would_replace_a_page_is_an_error() {
    let (kb, before) = built_site();
    kb.write(BAD, case_file("Alias", "aliases: [cases/good/]\n", "Text."));
    let run = build_fails(&kb, &before);
    let d = the_error(&run, BAD);
    assert_at(
        &d,
        7,
        1,
        "alias would overwrite the page cases/good/index.html",
    );
}

#[test]
fn an_alias_that_names_a_file_of_the_site_is_an_error_at_its_line() {
    // A theme file, a generated file and a file of the search export: each would need a
    // folder where the site has a file.
    for alias in ["casebook.css/", "feed.xml/", "search/casebook-search.js/"] {
        let (kb, before) = built_site();
        kb.write(
            BAD,
            case_file("Alias", &format!("aliases: [{alias}]\n"), "Text."),
        );
        let file = alias.trim_end_matches('/');
        let message = format!("alias would make a folder where the site has the file {file}");
        let run = build_fails(&kb, &before);
        assert_at(&the_error(&run, BAD), 7, 1, &message);
        // `check` finds it too, though it makes no search export.
        let run = kb.check();
        run.expect_code(1);
        assert_at(&the_error(&run, BAD), 7, 1, &message);
    }
}

#[test]
fn a_file_that_is_not_utf8_is_an_error_at_the_first_bad_byte() {
    let (kb, before) = built_site();
    let mut bytes = case_file("Caf", "", "Text.").into_bytes();
    let at = bytes.windows(3).position(|w| w == b"Caf").expect("title") + 3;
    bytes.insert(at, 0xe9); // "Café" in Latin-1
    kb.write(BAD, bytes);
    let run = build_fails(&kb, &before);
    let d = the_error(&run, BAD);
    assert_at(&d, 2, 11, "not UTF-8");
    assert_eq!(
        run.help_for(&d.header),
        Some("save it as UTF-8 in your editor")
    );
}

#[test]
fn a_binary_file_named_md_is_an_error() {
    let (kb, before) = built_site();
    kb.write(
        BAD,
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0",
    );
    let d = the_error(&build_fails(&kb, &before), BAD);
    assert_at(&d, 3, 1, "binary file");
}

#[test]
fn an_empty_file_is_an_error() {
    let (kb, before) = built_site();
    kb.write(BAD, "");
    kb.write("content/cases/blank.md", "\n  \n\n");
    let run = build_fails(&kb, &before);
    assert_at(&the_error(&run, BAD), 1, 1, "the file is empty");
    assert_at(
        &the_error(&run, "content/cases/blank.md"),
        1,
        1,
        "the file is empty",
    );
}

#[test]
fn a_50_mb_file_is_refused_quickly() {
    let (kb, before) = built_site();
    let mut text = case_file("Huge", "", "");
    let line = "Residents chose how to spend the money, and then they did it again.\n";
    text.push_str(&line.repeat(50 * 1024 * 1024 / line.len()));
    kb.write(BAD, text);
    let started = Instant::now();
    let run = build_fails(&kb, &before);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    let d = the_error(&run, BAD);
    assert_eq!(d.line, 0, "about the whole file: {}", d.header);
    assert!(
        d.message
            .contains("the file is 50.0 MB, more than the 10.0 MB"),
        "{}",
        d.header
    );
}

#[test]
fn a_line_of_a_million_characters_builds_and_is_reported_in_brief() {
    let (kb, before) = built_site();
    let long_line = "participation ".repeat(1_000_000 / 14);
    kb.write(
        "content/cases/long-line.md",
        case_file("Long line", "", &long_line),
    );
    let started = Instant::now();
    kb.build(&[]).expect_success();
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    let page = kb.read("public/cases/long-line/index.html");
    assert!(page.contains("participation participation"));
    let built = snapshot(&kb.output());
    assert!(built != before);

    let summary = format!("summary: {}", "a".repeat(1_000_000));
    kb.write(BAD, case_file("Colon", &format!("{summary}: b\n"), "Text."));
    let run = build_fails(&kb, &built);
    let d = the_error(&run, BAD);
    assert_at(
        &d,
        7,
        summary.chars().count() + 1,
        "a `: ` inside the value of `summary`",
    );
    assert!(
        run.stderr.len() < 5_000,
        "{} bytes of stderr",
        run.stderr.len()
    );
    assert!(
        run.stderr.contains("aaaa: b"),
        "the excerpt shows the column"
    );
}

/// Runs `casebook check` with its address space limited to `megabytes`, and a time limit.
fn check_in_bounds(kb: &Kb, megabytes: u64, seconds: u64) -> (Run, Duration) {
    let started = Instant::now();
    let mut command = assert_cmd::Command::new("sh");
    command
        .arg("-c")
        .arg(format!(
            "ulimit -v {}; exec \"$0\" check --root .",
            megabytes * 1024
        ))
        .arg(assert_cmd::cargo::cargo_bin("casebook"))
        .current_dir(kb.root())
        .timeout(Duration::from_secs(seconds));
    (Run::of(&mut command), started.elapsed())
}

#[test]
fn an_alias_bomb_is_an_error_in_bounded_time_and_memory() {
    let (kb, before) = built_site();
    let mut bomb = case_file(
        "Laughs",
        "lol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
        "Text.",
    );
    let mut previous = 'a';
    for name in 'b'..='j' {
        let aliases = vec![format!("*{previous}"); 9].join(", ");
        let line = format!("lol{name}: &{name} [{aliases}]\n");
        bomb = bomb.replacen("---\nText.", &format!("{line}---\nText."), 1);
        previous = name;
    }
    kb.write(BAD, bomb);
    let (run, elapsed) = check_in_bounds(&kb, 1024, 60);
    run.expect_code(1);
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    let d = the_error(&run, BAD);
    assert!(d.message.contains("aliases (`*name`)"), "{}", d.header);
    assert!(d.line >= 1);
    build_fails(&kb, &before);
}

#[test]
fn deeply_nested_yaml_is_an_error_in_bounded_time() {
    let (kb, before) = built_site();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let text =
        case_file("Deep", "", "Text.").replace("theme: co-production", &format!("theme: {deep}"));
    kb.write(BAD, text);
    let braces = format!("{}{}", "{a: ".repeat(20_000), "}".repeat(20_000));
    let text = case_file("Braces", &format!("sources: {braces}\n"), "Text.");
    kb.write("content/cases/braces.md", text);
    let (run, elapsed) = check_in_bounds(&kb, 1024, 60);
    run.expect_code(1);
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    assert_at(
        &the_error(&run, BAD),
        3,
        8 + 64,
        "nested more than 64 levels deep",
    );
    assert_at(
        &the_error(&run, "content/cases/braces.md"),
        7,
        10 + 4 * 64,
        "nested more than 64 levels deep",
    );
    build_fails(&kb, &before);
}

#[test]
fn a_symlink_loop_does_not_hang() {
    let (kb, before) = built_site();
    fs::create_dir_all(kb.path("content/cases/sub")).unwrap();
    std::os::unix::fs::symlink("..", kb.path("content/cases/sub/loop")).unwrap();
    let run = Run::of(
        casebook()
            .current_dir(kb.root())
            .args(["build", "--strict", "--root", "."])
            .timeout(Duration::from_secs(60)),
    );
    run.expect_code(1);
    assert!(before == snapshot(&kb.output()));
    let d = &reported(&run, "content/cases/sub/loop")[0];
    assert_eq!(d.severity, "warning");
    assert!(d.message.contains("loops back"), "{}", d.header);
    kb.build(&[]).expect_success();
    assert_eq!(common::case_pages(&kb.output()), ["good"]);
}

#[test]
fn a_symlink_to_outside_content_is_not_read() {
    let (kb, before) = built_site();
    let elsewhere = temp_dir();
    let secret = "SECRET-7c1d0e-not-for-the-site";
    let secret_case = case_file(secret, &format!("summary: {secret}\n"), secret);
    fs::write(elsewhere.path().join("secret.md"), &secret_case).unwrap();
    fs::create_dir_all(elsewhere.path().join("folder")).unwrap();
    fs::write(elsewhere.path().join("folder/inner.md"), &secret_case).unwrap();
    fs::write(
        elsewhere.path().join("_site.yaml"),
        format!("title: {secret}\n"),
    )
    .unwrap();
    let link = |target: &str, name: &str| {
        std::os::unix::fs::symlink(elsewhere.path().join(target), kb.path(name)).unwrap()
    };
    link("secret.md", "content/cases/secret.md");
    link("folder", "content/cases/folder");

    let run = Run::of(
        casebook()
            .current_dir(kb.root())
            .args(["build", "--strict", "--root", "."])
            .timeout(Duration::from_secs(60)),
    );
    run.expect_code(1);
    assert!(before == snapshot(&kb.output()));
    for name in ["content/cases/secret.md", "content/cases/folder"] {
        let d = &reported(&run, name)[0];
        assert_eq!(d.severity, "warning", "{}", d.header);
        assert!(d.message.contains("outside content/"), "{}", d.header);
    }

    link("_site.yaml", "content/_site.yaml");
    let run = build_fails(&kb, &before);
    let d = the_error(&run, "content/_site.yaml");
    assert!(
        d.message.contains("outside the knowledge base"),
        "{}",
        d.header
    );
    assert!(!run.stderr.contains(secret), "{}", run.stderr);

    fs::remove_file(kb.path("content/_site.yaml")).unwrap();
    kb.build(&[]).expect_success();
    for (path, bytes) in snapshot(&kb.output()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(secret),
            "{path} holds the secret"
        );
    }
}

#[test]
fn an_empty_slug_or_date_is_as_if_not_given() {
    // A form leaves a cleared field as empty text (Decap CMS writes `slug: ''`).
    let (kb, _) = built_site();
    kb.write(
        "content/cases/cleared-fields.md",
        case_file(
            "Cleared fields",
            "slug: ''\ndate: ''\nyear: ''\nimage: ''\n",
            "Text.",
        ),
    );
    let run = kb.build(&[]);
    run.expect_success();
    assert!(
        run.diagnostics()
            .iter()
            .all(|d| !d.contains("cleared-fields")),
        "{}",
        run.stderr
    );
    let page = kb.read("public/cases/cleared-fields/index.html");
    assert!(!page.contains("<img"), "no picture for an empty image");
}

#[test]
fn unsafe_slugs_are_rejected_with_a_safe_suggestion() {
    let (kb, before) = built_site();
    let slugs = [
        ("dots", "../../etc/x", Some("etc-x")),
        ("absolute", "/abs", Some("abs")),
        ("inner-dots", "a/../../b", Some("a-b")),
        ("device", "con", Some("con-1")),
        ("punctuation", "\"!?./\"", None),
    ];
    for (file, slug, _) in &slugs {
        let text = case_file(file, &format!("slug: {slug}\n"), "Text.");
        kb.write(&format!("content/cases/{file}.md"), text);
    }
    let run = build_fails(&kb, &before);
    for (file, _, suggestion) in &slugs {
        let d = the_error(&run, &format!("content/cases/{file}.md"));
        assert_eq!(d.line, 7, "{}", d.header);
        assert!(d.message.starts_with("`slug"), "{}", d.header);
        let help = run.help_for(&d.header);
        match suggestion {
            Some(safe) => assert_eq!(help, Some(format!("did you mean `{safe}`?").as_str())),
            None => assert!(help.is_none(), "{help:?}"),
        }
    }
    // Where the slugs would lead if they were joined to `public/cases/` as written.
    for escaped in [
        kb.path("etc"),
        kb.path("public/b"),
        "/abs".into(),
        kb.path("public/cases/con"),
    ] {
        assert!(!escaped.exists(), "{} was written", escaped.display());
    }
}

#[test]
fn unsafe_aliases_are_rejected_and_nothing_lands_outside_the_output() {
    let (kb, before) = built_site();
    let aliases = [
        "../../etc/x",
        "a/../../b",
        "con",
        "",
        "!!!",
        "old\\\\..\\\\..\\\\x",
    ];
    let list = aliases
        .iter()
        .map(|a| format!("\"{a}\""))
        .collect::<Vec<_>>()
        .join(", ");
    kb.write(
        BAD,
        case_file("Aliases", &format!("aliases: [{list}]\n"), "Text."),
    );
    let run = build_fails(&kb, &before);
    let errors: Vec<Reported> = reported(&run, BAD)
        .into_iter()
        .filter(|d| d.severity == "error")
        .collect();
    assert_eq!(errors.len(), aliases.len(), "{}", run.stderr);
    for d in &errors {
        assert_eq!(d.line, 7, "{}", d.header);
        assert!(
            d.message.contains("is not a safe site path"),
            "{}",
            d.header
        );
    }

    // A leading `/` is made safe: the alias is a path inside the site.
    kb.write(
        BAD,
        case_file("Aliases", "aliases: [/2014/old-page/]\n", "Text."),
    );
    kb.build(&[]).expect_success();
    assert!(kb.path("public/2014/old-page/index.html").is_file());
    assert!(!Path::new("/2014/old-page").exists());
}

#[test]
fn warnings_fail_the_build_only_with_strict() {
    let (kb, before) = built_site();
    kb.write(
        "content/cases/empty-body.md",
        case_file("Empty body", "", ""),
    );
    kb.write(
        "content/cases/broken-link.md",
        case_file("Broken link", "", "See [the plan](no-such-case.md)."),
    );
    let run = kb.build(&["--strict"]);
    run.expect_code(1);
    assert!(before == snapshot(&kb.output()), "--strict wrote a site");
    assert!(run.stderr.contains("--strict"), "{}", run.stderr);
    let d = &reported(&run, "content/cases/empty-body.md")[0];
    assert_at(d, 8, 1, "no text below its front matter");
    assert_eq!(d.severity, "warning");
    let d = &reported(&run, "content/cases/broken-link.md")[0];
    assert_at(
        d,
        8,
        1,
        "link to `no-such-case.md`, which is not a case file",
    );
    assert_eq!(d.severity, "warning");

    kb.run(&["check", "--strict"]).expect_code(1);
    kb.check().expect_success();
    let run = kb.build(&[]);
    run.expect_success();
    assert_eq!(run.diagnostics().len(), 2, "{}", run.stderr);
    assert!(kb.path("public/cases/empty-body/index.html").is_file());
}

#[test]
fn a_bad_site_yaml_is_an_error_naming_its_line() {
    let (kb, before) = built_site();
    kb.write("content/_site.yaml", "title: Cases\ntitel: Oops\n");
    let run = build_fails(&kb, &before);
    let d = the_error(&run, "content/_site.yaml");
    assert_at(&d, 2, 1, "unknown key `titel`");
    assert_eq!(run.help_for(&d.header), Some("did you mean `title`?"));

    kb.write("content/_site.yaml", "title: Cases\nper_page: many\n");
    let run = build_fails(&kb, &before);
    let d = the_error(&run, "content/_site.yaml");
    assert_eq!(d.line, 2, "{}", d.header);
    assert!(
        d.message.contains("`per_page` must be a whole number"),
        "{}",
        d.header
    );

    kb.write("content/_site.yaml", "title: \"Cases\nper_page: 3\n");
    let d = the_error(&build_fails(&kb, &before), "content/_site.yaml");
    assert_at(&d, 1, 8, "quoted value is never closed");

    kb.write("content/_site.yaml", "title: [Cases]\n");
    let d = the_error(&build_fails(&kb, &before), "content/_site.yaml");
    assert_at(&d, 1, 8, "`title` must be text, found sequence");
}

#[test]
fn a_missing_theme_folder_is_an_error_in_site_yaml() {
    let (kb, before) = built_site();
    kb.write("content/_site.yaml", "title: Cases\ntheme: custom\n");
    let d = the_error(&build_fails(&kb, &before), "content/_site.yaml");
    assert_at(&d, 2, 8, "there is no theme folder themes/custom/");
}

/// A theme `custom` whose `case.html` is `template`.
fn with_template(kb: &Kb, template: &str) {
    kb.write("content/_site.yaml", "theme: custom\n");
    kb.write("themes/custom/templates/case.html", template);
}

const TEMPLATE: &str = "themes/custom/templates/case.html";

#[test]
fn a_broken_template_is_an_error_naming_its_file_and_line() {
    let (kb, before) = built_site();
    with_template(
        &kb,
        "{% extends \"base.html\" %}\n{% block main %}\n{{ case.title( }}\n{% endblock %}\n",
    );
    let d = the_error(&build_fails(&kb, &before), TEMPLATE);
    assert_eq!((d.line, d.column), (3, 14), "{}", d.header);
    assert!(
        d.message.starts_with("template error: expected"),
        "{}",
        d.header
    );
}

#[test]
fn a_template_that_uses_a_missing_template_is_an_error_naming_its_line() {
    let (kb, before) = built_site();
    with_template(&kb, "{% extends \"base.html\" %}\n{% block main %}\n{% include \"missing.html\" %}\n{% endblock %}\n");
    let d = the_error(&build_fails(&kb, &before), TEMPLATE);
    assert_eq!((d.line, d.column), (3, 13), "{}", d.header);
    assert!(d.message.contains("missing.html"), "{}", d.header);

    with_template(&kb, "{% extends \"nope.html\" %}\n");
    let d = the_error(&build_fails(&kb, &before), TEMPLATE);
    assert_eq!((d.line, d.column), (1, 13), "{}", d.header);
}

#[test]
fn a_template_using_an_unknown_variable_is_an_error_naming_its_line() {
    let (kb, before) = built_site();
    with_template(&kb, "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ case.no_such_field }}</p>\n{% endblock %}\n");
    let d = the_error(&build_fails(&kb, &before), TEMPLATE);
    assert_eq!((d.line, d.column), (3, 7), "{}", d.header);
    assert!(d.message.contains("case.no_such_field"), "{}", d.header);
}

#[test]
fn a_diagnostic_shows_the_line_with_a_caret_then_help() {
    let (kb, before) = built_site();
    kb.write(BAD, case_file("Misspelt", "themes: [housing]\n", "Text."));
    let run = build_fails(&kb, &before);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == "content/cases/bad.md:7:1: error: unknown key `themes`")
        .unwrap_or_else(|| panic!("{}", run.stderr));
    let block = &lines[at + 1..at + 6];
    assert_eq!(
        block.iter().map(|l| l.trim_end()).collect::<Vec<_>>(),
        [
            "  |",
            "7 | themes: [housing]",
            "  | ^^^^^^",
            "  |",
            "  = help: did you mean `theme`?",
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("1 error(s), 0 warning(s): nothing was written\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn fifty_thousand_problems_in_one_file_are_reported_quickly_and_in_brief() {
    let (kb, before) = built_site();
    let keys: String = (0..50_000).map(|i| format!("key{i}: x\n")).collect();
    kb.write(BAD, case_file("Many keys", &keys, "Text."));
    kb.write("content/_taxonomy.yaml", "theme: [co-production]\n");
    let values = vec!["co-prodution"; 50_000].join(", ");
    let text = case_file("Many values", "", "Text.")
        .replace("theme: co-production", &format!("theme: [{values}]"));
    kb.write("content/cases/values.md", text);
    let started = Instant::now();
    let run = build_fails(&kb, &before);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    for (path, more) in [(BAD, 49_950), ("content/cases/values.md", 49_950)] {
        let problems = reported(&run, path);
        assert_eq!(problems.len(), 51, "{path}");
        let last = problems.iter().find(|d| d.line == 0).expect("a note");
        assert_eq!(
            last.message,
            format!("{more} more problems in this file are not listed"),
            "{}",
            last.header
        );
    }
    assert!(
        run.stderr.len() < 100_000,
        "{} bytes of stderr",
        run.stderr.len()
    );
}

/// Text a conversion garbled ("cityâ€™s") is pointed out at its line and column with what it
/// meant; the advice, applied, leaves the file without the warning, and the page reads right.
#[test]
fn text_read_in_the_wrong_encoding_is_a_warning_whose_advice_mends_it() {
    let kb = Kb::empty();
    let path = "content/cases/garbled.md";
    kb.write(
        path,
        case_file(
            "Health centre chatbot",
            "",
            "It answers the cityâ€™s questions.\n\nIt works.",
        ),
    );
    let run = kb.check();
    let warning = run
        .diagnostics()
        .into_iter()
        .find(|l| l.contains("garbled.md") && l.contains("encoding"))
        .unwrap_or_else(|| panic!("no warning:\n{}", run.stderr))
        .to_string();
    assert!(warning.contains("garbled.md:8:20: warning: "), "{warning}");
    assert!(warning.contains("“â€™” looks like “’”"), "{warning}");
    let help = run.help_for(&warning).expect("advice").to_string();
    let (garbled, meant) = help
        .strip_prefix("replace every “")
        .and_then(|rest| rest.split_once("” with “"))
        .and_then(|(g, rest)| rest.split_once('”').map(|(m, _)| (g, m)))
        .unwrap_or_else(|| panic!("advice without a replacement: {help}"));
    let mended = kb.read(path).replace(garbled, meant);
    kb.write(path, mended);
    let run = kb.check();
    assert!(!run.stderr.contains("encoding"), "{}", run.stderr);
    kb.build(&[]).expect_success();
    assert!(kb
        .read("public/cases/garbled/index.html")
        .contains("city’s questions"));
}
