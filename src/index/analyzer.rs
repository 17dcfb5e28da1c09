//! The one analyzer for every text field, at index time and at query time.
//!
//! The browser runtime (`js/analyzer.js`) implements the same steps and a test proves the
//! two equal on large word lists, so any change here must be made there too:
//!
//! 1. Each character is lowercased, decomposed (NFD), stripped of combining marks and
//!    mapped through [`crate::text::fold_letter`] (`ø` → `o`, `ß` → `ss`, `’` → `'`,
//!    `‐` → `-`).
//! 2. A word is a run of alphanumeric characters; a single `-` or `'` between two of them
//!    joins (`co-production`, `oldham's`).
//! 3. Each part of a word (split at `-`) is stemmed with Snowball English and loses its
//!    apostrophes; so is the whole word with its hyphens removed.
//! 4. Tokens: in [`Mode::Index`] a hyphenated word gives its parts at consecutive positions
//!    and the whole at the first part's position, so `co-production`, `coproduction` and
//!    `co production` all match it. [`Mode::Query`] gives only the whole; [`Mode::Phrase`]
//!    only the parts, whose positions a phrase is checked against.
//!
//! Words longer than [`MAX_WORD_CHARS`] are skipped (they are ids or base64, not words).

use std::cell::RefCell;
use std::sync::{Arc, Mutex, OnceLock};

use crate::text::fold_char;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Words longer than this (in characters, after folding) are not indexed.
pub const MAX_WORD_CHARS: usize = 40;

/// Which tokens a word produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Parts and whole, for the index.
    Index,
    /// The whole word only, for query words.
    Query,
    /// The parts only, for checking phrases.
    Phrase,
}

/// One token: its text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedToken {
    /// The folded, stemmed text.
    pub text: String,
    /// Position for phrase matching.
    pub position: usize,
    /// Byte offset of the source in the original text.
    pub start: usize,
    /// Byte offset just past the source.
    pub end: usize,
}

/// A word of the original text after folding, before stemming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Folded text, with any joining `-` and `'`.
    pub text: String,
    /// Byte offsets in the original text.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
    /// Byte offsets of each `-`-separated part in the original text, when there are two or
    /// more (empty for a word of one part: most words, and no allocation for them).
    pub parts: Vec<(usize, usize)>,
}

