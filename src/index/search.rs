//! Running a query on the tantivy index: matching, ranking, snippets and suggestions.

use std::collections::HashMap;
use std::path::Path;

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{IndexRecordOption, TantivyDocument, Value};
use tantivy::{DocAddress, IndexReader, Searcher, Term};

use super::analyzer::{analyze, Mode};
use super::query::{parse, Clause, Synonyms};
use super::schema::{Fields, TextField};
use super::scoring::{rank_key, score_value, Postings, TermScoring};
pub use super::snippet::HitSnippet;
use super::snippet::Snippets;
use super::writer::{facet_path, open_index};
use super::IndexError;
use crate::content::{Facet, Vocabulary};

/// A query with its filters.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// What was typed.
    pub query: String,
    /// Per facet ([`Facet::ALL`] order), the values a result must have one of.
    pub filters: [Vec<String>; 4],
    /// How many hits to return.
    pub limit: usize,
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
    /// A passage of the body around the matches.
    #[serde(skip)]
    pub snippet: Option<HitSnippet>,
}

/// The outcome of a search.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// The best hits, best first.
    pub hits: Vec<Hit>,
    /// How many cases matched in all.
    pub total: usize,
    /// When nothing matched: indexed words close to the query's unknown words.
    pub suggestions: Vec<String>,
}

/// An open index, ready to answer queries.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    synonyms: Synonyms,
}

