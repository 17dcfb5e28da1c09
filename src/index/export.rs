//! The search export: the static index the browser reads, derived from the tantivy index.
//!
//! Format version [`EXPORT_VERSION`], under `search/` in the output (read by `js/format.js` and
//! `js/casebook-search.js`):
//!
//! - `meta.json`: `{version, docs, fields: [{name, boost}], scoreDecimals, shards: [each
//!   shard's boundary: "" for the first, else the shortest beginning of its first term that
//!   sorts after the term before], words: [first word of each dictionary shard], forgiving:
//!   {the rules of [`super::forgive`]}, synonyms: [[[token…]…]…], facets: [key…]}`. Shard `i`
//!   holds the terms `t` with `shards[i] <= t < shards[i+1]`, compared as UTF-8 bytes; so
//!   do the dictionary's shards hold words (the first also any word before `words[0]`).
//! - `terms/<i>.bin`: the shard's terms in byte order, each as
//!   `varint(len) utf8(term) varint(n) n×varint(doc delta) n×varint(score)`; doc numbers
//!   are case numbers (slug order), the first delta from 0; a score is the term's score in
//!   the case in integer units of 10^-scoreDecimals (see [`super::scoring`]).
//! - `facets.bin`: `varint(len) utf8(names)` then, for each facet in `facets` order, its
//!   cases in one of three layouts: `varint(0)` then for each value `varint(n) n×varint(doc
//!   delta)`, `varint(1)` then for each case `varint(n) n×varint(value index)`, or, when no
//!   case has two values, `varint(2)` then for each case `varint(value index + 1)` (0 for
//!   none) (whichever is smallest: the second and third suit organisations, many values of
//!   few cases each), then each case's year of record ([`super::sorting::encode_years`]).
//!   `names` is the JSON `{<facet>: {label, values: [value…]}}`, where a value is its name
//!   when its slug is the name lowercased with spaces as hyphens, and `[name, slug]`
//!   otherwise. The country facet lists only the cases that
//!   give their country; its `fromRegion` holds, per region value, the index of the country
//!   value that region names (or null), and a case listed under no country has the
//!   countries its regions name (the rule of [`crate::content::Case`]'s reader). One file,
//!   so that a page showing facet counts and the year chart makes one request for them.
//! - `sorts.bin`: every case's sort keys ([`super::sorting`]), fetched only to sort by date
//!   or title.
//! - `words/<i>.bin`: a shard of the dictionary, fetched only to correct or complete a word:
//!   entries as [`super::dictionary`] encodes them.
//! - `docs/<n>.json`: one case's fragment, fetched only for results shown or phrases
//!   checked: `{slug, title, url, summary, text, cut, theme, region, organisation,
//!   approach, country, countryFromRegion, year}` where the five facets are lists, `year`
//!   is the year of record (absent when none), `countryFromRegion: true` says the country
//!   was read from the region and is not text of the country field, and `text` is the body
//!   as indexed (its blocks, paragraphs, headings and list items, one a line), or its first
//!   [`SNIPPET_SOURCE`] bytes or so (cut at a word) with `cut: true`: enough to show a
//!   snippet. When cut, `docs/<n>.txt` holds the whole body, read only to check phrases.
//!
//! varints are LEB128 (7 bits a byte, low first). The `.bin` files are gzip-compressed, and
//! the runtime inflates them itself (as Pagefind does): hosts compress JSON and scripts but
//! seldom `application/octet-stream`, and the binary files are most of a first query.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use tantivy::Index;

use super::codec::{gzip, gzip_best, write_varint};
pub use super::codec::{ExportFile, EXPORT_FOLDER};
use super::dictionary::Dictionary;
use super::forgive;
use super::query::Synonyms;
use super::schema::{Fields, TextField};
use super::scoring::{ScoredTerm, TermScoring, SCORE_DECIMALS};
use super::sorting::{encode_years, SortKeys};
use super::word_shards::WordShards;
use super::{IndexError, SearchInput};
use crate::content::{country_named_by, Facet};

