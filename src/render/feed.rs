//! The feed (`feed.xml`, Atom) and the sitemap (`sitemap.xml`): the site for programs.

use chrono::{DateTime, Utc};

use super::context::{FeedContext, FeedEntry, SitemapEntry};
use super::pages::{file, Pages};
use super::urls;
use super::{OutputFile, RenderError};
use crate::content::{Case, Facet};

impl Pages<'_> {
    pub(super) fn feed(&self) -> Result<OutputFile, RenderError> {
        let base = &self.renderer.base;
        let entries: Vec<FeedEntry> = self
            .view
            .library
            .recent()
            .iter()
            .map(|&index| {
                let case = &self.view.cases[index];
                let url = base.absolute_to(&urls::case(&case.slug));
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
        let mut context = self.context("Feed", "", urls::FEED, "feed");
        context.insert(
            "feed",
            &FeedContext {
                id: base.absolute.clone(),
                title: self.renderer.site.title.clone(),
                self_url: base.absolute_to(urls::FEED),
                site_url: base.absolute.clone(),
                updated: latest,
                author: self.renderer.author.clone(),
            },
        );
        context.insert("entries", &entries);
        let contents = self
            .renderer
            .render_template("feed.xml", urls::FEED, &context)?;
        Ok(file(urls::FEED, contents, None))
    }

    pub(super) fn sitemap(&self) -> Result<OutputFile, RenderError> {
        let base = &self.renderer.base;
        let entry = |relative: &str, lastmod: Option<String>| SitemapEntry {
            loc: base.absolute_to(relative),
            lastmod,
        };
        let mut entries = vec![
            entry(urls::HOME, None),
            entry(urls::ALL_CASES, None),
            entry(urls::SEARCH, None),
        ];
        for case in self.view.cases {
            entries.push(entry(
                &urls::case(&case.slug),
                case.date.map(|d| d.to_string()),
            ));
        }
        for facet in Facet::ALL {
            entries.push(entry(&urls::facet_index(facet), None));
            for value in self.view.library.values(facet) {
                entries.push(entry(&urls::facet_value(facet, &value.slug), None));
            }
        }
        let library = self.view.library;
        for combination in self.view.combinations.all() {
            let theme = &library.value(Facet::Theme, combination.theme).slug;
            let country = &library.value(Facet::Country, combination.country).slug;
            entries.push(entry(&urls::combination(theme, country), None));
        }
        let mut context = self.context("Sitemap", "", urls::SITEMAP, "sitemap");
        context.insert("entries", &entries);
        let contents = self
            .renderer
            .render_template("sitemap.xml", urls::SITEMAP, &context)?;
        Ok(file(urls::SITEMAP, contents, None))
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

/// When a case last changed, as RFC 3339: its `updated:` date, else its date, else its
/// year, else the file's time.
fn updated(case: &Case) -> String {
    if let Some(date) = case.updated.or(case.date) {
        return format!("{date}T00:00:00Z");
    }
    if let Some(year) = case.year {
        return format!("{year:04}-01-01T00:00:00Z");
    }
    let modified = case.modified.map(DateTime::<Utc>::from).unwrap_or_default();
    modified.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
