//! Rendering the cases' Markdown bodies, with links between cases resolved to their pages
//! and the summary each page shows chosen.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{normalise, Sources};
use crate::content::{BaseUrl, Case, KnowledgeBase};
use crate::error::{Diagnostic, Diagnostics};
use crate::markdown::{self, MarkdownOptions, RenderedBody};
use crate::render::urls;

/// Renders each body with links between cases resolved; broken links become warnings.
pub(super) fn render_bodies(
    kb: &mut KnowledgeBase,
    by_path: &HashMap<PathBuf, String>,
    base: &BaseUrl,
    diagnostics: &mut Diagnostics,
    sources: Sources,
) -> Vec<RenderedBody> {
    let unsafe_html = kb.config.unsafe_html;
    let rendered: Vec<(RenderedBody, Vec<Diagnostic>)> = kb
        .cases
        .par_iter_mut()
        .map(|case| {
            let rendered = render_body(unsafe_html, case, by_path, base);
            if sources == Sources::Drop {
                case.body = String::new();
            }
            rendered
        })
        .collect();
    rendered
        .into_iter()
        .map(|(body, problems)| {
            diagnostics.extend(problems);
            body
        })
        .collect()
}

/// Each case file's normalised path and the slug of its case, to resolve links between cases.
pub(super) fn case_paths(kb: &KnowledgeBase) -> HashMap<PathBuf, String> {
    kb.cases
        .iter()
        .map(|c| (normalise(&c.path), c.slug.clone()))
        .collect()
}

/// One case's body, its summary chosen, with a warning per broken link or empty body.
pub(super) fn render_body(
    unsafe_html: bool,
    case: &Case,
    by_path: &HashMap<PathBuf, String>,
    base: &BaseUrl,
) -> (RenderedBody, Vec<Diagnostic>) {
    let folder = case.path.parent().unwrap_or(Path::new(""));
    let resolve = |link: &str| {
        // A link may spell the file's name with escapes (`sein%C3%A4joki.md`).
        let decoded = crate::text::percent_decode(link).unwrap_or_else(|| link.to_string());
        let target = normalise(&folder.join(decoded));
        by_path
            .get(&target)
            .map(|slug| base.path_to(&urls::case(slug)))
    };
    let options = MarkdownOptions {
        unsafe_html,
        resolve_case_link: &resolve,
    };
    let mut body = markdown::render(&case.body, &options);
    body.summary = match &case.summary {
        Some(given) => given.clone(),
        None => body
            .first_paragraph
            .as_deref()
            .map(|p| markdown::truncate_words(p, 300))
            .unwrap_or_default(),
    };
    let mut problems: Vec<Diagnostic> = body
        .broken_links
        .iter()
        .map(|(line, target)| {
            Diagnostic::warning(
                &case.path,
                case.body_line + line,
                format!("link to `{target}`, which is not a case file"),
            )
            .with_help("link to another case's .md file by its path relative to this file")
        })
        .collect();
    problems.extend(body.left_out.iter().map(|line| {
        Diagnostic::warning(
            &case.path,
            case.body_line + line,
            "a character reference names a control character that no page can hold; it was left out",
        )
        .with_help("remove the `&#…;` reference")
    }));
    if body.text.trim().is_empty() {
        problems.push(Diagnostic::warning(
            &case.path,
            case.body_line,
            "the case has no text below its front matter",
        ));
    }
    (body, problems)
}
