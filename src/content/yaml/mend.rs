//! Diagnoses of the layout mistakes editors make in YAML, each with advice that was tried.
//!
//! The parser says where it got lost ("did not find expected key"), not what the editor did.
//! Each function here guesses one mistake (a key out of line, a tab, a missing `- `…), moves
//! or rewrites the line as its advice will say, and gives the diagnosis only when the text
//! then parses: advice that would not mend the file is never given.

use serde_yaml::Value;

/// A diagnosed mistake: where it is (1-based line and column of the YAML text), what it is,
/// and the advice that makes the text parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Mend {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: String,
}

/// How many lines above a mistake are tried as the one it should line up with.
const MAX_ANCHORS: usize = 8;

/// The quote marks word processors put in place of `"` and `'`.
const CURLY_QUOTES: [char; 8] = ['“', '”', '‘', '’', '„', '‚', '«', '»'];

/// One line of YAML: its indentation in spaces and what follows it.
struct Line<'a> {
    indent: usize,
    content: &'a str,
}

impl<'a> Line<'a> {
    fn of(text: &'a str) -> Self {
        let content = text.trim_start_matches(' ');
        Line {
            indent: text.len() - content.len(),
            content,
        }
    }

    /// Blank lines and comments hold nothing to line up with.
    fn is_blank(&self) -> bool {
        self.content.trim().is_empty() || self.content.starts_with('#')
    }

    /// The key of a `key: …` line, and what follows its colon.
    fn key(&self) -> Option<(&'a str, &'a str)> {
        key_and_rest(self.content)
    }

    /// A key this line gives others to line up with: `key:` at its indentation, or the key
    /// after a `- `, two columns further; `(column, key, after a dash, has a value)`.
    fn anchor(&self) -> Option<(usize, &'a str, bool, bool)> {
        let (column, content, dash) = match self.content.strip_prefix("- ") {
            Some(item) => {
                let after = item.trim_start_matches(' ');
                (self.indent + 2 + item.len() - after.len(), after, true)
            }
            None => (self.indent, self.content, false),
        };
        let (key, rest) = key_and_rest(content)?;
        Some((column, key, dash, !rest.trim().is_empty()))
    }
}

/// `key` and the rest of a `key: rest` or `key:` text, for the plain keys of front matter
/// and settings (`url`, `per_page`, `co-production`).
fn key_and_rest(content: &str) -> Option<(&str, &str)> {
    let (key, rest) = content.split_once(':')?;
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    (plain && (rest.is_empty() || rest.starts_with(' '))).then_some((key, rest))
}

/// The longest line shown whole in advice; longer ones are cut in the middle.
const MAX_SHOWN: usize = 80;

/// `line` as shown in advice: whole, or its start and end around a `…`.
pub fn brief(line: &str) -> String {
    let count = line.chars().count();
    if count <= MAX_SHOWN {
        return line.to_string();
    }
    let start: String = line.chars().take(MAX_SHOWN / 2).collect();
    let end: String = line.chars().skip(count - MAX_SHOWN / 4).collect();
    format!("{start}…{end}")
}

/// True when `lines`, joined, parse as YAML.
fn parses(lines: &[String]) -> bool {
    serde_yaml::from_str::<Value>(&lines.join("\n")).is_ok()
}

fn owned(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

/// The non-blank lines above 0-based line `index`, nearest first.
fn above<'a>(lines: &'a [String], index: usize) -> impl Iterator<Item = (usize, Line<'a>)> {
    lines[..index]
        .iter()
        .enumerate()
        .rev()
        .map(|(i, l)| (i, Line::of(l)))
        .filter(|(_, l)| !l.is_blank())
}

