//! The controlled vocabulary of `content/_taxonomy.yaml`: each facet's allowed values, their
//! descriptions and synonyms.

use std::collections::HashMap;
use std::path::Path;

use serde_yaml::Value;

use super::facet::{slugify, Facet, FACETS};
use super::settings::read_settings;
use super::yaml;
use crate::error::{nearest, Diagnostic};

/// One allowed value of a facet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VocabularyValue {
    /// The value as pages show it, e.g. `co-production`.
    pub name: String,
    /// A sentence shown on the value's page.
    pub description: Option<String>,
    /// Other spellings editors and searchers use, e.g. `coproduction`.
    pub synonyms: Vec<String>,
}

/// The allowed values of one facet, looked up by slug so case and spacing do not matter.
#[derive(Debug, Clone, Default)]
pub struct FacetVocabulary {
    values: Vec<VocabularyValue>,
    by_slug: HashMap<String, usize>,
}

impl FacetVocabulary {
    /// The allowed values, in the order the file lists them.
    pub fn values(&self) -> &[VocabularyValue] {
        &self.values
    }

    fn add(&mut self, value: VocabularyValue) -> Result<(), String> {
        let index = self.values.len();
        for spelling in std::iter::once(&value.name).chain(&value.synonyms) {
            let slug = slugify(spelling);
            if slug.is_empty() {
                return Err(format!("`{spelling}` has no letters or digits"));
            }
            if let Some(&other) = self.by_slug.get(&slug) {
                if other != index {
                    return Err(format!(
                        "`{spelling}` is listed twice (also for `{}`)",
                        self.values[other].name
                    ));
                }
            }
            self.by_slug.insert(slug, index);
        }
        self.values.push(value);
        Ok(())
    }

    /// The listed value that `raw` names, directly or as a synonym.
    pub fn resolve(&self, raw: &str) -> Option<&VocabularyValue> {
        self.by_slug.get(&slugify(raw)).map(|&i| &self.values[i])
    }

    /// The listed values as a list to read: all of them when there are at most `most`, else
    /// the `most` nearest to `raw` (by edit distance of their slugs) and how many more.
    pub fn listing(&self, raw: &str, most: usize) -> String {
        let mut names: Vec<&str> = self.values.iter().map(|v| v.name.as_str()).collect();
        if names.len() <= most {
            return names.join(", ");
        }
        let target = slugify(raw);
        names.sort_by_key(|name| strsim::levenshtein(&slugify(name), &target));
        let more = names.len() - most;
        format!("{} … and {more} more", names[..most].join(", "))
    }

    /// The listed value or synonym nearest to `raw`, for "did you mean" hints.
    pub fn suggest(&self, raw: &str) -> Option<&str> {
        let spellings = self.values.iter().flat_map(|v| {
            std::iter::once(v.name.as_str()).chain(v.synonyms.iter().map(String::as_str))
        });
        let spelling = nearest(raw, spellings)?;
        self.resolve(spelling).map(|v| v.name.as_str())
    }
}

/// The controlled vocabulary of `_taxonomy.yaml`; a facet it does not list is open.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Warnings of reading it: characters no page can hold, left out.
    pub(crate) warnings: Vec<Diagnostic>,
    facets: [Option<FacetVocabulary>; FACETS],
}

impl Vocabulary {
    /// Reads `_taxonomy.yaml`; a missing file leaves every facet open.
    ///
    /// Each facet maps values to `{description, synonyms}` (or nothing), or is a plain list.
    pub fn load(path: &Path) -> Result<Vocabulary, Vec<Diagnostic>> {
        match read_settings(path).map_err(|d| vec![d])? {
            Some(text) => Vocabulary::from_text(path, &text),
            None => Ok(Vocabulary::default()),
        }
    }

