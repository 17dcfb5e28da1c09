//! The search export: the static index the browser reads, derived from the tantivy index.
//!
//! Format version 1, under `search/` in the output (read by `js/casebook-search.js`):
//!
//! - `meta.json`: `{version, docs, fields: [{name, boost}], scoreDecimals, shards: [first
//!   term of each shard], synonyms: [[[token…]…]…], facets: [key…]}`. Shard `i` holds the
//!   terms `t` with `shards[i] <= t < shards[i+1]`, compared as UTF-8 bytes.
//! - `terms/<i>.bin`: the shard's terms in byte order, each as
//!   `varint(len) utf8(term) varint(n) n×varint(doc delta) n×f32le(score)`; doc numbers are
//!   case numbers (slug order), the first delta from 0. A score is what tantivy gives the
//!   term in that document: the sum over the text fields, in schema order, of the field's
//!   boost × BM25 (tantivy's own `Bm25Weight`, so field norms and idf are tantivy's).
//! - `facets.json`: `{<facet>: {label, values: [{name, slug, count}]}}` in `facets` order,
//!   and `facets.bin`: for each facet, for each value, `varint(n) n×varint(doc delta)`.
//! - `docs/<n>.json`: one case's fragment, fetched only for results shown or phrases
//!   checked: `{slug, title, url, summary, text, theme, region, organisation, approach}`
//!   where the four facets are lists and `text` is the body as indexed.
//!
//! varints are LEB128 (7 bits a byte, low first).

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};
use std::sync::Arc;

use serde::Serialize;
use tantivy::columnar::Column;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::postings::TermInfo;
use tantivy::query::Bm25Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Index, InvertedIndexReader, Searcher, Term, TERMINATED};

use super::query::Synonyms;
use super::schema::{Fields, TEXT_FIELDS};
use super::IndexError;
use crate::content::{Case, Facet, Library};

/// The version written into `meta.json`; the runtime refuses other versions.
pub const EXPORT_VERSION: u32 = 1;
/// A shard is closed once it holds this many bytes (a term is never split).
const SHARD_BYTES: usize = 12 * 1024;

/// The runtime and search page scripts, written beside the export.
/// `search/package.json` tells Node the runtime's `.js` files are ES modules, whatever
/// package.json a site is deployed under; browsers ignore it.
pub const RUNTIME_FILES: [(&str, &str); 5] = [
    ("search/package.json", "{ \"type\": \"module\" }\n"),
    (
        "search/casebook-search.js",
        include_str!("js/casebook-search.js"),
    ),
    ("search/analyzer.js", include_str!("js/analyzer.js")),
    ("search/stemmer.js", include_str!("js/stemmer.js")),
    ("search/search-page.js", include_str!("js/search-page.js")),
];

/// What the export needs besides the index.
pub struct ExportInput<'a> {
    /// The cases, in case-number order.
    pub cases: &'a [Case],
    /// Each case's body as indexed (plain text).
    pub body_texts: Vec<&'a str>,
    /// Each case's page path.
    pub urls: Vec<String>,
    /// Each case's summary as pages show it.
    pub summaries: Vec<&'a str>,
    /// Facet values and their cases.
    pub library: &'a Library,
    /// Query expansions from the vocabulary.
    pub synonyms: &'a Synonyms,
}

/// The term shards of an export, kept in memory so a changed case can update only the
/// shards holding its terms.
pub struct SearchExport {
    /// First term of each shard; fixed once written, so shard files keep their names.
    boundaries: Vec<String>,
    /// Per shard, its terms in byte order with their postings.
    shards: Vec<Vec<ScoredTerm>>,
}

impl SearchExport {
    /// Reads every term of the index and splits the terms into shards.
    pub fn from_index(index: &Index, fields: &Fields) -> Result<SearchExport, IndexError> {
        let searcher = index.reader()?.searcher();
        let terms = TermScoring::new(&searcher, fields)?.all_terms()?;
        let mut boundaries = Vec::new();
        let mut shards: Vec<Vec<ScoredTerm>> = Vec::new();
        let mut size = SHARD_BYTES;
        for term in terms {
            if size >= SHARD_BYTES {
                boundaries.push(term.0.clone());
                shards.push(Vec::new());
                size = 0;
            }
            size += encoded_size(&term);
            shards.last_mut().expect("a shard was opened").push(term);
        }
        Ok(SearchExport { boundaries, shards })
    }

