//! The theme: templates and static files, built in and overridable per knowledge base.
//!
//! The default theme is compiled into the binary, so a knowledge base needs no theme folder.
//! A knowledge base's `themes/<name>/templates/` and `themes/<name>/static/` override the
//! built-in files of the same name and add new ones.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::RenderError;

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

/// The built-in templates, by name.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = builtin!(
    "base.html",
    "macros.html",
    "pictures.html",
    "index.html",
    "case.html",
    "cases.html",
    "facet_index.html",
    "facet_value.html",
    "combination.html",
    "search.html",
    "shortlist.html",
    "compare.html",
    "404.html",
    "alias.html",
    "feed.xml",
    "sitemap.xml",
);

/// The built-in static files, by path in the output.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "casebook.css",
        include_bytes!("../../themes/default/static/casebook.css"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
    (
        "facet-index.js",
        include_bytes!("../../themes/default/static/facet-index.js"),
    ),
    (
        "casebook-records.js",
        include_bytes!("../../themes/default/static/casebook-records.js"),
    ),
    (
        "casebook-shortlist.js",
        include_bytes!("../../themes/default/static/casebook-shortlist.js"),
    ),
    (
        "casebook-reader.js",
        include_bytes!("../../themes/default/static/casebook-reader.js"),
    ),
    (
        "search/search-page.js",
        include_bytes!("../../themes/default/static/search/search-page.js"),
    ),
];

/// Where a template or static file came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into casebook.
    BuiltIn,
    /// A file of the knowledge base's theme folder.
    File(PathBuf),
}

/// The templates and static files one build uses.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Template name → (source, origin).
    pub templates: BTreeMap<String, (String, Origin)>,
    /// Output path → (bytes, origin).
    pub static_files: BTreeMap<String, (Vec<u8>, Origin)>,
}

impl Theme {
    /// The built-in theme alone.
    pub fn builtin() -> Theme {
        Theme {
            templates: DEFAULT_TEMPLATES
                .iter()
                .map(|(name, text)| (name.to_string(), (text.to_string(), Origin::BuiltIn)))
                .collect(),
            static_files: DEFAULT_STATIC
                .iter()
                .map(|(name, bytes)| (name.to_string(), (bytes.to_vec(), Origin::BuiltIn)))
                .collect(),
        }
    }

    /// The built-in theme with the files of `themes_dir/<name>/` laid over it.
    pub fn load(themes_dir: &Path, name: &str) -> Result<Theme, RenderError> {
        let mut theme = Theme::builtin();
        let folder = themes_dir.join(name);
        if !folder.is_dir() {
            if name == "default" {
                return Ok(theme);
            }
            return Err(RenderError::Theme {
                path: folder,
                message: "the theme folder named in _site.yaml does not exist".into(),
            });
        }
        for (relative, path) in files_under(&folder.join("templates"))? {
            let text = std::fs::read_to_string(&path).map_err(|e| RenderError::Theme {
                path: path.clone(),
                message: format!("cannot read template: {e}"),
            })?;
            theme.templates.insert(relative, (text, Origin::File(path)));
        }
        for (relative, path) in files_under(&folder.join("static"))? {
            let bytes = std::fs::read(&path).map_err(|e| RenderError::Theme {
                path: path.clone(),
                message: format!("cannot read static file: {e}"),
            })?;
            theme
                .static_files
                .insert(relative, (bytes, Origin::File(path)));
        }
        Ok(theme)
    }

    /// Where the template `name` came from, as text for messages.
    pub fn origin_of(&self, name: &str) -> String {
        match self.templates.get(name) {
            Some((_, Origin::File(path))) => path.display().to_string(),
            _ => format!("{name} (built-in default theme)"),
        }
    }
}

/// Files below `dir` as (path relative to `dir` with `/` separators, full path); hidden
/// files are skipped and links are not followed.
fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>, RenderError> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| RenderError::Theme {
            path: e.path().unwrap_or(dir).to_path_buf(),
            message: format!("cannot read: {e}"),
        })?;
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let name = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.push((name, entry.into_path()));
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Every id the built-in templates give an element: each `id="…"` as written (the
    /// search form macro is called with `id="…"` too), but for ids made by expressions.
    fn template_ids() -> BTreeSet<String> {
        DEFAULT_TEMPLATES
            .iter()
            .flat_map(|(_, text)| text.split("id=\"").skip(1))
            .map(|rest| &rest[..rest.find('"').unwrap_or(rest.len())])
            .filter(|id| !id.contains("{{"))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn body_headings_avoid_exactly_the_ids_the_templates_use() {
        let reserved: BTreeSet<String> = crate::markdown::RESERVED_IDS
            .iter()
            .map(|id| id.to_string())
            .collect();
        assert_eq!(template_ids(), reserved);
    }
}
