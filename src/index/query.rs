//! What a search box query means, shared by `casebook search` and (mirrored in JavaScript)
//! by the browser runtime.
//!
//! - Words outside quotes are analyzed in [`Mode::Query`]; each token is a clause that every
//!   result must match (in any field).
//! - A run of tokens equal to a spelling of a vocabulary value (`pb`, `co production`)
//!   becomes one clause matched by any spelling of that value; a multi-word spelling
//!   matches when all its words are present.
//! - Text in quotes ("..." or “...”) is a phrase: its tokens ([`Mode::Phrase`]) must all
//!   be present, next to each other in one field.
//!
//! Each clause remembers where the query says it (a byte range of the query), so that the
//! query can be shown back with its corrections, and a result can say which words it has.
//! The forgiving search ([`super::forgive`]) then corrects and completes words.
//!
//! A result's score is the sum of the scores of every matching term.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use serde::Serialize;

use super::analyzer::{analyze, query_spellings, Mode};
use crate::content::{Facet, Vocabulary};

/// One condition every result must meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// A word, or a phrase of one word.
    Word {
        /// Its term.
        term: String,
        /// The word folded, without hyphens and apostrophes: what corrections compare.
        spelling: String,
        /// Written in quotes, so meant as it is: never corrected.
        quoted: bool,
        /// Where the query says it.
        span: Range<usize>,
    },
    /// Any of several spellings of a vocabulary value, each a list of terms that must all be
    /// present.
    Any {
        /// The spellings.
        spellings: Vec<Vec<String>>,
        /// Where the query says it.
        span: Range<usize>,
    },
    /// Terms that must be present side by side in one field.
    Phrase {
        /// The terms, in order.
        terms: Vec<String>,
        /// Where the query says it (inside the quotes).
        span: Range<usize>,
    },
}

impl Clause {
    /// Where the query says the clause.
    pub fn span(&self) -> Range<usize> {
        match self {
            Clause::Word { span, .. } | Clause::Any { span, .. } | Clause::Phrase { span, .. } => {
                span.clone()
            }
        }
    }
}

/// Groups of equivalent spellings, as analyzed token lists, from the vocabulary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Synonyms {
    /// Each group lists the spellings of one value (and of values that share a spelling).
    pub groups: Vec<Vec<Vec<String>>>,
    #[serde(skip)]
    lookup: HashMap<Vec<String>, usize>,
    #[serde(skip)]
    longest: usize,
}

impl Synonyms {
    /// The spelling groups of every vocabulary value that has synonyms.
    pub fn from_vocabulary(vocabulary: &Vocabulary) -> Synonyms {
        let mut groups: Vec<BTreeSet<Vec<String>>> = Vec::new();
        let mut lookup: HashMap<Vec<String>, usize> = HashMap::new();
        for facet in Facet::ALL {
            let Some(values) = vocabulary.facet(facet) else {
                continue;
            };
            for value in values.values().iter().filter(|v| !v.synonyms.is_empty()) {
                let spellings: BTreeSet<Vec<String>> = std::iter::once(&value.name)
                    .chain(&value.synonyms)
                    .map(|s| {
                        analyze(s, Mode::Query)
                            .into_iter()
                            .map(|t| t.text)
                            .collect::<Vec<_>>()
                    })
                    .filter(|tokens| !tokens.is_empty())
                    .collect();
                // Spellings shared with an earlier group (a value listed under two facets)
                // merge the groups.
                let existing = spellings.iter().find_map(|s| lookup.get(s).copied());
                let group = existing.unwrap_or_else(|| {
                    groups.push(BTreeSet::new());
                    groups.len() - 1
                });
                for spelling in spellings {
                    lookup.insert(spelling.clone(), group);
                    groups[group].insert(spelling);
                }
            }
        }
        Synonyms::from_groups(
            groups
                .into_iter()
                .map(|g| g.into_iter().collect())
                .collect(),
        )
    }

    /// Synonyms from already analyzed groups.
    pub fn from_groups(groups: Vec<Vec<Vec<String>>>) -> Synonyms {
        let mut lookup = HashMap::new();
        let mut longest = 0;
        for (index, group) in groups.iter().enumerate() {
            for spelling in group {
                longest = longest.max(spelling.len());
                lookup.entry(spelling.clone()).or_insert(index);
            }
        }
        Synonyms {
            groups,
            lookup,
            longest,
        }
    }

    fn find(&self, tokens: &[String]) -> Option<(usize, &Vec<Vec<String>>)> {
        (1..=self.longest.min(tokens.len())).rev().find_map(|len| {
            self.lookup
                .get(&tokens[..len])
                .map(|&g| (len, &self.groups[g]))
        })
    }
}

/// The quote marks that open and close a phrase.
const QUOTES: [char; 4] = ['"', '“', '”', '„'];

