//! Reading front matter into a [`Case`], collecting every problem with its line and column.
//!
//! The reader finds each key's line once, then reads each known key's value (text and facet
//! values here, the other kinds in [`super::values`]); a problem is recorded and reading goes
//! on, so an editor sees all of a file's problems at once.

use std::collections::HashMap;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::{Case, Key};
use crate::content::countries::{countries, country_named_by};
use crate::content::facet::{slugify, Facet, FACETS};
use crate::content::front_matter::SplitFile;
use crate::content::vocabulary::Vocabulary;
use crate::content::yaml;
use crate::error::{nearest, Diagnostic, Severity};

/// The most problems reported for one file; past this the rest are counted, not listed,
/// so a file of a hundred thousand bad lines is reported as fast as one of ten.
pub const MAX_PROBLEMS_PER_FILE: usize = 50;

/// Builds a case from a split file, collecting every problem in its front matter: the case
/// and its warnings, or all problems when any is an error.
pub fn parse(
    path: &Path,
    file: SplitFile,
    vocabulary: &Vocabulary,
) -> Result<(Case, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (mut file, mut first_problems) = with_fence_inside_read_on(path, file);
    let mut left_out = Vec::new();
    let root = match yaml::parse_or_rest(path, file.yaml_line, &file.yaml) {
        Ok(root) => root,
        Err(yaml::PartlyRead { error, rest }) => {
            first_problems.push(error);
            // Read on past the mistake, so the file's other problems are reported too.
            let Some(rest) = rest else {
                return Err(first_problems);
            };
            file.yaml = rest.text;
            left_out = rest.left_out;
            rest.value
        }
    };
    let mapping = match root {
        Value::Mapping(mapping) => mapping,
        Value::Null => Mapping::new(),
        other => {
            first_problems.push(Diagnostic::error(
                path,
                file.yaml_line,
                format!(
                    "the front matter must be `key: value` lines, found {}",
                    yaml::kind_of(&other)
                ),
            ));
            return Err(first_problems);
        }
    };
    let mut mapping = mapping;
    let escaped = keys_with_forbidden_characters(&mut mapping);
    let mut reader = FieldReader {
        path,
        file: &file,
        key_lines: yaml::key_lines(&file.yaml),
        problems: first_problems,
        unlisted: 0,
        value_cursor: HashMap::new(),
        left_out,
    };
    for key in escaped {
        let d = yaml::left_out_warning(path, reader.line_of(&key), &key);
        reader.problems.push(d);
    }
    for cut in yaml::values_cut_by_comments(&file.yaml) {
        let d = Diagnostic::warning(
            path,
            file.yaml_line + cut.line - 1,
            format!(
                "` #` starts a comment in YAML, so `{}` reads as `{}`, without what follows",
                cut.key,
                yaml::brief(&cut.kept)
            ),
        )
        .at_column(cut.column)
        .with_help(format!(
            "put the whole value in quotes: `{}`",
            yaml::brief(&cut.quoted_line)
        ));
        reader.problems.push(d);
    }
    let case = reader.read_case(mapping, vocabulary);
    let problems = at_most(path, reader.problems, reader.unlisted);
    if problems.iter().any(Diagnostic::is_error) {
        Err(problems)
    } else {
        Ok((case, problems))
    }
}

/// A `---` line inside the front matter ends it early, and the keys below it become the
/// case's text: an error at that line, with the file read on as the editor meant it (the
/// front matter running to the next `---`).
fn with_fence_inside_read_on(path: &Path, file: SplitFile) -> (SplitFile, Vec<Diagnostic>) {
    let body: Vec<&str> = file.body.split_inclusive('\n').collect();
    let Some(first) = body.iter().position(|l| !l.trim().is_empty()) else {
        return (file, Vec::new());
    };
    let Some(key) =
        yaml::top_level_key(body[first].trim_end()).filter(|k| Key::from_name(k).is_some())
    else {
        return (file, Vec::new());
    };
    let Some(fence) = body.iter().position(|l| l.trim_end() == "---") else {
        return (file, Vec::new());
    };
    // Only front matter lies between: keys, their indented values and list items, comments.
    let yaml_like = |l: &&str| {
        l.trim().is_empty()
            || l.starts_with([' ', '-', '#'])
            || yaml::top_level_key(l.trim_end()).is_some()
    };
    if !body[first..fence].iter().all(yaml_like) {
        return (file, Vec::new());
    }
    let fence_line = file.body_line - 1;
    let end_line = file.body_line + fence;
    let error = Diagnostic::error(
        path,
        fence_line,
        format!("this `---` ends the front matter, so `{key}:` and the lines below it up to line {end_line} are read as the case's text"),
    )
    .spanning(3)
    .with_help(format!("remove this `---` line: the front matter then ends at the `---` of line {end_line}"));
    let mut yaml = file.yaml.clone();
    if !yaml.is_empty() && !yaml.ends_with('\n') {
        yaml.push('\n');
    }
    // The early `---` becomes a blank line, so every line keeps its number.
    yaml.push('\n');
    yaml.extend(body[..fence].iter().copied());
    let merged = SplitFile {
        yaml,
        yaml_line: file.yaml_line,
        body: body[fence + 1..].concat(),
        body_line: end_line + 1,
    };
    (merged, vec![error])
}

