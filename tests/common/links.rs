//! Finding every link in a built site and deciding where it leads.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html};

use super::selector;

/// Where a site is deployed: `https://example.org/kb/` has origin `https://example.org`
/// and path `/kb/`.
#[derive(Debug, Clone)]
pub struct Base {
    pub origin: String,
    pub path: String,
}

impl Base {
    /// Splits a base URL such as `http://127.0.0.1:8080/kb/`.
    pub fn parse(url: &str) -> Base {
        let scheme_end = url.find("://").expect("an absolute base URL") + 3;
        let path_start = url[scheme_end..]
            .find('/')
            .map_or(url.len(), |i| i + scheme_end);
        let mut path = url[path_start..].to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        Base {
            origin: url[..path_start].to_string(),
            path,
        }
    }

    /// The base URL itself, ending with `/`.
    pub fn absolute(&self) -> String {
        format!("{}{}", self.origin, self.path)
    }

    /// The URL path of an output file: `cases/x/index.html` → `/kb/cases/x/index.html`.
    pub fn path_of_file(&self, relative_file: &str) -> String {
        format!("{}{}", self.path, relative_file)
    }
}

/// One link of one page.
#[derive(Debug, Clone)]
pub struct Link {
    /// The attribute it was found in: `href`, `src`, `action` or `content` (a refresh).
    pub attribute: &'static str,
    /// The attribute's value as written.
    pub value: String,
    /// Inside a case's Markdown body (`.case-body`), i.e. written by an editor.
    pub in_body: bool,
}

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A URL path on the site's host, with its query and fragment.
    Site {
        path: String,
        query: Option<String>,
        fragment: Option<String>,
    },
    /// Another host, or a scheme such as `mailto:`.
    Elsewhere,
}

/// Every HTML file of an output folder, as `/`-separated relative paths, sorted; not the
/// editing form under `admin/`, which loads the CMS from its pinned address (`tests/cms.rs`
/// checks it).
pub fn html_files(output: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(output)
        .into_iter()
        .map(|e| e.expect("readable output"))
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let relative = e.path().strip_prefix(output).ok()?.to_string_lossy();
            relative
                .ends_with(".html")
                .then(|| relative.replace('\\', "/"))
        })
        .filter(|file| !file.starts_with("admin/"))
        .collect();
    files.sort();
    files
}

/// Every `href`, `src` and form `action` of a page, and the target of a meta refresh.
pub fn links_in(html: &Html) -> Vec<Link> {
    let in_bodies = selector(".case-body *");
    let written: HashSet<_> = html.select(&in_bodies).map(|e| e.id()).collect();
    let in_body = |element: ElementRef| written.contains(&element.id());
    let mut links = Vec::new();
    for (css, attribute) in [
        ("[href]", "href"),
        ("[src]", "src"),
        ("form[action]", "action"),
    ] {
        for element in html.select(&selector(css)) {
            links.push(Link {
                attribute,
                value: element
                    .value()
                    .attr(attribute)
                    .unwrap_or_default()
                    .to_string(),
                in_body: in_body(element),
            });
        }
    }
    for element in html.select(&selector(r#"meta[http-equiv="refresh"]"#)) {
        let content = element.value().attr("content").unwrap_or_default();
        if let Some((_, url)) = content.split_once("url=") {
            links.push(Link {
                attribute: "content",
                value: url.trim().to_string(),
                in_body: false,
            });
        }
    }
    links
}

/// Resolves `value`, found in the page at URL path `page`, as a browser would.
pub fn resolve(base: &Base, page: &str, value: &str) -> Target {
    let value = value.trim();
    let has_scheme = value.find(':').is_some_and(|i| {
        i > 0
            && value[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    let absolute = if let Some(rest) = value.strip_prefix("//") {
        let scheme = &base.origin[..base.origin.find(':').expect("origin has a scheme")];
        Some(format!("{scheme}://{rest}"))
    } else {
        has_scheme.then(|| value.to_string())
    };
    let on_site = if let Some(absolute) = absolute {
        // A full address outside the base path is another site on the same host.
        let inside =
            |path: &str| path.starts_with(&base.path) || path == base.path.trim_end_matches('/');
        match absolute.strip_prefix(&base.origin) {
            Some("") if base.path == "/" => base.path.clone(),
            Some(path) if inside(path) => path.to_string(),
            _ => return Target::Elsewhere,
        }
    } else if value.starts_with('/') {
        value.to_string()
    } else if value.starts_with(['#', '?']) || value.is_empty() {
        let page_only = page.split(['?', '#']).next().unwrap_or(page);
        format!("{page_only}{value}")
    } else {
        let folder = &page[..page.rfind('/').map_or(0, |i| i + 1)];
        format!("{folder}{value}")
    };
    let (rest, fragment) = match on_site.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment.to_string())),
        None => (on_site.as_str(), None),
    };
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query.to_string())),
        None => (rest, None),
    };
    let path = if path.is_empty() { "/" } else { path };
    Target::Site {
        path: normalise(path),
        query,
        fragment,
    }
}

/// Resolves `.` and `..` segments of a URL path.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
        if i == segments.len() - 1 && matches!(*segment, "." | "..") {
            parts.push("");
        }
    }
    format!("/{}", parts.join("/"))
}