/// The version written into `meta.json`; the runtime refuses other versions. The runtime's
/// copy is `VERSION` in `js/format.js`, which a test holds equal to this.
pub const EXPORT_VERSION: u32 = 8;
/// A shard is closed once it holds this many bytes (a term is never split). A query loads
/// a whole shard for each of its words (and of their corrections): small shards send less
/// beside a rare word, at the cost of more boundaries in `meta.json` (12 KiB made a
/// misspelt three-word first query send a median 122.5 KiB at 10,000 cases, 4 KiB
/// 115.7 KiB; the README gives today's figures).
const SHARD_BYTES: usize = 4 * 1024;
/// How much of a body a fragment carries for snippets: about the first 160 words, where a
/// case states what it is about. Whole bodies would make the 10 fragments of a first query
/// the largest part of its download.
pub const SNIPPET_SOURCE: usize = 1000;

/// The browser runtime, written beside the export (names relative to [`EXPORT_FOLDER`]): one
/// ES module per concern, each mirroring a Rust module (`format.js` the reading half of this
/// one, `query.js` of `query`, `forgive.js` of `forgive`, `dictionary.js` of `dictionary`,
/// `snippet.js` of `snippet`, `analyzer.js` of `analyzer`, and `casebook-search.js` of
/// `search` and `plan`). `package.json` tells Node they are ES modules, whatever
/// package.json a site is deployed under; browsers ignore it.
pub const RUNTIME_FILES: [(&str, &str); 9] = [
    ("package.json", "{ \"type\": \"module\" }\n"),
    ("casebook-search.js", include_str!("js/casebook-search.js")),
    ("format.js", include_str!("js/format.js")),
    ("query.js", include_str!("js/query.js")),
    ("forgive.js", include_str!("js/forgive.js")),
    ("dictionary.js", include_str!("js/dictionary.js")),
    ("snippet.js", include_str!("js/snippet.js")),
    ("analyzer.js", include_str!("js/analyzer.js")),
    ("stemmer.js", include_str!("js/stemmer.js")),
];

/// The site paths of the runtime's files and of the export's fixed files, which a build
/// writes whatever the cases hold: what `check` must keep aliases away from.
pub fn fixed_paths() -> impl Iterator<Item = String> {
    RUNTIME_FILES
        .iter()
        .map(|(name, _)| format!("{EXPORT_FOLDER}{name}"))
        .chain([format!("{EXPORT_FOLDER}meta.json")])
}

/// The runtime's ES modules, the first the one a page imports: what a search page preloads,
/// so that the browser fetches them at once rather than one import after another.
pub fn runtime_modules() -> impl Iterator<Item = &'static str> {
    RUNTIME_FILES
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| name.ends_with(".js"))
}

/// The term shards of an export, kept in memory so a changed case can update only the
/// shards holding its terms.
pub struct SearchExport {
    /// First term of each shard; fixed once written, so shard files keep their names.
    boundaries: Vec<String>,
    /// Per shard, its terms in byte order with their postings.
    shards: Vec<Vec<ScoredTerm>>,
    /// The dictionary's shards.
    words: WordShards,
}

impl SearchExport {
    /// Reads every term of the index and splits the terms into shards, and the dictionary of
    /// `spellings` (word → term) into its own.
    pub fn from_index(
        index: &Index,
        fields: &Fields,
        spellings: BTreeMap<String, String>,
    ) -> Result<SearchExport, IndexError> {
        let searcher = index.reader()?.searcher();
        let mut boundaries = Vec::new();
        let mut shards: Vec<Vec<ScoredTerm>> = Vec::new();
        let mut cases = HashMap::new();
        let mut splitter = ShardSplitter::default();
        TermScoring::new(&searcher, fields)?.each_term(|term, postings| {
            cases.insert(term.clone(), postings.len() as u32);
            let term = (term, postings);
            if let Some(boundary) = splitter.starts_shard(&term) {
                boundaries.push(boundary);
                shards.push(Vec::new());
            }
            shards.last_mut().expect("a shard was opened").push(term);
            Ok::<(), IndexError>(())
        })?;
        Ok(SearchExport {
            boundaries,
            shards,
            words: WordShards::new(spellings, cases),
        })
    }

