//! Writing the tantivy index of a knowledge base into its `.casebook/index/` cache.

use std::path::{Path, PathBuf};

use tantivy::schema::{Facet as TantivyFacet, TantivyDocument};
use tantivy::{Index, IndexWriter, Term};

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::analyzer::{analyze, Mode, WordCollector};
use super::codec::Damaged;
use super::dictionary::{spellings_of, Dictionary};
use super::schema::{self, facet_text, Fields, TextField, INDEX_VERSION};
use super::sorting::SortKeys;
use super::IndexError;
use crate::content::{Case, Facet};
use crate::error::IoError;

/// What the index needs to know of one case.
pub struct IndexedCase<'a> {
    /// The case.
    pub case: &'a Case,
    /// Its body as plain text.
    pub body_text: &'a str,
    /// Its page's site path.
    pub url: &'a str,
}

impl IndexedCase<'_> {
    /// What the case holds in one text field.
    pub fn text(&self, field: TextField) -> Cow<'_, str> {
        match field {
            TextField::Title => Cow::Borrowed(&self.case.title),
            TextField::Summary => Cow::Borrowed(self.case.summary.as_deref().unwrap_or_default()),
            TextField::Body => Cow::Borrowed(self.body_text),
            // A country read from the region is the region's word again: not counted twice.
            TextField::Facet(Facet::Country) if self.case.country_from_region => Cow::Borrowed(""),
            TextField::Facet(facet) => Cow::Owned(facet_text(self.case.values(facet))),
        }
    }

    /// Every term the index holds for the case, in any field.
    pub fn terms(&self) -> BTreeSet<String> {
        TextField::ALL
            .iter()
            .flat_map(|&field| analyze(&self.text(field), Mode::Index))
            .map(|token| token.text)
            .collect()
    }
}

/// An index with its writer kept open, so a changed case can be replaced in place.
pub struct LiveIndex {
    index: Index,
    writer: IndexWriter,
    fields: Fields,
    /// The words indexing has seen, for the dictionary.
    words: Arc<WordCollector>,
}

impl LiveIndex {
    /// Builds a fresh index of `cases` (numbered in the order given) in `cache_dir/index/`
    /// and keeps its writer.
    pub fn create(cache_dir: &Path, cases: &[IndexedCase]) -> Result<LiveIndex, IndexError> {
        let dir = schema::index_dir(cache_dir);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(IoError::at(&dir))?;
        }
        std::fs::create_dir_all(&dir).map_err(IoError::at(&dir))?;
        let (schema, fields) = schema::schema();
        let index = Index::create_in_dir(&dir, schema)?;
        let words = Arc::new(WordCollector::default());
        schema::register_analyzer(&index, Some(Arc::clone(&words)));
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4);
        let mut writer =
            index.writer_with_num_threads::<TantivyDocument>(threads, threads * 64_000_000)?;
        for (number, indexed) in cases.iter().enumerate() {
            writer.add_document(document(&fields, number as u64, indexed))?;
        }
        writer.commit()?;
        write_version(cache_dir)?;
        Ok(LiveIndex {
            index,
            writer,
            fields,
            words,
        })
    }

    /// The index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The schema's fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The spellings (word → term) of the words indexed for the first time since the last
    /// call: at first every word of the collection, later those a replaced case brought.
    pub fn new_spellings(&self) -> BTreeMap<String, String> {
        spellings_of(&self.words.take_new())
    }

    /// Replaces the document of case `number` (seen by readers after [`LiveIndex::commit`]).
    pub fn replace(&mut self, number: u64, indexed: &IndexedCase) -> Result<(), IndexError> {
        self.writer
            .delete_term(Term::from_field_u64(self.fields.doc, number));
        self.writer
            .add_document(document(&self.fields, number, indexed))?;
        Ok(())
    }

    /// Makes the replacements so far visible to readers (and to `casebook search`).
    pub fn commit(&mut self) -> Result<(), IndexError> {
        self.writer.commit()?;
        Ok(())
    }

    /// Waits for background merges and closes the writer.
    pub fn finish(self) -> Result<Index, IndexError> {
        self.writer.wait_merging_threads()?;
        Ok(self.index)
    }
}

fn document(fields: &Fields, number: u64, indexed: &IndexedCase) -> TantivyDocument {
    let case = indexed.case;
    let mut doc = TantivyDocument::default();
    doc.add_u64(fields.doc, number);
    doc.add_text(fields.slug, &case.slug);
    doc.add_text(fields.url, indexed.url);
    for field in TextField::ALL {
        doc.add_text(fields.of(field), indexed.text(field));
    }
    for facet in Facet::ALL {
        for value in case.values(facet) {
            doc.add_facet(fields.facets[facet.index()], facet_path(value));
        }
    }
    doc
}

