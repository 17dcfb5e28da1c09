//! Where things live inside a knowledge base, and the one test of whether a folder is one.

use std::path::{Path, PathBuf};

/// Where things live inside a knowledge base root.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The knowledge base root (`--root`).
    pub root: PathBuf,
}

/// A folder that is not a knowledge base (it has no `content/` folder).
#[derive(Debug, thiserror::Error)]
#[error("{}: not a knowledge base (no content/ folder); create one with `casebook init`", .root.display())]
pub struct NotAKnowledgeBase {
    /// The folder that was given.
    pub root: PathBuf,
}

impl Layout {
    /// The layout of a knowledge base at `root`, whether or not one is there yet (`init`
    /// creates one).
    pub fn new(root: &Path) -> Layout {
        Layout {
            root: root.to_path_buf(),
        }
    }

    /// The layout of the knowledge base at `root`, which must exist.
    pub fn open(root: &Path) -> Result<Layout, NotAKnowledgeBase> {
        let layout = Layout::new(root);
        if layout.content_dir().is_dir() {
            Ok(layout)
        } else {
            Err(NotAKnowledgeBase {
                root: root.to_path_buf(),
            })
        }
    }

    /// `content/`.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
    /// `content/cases/`.
    pub fn cases_dir(&self) -> PathBuf {
        self.content_dir().join("cases")
    }
    /// `content/_site.yaml`.
    pub fn site_file(&self) -> PathBuf {
        self.content_dir().join("_site.yaml")
    }
    /// `content/_taxonomy.yaml`.
    pub fn taxonomy_file(&self) -> PathBuf {
        self.content_dir().join("_taxonomy.yaml")
    }
    /// `themes/`.
    pub fn themes_dir(&self) -> PathBuf {
        self.root.join("themes")
    }
    /// `.casebook/`, the cache (search index) that is never deployed.
    pub fn cache_dir(&self) -> PathBuf {
        self.root.join(".casebook")
    }
    /// The default output folder, `public/`.
    pub fn default_output(&self) -> PathBuf {
        self.root.join("public")
    }
}
