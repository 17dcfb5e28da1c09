//! Knowledge base settings: `content/_site.yaml` and the vocabulary in `content/_taxonomy.yaml`.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde_yaml::Value;

use crate::content::diagnostic::{nearest, Diagnostic};
use crate::content::facet::{slugify, Facet};
use crate::content::front_matter;
use crate::content::yaml;

/// Settings from `content/_site.yaml`; every key is optional.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// The site's name, shown in every page header and the feed.
    pub title: String,
    /// One sentence for the home page and meta descriptions.
    pub description: String,
    /// Where the site will be deployed, e.g. `https://example.org/kb/`.
    pub base_url: String,
    /// The language of the content, as a BCP 47 tag (`en`).
    pub language: String,
    /// Cases per page on paginated lists.
    pub per_page: usize,
    /// The feed's author; defaults to the site title.
    pub author: Option<String>,
    /// The theme folder under `themes/`; its templates override the built-in ones.
    pub theme: String,
    /// Publish raw HTML in Markdown bodies as written instead of sanitising it.
    pub unsafe_html: bool,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Case studies".to_string(),
            description: String::new(),
            base_url: "http://localhost/".to_string(),
            language: "en".to_string(),
            per_page: 20,
            author: None,
            theme: "default".to_string(),
            unsafe_html: false,
        }
    }
}

impl SiteConfig {
    /// Reads `_site.yaml` (a missing file means all defaults).
    pub fn load(path: &Path) -> Result<SiteConfig, Diagnostic> {
        let Some(text) = read_settings(path)? else {
            return Ok(SiteConfig::default());
        };
        if text.trim().is_empty() {
            return Ok(SiteConfig::default());
        }
        let config: SiteConfig = yaml::parse(path, 1, &text)?;
        config.validate(path, &text)?;
        Ok(config)
    }

    fn validate(&self, path: &Path, text: &str) -> Result<(), Diagnostic> {
        let line_of = |key: &str| yaml::line_of_key(text, key).unwrap_or(1);
        if self.per_page == 0 {
            return Err(Diagnostic::error(
                path,
                line_of("per_page"),
                "per_page must be at least 1",
            ));
        }
        if let Err(message) = BaseUrl::parse(&self.base_url) {
            return Err(Diagnostic::error(path, line_of("base_url"), message));
        }
        if slugify(&self.theme) != self.theme {
            return Err(Diagnostic::error(
                path,
                line_of("theme"),
                format!(
                    "theme must be a folder name under themes/, found `{}`",
                    self.theme
                ),
            ));
        }
        Ok(())
    }
}

/// The text of a settings file, `None` when there is none; refuses files that are not text.
fn read_settings(path: &Path) -> Result<Option<String>, Diagnostic> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Diagnostic::error(path, 0, format!("cannot read: {e}"))),
    };
    let text = front_matter::decode_text(path, &bytes)?;
    Ok(Some(text.trim_start_matches('\u{feff}').to_string()))
}

/// The address a site is deployed at, split into the forms links need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Scheme, host and path, ending with `/`: `https://example.org/kb/`.
    pub absolute: String,
    /// The path alone, starting and ending with `/`: `/kb/`.
    pub path: String,
}

impl BaseUrl {
    /// Parses `https://host[:port][/path]`; the message says what was expected.
    pub fn parse(url: &str) -> Result<BaseUrl, String> {
        let url = url.trim();
        let after_scheme = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| {
                format!("base_url must start with http:// or https://, found `{url}`")
            })?;
        let (host, path) = match after_scheme.find('/') {
            Some(i) => after_scheme.split_at(i),
            None => (after_scheme, "/"),
        };
        if host.is_empty() || host.contains(['?', '#', ' ']) || path.contains(['?', '#', ' ']) {
            return Err(format!(
                "base_url must look like https://example.org/path/, found `{url}`"
            ));
        }
        let mut path = path.to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        let scheme = &url[..url.len() - after_scheme.len()];
        Ok(BaseUrl {
            absolute: format!("{scheme}{host}{path}"),
            path,
        })
    }

    /// The site path of a page given relative to the site root (`cases/x/` → `/kb/cases/x/`).
    pub fn path_to(&self, relative: &str) -> String {
        format!("{}{}", self.path, relative)
    }

    /// The absolute URL of a page given relative to the site root.
    pub fn absolute_to(&self, relative: &str) -> String {
        format!("{}{}", self.absolute, relative)
    }
}

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
    facets: [Option<FacetVocabulary>; 4],
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
        let root: Value = yaml::parse(path, 1, text).map_err(|d| vec![d])?;
        let mut vocabulary = Vocabulary::default();
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
    fn base_url_keeps_its_path() {
        let url = BaseUrl::parse("http://127.0.0.1:8080/kb").unwrap();
        assert_eq!(url.absolute, "http://127.0.0.1:8080/kb/");
        assert_eq!(url.path, "/kb/");
        assert_eq!(url.path_to("cases/x/"), "/kb/cases/x/");
        assert_eq!(BaseUrl::parse("https://example.org").unwrap().path, "/");
        assert!(BaseUrl::parse("example.org").is_err());
    }

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
