//! Facet values that may name one thing written two ways ("City of Amsterdam" and
//! "Municipality of Amsterdam"), for the data-quality report.
//!
//! The method, in the order it is tried for a pair of values of one facet:
//!
//! 1. **Same name once words that only say what kind of body it is are left out**: case,
//!    accents and punctuation folded; stop words (`of`, `the`, `de`…), generic words of
//!    local government (`city`, `municipality`, `gemeente`…), legal forms (`GmbH`, `B.V.`)
//!    and single letters dropped; the remaining words compared in any order, with and
//!    without what brackets hold (`Bundesagentur für Arbeit (Federal Labor Agency)`).
//! 2. **Same acronym**: both give one of 3 to 8 letters: a word in capitals outside
//!    brackets, or alone or last in brackets (`AGID (Agenzia per Italia Digitale)` and
//!    `Agency for Digital Italy (AGiD)`).
//! 3. **A typo apart**: the remaining words, run together (so `SouthHolland` is `South
//!    Holland`), one edit apart (a transposition is one), when both have 8 letters or more.
//!
//! A pair is left out when both values' cases give countries and no country is shared: a
//! "Ministry of Finance" in Finland is not the one in Ukraine. Only pairs that share a word
//! (or an acronym, or the first or last five letters run together) are compared, so the
//! work grows with the size of those groups, not with the square of the number of values.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::content::{Case, Facet, Library};

/// Words that say nothing of which body a value names.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "at", "by", "de", "del", "della", "der", "des", "di", "du", "en", "et",
    "for", "in", "la", "le", "och", "of", "og", "on", "per", "the", "und", "van", "von",
];

/// Words that say what kind of local body a value names, not which one, and legal forms.
const GENERIC_WORDS: &[&str] = &[
    "ab",
    "ag",
    "bv",
    "city",
    "commune",
    "comune",
    "council",
    "gemeente",
    "gmbh",
    "inc",
    "kommune",
    "limited",
    "ltd",
    "municipal",
    "municipality",
    "nv",
    "oy",
    "plc",
    "spa",
    "srl",
    "stadt",
    "town",
    "ville",
];

/// The fewest letters two values run together must have to be called a typo apart: shorter
/// names one edit apart are as often two names ("North East", "North West" differ by two).
const MIN_TYPO_LETTERS: usize = 8;

/// Words shared by more values than this are not used to find candidate pairs: they say
/// little, and comparing every pair of a large group would cost the square of its size.
const MAX_GROUP: usize = 60;

/// Why two values look like one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Method 1.
    SameWords,
    /// Method 2.
    SameAcronym,
    /// Method 3.
    TypoApart,
}

impl Reason {
    /// In an editor's words.
    pub fn words(self) -> &'static str {
        match self {
            Reason::SameWords => "the same words once `City of`, `the` and the like are left out",
            Reason::SameAcronym => "the same acronym",
            Reason::TypoApart => "a typo apart",
        }
    }
}

/// Two values of one facet that may be one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearDuplicate {
    /// The facet's key.
    pub facet: &'static str,
    /// The two values as pages show them, the one with more cases first.
    pub values: [String; 2],
    /// How many cases give each.
    pub cases: [usize; 2],
    /// Why they look like one.
    pub reason: Reason,
}

/// What the method looks at in one value.
struct Parts {
    /// The remaining words (method 1), sorted.
    words: Vec<String>,
    /// The same of the text outside brackets.
    outside: Vec<String>,
    /// The remaining words run together, in the order written (method 3).
    joined: String,
    /// Its acronyms, lowercased (method 2).
    acronyms: Vec<String>,
}

