//! One build: load the knowledge base, render every page and index every case, write the
//! site atomically ([`output`]); and, for the live preview, what one changed case changes
//! ([`live`]).

pub mod live;
pub mod output;

pub use output::{check_output_folder, OUTPUT_MARKER};

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::config::BaseUrl;
use crate::content::{self, Case, Diagnostic, Diagnostics, KnowledgeBase, Library, LoadOptions};
use crate::index::export::{ExportInput, SearchExport};
use crate::index::{query::Synonyms, IndexedCase, LiveIndex};
use crate::markdown::{self, MarkdownOptions, RenderedBody};
use crate::render::{OutputFile, Renderer, SiteView, Theme};
use crate::Error;

/// What `casebook build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The knowledge base.
    pub root: PathBuf,
    /// Where to write the site; `public/` under the root when `None`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from `_site.yaml`.
    pub base_url: Option<String>,
    /// Publish drafts too.
    pub drafts: bool,
    /// Show a progress bar (only drawn when stderr is a terminal).
    pub progress: bool,
    /// Treat warnings as errors: write nothing unless the content has no problem at all.
    pub strict: bool,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Cases published.
    pub cases: usize,
    /// Files written.
    pub files: usize,
    /// The output folder.
    pub output: PathBuf,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// How long it took.
    pub elapsed: Duration,
}

/// A knowledge base loaded and prepared for rendering: bodies rendered, summaries chosen,
/// relations between cases worked out.
pub struct Site {
    /// The loaded knowledge base.
    pub kb: KnowledgeBase,
    /// Each case's rendered body, by case index.
    pub bodies: Vec<RenderedBody>,
    /// Facet values and related cases.
    pub library: Library,
    /// Where the site will be deployed.
    pub base: BaseUrl,
}

impl Site {
    /// Loads and prepares the knowledge base at `root`; the diagnostics may hold errors.
    pub fn load(
        root: &Path,
        drafts: bool,
        base_url: Option<&str>,
    ) -> Result<(Site, Diagnostics), Error> {
        let (kb, mut diagnostics) = content::load(root, &LoadOptions { drafts })
            .map_err(|e| Error::Usage(e.to_string()))?;
        let base_text = base_url
            .map(str::to_string)
            .unwrap_or_else(|| kb.config.base_url.clone());
        let base = BaseUrl::parse(&base_text).map_err(Error::Usage)?;

        let bodies = render_bodies(&kb, &base, &mut diagnostics);
        let library = Library::new(&kb.cases);
        diagnostics.sort();
        Ok((
            Site {
                kb,
                bodies,
                library,
                base,
            },
            diagnostics,
        ))
    }

    /// The view the renderer reads.
    pub fn view(&self) -> SiteView<'_> {
        SiteView {
            cases: &self.kb.cases,
            bodies: &self.bodies,
            library: &self.library,
            vocabulary: &self.kb.vocabulary,
        }
    }

    /// Compiles the knowledge base's theme.
    pub fn renderer(&self) -> Result<Renderer, Error> {
        let theme = Theme::load(&self.kb.layout.themes_dir(), &self.kb.config.theme)?;
        Ok(Renderer::new(
            theme,
            &self.kb.config,
            self.base.clone(),
            self.kb.cases.len(),
        )?)
    }

    /// Renders every file, checking that no alias takes the place of another page.
    pub fn render(
        &self,
        renderer: &Renderer,
        progress: &ProgressBar,
    ) -> Result<(Vec<OutputFile>, Diagnostics), Error> {
        let view = self.view();
        progress.set_length(renderer.file_count(&view) as u64);
        let files = renderer.render_site(&view, &|| progress.inc(1))?;
        let problems = self.alias_collisions(&files);
        Ok((files, problems))
    }

    /// Writes the tantivy index into the knowledge base's cache and exports it for browsers.
    pub fn index_and_export(&self) -> Result<Vec<OutputFile>, Error> {
        let (index, _, files) = self.index_live()?;
        index.finish()?;
        Ok(files)
    }

    /// Indexes every case, keeping the writer and the export's shards for later updates.
    pub fn index_live(&self) -> Result<(LiveIndex, SearchExport, Vec<OutputFile>), Error> {
        let urls = self.case_urls();
        let indexed: Vec<IndexedCase> = (0..self.kb.cases.len())
            .map(|i| self.indexed(i, &urls[i]))
            .collect();
        let index = LiveIndex::create(&self.kb.layout.cache_dir(), &indexed)?;
        let export = SearchExport::from_index(index.index(), index.fields())?;
        let synonyms = Synonyms::from_vocabulary(&self.kb.vocabulary);
        let files = export.files(&self.export_input(&synonyms, urls));
        Ok((
            index,
            export,
            files
                .into_iter()
                .map(|(path, contents)| OutputFile {
                    path,
                    contents,
                    case: None,
                })
                .collect(),
        ))
    }

    /// Each case page's site path, by case number.
    pub fn case_urls(&self) -> Vec<String> {
        self.kb
            .cases
            .iter()
            .map(|c| self.base.path_to(&format!("cases/{}/", c.slug)))
            .collect()
    }

    /// What the search index holds of case `number`.
    pub fn indexed<'s>(&'s self, number: usize, url: &str) -> IndexedCase<'s> {
        IndexedCase {
            case: &self.kb.cases[number],
            body_text: &self.bodies[number].text,
            url: url.to_string(),
        }
    }

    /// What the search export needs besides the index.
    pub fn export_input<'s>(
        &'s self,
        synonyms: &'s Synonyms,
        urls: Vec<String>,
    ) -> ExportInput<'s> {
        ExportInput {
            cases: &self.kb.cases,
            body_texts: self.bodies.iter().map(|b| b.text.as_str()).collect(),
            urls,
            summaries: self.bodies.iter().map(|b| b.summary.as_str()).collect(),
            library: &self.library,
            synonyms,
        }
    }

    /// Renders case `number`'s body again (after its file changed).
    pub fn rerender_body(&mut self, number: usize) -> Vec<Diagnostic> {
        let by_path = case_paths(&self.kb);
        let (body, problems) = render_body(&self.kb, &self.kb.cases[number], &by_path, &self.base);
        self.bodies[number] = body;
        problems
    }

    fn alias_collisions(&self, files: &[OutputFile]) -> Diagnostics {
        let mut owners: HashMap<&str, &OutputFile> = HashMap::new();
        let mut problems = Diagnostics::default();
        for file in files {
            if let Some(previous) = owners.insert(&file.path, file) {
                let alias_case = [file, previous].into_iter().find_map(|f| {
                    let case = &self.kb.cases[f.case?];
                    case.aliases
                        .iter()
                        .any(|a| file.path.starts_with(a.as_str()))
                        .then_some(case)
                });
                let (path, line) = alias_case.map_or((PathBuf::from("content"), 0), |c| {
                    (c.path.clone(), c.line_of("aliases"))
                });
                problems.push(Diagnostic::error(
                    &path,
                    line,
                    format!("alias would overwrite the page {}", file.path),
                ));
            }
        }
        problems
    }
}

