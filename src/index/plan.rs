//! From parsed clauses to what is searched: each word with its corrections or completions,
//! as [`super::forgive`] rules. `js/casebook-search.js` plans the same way, from the same
//! dictionary and the same numbers.

use std::ops::Range;

use super::dictionary::Dictionary;
use super::forgive::{self, correction_factor};
use super::query::Clause;

/// A fraction of a term's score: (numerator, denominator).
pub type Factor = (u64, u64);

/// A clause as searched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Planned {
    /// Any of these terms: a word as typed first (worth its whole score), then its
    /// corrections or completions, each worth its factor of its score; a case scores the best
    /// of those it has.
    Alternatives(Vec<(String, Factor)>),
    /// Any of the spellings of a vocabulary value; a case scores the terms of every spelling
    /// it has whole.
    Spellings(Vec<Vec<String>>),
    /// Terms that must stand side by side in one field.
    Phrase(Vec<String>),
}

impl Planned {
    /// Every term the clause may score.
    pub fn terms(&self) -> Vec<&str> {
        match self {
            Planned::Alternatives(terms) => terms.iter().map(|(t, _)| t.as_str()).collect(),
            Planned::Spellings(spellings) => {
                spellings.iter().flatten().map(String::as_str).collect()
            }
            Planned::Phrase(terms) => terms.iter().map(String::as_str).collect(),
        }
    }
}

/// One clause as searched, and where the query says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedClause {
    /// What is searched.
    pub planned: Planned,
    /// Where the query says it.
    pub span: Range<usize>,
}

/// A word that was corrected: where the query says it, and the word searched instead (the
/// dictionary word of its best correction).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectedWord {
    /// Where the query says it.
    pub span: Range<usize>,
    /// The word searched for it.
    pub to: String,
}

/// A query planned: its clauses, and the words corrected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The clauses, in the order parsed.
    pub clauses: Vec<PlannedClause>,
    /// The words corrected, in the order of the query.
    pub corrections: Vec<CorrectedWord>,
}

/// How to plan.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlanOptions {
    /// The query is being typed: its last word, when the query ends with it, also matches
    /// the words that begin with it.
    pub prefix: bool,
    /// Search the words as typed: no corrections.
    pub exact: bool,
}

/// Plans `clauses` of a query `query_len` bytes long; `cases` gives how many cases hold a term.
pub fn plan(
    clauses: Vec<Clause>,
    query_len: usize,
    options: PlanOptions,
    dictionary: &Dictionary,
    cases: impl Fn(&str) -> u32,
) -> Plan {
    let last = clauses.len().checked_sub(1);
    let mut plan = Plan::default();
    for (index, clause) in clauses.into_iter().enumerate() {
        let span = clause.span();
        let planned = match clause {
            Clause::Word {
                term,
                spelling,
                quoted,
                span,
            } => {
                let typing = options.prefix
                    && !quoted
                    && Some(index) == last
                    && span.end == query_len
                    && spelling.chars().nth(1).is_some();
                let mut terms = vec![(term.clone(), (1, 1))];
                let completions = if typing {
                    dictionary.completions(&spelling)
                } else {
                    Vec::new()
                };
                // A word being typed that no word of the collection begins with is misspelt
                // already: it is corrected as it will be once finished.
                let completed = !completions.is_empty();
                terms.extend(
                    (completions.into_iter())
                        .filter(|t| *t != term)
                        .map(|t| (t, (1, 1))),
                );
                if !completed && !quoted && !options.exact && corrigible(&spelling, cases(&term)) {
                    let found = dictionary.corrections(&spelling, &term, cases(&term));
                    if let Some(best) = found.first() {
                        plan.corrections.push(CorrectedWord {
                            span: span.clone(),
                            to: best.word.clone(),
                        });
                    }
                    terms.extend(
                        found
                            .into_iter()
                            .map(|c| (c.term, correction_factor(c.edits))),
                    );
                }
                Planned::Alternatives(terms)
            }
            Clause::Any { spellings, .. } => Planned::Spellings(spellings),
            Clause::Phrase { terms, .. } => Planned::Phrase(terms),
        };
        plan.clauses.push(PlannedClause { planned, span });
    }
    plan
}

/// Two neighbouring words of a query, each as the terms it may be searched as.
pub type NeighbourWords<'p> = (Vec<&'p str>, Vec<&'p str>);

/// The neighbouring words whose standing side by side reorders the first results of a
/// submitted query ([`forgive::SIDE_BY_SIDE_CLAUSES`]): each two words next to each other in
/// the query, with their corrections. None for a shorter query, or one being typed.
pub fn neighbour_words(clauses: &[PlannedClause], prefix: bool) -> Vec<NeighbourWords<'_>> {
    if prefix || clauses.len() < forgive::SIDE_BY_SIDE_CLAUSES {
        return Vec::new();
    }
    clauses
        .windows(2)
        .filter_map(|pair| match (&pair[0].planned, &pair[1].planned) {
            (Planned::Alternatives(_), Planned::Alternatives(_)) => {
                Some((pair[0].planned.terms(), pair[1].planned.terms()))
            }
            _ => None,
        })
        .collect()
}

/// Whether a word spelt `spelling` whose term `held` cases hold is one to correct.
fn corrigible(spelling: &str, held: u32) -> bool {
    spelling.chars().count() >= forgive::MIN_CORRECTED_CHARS && held <= forgive::RARE_DOCS
}

/// `query` with each corrected word replaced by the word searched for it.
pub fn corrected_query(query: &str, corrections: &[CorrectedWord]) -> String {
    let mut out = String::with_capacity(query.len());
    let mut at = 0;
    for correction in corrections {
        out.push_str(&query[at..correction.span.start]);
        out.push_str(&correction.to);
        at = correction.span.end;
    }
    out.push_str(&query[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(terms: &[&str]) -> PlannedClause {
        PlannedClause {
            planned: Planned::Alternatives(terms.iter().map(|t| (t.to_string(), (1, 1))).collect()),
            span: 0..0,
        }
    }

    #[test]
    fn neighbouring_words_of_a_long_submitted_query_pair_up() {
        let phrase = PlannedClause {
            planned: Planned::Phrase(vec!["hot".into(), "meal".into()]),
            span: 0..0,
        };
        let clauses = vec![
            word(&["volunt"]),
            word(&["deliv", "deliveri"]),
            phrase,
            word(&["older"]),
            word(&["peopl"]),
        ];
        assert_eq!(
            neighbour_words(&clauses, false),
            [
                (vec!["volunt"], vec!["deliv", "deliveri"]),
                (vec!["older"], vec!["peopl"])
            ],
            "a phrase stands apart: its words are side by side already"
        );
        assert!(
            neighbour_words(&clauses, true).is_empty(),
            "not while typing"
        );
        assert!(
            neighbour_words(&clauses[..3], false).is_empty(),
            "three clauses rank by score alone"
        );
    }
}
