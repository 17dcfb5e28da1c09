//! Reading the front matter values that are not text or facets: years, dates, flags,
//! sources, images, slugs and aliases, each with the rule that makes it safe to publish.

use chrono::NaiveDate;
use serde_yaml::{Mapping, Value};

use super::reader::{plain_text, FieldReader};
use super::{Source, YEARS};
use crate::content::facet::{is_reserved_name, slugify};
use crate::content::yaml;
use crate::error::{nearest, Diagnostic, Severity};

impl FieldReader<'_> {
    pub(super) fn year(&mut self, value: Value) -> Option<i32> {
        let year = match &value {
            // A form leaves a cleared field as empty text.
            Value::Null => return None,
            Value::String(s) if s.trim().is_empty() => return None,
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        match year {
            Some(y) if (1000..=9999).contains(&y) => {
                let y = y as i32;
                self.warn_if_out_of_years("year", y);
                Some(y)
            }
            _ => {
                let shown =
                    yaml::scalar_text(&value).unwrap_or_else(|| yaml::kind_of(&value).to_string());
                let d = self.error(
                    "year",
                    format!("`year` must be a four-digit year, found `{shown}`"),
                );
                d.help = Some("write e.g. `year: 2014`, or leave the key out".into());
                None
            }
        }
    }

    pub(super) fn date(&mut self, key: &str, value: Value) -> Option<NaiveDate> {
        let text = match &value {
            Value::Null => return None,
            Value::String(s) if s.trim().is_empty() => return None,
            Value::String(s) => s.trim().to_string(),
            other => yaml::scalar_text(other).unwrap_or_default(),
        };
        let day = text.get(..10).unwrap_or(&text);
        match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
            Ok(date) => {
                self.warn_if_out_of_years(key, chrono::Datelike::year(&date));
                Some(date)
            }
            Err(_) => {
                let d = self.error(
                    key,
                    format!("`{key}` must be a date like 2014-05-31, found `{text}`"),
                );
                d.help = Some("use the form YYYY-MM-DD".into());
                None
            }
        }
    }

    /// A warning when a year lies outside [`YEARS`]: kept on the page, left out of year
    /// filters and charts.
    fn warn_if_out_of_years(&mut self, key: &str, year: i32) {
        if YEARS.contains(&year) {
            return;
        }
        let d = self.error(
            key,
            format!(
                "the year {year} is outside {}–{}: the case is left out of year filters and charts",
                YEARS.start(),
                YEARS.end()
            ),
        );
        d.severity = Severity::Warning;
        d.help = Some("check the year; a typo such as 2104 for 2014 is common".into());
    }

    pub(super) fn flag(&mut self, key: &str, value: Value) -> bool {
        match value {
            Value::Bool(b) => b,
            Value::Null => false,
            other => {
                let kind = yaml::kind_of(&other);
                self.error(key, format!("`{key}` must be true or false, found {kind}"));
                false
            }
        }
    }

    pub(super) fn sources(&mut self, value: Value) -> Vec<Source> {
        let items = match value {
            Value::Null => return Vec::new(),
            Value::Sequence(items) => items,
            other => vec![other],
        };
        let mut sources = Vec::new();
        for item in items {
            match item {
                Value::String(s) if looks_like_url(&s) => sources.push(Source {
                    title: s.trim().to_string(),
                    url: Some(clean_url(&s)),
                }),
                Value::String(s) => sources.push(Source {
                    title: plain_text(&s),
                    url: None,
                }),
                Value::Mapping(m) => {
                    if let Some(source) = self.source(m) {
                        sources.push(source);
                    }
                }
                other => {
                    let kind = yaml::kind_of(&other);
                    self.error(
                        "sources",
                        format!("each source must be `title:` and `url:`, found {kind}"),
                    );
                }
            }
        }
        sources
    }

    fn source(&mut self, mapping: Mapping) -> Option<Source> {
        let mut title = None;
        let mut url = None;
        for (key, value) in mapping {
            let key = yaml::scalar_text(&key).unwrap_or_default();
            let text = yaml::scalar_text(&value).map(|t| plain_text(&t));
            match key.as_str() {
                "title" => title = text,
                "url" => {
                    url = text.filter(|t| !t.is_empty()).map(|t| {
                        if looks_like_url(&t) {
                            clean_url(&t)
                        } else {
                            t
                        }
                    })
                }
                other => {
                    let hint =
                        nearest(other, ["title", "url"]).map(|n| format!("did you mean `{n}`?"));
                    let mut d = self.value_error(
                        "sources",
                        other,
                        format!("unknown key `{other}` in a source"),
                    );
                    d.help = hint.or(Some("a source has `title:` and `url:`".into()));
                    self.problems.push(d);
                }
            }
        }
        if let Some(u) = &url {
            if !looks_like_url(u) {
                let d = self.value_error(
                    "sources",
                    u,
                    format!("source url `{u}` must start with http:// or https://"),
                );
                self.problems.push(d);
                return None;
            }
        }
        match (title, url) {
            (Some(title), url) if !title.is_empty() => Some(Source { title, url }),
            (_, Some(url)) => Some(Source {
                title: url.clone(),
                url: Some(url),
            }),
            _ => {
                self.error("sources", "a source needs a `title:` or a `url:`");
                None
            }
        }
    }

    pub(super) fn image(&mut self, value: Option<Value>) -> Option<String> {
        let image = self
            .optional_text("image", value)
            .filter(|i| !i.is_empty())?;
        if has_scheme(&image) && !looks_like_url(&image) {
            let d = self.error(
                "image",
                format!(
                    "`image` must be an http(s):// address or a path on the site, found `{image}`"
                ),
            );
            d.help = Some(
                "e.g. `image: /images/oldham.jpg` or `image: https://example.org/oldham.jpg`"
                    .into(),
            );
            return None;
        }
        Some(image)
    }

    pub(super) fn slug(&mut self, value: Option<Value>) -> String {
        // `slug:` with nothing after it (a form's cleared field) means no slug of its own.
        let value = value.filter(|v| match v {
            Value::Null => false,
            Value::String(s) => !s.trim().is_empty(),
            _ => true,
        });
        let Some(value) = value else {
            let stem = self
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let slug = slugify(&stem);
            if slug.is_empty() {
                self.problems.push(
                    Diagnostic::error(
                        self.path,
                        0,
                        "the file name has no letters or digits to make a page address from",
                    )
                    .with_help(
                        "rename the file, or add `slug: a-readable-name` to the front matter",
                    ),
                );
            }
            return slug;
        };
        let Some(text) = yaml::scalar_text(&value) else {
            let kind = yaml::kind_of(&value);
            self.error("slug", format!("`slug` must be text, found {kind}"));
            return String::new();
        };
        let safe = slugify(&text);
        if safe.is_empty() {
            self.error(
                "slug",
                format!("`slug` must contain letters or digits, found `{text}`"),
            );
        } else if is_reserved_name(&text) {
            let d = self.error(
                "slug",
                format!("`slug: {text}` is a name Windows keeps for a device, so the site could not be copied there"),
            );
            d.help = Some(format!("did you mean `{safe}`?"));
        } else if safe != text {
            let d = self.error(
                "slug",
                format!(
                    "`slug` may only hold lowercase letters, digits and hyphens, found `{text}`"
                ),
            );
            d.help = Some(format!("did you mean `{safe}`?"));
        }
        safe
    }

    pub(super) fn aliases(&mut self, value: Value) -> Vec<String> {
        let Some(items) = yaml::text_list(&value) else {
            self.error(
                "aliases",
                "`aliases` must be a list of site paths such as `old/path/`",
            );
            return Vec::new();
        };
        let mut aliases = Vec::new();
        for item in items {
            match normalise_alias(&item) {
                Some(alias) => aliases.push(alias),
                None => {
                    let d = self
                        .value_error("aliases", &item, format!("alias `{item}` is not a safe site path"))
                        .with_help("use letters, digits, `-`, `_` and `.` in `/`-separated parts, like `2014/old-page/`");
                    self.problems.push(d);
                }
            }
        }
        aliases
    }
}

