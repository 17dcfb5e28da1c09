//! Diagnostics for people, as compilers show them: `path:line:col: error: message`, then the
//! line of the file it is about with a caret under the problem, then what to do.
//!
//! The first line of each report is exactly the [`Diagnostic`]'s position, severity and
//! message, so editors' problem matchers and the tests can read it; codespan-reporting draws
//! the source excerpt and the help under it. File text shown here comes from editors, so
//! control characters are made visible before they reach a terminal.

use std::io::{self, IsTerminal};
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::termcolor::{
    Buffer, Color, ColorChoice, ColorSpec, StandardStream, WriteColor,
};
use codespan_reporting::term::{self, Chars, Config, Styles, StylesWriter};

use super::diagnostic::{Diagnostic, Diagnostics, Severity};

/// The widest excerpt of a line shown, in characters; longer lines are cut around the column.
const EXCERPT_WIDTH: usize = 100;

/// Identical warnings (same message and help) in at least this many places are shown once,
/// followed by where else they are, unless every one is asked for.
const GROUP_FROM: usize = 4;
/// How many of a group's other places its note names.
const GROUP_NAMES: usize = 3;

/// Prints every diagnostic to stderr, in colour when stderr is a terminal; identical
/// warnings in many files are shown once with the list of files, unless `verbose`.
pub fn eprint(diagnostics: &Diagnostics, verbose: bool) {
    let choice = if io::stderr().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let stderr = StandardStream::stderr(choice);
    // A closed stderr leaves nobody to tell.
    let _ = write_grouped(&mut stderr.lock(), diagnostics, verbose);
}

/// [`write`], with identical warnings in [`GROUP_FROM`] or more places shown once and a
/// note of the others, unless `verbose`.
pub fn write_grouped(
    out: &mut dyn WriteColor,
    diagnostics: &Diagnostics,
    verbose: bool,
) -> io::Result<()> {
    fn key(d: &Diagnostic) -> (&str, Option<&str>) {
        (d.message.as_str(), d.help.as_deref())
    }
    let mut groups: std::collections::HashMap<(&str, Option<&str>), Vec<&Diagnostic>> =
        Default::default();
    if !verbose {
        for d in diagnostics.iter().filter(|d| !d.is_error()) {
            groups.entry(key(d)).or_default().push(d);
        }
    }
    let mut sources = SourceCache::default();
    for diagnostic in diagnostics {
        let Some(group) = groups
            .get(&key(diagnostic))
            .filter(|g| g.len() >= GROUP_FROM)
        else {
            write_one(out, diagnostic, &mut sources)?;
            continue;
        };
        if !std::ptr::eq(group[0], diagnostic) {
            continue;
        }
        write_one(out, diagnostic, &mut sources)?;
        let others: Vec<String> = group[1..]
            .iter()
            .take(GROUP_NAMES)
            .map(|d| format!("{}:{}", visible(&d.path.display().to_string()), d.line))
            .collect();
        let more = group.len() - 1 - others.len();
        let rest = if more > 0 {
            format!(" … and {more} more")
        } else {
            String::new()
        };
        writeln!(
            out,
            "note: the same warning in {} more files: {}{rest} (--verbose lists each)",
            group.len() - 1,
            others.join(", ")
        )?;
    }
    out.flush()
}

