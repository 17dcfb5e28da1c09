//! One function per kind of page, each building its template context.

use rayon::prelude::*;
use tera::Context;

use super::cite::{self, Citation, CitationFormat};
use super::cms;
use super::context::*;
use super::data;
use super::grouping;
use super::jobs::Job;
use super::pictures;
use super::urls;
use super::{OutputFile, RenderError, Renderer, SiteView};
use crate::content::Facet;

/// How many values of each facet the home and search pages list.
const BROWSE_VALUES: usize = 12;
/// How many recent cases the home page lists.
const RECENT_CASES: usize = 10;
/// How many characters of a summary lists show.
const CARD_SUMMARY: usize = 240;

/// The shared inputs of every page of one build.
pub struct Pages<'a> {
    pub(super) renderer: &'a Renderer,
    pub(super) view: &'a SiteView<'a>,
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

    /// Produces one file.
    pub fn render(&self, job: &Job) -> Result<OutputFile, RenderError> {
        match *job {
            Job::Home => self.home(),
            Job::AllCases { page } => self.all_cases(page),
            Job::Case(case) => self.case(case),
            Job::FacetIndex(facet) => self.facet_index(facet),
            Job::FacetValue { facet, value, page } => self.facet_value(facet, value, page),
            Job::Combination { combination, page } => self.combination(combination, page),
            Job::Search => self.search(),
            Job::NotFound => self.not_found(),
            Job::Feed => self.feed(),
            Job::Sitemap => self.sitemap(),
            Job::Alias { case, alias } => self.alias(case, alias),
            Job::Json => Ok(file(
                urls::CASES_JSON,
                data::cases_json(self.view, self.renderer.base()),
                None,
            )),
            Job::Record(case) => Ok(file(
                &urls::case_record(&self.view.cases[case].slug),
                data::case_json(self.view, case, self.renderer.base()),
                Some(case),
            )),
            Job::AliasRecord { case, alias } => {
                let url = &self.view.cases[case].aliases[alias];
                // Only aliases naming a case page's address are made a job of.
                let slug = urls::slug_of_case_page(url).unwrap_or(&self.view.cases[case].slug);
                Ok(file(
                    &urls::case_record(slug),
                    data::case_json(self.view, case, self.renderer.base()),
                    Some(case),
                ))
            }
            Job::Shortlist => self.reader_page("shortlist", urls::SHORTLIST, "Your shortlist"),
            Job::Compare => self.reader_page("compare", urls::COMPARE, "Compare cases"),
            Job::Csv => Ok(file(
                urls::CASES_CSV,
                data::cases_csv(self.view, self.renderer.base()),
                None,
            )),
            Job::CmsPage | Job::CmsConfig => self.cms(job),
            Job::WorldSheet => Ok(file(
                urls::WORLD_SHEET,
                pictures::world_sheet().into_bytes(),
                None,
            )),
            Job::Citation { case, format } => Ok(file(
                &urls::case_citation(&self.view.cases[case].slug, format.extension()),
                cite::file(format, &[self.citation(case)]).into_bytes(),
                Some(case),
            )),
            Job::Citations(format) => {
                let all: Vec<Citation> = (0..self.view.cases.len())
                    .map(|case| self.citation(case))
                    .collect();
                Ok(file(
                    &urls::collection_citation(format.extension()),
                    cite::file(format, &all).into_bytes(),
                    None,
                ))
            }
        }
    }

    /// What a citation of case `index` says.
    fn citation(&self, index: usize) -> Citation<'_> {
        let case = &self.view.cases[index];
        Citation {
            key: &case.slug,
            title: &case.title,
            author: &self.renderer.author,
            site: &self.renderer.site.title,
            url: self.renderer.base.absolute_to(&urls::case(&case.slug)),
            updated: case.updated,
            organisations: case.values(Facet::Organisation),
        }
    }

    /// A file of the editing form (a job only when the site has one).
    fn cms(&self, job: &Job) -> Result<OutputFile, RenderError> {
        let renderer = self.renderer;
        let Some(settings) = &renderer.cms else {
            return Err(RenderError::NoCms);
        };
        Ok(if *job == Job::CmsPage {
            let page = cms::admin_page(settings, &renderer.site.title, &renderer.site.language);
            file(cms::ADMIN_PAGE, page.into_bytes(), None)
        } else {
            let config = cms::config_yml(
                settings,
                &renderer.theme_name,
                self.view.vocabulary,
                self.view.case_folders,
            );
            file(cms::ADMIN_CONFIG, config.into_bytes(), None)
        })
    }

    pub(super) fn context(
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
        let path = urls::file_of(relative_url);
        let contents = self.renderer.render_template(template, &path, context)?;
        Ok(file(&path, contents, case))
    }

    fn home(&self) -> Result<OutputFile, RenderError> {
        let site = &self.renderer.site;
        let mut context = self.context(&site.title, &site.description, urls::HOME, "home");
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
        context.insert("map", &pictures::full_map(self.places(None)));
        let all = 0..self.view.cases.len();
        context.insert("years", &pictures::year_chart(self.view.cases, all));
        let theme_url = |value: usize| {
            let slug = &self.view.library.value(Facet::Theme, value).slug;
            self.renderer
                .base
                .path_to(&urls::facet_value(Facet::Theme, slug))
        };
        context.insert(
            "themes_chart",
            &pictures::theme_chart(self.view.library, theme_url),
        );
        self.page("index.html", urls::HOME, &context, None)
    }

    fn search(&self) -> Result<OutputFile, RenderError> {
        let mut context = self.context(
            "Search",
            &format!("Search the case studies of {}", self.renderer.site.title),
            urls::SEARCH,
            "search",
        );
        context.insert("browse", &self.browse());
        let modules: Vec<&str> = crate::index::runtime_modules().collect();
        context.insert("search_modules", &modules);
        self.page("search.html", urls::SEARCH, &context, None)
    }

    /// A page the reader's browser fills in (the shortlist, the comparison), rendered from
    /// the template named as its kind.
    fn reader_page(
        &self,
        kind: &'static str,
        relative_url: &str,
        title: &str,
    ) -> Result<OutputFile, RenderError> {
        let context = self.context(title, "", relative_url, kind);
        self.page(&format!("{kind}.html"), relative_url, &context, None)
    }

    fn not_found(&self) -> Result<OutputFile, RenderError> {
        let context = self.context("Page not found", "", urls::NOT_FOUND, "404");
        self.page("404.html", urls::NOT_FOUND, &context, None)
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
        let (slice, pagination) = self.paginate(order, urls::ALL_CASES, page);
        let title = if page > 1 {
            format!("All cases (page {page})")
        } else {
            "All cases".to_string()
        };
        let mut context = self.context(
            &title,
            &format!("Every case study in {}", self.renderer.site.title),
            &urls::list_page(urls::ALL_CASES, page),
            "cases",
        );
        context.insert(
            "cases",
            &slice.iter().map(|&c| self.card(c)).collect::<Vec<_>>(),
        );
        context.insert("pagination", &pagination);
        context.insert(
            "search_these",
            &self.renderer.base.path_to(&urls::search_all()),
        );
        self.page(
            "cases.html",
            &urls::list_page(urls::ALL_CASES, page),
            &context,
            None,
        )
    }

    fn case(&self, index: usize) -> Result<OutputFile, RenderError> {
        let case = &self.view.cases[index];
        let relative = urls::case(&case.slug);
        let summary = self.view.bodies[index].summary.clone();
        let mut context = self.context(&case.title, &summary, &relative, "case");
        context.insert(
            "case",
            &CaseContext {
                slug: case.slug.clone(),
                title: case.title.clone(),
                url: self.renderer.base.path_to(&relative),
                summary,
                year: case.year,
                date: case.date.map(|d| d.to_string()),
                country: Some(case.values(Facet::Country).join(", ")).filter(|c| !c.is_empty()),
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
                headings: GeneratedHeadings::beside(&self.view.bodies[index].headings),
            },
        );
        let (html, text) = self.citation(index).apa();
        let downloads: Vec<DownloadContext> = CitationFormat::ALL
            .iter()
            .map(|format| DownloadContext {
                name: format.name(),
                url: self
                    .renderer
                    .base
                    .path_to(&urls::case_citation(&case.slug, format.extension())),
            })
            .collect();
        context.insert(
            "cite",
            &CitationContext {
                html,
                text,
                downloads,
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
                compare_url: self
                    .renderer
                    .base
                    .path_to(&urls::compare(&[&case.slug, &self.view.cases[r.case].slug])),
            })
            .collect();
        context.insert("related", &related);
        self.page("case.html", &relative, &context, Some(index))
    }

    fn facet_index(&self, facet: Facet) -> Result<OutputFile, RenderError> {
        let relative = urls::facet_index(facet);
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
        context.insert("count", &values.len());
        let (groups, many) = grouping::group(facet, self.view.library, values);
        context.insert("groups", &groups);
        context.insert("many", &many);
        if facet == Facet::Country {
            context.insert("map", &pictures::full_map(self.places(None)));
        }
        self.page("facet_index.html", &relative, &context, None)
    }

    fn facet_value(
        &self,
        facet: Facet,
        value: usize,
        page: usize,
    ) -> Result<OutputFile, RenderError> {
        let entry = self.view.library.value(facet, value);
        let base = urls::facet_value(facet, &entry.slug);
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
        let relative = urls::list_page(&base, page);
        let mut context = self.context(&title, &description, &relative, "facet_value");
        context.insert("facet", &self.renderer.nav[facet.index()]);
        context.insert("value", &value_context);
        context.insert(
            "search_these",
            &self
                .renderer
                .base
                .path_to(&urls::search_filtered(&[(facet, &entry.slug)])),
        );
        context.insert(
            "cases",
            &slice.iter().map(|&c| self.card(c)).collect::<Vec<_>>(),
        );
        context.insert("pagination", &pagination);
        // Pictures and links onward sit on the first page only. A theme's countries lead to
        // its theme × country pages from the list under its map.
        let combinations = (page == 1 && facet != Facet::Theme)
            .then(|| self.combination_list(facet, value))
            .flatten();
        context.insert("combinations", &combinations);
        if page == 1 {
            let sheet = self.renderer.base.path_to(urls::WORLD_SHEET);
            let places = self.places(Some((facet, value)));
            let (heading, own_pages) = match facet {
                Facet::Theme => {
                    let own = self.renderer.base.path_to(&base);
                    (format!("{} by country", entry.name), Some(own))
                }
                _ => ("Where these cases come from".to_string(), None),
            };
            // Every country with a page of its own is named under the map.
            let keep = |row: &ValueCount| {
                own_pages
                    .as_ref()
                    .is_some_and(|own| row.url.starts_with(own))
            };
            let map = pictures::light_map(places, sheet, heading, keep);
            context.insert("map", &map);
            let years = pictures::year_chart(self.view.cases, entry.cases.iter().copied());
            context.insert("years", &years);
        }
        self.page("facet_value.html", &relative, &context, None)
    }

    /// A page of the cases of one theme in one country.
    fn combination(&self, index: usize, page: usize) -> Result<OutputFile, RenderError> {
        let library = self.view.library;
        let combination = &self.view.combinations.all()[index];
        let theme = library.value(Facet::Theme, combination.theme);
        let country = library.value(Facet::Country, combination.country);
        let base = urls::combination(&theme.slug, &country.slug);
        let (slice, pagination) = self.paginate(&combination.cases, &base, page);
        let mut title = format!("{} in {}", theme.name, country.name);
        if page > 1 {
            title.push_str(&format!(" (page {page})"));
        }
        let description = format!("Case studies of {} in {}", theme.name, country.name);
        let relative = urls::list_page(&base, page);
        let mut context = self.context(&title, &description, &relative, "combination");
        context.insert("theme_facet", &self.renderer.nav[Facet::Theme.index()]);
        context.insert("theme", &self.value_count(Facet::Theme, combination.theme));
        context.insert(
            "country",
            &self.value_count(Facet::Country, combination.country),
        );
        context.insert("count", &combination.cases.len());
        let filters = [
            (Facet::Theme, &*theme.slug),
            (Facet::Country, &*country.slug),
        ];
        context.insert(
            "search_these",
            &self.renderer.base.path_to(&urls::search_filtered(&filters)),
        );
        context.insert(
            "cases",
            &slice.iter().map(|&c| self.card(c)).collect::<Vec<_>>(),
        );
        context.insert("pagination", &pagination);
        let others = (page == 1).then(|| self.combination_list(Facet::Theme, combination.theme));
        context.insert("combinations", &others.flatten());
        self.page("combination.html", &relative, &context, None)
    }

    /// Links to the combination pages of a theme (by country) or of a country (by theme);
    /// `None` for other facets and when there are none.
    fn combination_list(&self, facet: Facet, value: usize) -> Option<CombinationList> {
        let library = self.view.library;
        let combinations = self.view.combinations;
        let list = match facet {
            Facet::Theme => combinations.of_theme(value),
            Facet::Country => combinations.of_country(value),
            _ => return None,
        };
        if list.is_empty() {
            return None;
        }
        let by = if facet == Facet::Theme {
            "country"
        } else {
            "theme"
        };
        let links = list
            .into_iter()
            .map(|c| {
                let theme = library.value(Facet::Theme, c.theme);
                let country = library.value(Facet::Country, c.country);
                ValueCount {
                    name: if facet == Facet::Theme {
                        country.name.clone()
                    } else {
                        theme.name.clone()
                    },
                    url: self
                        .renderer
                        .base
                        .path_to(&urls::combination(&theme.slug, &country.slug)),
                    count: c.cases.len(),
                    description: None,
                }
            })
            .collect();
        Some(CombinationList {
            heading: format!("{} by {by}", library.value(facet, value).name),
            links,
        })
    }

    fn alias(&self, case: usize, alias: usize) -> Result<OutputFile, RenderError> {
        let target = urls::case(&self.view.cases[case].slug);
        let alias = &self.view.cases[case].aliases[alias];
        let mut context = self.context(&self.view.cases[case].title, "", &target, "alias");
        context.insert("target_url", &self.renderer.base.path_to(&target));
        context.insert("target_absolute", &self.renderer.base.absolute_to(&target));
        let path = urls::file_of(alias);
        let contents = self
            .renderer
            .render_template("alias.html", &path, &context)?;
        Ok(file(&path, contents, Some(case)))
    }

    fn card(&self, index: usize) -> Card {
        let case = &self.view.cases[index];
        Card {
            title: case.title.clone(),
            url: self.renderer.base.path_to(&urls::case(&case.slug)),
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
            url: self
                .renderer
                .base
                .path_to(&urls::facet_value(facet, &entry.slug)),
            count: entry.cases.len(),
            description: self
                .view
                .vocabulary
                .description(facet, &entry.name)
                .map(str::to_string),
        }
    }

    /// Where cases come from, for a map: every case's, or (`within`) those of one facet
    /// value's page. On the whole collection's map a place leads to its own page; on a value's,
    /// to exactly the value's cases there: the theme × country page when there is one, the
    /// case itself when it is the only one, else the search page with both filters set.
    fn places(&self, within: Option<(Facet, usize)>) -> pictures::Places {
        let library = self.view.library;
        // Per country and per region: how many of the cases, and the first of them.
        let mut countries = vec![(0, 0); library.values(Facet::Country).len()];
        let mut regions = vec![(0, 0); library.values(Facet::Region).len()];
        let mut nowhere = 0;
        let all: Vec<usize>;
        let cases = match within {
            Some((facet, value)) => &library.value(facet, value).cases[..],
            None => {
                all = (0..self.view.cases.len()).collect();
                &all
            }
        };
        let count = |place: &mut (usize, usize), case: usize| {
            if place.0 == 0 {
                place.1 = case;
            }
            place.0 += 1;
        };
        for &case in cases {
            let (in_countries, in_regions) = (
                library.values_of(case, Facet::Country),
                library.values_of(case, Facet::Region),
            );
            for &value in in_countries {
                count(&mut countries[value], case);
            }
            if in_countries.is_empty() {
                for &value in in_regions {
                    count(&mut regions[value], case);
                }
                nowhere += usize::from(in_regions.is_empty());
            }
        }
        let url_of = |facet: Facet, value: usize, (cases, first): (usize, usize)| {
            let slug = &library.value(facet, value).slug;
            let relative = match within {
                None => urls::facet_value(facet, slug),
                Some(page) if page == (facet, value) => urls::facet_value(facet, slug),
                Some((Facet::Theme, theme))
                    if facet == Facet::Country
                        && self.view.combinations.find(theme, value).is_some() =>
                {
                    urls::combination(&library.value(Facet::Theme, theme).slug, slug)
                }
                Some(_) if cases == 1 => urls::case(&self.view.cases[first].slug),
                Some((page_facet, page_value)) => urls::search_filtered(&[
                    (page_facet, &library.value(page_facet, page_value).slug),
                    (facet, slug),
                ]),
            };
            self.renderer.base.path_to(&relative)
        };
        let links = |facet: Facet, counts: Vec<(usize, usize)>| -> Vec<ValueCount> {
            (library.values(facet).iter().enumerate())
                .zip(counts)
                .filter(|&(_, (count, _))| count > 0)
                .map(|((index, value), place)| ValueCount {
                    name: value.name.clone(),
                    url: url_of(facet, index, place),
                    count: place.0,
                    description: None,
                })
                .collect()
        };
        pictures::Places {
            countries: links(Facet::Country, countries),
            regions: links(Facet::Region, regions),
            nowhere,
        }
    }

    /// "same approach: participatory budgeting · also in North West England". A region that
    /// is a shared country's name is said once, as the country ("also from Portugal").
    fn reason(&self, shared: &[(Facet, usize)]) -> String {
        let library = &self.view.library;
        let countries: Vec<String> = (shared.iter())
            .filter(|(facet, _)| *facet == Facet::Country)
            .map(|&(facet, value)| library.value(facet, value).name.to_lowercase())
            .collect();
        shared
            .iter()
            .filter(|&&(facet, value)| {
                facet != Facet::Region
                    || !countries.contains(&library.value(facet, value).name.to_lowercase())
            })
            .map(|&(facet, value)| {
                let name = &library.value(facet, value).name;
                match facet {
                    Facet::Approach => format!("same approach: {name}"),
                    Facet::Theme => format!("also about {name}"),
                    Facet::Organisation => format!("also by {name}"),
                    Facet::Region => format!("also in {name}"),
                    Facet::Country => format!("also from {name}"),
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
        let total_pages = urls::page_count(items.len(), per_page);
        let start = ((page - 1) * per_page).min(items.len());
        let end = (start + per_page).min(items.len());
        let link = |n: usize| self.renderer.base.path_to(&urls::list_page(base, n));
        let near = |n: usize| n == 1 || n == total_pages || n.abs_diff(page) <= 2;
        // A gap of one page shows that page: its number takes no more room than an ellipsis.
        let shown = (1..=total_pages).filter(|&n| near(n) || (near(n - 1) && near(n + 1)));
        let mut previous = 0;
        let pagination = Pagination {
            current: page,
            total_pages,
            total_items: items.len(),
            prev_url: (page > 1).then(|| link(page - 1)),
            next_url: (page < total_pages).then(|| link(page + 1)),
            pages: shown
                .map(|number| {
                    let gap_before = previous > 0 && number > previous + 1;
                    previous = number;
                    PageLink {
                        number,
                        url: link(number),
                        current: number == page,
                        gap_before,
                    }
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
        url: renderer
            .base
            .path_to(&urls::facet_value(facet, &entry.slug)),
    }
}

pub(super) fn file(path: &str, contents: Vec<u8>, case: Option<usize>) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        contents,
        case,
    }
}