/// A tab in the indentation of `line`: the number of spaces that puts the line where it
/// parses, trying the columns of the keys above, nearest first.
pub(super) fn tab(text: &str, line: usize) -> Option<Mend> {
    let original = owned(text);
    let mut lines = original.clone();
    let index = line.checked_sub(1)?;
    let here = lines.get(index)?.clone();
    let content = here.trim_start_matches([' ', '\t']);
    if !here[..here.len() - content.len()].contains('\t') {
        return None;
    }
    let mut columns: Vec<usize> = Vec::new();
    for (_, l) in above(&original, index).take(MAX_ANCHORS) {
        // Under a `key:` that opens a block, its block is the likelier place.
        let opened = l.anchor().filter(|a| !a.3).map(|a| a.0 + 2);
        for column in [opened, l.anchor().map(|a| a.0), Some(l.indent)]
            .into_iter()
            .flatten()
        {
            if !columns.contains(&column) {
                columns.push(column);
            }
        }
    }
    columns.push(0);
    let spaces = columns.into_iter().find(|&spaces| {
        lines[index] = format!("{}{content}", " ".repeat(spaces));
        parses(&lines)
    })?;
    Some(Mend {
        line,
        column: 1,
        message: "a tab is used here; YAML is indented with spaces only".into(),
        help: match spaces {
            0 => "remove the tab at the start of the line".into(),
            n => format!("indent the line with {n} spaces instead of the tab"),
        },
    })
}

/// A `key:` line out of line with the keys above it (more, less, or under the `-` of an
/// item): the key above it should line up with, nearest first, where the text then parses.
pub(super) fn misaligned_key(text: &str, line: usize) -> Option<Mend> {
    let original = owned(text);
    let mut lines = original.clone();
    let index = line.checked_sub(1)?;
    let here = Line::of(original.get(index)?);
    let (key, _) = here.key()?;
    let (found, content) = (here.indent, here.content.to_string());
    let key = key.to_string();
    let mut nearest = true;
    for (_, l) in above(&original, index).take(MAX_ANCHORS) {
        let Some((expected, above_key, dash, has_value)) = l.anchor() else {
            nearest = false;
            continue;
        };
        let (line_above_indent, immediately_above) = (l.indent, nearest);
        nearest = false;
        if expected == found {
            continue;
        }
        lines[index] = format!("{}{content}", " ".repeat(expected));
        if !parses(&lines) {
            continue;
        }
        let message = if found > expected && immediately_above && has_value {
            format!("`{key}:` is indented more than `{above_key}:` above it, so it reads as part of that value")
        } else if found > expected {
            format!("`{key}:` is indented more than `{above_key}:` above it")
        } else if dash && found == line_above_indent {
            format!("`{key}:` is lined up with the `-` above it, not with `{above_key}:`, so it is not part of that item")
        } else {
            format!("`{key}:` is indented less than `{above_key}:` above it")
        };
        let help = match expected {
            0 => format!(
                "line `{key}:` up with `{above_key}:`: start it at the beginning of the line"
            ),
            n => format!(
                "line `{key}:` up with `{above_key}:`: indent it by {n} spaces instead of {found}"
            ),
        };
        return Some(Mend {
            line,
            column: found + 1,
            message,
            help,
        });
    }
    None
}

/// `key:value` with no space after the colon, which YAML reads as one piece of text.
pub(super) fn no_space_after_colon(text: &str, line: usize) -> Option<Mend> {
    let original = owned(text);
    let mut lines = original.clone();
    let index = line.checked_sub(1)?;
    let here = Line::of(original.get(index)?);
    let (key, value) = here.content.split_once(':')?;
    let plain_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !plain_key || value.is_empty() || value.starts_with([' ', '/']) {
        return None;
    }
    let (indent, column) = (here.indent, here.indent + key.chars().count() + 2);
    let written = here.content.to_string();
    let mended = format!("{key}: {value}");
    lines[index] = format!("{}{mended}", " ".repeat(indent));
    parses(&lines).then(|| Mend {
        line,
        column,
        message: format!("there is no space after the colon of `{key}:`, so YAML reads `{}` as one piece of text", brief(&written)),
        help: format!("put a space after the colon: `{}`", brief(&mended)),
    })
}

/// A line of plain text under `- ` items, at their indentation, that lacks its own `- `.
pub(super) fn missing_dash(text: &str, line: usize) -> Option<Mend> {
    let original = owned(text);
    let mut lines = original.clone();
    let index = line.checked_sub(1)?;
    let here = Line::of(original.get(index)?);
    let content = here.content.trim_end().to_string();
    if content.starts_with(['-', '[', '{', '#']) || content.contains(": ") || content.ends_with(':')
    {
        return None;
    }
    let (_, item) = above(&original, index).next()?;
    if !item.content.starts_with("- ") || item.indent != here.indent {
        return None;
    }
    let mended = format!("{}- {content}", " ".repeat(here.indent));
    lines[index] = mended.clone();
    parses(&lines).then(|| Mend {
        line,
        column: here.indent + 1,
        message: format!(
            "`{content}` has no `- ` before it, so it is not an item of the list above"
        ),
        help: format!(
            "start the line with `- `, like the item above: `{}`",
            mended.trim_start()
        ),
    })
}

