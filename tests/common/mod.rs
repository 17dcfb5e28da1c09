//! Helpers shared by the integration tests: knowledge bases in temporary folders, runs of the
//! real `casebook` binary, and readers for what a build writes.
//!
//! Tests never build the repository's own folders: a build writes `public/` and a cache
//! (`.casebook/`) under its root, so every test works on a copy.

// Each test binary uses a different part of these helpers.
#![allow(dead_code)]

pub mod atom;
pub mod browser;
pub mod corpora;
pub mod http;
pub mod links;
pub mod records;
pub mod served;
pub mod xml;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use scraper::{Html, Selector};
use tempfile::TempDir;

/// The casebook repository (where `Cargo.toml` is).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A named fixture folder: `tests/fixtures/<name>`.
pub fn fixture_dir(name: &str) -> PathBuf {
    repo().join("tests").join("fixtures").join(name)
}

/// The real `casebook` binary.
pub fn casebook() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("casebook").expect("cargo builds the casebook binary")
}

/// What one run of the binary did.
#[derive(Debug, Clone)]
pub struct Run {
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Runs `command` to its end and records what it did.
    pub fn of(command: &mut assert_cmd::Command) -> Run {
        let output = command.output().expect("casebook runs");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Panics with everything the binary said unless it exited with `code`.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "expected exit code {code}, got {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// Panics unless the run succeeded.
    #[track_caller]
    pub fn expect_success(&self) -> &Run {
        self.expect_code(0)
    }

    /// The diagnostic lines (`path:line:col: error|warning: …`) of stderr.
    pub fn diagnostics(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
            .collect()
    }

    /// The error lines of stderr.
    pub fn errors(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.contains(": error: "))
            .collect()
    }

    /// The `= help: …` text shown under the diagnostic whose first line contains `header`.
    pub fn help_for(&self, header: &str) -> Option<&str> {
        let mut lines = self.stderr.lines().skip_while(|l| !l.contains(header));
        lines.next()?;
        lines
            .take_while(|l| is_report_detail(l))
            .find_map(|l| l.trim_start().strip_prefix("= help: "))
    }

    /// The lines of stderr that are not diagnostics (nor their excerpts and help).
    pub fn other_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| {
                !l.contains(": error: ") && !l.contains(": warning: ") && !is_report_detail(l)
            })
            .collect()
    }
}

/// True for the lines a diagnostic shows under its first line: the excerpt (`12 | …`), the
/// caret line, `= help: …`, and the blank line that ends it.
fn is_report_detail(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.is_empty()
        || trimmed.starts_with('|')
        || trimmed.starts_with("= ")
        || trimmed
            .split_once(" |")
            .is_some_and(|(number, _)| number.parse::<usize>().is_ok())
}

/// Runs `tests/<script>` in Node with `args` and parses what it prints as JSON; panics with
/// what it said on stderr when it fails.
pub fn node_json(script: &str, args: &[&Path]) -> serde_json::Value {
    let output = std::process::Command::new("node")
        .arg(repo().join("tests").join(script))
        .args(args)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{script} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// A temporary folder under cargo's target directory, so leftovers go with `cargo clean`.
pub fn temp_dir() -> TempDir {
    tempfile::Builder::new()
        .prefix("casebook-test-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("a temporary folder")
}

/// Copies the folder `from` into `to`, recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create folder");
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A knowledge base in a temporary folder, deleted when dropped.
pub struct Kb {
    dir: TempDir,
}

impl Kb {
    /// A copy of the repository's example knowledge base (`content/` and `themes/`).
    pub fn example() -> Kb {
        let kb = Kb { dir: temp_dir() };
        copy_tree(&repo().join("content"), &kb.path("content"));
        copy_tree(&repo().join("themes"), &kb.path("themes"));
        kb
    }

    /// A copy of the example for a `static` shared by the tests of one process.
    ///
    /// Statics are never dropped, so its folder outlives the process; it is named after the
    /// process and removed by a later run once that process is gone.
    pub fn example_for_the_whole_run() -> Kb {
        let kb = Kb::empty_for_the_whole_run();
        copy_tree(&repo().join("content"), &kb.path("content"));
        copy_tree(&repo().join("themes"), &kb.path("themes"));
        kb
    }

    /// An empty knowledge base for a `static` shared by the tests of one process (see
    /// [`Kb::example_for_the_whole_run`]).
    pub fn empty_for_the_whole_run() -> Kb {
        remove_folders_of_ended_runs();
        let dir = tempfile::Builder::new()
            .prefix(&format!("{SHARED_PREFIX}{}-", std::process::id()))
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .expect("a temporary folder");
        Kb { dir }
    }

    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> Kb {
        let kb = Kb { dir: temp_dir() };
        copy_tree(&fixture_dir(name), kb.root());
        kb
    }

    /// A knowledge base with an empty `content/cases/` and no settings or vocabulary.
    pub fn empty() -> Kb {
        let kb = Kb { dir: temp_dir() };
        fs::create_dir_all(kb.path("content/cases")).expect("create content/cases");
        kb
    }

    /// The knowledge base folder (`--root`).
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the knowledge base.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    /// The default output folder, `public/`.
    pub fn output(&self) -> PathBuf {
        self.path("public")
    }

    /// Writes a file (creating its folder), e.g. `content/cases/x.md`.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().expect("has a folder")).expect("create folder");
        fs::write(&path, contents).expect("write file");
        path
    }

    /// Reads a file of the knowledge base or its output as text.
    pub fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative))
            .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
    }

    /// Runs `casebook <args> --root .` from inside the knowledge base, as an editor would,
    /// so diagnostics name files as `content/cases/…`.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut command = casebook();
        command
            .current_dir(self.root())
            .args(args)
            .args(["--root", "."]);
        Run::of(&mut command)
    }

    /// `casebook build` with extra arguments.
    pub fn build(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// `casebook check`.
    pub fn check(&self) -> Run {
        self.run(&["check"])
    }

    /// Parses a page of the default output, e.g. `cases/x/index.html`.
    pub fn page(&self, relative: &str) -> Html {
        Html::parse_document(&self.read(&format!("public/{relative}")))
    }
}

