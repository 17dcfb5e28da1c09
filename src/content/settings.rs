//! The knowledge base's settings: `content/_site.yaml`, and the address a site is deployed at.

use std::path::Path;

use serde::Deserialize;

use super::combinations::CombinationSettings;
use super::facet::slugify;
use super::{front_matter, yaml};
use crate::error::Diagnostic;

/// Settings from `content/_site.yaml`; every key is optional.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// The site's name, shown in every page header and the feed.
    pub title: String,
    /// One sentence for the home page and meta descriptions.
    pub description: String,
    /// Where the site will be deployed, e.g. `https://example.org/kb/`.
    pub base_url: String,
    /// The language of the content, as a BCP 47 tag (`en`).
    pub language: String,
    /// Cases per page on paginated lists.
    pub per_page: usize,
    /// The feed's author; defaults to the site title.
    pub author: Option<String>,
    /// The theme folder under `themes/`; its templates override the built-in ones.
    pub theme: String,
    /// Publish raw HTML in Markdown bodies as written instead of sanitising it.
    pub unsafe_html: bool,
    /// How many months after its `reviewed:` date a case is due for review again, in
    /// `check --report`.
    pub review_after_months: u32,
    /// The browser editing form (`admin/`), when the site has one.
    pub cms: Option<CmsSettings>,
    /// Which theme × country pages are made.
    pub combinations: CombinationSettings,
    /// Warnings of reading it: characters no page can hold, left out.
    #[serde(skip)]
    pub(crate) warnings: Vec<Diagnostic>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Case studies".to_string(),
            description: String::new(),
            base_url: "http://localhost/".to_string(),
            language: "en".to_string(),
            per_page: 20,
            author: None,
            theme: "default".to_string(),
            unsafe_html: false,
            review_after_months: 24,
            cms: None,
            combinations: CombinationSettings::default(),
            warnings: Vec::new(),
        }
    }
}

impl SiteConfig {
    /// Reads `_site.yaml` (a missing file means all defaults).
    pub fn load(path: &Path) -> Result<SiteConfig, Diagnostic> {
        let Some(text) = read_settings(path)? else {
            return Ok(SiteConfig::default());
        };
        if text.trim().is_empty() {
            return Ok(SiteConfig::default());
        }
        let mut config: SiteConfig = yaml::parse(path, 1, &text)?;
        config.validate(path, &text)?;
        // YAML escapes (`"\x01"`) can put characters in a text that no page or feed may hold.
        let texts = [
            ("title", &mut config.title),
            ("description", &mut config.description),
        ];
        let author = config.author.iter_mut().map(|a| ("author", a));
        let mut warnings = Vec::new();
        for (key, value) in texts.into_iter().chain(author) {
            if value.chars().any(crate::text::is_forbidden) {
                *value = crate::text::without_forbidden(value).into_owned();
                let line = yaml::line_of_key(&text, key).unwrap_or(1);
                warnings.push(yaml::left_out_warning(path, line, key));
            }
        }
        config.warnings = warnings;
        Ok(config)
    }

    fn validate(&self, path: &Path, text: &str) -> Result<(), Diagnostic> {
        let line_of = |key: &str| yaml::line_of_key(text, key).unwrap_or(1);
        if self.per_page == 0 {
            return Err(Diagnostic::error(
                path,
                line_of("per_page"),
                "per_page must be at least 1",
            ));
        }
        if let Err(message) = BaseUrl::parse(&self.base_url) {
            return Err(Diagnostic::error(path, line_of("base_url"), message));
        }
        if let Some(cms) = &self.cms {
            cms.validate(path, text)?;
        }
        if slugify(&self.theme) != self.theme {
            return Err(Diagnostic::error(
                path,
                line_of("theme"),
                format!(
                    "theme must be a folder name under themes/, found `{}`",
                    self.theme
                ),
            ));
        }
        Ok(())
    }
}

/// `cms:` in `_site.yaml`: a Decap CMS (or Sveltia CMS, which reads the same settings) form
/// at `admin/` that edits the cases in the site's git repository.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CmsSettings {
    /// Where the CMS reads and writes: one of [`CmsSettings::BACKENDS`].
    pub backend: String,
    /// The repository, `owner/name` (every backend but `git-gateway`).
    pub repo: Option<String>,
    /// The branch edits are committed to.
    #[serde(default = "default_branch")]
    pub branch: String,
    /// Use Decap's local backend (`npx decap-server` beside the files) when the form is opened
    /// on this machine, so an editor can try it without signing in: `true` for decap-server's
    /// port 8081, or the port it listens on.
    pub local_backend: Option<LocalBackend>,
    /// Where the CMS script comes from: an address or a path on the site; by default the
    /// pinned Decap bundle, checked by its hash.
    pub script: Option<String>,
}

