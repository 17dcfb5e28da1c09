//! Why a build (or a check, or a live update) failed.

use std::path::PathBuf;

use crate::content::NotAKnowledgeBase;
use crate::error::{Diagnostics, ExitKind, IoError};
use crate::index::IndexError;
use crate::render::RenderError;

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// The root given is not a knowledge base.
    #[error(transparent)]
    NotAKnowledgeBase(#[from] NotAKnowledgeBase),
    /// `--base-url` is not an address a site can be deployed at.
    #[error("{0}")]
    BaseUrl(String),
    /// The content has errors (or, with `--strict`, warnings); each names its file and line.
    #[error("{} error(s) in the content", .0.error_count())]
    Content(Diagnostics),
    /// A template is broken.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The search index could not be written.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The output folder is one a build must not replace.
    #[error("refusing to write the site to {}: {why}", .output.display())]
    RefusedOutput {
        /// The folder asked for.
        output: PathBuf,
        /// Why it is refused.
        why: String,
    },
    /// A file could not be read or written.
    #[error(transparent)]
    Io(#[from] IoError),
}

impl SiteError {
    /// Content and template problems are the editor's to fix (exit code 1); the rest are
    /// usage or file-system failures (2).
    pub fn exit_kind(&self) -> ExitKind {
        match self {
            SiteError::Content(_) | SiteError::Render(_) => ExitKind::Content,
            SiteError::NotAKnowledgeBase(_)
            | SiteError::BaseUrl(_)
            | SiteError::Index(_)
            | SiteError::RefusedOutput { .. }
            | SiteError::Io(_) => ExitKind::Usage,
        }
    }

    /// The failure as diagnostics at files and lines, when it is one an editor fixes in a
    /// file (content or a template): the one conversion the command line and the preview
    /// server both show.
    pub fn diagnostics(&self) -> Option<Diagnostics> {
        match self {
            SiteError::Content(diagnostics) => Some(diagnostics.clone()),
            SiteError::Render(render) => Some(std::iter::once(render.diagnostic()).collect()),
            _ => None,
        }
    }
}
