//! The pictures of the collection (map, charts, theme × country pages) on knowledge bases
//! made to break them: none at all, no country or year, one country holding every case,
//! hundreds of unknown countries, years out of range, and a limit on combination pages.
//! Each builds with the real binary to a working site with no broken or empty picture.
//! (Their agreement with `cases.json` in Chromium is `tests/browser/pictures.test.mjs`.)

use crate::common;

use common::{case_file, selector, text_of, Kb};
use scraper::Html;

/// The case file `n` of a generated knowledge base, with `extra` front matter.
fn numbered_case(n: usize, extra: &str) -> (String, String) {
    (
        format!("content/cases/case-{n:05}.md"),
        case_file(&format!("Case {n}"), extra, "Volunteers delivered meals."),
    )
}

/// How many elements of `page` match `css`.
fn count(page: &Html, css: &str) -> usize {
    page.select(&selector(css)).count()
}

/// Every picture on `page` has something in it: a map with shapes, a chart with bars.
#[track_caller]
fn no_empty_picture(page: &Html, what: &str) {
    for figure in page.select(&selector("figure.picture")) {
        let marks = figure
            .select(&selector("path, use, rect.bar, .theme-bars li"))
            .count();
        assert!(marks > 0, "{what}: an empty picture: {}", figure.html());
        let caption = figure.select(&selector("figcaption")).next();
        assert!(
            caption.is_some_and(|c| !text_of(c).is_empty()),
            "{what}: a picture without a caption"
        );
    }
}

#[test]
fn an_empty_knowledge_base_has_no_pictures_and_a_working_site() {
    let kb = Kb::empty();
    kb.build(&[]).expect_success();
    let home = kb.page("index.html");
    assert_eq!(count(&home, "figure.picture"), 0, "no picture of nothing");
    assert_eq!(count(&home, ".home-pictures"), 0);
    let countries = kb.page("countries/index.html");
    assert_eq!(count(&countries, "figure.picture"), 0);
    assert!(kb.output().join("map/world.svg").is_file());
}

#[test]
fn cases_without_country_or_year_are_counted_beside_the_map_and_left_out_of_the_year_chart() {
    let kb = Kb::empty();
    for n in 0..3 {
        let (path, text) = numbered_case(n, "");
        kb.write(
            &path,
            text.replace("region: Scotland\n", "region: Highlands\n"),
        );
    }
    let (path, text) = numbered_case(3, "year: 2015\n");
    kb.write(&path, text.replace("region: Scotland\n", ""));
    kb.build(&[]).expect_success();
    let home = kb.page("index.html");
    no_empty_picture(&home, "home");
    let beside = text_of(home.select(&selector(".map-elsewhere")).next().unwrap());
    assert!(beside.contains("Highlands 3"), "{beside}");
    let nowhere = text_of(home.select(&selector(".map-nowhere")).next().unwrap());
    assert_eq!(nowhere, "1 case names no country or region.");
    assert_eq!(count(&home, "svg.map"), 0, "no map without a country on it");
    let caption = text_of(
        home.select(&selector(".year-chart figcaption"))
            .next()
            .unwrap(),
    );
    assert!(caption.contains("3 without a year not shown"), "{caption}");
    assert_eq!(count(&home, ".year-chart rect.bar"), 1);
}

#[test]
fn one_country_with_ten_thousand_cases_is_shaded_with_a_one_shade_legend() {
    let kb = Kb::empty();
    for n in 0..10_000 {
        let (path, text) = numbered_case(n, &format!("year: {}\n", 1990 + n % 30));
        kb.write(&path, text);
    }
    kb.build(&[]).expect_success();
    let home = kb.page("index.html");
    no_empty_picture(&home, "home");
    let shaded: Vec<String> = home
        .select(&selector("svg.map a title"))
        .map(text_of)
        .collect();
    assert_eq!(shaded, ["United Kingdom: 10000 cases"]);
    let legend: Vec<String> = home
        .select(&selector(".map-legend li"))
        .map(text_of)
        .collect();
    assert_eq!(legend, ["10000 cases", "none"]);
    assert_eq!(count(&home, ".year-chart rect.bar"), 30);
    // One theme × country list of 10,000 cases, paginated like the theme's own.
    let combination = kb.page("themes/co-production/united-kingdom/index.html");
    let list_count = text_of(combination.select(&selector(".list-count")).next().unwrap());
    assert!(list_count.starts_with("10000 cases"), "{list_count}");
    assert!(kb
        .output()
        .join("themes/co-production/united-kingdom/page/500/index.html")
        .is_file());
}

