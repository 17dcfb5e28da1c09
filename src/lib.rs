//! casebook turns a folder of Markdown case studies into a browsable, searchable static site.
//!
//! Data flows one way: [`content`] reads the knowledge base, [`markdown`] renders bodies,
//! [`index`] indexes the cases and exports the search, [`render`] turns data into pages,
//! [`site`] orchestrates a build and writes it atomically, and [`serve`] previews it live.
//! [`error`], [`text`] and [`swap`] hold what every layer may use. This file is the top: the public
//! API, and the one [`Error`] that wraps each layer's own.
//!
//! The binary (`main.rs`) only parses the command line and prints what the library returns.

mod content;
mod error;
mod index;
mod markdown;
mod render;
mod scaffold;
mod serve;
mod site;
mod swap;
mod text;

use std::path::Path;

// The commands and what they take and give.
pub use content::{NearDuplicate, QualityReport};
pub use error::{report, Diagnostic, Diagnostics, ExitKind, Severity};
pub use index::{Correction, Hit, HitSnippet, Partial, SearchRequest, SearchResults, Sort, Years};
pub use scaffold::{init, new_case, NewCase, ScaffoldError};
pub use serve::{serve, ServeError, ServeOptions};
pub use site::{build, check, check_with_report, cms_config, BuildOptions, BuildReport, SiteError};

// The steps of a build one by one, for the benchmarks, the fuzz target and the tests that
// compare the browser runtime with the Rust side.
pub use content::{parse_case, Vocabulary};
pub use index::{analyze, query_spellings, LiveSearch, Mode, SNIPPET_SOURCE};
pub use markdown::{render_case_file, MarkdownOptions, RenderedBody, RenderedCase};
pub use render::Job;
pub use site::{Site, Sources};

/// Renders a Markdown body as a case page shows it.
pub use markdown::render as render_markdown;

use content::{display_path, Layout, NotAKnowledgeBase};
use index::{IndexError, SearchIndex};

/// Answers a query from the index the last `casebook build` of `root` left in its cache.
pub fn search(root: &Path, request: &SearchRequest) -> Result<SearchResults, Error> {
    let layout = Layout::open(root)?;
    let vocabulary = Vocabulary::load(&display_path(&layout.taxonomy_file()))
        .map_err(|problems| Error::Content(problems.into_iter().collect()))?;
    let index = SearchIndex::open(&layout.cache_dir(), &vocabulary)?;
    Ok(index.search(request)?)
}

/// Everything that can stop a command: each layer's own error, or problems in the content.
/// The JSON Schema of a case's front matter for the knowledge base at `root`, with the
/// warnings its settings gave; an error names the line of a setting that cannot be read.
pub fn schema(root: &Path, strict: bool) -> Result<(String, Diagnostics), Error> {
    let (config, vocabulary, diagnostics) = content::settings(root)?;
    if diagnostics.has_errors() {
        return Err(Error::Content(diagnostics));
    }
    let schema = content::case_schema(&config, &vocabulary, strict);
    // Plain data with text keys: serialising it cannot fail.
    let text = serde_json::to_string_pretty(&schema).expect("the schema is plain data");
    Ok((text + "\n", diagnostics))
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The root given is not a knowledge base.
    #[error(transparent)]
    NotAKnowledgeBase(#[from] NotAKnowledgeBase),
    /// Settings the command reads have errors; each names its file and line.
    #[error("{} error(s) in the content", .0.error_count())]
    Content(Diagnostics),
    /// A build or check failed.
    #[error(transparent)]
    Site(#[from] SiteError),
    /// The search index could not be read.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The preview server could not start.
    #[error(transparent)]
    Serve(#[from] ServeError),
    /// `new` or `init` wrote nothing.
    #[error(transparent)]
    Scaffold(#[from] ScaffoldError),
}

impl Error {
    /// What kind of failure this is, which decides the exit code.
    pub fn exit_kind(&self) -> ExitKind {
        match self {
            Error::Content(_) => ExitKind::Content,
            Error::Site(e) => e.exit_kind(),
            Error::Serve(e) => e.exit_kind(),
            Error::Scaffold(e) => e.exit_kind(),
            Error::NotAKnowledgeBase(_) | Error::Index(_) => ExitKind::Usage,
        }
    }

    /// The failure as diagnostics at files and lines, when an editor fixes it in a file.
    pub fn diagnostics(&self) -> Option<Diagnostics> {
        match self {
            Error::Content(diagnostics) => Some(diagnostics.clone()),
            Error::Site(e) => e.diagnostics(),
            _ => None,
        }
    }
}