/// The facet path a value is filtered by: `/<value-slug>`.
pub fn facet_path(value: &str) -> TantivyFacet {
    TantivyFacet::from_path([crate::content::slugify(value)])
}

fn version_file(cache_dir: &Path) -> PathBuf {
    cache_dir.join("index-version")
}

/// The files `casebook search` reads beside the index: what the export holds for the
/// browser, in the same encoding (gzip-compressed), so both answer from the same data.
#[derive(Debug, Clone, Copy)]
pub enum Beside {
    /// The dictionary, all of it (the export splits it into shards).
    Words,
    /// The sort keys, as the export's `sorts.bin`.
    Sorts,
    /// Each case's year of record, as `facets.bin` ends.
    Years,
}

impl Beside {
    fn path(self, cache_dir: &Path) -> PathBuf {
        cache_dir.join(match self {
            Beside::Words => "words.bin",
            Beside::Sorts => "sorts.bin",
            Beside::Years => "years.bin",
        })
    }
}

/// Writes a file beside the index; `bytes` are compressed.
pub fn write_beside(cache_dir: &Path, file: Beside, bytes: &[u8]) -> Result<(), IndexError> {
    let path = file.path(cache_dir);
    std::fs::write(&path, super::codec::gzip(bytes)).map_err(|e| IoError::new(&path, e).into())
}

/// Reads a file a build left beside the index, handing its inflated bytes to `decode`.
pub fn read_beside<T>(
    cache_dir: &Path,
    file: Beside,
    decode: impl FnOnce(&[u8]) -> Result<T, Damaged>,
) -> Result<T, IndexError> {
    use std::io::Read;
    let path = file.path(cache_dir);
    let packed = std::fs::read(&path).map_err(|e| IoError::new(&path, e))?;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(packed.as_slice())
        .read_to_end(&mut bytes)
        .map_err(|_| IndexError::Damaged {
            path: path.clone(),
            damage: Damaged("not gzip"),
        })?;
    decode(&bytes).map_err(|damage| IndexError::Damaged { path, damage })
}

/// Writes the dictionary beside the index.
pub fn write_dictionary(cache_dir: &Path, dictionary: &Dictionary) -> Result<(), IndexError> {
    write_beside(
        cache_dir,
        Beside::Words,
        &super::dictionary::encode(dictionary.entries()),
    )
}

/// Reads the dictionary a build left beside the index.
pub fn read_dictionary(cache_dir: &Path) -> Result<Dictionary, IndexError> {
    read_beside(cache_dir, Beside::Words, |bytes| {
        Dictionary::decode(bytes).map(Dictionary::from_entries)
    })
}

/// Writes the sort keys and years beside the index.
pub fn write_sort_keys(cache_dir: &Path, keys: &SortKeys) -> Result<(), IndexError> {
    write_beside(cache_dir, Beside::Sorts, &keys.encode())?;
    write_beside(cache_dir, Beside::Years, &keys.encode_years())
}

/// Reads the sort keys and years of `cases` cases a build left beside the index.
pub fn read_sort_keys(cache_dir: &Path, cases: usize) -> Result<SortKeys, IndexError> {
    let years = read_beside(cache_dir, Beside::Years, |bytes| Ok(bytes.to_vec()))?;
    read_beside(cache_dir, Beside::Sorts, |bytes| {
        SortKeys::decode(bytes, &years, cases)
    })
}

fn write_version(cache_dir: &Path) -> Result<(), IndexError> {
    let path = version_file(cache_dir);
    std::fs::write(&path, INDEX_VERSION.to_string()).map_err(|e| IoError::new(&path, e).into())
}

/// Opens the index a previous build left in `cache_dir`.
pub fn open_index(cache_dir: &Path) -> Result<(Index, Fields), IndexError> {
    let dir = schema::index_dir(cache_dir);
    let version = std::fs::read_to_string(version_file(cache_dir)).unwrap_or_default();
    if !dir.is_dir() || version.trim() != INDEX_VERSION.to_string() {
        return Err(IndexError::Missing(dir));
    }
    let index = Index::open_in_dir(&dir)?;
    schema::register_analyzer(&index, None);
    let (_, fields) = schema::schema();
    Ok((index, fields))
}
