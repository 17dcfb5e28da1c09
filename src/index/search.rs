//! Running a query on the tantivy index: matching, ranking, partial matches and snippets.
//!
//! tantivy decides which cases match every clause (terms in any field, phrases, filters);
//! they rank by the sum of their clauses' integer scores, the very numbers the export hands
//! the browser, so both orders agree exactly. When no case matches every clause of a query
//! of two or more, the cases matching some of them are shown instead: most clauses first,
//! then by score; there, as in the browser, a phrase counts when its words are all present.
//! A submitted query of several words then has its first results reordered by how many of
//! its neighbouring words stand side by side (tantivy's phrase query on each pair), as the
//! browser reorders them from the cases' texts ([`super::forgive`] states the rule).

use std::collections::HashMap;
use std::path::Path;

use tantivy::collector::DocSetCollector;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{IndexRecordOption, TantivyDocument, Value};
use tantivy::{DocAddress, IndexReader, Searcher, Term};

use super::dictionary::Dictionary;
use super::forgive::{self, scaled};
use super::plan::{
    corrected_query, neighbour_words, plan, NeighbourWords, PlanOptions, Planned, PlannedClause,
};
use super::query::{parse, Synonyms};
use super::schema::{Fields, TextField};
use super::scoring::{rank_key, score_value, Postings, TermScoring};
pub use super::snippet::HitSnippet;
use super::snippet::Snippets;
use super::sorting::{Sort, SortKeys};
use super::writer::{facet_path, open_index, read_dictionary, read_sort_keys, search_dir};
use super::IndexError;
use crate::content::{Facet, Vocabulary, FACETS};

/// A query with its filters.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// What was typed.
    pub query: String,
    /// Per facet ([`Facet::ALL`] order), the values a result must have one of.
    pub filters: [Vec<String>; FACETS],
    /// How many hits to return.
    pub limit: usize,
    /// The query is being typed: its last word also matches the words that begin with it.
    pub prefix: bool,
    /// Search the words as typed, without corrections.
    pub exact: bool,
    /// The order of the results; by default relevance when there is a query, newest first
    /// when there are only filters. Given without a query or filters, every case is listed
    /// in it.
    pub sort: Option<Sort>,
    /// Only cases whose year of record lies in this range.
    pub years: Years,
}

/// A range of years, each end optional and both inclusive; a case without a year is in it
/// only when both ends are open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Years {
    /// The first year wanted.
    pub from: Option<i32>,
    /// The last year wanted.
    pub to: Option<i32>,
}

impl Years {
    /// Whether any end is set.
    pub fn is_set(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// Whether a case with year of record `year` is in the range.
    pub fn holds(&self, year: Option<i32>) -> bool {
        if !self.is_set() {
            return true;
        }
        year.is_some_and(|y| self.from.is_none_or(|f| y >= f) && self.to.is_none_or(|t| y <= t))
    }
}

/// One result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    /// The case's slug.
    pub slug: String,
    /// The case's title.
    pub title: String,
    /// The case page's site path.
    pub url: String,
    /// The score: the sum of the result's term scores, each tantivy's BM25 rounded to
    /// [`super::scoring::SCORE_DECIMALS`] decimals (ties are broken by slug).
    pub score: f64,
    /// The words and phrases of the query the case has, as the query writes them.
    pub matched: Vec<String>,
    /// A passage of the body around the matches.
    #[serde(skip)]
    pub snippet: Option<HitSnippet>,
}

/// A word of the query searched as another.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Correction {
    /// The word as the query writes it.
    pub word: String,
    /// The word searched instead.
    pub to: String,
}

/// When no case has every word: how many the best have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Partial {
    /// The words and phrases of the query.
    pub words: usize,
    /// How many of them the best results have.
    pub best: usize,
    /// How many cases have that many.
    pub cases: usize,
}