/// Validates, renders and writes the site; on any error the previous output stays as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    let started = Instant::now();
    let (site, mut diagnostics) =
        Site::load(&options.root, options.drafts, options.base_url.as_deref())?;
    if diagnostics.has_errors() || (options.strict && !diagnostics.is_empty()) {
        return Err(Error::Content(diagnostics));
    }
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| site.kb.layout.default_output());
    check_output_folder(&options.root, &output)?;
    let renderer = site.renderer()?;
    let progress = progress_bar(options.progress);
    // The search index and its export are independent of the pages: build them alongside.
    let (rendered, search_files) = rayon::join(
        || site.render(&renderer, &progress),
        || site.index_and_export(),
    );
    let (mut files, problems) = rendered?;
    files.extend(search_files?);
    diagnostics.extend(problems);
    if diagnostics.has_errors() || (options.strict && !diagnostics.is_empty()) {
        progress.finish_and_clear();
        return Err(Error::Content(diagnostics));
    }
    progress.set_message("writing");
    let written = output::write_site(&output, &files, renderer.theme())?;
    progress.finish_and_clear();
    Ok(BuildReport {
        cases: site.kb.cases.len(),
        files: written,
        output,
        warnings: diagnostics,
        elapsed: started.elapsed(),
    })
}

/// Validates the knowledge base without writing anything; all problems, errors or not.
pub fn check(root: &Path, drafts: bool) -> Result<Diagnostics, Error> {
    let (site, mut diagnostics) = Site::load(root, drafts, None)?;
    if !diagnostics.has_errors() {
        let renderer = site.renderer()?;
        let (_, problems) = site.render(&renderer, &ProgressBar::hidden())?;
        diagnostics.extend(problems);
    }
    Ok(diagnostics)
}

fn progress_bar(show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{spinner} rendering [{bar:30}] {pos}/{len} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar
}

/// Renders each body with links between cases resolved; broken links become warnings.
fn render_bodies(
    kb: &KnowledgeBase,
    base: &BaseUrl,
    diagnostics: &mut Diagnostics,
) -> Vec<RenderedBody> {
    let by_path = case_paths(kb);
    let rendered: Vec<(RenderedBody, Vec<Diagnostic>)> = kb
        .cases
        .par_iter()
        .map(|case| render_body(kb, case, &by_path, base))
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
fn case_paths(kb: &KnowledgeBase) -> HashMap<PathBuf, &str> {
    kb.cases
        .iter()
        .map(|c| (normalise(&c.path), c.slug.as_str()))
        .collect()
}

/// One case's body, its summary chosen, with a warning per broken link or empty body.
fn render_body(
    kb: &KnowledgeBase,
    case: &Case,
    by_path: &HashMap<PathBuf, &str>,
    base: &BaseUrl,
) -> (RenderedBody, Vec<Diagnostic>) {
    let folder = case.path.parent().unwrap_or(Path::new(""));
    let resolve = |link: &str| {
        let target = normalise(&folder.join(percent_decode(link)));
        by_path
            .get(&target)
            .map(|slug| base.path_to(&format!("cases/{slug}/")))
    };
    let options = MarkdownOptions {
        unsafe_html: kb.config.unsafe_html,
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
    if body.text.trim().is_empty() {
        problems.push(Diagnostic::warning(
            &case.path,
            case.body_line,
            "the case has no text below its front matter",
        ));
    }
    (body, problems)
}

/// Resolves `.` and `..` without touching the disk.
pub(crate) fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_resolves_dots() {
        assert_eq!(
            normalise(Path::new("content/cases/a/../b/./x.md")),
            PathBuf::from("content/cases/b/x.md")
        );
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("sein%C3%A4joki.md"), "seinäjoki.md");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
