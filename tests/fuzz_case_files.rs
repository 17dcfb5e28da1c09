//! A short, deterministic fuzz run of the front matter and Markdown path through `cargo test`:
//! the bad inputs of `tests/fuzz/corpus/` mutated by a seeded generator (bit flips, inserted
//! YAML and Markdown syntax, deletions, repeats, splices of two files) go through
//! `casebook::markdown::render_case_file`, which must give a rendered body or errors, never
//! panic, and stay quick. The same path is the `cargo fuzz` target in `fuzz/` for long runs.
//!
//! `CASEBOOK_FUZZ_ITERATIONS` and `CASEBOOK_FUZZ_SEED` run it longer or differently.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use casebook::Diagnostic;
use casebook::Vocabulary;
use casebook::{render_case_file, RenderedCase};

const ITERATIONS: usize = 100_000;

/// No single input may take longer: a slow one is a hang waiting for a bigger input.
const SLOWEST_ALLOWED: Duration = Duration::from_secs(2);

/// Text that means something to YAML, to the front matter splitter or to Markdown.
const TOKENS: &[&str] = &[
    "---\n",
    "...\n",
    ":",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!str ",
    "!!binary ",
    "? ",
    "|\n",
    ">-\n",
    "#",
    "\"",
    "'",
    "\\",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\u{feff}",
    "\0",
    "\u{202e}",
    "\u{1b}[2J",
    "%YAML 1.2\n",
    "title: ",
    "theme: ",
    "slug: ",
    "aliases: ",
    "sources:\n  - ",
    "url: ",
    "year: ",
    "date: ",
    "~",
    "null",
    "<script>",
    "</p>",
    "<!--",
    "```",
    "](javascript:",
    "[^1]",
    "{#x onclick=y}",
    "&#106;",
    "| a |\n|---|\n",
    "    ",
    "\u{ff}",
    "ä",
    "🦀",
    "\u{fffd}",
];

/// A small, seeded xorshift generator: the same seed gives the same run everywhere.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One mutation of `input`, drawing on `corpus` for splices.
fn mutate(rng: &mut XorShift, input: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    let at = |rng: &mut XorShift, input: &Vec<u8>| rng.below(input.len() + 1);
    match rng.below(8) {
        0 if !input.is_empty() => {
            let i = rng.below(input.len());
            input[i] ^= 1 << rng.below(8);
        }
        1 => {
            let i = at(rng, input);
            input.insert(i, rng.next() as u8);
        }
        2 | 3 => {
            let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
            let i = at(rng, input);
            input.splice(i..i, token.iter().copied());
        }
        4 if !input.is_empty() => {
            let start = rng.below(input.len());
            let end = (start + 1 + rng.below(16)).min(input.len());
            input.drain(start..end);
        }
        5 => {
            let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
            let times = 1 + rng.below(300);
            let i = at(rng, input);
            input.splice(i..i, token.repeat(times));
        }
        6 => {
            let other = &corpus[rng.below(corpus.len())];
            let cut = at(rng, input);
            let from = rng.below(other.len() + 1);
            input.truncate(cut);
            input.extend_from_slice(&other[from..]);
        }
        _ if !input.is_empty() => {
            let start = rng.below(input.len());
            let end = (start + 1 + rng.below(64)).min(input.len());
            let copy = input[start..end].to_vec();
            let i = at(rng, input);
            input.splice(i..i, copy);
        }
        _ => input.extend_from_slice(TOKENS[rng.below(TOKENS.len())].as_bytes()),
    }
}

/// The part of `input` kept as it is and the part to mutate: the front matter and the body
/// when `body_only` and the file has a closing `---`, else nothing and the whole.
fn split_at_body(input: &[u8], body_only: bool) -> (Vec<u8>, Vec<u8>) {
    let fence = input
        .windows(5)
        .enumerate()
        .skip(1)
        .find(|(_, w)| w == b"\n---\n")
        .map(|(i, _)| i + 5);
    match fence {
        Some(at) if body_only => (input[..at].to_vec(), input[at..].to_vec()),
        _ => (Vec::new(), input.to_vec()),
    }
}

fn corpus() -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/corpus");
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("tests/fuzz/corpus")
        .map(|e| e.expect("a corpus entry").path())
        .map(|path| {
            let bytes = std::fs::read(&path).expect("a corpus file");
            (path, bytes)
        })
        .collect();
    files.sort();
    assert!(files.len() >= 20, "the corpus holds the bad inputs");
    files
}

