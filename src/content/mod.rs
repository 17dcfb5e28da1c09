//! Reading a knowledge base: settings, vocabulary and every case, with all problems found.
//!
//! Nothing here knows about HTML or the output folder; the result is plain data
//! ([`KnowledgeBase`]) plus [`Diagnostics`] for the editor.

mod case;
mod combinations;
mod countries;
mod discover;
mod facet;
mod front_matter;
mod layout;
mod library;
mod quality;
mod schema;
mod settings;
mod vocabulary;
mod yaml;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use case::{Case, Key, Source, PLACEHOLDER_BODY};
pub use combinations::Combinations;
pub use countries::{countries, country_named_by};
pub use discover::is_case_file;
pub use facet::{slugify, Facet, FACETS};
pub use layout::{Layout, NotAKnowledgeBase};
pub use library::Library;
pub use quality::{report as quality_report, NearDuplicate, QualityReport};
pub use schema::case_schema;
pub use settings::{BaseUrl, CmsSettings, LocalBackend, SiteConfig};
pub use vocabulary::Vocabulary;

use crate::error::{Diagnostic, Diagnostics};

/// What to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Include cases marked `draft: true`.
    pub drafts: bool,
}

/// A loaded knowledge base: its settings, vocabulary and publishable cases.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    /// Where it is on disk.
    pub layout: Layout,
    /// `_site.yaml`.
    pub config: SiteConfig,
    /// `_taxonomy.yaml`.
    pub vocabulary: Vocabulary,
    /// The cases that parsed without error, sorted by slug.
    pub cases: Vec<Case>,
}

/// The settings and vocabulary of the knowledge base at `root`, with every problem found in
/// them (defaults stand in for a file that cannot be read).
pub fn settings(root: &Path) -> Result<(SiteConfig, Vocabulary, Diagnostics), NotAKnowledgeBase> {
    Ok(read_settings(&Layout::open(root)?))
}

fn read_settings(layout: &Layout) -> (SiteConfig, Vocabulary, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let site_file = display_path(&layout.site_file());
    let mut config = settings_inside(layout, &site_file)
        .and_then(|()| SiteConfig::load(&site_file))
        .unwrap_or_else(|d| {
            diagnostics.push(d);
            SiteConfig::default()
        });
    diagnostics.extend(std::mem::take(&mut config.warnings));
    diagnostics.extend(missing_theme(layout, &config, &site_file));
    let taxonomy_file = display_path(&layout.taxonomy_file());
    let mut vocabulary = settings_inside(layout, &taxonomy_file)
        .map_err(|d| vec![d])
        .and_then(|()| Vocabulary::load(&taxonomy_file))
        .unwrap_or_else(|ds| {
            diagnostics.extend(ds);
            Vocabulary::default()
        });
    diagnostics.extend(std::mem::take(&mut vocabulary.warnings));

    (config, vocabulary, diagnostics)
}

/// The folders holding the knowledge base's cases, relative to it with `/` between parts:
/// `content/cases` first, then each sub-folder holding a case, sorted.
pub fn case_folders(kb: &KnowledgeBase) -> Vec<String> {
    let cases_dir = display_path(&kb.layout.cases_dir());
    let mut below: Vec<String> = kb
        .cases
        .iter()
        .filter_map(|case| {
            let folder = case.path.parent()?.strip_prefix(&cases_dir).ok()?;
            let parts: Vec<String> = folder
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            (!parts.is_empty()).then(|| format!("content/cases/{}", parts.join("/")))
        })
        .collect();
    below.sort();
    below.dedup();
    std::iter::once("content/cases".to_string())
        .chain(below)
        .collect()
}

/// Loads the knowledge base at `root`, collecting every problem in every file.
///
/// Cases with errors are left out of the result and described in the diagnostics, so the
/// caller decides whether the problems stop it (`build`) or are only listed (`check`).
pub fn load(
    root: &Path,
    options: &LoadOptions,
) -> Result<(KnowledgeBase, Diagnostics), NotAKnowledgeBase> {
    let layout = Layout::open(root)?;
    let (config, vocabulary, mut diagnostics) = read_settings(&layout);

    let (files, problems) = discover::case_files(&layout.content_dir(), &layout.cases_dir());
    diagnostics.extend(problems);
    if files.is_empty() {
        diagnostics.push(Diagnostic::warning(
            &display_path(&layout.cases_dir()),
            0,
            "no case files (*.md) found",
        ));
    }

    let parsed: Vec<CaseResult> = files
        .par_iter()
        .map(|path| read_case(&display_path(path), &vocabulary))
        .collect();
    let mut cases = Vec::with_capacity(parsed.len());
    for result in parsed {
        match result {
            Ok((case, _)) if case.draft && !options.drafts => {}
            Ok((case, warnings)) => {
                diagnostics.extend(warnings);
                cases.push(case);
            }
            Err(problems) => diagnostics.extend(problems),
        }
    }
    diagnostics.extend(duplicate_slugs(&mut cases));
    cases.sort_by(|a, b| a.slug.cmp(&b.slug));
    diagnostics.sort();
    Ok((
        KnowledgeBase {
            layout,
            config,
            vocabulary,
            cases,
        },
        diagnostics,
    ))
}

