//! Reading YAML with positions and messages an editor can act on.
//!
//! Every YAML text casebook reads (front matter, `_site.yaml`, `_taxonomy.yaml`) goes through
//! [`parse`], which refuses input that would make the YAML parser slow before parsing it, and
//! turns the parser's messages into plain words pointing at the line to fix.
//!
//! serde_yaml reports positions only for syntax errors, so for well-formed YAML with a wrong
//! value we find the key's line by scanning the text, which is exact for the top-level keys
//! of front matter and settings files.

mod explain;
mod mend;

pub use mend::brief;

use std::collections::HashMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_yaml::Value;

use crate::error::Diagnostic;
use explain::error_diagnostic;

/// The most YAML one file may hold: front matter and settings are short, and beyond this
/// size parsing costs seconds for nothing an editor meant.
pub const MAX_YAML_BYTES: usize = 1024 * 1024;

/// The deepest `[`/`{` nesting accepted; a case needs two levels (a list of sources).
const MAX_NESTING: usize = 64;

/// The YAML parser works in proportion to the nesting depth times the length of the text,
/// so brackets times bytes is bounded too (a few hundredths of a second of parsing).
const MAX_BRACKET_WORK: usize = 20_000_000;

/// Parses YAML whose first line is line `first_line` of `path`, or explains what is wrong.
pub fn parse<T: DeserializeOwned>(
    path: &Path,
    first_line: usize,
    text: &str,
) -> Result<T, Diagnostic> {
    guard(path, first_line, text)?;
    serde_yaml::from_str(text).map_err(|e| error_diagnostic(path, first_line, text, &e))
}

/// A YAML text that does not parse, read as far as it can be.
pub struct PartlyRead {
    /// What is wrong, at the line to fix.
    pub error: Diagnostic,
    /// The rest of the text, when leaving out the top-level entries around the error makes
    /// it readable.
    pub rest: Option<Box<Rest>>,
}

/// What could be read of a text around its error.
pub struct Rest {
    /// The text with the unreadable entries' lines blanked, so every line keeps its number.
    pub text: String,
    /// The text, parsed.
    pub value: Value,
    /// The top-level keys whose entries were left out.
    pub left_out: Vec<String>,
}

/// How many top-level entries after the error are tried as the place where the text is
/// readable again.
const MAX_RECOVERY_ENTRIES: usize = 6;

/// Parses YAML like [`parse`]; when it does not parse, also reads the rest of the text,
/// leaving out the top-level entries from the one holding the error up to the next entry
/// from which on the text parses, so the other problems of a file can be reported too.
pub fn parse_or_rest(path: &Path, first_line: usize, text: &str) -> Result<Value, PartlyRead> {
    if let Err(error) = guard(path, first_line, text) {
        return Err(PartlyRead { error, rest: None });
    }
    let error = match serde_yaml::from_str(text) {
        Ok(value) => return Ok(value),
        Err(e) => error_diagnostic(path, first_line, text, &e),
    };
    let error_line = (error.line + 1).saturating_sub(first_line).max(1);
    let rest = rest_around(text, error_line).map(Box::new);
    Err(PartlyRead { error, rest })
}

/// The text with the entries around 1-based `error_line` blanked, when the rest parses as a
/// mapping.
fn rest_around(text: &str, error_line: usize) -> Option<Rest> {
    let lines: Vec<&str> = text.lines().collect();
    // The line in error starts an entry of its own when it is a key out of line
    // (`\tregion: …`), so the entry above it is still read.
    let starts: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| match top_level_key(line) {
            None if i + 1 == error_line => key_written_out_of_line(line).map(|key| (i, key)),
            key => key.map(|key| (i, key)),
        })
        .collect();
    let holding = starts.iter().rposition(|&(i, _)| i < error_line);
    // The entry holding the error, or the one before it: the parser may stop a line late.
    let firsts = [holding, holding.and_then(|h| h.checked_sub(1))];
    for first in firsts.into_iter().flatten().map(Some).chain([None]) {
        let from = first.map_or(0, |f| starts[f].0);
        let after = first.map_or(0, |f| f + 1);
        let ends = starts[after..]
            .iter()
            .map(|&(i, _)| i)
            .filter(|&i| i >= error_line)
            .take(MAX_RECOVERY_ENTRIES)
            .chain([lines.len()]);
        for end in ends {
            let blanked: Vec<&str> = lines
                .iter()
                .enumerate()
                .map(|(i, line)| if (from..end).contains(&i) { "" } else { line })
                .collect();
            let text = blanked.join("\n");
            if let Ok(value @ Value::Mapping(_)) = serde_yaml::from_str::<Value>(&text) {
                let left_out = (from..end)
                    .filter_map(|i| match i + 1 == error_line {
                        true => key_written_out_of_line(lines[i]),
                        false => top_level_key(lines[i]),
                    })
                    .map(str::to_string)
                    .collect();
                return Some(Rest {
                    text,
                    value,
                    left_out,
                });
            }
        }
    }
    None
}

