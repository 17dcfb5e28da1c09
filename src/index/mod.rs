//! Search: the analyzer, the tantivy index, queries, and the static export for browsers.
//!
//! tantivy is the one source of truth: `casebook search` runs queries on the index, and the
//! export hands the browser each term's postings with the scores tantivy computes. The rest
//! of casebook sees two faces: [`build`] for a build (index, then export, streamed), and
//! [`LiveSearch`] for the preview, which tells which export files to write and remove after
//! some cases changed.

mod analyzer;
mod codec;
mod dictionary;
mod export;
mod forgive;
mod live;
mod plan;
mod query;
mod schema;
mod scoring;
mod search;
mod snippet;
mod sorting;
mod word_shards;
mod writer;

use std::path::PathBuf;

use crate::content::{Case, Library, Vocabulary};
use crate::error::IoError;

pub use analyzer::{analyze, query_spellings, Mode};
pub use export::{fixed_paths as export_fixed_paths, runtime_modules, SNIPPET_SOURCE};
pub use live::{ChangedCase, LiveSearch};
pub use search::{
    Correction, Hit, HitSnippet, Partial, SearchIndex, SearchRequest, SearchResults, Years,
};
pub use sorting::Sort;
pub use writer::{IndexedCase, StagedIndex};

/// Why searching or indexing failed.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy reported a problem.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// A file of the index could not be read or written.
    #[error(transparent)]
    Io(#[from] IoError),
    /// There is no index (or one from another version of casebook).
    #[error("no search index in {}: run `casebook build` first", .0.display())]
    Missing(PathBuf),
    /// The index is not whole: a build was stopped while writing it, or a file went missing.
    #[error("the index in {} is incomplete ({why}): run `casebook build`", .path.display())]
    Incomplete {
        /// The search folder.
        path: PathBuf,
        /// What is missing.
        why: String,
    },
    /// A file beside the index (the dictionary, the sort keys) is damaged.
    #[error("{}: {damage}; run `casebook build` to write it again", .path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        damage: codec::Damaged,
    },
}

/// What the index and its export are made from: every case, numbered by its position (slug
/// order), with what the site made of it.
pub struct SearchInput<'a> {
    /// The cases, in case-number order.
    pub cases: &'a [Case],
    /// Each case's body as plain text.
    pub body_texts: Vec<&'a str>,
    /// Each case's page path.
    pub urls: Vec<String>,
    /// Each case's summary as pages show it.
    pub summaries: Vec<&'a str>,
    /// Facet values and their cases.
    pub library: &'a Library,
    /// The vocabulary, whose synonyms the query language expands.
    pub vocabulary: &'a Vocabulary,
}

impl SearchInput<'_> {
    /// What the index holds of case `number`.
    pub fn indexed(&self, number: usize) -> IndexedCase<'_> {
        IndexedCase {
            case: &self.cases[number],
            body_text: self.body_texts[number],
            url: &self.urls[number],
        }
    }

    fn all_indexed(&self) -> Vec<IndexedCase<'_>> {
        (0..self.cases.len()).map(|n| self.indexed(n)).collect()
    }
}

/// Indexes every case into a fresh search folder in `cache_dir`, then writes the export,
/// handing each file to `each` as soon as it is made (from several threads). The index
/// replaces the one `casebook search` reads only when the caller commits it.
pub fn build<E>(
    cache_dir: &std::path::Path,
    input: &SearchInput,
    each: &(dyn Fn(String, Vec<u8>) -> Result<(), E> + Sync),
) -> Result<StagedIndex, E>
where
    E: From<IndexError> + Send,
{
    let staged = StagedIndex::create(cache_dir)?;
    let index = writer::LiveIndex::create(staged.dir(), &input.all_indexed())?;
    let dictionary = export::write_export(
        index.index(),
        index.fields(),
        input,
        index.new_spellings(),
        each,
    )?;
    writer::write_dictionary(staged.dir(), &dictionary)?;
    writer::write_sort_keys(staged.dir(), &sorting::SortKeys::of(input))?;
    index.finish()?;
    staged.mark_whole(input.cases.len())?;
    Ok(staged)
}
