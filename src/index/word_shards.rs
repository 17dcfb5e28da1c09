//! The dictionary's part of the export: its words split into shards the browser fetches only
//! when it must correct or complete a word, and kept current as the live preview changes
//! cases. A shard holds the words from its first word (listed in `meta.json` as `words`) to
//! the next shard's, and never words of two first letters; to correct a word the runtime
//! fetches its letter's shards, to complete one those that may hold words beginning with it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::codec::{gzip, ExportFile, EXPORT_FOLDER};
use super::dictionary::{encode_entry, Dictionary, Entry};

/// A shard is closed once it holds this many bytes, before compression; and whenever the first
/// letter changes, so that correcting a word fetches its letter's words and no others.
const WORD_SHARD_BYTES: usize = 4 * 1024;

/// The file of word shard `index`.
fn word_shard_path(index: usize) -> String {
    format!("{EXPORT_FOLDER}words/{index}.bin")
}

/// The dictionary as the export holds it.
#[derive(Debug, Clone, Default)]
pub struct WordShards {
    /// Every spelling indexing has seen: word → term.
    spellings: BTreeMap<String, String>,
    /// Cases holding each term (terms no case holds are absent).
    cases: HashMap<String, u32>,
    /// The first word of each shard; fixed once written, so shard files keep their names.
    boundaries: Vec<String>,
}

impl WordShards {
    /// Splits the dictionary of `spellings` whose terms `cases` holds into shards.
    pub fn new(spellings: BTreeMap<String, String>, cases: HashMap<String, u32>) -> WordShards {
        let mut shards = WordShards {
            spellings,
            cases,
            boundaries: Vec::new(),
        };
        let mut size = WORD_SHARD_BYTES;
        let mut previous = String::new();
        let mut bytes = Vec::new();
        let mut letter = None;
        for entry in shards.dictionary().entries() {
            let first = entry.word.chars().next();
            if size >= WORD_SHARD_BYTES || first != letter {
                shards.boundaries.push(entry.word.clone());
                size = 0;
                previous.clear();
                letter = first;
            }
            bytes.clear();
            encode_entry(&mut bytes, &previous, entry);
            size += bytes.len();
            previous.clone_from(&entry.word);
        }
        shards
    }

    /// The first word of each shard.
    pub fn boundaries(&self) -> &[String] {
        &self.boundaries
    }

    /// Every entry, in order: what `casebook search` reads.
    pub fn dictionary(&self) -> Dictionary {
        Dictionary::from_spellings(&self.spellings, |term| {
            self.cases.get(term).copied().unwrap_or(0)
        })
    }

    /// Every shard file.
    pub fn files(&self) -> Vec<ExportFile> {
        (0..self.boundaries.len()).map(|i| self.file(i)).collect()
    }

    /// Adds newly seen spellings and the new numbers of cases of `terms` (0: no case holds
    /// it any more), and returns the shard files that changed.
    pub fn update(
        &mut self,
        spellings: BTreeMap<String, String>,
        terms: HashMap<String, u32>,
    ) -> Vec<ExportFile> {
        let mut touched_words: Vec<String> = Vec::new();
        for (word, term) in spellings {
            if self.spellings.get(&word) != Some(&term) {
                touched_words.push(word.clone());
                self.spellings.insert(word, term);
            }
        }
        let changed: BTreeSet<&str> = terms
            .iter()
            .filter(|(term, &n)| self.cases.get(term.as_str()).copied().unwrap_or(0) != n)
            .map(|(term, _)| term.as_str())
            .collect();
        touched_words.extend(
            self.spellings
                .iter()
                .filter(|(_, term)| changed.contains(term.as_str()))
                .map(|(word, _)| word.clone()),
        );
        for (term, n) in terms {
            if n == 0 {
                self.cases.remove(&term);
            } else {
                self.cases.insert(term, n);
            }
        }
        let shards: BTreeSet<usize> = touched_words
            .iter()
            .map(|word| self.shard_of(word))
            .collect();
        shards.into_iter().map(|i| self.file(i)).collect()
    }

    /// The shard a word belongs to: the last whose first word is not after it, unless that
    /// shard is of another letter and the next one of the word's (a word added before its
    /// letter's first shard still goes with its letter). `js/dictionary.js` finds shards so.
    fn shard_of(&self, word: &str) -> usize {
        let at = self
            .boundaries
            .partition_point(|b| b.as_bytes() <= word.as_bytes())
            .saturating_sub(1);
        let letter = word.chars().next();
        let of_letter = |i: usize| {
            self.boundaries
                .get(i)
                .is_some_and(|b| b.chars().next() == letter)
        };
        if !of_letter(at) && of_letter(at + 1) {
            at + 1
        } else {
            at
        }
    }

    /// Shard `index`, encoded and compressed: the words [`WordShards::shard_of`] puts there.
    fn file(&self, index: usize) -> ExportFile {
        use std::ops::Bound::{Excluded, Included, Unbounded};
        // Candidates lie between the previous shard's first word and the next one's.
        let from = match index.checked_sub(1) {
            Some(previous) => Included(self.boundaries[previous].as_str()),
            None => Unbounded,
        };
        let to = match self.boundaries.get(index + 1) {
            Some(next) => Excluded(next.as_str()),
            None => Unbounded,
        };
        let mut bytes = Vec::new();
        let mut previous = String::new();
        for (word, term) in self.spellings.range::<str, _>((from, to)) {
            if self.shard_of(word) != index {
                continue;
            }
            let Some(&cases) = self.cases.get(term) else {
                continue;
            };
            let entry = Entry {
                word: word.clone(),
                term: term.clone(),
                cases,
            };
            encode_entry(&mut bytes, &previous, &entry);
            previous.clone_from(word);
        }
        (word_shard_path(index), gzip(&bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::dictionary::{spellings_of, Dictionary};

    fn inflate(bytes: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn shards_hold_every_word_and_follow_changes() {
        // Distinct words of letters only (words with digits are left out of the dictionary).
        let letters = |mut n: usize| {
            let mut word = String::from("w");
            while n > 0 {
                word.push(char::from(b'a' + (n % 26) as u8));
                n /= 26;
            }
            word
        };
        let words: Vec<String> = (1..6000).map(letters).collect();
        let spellings = spellings_of(&words);
        let cases: HashMap<String, u32> = spellings.values().map(|t| (t.clone(), 3)).collect();
        let mut shards = WordShards::new(spellings.clone(), cases);
        let read = |files: &[ExportFile]| -> Vec<Entry> {
            files
                .iter()
                .flat_map(|(_, bytes)| Dictionary::decode(&inflate(bytes)).unwrap())
                .collect()
        };
        assert_eq!(read(&shards.files()), shards.dictionary().entries());
        assert!(shards.boundaries().len() > 1, "more than one shard");

        // A new word, and a term no case holds any more.
        let gone = spellings.values().next().unwrap().clone();
        let changed = shards.update(
            BTreeMap::from([("wordy".to_string(), "wordi".to_string())]),
            HashMap::from([("wordi".to_string(), 1), (gone.clone(), 0)]),
        );
        assert!(!changed.is_empty() && changed.len() < shards.boundaries().len());
        let entries = shards.dictionary();
        assert!(entries.entries().iter().any(|e| e.word == "wordy"));
        assert!(entries.entries().iter().all(|e| e.term != gone));
        assert_eq!(read(&shards.files()), entries.entries());
    }
}
