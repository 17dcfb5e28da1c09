//! The live site behind `casebook serve`: the whole site in memory, and the smallest
//! rebuild for each change.
//!
//! An edited case (same file, same slug, same aliases) is updated in place: its body is
//! rendered again, its tantivy document replaced, and only the pages that show it are
//! rendered: its own page, the pages whose related-case blocks list it, the list pages it
//! appears on (or, when its facets, title or date changed, every page of the values and
//! lists whose order or counts moved), home, feed, sitemap and open data, and the search
//! shards holding its old or new terms. Anything else (a new, deleted or renamed case,
//! settings, vocabulary, templates) rebuilds the whole site in memory.
//!
//! Scores in the updated search shards use the index's statistics at the time of the
//! change; shards that were not touched keep theirs until the next full build, so a
//! preview's ranking can differ from a fresh build's in the last decimals.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::ProgressBar;

use super::Site;
use crate::content::{self, Case, Diagnostics, Facet, Library};
use crate::index::analyzer::{analyze, Mode};
use crate::index::export::{facet_files, fragment_file, SearchExport};
use crate::index::query::Synonyms;
use crate::index::writer::facet_text;
use crate::index::LiveIndex;
use crate::render::pages::{list_page_path, page_of, pages_for, value_url, Job};
use crate::render::{OutputFile, Renderer};
use crate::Error;

/// The served files, by path relative to the site root (`cases/x/index.html`).
pub type Files = HashMap<String, Arc<Vec<u8>>>;

/// What one update did.
#[derive(Debug)]
pub struct Update {
    /// Files added, changed or removed.
    pub files: usize,
    /// True when the whole site was rebuilt.
    pub full: bool,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// How long it took.
    pub elapsed: Duration,
}

/// A site held in memory with what it takes to update it.
pub struct LiveSite {
    root: PathBuf,
    drafts: bool,
    base_url: String,
    site: Site,
    renderer: Renderer,
    index: Option<LiveIndex>,
    export: SearchExport,
    files: Files,
}

impl LiveSite {
    /// Builds the whole site in memory; content errors are returned as [`Error::Content`].
    pub fn build(
        root: &Path,
        drafts: bool,
        base_url: &str,
    ) -> Result<(LiveSite, Diagnostics), Error> {
        let (site, renderer, diagnostics) = load_checked(root, drafts, base_url)?;
        let (rendered, search) = rayon::join(
            || site.render(&renderer, &ProgressBar::hidden()),
            || site.index_live(),
        );
        let (pages, problems) = rendered?;
        if problems.has_errors() {
            return Err(Error::Content(problems));
        }
        let (index, export, search_files) = search?;
        let files = collect_files(&renderer, pages.into_iter().chain(search_files));
        let live = LiveSite {
            root: root.to_path_buf(),
            drafts,
            base_url: base_url.to_string(),
            site,
            renderer,
            index: Some(index),
            export,
            files,
        };
        Ok((live, diagnostics))
    }

    /// The file at `path` (relative to the site root), if the site has it.
    pub fn file(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        self.files.get(path).cloned()
    }

