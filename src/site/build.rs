//! `casebook build` and `casebook check`: the whole site, rendered and indexed side by side,
//! written into a staging folder that replaces the output only when everything succeeded.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::lock::BuildLock;
use super::output::{check_output_folder, StagedOutput};
use super::{Site, SiteError, Sources};
use crate::content::{self, Layout, QualityReport};
use crate::error::{Diagnostic, Diagnostics};
use crate::index::{self, StagedIndex};
use crate::render::{Job, OutputFile, Renderer};

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
    /// Theme × country lists made.
    pub combinations: usize,
    /// Theme × country pairs that shared enough cases but were over the limit.
    pub combinations_left_out: usize,
    /// The limit on theme × country lists.
    pub combination_limit: usize,
    /// The output folder.
    pub output: PathBuf,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// Bytes removed that builds stopped before their end had left beside the output.
    pub leftovers_removed: u64,
    /// How long it took.
    pub elapsed: Duration,
}

/// Validates, renders and writes the site and the search index; on any error (or if the
/// process is killed) the previous site and index stay as they were.
pub fn build(options: &BuildOptions) -> Result<BuildReport, SiteError> {
    let started = Instant::now();
    let layout = Layout::open(&options.root)?;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| layout.default_output());
    check_output_folder(&options.root, &output)?;
    let _lock = BuildLock::take(&layout.cache_dir())?;
    let (site, mut diagnostics) = Site::load(
        &options.root,
        options.drafts,
        options.base_url.as_deref(),
        Sources::Drop,
    )?;
    if diagnostics.fail(options.strict) {
        return Err(SiteError::Content(diagnostics));
    }
    let renderer = site.renderer()?;
    let progress = progress_bar(options.progress);
    // Files go to disk as they are made; the output is replaced only if all went well
    // (dropping `staged` on an early return removes what it wrote). The search index and
    // its export are independent of the pages: build them alongside.
    let staged = StagedOutput::create(&output)?;
    let (rendered, exported) = rayon::join(
        || render_into(&site, &renderer, &progress, &staged),
        || index_and_export_into(&site, &staged),
    );
    rendered?;
    let index = exported?;
    let problems = site.alias_collisions(
        staged.written().iter().map(|(p, c)| (p.as_str(), *c)),
        renderer.theme(),
    );
    diagnostics.extend(problems);
    if diagnostics.fail(options.strict) {
        progress.finish_and_clear();
        return Err(SiteError::Content(diagnostics));
    }
    // A clash of paths the check above did not name (none is known) still stops the build.
    if let Some(clash) = staged.clashed() {
        return Err(clash.into());
    }
    progress.set_message("writing");
    let leftovers_removed = staged.leftovers_removed;
    // The site first, then the index, each in one step and one right after the other (the
    // folders they replace are removed after both): a build stopped between the two leaves
    // the new site with the previous index, until the next build.
    let (written, _old_site) = staged.commit(renderer.theme())?;
    let _old_index = index.commit()?;
    progress.finish_and_clear();
    Ok(BuildReport {
        cases: site.kb.cases.len(),
        files: written,
        combinations: site.combinations.all().len(),
        combinations_left_out: site.combinations.left_out,
        combination_limit: site.kb.config.combinations.limit,
        output,
        warnings: diagnostics,
        leftovers_removed,
        elapsed: started.elapsed(),
    })
}

/// Validates the knowledge base without writing anything; all problems, errors or not.
pub fn check(root: &Path, drafts: bool) -> Result<Diagnostics, SiteError> {
    let (site, diagnostics) = Site::load(root, drafts, None, Sources::Drop)?;
    check_loaded(&site, diagnostics)
}