    /// Every file of the export: shards, meta, facets, fragments and the runtime.
    pub fn files(&self, input: &SearchInput) -> Vec<ExportFile> {
        let mut files: Vec<ExportFile> =
            (0..self.shards.len()).map(|i| self.shard_file(i)).collect();
        files.extend(self.words.files());
        let files = Mutex::new(files);
        let collect = |path: String, bytes: Vec<u8>| {
            files
                .lock()
                .expect("no writer panicked")
                .push((path, bytes));
            Ok::<(), IndexError>(())
        };
        write_rest(
            input,
            self.boundaries.clone(),
            self.words.boundaries(),
            &collect,
        )
        .expect("collecting cannot fail");
        files.into_inner().expect("no writer panicked")
    }

    /// Scores `terms` afresh from the index (a case holding them changed), adds the newly
    /// seen `spellings` to the dictionary, and returns the shard files that changed (of terms
    /// and of words).
    pub fn update_terms(
        &mut self,
        index: &Index,
        fields: &Fields,
        terms: &BTreeSet<String>,
        spellings: BTreeMap<String, String>,
    ) -> Result<Vec<ExportFile>, IndexError> {
        let searcher = index.reader()?.searcher();
        let scoring = TermScoring::new(&searcher, fields)?;
        let mut touched = BTreeSet::new();
        let mut cases = HashMap::new();
        for term in terms {
            let postings = scoring.term(term)?;
            cases.insert(term.clone(), postings.len() as u32);
            let shard = self
                .boundaries
                .partition_point(|b| b.as_str() <= term.as_str())
                .saturating_sub(1);
            let Some(terms) = self.shards.get_mut(shard) else {
                continue;
            };
            match (
                terms.binary_search_by(|(t, _)| t.as_str().cmp(term)),
                postings.is_empty(),
            ) {
                (Ok(at), true) => {
                    terms.remove(at);
                }
                (Ok(at), false) => terms[at].1 = postings,
                (Err(at), false) => terms.insert(at, (term.clone(), postings)),
                (Err(_), true) => continue,
            }
            touched.insert(shard);
        }
        let mut files: Vec<ExportFile> = touched.into_iter().map(|i| self.shard_file(i)).collect();
        files.extend(self.words.update(spellings, cases));
        Ok(files)
    }

    fn shard_file(&self, index: usize) -> ExportFile {
        let mut bytes = Vec::new();
        for (term, postings) in &self.shards[index] {
            encode_term(&mut bytes, term, postings);
        }
        (shard_path(index), gzip(&bytes))
    }
}

/// Writes the whole export straight from the index, handing each file to `each` as soon as
/// it is made (shards one by one, fragments from several threads): a build holds one shard
/// and a few fragments at a time, never all postings or all fragments.
/// The dictionary of `spellings` is written after the terms, whose postings give each
/// term's number of cases; it is returned for the cache.
pub fn write_export<E>(
    index: &Index,
    fields: &Fields,
    input: &SearchInput,
    spellings: BTreeMap<String, String>,
    each: &(dyn Fn(String, Vec<u8>) -> Result<(), E> + Sync),
) -> Result<Dictionary, E>
where
    E: From<IndexError> + Send,
{
    let searcher = index.reader().map_err(IndexError::from)?.searcher();
    let mut boundaries: Vec<String> = Vec::new();
    let mut shard = Vec::new();
    let mut cases = HashMap::new();
    let mut splitter = ShardSplitter::default();
    TermScoring::new(&searcher, fields)?.each_term(|term, postings| {
        cases.insert(term.clone(), postings.len() as u32);
        let term = (term, postings);
        if let Some(boundary) = splitter.starts_shard(&term) {
            if let Some(last) = boundaries.len().checked_sub(1) {
                each(shard_path(last), gzip(&shard))?;
                shard.clear();
            }
            boundaries.push(boundary);
        }
        encode_term(&mut shard, &term.0, &term.1);
        Ok::<(), E>(())
    })?;
    if let Some(last) = boundaries.len().checked_sub(1) {
        each(shard_path(last), gzip(&shard))?;
    }
    let words = WordShards::new(spellings, cases);
    for (path, bytes) in words.files() {
        each(path, bytes)?;
    }
    write_rest(input, boundaries, words.boundaries(), each)?;
    Ok(words.dictionary())
}

