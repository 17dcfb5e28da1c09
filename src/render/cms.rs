//! The browser editing form for editors who never open a terminal: `admin/index.html`,
//! which loads Decap CMS (or Sveltia CMS, which reads the same settings), and
//! `admin/config.yml`, whose collections mirror the case schema: a select of the listed
//! values for each facet the vocabulary lists, the required title, the sources as a list of
//! title and address, the draft flag, and one collection per folder of cases.

use serde_json::{json, Value};

use crate::content::{CmsSettings, Facet, Key, LocalBackend, Vocabulary};
use crate::text::escape_html;

/// The form's page.
pub const ADMIN_PAGE: &str = "admin/index.html";
/// Its settings, which the CMS reads next to the page.
pub const ADMIN_CONFIG: &str = "admin/config.yml";

/// The CMS script unless `cms.script` names another: Decap CMS 3.16.3 (MIT licence) from
/// its npm package, pinned and checked by its hash, so a changed file is refused.
pub const DECAP_SCRIPT: &str = "https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js";
const DECAP_INTEGRITY: &str =
    "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p";

/// The form's page: the CMS script and a link to its settings, nothing else.
pub fn admin_page(cms: &CmsSettings, site_title: &str, language: &str) -> String {
    let script = match &cms.script {
        Some(script) => format!("<script src=\"{}\"></script>", escape_html(script)),
        None => format!(
            "<script src=\"{DECAP_SCRIPT}\" integrity=\"{DECAP_INTEGRITY}\" crossorigin=\"anonymous\"></script>"
        ),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<title>Edit the cases of {}</title>\n\
         <link href=\"config.yml\" type=\"text/yaml\" rel=\"cms-config-url\">\n</head>\n<body>\n\
         <noscript>The editing form needs JavaScript. Cases can also be edited as files in \
         <code>content/cases/</code>.</noscript>\n{script}\n</body>\n</html>\n",
        escape_html(language),
        escape_html(site_title)
    )
}

/// The CMS settings: the backend, where pictures go, and one collection per folder of cases
/// (`folders`: `content/cases` and its sub-folders holding cases, relative to the knowledge
/// base, which is taken to be the repository's top folder).
pub fn config_yml(
    cms: &CmsSettings,
    theme: &str,
    vocabulary: &Vocabulary,
    folders: &[String],
) -> String {
    let mut backend = json!({"name": cms.backend, "branch": cms.branch});
    if let Some(repo) = &cms.repo {
        backend["repo"] = json!(repo);
    }
    let fields: Vec<Value> = Key::ALL
        .into_iter()
        .map(|key| field(key, vocabulary))
        .chain([json!({"label": "Text", "name": "body", "widget": "markdown"})])
        .collect();
    let collections: Vec<Value> = folders
        .iter()
        .map(|folder| {
            let below = folder.strip_prefix("content/cases").unwrap_or(folder);
            let below = below.trim_start_matches('/');
            let (name, label) = if below.is_empty() {
                ("cases".to_string(), "Cases".to_string())
            } else {
                (
                    format!("cases-{}", crate::content::slugify(below)),
                    format!("Cases in {below}/"),
                )
            };
            json!({
                "name": name,
                "label": label,
                "label_singular": "Case",
                "folder": folder,
                "create": true,
                "extension": "md",
                "format": "yaml-frontmatter",
                "slug": "{{slug}}",
                "summary": "{{title}}",
                "fields": fields,
            })
        })
        .collect();
    let mut config = json!({
        "backend": backend,
        "media_folder": format!("themes/{theme}/static/images"),
        "public_folder": "/images",
        "collections": collections,
    });
    match cms.local_backend {
        Some(LocalBackend::Flag(true)) => config["local_backend"] = json!(true),
        Some(LocalBackend::Port(port)) => {
            config["local_backend"] = json!({
                "url": format!("http://127.0.0.1:{port}/api/v1"),
                "allowed_hosts": ["127.0.0.1", "localhost"],
            })
        }
        Some(LocalBackend::Flag(false)) | None => {}
    }
    // Plain data with text keys: writing it as YAML cannot fail.
    let yaml = serde_yaml::to_string(&config).expect("the CMS settings are plain data");
    format!("# Made by casebook from _site.yaml and _taxonomy.yaml: edit those, not this.\n{yaml}")
}

/// The form field of one front matter key (every key has one, so the form keeps them all).
fn field(key: Key, vocabulary: &Vocabulary) -> Value {
    let name = key.name();
    let optional = |widget: &str, label: &str| json!({"label": label, "name": name, "widget": widget, "required": false});
    let day = |label: &str| {
        json!({
            "label": label, "name": name, "widget": "datetime", "required": false,
            "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": false,
        })
    };
    match key {
        Key::Title => json!({"label": "Title", "name": name, "widget": "string", "required": true}),
        Key::Summary => optional("text", "Summary"),
        Key::Theme => facet(Facet::Theme, vocabulary),
        Key::Region => facet(Facet::Region, vocabulary),
        Key::Organisation => facet(Facet::Organisation, vocabulary),
        Key::Approach => facet(Facet::Approach, vocabulary),
        Key::Country => facet(Facet::Country, vocabulary),
        Key::Year => json!({
            "label": "Year", "name": name, "widget": "number", "required": false,
            "value_type": "int", "min": 1000, "max": 2100,
        }),
        Key::Date => day("Date it happened"),
        Key::Updated => day("Page last brought up to date"),
        Key::Reviewed => day("Last reviewed"),
        Key::Sources => json!({
            "label": "Sources", "name": name, "widget": "list", "required": false,
            "fields": [
                {"label": "Title", "name": "title", "widget": "string"},
                {
                    "label": "Address", "name": "url", "widget": "string", "required": false,
                    "pattern": ["^https?://", "an address starting with http:// or https://"],
                },
            ],
        }),
        Key::Draft => json!({
            "label": "Draft (kept out of the site)", "name": name, "widget": "boolean",
            "required": false, "default": false,
        }),
        Key::Image => optional("string", "Image"),
        Key::Slug => json!({
            "label": "Page address (slug)", "name": name, "widget": "string", "required": false,
            "hint": "leave empty for one made from the file name",
            "pattern": ["^([a-z0-9]+(-[a-z0-9]+)*)?$", "lowercase letters, digits and hyphens"],
        }),
        Key::Aliases => optional("list", "Old addresses that redirect here"),
    }
}

/// A facet: a select of the listed values, or free text (a list) for an open facet.
fn facet(facet: Facet, vocabulary: &Vocabulary) -> Value {
    let (key, label) = (facet.key(), facet.plural_label());
    let hint = if facet.expected() {
        "expected: a case without one is not listed under this facet"
    } else {
        "optional"
    };
    match vocabulary.facet(facet) {
        Some(listed) => json!({
            "label": label, "name": key, "widget": "select", "multiple": true,
            "required": false, "hint": hint,
            "options": listed.values().iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
        }),
        None => json!({
            "label": label, "name": key, "widget": "list", "required": false, "hint": hint,
        }),
    }
}
