//! Finding the case files of a knowledge base, and the one rule of what counts as one: a
//! Markdown file (`.md` or `.markdown`, in any case) under `content/cases/`, no part of whose
//! path below that folder starts with `_` or `.`.

use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::error::Diagnostic;

/// Whether `path` (a file's path, existing or not) is a case file of the knowledge base whose
/// cases are under `cases_dir`: the rule discovery follows, for judging one path alone (a
/// file that changed under `casebook serve`).
pub fn is_case_file(cases_dir: &Path, path: &Path) -> bool {
    let Ok(below) = path.strip_prefix(cases_dir) else {
        return false;
    };
    let visible = below.components().all(|part| match part {
        Component::Normal(name) => !is_hidden(name),
        _ => false,
    });
    visible && below.components().next().is_some() && has_case_extension(path)
}

/// Every case file under `cases_dir` (see [`is_case_file`]), sorted.
///
/// Symbolic links are followed only while they stay inside `content_dir`; loops and links
/// that lead outside are reported, never read.
pub fn case_files(content_dir: &Path, cases_dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    if !cases_dir.is_dir() {
        return (files, Vec::new());
    }
    let boundary = content_dir
        .canonicalize()
        .unwrap_or_else(|_| content_dir.to_path_buf());
    // Filled from inside `filter_entry`, which must also stop the walk at links leading out.
    let outside_links = std::cell::RefCell::new(Vec::new());
    let walker = WalkDir::new(cases_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() > 0 && is_hidden(entry.file_name()) {
                return false;
            }
            let leads_out = entry.path_is_symlink()
                && !entry
                    .path()
                    .canonicalize()
                    .is_ok_and(|target| target.starts_with(&boundary));
            if leads_out {
                outside_links.borrow_mut().push(Diagnostic::warning(
                    &super::display_path(entry.path()),
                    0,
                    "a symbolic link to outside content/ is not followed",
                ));
            }
            !leads_out
        });
    let mut problems = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = super::display_path(error.path().unwrap_or(cases_dir));
                let message = if error.loop_ancestor().is_some() {
                    "a symbolic link loops back to a folder above it; skipped".to_string()
                } else {
                    format!(
                        "cannot read: {}",
                        error
                            .io_error()
                            .map_or(error.to_string(), |e| e.to_string())
                    )
                };
                problems.push(Diagnostic::warning(&path, 0, message));
                continue;
            }
        };
        if entry.file_type().is_file() && has_case_extension(entry.path()) {
            files.push(entry.into_path());
        }
    }
    problems.extend(outside_links.into_inner());
    (files, problems)
}

/// Names starting with `_` or `.` are not cases (nor are the files in such folders).
fn is_hidden(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('_') || name.starts_with('.')
}

fn has_case_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_files_are_markdown_under_cases_and_not_hidden() {
        let cases = Path::new("kb/content/cases");
        for yes in ["a.md", "b.MD", "c.markdown", "d.Markdown", "scotland/e.md"] {
            assert!(is_case_file(cases, &cases.join(yes)), "{yes}");
        }
        for no in [
            "a.txt",
            "_draft.md",
            ".a.md.swp",
            ".hidden/a.md",
            "_old/a.md",
            "a.md~",
        ] {
            assert!(!is_case_file(cases, &cases.join(no)), "{no}");
        }
        assert!(!is_case_file(cases, Path::new("kb/content/_site.yaml")));
        assert!(!is_case_file(cases, cases));
    }
}
