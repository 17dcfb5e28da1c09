//! Markdown bodies to HTML: extensions, heading ids, links between cases, sanitising.

use std::collections::HashSet;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::content::{slugify, Case, Vocabulary};
use crate::error::Diagnostic;

/// Ids the built-in templates use, which headings in a body must not take (a test holds this
/// list equal to the ids the templates hold).
pub const RESERVED_IDS: &[&str] = &[
    "main",
    "casebook-sources",
    "casebook-related",
    "casebook-cite",
    "home-browse-heading",
    "home-recent-heading",
    "home-pictures-heading",
    "home-years-caption",
    "value-years-caption",
    "world-map-caption",
    "light-map-caption",
    "theme-chart-caption",
    "home-search-input",
    "search-form",
    "search-input",
    "search-filters",
    "search-status",
    "search-notice",
    "search-results",
    "search-browse",
    "search-browse-heading",
    "search-output",
    "search-results-heading",
    "search-keys",
    "search-layout",
    "search-tools",
    "search-sort",
    "search-filters-toggle",
    "search-chips",
    "search-chips-heading",
    "search-filters-heading",
    "value-tools",
    "value-filter",
    "value-status",
    "jump-bar",
    "value-groups",
    "notfound-search-input",
    "shortlist",
    "shortlist-heading",
    "compare",
    "compare-heading",
    "casebook-facets",
];

/// How to render one body.
pub struct MarkdownOptions<'a> {
    /// Publish raw HTML as written instead of sanitising it.
    pub unsafe_html: bool,
    /// Maps a relative link to a case file (`../x/other.md`) to that case's page URL.
    pub resolve_case_link: &'a (dyn Fn(&str) -> Option<String> + Sync),
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct RenderedBody {
    /// The HTML to put in the page.
    pub html: String,
    /// The words of the body as plain text, for search and snippets.
    pub text: String,
    /// The first paragraph as plain text, for a summary when the front matter has none.
    pub first_paragraph: Option<String>,
    /// The text of each heading of the body, in order: the page's own headings must not
    /// repeat one.
    pub headings: Vec<String>,
    /// The summary pages show: the front matter's, else the start of the first paragraph
    /// (filled in by the caller, which knows the front matter).
    pub summary: String,
    /// Links to `.md` files that are not cases, as (line in the body, 0-based; target).
    pub broken_links: Vec<(usize, String)>,
    /// Lines of the body (0-based) where a character reference (`&#1;`) named a character no
    /// page can hold, which was left out.
    pub left_out: Vec<usize>,
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders a Markdown body.
pub fn render(markdown: &str, options: &MarkdownOptions) -> RenderedBody {
    let mut body = RenderedBody::default();
    let mut events: Vec<Event> = Vec::new();
    let mut has_raw_html = false;
    let mut paragraph: Option<String> = None;
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(markdown, parser_options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = rewrite_link(&dest_url, options, &mut body, markdown, range.start);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = if is_dangerous(&dest_url) {
                    CowStr::from("")
                } else {
                    dest_url
                };
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs: _,
            }) => {
                // `# Title {onclick=…}` would reach the page as an attribute: only ids and
                // classes are kept.
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs: Vec::new(),
                })
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                has_raw_html = true;
                event
            }
            Event::Text(text) if text.chars().any(crate::text::is_forbidden) => {
                body.left_out
                    .push(markdown[..range.start].matches('\n').count());
                Event::Text(CowStr::from(
                    crate::text::without_forbidden(&text).into_owned(),
                ))
            }
            Event::TaskListMarker(done) => {
                // A disabled checkbox is an unlabelled form control to screen readers.
                Event::Text(CowStr::from(if done { "☑ " } else { "☐ " }))
            }
            other => other,
        };
        collect_text(
            &event,
            &mut body.text,
            &mut depth,
            &mut paragraph,
            &mut body.first_paragraph,
        );
        events.push(event);
    }
    demote_headings(&mut events);
    body.headings = assign_heading_ids(&mut events);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    body.html = if !has_raw_html {
        html
    } else if options.unsafe_html {
        without_attributes(&html, |name, value| {
            (URL_ATTRIBUTES.contains(&name) && is_dangerous(value))
                || (name == "id" && RESERVED_IDS.contains(&value))
        })
    } else {
        sanitise(&html)
    };
    body.text = collapse(&body.text);
    body
}

