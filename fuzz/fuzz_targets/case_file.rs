//! A case file's bytes in, a rendered body or errors out: the front matter and Markdown path
//! of every build, which must never panic whatever an editor's file holds.
//!
//! Run from the repository root, seeded with the bad inputs the tests use (new inputs go to
//! `fuzz/corpus/case_file/`, crashes to `fuzz/artifacts/`):
//!
//! ```text
//! cargo +nightly fuzz run case_file fuzz/corpus/case_file tests/fuzz/corpus -- -max_total_time=60
//! ```
//!
//! `tests/fuzz_case_files.rs` runs a short deterministic fuzz of the same path in `cargo test`.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use casebook::Vocabulary;
use libfuzzer_sys::fuzz_target;

/// Half the inputs are checked against the vocabulary the tests use, half against none.
fn vocabularies() -> &'static [Vocabulary; 2] {
    static VOCABULARIES: OnceLock<[Vocabulary; 2]> = OnceLock::new();
    VOCABULARIES.get_or_init(|| {
        let text = include_str!("../../tests/fuzz/_taxonomy.yaml");
        let listed = Vocabulary::from_text(Path::new("content/_taxonomy.yaml"), text)
            .expect("the fuzz vocabulary is valid");
        [Vocabulary::default(), listed]
    })
}

fuzz_target!(|bytes: &[u8]| {
    let vocabulary = &vocabularies()[bytes.len() % 2];
    if let Ok(rendered) =
        casebook::render_case_file(Path::new("content/cases/fuzz.md"), bytes, vocabulary)
    {
        assert!(
            !rendered.body.html.contains("<script"),
            "a script element in {}",
            rendered.body.html
        );
    }
});