/// The outcome of a search.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SearchResults {
    /// The query as searched: cut to [`forgive::MAX_QUERY_CHARS`] characters.
    pub query: String,
    /// The query with its corrections, when a word was corrected.
    pub corrected: Option<String>,
    /// The words corrected.
    pub corrections: Vec<Correction>,
    /// When no case has every word of the query, how many the cases shown have.
    pub partial: Option<Partial>,
    /// How many cases matched in all.
    pub total: usize,
    /// The order of the hits.
    pub sort: Sort,
    /// How many cases would have matched but for a year range, having no year.
    pub undated: usize,
    /// The best hits, best first.
    pub hits: Vec<Hit>,
}

/// An open index, ready to answer queries.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    synonyms: Synonyms,
    dictionary: Dictionary,
    sorts: SortKeys,
    vocabulary: Vocabulary,
}

/// A matched case: (clauses matched, score units, case number, where tantivy has it).
type Match = (usize, u64, u32, DocAddress);

impl SearchIndex {
    /// Opens the index a build left in `cache_dir`; the vocabulary's synonyms expand queries.
    pub fn open(cache_dir: &Path, vocabulary: &Vocabulary) -> Result<SearchIndex, IndexError> {
        let dir = search_dir(cache_dir);
        let (index, fields) = open_index(&dir)?;
        let reader = index.reader()?;
        let cases = reader.searcher().num_docs() as usize;
        Ok(SearchIndex {
            reader,
            fields,
            synonyms: Synonyms::from_vocabulary(vocabulary),
            dictionary: read_dictionary(&dir)?,
            sorts: read_sort_keys(&dir, cases)?,
            vocabulary: vocabulary.clone(),
        })
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, IndexError> {
        let query = forgive::capped(&request.query);
        let clauses = parse(query, &self.synonyms);
        let has_filters = request.filters.iter().any(|f| !f.is_empty()) || request.years.is_set();
        let mut results = SearchResults {
            query: query.to_string(),
            ..SearchResults::default()
        };
        // Nothing asked: no words, no filters, no order to list every case in.
        if clauses.is_empty() && !has_filters && request.sort.is_none() {
            results.sort = Sort::Newest;
            return Ok(results);
        }
        let searcher = self.reader.searcher();
        let scoring = TermScoring::new(&searcher, &self.fields)?;
        let mut postings = PostingsCache::new(&scoring);
        for clause in &clauses {
            if let super::query::Clause::Word { term, .. } = clause {
                postings.load(term)?;
            }
        }
        let options = PlanOptions {
            prefix: request.prefix,
            exact: request.exact,
        };
        let plan = plan(clauses, query.len(), options, &self.dictionary, |term| {
            postings.cases(term)
        });
        for term in plan.clauses.iter().flat_map(|c| c.planned.terms()) {
            postings.load(term)?;
        }
        results.corrections = plan
            .corrections
            .iter()
            .map(|c| Correction {
                word: query[c.span.clone()].to_string(),
                to: c.to.clone(),
            })
            .collect();
        if !plan.corrections.is_empty() {
            results.corrected = Some(corrected_query(query, &plan.corrections));
        }

        let clauses = &plan.clauses;
        let sort = request.sort.unwrap_or(if clauses.is_empty() {
            Sort::Newest
        } else {
            Sort::Relevance
        });
        results.sort = sort;
        // Keeps the matches in the year range; says how many it left out for having no year.
        let in_years = |matches: &mut Vec<Match>| {
            let undated = if request.years.is_set() {
                let years = &self.sorts.years;
                matches
                    .iter()
                    .filter(|m| years[m.2 as usize].is_none())
                    .count()
            } else {
                0
            };
            matches.retain(|m| request.years.holds(self.sorts.years[m.2 as usize]));
            undated
        };
        // A filter may name a value as the front matter may: by a synonym, or "UK".
        let filters = Facet::ALL.map(|facet| {
            request.filters[facet.index()]
                .iter()
                .map(|v| self.vocabulary.canonical(facet, v))
                .collect::<Vec<_>>()
        });
        let every = self.match_query(clauses, &filters, false);
        let mut matches: Vec<Match> = searcher
            .search(&every, &DocSetCollector)?
            .into_iter()
            .map(|address| {
                let doc = self.doc_number(&searcher, address)?;
                let units = clauses
                    .iter()
                    .map(|c| postings.units(&c.planned, doc))
                    .sum();
                Ok((clauses.len(), units, doc, address))
            })
            .collect::<Result<_, IndexError>>()?;
        results.undated = in_years(&mut matches);
        let mut shown_query = every;
        if matches.is_empty() && clauses.len() >= 2 {
            let some = self.match_query(clauses, &filters, true);
            matches = self.partial_matches(&searcher, &some, clauses, &postings)?;
            results.undated = in_years(&mut matches);
            shown_query = some;
            if let Some(best) = matches.iter().map(|m| m.0).max() {
                results.partial = Some(Partial {
                    words: clauses.len(),
                    best,
                    cases: matches.iter().filter(|m| m.0 == best).count(),
                });
            }
        }
        // Partial matches keep their tiers (most words first) whatever the sort.
        matches.sort_by(|a, b| {
            b.0.cmp(&a.0).then_with(|| match sort {
                Sort::Relevance => rank_key(a.1, a.2).cmp(&rank_key(b.1, b.2)),
                _ => self.sorts.compare(sort, a.2, b.2),
            })
        });
        if sort == Sort::Relevance {
            let neighbours = neighbour_words(clauses, request.prefix);
            self.side_by_side_first(&searcher, &neighbours, &mut matches)?;
        }
        results.total = matches.len();
        let snippets = Snippets::new(&searcher, &shown_query, &self.fields);
        for &(_, units, doc, address) in matches.iter().take(request.limit) {
            let stored: TantivyDocument = searcher.doc(address)?;
            let text = |field| {
                stored
                    .get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            results.hits.push(Hit {
                slug: text(self.fields.slug),
                title: text(self.fields.of(TextField::Title)),
                url: text(self.fields.url),
                score: score_value(units),
                matched: clauses
                    .iter()
                    .filter(|c| postings.has(&c.planned, doc))
                    .map(|c| query[c.span.clone()].to_string())
                    .collect(),
                snippet: snippets.as_ref().and_then(|s| s.of(&stored)),
            });
        }
        Ok(results)
    }

    /// Reorders the first [`forgive::SIDE_BY_SIDE_DEPTH`] matches: those where more of the
    /// `neighbours` stand side by side in one field first, keeping the tiers of partial
    /// matches and, among equals, the order they had.
    fn side_by_side_first(
        &self,
        searcher: &Searcher,
        neighbours: &[NeighbourWords<'_>],
        matches: &mut [Match],
    ) -> Result<(), IndexError> {
        if neighbours.is_empty() || matches.len() < 2 {
            return Ok(());
        }
        let head = matches.len().min(forgive::SIDE_BY_SIDE_DEPTH);
        let mut together: HashMap<DocAddress, usize> = HashMap::new();
        for (first, second) in neighbours {
            let mut side_by_side: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for &field in &self.fields.text {
                for a in first {
                    for b in second {
                        let terms = vec![
                            Term::from_field_text(field, a),
                            Term::from_field_text(field, b),
                        ];
                        side_by_side.push((Occur::Should, Box::new(PhraseQuery::new(terms))));
                    }
                }
            }
            let query = BooleanQuery::new(side_by_side);
            for address in searcher.search(&query, &DocSetCollector)? {
                *together.entry(address).or_default() += 1;
            }
        }
        let count = |m: &Match| together.get(&m.3).copied().unwrap_or(0);
        // A stable sort: equals keep their order.
        matches[..head].sort_by(|a, b| b.0.cmp(&a.0).then_with(|| count(b).cmp(&count(a))));
        Ok(())
    }

    /// The cases matching any clause (and the filters), each with how many clauses it has
    /// and the units of those, in no particular order.
    fn partial_matches(
        &self,
        searcher: &Searcher,
        some: &BooleanQuery,
        clauses: &[PlannedClause],
        postings: &PostingsCache,
    ) -> Result<Vec<Match>, IndexError> {
        let mut matches = Vec::new();
        for address in searcher.search(some, &DocSetCollector)? {
            let doc = self.doc_number(searcher, address)?;
            let had: Vec<&PlannedClause> = clauses
                .iter()
                .filter(|c| postings.has(&c.planned, doc))
                .collect();
            let units = had.iter().map(|c| postings.units(&c.planned, doc)).sum();
            matches.push((had.len(), units, doc, address));
        }
        Ok(matches)
    }

    fn doc_number(&self, searcher: &Searcher, address: DocAddress) -> Result<u32, IndexError> {
        let column = searcher
            .segment_reader(address.segment_ord)
            .fast_fields()
            .u64("doc")?;
        Ok(column.first(address.doc_id).unwrap_or(u64::MAX) as u32)
    }

    /// Every clause and the filters; with `some`, any clause (a phrase by its words alone)
    /// and the filters.
    fn match_query(
        &self,
        clauses: &[PlannedClause],
        filters: &[Vec<String>; FACETS],
        some: bool,
    ) -> BooleanQuery {
        let matched: Vec<(Occur, Box<dyn Query>)> = clauses
            .iter()
            .map(|c| {
                let occur = if some { Occur::Should } else { Occur::Must };
                (occur, self.clause_query(&c.planned, !some))
            })
            .collect();
        let mut parts: Vec<(Occur, Box<dyn Query>)> = if some {
            vec![(
                Occur::Must,
                Box::new(BooleanQuery::new(matched)) as Box<dyn Query>,
            )]
        } else if matched.is_empty() {
            // No words: every case, for the filters (and a year range) to narrow.
            vec![(
                Occur::Must,
                Box::new(tantivy::query::AllQuery) as Box<dyn Query>,
            )]
        } else {
            matched
        };
        for facet in Facet::ALL {
            let values = &filters[facet.index()];
            if values.is_empty() {
                continue;
            }
            let field = self.fields.facets[facet.index()];
            let any_value: Vec<(Occur, Box<dyn Query>)> = values
                .iter()
                .map(|v| {
                    let term = Term::from_facet(field, &facet_path(v));
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
                    )
                })
                .collect();
            // Filters decide membership only; they add nothing to the score.
            parts.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(
                    Box::new(BooleanQuery::new(any_value)),
                    0.0,
                )),
            ));
        }
        BooleanQuery::new(parts)
    }

    /// The query of one clause; phrases check adjacency only with `adjacent`.
    fn clause_query(&self, planned: &Planned, adjacent: bool) -> Box<dyn Query> {
        match planned {
            Planned::Alternatives(terms) if terms.len() == 1 => self.term_query(&terms[0].0),
            Planned::Alternatives(terms) => Box::new(BooleanQuery::new(
                terms
                    .iter()
                    .map(|(term, _)| (Occur::Should, self.term_query(term)))
                    .collect(),
            )),
            Planned::Spellings(spellings) => Box::new(BooleanQuery::new(
                spellings
                    .iter()
                    .map(|terms| (Occur::Should, self.all_terms_query(terms)))
                    .collect(),
            )),
            Planned::Phrase(terms) if !adjacent => self.all_terms_query(terms),
            Planned::Phrase(terms) => {
                let in_some_field: Vec<(Occur, Box<dyn Query>)> = self
                    .fields
                    .text
                    .iter()
                    .map(|&field| {
                        let phrase = PhraseQuery::new(
                            terms
                                .iter()
                                .map(|t| Term::from_field_text(field, t))
                                .collect(),
                        );
                        (Occur::Should, Box::new(phrase) as Box<dyn Query>)
                    })
                    .collect();
                let adjacency =
                    ConstScoreQuery::new(Box::new(BooleanQuery::new(in_some_field)), 0.0);
                let mut parts = vec![(Occur::Must, self.all_terms_query(terms))];
                parts.push((Occur::Must, Box::new(adjacency)));
                Box::new(BooleanQuery::new(parts))
            }
        }
    }

    fn all_terms_query(&self, terms: &[String]) -> Box<dyn Query> {
        if terms.len() == 1 {
            return self.term_query(&terms[0]);
        }
        Box::new(BooleanQuery::new(
            terms
                .iter()
                .map(|t| (Occur::Must, self.term_query(t)))
                .collect(),
        ))
    }

    fn term_query(&self, term: &str) -> Box<dyn Query> {
        term_query(&self.fields, term)
    }
}

