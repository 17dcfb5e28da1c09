//! The files of a site, as jobs: one [`Job`] per file to render, so a build can render them
//! all in parallel and the live preview only those one change affects.

use super::cite::CitationFormat;
use super::urls::{self, page_count};
use super::SiteView;
use crate::content::{Case, Facet};

/// One file to produce.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Job {
    /// `index.html`.
    Home,
    /// A page of the list of every case.
    AllCases {
        /// 1-based.
        page: usize,
    },
    /// A case's page, by case number.
    Case(usize),
    /// A facet's index of values.
    FacetIndex(Facet),
    /// A page of one facet value's list of cases.
    FacetValue {
        /// The facet.
        facet: Facet,
        /// The value's index among the facet's values.
        value: usize,
        /// 1-based.
        page: usize,
    },
    /// A page of the list of one theme × country combination's cases.
    Combination {
        /// The combination's index in [`crate::content::Combinations::all`].
        combination: usize,
        /// 1-based.
        page: usize,
    },
    /// The search page.
    Search,
    /// `404.html`.
    NotFound,
    /// `feed.xml`.
    Feed,
    /// `sitemap.xml`.
    Sitemap,
    /// A redirect from one of a case's old addresses.
    Alias {
        /// The case number.
        case: usize,
        /// The index of the alias among the case's aliases.
        alias: usize,
    },
    /// A case's open-data record, `cases/<slug>/case.json`, by case number.
    Record(usize),
    /// The same record under an alias that is a case page's address (`cases/<old-slug>/`),
    /// so that a shortlist saved before the slug changed still finds the case.
    AliasRecord {
        /// The case number.
        case: usize,
        /// The index of the alias among the case's aliases.
        alias: usize,
    },
    /// `shortlist/index.html`, the reader's saved cases.
    Shortlist,
    /// `compare/index.html`, cases side by side.
    Compare,
    /// `cases.json`.
    Json,
    /// `cases.csv`.
    Csv,
    /// `map/world.svg`, the shapes the light maps refer to.
    WorldSheet,
    /// A case's citation in one format.
    Citation {
        /// The case number.
        case: usize,
        /// The format.
        format: CitationFormat,
    },
    /// Every case's citation in one format.
    Citations(CitationFormat),
    /// `admin/index.html`, the editing form, when `_site.yaml` enables it.
    CmsPage,
    /// `admin/config.yml`, its settings.
    CmsConfig,
}

/// Every file of the site, with lists of `per_page` cases a page; `cms`: with the editing
/// form.
pub fn every_job(view: &SiteView, per_page: usize, cms: bool) -> Vec<Job> {
    let mut jobs = vec![
        Job::Home,
        Job::Search,
        Job::Shortlist,
        Job::Compare,
        Job::NotFound,
        Job::Feed,
        Job::Sitemap,
        Job::Json,
        Job::Csv,
        Job::WorldSheet,
    ];
    if cms {
        jobs.extend([Job::CmsPage, Job::CmsConfig]);
    }
    jobs.extend(CitationFormat::ALL.map(Job::Citations));
    for (number, case) in view.cases.iter().enumerate() {
        jobs.extend(case_files(number, case));
    }
    jobs.extend((1..=page_count(view.cases.len(), per_page)).map(|page| Job::AllCases { page }));
    for facet in Facet::ALL {
        jobs.push(Job::FacetIndex(facet));
        for (value, entry) in view.library.values(facet).iter().enumerate() {
            jobs.extend(
                (1..=page_count(entry.cases.len(), per_page)).map(|page| Job::FacetValue {
                    facet,
                    value,
                    page,
                }),
            );
        }
    }
    for (combination, entry) in view.combinations.all().iter().enumerate() {
        jobs.extend(
            (1..=page_count(entry.cases.len(), per_page))
                .map(|page| Job::Combination { combination, page }),
        );
    }
    jobs
}

/// The files that belong to case `number` alone: its page, its record, its citations and
/// what its aliases make.
pub fn case_files(number: usize, case: &Case) -> impl Iterator<Item = Job> + '_ {
    let own = [Job::Case(number), Job::Record(number)].into_iter();
    let citations = CitationFormat::ALL.map(|format| Job::Citation {
        case: number,
        format,
    });
    let aliases = case
        .aliases
        .iter()
        .enumerate()
        .flat_map(move |(alias, url)| {
            let redirect = Job::Alias {
                case: number,
                alias,
            };
            let record = urls::slug_of_case_page(url).map(|_| Job::AliasRecord {
                case: number,
                alias,
            });
            std::iter::once(redirect).chain(record)
        });
    own.chain(citations).chain(aliases)
}
