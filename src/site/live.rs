//! The live site behind `casebook serve`: what each change changes, in two steps.
//!
//! Each changed path is classified first ([`super::change`]). An edited case (same file,
//! same slug, same aliases) is updated in place. First, what a reader looks at: its body is
//! rendered again, then its own page, the pages whose related-case blocks list it, the list
//! pages it appears on and home (when its facets or date changed, also every list page and
//! related block whose contents moved, and the facet indexes). The server shows those at
//! once; then [`LiveSite::complete`] does the rest: feed, sitemap, open data, and search
//! (the index layer's [`LiveSearch`] says which export files change). Any other kind of
//! change (a new, deleted or renamed case, settings, vocabulary, templates, theme files)
//! rebuilds the whole site in memory; ignored paths change nothing.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::change::{classify, ChangeKind};
use super::{Site, SiteError, Sources};
use crate::content::{self, Case, Combinations, Facet, Library};
use crate::error::{Diagnostic, Diagnostics};
use crate::index::{ChangedCase, IndexedCase, LiveSearch};
use crate::render::{case_files, urls, CitationFormat, Job, OutputFile, Renderer};

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
    /// The changed files the site is made from: what the change was to, editors' temporary
    /// files and other ignored paths left out.
    pub sources: Vec<PathBuf>,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// How long it took.
    pub elapsed: Duration,
}

/// An edited case whose feed entry, open data and search data are still to be refreshed.
struct Pending {
    /// Its number.
    number: usize,
    /// Its version before the edit, and that version's body as plain text: the search
    /// update takes its terms away (worked out then, off the path to the served page).
    old_case: Case,
    old_body_text: String,
    /// Its facets, date or title changed: so did the facet data and the sort keys.
    relations_changed: bool,
}

/// A built site with what it takes to update it.
pub struct LiveSite {
    root: PathBuf,
    drafts: bool,
    base_url: String,
    site: Site,
    renderer: Renderer,
    /// The search, in memory: the preview's drafts and unsaved states never reach the
    /// index `casebook search` reads.
    search: LiveSearch,
    pending: Vec<Pending>,
}