fn parts_of(name: &str) -> Parts {
    let mut acronyms = Vec::new();
    // Acronyms in brackets gloss the name before them; words in capitals outside them are
    // part of the name (`IDVAL Santander`).
    let mut glosses = Vec::new();
    let mut depth = 0usize;
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    for (index, word) in words.iter().enumerate() {
        let opens = word.starts_with('(');
        let closes = word.ends_with(')');
        // An acronym stands alone: outside brackets, or as all a bracket holds or its last
        // word (`(AGiD)`, `(Bundesamt … - BSI)`); `ICT` in `(Inhouse ICT of Regione
        // Piemonte)` names no one.
        let alone_in_brackets = (opens || depth > 0) && closes;
        let outside = depth == 0 && !opens;
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
        let letters = bare.chars().filter(|c| c.is_alphabetic()).count();
        let capitals = bare.chars().filter(|c| c.is_uppercase()).count();
        // Every letter a capital, unless the whole value is in capitals.
        let shouting = capitals == letters && !(index == 0 && is_all_caps(name) && words.len() > 1);
        let acronym = (3..=8).contains(&letters)
            && ((outside && shouting) || (alone_in_brackets && capitals >= 2));
        if acronym && !names_several(name) {
            acronyms.push(bare.to_lowercase());
            if !outside {
                glosses.push(bare.to_lowercase());
            }
        }
        depth += word.matches('(').count();
        depth = depth.saturating_sub(word.matches(')').count());
    }
    let meaningful = |text: &str| -> Vec<String> {
        // Dots of an abbreviation join its letters: `B.V` is `bv`, `n.e.c` is `nec`.
        crate::text::folded(text)
            .to_lowercase()
            .replace('.', "")
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .filter(|w| !STOP_WORDS.contains(w) && !GENERIC_WORDS.contains(w))
            .filter(|w| !glosses.iter().any(|a| a == w))
            .map(str::to_string)
            .collect()
    };
    let words = meaningful(name);
    let joined = words.concat();
    let sorted = |mut words: Vec<String>| {
        words.sort();
        words
    };
    Parts {
        words: sorted(words),
        outside: sorted(meaningful(&outside_brackets(name))),
        joined,
        acronyms,
    }
}

/// True when a value lists several bodies (`Municipality of Rotterdam, TNO and BZK`): an
/// acronym it shares with another value then says nothing of the two being one.
fn names_several(name: &str) -> bool {
    let outside = outside_brackets(name);
    let outside = outside.trim_end_matches(|c: char| !c.is_alphanumeric());
    outside.contains(',') || outside.contains(" / ") || outside.contains(';')
}

/// `text` without what its brackets hold.
fn outside_brackets(text: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn is_all_caps(text: &str) -> bool {
    text.chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase)
}

/// Why values `a` and `b` look like one, if they do (without the country check).
fn reason(a: &Parts, b: &Parts) -> Option<Reason> {
    let same = |x: &[String], y: &[String]| !x.is_empty() && x == y;
    if same(&a.words, &b.words) || same(&a.outside, &b.outside) {
        return Some(Reason::SameWords);
    }
    if a.acronyms.iter().any(|x| b.acronyms.contains(x)) {
        return Some(Reason::SameAcronym);
    }
    let shorter = a.joined.chars().count().min(b.joined.chars().count());
    (shorter >= MIN_TYPO_LETTERS && strsim::damerau_levenshtein(&a.joined, &b.joined) <= 1)
        .then_some(Reason::TypoApart)
}

