//! "Cite this case": the APA reference on case pages, and the BibTeX, RIS and CSL-JSON files
//! of each case and of the collection, read back with Citation.js (its BibTeX and RIS parsers,
//! and citeproc-js with the APA style).

use crate::common;

use common::{case_file, Kb};
use serde_json::Value;

const TITLE: &str = "Budgets {shared} 100% & \"more\": Île-de-France's décision";

/// A case whose title holds what each format must escape, and a 400-character organisation.
fn fixture(kb: &Kb) -> String {
    let organisation = format!(
        "Conseil régional d'Île-de-France {}",
        "et partenaires ".repeat(25)
    );
    let organisation = organisation.trim().to_string();
    assert!(organisation.chars().count() >= 400);
    let title = TITLE.replace('\\', "\\\\").replace('"', "\\\"");
    kb.write(
        "content/cases/cite-fixture.md",
        format!(
            "---\ntitle: \"{title}\"\ntheme: [participatory budgeting]\nregion: London\norganisation: \"{organisation}\"\napproach: participatory budgeting\nyear: 2012\ndate: 2012-03-04\nupdated: 2024-05-06\n---\nResidents decided.\n"
        ),
    );
    organisation
}

/// What Citation.js reads from the three files of `folder` (`cite.bib`…).
fn read_back(kb: &Kb, folder: &str) -> Value {
    let file = |ext: &str| kb.path(&format!("public/{folder}/cite.{ext}"));
    common::browser::install_node_packages();
    let files = [file("bib"), file("ris"), file("json")];
    common::node_json(
        "browser/citations.mjs",
        &files.iter().map(|f| f.as_path()).collect::<Vec<_>>(),
    )
}

#[test]
fn each_format_reads_back_as_written_and_citeproc_renders_the_apa_reference() {
    let kb = Kb::example();
    let organisation = fixture(&kb);
    kb.build(&[]).expect_success();
    let read = read_back(&kb, "cases/cite-fixture");
    let url = "https://example.org/cases/cite-fixture/";
    let note = format!("A case of {organisation}");
    for format in ["bibtex", "ris"] {
        let item = &read[format][0];
        assert_eq!(item["title"], TITLE, "{format}: {item}");
        assert_eq!(item["URL"], url, "{format}");
        assert_eq!(item["note"], note.as_str(), "{format}");
        assert_eq!(
            item["issued"]["date-parts"][0],
            serde_json::json!([2024, 5, 6]),
            "{format}: the date is `updated:`, not `date:`"
        );
    }
    assert_eq!(read["bibtex"][0]["author"][0]["family"], "casebook editors");
    assert_eq!(read["ris"][0]["author"][0]["literal"], "casebook editors");
    // citeproc sets quote marks as typographers do.
    let expected = format!(
        "casebook editors. (2024, May 6). {}. Public Service Innovation Casebook. {url}",
        TITLE
            .replacen('"', "“", 1)
            .replacen('"', "”", 1)
            .replace('\'', "’")
    );
    assert_eq!(read["apa"], expected.as_str());

    // RIS: the tags it needs, TY first and ER last.
    let ris = kb.read("public/cases/cite-fixture/cite.ris");
    let tags: Vec<&str> = ris.lines().map(|l| &l[..6]).collect();
    assert_eq!(tags.first(), Some(&"TY  - "));
    assert_eq!(tags.last(), Some(&"ER  - "));
    for tag in ["AU  - ", "TI  - ", "UR  - ", "PY  - "] {
        assert!(tags.contains(&tag), "{tag} in\n{ris}");
    }

    // The page: the same reference (citeproc title-cases the site's name and curls the
    // quotes), and the files.
    let page = kb.page("cases/cite-fixture/index.html");
    let cite = page
        .select(&common::selector(".case-cite .citation"))
        .next()
        .map(common::text_of)
        .expect("a citation on the page");
    let plain = |text: &str| {
        text.to_lowercase()
            .replace(['“', '”'], "\"")
            .replace('’', "'")
    };
    assert_eq!(plain(&cite), plain(&expected));
    let links: Vec<&str> = page
        .select(&common::selector(".case-cite a[download]"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        links,
        [
            "/cases/cite-fixture/cite.bib",
            "/cases/cite-fixture/cite.ris",
            "/cases/cite-fixture/cite.json"
        ]
    );
    // The feed's date of the case is `updated:` too.
    assert!(kb
        .read("public/feed.xml")
        .contains("<updated>2024-05-06T00:00:00Z</updated>"));
}

#[test]
fn a_case_without_updated_is_cited_without_a_date_and_the_collection_in_one_file() {
    let kb = Kb::example();
    kb.write(
        "content/cases/undated.md",
        case_file("Undated", "year: 2012\ndate: 2012-03-04\n", "Text."),
    );
    kb.build(&[]).expect_success();
    let read = read_back(&kb, "cases/undated");
    assert!(
        read["bibtex"][0].get("issued").is_none(),
        "{}",
        read["bibtex"][0]
    );
    assert!(
        read["apa"].as_str().unwrap().contains("(n.d.)"),
        "{}",
        read["apa"]
    );
    let bib = kb.read("public/cite/cases.bib");
    let cases = common::case_pages(&kb.output()).len();
    assert_eq!(bib.matches("@misc{").count(), cases);
    assert_eq!(
        kb.read("public/cite/cases.ris").matches("ER  - ").count(),
        cases
    );
    let json: Vec<Value> = serde_json::from_str(&kb.read("public/cite/cases.json")).unwrap();
    assert_eq!(json.len(), cases);
}