/// Drops from every text in the front matter the characters no page can hold, which YAML
/// escapes can make (`"\x01"`, `"\uFFFE"`): the top-level keys whose values held one.
fn keys_with_forbidden_characters(mapping: &mut Mapping) -> Vec<String> {
    mapping
        .iter_mut()
        .filter_map(|(key, value)| {
            yaml::drop_forbidden_characters(value).then(|| key.as_str().unwrap_or("?").to_string())
        })
        .collect()
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

pub(super) struct FieldReader<'a> {
    pub(super) path: &'a Path,
    file: &'a SplitFile,
    /// The YAML line of each top-level key, found once (a file may have thousands).
    key_lines: HashMap<String, usize>,
    pub(super) problems: Vec<Diagnostic>,
    /// Problems past the limit that were counted without finding their place.
    unlisted: usize,
    /// Per key, the byte of the YAML after the last value found, where the next search starts.
    value_cursor: HashMap<String, usize>,
    /// Keys left unread because of a YAML error around them: not reported as missing.
    left_out: Vec<String>,
}

impl FieldReader<'_> {
    pub(super) fn line_of(&self, key: &str) -> usize {
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
    pub(super) fn error(&mut self, key: &str, message: impl Into<String>) -> &mut Diagnostic {
        let mut d = Diagnostic::error(self.path, self.line_of(key), message);
        if let Some((column, length)) = self.value_position(key) {
            d = d.at_column(column).spanning(length);
        }
        self.problems.push(d);
        self.problems.last_mut().expect("just pushed")
    }

    /// Warnings for what `casebook new` leaves to be written: an empty `summary:` key, and
    /// the placeholder body (each fails `--strict` runs, as warnings do).
    fn unfinished(&mut self, summary: Option<&str>, summary_given: bool) {
        if summary_given && summary.is_none_or(|s| s.trim().is_empty()) {
            let d = Diagnostic::warning(
                self.path,
                self.line_of("summary"),
                "`summary` is empty: lists and search results will show the body's first words",
            )
            .with_help("write one sentence that says what the case is about, or remove the key");
            self.problems.push(d);
        }
        let placeholder = super::PLACEHOLDER_BODY.lines().next().unwrap_or_default();
        if let Some(at) = self.file.body.lines().position(|l| l.trim() == placeholder) {
            let d = Diagnostic::warning(
                self.path,
                self.file.body_line + at,
                "the body still holds the placeholder `casebook new` wrote",
            )
            .with_help("replace it with what was done, by whom, and why it matters");
            self.problems.push(d);
        }
    }

    /// An error at `key` itself.
    pub(super) fn key_error(&mut self, key: &str, message: impl Into<String>) -> &mut Diagnostic {
        let d = Diagnostic::error(self.path, self.line_of(key), message);
        self.problems.push(d);
        self.problems.last_mut().expect("just pushed")
    }

    /// A problem with a key that is not there, at the `---` that opens the front matter;
    /// nothing when the key is there but could not be read.
    fn missing(&mut self, key: &str, severity: Severity, message: String, help: String) {
        if self.left_out.iter().any(|k| k == key) {
            return;
        }
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
        let mut fields: Vec<(Key, Value)> = Vec::new();
        for (key, value) in mapping {
            let Some(name) = yaml::scalar_text(&key) else {
                self.problems.push(Diagnostic::error(
                    self.path,
                    self.file.yaml_line,
                    "a front matter key must be text",
                ));
                continue;
            };
            match Key::from_name(&name) {
                Some(key) => fields.push((key, value)),
                None => {
                    let hint = match nearest(&name, Key::names()) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!(
                            "known keys: {}",
                            Key::names().collect::<Vec<_>>().join(", ")
                        ),
                    };
                    let d = self.key_error(&name, format!("unknown key `{name}`"));
                    d.help = Some(hint);
                }
            }
        }
        let take = |wanted: Key| {
            fields
                .iter()
                .find(|(k, _)| *k == wanted)
                .map(|(_, v)| v.clone())
        };

        let title = self.required_text("title", take(Key::Title));
        let summary = self.optional_text("summary", take(Key::Summary));
        self.unfinished(summary.as_deref(), take(Key::Summary).is_some());
        let mut facets = Facet::ALL
            .map(|facet| self.facet_values(facet, take(Key::of_facet(facet)), vocabulary));
        let country_from_region =
            facets[Facet::Country.index()].is_empty() && countries_of_regions(&mut facets);
        let year = take(Key::Year).and_then(|v| self.year(v));
        let date = take(Key::Date).and_then(|v| self.date("date", v));
        let updated = take(Key::Updated).and_then(|v| self.date("updated", v));
        let reviewed = take(Key::Reviewed).and_then(|v| self.date("reviewed", v));
        let sources = take(Key::Sources)
            .map(|v| self.sources(v))
            .unwrap_or_default();
        let slug = self.slug(take(Key::Slug));
        let draft = take(Key::Draft).is_some_and(|v| self.flag("draft", v));
        let aliases = take(Key::Aliases)
            .map(|v| self.aliases(v))
            .unwrap_or_default();
        let image = self.image(take(Key::Image));
        let key_lines = fields
            .iter()
            .map(|(k, _)| (k.name().to_string(), self.line_of(k.name())))
            .collect();

        Case {
            path: self.path.to_path_buf(),
            slug,
            title: title.unwrap_or_default(),
            summary,
            facets,
            country_from_region,
            year,
            date,
            updated,
            reviewed,
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
                    key,
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

    pub(super) fn optional_text(&mut self, key: &str, value: Option<Value>) -> Option<String> {
        match value? {
            Value::Null => None,
            Value::String(s) => Some(plain_text(&s)),
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
            None | Some(Value::Null) if !facet.expected() => return Vec::new(),
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
                    self.missing(key, Severity::Warning, message, help);
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
            let text = plain_text(&raw_value);
            if slugify(&text).is_empty() {
                self.error(
                    key,
                    format!("`{key}` has an empty value or one without letters or digits"),
                );
                continue;
            }
            let value = match vocabulary.facet(facet) {
                None if facet == Facet::Country => self.country(&raw_value, text),
                None => text,
                Some(allowed) => match allowed.resolve(&text) {
                    Some(known) => known.name.clone(),
                    None if self.full() => {
                        self.unlisted += 1;
                        continue;
                    }
                    None if self.values_without_dashes(key, &text, allowed, &mut values) => {
                        continue
                    }
                    None => {
                        // `- b` indented past `- a` reads as the one value `a - b`.
                        let items: Vec<&str> = text.split(" - ").collect();
                        if items.len() > 1 && items.iter().all(|i| allowed.resolve(i).is_some()) {
                            let (first, next) = (items[0], items[1]);
                            let d = self
                                .value_error(
                                    key,
                                    &format!("- {next}"),
                                    format!("`- {next}` is indented further than the `-` above it, so it reads as part of `{first}`"),
                                )
                                .with_help(format!(
                                    "line up its `-` with the `-` of `{first}` above it"
                                ));
                            self.problems.push(d);
                            // Read on as the editor meant it, so nothing else is reported.
                            for item in items.iter().filter_map(|i| allowed.resolve(i)) {
                                if !values.contains(&item.name) {
                                    values.push(item.name.clone());
                                }
                            }
                            continue;
                        }
                        let mut d = self.value_error(
                            key,
                            &raw_value,
                            format!("`{text}` is not a {key} listed in _taxonomy.yaml"),
                        );
                        d = match allowed.suggest(&text) {
                            Some(near) => d.with_help(format!("did you mean `{near}`?")),
                            None => d.with_help(format!(
                                "pick a listed value ({}), or add it to the `{key}` list in _taxonomy.yaml",
                                allowed.listing(&text, 5)
                            )),
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
        if values.is_empty()
            && facet.expected()
            && !self.problems.iter().any(|d| d.line == self.line_of(key))
        {
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

    /// Listed values written on lines of their own without `- ` (`theme:` then
    /// `  co-production` and `  participatory budgeting`), which YAML reads as the one value
    /// `co-production participatory budgeting`: an error at the first line lacking its `- `,
    /// and the values read as the editor meant them. False when `text` is not that.
    fn values_without_dashes(
        &mut self,
        key: &str,
        text: &str,
        allowed: &crate::content::vocabulary::FacetVocabulary,
        values: &mut Vec<String>,
    ) -> bool {
        let Some(&key_line) = self.key_lines.get(key) else {
            return false;
        };
        let lines: Vec<&str> = self.file.yaml.lines().collect();
        let own = lines[key_line - 1]
            .split_once(':')
            .map_or("", |(_, rest)| rest.trim());
        let below = lines[key_line..]
            .iter()
            .take_while(|l| l.starts_with(' ') && !l.trim().is_empty())
            .map(|l| l.trim());
        let parts: Vec<&str> = std::iter::once(own)
            .filter(|v| !v.is_empty())
            .chain(below)
            .collect();
        let known: Vec<_> = parts.iter().filter_map(|p| allowed.resolve(p)).collect();
        if parts.len() < 2 || known.len() < parts.len() || parts.join(" ") != text {
            return false;
        }
        let (first, next) = (parts[0], parts[1]);
        let line = key_line + usize::from(own.is_empty()) + 1;
        let column = lines[line - 1].len() - lines[line - 1].trim_start().len() + 1;
        let d = Diagnostic::error(
            self.path,
            self.file.yaml_line + line - 1,
            format!(
                "`{next}` has no `- ` before it, so it reads as part of one value with `{first}`"
            ),
        )
        .at_column(column)
        .spanning(next.chars().count())
        .with_help(format!(
            "put each {key} on a line of its own starting with `- `: `- {first}`, `- {next}`"
        ));
        self.problems.push(d);
        for value in known {
            if !values.contains(&value.name) {
                values.push(value.name.clone());
            }
        }
        true
    }

    /// A country as the table names it; one the table does not know is kept as written,
    /// with a warning pointing at it and the nearest known name.
    fn country(&mut self, raw: &str, text: String) -> String {
        let table = countries();
        if let Some(known) = table.find(&text) {
            return known.name.clone();
        }
        let mut d = self.value_error(
            "country",
            raw,
            format!("`{text}` is not a country casebook knows: it is kept as written"),
        );
        d.severity = Severity::Warning;
        d.help = Some(match table.nearest(&text) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "write the country's English name, e.g. `United Kingdom`".to_string(),
        });
        self.problems.push(d);
        text
    }

    /// An error pointing at where `value` is written under `key` (line and column).
    ///
    /// Values of one key are found in the order they are written, so the same value given
    /// twice is pointed at twice.
    pub(super) fn value_error(
        &mut self,
        key: &str,
        value: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
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
}

/// Fills the country facet from regions that name a country (`region: Brazil`,
/// `region: Scotland`); true when it found one.
fn countries_of_regions(facets: &mut [Vec<String>; FACETS]) -> bool {
    let named: Vec<String> = facets[Facet::Region.index()]
        .iter()
        .filter_map(|region| country_named_by(region).map(str::to_string))
        .collect();
    let country = &mut facets[Facet::Country.index()];
    for name in named {
        if !country.contains(&name) {
            country.push(name);
        }
    }
    !country.is_empty()
}

/// Front matter's text as a reader is to see it: character references decoded (`&#8217;`,
/// `&rsquo;`, `&amp;`, which text pasted from a web page or a CMS export carries, and which
/// shown as written read "What&#8217;s"), and every run of white space (line breaks too)
/// made one space. Only references ending in `;` are read, so "AT&T" stays as it is; one
/// naming a character no page may hold (`&#x9D;`) is left out with it.
pub(super) fn plain_text(text: &str) -> String {
    let decoded = html_escape::decode_html_entities(text);
    crate::text::without_forbidden(&decoded)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

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
    fn character_references_in_front_matter_are_read_as_characters() {
        let case = parse_yaml(
            "title: \"What&#8217;s new &amp; why: Usability Testing&#8230;\"\ntheme: co&#45;production\nregion: Scotland\norganisation: AT&T &lt;UK&gt;&#x9D;&#xFFFE;\napproach: volunteering\n",
        )
        .unwrap();
        assert_eq!(
            case.title,
            "What\u{2019}s new & why: Usability Testing\u{2026}"
        );
        assert_eq!(case.values(Facet::Theme), ["co-production"]);
        assert_eq!(case.values(Facet::Organisation), ["AT&T <UK>"]);
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
    fn a_thematic_break_in_a_body_that_starts_like_a_key_is_not_a_fence_inside() {
        let file = SplitFile {
            yaml: VALID.to_string(),
            yaml_line: 2,
            body: "date: of the visit, a Tuesday\n\nThe team met.\n\n---\n\nAfter.\n".into(),
            body_line: 8,
        };
        let (read, problems) = with_fence_inside_read_on(Path::new("a.md"), file.clone());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(read, file);
    }

    #[test]
    fn unsafe_slug_is_rejected_with_a_suggestion() {
        let problems = parse_yaml(&format!("{VALID}slug: ../../etc/x\n")).unwrap_err();
        assert_eq!(problems[0].help.as_deref(), Some("did you mean `etc-x`?"));
    }
}
