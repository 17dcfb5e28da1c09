//! How a facet's index groups its values: under a heading per first letter when there are
//! many, and regions under their country when cases give both.

use std::collections::HashMap;

use serde::Serialize;

use super::context::ValueCount;
use crate::content::{Facet, Library};
use crate::text::folded;

/// A facet index with more values than this gets an A–Z bar and the filter and sort tools.
pub const MANY_VALUES: usize = 50;

/// One group of a facet index: a heading (none when the index is one plain list) and its
/// values in name order.
#[derive(Debug, Clone, Serialize)]
pub struct ValueGroup {
    /// The id its heading carries, for the jump bar's links.
    pub id: String,
    /// The heading: a letter, or a country.
    pub heading: Option<String>,
    /// Its values.
    pub values: Vec<ValueCount>,
}

/// The groups of a facet's index, and whether it has many values. `values` are the facet's
/// values in the library's order (by name), as pages show them.
pub fn group(facet: Facet, library: &Library, values: Vec<ValueCount>) -> (Vec<ValueGroup>, bool) {
    let many = values.len() > MANY_VALUES;
    if facet == Facet::Region {
        if let Some(groups) = by_country(library, &values) {
            return (groups, many);
        }
    }
    if many {
        return (by_letter(values), many);
    }
    let one = ValueGroup {
        id: String::new(),
        heading: None,
        values,
    };
    (vec![one], many)
}

/// The letter a value is filed under: its first letter or digit, folded (`Å` under A);
/// anything else under `#`.
fn letter_of(name: &str) -> String {
    folded(name)
        .chars()
        .find(|c| c.is_alphanumeric())
        .filter(char::is_ascii_alphabetic)
        .map_or("#".to_string(), |c| c.to_ascii_uppercase().to_string())
}

fn by_letter(values: Vec<ValueCount>) -> Vec<ValueGroup> {
    let mut groups: Vec<ValueGroup> = Vec::new();
    for value in values {
        let letter = letter_of(&value.name);
        match groups
            .iter_mut()
            .find(|g| g.heading.as_deref() == Some(&letter))
        {
            Some(group) => group.values.push(value),
            None => groups.push(ValueGroup {
                id: format!("letter-{}", if letter == "#" { "other" } else { &letter })
                    .to_lowercase(),
                heading: Some(letter),
                values: vec![value],
            }),
        }
    }
    // `#` (values starting with a digit or a sign) after Z.
    groups.sort_by_key(|g| (g.heading.as_deref() == Some("#"), g.heading.clone()));
    groups
}

/// Regions under the country most of their cases name, countries A–Z, regions no case
/// gives a country for last; `None` when no region has a country other than itself (a
/// collection whose regions are countries).
fn by_country(library: &Library, values: &[ValueCount]) -> Option<Vec<ValueGroup>> {
    let countries = library.values(Facet::Country);
    let country_of: Vec<Option<usize>> = library
        .values(Facet::Region)
        .iter()
        .map(|region| {
            let mut counts: HashMap<usize, usize> = HashMap::new();
            for &case in &region.cases {
                for &country in library.values_of(case, Facet::Country) {
                    *counts.entry(country).or_default() += 1;
                }
            }
            // The most named; on a tie the first by name (the library's order).
            counts
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(country, _)| country)
        })
        .collect();
    let nested = library
        .values(Facet::Region)
        .iter()
        .zip(&country_of)
        .any(|(region, country)| {
            country.is_some_and(|c| folded(&countries[c].name) != folded(&region.name))
        });
    if !nested {
        return None;
    }
    let mut groups: Vec<(Option<usize>, ValueGroup)> = Vec::new();
    for (value, &country) in values.iter().zip(&country_of) {
        match groups.iter_mut().find(|(c, _)| *c == country) {
            Some((_, group)) => group.values.push(value.clone()),
            None => groups.push((
                country,
                ValueGroup {
                    id: match country {
                        Some(c) => format!("country-{}", countries[c].slug),
                        None => "country-other".to_string(),
                    },
                    heading: Some(match country {
                        Some(c) => countries[c].name.clone(),
                        None => "Other regions".to_string(),
                    }),
                    values: vec![value.clone()],
                },
            )),
        }
    }
    // Countries in the library's order (by name), regions without one last.
    groups.sort_by_key(|(country, _)| (country.is_none(), *country));
    Some(groups.into_iter().map(|(_, group)| group).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_filed_under_their_folded_first_letter() {
        assert_eq!(letter_of("Åland council"), "A");
        assert_eq!(letter_of("  ökologie"), "O");
        assert_eq!(letter_of("3D printing hub"), "#");
        assert_eq!(letter_of("(Un)limited"), "U");
    }
}
