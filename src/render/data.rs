//! Open data: `cases.json` and `cases.csv`, one record per case with every front matter field.

use serde::Serialize;

use super::urls;
use super::SiteView;
use crate::content::{BaseUrl, Case, Facet, Key, Source};

/// One column of open data and its value for one case.
enum Cell<'a> {
    Text(&'a str),
    Url(String),
    MaybeText(Option<&'a str>),
    List(Vec<&'a str>),
    Year(Option<i32>),
    Date(Option<String>),
    Flag(bool),
    Sources(&'a [Source]),
}

/// A column of open data: `slug` and `url` first, then one per front matter key, in the
/// order of [`Key::ALL`] (the slug is already first).
#[derive(Clone, Copy)]
enum Column {
    Url,
    Field(Key),
}

fn columns() -> impl Iterator<Item = Column> {
    std::iter::once(Column::Field(Key::Slug))
        .chain(std::iter::once(Column::Url))
        .chain(
            Key::ALL
                .into_iter()
                .filter(|&k| k != Key::Slug)
                .map(Column::Field),
        )
}

impl Column {
    fn name(self) -> &'static str {
        match self {
            Column::Url => "url",
            Column::Field(key) => key.name(),
        }
    }
}

/// One case's record, a cell per column; facet values are spelled as the site shows them
/// (values that differ only in case or punctuation are one value, in its most used spelling).
fn record<'a>(view: &'a SiteView, index: usize, base: &BaseUrl) -> Vec<(&'static str, Cell<'a>)> {
    let case: &Case = &view.cases[index];
    let names = |facet: Facet| -> Cell<'a> {
        Cell::List(
            view.library
                .values_of(index, facet)
                .iter()
                .map(|&v| view.library.value(facet, v).name.as_str())
                .collect(),
        )
    };
    columns()
        .map(|column| {
            let cell = match column {
                Column::Url => Cell::Url(base.absolute_to(&urls::case(&case.slug))),
                Column::Field(key) => match key {
                    Key::Slug => Cell::Text(&case.slug),
                    Key::Title => Cell::Text(&case.title),
                    Key::Summary => Cell::Text(&view.bodies[index].summary),
                    Key::Theme => names(Facet::Theme),
                    Key::Region => names(Facet::Region),
                    Key::Organisation => names(Facet::Organisation),
                    Key::Approach => names(Facet::Approach),
                    Key::Country => names(Facet::Country),
                    Key::Year => Cell::Year(case.year),
                    Key::Date => Cell::Date(case.date.map(|d| d.to_string())),
                    Key::Updated => Cell::Date(case.updated.map(|d| d.to_string())),
                    Key::Reviewed => Cell::Date(case.reviewed.map(|d| d.to_string())),
                    Key::Sources => Cell::Sources(&case.sources),
                    Key::Draft => Cell::Flag(case.draft),
                    Key::Aliases => Cell::List(case.aliases.iter().map(String::as_str).collect()),
                    Key::Image => Cell::MaybeText(case.image.as_deref()),
                },
            };
            (column.name(), cell)
        })
        .collect()
}

/// A record as a JSON object, its keys in column order.
struct JsonRecord<'a>(Vec<(&'static str, Cell<'a>)>);

impl Serialize for JsonRecord<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, cell) in &self.0 {
            match cell {
                Cell::Text(text) => map.serialize_entry(name, text)?,
                Cell::Url(text) => map.serialize_entry(name, text)?,
                Cell::MaybeText(text) => map.serialize_entry(name, text)?,
                Cell::List(items) => map.serialize_entry(name, items)?,
                Cell::Year(year) => map.serialize_entry(name, year)?,
                Cell::Date(date) => map.serialize_entry(name, date)?,
                Cell::Flag(flag) => map.serialize_entry(name, flag)?,
                Cell::Sources(sources) => map.serialize_entry(name, sources)?,
            }
        }
        map.end()
    }
}

impl Cell<'_> {
    /// The cell as CSV text: lists joined with `; `, sources as `title <url>`, each item
    /// guarded against formulas.
    fn csv_text(&self) -> String {
        match self {
            Cell::Text(text) => text.to_string(),
            Cell::Url(text) => text.clone(),
            Cell::MaybeText(text) => text.unwrap_or_default().to_string(),
            Cell::List(items) => join_guarded(items),
            Cell::Year(year) => year.map(|y| y.to_string()).unwrap_or_default(),
            Cell::Date(date) => date.clone().unwrap_or_default(),
            Cell::Flag(flag) => flag.to_string(),
            Cell::Sources(sources) => {
                let sources: Vec<String> = sources
                    .iter()
                    .map(|s| match &s.url {
                        Some(url) if *url != s.title => format!("{} <{url}>", s.title),
                        Some(url) => format!("<{url}>"),
                        None => s.title.clone(),
                    })
                    .collect();
                join_guarded(&sources)
            }
        }
    }
}

/// `cases.json`: an array of records, sorted by slug.
pub fn cases_json(view: &SiteView, base: &BaseUrl) -> Vec<u8> {
    let records: Vec<JsonRecord> = (0..view.cases.len())
        .map(|i| JsonRecord(record(view, i, base)))
        .collect();
    json_file(&records)
}

/// `cases/<slug>/case.json`: case `index`'s record alone, as `cases.json` holds it.
pub fn case_json(view: &SiteView, index: usize, base: &BaseUrl) -> Vec<u8> {
    json_file(&JsonRecord(record(view, index, base)))
}

/// Open data as a file: pretty JSON, inert inside HTML, ending with a newline.
fn json_file(data: &impl Serialize) -> Vec<u8> {
    let json = serde_json::to_string_pretty(data).expect("records are plain data");
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

/// `cases.csv`: the same records, with the same columns; a header names them.
pub fn cases_csv(view: &SiteView, base: &BaseUrl) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(columns().map(Column::name))
        .expect("writing to memory");
    for index in 0..view.cases.len() {
        let cells = record(view, index, base);
        writer
            .write_record(
                cells
                    .iter()
                    .map(|(_, cell)| guard_formula(&cell.csv_text())),
            )
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

/// Spreadsheets run cells that start with `=`, `+`, `-` or `@` (or their full-width forms,
/// or a tab or carriage return) as formulas, whatever spaces and invisible characters come
/// before (a byte order mark, a zero-width space or joiner, a direction mark, a soft
/// hyphen); a leading `'` makes them text.
fn guard_formula(cell: &str) -> String {
    let triggers = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];
    let invisible = |c: char| {
        matches!(
            c,
            ' ' | '\u{a0}' | '\u{ad}' | '\u{180e}' | '\u{3000}' | '\u{feff}'
        ) || ('\u{2000}'..='\u{200f}').contains(&c)
            || ('\u{2028}'..='\u{202f}').contains(&c)
            || ('\u{205f}'..='\u{2064}').contains(&c)
    };
    if cell.trim_start_matches(invisible).starts_with(triggers) {
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
        for hidden in [
            "\u{feff}",
            "\u{200b}",
            "\u{200d}",
            "\u{2060}",
            "\u{a0}",
            " \u{200e}",
        ] {
            let cell = format!("{hidden}=HYPERLINK(\"x\")");
            assert_eq!(guard_formula(&cell), format!("'{cell}"), "{hidden:?}");
        }
        assert_eq!(guard_formula("\u{200b}Oldham"), "\u{200b}Oldham");
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
