//! The forgiving search's dictionary: every word of the collection as written (folded, with
//! hyphens and apostrophes removed, never stemmed), the term it is indexed as, and how many
//! cases hold that term. Misspelt words are corrected, and a word being typed is completed,
//! against these words, then searched as their terms ([`super::forgive`] has the rules).
//!
//! Words come from tokenizing (the index's `WordCollector`); the numbers of cases come from
//! the index's postings. The same entries serve `casebook search` (`.casebook/words.bin`) and
//! the browser (the export's `search/words/<i>.bin`), so both choose the same corrections.
//!
//! Encoding (the export's, see [`super::export`]), entries in byte order of their words,
//! each as `varint(shared) varint(n) n×byte` (the word: the first `shared` bytes of the previous
//! entry's word, then `n` bytes), `varint(shared) varint(n) n×byte` (the term: the first
//! `shared` bytes of this entry's word, then `n` bytes) and `varint(cases)`. Each shard starts
//! from an empty previous word, and the whole is gzip-compressed like the term shards.
//! Entries whose words contain a digit, or have fewer than two characters, are left out.

use std::collections::{BTreeMap, HashMap};

use super::analyzer::word_spellings;
use super::codec::{read_varint, write_varint, Damaged};
use super::forgive;

/// One word of the dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The word as written, folded, without hyphens and apostrophes.
    pub word: String,
    /// The term the word is indexed as.
    pub term: String,
    /// How many cases hold the term.
    pub cases: u32,
}

/// A term a misspelt word may have meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The dictionary word that led to it (the nearest of its words).
    pub word: String,
    /// The term searched.
    pub term: String,
    /// Edits from the word as typed.
    pub edits: usize,
    /// Cases holding the term.
    pub cases: u32,
}

/// The words of a collection, in byte order.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    entries: Vec<Entry>,
}

impl Dictionary {
    /// The dictionary of `spellings` (word → term) whose term some case holds.
    pub fn from_spellings(
        spellings: &BTreeMap<String, String>,
        cases: impl Fn(&str) -> u32,
    ) -> Dictionary {
        let entries = spellings
            .iter()
            .filter_map(|(word, term)| {
                let held = cases(term);
                (held > 0).then(|| Entry {
                    word: word.clone(),
                    term: term.clone(),
                    cases: held,
                })
            })
            .collect();
        Dictionary { entries }
    }

    /// The entries, in byte order of their words.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The terms `word` (folded, as typed) may have meant, best first, when its own term is
    /// held by `own_cases` cases: see [`forgive`] for the rules.
    pub fn corrections(&self, word: &str, own_term: &str, own_cases: u32) -> Vec<Correction> {
        let typed: Vec<char> = word.chars().collect();
        let max = forgive::max_edits(typed.len());
        let Some(&first) = typed.first() else {
            return Vec::new();
        };
        if max == 0 {
            return Vec::new();
        }
        let mut letter = [0u8; 4];
        let start = first.encode_utf8(&mut letter);
        let mut best: HashMap<&str, Correction> = HashMap::new();
        for entry in self.starting_with(start) {
            if entry.term == own_term || entry.cases <= own_cases {
                continue;
            }
            let candidate: Vec<char> = entry.word.chars().collect();
            let Some(edits) = forgive::distance(&typed, &candidate, max) else {
                continue;
            };
            let nearer = best
                .get(entry.term.as_str())
                .is_none_or(|b| (edits, entry.word.as_bytes()) < (b.edits, b.word.as_bytes()));
            if nearer {
                best.insert(
                    &entry.term,
                    Correction {
                        word: entry.word.clone(),
                        term: entry.term.clone(),
                        edits,
                        cases: entry.cases,
                    },
                );
            }
        }
        let mut found: Vec<Correction> = best.into_values().collect();
        found.sort_by(|a, b| {
            (a.edits, std::cmp::Reverse(a.cases), a.term.as_bytes()).cmp(&(
                b.edits,
                std::cmp::Reverse(b.cases),
                b.term.as_bytes(),
            ))
        });
        found.truncate(forgive::MAX_CORRECTIONS);
        found
    }

    /// The terms of the words that begin with `prefix` (folded, as typed), held by most
    /// cases first (then in byte order), at most [`forgive::MAX_COMPLETIONS`].
    pub fn completions(&self, prefix: &str) -> Vec<String> {
        let mut terms: HashMap<&str, u32> = HashMap::new();
        for entry in self.starting_with(prefix) {
            terms.insert(&entry.term, entry.cases);
        }
        let mut found: Vec<(&str, u32)> = terms.into_iter().collect();
        found.sort_by(|a, b| {
            (std::cmp::Reverse(a.1), a.0.as_bytes()).cmp(&(std::cmp::Reverse(b.1), b.0.as_bytes()))
        });
        found
            .into_iter()
            .take(forgive::MAX_COMPLETIONS)
            .map(|(term, _)| term.to_string())
            .collect()
    }

