//! The data-quality report of `casebook check --report`: what a knowledge base's cases give
//! and what looks inconsistent, for the editor who keeps the collection in order.
//!
//! It reads the loaded knowledge base only; what it finds are not problems of one file
//! (those are diagnostics) but of the collection as a whole.

mod duplicates;

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use super::library::spellings as spellings_of;
use super::{Facet, KnowledgeBase, Library};
pub use duplicates::NearDuplicate;

/// How many items of a long list the text report shows; `--json` has them all.
const SHOWN: usize = 10;

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct QualityReport {
    /// How many cases were read (drafts only with `--drafts`).
    pub cases: usize,
    /// How many cases give each field, in the order of the front matter keys.
    pub fields: Vec<FieldCount>,
    /// Values of one facet that may name one thing written two ways.
    pub near_duplicates: Vec<NearDuplicate>,
    /// Values written in several spellings that casebook already shows as one.
    pub spellings: Vec<Spellings>,
    /// Values `_taxonomy.yaml` lists that no case uses.
    pub unused_values: Vec<UnusedValue>,
    /// Cases whose summary is the start of their body's first paragraph, shown twice on
    /// their page.
    pub summary_repeats_body: Vec<String>,
    /// Cases due for review, when any case gives `reviewed:`.
    pub review: Option<Review>,
}

/// How many cases give one field.
#[derive(Debug, Clone, Serialize)]
pub struct FieldCount {
    /// The key.
    pub field: &'static str,
    /// How many cases give it.
    pub cases: usize,
}

/// One value written in more than one spelling (`DigiPolis`, `Digipolis`).
#[derive(Debug, Clone, Serialize)]
pub struct Spellings {
    /// The facet's key.
    pub facet: &'static str,
    /// The spelling pages show (the one most cases use).
    pub value: String,
    /// Every spelling, with how many cases write it.
    pub written: BTreeMap<String, usize>,
}

/// A listed value no case uses.
#[derive(Debug, Clone, Serialize)]
pub struct UnusedValue {
    /// The facet's key.
    pub facet: &'static str,
    /// The value.
    pub value: String,
}

/// Reviews that are due.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    /// `review_after_months` of `_site.yaml`.
    pub after_months: u32,
    /// How many cases give `reviewed:`.
    pub reviewed: usize,
    /// Cases reviewed longer ago than that, oldest first.
    pub due: Vec<DueCase>,
}

/// A case due for review.
#[derive(Debug, Clone, Serialize)]
pub struct DueCase {
    /// Its file.
    pub path: String,
    /// Its `reviewed:` date, as written (YYYY-MM-DD).
    pub reviewed: String,
}

/// Whether a case gives a field.
type Given<'a> = dyn Fn(&super::Case) -> bool + 'a;

/// The report on `kb` as of `today`; `first_paragraphs` holds each case's first paragraph
/// of body text, by case index.
pub fn report(
    kb: &KnowledgeBase,
    library: &Library,
    first_paragraphs: &[Option<&str>],
    today: NaiveDate,
) -> QualityReport {
    let cases = &kb.cases;
    let count = |given: &Given<'_>| cases.iter().filter(|c| given(c)).count();
    let mut fields = vec![FieldCount {
        field: "summary",
        cases: count(&|c| c.summary.as_deref().is_some_and(|s| !s.trim().is_empty())),
    }];
    for facet in Facet::ALL {
        fields.push(FieldCount {
            field: facet.key(),
            cases: count(&|c| !c.values(facet).is_empty()),
        });
    }
    let optional: [(&'static str, &Given<'_>); 6] = [
        ("year", &|c| c.year.is_some() || c.date.is_some()),
        ("date", &|c| c.date.is_some()),
        ("updated", &|c| c.updated.is_some()),
        ("reviewed", &|c| c.reviewed.is_some()),
        ("sources", &|c| !c.sources.is_empty()),
        ("image", &|c| c.image.is_some()),
    ];
    for (field, given) in optional {
        fields.push(FieldCount {
            field,
            cases: count(given),
        });
    }

    let mut spellings = Vec::new();
    for facet in Facet::ALL {
        for value in library.values(facet) {
            let written = spellings_of(cases, facet, value);
            if written.len() > 1 {
                let written = written
                    .into_iter()
                    .map(|(spelling, n)| (spelling.to_string(), n))
                    .collect();
                spellings.push(Spellings {
                    facet: facet.key(),
                    value: value.name.clone(),
                    written,
                });
            }
        }
    }

    let mut unused_values = Vec::new();
    for facet in Facet::ALL {
        let Some(listed) = kb.vocabulary.facet(facet) else {
            continue;
        };
        for value in listed.values() {
            if library.find(facet, &super::slugify(&value.name)).is_none() {
                unused_values.push(UnusedValue {
                    facet: facet.key(),
                    value: value.name.clone(),
                });
            }
        }
    }

    let summary_repeats_body = cases
        .iter()
        .zip(first_paragraphs)
        .filter(|(case, first)| {
            let (Some(summary), Some(first)) = (case.summary.as_deref(), first) else {
                return false;
            };
            let (summary, first) = (comparable(summary), comparable(first));
            !summary.is_empty() && first.starts_with(&summary)
        })
        .map(|(case, _)| case.path.display().to_string())
        .collect();

    let reviewed = fields
        .iter()
        .find(|f| f.field == "reviewed")
        .map_or(0, |f| f.cases);
    let review = (reviewed > 0).then(|| {
        let months = kb.config.review_after_months;
        let cutoff = today
            .checked_sub_months(Months::new(months))
            .unwrap_or(NaiveDate::MIN);
        let mut due: Vec<(NaiveDate, String)> = cases
            .iter()
            .filter_map(|c| {
                let date = c.reviewed?;
                (date < cutoff).then(|| (date, c.path.display().to_string()))
            })
            .collect();
        due.sort();
        let due = due
            .into_iter()
            .map(|(date, path)| DueCase {
                path,
                reviewed: date.to_string(),
            })
            .collect();
        Review {
            after_months: months,
            reviewed,
            due,
        }
    });

    QualityReport {
        cases: cases.len(),
        fields,
        near_duplicates: duplicates::near_duplicates(cases, library),
        spellings,
        unused_values,
        summary_repeats_body,
        review,
    }
}

