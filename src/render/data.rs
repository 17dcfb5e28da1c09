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
    let mut json = serde_json::to_vec_pretty(&records).expect("records are plain data");
    json.push(b'\n');
    json
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
            .collect::<Vec<_>>()
            .join("; ");
        let row = [
            r.slug.to_string(),
            r.url,
            r.title.to_string(),
            r.summary.to_string(),
            r.theme.join("; "),
            r.region.join("; "),
            r.organisation.join("; "),
            r.approach.join("; "),
            r.country.unwrap_or_default().to_string(),
            r.year.map(|y| y.to_string()).unwrap_or_default(),
            r.date.unwrap_or_default(),
            sources,
            r.draft.to_string(),
            r.aliases.join("; "),
            r.image.unwrap_or_default().to_string(),
        ];
        writer
            .write_record(row.iter().map(|cell| guard_formula(cell)))
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

/// Spreadsheets run cells that start with `=`, `+`, `-` or `@` as formulas; a leading `'`
/// makes them text.
fn guard_formula(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(guard_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(guard_formula("Oldham"), "Oldham");
    }
}
