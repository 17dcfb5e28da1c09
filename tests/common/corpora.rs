//! The real collections under `../shared/corpora/` (converted with `../shared/tools/`), for
//! tests that need thousands of cases written by others. CI has them beside the repository;
//! without them a test says it skipped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::{repo, Kb, Run};

/// `../shared`, next to the repository, when it is there (CI has it).
pub fn shared() -> Option<PathBuf> {
    let shared = repo().join("..").join("shared");
    if shared.join("corpora").is_dir() {
        Some(shared)
    } else {
        println!("skipped: ../shared/corpora not found");
        None
    }
}

/// Converts a collection with `../shared/tools/<converter>` into a knowledge base at `root`.
pub fn convert(shared: &Path, converter: &str, root: &Path, options: &[&str]) {
    let output = Command::new("python3")
        .arg(shared.join("tools").join(converter))
        .arg("--out")
        .arg(root)
        .args(options)
        .output()
        .expect("python3 runs the converter");
    assert!(
        output.status.success(),
        "{converter} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// IPS-X converted and built once for the whole run (read only), or `None` without
/// `../shared`.
pub fn built_ipsx() -> Option<&'static Kb> {
    static IPSX: OnceLock<Option<Kb>> = OnceLock::new();
    IPSX.get_or_init(|| {
        let shared = shared()?;
        let kb = Kb::empty_for_the_whole_run();
        convert(&shared, "convert_ipsx.py", kb.root(), &[]);
        Run::of(super::casebook().arg("build").arg("--root").arg(kb.root())).expect_success();
        Some(kb)
    })
    .as_ref()
}
