//! `casebook build` on real collections converted from elsewhere (`../shared/corpora/`,
//! see each SOURCE.md): thousands of cases with missing facets, raw HTML, long names and
//! Hugo shortcodes build, and every case file gets its page.

use crate::common;

use std::path::Path;

use common::corpora::{convert, shared};
use common::links::{check_links_of, html_files, Base};
use common::{case_pages, markdown_files, temp_dir, Run};

/// Builds the knowledge base at `root` and checks that every case file has its page, that
/// nothing is reported as an error, and that every link the theme writes leads somewhere.
fn build_every_case(root: &Path, expected_cases: usize) {
    let files = markdown_files(&root.join("content/cases"));
    assert_eq!(
        files.len(),
        expected_cases,
        "the converter wrote every case"
    );

    let run = Run::of(common::casebook().arg("build").arg("--root").arg(root));
    run.expect_success();
    assert!(!run.stderr.contains("error:"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("built {expected_cases} cases")),
        "{}",
        run.stderr.lines().last().unwrap_or_default()
    );
    let output = root.join("public");
    assert_eq!(
        case_pages(&output).len(),
        files.len(),
        "one page per case file"
    );

    // Bodies use `# Heading` too; the case title stays the page's only <h1>.
    for page in html_files(&output) {
        let text = std::fs::read_to_string(output.join(&page)).unwrap();
        let h1 = text.matches("<h1>").count() + text.matches("<h1 ").count();
        assert_eq!(h1, 1, "{page} has {h1} <h1> elements");
    }

    // Links editors wrote in bodies point at the collection's old site; the theme's must all
    // work. Case pages all come from one template, so one in twenty stands for the rest
    // (parsing all of them would double the test's time).
    let mut case_pages_seen = 0;
    let pages: Vec<String> = html_files(&output)
        .into_iter()
        .filter(|page| {
            let is_case_page = page.starts_with("cases/") && page.split('/').count() == 3;
            case_pages_seen += usize::from(is_case_page);
            !is_case_page || case_pages_seen % 20 == 1
        })
        .collect();
    let report = check_links_of(&output, &Base::parse("http://localhost/"), &pages, true);
    assert!(
        report.broken.is_empty(),
        "{} broken link(s), first ones:\n{}",
        report.broken.len(),
        report
            .broken
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn ipsx_collection_builds_a_page_for_every_case() {
    let Some(shared) = shared() else { return };
    let dir = temp_dir();
    convert(&shared, "convert_ipsx.py", dir.path(), &[]);
    build_every_case(dir.path(), 853);
}

#[test]
fn digitalgov_collection_builds_a_page_for_every_case() {
    let Some(shared) = shared() else { return };
    let dir = temp_dir();
    convert(
        &shared,
        "convert_digitalgov.py",
        dir.path(),
        &[
            "--region",
            "United States",
            "--organisation",
            "Digital.gov",
            "--approach",
            "digital service",
        ],
    );
    build_every_case(dir.path(), 1810);
}
