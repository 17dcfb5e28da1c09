//! The JSON Schema (draft 2020-12) of a case's front matter, made from the keys casebook
//! knows and the knowledge base's vocabulary, for editors whose tools validate YAML against
//! a schema (VS Code's YAML extension, a CMS form).
//!
//! It says what `check` accepts, with two differences an editing tool needs: a listed facet
//! value must be written as `_taxonomy.yaml` writes it or as one of its synonyms (casebook
//! also accepts other capitalisations and spacings), and a year outside 1000–2100 or an
//! unknown country, warnings for `check`, pass.

use serde_json::{json, Map, Value};

use super::case::Key;
use super::facet::Facet;
use super::settings::SiteConfig;
use super::vocabulary::Vocabulary;

/// The schema; `strict` makes the four expected facets required, as `--strict` does.
pub fn case_schema(config: &SiteConfig, vocabulary: &Vocabulary, strict: bool) -> Value {
    let mut properties = Map::new();
    for key in Key::ALL {
        properties.insert(key.name().to_string(), property(key, vocabulary));
    }
    let mut required = vec![Key::Title.name()];
    if strict {
        required.extend(
            Facet::ALL
                .into_iter()
                .filter(|f| f.expected())
                .map(Facet::key),
        );
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("A case of {}", config.title),
        "description": "The front matter of one case file: the YAML between its two `---` lines.",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// One key's schema.
fn property(key: Key, vocabulary: &Vocabulary) -> Value {
    let text = || json!({"type": "string", "minLength": 1});
    let day = json!({
        "type": "string",
        "anyOf": [{"format": "date"}, {"format": "date-time"}],
        "examples": ["2014-05-31"],
    });
    let mut schema = match key {
        Key::Title => text(),
        Key::Summary => optional(text()),
        Key::Theme => facet(Facet::Theme, vocabulary),
        Key::Region => facet(Facet::Region, vocabulary),
        Key::Organisation => facet(Facet::Organisation, vocabulary),
        Key::Approach => facet(Facet::Approach, vocabulary),
        Key::Country => facet(Facet::Country, vocabulary),
        Key::Year => optional(json!({"anyOf": [
            {"type": "integer", "minimum": 1000, "maximum": 9999},
            {"type": "string", "pattern": "^\\s*[0-9]{4}\\s*$"},
        ]})),
        Key::Date | Key::Updated | Key::Reviewed => optional(day),
        Key::Sources => {
            let source = json!({"anyOf": [
                {"type": "string", "minLength": 1, "description": "a title, or an http(s) address"},
                {
                    "type": "object",
                    "properties": {
                        "title": {"type": "string"},
                        "url": {"type": "string", "pattern": "^https?://", "format": "uri"},
                    },
                    "additionalProperties": false,
                    // A title, a URL or both.
                    "minProperties": 1,
                },
            ]});
            optional(json!({"anyOf": [source.clone(), {"type": "array", "items": source}]}))
        }
        Key::Slug => optional(json!({"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"})),
        Key::Draft => optional(json!({"type": "boolean"})),
        Key::Aliases => optional(one_or_list(text())),
        Key::Image => optional(json!({
            "type": "string",
            "minLength": 1,
            "pattern": "^(https?://|(?![A-Za-z][A-Za-z0-9+.-]*:))",
        })),
    };
    schema
        .as_object_mut()
        .expect("every key's schema is an object")
        .insert("description".into(), json!(description(key)));
    schema
}

/// What a key holds, in the README's words.
fn description(key: Key) -> &'static str {
    match key {
        Key::Title => "The case's title.",
        Key::Summary => "A sentence or two for lists and search results.",
        Key::Theme | Key::Region | Key::Organisation | Key::Approach => {
            "One value or a list of them; expected (a case without one is not listed under this facet)."
        }
        Key::Country => {
            "Where it happened: one country or a list, by its English name; aliases such as UK and USA are accepted."
        }
        Key::Year => "The year it happened, e.g. 2014.",
        Key::Date => "The day it happened, YYYY-MM-DD.",
        Key::Updated => "When the case's page was last brought up to date, YYYY-MM-DD.",
        Key::Reviewed => "When an editor last checked the case is still right, YYYY-MM-DD.",
        Key::Sources => "Where the facts come from: a list of `title:` and `url:`.",
        Key::Slug => "The page address cases/<slug>/: lowercase letters, digits and hyphens.",
        Key::Draft => "true keeps the case out of the site unless --drafts.",
        Key::Aliases => "Old addresses that redirect here, e.g. 2014/oldham/.",
        Key::Image => "An http(s) address, or a path in the theme's static/ folder.",
    }
}

/// A facet: its listed values (and synonyms) when the vocabulary lists them, else any text;
/// one or a list.
fn facet(facet: Facet, vocabulary: &Vocabulary) -> Value {
    let value = match vocabulary.facet(facet) {
        None => json!({"type": "string", "minLength": 1}),
        Some(listed) => {
            let mut choices = Vec::new();
            for value in listed.values() {
                let description = value.description.clone().unwrap_or_default();
                choices.push(json!({"const": value.name, "description": description}));
                for synonym in &value.synonyms {
                    choices.push(json!({
                        "const": synonym,
                        "description": format!("a synonym of {}", value.name),
                    }));
                }
            }
            json!({"anyOf": choices})
        }
    };
    optional(one_or_list(value))
}

fn one_or_list(item: Value) -> Value {
    json!({"anyOf": [item.clone(), {"type": "array", "items": item}]})
}

/// A key that may be written with nothing after its colon.
fn optional(schema: Value) -> Value {
    json!({"anyOf": [schema, {"type": "null"}]})
}
