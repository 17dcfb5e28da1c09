//! The layer-free parts of errors, which every layer may use: [`Diagnostic`]s (a problem at a
//! file and line, for editors), [`IoError`] (a file operation that failed, with its path) and
//! [`ExitKind`] (what kind of failure, hence which exit code).
//!
//! Each layer has its own error type built from these; the combined error of a command lives
//! at the top (`crate::Error`), where no layer imports it. [`report`] renders diagnostics for
//! a terminal or a page.

pub mod diagnostic;
pub mod report;

use std::path::{Path, PathBuf};

pub use diagnostic::{nearest, Diagnostic, Diagnostics, Severity};

/// A file or folder could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", .path.display())]
pub struct IoError {
    /// The file or folder.
    pub path: PathBuf,
    /// The operating system's reason.
    pub source: std::io::Error,
}

impl IoError {
    /// An I/O failure about `path`.
    pub fn new(path: &Path, source: std::io::Error) -> IoError {
        IoError {
            path: path.to_path_buf(),
            source,
        }
    }

    /// A closure for `map_err` that names `path`.
    pub fn at(path: &Path) -> impl FnOnce(std::io::Error) -> IoError + '_ {
        move |source| IoError::new(path, source)
    }
}

/// What kind of failure ended a command, which decides the process's exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitKind {
    /// The content has problems an editor must fix: exit code 1.
    Content,
    /// The command was misused, or a file could not be read or written: exit code 2.
    Usage,
}

impl ExitKind {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitKind::Content => 1,
            ExitKind::Usage => 2,
        }
    }
}