/// The key a line starts with, however it is indented and whatever follows its colon
/// (`\tregion: x`, `region:x`): what the editor meant as a key.
fn key_written_out_of_line(line: &str) -> Option<&str> {
    let (key, _) = line.trim_start_matches([' ', '\t']).split_once(':')?;
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    plain.then_some(key)
}

/// Refuses, without parsing, YAML so large or so deeply bracketed that parsing would hang.
fn guard(path: &Path, first_line: usize, text: &str) -> Result<(), Diagnostic> {
    if text.len() > MAX_YAML_BYTES {
        return Err(Diagnostic::error(
            path,
            first_line,
            format!(
                "the YAML here is {}, more than the {} casebook reads",
                size_in_words(text.len()),
                size_in_words(MAX_YAML_BYTES)
            ),
        )
        .with_help(
            "front matter holds short fields; the case's text goes below the closing `---`",
        ));
    }
    let openers = text.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
    if openers <= MAX_NESTING || openers.saturating_mul(text.len()) <= MAX_BRACKET_WORK {
        return Ok(());
    }
    // Counting every bracket, quoted or not, can only overstate the nesting, never hide it.
    let mut depth = 0usize;
    let mut first_bracket = None;
    for (index, byte) in text.bytes().enumerate() {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                first_bracket.get_or_insert(index);
                if depth > MAX_NESTING {
                    let (line, column) = position_of(text, index);
                    return Err(Diagnostic::error(
                        path,
                        first_line + line - 1,
                        format!("lists or mappings are nested more than {MAX_NESTING} levels deep"),
                    )
                    .at_column(column)
                    .with_help(
                        "a case needs at most a list of sources, each with `title:` and `url:`",
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let (line, column) = position_of(text, first_bracket.unwrap_or(0));
    Err(Diagnostic::error(
        path,
        first_line + line - 1,
        format!(
            "{openers} `[` and `{{` in {} of YAML are more than casebook reads",
            size_in_words(text.len())
        ),
    )
    .at_column(column)
    .with_help("write lists as `- item` lines, or shorten the text"))
}

/// 1-based line and column (in characters) of byte `index` of `text`.
fn position_of(text: &str, index: usize) -> (usize, usize) {
    let before = &text[..index];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn size_in_words(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// The 1-based line of each top-level key of a YAML mapping, found in one pass.
pub fn key_lines(text: &str) -> HashMap<String, usize> {
    let mut lines = HashMap::new();
    for (index, line) in text.lines().enumerate() {
        if let Some(key) = top_level_key(line) {
            lines.entry(key.to_string()).or_insert(index + 1);
        }
    }
    lines
}

/// The key written at the start of `line` (`key: …`, `"key": …`), if any.
pub fn top_level_key(line: &str) -> Option<&str> {
    let first = line.chars().next()?;
    if first.is_whitespace() || matches!(first, '#' | '-' | '[' | '{') {
        return None;
    }
    if first == '"' || first == '\'' {
        let rest = &line[1..];
        let end = rest.find(first)?;
        let after = rest[end + 1..].trim_start();
        return after.starts_with(':').then_some(&rest[..end]);
    }
    let bytes = line.as_bytes();
    let colon = (0..bytes.len())
        .find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()))?;
    Some(line[..colon].trim_end())
}

/// A value that ` #` cut short: YAML reads ` #` as the start of a comment, so
/// `title: Oldham #1 decision day` is the title `Oldham`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutByComment {
    /// 1-based line of the YAML text.
    pub line: usize,
    /// 1-based column of the `#`.
    pub column: usize,
    /// The top-level key the value belongs to.
    pub key: String,
    /// What YAML reads.
    pub kept: String,
    /// What the editor wrote.
    pub written: String,
    /// The line as it should be written, with the value in quotes.
    pub quoted_line: String,
}

/// The values of top-level keys and of their list items that a ` #` directly followed by
/// text cuts short (`#1`, `#hashtag`); a comment written as ` # note` is left alone.
pub fn values_cut_by_comments(text: &str) -> Vec<CutByComment> {
    let mut cuts = Vec::new();
    let mut key: Option<&str> = None;
    for (index, line) in text.lines().enumerate() {
        let (prefix_len, value) = if let Some(k) = top_level_key(line) {
            key = Some(k);
            let colon = line.find(':').map_or(line.len(), |c| c + 1);
            (colon, &line[colon..])
        } else if let Some(item) = line.trim_start().strip_prefix("- ") {
            (line.len() - item.len(), item)
        } else {
            continue;
        };
        let Some(key) = key else { continue };
        let value_start = prefix_len + (value.len() - value.trim_start().len());
        let value = value.trim();
        if value.starts_with(['"', '\'', '[', '{', '|', '>', '#', '&', '*', '!']) {
            continue;
        }
        let Some(hash) = value
            .match_indices(" #")
            .map(|(i, _)| i)
            .find(|&i| value[i + 2..].starts_with(|c: char| !c.is_whitespace()))
        else {
            continue;
        };
        let kept = value[..hash].trim_end();
        if kept.is_empty() || kept.contains(": ") {
            continue;
        }
        let quoted = format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""));
        cuts.push(CutByComment {
            line: index + 1,
            column: line[..value_start + hash + 1].chars().count() + 1,
            key: key.to_string(),
            kept: kept.to_string(),
            written: value.to_string(),
            quoted_line: format!("{}{quoted}", line[..value_start].trim_start()),
        });
    }
    cuts
}

/// The 1-based line of the YAML text where top-level `key:` is written.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| is_key_line(line, key))
        .map(|i| i + 1)
}

