//! Small text rules more than one layer needs, written once: HTML escaping, percent-decoding,
//! the byte order mark, the characters no page or feed may hold, and folding (the analyzer's,
//! which titles are also sorted by).
//! Layer-free, like [`crate::error`].

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// The byte order mark some editors put at the start of a UTF-8 file.
const BOM: char = '\u{feff}';

/// `text` without a leading byte order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix(BOM).unwrap_or(text)
}

/// Whether `c` may not appear in a page or a feed: the control characters XML 1.0 forbids
/// (all below U+0020 but tab, line feed and carriage return), the C1 controls HTML forbids
/// (U+0080 to U+009F, often left by a wrong conversion from Windows-1252), and the
/// noncharacters (U+FDD0 to U+FDEF, and the last two of every plane, U+FFFE and U+FFFF among
/// them). Content is read without them, so pages, feed, open data and search all agree.
pub fn is_forbidden(c: char) -> bool {
    let code = c as u32;
    (code < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
        || (0x7f..=0x9f).contains(&code)
        || (0xfdd0..=0xfdef).contains(&code)
        || code & 0xfffe == 0xfffe
}

/// `text` without its [forbidden](is_forbidden) characters (borrowed when it has none).
pub fn without_forbidden(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_forbidden) {
        text.chars()
            .filter(|&c| !is_forbidden(c))
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// Escapes text for HTML and XML, in element content and in quoted attributes alike.
///
/// tera's own escaper also escapes `/`, which makes URLs in feeds and sitemaps unreadable to
/// people for no gain in safety; this one is used for templates and the preview server both.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    // The five are ASCII: the text between them is copied whole, cut at character bounds.
    let mut copied = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            _ => continue,
        };
        out.push_str(&text[copied..at]);
        out.push_str(escaped);
        copied = at + 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// Decodes `%XX` escapes; `None` when an escape is malformed or the bytes are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Maps letters that do not decompose (and typographic joiners) to plain ones.
pub fn fold_letter(c: char, out: &mut String) {
    match c {
        'ø' => out.push('o'),
        'đ' | 'ð' => out.push('d'),
        'ħ' => out.push('h'),
        'ı' => out.push('i'),
        'ł' | 'ŀ' => out.push('l'),
        'ŧ' => out.push('t'),
        'þ' => out.push_str("th"),
        'æ' => out.push_str("ae"),
        'œ' => out.push_str("oe"),
        'ß' => out.push_str("ss"),
        '\u{2019}' | '\u{2018}' | '\u{02bc}' => out.push('\''),
        '\u{2010}' | '\u{2011}' => out.push('-'),
        '\u{00ad}' => {}
        other => out.push(other),
    }
}

/// Lowercases and folds one character into `out`.
pub fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for lower in c.to_lowercase() {
        decompose_canonical(lower, |d| {
            if !is_combining_mark(d) {
                fold_letter(d, out);
            }
        });
    }
}

/// `text` lowercased and folded as the analyzer folds it: what titles are sorted by, so that
/// every side sorts them alike, never by a locale's collation.
pub fn folded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_no_page_or_feed_may_hold_are_dropped() {
        let bad = "a\u{0}b\u{1}c\u{1b}d\u{7f}e\u{9d}f\u{fdd0}g\u{fffe}h\u{ffff}i\u{1fffe}j";
        assert_eq!(without_forbidden(bad), "abcdefghij");
        let good = "tab\tline\ncr\r – é ✓ \u{fffd} \u{1f600}";
        assert!(matches!(
            without_forbidden(good),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn escapes_markup_and_quotes_but_not_slashes() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom's & co</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom&#x27;s &amp; co&lt;/a&gt;"
        );
    }

    #[test]
    fn percent_decoding_is_strict() {
        assert_eq!(
            percent_decode("sein%C3%A4joki.md").as_deref(),
            Some("seinäjoki.md")
        );
        assert_eq!(percent_decode("plain").as_deref(), Some("plain"));
        assert_eq!(percent_decode("100%"), None);
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(
            percent_decode("%+1"),
            None,
            "from_str_radix would take a sign"
        );
        assert_eq!(percent_decode("%ff"), None, "not UTF-8");
    }

    #[test]
    fn titles_fold_as_the_analyzer_folds_words() {
        assert_eq!(folded("Seinäjoki’s Care"), "seinajoki's care");
        assert_eq!(folded("Ørsted & Straße"), "orsted & strasse");
    }

    #[test]
    fn a_bom_is_stripped_once() {
        assert_eq!(strip_bom("\u{feff}---"), "---");
        assert_eq!(strip_bom("---"), "---");
    }
}
