//! Small helpers for reading YAML with positions an editor can act on.
//!
//! serde_yaml reports positions only for syntax errors, so for well-formed YAML with a wrong
//! value we find the key's line by scanning the text, which is exact for the top-level keys
//! of front matter and settings files.

use std::path::Path;

use serde_yaml::Value;

use super::diagnostic::Diagnostic;

/// A diagnostic for a YAML syntax or type error; `first_line` is the file line of the YAML's line 1.
pub fn error_diagnostic(path: &Path, first_line: usize, error: &serde_yaml::Error) -> Diagnostic {
    let message = error.to_string();
    // serde_yaml appends " at line L column C"; we report the position ourselves.
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    match error.location() {
        Some(location) => Diagnostic::error(
            path,
            first_line + location.line().saturating_sub(1),
            format!("invalid YAML: {message}"),
        )
        .at_column(location.column()),
        None => Diagnostic::error(path, first_line, format!("invalid YAML: {message}")),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_top_level_keys_only() {
        let text = "title: A\nsources:\n  - title: B\norganisation: C\n";
        assert_eq!(line_of_key(text, "title"), Some(1));
        assert_eq!(line_of_key(text, "organisation"), Some(4));
        assert_eq!(line_of_key(text, "url"), None);
    }
}