    /// The entries whose words begin with `prefix`.
    fn starting_with<'d>(&'d self, prefix: &'d str) -> impl Iterator<Item = &'d Entry> + 'd {
        let from = self
            .entries
            .partition_point(|e| e.word.as_bytes() < prefix.as_bytes());
        self.entries[from..]
            .iter()
            .take_while(move |e| e.word.starts_with(prefix))
    }

    /// Reads an encoded file (one shard or the whole dictionary, uncompressed).
    pub fn decode(bytes: &[u8]) -> Result<Vec<Entry>, Damaged> {
        let mut entries = Vec::new();
        let mut at = 0;
        let mut previous: Vec<u8> = Vec::new();
        while at < bytes.len() {
            let shared = read_varint(bytes, &mut at)? as usize;
            let word_bytes = read_bytes(bytes, &mut at)?;
            if shared > previous.len() {
                return Err(Damaged("a word shares more than the previous one has"));
            }
            let mut word = previous[..shared].to_vec();
            word.extend_from_slice(word_bytes);
            let shared_term = read_varint(bytes, &mut at)? as usize;
            let term_bytes = read_bytes(bytes, &mut at)?;
            if shared_term > word.len() {
                return Err(Damaged("a term shares more than its word has"));
            }
            let mut term = word[..shared_term].to_vec();
            term.extend_from_slice(term_bytes);
            let cases = read_varint(bytes, &mut at)?;
            let text = |b: Vec<u8>| String::from_utf8(b).map_err(|_| Damaged("not UTF-8"));
            entries.push(Entry {
                word: text(word.clone())?,
                term: text(term)?,
                cases: u32::try_from(cases).map_err(|_| Damaged("a count too large"))?,
            });
            previous = word;
        }
        Ok(entries)
    }

    /// A dictionary of entries already in order (as decoded).
    pub fn from_entries(entries: Vec<Entry>) -> Dictionary {
        Dictionary { entries }
    }
}

/// Every spelling (word → term) of folded words as indexing saw them, leaving out what is
/// never corrected nor completed: words with digits, and single characters.
pub fn spellings_of(words: &[String]) -> BTreeMap<String, String> {
    let mut spellings = BTreeMap::new();
    for folded in words {
        word_spellings(folded, |word, term| {
            let wanted = word.chars().nth(1).is_some() && !word.chars().any(char::is_numeric);
            if wanted {
                spellings.insert(word, term);
            }
        });
    }
    spellings
}

/// Appends one entry to a shard being encoded after `previous` (the word before it, or "").
pub fn encode_entry(out: &mut Vec<u8>, previous: &str, entry: &Entry) {
    let shared = shared_prefix(previous.as_bytes(), entry.word.as_bytes());
    write_varint(out, shared as u64);
    write_bytes(out, &entry.word.as_bytes()[shared..]);
    let shared_term = shared_prefix(entry.word.as_bytes(), entry.term.as_bytes());
    write_varint(out, shared_term as u64);
    write_bytes(out, &entry.term.as_bytes()[shared_term..]);
    write_varint(out, u64::from(entry.cases));
}

/// The entries encoded as one shard.
pub fn encode(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut previous = "";
    for entry in entries {
        encode_entry(&mut out, previous, entry);
        previous = &entry.word;
    }
    out
}

/// How many bytes two byte strings share at their start, never cutting a character.
fn shared_prefix(a: &[u8], b: &[u8]) -> usize {
    let mut n = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    // Back to a character boundary of `b` (continuation bytes are 0b10xxxxxx).
    while n > 0 && n < b.len() && (b[n] & 0xc0) == 0x80 {
        n -= 1;
    }
    n
}

fn write_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    write_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn read_bytes<'b>(bytes: &'b [u8], at: &mut usize) -> Result<&'b [u8], Damaged> {
    let n = read_varint(bytes, at)? as usize;
    let end = at
        .checked_add(n)
        .filter(|&end| end <= bytes.len())
        .ok_or(Damaged("a word runs past the end"))?;
    let slice = &bytes[*at..end];
    *at = end;
    Ok(slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dictionary(words: &[&str]) -> Dictionary {
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        // Every term held by as many cases as it has letters: a stand-in for the index.
        Dictionary::from_spellings(&spellings_of(&words), |term| term.len() as u32)
    }

    #[test]
    fn words_are_spelt_as_written_and_mapped_to_their_terms() {
        let d = dictionary(&[
            "co-production",
            "people",
            "oldham's",
            "2014",
            "a",
            "purification",
        ]);
        let words: Vec<(&str, &str)> = d
            .entries()
            .iter()
            .map(|e| (e.word.as_str(), e.term.as_str()))
            .collect();
        assert_eq!(
            words,
            [
                ("co", "co"),
                ("coproduction", "coproduct"),
                ("oldhams", "oldham"),
                ("people", "peopl"),
                ("production", "product"),
                ("purification", "purif"),
            ]
        );
    }

    #[test]
    fn a_misspelt_word_reaches_the_word_it_meant() {
        let d = dictionary(&["people", "purification", "purple", "pebble"]);
        let terms = |word: &str| -> Vec<String> {
            let own = super::super::analyzer::stem(word);
            d.corrections(word, &own, 0)
                .into_iter()
                .map(|c| c.term)
                .collect()
        };
        assert_eq!(terms("peple"), ["peopl"]);
        assert_eq!(terms("purificaiton"), ["purif"]);
        assert_eq!(
            terms("beople"),
            Vec::<String>::new(),
            "the first letter is kept"
        );
        assert_eq!(terms("pple"), Vec::<String>::new(), "too short to correct");
    }

    #[test]
    fn completions_are_terms_of_words_that_begin_so() {
        let d = dictionary(&["older", "oldham", "olive", "people"]);
        assert_eq!(d.completions("old"), ["oldham", "older"]);
        assert!(d.completions("x").is_empty());
    }

    #[test]
    fn entries_round_trip_and_damage_is_refused() {
        let d = dictionary(&["coproduction", "co-design", "seinäjoki", "seinä", "zebra"]);
        let bytes = encode(d.entries());
        assert_eq!(Dictionary::decode(&bytes).unwrap(), d.entries());
        for cut in 1..bytes.len() {
            // Every truncation either reads whole entries or is refused; never a panic.
            let _ = Dictionary::decode(&bytes[..cut]);
        }
        assert!(Dictionary::decode(&[0x80]).is_err());
        assert!(
            Dictionary::decode(&[5, 0]).is_err(),
            "shares more than there is"
        );
    }
}