/// A case file rendered on its own: its case, its body and its warnings.
#[derive(Debug, Clone)]
pub struct RenderedCase {
    /// The case its front matter describes.
    pub case: Case,
    /// Its body as HTML and text.
    pub body: RenderedBody,
    /// Problems that do not stop it from being published.
    pub warnings: Vec<Diagnostic>,
}

/// Parses the bytes of the case file at `path` and renders its body as a build would (raw
/// HTML sanitised; links to other cases left as written), without reading or writing
/// anything: every problem found, or the case. Never panics, whatever the bytes.
pub fn render_case_file(
    path: &Path,
    bytes: &[u8],
    vocabulary: &Vocabulary,
) -> Result<RenderedCase, Vec<Diagnostic>> {
    let (case, warnings) = crate::content::parse_case(path, bytes, vocabulary)?;
    let options = MarkdownOptions {
        unsafe_html: false,
        resolve_case_link: &|_| None,
    };
    let body = render(&case.body, &options);
    Ok(RenderedCase {
        case,
        body,
        warnings,
    })
}

fn rewrite_link<'a>(
    dest: &CowStr<'a>,
    options: &MarkdownOptions,
    body: &mut RenderedBody,
    markdown: &str,
    offset: usize,
) -> CowStr<'a> {
    if is_dangerous(dest) {
        return CowStr::from("");
    }
    if dest.contains("://")
        || dest.starts_with('/')
        || dest.starts_with('#')
        || dest.starts_with("mailto:")
    {
        return dest.clone();
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (dest.as_ref(), None),
    };
    if !path.to_ascii_lowercase().ends_with(".md") {
        return dest.clone();
    }
    match (options.resolve_case_link)(path) {
        Some(url) => CowStr::from(match fragment {
            Some(f) => format!("{url}#{f}"),
            None => url,
        }),
        None => {
            let line = markdown[..offset].matches('\n').count();
            body.broken_links.push((line, dest.to_string()));
            dest.clone()
        }
    }
}

/// `javascript:` and similar schemes run code when clicked; they never reach a page.
fn is_dangerous(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take_while(|&c| c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    url.contains(':') && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")
}

fn collect_text(
    event: &Event,
    text: &mut String,
    depth: &mut usize,
    paragraph: &mut Option<String>,
    first_paragraph: &mut Option<String>,
) {
    match event {
        Event::Start(Tag::Paragraph) => {
            if *depth == 0 && first_paragraph.is_none() {
                *paragraph = Some(String::new());
            }
            *depth += 1;
        }
        Event::End(TagEnd::Paragraph) => {
            *depth = depth.saturating_sub(1);
            if let Some(p) = paragraph.take() {
                let p = collapse(&p);
                if !p.is_empty() {
                    *first_paragraph = Some(p);
                }
            }
            text.push('\n');
        }
        Event::Start(
            Tag::List(_) | Tag::BlockQuote(_) | Tag::Table(_) | Tag::FootnoteDefinition(_),
        ) => *depth += 1,
        Event::End(
            TagEnd::List(_) | TagEnd::BlockQuote(_) | TagEnd::Table | TagEnd::FootnoteDefinition,
        ) => {
            *depth = depth.saturating_sub(1);
            text.push('\n');
        }
        Event::Text(t) | Event::Code(t) => {
            text.push_str(t);
            if let Some(p) = paragraph.as_mut() {
                p.push_str(t);
            }
        }
        Event::SoftBreak | Event::HardBreak => {
            text.push(' ');
            if let Some(p) = paragraph.as_mut() {
                p.push(' ');
            }
        }
        Event::End(TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell) => text.push('\n'),
        _ => {}
    }
}

/// Moves every heading one level down when the body uses `# Heading`: the page's only
/// `<h1>` is the case's title, and the body's outline must sit under it.
fn demote_headings(events: &mut [Event]) {
    let has_h1 = events.iter().any(|e| {
        matches!(
            e,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })
        )
    });
    if !has_h1 {
        return;
    }
    let lower = |level: HeadingLevel| match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    };
    for event in events.iter_mut() {
        match event {
            Event::Start(Tag::Heading { level, .. }) | Event::End(TagEnd::Heading(level)) => {
                *level = lower(*level);
            }
            _ => {}
        }
    }
}

