//! Hostile content: a knowledge base whose every field carries a script payload builds into a
//! site where, parsed as a browser would, no script runs — no script element but the theme's
//! own, no event-handler attribute, no `javascript:` URL — and whose feed, sitemap and open
//! data hold the payloads as inert text (spreadsheet formulas guarded).

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;

use common::links::html_files;
use common::xml::Document;
use common::{case_file, selector, Kb};
use scraper::{ElementRef, Html};

const SCRIPT: &str = "<script>alert(1)</script>";
const BREAKOUT: &str = "\"><img src=x onerror=alert(1)>";
const QUOTE: &str = "' onmouseover='alert(1)";
const SVG: &str = "</title><svg onload=alert(1)>";
const JS_URL: &str = "javascript:alert(1)";
const FORMULA: &str = "=HYPERLINK(\"http://evil.example/\",\"x\")";

/// Text as a double-quoted YAML string.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A Markdown body that tries every way raw HTML and links have of running a script.
const HOSTILE_BODY: &str = r#"Residents <script>alert(1)</script> decided <img src=x onerror=alert(1)> together.

<a href="javascript:alert(1)">raw link</a> <a href="&#106;avascript:alert(1)">encoded</a>
<iframe src="javascript:alert(1)"></iframe> <svg><script>alert(1)</script></svg>
<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">go</button></form>
<div style="background:url(javascript:alert(1))" onclick="alert(1)">styled</div>
<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)"><base href="javascript:alert(1)//">
<style>body { display: none }</style><meta http-equiv="refresh" content="0;url=javascript:alert(1)">

[a link](javascript:alert(1)) [mixed case](JaVaScRiPt:alert(1)) [spaced]( javascript:alert(1) )
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vb](vbscript:msgbox(1))
<javascript:alert(1)> ![image](javascript:alert(1)) [reference][bad]

## A heading {#section onclick=alert(1)}

[bad]: javascript:alert(1)
"#;

/// A knowledge base with a payload in every field of the settings, the vocabulary and two
/// cases (which share values, so each shows up in the other's related cases).
fn hostile_kb() -> Kb {
    let kb = Kb::empty();
    kb.write(
        "content/_site.yaml",
        format!(
            "title: {}\ndescription: {}\nauthor: {}\nlanguage: {}\nbase_url: https://example.org/kb/\n",
            quoted(&format!("{SCRIPT} Cases")),
            quoted(BREAKOUT),
            quoted(SVG),
            quoted(&format!("en{BREAKOUT}")),
        ),
    );
    kb.write(
        "content/_taxonomy.yaml",
        format!(
            "approach:\n  {}:\n    description: {}\n    synonyms: [{}]\n",
            quoted(SVG),
            quoted(SCRIPT),
            quoted(QUOTE)
        ),
    );
    let fields = |title: &str| {
        format!(
            "---\ntitle: {}\nsummary: {}\ntheme: [{}, {}]\nregion: {}\norganisation: {}\napproach: {}\ncountry: {}\nyear: 2014\nimage: {}\naliases: [old-page-{}/]\nsources:\n  - title: {}\n    url: {}\n  - {}\n  - {}\n  - {}\n  - {}\n---\n",
            quoted(title),
            quoted(BREAKOUT),
            quoted(SCRIPT),
            quoted(BREAKOUT),
            quoted(QUOTE),
            quoted(FORMULA),
            quoted(QUOTE),
            quoted(SVG),
            quoted(&format!("/images/x.png{BREAKOUT}")),
            title.len(),
            quoted(SCRIPT),
            quoted(&format!("https://example.org/?q={SCRIPT}&x={BREAKOUT}")),
            quoted(JS_URL),
            quoted(FORMULA),
            // Invisible characters before the `=` do not stop a spreadsheet.
            quoted(&format!("\u{feff}{FORMULA}")),
            quoted(&format!(" \u{200b}{FORMULA}")),
        )
    };
    kb.write(
        "content/cases/first.md",
        format!("{}{HOSTILE_BODY}", fields(&format!("{SCRIPT} Oldham"))),
    );
    kb.write(
        "content/cases/second.md",
        format!(
            "{}&lt;script&gt;alert(1)&lt;/script&gt; is how the summary starts.\n",
            fields(BREAKOUT).replace(&format!("summary: {}\n", quoted(BREAKOUT)), "")
        ),
    );
    kb
}

