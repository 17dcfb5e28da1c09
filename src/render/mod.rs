//! Pages from data: tera templates and one function per kind of page.
//!
//! Rendering knows nothing of the file system: it turns a [`SiteView`] into a list of
//! [`OutputFile`]s that `site` writes. Pages are rendered in parallel with templates
//! compiled once.

mod cite;
mod cms;
mod context;
mod data;
mod feed;
mod grouping;
mod jobs;
mod pages;
mod pictures;
mod theme;
pub mod urls;

use std::error::Error as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::Tera;

use crate::content::{
    display_path, BaseUrl, Case, CmsSettings, Combinations, Facet, Library, SiteConfig, Vocabulary,
};
use crate::error::Diagnostic;
use crate::markdown::RenderedBody;
pub use cite::CitationFormat;
use context::{FacetContext, SiteContext};
pub use jobs::{case_files, Job};
pub use theme::{Theme, DEFAULT_STATIC, DEFAULT_TEMPLATES};

/// One file of the site: where it goes (relative, `/`-separated) and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, e.g. `cases/oldham/index.html`.
    pub path: String,
    /// The bytes to write.
    pub contents: Vec<u8>,
    /// The case this file belongs to or was made for, when there is one.
    pub case: Option<usize>,
}

/// Why pages could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A file of the editing form was asked for, and `_site.yaml` enables none.
    #[error("the site has no editing form: `_site.yaml` has no `cms:` settings")]
    NoCms,
    /// A theme folder or file could not be read.
    #[error("{}: {message}", .path.display())]
    Theme {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A template does not parse.
    #[error("{origin}: template error: {message}")]
    Template {
        /// The template file (or built-in name).
        origin: String,
        /// Line and column in the template (0 when unknown).
        at: (usize, usize),
        /// tera's explanation.
        message: String,
    },
    /// A template failed while rendering one page.
    #[error("{origin}: error while rendering {page}: {message}")]
    Page {
        /// The template file (or built-in name).
        origin: String,
        /// Line and column in the template (0 when unknown).
        at: (usize, usize),
        /// The page being rendered.
        page: String,
        /// tera's explanation.
        message: String,
    },
}

impl RenderError {
    /// The error as a diagnostic naming the theme file and, where known, its line.
    pub fn diagnostic(&self) -> Diagnostic {
        match self {
            RenderError::NoCms => {
                Diagnostic::error(Path::new("content/_site.yaml"), 0, self.to_string())
            }
            RenderError::Theme { path, message } => {
                Diagnostic::error(&display_path(path), 0, message.clone())
            }
            RenderError::Template {
                origin,
                at,
                message,
            } => Diagnostic::error(
                &display_path(Path::new(origin)),
                at.0,
                format!("template error: {message}"),
            )
            .at_column(at.1),
            RenderError::Page {
                origin,
                at,
                page,
                message,
            } => Diagnostic::error(
                &display_path(Path::new(origin)),
                at.0,
                format!("error while rendering {page}: {message}"),
            )
            .at_column(at.1),
        }
    }
}

/// Everything a build renders from.
pub struct SiteView<'a> {
    /// The cases, sorted by slug; their summaries are filled in.
    pub cases: &'a [Case],
    /// Each case's rendered body, by case index.
    pub bodies: &'a [RenderedBody],
    /// Facet values and related cases.
    pub library: &'a Library,
    /// The theme × country pages.
    pub combinations: &'a Combinations,
    /// Descriptions of facet values.
    pub vocabulary: &'a Vocabulary,
    /// The folders holding cases, relative to the knowledge base (`content/cases`,
    /// `content/cases/scotland`…), for the editing form.
    pub case_folders: &'a [String],
}

/// Compiled templates plus the settings every page shares.
pub struct Renderer {
    tera: Tera,
    theme: Theme,
    base: BaseUrl,
    site: SiteContext,
    nav: Vec<FacetContext>,
    per_page: usize,
    author: String,
    /// The editing form's settings, when the site has one.
    cms: Option<CmsSettings>,
    /// The theme's folder name under `themes/` (where the form puts pictures).
    theme_name: String,
}