    /// Reads the text of a `_taxonomy.yaml` that is at `path`.
    pub fn from_text(path: &Path, text: &str) -> Result<Vocabulary, Vec<Diagnostic>> {
        let mut root: Value = yaml::parse(path, 1, text).map_err(|d| vec![d])?;
        let mut vocabulary = Vocabulary::default();
        if let Value::Mapping(mapping) = &mut root {
            for (key, value) in mapping.iter_mut() {
                if yaml::drop_forbidden_characters(value) {
                    let key = yaml::scalar_text(key).unwrap_or_default();
                    let line = yaml::line_of_key(text, &key).unwrap_or(1);
                    vocabulary
                        .warnings
                        .push(yaml::left_out_warning(path, line, &key));
                }
            }
        }
        let mut problems = Vec::new();
        let mapping = match root {
            Value::Mapping(m) => m,
            Value::Null => return Ok(vocabulary),
            _ => {
                return Err(vec![Diagnostic::error(
                    path,
                    1,
                    "expected a mapping from facet (theme, region, organisation, approach) to its values",
                )])
            }
        };
        for (key, values) in mapping {
            let key = yaml::scalar_text(&key).unwrap_or_default();
            let line = yaml::line_of_key(text, &key).unwrap_or(1);
            let Some(facet) = Facet::from_key(&key) else {
                let keys = Facet::ALL.map(Facet::key);
                let mut d = Diagnostic::error(path, line, format!("unknown facet `{key}`"));
                if let Some(near) = nearest(&key, keys) {
                    d = d.with_help(format!("did you mean `{near}`?"));
                }
                problems.push(d);
                continue;
            };
            match parse_facet_values(values) {
                Ok(list) => {
                    let mut facet_vocabulary = FacetVocabulary::default();
                    for value in list {
                        let value_line =
                            yaml::line_of_text(text, &value.name, line).unwrap_or(line);
                        if let Err(message) = facet_vocabulary.add(value) {
                            problems.push(Diagnostic::error(
                                path,
                                value_line,
                                format!("{key}: {message}"),
                            ));
                        }
                    }
                    vocabulary.facets[facet.index()] = Some(facet_vocabulary);
                }
                Err(message) => {
                    problems.push(Diagnostic::error(path, line, format!("{key}: {message}")))
                }
            }
        }
        if problems.is_empty() {
            Ok(vocabulary)
        } else {
            Err(problems)
        }
    }

    /// The vocabulary of `facet`, or `None` when any value is allowed.
    pub fn facet(&self, facet: Facet) -> Option<&FacetVocabulary> {
        self.facets[facet.index()].as_ref()
    }

    /// The value `text` names, as pages spell it: the listed value it names directly or as a
    /// synonym, or for an open country facet the name the country table gives it; `text`
    /// itself when nothing knows it better.
    pub fn canonical(&self, facet: Facet, text: &str) -> String {
        match self.facet(facet) {
            Some(listed) => listed.resolve(text).map(|v| v.name.clone()),
            None if facet == Facet::Country => super::countries::countries()
                .find(text)
                .map(|c| c.name.clone()),
            None => None,
        }
        .unwrap_or_else(|| text.to_string())
    }

    /// The description of a value, when the vocabulary gives one.
    pub fn description(&self, facet: Facet, value: &str) -> Option<&str> {
        self.facet(facet)?.resolve(value)?.description.as_deref()
    }
}

fn parse_facet_values(values: Value) -> Result<Vec<VocabularyValue>, String> {
    match values {
        Value::Sequence(items) => items
            .iter()
            .map(|item| {
                let name = yaml::scalar_text(item).ok_or("each listed value must be text")?;
                Ok(VocabularyValue {
                    name,
                    description: None,
                    synonyms: Vec::new(),
                })
            })
            .collect(),
        Value::Mapping(entries) => entries
            .into_iter()
            .map(|(name, details)| {
                let name = yaml::scalar_text(&name).ok_or("each value must be text")?;
                let (description, synonyms) = parse_value_details(&name, details)?;
                Ok(VocabularyValue {
                    name,
                    description,
                    synonyms,
                })
            })
            .collect(),
        Value::Null => Ok(Vec::new()),
        _ => Err(
            "expected a list of values or a mapping from value to {description, synonyms}".into(),
        ),
    }
}

fn parse_value_details(
    name: &str,
    details: Value,
) -> Result<(Option<String>, Vec<String>), String> {
    let mapping = match details {
        Value::Null => return Ok((None, Vec::new())),
        Value::Mapping(m) => m,
        _ => {
            return Err(format!(
                "`{name}`: expected `description:` and `synonyms:` or nothing"
            ))
        }
    };
    let mut description = None;
    let mut synonyms = Vec::new();
    for (key, value) in mapping {
        match yaml::scalar_text(&key).as_deref() {
            Some("description") => {
                description = Some(
                    yaml::scalar_text(&value)
                        .ok_or(format!("`{name}`: description must be text"))?,
                )
            }
            Some("synonyms") => {
                synonyms = yaml::text_list(&value)
                    .ok_or(format!("`{name}`: synonyms must be a list of text"))?
            }
            other => {
                return Err(format!(
                    "`{name}`: unknown key `{}` (expected `description` or `synonyms`)",
                    other.unwrap_or("?")
                ))
            }
        }
    }
    Ok((description, synonyms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_resolves_synonyms_and_spelling_variants() {
        let mut v = FacetVocabulary::default();
        v.add(VocabularyValue {
            name: "co-production".into(),
            description: None,
            synonyms: vec!["coproduction".into()],
        })
        .unwrap();
        assert_eq!(v.resolve("Co Production").unwrap().name, "co-production");
        assert_eq!(v.resolve("coproduction").unwrap().name, "co-production");
        assert!(v.resolve("co-design").is_none());
        assert_eq!(v.suggest("co-prodution"), Some("co-production"));
    }
}
