//! Turning the YAML parser's messages into an editor's words, at the line to fix.

use std::path::Path;

use super::is_key_line;
use super::mend::{self, Mend};
use crate::error::{nearest, Diagnostic};

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
        if let Some(words) = taken(mend::tab(text, *line), line, column) {
            return words;
        }
        return words(
            "a tab is used here; YAML is indented with spaces only",
            "replace the tab with spaces",
        );
    }
    if problem.contains("end of stream") && problem.contains("unexpected") && context.is_some() {
        at_context(line, column);
        if let Some(words) = taken(mend::unclosed_quote(text, *line, *column), line, column) {
            return words;
        }
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
        if let Some(words) = taken(mend::misaligned_key(text, *line), line, column)
            .or_else(|| taken(mend::colon_in_value(text, *line), line, column))
        {
            return words;
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
        if let Some(words) = taken(mend::misaligned_key(text, *line), line, column)
            .or_else(|| taken(mend::mixed_list(text, *line), line, column))
            .or_else(|| taken(mend::text_after_quote(text, *line), line, column))
        {
            return words;
        }
        return words(
            "this line is indented differently from the lines above it",
            "indent the keys of one mapping, and the `-` items of one list, by the same number of spaces",
        );
    }
    if problem.contains("could not find expected ':'") {
        // The parser read a line as the start of a key and found no `: ` after it.
        if let Some((key_line, _)) = context {
            if let Some(words) = taken(mend::no_space_after_colon(text, key_line), line, column)
                .or_else(|| taken(mend::missing_dash(text, key_line), line, column))
                .or_else(|| taken(mend::misaligned_key(text, key_line), line, column))
            {
                return words;
            }
        }
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

/// A mend's words, with the position moved to its line and column.
fn taken(
    found: Option<Mend>,
    line: &mut usize,
    column: &mut usize,
) -> Option<(String, Option<String>)> {
    found.map(|m| {
        (*line, *column) = (m.line, m.column);
        (m.message, Some(m.help))
    })
}

/// The character at 1-based `line` and `column` of `text`.
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
