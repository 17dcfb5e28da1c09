//! Nothing lost: `build --output` refuses every folder whose replacement would destroy
//! something that is not a site, and no command but `new` and `init` writes to content.
//! (A failed build leaving the previous output byte for byte is checked by every test of
//! `bad_input.rs`.)

use crate::common;

use std::collections::BTreeMap;
use std::time::SystemTime;

use common::{case_file, snapshot, Kb};

#[test]
fn build_refuses_output_folders_it_must_not_replace() {
    let kb = Kb::example();
    kb.write("notes/todo.txt", "an editor's notes");
    let root = kb.root().display().to_string();
    let refused = [
        (".", "it holds the knowledge base itself"),
        (root.as_str(), "it holds the knowledge base itself"),
        ("..", "it holds the knowledge base itself"),
        (
            "content",
            "it is inside the knowledge base's content/ folder",
        ),
        (
            "content/cases",
            "it is inside the knowledge base's content/ folder",
        ),
        (
            "themes/default",
            "it is inside the knowledge base's themes/ folder",
        ),
        ("themes", "it is inside the knowledge base's themes/ folder"),
        ("/", "it is the root of the file system"),
        ("notes", "it is not empty and was not written by casebook"),
        ("notes/todo.txt", "it is a file"),
    ];
    let before = snapshot(kb.root());
    for (output, why) in refused {
        let run = kb.build(&["--output", output]);
        run.expect_code(2);
        assert!(
            run.stderr
                .contains(&format!("refusing to write the site to {output}: {why}")),
            "--output {output}: {}",
            run.stderr
        );
        assert!(
            before == snapshot(kb.root()),
            "--output {output} changed the knowledge base"
        );
    }
    assert!(!kb.output().exists());
}

/// A mounted file system's root this test may name, from the mount table.
fn a_mount_point() -> Option<String> {
    let mounts = std::fs::read_to_string("/proc/self/mounts").ok()?;
    ["/dev/shm", "/run", "/tmp", "/dev"]
        .into_iter()
        .find(|point| mounts.lines().any(|l| l.split(' ').nth(1) == Some(point)))
        .map(str::to_string)
}

#[test]
fn a_mount_point_as_output_is_refused_with_the_reason_and_a_way_out() {
    let Some(point) = a_mount_point() else {
        println!("skipped: no mount point to try");
        return;
    };
    let kb = Kb::example();
    let run = kb.build(&["--output", &point]);
    run.expect_code(2);
    assert!(
        run.stderr.contains(&format!(
            "refusing to write the site to {point}: it is a mount point"
        )) && run.stderr.contains(&format!("{point}/site")),
        "{}",
        run.stderr
    );
}

/// Every file under content/ and themes/ with its bytes and when it was last changed.
fn sources_of(kb: &Kb) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    ["content", "themes"]
        .iter()
        .flat_map(|folder| {
            snapshot(&kb.path(folder))
                .into_iter()
                .map(move |(p, b)| (format!("{folder}/{p}"), b))
        })
        .map(|(path, bytes)| {
            let modified = std::fs::metadata(kb.path(&path))
                .and_then(|m| m.modified())
                .expect("a modification time");
            (path, (bytes, modified))
        })
        .collect()
}

#[test]
fn build_and_check_never_write_content_or_themes() {
    let kb = Kb::example();
    kb.write(
        "content/cases/windows.md",
        format!(
            "\u{feff}{}",
            // No body: a warning, so the `--strict` runs below fail.
            case_file("Saved on Windows", "", "").replace('\n', "\r\n")
        ),
    );
    let before = sources_of(&kb);
    kb.check().expect_success();
    kb.build(&[]).expect_success();
    kb.build(&["--strict"]).expect_code(1);
    kb.run(&["check", "--strict"]).expect_code(1);
    kb.build(&["--drafts", "--base-url", "https://example.org/kb/"])
        .expect_success();
    assert!(
        before == sources_of(&kb),
        "a command changed content/ or themes/"
    );

    kb.write("content/cases/broken.md", "---\ntitle: [\n");
    let before = sources_of(&kb);
    kb.build(&[]).expect_code(1);
    kb.check().expect_code(1);
    assert!(
        before == sources_of(&kb),
        "a failing command changed content/ or themes/"
    );
}

