//! Snippets for `casebook search`: a passage of the body around the matches (else of the
//! summary), with the matched words' byte ranges. `js/snippet.js` makes the browser's.

use tantivy::query::Query;
use tantivy::schema::TantivyDocument;
use tantivy::snippet::SnippetGenerator;
use tantivy::Searcher;

use super::schema::{Fields, TextField};

/// A passage of text with the byte ranges of the matched words.
#[derive(Debug, Clone)]
pub struct HitSnippet {
    /// The passage.
    pub text: String,
    /// Byte ranges of matches in `text`.
    pub highlights: Vec<std::ops::Range<usize>>,
}

/// Makes the snippets of one query's hits.
pub(super) struct Snippets {
    generator: SnippetGenerator,
    summary: tantivy::schema::Field,
}

impl Snippets {
    /// Snippets of `query`'s matches in the body; `None` when tantivy cannot make them.
    pub(super) fn new(searcher: &Searcher, query: &dyn Query, fields: &Fields) -> Option<Snippets> {
        let generator =
            SnippetGenerator::create(searcher, query, fields.of(TextField::Body)).ok()?;
        Some(Snippets {
            generator,
            summary: fields.of(TextField::Summary),
        })
    }

    /// The snippet of one hit: from its body, else its summary; `None` when both are empty.
    pub(super) fn of(&self, doc: &TantivyDocument) -> Option<HitSnippet> {
        use tantivy::schema::Value;
        let mut snippet = self.generator.snippet_from_doc(doc);
        if snippet.fragment().is_empty() {
            let summary = doc
                .get_first(self.summary)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            snippet = self.generator.snippet(summary);
        }
        let text = snippet.fragment().to_string();
        (!text.is_empty()).then(|| HitSnippet {
            highlights: merge_ranges(snippet.highlighted()),
            text,
        })
    }
}

/// Sorted, non-overlapping ranges: a hyphenated word's whole and its parts overlap.
fn merge_ranges(ranges: &[std::ops::Range<usize>]) -> Vec<std::ops::Range<usize>> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for range in sorted {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_highlights_merge() {
        assert_eq!(
            merge_ranges(&[4..17, 4..6, 7..17, 20..22]),
            vec![4..17, 20..22]
        );
    }
}
