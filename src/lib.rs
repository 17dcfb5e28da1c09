//! casebook turns a folder of Markdown case studies into a browsable, searchable static site.
//!
//! Data flows one way: [`content`] reads the knowledge base, [`markdown`] renders bodies,
//! [`render`] turns data into pages, [`site`] orchestrates a build and writes it atomically.
//! The binary (`main.rs`) only parses the command line and prints what the library returns.

pub mod config;
pub mod content;
pub mod index;
pub mod markdown;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;

use std::path::{Path, PathBuf};

pub use content::{Diagnostic, Diagnostics, Severity};
pub use index::search::{Hit, SearchRequest, SearchResults};
pub use scaffold::{init, new_case, NewCase};
pub use site::{build, check, BuildOptions, BuildReport};

/// Answers a query from the index the last `casebook build` of `root` left in its cache.
pub fn search(root: &Path, request: &SearchRequest) -> Result<SearchResults, Error> {
    let layout = content::Layout::new(root);
    if !layout.content_dir().is_dir() {
        return Err(Error::Usage(format!(
            "{}: not a knowledge base (no content/ folder)",
            root.display()
        )));
    }
    let vocabulary = config::Vocabulary::load(&content::display_path(&layout.taxonomy_file()))
        .map_err(|problems| Error::Content(problems.into_iter().collect()))?;
    let synonyms = index::query::Synonyms::from_vocabulary(&vocabulary);
    let index = index::search::SearchIndex::open(&layout.cache_dir(), synonyms)?;
    Ok(index.search(request)?)
}

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
    /// The search index could not be written or read.
    #[error(transparent)]
    Index(#[from] index::IndexError),
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
            Error::Io { .. } | Error::Usage(_) | Error::Index(_) => 2,
        }
    }
}
