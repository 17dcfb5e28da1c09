//! Per-term scores, the one ranking both `casebook search` and the browser use.
//!
//! A term's score in a case is what tantivy gives it there: the sum over the text fields, in
//! schema order, of the field's boost × BM25 (tantivy's own `Bm25Weight`, so field norms and
//! idf are tantivy's). It is then rounded to [`SCORE_DECIMALS`] decimals and kept as an
//! integer number of those units. A result's score is the sum of its terms' integers: the
//! export hands the browser exactly these integers, and the CLI sums the same ones, so both
//! rank alike by construction, with no float noise from summing in another order.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use tantivy::columnar::Column;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings as _, TermInfo};
use tantivy::query::Bm25Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, InvertedIndexReader, Searcher, Term, TERMINATED};

use super::schema::{Fields, TextField};
use super::IndexError;

/// Scores are kept to this many decimals. Finer differences than a thousandth of a BM25
/// point say nothing about relevance, and coarser integers make smaller shards.
pub const SCORE_DECIMALS: i32 = 3;

/// A term's postings: (case number, score in units of 10^-[`SCORE_DECIMALS`]) by case number.
pub type Postings = Vec<(u32, u32)>;

/// A term and its postings.
pub type ScoredTerm = (String, Postings);

/// A tantivy score in integer units of 10^-[`SCORE_DECIMALS`].
pub fn quantise(score: f32) -> u32 {
    (f64::from(score) * 10f64.powi(SCORE_DECIMALS)).round() as u32
}

/// An integer score as a number, for display.
pub fn score_value(units: u64) -> f64 {
    units as f64 / 10f64.powi(SCORE_DECIMALS)
}

/// The key results are sorted by: score (higher first), then case number (slug order).
pub fn rank_key(units: u64, doc: u32) -> (Reverse<u64>, u32) {
    (Reverse(units), doc)
}

/// One text field of one segment, with what scoring its terms needs.
struct FieldSegment {
    segment: usize,
    field: usize,
    inverted: Arc<InvertedIndexReader>,
    norms: FieldNormReader,
    numbers: Column<u64>,
}

/// Scores terms exactly as tantivy's `TermQuery` in a `BoostQuery` does, per field, and sums
/// the fields in schema order as a `BooleanQuery` of them does.
pub struct TermScoring<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    total_docs: u64,
    average_norms: Vec<f32>,
    sources: Vec<FieldSegment>,
}

