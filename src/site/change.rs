//! What a changed file is to the site, decided from its path alone before anything is read,
//! so the live preview can react to each kind of change in its own way (after Zola's
//! `ChangeKind`).

use std::path::{Path, PathBuf};

use crate::content::{is_case_file, Layout};

/// The kinds of change a file event can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// A case file the site already shows was saved: it can be updated in place (unless its
    /// address or aliases changed, which only reading it tells).
    CaseEdited(PathBuf),
    /// A case file appeared, disappeared or was renamed, or a folder of cases did.
    CasesAddedOrRemoved,
    /// `content/_site.yaml`.
    Settings,
    /// `content/_taxonomy.yaml`.
    Vocabulary,
    /// A template of a theme.
    ThemeTemplate,
    /// A static file (CSS, script, image) of a theme.
    ThemeStatic,
    /// `content/` or `themes/` itself appeared or went away (deleted, or replaced by a
    /// folder of the same name).
    FolderReplaced,
    /// Nothing a site is made from: an editor's temporary or backup file, a file in
    /// `content/` that is neither a case nor settings, a folder outside the cases.
    Ignored,
}

/// Classifies a changed `path`; `is_shown` tells whether a case file is one the site shows
/// (its path as the site knows it), `shows_under` whether the site shows cases under a
/// folder.
pub fn classify(
    layout: &Layout,
    path: &Path,
    is_shown: impl Fn(&Path) -> bool,
    shows_under: impl Fn(&Path) -> bool,
) -> ChangeKind {
    if is_editor_leftover(path) {
        return ChangeKind::Ignored;
    }
    if path == layout.content_dir() || path == layout.themes_dir() {
        return ChangeKind::FolderReplaced;
    }
    let cases_dir = layout.cases_dir();
    if is_case_file(&cases_dir, path) {
        return if path.is_file() && is_shown(path) {
            ChangeKind::CaseEdited(path.to_path_buf())
        } else {
            ChangeKind::CasesAddedOrRemoved
        };
    }
    if path.starts_with(&cases_dir) {
        // A folder made, or one that held cases removed or renamed.
        let folder_of_cases = path.is_dir() || (!path.exists() && shows_under(path));
        return if folder_of_cases {
            ChangeKind::CasesAddedOrRemoved
        } else {
            ChangeKind::Ignored
        };
    }
    if path == layout.site_file() {
        return ChangeKind::Settings;
    }
    if path == layout.taxonomy_file() {
        return ChangeKind::Vocabulary;
    }
    if let Ok(in_theme) = path.strip_prefix(layout.themes_dir()) {
        // themes/<name>/templates/… and themes/<name>/static/…
        let part = in_theme.components().nth(1).map(|c| c.as_os_str());
        if part == Some("templates".as_ref()) {
            return ChangeKind::ThemeTemplate;
        }
        if part == Some("static".as_ref()) {
            return ChangeKind::ThemeStatic;
        }
    }
    ChangeKind::Ignored
}

/// Swap files, backups and the like that editors write beside the files they save.
fn is_editor_leftover(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        // vim's probe file, written to test that a folder is writable.
        || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_is_one_kind_of_change() {
        let kb = tempfile::tempdir().unwrap();
        let layout = Layout::new(kb.path());
        let cases = layout.cases_dir();
        std::fs::create_dir_all(cases.join("scotland")).unwrap();
        for name in ["a.md", "b.markdown", "C.MD"] {
            std::fs::write(cases.join(name), "---\n---\n").unwrap();
        }
        let shown = |p: &Path| p.file_name().is_some_and(|n| n != "new.md");
        let nothing_under = |_: &Path| false;
        let kind = |path: PathBuf| classify(&layout, &path, shown, nothing_under);
        assert_eq!(
            kind(cases.join("a.md")),
            ChangeKind::CaseEdited(cases.join("a.md"))
        );
        assert_eq!(
            kind(cases.join("b.markdown")),
            ChangeKind::CaseEdited(cases.join("b.markdown")),
            "the extensions discovery accepts"
        );
        assert!(matches!(
            kind(cases.join("C.MD")),
            ChangeKind::CaseEdited(_)
        ));
        assert_eq!(kind(cases.join("new.md")), ChangeKind::CasesAddedOrRemoved);
        assert_eq!(kind(cases.join("gone.md")), ChangeKind::CasesAddedOrRemoved);
        assert_eq!(
            kind(cases.join("scotland")),
            ChangeKind::CasesAddedOrRemoved
        );
        assert_eq!(kind(cases.join("gone-folder")), ChangeKind::Ignored);
        assert_eq!(kind(cases.join(".a.md.swp")), ChangeKind::Ignored);
        assert_eq!(kind(cases.join("a.md~")), ChangeKind::Ignored);
        assert_eq!(kind(cases.join("notes.txt")), ChangeKind::Ignored);
        assert_eq!(kind(cases.join("_drafts/a.md")), ChangeKind::Ignored);
        assert_eq!(kind(layout.site_file()), ChangeKind::Settings);
        assert_eq!(kind(layout.taxonomy_file()), ChangeKind::Vocabulary);
        let theme = layout.themes_dir().join("default");
        assert_eq!(
            kind(theme.join("templates/case.html")),
            ChangeKind::ThemeTemplate
        );
        assert_eq!(
            kind(theme.join("static/casebook.css")),
            ChangeKind::ThemeStatic
        );
        assert_eq!(
            kind(layout.content_dir().join("README.md")),
            ChangeKind::Ignored
        );
    }
}
