//! The commands' contracts from DESIGN, as an editor meets them: exit codes, every problem
//! listed as `path:line:col: error: message`, `new`, `init`, drafts, and a failed build that
//! leaves the previous site alone.

use crate::common;

use std::fs;

use common::{case_file, case_pages, casebook, selector, snapshot, temp_dir, text_of, Kb, Run};

/// One diagnostic line of stderr: `path:line:col: severity: message`.
#[derive(Debug)]
struct Reported {
    path: String,
    line: usize,
    column: usize,
    severity: String,
    message: String,
}

/// Parses a diagnostic line, panicking when it does not follow the format.
fn parse_diagnostic(text: &str) -> Reported {
    let (position, rest) = text.split_once(": ").unwrap_or_else(|| bad_format(text));
    let mut parts = position.rsplitn(3, ':');
    let column: Option<usize> = parts.next().and_then(|c| c.parse().ok());
    let line: Option<usize> = parts.next().and_then(|l| l.parse().ok());
    let (Some(path), Some(line), Some(column)) = (parts.next(), line, column) else {
        bad_format(text)
    };
    assert!(line >= 1 && column >= 1, "positions are 1-based: {text}");
    let (severity, message) = rest.split_once(": ").unwrap_or_else(|| bad_format(text));
    assert!(
        severity == "error" || severity == "warning",
        "unknown severity in {text}"
    );
    Reported {
        path: path.to_string(),
        line,
        column,
        severity: severity.to_string(),
        message: message.to_string(),
    }
}

fn bad_format(text: &str) -> ! {
    panic!("not `path:line:col: severity: message`: {text}")
}

/// The (path, line) of every error a run reported, checking each line's format.
fn error_positions(run: &Run) -> Vec<(String, usize)> {
    run.errors()
        .into_iter()
        .map(parse_diagnostic)
        .map(|d| (d.path, d.line))
        .collect()
}

#[test]
fn nonexistent_root_is_a_usage_error() {
    let dir = temp_dir();
    let missing = dir.path().join("no-such-knowledge-base");
    for command in ["build", "check"] {
        let run = Run::of(casebook().arg(command).arg("--root").arg(&missing));
        run.expect_code(2);
        assert!(
            run.stderr.contains("not a knowledge base"),
            "{command}: {}",
            run.stderr
        );
    }
    assert!(!missing.exists(), "nothing is created for a wrong --root");
}

#[test]
fn unknown_option_is_a_usage_error() {
    Run::of(casebook().args(["build", "--no-such-option"])).expect_code(2);
    Run::of(casebook().arg("no-such-command")).expect_code(2);
}

#[test]
fn build_refuses_a_non_empty_output_folder_it_did_not_write() {
    let kb = Kb::example();
    kb.write("site/notes.txt", "an editor's notes");
    let run = kb.build(&["--output", "site"]);
    run.expect_code(2);
    assert!(run.stderr.contains(".casebook-output"), "{}", run.stderr);
    assert_eq!(kb.read("site/notes.txt"), "an editor's notes");
    assert!(!kb.path("site/index.html").exists(), "nothing was written");
}

