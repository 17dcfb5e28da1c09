//! Writing the tantivy index of a knowledge base and the files beside it, which
//! `casebook search` reads from the cache's `.casebook/search/` folder.
//!
//! A build writes them into a fresh folder beside that one ([`StagedIndex`]) and swaps it in
//! after the site, so that a failed or killed build leaves the index as it was; the folder's
//! `index-version` file is written last and names the number of cases, so that a folder
//! that is not whole is told apart from one that is ([`open_index`]). The preview keeps its
//! index in memory ([`LiveIndex::in_memory`]) and never touches the cache.

use std::path::{Path, PathBuf};

use tantivy::schema::{Facet as TantivyFacet, TantivyDocument};
use tantivy::store::Compressor;
use tantivy::{Index, IndexSettings, IndexWriter, Term};

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

/// The index's settings. Stored fields (what `casebook search` shows of a hit) are kept
/// without compression: compressing them cost more of a build than the bytes saved are worth
/// in a cache folder.
fn index_settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::None,
        ..IndexSettings::default()
    }
}

impl LiveIndex {
    /// Builds a fresh index of `cases` (numbered in the order given) in `dir/index/` and
    /// keeps its writer.
    pub fn create(dir: &Path, cases: &[IndexedCase]) -> Result<LiveIndex, IndexError> {
        let dir = index_dir(dir);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(IoError::at(&dir))?;
        }
        std::fs::create_dir_all(&dir).map_err(IoError::at(&dir))?;
        let (schema, fields) = schema::schema();
        let index = Index::builder()
            .schema(schema)
            .settings(index_settings())
            .create_in_dir(&dir)?;
        LiveIndex::fill(index, fields, cases)
    }

    /// Builds a fresh index of `cases` in memory, for the preview: what it indexes (drafts,
    /// unsaved states) never reaches the index `casebook search` reads.
    pub fn in_memory(cases: &[IndexedCase]) -> Result<LiveIndex, IndexError> {
        let (schema, fields) = schema::schema();
        let index = Index::builder()
            .schema(schema)
            .settings(index_settings())
            .create_in_ram()?;
        LiveIndex::fill(index, fields, cases)
    }

    fn fill(index: Index, fields: Fields, cases: &[IndexedCase]) -> Result<LiveIndex, IndexError> {
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

/// The folder `casebook search` reads in a knowledge base's cache.
pub fn search_dir(cache_dir: &Path) -> PathBuf {
    cache_dir.join("search")
}

/// The tantivy index inside a search folder.
fn index_dir(dir: &Path) -> PathBuf {
    dir.join("index")
}

/// Written last into a search folder: the index version and the number of cases.
fn version_file(dir: &Path) -> PathBuf {
    dir.join("index-version")
}

/// What the cache held before the search folder: removed by the first build that writes one.
const FORMER_LAYOUT: [&str; 5] = [
    "index",
    "index-version",
    "words.bin",
    "sorts.bin",
    "years.bin",
];

/// A search folder being written by a build, beside the one `casebook search` reads; it
/// replaces that one on [`StagedIndex::commit`], and is removed if dropped before.
pub struct StagedIndex {
    fresh: PathBuf,
    target: PathBuf,
    retired: PathBuf,
    committed: bool,
}

impl StagedIndex {
    /// Clears what killed builds left in `cache_dir` and prepares an empty folder.
    pub fn create(cache_dir: &Path) -> Result<StagedIndex, IndexError> {
        let target = search_dir(cache_dir);
        std::fs::create_dir_all(cache_dir).map_err(IoError::at(cache_dir))?;
        crate::swap::remove_leftovers(&target);
        let (fresh, retired) = crate::swap::staging_names(&target);
        if fresh.exists() {
            std::fs::remove_dir_all(&fresh).map_err(IoError::at(&fresh))?;
        }
        std::fs::create_dir_all(&fresh).map_err(IoError::at(&fresh))?;
        Ok(StagedIndex {
            fresh,
            target,
            retired,
            committed: false,
        })
    }

    /// Where the index and the files beside it are written.
    pub fn dir(&self) -> &Path {
        &self.fresh
    }

    /// Marks the folder whole: everything is written, and it holds `cases` cases.
    pub fn mark_whole(&self, cases: usize) -> Result<(), IndexError> {
        let version = version_file(&self.fresh);
        std::fs::write(&version, format!("{INDEX_VERSION} {cases}\n"))
            .map_err(|e| IoError::new(&version, e).into())
    }

    /// Swaps the folder in; the folder it replaced is removed when the returned value is
    /// dropped.
    pub fn commit(mut self) -> Result<crate::swap::Retired, IndexError> {
        let retired = crate::swap::replace_folder(&self.fresh, &self.target, &self.retired)?;
        self.committed = true;
        if let Some(cache_dir) = self.target.parent() {
            for former in FORMER_LAYOUT {
                let path = cache_dir.join(former);
                let _ = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
            }
        }
        Ok(retired)
    }
}

impl Drop for StagedIndex {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.fresh);
        }
    }
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
    fn path(self, dir: &Path) -> PathBuf {
        dir.join(match self {
            Beside::Words => "words.bin",
            Beside::Sorts => "sorts.bin",
            Beside::Years => "years.bin",
        })
    }
}

