//! Open data: `cases.json` and `cases.csv`, one record per case with every front matter field.

use serde::Serialize;

use super::pages::case_url;
use super::SiteView;
use crate::config::BaseUrl;
use crate::content::{Case, Facet, Source};

/// The CSV header, in the order of [`CaseRecord`]'s fields.
pub const CSV_COLUMNS: [&str; 15] = [
    "slug",
    "url",
    "title",
    "summary",
    "theme",
    "region",
    "organisation",
    "approach",
    "country",
    "year",
    "date",
    "sources",
    "draft",
    "aliases",
    "image",
];

/// One case as open data.
#[derive(Debug, Serialize)]
struct CaseRecord<'a> {
    slug: &'a str,
    url: String,
    title: &'a str,
    summary: &'a str,
    theme: Vec<String>,
    region: Vec<String>,
    organisation: Vec<String>,
    approach: Vec<String>,
    country: Option<&'a str>,
    year: Option<i32>,
    date: Option<String>,
    sources: &'a [Source],
    draft: bool,
    aliases: &'a [String],
    image: Option<&'a str>,
}

/// One case's record; facet values are spelled as the site shows them (values that differ
/// only in case or punctuation are one value, in its most used spelling).
fn record<'a>(view: &'a SiteView, index: usize, base: &BaseUrl) -> CaseRecord<'a> {
    let case: &Case = &view.cases[index];
    let names = |facet: Facet| -> Vec<String> {
        view.library
            .values_of(index, facet)
            .iter()
            .map(|&v| view.library.value(facet, v).name.clone())
            .collect()
    };
    CaseRecord {
        slug: &case.slug,
        url: base.absolute_to(&case_url(case)),
        title: &case.title,
        summary: &view.bodies[index].summary,
        theme: names(Facet::Theme),
        region: names(Facet::Region),
        organisation: names(Facet::Organisation),
        approach: names(Facet::Approach),
        country: case.country.as_deref(),
        year: case.year,
        date: case.date.map(|d| d.to_string()),
        sources: &case.sources,
        draft: case.draft,
        aliases: &case.aliases,
        image: case.image.as_deref(),
    }
}

/// `cases.json`: an array of records, sorted by slug.
pub fn cases_json(view: &SiteView, base: &BaseUrl) -> Vec<u8> {
    let records: Vec<CaseRecord> = (0..view.cases.len())
        .map(|i| record(view, i, base))
        .collect();
    let json = serde_json::to_string_pretty(&records).expect("records are plain data");
    let mut json = escape_for_html(&json).into_bytes();
    json.push(b'\n');
    json
}

/// JSON with `<`, `>` and `&` written as `\u003c` …, the same data, which stays inert even if
/// someone pastes it into a `<script>` element. They can only occur inside strings.
fn escape_for_html(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for ch in json.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            other => out.push(other),
        }
    }
    out
}

/// `cases.csv`: the same records; lists joined with `; `, sources as `title <url>`.
pub fn cases_csv(view: &SiteView, base: &BaseUrl) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_COLUMNS).expect("writing to memory");
    for index in 0..view.cases.len() {
        let r = record(view, index, base);
        let sources = r
            .sources
            .iter()
            .map(|s| match &s.url {
                Some(url) if *url != s.title => format!("{} <{url}>", s.title),
                Some(url) => format!("<{url}>"),
                None => s.title.clone(),
            })
            .collect::<Vec<_>>();
        let sources = join_guarded(&sources);
        let row = [
            r.slug.to_string(),
            r.url,
            r.title.to_string(),
            r.summary.to_string(),
            join_guarded(&r.theme),
            join_guarded(&r.region),
            join_guarded(&r.organisation),
            join_guarded(&r.approach),
            r.country.unwrap_or_default().to_string(),
            r.year.map(|y| y.to_string()).unwrap_or_default(),
            r.date.unwrap_or_default(),
            sources,
            r.draft.to_string(),
            join_guarded(r.aliases),
            r.image.unwrap_or_default().to_string(),
        ];
        writer
            .write_record(row.iter().map(|cell| guard_formula(cell)))
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

/// Spreadsheets run cells that start with `=`, `+`, `-` or `@` (or their full-width forms,
/// or a tab or carriage return before them) as formulas; a leading `'` makes them text.
fn guard_formula(cell: &str) -> String {
    let triggers = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];
    if cell.trim_start_matches(' ').starts_with(triggers) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A list as one cell, `; `-separated, each item guarded: spreadsheets set to split on `;`
/// would make every item a cell of its own.
fn join_guarded<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|item| guard_formula(item.as_ref()))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(guard_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(guard_formula("Oldham"), "Oldham");
        assert_eq!(guard_formula(" @SUM(A1)"), "' @SUM(A1)");
        assert_eq!(guard_formula("＝1+1"), "'＝1+1");
        assert_eq!(
            join_guarded(&["co-production", "=1+1"]),
            "co-production; '=1+1"
        );
    }

    #[test]
    fn json_stays_inert_inside_html() {
        let json = escape_for_html(r#"{"title": "</script><b>&"}"#);
        assert_eq!(
            json,
            r#"{"title": "\u003c/script\u003e\u003cb\u003e\u0026"}"#
        );
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["title"], "</script><b>&");
    }
}
