//! Checks a feed against the Atom format (RFC 4287): well-formed XML, a root `feed` in the Atom
//! namespace, only Atom elements where Atom puts them, the required elements of the feed and of
//! each entry exactly once, dates in RFC 3339, absolute ids, and a `rel="self"` link.

use std::collections::HashSet;

use super::xml::{Document, Element};

/// The Atom namespace.
pub const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// Children a `feed` may have.
const FEED_CHILDREN: &[&str] = &[
    "author",
    "category",
    "contributor",
    "generator",
    "icon",
    "id",
    "link",
    "logo",
    "rights",
    "subtitle",
    "title",
    "updated",
    "entry",
];

/// Children an `entry` may have.
const ENTRY_CHILDREN: &[&str] = &[
    "author",
    "category",
    "content",
    "contributor",
    "id",
    "link",
    "published",
    "rights",
    "source",
    "summary",
    "title",
    "updated",
];

/// Children of a person (`author`, `contributor`).
const PERSON_CHILDREN: &[&str] = &["name", "uri", "email"];

/// Every way `text` falls short of an Atom feed whose `rel="self"` link is `self_url`; empty
/// when it is a valid one.
pub fn atom_problems(text: &str, self_url: &str) -> Vec<String> {
    let doc = match Document::parse(text) {
        Ok(doc) => doc,
        Err(why) => return vec![format!("not well-formed XML: {why}")],
    };
    let mut problems = Vec::new();
    let root = doc.root();
    if root.name != "feed" {
        problems.push(format!("the root element is <{}>, not <feed>", root.name));
        return problems;
    }
    if root.attr("xmlns") != Some(ATOM_NS) {
        problems.push(format!(
            "<feed> is not in the Atom namespace: xmlns={:?}",
            root.attr("xmlns")
        ));
    }
    let feed_has_author = doc.children(0, "author").next().is_some();
    check_children(&doc, 0, "feed", FEED_CHILDREN, &mut problems);
    check_common(&doc, 0, "feed", &mut problems);
    for (i, _) in doc.children(0, "subtitle") {
        check_text_construct(&doc.elements[i], "feed", &mut problems);
    }
    for name in ["generator", "icon", "logo", "rights", "subtitle"] {
        at_most_one(&doc, 0, "feed", name, &mut problems);
    }
    let selves: Vec<&Element> = links(&doc, 0)
        .filter(|l| l.attr("rel") == Some("self"))
        .collect();
    match selves.as_slice() {
        [only] if only.attr("href") == Some(self_url) => {}
        [only] => problems.push(format!(
            "feed: the rel=\"self\" link is {:?}, not {self_url}",
            only.attr("href")
        )),
        _ => problems.push(format!(
            "feed: {} rel=\"self\" links, not one",
            selves.len()
        )),
    }

    let mut ids = HashSet::new();
    for (n, (entry, _)) in doc.children(0, "entry").enumerate() {
        let what = format!("entry {}", n + 1);
        check_children(&doc, entry, &what, ENTRY_CHILDREN, &mut problems);
        check_common(&doc, entry, &what, &mut problems);
        for name in ["content", "published", "rights", "source", "summary"] {
            at_most_one(&doc, entry, &what, name, &mut problems);
        }
        for (i, _) in doc.children(entry, "summary") {
            check_text_construct(&doc.elements[i], &what, &mut problems);
        }
        for (_, published) in doc.children(entry, "published") {
            check_date(
                &published.text,
                &format!("{what}: <published>"),
                &mut problems,
            );
        }
        if let Some(id) = doc.child_text(entry, "id") {
            if !ids.insert(id.trim().to_string()) {
                problems.push(format!("{what}: the id {id} is used by another entry"));
            }
        }
        let has_content = doc.children(entry, "content").next().is_some();
        if !has_content
            && !links(&doc, entry).any(|l| l.attr("rel").unwrap_or("alternate") == "alternate")
        {
            problems.push(format!(
                "{what}: neither <content> nor a rel=\"alternate\" link"
            ));
        }
        if !feed_has_author && doc.children(entry, "author").next().is_none() {
            problems.push(format!("{what}: no <author>, and the feed has none"));
        }
    }
    problems
}

