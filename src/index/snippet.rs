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
        let snippet = one_block(snippet.fragment(), &merge_ranges(snippet.highlighted()));
        (!snippet.text.is_empty()).then_some(snippet)
    }
}

/// The block (line) of `text` with the most highlights, the longer on a tie: the body's text
/// has a block (paragraph, heading, list item) a line, and a passage running a heading into
/// the paragraph below it reads as one garbled sentence.
fn one_block(text: &str, highlights: &[std::ops::Range<usize>]) -> HitSnippet {
    let mut best: Option<(usize, std::ops::Range<usize>)> = None;
    let mut start = 0;
    for line in text.split('\n') {
        let range = start..start + line.len();
        start = range.end + 1;
        let count = highlights
            .iter()
            .filter(|h| h.start >= range.start && h.end <= range.end)
            .count();
        let better = match &best {
            None => true,
            Some((most, chosen)) => count > *most || (count == *most && range.len() > chosen.len()),
        };
        if better {
            best = Some((count, range));
        }
    }
    let range = best.map_or(0..0, |(_, range)| range);
    let line = &text[range.clone()];
    let from = range.start + (line.len() - line.trim_start().len());
    HitSnippet {
        text: line.trim().to_string(),
        highlights: highlights
            .iter()
            .filter(|h| h.start >= range.start && h.end <= range.end)
            .map(|h| h.start - from..h.end - from)
            .collect(),
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
    fn a_snippet_keeps_to_one_block() {
        let text = "Related cases\nOldham's care for older people and care at home";
        let care = text.find("care for").unwrap();
        let home = text.rfind("care").unwrap();
        let snippet = one_block(text, &[care..care + 4, home..home + 4]);
        assert_eq!(
            snippet.text,
            "Oldham's care for older people and care at home"
        );
        let shown: Vec<&str> = snippet
            .highlights
            .iter()
            .map(|h| &snippet.text[h.clone()])
            .collect();
        assert_eq!(shown, ["care", "care"]);
    }

    #[test]
    fn overlapping_highlights_merge() {
        assert_eq!(
            merge_ranges(&[4..17, 4..6, 7..17, 20..22]),
            vec![4..17, 20..22]
        );
    }
}