/// The postings of the terms a query uses, each scored once.
struct PostingsCache<'s> {
    scoring: &'s TermScoring<'s>,
    postings: HashMap<String, Postings>,
}

impl<'s> PostingsCache<'s> {
    fn new(scoring: &'s TermScoring<'s>) -> PostingsCache<'s> {
        PostingsCache {
            scoring,
            postings: HashMap::new(),
        }
    }

    fn load(&mut self, term: &str) -> Result<(), IndexError> {
        if !self.postings.contains_key(term) {
            self.postings
                .insert(term.to_string(), self.scoring.term(term)?);
        }
        Ok(())
    }

    /// How many cases hold a loaded term.
    fn cases(&self, term: &str) -> u32 {
        self.postings.get(term).map_or(0, |p| p.len() as u32)
    }

    /// A loaded term's units in `doc`.
    fn term_units(&self, term: &str, doc: u32) -> Option<u64> {
        let list = self.postings.get(term)?;
        let at = list.binary_search_by_key(&doc, |&(d, _)| d).ok()?;
        Some(u64::from(list[at].1))
    }

    fn all_units(&self, terms: &[String], doc: u32) -> Option<u64> {
        terms.iter().map(|t| self.term_units(t, doc)).sum()
    }

    /// A clause's score in `doc`, in integer units: the best of a word's terms (each scaled
    /// by its factor); for spellings, the terms of every spelling `doc` has whole; for a
    /// phrase, its terms.
    fn units(&self, planned: &Planned, doc: u32) -> u64 {
        match planned {
            Planned::Alternatives(terms) => terms
                .iter()
                .filter_map(|(term, factor)| Some(scaled(self.term_units(term, doc)?, *factor)))
                .max()
                .unwrap_or(0),
            Planned::Spellings(spellings) => spellings
                .iter()
                .filter_map(|terms| self.all_units(terms, doc))
                .sum(),
            Planned::Phrase(terms) => self.all_units(terms, doc).unwrap_or(0),
        }
    }

    /// Whether `doc` has the clause (a phrase: its words, wherever they stand).
    fn has(&self, planned: &Planned, doc: u32) -> bool {
        match planned {
            Planned::Alternatives(terms) => {
                terms.iter().any(|(t, _)| self.term_units(t, doc).is_some())
            }
            Planned::Spellings(spellings) => spellings
                .iter()
                .any(|terms| self.all_units(terms, doc).is_some()),
            Planned::Phrase(terms) => self.all_units(terms, doc).is_some(),
        }
    }
}

/// A term in any text field, each field's score multiplied by its boost: the query whose
/// scores [`super::scoring`] reproduces.
pub(crate) fn term_query(fields: &Fields, term: &str) -> Box<dyn Query> {
    let per_field = fields
        .text
        .iter()
        .zip(TextField::ALL)
        .map(|(&field, text_field)| {
            let query = TermQuery::new(
                Term::from_field_text(field, term),
                IndexRecordOption::WithFreqs,
            );
            (
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(query), text_field.boost())) as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(per_field))
}