/// Parses a query into clauses: the words outside quotes in their order (runs that spell a
/// vocabulary value as one clause), then each phrase.
pub fn parse(query: &str, synonyms: &Synonyms) -> Vec<Clause> {
    // Quoted text is blanked out of the words (keeping every byte's place, so offsets into
    // `plain` are offsets into the query); an unclosed quote's text stays plain words.
    let mut plain = query.to_string();
    let mut phrases: Vec<Range<usize>> = Vec::new();
    // The byte where the open quote mark starts.
    let mut open: Option<usize> = None;
    for (at, c) in query.char_indices() {
        if !QUOTES.contains(&c) {
            continue;
        }
        let end = at + c.len_utf8();
        match open.take() {
            Some(mark) => {
                let inside = mark + query[mark..].chars().next().map_or(1, char::len_utf8);
                phrases.push(inside..at);
                plain.replace_range(mark..end, &" ".repeat(end - mark));
            }
            None => open = Some(at),
        }
    }
    if let Some(mark) = open {
        // An unclosed mark is not part of a word; the text after it stays plain words.
        let width = query[mark..].chars().next().map_or(1, char::len_utf8);
        plain.replace_range(mark..mark + width, &" ".repeat(width));
    }

    let words = query_spellings(&plain);
    let terms: Vec<String> = words.iter().map(|w| w.term.clone()).collect();
    let mut clauses = Vec::new();
    let mut i = 0;
    while i < words.len() {
        match synonyms.find(&terms[i..]) {
            Some((len, group)) => {
                clauses.push(Clause::Any {
                    spellings: group.clone(),
                    span: words[i].start..words[i + len - 1].end,
                });
                i += len;
            }
            None => {
                clauses.push(Clause::Word {
                    term: words[i].term.clone(),
                    spelling: words[i].word.clone(),
                    quoted: false,
                    span: words[i].start..words[i].end,
                });
                i += 1;
            }
        }
    }
    for span in phrases {
        let text = &query[span.clone()];
        let terms: Vec<String> = analyze(text, Mode::Phrase)
            .into_iter()
            .map(|t| t.text)
            .collect();
        match terms.len() {
            0 => {}
            1 => {
                let spelling = query_spellings(text)
                    .into_iter()
                    .next()
                    .map_or_else(String::new, |w| w.word);
                clauses.push(Clause::Word {
                    term: terms.into_iter().next().expect("one term"),
                    spelling,
                    quoted: true,
                    span,
                });
            }
            _ => clauses.push(Clause::Phrase { terms, span }),
        }
    }
    clauses
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synonyms() -> Synonyms {
        let s = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        Synonyms::from_groups(vec![
            vec![s(&["particip", "budget"]), s(&["pb"])],
            vec![s(&["coproduct"]), s(&["co", "product"])],
        ])
    }

    /// The clauses as (kind, terms, the query's text of the clause).
    fn summary(query: &str) -> Vec<(&'static str, Vec<String>, String)> {
        parse(query, &synonyms())
            .into_iter()
            .map(|clause| {
                let text = query[clause.span()].to_string();
                match clause {
                    Clause::Word { term, quoted, .. } => {
                        (if quoted { "quoted" } else { "word" }, vec![term], text)
                    }
                    Clause::Any { spellings, .. } => ("any", spellings.concat(), text),
                    Clause::Phrase { terms, .. } => ("phrase", terms, text),
                }
            })
            .collect()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn words_become_terms_and_keep_their_place() {
        assert_eq!(
            summary("Older  people"),
            vec![
                ("word", strings(&["older"]), "Older".to_string()),
                ("word", strings(&["peopl"]), "people".to_string()),
            ]
        );
        let clauses = parse("Well-Being", &synonyms());
        assert!(matches!(
            &clauses[0],
            Clause::Word { spelling, term, .. } if spelling == "wellbeing" && term == "wellb"
        ));
    }

    #[test]
    fn synonyms_expand_to_every_spelling() {
        let clauses = summary("PB in Oldham");
        assert_eq!(clauses[0].0, "any");
        assert_eq!(clauses[0].2, "PB");
        assert_eq!(
            clauses[1..]
                .iter()
                .map(|c| c.2.as_str())
                .collect::<Vec<_>>(),
            ["in", "Oldham"]
        );
        let clauses = summary("co production");
        assert_eq!(clauses.len(), 1, "the longest spelling wins: {clauses:?}");
        assert_eq!(clauses[0].2, "co production");
    }

    #[test]
    fn quotes_make_phrases_and_keep_their_text() {
        assert_eq!(
            summary("care \"older people\" “co-production” \"Oldham\""),
            vec![
                ("word", strings(&["care"]), "care".to_string()),
                (
                    "phrase",
                    strings(&["older", "peopl"]),
                    "older people".to_string()
                ),
                (
                    "phrase",
                    strings(&["co", "product"]),
                    "co-production".to_string()
                ),
                ("quoted", strings(&["oldham"]), "Oldham".to_string()),
            ]
        );
        let unclosed = summary("\"unclosed words");
        assert_eq!(unclosed.len(), 2);
        assert_eq!(unclosed[0].2, "unclosed");
    }
}
