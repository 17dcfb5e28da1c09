//! How cases relate: the values of each facet with their cases, and related cases.
//!
//! Built once per build in time roughly linear in the number of cases: candidate related
//! cases come from a bounded window of each shared value's list, so a value shared by every
//! case (one region for a whole collection) cannot make the step quadratic.

use std::collections::{BTreeMap, HashMap};

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

    /// The library once case `changed` of `cases` has changed in place (its facets, date or
    /// title), made from this library of the cases before: the same as [`Library::new`]
    /// gives, in time proportional to the cases that share a value with the changed one.
    ///
    /// A case's related cases depend on the member lists of its own values (their length,
    /// and the window of members nearest to it) and on the recency order of the members.
    /// Moving one case in that order keeps every other pair in order, so the related cases
    /// of a case can change only when a list it is in changes: one the changed case joins
    /// or leaves, or moves in. Those members are ranked again; every other case keeps its
    /// ranking, with the indexes of the shared values mapped to the new value lists.
    pub fn after_change(&self, cases: &[Case], changed: usize) -> Library {
        let recent = match self.keeps_order(cases, changed) {
            true => self.recent.clone(),
            false => recency_order(cases),
        };
        let mut position = vec![0; cases.len()];
        for (rank, &case) in recent.iter().enumerate() {
            position[case] = rank;
        }
        let mut library = Library {
            // Each facet's values are made from this library's by `regroup`.
            values: Default::default(),
            case_values: self.case_values.clone(),
            related: Vec::new(),
            recent,
        };
        let mut again = vec![false; cases.len()];
        again[changed] = true;
        let mut moved: Vec<Vec<Option<usize>>> = Vec::with_capacity(FACETS);
        for facet in Facet::ALL {
            let mut moved_here = Vec::new();
            let before = &self.values[facet.index()];
            let changed_lists =
                library.regroup(before, cases, facet, changed, &position, &mut moved_here);
            moved.push(moved_here);
            for members in changed_lists {
                for member in members {
                    again[member] = true;
                }
            }
        }
        library.related = (0..cases.len())
            .into_par_iter()
            .map_init(
                || (vec![0.0; cases.len()], Vec::new()),
                |(scores, touched), case| {
                    if again[case] {
                        return library.rank_related(case, &position, scores, touched);
                    }
                    let kept = self.related[case].iter().map(|related| {
                        let shared = related.shared.iter().map(|&(facet, value)| {
                            moved[facet.index()][value].map(|value| (facet, value))
                        });
                        Some(RelatedCase {
                            case: related.case,
                            shared: shared.collect::<Option<Vec<_>>>()?,
                        })
                    });
                    // A shared value can vanish only with the changed case, whose lists
                    // are all ranked again; rank again should that ever not hold.
                    kept.collect::<Option<Vec<_>>>()
                        .unwrap_or_else(|| library.rank_related(case, &position, scores, touched))
                },
            )
            .collect();
        library
    }

    /// True when case `changed` of `cases`, changed in place, keeps its place in the recency
    /// order: with its facets as they were, the library is then the same.
    pub fn keeps_order(&self, cases: &[Case], changed: usize) -> bool {
        self.recent
            .iter()
            .position(|&c| c == changed)
            .is_some_and(|at| still_in_order(cases, &self.recent, at))
    }

    /// Makes the values of `facet` from `before`, those of the library before case `changed`
    /// changed, as [`group_values`] would make them: the member lists that differ now (before and
    /// after), with `moved` set to the new index of each old value (`None`: gone).
    fn regroup(
        &mut self,
        before: &[FacetValue],
        cases: &[Case],
        facet: Facet,
        changed: usize,
        position: &[usize],
        moved: &mut Vec<Option<usize>>,
    ) -> Vec<Vec<usize>> {
        let f = facet.index();
        let mut wanted: Vec<String> = Vec::new();
        for value in cases[changed].values(facet) {
            let slug = slugify(value);
            if !wanted.contains(&slug) {
                wanted.push(slug);
            }
        }
        let had: Vec<usize> = self.case_values[changed][f].clone();
        let mut values: Vec<FacetValue> = before.to_vec();
        // Old lists of the values the case was in, by slug, to tell which lists changed.
        let old_lists: HashMap<String, Vec<usize>> = had
            .iter()
            .map(|&v| (values[v].slug.clone(), values[v].cases.clone()))
            .collect();
        for &v in &had {
            values[v].cases.retain(|&c| c != changed);
        }
        let by_slug: HashMap<&str, usize> = before
            .iter()
            .enumerate()
            .map(|(i, v)| (v.slug.as_str(), i))
            .collect();
        let mut added = Vec::new();
        for slug in &wanted {
            let members = match by_slug.get(slug.as_str()) {
                Some(&v) => &mut values[v].cases,
                None => {
                    added.push(FacetValue {
                        name: String::new(),
                        slug: slug.clone(),
                        cases: Vec::new(),
                    });
                    &mut added.last_mut().expect("just pushed").cases
                }
            };
            let at = members.partition_point(|&m| position[m] < position[changed]);
            members.insert(at, changed);
        }
        let touched: Vec<String> = had
            .iter()
            .map(|&v| before[v].slug.clone())
            .chain(wanted.iter().cloned())
            .collect();
        // Old values keep their index in `kept`; new ones follow; empty ones go.
        let mut all: Vec<(Option<usize>, FacetValue)> = values
            .into_iter()
            .enumerate()
            .map(|(i, v)| (Some(i), v))
            .chain(added.into_iter().map(|v| (None, v)))
            .filter(|(_, v)| !v.cases.is_empty())
            .collect();
        for (_, value) in all.iter_mut().filter(|(_, v)| touched.contains(&v.slug)) {
            value.name = most_used(spellings(cases, facet, value));
        }
        all.sort_by_cached_key(|(_, v)| (v.name.to_lowercase(), v.slug.clone()));
        moved.clear();
        moved.resize(before.len(), None);
        for (index, (old, _)) in all.iter().enumerate() {
            if let Some(old) = old {
                moved[*old] = Some(index);
            }
        }
        let values: Vec<FacetValue> = all.into_iter().map(|(_, v)| v).collect();
        let index_of: HashMap<&str, usize> = values
            .iter()
            .enumerate()
            .map(|(i, v)| (v.slug.as_str(), i))
            .collect();
        for (case, indexes) in self.case_values.iter_mut().enumerate() {
            if case == changed {
                indexes[f] = wanted.iter().map(|slug| index_of[slug.as_str()]).collect();
            } else {
                for index in indexes[f].iter_mut() {
                    *index = moved[*index].expect("another case's value stays");
                }
            }
        }
        let changed_lists = touched
            .iter()
            .filter_map(|slug| {
                let now = index_of.get(slug.as_str()).map(|&i| &values[i].cases);
                let then = old_lists.get(slug);
                (now != then).then(|| {
                    then.into_iter()
                        .chain(now)
                        .flatten()
                        .copied()
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        self.values[f] = values;
        changed_lists
    }

    /// The values of `facet`, sorted by name.    /// The values of `facet`, sorted by name.
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
    order.sort_by_cached_key(|&i| recency_key(cases, i));
    order
}

/// Where case `i` goes in [`recency_order`]; cases are in slug order, so the index breaks
/// the last ties.
fn recency_key(cases: &[Case], i: usize) -> (std::cmp::Reverse<(i32, u32, u32)>, Vec<u8>, usize) {
    (
        std::cmp::Reverse(cases[i].recency()),
        crate::text::folded(&cases[i].title).into_bytes(),
        i,
    )
}

/// True when the case at `at` of the recency order `order` (made before it changed) still
/// goes between its neighbours there, so the order is unchanged.
fn still_in_order(cases: &[Case], order: &[usize], at: usize) -> bool {
    let key = recency_key(cases, order[at]);
    let after_previous = at == 0 || recency_key(cases, order[at - 1]) < key;
    let before_next = order
        .get(at + 1)
        .is_none_or(|&next| key < recency_key(cases, next));
    after_previous && before_next
}

/// How many times the cases of `value` write each of its spellings (`DigiPolis`, `Digipolis`).
pub fn spellings<'c>(
    cases: &'c [Case],
    facet: Facet,
    value: &FacetValue,
) -> BTreeMap<&'c str, usize> {
    let mut counts = BTreeMap::new();
    for &member in &value.cases {
        for spelling in cases[member].values(facet) {
            if *spelling == value.name || slugify(spelling) == value.slug {
                *counts.entry(spelling.as_str()).or_default() += 1;
            }
        }
    }
    counts
}

/// The spelling written most often (the first in byte order among equals): the one pages
/// show a value in.
fn most_used<'s>(counts: impl IntoIterator<Item = (&'s str, usize)>) -> String {
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(name, _)| name.to_string())
        .unwrap_or_default()
}

