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
use std::collections::BinaryHeap;

use serde::Serialize;
use tantivy::postings::Postings;
use tantivy::query::Bm25Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::termdict::TermStreamer;
use tantivy::{DocSet, Index, Searcher, TERMINATED};

use super::query::Synonyms;
use super::schema::{Fields, TEXT_FIELDS};
use super::IndexError;
use crate::content::{Case, Facet, Library};

/// The version written into `meta.json`; the runtime refuses other versions.
pub const EXPORT_VERSION: u32 = 1;
/// A shard is closed once it holds this many bytes (a term is never split).
const SHARD_BYTES: usize = 12 * 1024;

/// The runtime and search page scripts, written beside the export.
pub const RUNTIME_FILES: [(&str, &str); 4] = [
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

/// Writes the export: a list of (path under the output, bytes).
pub fn export(
    index: &Index,
    fields: &Fields,
    input: &ExportInput,
) -> Result<Vec<(String, Vec<u8>)>, IndexError> {
    let searcher = index.reader()?.searcher();
    let terms = scored_terms(&searcher, fields)?;
    let mut files = Vec::new();
    let mut boundaries = Vec::new();
    let mut shard = Vec::new();
    for (term, postings) in &terms {
        if shard.is_empty() {
            boundaries.push(term.clone());
        }
        encode_term(&mut shard, term, postings);
        if shard.len() >= SHARD_BYTES {
            files.push((
                format!("search/terms/{}.bin", boundaries.len() - 1),
                std::mem::take(&mut shard),
            ));
        }
    }
    if !shard.is_empty() {
        files.push((format!("search/terms/{}.bin", boundaries.len() - 1), shard));
    }
    files.push(("search/meta.json".into(), meta_json(input, boundaries)));
    files.extend(facet_files(input));
    for (number, case) in input.cases.iter().enumerate() {
        files.push((
            format!("search/docs/{number}.json"),
            fragment(input, number, case),
        ));
    }
    files.extend(
        RUNTIME_FILES
            .iter()
            .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec())),
    );
    Ok(files)
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

fn facet_files(input: &ExportInput) -> Vec<(String, Vec<u8>)> {
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

/// Every term of every text field with, per case number, the score tantivy gives it.
fn scored_terms(searcher: &Searcher, fields: &Fields) -> Result<Vec<ScoredTerm>, IndexError> {
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
        average_norms.push(tokens as f32 / total_docs as f32);
    }

    // One sorted term stream per (segment, field), merged so each term is seen once.
    let mut readers = Vec::new();
    for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
        let numbers = segment.fast_fields().u64("doc")?;
        for (field_index, &field) in fields.text.iter().enumerate() {
            let inverted = segment.inverted_index(field)?;
            let norms = segment.get_fieldnorms_reader(field)?;
            readers.push((segment_ord, field_index, inverted, norms, numbers.clone()));
        }
    }
    let mut streams: Vec<TermStreamer> = Vec::new();
    for (_, _, inverted, _, _) in &readers {
        streams.push(
            inverted
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?,
        );
    }
    let mut heap = BinaryHeap::new();
    for (i, stream) in streams.iter_mut().enumerate() {
        if stream.advance() {
            heap.push(Reverse((stream.key().to_vec(), i)));
        }
    }
    let mut terms = Vec::new();
    while let Some(Reverse((key, first))) = heap.pop() {
        let mut sources = vec![first];
        while heap.peek().is_some_and(|Reverse((k, _))| *k == key) {
            let Reverse((_, i)) = heap.pop().expect("peeked");
            sources.push(i);
        }
        // Per field: the term's document frequency over all segments, as tantivy counts it.
        let mut doc_freq = [0u64; 7];
        for &i in &sources {
            doc_freq[readers[i].1] += u64::from(streams[i].value().doc_freq);
        }
        let mut scored: Vec<(u32, usize, f32)> = Vec::new();
        for &i in &sources {
            let (segment_ord, field_index, inverted, norms, numbers) = &readers[i];
            let weight = Bm25Weight::for_one_term(
                doc_freq[*field_index],
                total_docs,
                average_norms[*field_index],
            )
            .boost_by(TEXT_FIELDS[*field_index].1);
            let alive = searcher.segment_readers()[*segment_ord].alive_bitset();
            let mut postings = inverted
                .read_postings_from_terminfo(streams[i].value(), IndexRecordOption::WithFreqs)
                .map_err(tantivy::TantivyError::from)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    let number = numbers.first(doc).unwrap_or_default() as u32;
                    scored.push((
                        number,
                        *field_index,
                        weight.score(norms.fieldnorm_id(doc), postings.term_freq()),
                    ));
                }
                doc = postings.advance();
            }
        }
        for &i in &sources {
            if streams[i].advance() {
                heap.push(Reverse((streams[i].key().to_vec(), i)));
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
        if let (Ok(term), false) = (String::from_utf8(key), postings.is_empty()) {
            terms.push((term, postings));
        }
    }
    Ok(terms)
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
