//! What each case file says, read straight from its front matter with serde_yaml, so tests
//! can compare a build's open data (`cases.json`, `cases.csv`) and pages with the source.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

/// The five facets, as front matter keys, in the order pages and data files use.
pub const FACETS: [&str; 5] = ["theme", "region", "organisation", "approach", "country"];

/// The output folder of each facet's pages.
pub fn facet_folder(facet: &str) -> &'static str {
    match facet {
        "theme" => "themes",
        "region" => "regions",
        "organisation" => "organisations",
        "approach" => "approaches",
        "country" => "countries",
        other => panic!("not a facet: {other}"),
    }
}

/// One source of a case as written: a title, a URL, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRef {
    pub title: Option<String>,
    pub url: Option<String>,
}

/// One case as its file states it; facet values spelled as the vocabulary spells them.
#[derive(Debug, Clone)]
pub struct SourceCase {
    pub file: PathBuf,
    /// `slug:` or else the file name, as an ASCII slug.
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    /// Values per facet, in [`FACETS`] order.
    pub facets: [Vec<String>; 5],
    pub year: Option<i64>,
    pub sources: Vec<SourceRef>,
    pub draft: bool,
}

impl SourceCase {
    /// The values of one facet.
    pub fn values(&self, facet: &str) -> &[String] {
        let index = FACETS.iter().position(|f| *f == facet).expect("a facet");
        &self.facets[index]
    }
}

/// A readable ASCII slug, as DESIGN describes page addresses: `Seinäjoki care` →
/// `seinajoki-care`. Written here independently of the crate, as the test's oracle.
pub fn slug(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_ascii_lowercase();
    let mut out = String::new();
    for word in ascii.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push('-');
            }
            out.push_str(word);
        }
    }
    out
}

/// Text with runs of whitespace made single spaces, as casebook reads front matter text.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `_taxonomy.yaml`: per facet, every spelling (by slug) → the listed value.
#[derive(Debug, Default)]
pub struct Vocabulary {
    facets: HashMap<String, HashMap<String, String>>,
}

impl Vocabulary {
    /// Reads `content/_taxonomy.yaml` under `root`; a missing file leaves every facet open.
    pub fn load(root: &Path) -> Vocabulary {
        let Ok(text) = std::fs::read_to_string(root.join("content/_taxonomy.yaml")) else {
            return Vocabulary::default();
        };
        let yaml: Value = serde_yaml::from_str(&text).expect("_taxonomy.yaml is YAML");
        let mut facets = HashMap::new();
        for (facet, values) in yaml.as_mapping().into_iter().flatten() {
            let mut spellings = HashMap::new();
            for (name, details) in values.as_mapping().into_iter().flatten() {
                let name = name.as_str().expect("value names are text").to_string();
                spellings.insert(slug(&name), name.clone());
                let synonyms = details.get("synonyms").and_then(Value::as_sequence);
                for synonym in synonyms.into_iter().flatten() {
                    let synonym = synonym.as_str().expect("synonyms are text");
                    spellings.insert(slug(synonym), name.clone());
                }
            }
            facets.insert(facet.as_str().expect("facet keys").to_string(), spellings);
        }
        Vocabulary { facets }
    }

    /// The listed spelling of `value` (itself when the facet is open; for a country not
    /// listed, the name `data/countries.json` gives it, if any).
    pub fn canonical(&self, facet: &str, value: &str) -> String {
        match self.facets.get(facet) {
            None if facet == "country" => country_name(value).unwrap_or_else(|| value.to_string()),
            None => value.to_string(),
            Some(spellings) => spellings
                .get(&slug(value))
                .unwrap_or_else(|| panic!("`{value}` is not a listed {facet}"))
                .clone(),
        }
    }
}

/// The display name of the country `text` names in `data/countries.json` (by any of its
/// names, compared as slugs), read from the table itself rather than from the crate.
pub fn country_name(text: &str) -> Option<String> {
    static TABLE: std::sync::OnceLock<HashMap<String, String>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/countries.json");
        let rows: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(path).expect("data/countries.json"))
                .expect("the country table is JSON");
        let mut by_slug = HashMap::new();
        for row in rows {
            let name = row["name"].as_str().expect("a name").to_string();
            let aliases = row["aliases"].as_array().expect("aliases").iter();
            for spelling in std::iter::once(name.as_str()).chain(aliases.filter_map(|a| a.as_str()))
            {
                by_slug
                    .entry(slug(spelling))
                    .or_insert_with(|| name.clone());
            }
        }
        by_slug
    });
    table.get(&slug(text)).cloned()
}

