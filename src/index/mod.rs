//! Search: the analyzer, the tantivy index, queries, and the static export for browsers.
//!
//! tantivy is the one source of truth: `casebook search` runs queries on the index, and the
//! export hands the browser each term's postings with the scores tantivy computes.

pub mod analyzer;
pub mod export;
pub mod query;
pub mod schema;
pub mod scoring;
pub mod search;
pub mod writer;

use std::path::{Path, PathBuf};

pub use writer::{build_index, open_index, IndexedCase, LiveIndex};

/// Why searching or indexing failed.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy reported a problem.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// A file of the index could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// There is no index (or one from another version of casebook).
    #[error("no search index in {}: run `casebook build` first", .0.display())]
    Missing(PathBuf),
}

impl IndexError {
    fn io(path: &Path, source: std::io::Error) -> IndexError {
        IndexError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
