//! One build: load the knowledge base, render every page and index every case, write the
//! site atomically ([`output`]); and, for the live preview, what one changed case changes
//! ([`live`]).

pub mod live;
pub mod output;

pub use output::{check_output_folder, OUTPUT_MARKER};

use output::StagedOutput;

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::config::BaseUrl;
use crate::content::{self, Case, Diagnostic, Diagnostics, KnowledgeBase, Library, LoadOptions};
use crate::index::export::{write_export, ExportInput, SearchExport};
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

/// Whether a loaded [`Site`] keeps each case's Markdown once its body is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sources {
    /// Keep it (the live preview re-renders cases).
    Keep,
    /// Let it go as soon as the body is rendered: a build needs only the rendered body, and
    /// on a large knowledge base the Markdown is a large share of the memory.
    Drop,
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
        sources: Sources,
    ) -> Result<(Site, Diagnostics), Error> {
        let (mut kb, mut diagnostics) = content::load(root, &LoadOptions { drafts })
            .map_err(|e| Error::Usage(e.to_string()))?;
        let base_text = base_url
            .map(str::to_string)
            .unwrap_or_else(|| kb.config.base_url.clone());
        let base = BaseUrl::parse(&base_text).map_err(Error::Usage)?;

        let bodies = render_bodies(&mut kb, &base, &mut diagnostics, sources);
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
        let problems = self.alias_collisions(files.iter().map(|f| (f.path.as_str(), f.case)));
        Ok((files, problems))
    }

    /// Renders every file into `staged` as it is rendered.
    fn render_into(
        &self,
        renderer: &Renderer,
        progress: &ProgressBar,
        staged: &StagedOutput,
    ) -> Result<(), Error> {
        let view = self.view();
        progress.set_length(renderer.file_count(&view) as u64);
        renderer.render_site_each(&view, &|file| {
            staged.write(file)?;
            progress.inc(1);
            Ok::<(), Error>(())
        })
    }

    /// Writes the tantivy index into the knowledge base's cache and its export into `staged`.
    fn index_and_export_into(&self, staged: &StagedOutput) -> Result<(), Error> {
        let urls = self.case_urls();
        let index = self.create_index(&urls)?;
        let synonyms = Synonyms::from_vocabulary(&self.kb.vocabulary);
        write_export(
            index.index(),
            index.fields(),
            &self.export_input(&synonyms, urls),
            &|path, contents| {
                staged.write(OutputFile {
                    path,
                    contents,
                    case: None,
                })
            },
        )?;
        index.finish()?;
        Ok(())
    }

    /// A fresh tantivy index of every case in the knowledge base's cache; `urls` are the
    /// cases' page paths.
    fn create_index(&self, urls: &[String]) -> Result<LiveIndex, Error> {
        let indexed: Vec<IndexedCase> = (0..self.kb.cases.len())
            .map(|i| self.indexed(i, &urls[i]))
            .collect();
        Ok(LiveIndex::create(&self.kb.layout.cache_dir(), &indexed)?)
    }

    /// Indexes every case, keeping the writer and the export's shards for later updates.
    pub fn index_live(&self) -> Result<(LiveIndex, SearchExport, Vec<OutputFile>), Error> {
        let urls = self.case_urls();
        let index = self.create_index(&urls)?;
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
        let (body, problems) = render_body(
            self.kb.config.unsafe_html,
            &self.kb.cases[number],
            &by_path,
            &self.base,
        );
        self.bodies[number] = body;
        problems
    }

    /// An error for each path two files were written to: an alias that takes a page's place.
    /// `files` gives each file's path and the case it belongs to, if any.
    fn alias_collisions<'f>(
        &self,
        files: impl Iterator<Item = (&'f str, Option<usize>)>,
    ) -> Diagnostics {
        let mut owners: HashMap<&str, Option<usize>> = HashMap::new();
        let mut problems = Diagnostics::default();
        for (path, case) in files {
            if let Some(previous) = owners.insert(path, case) {
                let alias_case = [case, previous].into_iter().find_map(|c| {
                    let case = &self.kb.cases[c?];
                    case.aliases
                        .iter()
                        .any(|a| path.starts_with(a.as_str()))
                        .then_some(case)
                });
                let (file, line) = alias_case.map_or((PathBuf::from("content"), 0), |c| {
                    (c.path.clone(), c.line_of("aliases"))
                });
                problems.push(Diagnostic::error(
                    &file,
                    line,
                    format!("alias would overwrite the page {path}"),
                ));
            }
        }
        problems
    }
}

/// Validates, renders and writes the site; on any error the previous output stays as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    let started = Instant::now();
    let (site, mut diagnostics) = Site::load(
        &options.root,
        options.drafts,
        options.base_url.as_deref(),
        Sources::Drop,
    )?;
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
    // Files go to disk as they are made; the output is replaced only if all went well
    // (dropping `staged` on an early return removes what it wrote). The search index and
    // its export are independent of the pages: build them alongside.
    let staged = StagedOutput::create(&output)?;
    let (rendered, exported) = rayon::join(
        || site.render_into(&renderer, &progress, &staged),
        || site.index_and_export_into(&staged),
    );
    rendered?;
    exported?;
    let problems = site.alias_collisions(staged.written().iter().map(|(p, c)| (p.as_str(), *c)));
    diagnostics.extend(problems);
    if diagnostics.has_errors() || (options.strict && !diagnostics.is_empty()) {
        progress.finish_and_clear();
        return Err(Error::Content(diagnostics));
    }
    progress.set_message("writing");
    let written = staged.commit(renderer.theme())?;
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
    let (site, mut diagnostics) = Site::load(root, drafts, None, Sources::Drop)?;
    if !diagnostics.has_errors() {
        let renderer = site.renderer()?;
        // Every page is rendered, to find what only rendering finds, but none is kept.
        let paths = std::sync::Mutex::new(Vec::new());
        renderer.render_site_each(&site.view(), &|file| {
            paths
                .lock()
                .expect("no renderer panicked")
                .push((file.path, file.case));
            Ok::<(), Error>(())
        })?;
        let paths = paths.into_inner().expect("no renderer panicked");
        diagnostics.extend(site.alias_collisions(paths.iter().map(|(p, c)| (p.as_str(), *c))));
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
    kb: &mut KnowledgeBase,
    base: &BaseUrl,
    diagnostics: &mut Diagnostics,
    sources: Sources,
) -> Vec<RenderedBody> {
    let by_path = case_paths(kb);
    let unsafe_html = kb.config.unsafe_html;
    let rendered: Vec<(RenderedBody, Vec<Diagnostic>)> = kb
        .cases
        .par_iter_mut()
        .map(|case| {
            let rendered = render_body(unsafe_html, case, &by_path, base);
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
fn case_paths(kb: &KnowledgeBase) -> HashMap<PathBuf, String> {
    kb.cases
        .iter()
        .map(|c| (normalise(&c.path), c.slug.clone()))
        .collect()
}

/// One case's body, its summary chosen, with a warning per broken link or empty body.
fn render_body(
    unsafe_html: bool,
    case: &Case,
    by_path: &HashMap<PathBuf, String>,
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
