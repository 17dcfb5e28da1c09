//! The tantivy schema: one text field per searchable part of a case, facet fields for
//! filtering, and the boosts that make a title or facet match outrank a body match.

use std::sync::Arc;

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Index;

use super::analyzer::{CasebookTokenizer, Mode, WordCollector};
use crate::content::{Facet, FACETS};

/// Bumped whenever the schema, the analyzer or a file beside the index changes, so an old
/// cache is rebuilt, not misread.
pub const INDEX_VERSION: u32 = 5;

/// A searchable text of a case. The one list of what is indexed: the index's fields, the
/// terms a changed case touches and the export's `meta.fields` (which the browser runtime
/// reads to check phrases) all follow [`TextField::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    /// The title.
    Title,
    /// The summary the editor wrote (one taken from the body would count its words twice).
    Summary,
    /// The body as plain text.
    Body,
    /// A facet's values, joined by [`facet_text`].
    Facet(Facet),
}

impl TextField {
    /// Every text field, in the order scores are summed.
    pub const ALL: [TextField; 8] = [
        TextField::Title,
        TextField::Summary,
        TextField::Body,
        TextField::Facet(Facet::Theme),
        TextField::Facet(Facet::Region),
        TextField::Facet(Facet::Organisation),
        TextField::Facet(Facet::Approach),
        TextField::Facet(Facet::Country),
    ];

    /// The field's name in the index and in the export.
    pub fn name(self) -> &'static str {
        match self {
            TextField::Title => "title",
            TextField::Summary => "summary",
            TextField::Body => "body",
            TextField::Facet(facet) => facet.key(),
        }
    }

    /// How much a match here weighs against one in the body: titles most, then facet
    /// values, then summaries.
    pub fn boost(self) -> f32 {
        match self {
            TextField::Title => 3.0,
            TextField::Summary => 1.5,
            TextField::Body => 1.0,
            TextField::Facet(_) => 2.0,
        }
    }

    /// Position in [`TextField::ALL`].
    pub fn position(self) -> usize {
        TextField::ALL
            .iter()
            .position(|&f| f == self)
            .expect("every field is listed")
    }
}

/// The text a facet field holds: its values joined, as the browser runtime joins them too.
pub fn facet_text(values: &[String]) -> String {
    values.join(", ")
}

/// Handles to every field of the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// The case's number: its position in slug order, which is also the export's doc id.
    pub doc: Field,
    /// The case's slug.
    pub slug: Field,
    /// The case page's site path.
    pub url: Field,
    /// Text fields in [`TextField::ALL`] order.
    pub text: [Field; 8],
    /// Facet fields (`/<value-slug>`) in [`Facet::ALL`] order, for filters.
    pub facets: [Field; FACETS],
}

impl Fields {
    /// The tantivy field of a text field.
    pub fn of(&self, field: TextField) -> Field {
        self.text[field.position()]
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
    // Title, summary and body are stored for snippets and suggestions; facet values are
    // not needed back.
    let text = TextField::ALL.map(|field| {
        let options = if matches!(field, TextField::Facet(_)) {
            unstored.clone()
        } else {
            stored.clone()
        };
        builder.add_text_field(field.name(), options)
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

/// Registers the casebook analyzer on an index; with a collector, indexing also gathers the
/// words of every text it tokenizes.
pub fn register_analyzer(index: &Index, collector: Option<Arc<WordCollector>>) {
    index.tokenizers().register(
        CasebookTokenizer::NAME,
        TextAnalyzer::from(CasebookTokenizer::new(Mode::Index, collector)),
    );
}