/// The characters no page or feed may hold, as the issue lists them (XML 1.0's forbidden
/// controls, HTML's C1 controls, noncharacters), checked here without the library's rule.
fn forbidden(c: char) -> bool {
    let code = c as u32;
    (code < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
        || (0x7f..=0x9f).contains(&code)
        || (0xfdd0..=0xfdef).contains(&code)
        || code & 0xfffe == 0xfffe
}

/// The feed is well-formed and none of `files` holds a character no output may hold.
fn assert_valid_outputs(output: &std::path::Path, files: &[&str]) {
    let feed = std::fs::read_to_string(output.join("feed.xml")).unwrap();
    let problems = common::atom::atom_problems(&feed, "");
    assert!(
        problems.iter().all(|p| !p.contains("well-formed")),
        "{problems:?}"
    );
    for file in files {
        let text = std::fs::read_to_string(output.join(file)).unwrap();
        assert!(
            !text.chars().any(forbidden),
            "{file} holds a forbidden character"
        );
    }
}

#[test]
fn control_characters_are_left_out_of_every_output_with_a_warning() {
    let kb = Kb::example();
    // Written raw, by YAML escapes and by Markdown character references, in a title, a
    // summary, a facet and the body's first paragraph (which the feed quotes).
    let raw = "---\ntitle: \"Bell\\x01 ringers \\uFFFE\\x1B of Leith\"\nsummary: \"Ringers\\u0000 of bells\"\ntheme: co-production\nregion: Scotland\norganisation: \"Leith\\u009D Bells\"\napproach: volunteering\n---\nThe bell\u{9d} ringers of Leith\u{1} rang\u{ffff} for the care &#x1B; home, and &#xFFFE; more.\n";
    let path = kb.write("content/cases/bells.md", raw);
    let run = kb.build(&[]).expect_success().clone();
    let said = run.diagnostics().join("\n");
    for (line, what) in [
        (2, "`title`"),
        (3, "`summary`"),
        (6, "`organisation`"),
        (9, "U+009D"),
    ] {
        assert!(
            said.contains(&format!("bells.md:{line}:")) && said.contains(what),
            "a warning at line {line} about {what}:\n{said}"
        );
    }
    assert!(
        said.contains("bells.md:9:1: warning: a character reference"),
        "{said}"
    );
    let output = kb.output();
    assert_valid_outputs(
        &output,
        &[
            "feed.xml",
            "cases/bells/index.html",
            "cases.json",
            "cases.csv",
            "sitemap.xml",
            "index.html",
        ],
    );
    let page = std::fs::read_to_string(output.join("cases/bells/index.html")).unwrap();
    assert!(
        page.contains("Bell ringers of Leith"),
        "the title without them"
    );
    // Search reads the same text as the page.
    let found = kb.run(&["search", "ringers", "--json"]);
    assert!(
        found.stdout.contains("\"Bell ringers of Leith\""),
        "{}",
        found.stdout
    );

    // The advice: delete them (and the escapes), and the warnings go.
    let clean: String = raw
        .replace("\\x01", "")
        .replace("\\uFFFE", "")
        .replace("\\x1B", "")
        .replace("\\u0000", "")
        .replace("\\u009D", "")
        .replace("&#x1B; ", "")
        .replace("&#xFFFE; ", "")
        .chars()
        .filter(|&c| !forbidden(c))
        .collect();
    std::fs::write(&path, clean).unwrap();
    let again = kb.build(&[]).expect_success().clone();
    assert!(
        !again.diagnostics().iter().any(|d| d.contains("bells.md")),
        "{:?}",
        again.diagnostics()
    );
}

#[test]
fn control_characters_in_the_settings_files_are_left_out_with_a_warning() {
    let kb = Kb::example();
    let site = kb.read("content/_site.yaml");
    let title_line = site.lines().position(|l| l.starts_with("title:")).unwrap() + 1;
    let site = site.replacen(
        "title: Public service innovation casebook",
        "title: \"Public service\\x01 innovation \\u0085casebook\\x1B\"",
        1,
    );
    kb.write("content/_site.yaml", &site);
    let taxonomy = kb.read("content/_taxonomy.yaml").replacen(
        "description: Public services designed",
        "description: \"Public \\x01services\" # designed",
        1,
    );
    kb.write("content/_taxonomy.yaml", &taxonomy);
    let run = kb.build(&[]).expect_success().clone();
    let said = run.diagnostics().join("\n");
    assert!(
        said.contains(&format!(
            "content/_site.yaml:{title_line}:1: warning: `title`"
        )),
        "{said}"
    );
    assert!(
        said.contains("content/_taxonomy.yaml:1:1: warning: `theme`"),
        "{said}"
    );
    let output = kb.output();
    assert_valid_outputs(
        &output,
        &["feed.xml", "index.html", "themes/co-production/index.html"],
    );
    assert!(std::fs::read_to_string(output.join("index.html"))
        .unwrap()
        .contains("Public service innovation casebook"));
}