impl<'a> TermScoring<'a> {
    /// Reads the statistics scoring needs from every segment the searcher sees.
    pub fn new(searcher: &'a Searcher, fields: &'a Fields) -> Result<TermScoring<'a>, IndexError> {
        let total_docs: u64 = searcher
            .segment_readers()
            .iter()
            .map(|s| u64::from(s.max_doc()))
            .sum();
        let mut average_norms = Vec::new();
        for &field in &fields.text {
            let mut tokens = 0u64;
            for segment in searcher.segment_readers() {
                tokens += segment.inverted_index(field)?.total_num_tokens();
            }
            // The same expression tantivy's Bm25Weight::for_terms uses.
            average_norms.push(tokens as f32 / total_docs.max(1) as f32);
        }
        let mut sources = Vec::new();
        for (segment_index, segment) in searcher.segment_readers().iter().enumerate() {
            let numbers = segment.fast_fields().u64("doc")?;
            for (field_index, &field) in fields.text.iter().enumerate() {
                sources.push(FieldSegment {
                    segment: segment_index,
                    field: field_index,
                    inverted: segment.inverted_index(field)?,
                    norms: segment.get_fieldnorms_reader(field)?,
                    numbers: numbers.clone(),
                });
            }
        }
        Ok(TermScoring {
            searcher,
            fields,
            total_docs,
            average_norms,
            sources,
        })
    }

    /// Hands every term of the index to `each`, in byte order, with its postings, holding
    /// only one term's postings at a time.
    pub fn each_term<E: From<IndexError>>(
        &self,
        mut each: impl FnMut(String, Postings) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut streams = Vec::new();
        for source in &self.sources {
            streams.push(
                source
                    .inverted
                    .terms()
                    .stream()
                    .map_err(|e| IndexError::from(tantivy::TantivyError::from(e)))?,
            );
        }
        // One sorted stream per (segment, field), merged so each term is seen once.
        let mut heap = BinaryHeap::new();
        for (i, stream) in streams.iter_mut().enumerate() {
            if stream.advance() {
                heap.push(Reverse((stream.key().to_vec(), i)));
            }
        }
        let mut scratch = Vec::new();
        while let Some(Reverse((key, first))) = heap.pop() {
            let mut found = vec![(first, streams[first].value().clone())];
            while heap.peek().is_some_and(|Reverse((k, _))| *k == key) {
                let Reverse((_, i)) = heap.pop().expect("peeked");
                found.push((i, streams[i].value().clone()));
            }
            for &(i, _) in &found {
                if streams[i].advance() {
                    heap.push(Reverse((streams[i].key().to_vec(), i)));
                }
            }
            let postings = self.score(&found, &mut scratch)?;
            if let (Ok(term), false) = (String::from_utf8(key), postings.is_empty()) {
                each(term, postings)?;
            }
        }
        Ok(())
    }

    /// The postings of one term (empty when no live case has it).
    pub fn term(&self, term: &str) -> Result<Postings, IndexError> {
        let mut found = Vec::new();
        for (i, source) in self.sources.iter().enumerate() {
            let key = Term::from_field_text(self.fields.text[source.field], term);
            if let Some(info) = source
                .inverted
                .get_term_info(&key)
                .map_err(tantivy::TantivyError::from)?
            {
                found.push((i, info));
            }
        }
        self.score(&found, &mut Vec::new())
    }

    /// Scores a term from where it was found: (source index, its term info there).
    /// `scratch` is reused between terms to spare an allocation per term.
    fn score(
        &self,
        found: &[(usize, TermInfo)],
        scratch: &mut Vec<(u32, usize, f32)>,
    ) -> Result<Postings, IndexError> {
        // Per field: the term's document frequency over all segments, as tantivy counts it.
        let mut doc_freq = vec![0u64; self.fields.text.len()];
        for (i, info) in found {
            doc_freq[self.sources[*i].field] += u64::from(info.doc_freq);
        }
        scratch.clear();
        for (i, info) in found {
            let source = &self.sources[*i];
            let weight = Bm25Weight::for_one_term(
                doc_freq[source.field],
                self.total_docs,
                self.average_norms[source.field],
            )
            .boost_by(TextField::ALL[source.field].boost());
            let alive = self.searcher.segment_readers()[source.segment].alive_bitset();
            let mut postings = source
                .inverted
                .read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)
                .map_err(tantivy::TantivyError::from)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    let number = source.numbers.first(doc).unwrap_or_default() as u32;
                    scratch.push((
                        number,
                        source.field,
                        weight.score(source.norms.fieldnorm_id(doc), postings.term_freq()),
                    ));
                }
                doc = postings.advance();
            }
        }
        scratch.sort_unstable_by_key(|&(doc, field, _)| (doc, field));
        // Fields are summed in f32 and schema order, as tantivy's BooleanQuery sums them.
        let mut sums: Vec<(u32, f32)> = Vec::new();
        for &(doc, _, score) in scratch.iter() {
            match sums.last_mut() {
                Some((last, total)) if *last == doc => *total += score,
                _ => sums.push((doc, score)),
            }
        }
        Ok(sums
            .into_iter()
            .map(|(doc, score)| (doc, quantise(score)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use tantivy::collector::TopDocs;

    use super::*;
    use crate::content::Case;
    use crate::index::search::term_query;
    use crate::index::writer::LiveIndex;
    use crate::index::IndexedCase;

    fn case(slug: &str, title: &str, theme: &str, body: &str) -> Case {
        Case {
            path: PathBuf::from(format!("{slug}.md")),
            slug: slug.into(),
            title: title.into(),
            summary: Some(format!("{title}, in short")),
            facets: [
                vec![theme.into()],
                vec!["Wales".into()],
                vec![format!("{slug} trust")],
                vec!["peer review".into()],
                Vec::new(),
            ],
            country_from_region: false,
            year: Some(2020),
            date: None,
            updated: None,
            reviewed: None,
            sources: vec![],
            draft: false,
            aliases: vec![],
            image: None,
            body: body.into(),
            body_line: 1,
            key_lines: vec![],
            modified: None,
        }
    }

    /// tantivy's own score for `term` in each case, from the query `casebook search` builds.
    fn tantivy_scores(searcher: &Searcher, fields: &Fields, term: &str) -> Vec<(u32, f32)> {
        let mut scores: Vec<(u32, f32)> = searcher
            .search(&term_query(fields, term), &TopDocs::with_limit(100))
            .unwrap()
            .into_iter()
            .map(|(score, address)| {
                let numbers = searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields()
                    .u64("doc")
                    .unwrap();
                (numbers.first(address.doc_id).unwrap() as u32, score)
            })
            .collect();
        scores.sort_by_key(|&(doc, _)| doc);
        scores
    }

    #[test]
    fn term_scores_are_tantivys_rounded() {
        let cases = [
            case(
                "a",
                "Older people at home",
                "tele-care",
                "Older people stay at home with tele-care. Older residents lead.",
            ),
            case(
                "b",
                "Budgets for parks",
                "participatory budgeting",
                "Residents voted on budgets; older people voted too.",
            ),
            case(
                "c",
                "Peer review in Wales",
                "co-production",
                "A long text about peer review and co-production in Wales, with people.",
            ),
            case(
                "d",
                "Wales and people",
                "co-production",
                "People people people in Wales.",
            ),
        ];
        let indexed: Vec<IndexedCase> = cases
            .iter()
            .map(|c| IndexedCase {
                case: c,
                body_text: &c.body,
                url: "/cases/x/",
            })
            .collect();
        let cache = tempfile::tempdir().unwrap();
        let index = LiveIndex::create(cache.path(), &indexed)
            .unwrap()
            .finish()
            .unwrap();
        let (_, fields) = crate::index::schema::schema();
        let searcher = index.reader().unwrap().searcher();
        let scoring = TermScoring::new(&searcher, &fields).unwrap();
        for term in [
            "older",
            "peopl",
            "wale",
            "budget",
            "co",
            "product",
            "coproduct",
            "trust",
        ] {
            let ours = scoring.term(term).unwrap();
            let theirs = tantivy_scores(&searcher, &fields, term);
            assert!(!ours.is_empty(), "{term} is indexed");
            assert_eq!(
                ours.iter().map(|p| p.0).collect::<Vec<_>>(),
                theirs.iter().map(|p| p.0).collect::<Vec<_>>(),
                "{term}: the same cases"
            );
            for (&(doc, units), &(_, score)) in ours.iter().zip(&theirs) {
                assert_eq!(units, quantise(score), "{term} in case {doc}");
            }
        }
        assert!(scoring.term("absent").unwrap().is_empty());
    }

    #[test]
    fn ranks_by_score_then_case_number() {
        let mut keys = [(5, 2), (7, 9), (5, 1)].map(|(units, doc)| rank_key(units, doc));
        keys.sort();
        assert_eq!(keys.map(|(_, doc)| doc), [9, 1, 2]);
        assert_eq!(score_value(12_345), 12.345);
        assert_eq!(quantise(1.23449), 1234);
    }
}