/// Writes a file beside the index in the search folder `dir`; `bytes` are compressed.
pub fn write_beside(dir: &Path, file: Beside, bytes: &[u8]) -> Result<(), IndexError> {
    let path = file.path(dir);
    std::fs::write(&path, super::codec::gzip(bytes)).map_err(|e| IoError::new(&path, e).into())
}

/// Reads a file a build left beside the index, handing its inflated bytes to `decode`.
pub fn read_beside<T>(
    dir: &Path,
    file: Beside,
    decode: impl FnOnce(&[u8]) -> Result<T, Damaged>,
) -> Result<T, IndexError> {
    use std::io::Read;
    let path = file.path(dir);
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
pub fn write_dictionary(dir: &Path, dictionary: &Dictionary) -> Result<(), IndexError> {
    write_beside(
        dir,
        Beside::Words,
        &super::dictionary::encode(dictionary.entries()),
    )
}

/// Reads the dictionary a build left beside the index.
pub fn read_dictionary(dir: &Path) -> Result<Dictionary, IndexError> {
    read_beside(dir, Beside::Words, |bytes| {
        Dictionary::decode(bytes).map(Dictionary::from_entries)
    })
}

/// Writes the sort keys and years beside the index.
pub fn write_sort_keys(dir: &Path, keys: &SortKeys) -> Result<(), IndexError> {
    write_beside(dir, Beside::Sorts, &keys.encode())?;
    write_beside(dir, Beside::Years, &keys.encode_years())
}

/// Reads the sort keys and years of `cases` cases a build left beside the index.
pub fn read_sort_keys(dir: &Path, cases: usize) -> Result<SortKeys, IndexError> {
    let years = read_beside(dir, Beside::Years, |bytes| Ok(bytes.to_vec()))?;
    read_beside(dir, Beside::Sorts, |bytes| {
        SortKeys::decode(bytes, &years, cases)
    })
}

/// Opens the index the last build left in the search folder `dir`, checking that it is
/// whole: written by this version, with as many cases as the build that wrote it indexed.
pub fn open_index(dir: &Path) -> Result<(Index, Fields), IndexError> {
    let index_dir = index_dir(dir);
    if !dir.is_dir() {
        return Err(IndexError::Missing(dir.to_path_buf()));
    }
    let incomplete = |why: String| IndexError::Incomplete {
        path: dir.to_path_buf(),
        why,
    };
    let stamp = std::fs::read_to_string(version_file(dir))
        .map_err(|_| incomplete("it has no index-version file".into()))?;
    let mut words = stamp.split_whitespace();
    if words.next() != Some(INDEX_VERSION.to_string().as_str()) {
        return Err(IndexError::Missing(dir.to_path_buf()));
    }
    let cases: u64 = words
        .next()
        .and_then(|count| count.parse().ok())
        .ok_or_else(|| incomplete("its index-version file does not say how many cases".into()))?;
    let index = Index::open_in_dir(&index_dir).map_err(|e| incomplete(e.to_string()))?;
    schema::register_analyzer(&index, None);
    let indexed = index
        .reader()
        .map(|reader| reader.searcher().num_docs())
        .map_err(|e| incomplete(e.to_string()))?;
    if indexed != cases {
        return Err(incomplete(format!(
            "it holds {indexed} of the {cases} cases its build indexed"
        )));
    }
    let (_, fields) = schema::schema();
    Ok((index, fields))
}
