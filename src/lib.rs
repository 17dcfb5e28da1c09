//! casebook turns a folder of Markdown case studies into a browsable, searchable static site.
//!
//! Data flows one way: [`content`] reads the knowledge base, [`markdown`] renders bodies,
//! [`render`] turns data into pages, [`site`] orchestrates a build and writes it atomically.
//! The binary (`main.rs`) only parses the command line and prints what the library returns.

pub mod config;
pub mod content;
pub mod markdown;
pub mod render;
pub mod scaffold;
pub mod site;

use std::path::{Path, PathBuf};

pub use content::{Diagnostic, Diagnostics, Severity};
pub use scaffold::{init, new_case, NewCase};
pub use site::{build, check, BuildOptions, BuildReport};

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The content has errors; each names its file and line.
    #[error("{} error(s) in the content", .0.error_count())]
    Content(Diagnostics),
    /// A file could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The command was asked something it must not or cannot do.
    #[error("{0}")]
    Usage(String),
    /// A template is broken.
    #[error(transparent)]
    Render(#[from] render::RenderError),
}

impl Error {
    /// An I/O error about `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The process exit code: 1 for content errors, 2 for usage and I/O errors.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Content(_) | Error::Render(_) => 1,
            Error::Io { .. } | Error::Usage(_) => 2,
        }
    }
}