fn is_key_line(line: &str, key: &str) -> bool {
    let unquoted = line.strip_prefix(key);
    let quoted = || {
        line.strip_prefix('"')
            .and_then(|l| l.strip_prefix(key))
            .and_then(|l| l.strip_prefix('"'))
            .or_else(|| {
                line.strip_prefix('\'')
                    .and_then(|l| l.strip_prefix(key))
                    .and_then(|l| l.strip_prefix('\''))
            })
    };
    unquoted
        .or_else(quoted)
        .is_some_and(|rest| rest.trim_start().starts_with(':'))
}

/// The 1-based line, at or after `from_line`, on which `needle` first appears.
pub fn line_of_text(text: &str, needle: &str, from_line: usize) -> Option<usize> {
    let skip = from_line.saturating_sub(1);
    text.lines()
        .enumerate()
        .skip(skip)
        .find(|(_, line)| line.contains(needle))
        .map(|(i, _)| i + 1)
}

/// The text of a scalar (strings, numbers and booleans), trimmed; `None` for other kinds.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list of scalars (or a single scalar) as text; `None` when any item is not a scalar.
pub fn text_list(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::Sequence(items) => items.iter().map(scalar_text).collect(),
        Value::Null => Some(Vec::new()),
        other => scalar_text(other).map(|s| vec![s]),
    }
}

/// What kind of YAML value this is, in words, for "expected X, found Y" messages.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// Drops from every text in `value` the characters no page can hold, which YAML escapes can
/// make (`"\x01"`, `"\uFFFE"`); true when there was one.
pub fn drop_forbidden_characters(value: &mut Value) -> bool {
    match value {
        Value::String(text) if text.chars().any(crate::text::is_forbidden) => {
            *text = crate::text::without_forbidden(text).into_owned();
            true
        }
        Value::Sequence(items) => items
            .iter_mut()
            .fold(false, |any, v| drop_forbidden_characters(v) | any),
        Value::Mapping(inner) => inner
            .iter_mut()
            .fold(false, |any, (_, v)| drop_forbidden_characters(v) | any),
        Value::Tagged(tagged) => drop_forbidden_characters(&mut tagged.value),
        _ => false,
    }
}

