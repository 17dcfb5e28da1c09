//! Splitting a case file into its YAML front matter and its Markdown body.

use std::path::Path;

use crate::error::Diagnostic;

/// A case file split in two, with the file line each part starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitFile {
    /// The YAML between the `---` lines.
    pub yaml: String,
    /// File line of the YAML's first line.
    pub yaml_line: usize,
    /// The Markdown after the closing `---`.
    pub body: String,
    /// File line of the body's first line.
    pub body_line: usize,
}

/// Splits a case file's bytes; accepts a UTF-8 byte order mark and CRLF line endings.
pub fn split(path: &Path, bytes: &[u8]) -> Result<SplitFile, Diagnostic> {
    let text = decode_text(path, bytes)?;
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    };
    if text.trim().is_empty() {
        return Err(Diagnostic::error(path, 1, "the file is empty")
            .with_help("a case starts with `---`, its front matter (title, theme, region, organisation, approach), `---`, then the text"));
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if !is_fence(first) {
        return Err(Diagnostic::error(
            path,
            1,
            "no front matter: the file must start with a `---` line",
        )
        .with_help("add `---`, then `title: …` and the other fields, then `---` above the text"));
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (index, line) in lines.enumerate() {
        if is_fence(line) || line.trim_end() == "..." {
            return Ok(SplitFile {
                yaml: text[yaml_start..offset].to_string(),
                yaml_line: 2,
                body: text[offset + line.len()..].to_string(),
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        path,
        1,
        "the front matter is not closed: no second `---` line",
    )
    .with_help("end the front matter with a line holding only `---`"))
}

/// A warning at each line of `file` holding text saved as UTF-8 and read back in another
/// encoding ([`misdecoded`]: "cityâ€™s"), which conversions from other systems leave; the
/// text is kept as written, since only its editor can be sure what was meant.
pub fn misdecoded_text(path: &Path, file: &SplitFile) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (text, first_line) in [(&file.yaml, file.yaml_line), (&file.body, file.body_line)] {
        // A garbled run begins with one of "Â" to "ô" (U+00C2 to U+00F4), which UTF-8 writes
        // as the byte 0xC3 and another: most texts, curly quotes and all, have none.
        if !has_latin_1_letter(text) {
            continue;
        }
        for (index, line) in text.lines().enumerate() {
            if !has_latin_1_letter(line) {
                continue;
            }
            let Some((column, garbled, meant)) = misdecoded(line) else {
                continue;
            };
            let message = format!(
                "“{garbled}” looks like “{meant}” saved in one encoding and read in another"
            );
            let help = format!(
                "replace every “{garbled}” with “{meant}”; if much of the file looks like this, export it again as UTF-8 from the program it came from"
            );
            warnings.push(
                Diagnostic::warning(path, first_line + index, message)
                    .at_column(column + 1)
                    .with_help(help),
            );
        }
    }
    warnings
}

/// Whether `text` has a character of U+00C0 to U+00FF (its UTF-8 begins with 0xC3).
fn has_latin_1_letter(text: &str) -> bool {
    text.as_bytes().contains(&0xc3)
}

/// The characters Windows-1252 puts at bytes 0x80 to 0x9F, U+FFFD where it has none; the
/// bytes 0xA0 to 0xFF are the Latin-1 characters of the same numbers.
const WINDOWS_1252_HIGH: &str =
    "€\u{fffd}‚ƒ„…†‡ˆ‰Š‹Œ\u{fffd}Ž\u{fffd}\u{fffd}‘’“”•–—˜™š›œ\u{fffd}žŸ";

/// The Windows-1252 byte of `c`, if it has one above ASCII.
fn windows_1252_byte(c: char) -> Option<u8> {
    match c as u32 {
        code @ 0xa0..=0xff => Some(code as u8),
        _ if c == '\u{fffd}' => None,
        _ => WINDOWS_1252_HIGH
            .chars()
            .position(|high| high == c)
            .map(|i| 0x80 + i as u8),
    }
}

/// Text saved as UTF-8 and read back as Windows-1252 ("â€™" for "’", "Ã©" for "é"): the first
/// such run in `line`, as (its column in characters, 0-based; the run; the character meant).
/// Runs that read as plain accented letters (a lone "Ã" before a letter) are not taken.
fn misdecoded(line: &str) -> Option<(usize, String, char)> {
    let chars: Vec<char> = line.chars().collect();
    for (column, &first) in chars.iter().enumerate() {
        // A UTF-8 lead byte of a 2-, 3- or 4-byte character (Latin-1 letters, whose
        // Windows-1252 bytes are their own numbers), then its continuation bytes.
        let length = match u32::from(first) {
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            _ => continue,
        };
        let Some(run) = chars.get(column..column + length) else {
            continue;
        };
        let bytes: Option<Vec<u8>> = run.iter().map(|&c| windows_1252_byte(c)).collect();
        let Some(bytes) = bytes.filter(|b| b[1..].iter().all(|&x| (0x80..=0xbf).contains(&x)))
        else {
            continue;
        };
        if let Some(meant) = std::str::from_utf8(&bytes)
            .ok()
            .and_then(|s| s.chars().next())
        {
            return Some((column, run.iter().collect(), meant));
        }
    }
    None
}

/// Drops from both parts of `file` the characters no page or feed may hold
/// ([`crate::text::is_forbidden`]), with a warning at each line that had one.
pub fn drop_forbidden(path: &Path, file: &mut SplitFile) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (text, first_line) in [
        (&mut file.yaml, file.yaml_line),
        (&mut file.body, file.body_line),
    ] {
        if !text.chars().any(crate::text::is_forbidden) {
            continue;
        }
        for (index, line) in text.lines().enumerate() {
            let Some((column, c)) = line
                .chars()
                .enumerate()
                .find(|&(_, c)| crate::text::is_forbidden(c))
            else {
                continue;
            };
            let found = line
                .chars()
                .filter(|&c| crate::text::is_forbidden(c))
                .count();
            let message = if found == 1 {
                format!(
                    "a control character (U+{:04X}) that no page can hold was left out",
                    c as u32
                )
            } else {
                format!("{found} control characters (the first U+{:04X}) that no page can hold were left out", c as u32)
            };
            warnings.push(
                Diagnostic::warning(path, first_line + index, message)
                    .at_column(column + 1)
                    .with_help("they are invisible, often pasted from another program; delete them to silence this"),
            );
        }
        *text = crate::text::without_forbidden(text).into_owned();
    }
    warnings
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// The bytes of a file as text without its byte order mark, or an error at the first byte
/// that is not text.
pub fn decode_text(path: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        let (line, column) = position_of_byte(bytes, nul);
        return Err(
            Diagnostic::error(path, line, "this is a binary file, not Markdown text")
                .at_column(column)
                .with_help("a case file holds text; move the file out of content/ or give it another extension than .md"),
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(crate::text::strip_bom(text).to_string()),
        Err(e) => {
            let (line, column) = position_of_byte(bytes, e.valid_up_to());
            Err(Diagnostic::error(path, line, "the file is not UTF-8 text")
                .at_column(column)
                .with_help("save it as UTF-8 in your editor"))
        }
    }
}

/// 1-based line and column (in characters) of byte `index`, all bytes before it being text.
fn position_of_byte(bytes: &[u8], index: usize) -> (usize, usize) {
    let before = &bytes[..index];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_read_in_the_wrong_encoding_is_found_with_what_it_meant() {
        assert_eq!(
            misdecoded("the cityâ€™s users"),
            Some((8, "â€™".to_string(), '’'))
        );
        assert_eq!(misdecoded("cafÃ© crÃ¨me"), Some((3, "Ã©".to_string(), 'é')));
        assert_eq!(misdecoded("RMGÂ® gold"), Some((3, "Â®".to_string(), '®')));
        for fine in [
            "São Paulo",
            "Ærø, Ångström",
            "naïve café — 50 €",
            "Ã",
            "Â",
            "\u{fffd}",
        ] {
            assert_eq!(misdecoded(fine), None, "{fine}");
        }
    }

    fn split_str(text: &str) -> Result<SplitFile, Diagnostic> {
        split(Path::new("a.md"), text.as_bytes())
    }

    #[test]
    fn splits_and_counts_lines() {
        let file = split_str("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(file.yaml, "title: A\n");
        assert_eq!(file.body, "Body\n");
        assert_eq!(file.yaml_line, 2);
        assert_eq!(file.body_line, 4);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let file = split_str("\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(file.yaml, "title: A\n");
        assert_eq!(file.body, "Body\n");
    }

    #[test]
    fn rejects_missing_and_unterminated_front_matter() {
        assert!(split_str("# Just text\n")
            .unwrap_err()
            .message
            .contains("no front matter"));
        assert!(split_str("---\ntitle: A\n")
            .unwrap_err()
            .message
            .contains("not closed"));
        assert!(split_str("").unwrap_err().message.contains("empty"));
    }

    #[test]
    fn reports_where_a_binary_file_has_its_first_nul() {
        let d = split(Path::new("a.md"), b"---\ntitle: A\x00\n").unwrap_err();
        assert_eq!((d.line, d.column), (2, 9));
        assert!(d.message.contains("binary"));
    }

    #[test]
    fn reports_the_line_of_invalid_utf8() {
        let d = split(Path::new("a.md"), b"---\ntitle: \xff\n---\n").unwrap_err();
        assert_eq!(d.line, 2);
        assert_eq!(d.column, 8);
    }
}