    /// Every file of the export: shards, meta, facets, fragments and the runtime.
    pub fn files(&self, input: &ExportInput) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> =
            (0..self.shards.len()).map(|i| self.shard_file(i)).collect();
        files.push((
            "search/meta.json".into(),
            meta_json(input, self.boundaries.clone()),
        ));
        files.extend(facet_files(input));
        files.extend((0..input.cases.len()).map(|number| fragment_file(input, number)));
        files.extend(
            RUNTIME_FILES
                .iter()
                .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec())),
        );
        files
    }

    /// Scores `terms` afresh from the index (a case holding them changed) and returns the
    /// shard files that changed.
    pub fn update_terms(
        &mut self,
        index: &Index,
        fields: &Fields,
        terms: &BTreeSet<String>,
    ) -> Result<Vec<(String, Vec<u8>)>, IndexError> {
        let searcher = index.reader()?.searcher();
        let scoring = TermScoring::new(&searcher, fields)?;
        let mut touched = BTreeSet::new();
        for term in terms {
            let postings = scoring.term(term)?;
            let shard = self
                .boundaries
                .partition_point(|b| b.as_str() <= term.as_str())
                .saturating_sub(1);
            let Some(terms) = self.shards.get_mut(shard) else {
                continue;
            };
            match (
                terms.binary_search_by(|(t, _)| t.as_str().cmp(term)),
                postings.is_empty(),
            ) {
                (Ok(at), true) => {
                    terms.remove(at);
                }
                (Ok(at), false) => terms[at].1 = postings,
                (Err(at), false) => terms.insert(at, (term.clone(), postings)),
                (Err(_), true) => continue,
            }
            touched.insert(shard);
        }
        Ok(touched.into_iter().map(|i| self.shard_file(i)).collect())
    }

    fn shard_file(&self, index: usize) -> (String, Vec<u8>) {
        let mut bytes = Vec::new();
        for (term, postings) in &self.shards[index] {
            encode_term(&mut bytes, term, postings);
        }
        (format!("search/terms/{index}.bin"), bytes)
    }
}

/// The fragment file of one case.
pub fn fragment_file(input: &ExportInput, number: usize) -> (String, Vec<u8>) {
    (
        format!("search/docs/{number}.json"),
        fragment(input, number, &input.cases[number]),
    )
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Meta<'a> {
    version: u32,
    docs: usize,
    fields: Vec<FieldMeta>,
    score_decimals: i32,
    shards: Vec<String>,
    synonyms: &'a [Vec<Vec<String>>],
    facets: Vec<&'static str>,
}

#[derive(Serialize)]
struct FieldMeta {
    name: &'static str,
    boost: f32,
}

fn meta_json(input: &ExportInput, shards: Vec<String>) -> Vec<u8> {
    let meta = Meta {
        version: EXPORT_VERSION,
        docs: input.cases.len(),
        fields: TEXT_FIELDS
            .iter()
            .map(|&(name, boost)| FieldMeta { name, boost })
            .collect(),
        score_decimals: super::search::SCORE_DECIMALS,
        shards,
        synonyms: &input.synonyms.groups,
        facets: Facet::ALL.iter().map(|f| f.key()).collect(),
    };
    serde_json::to_vec(&meta).expect("plain data")
}

#[derive(Serialize)]
struct FacetValues {
    label: &'static str,
    values: Vec<FacetValueMeta>,
}

#[derive(Serialize)]
struct FacetValueMeta {
    name: String,
    slug: String,
    count: usize,
}

/// `facets.json` and `facets.bin`.
pub fn facet_files(input: &ExportInput) -> Vec<(String, Vec<u8>)> {
    let mut names = serde_json::Map::new();
    let mut members = Vec::new();
    for facet in Facet::ALL {
        let values = input.library.values(facet);
        let meta = FacetValues {
            label: facet.label(),
            values: values
                .iter()
                .map(|v| FacetValueMeta {
                    name: v.name.clone(),
                    slug: v.slug.clone(),
                    count: v.cases.len(),
                })
                .collect(),
        };
        names.insert(
            facet.key().to_string(),
            serde_json::to_value(meta).expect("plain data"),
        );
        for value in values {
            let mut docs = value.cases.clone();
            docs.sort_unstable();
            write_varint(&mut members, docs.len() as u64);
            let mut previous = 0;
            for doc in docs {
                write_varint(&mut members, (doc - previous) as u64);
                previous = doc;
            }
        }
    }
    vec![
        (
            "search/facets.json".into(),
            serde_json::to_vec(&names).expect("plain data"),
        ),
        ("search/facets.bin".into(), members),
    ]
}

