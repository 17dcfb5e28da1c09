//! The `Case` type and how front matter becomes one, with every problem reported.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;
use serde_yaml::{Mapping, Value};

use super::diagnostic::{nearest, Diagnostic, Severity};
use super::facet::{is_reserved_name, slugify, Facet};
use super::front_matter::SplitFile;
use super::yaml;
use crate::config::Vocabulary;

/// Front matter keys a case may use.
pub const KNOWN_KEYS: [&str; 14] = [
    "title",
    "summary",
    "theme",
    "region",
    "organisation",
    "approach",
    "country",
    "year",
    "date",
    "sources",
    "slug",
    "draft",
    "aliases",
    "image",
];

/// The most problems reported for one file; past this the rest are counted, not listed,
/// so a file of a hundred thousand bad lines is reported as fast as one of ten.
pub const MAX_PROBLEMS_PER_FILE: usize = 50;

/// One case study: one Markdown file with front matter.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The file it came from.
    pub path: PathBuf,
    /// The last part of its URL: `cases/<slug>/`.
    pub slug: String,
    /// The case's title.
    pub title: String,
    /// A sentence or two; when the front matter has none, the site fills it from the body.
    pub summary: Option<String>,
    /// Values of the four facets, in [`Facet::ALL`] order, as the vocabulary spells them.
    pub facets: [Vec<String>; 4],
    /// The country, when given.
    pub country: Option<String>,
    /// The year the case happened or was reported.
    pub year: Option<i32>,
    /// A precise date, when given.
    pub date: Option<NaiveDate>,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Drafts are published only with `--drafts`.
    pub draft: bool,
    /// Old site paths (e.g. `2014/oldham/`) that redirect to this case.
    pub aliases: Vec<String>,
    /// An image URL or site path.
    pub image: Option<String>,
    /// The Markdown body.
    pub body: String,
    /// File line the body starts on.
    pub body_line: usize,
    /// File line of each front matter key, for later diagnostics.
    pub key_lines: Vec<(String, usize)>,
    /// When the file was last changed, for feeds when the case has no date.
    pub modified: Option<std::time::SystemTime>,
}

/// A reference the case is based on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// What the source is called.
    pub title: String,
    /// Where to read it.
    pub url: Option<String>,
}

impl Case {
    /// The values of one facet.
    pub fn values(&self, facet: Facet) -> &[String] {
        &self.facets[facet.index()]
    }

    /// File line of a front matter key, or 1 when it is not there.
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map_or(1, |(_, line)| *line)
    }

    /// Sort key putting the most recent first: date, then year; undated cases last.
    pub fn recency(&self) -> (i32, u32, u32) {
        use chrono::Datelike;
        match (self.date, self.year) {
            (Some(date), _) => (date.year(), date.month(), date.day()),
            (None, Some(year)) => (year, 0, 0),
            (None, None) => (i32::MIN, 0, 0),
        }
    }
}

/// Builds a case from a split file, collecting every problem in its front matter: the case
/// and its warnings, or all problems when any is an error.
pub fn parse(
    path: &Path,
    file: SplitFile,
    vocabulary: &Vocabulary,
) -> Result<(Case, Vec<Diagnostic>), Vec<Diagnostic>> {
    let root: Value = yaml::parse(path, file.yaml_line, &file.yaml).map_err(|d| vec![d])?;
    let mapping = match root {
        Value::Mapping(mapping) => mapping,
        Value::Null => Mapping::new(),
        other => {
            return Err(vec![Diagnostic::error(
                path,
                file.yaml_line,
                format!(
                    "the front matter must be `key: value` lines, found {}",
                    yaml::kind_of(&other)
                ),
            )])
        }
    };
    let mut reader = FieldReader {
        path,
        file: &file,
        key_lines: yaml::key_lines(&file.yaml),
        problems: Vec::new(),
        unlisted: 0,
        value_cursor: HashMap::new(),
    };
    let case = reader.read_case(mapping, vocabulary);
    let problems = at_most(path, reader.problems, reader.unlisted);
    if problems.iter().any(Diagnostic::is_error) {
        Err(problems)
    } else {
        Ok((case, problems))
    }
}

