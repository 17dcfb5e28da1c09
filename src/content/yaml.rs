//! Reading YAML with positions and messages an editor can act on.
//!
//! Every YAML text casebook reads (front matter, `_site.yaml`, `_taxonomy.yaml`) goes through
//! [`parse`], which refuses input that would make the YAML parser slow before parsing it, and
//! turns the parser's messages into plain words pointing at the line to fix.
//!
//! serde_yaml reports positions only for syntax errors, so for well-formed YAML with a wrong
//! value we find the key's line by scanning the text, which is exact for the top-level keys
//! of front matter and settings files.

use std::collections::HashMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_yaml::Value;

use crate::error::{nearest, Diagnostic};

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

/// A diagnostic for a YAML syntax or type error in `text`, whose first line is file line
/// `first_line`.
pub fn error_diagnostic(
    path: &Path,
    first_line: usize,
    text: &str,
    error: &serde_yaml::Error,
) -> Diagnostic {
    let full = error.to_string();
    let problem = strip_position(&full);
    let (mut line, mut column) = error
        .location()
        .map_or((1, 1), |l| (l.line().max(1), l.column().max(1)));
    let context = context_position(&full);
    let (message, help) = explain(problem, text, first_line, &mut line, &mut column, context);
    let d = Diagnostic::error(path, first_line + line - 1, message).at_column(column);
    match help {
        Some(help) => d.with_help(help),
        None => d,
    }
}

/// serde_yaml's message without its " at line L column C" and ", while …" parts.
fn strip_position(message: &str) -> &str {
    let end = [" at line ", ", while "]
        .iter()
        .filter_map(|marker| message.find(marker))
        .min()
        .unwrap_or(message.len());
    &message[..end]
}