/// The YAML between the `---` lines of a case file (BOM and CRLF tolerated).
pub fn front_matter(path: &Path) -> serde_yaml::Mapping {
    let text = std::fs::read_to_string(path).expect("case file is UTF-8");
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let rest = text
        .strip_prefix("---\n")
        .expect("front matter opens with ---");
    let end = rest.find("\n---\n").expect("front matter closes with ---");
    serde_yaml::from_str(&rest[..end + 1]).expect("front matter is a YAML mapping")
}

/// Every case file under `root/content/cases`, read from its front matter.
pub fn read_cases(root: &Path) -> Vec<SourceCase> {
    let vocabulary = Vocabulary::load(root);
    let mut cases: Vec<SourceCase> = super::markdown_files(&root.join("content/cases"))
        .into_iter()
        .map(|file| read_case(file, &vocabulary))
        .collect();
    cases.sort_by(|a, b| a.slug.cmp(&b.slug));
    cases
}

fn read_case(file: PathBuf, vocabulary: &Vocabulary) -> SourceCase {
    let yaml = front_matter(&file);
    let text = |key: &str| yaml.get(key).and_then(Value::as_str).map(collapse);
    let mut facets = FACETS.map(|facet| {
        let mut values: Vec<String> = Vec::new();
        for value in texts(yaml.get(facet)) {
            let value = vocabulary.canonical(facet, &collapse(&value));
            if !values.contains(&value) {
                values.push(value);
            }
        }
        values
    });
    // A case naming no country takes it from a region that is a country's name.
    if facets[4].is_empty() {
        let from_regions: Vec<String> = facets[1].iter().filter_map(|r| country_name(r)).collect();
        for country in from_regions {
            if !facets[4].contains(&country) {
                facets[4].push(country);
            }
        }
    }
    let slug = text("slug")
        .unwrap_or_else(|| slug(&file.file_stem().expect("a file name").to_string_lossy()));
    SourceCase {
        slug,
        title: text("title").expect("every case has a title"),
        summary: text("summary").filter(|s| !s.is_empty()),
        facets,
        year: yaml.get("year").and_then(|y| {
            y.as_i64()
                .or_else(|| y.as_str().and_then(|s| s.trim().parse().ok()))
        }),
        sources: sources(yaml.get("sources")),
        draft: yaml.get("draft").and_then(Value::as_bool).unwrap_or(false),
        file,
    }
}

/// A facet as written: one text or a list of texts.
fn texts(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Sequence(items)) => items
            .iter()
            .map(|i| i.as_str().expect("facet values are text").to_string())
            .collect(),
        _ => Vec::new(),
    }
}

fn sources(value: Option<&Value>) -> Vec<SourceRef> {
    let items = match value {
        Some(Value::Sequence(items)) => items.clone(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other.clone()],
    };
    items
        .iter()
        .map(|item| match item {
            Value::String(s) if s.starts_with("http") => SourceRef {
                title: None,
                url: Some(s.trim().to_string()),
            },
            Value::String(s) => SourceRef {
                title: Some(collapse(s)),
                url: None,
            },
            Value::Mapping(m) => SourceRef {
                title: m.get("title").and_then(Value::as_str).map(collapse),
                url: m.get("url").and_then(Value::as_str).map(collapse),
            },
            other => panic!("unexpected source {other:?}"),
        })
        .collect()
}

/// A source as `cases.csv` writes it: `title <url>`, `title`, or `<url>`.
pub fn csv_source(source: &SourceRef) -> String {
    match (&source.title, &source.url) {
        (Some(title), Some(url)) if title != url => format!("{title} <{url}>"),
        (_, Some(url)) => format!("<{url}>"),
        (Some(title), None) => title.clone(),
        (None, None) => String::new(),
    }
}

/// The value of `facet` most cases of `cases` (records of `cases.json`) have; the first by
/// name of those tied.
pub fn most_common(cases: &[serde_json::Value], facet: &str) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for case in cases {
        for value in case[facet].as_array().into_iter().flatten() {
            *counts.entry(value.as_str().unwrap()).or_default() += 1;
        }
    }
    let (value, _) = counts
        .into_iter()
        .max_by_key(|&(v, n)| (n, std::cmp::Reverse(v)))
        .unwrap();
    value.to_string()
}
