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
//! A result's score is the sum of the scores of every matching term.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::analyzer::{analyze, Mode};
use crate::content::{Facet, Vocabulary};

/// One condition every result must meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// A single term.
    Term(String),
    /// Any of several spellings, each a list of terms that must all be present.
    Any(Vec<Vec<String>>),
    /// Terms that must be present side by side in one field.
    Phrase(Vec<String>),
}

impl Clause {
    /// Every term the clause can score.
    pub fn terms(&self) -> Vec<&str> {
        match self {
            Clause::Term(t) => vec![t.as_str()],
            Clause::Any(alternatives) => {
                alternatives.iter().flatten().map(String::as_str).collect()
            }
            Clause::Phrase(terms) => terms.iter().map(String::as_str).collect(),
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

/// Parses a query into clauses.
pub fn parse(query: &str, synonyms: &Synonyms) -> Vec<Clause> {
    let mut plain = String::new();
    let mut phrases = Vec::new();
    let mut in_quotes = false;
    let mut current = String::new();
    for c in query.chars() {
        if matches!(c, '"' | '“' | '”' | '„') {
            if in_quotes {
                phrases.push(std::mem::take(&mut current));
            } else {
                plain.push(' ');
            }
            in_quotes = !in_quotes;
        } else if in_quotes {
            current.push(c);
        } else {
            plain.push(c);
        }
    }
    // An unclosed quote is read as plain words.
    plain.push(' ');
    plain.push_str(&current);

    let tokens: Vec<String> = analyze(&plain, Mode::Query)
        .into_iter()
        .map(|t| t.text)
        .collect();
    let mut clauses = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match synonyms.find(&tokens[i..]) {
            Some((len, group)) => {
                clauses.push(Clause::Any(group.clone()));
                i += len;
            }
            None => {
                clauses.push(Clause::Term(tokens[i].clone()));
                i += 1;
            }
        }
    }
    for phrase in phrases {
        let terms: Vec<String> = analyze(&phrase, Mode::Phrase)
            .into_iter()
            .map(|t| t.text)
            .collect();
        match terms.len() {
            0 => {}
            1 => clauses.push(Clause::Term(terms.into_iter().next().expect("one term"))),
            _ => clauses.push(Clause::Phrase(terms)),
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

    #[test]
    fn words_become_terms() {
        assert_eq!(
            parse("Older people", &synonyms()),
            vec![Clause::Term("older".into()), Clause::Term("peopl".into())]
        );
    }

    #[test]
    fn synonyms_expand_to_every_spelling() {
        let clauses = parse("PB in Oldham", &synonyms());
        assert!(matches!(&clauses[0], Clause::Any(alts) if alts.len() == 2));
        assert_eq!(
            clauses[1..],
            [Clause::Term("in".into()), Clause::Term("oldham".into())]
        );
        let clauses = parse("co production", &synonyms());
        assert_eq!(clauses.len(), 1, "the longest spelling wins: {clauses:?}");
    }

    #[test]
    fn quotes_make_phrases() {
        let clauses = parse("care \"older people\" “co-production”", &synonyms());
        assert_eq!(
            clauses,
            vec![
                Clause::Term("care".into()),
                Clause::Phrase(vec!["older".into(), "peopl".into()]),
                Clause::Phrase(vec!["co".into(), "product".into()]),
            ]
        );
        assert_eq!(parse("\"unclosed words", &synonyms()).len(), 2);
    }
}