/// Decodes `%XX` escapes of a URL path or fragment.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(high * 16 + low);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The output file a URL path names, as a static host would serve it (a folder URL
/// ending in `/` serves its `index.html`).
pub fn file_for(output: &Path, base: &Base, path: &str) -> Result<PathBuf, String> {
    let relative = path
        .strip_prefix(&base.path)
        .ok_or_else(|| format!("is outside the site's base path {}", base.path))?;
    let mut relative = percent_decode(relative);
    if relative.is_empty() || relative.ends_with('/') {
        relative.push_str("index.html");
    }
    if relative.split('/').any(|part| part == "..") {
        return Err("leaves the output folder".into());
    }
    let file = output.join(&relative);
    if file.is_file() {
        Ok(file)
    } else if file.is_dir() {
        Err("names a folder without its trailing `/`".into())
    } else {
        Err(format!("has no file {relative} in the output"))
    }
}

/// Every `id` (and `<a name>`) of a page: the fragments a link may point at.
pub fn anchors(html: &Html) -> HashSet<String> {
    let (with_id, named) = (selector("[id]"), selector("a[name]"));
    let ids = html.select(&with_id).filter_map(|e| e.value().attr("id"));
    let names = html.select(&named).filter_map(|e| e.value().attr("name"));
    ids.chain(names).map(str::to_string).collect()
}

/// What a walk over every link of a site found.
#[derive(Debug, Default)]
pub struct LinkReport {
    /// Pages walked.
    pub pages: usize,
    /// Links on the site checked.
    pub checked: usize,
    /// Of those, links with a fragment that was looked up in its target page.
    pub fragments: usize,
    /// Distinct site URLs (path and query) the links lead to.
    pub targets: BTreeSet<String>,
    /// `page: attribute="value" problem`, one per broken link.
    pub broken: Vec<String>,
}

/// Checks that every link on the site leads to a file of `output`, and every fragment to
/// an id in its target page.
pub fn check_links(output: &Path, base: &Base) -> LinkReport {
    check_links_of(output, base, &html_files(output), false)
}

/// [`check_links`] for the links of some pages only. With `skip_bodies`, links editors
/// wrote in case bodies are left out (for collections converted from elsewhere, whose
/// bodies link to their old site).
pub fn check_links_of(
    output: &Path,
    base: &Base,
    pages: &[String],
    skip_bodies: bool,
) -> LinkReport {
    let mut report = LinkReport::default();
    let mut anchor_cache: HashMap<PathBuf, Option<HashSet<String>>> = HashMap::new();
    let mut resolved: HashMap<String, Result<PathBuf, String>> = HashMap::new();
    for file in pages {
        report.pages += 1;
        let text = std::fs::read_to_string(output.join(file)).expect("pages are UTF-8");
        let html = Html::parse_document(&text);
        let page = base.path_of_file(file);
        for link in links_in(&html) {
            if skip_bodies && link.in_body {
                continue;
            }
            let Target::Site {
                path,
                query,
                fragment,
            } = resolve(base, &page, &link.value)
            else {
                continue;
            };
            report.checked += 1;
            let problem =
                |why: String| format!("{file}: {}=\"{}\" {why}", link.attribute, link.value);
            report.targets.insert(match &query {
                Some(q) => format!("{path}?{q}"),
                None => path.clone(),
            });
            let found = resolved
                .entry(path.clone())
                .or_insert_with(|| file_for(output, base, &path));
            let target = match found.clone() {
                Ok(target) => target,
                Err(why) => {
                    report.broken.push(problem(why));
                    continue;
                }
            };
            let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
                continue;
            };
            report.fragments += 1;
            let anchors = anchor_cache.entry(target.clone()).or_insert_with(|| {
                // An SVG's ids are the shapes `<use href="…#id">` draws (the map's countries).
                let has_ids = target
                    .extension()
                    .is_some_and(|x| x == "html" || x == "svg");
                has_ids.then(|| {
                    let text = std::fs::read_to_string(&target).expect("pages are UTF-8");
                    anchors(&Html::parse_document(&text))
                })
            });
            let fragment = percent_decode(&fragment);
            match anchors {
                None => report.broken.push(problem(format!(
                    "has a fragment #{fragment} into a file that is not a page or an SVG"
                ))),
                Some(ids) if !ids.contains(&fragment) => report.broken.push(problem(format!(
                    "points at #{fragment}, which is not an id of its page or SVG"
                ))),
                Some(_) => {}
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &str, fragment: Option<&str>) -> Target {
        Target::Site {
            path: path.into(),
            query: None,
            fragment: fragment.map(str::to_string),
        }
    }

    #[test]
    fn links_resolve_like_a_browser() {
        let base = Base::parse("https://example.org/kb/");
        let page = "/kb/cases/a/index.html";
        assert_eq!(resolve(&base, page, "/kb/x/"), site("/kb/x/", None));
        assert_eq!(
            resolve(&base, page, "#why"),
            site("/kb/cases/a/index.html", Some("why"))
        );
        assert_eq!(
            resolve(&base, page, "../b/#c"),
            site("/kb/cases/b/", Some("c"))
        );
        assert_eq!(
            resolve(&base, page, "https://example.org/kb/"),
            site("/kb/", None)
        );
        assert_eq!(
            resolve(&base, page, "https://other.org/kb/"),
            Target::Elsewhere
        );
        assert_eq!(resolve(&base, page, "mailto:a@b.c"), Target::Elsewhere);
        assert_eq!(
            resolve(&base, page, "other.md"),
            site("/kb/cases/a/other.md", None)
        );
    }
}
