//! How cases relate: the values of each facet with their cases, and related cases.
//!
//! Built once per build in time roughly linear in the number of cases: candidate related
//! cases come from a bounded window of each shared value's list, so a value shared by every
//! case (one region for a whole collection) cannot make the step quadratic.

use std::collections::HashMap;

use rayon::prelude::*;

use super::case::Case;
use super::facet::{slugify, Facet, FACETS};

/// How many cases of one value are considered as related-case candidates for a case.
const CANDIDATE_WINDOW: usize = 200;
/// The most related cases a case shows.
pub const MAX_RELATED: usize = 5;

/// One value of a facet with the cases that have it.
#[derive(Debug, Clone)]
pub struct FacetValue {
    /// The value as shown, e.g. `co-production`.
    pub name: String,
    /// Its address part: `themes/<slug>/`.
    pub slug: String,
    /// Indexes into the case list, most recent first.
    pub cases: Vec<usize>,
}

/// A case related to another, with the values they share.
#[derive(Debug, Clone, PartialEq)]
pub struct RelatedCase {
    /// Index into the case list.
    pub case: usize,
    /// The shared values, as (facet, index into that facet's values), strongest first.
    pub shared: Vec<(Facet, usize)>,
}

/// The relations between the cases of one knowledge base.
#[derive(Debug, Clone)]
pub struct Library {
    /// Per facet, its values sorted by name.
    values: [Vec<FacetValue>; FACETS],
    /// Per case, per facet, indexes of its values.
    case_values: Vec<[Vec<usize>; FACETS]>,
    /// Per case, its related cases, best first.
    related: Vec<Vec<RelatedCase>>,
    /// Case indexes, most recent first.
    recent: Vec<usize>,
}

impl Library {
    /// Groups `cases` by facet value and ranks related cases.
    pub fn new(cases: &[Case]) -> Library {
        let recent = recency_order(cases);
        let mut position = vec![0; cases.len()];
        for (rank, &case) in recent.iter().enumerate() {
            position[case] = rank;
        }
        let mut values: [Vec<FacetValue>; FACETS] = Default::default();
        let mut case_values: Vec<[Vec<usize>; FACETS]> = vec![Default::default(); cases.len()];
        for facet in Facet::ALL {
            let (facet_values, per_case) = group_values(cases, facet, &recent);
            values[facet.index()] = facet_values;
            for (case, indexes) in per_case.into_iter().enumerate() {
                case_values[case][facet.index()] = indexes;
            }
        }
        let mut library = Library {
            values,
            case_values,
            related: Vec::new(),
            recent,
        };
        // Each worker keeps one dense score table, cleared after every case.
        library.related = (0..cases.len())
            .into_par_iter()
            .map_init(
                || (vec![0.0; cases.len()], Vec::new()),
                |(scores, touched), case| library.rank_related(case, &position, scores, touched),
            )
            .collect();
        library
    }

    /// The values of `facet`, sorted by name.
    pub fn values(&self, facet: Facet) -> &[FacetValue] {
        &self.values[facet.index()]
    }

    /// The index of the value of `facet` whose slug is `slug`.
    pub fn find(&self, facet: Facet, slug: &str) -> Option<usize> {
        self.values[facet.index()]
            .iter()
            .position(|v| v.slug == slug)
    }

    /// The value of `facet` at `index`.
    pub fn value(&self, facet: Facet, index: usize) -> &FacetValue {
        &self.values[facet.index()][index]
    }

    /// Indexes of the values `case` has for `facet`.
    pub fn values_of(&self, case: usize, facet: Facet) -> &[usize] {
        &self.case_values[case][facet.index()]
    }

    /// The cases related to `case`, best first.
    pub fn related(&self, case: usize) -> &[RelatedCase] {
        &self.related[case]
    }

    /// All case indexes, most recent first.
    pub fn recent(&self) -> &[usize] {
        &self.recent
    }

    /// `scores` (one slot per case, all zero) and `touched` (empty) are scratch space,
    /// left as they were found.
    fn rank_related(
        &self,
        case: usize,
        position: &[usize],
        scores: &mut [f64],
        touched: &mut Vec<usize>,
    ) -> Vec<RelatedCase> {
        for facet in Facet::ALL {
            for &value in self.values_of(case, facet) {
                let members = &self.value(facet, value).cases;
                let weight = facet_weight(facet) / (1.0 + (members.len() as f64).ln());
                for &other in window(members, position[case], position) {
                    if other != case {
                        if scores[other] == 0.0 {
                            touched.push(other);
                        }
                        scores[other] += weight;
                    }
                }
            }
        }
        let mut ranked: Vec<(usize, f64)> = touched
            .iter()
            .map(|&other| (other, scores[other]))
            .collect();
        for &other in touched.iter() {
            scores[other] = 0.0;
        }
        touched.clear();
        let best_first = |a: &(usize, f64), b: &(usize, f64)| {
            b.1.total_cmp(&a.1).then(position[a.0].cmp(&position[b.0]))
        };
        // Only the best few are kept: select them, then sort just those.
        if ranked.len() > MAX_RELATED {
            ranked.select_nth_unstable_by(MAX_RELATED, best_first);
            ranked.truncate(MAX_RELATED);
        }
        ranked.sort_by(best_first);
        ranked
            .into_iter()
            .take(MAX_RELATED)
            .map(|(other, _)| RelatedCase {
                case: other,
                shared: self.shared_values(case, other),
            })
            .collect()
    }