impl LiveSite {
    /// Builds the whole site; content errors are returned as [`SiteError::Content`].
    pub fn build(
        root: &Path,
        drafts: bool,
        base_url: &str,
    ) -> Result<(LiveSite, Update), SiteError> {
        let started = Instant::now();
        let (site, renderer, warnings) = load_checked(root, drafts, base_url)?;
        let (rendered, search) = rayon::join(
            || site.render_all(&renderer),
            || LiveSearch::create(&site.search_input()),
        );
        let (pages, problems) = rendered?;
        if problems.has_errors() {
            return Err(SiteError::Content(problems));
        }
        let (search, search_files) = search?;
        let static_files = renderer
            .theme()
            .static_files
            .iter()
            .map(|(path, (bytes, _))| OutputFile {
                path: path.clone(),
                contents: bytes.clone(),
                case: None,
            });
        let search_files = search_files.into_iter().map(|(path, contents)| OutputFile {
            path,
            contents,
            case: None,
        });
        let files: Vec<OutputFile> = static_files.chain(pages).chain(search_files).collect();
        let live = LiveSite {
            root: root.to_path_buf(),
            drafts,
            base_url: base_url.to_string(),
            site,
            renderer,
            search,
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
                sources: Vec::new(),
                warnings,
                elapsed: started.elapsed(),
            },
        ))
    }

    /// Applies changed paths (files or folders under the knowledge base): the pages readers
    /// see first; call [`LiveSite::complete`] next. On error the site stays as it was.
    pub fn apply(&mut self, changed: &[PathBuf]) -> Result<Update, SiteError> {
        let started = Instant::now();
        let layout = content::Layout::new(&self.root);
        let cases = &self.site.kb.cases;
        let mut edits = Vec::new();
        let mut full = false;
        let mut sources = Vec::new();
        for path in changed {
            let shown = |p: &Path| {
                let p = content::display_path(p);
                cases.iter().any(|c| c.path == p)
            };
            let shows_under = |folder: &Path| {
                let folder = content::display_path(folder);
                cases.iter().any(|c| c.path.starts_with(&folder))
            };
            let kind = classify(&layout, path, shown, shows_under);
            if kind != ChangeKind::Ignored {
                sources.push(path.clone());
            }
            match kind {
                ChangeKind::Ignored => {}
                ChangeKind::CaseEdited(path) => match self.edit_in_place(&path)? {
                    Some(edit) => edits.push(edit),
                    None => full = true,
                },
                ChangeKind::CasesAddedOrRemoved
                | ChangeKind::Settings
                | ChangeKind::Vocabulary
                | ChangeKind::ThemeTemplate
                | ChangeKind::ThemeStatic
                | ChangeKind::FolderReplaced => full = true,
            }
        }
        if full {
            let mut update = self.rebuild(started)?;
            update.sources = sources;
            return Ok(update);
        }
        let mut changes = Changes::default();
        let mut warnings = Diagnostics::default();
        for (number, case) in edits {
            warnings.extend(self.update_case(number, case, &mut changes)?);
        }
        Ok(Update {
            changes,
            full: false,
            sources,
            warnings,
            elapsed: started.elapsed(),
        })
    }

    /// Refreshes what the last [`LiveSite::apply`] left: feed, sitemap, open data, search.
    pub fn complete(&mut self) -> Result<Changes, SiteError> {
        let pending = std::mem::take(&mut self.pending);
        let mut changes = Changes::default();
        if pending.is_empty() {
            return Ok(changes);
        }
        let view = self.site.view();
        changes.files = self.renderer.render_jobs(
            &view,
            &[Job::Feed, Job::Sitemap, Job::Json, Job::Csv]
                .into_iter()
                .chain(CitationFormat::ALL.map(Job::Citations))
                .collect::<Vec<_>>(),
        )?;
        let relations_changed = pending.iter().any(|p| p.relations_changed);
        let changed = pending
            .into_iter()
            .map(|p| {
                let old = IndexedCase {
                    case: &p.old_case,
                    body_text: &p.old_body_text,
                    url: "",
                };
                ChangedCase {
                    number: p.number,
                    old_terms: old.terms(),
                }
            })
            .collect();
        let export = self
            .search
            .update(&self.site.search_input(), changed, relations_changed)?;
        changes.removed.extend(export.removed);
        changes
            .files
            .extend(export.files.into_iter().map(|(path, contents)| OutputFile {
                path,
                contents,
                case: None,
            }));
        Ok(changes)
    }

    /// The new version of the shown case in the file at `path`, to update in place, or `None`
    /// when the change needs a full rebuild (its address, aliases or draft state changed).
    /// Errors in the file are returned.
    fn edit_in_place(&self, path: &Path) -> Result<Option<(usize, Case)>, SiteError> {
        let display = content::display_path(path);
        let (case, _) = content::read_case(&display, &self.site.kb.vocabulary)
            .map_err(|problems| SiteError::Content(problems.into_iter().collect()))?;
        let Some(number) = self.site.kb.cases.iter().position(|c| c.path == display) else {
            return Ok(None);
        };
        let old = &self.site.kb.cases[number];
        let same_place =
            old.slug == case.slug && old.aliases == case.aliases && (!case.draft || self.drafts);
        Ok(same_place.then_some((number, case)))
    }

    /// Rebuilds everything; the old site stays until the new one is complete (and stays if
    /// the content is broken).
    fn rebuild(&mut self, started: Instant) -> Result<Update, SiteError> {
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
    ) -> Result<Vec<Diagnostic>, SiteError> {
        let old_body_text = self.site.bodies[number].text.clone();
        let old_case = std::mem::replace(&mut self.site.kb.cases[number], case);
        let warnings = self.site.rerender_body(number);
        let cases = &self.site.kb.cases;
        let new_case = &cases[number];
        // Facets, dates and titles (which break ties of dates) decide where cases are listed
        // and how search sorts them; the library changes only when the facets or the order do.
        let relations_changed = old_case.facets != new_case.facets
            || old_case.recency() != new_case.recency()
            || old_case.title != new_case.title;
        let library_changed = old_case.facets != new_case.facets
            || (relations_changed && !self.site.library.keeps_order(cases, number));
        let old_library = library_changed.then(|| {
            let library = self.site.library.after_change(cases, number);
            std::mem::replace(&mut self.site.library, library)
        });
        // Combinations name values by index, so they are made again with the library.
        let old_combinations = old_library.as_ref().map(|old| {
            let combinations =
                Combinations::new(&self.site.library, &self.site.kb.config.combinations);
            let old_files = self.combination_files(old, &self.site.combinations);
            self.site.combinations = combinations;
            old_files
        });
        let (jobs, stale) = self.affected(number, old_library.as_ref(), old_combinations);
        let view = self.site.view();
        changes
            .files
            .extend(self.renderer.render_jobs(&view, &jobs)?);
        changes.removed.extend(stale);
        self.pending.push(Pending {
            number,
            old_case,
            old_body_text,
            relations_changed,
        });
        Ok(warnings)
    }

    /// The pages to render again after case `number` changed, and the files that no longer
    /// exist. `old` is the library before the change when relations between cases changed,
    /// and `old_combination_files` the theme × country files it made.
    fn affected(
        &self,
        number: usize,
        old: Option<&Library>,
        old_combination_files: Option<BTreeSet<(String, usize)>>,
    ) -> (Vec<Job>, Vec<String>) {
        let library = &self.site.library;
        let per_page = self.renderer.per_page();
        let case_count = self.site.kb.cases.len();
        let mut jobs = vec![Job::Home];
        jobs.extend(case_files(number, &self.site.kb.cases[number]));
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
                let list = urls::facet_value(facet, slug);
                let page_file = |page| urls::file_of(&urls::list_page(&list, page));
                let Some(value) = library.find(facet, slug) else {
                    stale.extend((1..=urls::page_count(before.len(), per_page)).map(page_file));
                    continue;
                };
                let after = &library.value(facet, value).cases;
                let pages: Vec<usize> = if before.len() == after.len() {
                    changed_pages(before, after, number, per_page).collect()
                } else {
                    // Every page of a value shows its count.
                    (1..=urls::page_count(after.len(), per_page)).collect()
                };
                // Page 1 draws the pictures of every case of the value.
                jobs.extend(std::iter::once(1).chain(pages).map(|page| Job::FacetValue {
                    facet,
                    value,
                    page,
                }));
                let (old_pages, new_pages) = (
                    urls::page_count(before.len(), per_page),
                    urls::page_count(after.len(), per_page),
                );
                stale.extend((new_pages + 1..=old_pages).map(page_file));
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
        self.add_combinations(number, old_combination_files, &mut jobs, &mut stale);
        let mut seen = HashSet::new();
        jobs.retain(|job| seen.insert(job.clone()));
        (jobs, stale)
    }

    /// The theme × country pages to render again after case `number` changed. `old_files`:
    /// the combination files before the change, when the library (and so the combinations)
    /// changed; then the pages that are gone are `stale`.
    fn add_combinations(
        &self,
        number: usize,
        old_files: Option<BTreeSet<(String, usize)>>,
        jobs: &mut Vec<Job>,
        stale: &mut Vec<String>,
    ) {
        let per_page = self.renderer.per_page();
        let library = &self.site.library;
        let combinations = &self.site.combinations;
        let pages_of = |combination: usize| {
            let count = combinations.all()[combination].cases.len();
            (1..=urls::page_count(count, per_page))
                .map(move |page| Job::Combination { combination, page })
        };
        let new_files = self.combination_files(library, combinations);
        match old_files {
            Some(old_files) if old_files != new_files => {
                // Which pages exist changed: every list of them, on themes and countries too.
                jobs.extend((0..combinations.all().len()).flat_map(pages_of));
                for facet in [Facet::Theme, Facet::Country] {
                    jobs.extend(
                        (0..library.values(facet).len()).map(|value| Job::FacetValue {
                            facet,
                            value,
                            page: 1,
                        }),
                    );
                }
                let kept: HashSet<&String> = new_files.iter().map(|(file, _)| file).collect();
                stale.extend(
                    old_files
                        .into_iter()
                        .map(|(file, _)| file)
                        .filter(|file| !kept.contains(file)),
                );
            }
            _ => jobs.extend(
                combinations
                    .holding(library, number)
                    .into_iter()
                    .flat_map(pages_of),
            ),
        }
    }

    /// The files of every combination's pages, each with its list's count (which it shows).
    fn combination_files(
        &self,
        library: &Library,
        combinations: &Combinations,
    ) -> BTreeSet<(String, usize)> {
        let per_page = self.renderer.per_page();
        combinations
            .all()
            .iter()
            .flat_map(|c| {
                let theme = &library.value(Facet::Theme, c.theme).slug;
                let country = &library.value(Facet::Country, c.country).slug;
                let list = urls::combination(theme, country);
                let count = c.cases.len();
                (1..=urls::page_count(count, per_page))
                    .map(move |page| (urls::file_of(&urls::list_page(&list, page)), count))
            })
            .collect()
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
    let pages = urls::page_count(after.len(), per_page);
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
) -> Result<(Site, Renderer, Diagnostics), SiteError> {
    let (site, diagnostics) = Site::load(root, drafts, Some(base_url), Sources::Keep)?;
    if diagnostics.has_errors() {
        return Err(SiteError::Content(diagnostics));
    }
    let renderer = site.renderer()?;
    Ok((site, renderer, diagnostics))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fs;

    use super::*;

    fn case(title: &str, region: &str, year: i32) -> String {
        format!(
            "---\ntitle: {title}\ntheme: [co-production, health]\nregion: {region}\n\
             organisation: Food Train\napproach: volunteering\nyear: {year}\n---\nMeals.\n"
        )
    }

    /// The pages and the sitemap of a site, by path.
    fn pages(files: &[OutputFile]) -> BTreeMap<String, Vec<u8>> {
        files
            .iter()
            .filter(|f| f.path.ends_with(".html") || f.path == urls::SITEMAP)
            .map(|f| (f.path.clone(), f.contents.clone()))
            .collect()
    }

    /// After each edit in place, the preview serves the pages a full build makes: the
    /// pictures on the lists' first pages, and the theme × country pages made and removed.
    #[test]
    fn edits_in_place_leave_the_pages_a_full_build_makes() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path();
        fs::create_dir_all(root.join("content/cases")).expect("content/cases");
        // One case a page: the pictures of page 1 show cases listed on other pages.
        fs::write(root.join("content/_site.yaml"), "per_page: 1\n").expect("settings");
        let write = |name: &str, text: String| {
            fs::write(root.join("content/cases").join(name), text).expect("a case file");
        };
        for (name, region, year) in [
            ("a.md", "Scotland", 2010),
            ("b.md", "Scotland", 2012),
            ("c.md", "Brazil", 2014),
            ("d.md", "Brazil", 2016),
        ] {
            write(name, case(name, region, year));
        }
        let base = "http://127.0.0.1:1/";
        let (mut live, first) = LiveSite::build(root, false, base).expect("the site");
        let mut served = pages(&first.changes.files);
        assert!(served.contains_key("themes/co-production/brazil/index.html"));
        // Brazil's pair goes (one case left), the case moves in the lists, Brazil's pair comes
        // back, and last the year changes but not the order (the case is not on page 1).
        for (region, year) in [
            ("Wales", 2014),
            ("Wales", 1999),
            ("Brazil", 2014),
            ("Brazil", 2015),
        ] {
            write("c.md", case("c.md", region, year));
            let update = live
                .apply(&[root.join("content/cases/c.md")])
                .expect("the edit");
            assert!(!update.full, "{region} {year}: an edit in place");
            let rest = live.complete().expect("the rest");
            for changes in [update.changes, rest] {
                for file in changes.removed {
                    served.remove(&file);
                }
                served.extend(pages(&changes.files));
            }
            let (_, fresh) = LiveSite::build(root, false, base).expect("a full build");
            let full = pages(&fresh.changes.files);
            let differ: Vec<&String> = full
                .keys()
                .chain(served.keys())
                .filter(|path| full.get(*path) != served.get(*path))
                .collect();
            assert!(differ.is_empty(), "{region} {year}: differ: {differ:?}");
        }
    }
}