impl SearchIndex {
    /// Opens the index a build left in `cache_dir`; the vocabulary's synonyms expand queries.
    pub fn open(cache_dir: &Path, vocabulary: &Vocabulary) -> Result<SearchIndex, IndexError> {
        let (index, fields) = open_index(cache_dir)?;
        let reader = index.reader()?;
        Ok(SearchIndex {
            reader,
            fields,
            synonyms: Synonyms::from_vocabulary(vocabulary),
        })
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, IndexError> {
        let clauses = parse(&request.query, &self.synonyms);
        let has_filters = request.filters.iter().any(|f| !f.is_empty());
        if clauses.is_empty() && !has_filters {
            return Ok(SearchResults {
                hits: Vec::new(),
                total: 0,
                suggestions: Vec::new(),
            });
        }
        let query = self.build_query(&clauses, &request.filters);
        let searcher = self.reader.searcher();
        // tantivy decides which cases match (terms in any field, phrases, filters); they rank
        // by the sum of their terms' integer scores, the very numbers the export hands the
        // browser, so both orders agree exactly.
        let scoring = TermScoring::new(&searcher, &self.fields)?;
        let mut postings: HashMap<&str, Postings> = HashMap::new();
        for term in clauses.iter().flat_map(Clause::terms) {
            if !postings.contains_key(term) {
                postings.insert(term, scoring.term(term)?);
            }
        }
        let mut matches: Vec<(u64, u32, DocAddress)> = searcher
            .search(&query, &DocSetCollector)?
            .into_iter()
            .map(|address| {
                let doc = self.doc_number(&searcher, address)? as u32;
                let units = clauses
                    .iter()
                    .map(|c| clause_units(c, doc, &postings))
                    .sum();
                Ok((units, doc, address))
            })
            .collect::<Result<_, IndexError>>()?;
        matches.sort_by_key(|&(units, doc, _)| rank_key(units, doc));
        let total = matches.len();
        let snippets = Snippets::new(&searcher, &query, &self.fields);
        let mut hits = Vec::new();
        for (units, _, address) in matches.into_iter().take(request.limit) {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let snippet = snippets.as_ref().and_then(|s| s.of(&doc));
            hits.push(Hit {
                slug: text(self.fields.slug),
                title: text(self.fields.of(TextField::Title)),
                url: text(self.fields.url),
                score: score_value(units),
                snippet,
            });
        }
        let suggestions = if total == 0 {
            self.suggest(&searcher, &clauses)?
        } else {
            Vec::new()
        };
        Ok(SearchResults {
            hits,
            total,
            suggestions,
        })
    }

    fn doc_number(&self, searcher: &Searcher, address: DocAddress) -> Result<u64, IndexError> {
        let column = searcher
            .segment_reader(address.segment_ord)
            .fast_fields()
            .u64("doc")?;
        Ok(column.first(address.doc_id).unwrap_or(u64::MAX))
    }

    fn build_query(&self, clauses: &[Clause], filters: &[Vec<String>; 4]) -> BooleanQuery {
        let mut parts: Vec<(Occur, Box<dyn Query>)> = clauses
            .iter()
            .map(|c| (Occur::Must, self.clause_query(c)))
            .collect();
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

    fn clause_query(&self, clause: &Clause) -> Box<dyn Query> {
        match clause {
            Clause::Term(term) => self.term_query(term),
            Clause::Any(alternatives) => Box::new(BooleanQuery::new(
                alternatives
                    .iter()
                    .map(|terms| (Occur::Should, self.all_terms_query(terms)))
                    .collect(),
            )),
            Clause::Phrase(terms) => {
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

    /// Indexed words nearest to the query's words that appear nowhere.
    fn suggest(&self, searcher: &Searcher, clauses: &[Clause]) -> Result<Vec<String>, IndexError> {
        let mut suggestions = Vec::new();
        for clause in clauses {
            for term in clause.terms() {
                if self.doc_freq(searcher, term)? > 0 {
                    continue;
                }
                if let Some(near) = self.nearest_term(searcher, term)? {
                    if let Some(word) = self.surface_form(searcher, &near)? {
                        if !suggestions.contains(&word) {
                            suggestions.push(word);
                        }
                    }
                }
            }
        }
        Ok(suggestions)
    }

    fn doc_freq(&self, searcher: &Searcher, term: &str) -> Result<u64, IndexError> {
        let mut total = 0;
        for &field in &self.fields.text {
            total += searcher.doc_freq(&Term::from_field_text(field, term))?;
        }
        Ok(total)
    }

    fn nearest_term(&self, searcher: &Searcher, term: &str) -> Result<Option<String>, IndexError> {
        let mut best: Option<(usize, std::cmp::Reverse<u32>, String)> = None;
        let max_distance = if term.chars().count() <= 4 { 1 } else { 2 };
        for segment in searcher.segment_readers() {
            for &field in &[
                self.fields.of(TextField::Title),
                self.fields.of(TextField::Body),
            ] {
                let inverted = segment.inverted_index(field)?;
                let mut stream = inverted
                    .terms()
                    .stream()
                    .map_err(tantivy::TantivyError::from)?;
                while stream.advance() {
                    let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    if candidate.len().abs_diff(term.len()) > max_distance {
                        continue;
                    }
                    let distance = strsim::damerau_levenshtein(term, candidate);
                    if distance == 0 || distance > max_distance {
                        continue;
                    }
                    let key = (
                        distance,
                        std::cmp::Reverse(stream.value().doc_freq),
                        candidate.to_string(),
                    );
                    if best.as_ref().is_none_or(|b| key < *b) {
                        best = Some(key);
                    }
                }
            }
        }
        Ok(best.map(|(_, _, term)| term))
    }

    /// A word as written in the text that analyzes to `term`, for showing a suggestion.
    fn surface_form(&self, searcher: &Searcher, term: &str) -> Result<Option<String>, IndexError> {
        for &field in &[
            self.fields.of(TextField::Title),
            self.fields.of(TextField::Body),
            self.fields.of(TextField::Summary),
        ] {
            let query =
                TermQuery::new(Term::from_field_text(field, term), IndexRecordOption::Basic);
            for (_, address) in searcher.search(&query, &TopDocs::with_limit(1))? {
                let doc: TantivyDocument = searcher.doc(address)?;
                let text = doc
                    .get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                if let Some(token) = analyze(&text, Mode::Index)
                    .into_iter()
                    .find(|t| t.text == term)
                {
                    return Ok(Some(text[token.start..token.end].to_lowercase()));
                }
            }
        }
        Ok(None)
    }
}

/// A clause's score in `doc`, in integer units: the sum of its terms' scores there (for
/// "any of" clauses, of the terms of every spelling `doc` has whole).
fn clause_units(clause: &Clause, doc: u32, postings: &HashMap<&str, Postings>) -> u64 {
    let units = |term: &str| {
        let list = postings.get(term)?;
        let at = list.binary_search_by_key(&doc, |&(d, _)| d).ok()?;
        Some(u64::from(list[at].1))
    };
    let all = |terms: &[String]| -> Option<u64> { terms.iter().map(|t| units(t)).sum() };
    match clause {
        Clause::Term(term) => units(term).unwrap_or(0),
        Clause::Phrase(terms) => all(terms).unwrap_or(0),
        Clause::Any(alternatives) => alternatives.iter().filter_map(|a| all(a)).sum(),
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