/// The words of `text`, folded, with their offsets.
pub fn words(text: &str) -> Vec<Word> {
    let mut chars = FoldedChars::new(text).peekable();
    let mut words = Vec::new();
    while let Some((c, start, end)) = chars.next() {
        if !is_word_char(c) {
            continue;
        }
        let mut word = String::with_capacity(16);
        word.push(c);
        let mut end = end;
        let mut part_start = start;
        let mut parts = Vec::new();
        loop {
            match chars.peek() {
                Some(&(next, _, next_end)) if is_word_char(next) => {
                    word.push(next);
                    end = next_end;
                    chars.next();
                }
                // A hyphen or an apostrophe joins two words' characters, and only them.
                Some(&(joiner @ ('-' | '\''), _, _)) => {
                    chars.next();
                    match chars.peek() {
                        Some(&(after, after_start, _)) if is_word_char(after) => {
                            word.push(joiner);
                            if joiner == '-' {
                                parts.push((part_start, end));
                                part_start = after_start;
                            }
                        }
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        if !parts.is_empty() {
            parts.push((part_start, end));
        }
        words.push(Word {
            text: word,
            start,
            end,
            parts,
        });
    }
    words
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

/// The folded characters of a text, each with the byte range of the original character it
/// came from (folding may make several of one, or none), read as they are needed.
struct FoldedChars<'t> {
    chars: std::str::CharIndices<'t>,
    /// The folding of the last non-ASCII character, handed out from `folded_at` on.
    folded: String,
    folded_at: usize,
    folded_range: (usize, usize),
}

impl<'t> FoldedChars<'t> {
    fn new(text: &'t str) -> FoldedChars<'t> {
        FoldedChars {
            chars: text.char_indices(),
            folded: String::new(),
            folded_at: 0,
            folded_range: (0, 0),
        }
    }
}

impl Iterator for FoldedChars<'_> {
    type Item = (char, usize, usize);

    fn next(&mut self) -> Option<(char, usize, usize)> {
        loop {
            if let Some(c) = self.folded[self.folded_at..].chars().next() {
                self.folded_at += c.len_utf8();
                return Some((c, self.folded_range.0, self.folded_range.1));
            }
            let (start, c) = self.chars.next()?;
            let end = start + c.len_utf8();
            // Most characters are ASCII: folding is lowercasing.
            if c.is_ascii() {
                return Some((c.to_ascii_lowercase(), start, end));
            }
            self.folded.clear();
            self.folded_at = 0;
            fold_char(c, &mut self.folded);
            self.folded_range = (start, end);
        }
    }
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// Snowball English stem of a folded word part, without apostrophes.
pub fn stem(part: &str) -> String {
    with_stem(part, str::to_string)
}

/// Calls `f` with the stem of `part` (as [`stem`] makes it), borrowed from the thread's
/// memory of stems rather than copied.
fn with_stem<T>(part: &str, f: impl FnOnce(&str) -> T) -> T {
    // Words repeat (Zipf): remembering each thread's stems saves most of the stemming.
    thread_local! {
        static STEMS: RefCell<FxHashMap<String, String>> = RefCell::new(FxHashMap::default());
    }
    STEMS.with(|stems| {
        let mut stems = stems.borrow_mut();
        if let Some(known) = stems.get(part) {
            return f(known);
        }
        let stemmed = stemmer().stem(part);
        let stemmed = if stemmed.contains('\'') {
            stemmed.replace('\'', "")
        } else {
            stemmed.into_owned()
        };
        if stems.len() >= STEM_CACHE_WORDS {
            stems.clear();
        }
        let out = f(&stemmed);
        stems.insert(part.to_string(), stemmed);
        out
    })
}

/// How many stems a thread remembers before starting afresh (bounds memory on huge texts).
const STEM_CACHE_WORDS: usize = 200_000;

/// The tokens of `text` in `mode`.
pub fn analyze(text: &str, mode: Mode) -> Vec<AnalyzedToken> {
    tokens_of(&words(text), mode)
}

/// The tokens of already split `words` in `mode`.
fn tokens_of(words: &[Word], mode: Mode) -> Vec<AnalyzedToken> {
    let mut tokens = Vec::new();
    each_token(words, mode, |text, position, (start, end)| {
        tokens.push(AnalyzedToken {
            text: text.to_string(),
            position,
            start,
            end,
        })
    });
    tokens
}

/// Calls `each` with every token of `words` in `mode`, in order: its text (never empty), its
/// position and the byte range of its source. A hyphenated word is one token whole (but for
/// phrases) and one per part (but for queries), the parts at consecutive positions.
fn each_token(words: &[Word], mode: Mode, mut each: impl FnMut(&str, usize, (usize, usize))) {
    let mut position = 0;
    let mut token = |part: &str, position: usize, range: (usize, usize)| {
        with_stem(part, |text| {
            if !text.is_empty() {
                each(text, position, range);
            }
        })
    };
    for word in words {
        let too_long =
            word.text.len() > MAX_WORD_CHARS && word.text.chars().count() > MAX_WORD_CHARS;
        if word.parts.is_empty() {
            if !too_long {
                token(&word.text, position, (word.start, word.end));
            }
            position += 1;
            continue;
        }
        let parts: Vec<&str> = word.text.split('-').collect();
        if too_long {
            position += parts.len();
            continue;
        }
        if mode != Mode::Phrase {
            token(&parts.concat(), position, (word.start, word.end));
        }
        if mode != Mode::Query {
            for (offset, (part, range)) in parts.iter().zip(&word.parts).enumerate() {
                token(part, position + offset, *range);
            }
        }
        position += parts.len();
    }
}

/// A word of a text as the forgiving search compares it: its folded spelling without hyphens
/// and apostrophes (`co-production` → `coproduction`, `Oldham's` → `oldhams`), and the term
/// it is indexed as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spelling {
    /// The folded word, hyphens and apostrophes removed.
    pub word: String,
    /// Its term: the query-mode token of the word.
    pub term: String,
    /// Byte offset of the word in the text.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
}

/// The spellings of a query's words, one per query-mode token, in order.
pub fn query_spellings(text: &str) -> Vec<Spelling> {
    let mut out = Vec::new();
    for word in words(text) {
        if word.text.chars().count() > MAX_WORD_CHARS {
            continue;
        }
        let joined: String = word.text.split('-').collect();
        let spelling = Spelling {
            word: joined.replace('\'', ""),
            term: stem(&joined),
            start: word.start,
            end: word.end,
        };
        if !spelling.term.is_empty() {
            out.push(spelling);
        }
    }
    out
}

/// Every spelling the index holds for one folded word (a [`Word`]'s text), as (word, term):
/// the word whole and, when hyphenated, each of its parts, as index-mode tokens are made.
pub fn word_spellings(folded: &str, mut each: impl FnMut(String, String)) {
    if folded.chars().count() > MAX_WORD_CHARS {
        return;
    }
    let parts: Vec<&str> = folded.split('-').collect();
    let mut add = |part: &str| {
        let term = stem(part);
        if !term.is_empty() {
            each(part.replace('\'', ""), term);
        }
    };
    add(&parts.concat());
    if parts.len() > 1 {
        for part in parts {
            add(part);
        }
    }
}

/// The distinct words the tokenizer sees while indexing, folded (a [`Word`]'s text), for the
/// forgiving search's dictionary: gathered as a side effect of tokenizing, so the collection's
/// text is split into words once, not twice. Shared by tantivy's indexing threads.
#[derive(Debug)]
pub struct WordCollector {
    shards: Vec<Mutex<CollectorShard>>,
}

#[derive(Debug, Default)]
struct CollectorShard {
    seen: FxHashSet<String>,
    /// Words seen since the last [`WordCollector::take_new`].
    new: Vec<String>,
}

impl Default for WordCollector {
    fn default() -> WordCollector {
        WordCollector {
            shards: (0..16).map(|_| Mutex::default()).collect(),
        }
    }
}

impl WordCollector {
    /// Adds the words of one text.
    fn add(&self, words: &[Word]) {
        // A word of more bytes than 40 characters can take is never indexed.
        let distinct: FxHashSet<&str> = words
            .iter()
            .filter(|w| w.text.len() <= MAX_WORD_CHARS * 4)
            .map(|w| w.text.as_str())
            .collect();
        let mut by_shard: Vec<Vec<&str>> = vec![Vec::new(); self.shards.len()];
        for word in distinct {
            by_shard[shard_of(word, self.shards.len())].push(word);
        }
        for (shard, words) in self.shards.iter().zip(by_shard) {
            if words.is_empty() {
                continue;
            }
            let mut shard = shard.lock().unwrap_or_else(|e| e.into_inner());
            for word in words {
                if !shard.seen.contains(word) {
                    shard.seen.insert(word.to_string());
                    shard.new.push(word.to_string());
                }
            }
        }
    }

    /// The words seen for the first time since the last call, in no particular order.
    pub fn take_new(&self) -> Vec<String> {
        self.shards
            .iter()
            .flat_map(|s| std::mem::take(&mut s.lock().unwrap_or_else(|e| e.into_inner()).new))
            .collect()
    }
}

fn shard_of(word: &str, shards: usize) -> usize {
    word.bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) as usize
        % shards
}

/// The analyzer as a tantivy tokenizer, registered for every text field.
#[derive(Debug, Clone)]
pub struct CasebookTokenizer {
    mode: Mode,
    collector: Option<Arc<WordCollector>>,
}

impl CasebookTokenizer {
    /// The name the schema refers to.
    pub const NAME: &'static str = "casebook";

    /// A tokenizer producing `mode` tokens; with a collector, it also gathers the words it
    /// sees.
    pub fn new(mode: Mode, collector: Option<Arc<WordCollector>>) -> Self {
        CasebookTokenizer { mode, collector }
    }
}

/// The tokens of one text, handed out one by one.
pub struct CasebookTokenStream {
    texts: String,
    tokens: std::vec::IntoIter<PendingToken>,
    current: Token,
}

/// A token not yet handed out: where its text is in the stream's `texts`.
struct PendingToken {
    text: std::ops::Range<usize>,
    position: usize,
    range: (usize, usize),
}

impl Tokenizer for CasebookTokenizer {
    type TokenStream<'a> = CasebookTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CasebookTokenStream {
        let words = words(text);
        if let Some(collector) = &self.collector {
            collector.add(&words);
        }
        // The tokens' texts one after another in one string: no allocation for each token.
        let mut texts = String::new();
        let mut tokens = Vec::new();
        each_token(&words, self.mode, |text, position, range| {
            let from = texts.len();
            texts.push_str(text);
            tokens.push(PendingToken {
                text: from..texts.len(),
                position,
                range,
            });
        });
        CasebookTokenStream {
            texts,
            tokens: tokens.into_iter(),
            current: Token::default(),
        }
    }
}

impl TokenStream for CasebookTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(t) => {
                let current = &mut self.current;
                current.offset_from = t.range.0;
                current.offset_to = t.range.1;
                current.position = t.position;
                current.position_length = 1;
                current.text.clear();
                current.text.push_str(&self.texts[t.text]);
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, mode: Mode) -> Vec<String> {
        analyze(text, mode).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn folds_diacritics_and_case() {
        assert_eq!(
            texts("Seinäjoki", Mode::Query),
            texts("Seinajoki", Mode::Query)
        );
        assert_eq!(texts("Rønne", Mode::Query), ["ronn"]);
        assert_eq!(
            texts("São Paulo", Mode::Query),
            texts("sao paulo", Mode::Query)
        );
        assert_eq!(texts("Straße", Mode::Query), ["strass"]);
    }

    #[test]
    fn stems_english() {
        assert_eq!(
            texts("budgets", Mode::Query),
            texts("budgeting", Mode::Query)
        );
        assert_eq!(
            texts("volunteer", Mode::Query),
            texts("volunteers", Mode::Query)
        );
        assert_eq!(texts("Oldham's", Mode::Query), ["oldham"]);
        assert_eq!(texts("Oldham’s", Mode::Query), ["oldham"]);
    }

    #[test]
    fn hyphenated_words_are_whole_and_parts() {
        let tokens = analyze("the co-production team", Mode::Index);
        let summary: Vec<(&str, usize)> = tokens
            .iter()
            .map(|t| (t.text.as_str(), t.position))
            .collect();
        assert_eq!(
            summary,
            [
                ("the", 0),
                ("coproduct", 1),
                ("co", 1),
                ("product", 2),
                ("team", 3)
            ]
        );
        assert_eq!(texts("coproduction", Mode::Query), ["coproduct"]);
        assert_eq!(texts("co-production", Mode::Query), ["coproduct"]);
        assert_eq!(texts("co-production", Mode::Phrase), ["co", "product"]);
        let co = &tokens[2];
        assert_eq!(&"the co-production team"[co.start..co.end], "co");
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "Ærø’s café";
        for token in analyze(text, Mode::Index) {
            assert!(text.get(token.start..token.end).is_some());
        }
        let words: Vec<String> = words(text).into_iter().map(|w| w.text).collect();
        assert_eq!(words, ["aero's", "cafe"]);
    }

    #[test]
    fn punctuation_splits_and_long_words_are_skipped() {
        assert_eq!(texts("a/b -c- 'd'", Mode::Query), ["a", "b", "c", "d"]);
        let long = "x".repeat(MAX_WORD_CHARS + 1);
        assert_eq!(texts(&format!("{long} ok"), Mode::Query), ["ok"]);
    }
}