/// Every file of the export but the shards: meta, facets, fragments and the runtime.
fn write_rest<E: Send>(
    input: &SearchInput,
    boundaries: Vec<String>,
    word_boundaries: &[String],
    each: &(dyn Fn(String, Vec<u8>) -> Result<(), E> + Sync),
) -> Result<(), E> {
    each(
        format!("{EXPORT_FOLDER}meta.json"),
        meta_json(input, boundaries, word_boundaries),
    )?;
    let (path, bytes) = facet_file(input);
    each(path, bytes)?;
    let (path, bytes) = sorts_file(input);
    each(path, bytes)?;
    (0..input.cases.len())
        .into_par_iter()
        .try_for_each(|number| {
            fragment_files(input, number)
                .into_iter()
                .try_for_each(|(path, bytes)| each(path, bytes))
        })?;
    RUNTIME_FILES.iter().try_for_each(|(name, text)| {
        each(
            format!("{EXPORT_FOLDER}{name}"),
            without_comments(text).into_bytes(),
        )
    })
}

/// A runtime file as it is sent: the comment lines of its source dropped (whole lines holding
/// only a `//` comment, and `/* … */` blocks that start a line), which are a third of its
/// bytes and no use to a browser, and so are its blank lines and indentation. Code lines are
/// otherwise kept as written. A line that only looks like a comment inside a string, or
/// indentation inside a template spanning lines, could be lost: the sources have neither (a
/// test holds every template to one line), and every test runs the runtime as written out.
fn without_comments(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut in_block = false;
    for line in source.lines() {
        let code = line.trim_start();
        if in_block {
            in_block = !code.contains("*/");
            continue;
        }
        if code.starts_with("//") {
            continue;
        }
        if code.starts_with("/*") {
            in_block = !code.contains("*/");
            continue;
        }
        if code.is_empty() {
            continue;
        }
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// Decides where shards begin: a term opens a new shard once the current one holds
/// [`SHARD_BYTES`] (a term is never split).
struct ShardSplitter {
    size: usize,
    /// The term before, from which a shard's boundary is told apart.
    previous: String,
}

impl Default for ShardSplitter {
    fn default() -> ShardSplitter {
        // Full, so that the first term opens the first shard.
        ShardSplitter {
            size: SHARD_BYTES,
            previous: String::new(),
        }
    }
}

impl ShardSplitter {
    /// The boundary of the shard `term` opens, if it opens one: the first shard's is "" (a
    /// term added by `serve` before every other belongs to it), a later one's the shortest
    /// beginning of its first term that sorts after the term before (every term of the shard
    /// is at or after it, every earlier one before), which keeps `meta.json`'s list short.
    fn starts_shard(&mut self, term: &ScoredTerm) -> Option<String> {
        let boundary = (self.size >= SHARD_BYTES).then(|| {
            self.size = 0;
            if self.previous.is_empty() {
                String::new()
            } else {
                shortest_after(&term.0, &self.previous).to_string()
            }
        });
        self.size += encoded_size(term);
        self.previous.clear();
        self.previous.push_str(&term.0);
        boundary
    }
}

/// The shortest beginning of `term` (whole characters) that sorts after `before`, as UTF-8
/// bytes; `term` itself when it sorts after `before` only as a whole.
fn shortest_after<'a>(term: &'a str, before: &str) -> &'a str {
    term.char_indices()
        .map(|(at, ch)| &term[..at + ch.len_utf8()])
        .find(|prefix| *prefix > before)
        .unwrap_or(term)
}

fn shard_path(index: usize) -> String {
    format!("{EXPORT_FOLDER}terms/{index}.bin")
}