/// What a page's script elements are: (src, inline text).
fn scripts(html: &Html) -> BTreeSet<(String, String)> {
    html.select(&selector("script"))
        .map(|s| {
            (
                s.value().attr("src").unwrap_or_default().to_string(),
                s.text().collect::<String>(),
            )
        })
        .collect()
}

/// Every script element of every page of `output`.
fn all_scripts(output: &Path) -> BTreeSet<(String, String)> {
    html_files(output)
        .iter()
        .flat_map(|page| scripts(&Html::parse_document(&read(output, page))))
        .collect()
}

fn read(output: &Path, relative: &str) -> String {
    std::fs::read_to_string(output.join(relative))
        .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
}

/// An attribute value as a browser reads a URL: without spaces and control characters.
fn runs_script(url: &str) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:text/html"]
        .iter()
        .any(|scheme| squeezed.starts_with(scheme) || squeezed.contains(&format!("url={scheme}")))
}

/// Attributes that hold URLs a browser may follow or load.
const URL_ATTRIBUTES: [&str; 12] = [
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
    "cite",
    "ping",
    "content",
];

#[test]
fn no_payload_in_any_field_reaches_a_page_as_markup() {
    let clean = Kb::empty();
    clean.write("content/_site.yaml", "base_url: https://example.org/kb/\n");
    clean.write(
        "content/cases/first.md",
        case_file("A clean case", "", "Text."),
    );
    clean.build(&[]).expect_success();
    let theme_scripts = all_scripts(&clean.output());

    let kb = hostile_kb();
    let run = kb.build(&[]);
    run.expect_success();
    let output = kb.output();
    let pages = html_files(&output);
    assert!(pages.len() > 10, "{pages:?}");

    for page in &pages {
        let text = read(&output, page);
        for raw in [
            SCRIPT,
            "<img src=x",
            "<svg onload",
            "<iframe",
            "<object",
            "<embed",
        ] {
            assert!(!text.contains(raw), "{page} holds `{raw}` as markup");
        }
        let html = Html::parse_document(&text);
        for script in scripts(&html) {
            assert!(
                theme_scripts.contains(&script),
                "{page} has a script the theme does not: {script:?}"
            );
        }
        for element in html.select(&selector("*")) {
            let name = element.value().name();
            assert!(
                !["iframe", "object", "embed", "base", "frame", "applet", "math"].contains(&name),
                "{page} has a <{name}> element"
            );
            // The theme draws its map and charts as SVG; no other SVG may reach a page.
            let in_picture = element.ancestors().filter_map(ElementRef::wrap).any(|a| {
                a.value()
                    .classes()
                    .any(|c| c == "picture" || c == "map-key")
            });
            assert!(name != "svg" || in_picture, "{page} has a <svg> element");
            for (attribute, value) in element.value().attrs() {
                assert!(
                    !attribute.to_ascii_lowercase().starts_with("on"),
                    "{page}: <{name} {attribute}=\"{value}\">"
                );
                if URL_ATTRIBUTES.contains(&attribute) {
                    assert!(
                        !runs_script(value),
                        "{page}: <{name} {attribute}=\"{value}\">"
                    );
                }
                assert!(
                    attribute != "style" || !value.to_ascii_lowercase().contains("javascript"),
                    "{page}: <{name} style=\"{value}\">"
                );
            }
        }
    }

    // Content reaches pages as markup only through bodies, and only harmless markup.
    let html = Html::parse_document(&read(&output, "cases/first/index.html"));
    let active = "form, button, input, style, link, meta, textarea, select";
    let in_body: Vec<String> = html
        .select(&selector(&format!(".case-body :is({active})")))
        .map(|e| e.value().name().to_string())
        .collect();
    assert!(in_body.is_empty(), "the body has {in_body:?}");

    // The payloads are there as text: escaped, not dropped.
    let h1: String = html
        .select(&selector("h1"))
        .next()
        .expect("a heading")
        .text()
        .collect();
    assert_eq!(h1.trim(), format!("{SCRIPT} Oldham"));
    let body_text: String = html
        .select(&selector(".case-body"))
        .flat_map(|b| b.text())
        .collect();
    assert!(
        body_text.contains("Residents"),
        "the body's text survives sanitising"
    );
}