/// A case and its warnings, or every problem found in its file.
pub type CaseResult = Result<(Case, Vec<Diagnostic>), Vec<Diagnostic>>;

/// The largest case file read. The longest real case studies are under 100 KB; a file this
/// big is something pasted in by mistake (a log, an embedded image), and would make every
/// build slow and the page unreadable.
pub const MAX_CASE_BYTES: u64 = 10 * 1024 * 1024;

/// Reads and parses one case file: the case and its warnings, or every problem found.
pub fn read_case(path: &Path, vocabulary: &Vocabulary) -> CaseResult {
    let bytes = read_at_most(path, MAX_CASE_BYTES).map_err(|d| vec![d])?;
    let (mut case, warnings) = parse_case(path, &bytes, vocabulary)?;
    case.modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    Ok((case, warnings))
}

/// Parses the bytes of the case file at `path` (which is not read): the case and its
/// warnings, or every problem found. Never panics, whatever the bytes.
pub fn parse_case(path: &Path, bytes: &[u8], vocabulary: &Vocabulary) -> CaseResult {
    let mut file = front_matter::split(path, bytes).map_err(|d| vec![d])?;
    // Invisible characters no page can hold are left out first, with a warning each line;
    // text garbled by a wrong encoding is only pointed out.
    let mut text_warnings = front_matter::drop_forbidden(path, &mut file);
    text_warnings.extend(front_matter::misdecoded_text(path, &file));
    let after_dropped =
        |problems: Vec<Diagnostic>| text_warnings.iter().cloned().chain(problems).collect();
    match case::parse(path, file, vocabulary) {
        Ok((case, warnings)) => Ok((case, after_dropped(warnings))),
        Err(problems) => Err(after_dropped(problems)),
    }
}

/// The bytes of `path`, refusing (without reading them all) a file larger than `limit`.
fn read_at_most(path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Diagnostic::error(path, 0, format!("cannot read: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > limit {
        let size = std::fs::metadata(path).map_or(limit + 1, |m| m.len());
        let megabytes = |n: u64| format!("{:.1} MB", n as f64 / (1024.0 * 1024.0));
        return Err(Diagnostic::error(
            path,
            0,
            format!(
                "the file is {}, more than the {} a case file may hold",
                megabytes(size),
                megabytes(limit)
            ),
        )
        .with_help("a case holds front matter and text: put images, data and logs elsewhere and link to them"));
    }
    Ok(bytes)
}

/// Refuses a settings file that is a link to outside the knowledge base: its values would
/// be published.
fn settings_inside(layout: &Layout, file: &Path) -> Result<(), Diagnostic> {
    if !file.is_symlink() {
        return Ok(());
    }
    let root = layout
        .root
        .canonicalize()
        .unwrap_or_else(|_| layout.root.clone());
    match file.canonicalize() {
        Ok(target) if target.starts_with(&root) => Ok(()),
        _ => Err(Diagnostic::error(
            file,
            0,
            "a symbolic link to outside the knowledge base is not read",
        )
        .with_help("copy the file into content/ instead of linking to it")),
    }
}

/// An error when `_site.yaml` names a theme folder that is not there.
fn missing_theme(layout: &Layout, config: &SiteConfig, site_file: &Path) -> Option<Diagnostic> {
    if config.theme == "default" || layout.themes_dir().join(&config.theme).is_dir() {
        return None;
    }
    let text = std::fs::read_to_string(site_file).unwrap_or_default();
    let line = yaml::line_of_key(&text, "theme").unwrap_or(1);
    let column = text
        .lines()
        .nth(line - 1)
        .and_then(|l| l.find(&config.theme))
        .map_or(1, |byte| byte + 1);
    Some(
        Diagnostic::error(
            site_file,
            line,
            format!("there is no theme folder themes/{}/", config.theme),
        )
        .at_column(column)
        .spanning(config.theme.chars().count())
        .with_help("create it, or remove `theme:` to use the built-in theme"),
    )
}

/// Reports every case whose slug another case already has, and drops all but the first.
fn duplicate_slugs(cases: &mut Vec<Case>) -> Vec<Diagnostic> {
    let mut first_path: HashMap<String, PathBuf> = HashMap::new();
    let mut problems = Vec::new();
    cases.sort_by(|a, b| a.path.cmp(&b.path));
    cases.retain(|case| match first_path.get(&case.slug) {
        None => {
            first_path.insert(case.slug.clone(), case.path.clone());
            true
        }
        Some(other) => {
            problems.push(
                Diagnostic::error(
                    &case.path,
                    case.line_of("slug"),
                    format!(
                        "slug `{}` is already used by {}",
                        case.slug,
                        other.display()
                    ),
                )
                .with_help("rename one of the files or give it `slug: another-name`"),
            );
            false
        }
    });
    problems
}

/// A path as editors want to read it: without a leading `./`.
pub fn display_path(path: &Path) -> PathBuf {
    path.strip_prefix(".").unwrap_or(path).to_path_buf()
}