    /// Whether the site has a file at `path`.
    pub fn has(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Applies changed paths (files or folders under the knowledge base). On error the site
    /// stays as it was.
    pub fn apply(&mut self, changed: &[PathBuf]) -> Result<Update, Error> {
        let started = Instant::now();
        let cases_dir = content::Layout::new(&self.root).cases_dir();
        let mut edits = Vec::new();
        let mut full = false;
        for path in changed {
            let is_case_file = path.starts_with(&cases_dir)
                && path.extension().is_some_and(|e| e == "md")
                && !path.strip_prefix(&cases_dir).is_ok_and(|rest| {
                    rest.components()
                        .any(|c| c.as_os_str().to_string_lossy().starts_with(['.', '_']))
                });
            match self.edit_in_place(path, is_case_file)? {
                Some(edit) => edits.push(edit),
                None if is_case_file || self.changes_site(path, &cases_dir) => full = true,
                None => {}
            }
        }
        if full {
            let warnings = self.rebuild()?;
            return Ok(Update {
                files: self.files.len(),
                full: true,
                warnings,
                elapsed: started.elapsed(),
            });
        }
        let mut count = 0;
        let mut warnings = Diagnostics::default();
        for (number, case) in edits {
            let (files, problems) = self.update_case(number, case)?;
            count += files;
            warnings.extend(problems);
        }
        Ok(Update {
            files: count,
            full: false,
            warnings,
            elapsed: started.elapsed(),
        })
    }

    /// The case to update in place for a changed file, or `None` when the change needs a
    /// full rebuild (or is not a case at all). Errors in the file are returned.
    fn edit_in_place(
        &self,
        path: &Path,
        is_case_file: bool,
    ) -> Result<Option<(usize, Case)>, Error> {
        if !is_case_file || !path.is_file() {
            return Ok(None);
        }
        let display = content::display_path(path);
        let (case, _) = content::read_case(&display, &self.site.kb.vocabulary)
            .map_err(|problems| Error::Content(problems.into_iter().collect()))?;
        let Some(number) = self.site.kb.cases.iter().position(|c| c.path == display) else {
            return Ok(None);
        };
        let old = &self.site.kb.cases[number];
        let same_place =
            old.slug == case.slug && old.aliases == case.aliases && (!case.draft || self.drafts);
        Ok(same_place.then_some((number, case)))
    }

    /// Whether a changed path that is not a case file matters: settings and theme files do,
    /// and so do folders of cases added or removed; editors' temporary files do not.
    fn changes_site(&self, path: &Path, cases_dir: &Path) -> bool {
        if is_ignorable(path) {
            return false;
        }
        if !path.starts_with(cases_dir) {
            return true;
        }
        let folder = content::display_path(path);
        path.is_dir()
            || (!path.exists()
                && self
                    .site
                    .kb
                    .cases
                    .iter()
                    .any(|c| c.path.starts_with(&folder)))
    }

    /// Rebuilds everything; the old site stays until the new one is complete.
    fn rebuild(&mut self) -> Result<Diagnostics, Error> {
        // Validate first, so that broken content leaves the running site (and index) alone.
        load_checked(&self.root, self.drafts, &self.base_url)?;
        // The index folder has one writer at a time: release ours before building anew.
        if let Some(index) = self.index.take() {
            drop(index);
        }
        let (fresh, warnings) = LiveSite::build(&self.root, self.drafts, &self.base_url)?;
        *self = fresh;
        Ok(warnings)
    }

    /// Puts the new version of case `number` in place and renders what shows it.
    fn update_case(&mut self, number: usize, case: Case) -> Result<(usize, Diagnostics), Error> {
        let old_case = std::mem::replace(&mut self.site.kb.cases[number], case);
        let old_terms = terms_of(&old_case, &self.site.bodies[number].text);
        let mut warnings: Diagnostics = self.site.rerender_body(number).into_iter().collect();
        let new_case = &self.site.kb.cases[number];
        let relations_changed = old_case.facets != new_case.facets
            || old_case.recency() != new_case.recency()
            || old_case.title != new_case.title;
        let old_library = relations_changed
            .then(|| std::mem::replace(&mut self.site.library, Library::new(&self.site.kb.cases)));

        let (jobs, stale) = self.affected(number, old_library.as_ref());
        let view = self.site.view();
        let mut changed: Vec<OutputFile> = self.renderer.render_jobs(&view, &jobs)?;

        // Search: replace the document, rescore its old and new terms, refresh its fragment.
        let urls = self.site.case_urls();
        let synonyms = Synonyms::from_vocabulary(&self.site.kb.vocabulary);
        let input = self.site.export_input(&synonyms, urls.clone());
        let mut search_files = vec![fragment_file(&input, number)];
        if relations_changed {
            search_files.extend(facet_files(&input));
        }
        if let Some(index) = self.index.as_mut() {
            index.replace(number as u64, &self.site.indexed(number, &urls[number]))?;
            let mut terms = old_terms;
            terms.extend(terms_of(
                &self.site.kb.cases[number],
                &self.site.bodies[number].text,
            ));
            search_files.extend(
                self.export
                    .update_terms(index.index(), index.fields(), &terms)?,
            );
        } else {
            warnings.push(content::Diagnostic::warning(
                &self.root,
                0,
                "search index unavailable; search results are not updated",
            ));
        }
        changed.extend(search_files.into_iter().map(|(path, contents)| OutputFile {
            path,
            contents,
            case: None,
        }));

        let count = changed.len() + stale.len();
        for path in stale {
            self.files.remove(&path);
        }
        for file in changed {
            self.files.insert(file.path, Arc::new(file.contents));
        }
        Ok((count, warnings))
    }

    /// The files to render again after case `number` changed, and the files that no longer
    /// exist. `old` is the library before the change when relations between cases changed.
    fn affected(&self, number: usize, old: Option<&Library>) -> (Vec<Job>, Vec<String>) {
        let library = &self.site.library;
        let per_page = self.renderer.per_page();
        let case_count = self.site.kb.cases.len();
        let mut jobs = vec![
            Job::Case(number),
            Job::Home,
            Job::Feed,
            Job::Sitemap,
            Job::Json,
            Job::Csv,
        ];
        jobs.extend(
            (0..self.site.kb.cases[number].aliases.len()).map(|alias| Job::Alias {
                case: number,
                alias,
            }),
        );
        // Pages whose related-case blocks show this case.
        jobs.extend(
            (0..case_count)
                .filter(|&j| library.related(j).iter().any(|r| r.case == number))
                .map(Job::Case),
        );
        let mut stale = Vec::new();
        let position = |library: &Library| {
            library
                .recent()
                .iter()
                .position(|&c| c == number)
                .unwrap_or(0)
        };
        match old {
            None => {
                jobs.push(Job::AllCases {
                    page: page_of(position(library), per_page),
                });
                for facet in Facet::ALL {
                    for &value in library.values_of(number, facet) {
                        let members = &library.value(facet, value).cases;
                        let at = members.iter().position(|&c| c == number).unwrap_or(0);
                        jobs.push(Job::FacetValue {
                            facet,
                            value,
                            page: page_of(at, per_page),
                        });
                    }
                }
            }
            Some(old) => {
                jobs.push(Job::Search);
                jobs.extend(Facet::ALL.map(Job::FacetIndex));
                let related =
                    |l: &Library, j: usize| l.related(j).iter().map(|r| r.case).collect::<Vec<_>>();
                jobs.extend(
                    (0..case_count)
                        .filter(|&j| related(old, j) != related(library, j))
                        .map(Job::Case),
                );
                let (from, to) = (
                    position(old).min(position(library)),
                    position(old).max(position(library)),
                );
                jobs.extend(
                    (page_of(from, per_page)..=page_of(to, per_page))
                        .map(|page| Job::AllCases { page }),
                );
                for facet in Facet::ALL {
                    let slugs: BTreeSet<&str> = [old, library]
                        .iter()
                        .flat_map(|l| {
                            l.values_of(number, facet)
                                .iter()
                                .map(move |&v| l.value(facet, v).slug.as_str())
                        })
                        .collect();
                    for slug in slugs {
                        let old_pages = old
                            .find(facet, slug)
                            .map_or(0, |v| pages_for(old.value(facet, v).cases.len(), per_page));
                        let new_pages = match library.find(facet, slug) {
                            Some(value) => {
                                let pages =
                                    pages_for(library.value(facet, value).cases.len(), per_page);
                                jobs.extend((1..=pages).map(|page| Job::FacetValue {
                                    facet,
                                    value,
                                    page,
                                }));
                                pages
                            }
                            None => 0,
                        };
                        let base = value_url(facet, slug);
                        stale.extend(
                            (new_pages + 1..=old_pages).map(|page| list_page_path(&base, page)),
                        );
                    }
                }
            }
        }
        let mut seen = HashSet::new();
        jobs.retain(|job| seen.insert(job.clone()));
        (jobs, stale)
    }
}

/// Loads the knowledge base and compiles its theme, failing on any content error.
fn load_checked(
    root: &Path,
    drafts: bool,
    base_url: &str,
) -> Result<(Site, Renderer, Diagnostics), Error> {
    let (site, diagnostics) = Site::load(root, drafts, Some(base_url))?;
    if diagnostics.has_errors() {
        return Err(Error::Content(diagnostics));
    }
    let renderer = site.renderer()?;
    Ok((site, renderer, diagnostics))
}

/// Pages, search files and the theme's static files, as the served map.
fn collect_files(renderer: &Renderer, files: impl Iterator<Item = OutputFile>) -> Files {
    let mut map: Files = renderer
        .theme()
        .static_files
        .iter()
        .map(|(path, (bytes, _))| (path.clone(), Arc::new(bytes.clone())))
        .collect();
    for file in files {
        map.insert(file.path, Arc::new(file.contents));
    }
    map
}

/// Every token the index holds for one version of a case.
fn terms_of(case: &Case, body_text: &str) -> BTreeSet<String> {
    let mut texts = vec![
        case.title.clone(),
        case.summary.clone().unwrap_or_default(),
        body_text.to_string(),
    ];
    texts.extend(Facet::ALL.iter().map(|&f| facet_text(case.values(f))));
    texts
        .iter()
        .flat_map(|t| analyze(t, Mode::Index))
        .map(|t| t.text)
        .collect()
}

/// Editor leftovers (swap files, backups) and folders that do not affect the site.
fn is_ignorable(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name == "4913"
}