/// The first [`MAX_PROBLEMS_PER_FILE`] problems, and a note of how many more there are
/// (`unlisted` of them were not even placed).
fn at_most(path: &Path, mut problems: Vec<Diagnostic>, unlisted: usize) -> Vec<Diagnostic> {
    if problems.len() > MAX_PROBLEMS_PER_FILE {
        let more = problems.len() - MAX_PROBLEMS_PER_FILE + unlisted;
        problems.truncate(MAX_PROBLEMS_PER_FILE);
        problems.push(
            Diagnostic::warning(
                path,
                0,
                format!("{more} more problems in this file are not listed"),
            )
            .with_help("fix the ones listed, then check again"),
        );
    }
    problems
}

struct FieldReader<'a> {
    path: &'a Path,
    file: &'a SplitFile,
    /// The YAML line of each top-level key, found once (a file may have thousands).
    key_lines: HashMap<String, usize>,
    problems: Vec<Diagnostic>,
    /// Problems past the limit that were counted without finding their place.
    unlisted: usize,
    /// Per key, the byte of the YAML after the last value found, where the next search starts.
    value_cursor: HashMap<String, usize>,
}

impl FieldReader<'_> {
    fn line_of(&self, key: &str) -> usize {
        self.key_lines
            .get(key)
            .map_or(self.file.yaml_line, |l| l + self.file.yaml_line - 1)
    }

    /// True once enough problems are listed that finding the place of more is wasted work.
    fn full(&self) -> bool {
        self.problems.len() > MAX_PROBLEMS_PER_FILE
    }

    /// An error at the value written after `key:` (or at the key, when the value is on the
    /// lines below it).
    fn error(&mut self, key: &str, message: impl Into<String>) -> &mut Diagnostic {
        let mut d = Diagnostic::error(self.path, self.line_of(key), message);
        if let Some((column, length)) = self.value_position(key) {
            d = d.at_column(column).spanning(length);
        }
        self.problems.push(d);
        self.problems.last_mut().expect("just pushed")
    }

    /// An error at `key` itself.
    fn key_error(&mut self, key: &str, message: impl Into<String>) -> &mut Diagnostic {
        let d = Diagnostic::error(self.path, self.line_of(key), message);
        self.problems.push(d);
        self.problems.last_mut().expect("just pushed")
    }

    /// A problem with a key that is not there, at the `---` that opens the front matter.
    fn missing(&mut self, severity: Severity, message: String, help: String) {
        let line = self.file.yaml_line.saturating_sub(1).max(1);
        let mut d = Diagnostic::error(self.path, line, message)
            .spanning(3)
            .with_help(help);
        d.severity = severity;
        self.problems.push(d);
    }

    /// Column and length (in characters) of the value on the line of top-level `key`.
    fn value_position(&self, key: &str) -> Option<(usize, usize)> {
        let line = *self.key_lines.get(key)?;
        let text = self.file.yaml.lines().nth(line - 1)?;
        let bytes = text.as_bytes();
        let colon = (0..bytes.len()).find(|&i| {
            bytes[i] == b':' && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace())
        })?;
        let rest = &text[colon + 1..];
        let value = rest.trim();
        if value.is_empty() || value.starts_with('#') {
            return None;
        }
        let before = colon + 1 + (rest.len() - rest.trim_start().len());
        Some((text[..before].chars().count() + 1, value.chars().count()))
    }

    fn read_case(&mut self, mapping: Mapping, vocabulary: &Vocabulary) -> Case {
        let mut fields: Vec<(String, Value)> = Vec::new();
        for (key, value) in mapping {
            let Some(key) = yaml::scalar_text(&key) else {
                self.problems.push(Diagnostic::error(
                    self.path,
                    self.file.yaml_line,
                    "a front matter key must be text",
                ));
                continue;
            };
            if KNOWN_KEYS.contains(&key.as_str()) {
                fields.push((key, value));
            } else {
                let hint = match nearest(&key, KNOWN_KEYS) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("known keys: {}", KNOWN_KEYS.join(", ")),
                };
                let d = self.key_error(&key, format!("unknown key `{key}`"));
                d.help = Some(hint);
            }
        }
        let take = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };

        let title = self.required_text("title", take("title"));
        let summary = self.optional_text("summary", take("summary"));
        let facets =
            Facet::ALL.map(|facet| self.facet_values(facet, take(facet.key()), vocabulary));
        let country = self.optional_text("country", take("country"));
        let year = take("year").and_then(|v| self.year(v));
        let date = take("date").and_then(|v| self.date(v));
        let sources = take("sources").map(|v| self.sources(v)).unwrap_or_default();
        let slug = self.slug(take("slug"));
        let draft = take("draft").is_some_and(|v| self.flag("draft", v));
        let aliases = take("aliases").map(|v| self.aliases(v)).unwrap_or_default();
        let image = self.image(take("image"));
        let key_lines = fields
            .iter()
            .map(|(k, _)| (k.clone(), self.line_of(k)))
            .collect();

        Case {
            path: self.path.to_path_buf(),
            slug,
            title: title.unwrap_or_default(),
            summary,
            facets,
            country,
            year,
            date,
            sources,
            draft,
            aliases,
            image,
            body: self.file.body.clone(),
            body_line: self.file.body_line,
            key_lines,
            modified: None,
        }
    }

    fn required_text(&mut self, key: &str, value: Option<Value>) -> Option<String> {
        match value {
            None => {
                self.missing(
                    Severity::Error,
                    format!("missing required key `{key}`"),
                    format!("add a line `{key}: …` to the front matter"),
                );
                None
            }
            Some(Value::Null) => {
                let d = self.key_error(key, format!("`{key}` is empty"));
                d.help = Some(format!("write it after the colon: `{key}: …`"));
                None
            }
            Some(v) => {
                let text = self.optional_text(key, Some(v))?;
                if text.is_empty() {
                    self.error(key, format!("`{key}` is empty"));
                    return None;
                }
                Some(text)
            }
        }
    }

    fn optional_text(&mut self, key: &str, value: Option<Value>) -> Option<String> {
        match value? {
            Value::Null => None,
            Value::String(s) => Some(collapse_whitespace(&s)),
            other => {
                let kind = yaml::kind_of(&other);
                let d = self.error(key, format!("`{key}` must be text, found {kind}"));
                d.help = Some(format!("put the value in quotes: {key}: \"…\""));
                None
            }
        }
    }

    fn facet_values(
        &mut self,
        facet: Facet,
        value: Option<Value>,
        vocabulary: &Vocabulary,
    ) -> Vec<String> {
        let key = facet.key();
        let raw: Vec<String> = match value {
            None | Some(Value::Null) => {
                // Collections converted from elsewhere often lack a facet; the case is still
                // worth publishing, so this warns (and fails only `--strict` runs).
                let message =
                    format!("no `{key}` given: the case will not be listed under any {key}");
                let help = format!("add `{key}: …` with one value or a list [a, b]");
                if value.is_some() {
                    let line = self.line_of(key);
                    let d = Diagnostic::warning(self.path, line, message).with_help(help);
                    self.problems.push(d);
                } else {
                    self.missing(Severity::Warning, message, help);
                }
                return Vec::new();
            }
            Some(Value::String(s)) => vec![s],
            Some(Value::Sequence(items)) => {
                let mut texts = Vec::new();
                for item in items {
                    match item {
                        Value::String(s) => texts.push(s),
                        other => {
                            let kind = yaml::kind_of(&other);
                            self.error(
                                key,
                                format!("each `{key}` value must be text, found {kind}"),
                            );
                        }
                    }
                }
                texts
            }
            Some(other) => {
                let kind = yaml::kind_of(&other);
                let d = self.error(
                    key,
                    format!("`{key}` must be text or a list of text, found {kind}"),
                );
                d.help = Some(format!("write `{key}: value` or `{key}: [first, second]`"));
                return Vec::new();
            }
        };
        let mut values: Vec<String> = Vec::new();
        for raw_value in raw {
            let text = collapse_whitespace(&raw_value);
            if slugify(&text).is_empty() {
                self.error(
                    key,
                    format!("`{key}` has an empty value or one without letters or digits"),
                );
                continue;
            }
            let value = match vocabulary.facet(facet) {
                None => text,
                Some(allowed) => match allowed.resolve(&text) {
                    Some(known) => known.name.clone(),
                    None if self.full() => {
                        self.unlisted += 1;
                        continue;
                    }
                    None => {
                        let mut d = self.value_error(
                            key,
                            &raw_value,
                            format!("`{text}` is not a {key} listed in _taxonomy.yaml"),
                        );
                        d = match allowed.suggest(&text) {
                            Some(near) => d.with_help(format!("did you mean `{near}`?")),
                            None => d.with_help(format!("add it to the `{key}` list in _taxonomy.yaml or pick a listed value")),
                        };
                        self.problems.push(d);
                        continue;
                    }
                },
            };
            if !values.contains(&value) {
                values.push(value);
            }
        }
        if values.is_empty() && !self.problems.iter().any(|d| d.line == self.line_of(key)) {
            let line = self.line_of(key);
            self.problems.push(
                Diagnostic::warning(
                    self.path,
                    line,
                    format!("`{key}` is empty: the case will not be listed under any {key}"),
                )
                .with_help(format!("give at least one {key}")),
            );
        }
        values
    }

    /// An error pointing at where `value` is written under `key` (line and column).
    ///
    /// Values of one key are found in the order they are written, so the same value given
    /// twice is pointed at twice.
    fn value_error(&mut self, key: &str, value: &str, message: impl Into<String>) -> Diagnostic {
        let needle = value.trim();
        let yaml = &self.file.yaml;
        let key_start = self.key_lines.get(key).map_or(0, |&line| {
            yaml.split_inclusive('\n')
                .take(line - 1)
                .map(str::len)
                .sum()
        });
        let from = self.value_cursor.get(key).copied().unwrap_or(key_start);
        let found = (!needle.is_empty())
            .then(|| {
                let after = |start: usize| yaml.get(start..)?.find(needle).map(|i| start + i);
                after(from).or_else(|| after(key_start))
            })
            .flatten();
        match found {
            Some(byte) => {
                self.value_cursor
                    .insert(key.to_string(), byte + needle.len());
                let before = &yaml[..byte];
                let line = before.matches('\n').count() + 1;
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                let column = before[line_start..].chars().count() + 1;
                Diagnostic::error(self.path, line + self.file.yaml_line - 1, message)
                    .at_column(column)
                    .spanning(needle.chars().count())
            }
            None => Diagnostic::error(self.path, self.line_of(key), message),
        }
    }

    fn year(&mut self, value: Value) -> Option<i32> {
        let year = match &value {
            Value::Null => return None,
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        match year {
            Some(y) if (1000..=9999).contains(&y) => Some(y as i32),
            _ => {
                let shown =
                    yaml::scalar_text(&value).unwrap_or_else(|| yaml::kind_of(&value).to_string());
                let d = self.error(
                    "year",
                    format!("`year` must be a four-digit year, found `{shown}`"),
                );
                d.help = Some("write e.g. `year: 2014`, or leave the key out".into());
                None
            }
        }
    }

    fn date(&mut self, value: Value) -> Option<NaiveDate> {
        let text = match &value {
            Value::Null => return None,
            Value::String(s) => s.trim().to_string(),
            other => yaml::scalar_text(other).unwrap_or_default(),
        };
        let day = text.get(..10).unwrap_or(&text);
        match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                let d = self.error(
                    "date",
                    format!("`date` must be a date like 2014-05-31, found `{text}`"),
                );
                d.help = Some("use the form YYYY-MM-DD".into());
                None
            }
        }
    }

    fn flag(&mut self, key: &str, value: Value) -> bool {
        match value {
            Value::Bool(b) => b,
            Value::Null => false,
            other => {
                let kind = yaml::kind_of(&other);
                self.error(key, format!("`{key}` must be true or false, found {kind}"));
                false
            }
        }
    }

    fn sources(&mut self, value: Value) -> Vec<Source> {
        let items = match value {
            Value::Null => return Vec::new(),
            Value::Sequence(items) => items,
            other => vec![other],
        };
        let mut sources = Vec::new();
        for item in items {
            match item {
                Value::String(s) if looks_like_url(&s) => sources.push(Source {
                    title: s.trim().to_string(),
                    url: Some(clean_url(&s)),
                }),
                Value::String(s) => sources.push(Source {
                    title: collapse_whitespace(&s),
                    url: None,
                }),
                Value::Mapping(m) => {
                    if let Some(source) = self.source(m) {
                        sources.push(source);
                    }
                }
                other => {
                    let kind = yaml::kind_of(&other);
                    self.error(
                        "sources",
                        format!("each source must be `title:` and `url:`, found {kind}"),
                    );
                }
            }
        }
        sources
    }

    fn source(&mut self, mapping: Mapping) -> Option<Source> {
        let mut title = None;
        let mut url = None;
        for (key, value) in mapping {
            let key = yaml::scalar_text(&key).unwrap_or_default();
            let text = yaml::scalar_text(&value).map(|t| collapse_whitespace(&t));
            match key.as_str() {
                "title" => title = text,
                "url" => {
                    url = text.filter(|t| !t.is_empty()).map(|t| {
                        if looks_like_url(&t) {
                            clean_url(&t)
                        } else {
                            t
                        }
                    })
                }
                other => {
                    let hint =
                        nearest(other, ["title", "url"]).map(|n| format!("did you mean `{n}`?"));
                    let mut d = self.value_error(
                        "sources",
                        other,
                        format!("unknown key `{other}` in a source"),
                    );
                    d.help = hint.or(Some("a source has `title:` and `url:`".into()));
                    self.problems.push(d);
                }
            }
        }
        if let Some(u) = &url {
            if !looks_like_url(u) {
                let d = self.value_error(
                    "sources",
                    u,
                    format!("source url `{u}` must start with http:// or https://"),
                );
                self.problems.push(d);
                return None;
            }
        }
        match (title, url) {
            (Some(title), url) if !title.is_empty() => Some(Source { title, url }),
            (_, Some(url)) => Some(Source {
                title: url.clone(),
                url: Some(url),
            }),
            _ => {
                self.error("sources", "a source needs a `title:` or a `url:`");
                None
            }
        }
    }

    fn image(&mut self, value: Option<Value>) -> Option<String> {
        let image = self.optional_text("image", value)?;
        if has_scheme(&image) && !looks_like_url(&image) {
            let d = self.error(
                "image",
                format!(
                    "`image` must be an http(s):// address or a path on the site, found `{image}`"
                ),
            );
            d.help = Some(
                "e.g. `image: /images/oldham.jpg` or `image: https://example.org/oldham.jpg`"
                    .into(),
            );
            return None;
        }
        Some(image)
    }

    fn slug(&mut self, value: Option<Value>) -> String {
        let Some(value) = value else {
            let stem = self
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let slug = slugify(&stem);
            if slug.is_empty() {
                self.problems.push(
                    Diagnostic::error(
                        self.path,
                        0,
                        "the file name has no letters or digits to make a page address from",
                    )
                    .with_help(
                        "rename the file, or add `slug: a-readable-name` to the front matter",
                    ),
                );
            }
            return slug;
        };
        let Some(text) = yaml::scalar_text(&value) else {
            let kind = yaml::kind_of(&value);
            self.error("slug", format!("`slug` must be text, found {kind}"));
            return String::new();
        };
        let safe = slugify(&text);
        if safe.is_empty() {
            self.error(
                "slug",
                format!("`slug` must contain letters or digits, found `{text}`"),
            );
        } else if is_reserved_name(&text) {
            let d = self.error(
                "slug",
                format!("`slug: {text}` is a name Windows keeps for a device, so the site could not be copied there"),
            );
            d.help = Some(format!("did you mean `{safe}`?"));
        } else if safe != text {
            let d = self.error(
                "slug",
                format!(
                    "`slug` may only hold lowercase letters, digits and hyphens, found `{text}`"
                ),
            );
            d.help = Some(format!("did you mean `{safe}`?"));
        }
        safe
    }

    fn aliases(&mut self, value: Value) -> Vec<String> {
        let Some(items) = yaml::text_list(&value) else {
            self.error(
                "aliases",
                "`aliases` must be a list of site paths such as `old/path/`",
            );
            return Vec::new();
        };
        let mut aliases = Vec::new();
        for item in items {
            match normalise_alias(&item) {
                Some(alias) => aliases.push(alias),
                None => {
                    let d = self
                        .value_error("aliases", &item, format!("alias `{item}` is not a safe site path"))
                        .with_help("use letters, digits, `-`, `_` and `.` in `/`-separated parts, like `2014/old-page/`");
                    self.problems.push(d);
                }
            }
        }
        aliases
    }
}