/// The position of the construct the parser was in ("while scanning a quoted scalar at line
/// 1 column 8"), which is where an unclosed quote or bracket starts.
fn context_position(message: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find(", while ")?..];
    let rest = &rest[rest.find(" at line ")? + " at line ".len()..];
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// An editor's explanation of a parser message, moving the position where a better one is
/// known; `(message, help)`.
fn explain(
    problem: &str,
    text: &str,
    first_line: usize,
    line: &mut usize,
    column: &mut usize,
    context: Option<(usize, usize)>,
) -> (String, Option<String>) {
    let at_context = |line: &mut usize, column: &mut usize| {
        if let Some((l, c)) = context {
            (*line, *column) = (l, c);
        }
    };
    let words = |m: &str, h: &str| (m.to_string(), Some(h.to_string()));
    if problem.contains("tab character")
        || (problem.contains("cannot start any token")
            && char_at(text, *line, *column) == Some('\t'))
    {
        return words(
            "a tab is used here; YAML is indented with spaces only",
            "replace the tab with spaces",
        );
    }
    if problem.contains("end of stream") && problem.contains("unexpected") && context.is_some() {
        at_context(line, column);
        return match char_at(text, *line, *column) {
            Some('[') => words("this `[` list is never closed", "close it with `]`"),
            Some('{') => words("this `{` mapping is never closed", "close it with `}`"),
            _ => words(
                "this quoted value is never closed",
                "end it with the same quote mark it starts with (`\"` or `'`), or remove that mark",
            ),
        };
    }
    if let Some(key) = problem
        .strip_prefix("duplicate entry with key \"")
        .and_then(|k| k.strip_suffix('"'))
    {
        let lines = key_lines_at(text, key, *line, *column);
        if let [first, second, ..] = lines[..] {
            (*line, *column) = (second, *column);
            return (
                format!("`{key}` is given twice"),
                Some(format!(
                    "keep one of the two `{key}:` lines (the other is line {})",
                    first + first_line - 1
                )),
            );
        }
        return words(
            &format!("`{key}` is given twice"),
            &format!("keep one `{key}:` line"),
        );
    }
    if problem.contains("repetition limit exceeded") {
        return words(
            "the YAML aliases (`*name`) here repeat an anchor (`&name`) so often that they expand to too much data",
            "write the values out instead of using anchors and aliases; a case needs neither",
        );
    }
    if problem.contains("recursion limit exceeded") {
        return words(
            "lists or mappings are nested too deeply",
            "a case needs at most a list of sources, each with `title:` and `url:`",
        );
    }
    if problem.contains("mapping values are not allowed") {
        // A key indented further than the key above it reads as more of that key's value.
        if let Some((key, above, found, expected)) = overindented_key(text, *line) {
            *column = found + 1;
            return words(
                &format!("`{key}:` is indented more than `{above}:` above it, so it reads as part of that value"),
                &format!("line `{key}:` up with `{above}:`: indent it by {expected} spaces instead of {found}"),
            );
        }
        return words(
            "a `: ` inside a value that is not in quotes",
            "put the whole value in quotes, e.g. title: \"Oldham: a decision day\"",
        );
    }
    if problem.contains("did not find expected ',' or ']'") {
        at_context(line, column);
        return words(
            "this `[` list is not closed properly",
            "separate values with commas, close the list with `]`, and put values holding `,`, `[` or `]` in quotes",
        );
    }
    if problem.contains("did not find expected ',' or '}'") {
        at_context(line, column);
        return words(
            "this `{` mapping is not closed properly",
            "separate entries with commas and close the mapping with `}`",
        );
    }
    if problem.contains("did not find expected key")
        || problem.contains("did not find expected '-' indicator")
    {
        return words(
            "this line is indented differently from the lines above it",
            "indent the keys of one mapping, and the `-` items of one list, by the same number of spaces",
        );
    }
    if problem.contains("cannot start any token") {
        return words(
            "a value cannot start with this character",
            "put the value in quotes",
        );
    }
    if problem.contains("unknown anchor") {
        return words(
            "`*` starts an alias, but no `&` anchor of that name comes before it",
            "put the value in quotes if the `*` is part of the text",
        );
    }
    if let Some(field) = problem
        .split("unknown field `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
    {
        let expected: Vec<&str> = problem
            .split("expected one of ")
            .nth(1)
            .map(|list| list.split(", ").map(|k| k.trim_matches('`')).collect())
            .unwrap_or_default();
        let help = match nearest(field, expected.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("known keys: {}", expected.join(", ")),
        };
        return (format!("unknown key `{field}`"), Some(help));
    }
    if let Some(rest) = problem.split("invalid type: ").nth(1) {
        let key = problem
            .split(": invalid type")
            .next()
            .filter(|k| *k != problem);
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another kind of value"));
        let expected = match expected {
            "usize" | "u32" | "u64" | "i32" | "i64" => "a whole number",
            "a boolean" => "true or false",
            "a string" => "text",
            other => other,
        };
        let subject = key.map_or("the value".to_string(), |k| format!("`{k}`"));
        return (format!("{subject} must be {expected}, found {found}"), None);
    }
    (format!("invalid YAML: {problem}"), None)
}

/// The character at 1-based `line` and `column` of `text`.
/// When line `line` of `text` is `key: …` indented further than the key of the line above
/// (itself `key: value`, or `- key: value`): the key, the key above, and this line's and the
/// key above's indentation.
fn overindented_key(text: &str, line: usize) -> Option<(String, String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let here = *lines.get(line.checked_sub(1)?)?;
    let above = lines[..line - 1]
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))?;
    let key_of = |content: &str| -> Option<String> {
        let (key, rest) = content.split_once(':')?;
        // Front matter keys are single lowercase words (`url`, `title`, `region`).
        let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        (plain && (rest.is_empty() || rest.starts_with(' '))).then(|| key.to_string())
    };
    let indent_of = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let found = indent_of(here);
    let key = key_of(&here[found..])?;
    let mut expected = indent_of(above);
    let mut content = &above[expected..];
    if let Some(item) = content.strip_prefix("- ") {
        expected += 2;
        content = item;
    }
    let above_key = key_of(content)?;
    let has_value = !content[above_key.len() + 1..].trim().is_empty();
    if found <= expected || !has_value {
        return None;
    }
    // The advice must mend it: with the line moved, the text parses.
    let mut mended: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    mended[line - 1] = format!("{}{}", " ".repeat(expected), &here[found..]);
    serde_yaml::from_str::<Value>(&mended.join("\n"))
        .is_ok()
        .then_some((key, above_key, found, expected))
}

fn char_at(text: &str, line: usize, column: usize) -> Option<char> {
    text.lines()
        .nth(line.checked_sub(1)?)?
        .chars()
        .nth(column.checked_sub(1)?)
}

/// The lines holding `key:` at the indentation of the mapping that starts at (`line`,
/// `column`), for "given twice" errors.
fn key_lines_at(text: &str, key: &str, line: usize, column: usize) -> Vec<usize> {
    let indent = column.saturating_sub(1);
    text.lines()
        .enumerate()
        .skip(line.saturating_sub(1))
        .filter(|(_, l)| {
            l.len() > indent
                && l.as_bytes()[..indent].iter().all(|&b| b == b' ')
                && is_key_line(&l[indent..], key)
        })
        .map(|(i, _)| i + 1)
        .take(2)
        .collect()
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
fn top_level_key(line: &str) -> Option<&str> {
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