/// An alias as a relative site path (`2014/old/`, or `old.html`); `None` when it could
/// leave the output folder or name nothing.
fn normalise_alias(alias: &str) -> Option<String> {
    let trimmed = alias.trim();
    let is_file = trimmed.ends_with(".html") || trimmed.ends_with(".htm");
    let parts: Vec<&str> = trimmed.split('/').filter(|p| !p.is_empty()).collect();
    let safe_part = |p: &&str| {
        *p != "."
            && *p != ".."
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
    };
    if parts.is_empty() || !parts.iter().all(safe_part) || parts.iter().any(|p| is_reserved_name(p))
    {
        return None;
    }
    let joined = parts.join("/");
    Some(if is_file {
        joined
    } else {
        format!("{joined}/")
    })
}

/// True when `text` starts with a URL scheme (`javascript:`, `data:`, `https:` …).
fn has_scheme(text: &str) -> bool {
    text.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

fn looks_like_url(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("https://") || t.starts_with("http://")
}

/// A URL as written by hand, with the spaces some sources contain percent-encoded.
fn clean_url(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join("%20")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_cannot_escape() {
        assert_eq!(normalise_alias("/2014/old/"), Some("2014/old/".into()));
        assert_eq!(normalise_alias("old.html"), Some("old.html".into()));
        assert_eq!(normalise_alias("../../etc/x"), None);
        assert_eq!(normalise_alias("a/../../b"), None);
        assert_eq!(normalise_alias(""), None);
        assert_eq!(normalise_alias("con"), None);
    }
}