/// The warning for a top-level `key` at `line` whose value held such a character.
pub fn left_out_warning(path: &Path, line: usize, key: &str) -> Diagnostic {
    Diagnostic::warning(
        path,
        line,
        format!("`{key}` names a control character (an escape such as `\\x01`) that no page can hold; it was left out"),
    )
    .with_help("remove the escape from the value")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> Diagnostic {
        parse::<Value>(Path::new("a.md"), 2, text).unwrap_err()
    }

    #[test]
    fn finds_top_level_keys_only() {
        let text = "title: A\nsources:\n  - title: B\norganisation: C\n\"year\": 1\n";
        assert_eq!(line_of_key(text, "title"), Some(1));
        assert_eq!(line_of_key(text, "organisation"), Some(4));
        assert_eq!(line_of_key(text, "url"), None);
        let lines = key_lines(text);
        assert_eq!(lines["title"], 1);
        assert_eq!(lines["organisation"], 4);
        assert_eq!(lines["year"], 5);
        assert!(!lines.contains_key("url"));
    }

    #[test]
    fn a_hash_directly_before_text_is_a_value_cut_short_and_a_comment_is_not() {
        let text =
            "title: Oldham #1 day\ntheme: x # a note\nregion: \"A #2\"\nsources:\n  - Item #3\n";
        let cuts = values_cut_by_comments(text);
        let found: Vec<(usize, usize, &str, &str)> = cuts
            .iter()
            .map(|c| (c.line, c.column, c.key.as_str(), c.kept.as_str()))
            .collect();
        assert_eq!(
            found,
            [(1, 15, "title", "Oldham"), (5, 10, "sources", "Item")]
        );
        assert_eq!(cuts[0].quoted_line, "title: \"Oldham #1 day\"");
        assert_eq!(cuts[1].quoted_line, "- \"Item #3\"");
    }

    #[test]
    fn the_rest_of_a_broken_text_is_read_from_the_next_readable_key() {
        let text = "title: A\ntheme: [x\nregion: B\norganisation: C\n";
        let broken = parse_or_rest(Path::new("a.md"), 2, text).unwrap_err();
        let rest = broken.rest.expect("readable after the list");
        assert_eq!(rest.left_out, ["theme"]);
        assert_eq!(rest.text.lines().count(), 4, "lines keep their numbers");
        assert_eq!(rest.value["organisation"], Value::from("C"));
        assert_eq!(rest.value.get("theme"), None);
    }

    #[test]
    fn an_unclosed_quote_points_at_where_it_opens() {
        let d = problem("title: \"Oldham\ntheme: x\n");
        assert_eq!((d.line, d.column), (2, 8), "{d}");
        assert!(d.message.contains("never closed"), "{d}");
    }

    #[test]
    fn a_duplicate_key_points_at_the_second_one() {
        let d = problem("title: A\ntheme: x\ntitle: B\n");
        assert_eq!(d.line, 4, "{d}");
        assert_eq!(d.message, "`title` is given twice");
    }

    #[test]
    fn a_tab_is_explained() {
        let d = problem("title: A\n\ttheme: x\n");
        assert_eq!(d.line, 3);
        assert!(d.message.contains("tab"), "{d}");
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!("theme: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let started = std::time::Instant::now();
        let d = problem(&deep);
        assert!(started.elapsed().as_secs() < 2);
        assert!(d.message.contains("nested more than 64"), "{d}");
        assert_eq!((d.line, d.column), (2, 8 + 64));
        let wide = format!("theme: [{}a]\n", "a, ".repeat(10_000));
        assert!(parse::<Value>(Path::new("a.md"), 2, &wide).is_ok());
    }

    #[test]
    fn an_alias_bomb_is_an_error() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (previous, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            let p = format!("*{previous}");
            bomb.push_str(&format!(
                "{name}: &{name} [{}]\n",
                [p.as_str(); 9].join(", ")
            ));
        }
        let d = problem(&bomb);
        assert!(d.message.contains("aliases"), "{d}");
    }
}