/// The near-duplicate values of every facet but the country (whose names one table makes
/// canonical), most cases first.
pub fn near_duplicates(cases: &[Case], library: &Library) -> Vec<NearDuplicate> {
    let mut found = Vec::new();
    for facet in Facet::ALL.into_iter().filter(|&f| f != Facet::Country) {
        let values = library.values(facet);
        let parts: Vec<Parts> = values.iter().map(|v| parts_of(&v.name)).collect();
        let countries: Vec<BTreeSet<&str>> = values
            .iter()
            .map(|v| {
                v.cases
                    .iter()
                    .flat_map(|&c| cases[c].values(Facet::Country))
                    .map(String::as_str)
                    .collect()
            })
            .collect();
        let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, p) in parts.iter().enumerate() {
            for key in p.words.iter().chain(&p.acronyms) {
                groups.entry(key.clone()).or_default().push(index);
            }
            // Words run together or split apart, or misspelt, share their ends.
            let letters: Vec<char> = p.joined.chars().collect();
            if letters.len() >= MIN_TYPO_LETTERS {
                let start: String = letters[..5].iter().collect();
                let end: String = letters[letters.len() - 5..].iter().collect();
                groups.entry(format!("{start}…")).or_default().push(index);
                groups.entry(format!("…{end}")).or_default().push(index);
            }
        }
        let mut pairs = BTreeSet::new();
        for members in groups.values_mut() {
            // A word written twice in one value lists the value twice.
            members.dedup();
            if members.len() > MAX_GROUP {
                continue;
            }
            for (i, &a) in members.iter().enumerate() {
                for &b in &members[i + 1..] {
                    pairs.insert((a.min(b), a.max(b)));
                }
            }
        }
        for (a, b) in pairs {
            let apart = !countries[a].is_empty()
                && !countries[b].is_empty()
                && countries[a].is_disjoint(&countries[b]);
            if apart {
                continue;
            }
            if let Some(reason) = reason(&parts[a], &parts[b]) {
                let (first, second) = if values[a].cases.len() >= values[b].cases.len() {
                    (a, b)
                } else {
                    (b, a)
                };
                found.push(NearDuplicate {
                    facet: facet.key(),
                    values: [values[first].name.clone(), values[second].name.clone()],
                    cases: [values[first].cases.len(), values[second].cases.len()],
                    reason,
                });
            }
        }
    }
    found.sort_by(|x, y| {
        (y.cases[0] + y.cases[1])
            .cmp(&(x.cases[0] + x.cases[1]))
            .then_with(|| x.values.cmp(&y.values))
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn looks_like_one(a: &str, b: &str) -> Option<Reason> {
        reason(&parts_of(a), &parts_of(b))
    }

    #[test]
    fn names_of_one_body_written_two_ways_are_found() {
        assert_eq!(
            looks_like_one("City of Amsterdam", "Municipality of Amsterdam"),
            Some(Reason::SameWords)
        );
        assert_eq!(
            looks_like_one("Amsterdam", "City of Amsterdam"),
            Some(Reason::SameWords)
        );
        assert_eq!(
            looks_like_one(
                "AGID (Agenzia per Italia Digitale)",
                "Agency for Digital Italy (AGiD)"
            ),
            Some(Reason::SameAcronym)
        );
        assert_eq!(
            looks_like_one("Province of SouthHolland", "Provinde of South Holland"),
            Some(Reason::TypoApart)
        );
        assert_eq!(
            looks_like_one(
                "Bundesagentur für Arbeit",
                "Bundesagentur für Arbeit (Federal Labor Agency)"
            ),
            Some(Reason::SameWords)
        );
        assert_eq!(
            looks_like_one("ProRail", "ProRail B.V"),
            Some(Reason::SameWords)
        );
    }

    #[test]
    fn names_that_only_look_alike_are_not() {
        assert_eq!(looks_like_one("NAV", "NAVA"), None);
        assert_eq!(
            looks_like_one("Ministry of Finance", "Ministry of Finance of Malta (MFIN)"),
            None
        );
        assert_eq!(looks_like_one("City of Utrecht", "City of Amsterdam"), None);
        assert_eq!(looks_like_one("Slovakia", "Slovenia"), None);
        assert_eq!(
            looks_like_one(
                "CSI Piemonte (Inhouse ICT of Regione Piemonte - Italy)",
                "Lepida Spa (inhouse ICT of Regione Emilia Romagna)"
            ),
            None,
            "an acronym inside a longer bracket names no one"
        );
        assert_eq!(
            looks_like_one("Municipality of Rotterdam, TNO and BZK", "Rotterdam"),
            None,
            "a body and a list of partners"
        );
        assert_eq!(
            looks_like_one("Health", "Health n.e.c"),
            None,
            "two classes of a classification"
        );
    }
}