#[test]
fn two_hundred_unknown_countries_are_warned_at_their_line_and_listed_beside_the_map() {
    let kb = Kb::empty();
    for n in 0..200 {
        let (path, text) = numbered_case(n, &format!("country: Qzx{n:03}land\n"));
        kb.write(&path, text);
    }
    let run = kb.build(&[]);
    run.expect_success();
    let warnings: Vec<&str> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.contains("is not a country casebook knows"))
        .collect();
    // Repeated warnings are summarised; --verbose lists each.
    let verbose = kb.run(&["check", "--verbose"]);
    let each: Vec<&str> = verbose
        .diagnostics()
        .into_iter()
        .filter(|d| d.contains("is not a country casebook knows"))
        .collect();
    assert!(!warnings.is_empty(), "{}", run.stderr);
    assert_eq!(each.len(), 200, "{}", verbose.stderr);
    assert!(
        each[0].starts_with("content/cases/case-00000.md:7:"),
        "{}",
        each[0]
    );
    let home = kb.page("index.html");
    no_empty_picture(&home, "home");
    assert_eq!(count(&home, ".map-elsewhere a"), 200);
    assert_eq!(count(&home, "svg.map a"), 0);
}

#[test]
fn years_out_of_range_are_warned_and_stay_out_of_the_chart() {
    let kb = Kb::empty();
    let (path, text) = numbered_case(0, "year: 9999\n");
    kb.write(&path, text);
    let (path, text) = numbered_case(1, "year: 2010\n");
    kb.write(&path, text);
    let run = kb.build(&[]);
    run.expect_success();
    assert!(
        run.diagnostics().iter().any(|d| d.contains("9999")),
        "{}",
        run.stderr
    );
    let home = kb.page("index.html");
    let bars: Vec<String> = home
        .select(&selector(".year-chart rect.bar title"))
        .map(text_of)
        .collect();
    assert_eq!(bars, ["2010: 1 case"]);
    // Year 1 is an error: nothing is written, and the message says which line.
    let (path, text) = numbered_case(2, "year: 1\n");
    kb.write(&path, text);
    let failed = kb.build(&[]);
    failed.expect_code(1);
    assert!(
        failed
            .errors()
            .iter()
            .any(|e| e.starts_with("content/cases/case-00002.md:7")),
        "{}",
        failed.stderr
    );
}

#[test]
fn the_combination_limit_keeps_the_largest_and_says_so() {
    let kb = Kb::empty();
    kb.write(
        "content/_site.yaml",
        "title: Limited\ncombinations:\n  min_cases: 1\n  limit: 1\n",
    );
    for (n, region) in ["Scotland", "Scotland", "Brazil"].iter().enumerate() {
        let (path, text) = numbered_case(n, "");
        kb.write(
            &path,
            text.replace("region: Scotland", &format!("region: {region}")),
        );
    }
    let run = kb.build(&[]);
    run.expect_success();
    assert!(
        run.stderr
            .contains("made the 1 theme × country lists with most cases, the limit; 1 more"),
        "{}",
        run.stderr
    );
    assert!(kb
        .output()
        .join("themes/co-production/united-kingdom/index.html")
        .is_file());
    assert!(!kb.output().join("themes/co-production/brazil").exists());
    // A setting that is not one is refused with the keys there are.
    kb.write("content/_site.yaml", "combinations:\n  most: 3\n");
    let refused = kb.build(&[]);
    refused.expect_code(1);
    assert!(refused.stderr.contains("most"), "{}", refused.stderr);
}