impl QualityReport {
    /// The report as JSON, every list in full.
    pub fn to_json(&self) -> String {
        // Plain data with text keys: serialising it cannot fail.
        serde_json::to_string_pretty(self).expect("the report is plain data")
    }
}

/// Text folded for comparison: case, accents and spacing do not count.
fn comparable(text: &str) -> String {
    crate::text::folded(text)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl fmt::Display for QualityReport {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.cases.max(1);
        writeln!(out, "Data quality of {} cases", self.cases)?;
        writeln!(out, "\nFields given")?;
        for field in &self.fields {
            writeln!(
                out,
                "  {:<13} {:>6}  {:>3}%",
                field.field,
                field.cases,
                field.cases * 100 / total
            )?;
        }
        section(
            out,
            &self.near_duplicates,
            "values that may be one thing written two ways",
            |pair| {
                format!(
                    "{}: \"{}\" ({}) and \"{}\" ({}): {}",
                    pair.facet,
                    pair.values[0],
                    cases_in_words(pair.cases[0]),
                    pair.values[1],
                    cases_in_words(pair.cases[1]),
                    pair.reason.words()
                )
            },
        )?;
        section(
            out,
            &self.spellings,
            "values written in several spellings, shown as one",
            |value| {
                let written: Vec<String> = value
                    .written
                    .iter()
                    .map(|(spelling, n)| format!("\"{spelling}\" ({n})"))
                    .collect();
                format!(
                    "{}: \"{}\" is written {}",
                    value.facet,
                    value.value,
                    written.join(", ")
                )
            },
        )?;
        section(
            out,
            &self.unused_values,
            "values _taxonomy.yaml lists that no case uses",
            |value| format!("{}: {}", value.facet, value.value),
        )?;
        section(
            out,
            &self.summary_repeats_body,
            "cases whose summary is the start of their text, shown twice on their page",
            |path| path.clone(),
        )?;
        match &self.review {
            None => writeln!(
                out,
                "\nNo case gives `reviewed:`, so none is reported as due for review."
            )?,
            Some(review) => section(
                out,
                &review.due,
                &format!(
                    "of the {} cases giving `reviewed:` were last reviewed more than {} months ago",
                    review.reviewed, review.after_months
                ),
                |case| format!("{} (reviewed {})", case.path, case.reviewed),
            )?,
        }
        Ok(())
    }
}

fn cases_in_words(count: usize) -> String {
    match count {
        1 => "1 case".to_string(),
        n => format!("{n} cases"),
    }
}

/// A list of the report: its count and what it is, its first [`SHOWN`] items, and how many
/// more `--json` lists.
fn section<T>(
    out: &mut fmt::Formatter<'_>,
    items: &[T],
    what: &str,
    line: impl Fn(&T) -> String,
) -> fmt::Result {
    writeln!(out, "\n{} {what}", items.len())?;
    for item in items.iter().take(SHOWN) {
        writeln!(out, "  {}", line(item))?;
    }
    if items.len() > SHOWN {
        writeln!(
            out,
            "  … and {} more (`--json` lists all)",
            items.len() - SHOWN
        )?;
    }
    Ok(())
}
