//! The rules of the forgiving search, in one place: which words are corrected and how far,
//! how much a correction is worth, and how many alternatives a word may take. The export
//! writes them into `meta.json` (`forgiving`), and the browser runtime reads them from there,
//! so both sides apply the very same numbers.
//!
//! - A query is cut to its first [`MAX_QUERY_CHARS`] characters (Unicode scalar values, which
//!   JavaScript counts by iterating a string), before anything else.
//! - A word is corrected unless the search is exact (`--exact`, `exact=1`) or the word is in
//!   quotes or part of a vocabulary spelling, when it has at least [`MIN_CORRECTED_CHARS`]
//!   characters and at most [`RARE_DOCS`] cases hold it as typed: an absent word is surely
//!   misspelt, and one that only a case or two hold is likely a misspelling those cases share
//!   ("notiffication"), while any word common enough to be meant is left alone.
//! - Candidates are the collection's own words as written (folded, not stemmed: the
//!   dictionary), within [`max_edits`] of the word, starting with the same letter (few typos
//!   hit the first letter, and keeping it bounds the search to one letter's words), held by
//!   more cases than the word itself. Distance is the optimal string alignment distance:
//!   insertions, deletions, substitutions and transpositions of two neighbours, each one edit.
//!   The best [`MAX_CORRECTIONS`] terms are kept: nearest first, then held by most cases,
//!   then in byte order.
//! - A correction's term scores its integer units × [`correction_factor`], rounded down: so
//!   in any case, a match through a correction scores below the same match spelt right.
//! - While typing, the last word also matches the terms of the collection's words that begin
//!   with it as typed (folded): the [`MAX_COMPLETIONS`] held by most cases. When no word
//!   begins with it, it is misspelt already, and corrected as it will be once finished (so
//!   that "chatbto" finds "chatbot" as it is typed, not only once submitted).
//! - When no case has every clause of a query of two or more, the cases that have some of
//!   them are shown, fewest missing first, then by score ([`super::search`]).
//! - Words side by side: a submitted query (not while typing) of [`SIDE_BY_SIDE_CLAUSES`]
//!   words and phrases or more, in relevance order, is a remembered passage, whose word order
//!   says which case is meant. Its first [`SIDE_BY_SIDE_DEPTH`] results are reordered: those
//!   where more of the query's neighbouring words (two words next to each other in the query,
//!   each with its corrections) stand next to each other in one field come first; ties, and
//!   the tiers of partial matches, keep their order. Shorter queries rank by score alone: it
//!   would cost a download of the candidates' whole texts for every query typed.

/// The longest query read, in characters; the rest is cut off.
pub const MAX_QUERY_CHARS: usize = 500;
/// The shortest word that is corrected, in characters.
pub const MIN_CORRECTED_CHARS: usize = 5;
/// A word held (as its term) by at most this many cases is corrected.
pub const RARE_DOCS: u32 = 2;
/// The most corrected terms one word may take.
pub const MAX_CORRECTIONS: usize = 3;
/// The most completions the last word takes while typing.
pub const MAX_COMPLETIONS: usize = 10;
/// Words of this many characters and more may be two edits away; shorter ones one.
pub const TWO_EDITS_FROM_CHARS: usize = 9;
/// The fewest words and phrases of a query whose word order reorders its first results.
pub const SIDE_BY_SIDE_CLAUSES: usize = 4;
/// How many of the first results words side by side may reorder.
pub const SIDE_BY_SIDE_DEPTH: usize = 20;

/// How many edits a word of `chars` characters may be corrected by: 1 for 5 to 8, 2 for 9
/// or more (a long word has room for two slips, a short one would match too much).
pub fn max_edits(chars: usize) -> usize {
    if chars >= TWO_EDITS_FROM_CHARS {
        2
    } else if chars >= MIN_CORRECTED_CHARS {
        1
    } else {
        0
    }
}

/// What a term reached through a correction `edits` away is worth, as a fraction
/// (numerator, denominator) of its score: a half for one edit, a quarter for two.
pub fn correction_factor(edits: usize) -> (u64, u64) {
    match edits {
        0 => (1, 1),
        1 => (1, 2),
        _ => (1, 4),
    }
}

/// `units` scaled by a factor, rounded down: the one rounding rule of both sides.
pub fn scaled(units: u64, (numerator, denominator): (u64, u64)) -> u64 {
    units * numerator / denominator
}

/// `query` cut to its first [`MAX_QUERY_CHARS`] characters.
pub fn capped(query: &str) -> &str {
    match query.char_indices().nth(MAX_QUERY_CHARS) {
        Some((byte, _)) => &query[..byte],
        None => query,
    }
}

/// The optimal string alignment distance between `a` and `b` (as characters), or `None`
/// when it is more than `max`: insertions, deletions, substitutions and transpositions of
/// two neighbouring characters each count one.
pub fn distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    // Three rows of the dynamic programme: two back (for transpositions), one back, this one.
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let d = previous[b.len()];
    (d <= max).then_some(d)
}

/// The rules as `meta.json` carries them for the runtime.
pub fn meta() -> serde_json::Value {
    serde_json::json!({
        "maxQueryChars": MAX_QUERY_CHARS,
        "minCorrectedChars": MIN_CORRECTED_CHARS,
        "twoEditsFromChars": TWO_EDITS_FROM_CHARS,
        "rareDocs": RARE_DOCS,
        "maxCorrections": MAX_CORRECTIONS,
        "maxCompletions": MAX_COMPLETIONS,
        "factors": [correction_factor(0), correction_factor(1), correction_factor(2)],
        "sideBySideClauses": SIDE_BY_SIDE_CLAUSES,
        "sideBySideDepth": SIDE_BY_SIDE_DEPTH,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str, max: usize) -> Option<usize> {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        distance(&a, &b, max)
    }

    #[test]
    fn one_edit_of_each_kind() {
        assert_eq!(d("people", "people", 2), Some(0));
        assert_eq!(d("peple", "people", 2), Some(1), "a deletion");
        assert_eq!(d("peoople", "people", 2), Some(1), "an insertion");
        assert_eq!(d("peaple", "people", 2), Some(1), "a substitution");
        assert_eq!(d("poeple", "people", 2), Some(1), "a transposition");
        assert_eq!(
            d("purificaiton", "purification", 2),
            Some(1),
            "far from the stem `purif`, one from the word"
        );
        assert_eq!(d("notiffication", "notification", 1), Some(1));
        assert_eq!(d("budget", "widget", 1), None);
        assert_eq!(d("budget", "widget", 2), Some(2));
        assert_eq!(d("a", "abcd", 2), None, "lengths too far apart");
    }

    #[test]
    fn longer_words_may_take_more_edits() {
        assert_eq!(max_edits(4), 0);
        assert_eq!(max_edits(5), 1);
        assert_eq!(max_edits(8), 1);
        assert_eq!(max_edits(9), 2);
    }

    #[test]
    fn a_correction_scores_below_the_word_spelt_right() {
        for units in [1, 2, 3, 999, 123_457] {
            assert!(scaled(units, correction_factor(1)) < units);
            assert!(scaled(units, correction_factor(2)) <= scaled(units, correction_factor(1)));
        }
        assert_eq!(scaled(7, correction_factor(1)), 3, "rounded down");
    }

    #[test]
    fn queries_are_cut_by_characters() {
        let long = "é".repeat(MAX_QUERY_CHARS + 20);
        assert_eq!(capped(&long).chars().count(), MAX_QUERY_CHARS);
        assert_eq!(capped("short"), "short");
    }
}