/// [`check`], and the data-quality report of the cases that loaded, as of `today`: none
/// when the settings or the vocabulary could not be read, since the report depends on them.
pub fn check_with_report(
    root: &Path,
    drafts: bool,
    today: chrono::NaiveDate,
) -> Result<(Diagnostics, Option<QualityReport>), SiteError> {
    let (site, diagnostics) = Site::load(root, drafts, None, Sources::Drop)?;
    let unreadable = !settings_errors(&site, &diagnostics).is_empty();
    let report = (!unreadable).then(|| {
        let first_paragraphs: Vec<Option<&str>> = site
            .bodies
            .iter()
            .map(|b| b.first_paragraph.as_deref())
            .collect();
        content::quality_report(&site.kb, &site.library, &first_paragraphs, today)
    });
    Ok((check_loaded(&site, diagnostics)?, report))
}

/// The errors in the settings and the vocabulary among `diagnostics`.
fn settings_errors(site: &Site, diagnostics: &Diagnostics) -> Diagnostics {
    let settings = [
        content::display_path(&site.kb.layout.site_file()),
        content::display_path(&site.kb.layout.taxonomy_file()),
    ];
    diagnostics
        .iter()
        .filter(|d| d.is_error() && settings.contains(&d.path))
        .cloned()
        .collect()
}

/// The editing form's `admin/config.yml` for the knowledge base at `root`, as a build writes
/// it; an error when the settings cannot be read or enable no form.
pub fn cms_config(root: &Path) -> Result<String, SiteError> {
    let (site, diagnostics) = Site::load(root, false, None, Sources::Drop)?;
    let errors = settings_errors(&site, &diagnostics);
    if !errors.is_empty() {
        return Err(SiteError::Content(errors));
    }
    if site.kb.config.cms.is_none() {
        let site_file = content::display_path(&site.kb.layout.site_file());
        let missing = Diagnostic::error(&site_file, 0, "`_site.yaml` enables no editing form")
            .with_help("add `cms:` with `backend: github` and `repo: owner/name` (see the README)");
        return Err(SiteError::Content(std::iter::once(missing).collect()));
    }
    let renderer = site.renderer()?;
    let files = renderer.render_jobs(&site.view(), &[Job::CmsConfig])?;
    let text = files
        .into_iter()
        .next()
        .map(|f| String::from_utf8_lossy(&f.contents).into_owned())
        .unwrap_or_default();
    Ok(text)
}

/// The problems of a loaded site: those loading found, and those only rendering finds.
fn check_loaded(site: &Site, mut diagnostics: Diagnostics) -> Result<Diagnostics, SiteError> {
    if !diagnostics.has_errors() {
        let renderer = site.renderer()?;
        // Every page is rendered, to find what only rendering finds, but none is kept.
        let paths = std::sync::Mutex::new(Vec::new());
        renderer.render_site_each(&site.view(), &|file| {
            paths
                .lock()
                .expect("no renderer panicked")
                .push((file.path, file.case));
            Ok::<(), SiteError>(())
        })?;
        let paths = paths.into_inner().expect("no renderer panicked");
        // The search export is not made by `check`; its fixed files are known all the same.
        let export: Vec<String> = index::export_fixed_paths().collect();
        diagnostics.extend(
            site.alias_collisions(
                paths
                    .iter()
                    .map(|(p, c)| (p.as_str(), *c))
                    .chain(export.iter().map(|p| (p.as_str(), None))),
                renderer.theme(),
            ),
        );
    }
    Ok(diagnostics)
}

/// Renders every file into `staged` as it is rendered.
fn render_into(
    site: &Site,
    renderer: &Renderer,
    progress: &ProgressBar,
    staged: &StagedOutput,
) -> Result<(), SiteError> {
    let view = site.view();
    progress.set_length(renderer.file_count(&view) as u64);
    renderer.render_site_each(&view, &|file| {
        staged.write(file)?;
        progress.inc(1);
        Ok::<(), SiteError>(())
    })
}

/// Writes the tantivy index into a fresh folder of the knowledge base's cache and its export
/// into `staged`.
fn index_and_export_into(site: &Site, staged: &StagedOutput) -> Result<StagedIndex, SiteError> {
    index::build(
        &site.kb.layout.cache_dir(),
        &site.search_input(),
        &|path, contents| {
            staged
                .write(OutputFile {
                    path,
                    contents,
                    case: None,
                })
                .map_err(SiteError::from)
        },
    )
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