    fn shared_values(&self, a: usize, b: usize) -> Vec<(Facet, usize)> {
        let mut facets = Facet::ALL;
        facets.sort_by(|x, y| facet_weight(*y).total_cmp(&facet_weight(*x)));
        facets
            .into_iter()
            .flat_map(|facet| {
                let theirs = self.values_of(b, facet);
                self.values_of(a, facet)
                    .iter()
                    .filter(move |v| theirs.contains(v))
                    .map(move |&v| (facet, v))
            })
            .collect()
    }
}

/// How much sharing a value of this facet says about two cases being alike.
fn facet_weight(facet: Facet) -> f64 {
    match facet {
        Facet::Approach => 3.0,
        Facet::Theme => 2.5,
        Facet::Organisation => 2.0,
        Facet::Region => 1.0,
        // Most collections are from a few countries: sharing one says little.
        Facet::Country => 0.5,
    }
}

/// Up to [`CANDIDATE_WINDOW`] members of a value nearest in recency to the case at `rank`.
fn window<'a>(members: &'a [usize], rank: usize, position: &[usize]) -> &'a [usize] {
    if members.len() <= CANDIDATE_WINDOW {
        return members;
    }
    // Members are in recency order, so the case's own place is found by binary search.
    let at = members.partition_point(|&m| position[m] < rank);
    let start = at
        .saturating_sub(CANDIDATE_WINDOW / 2)
        .min(members.len() - CANDIDATE_WINDOW);
    &members[start..start + CANDIDATE_WINDOW]
}

/// Case indexes newest first: by date (or year), then title (folded, as search sorts it),
/// then slug; undated cases last.
fn recency_order(cases: &[Case]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..cases.len()).collect();
    // Cases are in slug order: the index breaks the last ties.
    order.sort_by_cached_key(|&i| {
        (
            std::cmp::Reverse(cases[i].recency()),
            crate::text::folded(&cases[i].title).into_bytes(),
            i,
        )
    });
    order
}

/// The values of one facet (merged by slug, shown in their most used spelling) and, per
/// case, the indexes of its values.
fn group_values(
    cases: &[Case],
    facet: Facet,
    recent: &[usize],
) -> (Vec<FacetValue>, Vec<Vec<usize>>) {
    // Values repeat across cases: each distinct spelling is slugified once.
    let mut slug_of: HashMap<&str, String> = HashMap::new();
    let mut spellings: HashMap<String, HashMap<&str, usize>> = HashMap::new();
    for case in cases {
        for value in case.values(facet) {
            let slug = slug_of
                .entry(value.as_str())
                .or_insert_with(|| slugify(value));
            *spellings
                .entry(slug.clone())
                .or_default()
                .entry(value.as_str())
                .or_default() += 1;
        }
    }
    let mut values: Vec<FacetValue> = spellings
        .into_iter()
        .map(|(slug, counts)| {
            let name = counts
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(name, _)| name.to_string())
                .unwrap_or_default();
            FacetValue {
                name,
                slug,
                cases: Vec::new(),
            }
        })
        .collect();
    values.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let index_of: HashMap<&str, usize> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (v.slug.as_str(), i))
        .collect();
    let mut per_case = vec![Vec::new(); cases.len()];
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); values.len()];
    for &case in recent {
        for value in cases[case].values(facet) {
            let index = index_of[slug_of[value.as_str()].as_str()];
            if !per_case[case].contains(&index) {
                per_case[case].push(index);
                members[index].push(case);
            }
        }
    }
    for (value, cases) in values.iter_mut().zip(members) {
        value.cases = cases;
    }
    (values, per_case)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn case(slug: &str, year: i32, theme: &[&str], region: &str, approach: &str) -> Case {
        Case {
            path: PathBuf::from(format!("{slug}.md")),
            slug: slug.into(),
            title: slug.into(),
            summary: None,
            facets: [
                theme.iter().map(|s| s.to_string()).collect(),
                vec![region.into()],
                vec![format!("{slug} org")],
                vec![approach.into()],
                Vec::new(),
            ],
            country_from_region: false,
            year: Some(year),
            date: None,
            sources: vec![],
            draft: false,
            aliases: vec![],
            image: None,
            body: String::new(),
            body_line: 1,
            key_lines: vec![],
            modified: None,
        }
    }

    #[test]
    fn values_are_grouped_and_counted() {
        let cases = vec![
            case("a", 2014, &["co-production"], "Scotland", "pb"),
            case("b", 2016, &["Co-Production", "tele-care"], "Scotland", "pb"),
            case("c", 2012, &["co-production"], "Wales", "peer review"),
        ];
        let library = Library::new(&cases);
        let themes = library.values(Facet::Theme);
        assert_eq!(themes.len(), 2);
        assert_eq!(themes[0].name, "co-production");
        assert_eq!(themes[0].cases, vec![1, 0, 2], "most recent first");
        assert_eq!(library.recent(), &[1, 0, 2]);
    }

    #[test]
    fn related_cases_rank_by_shared_values() {
        let cases = vec![
            case("a", 2014, &["co-production"], "Scotland", "pb"),
            case("b", 2016, &["co-production"], "Scotland", "pb"),
            case("c", 2012, &["tele-care"], "Scotland", "peer review"),
            case("d", 2012, &["housing"], "Wales", "design"),
        ];
        let library = Library::new(&cases);
        let related: Vec<usize> = library.related(0).iter().map(|r| r.case).collect();
        assert_eq!(related, vec![1, 2], "b shares three values, c one, d none");
        let shared = &library.related(0)[0].shared;
        assert_eq!(shared[0].0, Facet::Approach, "strongest reason first");
    }
}