/// `key: [a]` followed by `- b` lines: one list written in two styles.
pub(super) fn mixed_list(text: &str, line: usize) -> Option<Mend> {
    let original = owned(text);
    let mut lines = original.clone();
    let index = line.checked_sub(1)?;
    let here = Line::of(original.get(index)?);
    if !here.content.starts_with("- ") {
        return None;
    }
    let (key_index, key_line) =
        above(&original, index).find(|(_, l)| !l.content.starts_with("- "))?;
    let (key, rest) = key_line.key()?;
    let flow = rest.trim().strip_prefix('[')?.strip_suffix(']')?;
    let mut items: Vec<String> = flow
        .split(',')
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect();
    let mut item_lines = Vec::new();
    for (i, l) in original.iter().enumerate().skip(key_index + 1) {
        let l = Line::of(l);
        if l.is_blank() {
            continue;
        }
        match l.content.strip_prefix("- ") {
            Some(item) if l.indent > key_line.indent || l.indent == 0 => {
                items.push(item.trim().to_string());
                item_lines.push(i);
            }
            _ => break,
        }
    }
    let mended = format!("{key}: [{}]", items.join(", "));
    let (key, indent) = (key.to_string(), key_line.indent);
    lines[key_index] = format!("{}{mended}", " ".repeat(indent));
    for i in item_lines {
        lines[i].clear();
    }
    parses(&lines).then(|| Mend {
        line,
        column: here.indent + 1,
        message: format!("`{key}` is written as a `[…]` list, then goes on with `- ` items"),
        help: format!("write the list one way: `{}`", brief(&mended)),
    })
}

/// Line `index` of `lines` as `key: value` or `- key: value`: the line, the `- ` or nothing,
/// the key and the value (trimmed).
fn key_value_line(lines: &[String], index: usize) -> Option<(Line<'_>, &'static str, &str, &str)> {
    let here = Line::of(lines.get(index)?);
    let (dash, content) = match here.content.strip_prefix("- ") {
        Some(item) => ("- ", item),
        None => ("", here.content),
    };
    let (key, value) = key_and_rest(content)?;
    Some((here, dash, key, value.trim()))
}

/// A `: ` in a value that is not in quotes (straight or, pasted from a word processor,
/// curly): the line with its value in straight quotes.
pub(super) fn colon_in_value(text: &str, line: usize) -> Option<Mend> {
    let original = owned(text);
    let mut lines = original.clone();
    let index = line.checked_sub(1)?;
    let (here, dash, key, value) = key_value_line(&original, index)?;
    let colon = value.find(": ")?;
    let curly = value.starts_with(CURLY_QUOTES);
    let inner = if curly {
        value.trim_matches(|c: char| CURLY_QUOTES.contains(&c))
    } else {
        value
    };
    let quoted = format!(
        "{key}: \"{}\"",
        inner.replace('\\', "\\\\").replace('"', "\\\"")
    );
    let (indent, value_column) = (
        here.indent,
        here.indent + dash.len() + key.chars().count() + 3,
    );
    let colon_column = value_column + value[..colon].chars().count();
    lines[index] = format!("{}{dash}{quoted}", " ".repeat(indent));
    if !parses(&lines) {
        return None;
    }
    let (column, message) = if curly {
        let mark = value.chars().next().unwrap_or('“');
        (value_column, format!("`{mark}` is a curly quote, which YAML reads as part of the text rather than as quoting, so the `: ` inside the value is not allowed"))
    } else {
        (
            colon_column,
            format!("a `: ` inside the value of `{key}`, which is not in quotes"),
        )
    };
    let help = if curly {
        format!("use straight quotes: `{}`", brief(&quoted))
    } else {
        format!("put the whole value in quotes: `{}`", brief(&quoted))
    };
    Some(Mend {
        line,
        column,
        message,
        help,
    })
}

