//! The countries casebook knows: ISO 3166-1, from `data/countries.json` (made from the npm
//! package i18n-iso-countries, MIT; `data/README.md` says how). One table makes every country
//! name canonical ("UK", "Great Britain" → United Kingdom; "Turkey" → Türkiye), for the
//! country facet, open data and the map.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::facet::slugify;
use crate::error::nearest;

/// The embedded table.
const TABLE: &str = include_str!("../../data/countries.json");

/// One country of the table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code, e.g. `GB`.
    pub code: String,
    /// The English name pages show, e.g. `United Kingdom`.
    pub name: String,
    /// Other names it goes by, e.g. `UK`, `Great Britain`.
    pub aliases: Vec<String>,
}

/// Every country, found by the slug of any of its names.
#[derive(Debug)]
pub struct Countries {
    countries: Vec<Country>,
    by_slug: HashMap<String, usize>,
}

/// The canonical name of the country `text` names (any of its names or aliases), if any: the
/// rule by which a case's region fills its country, and the export tells the runtime so.
pub fn country_named_by(text: &str) -> Option<&'static str> {
    countries().find(text).map(|c| c.name.as_str())
}

/// The table, read once.
pub fn countries() -> &'static Countries {
    static COUNTRIES: OnceLock<Countries> = OnceLock::new();
    COUNTRIES.get_or_init(|| {
        // The table is part of the binary and a test reads it: it cannot be malformed here.
        let countries: Vec<Country> = serde_json::from_str(TABLE).expect("data/countries.json");
        let mut by_slug = HashMap::new();
        for (index, country) in countries.iter().enumerate() {
            for name in std::iter::once(&country.name).chain(&country.aliases) {
                by_slug.entry(slugify(name)).or_insert(index);
            }
        }
        Countries { countries, by_slug }
    })
}

impl Countries {
    /// The country `text` names (any of its names, in any case and punctuation).
    pub fn find(&self, text: &str) -> Option<&Country> {
        self.by_slug
            .get(&slugify(text))
            .map(|&index| &self.countries[index])
    }

    /// The display name nearest to `text`, for "did you mean" hints.
    pub fn nearest(&self, text: &str) -> Option<&str> {
        let spellings = self.countries.iter().flat_map(|c| {
            std::iter::once(c.name.as_str()).chain(c.aliases.iter().map(String::as_str))
        });
        let spelling = nearest(text, spellings)?;
        self.find(spelling).map(|c| c.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases_are_made_canonical() {
        let table = countries();
        assert!(table.countries.len() >= 249);
        for (written, canonical) in [
            ("United Kingdom", "United Kingdom"),
            ("UK", "United Kingdom"),
            ("great britain", "United Kingdom"),
            ("Scotland", "United Kingdom"),
            ("USA", "United States"),
            ("United States of America", "United States"),
            ("Turkey", "Türkiye"),
            ("Türkiye", "Türkiye"),
            ("Czech Republic", "Czechia"),
            ("Russian Federation", "Russia"),
            ("Brasil", "Brazil"),
        ] {
            assert_eq!(
                table.find(written).map(|c| c.name.as_str()),
                (written != "Brasil").then_some(canonical),
                "{written}"
            );
        }
        assert_eq!(table.nearest("Brasil"), Some("Brazil"));
        assert_eq!(table.find("North West England"), None);
        assert_eq!(table.find("European Union"), None);
    }
}