/// The fragment of case `number`.
fn fragment_path(number: usize) -> String {
    format!("{EXPORT_FOLDER}docs/{number}.json")
}

/// The whole body of case `number`, when its fragment holds only the beginning.
pub(super) fn body_path(number: usize) -> String {
    format!("{EXPORT_FOLDER}docs/{number}.txt")
}

/// The fragment files of one case: its `.json`, and its `.txt` when the body was cut.
pub fn fragment_files(input: &SearchInput, number: usize) -> Vec<ExportFile> {
    let body = input.body_texts[number];
    let snippet_source = snippet_source(body);
    let cut = snippet_source.len() < body.len();
    let mut files = vec![(
        fragment_path(number),
        fragment(input, number, snippet_source, cut),
    )];
    if cut {
        files.push((body_path(number), body.as_bytes().to_vec()));
    }
    files
}

/// The beginning of `body` a fragment carries: at most about [`SNIPPET_SOURCE`] bytes,
/// ending at a word's end.
fn snippet_source(body: &str) -> &str {
    if body.len() <= SNIPPET_SOURCE {
        return body;
    }
    let mut end = SNIPPET_SOURCE;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    match body[..end].rfind(char::is_whitespace) {
        Some(space) if space > SNIPPET_SOURCE / 2 => &body[..space],
        _ => &body[..end],
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Meta<'a> {
    version: u32,
    docs: usize,
    fields: Vec<FieldMeta>,
    score_decimals: i32,
    shards: Vec<String>,
    words: &'a [String],
    forgiving: serde_json::Value,
    synonyms: &'a [Vec<Vec<String>>],
    facets: Vec<&'static str>,
}

#[derive(Serialize)]
struct FieldMeta {
    name: &'static str,
    boost: f32,
}

fn meta_json(input: &SearchInput, shards: Vec<String>, words: &[String]) -> Vec<u8> {
    let meta = Meta {
        version: EXPORT_VERSION,
        docs: input.cases.len(),
        fields: TextField::ALL
            .iter()
            .map(|&field| FieldMeta {
                name: field.name(),
                boost: field.boost(),
            })
            .collect(),
        score_decimals: SCORE_DECIMALS,
        shards,
        words,
        forgiving: forgive::meta(),
        synonyms: &Synonyms::from_vocabulary(input.vocabulary).groups,
        facets: Facet::ALL.iter().map(|f| f.key()).collect(),
    };
    serde_json::to_vec(&meta).expect("plain data")
}

#[derive(Serialize)]
struct FacetValues<'a> {
    label: &'static str,
    values: Vec<FacetValueMeta<'a>>,
}

/// A value as `facets.bin` lists it: its name alone when the runtime can derive its slug.
#[derive(Serialize)]
#[serde(untagged)]
enum FacetValueMeta<'a> {
    Name(&'a str),
    NameAndSlug(&'a str, &'a str),
}

impl<'a> FacetValueMeta<'a> {
    fn new(name: &'a str, slug: &'a str) -> FacetValueMeta<'a> {
        // The runtime's derivation: `name.toLowerCase().replaceAll(" ", "-")`. Slugs are
        // ASCII, so agreeing with it means the name is ASCII and both lowercasings agree.
        if name.to_ascii_lowercase().replace(' ', "-") == slug {
            FacetValueMeta::Name(name)
        } else {
            FacetValueMeta::NameAndSlug(name, slug)
        }
    }
}