#[derive(Serialize)]
struct Fragment<'a> {
    slug: &'a str,
    title: &'a str,
    url: &'a str,
    summary: &'a str,
    text: &'a str,
    theme: &'a [String],
    region: &'a [String],
    organisation: &'a [String],
    approach: &'a [String],
}

fn fragment(input: &ExportInput, number: usize, case: &Case) -> Vec<u8> {
    let fragment = Fragment {
        slug: &case.slug,
        title: &case.title,
        url: &input.urls[number],
        summary: input.summaries[number],
        text: input.body_texts[number],
        theme: case.values(Facet::Theme),
        region: case.values(Facet::Region),
        organisation: case.values(Facet::Organisation),
        approach: case.values(Facet::Approach),
    };
    serde_json::to_vec(&fragment).expect("plain data")
}

fn encoded_size((term, postings): &ScoredTerm) -> usize {
    term.len() + postings.len() * 5 + 4
}

fn encode_term(out: &mut Vec<u8>, term: &str, postings: &[(u32, f32)]) {
    write_varint(out, term.len() as u64);
    out.extend_from_slice(term.as_bytes());
    write_varint(out, postings.len() as u64);
    let mut previous = 0;
    for &(doc, _) in postings {
        write_varint(out, u64::from(doc - previous));
        previous = doc;
    }
    for &(_, score) in postings {
        out.extend_from_slice(&score.to_le_bytes());
    }
}

/// Appends `value` as a LEB128 varint.
pub fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A term and its postings: (case number, score) by case number.
type ScoredTerm = (String, Vec<(u32, f32)>);

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
struct TermScoring<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    total_docs: u64,
    average_norms: Vec<f32>,
    sources: Vec<FieldSegment>,
}

impl<'a> TermScoring<'a> {
    fn new(searcher: &'a Searcher, fields: &'a Fields) -> Result<TermScoring<'a>, IndexError> {
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

    /// Every term of the index, in byte order, with its postings.
    fn all_terms(&self) -> Result<Vec<ScoredTerm>, IndexError> {
        let mut streams = Vec::new();
        for source in &self.sources {
            streams.push(
                source
                    .inverted
                    .terms()
                    .stream()
                    .map_err(tantivy::TantivyError::from)?,
            );
        }
        // One sorted stream per (segment, field), merged so each term is seen once.
        let mut heap = BinaryHeap::new();
        for (i, stream) in streams.iter_mut().enumerate() {
            if stream.advance() {
                heap.push(Reverse((stream.key().to_vec(), i)));
            }
        }
        let mut terms = Vec::new();
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
            let postings = self.score(&found)?;
            if let (Ok(term), false) = (String::from_utf8(key), postings.is_empty()) {
                terms.push((term, postings));
            }
        }
        Ok(terms)
    }

    /// The postings of one term (empty when no live case has it).
    fn term(&self, term: &str) -> Result<Vec<(u32, f32)>, IndexError> {
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
        self.score(&found)
    }

    /// Scores a term from where it was found: (source index, its term info there).
    fn score(&self, found: &[(usize, TermInfo)]) -> Result<Vec<(u32, f32)>, IndexError> {
        // Per field: the term's document frequency over all segments, as tantivy counts it.
        let mut doc_freq = [0u64; 7];
        for (i, info) in found {
            doc_freq[self.sources[*i].field] += u64::from(info.doc_freq);
        }
        let mut scored: Vec<(u32, usize, f32)> = Vec::new();
        for (i, info) in found {
            let source = &self.sources[*i];
            let weight = Bm25Weight::for_one_term(
                doc_freq[source.field],
                self.total_docs,
                self.average_norms[source.field],
            )
            .boost_by(TEXT_FIELDS[source.field].1);
            let alive = self.searcher.segment_readers()[source.segment].alive_bitset();
            let mut postings = source
                .inverted
                .read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)
                .map_err(tantivy::TantivyError::from)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    let number = source.numbers.first(doc).unwrap_or_default() as u32;
                    scored.push((
                        number,
                        source.field,
                        weight.score(source.norms.fieldnorm_id(doc), postings.term_freq()),
                    ));
                }
                doc = postings.advance();
            }
        }
        scored.sort_unstable_by_key(|&(doc, field, _)| (doc, field));
        let mut postings: Vec<(u32, f32)> = Vec::new();
        for (doc, _, score) in scored {
            match postings.last_mut() {
                Some((last, total)) if *last == doc => *total += score,
                _ => postings.push((doc, score)),
            }
        }
        Ok(postings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_are_leb128() {
        let mut out = Vec::new();
        write_varint(&mut out, 5);
        write_varint(&mut out, 300);
        assert_eq!(out, [5, 0xac, 0x02]);
    }
}