/// `local_backend:` as `true`/`false` or a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum LocalBackend {
    /// On or off, on decap-server's own port.
    Flag(bool),
    /// On, with decap-server on this port of 127.0.0.1.
    Port(u16),
}

fn default_branch() -> String {
    "main".to_string()
}

impl CmsSettings {
    /// The git backends Decap CMS offers.
    pub const BACKENDS: [&'static str; 6] = [
        "github",
        "gitlab",
        "gitea",
        "bitbucket",
        "azure",
        "git-gateway",
    ];

    fn validate(&self, path: &Path, text: &str) -> Result<(), Diagnostic> {
        let line_of = |key: &str| {
            let from = yaml::line_of_key(text, "cms").unwrap_or(1);
            yaml::line_of_text(text, &format!("{key}:"), from).unwrap_or(from)
        };
        if !Self::BACKENDS.contains(&self.backend.as_str()) {
            return Err(Diagnostic::error(
                path,
                line_of("backend"),
                format!("`cms.backend` must be one of {}, found `{}`", Self::BACKENDS.join(", "), self.backend),
            )
            .with_help("github, gitlab, gitea, bitbucket and azure take `repo: owner/name`; git-gateway works through Netlify Identity"));
        }
        let needs_repo = self.backend != "git-gateway";
        let repo_ok = self.repo.as_deref().is_some_and(|r| {
            let parts: Vec<&str> = r.split('/').collect();
            parts.len() >= 2 && parts.iter().all(|p| !p.trim().is_empty())
        });
        if needs_repo && !repo_ok {
            return Err(Diagnostic::error(
                path,
                line_of(if self.repo.is_some() {
                    "repo"
                } else {
                    "backend"
                }),
                format!(
                    "the `{}` backend needs `repo: owner/name` under `cms:`",
                    self.backend
                ),
            ));
        }
        Ok(())
    }
}

/// The text of a settings file, `None` when there is none; refuses files that are not text.
pub(super) fn read_settings(path: &Path) -> Result<Option<String>, Diagnostic> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Diagnostic::error(path, 0, format!("cannot read: {e}"))),
    };
    front_matter::decode_text(path, &bytes).map(Some)
}

/// The address a site is deployed at, split into the forms links need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Scheme, host and path, ending with `/`: `https://example.org/kb/`.
    pub absolute: String,
    /// The path alone, starting and ending with `/`: `/kb/`.
    pub path: String,
}

impl BaseUrl {
    /// Parses `https://host[:port][/path]`; the message says what was expected.
    pub fn parse(url: &str) -> Result<BaseUrl, String> {
        let url = url.trim();
        let after_scheme = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| {
                format!("base_url must start with http:// or https://, found `{url}`")
            })?;
        let (host, path) = match after_scheme.find('/') {
            Some(i) => after_scheme.split_at(i),
            None => (after_scheme, "/"),
        };
        if host.is_empty() || host.contains(['?', '#', ' ']) || path.contains(['?', '#', ' ']) {
            return Err(format!(
                "base_url must look like https://example.org/path/, found `{url}`"
            ));
        }
        let mut path = path.to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        let scheme = &url[..url.len() - after_scheme.len()];
        Ok(BaseUrl {
            absolute: format!("{scheme}{host}{path}"),
            path,
        })
    }

    /// The site path of a page given relative to the site root (`cases/x/` → `/kb/cases/x/`).
    pub fn path_to(&self, relative: &str) -> String {
        format!("{}{}", self.path, relative)
    }

    /// The absolute URL of a page given relative to the site root.
    pub fn absolute_to(&self, relative: &str) -> String {
        format!("{}{}", self.absolute, relative)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_its_path() {
        let url = BaseUrl::parse("http://127.0.0.1:8080/kb").unwrap();
        assert_eq!(url.absolute, "http://127.0.0.1:8080/kb/");
        assert_eq!(url.path, "/kb/");
        assert_eq!(url.path_to("cases/x/"), "/kb/cases/x/");
        assert_eq!(BaseUrl::parse("https://example.org").unwrap().path, "/");
        assert!(BaseUrl::parse("example.org").is_err());
    }
}
