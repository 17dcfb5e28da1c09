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
