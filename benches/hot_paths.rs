//! criterion micro-benchmarks of the hot paths of a build: front matter, Markdown, the
//! analyzer, indexing with the search export, and one page render. Run with `cargo bench`.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};

use casebook::{
    analyze, parse_case, render_markdown, Job, LiveSearch, MarkdownOptions, Mode, Site, Sources,
    Vocabulary,
};

const CASE: &str =
    include_str!("../content/cases/north-west-england/oldham-big-local-decision-day.md");

fn example_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn front_matter_and_case(c: &mut Criterion) {
    let vocabulary = Vocabulary::default();
    let path = Path::new("content/cases/oldham.md");
    c.bench_function("front matter: split and parse one case", |b| {
        b.iter(|| parse_case(path, CASE.as_bytes(), &vocabulary).unwrap())
    });
    // A long body with curly quotes and accented names, as real collections write: every
    // line is looked at for text garbled by a wrong encoding.
    let paragraph =
        "“We asked residents,” said the café’s manager in Seinäjoki, “and they decided.”\n\n";
    let long = format!("{CASE}\n{}", paragraph.repeat(200));
    c.bench_function(
        "front matter: a long case with curly quotes and accents",
        |b| b.iter(|| parse_case(path, long.as_bytes(), &vocabulary).unwrap()),
    );
}

fn markdown_body(c: &mut Criterion) {
    let (case, _) = parse_case(Path::new("a.md"), CASE.as_bytes(), &Vocabulary::default()).unwrap();
    let body = case.body;
    let resolve = |_: &str| Some("/cases/other/".to_string());
    let options = MarkdownOptions {
        unsafe_html: false,
        resolve_case_link: &resolve,
    };
    c.bench_function("markdown: render one body", |b| {
        b.iter(|| render_markdown(&body, &options))
    });
}

fn analyzer(c: &mut Criterion) {
    let text = CASE.repeat(4);
    c.bench_function("analyzer: index-mode tokens of ~10 KB", |b| {
        b.iter(|| analyze(&text, Mode::Index))
    });
}

fn export_and_page(c: &mut Criterion) {
    let (site, _) = Site::load(example_root(), false, None, Sources::Keep).unwrap();
    let renderer = site.renderer().unwrap();
    c.bench_function("render: one case page", |b| {
        b.iter(|| renderer.render_jobs(&site.view(), &[Job::Case(0)]).unwrap())
    });
    let input = site.search_input();
    c.bench_function("search: index and export every case of the example", |b| {
        b.iter(|| LiveSearch::create(&input).unwrap())
    });
}

criterion_group!(
    benches,
    front_matter_and_case,
    markdown_body,
    analyzer,
    export_and_page
);
criterion_main!(benches);
