//! The only commands that create content: `new` (one case) and `init` (a knowledge base).

use std::path::{Path, PathBuf};

use crate::content::{
    display_path, slugify, Facet, Layout, NotAKnowledgeBase, Vocabulary, FACETS, PLACEHOLDER_BODY,
};
use crate::error::{ExitKind, IoError};
use crate::render::{DEFAULT_STATIC, DEFAULT_TEMPLATES};

/// Why `new` or `init` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// `new` was run outside a knowledge base.
    #[error(transparent)]
    NotAKnowledgeBase(#[from] NotAKnowledgeBase),
    /// The title has nothing to make a file name from.
    #[error("the title needs letters or digits to make a file name from")]
    NoSlug,
    /// A case file of that name exists.
    #[error("{} already exists; choose another title", .0.display())]
    CaseExists(PathBuf),
    /// A facet value `_taxonomy.yaml` does not list (and no `--force`).
    #[error("`{value}` is not among the `{facet}` values {taxonomy} lists{suggestion}; it lists: {listed}. Add it to the `{facet}` list there, or give --force to write it anyway")]
    NotListed {
        /// The facet's key.
        facet: &'static str,
        /// The value given.
        value: String,
        /// "; did you mean `…`?" or nothing.
        suggestion: String,
        /// The listed values (the nearest five when there are many).
        listed: String,
        /// The vocabulary file.
        taxonomy: String,
    },
    /// `init` was pointed at a knowledge base.
    #[error("{} already has a content/ folder", .0.display())]
    AlreadyAKnowledgeBase(PathBuf),
    /// A file could not be written.
    #[error(transparent)]
    Io(#[from] IoError),
}

impl ScaffoldError {
    /// Every scaffolding failure is a usage or file-system problem (exit code 2).
    pub fn exit_kind(&self) -> ExitKind {
        ExitKind::Usage
    }
}

/// What `casebook new` should write.
#[derive(Debug, Clone, Default)]
pub struct NewCase {
    /// The case's title; its slug names the file.
    pub title: String,
    /// Values to fill in, per facet, in [`Facet::ALL`] order.
    pub facets: [Vec<String>; FACETS],
    /// A sub-folder of `content/cases/`, e.g. `scotland`.
    pub folder: Option<String>,
    /// Mark the case as a draft.
    pub draft: bool,
    /// Write facet values the vocabulary does not list.
    pub force: bool,
}

/// Writes `content/cases/[folder/]<slug>.md` with front matter to complete; returns its path.
pub fn new_case(root: &Path, new: &NewCase) -> Result<PathBuf, ScaffoldError> {
    let layout = Layout::open(root)?;
    let slug = slugify(&new.title);
    if slug.is_empty() {
        return Err(ScaffoldError::NoSlug);
    }
    let mut folder = layout.cases_dir();
    if let Some(sub) = &new.folder {
        let safe: Vec<String> = sub
            .split('/')
            .map(slugify)
            .filter(|s| !s.is_empty())
            .collect();
        folder = safe.iter().fold(folder, |path, part| path.join(part));
    }
    let path = folder.join(format!("{slug}.md"));
    if path.exists() {
        return Err(ScaffoldError::CaseExists(path));
    }
    // A broken vocabulary is for `casebook check` to report; the scaffold then checks nothing.
    let taxonomy = display_path(&layout.taxonomy_file());
    let vocabulary = Vocabulary::load(&taxonomy).unwrap_or_default();
    let mut new = new.clone();
    for facet in Facet::ALL {
        for value in &mut new.facets[facet.index()] {
            *value = listed_value(&vocabulary, facet, value, new.force, &taxonomy)?;
        }
    }
    std::fs::create_dir_all(&folder).map_err(IoError::at(&folder))?;
    std::fs::write(&path, case_template(&new, &vocabulary)).map_err(IoError::at(&path))?;
    Ok(display_path(&path))
}

/// `value` as the vocabulary spells it (a synonym becomes its value), or the refusal of a
/// value it does not list, unless `force`.
fn listed_value(
    vocabulary: &Vocabulary,
    facet: Facet,
    value: &str,
    force: bool,
    taxonomy: &Path,
) -> Result<String, ScaffoldError> {
    let Some(listed) = vocabulary.facet(facet) else {
        return Ok(value.to_string());
    };
    if let Some(known) = listed.resolve(value) {
        return Ok(known.name.clone());
    }
    if force {
        return Ok(value.to_string());
    }
    Err(ScaffoldError::NotListed {
        facet: facet.key(),
        value: value.to_string(),
        suggestion: listed
            .suggest(value)
            .map(|near| format!("; did you mean `{near}`?"))
            .unwrap_or_default(),
        listed: listed.listing(value, 5),
        taxonomy: taxonomy.display().to_string(),
    })
}

fn case_template(new: &NewCase, vocabulary: &Vocabulary) -> String {
    let mut text = format!("---\ntitle: {}\nsummary: \n", yaml_text(&new.title));
    for facet in Facet::ALL {
        let values = &new.facets[facet.index()];
        let value = match values.len() {
            0 => String::new(),
            1 => yaml_text(&values[0]),
            _ => format!(
                "[{}]",
                values
                    .iter()
                    .map(|v| yaml_text(v))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let allowed = vocabulary.facet(facet).map(|listed| {
            let names: Vec<&str> = listed.values().iter().map(|v| v.name.as_str()).collect();
            format!(" of: {}", names.join(", "))
        });
        let hint = match (values.is_empty(), facet.expected(), allowed) {
            (false, _, _) => String::new(),
            (true, true, Some(allowed)) => {
                format!("   # required: one value, or a list [a, b],{allowed}")
            }
            (true, true, None) => "   # required: one value, or a list [a, b]".to_string(),
            (true, false, _) => {
                "   # optional: e.g. United Kingdom (else a region that names one)".to_string()
            }
        };
        text.push_str(&format!("{}: {value}{hint}\n", facet.key()));
    }
    text.push_str("year: \nsources:\n#  - title: Where the facts come from\n#    url: https://…\n");
    if new.draft {
        text.push_str("draft: true\n");
    }
    text.push_str("---\n");
    text.push_str(PLACEHOLDER_BODY);
    text
}

/// Quotes a value when YAML would otherwise misread it.
fn yaml_text(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace())
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && text.parse::<f64>().is_err()
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "null" | "~"
        );
    if plain {
        text.to_string()
    } else {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// Creates a knowledge base in `dir`: settings, a vocabulary, one example case and a copy
/// of the default theme to adapt. Refuses to touch an existing knowledge base.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    let layout = Layout::new(dir);
    if layout.content_dir().exists() {
        return Err(ScaffoldError::AlreadyAKnowledgeBase(dir.to_path_buf()));
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (layout.site_file(), SITE_YAML.as_bytes().to_vec()),
        (layout.taxonomy_file(), TAXONOMY_YAML.as_bytes().to_vec()),
        (
            layout.cases_dir().join("oldham-big-local-decision-day.md"),
            EXAMPLE_CASE.as_bytes().to_vec(),
        ),
        (dir.join(".gitignore"), b"/public/\n/.casebook/\n".to_vec()),
    ];
    let theme = layout.themes_dir().join("default");
    files.extend(
        DEFAULT_TEMPLATES
            .iter()
            .map(|(name, text)| (theme.join("templates").join(name), text.as_bytes().to_vec())),
    );
    files.extend(
        DEFAULT_STATIC
            .iter()
            .map(|(name, bytes)| (theme.join("static").join(name), bytes.to_vec())),
    );
    for (path, bytes) in &files {
        if path.exists() {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(IoError::at(parent))?;
        }
        std::fs::write(path, bytes).map_err(IoError::at(path))?;
    }
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

const SITE_YAML: &str = "\
# Settings of this knowledge base. Every key is optional.
title: Case studies
description: Case studies of public service innovation.
base_url: https://example.org/     # where the site will be deployed, with any sub-folder
language: en
per_page: 20                       # cases per page on lists
theme: default                     # a folder under themes/; its files override the built-in theme
";

const TAXONOMY_YAML: &str = "\
# The allowed values of each facet. A facet that is not listed here accepts any value.
# Synonyms are other spellings that editors (and searchers) use for the same value.
theme:
  participatory budgeting:
    description: Residents decide together how to spend part of a public budget.
    synonyms: [PB]
  community assets:
    description: Buildings, groups and skills a neighbourhood already has and builds on.
approach:
  participatory budgeting:
    description: A public vote or event where residents choose which proposals get money.
";

const EXAMPLE_CASE: &str = "\
---
title: Oldham Big Local's decision day
summary: Residents of an Oldham neighbourhood decided together how to spend lottery money.
theme: [participatory budgeting, community assets]
region: North West England
organisation: Oldham Big Local
approach: participatory budgeting
country: United Kingdom
year: 2014
---
Oldham Big Local is a Lottery-funded initiative that builds on the assets of its community.
At its last decision day it used participatory budgeting to bring more than 250 residents
together to choose how money would be spent.

## Try it

Edit this file, run `casebook build`, and open `public/index.html`, or add a new case with
`casebook new \"Your case title\"`.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_text_quotes_what_yaml_would_misread() {
        assert_eq!(yaml_text("Oldham Big Local"), "Oldham Big Local");
        assert_eq!(yaml_text("Why: a story"), "\"Why: a story\"");
        assert_eq!(yaml_text("2014"), "\"2014\"");
        assert_eq!(yaml_text("yes"), "\"yes\"");
    }
}