/// The example knowledge base, built once per test binary with the base URL of
/// `_site.yaml` (`https://example.org/`).
pub struct BuiltExample {
    pub kb: Kb,
    pub run: Run,
}

impl BuiltExample {
    /// The output folder.
    pub fn output(&self) -> PathBuf {
        self.kb.output()
    }

    /// Reads an output file as text.
    pub fn read(&self, relative: &str) -> String {
        self.kb.read(&format!("public/{relative}"))
    }

    /// Parses an output page.
    pub fn page(&self, relative: &str) -> Html {
        self.kb.page(relative)
    }

    /// `cases.json`, parsed.
    pub fn cases_json(&self) -> Vec<serde_json::Value> {
        serde_json::from_str(&self.read("cases.json")).expect("cases.json is JSON")
    }
}

/// The example, built once per test binary.
pub fn built_example() -> &'static BuiltExample {
    static SITE: OnceLock<BuiltExample> = OnceLock::new();
    SITE.get_or_init(|| {
        let kb = Kb::example_for_the_whole_run();
        let run = kb.build(&[]);
        run.expect_success();
        BuiltExample { kb, run }
    })
}

/// Folders shared by the tests of one process are named `<prefix><pid>-…`.
const SHARED_PREFIX: &str = "casebook-shared-";

/// Removes shared folders whose process has ended (where `/proc` tells; elsewhere they
/// stay until `cargo clean`).
fn remove_folders_of_ended_runs() {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(env!("CARGO_TARGET_TMPDIR")) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name
            .strip_prefix(SHARED_PREFIX)
            .and_then(|rest| rest.split('-').next());
        if pid.is_some_and(|pid| !proc.join(pid).exists()) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// The text of a minimal valid case: the five required keys, then `extra` front matter
/// lines (each ending with `\n`), then the body.
pub fn case_file(title: &str, extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ntheme: co-production\nregion: Scotland\norganisation: Food Train\napproach: volunteering\n{extra}---\n{body}\n"
    )
}

/// A CSS selector; panics on a typo in the test.
pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"))
}

/// The text of an element with whitespace collapsed, as a reader sees it.
pub fn text_of(element: scraper::ElementRef) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every file under `dir`, as `/`-separated relative paths → bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("readable output"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            (relative, fs::read(e.path()).expect("read output file"))
        })
        .collect()
}

/// The `cases/<slug>/index.html` pages of an output folder, by slug.
pub fn case_pages(output: &Path) -> Vec<String> {
    let mut slugs: Vec<String> = fs::read_dir(output.join("cases"))
        .expect("a cases/ folder")
        .map(|e| e.expect("readable entry"))
        .filter(|e| e.path().join("index.html").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    slugs.sort();
    slugs
}

/// Every `*.md` file under `dir`, recursively.
pub fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("readable folder"))
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect()
}
