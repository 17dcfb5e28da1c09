//! The `Case` type: one case study, as its front matter describes it, and the keys that
//! front matter may hold. Reading a file into a `Case` is [`reader`]'s work.

mod reader;
mod values;

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use super::facet::{Facet, FACETS};

pub use reader::parse;

/// The body `casebook new` writes, for the editor to replace; a case that still holds its
/// first line is warned about.
pub const PLACEHOLDER_BODY: &str =
    "What was done, by whom, and why it matters. Write in Markdown: `## Headings`,\n\
lists, tables, and links to other cases by their file: `[Food Train](food-train.md)`.\n";

/// The years a case is counted by: older or later ones are surely mistakes (a warning says
/// so) and are left out of year filters and charts.
pub const YEARS: std::ops::RangeInclusive<i32> = 1000..=2100;

/// A front matter key a case may use. The one list of them: the reader accepts these and
/// no others, and open data has a column for each, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// `title:` the case's title (required).
    Title,
    /// `summary:` a sentence or two.
    Summary,
    /// `theme:` a facet.
    Theme,
    /// `region:` a facet.
    Region,
    /// `organisation:` a facet.
    Organisation,
    /// `approach:` a facet.
    Approach,
    /// `country:` a facet: where it happened.
    Country,
    /// `year:` when it happened.
    Year,
    /// `date:` when it happened, to the day.
    Date,
    /// `updated:` when the case's page was last brought up to date (for citations and the
    /// feed); not when the case happened.
    Updated,
    /// `reviewed:` when an editor last checked the case was still right (for the
    /// data-quality report).
    Reviewed,
    /// `sources:` where the facts come from.
    Sources,
    /// `slug:` the page address.
    Slug,
    /// `draft:` kept out of the site unless `--drafts`.
    Draft,
    /// `aliases:` old addresses that redirect to the case.
    Aliases,
    /// `image:` a picture for the case.
    Image,
}

impl Key {
    /// Every key, in the order editors are shown them.
    pub const ALL: [Key; 16] = [
        Key::Title,
        Key::Summary,
        Key::Theme,
        Key::Region,
        Key::Organisation,
        Key::Approach,
        Key::Country,
        Key::Year,
        Key::Date,
        Key::Updated,
        Key::Reviewed,
        Key::Sources,
        Key::Slug,
        Key::Draft,
        Key::Aliases,
        Key::Image,
    ];

    /// The key as written in front matter, e.g. `organisation`.
    pub fn name(self) -> &'static str {
        match self {
            Key::Title => "title",
            Key::Summary => "summary",
            Key::Theme => Facet::Theme.key(),
            Key::Region => Facet::Region.key(),
            Key::Organisation => Facet::Organisation.key(),
            Key::Approach => Facet::Approach.key(),
            Key::Country => Facet::Country.key(),
            Key::Year => "year",
            Key::Date => "date",
            Key::Updated => "updated",
            Key::Reviewed => "reviewed",
            Key::Sources => "sources",
            Key::Slug => "slug",
            Key::Draft => "draft",
            Key::Aliases => "aliases",
            Key::Image => "image",
        }
    }

    /// The key written `name`, if it is one.
    pub fn from_name(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|key| key.name() == name)
    }

    /// The key of a facet.
    pub fn of_facet(facet: Facet) -> Key {
        match facet {
            Facet::Theme => Key::Theme,
            Facet::Region => Key::Region,
            Facet::Organisation => Key::Organisation,
            Facet::Approach => Key::Approach,
            Facet::Country => Key::Country,
        }
    }

    /// Every key's name, for "known keys: …" hints.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Key::ALL.into_iter().map(Key::name)
    }
}

/// One case study: one Markdown file with front matter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Case {
    /// The file it came from.
    pub path: PathBuf,
    /// The last part of its URL: `cases/<slug>/`.
    pub slug: String,
    /// The case's title.
    pub title: String,
    /// A sentence or two; when the front matter has none, the site fills it from the body.
    pub summary: Option<String>,
    /// Values of the four facets, in [`Facet::ALL`] order, as the vocabulary spells them.
    pub facets: [Vec<String>; FACETS],
    /// True when the country was not given but read from a region that names one: it is
    /// then a facet value to browse and filter by, but not text to search (the region's
    /// text already holds the word).
    pub country_from_region: bool,
    /// The year the case happened or was reported.
    pub year: Option<i32>,
    /// A precise date, when given.
    pub date: Option<NaiveDate>,
    /// When the case's page was last brought up to date (`updated:`).
    pub updated: Option<NaiveDate>,
    /// When an editor last checked the case (`reviewed:`).
    pub reviewed: Option<NaiveDate>,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Drafts are published only with `--drafts`.
    pub draft: bool,
    /// Old site paths (e.g. `2014/oldham/`) that redirect to this case.
    pub aliases: Vec<String>,
    /// An image URL or site path.
    pub image: Option<String>,
    /// The Markdown body.
    pub body: String,
    /// File line the body starts on.
    pub body_line: usize,
    /// File line of each front matter key, for later diagnostics.
    pub key_lines: Vec<(String, usize)>,
    /// When the file was last changed, for feeds when the case has no date.
    pub modified: Option<std::time::SystemTime>,
}

/// A reference the case is based on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// What the source is called.
    pub title: String,
    /// Where to read it.
    pub url: Option<String>,
}

impl Case {
    /// The values of one facet.
    pub fn values(&self, facet: Facet) -> &[String] {
        &self.facets[facet.index()]
    }

    /// File line of a front matter key, or 1 when it is not there.
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map_or(1, |(_, line)| *line)
    }

    /// The year the case is filtered and counted by: `year`, else the year of `date`, when
    /// it lies in [`YEARS`] (a year outside it is warned about when read).
    pub fn year_of_record(&self) -> Option<i32> {
        use chrono::Datelike;
        self.year
            .or(self.date.map(|d| d.year()))
            .filter(|y| YEARS.contains(y))
    }

    /// The case's date as one number, `yyyymmdd` (`yyyy0000` for a year alone), for sorting
    /// newest or oldest first; `None` for an undated case, which sorts last either way.
    pub fn recency_key(&self) -> Option<i64> {
        let (year, month, day) = self.recency();
        (year != i32::MIN)
            .then(|| i64::from(year) * 10_000 + i64::from(month) * 100 + i64::from(day))
    }

    /// Sort key putting the most recent first: date, then year; undated cases last.
    pub fn recency(&self) -> (i32, u32, u32) {
        use chrono::Datelike;
        match (self.date, self.year) {
            (Some(date), _) => (date.year(), date.month(), date.day()),
            (None, Some(year)) => (year, 0, 0),
            (None, None) => (i32::MIN, 0, 0),
        }
    }
}