/// `facets.bin`: facet names and labels, then each value's cases.
pub fn facet_file(input: &SearchInput) -> ExportFile {
    let mut names = serde_json::Map::new();
    let mut members = Vec::new();
    for facet in Facet::ALL {
        let values = input.library.values(facet);
        let meta = FacetValues {
            label: facet.label(),
            values: values
                .iter()
                .map(|v| FacetValueMeta::new(&v.name, &v.slug))
                .collect(),
        };
        names.insert(
            facet.key().to_string(),
            serde_json::to_value(meta).expect("plain data"),
        );
        if facet == Facet::Country {
            // A country read from the region is not stored twice: the runtime derives it.
            let from_region = country_of_regions(input);
            names[facet.key()]["fromRegion"] =
                serde_json::to_value(from_region).expect("plain data");
        }
        let lists: Vec<Vec<usize>> = values
            .iter()
            .map(|value| {
                let mut docs = value.cases.clone();
                if facet == Facet::Country {
                    docs.retain(|&doc| !input.cases[doc].country_from_region);
                }
                docs.sort_unstable();
                docs
            })
            .collect();
        members.extend(facet_members(&lists, input.cases.len()));
    }
    let names = serde_json::to_vec(&names).expect("plain data");
    let mut bytes = Vec::with_capacity(names.len() + members.len() + 5);
    write_varint(&mut bytes, names.len() as u64);
    bytes.extend_from_slice(&names);
    bytes.extend_from_slice(&members);
    let years: Vec<Option<i32>> = input.cases.iter().map(|c| c.year_of_record()).collect();
    encode_years(&mut bytes, &years);
    (format!("{EXPORT_FOLDER}facets.bin"), gzip_best(&bytes))
}

/// One facet's cases in whichever layout compresses smallest: `varint(0)` then per value
/// `varint(n) n×varint(doc delta)` (values of many cases each), `varint(1)` then per case
/// `varint(n) n×varint(value)` (many values of few cases each, as organisations are), or,
/// when no case has two values, `varint(2)` then per case `varint(value + 1)` (0: none),
/// which spares the count that would always be 1.
fn facet_members(lists: &[Vec<usize>], cases: usize) -> Vec<u8> {
    let mut by_value = Vec::new();
    write_varint(&mut by_value, 0);
    for docs in lists {
        write_varint(&mut by_value, docs.len() as u64);
        let mut previous = 0;
        for &doc in docs {
            write_varint(&mut by_value, (doc - previous) as u64);
            previous = doc;
        }
    }
    let mut of_case = vec![Vec::new(); cases];
    for (value, docs) in lists.iter().enumerate() {
        for &doc in docs {
            of_case[doc].push(value);
        }
    }
    let mut by_case = Vec::new();
    write_varint(&mut by_case, 1);
    for values in &of_case {
        write_varint(&mut by_case, values.len() as u64);
        for &value in values {
            write_varint(&mut by_case, value as u64);
        }
    }
    let mut layouts = vec![by_value, by_case];
    if of_case.iter().all(|values| values.len() <= 1) {
        let mut one_each = Vec::new();
        write_varint(&mut one_each, 2);
        for values in &of_case {
            write_varint(&mut one_each, values.first().map_or(0, |&v| v as u64 + 1));
        }
        layouts.push(one_each);
    }
    layouts
        .into_iter()
        .min_by_key(|layout| gzip(layout).len())
        .expect("two layouts at least")
}

/// Per region value, the index of the country value it names (as a case's reader fills the
/// country of a case that gives none from its regions), or none.
fn country_of_regions(input: &SearchInput) -> Vec<Option<usize>> {
    let countries = input.library.values(Facet::Country);
    input
        .library
        .values(Facet::Region)
        .iter()
        .map(|region| {
            let named = country_named_by(&region.name)?;
            countries.iter().position(|c| c.name == named)
        })
        .collect()
}

/// `sorts.bin`: every case's sort keys ([`super::sorting`]), fetched when results are sorted
/// by date or title.
pub fn sorts_file(input: &SearchInput) -> ExportFile {
    (
        format!("{EXPORT_FOLDER}sorts.bin"),
        gzip_best(&SortKeys::of(input).encode()),
    )
}

#[derive(Serialize)]
struct Fragment<'a> {
    slug: &'a str,
    title: &'a str,
    url: &'a str,
    summary: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    cut: bool,
    theme: &'a [String],
    region: &'a [String],
    organisation: &'a [String],
    approach: &'a [String],
    country: &'a [String],
    /// True when the country was read from the region: not text of the country field.
    #[serde(
        rename = "countryFromRegion",
        skip_serializing_if = "std::ops::Not::not"
    )]
    country_from_region: bool,
    /// The year of record, for the result's card.
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<i32>,
}

