//! One function per kind of page, each building its template context.

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use tera::Context;

use super::context::*;
use super::data;
use super::{OutputFile, RenderError, Renderer, SiteView};
use crate::content::{Case, Facet};

/// How many values of each facet the home and search pages list.
const BROWSE_VALUES: usize = 12;
/// How many recent cases the home page lists.
const RECENT_CASES: usize = 10;
/// How many characters of a summary lists show.
const CARD_SUMMARY: usize = 240;

/// One file to produce.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Job {
    Home,
    AllCases {
        page: usize,
    },
    Case(usize),
    FacetIndex(Facet),
    FacetValue {
        facet: Facet,
        value: usize,
        page: usize,
    },
    Search,
    NotFound,
    Feed,
    Sitemap,
    Alias {
        case: usize,
        alias: usize,
    },
    Json,
    Csv,
}

/// The shared inputs of every page of one build.
pub struct Pages<'a> {
    renderer: &'a Renderer,
    view: &'a SiteView<'a>,
    /// Per case, its facet values as links; computed up front when every page is rendered.
    case_facets: Option<Vec<Vec<CaseFacet>>>,
}

impl<'a> Pages<'a> {
    /// Prepares what many pages share (each case's facet links) for rendering every page.
    pub fn new(renderer: &'a Renderer, view: &'a SiteView<'a>) -> Pages<'a> {
        let case_facets = (0..view.cases.len())
            .into_par_iter()
            .map(|case| facet_links(renderer, view, case))
            .collect();
        Pages {
            renderer,
            view,
            case_facets: Some(case_facets),
        }
    }

    /// Prepares for rendering a few pages (nothing is computed up front).
    pub fn few(renderer: &'a Renderer, view: &'a SiteView<'a>) -> Pages<'a> {
        Pages {
            renderer,
            view,
            case_facets: None,
        }
    }

    fn facets_of(&self, case: usize) -> Vec<CaseFacet> {
        match &self.case_facets {
            Some(all) => all[case].clone(),
            None => facet_links(self.renderer, self.view, case),
        }
    }

    /// Every file of the site.
    pub fn jobs(&self) -> Vec<Job> {
        let per_page = self.renderer.per_page;
        let mut jobs = vec![
            Job::Home,
            Job::Search,
            Job::NotFound,
            Job::Feed,
            Job::Sitemap,
            Job::Json,
            Job::Csv,
        ];
        jobs.extend(
            (1..=page_count(self.view.cases.len(), per_page)).map(|page| Job::AllCases { page }),
        );
        jobs.extend((0..self.view.cases.len()).map(Job::Case));
        for facet in Facet::ALL {
            jobs.push(Job::FacetIndex(facet));
            for (value, entry) in self.view.library.values(facet).iter().enumerate() {
                jobs.extend(
                    (1..=page_count(entry.cases.len(), per_page)).map(|page| Job::FacetValue {
                        facet,
                        value,
                        page,
                    }),
                );
            }
        }
        for (case, c) in self.view.cases.iter().enumerate() {
            jobs.extend((0..c.aliases.len()).map(|alias| Job::Alias { case, alias }));
        }
        jobs
    }

    /// Produces one file.
    pub fn render(&self, job: &Job) -> Result<OutputFile, RenderError> {
        match *job {
            Job::Home => self.home(),
            Job::AllCases { page } => self.all_cases(page),
            Job::Case(case) => self.case(case),
            Job::FacetIndex(facet) => self.facet_index(facet),
            Job::FacetValue { facet, value, page } => self.facet_value(facet, value, page),
            Job::Search => self.search(),
            Job::NotFound => self.not_found(),
            Job::Feed => self.feed(),
            Job::Sitemap => self.sitemap(),
            Job::Alias { case, alias } => self.alias(case, alias),
            Job::Json => Ok(file(
                "cases.json",
                data::cases_json(self.view, self.renderer.base()),
                None,
            )),
            Job::Csv => Ok(file(
                "cases.csv",
                data::cases_csv(self.view, self.renderer.base()),
                None,
            )),
        }
    }

    fn context(
        &self,
        title: &str,
        description: &str,
        relative_url: &str,
        kind: &'static str,
    ) -> Context {
        let mut context = Context::new();
        context.insert("site", &self.renderer.site);
        context.insert("nav", &self.renderer.nav);
        context.insert(
            "page",
            &PageContext {
                title: title.to_string(),
                description: description.to_string(),
                url: self.renderer.base.absolute_to(relative_url),
                kind,
            },
        );
        context
    }

    fn page(
        &self,
        template: &str,
        relative_url: &str,
        context: &Context,
        case: Option<usize>,
    ) -> Result<OutputFile, RenderError> {
        let path = index_path(relative_url);
        let contents = self.renderer.render_template(template, &path, context)?;
        Ok(file(&path, contents, case))
    }

    fn home(&self) -> Result<OutputFile, RenderError> {
        let site = &self.renderer.site;
        let mut context = self.context(&site.title, &site.description, "", "home");
        context.insert("browse", &self.browse());
        let recent: Vec<Card> = self
            .view
            .library
            .recent()
            .iter()
            .take(RECENT_CASES)
            .map(|&c| self.card(c))
            .collect();
        context.insert("recent", &recent);
        self.page("index.html", "", &context, None)
    }

    fn search(&self) -> Result<OutputFile, RenderError> {
        let mut context = self.context(
            "Search",
            &format!("Search the case studies of {}", self.renderer.site.title),
            "search/",
            "search",
        );
        context.insert("browse", &self.browse());
        self.page("search.html", "search/", &context, None)
    }

    fn not_found(&self) -> Result<OutputFile, RenderError> {
        let context = self.context("Page not found", "", "404.html", "404");
        let contents = self
            .renderer
            .render_template("404.html", "404.html", &context)?;
        Ok(file("404.html", contents, None))
    }

    fn browse(&self) -> Vec<BrowseFacet> {
        Facet::ALL
            .iter()
            .map(|&facet| {
                let mut values: Vec<ValueCount> = (0..self.view.library.values(facet).len())
                    .map(|v| self.value_count(facet, v))
                    .collect();
                let total = values.len();
                values.sort_by(|a, b| {
                    b.count
                        .cmp(&a.count)
                        .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
                });
                values.truncate(BROWSE_VALUES);
                BrowseFacet {
                    facet: self.renderer.nav[facet.index()].clone(),
                    values,
                    total,
                }
            })
            .collect()
    }

    fn all_cases(&self, page: usize) -> Result<OutputFile, RenderError> {
        let order = self.view.library.recent();
        let (slice, pagination) = self.paginate(order, "cases/", page);
        let title = if page > 1 {
            format!("All cases (page {page})")
        } else {
            "All cases".to_string()
        };
        let mut context = self.context(
            &title,
            &format!("Every case study in {}", self.renderer.site.title),
            &pagination_url("cases/", page),
            "cases",
        );
        context.insert(
            "cases",
            &slice.iter().map(|&c| self.card(c)).collect::<Vec<_>>(),
        );
        context.insert("pagination", &pagination);
        self.page(
            "cases.html",
            &pagination_url("cases/", page),
            &context,
            None,
        )
    }

    fn case(&self, index: usize) -> Result<OutputFile, RenderError> {
        let case = &self.view.cases[index];
        let relative = case_url(case);
        let summary = self.view.bodies[index].summary.clone();
        let mut context = self.context(&case.title, &summary, &relative, "case");
        context.insert(
            "case",
            &CaseContext {
                title: case.title.clone(),
                url: self.renderer.base.path_to(&relative),
                summary,
                year: case.year,
                date: case.date.map(|d| d.to_string()),
                country: case.country.clone(),
                image: case.image.as_deref().map(|i| self.asset_url(i)),
                body_html: self.view.bodies[index].html.clone(),
                sources: case
                    .sources
                    .iter()
                    .map(|s| SourceContext {
                        title: s.title.clone(),
                        url: s.url.clone(),
                    })
                    .collect(),
                facets: self.facets_of(index),
            },
        );
        let related: Vec<RelatedCard> = self
            .view
            .library
            .related(index)
            .iter()
            .map(|r| RelatedCard {
                card: self.card(r.case),
                reason: self.reason(&r.shared),
            })
            .collect();
        context.insert("related", &related);
        self.page("case.html", &relative, &context, Some(index))
    }

    fn facet_index(&self, facet: Facet) -> Result<OutputFile, RenderError> {
        let relative = format!("{}/", facet.folder());
        let description = format!(
            "{} of the case studies, with the number of cases for each",
            facet.plural_label()
        );
        let mut context =
            self.context(facet.plural_label(), &description, &relative, "facet_index");
        context.insert("facet", &self.renderer.nav[facet.index()]);
        let values: Vec<ValueCount> = (0..self.view.library.values(facet).len())
            .map(|v| self.value_count(facet, v))
            .collect();
        context.insert("values", &values);
        self.page("facet_index.html", &relative, &context, None)
    }

    fn facet_value(
        &self,
        facet: Facet,
        value: usize,
        page: usize,
    ) -> Result<OutputFile, RenderError> {
        let entry = self.view.library.value(facet, value);
        let base = value_url(facet, &entry.slug);
        let (slice, pagination) = self.paginate(&entry.cases, &base, page);
        let value_context = self.value_count(facet, value);
        let mut title = format!("{}: {}", facet.label(), entry.name);
        if page > 1 {
            title.push_str(&format!(" (page {page})"));
        }
        let description = value_context
            .description
            .clone()
            .unwrap_or_else(|| format!("Case studies with {} {}", facet.key(), entry.name));
        let relative = pagination_url(&base, page);
        let mut context = self.context(&title, &description, &relative, "facet_value");
        context.insert("facet", &self.renderer.nav[facet.index()]);
        context.insert("value", &value_context);
        context.insert(
            "cases",
            &slice.iter().map(|&c| self.card(c)).collect::<Vec<_>>(),
        );
        context.insert("pagination", &pagination);
        self.page("facet_value.html", &relative, &context, None)
    }

    fn alias(&self, case: usize, alias: usize) -> Result<OutputFile, RenderError> {
        let target = case_url(&self.view.cases[case]);
        let alias = &self.view.cases[case].aliases[alias];
        let mut context = self.context(&self.view.cases[case].title, "", &target, "alias");
        context.insert("target_url", &self.renderer.base.path_to(&target));
        context.insert("target_absolute", &self.renderer.base.absolute_to(&target));
        let path = if alias.ends_with('/') {
            format!("{alias}index.html")
        } else {
            alias.clone()
        };
        let contents = self
            .renderer
            .render_template("alias.html", &path, &context)?;
        Ok(file(&path, contents, Some(case)))
    }

    fn feed(&self) -> Result<OutputFile, RenderError> {
        let base = &self.renderer.base;
        let entries: Vec<FeedEntry> = self
            .view
            .library
            .recent()
            .iter()
            .map(|&index| {
                let case = &self.view.cases[index];
                let url = base.absolute_to(&case_url(case));
                FeedEntry {
                    id: url.clone(),
                    title: case.title.clone(),
                    url,
                    updated: updated(case),
                    summary: self.view.bodies[index].summary.clone(),
                    categories: unique(case.facets.iter().flatten()),
                }
            })
            .collect();
        let latest = entries
            .iter()
            .map(|e| e.updated.clone())
            .max()
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        let mut context = self.context("Feed", "", "feed.xml", "feed");
        context.insert(
            "feed",
            &FeedContext {
                id: base.absolute.clone(),
                title: self.renderer.site.title.clone(),
                self_url: base.absolute_to("feed.xml"),
                site_url: base.absolute.clone(),
                updated: latest,
                author: self.renderer.author.clone(),
            },
        );
        context.insert("entries", &entries);
        let contents = self
            .renderer
            .render_template("feed.xml", "feed.xml", &context)?;
        Ok(file("feed.xml", contents, None))
    }

    fn sitemap(&self) -> Result<OutputFile, RenderError> {
        let base = &self.renderer.base;
        let entry = |relative: &str, lastmod: Option<String>| SitemapEntry {
            loc: base.absolute_to(relative),
            lastmod,
        };
        let mut entries = vec![
            entry("", None),
            entry("cases/", None),
            entry("search/", None),
        ];
        for case in self.view.cases {
            entries.push(entry(&case_url(case), case.date.map(|d| d.to_string())));
        }
        for facet in Facet::ALL {
            entries.push(entry(&format!("{}/", facet.folder()), None));
            for value in self.view.library.values(facet) {
                entries.push(entry(&value_url(facet, &value.slug), None));
            }
        }
        let mut context = self.context("Sitemap", "", "sitemap.xml", "sitemap");
        context.insert("entries", &entries);
        let contents = self
            .renderer
            .render_template("sitemap.xml", "sitemap.xml", &context)?;
        Ok(file("sitemap.xml", contents, None))
    }

    fn card(&self, index: usize) -> Card {
        let case = &self.view.cases[index];
        Card {
            title: case.title.clone(),
            url: self.renderer.base.path_to(&case_url(case)),
            summary: crate::markdown::truncate_words(
                &self.view.bodies[index].summary,
                CARD_SUMMARY,
            ),
            year: case.year.or(case.date.map(|d| chrono::Datelike::year(&d))),
            facets: self.facets_of(index),
        }
    }

    fn value_count(&self, facet: Facet, value: usize) -> ValueCount {
        let entry = self.view.library.value(facet, value);
        ValueCount {
            name: entry.name.clone(),
            url: self.renderer.base.path_to(&value_url(facet, &entry.slug)),
            count: entry.cases.len(),
            description: self
                .view
                .vocabulary
                .description(facet, &entry.name)
                .map(str::to_string),
        }
    }

    /// "same approach: participatory budgeting · also in North West England".
    fn reason(&self, shared: &[(Facet, usize)]) -> String {
        shared
            .iter()
            .map(|&(facet, value)| {
                let name = &self.view.library.value(facet, value).name;
                match facet {
                    Facet::Approach => format!("same approach: {name}"),
                    Facet::Theme => format!("also about {name}"),
                    Facet::Organisation => format!("also by {name}"),
                    Facet::Region => format!("also in {name}"),
                }
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    fn paginate<'s>(
        &self,
        items: &'s [usize],
        base: &str,
        page: usize,
    ) -> (&'s [usize], Pagination) {
        let per_page = self.renderer.per_page;
        let total_pages = page_count(items.len(), per_page);
        let start = ((page - 1) * per_page).min(items.len());
        let end = (start + per_page).min(items.len());
        let link = |n: usize| self.renderer.base.path_to(&pagination_url(base, n));
        let shown =
            (1..=total_pages).filter(|&n| n == 1 || n == total_pages || n.abs_diff(page) <= 2);
        let pagination = Pagination {
            current: page,
            total_pages,
            total_items: items.len(),
            prev_url: (page > 1).then(|| link(page - 1)),
            next_url: (page < total_pages).then(|| link(page + 1)),
            pages: shown
                .map(|number| PageLink {
                    number,
                    url: link(number),
                    current: number == page,
                })
                .collect(),
        };
        (&items[start..end], pagination)
    }

    /// A case's image: full URLs stay as they are, site paths get the base path.
    fn asset_url(&self, image: &str) -> String {
        if image.starts_with("https://") || image.starts_with("http://") {
            image.to_string()
        } else {
            self.renderer.base.path_to(image.trim_start_matches('/'))
        }
    }
}

/// One case's facet values as links, in [`Facet::ALL`] order.
fn facet_links(renderer: &Renderer, view: &SiteView, case: usize) -> Vec<CaseFacet> {
    Facet::ALL
        .iter()
        .map(|&facet| CaseFacet {
            facet: renderer.nav[facet.index()].clone(),
            values: view
                .library
                .values_of(case, facet)
                .iter()
                .map(|&v| renderer_value_link(renderer, view, facet, v))
                .collect(),
        })
        .collect()
}

fn renderer_value_link(
    renderer: &Renderer,
    view: &SiteView,
    facet: Facet,
    value: usize,
) -> ValueLink {
    let entry = view.library.value(facet, value);
    ValueLink {
        name: entry.name.clone(),
        url: renderer.base.path_to(&value_url(facet, &entry.slug)),
    }
}

/// `cases/<slug>/`.
pub fn case_url(case: &Case) -> String {
    format!("cases/{}/", case.slug)
}

/// `themes/<value-slug>/`.
pub fn value_url(facet: Facet, slug: &str) -> String {
    format!("{}/{}/", facet.folder(), slug)
}

/// The page (1-based) of a paginated list on which the item at `position` appears.
pub fn page_of(position: usize, per_page: usize) -> usize {
    position / per_page + 1
}

/// The number of pages a list of `items` takes.
pub fn pages_for(items: usize, per_page: usize) -> usize {
    page_count(items, per_page)
}

/// The output file of page `page` of the list at `base` (e.g. `themes/x/`).
pub fn list_page_path(base: &str, page: usize) -> String {
    index_path(&pagination_url(base, page))
}

/// Page `n` of a list at `base`: `base` itself for page 1, else `base/page/n/`.
fn pagination_url(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

/// The file behind a folder URL: `cases/x/` → `cases/x/index.html`.
fn index_path(relative_url: &str) -> String {
    format!("{relative_url}index.html")
}

fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

fn file(path: &str, contents: Vec<u8>, case: Option<usize>) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        contents,
        case,
    }
}

/// The values without repeats, in their first order (a value can be in two facets).
fn unique<'v>(values: impl Iterator<Item = &'v String>) -> Vec<String> {
    let mut seen = Vec::new();
    for value in values {
        if !seen.contains(value) {
            seen.push(value.clone());
        }
    }
    seen
}

/// When a case last changed, as RFC 3339: its date, else its year, else the file's time.
fn updated(case: &Case) -> String {
    if let Some(date) = case.date {
        return format!("{date}T00:00:00Z");
    }
    if let Some(year) = case.year {
        return format!("{year:04}-01-01T00:00:00Z");
    }
    let modified = case.modified.map(DateTime::<Utc>::from).unwrap_or_default();
    modified.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