/// `parent`'s unprefixed children are among `allowed`; persons hold only `name`, `uri`, `email`.
fn check_children(
    doc: &Document,
    parent: usize,
    what: &str,
    allowed: &[&str],
    problems: &mut Vec<String>,
) {
    for (i, child) in doc.elements.iter().enumerate() {
        if child.parent != Some(parent) || child.name.contains(':') {
            continue; // foreign markup is in its own namespace
        }
        if !allowed.contains(&child.name.as_str()) {
            problems.push(format!(
                "{what}: <{}> is not an Atom element here",
                child.name
            ));
        }
        if child.name == "author" || child.name == "contributor" {
            let person = format!("{what}: <{}>", child.name);
            check_children(doc, i, &person, PERSON_CHILDREN, problems);
            exactly_one(doc, i, &person, "name", problems);
            at_most_one(doc, i, &person, "uri", problems);
            at_most_one(doc, i, &person, "email", problems);
        }
    }
}

/// What a feed and an entry share: one id (an absolute IRI), one title, one updated date;
/// links with an href, no two alternates for one type and language; categories with a term.
fn check_common(doc: &Document, parent: usize, what: &str, problems: &mut Vec<String>) {
    for name in ["id", "title", "updated"] {
        exactly_one(doc, parent, what, name, problems);
    }
    if let Some(id) = doc.child_text(parent, "id") {
        let id = id.trim();
        let scheme = id.split(':').next().unwrap_or("");
        let absolute = id.contains(':')
            && !scheme.is_empty()
            && scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if !absolute {
            problems.push(format!("{what}: the id {id:?} is not an absolute IRI"));
        }
    }
    for (i, _) in doc.children(parent, "title") {
        check_text_construct(&doc.elements[i], what, problems);
        if doc.elements[i].text.trim().is_empty() {
            problems.push(format!("{what}: an empty <title>"));
        }
    }
    if let Some(updated) = doc.child_text(parent, "updated") {
        check_date(updated, &format!("{what}: <updated>"), problems);
    }
    let mut alternates = HashSet::new();
    for link in links(doc, parent) {
        match link.attr("href") {
            Some(href) if !href.trim().is_empty() => {}
            _ => problems.push(format!("{what}: a <link> without an href")),
        }
        if link.attr("rel").unwrap_or("alternate") == "alternate" {
            let key = (link.attr("type"), link.attr("hreflang"));
            if !alternates.insert(key) {
                problems.push(format!(
                    "{what}: two rel=\"alternate\" links of type {:?}",
                    key.0
                ));
            }
        }
    }
    for (_, category) in doc.children(parent, "category") {
        if category.attr("term").is_none_or(|t| t.is_empty()) {
            problems.push(format!("{what}: a <category> without a term"));
        }
    }
}

/// A text construct's `type` is text, html or xhtml.
fn check_text_construct(element: &Element, what: &str, problems: &mut Vec<String>) {
    if let Some(kind) = element.attr("type") {
        if !["text", "html", "xhtml"].contains(&kind) {
            problems.push(format!("{what}: <{}> has type {kind:?}", element.name));
        }
    }
}

/// The `link` children of `parent`.
fn links(doc: &Document, parent: usize) -> impl Iterator<Item = &Element> + '_ {
    doc.children(parent, "link").map(|(_, l)| l)
}

fn exactly_one(doc: &Document, parent: usize, what: &str, name: &str, problems: &mut Vec<String>) {
    let n = doc.children(parent, name).count();
    if n != 1 {
        problems.push(format!("{what}: {n} <{name}> elements, not one"));
    }
}

fn at_most_one(doc: &Document, parent: usize, what: &str, name: &str, problems: &mut Vec<String>) {
    let n = doc.children(parent, name).count();
    if n > 1 {
        problems.push(format!(
            "{what}: {n} <{name}> elements, at most one allowed"
        ));
    }
}

/// An RFC 3339 date-time: `2016-01-01T00:00:00Z`, `…T12:30:00.5+01:00`.
fn check_date(text: &str, what: &str, problems: &mut Vec<String>) {
    if !is_rfc3339(text.trim()) {
        problems.push(format!("{what} {text:?} is not an RFC 3339 date-time"));
    }
}

fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |from: usize, len: usize| -> Option<u32> {
        let part = s.get(from..from + len)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (Some(_), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        digits(0, 4),
        digits(5, 2),
        digits(8, 2),
        digits(11, 2),
        digits(14, 2),
        digits(17, 2),
    ) else {
        return false;
    };
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b'T' | b't'))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    match rest {
        "Z" | "z" => true,
        offset => {
            let o = offset.as_bytes();
            o.len() == 6
                && matches!(o[0], b'+' | b'-')
                && o[3] == b':'
                && offset[1..3].parse::<u32>().is_ok_and(|h| h < 24)
                && offset[4..6].parse::<u32>().is_ok_and(|m| m < 60)
                && offset[1..3]
                    .bytes()
                    .chain(offset[4..6].bytes())
                    .all(|c| c.is_ascii_digit())
        }
    }
}