impl Renderer {
    /// Compiles the theme's templates.
    pub fn new(
        theme: Theme,
        config: &SiteConfig,
        base: BaseUrl,
        case_count: usize,
    ) -> Result<Renderer, RenderError> {
        let mut tera = Tera::default();
        tera.set_escape_fn(crate::text::escape_html);
        let sources: Vec<(&str, &str)> = theme
            .templates
            .iter()
            .map(|(name, (text, _))| (name.as_str(), text.as_str()))
            .collect();
        tera.add_raw_templates(sources).map_err(|e| {
            let message = tera_message(&e);
            let name = theme
                .templates
                .keys()
                .find(|name| message.contains(&format!("'{name}'")));
            let (at, message) = locate(name.map(|n| theme.templates[n].0.as_str()), &message);
            let origin = name.map_or_else(|| "theme".to_string(), |name| theme.origin_of(name));
            RenderError::Template {
                origin,
                at,
                message,
            }
        })?;
        let site = SiteContext {
            title: config.title.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            base_url: base.absolute.clone(),
            base_path: base.path.clone(),
            case_count,
        };
        let nav = Facet::ALL
            .iter()
            .map(|&facet| FacetContext {
                key: facet.key(),
                label: facet.label(),
                plural_label: facet.plural_label(),
                url: base.path_to(&urls::facet_index(facet)),
            })
            .collect();
        Ok(Renderer {
            tera,
            theme,
            base,
            site,
            nav,
            per_page: config.per_page,
            author: config
                .author
                .clone()
                .unwrap_or_else(|| config.title.clone()),
            cms: config.cms.clone(),
            theme_name: config.theme.clone(),
        })
    }

    /// The theme the renderer was built from (its static files are copied as they are).
    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// The site's address.
    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// Renders every page and data file of the site.
    pub fn render_site(&self, view: &SiteView) -> Result<Vec<OutputFile>, RenderError> {
        let pages = pages::Pages::new(self, view);
        jobs::every_job(view, self.per_page, self.cms.is_some())
            .par_iter()
            .map(|job| pages.render(job))
            .collect()
    }

    /// Renders every page and data file of the site, handing each to `each` as soon as it is
    /// rendered (from several threads), so a build never holds the whole site in memory.
    pub fn render_site_each<E>(
        &self,
        view: &SiteView,
        each: &(dyn Fn(OutputFile) -> Result<(), E> + Sync),
    ) -> Result<(), E>
    where
        E: From<RenderError> + Send,
    {
        let pages = pages::Pages::new(self, view);
        jobs::every_job(view, self.per_page, self.cms.is_some())
            .par_iter()
            .try_for_each(|job| each(pages.render(job)?))
    }

    /// Renders only the given files (for a live preview after one case changed).
    pub fn render_jobs(
        &self,
        view: &SiteView,
        jobs: &[Job],
    ) -> Result<Vec<OutputFile>, RenderError> {
        let pages = pages::Pages::few(self, view);
        jobs.par_iter().map(|job| pages.render(job)).collect()
    }

    /// The number of cases per page of paginated lists.
    pub fn per_page(&self) -> usize {
        self.per_page
    }

    /// The number of files [`Renderer::render_site`] will produce, for progress bars.
    pub fn file_count(&self, view: &SiteView) -> usize {
        jobs::every_job(view, self.per_page, self.cms.is_some()).len()
    }

    fn render_template(
        &self,
        template: &str,
        page: &str,
        context: &tera::Context,
    ) -> Result<Vec<u8>, RenderError> {
        self.tera
            .render(template, context)
            .map(String::into_bytes)
            .map_err(|e| {
                let message = tera_message(&e);
                // The error may lie in a template this one extends or includes.
                let name = message
                    .rsplit("while rendering '")
                    .next()
                    .and_then(|rest| rest.split('\'').next())
                    .filter(|name| self.theme.templates.contains_key(*name))
                    .unwrap_or(template);
                let text = self
                    .theme
                    .templates
                    .get(name)
                    .map(|(text, _)| text.as_str());
                let (at, message) = locate(text, &message);
                RenderError::Page {
                    origin: self.theme.origin_of(name),
                    at,
                    page: page.to_string(),
                    message,
                }
            })
    }
}

/// Where in `template` tera's `message` points, and the message without tera's own excerpt
/// (the diagnostic shows the line): tera's position when it gives one (parse errors), else
/// the first line naming what the message names (`'missing.html'`, `` `page.nothing` ``).
fn locate(template: Option<&str>, message: &str) -> ((usize, usize), String) {
    if let Some((_, rest)) = message.split_once(" --> ") {
        let position: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ':')
            .collect();
        let explanation = rest
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("= "))
            .collect::<Vec<_>>()
            .join("; ");
        if let Some((line, column)) = position.split_once(':') {
            let at = (line.parse().unwrap_or(0), column.parse().unwrap_or(0));
            return (at, explanation);
        }
    }
    let named = message
        .split(['\'', '`'])
        .skip(1)
        .step_by(2)
        .map(|name| name.trim_matches(['[', ']']))
        .filter(|name| !name.is_empty());
    let at = template.and_then(|text| {
        named
            .filter_map(|name| {
                text.lines().enumerate().find_map(|(i, line)| {
                    let byte = line.find(name)?;
                    // A template names itself only in its own messages, never in its text.
                    Some((i + 1, line[..byte].chars().count() + 1))
                })
            })
            .next()
    });
    (at.unwrap_or((0, 0)), message.to_string())
}

/// tera's error with its chain of causes, which hold the useful part.
fn tera_message(error: &tera::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