#[test]
fn build_replaces_an_output_folder_it_wrote_before() {
    let kb = Kb::example();
    kb.build(&[]).expect_success();
    assert!(kb.path("public/.casebook-output").is_file(), "the marker");
    kb.write("public/stale.html", "left over from an old build");
    kb.build(&[]).expect_success();
    assert!(
        !kb.path("public/stale.html").exists(),
        "the old site was replaced"
    );
    assert!(kb.path("public/index.html").is_file());
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let kb = Kb::example();
    kb.build(&[]).expect_success();
    let before = snapshot(&kb.output());

    let file = "content/cases/scotland/food-train.md";
    let broken = kb.read(file).replacen("organisation:", "organization:", 1);
    kb.write(file, broken);
    let run = kb.build(&[]);
    run.expect_code(1);
    assert!(
        run.stderr.contains(&format!("{file}:")) && run.stderr.contains("`organization`"),
        "{}",
        run.stderr
    );

    assert!(before == snapshot(&kb.output()), "the output changed");
    let leftovers: Vec<_> = fs::read_dir(kb.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("casebook-new") || name.contains("casebook-old"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}

#[test]
fn build_with_content_errors_exits_1_and_writes_nothing() {
    let kb = Kb::fixture("problems-in-many-files");
    let run = kb.build(&[]);
    run.expect_code(1);
    assert!(!kb.output().exists(), "no site is written");
}

#[test]
fn check_lists_every_problem_in_every_file_with_its_line() {
    let kb = Kb::fixture("problems-in-many-files");
    let run = kb.check();
    run.expect_code(1);
    for line in run.diagnostics() {
        parse_diagnostic(line);
    }
    let expected = [
        ("content/cases/misspelt-key.md", 5),
        ("content/cases/scotland/theme-outside-vocabulary.md", 5),
        ("content/cases/scotland/theme-outside-vocabulary.md", 9),
        ("content/cases/unclosed-front-matter.md", 1),
    ]
    .map(|(path, line)| (path.to_string(), line));
    assert_eq!(error_positions(&run), expected, "{}", run.stderr);
    assert!(run.stderr.contains("4 error(s)"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("content/cases/valid.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_key_suggests_nearest_known_key() {
    let run = Kb::fixture("problems-in-many-files").check();
    let line = run
        .errors()
        .into_iter()
        .find(|l| l.contains("organization"))
        .unwrap_or_else(|| panic!("no error for `organization`:\n{}", run.stderr))
        .to_string();
    assert_eq!(
        line,
        "content/cases/misspelt-key.md:5:1: error: unknown key `organization`"
    );
    assert_eq!(
        run.help_for(&line),
        Some("did you mean `organisation`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_value_near_nothing_listed_is_told_the_values_it_may_pick() {
    let kb = Kb::example();
    let file = "content/cases/scotland/food-train.md";
    let text = kb.read(file);
    kb.write(
        file,
        text.replacen("theme: [co-production,", "theme: [quizzical matters,", 1),
    );
    let run = kb.check();
    let line = run
        .errors()
        .into_iter()
        .find(|l| l.contains("quizzical matters"))
        .unwrap_or_else(|| panic!("{}", run.stderr))
        .to_string();
    let help = run.help_for(&line).unwrap_or_default().to_string();
    assert!(
        help.starts_with("pick a listed value (")
            && help.contains("… and ")
            && help.contains("more)"),
        "{help}"
    );
    // The advice, applied: the first value it lists.
    let listed = help["pick a listed value (".len()..]
        .split(" … ")
        .next()
        .unwrap_or_default()
        .split(", ")
        .next()
        .unwrap_or_default()
        .to_string();
    kb.write(
        file,
        text.replacen("theme: [co-production,", &format!("theme: [{listed},"), 1),
    );
    kb.check().expect_success();
}

#[test]
fn theme_outside_the_vocabulary_suggests_the_nearest_listed_value() {
    let run = Kb::fixture("problems-in-many-files").check();
    let line = run
        .errors()
        .into_iter()
        .find(|l| l.contains("co-prodution"))
        .unwrap_or_else(|| panic!("no error for `co-prodution`:\n{}", run.stderr))
        .to_string();
    let reported = parse_diagnostic(&line);
    assert_eq!(
        reported.path,
        "content/cases/scotland/theme-outside-vocabulary.md"
    );
    assert_eq!(reported.line, 5, "the line of the value, not of the key");
    assert_eq!(
        reported.column, 5,
        "the column where the value starts: {line}"
    );
    assert!(
        reported
            .message
            .contains("not a theme listed in _taxonomy.yaml"),
        "{line}"
    );
    assert_eq!(
        run.help_for(&line),
        Some("did you mean `co-production`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn synonyms_are_accepted_and_shown_as_their_listed_value() {
    let kb = Kb::fixture("vocabulary-synonyms");
    let run = kb.build(&[]);
    run.expect_success();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);

    let page = kb.page("cases/written-with-synonyms/index.html");
    let chips: Vec<(String, String)> = page
        .select(&selector("dl.case-facts dd a"))
        .map(|a| (text_of(a), a.value().attr("href").unwrap().to_string()))
        .take(2)
        .collect();
    assert_eq!(
        chips,
        [
            ("co-production".into(), "/themes/co-production/".into()),
            (
                "participatory budgeting".into(),
                "/themes/participatory-budgeting/".into()
            ),
        ]
    );
    let value_page = kb.page("themes/co-production/index.html");
    let lead = text_of(
        value_page
            .select(&selector(".lead"))
            .next()
            .expect("a description"),
    );
    assert_eq!(
        lead,
        "Services designed and delivered with the people who use them."
    );
    assert!(!kb.path("public/themes/coproduction").exists());
}

#[test]
fn drafts_are_published_only_with_drafts() {
    let kb = Kb::fixture("drafts");
    let draft_page = "public/cases/work-in-progress/index.html";

    kb.build(&[]).expect_success();
    assert!(!kb.path(draft_page).exists(), "a draft has no page");
    assert!(kb.path("public/cases/published/index.html").is_file());
    for file in [
        "cases.json",
        "cases.csv",
        "feed.xml",
        "sitemap.xml",
        "index.html",
    ] {
        let text = kb.read(&format!("public/{file}"));
        assert!(
            !text.contains("work-in-progress"),
            "{file} mentions the draft"
        );
    }
    assert!(
        !kb.path("public/themes/tele-care").exists(),
        "the draft's theme has no page"
    );

    kb.build(&["--drafts"]).expect_success();
    assert!(kb.path(draft_page).is_file(), "--drafts publishes it");
    assert!(kb.read("public/cases.json").contains("work-in-progress"));
    assert!(kb.path("public/themes/tele-care/index.html").is_file());
}

#[test]
fn new_case_is_flagged_until_its_facets_are_filled_then_builds() {
    let kb = Kb::example();
    let run = kb.run(&[
        "new",
        "Leeds community food hubs",
        "--theme",
        "co-production",
    ]);
    run.expect_success();
    let file = "content/cases/leeds-community-food-hubs.md";
    assert_eq!(run.stdout.trim(), file);
    let text = kb.read(file);
    assert!(
        text.contains("title: Leeds community food hubs\n"),
        "{text}"
    );
    assert!(text.contains("theme: co-production\n"), "{text}");

    let run = kb.check();
    run.expect_success();
    let mut missing: Vec<(usize, String)> = run
        .diagnostics()
        .into_iter()
        .map(parse_diagnostic)
        .filter(|d| d.path == file)
        .map(|d| {
            assert_eq!(d.severity, "warning", "{d:?}");
            let key = d.message.split('`').nth(1).unwrap_or_default().to_string();
            (d.line, key)
        })
        .filter(|(_, key)| ["theme", "region", "organisation", "approach"].contains(&key.as_str()))
        .collect();
    missing.sort();
    assert_eq!(
        missing,
        [
            (5, "region".into()),
            (6, "organisation".into()),
            (7, "approach".into())
        ],
        "{}",
        run.stderr
    );

    let filled: String = kb
        .read(file)
        .lines()
        .map(|line| match line.split(':').next() {
            Some("region") => "region: North West England".to_string(),
            Some("organisation") => "organisation: Leeds food hubs".to_string(),
            Some("approach") => "approach: [volunteering, co-production]".to_string(),
            _ => line.to_string(),
        })
        .map(|line| line + "\n")
        .collect();
    kb.write(file, filled);
    let run = kb.build(&[]);
    run.expect_success();
    let about_facets: Vec<&str> = run
        .diagnostics()
        .into_iter()
        .filter(|l| {
            ["region", "organisation", "approach"]
                .iter()
                .any(|k| l.contains(&format!("`{k}`")))
        })
        .collect();
    assert!(about_facets.is_empty(), "{about_facets:?}");
    let page = kb.page("cases/leeds-community-food-hubs/index.html");
    let facts: Vec<String> = page
        .select(&selector("dl.case-facts dd a"))
        .map(text_of)
        .collect();
    assert_eq!(
        facts,
        [
            "co-production",
            "North West England",
            "Leeds food hubs",
            "volunteering",
            "co-production"
        ]
    );
}

#[test]
fn new_refuses_values_the_vocabulary_does_not_list_and_says_which_it_does() {
    let kb = Kb::example();
    let file = "content/cases/youth-panel.md";
    let run = kb.run(&["new", "Youth panel", "--theme", "youth engagment"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("`youth engagment` is not among the `theme` values content/_taxonomy.yaml lists; did you mean `youth engagement`?")
            && run.stderr.contains("it lists: ")
            && run.stderr.contains("--force"),
        "{}",
        run.stderr
    );
    assert!(!kb.path(file).exists(), "nothing written");

    // The advice, applied: the value it suggests is written, as the vocabulary spells it
    // (a synonym becomes its value), and the file passes `check`.
    let run = kb.run(&[
        "new",
        "Youth panel",
        "--theme",
        "youth engagement",
        "--region",
        "Scotland",
        "--organisation",
        "Youth Scotland",
        "--approach",
        "PB",
    ]);
    run.expect_success();
    let text = kb.read(file);
    assert!(
        text.contains("approach: participatory budgeting\n"),
        "{text}"
    );
    let check = kb.check();
    check.expect_success();
    assert!(
        !check.errors().iter().any(|e| e.contains("youth-panel")),
        "{}",
        check.stderr
    );

    // --force writes what it is given; `check` then names the value.
    let run = kb.run(&["new", "Youth forum", "--theme", "youth work", "--force"]);
    run.expect_success();
    assert!(kb
        .read("content/cases/youth-forum.md")
        .contains("theme: youth work\n"));
    let check = kb.check();
    assert!(
        check
            .stderr
            .contains("youth-forum.md:4:8: error: `youth work`"),
        "{}",
        check.stderr
    );
}

#[test]
fn a_scaffold_left_unwritten_is_a_warning_and_fails_strict_until_written() {
    let kb = Kb::example();
    let file = "content/cases/youth-panel.md";
    kb.run(&[
        "new",
        "Youth panel",
        "--theme",
        "co-production",
        "--region",
        "Scotland",
        "--organisation",
        "Youth Scotland",
        "--approach",
        "co-production",
    ])
    .expect_success();
    let run = kb.check();
    run.expect_success();
    let warnings: Vec<Reported> = run
        .diagnostics()
        .into_iter()
        .map(parse_diagnostic)
        .filter(|d| d.path == file)
        .collect();
    let at: Vec<(usize, &str)> = warnings
        .iter()
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert!(
        at.contains(&(
            3,
            "`summary` is empty: lists and search results will show the body's first words"
        )) && at.contains(&(
            14,
            "the body still holds the placeholder `casebook new` wrote"
        )),
        "{at:?}"
    );
    kb.run(&["check", "--strict"]).expect_code(1);

    // The advice, applied: a summary, and a body of the editor's own.
    let text = kb.read(file);
    let (front, _) = text.rsplit_once("---\n").unwrap();
    let written = format!("{front}---\nYoung people ran the council's panel.\n")
        .replace("summary: \n", "summary: Young people advise the council.\n");
    kb.write(file, written);
    let run = kb.run(&["check", "--strict"]);
    assert!(!run.stderr.contains("youth-panel.md"), "{}", run.stderr);
}

#[test]
fn new_lists_the_allowed_values_of_each_listed_facet_it_leaves_empty() {
    let kb = Kb::example();
    kb.run(&["new", "Empty facets"]).expect_success();
    let text = kb.read("content/cases/empty-facets.md");
    let theme = text.lines().find(|l| l.starts_with("theme:")).unwrap();
    assert!(
        theme.contains("# required")
            && theme.contains("co-production")
            && theme.contains("participatory budgeting"),
        "{theme}"
    );
    // The comment is YAML's, not the value's: `check` reads the facet as empty.
    let check = kb.check();
    assert!(
        check
            .stderr
            .contains("empty-facets.md:4:1: warning: no `theme` given"),
        "{}",
        check.stderr
    );
}

#[test]
fn new_refuses_to_overwrite_an_existing_case() {
    let kb = Kb::example();
    kb.run(&["new", "A title used twice"]).expect_success();
    let file = "content/cases/a-title-used-twice.md";
    kb.write(file, case_file("Edited by hand", "", "Careful work."));
    let run = kb.run(&["new", "A title used twice"]);
    run.expect_code(2);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert!(
        kb.read(file).contains("Careful work."),
        "the file was overwritten"
    );
}

#[test]
fn init_creates_a_knowledge_base_that_builds() {
    let dir = temp_dir();
    let root = dir.path().join("kb");
    Run::of(casebook().arg("init").arg(&root)).expect_success();
    assert!(root.join("content/_site.yaml").is_file());
    assert!(root.join("themes/default/templates/base.html").is_file());

    let run = Run::of(casebook().arg("check").arg("--root").arg(&root));
    run.expect_success();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let run = Run::of(casebook().arg("build").arg("--root").arg(&root));
    run.expect_success();
    let cases = common::markdown_files(&root.join("content/cases"));
    assert_eq!(cases.len(), 1, "one example case");
    assert_eq!(
        case_pages(&root.join("public")),
        ["oldham-big-local-decision-day"]
    );
}

#[test]
fn init_refuses_a_folder_that_already_has_content() {
    let kb = Kb::example();
    let before = snapshot(kb.root());
    let run = Run::of(casebook().arg("init").arg(kb.root()));
    run.expect_code(2);
    assert!(run.stderr.contains("content/"), "{}", run.stderr);
    assert!(
        before == snapshot(kb.root()),
        "init changed an existing knowledge base"
    );
}

#[test]
fn non_ascii_file_name_gets_an_ascii_slug() {
    let kb = Kb::empty();
    kb.write(
        "content/cases/Seinäjoki care.md",
        case_file("Seinäjoki's preventative care", "", "A service centre."),
    );
    kb.build(&[]).expect_success();
    assert_eq!(case_pages(&kb.output()), ["seinajoki-care"]);
    let json: serde_json::Value = serde_json::from_str(&kb.read("public/cases.json")).unwrap();
    assert_eq!(json[0]["slug"], "seinajoki-care");
    assert_eq!(json[0]["url"], "http://localhost/cases/seinajoki-care/");
}

#[test]
fn files_with_the_same_slug_are_an_error_naming_both() {
    let kb = Kb::fixture("duplicate-slugs");
    let run = kb.build(&[]);
    run.expect_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].contains("content/cases/north/oldham.md"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("content/cases/south/oldham.md"),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("`oldham`"), "{}", errors[0]);
    assert!(!kb.output().exists());
}

#[test]
fn relative_link_between_case_files_becomes_a_link_to_the_case_page() {
    let kb = Kb::fixture("linked-cases");
    kb.build(&[]).expect_success();
    let link = |page: &str, text: &str| {
        let html = kb.page(page);
        let found = html
            .select(&selector(".case-body a"))
            .find(|a| text_of(*a) == text)
            .map(|a| a.value().attr("href").unwrap().to_string());
        found.unwrap_or_else(|| panic!("{page} has no link `{text}`"))
    };
    let first = "cases/first/index.html";
    assert_eq!(
        link(first, "why the second case worked"),
        "/cases/second/#why-it-worked"
    );
    assert_eq!(link(first, "whole second case"), "/cases/second/");
    assert_eq!(
        link("cases/second/index.html", "the first case"),
        "/cases/first/"
    );
    let second = kb.page("cases/second/index.html");
    let heading = second.select(&selector("h2#why-it-worked")).next();
    assert!(heading.is_some(), "the fragment names the heading");
}

#[test]
fn link_to_a_file_that_is_not_a_case_is_a_warning_with_its_line() {
    let kb = Kb::fixture("linked-cases");
    let run = kb.build(&[]);
    run.expect_success();
    let warnings = run.diagnostics();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    let reported = parse_diagnostic(warnings[0]);
    assert_eq!(
        (
            reported.path.as_str(),
            reported.line,
            reported.severity.as_str()
        ),
        ("content/cases/a/first.md", 11, "warning")
    );
    assert!(reported.message.contains("`../b/notes.md`"), "{reported:?}");
}

/// A case file as Windows editors save it: a byte order mark and CRLF line endings.
fn windows_file(text: &str) -> Vec<u8> {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(text.replace('\n', "\r\n").into_bytes());
    bytes
}

#[test]
fn crlf_and_bom_files_parse() {
    let kb = Kb::empty();
    let body = "## What they did\n\nVolunteers delivered meals.\n";
    kb.write(
        "content/cases/saved-on-windows.md",
        windows_file(&case_file("Saved on Windows", "year: 2014\n", body)),
    );
    let run = kb.build(&[]);
    run.expect_success();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let page = kb.page("cases/saved-on-windows/index.html");
    assert_eq!(
        text_of(page.select(&selector("h1")).next().unwrap()),
        "Saved on Windows"
    );
    assert!(page
        .select(&selector(".case-body h2#what-they-did"))
        .next()
        .is_some());
    let json = kb.read("public/cases.json");
    assert!(
        !json.contains("\\r") && !json.contains('\u{feff}'),
        "{json}"
    );
}

#[test]
fn crlf_and_bom_files_report_problems_on_the_right_line() {
    let kb = Kb::empty();
    let text = case_file("Saved on Windows", "", "Text.").replace("organisation:", "organization:");
    kb.write("content/cases/saved-on-windows.md", windows_file(&text));
    let run = kb.check();
    run.expect_code(1);
    assert_eq!(
        error_positions(&run),
        [("content/cases/saved-on-windows.md".to_string(), 5)],
        "{}",
        run.stderr
    );
}

#[test]
fn build_is_quiet_when_output_is_not_a_terminal() {
    let kb = Kb::example();
    let run = kb.build(&[]);
    run.expect_success();
    assert_eq!(run.stdout, "", "build prints nothing to stdout");
    let unexpected = run.diagnostics();
    assert!(unexpected.is_empty(), "{}", run.stderr);
    let lines = run.other_lines();
    assert_eq!(
        lines.len(),
        1,
        "one summary line, no progress bar: {lines:?}"
    );
    assert!(lines[0].starts_with("built 19 cases"), "{}", lines[0]);
    assert!(
        !run.stderr.contains(['\r', '\u{1b}']),
        "no terminal control codes"
    );
}

#[test]
fn the_last_line_of_a_build_counts_its_warnings() {
    let kb = Kb::example();
    let run = kb.build(&[]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    for (n, name) in ["one", "two"].iter().enumerate() {
        kb.write(
            &format!("content/cases/{name}.md"),
            "---\ntitle: No organisation here\ntheme: co-production\nregion: Scotland\napproach: co-production\n---\nText.\n"
                .replace("No organisation here", &format!("No organisation {name}")),
        );
        let run = kb.build(&[]);
        run.expect_success();
        let last = run
            .stderr
            .trim_end()
            .lines()
            .last()
            .unwrap_or_default()
            .to_string();
        let said = if n == 0 {
            "with 1 warning (above)".to_string()
        } else {
            "with 2 warnings (above)".to_string()
        };
        assert!(
            last.starts_with("built 2") && last.ends_with(&said),
            "{last}"
        );
    }
}

#[test]
fn identical_warnings_in_many_files_are_shown_once_unless_verbose() {
    let kb = Kb::example();
    for name in ["a", "b", "c", "d", "e"] {
        kb.write(
            &format!("content/cases/{name}.md"),
            format!("---\ntitle: Case {name}\ntheme: co-production\nregion: Scotland\napproach: co-production\n---\nText.\n"),
        );
    }
    let message = "warning: no `organisation` given";
    let run = kb.build(&[]);
    run.expect_success();
    let shown: Vec<&str> = run
        .diagnostics()
        .into_iter()
        .filter(|l| l.contains(message))
        .collect();
    assert_eq!(shown.len(), 1, "{}", run.stderr);
    assert!(shown[0].starts_with("content/cases/a.md:"), "{}", shown[0]);
    assert!(
        run.stderr.contains("note: the same warning in 4 more files: content/cases/b.md:1, content/cases/c.md:1, content/cases/d.md:1 … and 1 more (--verbose lists each)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.trim_end().ends_with("with 5 warnings (above)"),
        "{}",
        run.stderr
    );
    let run = kb.build(&["--verbose"]);
    let shown = run
        .diagnostics()
        .into_iter()
        .filter(|l| l.contains(message))
        .count();
    assert_eq!(shown, 5, "{}", run.stderr);
    assert!(!run.stderr.contains("note: the same warning"));
    // `check` groups them too.
    let check = kb.check();
    assert_eq!(
        check
            .diagnostics()
            .iter()
            .filter(|l| l.contains(message))
            .count(),
        1
    );
}

#[test]
fn check_passes_on_the_example() {
    let kb = Kb::example();
    let run = kb.check();
    run.expect_success();
    let unexpected = run.diagnostics();
    assert!(unexpected.is_empty(), "{}", run.stderr);
    assert!(!kb.output().exists(), "check writes no site");
}

#[test]
fn build_refuses_to_write_the_site_into_content() {
    let kb = Kb::example();
    let before = snapshot(&kb.path("content"));
    let run = kb.build(&["--output", "content/site"]);
    run.expect_code(2);
    assert!(run.stderr.contains("content/"), "{}", run.stderr);
    assert!(
        before == snapshot(&kb.path("content")),
        "content was changed"
    );
}

#[test]
fn an_alias_may_neither_leave_the_output_folder_nor_replace_a_page() {
    let kb = Kb::empty();
    kb.write("content/cases/other.md", case_file("Other", "", "Text."));
    let escaping = case_file("Escaping", "aliases: [../../outside/]\n", "Text.");
    kb.write("content/cases/escaping.md", escaping);
    let run = kb.build(&[]);
    run.expect_code(1);
    assert_eq!(
        error_positions(&run),
        [("content/cases/escaping.md".to_string(), 7)],
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("`../../outside/` is not a safe site path"));
    assert!(!kb.root().join("../outside").exists() && !kb.output().exists());

    let replacing = case_file("Escaping", "aliases: [cases/other/]\n", "Text.");
    kb.write("content/cases/escaping.md", replacing);
    let run = kb.build(&[]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("alias would overwrite the page cases/other/index.html"),
        "{}",
        run.stderr
    );
    assert!(!kb.output().exists());
}

#[test]
fn a_theme_chosen_in_site_yaml_overrides_only_the_templates_it_has() {
    let kb = Kb::empty();
    kb.write("content/_site.yaml", "title: Themed\ntheme: kb-look\n");
    kb.write("content/cases/one.md", case_file("One", "", "Text."));
    kb.write(
        "themes/kb-look/templates/case.html",
        "{% extends \"base.html\" %}{% block main %}<h1 class=\"kb-look\">{{ case.title }}</h1>{% endblock main %}",
    );
    kb.write("themes/kb-look/static/extra.css", "body { color: black; }");
    kb.build(&[]).expect_success();
    let case = kb.read("public/cases/one/index.html");
    assert!(case.contains("<h1 class=\"kb-look\">One</h1>"), "{case}");
    assert!(
        kb.read("public/index.html").contains("Most recent cases"),
        "home keeps the built-in template"
    );
    assert_eq!(kb.read("public/extra.css"), "body { color: black; }");
    assert!(
        kb.path("public/casebook.css").is_file(),
        "built-in static files stay"
    );

    kb.write("content/_site.yaml", "title: Themed\ntheme: no-such-look\n");
    let run = kb.build(&[]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("themes/no-such-look"), "{}", run.stderr);
}
