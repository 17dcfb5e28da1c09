//! Problems found in a knowledge base, each pointing at a file and a line.
//!
//! The library collects every problem it finds instead of stopping at the first one, so an
//! editor can fix a whole batch in one pass. Rendering them for a terminal is the job of the
//! binary's edge (`main.rs`, with [`super::report`]); here they are plain values.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail `check` and `build`, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth fixing, but the site can still be built.
    Warning,
    /// The file cannot be published as it is.
    Error,
}

/// One problem in one place of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as given to the loader (usually relative to the working directory).
    pub path: PathBuf,
    /// 1-based line in the file; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// How many characters from `column` the problem spans; 0: the word at `column`.
    pub length: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in an editor's words.
    pub message: String,
    /// What to do about it, when we can tell (e.g. the nearest known key).
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `line` (1-based, 0 for the whole file) of `path`.
    pub fn error(path: &Path, line: usize, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, path, line, message)
    }

    /// A warning at `line` of `path`.
    pub fn warning(path: &Path, line: usize, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, path, line, message)
    }

    fn new(severity: Severity, path: &Path, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line,
            column: if line > 0 { 1 } else { 0 },
            length: 0,
            severity,
            message: message.into(),
            help: None,
        }
    }

    /// Sets the column (1-based).
    pub fn at_column(mut self, column: usize) -> Self {
        self.column = column.max(1);
        self
    }

    /// Marks `length` characters from the column as the problem (for the caret line).
    pub fn spanning(mut self, length: usize) -> Self {
        self.length = length;
        self
    }

    /// Adds a hint such as "did you mean `organisation`?".
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `path:line:col: error: message` (the position is left out when unknown).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column.max(1))?;
        }
        write!(f, ": {kind}: {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

/// Every problem found in one run, in a stable order (by file, then line).
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// Records one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Records many problems.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(diagnostics);
    }

    /// True when at least one problem is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// How many errors there are.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// How many warnings there are.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// Whether these problems stop a build or fail a check: any error does, and with
    /// `strict` (`--strict`) any warning too. The one place that rule is written.
    pub fn fail(&self, strict: bool) -> bool {
        self.has_errors() || (strict && !self.is_empty())
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorts by file, line and column so output is the same from run to run.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message))
        });
        self.0.dedup();
    }

    /// Iterates over the problems.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics(iter.into_iter().collect())
    }
}

/// The candidate closest to `word` when it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::normalized_damerau_levenshtein(&word, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_a_likely_typo() {
        let keys = ["title", "theme", "organisation", "approach"];
        assert_eq!(nearest("organization", keys), Some("organisation"));
        assert_eq!(nearest("themes", keys), Some("theme"));
        assert_eq!(nearest("zzzzzzzz", keys), None);
    }

    #[test]
    fn display_follows_the_compiler_convention() {
        let d = Diagnostic::error(Path::new("content/cases/a.md"), 3, "missing title")
            .with_help("add `title: …`");
        assert_eq!(
            d.to_string(),
            "content/cases/a.md:3:1: error: missing title (add `title: …`)"
        );
    }
}
