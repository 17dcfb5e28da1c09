//! Citations of cases, for the reports and business cases people write from them: the APA
//! reference a case page shows, and the same as BibTeX, RIS and CSL-JSON, for one case
//! (`cases/<slug>/cite.bib`…) or the whole collection (`cite/cases.bib`…).
//!
//! The author is the site (its `author`, else its title): the organisation is what the case
//! is about, not who wrote it. The date is the case's `updated:` only, when its page was last
//! brought up to date; never `date` or `year`, which say when the case happened, and never
//! the build's time. Without it the reference says "n.d.", as APA does.

use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};

use crate::text::escape_html;

/// The formats a citation is downloaded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CitationFormat {
    /// BibTeX, `.bib`.
    Bibtex,
    /// RIS, `.ris`.
    Ris,
    /// CSL-JSON, `.json`.
    CslJson,
}

impl CitationFormat {
    /// Every format, in the order pages offer them.
    pub const ALL: [CitationFormat; 3] = [
        CitationFormat::Bibtex,
        CitationFormat::Ris,
        CitationFormat::CslJson,
    ];

    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            CitationFormat::Bibtex => "bib",
            CitationFormat::Ris => "ris",
            CitationFormat::CslJson => "json",
        }
    }

    /// What pages call it.
    pub fn name(self) -> &'static str {
        match self {
            CitationFormat::Bibtex => "BibTeX",
            CitationFormat::Ris => "RIS",
            CitationFormat::CslJson => "CSL-JSON",
        }
    }
}

/// What a citation of one case says.
#[derive(Debug, Clone)]
pub struct Citation<'a> {
    /// The key: the case's slug.
    pub key: &'a str,
    /// The case's title.
    pub title: &'a str,
    /// The site, as author.
    pub author: &'a str,
    /// The site's title.
    pub site: &'a str,
    /// The case page's absolute address.
    pub url: String,
    /// `updated:`.
    pub updated: Option<NaiveDate>,
    /// Who the case is about, for a note.
    pub organisations: &'a [String],
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Citation<'_> {
    /// The APA reference as HTML (the title in italics) and as text.
    pub fn apa(&self) -> (String, String) {
        let date = match self.updated {
            Some(d) => format!("{}, {} {}", d.year(), MONTHS[d.month0() as usize], d.day()),
            None => "n.d.".to_string(),
        };
        let author = with_full_stop(self.author);
        // APA leaves out the site's name when it is the author's.
        let site = (self.site != self.author).then(|| with_full_stop(self.site));
        let title = with_full_stop(self.title);
        // Each part as text and as HTML.
        let parts = [
            Some((author.clone(), escape_html(&author))),
            Some((format!("({date})."), format!("({date})."))),
            Some((title.clone(), format!("<i>{}</i>", escape_html(&title)))),
            site.map(|s| (s.clone(), escape_html(&s))),
            Some((
                self.url.clone(),
                format!("<a href=\"{0}\">{0}</a>", escape_html(&self.url)),
            )),
        ];
        let (text, html): (Vec<String>, Vec<String>) = parts.into_iter().flatten().unzip();
        (html.join(" "), text.join(" "))
    }

    fn bibtex(&self) -> String {
        let mut fields = vec![
            ("author", format!("{{{}}}", bibtex_text(self.author))),
            ("title", bibtex_text(self.title)),
            ("howpublished", bibtex_text(self.site)),
            ("url", self.url.replace('%', "\\%")),
        ];
        if let Some(d) = self.updated {
            fields.push(("year", d.year().to_string()));
            fields.push(("month", d.month().to_string()));
            fields.push(("day", d.day().to_string()));
        }
        if let Some(note) = self.note() {
            fields.push(("note", bibtex_text(&note)));
        }
        let body: Vec<String> = fields
            .into_iter()
            .map(|(name, value)| format!("  {name} = {{{value}}}"))
            .collect();
        format!("@misc{{{},\n{}\n}}\n", self.key, body.join(",\n"))
    }

    fn ris(&self) -> String {
        let mut lines = vec![
            "TY  - ELEC".to_string(),
            format!("AU  - {}", one_line(self.author)),
            format!("TI  - {}", one_line(self.title)),
            format!("T2  - {}", one_line(self.site)),
            format!("UR  - {}", self.url),
        ];
        if let Some(d) = self.updated {
            lines.push(format!("PY  - {}", d.year()));
            lines.push(format!("DA  - {}", d.format("%Y/%m/%d")));
        }
        if let Some(note) = self.note() {
            lines.push(format!("N1  - {}", one_line(&note)));
        }
        lines.push("ER  - ".to_string());
        lines.join("\r\n") + "\r\n"
    }

    fn csl(&self) -> Value {
        let mut item = json!({
            "id": self.key,
            "type": "webpage",
            "title": self.title,
            "author": [{"literal": self.author}],
            "container-title": self.site,
            "URL": self.url,
        });
        if let Some(d) = self.updated {
            item["issued"] = json!({"date-parts": [[d.year(), d.month(), d.day()]]});
        }
        if let Some(note) = self.note() {
            item["note"] = json!(note);
        }
        item
    }

    /// "A case of …": whom the case is about.
    fn note(&self) -> Option<String> {
        (!self.organisations.is_empty())
            .then(|| format!("A case of {}", self.organisations.join("; ")))
    }
}

/// `citations` in `format`, one after another.
pub fn file(format: CitationFormat, citations: &[Citation]) -> String {
    match format {
        CitationFormat::Bibtex => citations
            .iter()
            .map(Citation::bibtex)
            .collect::<Vec<_>>()
            .join("\n"),
        CitationFormat::Ris => citations.iter().map(Citation::ris).collect(),
        CitationFormat::CslJson => {
            let items: Vec<Value> = citations.iter().map(Citation::csl).collect();
            // Plain data with text keys: serialising it cannot fail.
            serde_json::to_string_pretty(&items).expect("citations are plain data") + "\n"
        }
    }
}

fn with_full_stop(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '?', '!']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

/// RIS has one line a tag.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text as a BibTeX field holds it: the characters TeX reads as commands escaped, braces
/// kept balanced, accents as written (UTF-8, which biber and bibtexparser read).
fn bibtex_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '%' | '&' | '#' | '$' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            // A quote mark inside braces is text; no escape is needed.
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn citation(updated: Option<NaiveDate>) -> Citation<'static> {
        Citation {
            key: "food-train",
            title: "Food Train: 50% {more} & \"better\" in Île-de-France",
            author: "casebook editors",
            site: "Public service innovation casebook",
            url: "https://example.org/cases/food-train/".into(),
            updated,
            organisations: &[],
        }
    }

    #[test]
    fn the_apa_reference_names_the_site_as_author_and_the_update_as_date() {
        let (_, text) = citation(NaiveDate::from_ymd_opt(2024, 5, 6)).apa();
        assert_eq!(
            text,
            "casebook editors. (2024, May 6). Food Train: 50% {more} & \"better\" in Île-de-France. Public service innovation casebook. https://example.org/cases/food-train/"
        );
        let (html, text) = citation(None).apa();
        assert!(text.contains("(n.d.)"), "{text}");
        assert!(
            html.contains("<i>Food Train: 50% {more} &amp; &quot;better&quot;"),
            "{html}"
        );
    }

    #[test]
    fn bibtex_escapes_what_tex_reads_as_commands() {
        let bib = citation(None).bibtex();
        assert!(
            bib.contains("title = {Food Train: 50\\% \\{more\\} \\& \"better\" in Île-de-France}"),
            "{bib}"
        );
    }
}
