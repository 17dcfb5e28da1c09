//! The browser's analyzer (JavaScript) gives exactly the tokens of the Rust analyzer that
//! tantivy uses, and the same spellings of query words (what corrections compare), on every
//! word of the example, of the real collections and of a large English word list.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use casebook::{analyze, query_spellings, Mode};

const WORD_LIST: &str = "/usr/share/dict/american-english";

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every whitespace-separated chunk of `text` (keeping punctuation, hyphens, apostrophes).
fn add_chunks(text: &str, into: &mut BTreeSet<String>) {
    for chunk in text.split_whitespace() {
        into.insert(chunk.to_string());
    }
}

fn files_under(dir: &Path, extension: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == extension))
        .map(|e| e.into_path())
        .collect()
}

fn rust_line(line: &str) -> String {
    let index: Vec<String> = analyze(line, Mode::Index)
        .into_iter()
        .map(|t| format!("{}@{}", t.text, t.position))
        .collect();
    let query: Vec<String> = analyze(line, Mode::Query)
        .into_iter()
        .map(|t| t.text)
        .collect();
    let spellings: Vec<String> = query_spellings(line)
        .into_iter()
        .map(|s| format!("{}:{}", s.word, s.term))
        .collect();
    format!(
        "{}\t{}\t{}",
        index.join(" "),
        query.join(" "),
        spellings.join(" ")
    )
}

#[test]
fn browser_analyzer_equals_rust_analyzer_on_large_word_lists() {
    let mut lines = BTreeSet::new();
    let mut sources = Vec::new();
    // Whole lines of the example, so positions and hyphenated compounds in context count too.
    for file in files_under(&manifest_dir().join("content"), "md") {
        let text = std::fs::read_to_string(&file).unwrap();
        lines.extend(text.lines().map(str::to_string));
        add_chunks(&text, &mut lines);
    }
    sources.push("example content (lines and words)");
    let corpora = manifest_dir().join("../shared/corpora");
    if corpora.is_dir() {
        for file in files_under(&corpora, "md")
            .into_iter()
            .chain(files_under(&corpora, "csv"))
        {
            add_chunks(
                &String::from_utf8_lossy(&std::fs::read(&file).unwrap()),
                &mut lines,
            );
        }
        sources.push("every word of ../shared/corpora");
    } else {
        eprintln!("note: ../shared/corpora not found; its words were not compared");
    }
    match std::fs::read_to_string(WORD_LIST) {
        Ok(words) => {
            add_chunks(&words, &mut lines);
            sources.push(WORD_LIST);
        }
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!("{WORD_LIST} is missing: .ci/run installs wamerican")
        }
        Err(_) => eprintln!("note: {WORD_LIST} not found (apt-get install wamerican); skipped"),
    }
    // Edge cases: diacritics, typographic apostrophes and hyphens, scripts, long words.
    for extra in [
        "Rønne",
        "São Paulo",
        "Seinäjoki’s",
        "co‐production",
        "ﬁnance",
        "İstanbul",
        "ΣΟΦΙΑ",
        "Straße",
        "x".repeat(41).as_str(),
        "a-b-c-d",
        "'quoted'",
        "2008-2010",
        "naïve café",
    ] {
        lines.insert(extra.to_string());
    }
    let lines: Vec<String> = lines.into_iter().filter(|l| !l.contains('\r')).collect();

    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("lines.txt");
    std::fs::write(&input, lines.join("\n")).unwrap();
    let analyzer_js = manifest_dir().join("src/index/js/analyzer.js");
    let output = Command::new("node")
        .arg(manifest_dir().join("tests/js/analyze.mjs"))
        .arg(&analyzer_js)
        .arg(&input)
        .output()
        .expect("node must be installed to test the browser analyzer");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let js = String::from_utf8(output.stdout).unwrap();
    let js_lines: Vec<&str> = js.split('\n').collect();
    assert_eq!(
        js_lines.len(),
        lines.len(),
        "one output line per input line"
    );

    let mismatches: Vec<String> = lines
        .iter()
        .zip(&js_lines)
        .filter_map(|(line, js)| {
            let rust = rust_line(line);
            (rust != *js).then(|| format!("{line:?}\n  rust: {rust}\n  js:   {js}"))
        })
        .collect();
    eprintln!(
        "compared {} distinct lines and words from: {}",
        lines.len(),
        sources.join(", ")
    );
    assert!(
        mismatches.is_empty(),
        "{} mismatches, first ones:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(10)].join("\n")
    );
}
