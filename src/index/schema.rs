//! The tantivy schema: one text field per searchable part of a case, facet fields for
//! filtering, and the boosts that make a title or facet match outrank a body match.

use std::path::Path;

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Index;

use super::analyzer::{CasebookTokenizer, Mode};
use crate::content::Facet;

/// Bumped whenever the schema or analyzer changes, so an old cache is rebuilt, not misread.
pub const INDEX_VERSION: u32 = 2;

/// The searchable text fields, in the order scores are summed, with their boosts.
pub const TEXT_FIELDS: [(&str, f32); 7] = [
    ("title", 3.0),
    ("summary", 1.5),
    ("body", 1.0),
    ("theme", 2.0),
    ("region", 2.0),
    ("organisation", 2.0),
    ("approach", 2.0),
];

/// Handles to every field of the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// The case's number: its position in slug order, which is also the export's doc id.
    pub doc: Field,
    /// The case's slug.
    pub slug: Field,
    /// The case page's site path.
    pub url: Field,
    /// Text fields in [`TEXT_FIELDS`] order.
    pub text: [Field; 7],
    /// Facet fields (`/<value-slug>`) in [`Facet::ALL`] order, for filters.
    pub facets: [Field; 4],
}

impl Fields {
    /// The text field called `name`.
    pub fn text_field(&self, name: &str) -> Option<Field> {
        TEXT_FIELDS
            .iter()
            .position(|(n, _)| *n == name)
            .map(|i| self.text[i])
    }

    /// The boost of the text field at `index` of [`TEXT_FIELDS`].
    pub fn boost(index: usize) -> f32 {
        TEXT_FIELDS[index].1
    }
}

/// Builds the schema and the handles to its fields.
pub fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let doc = builder.add_u64_field(
        "doc",
        NumericOptions::default()
            .set_fast()
            .set_stored()
            .set_indexed(),
    );
    let slug = builder.add_text_field("slug", STRING | STORED);
    let url = builder.add_text_field("url", STORED);
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(CasebookTokenizer::NAME)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let stored = TextOptions::default()
        .set_indexing_options(indexing.clone())
        .set_stored();
    let unstored = TextOptions::default().set_indexing_options(indexing);
    let text = TEXT_FIELDS.map(|(name, _)| {
        let options = if matches!(name, "title" | "summary" | "body") {
            stored.clone()
        } else {
            unstored.clone()
        };
        builder.add_text_field(name, options)
    });
    let facets = Facet::ALL.map(|facet| {
        builder.add_facet_field(&format!("{}_facet", facet.key()), FacetOptions::default())
    });
    (
        builder.build(),
        Fields {
            doc,
            slug,
            url,
            text,
            facets,
        },
    )
}

/// Registers the casebook analyzer on an index.
pub fn register_analyzer(index: &Index) {
    index.tokenizers().register(
        CasebookTokenizer::NAME,
        TextAnalyzer::from(CasebookTokenizer::new(Mode::Index)),
    );
}

/// The folder of the index inside a knowledge base's cache.
pub fn index_dir(cache_dir: &Path) -> std::path::PathBuf {
    cache_dir.join("index")
}