/// The values of one facet (merged by slug, shown in their most used spelling) and, per
/// case, the indexes of its values.
fn group_values(
    cases: &[Case],
    facet: Facet,
    recent: &[usize],
) -> (Vec<FacetValue>, Vec<Vec<usize>>) {
    // Values repeat across cases: each distinct spelling is slugified once, and each slug
    // gets a number, so the rest works on numbers rather than strings.
    let mut number_of_spelling: HashMap<&str, usize> = HashMap::new();
    let mut number_of_slug: HashMap<String, usize> = HashMap::new();
    let mut slugs: Vec<String> = Vec::new();
    let mut spellings: Vec<HashMap<&str, usize>> = Vec::new();
    let mut numbers_of_case: Vec<Vec<usize>> = Vec::with_capacity(cases.len());
    for case in cases {
        let mut numbers = Vec::new();
        for value in case.values(facet) {
            let number = match number_of_spelling.get(value.as_str()) {
                Some(&number) => number,
                None => {
                    let slug = slugify(value);
                    let number = match number_of_slug.get(&slug) {
                        Some(&number) => number,
                        None => {
                            number_of_slug.insert(slug.clone(), slugs.len());
                            slugs.push(slug);
                            spellings.push(HashMap::new());
                            slugs.len() - 1
                        }
                    };
                    number_of_spelling.insert(value.as_str(), number);
                    number
                }
            };
            *spellings[number].entry(value.as_str()).or_default() += 1;
            if !numbers.contains(&number) {
                numbers.push(number);
            }
        }
        numbers_of_case.push(numbers);
    }
    let names: Vec<String> = spellings.into_iter().map(most_used).collect();
    let mut sorted: Vec<usize> = (0..slugs.len()).collect();
    sorted.sort_by_cached_key(|&number| (names[number].to_lowercase(), slugs[number].clone()));
    let mut index_of_number = vec![0; slugs.len()];
    for (index, &number) in sorted.iter().enumerate() {
        index_of_number[number] = index;
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); slugs.len()];
    for &case in recent {
        for &number in &numbers_of_case[case] {
            members[index_of_number[number]].push(case);
        }
    }
    let per_case = numbers_of_case
        .into_iter()
        .map(|numbers| numbers.into_iter().map(|n| index_of_number[n]).collect())
        .collect();
    let mut names: Vec<Option<String>> = names.into_iter().map(Some).collect();
    let mut slugs: Vec<Option<String>> = slugs.into_iter().map(Some).collect();
    let values = sorted
        .into_iter()
        .zip(members)
        .map(|(number, cases)| FacetValue {
            name: names[number].take().unwrap_or_default(),
            slug: slugs[number].take().unwrap_or_default(),
            cases,
        })
        .collect();
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
            updated: None,
            reviewed: None,
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

    /// A small deterministic generator, so the test needs no crate.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    fn assert_same(a: &Library, b: &Library, step: usize) {
        for facet in Facet::ALL {
            let names = |l: &Library| {
                l.values(facet)
                    .iter()
                    .map(|v| (v.slug.clone(), v.name.clone(), v.cases.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(names(a), names(b), "values of {facet:?} at step {step}");
        }
        assert_eq!(a.recent, b.recent, "recency at step {step}");
        assert_eq!(a.case_values, b.case_values, "case values at step {step}");
        if let Some(case) = (0..a.related.len()).find(|&c| a.related[c] != b.related[c]) {
            panic!(
                "related cases of case {case} at step {step}: {:?}, a full build gives {:?}",
                a.related[case], b.related[case]
            );
        }
    }

    #[test]
    fn a_change_to_one_case_gives_the_library_a_full_build_gives() {
        // Few values over many cases, so lists pass the candidate window and windows move.
        let themes = ["a", "b", "c", "d", "e"];
        // "North" and "north" are one value, shown in the spelling most of its cases use.
        let regions = ["north", "south", "east", "west", "North"];
        let mut random = Lcg(7);
        let mut cases: Vec<Case> = (0..600)
            .map(|i| {
                let mut c = case(
                    &format!("case-{i:04}"),
                    2000 + random.below(20) as i32,
                    &[themes[random.below(5)], themes[random.below(5)]],
                    regions[random.below(4 + usize::from(i % 9 == 0))],
                    themes[random.below(3)],
                );
                c.facets[Facet::Organisation.index()] = vec![format!("org {}", random.below(150))];
                c
            })
            .collect();
        let mut library = Library::new(&cases);
        for step in 0..80 {
            let changed = random.below(cases.len());
            let case = &mut cases[changed];
            match step % 5 {
                0 => case.facets[Facet::Region.index()] = vec![regions[random.below(5)].into()],
                1 => case.facets[Facet::Theme.index()] = vec![format!("new theme {step}")],
                2 => case.year = Some(1990 + random.below(40) as i32),
                3 => case.title = format!("retitled {step}"),
                // A small organisation: its few members now rank the case first.
                _ => {
                    case.facets[Facet::Organisation.index()] =
                        vec![format!("org {}", random.below(150))]
                }
            }
            library = library.after_change(&cases, changed);
            assert_same(&library, &Library::new(&cases), step);
        }
    }

    #[test]
    fn a_value_takes_the_spelling_most_of_its_cases_use_after_a_change() {
        let mut cases = vec![
            case("a", 2014, &["co-production"], "North", "pb"),
            case("b", 2015, &["co-production"], "North", "pb"),
            case("c", 2016, &["tele-care"], "north", "pb"),
        ];
        let library = Library::new(&cases);
        assert_eq!(library.values(Facet::Region)[0].name, "North");
        cases[1].facets[Facet::Region.index()] = vec!["north".into()];
        let library = library.after_change(&cases, 1);
        assert_eq!(library.values(Facet::Region)[0].name, "north");
        assert_same(&library, &Library::new(&cases), 0);
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