/// Gives every heading an id (its text as a slug, unique in the page) so it can be linked;
/// returns the headings' texts.
fn assign_heading_ids(events: &mut [Event]) -> Vec<String> {
    let mut texts = Vec::new();
    let mut used: HashSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id, .. }) = &events[i] {
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = explicit
                .map(|e| slugify(&e))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| {
                    let slug = slugify(&text);
                    if slug.is_empty() {
                        "section".to_string()
                    } else {
                        slug
                    }
                });
            let mut unique = base.clone();
            let mut n = 1;
            while !used.insert(unique.clone()) {
                unique = format!("{base}-{n}");
                n += 1;
            }
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(unique));
            }
            texts.push(collapse(&text));
            i = j;
        }
        i += 1;
    }
    texts
}

/// Cleans raw HTML from a body: keeps formatting, drops scripts, styles, event handlers,
/// and `javascript:` URLs.
fn sanitise(html: &str) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tag_attributes("h1", ["id"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .add_tag_attributes("div", ["id", "class"])
        .add_tag_attributes("sup", ["id", "class"])
        .add_tag_attributes("li", ["id"])
        .add_tag_attributes("section", ["class"])
        .add_tag_attributes("ol", ["class"])
        .add_tags(["section"])
        // The theme's own ids (`main`, the search page's) stay unique on every page.
        .attribute_filter(|_, attribute, value| {
            (attribute != "id" || !RESERVED_IDS.contains(&value)).then_some(value.into())
        })
        .link_rel(Some("noopener"));
    builder.clean(html).to_string()
}

/// Attributes whose value a browser follows or loads as a URL.
const URL_ATTRIBUTES: [&str; 5] = ["href", "src", "action", "formaction", "xlink:href"];

/// Raw HTML published as written (`unsafe_html: true`), less the attributes `drop` picks by
/// name (lowercased) and value: URL attributes with a `javascript:`, `vbscript:` or `data:`
/// URL, as from Markdown links, and ids the theme's pages use. A small scanner of start tags,
/// whose values are decoded as a browser decodes them (character references, with or without
/// `;`) before `drop` sees them.
fn without_attributes(html: &str, drop: impl Fn(&str, &str) -> bool) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        at = start + 1;
        if html[start..].starts_with("<!--") {
            at = html[start..]
                .find("-->")
                .map_or(html.len(), |end| start + end + 3);
            continue;
        }
        if !bytes.get(at).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        // The tag's name, then its attributes up to `>`.
        while at < bytes.len()
            && !matches!(
                bytes[at],
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>'
            )
        {
            at += 1;
        }
        loop {
            while at < bytes.len()
                && matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/')
            {
                at += 1;
            }
            if at >= bytes.len() || bytes[at] == b'>' {
                break;
            }
            let name_start = at;
            while at < bytes.len()
                && !matches!(
                    bytes[at],
                    b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>' | b'='
                )
            {
                at += 1;
            }
            let name = html[name_start..at].to_ascii_lowercase();
            let mut value = "";
            let mut probe = at;
            while probe < bytes.len()
                && matches!(bytes[probe], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
            {
                probe += 1;
            }
            if bytes.get(probe) == Some(&b'=') {
                probe += 1;
                while probe < bytes.len()
                    && matches!(bytes[probe], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
                {
                    probe += 1;
                }
                match bytes.get(probe) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let end = html[probe + 1..]
                            .find(quote as char)
                            .map_or(html.len(), |e| probe + 1 + e);
                        value = &html[probe + 1..end];
                        at = (end + 1).min(html.len());
                    }
                    _ => {
                        let end = html[probe..]
                            .find([' ', '\t', '\n', '\r', '\x0c', '>'])
                            .map_or(html.len(), |e| probe + e);
                        value = &html[probe..end];
                        at = end;
                    }
                }
            }
            if drop(&name, &decode_references(value)) {
                out.push_str(&html[copied..name_start]);
                copied = at;
            }
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// `text` with numeric character references (`&#106;`, `&#x6A`) and the named ones that can
/// spell a scheme's colon or hide it (`&colon;`, `&Tab;`, `&NewLine;`) decoded.
fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let named = [("&colon;", ':'), ("&tab;", '\t'), ("&newline;", '\n')]
            .into_iter()
            .find(|(name, _)| {
                rest.get(..name.len())
                    .is_some_and(|r| r.eq_ignore_ascii_case(name))
            });
        if let Some((name, ch)) = named {
            out.push(ch);
            rest = &rest[name.len()..];
            continue;
        }
        let (digits, radix) = match rest.as_bytes().get(1..3) {
            Some([b'#', b'x' | b'X']) => (&rest[3..], 16),
            Some([b'#', _]) => (&rest[2..], 10),
            _ => ("", 0),
        };
        let len = digits
            .find(|c: char| !c.is_digit(radix.max(2)))
            .unwrap_or(digits.len());
        match u32::from_str_radix(&digits[..len], radix.max(2))
            .ok()
            .and_then(char::from_u32)
        {
            Some(ch) if radix > 0 && len > 0 => {
                out.push(ch);
                let used = rest.len() - digits.len() + len;
                rest = &rest[used..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` with each line's words one space apart and blank lines dropped.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut words = line.split_whitespace();
        let Some(first) = words.next() else {
            continue;
        };
        if !out.is_empty() {
            out.push('\n');
        }
        push_words(&mut out, first, words);
    }
    out
}

/// Appends `first`, then each of `rest` after a space.
fn push_words<'t>(out: &mut String, first: &str, rest: impl Iterator<Item = &'t str>) {
    out.push_str(first);
    for word in rest {
        out.push(' ');
        out.push_str(word);
    }
}

/// Shortens plain text to about `max` characters at a word boundary, adding "…".
pub fn truncate_words(text: &str, max: usize) -> String {
    let mut single_line = String::with_capacity(text.len());
    let mut words = text.split_whitespace();
    if let Some(first) = words.next() {
        push_words(&mut single_line, first, words);
    }
    // No more bytes than `max` is no more characters.
    if single_line.len() <= max || single_line.chars().count() <= max {
        return single_line;
    }
    let cut: String = single_line.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_simple(markdown: &str) -> RenderedBody {
        let resolve = |path: &str| (path == "other.md").then(|| "/cases/other/".to_string());
        render(
            markdown,
            &MarkdownOptions {
                unsafe_html: false,
                resolve_case_link: &resolve,
            },
        )
    }

    #[test]
    fn raw_html_keeps_to_safe_urls_and_free_ids_even_when_published_as_written() {
        let raw = concat!(
            "<a href=\"javascript:alert(1)\">a</a> <a HREF = 'JaVa&#83;cript&colon;x()'>b</a> ",
            "<a href=&#x6A;avascript:x()>c</a> <iframe src=\"java\tscript:x\"></iframe> ",
            "<a href=\"https://example.org/\" onclick=\"x()\">d</a> ",
            "<div id=\"main\">e</div> <div id=\"mine\">f</div> <!-- <a href=\"javascript:\"> -->\n"
        );
        let trusted = render(
            raw,
            &MarkdownOptions {
                unsafe_html: true,
                resolve_case_link: &|_| None,
            },
        );
        let sanitised = render_simple(raw);
        for html in [&trusted.html, &sanitised.html] {
            let lower = html.to_ascii_lowercase();
            for scheme in [
                "javascript:",
                "java&#83;cript",
                "&#x6a;avascript",
                "java\tscript",
            ] {
                let outside_comment = lower.split("<!--").next().unwrap_or_default();
                assert!(!outside_comment.contains(scheme), "{scheme}: {html}");
            }
            assert!(!html.contains("id=\"main\""), "{html}");
            assert!(html.contains("id=\"mine\""), "{html}");
            assert!(html.contains("href=\"https://example.org/\""), "{html}");
        }
        assert!(
            trusted.html.contains("onclick=\"x()\""),
            "as written otherwise"
        );
        // Cut tags, unclosed quotes and letters of any script never trip the scanner.
        for cut in [
            "<a href=",
            "<a href='",
            "<a href=\"java",
            "<a hr\u{e9}f=\"javascript:x\">",
            "<\u{e4}>",
            "<a\u{1F600}=x>",
            "<a href=&#",
            "<a href=&#x;",
            "<a href=&#xFFFFFFFF;>",
            "<!--",
            "<a =x>",
        ] {
            let _ = without_attributes(cut, |_, _| true);
            let _ = decode_references(cut);
        }
        let dropped = without_attributes("<a href=&#x6A;avascript:x>c", |name, value| {
            name == "href" && is_dangerous(value)
        });
        assert_eq!(dropped, "<a >c");
    }

    #[test]
    fn case_links_point_at_case_pages() {
        let body = render_simple("See [other](other.md#why) and [missing](nope.md).\n");
        assert!(
            body.html.contains(r#"href="/cases/other/#why""#),
            "{}",
            body.html
        );
        assert_eq!(body.broken_links, vec![(0, "nope.md".to_string())]);
    }

    #[test]
    fn headings_get_unique_ids() {
        let body = render_simple("## What they did\n\n## What they did\n\n## Main\n");
        assert!(body.html.contains(r#"<h2 id="what-they-did">"#));
        assert!(body.html.contains(r#"<h2 id="what-they-did-1">"#));
        assert!(
            body.html.contains(r#"<h2 id="main-1">"#),
            "reserved ids are avoided"
        );
    }

    #[test]
    fn a_body_with_h1_headings_is_moved_under_the_page_title() {
        let body = render_simple("# Context\n\n## Detail\n\nText.\n");
        assert!(body.html.contains(r#"<h2 id="context">"#), "{}", body.html);
        assert!(body.html.contains(r#"<h3 id="detail">"#), "{}", body.html);
        let unchanged = render_simple("## Context\n");
        assert!(unchanged.html.contains(r#"<h2 id="context">"#));
    }

    #[test]
    fn extensions_and_smart_punctuation() {
        let body = render_simple("|a|b|\n|-|-|\n|1|2|\n\n~~old~~ \"quoted\" it's\n\n- [x] done\n\nNote[^1].\n\n[^1]: A footnote.\n");
        assert!(body.html.contains("<table>"));
        assert!(body.html.contains("<del>old</del>"));
        assert!(body.html.contains("“quoted” it’s"));
        assert!(body.html.contains("☑"));
        assert!(body.html.contains("footnote-definition"));
    }

    #[test]
    fn raw_html_and_script_links_are_removed() {
        let body = render_simple(
            "<script>alert(1)</script><b onclick=\"x()\">bold</b>\n\n[x](javascript:alert(1))\n",
        );
        assert!(!body.html.contains("<script"), "{}", body.html);
        assert!(!body.html.contains("onclick"));
        assert!(!body.html.contains("javascript:"));
        assert!(body.html.contains("<b>bold</b>"));
    }

    #[test]
    fn heading_attributes_cannot_add_event_handlers() {
        let body = render_simple("# Title {#intro .wide onclick=alert(1)}\n");
        assert!(!body.html.contains("onclick"), "{}", body.html);
        assert!(body.html.contains(r#"id="intro""#), "{}", body.html);
        assert!(body.html.contains(r#"class="wide""#), "{}", body.html);
    }

    #[test]
    fn a_case_file_renders_from_its_bytes() {
        let file = "---\ntitle: A\ntheme: t\nregion: r\norganisation: o\napproach: a\n---\n<script>x()</script>Hello\n";
        let rendered =
            render_case_file(Path::new("a.md"), file.as_bytes(), &Vocabulary::default()).unwrap();
        assert_eq!(rendered.case.title, "A");
        assert!(
            !rendered.body.html.contains("<script"),
            "{}",
            rendered.body.html
        );
        assert!(render_case_file(Path::new("a.md"), b"\xff", &Vocabulary::default()).is_err());
    }

    #[test]
    fn first_paragraph_and_text() {
        let body = render_simple("## Heading\n\nFirst *para*\ngraph.\n\nSecond.\n");
        assert_eq!(body.first_paragraph.as_deref(), Some("First para graph."));
        assert_eq!(body.text, "Heading\nFirst para graph.\nSecond.");
    }

    #[test]
    fn truncates_at_a_word() {
        assert_eq!(truncate_words("one two three four", 9), "one two…");
        assert_eq!(truncate_words("short", 9), "short");
    }
}