fn fragment(input: &SearchInput, number: usize, text: &str, cut: bool) -> Vec<u8> {
    let case = &input.cases[number];
    let fragment = Fragment {
        slug: &case.slug,
        title: &case.title,
        url: &input.urls[number],
        summary: input.summaries[number],
        text,
        cut,
        theme: case.values(Facet::Theme),
        region: case.values(Facet::Region),
        organisation: case.values(Facet::Organisation),
        approach: case.values(Facet::Approach),
        country: case.values(Facet::Country),
        country_from_region: case.country_from_region,
        year: case.year_of_record(),
    };
    serde_json::to_vec(&fragment).expect("plain data")
}

fn encoded_size((term, postings): &ScoredTerm) -> usize {
    term.len() + postings.len() * 3 + 4
}

fn encode_term(out: &mut Vec<u8>, term: &str, postings: &[(u32, u32)]) {
    write_varint(out, term.len() as u64);
    out.extend_from_slice(term.as_bytes());
    write_varint(out, postings.len() as u64);
    let mut previous = 0;
    for &(doc, _) in postings {
        write_varint(out, u64::from(doc - previous));
        previous = doc;
    }
    // Scores after all the doc deltas: each run is more alike, which gzip rewards.
    for &(_, score) in postings {
        write_varint(out, u64::from(score));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_reads_this_version() {
        let format_js = RUNTIME_FILES
            .iter()
            .find(|(name, _)| *name == "format.js")
            .map(|(_, text)| *text)
            .unwrap();
        assert!(
            format_js.contains(&format!("export const VERSION = {EXPORT_VERSION};")),
            "js/format.js must read export version {EXPORT_VERSION}"
        );
    }

    #[test]
    fn a_shard_boundary_is_the_shortest_beginning_after_the_term_before() {
        assert_eq!(shortest_after("olive", "older"), "oli");
        assert_eq!(shortest_after("older", "old"), "olde");
        assert_eq!(shortest_after("zebra", "apple"), "z");
        // Whole characters, compared as UTF-8 bytes: "é" is after every ASCII letter.
        assert_eq!(shortest_after("café", "cafz"), "café");
        let term = |t: &str| (t.to_string(), Vec::new());
        let mut splitter = ShardSplitter::default();
        assert_eq!(splitter.starts_shard(&term("able")), Some(String::new()));
        splitter.size = SHARD_BYTES;
        assert_eq!(
            splitter.starts_shard(&term("abode")),
            Some("abo".to_string())
        );
        assert_eq!(splitter.starts_shard(&term("about")), None);
    }

    #[test]
    fn facets_of_one_value_a_case_skip_the_count() {
        // 300 cases, each of one of three regions but every tenth of none.
        let mut lists = vec![Vec::new(); 3];
        for case in (0..300).filter(|case| case % 10 != 9) {
            lists[case * 7 % 3].push(case);
        }
        let members = facet_members(&lists, 300);
        assert_eq!(members.len(), 301);
        assert_eq!(&members[..4], &[2, 1, 2, 3]);
        assert_eq!(members[10], 0);
        let shared = vec![vec![0, 1], vec![1]];
        assert_ne!(facet_members(&shared, 2)[0], 2, "a case with two values");
    }

    #[test]
    fn comment_lines_are_dropped_and_code_kept() {
        let source = "// A file.\n/**\n * Docs.\n */\nexport const a = 1; // kept\n\n  /* one line */\n  const url = \"http://x\";\n";
        assert_eq!(
            without_comments(source),
            "export const a = 1; // kept\nconst url = \"http://x\";\n"
        );
    }

    #[test]
    fn no_runtime_template_spans_lines() {
        // Indentation is dropped from the runtime as sent: a template spanning lines would
        // lose it from its text.
        for (name, text) in RUNTIME_FILES {
            for (number, line) in text.lines().enumerate() {
                let backticks = line.matches('`').count();
                assert!(
                    backticks % 2 == 0,
                    "{name}:{}: a template literal must open and close on one line",
                    number + 1
                );
            }
        }
    }
}