#[test]
fn feed_sitemap_and_open_data_hold_the_payloads_as_inert_text() {
    let kb = hostile_kb();
    kb.build(&[]).expect_success();
    let output = kb.output();

    for file in ["feed.xml", "sitemap.xml"] {
        let text = read(&output, file);
        let document = Document::parse(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        for raw in [SCRIPT, "<img src=x", "<svg onload"] {
            assert!(!text.contains(raw), "{file} holds `{raw}` as markup");
        }
        if file == "feed.xml" {
            let titles: Vec<&str> = document
                .elements
                .iter()
                .filter(|e| e.name == "title")
                .map(|e| e.text.as_str())
                .collect();
            assert!(
                titles.contains(&format!("{SCRIPT} Oldham").as_str()),
                "{titles:?}"
            );
            assert!(titles.contains(&BREAKOUT), "{titles:?}");
        }
    }

    let json_text = read(&output, "cases.json");
    assert!(
        !json_text.contains('<') && !json_text.contains('>'),
        "raw < or > in cases.json"
    );
    let records: Vec<serde_json::Value> = serde_json::from_str(&json_text).unwrap();
    let titles: Vec<&str> = records.iter().filter_map(|r| r["title"].as_str()).collect();
    assert!(
        titles.contains(&format!("{SCRIPT} Oldham").as_str()),
        "{titles:?}"
    );
    assert!(titles.contains(&BREAKOUT));

    let csv_text = read(&output, "cases.csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let mut guarded = 0;
    for record in reader.records() {
        let record = record.unwrap();
        for (column, cell) in header.iter().zip(record.iter()) {
            for item in cell.split("; ") {
                let visible = item.trim_start_matches([' ', '\u{feff}', '\u{200b}']);
                assert!(
                    !visible.starts_with(['=', '+', '-', '@']),
                    "{column} holds a formula a spreadsheet would run: {item:?}"
                );
                guarded += usize::from(item.starts_with('\'') && item.contains("=HYPERLINK"));
            }
        }
    }
    assert!(
        guarded >= 8,
        "the organisation and three sources of each case are guarded"
    );

    for entry in walkdir::WalkDir::new(output.join("search")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
        }
    }
}

#[test]
fn script_urls_in_sources_and_images_are_errors() {
    let kb = Kb::empty();
    kb.write(
        "content/cases/source.md",
        case_file(
            "Source",
            &format!("sources:\n  - title: Report\n    url: {JS_URL}\n"),
            "Text.",
        ),
    );
    kb.write(
        "content/cases/image.md",
        case_file("Image", "image: \" JaVaScRiPt:alert(1)\"\n", "Text."),
    );
    kb.write(
        "content/cases/data-image.md",
        case_file(
            "Data image",
            "image: \"data:text/html,<script>alert(1)</script>\"\n",
            "Text.",
        ),
    );
    let run = kb.build(&[]);
    run.expect_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 3, "{}", run.stderr);
    assert!(
        errors[0].starts_with("content/cases/data-image.md:7:8: error: `image` must be"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].starts_with("content/cases/image.md:7:8: error: `image` must be"),
        "{}",
        errors[1]
    );
    assert!(errors[2].starts_with("content/cases/source.md:9:10: error: source url `javascript:alert(1)` must start with http"), "{}", errors[2]);
    assert!(!kb.output().exists());
}

#[test]
fn raw_html_is_published_as_written_only_when_site_yaml_opts_in() {
    let kb = Kb::empty();
    let body = "<details><summary>More</summary><b onclick=\"x()\">bold</b></details>\n\n[x](javascript:alert(1))\n\n<a href=\"javascript:alert(2)\">raw</a> <div id=\"main\">not the theme's main</div>\n";
    kb.write("content/cases/raw.md", case_file("Raw", "", body));
    kb.build(&[]).expect_success();
    let page = kb.read("public/cases/raw/index.html");
    assert!(!page.contains("onclick"), "sanitised by default");
    assert!(page.contains("<b>bold</b>"), "harmless markup is kept");

    kb.write("content/_site.yaml", "unsafe_html: true\n");
    kb.build(&[]).expect_success();
    let page = kb.read("public/cases/raw/index.html");
    assert!(
        page.contains("<b onclick=\"x()\">bold</b>"),
        "published as written"
    );
    assert!(
        !page.contains("javascript:"),
        "script links are removed even so, raw ones too"
    );
    assert_eq!(
        page.matches("id=\"main\"").count(),
        1,
        "one main: the theme's"
    );
}