/// An alias as a relative site path (`2014/old/`, or `old.html`); `None` when it could
/// leave the output folder or name nothing.
pub fn normalise_alias(alias: &str) -> Option<String> {
    let trimmed = alias.trim();
    let is_file = trimmed.ends_with(".html") || trimmed.ends_with(".htm");
    let parts: Vec<&str> = trimmed.split('/').filter(|p| !p.is_empty()).collect();
    let safe_part = |p: &&str| {
        *p != "."
            && *p != ".."
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
    };
    if parts.is_empty() || !parts.iter().all(safe_part) || parts.iter().any(|p| is_reserved_name(p))
    {
        return None;
    }
    let joined = parts.join("/");
    Some(if is_file {
        joined
    } else {
        format!("{joined}/")
    })
}

/// True when `text` starts with a URL scheme (`javascript:`, `data:`, `https:` …).
fn has_scheme(text: &str) -> bool {
    text.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

fn looks_like_url(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("https://") || t.starts_with("http://")
}

/// A URL as written by hand, with the spaces some sources contain percent-encoded.
fn clean_url(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join("%20")
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_yaml(yaml: &str) -> Result<Case, Vec<Diagnostic>> {
        let file = SplitFile {
            yaml: yaml.to_string(),
            yaml_line: 2,
            body: "Body".into(),
            body_line: 10,
        };
        parse(Path::new("cases/a-case.md"), file, &Vocabulary::default()).map(|(case, _)| case)
    }

    const VALID: &str = "title: A case\ntheme: [co-production, tele-care]\nregion: Scotland\norganisation: Food Train\napproach: volunteering\n";

    #[test]
    fn a_valid_case_parses() {
        let case = parse_yaml(VALID).unwrap();
        assert_eq!(case.slug, "a-case");
        assert_eq!(case.values(Facet::Theme), ["co-production", "tele-care"]);
        assert_eq!(case.values(Facet::Region), ["Scotland"]);
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let problems =
            parse_yaml("title: A\ntheme: 42\nregion: [x]\norganization: O\nyear: soon\n")
                .unwrap_err();
        let messages: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        let all = messages.join("\n");
        assert!(
            all.contains("cases/a-case.md:3:8: error: `theme` must be text or a list"),
            "{all}"
        );
        assert!(
            all.contains(":5:1: error: unknown key `organization` (did you mean `organisation`?)"),
            "{all}"
        );
        assert!(
            all.contains(":6:7: error: `year` must be a four-digit year"),
            "{all}"
        );
        assert!(all.contains("warning: no `organisation` given"), "{all}");
        assert!(all.contains("warning: no `approach` given"), "{all}");
    }

    #[test]
    fn aliases_cannot_escape() {
        assert_eq!(normalise_alias("/2014/old/"), Some("2014/old/".into()));
        assert_eq!(normalise_alias("old.html"), Some("old.html".into()));
        assert_eq!(normalise_alias("../../etc/x"), None);
        assert_eq!(normalise_alias("a/../../b"), None);
        assert_eq!(normalise_alias(""), None);
        assert_eq!(normalise_alias("con"), None);
    }

    #[test]
    fn unsafe_slug_is_rejected_with_a_suggestion() {
        let problems = parse_yaml(&format!("{VALID}slug: ../../etc/x\n")).unwrap_err();
        assert_eq!(problems[0].help.as_deref(), Some("did you mean `etc-x`?"));
    }
}
