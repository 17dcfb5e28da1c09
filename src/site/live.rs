//! The live site behind `casebook serve`: what each change changes, in two steps.
//!
//! An edited case (same file, same slug, same aliases) is updated in place. First, what a
//! reader looks at: its body is rendered again, then its own page, the pages whose
//! related-case blocks list it, the list pages it appears on and home (when its facets or
//! date changed, also every list page and related block whose contents moved, and the facet
//! indexes). The server shows those at once; then [`LiveSite::complete`] does the rest: feed,
//! sitemap, open data, and search (its tantivy document replaced, the shards holding its old
//! or new terms scored again). Anything else (a new, deleted or renamed case, settings,
//! vocabulary, templates) rebuilds the whole site in memory.
//!
//! Scores in the updated search shards use the index's statistics at the time of the
//! change; shards that were not touched keep theirs until the next full build, so a
//! preview's ranking can differ from a fresh build's in the last decimals.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::ProgressBar;

use super::{Site, Sources};
use crate::content::{self, Case, Diagnostic, Diagnostics, Facet, Library};
use crate::index::analyzer::{analyze, Mode};
use crate::index::export::{facet_file, fragment_files, SearchExport};
use crate::index::query::Synonyms;
use crate::index::writer::facet_text;
use crate::index::LiveIndex;
use crate::render::pages::{list_page_path, pages_for, value_url, Job};
use crate::render::{OutputFile, Renderer};
use crate::Error;

/// Files to put in place and files to take away.
#[derive(Debug, Default)]
pub struct Changes {
    /// New or changed files.
    pub files: Vec<OutputFile>,
    /// Paths of files that no longer exist.
    pub removed: Vec<String>,
    /// True when `files` is the whole site (everything else goes).
    pub everything: bool,
}

/// What one update did.
#[derive(Debug)]
pub struct Update {
    /// The files to serve from now on.
    pub changes: Changes,
    /// True when the whole site was rebuilt.
    pub full: bool,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// How long it took.
    pub elapsed: Duration,
}

/// An edited case whose feed entry, open data and search data are still to be refreshed.
struct Pending {
    number: usize,
    old_terms: BTreeSet<String>,
    relations_changed: bool,
}

/// A built site with what it takes to update it.
pub struct LiveSite {
    root: PathBuf,
    drafts: bool,
    base_url: String,
    site: Site,
    renderer: Renderer,
    index: Option<LiveIndex>,
    export: SearchExport,
    pending: Vec<Pending>,
}

impl LiveSite {
    /// Builds the whole site; content errors are returned as [`Error::Content`].
    pub fn build(root: &Path, drafts: bool, base_url: &str) -> Result<(LiveSite, Update), Error> {
        let started = Instant::now();
        let (site, renderer, warnings) = load_checked(root, drafts, base_url)?;
        let (rendered, search) = rayon::join(
            || site.render(&renderer, &ProgressBar::hidden()),
            || site.index_live(),
        );
        let (pages, problems) = rendered?;
        if problems.has_errors() {
            return Err(Error::Content(problems));
        }
        let (index, export, search_files) = search?;
        let static_files = renderer
            .theme()
            .static_files
            .iter()
            .map(|(path, (bytes, _))| OutputFile {
                path: path.clone(),
                contents: bytes.clone(),
                case: None,
            });
        let files: Vec<OutputFile> = static_files.chain(pages).chain(search_files).collect();
        let live = LiveSite {
            root: root.to_path_buf(),
            drafts,
            base_url: base_url.to_string(),
            site,
            renderer,
            index: Some(index),
            export,
            pending: Vec::new(),
        };
        let changes = Changes {
            files,
            removed: Vec::new(),
            everything: true,
        };
        Ok((
            live,
            Update {
                changes,
                full: true,
                warnings,
                elapsed: started.elapsed(),
            },
        ))
    }

