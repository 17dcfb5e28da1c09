//! One build: load the knowledge base, render every page and index every case, write the
//! site atomically ([`output`]); and, for the live preview, what each kind of change
//! ([`change`]) changes ([`live`]).

mod bodies;
mod build;
mod change;
mod error;
mod live;
mod lock;
mod output;

pub use build::{build, check, check_with_report, cms_config, BuildOptions, BuildReport};
pub use error::SiteError;
pub use live::{Changes, LiveSite};

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::content::{self, BaseUrl, Combinations, KnowledgeBase, Library, LoadOptions};
use crate::error::{Diagnostic, Diagnostics};
use crate::index::SearchInput;
use crate::markdown::RenderedBody;
use crate::render::{urls, OutputFile, Renderer, SiteView, Theme};

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
    /// The theme × country pages, from the library.
    pub combinations: Combinations,
    /// Where the site will be deployed.
    pub base: BaseUrl,
    /// Each case file's normalised path and its slug, to resolve links between cases; an
    /// edit in place changes neither.
    case_paths: HashMap<PathBuf, String>,
    /// The folders holding cases, for the editing form.
    case_folders: Vec<String>,
}

impl Site {
    /// Loads and prepares the knowledge base at `root`; the diagnostics may hold errors.
    pub fn load(
        root: &Path,
        drafts: bool,
        base_url: Option<&str>,
        sources: Sources,
    ) -> Result<(Site, Diagnostics), SiteError> {
        let (mut kb, mut diagnostics) = content::load(root, &LoadOptions { drafts })?;
        let base_text = base_url
            .map(str::to_string)
            .unwrap_or_else(|| kb.config.base_url.clone());
        let base = BaseUrl::parse(&base_text).map_err(SiteError::BaseUrl)?;

        let case_paths = bodies::case_paths(&kb);
        let bodies = bodies::render_bodies(&mut kb, &case_paths, &base, &mut diagnostics, sources);
        let library = Library::new(&kb.cases);
        let combinations = Combinations::new(&library, &kb.config.combinations);
        let case_folders = content::case_folders(&kb);
        diagnostics.sort();
        Ok((
            Site {
                kb,
                bodies,
                library,
                combinations,
                base,
                case_paths,
                case_folders,
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
            combinations: &self.combinations,
            vocabulary: &self.kb.vocabulary,
            case_folders: &self.case_folders,
        }
    }

    /// Compiles the knowledge base's theme.
    pub fn renderer(&self) -> Result<Renderer, SiteError> {
        let theme = Theme::load(&self.kb.layout.themes_dir(), &self.kb.config.theme)?;
        Ok(Renderer::new(
            theme,
            &self.kb.config,
            self.base.clone(),
            self.kb.cases.len(),
        )?)
    }

    /// Renders every file, checking that no alias takes the place of another page.
    pub fn render_all(
        &self,
        renderer: &Renderer,
    ) -> Result<(Vec<OutputFile>, Diagnostics), SiteError> {
        let files = renderer.render_site(&self.view())?;
        let problems = self.alias_collisions(
            files.iter().map(|f| (f.path.as_str(), f.case)),
            renderer.theme(),
        );
        Ok((files, problems))
    }

    /// What the search index and its export are made from.
    pub fn search_input(&self) -> SearchInput<'_> {
        SearchInput {
            cases: &self.kb.cases,
            body_texts: self.bodies.iter().map(|b| b.text.as_str()).collect(),
            urls: self
                .kb
                .cases
                .iter()
                .map(|c| self.base.path_to(&urls::case(&c.slug)))
                .collect(),
            summaries: self.bodies.iter().map(|b| b.summary.as_str()).collect(),
            library: &self.library,
            vocabulary: &self.kb.vocabulary,
        }
    }

    /// Renders case `number`'s body again (after its file changed).
    pub fn rerender_body(&mut self, number: usize) -> Vec<Diagnostic> {
        let (body, problems) = bodies::render_body(
            self.kb.config.unsafe_html,
            &self.kb.cases[number],
            &self.case_paths,
            &self.base,
        );
        self.bodies[number] = body;
        problems
    }

    /// An error for each path two files were written to (an alias that takes a page's place)
    /// and for each folder an alias makes where the site has a file of that name (an alias
    /// `feed.xml/`). `files` gives each generated file's path and the case it belongs to, if
    /// any; the theme's static files (those no generated file replaces) count too.
    fn alias_collisions<'f>(
        &self,
        files: impl Iterator<Item = (&'f str, Option<usize>)>,
        theme: &'f Theme,
    ) -> Diagnostics {
        let mut owners: HashMap<&str, Option<usize>> = HashMap::new();
        let mut clashes = Vec::new();
        for (path, case) in files {
            if let Some(previous) = owners.insert(path, case) {
                let message = format!("alias would overwrite the page {path}");
                clashes.push((path, [case, previous], message));
            }
        }
        for path in theme.static_files.keys() {
            owners.entry(path.as_str()).or_insert(None);
        }
        let mut paths: Vec<(&str, Option<usize>)> = owners.iter().map(|(p, c)| (*p, *c)).collect();
        paths.sort_unstable();
        for (path, case) in paths {
            let folders = path.match_indices('/').map(|(at, _)| &path[..at]);
            for folder in folders {
                if let Some(&file_case) = owners.get(folder) {
                    let message =
                        format!("alias would make a folder where the site has the file {folder}");
                    clashes.push((path, [case, file_case], message));
                }
            }
        }
        // An alias of a case page's address makes its page and its record: a clash of both is
        // one mistake, said once, at the page.
        let clashing: HashSet<&str> = clashes.iter().map(|(path, _, _)| *path).collect();
        let said_at_page = |path: &str| {
            path.strip_suffix("case.json")
                .is_some_and(|folder| clashing.contains(format!("{folder}index.html").as_str()))
        };
        clashes.retain(|(path, _, _)| !said_at_page(path));
        let mut problems = Diagnostics::default();
        for (path, cases, message) in clashes {
            let alias_case = cases.into_iter().find_map(|c| {
                let case = &self.kb.cases[c?];
                case.aliases
                    .iter()
                    .any(|a| path.starts_with(a.as_str()))
                    .then_some(case)
            });
            let (file, line) = alias_case.map_or((PathBuf::from("content"), 0), |c| {
                (c.path.clone(), c.line_of("aliases"))
            });
            problems.push(Diagnostic::error(&file, line, message));
        }
        problems
    }
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
}