/// `key: "a quoted value" and more text`: the text after the closing quote, which YAML
/// does not take as part of the value, moved inside the quotes.
pub(super) fn text_after_quote(text: &str, line: usize) -> Option<Mend> {
    let original = owned(text);
    let mut lines = original.clone();
    let index = line.checked_sub(1)?;
    let (here, dash, key, value) = key_value_line(&original, index)?;
    let mark = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner_and_rest = &value[1..];
    // The closing mark: the first one not escaped (`\"` in double quotes, `''` in single).
    let bytes = inner_and_rest.as_bytes();
    let mut at = 0;
    let close = loop {
        let found = at + inner_and_rest[at..].find(mark)?;
        let escaped = match mark {
            '"' => found > 0 && bytes[found - 1] == b'\\',
            _ => bytes.get(found + 1) == Some(&b'\''),
        };
        if !escaped {
            break found;
        }
        at = found + if mark == '"' { 1 } else { 2 };
    };
    let (inner, rest) = (&inner_and_rest[..close], inner_and_rest[close + 1..].trim());
    if rest.is_empty() || rest.starts_with('#') {
        return None;
    }
    let rest = match mark {
        '"' => rest.replace('\\', "\\\\").replace('"', "\\\""),
        _ => rest.replace('\'', "''"),
    };
    let mended = format!("{key}: {mark}{inner} {rest}{mark}");
    lines[index] = format!("{}{dash}{mended}", " ".repeat(here.indent));
    // At the first character of the text after the quote.
    let after = &value[close + 2..];
    // The key holds no quote mark, so the line's first one opens the value.
    let start = original[index].find(mark).unwrap_or(0);
    let column = original[index][..start].chars().count()
        + value[..close + 2].chars().count()
        + (after.len() - after.trim_start().len())
        + 1;
    parses(&lines).then(|| Mend {
        line,
        column,
        message: format!(
            "text follows the closing quote of `{key}`'s value, where YAML expects none"
        ),
        help: format!("move the closing quote to the end: `{}`", brief(&mended)),
    })
}

/// A quoted value opened at (`line`, `column`) and never closed: closed at the end of its
/// line.
pub(super) fn unclosed_quote(text: &str, line: usize, column: usize) -> Option<Mend> {
    let original = owned(text);
    let mut lines = original.clone();
    let index = line.checked_sub(1)?;
    let here = lines.get(index)?.trim_end().to_string();
    let mark = here.chars().nth(column.checked_sub(1)?)?;
    if mark != '"' && mark != '\'' {
        return None;
    }
    lines[index] = format!("{here}{mark}");
    let closed = lines[index].trim_start().to_string();
    parses(&lines).then(|| Mend {
        line,
        column,
        message: "this quoted value is never closed".into(),
        help: format!("end it with the same quote mark: `{}`", brief(&closed)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_lined_up_with_the_nearest_key_that_makes_the_text_parse() {
        let text = "title: A\nsources:\n  - title: B\n   url: x\n";
        let mend = misaligned_key(text, 4).unwrap();
        assert_eq!(
            mend.message,
            "`url:` is indented less than `title:` above it"
        );
        assert_eq!(
            mend.help,
            "line `url:` up with `title:`: indent it by 4 spaces instead of 3"
        );
        let text = "title: A\ntheme:\n  - x\n region: S\n";
        let mend = misaligned_key(text, 4).unwrap();
        assert_eq!(
            mend.help,
            "line `region:` up with `theme:`: start it at the beginning of the line"
        );
    }

    #[test]
    fn advice_that_would_not_mend_is_not_given() {
        // Moving `b:` anywhere leaves the unclosed bracket.
        assert_eq!(misaligned_key("a: [x\n   b: y\n", 2), None);
        assert_eq!(no_space_after_colon("url:https://x\nb: [\n", 1), None);
    }

    #[test]
    fn a_tab_is_replaced_by_the_indentation_that_parses() {
        let text = "title: A\nsources:\n  - title: B\n\turl: x\n";
        let mend = tab(text, 4).unwrap();
        assert_eq!(
            mend.help,
            "indent the line with 4 spaces instead of the tab"
        );
    }
}