    /// Applies changed paths (files or folders under the knowledge base): the pages readers
    /// see first; call [`LiveSite::complete`] next. On error the site stays as it was.
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
            return self.rebuild(started);
        }
        let mut changes = Changes::default();
        let mut warnings = Diagnostics::default();
        for (number, case) in edits {
            warnings.extend(self.update_case(number, case, &mut changes)?);
        }
        Ok(Update {
            changes,
            full: false,
            warnings,
            elapsed: started.elapsed(),
        })
    }

    /// Refreshes what the last [`LiveSite::apply`] left: feed, sitemap, open data, search.
    pub fn complete(&mut self) -> Result<Changes, Error> {
        let pending = std::mem::take(&mut self.pending);
        let mut changes = Changes::default();
        if pending.is_empty() {
            return Ok(changes);
        }
        let view = self.site.view();
        changes.files = self
            .renderer
            .render_jobs(&view, &[Job::Feed, Job::Sitemap, Job::Json, Job::Csv])?;

        let urls = self.site.case_urls();
        let synonyms = Synonyms::from_vocabulary(&self.site.kb.vocabulary);
        let input = self.site.export_input(&synonyms, urls.clone());
        let mut search_files: Vec<(String, Vec<u8>)> = Vec::new();
        for edit in &pending {
            let files = fragment_files(&input, edit.number);
            // A body now short enough to travel whole in its fragment leaves no `.txt`.
            if files.len() == 1 {
                changes
                    .removed
                    .push(format!("search/docs/{}.txt", edit.number));
            }
            search_files.extend(files);
        }
        if pending.iter().any(|p| p.relations_changed) {
            search_files.push(facet_file(&input));
        }
        if let Some(index) = self.index.as_mut() {
            let mut terms = BTreeSet::new();
            for edit in pending {
                index.replace(
                    edit.number as u64,
                    &self.site.indexed(edit.number, &urls[edit.number]),
                )?;
                terms.extend(edit.old_terms);
                terms.extend(terms_of(
                    &self.site.kb.cases[edit.number],
                    &self.site.bodies[edit.number].text,
                ));
            }
            index.commit()?;
            search_files.extend(
                self.export
                    .update_terms(index.index(), index.fields(), &terms)?,
            );
        }
        changes
            .files
            .extend(search_files.into_iter().map(|(path, contents)| OutputFile {
                path,
                contents,
                case: None,
            }));
        Ok(changes)
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
    fn rebuild(&mut self, started: Instant) -> Result<Update, Error> {
        // Validate first, so that broken content leaves the running site (and index) alone.
        load_checked(&self.root, self.drafts, &self.base_url)?;
        // The index folder has one writer at a time: release ours before building anew.
        drop(self.index.take());
        let (fresh, mut update) = LiveSite::build(&self.root, self.drafts, &self.base_url)?;
        *self = fresh;
        update.elapsed = started.elapsed();
        Ok(update)
    }

    /// Puts the new version of case `number` in place and renders the pages that show it.
    fn update_case(
        &mut self,
        number: usize,
        case: Case,
        changes: &mut Changes,
    ) -> Result<Vec<Diagnostic>, Error> {
        let old_case = std::mem::replace(&mut self.site.kb.cases[number], case);
        let old_terms = terms_of(&old_case, &self.site.bodies[number].text);
        let warnings = self.site.rerender_body(number);
        let new_case = &self.site.kb.cases[number];
        // Titles never decide an order (ties go to the slug), so only these move cases.
        let relations_changed =
            old_case.facets != new_case.facets || old_case.recency() != new_case.recency();
        let old_library = relations_changed
            .then(|| std::mem::replace(&mut self.site.library, Library::new(&self.site.kb.cases)));
        let (jobs, stale) = self.affected(number, old_library.as_ref());
        let view = self.site.view();
        changes
            .files
            .extend(self.renderer.render_jobs(&view, &jobs)?);
        changes.removed.extend(stale);
        self.pending.push(Pending {
            number,
            old_terms,
            relations_changed,
        });
        Ok(warnings)
    }

    /// The pages to render again after case `number` changed, and the files that no longer
    /// exist. `old` is the library before the change when relations between cases changed.
    fn affected(&self, number: usize, old: Option<&Library>) -> (Vec<Job>, Vec<String>) {
        let library = &self.site.library;
        let per_page = self.renderer.per_page();
        let case_count = self.site.kb.cases.len();
        let mut jobs = vec![Job::Case(number), Job::Home];
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
        // List pages showing this case, or whose contents moved.
        let old = old.unwrap_or(library);
        jobs.extend(
            changed_pages(old.recent(), library.recent(), number, per_page)
                .map(|page| Job::AllCases { page }),
        );
        let mut stale = Vec::new();
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
                let before: &[usize] = old
                    .find(facet, slug)
                    .map_or(&[], |v| &old.value(facet, v).cases);
                let Some(value) = library.find(facet, slug) else {
                    let base = value_url(facet, slug);
                    stale.extend(
                        (1..=pages_for(before.len(), per_page))
                            .map(|page| list_page_path(&base, page)),
                    );
                    continue;
                };
                let after = &library.value(facet, value).cases;
                let pages: Vec<usize> = if before.len() == after.len() {
                    changed_pages(before, after, number, per_page).collect()
                } else {
                    // Every page of a value shows its count.
                    (1..=pages_for(after.len(), per_page)).collect()
                };
                jobs.extend(
                    pages
                        .into_iter()
                        .map(|page| Job::FacetValue { facet, value, page }),
                );
                let base = value_url(facet, slug);
                let (old_pages, new_pages) = (
                    pages_for(before.len(), per_page),
                    pages_for(after.len(), per_page),
                );
                stale.extend((new_pages + 1..=old_pages).map(|page| list_page_path(&base, page)));
            }
        }
        if !std::ptr::eq(old, library) {
            jobs.push(Job::Search);
            jobs.extend(Facet::ALL.map(Job::FacetIndex));
            let related =
                |l: &Library, j: usize| l.related(j).iter().map(|r| r.case).collect::<Vec<_>>();
            jobs.extend(
                (0..case_count)
                    .filter(|&j| related(old, j) != related(library, j))
                    .map(Job::Case),
            );
        }
        let mut seen = HashSet::new();
        jobs.retain(|job| seen.insert(job.clone()));
        (jobs, stale)
    }
}

/// The (1-based) pages of a paginated list that show `case` or whose contents differ
/// between the `before` and `after` orders of the same length.
fn changed_pages<'l>(
    before: &'l [usize],
    after: &'l [usize],
    case: usize,
    per_page: usize,
) -> impl Iterator<Item = usize> + 'l {
    let pages = pages_for(after.len(), per_page);
    (1..=pages).filter(move |&page| {
        let range = (page - 1) * per_page..(page * per_page).min(after.len());
        let shown = &after[range.clone()];
        shown.contains(&case) || before.get(range) != Some(shown)
    })
}

/// Loads the knowledge base and compiles its theme, failing on any content error.
fn load_checked(
    root: &Path,
    drafts: bool,
    base_url: &str,
) -> Result<(Site, Renderer, Diagnostics), Error> {
    let (site, diagnostics) = Site::load(root, drafts, Some(base_url), Sources::Keep)?;
    if diagnostics.has_errors() {
        return Err(Error::Content(diagnostics));
    }
    let renderer = site.renderer()?;
    Ok((site, renderer, diagnostics))
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