/// Every diagnostic as plain text, as [`eprint`] shows it without colour.
pub fn to_text(diagnostics: &Diagnostics) -> String {
    let mut buffer = Buffer::no_color();
    write(&mut buffer, diagnostics).expect("writing to memory");
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// "3 error(s), 1 warning(s)": how many problems of each kind there are.
pub fn summary(diagnostics: &Diagnostics) -> String {
    format!(
        "{} error(s), {} warning(s)",
        diagnostics.error_count(),
        diagnostics.warning_count()
    )
}

/// The summary of problems that failed a run: [`summary`], saying so when only `--strict`
/// made warnings count.
pub fn failure_summary(diagnostics: &Diagnostics) -> String {
    let note = if diagnostics.has_errors() {
        ""
    } else {
        " (--strict: warnings count as errors)"
    };
    format!("{}{note}", summary(diagnostics))
}

/// Writes every diagnostic to `out`; colour is used when `out` supports it.
pub fn write(out: &mut dyn WriteColor, diagnostics: &Diagnostics) -> io::Result<()> {
    let mut sources = SourceCache::default();
    for diagnostic in diagnostics {
        write_one(out, diagnostic, &mut sources)?;
    }
    out.flush()
}

fn write_one(
    out: &mut dyn WriteColor,
    diagnostic: &Diagnostic,
    sources: &mut SourceCache,
) -> io::Result<()> {
    write_header(out, diagnostic)?;
    let excerpt = if diagnostic.line > 0 {
        sources
            .line(&diagnostic.path, diagnostic.line)
            .map(|line| Excerpt::new(diagnostic, line))
    } else {
        None
    };
    let mut report = match diagnostic.severity {
        Severity::Error => Report::error(),
        Severity::Warning => Report::warning(),
    };
    if let Some(excerpt) = &excerpt {
        report = report.with_labels(vec![Label::primary((), excerpt.span.clone())]);
    }
    if let Some(help) = &diagnostic.help {
        report = report.with_notes(vec![format!("help: {}", visible(help))]);
    }
    if excerpt.is_none() && diagnostic.help.is_none() {
        return Ok(());
    }
    let mut body = if out.supports_color() {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let config = Config {
        chars: if out.supports_color() {
            Chars::box_drawing()
        } else {
            Chars::ascii()
        },
        ..Config::default()
    };
    let styles = Styles::default();
    let has_excerpt = excerpt.is_some();
    let files = excerpt.unwrap_or_else(Excerpt::empty);
    term::emit_to_write_style(
        &mut StylesWriter::new(&mut body, &styles),
        &config,
        &files,
        &report,
    )
    .map_err(|e| io::Error::other(e.to_string()))?;
    // codespan starts with its own header and, above an excerpt, the position again: the
    // header written above says both.
    let skip = if has_excerpt { 2 } else { 1 };
    let rendered = body.as_slice();
    let start = rendered
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .nth(skip - 1)
        .map_or(rendered.len(), |(i, _)| i + 1);
    out.write_all(&rendered[start..])
}

/// `path:line:col: error: message`, the line tests and problem matchers read.
fn write_header(out: &mut dyn WriteColor, diagnostic: &Diagnostic) -> io::Result<()> {
    let bold = ColorSpec::new().set_bold(true).clone();
    out.set_color(&bold)?;
    write!(out, "{}", visible(&diagnostic.path.display().to_string()))?;
    if diagnostic.line > 0 {
        write!(out, ":{}:{}", diagnostic.line, diagnostic.column.max(1))?;
    }
    write!(out, ": ")?;
    let (word, color) = match diagnostic.severity {
        Severity::Error => ("error", Color::Red),
        Severity::Warning => ("warning", Color::Yellow),
    };
    out.set_color(ColorSpec::new().set_fg(Some(color)).set_bold(true))?;
    write!(out, "{word}")?;
    out.set_color(&bold)?;
    write!(out, ": {}", visible(&diagnostic.message))?;
    out.reset()?;
    writeln!(out)
}

/// Text with control characters (which could drive the terminal) and bidirectional
/// overrides (which could make it lie) shown as escapes.
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if is_hidden(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The file whose lines are being shown; reports come sorted by file, so one is enough.
#[derive(Default)]
struct SourceCache {
    path: Option<PathBuf>,
    text: String,
    /// Where each line starts and ends (without its line ending), in bytes of `text`.
    lines: Vec<Range<usize>>,
}

impl SourceCache {
    /// Line `number` (1-based) of the file at `path`, without its line ending.
    fn line(&mut self, path: &Path, number: usize) -> Option<String> {
        if self.path.as_deref() != Some(path) {
            self.path = Some(path.to_path_buf());
            let bytes = std::fs::read(path).unwrap_or_default();
            self.text = String::from_utf8_lossy(&bytes).into_owned();
            self.lines = line_ranges(&self.text);
        }
        let range = self.lines.get(number.checked_sub(1)?)?;
        Some(self.text[range.clone()].to_string())
    }
}

/// The lines of `text` as the front matter reader counts them: `\n`, `\r\n` and a lone
/// `\r` each end one; a byte order mark is not part of the first.
fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = text.len() - crate::text::strip_bom(text).len();
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(start..i);
                start = i + 1;
            }
            b'\r' => {
                lines.push(start..i);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        lines.push(start..bytes.len());
    }
    lines
}

/// One line of a file, cut to [`EXCERPT_WIDTH`] around the column, as codespan's "file".
struct Excerpt {
    text: String,
    line: usize,
    span: Range<usize>,
}

impl Excerpt {
    fn new(diagnostic: &Diagnostic, line: String) -> Excerpt {
        let chars: Vec<char> = line
            .chars()
            .map(|c| if is_hidden(c) { '\u{fffd}' } else { c })
            .collect();
        let column = diagnostic.column.max(1) - 1;
        let length = match diagnostic.length {
            0 => word_length(&chars, column),
            n => n,
        };
        let (start, end) = if chars.len() <= EXCERPT_WIDTH {
            (0, chars.len())
        } else {
            let start = column
                .saturating_sub(EXCERPT_WIDTH / 2)
                .min(chars.len() - EXCERPT_WIDTH);
            (start, start + EXCERPT_WIDTH)
        };
        let mut text = String::new();
        if start > 0 {
            text.push_str("...");
        }
        let column_byte = |text: &String, i: usize| {
            text.len()
                + chars[start..i.clamp(start, end)]
                    .iter()
                    .map(|c| c.len_utf8())
                    .sum::<usize>()
        };
        let prefix = text.clone();
        let span_start = column_byte(&prefix, column);
        let span_end = column_byte(&prefix, column + length);
        text.extend(&chars[start..end]);
        if end < chars.len() {
            text.push_str("...");
        }
        Excerpt {
            text,
            line: diagnostic.line,
            span: span_start..span_end,
        }
    }

    fn empty() -> Excerpt {
        Excerpt {
            text: String::new(),
            line: 1,
            span: 0..0,
        }
    }
}

/// How many characters the word at `at` has: a key, a value, or one character.
fn word_length(chars: &[char], at: usize) -> usize {
    let stop = |c: &char| c.is_whitespace() || ",[]{}:\"'#".contains(*c);
    let length = chars.iter().skip(at).take_while(|c| !stop(c)).count();
    length.max(1)
}

impl<'a> Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok("")
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), _byte_index: usize) -> Result<usize, FilesError> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), _line_index: usize) -> Result<usize, FilesError> {
        Ok(self.line)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        match line_index {
            0 => Ok(0..self.text.len()),
            given => Err(FilesError::LineTooLarge { given, max: 0 }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report_of(file_text: &str, diagnostic: Diagnostic) -> String {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("casebook-report-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{n}.md"));
        std::fs::write(&path, file_text).unwrap();
        let diagnostic = Diagnostic {
            path: path.clone(),
            ..diagnostic
        };
        let text = to_text(&[diagnostic].into_iter().collect());
        std::fs::remove_file(&path).unwrap();
        text.replace(&path.display().to_string(), "a.md")
    }

    #[test]
    fn header_then_the_line_with_a_caret_then_help() {
        let d = Diagnostic::error(Path::new("a.md"), 3, "unknown key `themes`")
            .with_help("did you mean `theme`?");
        let text = report_of("---\ntitle: A\nthemes: x\n---\n", d);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "a.md:3:1: error: unknown key `themes`");
        let source = lines
            .iter()
            .position(|l| l.ends_with("| themes: x"))
            .expect(&text);
        assert_eq!(lines[source + 1].trim_end(), "  | ^^^^^^", "{text}");
        assert!(text.contains("= help: did you mean `theme`?"), "{text}");
    }

    #[test]
    fn a_long_line_is_cut_around_the_column() {
        let line = format!("theme: [{}co-prodution]", "a, ".repeat(300_000));
        let column = line.find("co-prodution").unwrap() + 1;
        let d = Diagnostic::error(Path::new("a.md"), 2, "not listed")
            .at_column(column)
            .spanning(12);
        let text = report_of(&format!("---\n{line}\n---\n"), d);
        assert!(text.len() < 1000, "{}", text.len());
        assert!(text.contains("| ...a, a, "), "{text}");
        assert!(text.contains("a, a, co-prodution]"), "{text}");
        assert!(text.contains("^^^^^^^^^^^^"), "{text}");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let d = Diagnostic::error(Path::new("a.md"), 2, "unknown key `\u{1b}[2J`");
        let text = report_of("---\n\u{1b}[2J: x\n---\n", d);
        assert!(!text.contains('\u{1b}'), "{text:?}");
        assert!(text.contains("\\u{1b}"), "{text}");
    }

    #[test]
    fn lines_end_as_the_front_matter_reader_ends_them() {
        let text = "\u{feff}a\r\nb\rc\n\nd";
        let lines: Vec<&str> = line_ranges(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(lines, ["a", "b", "c", "", "d"]);
    }

    #[test]
    fn a_problem_with_the_whole_file_has_no_position() {
        let d = Diagnostic::error(Path::new("a.md"), 0, "this is a binary file");
        assert_eq!(report_of("", d), "a.md: error: this is a binary file\n");
    }
}
