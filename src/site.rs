//! One build: load the knowledge base, render every page, write the site atomically.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::config::BaseUrl;
use crate::content::{self, Diagnostic, Diagnostics, KnowledgeBase, Library, LoadOptions};
use crate::index::{self, export::ExportInput, query::Synonyms, IndexedCase};
use crate::markdown::{self, MarkdownOptions, RenderedBody};
use crate::render::{OutputFile, Renderer, SiteView, Theme};
use crate::Error;

/// The file that marks a folder as written by casebook, so a later build may replace it.
pub const OUTPUT_MARKER: &str = ".casebook-output";

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

        let mut bodies = render_bodies(&kb, &base, &mut diagnostics);
        for (case, body) in kb.cases.iter().zip(&mut bodies) {
            body.summary = match &case.summary {
                Some(given) => given.clone(),
                None => body
                    .first_paragraph
                    .as_deref()
                    .map(|p| markdown::truncate_words(p, 300))
                    .unwrap_or_default(),
            };
            if body.text.trim().is_empty() {
                diagnostics.push(Diagnostic::warning(
                    &case.path,
                    case.body_line,
                    "the case has no text below its front matter",
                ));
            }
        }
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
        let urls: Vec<String> = self
            .kb
            .cases
            .iter()
            .map(|c| self.base.path_to(&format!("cases/{}/", c.slug)))
            .collect();
        let indexed: Vec<IndexedCase> = self
            .kb
            .cases
            .iter()
            .zip(&self.bodies)
            .zip(&urls)
            .map(|((case, body), url)| IndexedCase {
                case,
                body_text: &body.text,
                url: url.clone(),
            })
            .collect();
        let index = index::build_index(&self.kb.layout.cache_dir(), &indexed)?;
        let (_, fields) = index::schema::schema();
        let synonyms = Synonyms::from_vocabulary(&self.kb.vocabulary);
        let input = ExportInput {
            cases: &self.kb.cases,
            body_texts: self.bodies.iter().map(|b| b.text.as_str()).collect(),
            urls,
            summaries: self.bodies.iter().map(|b| b.summary.as_str()).collect(),
            library: &self.library,
            synonyms: &synonyms,
        };
        let files = index::export::export(&index, &fields, &input)?;
        Ok(files
            .into_iter()
            .map(|(path, contents)| OutputFile {
                path,
                contents,
                case: None,
            })
            .collect())
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
    if diagnostics.has_errors() {
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
    if diagnostics.has_errors() {
        progress.finish_and_clear();
        return Err(Error::Content(diagnostics));
    }
    progress.set_message("writing");
    let written = write_site(&output, &files, renderer.theme())?;
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
    let by_path: HashMap<PathBuf, &str> = kb
        .cases
        .iter()
        .map(|c| (normalise(&c.path), c.slug.as_str()))
        .collect();
    let bodies: Vec<RenderedBody> = kb
        .cases
        .par_iter()
        .map(|case| {
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
            markdown::render(&case.body, &options)
        })
        .collect();
    for (case, body) in kb.cases.iter().zip(&bodies) {
        for (line, target) in &body.broken_links {
            diagnostics.push(
                Diagnostic::warning(
                    &case.path,
                    case.body_line + line,
                    format!("link to `{target}`, which is not a case file"),
                )
                .with_help("link to another case's .md file by its path relative to this file"),
            );
        }
    }
    bodies
}

/// Resolves `.` and `..` without touching the disk.
fn normalise(path: &Path) -> PathBuf {
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

/// Refuses output folders whose replacement would destroy something that is not a site.
pub fn check_output_folder(root: &Path, output: &Path) -> Result<(), Error> {
    let refuse = |why: &str| {
        Err(Error::Usage(format!(
            "refusing to write the site to {}: {why}",
            output.display()
        )))
    };
    let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let absolute = absolute_path(output)?;
    if absolute.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    if root.starts_with(&absolute) {
        return refuse("it holds the knowledge base itself");
    }
    for protected in ["content", "themes"] {
        if absolute.starts_with(root.join(protected)) {
            return refuse(&format!(
                "it is inside the knowledge base's {protected}/ folder"
            ));
        }
    }
    if absolute.is_file() {
        return refuse("it is a file");
    }
    if absolute.is_dir() && !absolute.join(OUTPUT_MARKER).is_file() {
        let empty = std::fs::read_dir(&absolute)
            .map_err(|e| Error::io(&absolute, e))?
            .next()
            .is_none();
        if !empty {
            return refuse(&format!(
                "it is not empty and was not written by casebook (no {OUTPUT_MARKER} file)"
            ));
        }
    }
    Ok(())
}

/// `path` made absolute, following links in the part that exists.
fn absolute_path(path: &Path) -> Result<PathBuf, Error> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Error::io(path, e))?
            .join(path)
    };
    let normal = normalise(&joined);
    let mut existing = normal.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    resolved.extend(rest.iter().rev());
    Ok(resolved)
}

/// Writes all files into a fresh folder beside `output`, then swaps it in.
fn write_site(output: &Path, files: &[OutputFile], theme: &Theme) -> Result<usize, Error> {
    let absolute = absolute_path(output)?;
    let parent = absolute
        .parent()
        .ok_or_else(|| Error::Usage("the output folder has no parent".into()))?;
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.casebook-new-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.casebook-old-{}", std::process::id()));
    let result = write_files(&staging, files, theme).and_then(|count| {
        swap_in(&staging, &absolute, &retired)?;
        Ok(count)
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn write_files(folder: &Path, files: &[OutputFile], theme: &Theme) -> Result<usize, Error> {
    if folder.exists() {
        std::fs::remove_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    }
    let mut all: Vec<(&str, &[u8])> = theme
        .static_files
        .iter()
        .map(|(path, (bytes, _))| (path.as_str(), bytes.as_slice()))
        .collect();
    // Generated pages win over static files of the same name.
    all.retain(|(path, _)| !files.iter().any(|f| f.path == *path));
    all.extend(
        files
            .iter()
            .map(|f| (f.path.as_str(), f.contents.as_slice())),
    );
    all.push((
        OUTPUT_MARKER,
        b"This folder was written by casebook and is replaced by each build.\n",
    ));

    let mut folders: Vec<PathBuf> = all
        .iter()
        .filter_map(|(path, _)| Path::new(path).parent().map(|p| folder.join(p)))
        .collect();
    folders.sort();
    folders.dedup();
    std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    for dir in &folders {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    all.par_iter().try_for_each(|(path, bytes)| {
        let target = folder.join(path);
        std::fs::write(&target, bytes).map_err(|e| Error::io(&target, e))
    })?;
    Ok(all.len())
}

fn swap_in(staging: &Path, output: &Path, retired: &Path) -> Result<(), Error> {
    if output.exists() {
        std::fs::rename(output, retired).map_err(|e| Error::io(output, e))?;
        if let Err(e) = std::fs::rename(staging, output) {
            let _ = std::fs::rename(retired, output);
            return Err(Error::io(output, e));
        }
        std::fs::remove_dir_all(retired).map_err(|e| Error::io(retired, e))?;
    } else {
        std::fs::rename(staging, output).map_err(|e| Error::io(output, e))?;
    }
    Ok(())
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
