//! Theme × country: the cases that share a theme and a country, which get pages of their
//! own (`themes/<theme>/<country>/`) so that "co-production in Scotland" can be browsed
//! without JavaScript. Made only where enough cases share both, and at most a bounded number
//! of them, keeping those with most cases.

use std::collections::HashMap;

use serde::Deserialize;

use super::{Facet, Library};

/// `combinations:` in `_site.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CombinationSettings {
    /// The fewest cases a theme and a country must share to get a page.
    pub min_cases: usize,
    /// The most such pages' lists a build makes (0: none).
    pub limit: usize,
}

impl Default for CombinationSettings {
    fn default() -> Self {
        CombinationSettings {
            min_cases: 2,
            limit: 2000,
        }
    }
}

/// One theme and one country with the cases that have both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Combination {
    /// Index among the library's theme values.
    pub theme: usize,
    /// Index among the library's country values.
    pub country: usize,
    /// Case indexes, most recent first.
    pub cases: Vec<usize>,
}

/// The combinations a site makes pages for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Combinations {
    /// By theme, then country (in the library's value order).
    list: Vec<Combination>,
    /// Pairs that shared enough cases but were left out by the limit.
    pub left_out: usize,
}

impl Combinations {
    /// The combinations of `library`'s cases under `settings`.
    pub fn new(library: &Library, settings: &CombinationSettings) -> Combinations {
        let mut list = Vec::new();
        let min_cases = settings.min_cases.max(1);
        for (theme, value) in library.values(Facet::Theme).iter().enumerate() {
            let mut by_country: HashMap<usize, Vec<usize>> = HashMap::new();
            for &case in &value.cases {
                for &country in library.values_of(case, Facet::Country) {
                    by_country.entry(country).or_default().push(case);
                }
            }
            list.extend(
                by_country
                    .into_iter()
                    .filter(|(_, cases)| cases.len() >= min_cases)
                    // A country slug `page` would take the place of the theme's page 2.
                    .filter(|&(country, _)| library.value(Facet::Country, country).slug != "page")
                    .map(|(country, cases)| Combination {
                        theme,
                        country,
                        cases,
                    }),
            );
        }
        let mut left_out = 0;
        if list.len() > settings.limit {
            list.sort_by(|a, b| {
                b.cases
                    .len()
                    .cmp(&a.cases.len())
                    .then((a.theme, a.country).cmp(&(b.theme, b.country)))
            });
            left_out = list.len() - settings.limit;
            list.truncate(settings.limit);
        }
        list.sort_by_key(|c| (c.theme, c.country));
        Combinations { list, left_out }
    }

    /// Every combination, by theme, then country.
    pub fn all(&self) -> &[Combination] {
        &self.list
    }

    /// The combination of `theme` and `country`, by index.
    pub fn find(&self, theme: usize, country: usize) -> Option<usize> {
        self.list
            .binary_search_by_key(&(theme, country), |c| (c.theme, c.country))
            .ok()
    }

    /// The combinations of one theme, most cases first.
    pub fn of_theme(&self, theme: usize) -> Vec<&Combination> {
        let start = self.list.partition_point(|c| c.theme < theme);
        let end = self.list.partition_point(|c| c.theme <= theme);
        most_first(self.list[start..end].iter())
    }

    /// The combinations of one country, most cases first.
    pub fn of_country(&self, country: usize) -> Vec<&Combination> {
        most_first(self.list.iter().filter(|c| c.country == country))
    }

    /// The combinations listing case `case` of `library`.
    pub fn holding(&self, library: &Library, case: usize) -> Vec<usize> {
        let themes = library.values_of(case, Facet::Theme);
        let countries = library.values_of(case, Facet::Country);
        themes
            .iter()
            .flat_map(|&t| countries.iter().filter_map(move |&c| self.find(t, c)))
            .collect()
    }
}

/// Most cases first; ties keep their order.
fn most_first<'c>(combinations: impl Iterator<Item = &'c Combination>) -> Vec<&'c Combination> {
    let mut list: Vec<&Combination> = combinations.collect();
    list.sort_by_key(|c| std::cmp::Reverse(c.cases.len()));
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Case;

    fn case(slug: &str, themes: &[&str], countries: &[&str]) -> Case {
        let mut case = Case {
            slug: slug.into(),
            title: slug.into(),
            year: Some(2020),
            ..Case::default()
        };
        case.facets[Facet::Theme.index()] = themes.iter().map(|s| s.to_string()).collect();
        case.facets[Facet::Country.index()] = countries.iter().map(|s| s.to_string()).collect();
        case
    }

    #[test]
    fn pairs_shared_by_enough_cases_get_a_page_and_the_limit_keeps_the_largest() {
        let cases = vec![
            case("a", &["co-production", "health"], &["United Kingdom"]),
            case("b", &["co-production"], &["United Kingdom", "Brazil"]),
            case("c", &["co-production"], &["Brazil"]),
            case("d", &["health"], &["United Kingdom"]),
            case("e", &["co-production"], &["United Kingdom"]),
            case("f", &["health"], &["Japan"]),
        ];
        let library = Library::new(&cases);
        let all = Combinations::new(&library, &CombinationSettings::default());
        let names = |c: &Combination| {
            (
                library.value(Facet::Theme, c.theme).name.clone(),
                library.value(Facet::Country, c.country).name.clone(),
                c.cases.len(),
            )
        };
        let listed: Vec<_> = all.all().iter().map(names).collect();
        assert_eq!(
            listed,
            [
                ("co-production".to_string(), "Brazil".to_string(), 2),
                ("co-production".to_string(), "United Kingdom".to_string(), 3),
                ("health".to_string(), "United Kingdom".to_string(), 2),
            ]
        );
        assert_eq!(all.left_out, 0);
        let theme = library.find(Facet::Theme, "co-production").unwrap();
        let by_country: Vec<_> = all.of_theme(theme).into_iter().map(names).collect();
        assert_eq!(by_country[0].1, "United Kingdom");
        let uk = library.find(Facet::Country, "united-kingdom").unwrap();
        assert_eq!(all.of_country(uk).len(), 2);
        let b = cases.iter().position(|c| c.slug == "b").unwrap();
        assert_eq!(all.holding(&library, b).len(), 2);

        let one = Combinations::new(
            &library,
            &CombinationSettings {
                min_cases: 2,
                limit: 1,
            },
        );
        assert_eq!(one.all().iter().map(names).collect::<Vec<_>>()[0].2, 3);
        assert_eq!(one.left_out, 2);
        let none = Combinations::new(
            &library,
            &CombinationSettings {
                min_cases: 2,
                limit: 0,
            },
        );
        assert!(none.all().is_empty());
    }
}
