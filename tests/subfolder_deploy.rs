//! A site built with `--base-url http://127.0.0.1:PORT/kb/` and served from `/kb/` by a
//! plain static server works: every link of every page is fetched over HTTP and answers.

use crate::common;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::net::{SocketAddr, TcpListener};
use std::sync::OnceLock;

use common::links::{anchors, html_files, links_in, percent_decode, resolve, Base, Target};
use common::xml::Document;
use common::Kb;
use scraper::Html;

/// The folder the site is deployed under.
const SUB_FOLDER: &str = "/kb/";

/// The example, built for and served under `http://127.0.0.1:PORT/kb/`.
struct Deployment {
    kb: Kb,
    address: SocketAddr,
    base: Base,
}

/// Starts the server on a free port, builds the example for it, and serves it in a
/// background thread for the rest of the test process.
fn deployment() -> &'static Deployment {
    static DEPLOYMENT: OnceLock<Deployment> = OnceLock::new();
    DEPLOYMENT.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port on loopback");
        let address = listener.local_addr().expect("an address");
        let base_url = format!("http://{address}{SUB_FOLDER}");
        let kb = Kb::example_for_the_whole_run();
        kb.build(&["--base-url", &base_url]).expect_success();
        let (output, base) = (kb.output(), Base::parse(&base_url));
        let served = base.clone();
        std::thread::spawn(move || common::browser::serve(&listener, &output, &served));
        Deployment { kb, address, base }
    })
}

/// One HTTP/1.0 GET: the status code and the body.
fn get(address: SocketAddr, target: &str) -> (u16, Vec<u8>) {
    let response = common::http::request(address, "GET", &encode(target));
    (response.status, response.body)
}

/// Percent-encodes what may not appear raw in a request line.
fn encode(target: &str) -> String {
    target
        .bytes()
        .map(|b| match b {
            b if b.is_ascii_graphic() => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// The URL a visitor uses for an output file: folders for `index.html` files.
fn url_of_file(file: &str) -> String {
    let folder_url = file.strip_suffix("index.html").unwrap_or(file);
    format!("{SUB_FOLDER}{folder_url}")
}

#[test]
fn every_link_of_every_page_answers_under_the_sub_folder() {
    let site = deployment();
    let mut pages: BTreeMap<String, Html> = BTreeMap::new();
    for file in html_files(&site.kb.output()) {
        let url = url_of_file(&file);
        let (status, body) = get(site.address, &url);
        assert_eq!(status, 200, "{url}");
        pages.insert(url, Html::parse_document(&String::from_utf8_lossy(&body)));
    }

    let mut problems = Vec::new();
    let mut wanted: BTreeMap<String, Vec<(String, Option<String>)>> = BTreeMap::new();
    for (url, html) in &pages {
        for link in links_in(html) {
            let Target::Site {
                path,
                query,
                fragment,
            } = resolve(&site.base, url, &link.value)
            else {
                continue;
            };
            if !path.starts_with(SUB_FOLDER) {
                problems.push(format!(
                    "{url}: {}=\"{}\" leaves {SUB_FOLDER}",
                    link.attribute, link.value
                ));
                continue;
            }
            let target = query.map_or(path.clone(), |q| format!("{path}?{q}"));
            wanted
                .entry(target)
                .or_default()
                .push((url.clone(), fragment));
        }
    }
    for (target, referrers) in &wanted {
        let (status, body) = get(site.address, target);
        if status != 200 {
            let (page, _) = &referrers[0];
            problems.push(format!(
                "{target} (linked from {page} and {} more) answers {status}",
                referrers.len() - 1
            ));
            continue;
        }
        let fragments: HashSet<&String> =
            referrers.iter().filter_map(|(_, f)| f.as_ref()).collect();
        if fragments.iter().all(|f| f.is_empty()) {
            continue;
        }
        let ids = anchors(&Html::parse_document(&String::from_utf8_lossy(&body)));
        for fragment in fragments.into_iter().filter(|f| !f.is_empty()) {
            if !ids.contains(&percent_decode(fragment)) {
                problems.push(format!("{target} has no id `{fragment}`"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    let unlinked: Vec<&String> = pages
        .keys()
        .filter(|url| !wanted.contains_key(*url) && !url.ends_with("/404.html"))
        .collect();
    assert!(unlinked.is_empty(), "pages no link leads to: {unlinked:?}");
}

/// The absolute URLs listed in an XML file, by element name and attribute (or text).
fn urls_in_xml(text: &str, element: &str, attribute: Option<&str>) -> BTreeSet<String> {
    let document = Document::parse(text).expect("well-formed XML");
    document
        .elements
        .iter()
        .filter(|e| e.name == element)
        .map(|e| match attribute {
            Some(name) => e.attr(name).expect("the attribute").to_string(),
            None => e.text.trim().to_string(),
        })
        .collect()
}

#[test]
fn feed_sitemap_and_open_data_give_urls_under_the_sub_folder_that_answer() {
    let site = deployment();
    let base_url = site.base.absolute();
    let fetch_text = |path: &str| {
        let (status, body) = get(site.address, path);
        assert_eq!(status, 200, "{path}");
        String::from_utf8(body).expect("UTF-8")
    };
    let mut urls = urls_in_xml(&fetch_text("/kb/sitemap.xml"), "loc", None);
    urls.extend(urls_in_xml(
        &fetch_text("/kb/feed.xml"),
        "link",
        Some("href"),
    ));
    let json: serde_json::Value = serde_json::from_str(&fetch_text("/kb/cases.json")).unwrap();
    let case_urls: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["url"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(case_urls.len(), 19);
    urls.extend(case_urls);
    for url in &urls {
        let path = url
            .strip_prefix(&site.base.origin)
            .filter(|p| p.starts_with(SUB_FOLDER))
            .unwrap_or_else(|| panic!("{url} is not under {base_url}"));
        assert_eq!(get(site.address, path).0, 200, "{url}");
    }
}

#[test]
fn the_static_server_answers_only_inside_the_sub_folder() {
    let site = deployment();
    assert_eq!(get(site.address, "/kb/").0, 200);
    assert_eq!(get(site.address, "/kb/no-such-page/").0, 404);
    assert_eq!(
        get(site.address, "/").0,
        404,
        "the site root is not the deployment"
    );
    assert_eq!(get(site.address, "/index.html").0, 404);
    assert_eq!(get(site.address, "/kb/../kb/index.html").0, 404);
}