fn vocabularies() -> [Vocabulary; 2] {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/_taxonomy.yaml");
    let text = std::fs::read_to_string(&path).expect("the fuzz vocabulary");
    let listed = Vocabulary::from_text(&path, &text).expect("a valid vocabulary");
    [Vocabulary::default(), listed]
}

/// What must hold of every answer besides not panicking.
fn check_answer(
    input: &[u8],
    answer: &Result<RenderedCase, Vec<Diagnostic>>,
) -> Result<(), String> {
    let lines = input.split(|&b| b == b'\n' || b == b'\r').count() + 1;
    let diagnostics = match answer {
        Ok(rendered) => {
            if let Some(found) = script_in(&rendered.body.html) {
                return Err(format!(
                    "{found} in the rendered body: {}",
                    rendered.body.html
                ));
            }
            &rendered.warnings
        }
        Err(problems) => {
            if !problems.iter().any(Diagnostic::is_error) {
                return Err(format!("failed without an error: {problems:?}"));
            }
            problems
        }
    };
    for d in diagnostics {
        if d.line > lines || (d.line > 0 && d.column == 0) {
            return Err(format!("a position outside the file ({lines} lines): {d}"));
        }
    }
    Ok(())
}

/// A script element, event handler or script URL in `html`, parsed as a browser would.
fn script_in(html: &str) -> Option<String> {
    let fragment = scraper::Html::parse_fragment(html);
    for node in fragment.root_element().descendants() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        if element.name() == "script" {
            return Some("a script element".into());
        }
        for (name, value) in element.attrs() {
            let url: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if name.starts_with("on") || url.starts_with("javascript:") {
                return Some(format!("{name}=\"{value}\""));
            }
        }
    }
    None
}

/// Where a failing input is kept, to replay it with the binary or the fuzz target.
fn keep(input: &[u8], iteration: usize) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fuzz-failure-{iteration}.md"));
    std::fs::write(&path, input).expect("write the failing input");
    path
}

fn from_env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn mutated_case_files_never_panic() {
    let iterations = from_env("CASEBOOK_FUZZ_ITERATIONS", ITERATIONS as u64) as usize;
    let mut rng = XorShift(from_env("CASEBOOK_FUZZ_SEED", 0x9e37_79b9_7f4a_7c15).max(1));
    let corpus = corpus();
    let seeds: Vec<Vec<u8>> = corpus.iter().map(|(_, bytes)| bytes.clone()).collect();
    let vocabularies = vocabularies();
    let path = Path::new("content/cases/fuzz.md");
    let started = Instant::now();
    let (mut rendered, mut slowest) = (0, Duration::ZERO);
    // Seeds that are slow as they are (the alias bomb takes a tenth of a second to refuse)
    // are tried once, not mutated: the run has better use for its time.
    let mut mutable: Vec<usize> = Vec::new();
    for iteration in 0..iterations {
        // The first pass is the corpus as it is; then mutations of it.
        let input = if iteration < seeds.len() {
            seeds[iteration].clone()
        } else {
            let seed = &seeds[mutable[rng.below(mutable.len())]];
            // Half the time only the body changes, so the Markdown path is reached often.
            let (head, mut body) = split_at_body(seed, rng.below(2) == 0);
            for _ in 0..1 + rng.below(4) {
                mutate(&mut rng, &mut body, &seeds);
            }
            [head, body].concat()
        };
        let vocabulary = &vocabularies[iteration % 2];
        let one = Instant::now();
        let answer = catch_unwind(AssertUnwindSafe(|| {
            render_case_file(path, &input, vocabulary)
        }));
        let took = one.elapsed();
        let problem = match &answer {
            Err(_) => Some("panicked".to_string()),
            Ok(_) if took > SLOWEST_ALLOWED => Some(format!("took {took:?}")),
            Ok(answer) => check_answer(&input, answer).err(),
        };
        if let Some(problem) = problem {
            let kept = keep(&input, iteration);
            panic!(
                "input {iteration} {problem}; kept in {}:\n{}",
                kept.display(),
                String::from_utf8_lossy(&input).escape_debug()
            );
        }
        rendered += usize::from(matches!(answer, Ok(Ok(_))));
        slowest = slowest.max(took);
        if iteration < seeds.len() && took < Duration::from_millis(20) {
            // Seeds that render are mutated more often than those already refused.
            let weight = if matches!(answer, Ok(Ok(_))) { 4 } else { 1 };
            mutable.extend(std::iter::repeat_n(iteration, weight));
        }
    }
    println!(
        "{iterations} fuzz iterations without a panic in {:.1?} ({rendered} rendered, the rest \
         rejected with errors; slowest input {slowest:?})",
        started.elapsed()
    );
}
