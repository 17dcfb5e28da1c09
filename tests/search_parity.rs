//! Parity: for the same query and filters, the browser runtime (run in Node on the built
//! output) returns the same ranked cases as `casebook search --json`.

use crate::common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{built_example, casebook, repo, Run};
use serde_json::{json, Value};

/// (query, filters as (facet, value)); single words, several words, phrases, diacritics,
/// hyphenated words, stems, synonyms, with and without filters.
const QUERIES: &[(&str, &[(&str, &str)])] = &[
    ("co-production", &[]),
    ("coproduction", &[]),
    ("co production", &[]),
    ("care", &[]),
    ("police", &[]),
    ("Oldham", &[]),
    ("Manchester", &[]),
    ("residents", &[]),
    ("council", &[]),
    ("Scotland", &[]),
    ("Japan", &[]),
    ("Iowa", &[]),
    ("Camden", &[]),
    ("Blakelaw", &[]),
    ("disabled", &[]),
    ("homelessness", &[]),
    ("older people co-production", &[]),
    ("participatory budgeting", &[]),
    ("social enterprise Lancashire", &[]),
    ("young people mental health", &[]),
    ("community assets Newcastle", &[]),
    ("peer learning local government", &[]),
    ("Danish visitors learning tour", &[]),
    ("needs and capabilities", &[]),
    ("video phones older people", &[]),
    ("charter agencies savings", &[]),
    ("\"decision day\"", &[]),
    ("\"learning tour\"", &[]),
    ("\"older people\"", &[]),
    ("\"participatory budgeting\" Brazil", &[]),
    ("\"co-production\"", &[]),
    ("\"community post office\"", &[]),
    ("\"Family Nurse Partnership\"", &[]),
    ("Seinäjoki", &[]),
    ("Seinajoki", &[]),
    ("SEINAJOKI preventative", &[]),
    ("São Paulo", &[]),
    ("co-design", &[]),
    ("co design", &[]),
    ("codesign", &[]),
    ("age-friendly", &[]),
    ("not-for-profit", &[]),
    ("asset-based", &[]),
    ("budgets", &[]),
    ("volunteering", &[]),
    ("volunteer", &[]),
    ("organisations", &[]),
    ("communities", &[]),
    ("partnerships", &[]),
    ("PB", &[]),
    ("ABCD", &[]),
    ("telecare", &[]),
    ("partcipatory", &[]),
    ("care", &[("region", "Scotland")]),
    ("co-production", &[("theme", "co-production")]),
    ("learning", &[("region", "North West England")]),
    ("", &[("theme", "participatory budgeting")]),
    ("older people", &[("approach", "technology-enabled care")]),
    (
        "council",
        &[
            ("region", "North West England"),
            ("region", "West Midlands"),
        ],
    ),
    (
        "community",
        &[
            ("theme", "community assets"),
            ("region", "North West England"),
        ],
    ),
    (
        "services",
        &[("theme", "co-production"), ("approach", "co-production")],
    ),
];

/// What `casebook search --json` prints for a query.
fn cli_search(root: &Path, query: &Query) -> Value {
    let mut command = casebook();
    command
        .arg("search")
        .arg("--root")
        .arg(root)
        .arg(query.text)
        .args(["--json", "--limit", "10"]);
    for (facet, value) in query.filters {
        command.arg(format!("--{facet}")).arg(value);
    }
    if query.prefix {
        command.arg("--prefix");
    }
    if query.exact {
        command.arg("--exact");
    }
    let run = Run::of(&mut command);
    run.expect_success();
    serde_json::from_str(&run.stdout).expect("--json prints JSON")
}

/// A query of the parity tests.
#[derive(Debug, Clone, Copy)]
struct Query<'q> {
    text: &'q str,
    filters: &'q [(&'q str, &'q str)],
    prefix: bool,
    exact: bool,
}

impl<'q> Query<'q> {
    fn plain(text: &'q str) -> Query<'q> {
        Query {
            text,
            filters: &[],
            prefix: false,
            exact: false,
        }
    }
}

/// (facet, value) filters as the runtime's script takes them: `{facet: [value…]}`.
fn filters_by_facet<'a>(
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
) -> serde_json::Map<String, Value> {
    let mut by_facet = serde_json::Map::new();
    for (facet, value) in pairs {
        by_facet
            .entry(facet.to_string())
            .or_insert_with(|| json!([]))
            .as_array_mut()
            .unwrap()
            .push(json!(value));
    }
    by_facet
}

/// What the browser runtime answers for each query, in the shape of `--json`.
fn node_search(site: &Path, queries: &[Query]) -> Vec<Value> {
    let queries: Vec<Value> = queries
        .iter()
        .map(|query| {
            let by_facet = filters_by_facet(query.filters.iter().map(|&(f, v)| (f, v)));
            json!({
                "query": query.text,
                "filters": by_facet,
                "limit": 10,
                "prefix": query.prefix,
                "exact": query.exact,
            })
        })
        .collect();
    run_queries(site, queries)
}

/// What the browser runtime answers for each of `queries`, given as the script reads them.
fn run_queries(site: &Path, queries: Vec<Value>) -> Vec<Value> {
    let output = run_search_script(site, &json!(queries).to_string());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The parts of an answer both sides give: everything `--json` prints (scores as floats:
/// JavaScript writes a whole score without its `.0`).
fn comparable(answer: &Value) -> Value {
    let hits: Vec<Value> = answer["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| {
            let mut hit = hit.clone();
            hit["score"] = json!(hit["score"].as_f64().expect("a score"));
            hit
        })
        .collect();
    json!({
        "query": answer["query"],
        "corrected": answer["corrected"],
        "corrections": answer["corrections"],
        "partial": answer["partial"],
        "total": answer["total"],
        "sort": answer["sort"],
        "undated": answer["undated"],
        "hits": hits,
    })
}

/// Panics unless the browser and the terminal give the same answer to every query: the same
/// cases in the same order with the same scores (equal to the last bit: both sum the same
/// integers), the same corrections and partial matches. Returns how many found something.
fn assert_same_answers(
    root: &Path,
    site: &Path,
    queries: &[Query],
    cli: impl Fn(&Query) -> Value,
) -> usize {
    let browser = node_search(site, queries);
    let mut with_results = 0;
    for (query, js) in queries.iter().zip(&browser) {
        let terminal = comparable(&cli(query));
        assert_eq!(
            comparable(js),
            terminal,
            "the browser and `casebook search --root {}` differ for {query:?}",
            root.display()
        );
        with_results += usize::from(terminal["total"].as_u64() != Some(0));
    }
    with_results
}

#[test]
fn browser_runtime_ranks_exactly_as_casebook_search() {
    assert!(QUERIES.len() >= 50);
    let example = built_example();
    let queries: Vec<Query> = QUERIES
        .iter()
        .map(|(text, filters)| Query {
            filters,
            ..Query::plain(text)
        })
        .collect();
    let with_results = assert_same_answers(example.kb.root(), &example.output(), &queries, |q| {
        cli_search(example.kb.root(), q)
    });
    assert!(
        with_results >= 45,
        "most queries must find something; {with_results} did"
    );
}

/// Misspelt words, words no case has all of, words being typed, exact searches.
const FORGIVING: &[(&str, bool, bool)] = &[
    ("older peple", false, false),
    ("older peple", false, true),
    ("oldam", false, false),
    ("partcipatory budgetting", false, false),
    ("Seinajoky preventive", false, false),
    ("participatory budgeting scotland", false, false),
    ("volunteers police zeppelin", false, false),
    ("\"older people\" Camden", false, false),
    ("\"decision day\" Brazil", false, false),
    ("co-prod", true, false),
    ("older peo", true, false),
    ("peo", true, false),
    ("older people ", true, false),
    ("budgeti", true, false),
    ("older peple", true, false),
    ("homelesnes", true, false),
    ("o", true, false),
    ("charter agnecies", false, false),
    ("homlessness Adur", false, false),
    ("tele-cair Japan", false, false),
];

#[test]
fn corrections_partial_matches_and_completions_agree_too() {
    let example = built_example();
    let queries: Vec<Query> = FORGIVING
        .iter()
        .map(|&(text, prefix, exact)| Query {
            prefix,
            exact,
            ..Query::plain(text)
        })
        .collect();
    assert_same_answers(example.kb.root(), &example.output(), &queries, |q| {
        cli_search(example.kb.root(), q)
    });
}

/// What `casebook search --json` prints, from the library the binary calls, in this
/// process: hundreds of answers without hundreds of processes.
fn library_search(root: &Path, text: &str) -> Value {
    let request = casebook::SearchRequest {
        query: text.to_string(),
        limit: 10,
        ..casebook::SearchRequest::default()
    };
    serde_json::to_value(casebook::search(root, &request).unwrap()).unwrap()
}

/// A small seeded generator (xorshift), so the real-collection queries are the same each run.
struct Seeded(u64);

impl Seeded {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The words of a title a practitioner would recall it by: letters, three or more.
fn title_words(title: &str) -> Vec<String> {
    title
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_string)
        .collect()
}

/// One typo after the first letter: a substitution, deletion, insertion or transposition.
fn misspelt(word: &str, random: &mut Seeded) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let at = 1 + random.below(chars.len() - 1);
    let letter = char::from(b'a' + random.below(26) as u8);
    match random.below(4) {
        0 => chars[at] = letter,
        1 => {
            chars.remove(at);
        }
        2 => chars.insert(at, letter),
        _ if at + 1 < chars.len() => chars.swap(at, at + 1),
        _ => chars[at] = letter,
    }
    chars.into_iter().collect()
}

/// Panics unless the browser on `site` and the terminal on `root` give the same answer to
/// each of `texts` as a plain query; returns the terminal's answers.
fn plain_queries_agree(site: &Path, root: &Path, texts: &[String]) -> Vec<Value> {
    let queries: Vec<Query> = texts.iter().map(|t| Query::plain(t)).collect();
    let browser = node_search(site, &queries);
    queries
        .iter()
        .zip(&browser)
        .map(|(query, js)| {
            let terminal = library_search(root, query.text);
            assert_eq!(
                comparable(js),
                comparable(&terminal),
                "differ for {query:?}"
            );
            terminal
        })
        .collect()
}

#[test]
fn on_a_real_collection_misspelt_and_partial_queries_agree_too() {
    let Some(ipsx) = common::corpora::built_ipsx() else {
        return;
    };
    let cases: Vec<Value> =
        serde_json::from_slice(&std::fs::read(ipsx.output().join("cases.json")).unwrap()).unwrap();
    let titles: Vec<Vec<String>> = cases
        .iter()
        .map(|c| title_words(c["title"].as_str().unwrap()))
        .filter(|w| w.len() >= 3)
        .collect();
    let mut random = Seeded(20_261_201);
    let mut texts: Vec<String> = Vec::new();
    // Misspelt: three words of a title, one of six letters or more with one typo.
    while texts.len() < 220 {
        let words = &titles[random.below(titles.len())];
        let start = random.below(words.len() - 2);
        let mut three = words[start..start + 3].to_vec();
        let Some(k) = (0..3).find(|&k| three[k].chars().count() >= 6) else {
            continue;
        };
        three[k] = misspelt(&three[k], &mut random);
        texts.push(three.join(" "));
    }
    // Partial: two words of one title and one of another, which seldom stand together.
    let misspelt_count = texts.len();
    while texts.len() < misspelt_count + 150 {
        let a = &titles[random.below(titles.len())];
        let b = &titles[random.below(titles.len())];
        let first = random.below(a.len() - 1);
        texts.push(format!(
            "{} {} {}",
            a[first],
            a[first + 1],
            b[random.below(b.len())]
        ));
    }
    let (mut corrected, mut partial) = (0, 0);
    for terminal in plain_queries_agree(&ipsx.output(), ipsx.root(), &texts) {
        corrected += usize::from(!terminal["corrections"].as_array().unwrap().is_empty());
        partial += usize::from(!terminal["partial"].is_null());
    }
    assert!(corrected >= 200, "{corrected} queries were corrected");
    assert!(partial >= 100, "{partial} queries matched partly");
}

#[test]
fn on_a_real_collection_remembered_passages_are_reordered_alike() {
    let Some(ipsx) = common::corpora::built_ipsx() else {
        return;
    };
    let docs = ipsx.output().join("search/docs");
    let cases = std::fs::read_dir(&docs)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension() == Some("json".as_ref()))
        .count();
    let mut random = Seeded(20_261_204);
    let mut texts: Vec<String> = Vec::new();
    // Four to eight words in a row of a case's text, one misspelt now and then: a passage
    // recalled, whose word order reorders the first results.
    while texts.len() < 150 {
        let fragment: Value = serde_json::from_slice(
            &std::fs::read(docs.join(format!("{}.json", random.below(cases)))).unwrap(),
        )
        .unwrap();
        let words: Vec<&str> = fragment["text"]
            .as_str()
            .unwrap()
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .collect();
        let length = 4 + random.below(5);
        if words.len() < length {
            continue;
        }
        let start = random.below(words.len() - length + 1);
        let mut passage: Vec<String> = words[start..start + length]
            .iter()
            .map(|w| w.to_string())
            .collect();
        if random.below(4) == 0 {
            if let Some(k) = (0..length).find(|&k| passage[k].chars().count() >= 6) {
                passage[k] = misspelt(&passage[k], &mut random);
            }
        }
        texts.push(passage.join(" "));
    }
    let mut reordered = 0;
    for terminal in plain_queries_agree(&ipsx.output(), ipsx.root(), &texts) {
        let scores: Vec<f64> = terminal["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["score"].as_f64().unwrap())
            .collect();
        // Full matches rank by score but for word order (partial ones by tiers too).
        let full = terminal["partial"].is_null();
        reordered += usize::from(full && scores.windows(2).any(|w| w[0] < w[1]));
    }
    assert!(
        reordered >= 10,
        "{reordered} answers were reordered by word order"
    );
}

/// Queries no one means, or a page's URL could carry: answered alike, in bounded time.
fn hostile_queries() -> Vec<String> {
    vec![
        "older people ".repeat(1000),
        (0..1000)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" "),
        "volunteer ".repeat(60) + "peple",
        "!!! ??? ... ,,, ;;; ---".to_string(),
        "👍🏽🚀 🎉".to_string(),
        "رعاية كبار السن שלום".to_string(),
        "older\u{0}people\u{0}".to_string(),
        "\"older people".to_string(),
        "\"\"\"\"".to_string(),
        "“older” „people".to_string(),
        "é".repeat(600),
        "😀".repeat(600) + " older",
        // A 100,000-character link of quotes and words (parsing it whole took seconds).
        "\"older p ".repeat(12_500),
    ]
}

#[test]
fn hostile_queries_are_answered_alike_in_bounded_time() {
    let example = built_example();
    let texts = hostile_queries();
    let queries: Vec<Query> = texts.iter().map(|t| Query::plain(t)).collect();
    let started = std::time::Instant::now();
    let browser = node_search(&example.output(), &queries);
    for (query, js) in queries.iter().zip(&browser) {
        let terminal = library_search(example.kb.root(), query.text);
        assert_eq!(
            comparable(js),
            comparable(&terminal),
            "differ for {query:?}"
        );
        let cut = terminal["query"].as_str().unwrap().chars().count();
        assert!(cut <= 500, "one cap on length: {cut} characters");
    }
    // A guard against a hang, not a timing check: each answer takes milliseconds.
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    // The binary takes the longest of them as an argument too.
    let long = &texts[0];
    let run = Run::of(
        casebook()
            .arg("search")
            .arg("--root")
            .arg(example.kb.root())
            .arg(long)
            .arg("--json"),
    );
    run.expect_success();
}

#[test]
fn the_runtime_decoders_reject_damaged_files_and_never_hang() {
    // Thousands of seeded cuts and mutations of real term shards, dictionary shards, facet
    // data and sort keys: each is read, or refused as damaged, within a second.
    let example = built_example();
    let mut sites = vec![example.output()];
    if let Some(ipsx) = common::corpora::built_ipsx() {
        sites.push(ipsx.output());
    }
    for site in sites {
        let output = Command::new("node")
            .arg(repo().join("tests/js/fuzz_decoders.mjs"))
            .arg(&site)
            .arg("250")
            .output()
            .expect("node runs");
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}: {said}{}",
            site.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(said.contains("none hung"), "{said}");
        let cases: usize = said.split_whitespace().next().unwrap().parse().unwrap();
        assert!(cases >= 2000, "{said}");
    }
}

#[test]
fn a_damaged_dictionary_is_an_error_not_an_empty_answer() {
    let example = built_example();
    let project = common::temp_dir();
    let site = project.path().join("site");
    common::copy_tree(&example.output(), &site);
    // Valid gzip around a payload cut in the middle of an entry.
    let shard = site.join("search/words/0.bin");
    let mut whole = Vec::new();
    {
        use std::io::Read;
        flate2::read::GzDecoder::new(std::fs::File::open(&shard).unwrap())
            .read_to_end(&mut whole)
            .unwrap();
    }
    let mut cut = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    cut.write_all(&whole[..whole.len() / 2 + 1]).unwrap();
    std::fs::write(&shard, cut.finish().unwrap()).unwrap();
    for shard in std::fs::read_dir(site.join("search/words")).unwrap() {
        let path = shard.unwrap().path();
        if path != site.join("search/words/0.bin") {
            std::fs::write(&path, b"not gzip at all").unwrap();
        }
    }
    let output = run_search_script(&site, r#"[{"query": "older peple"}]"#);
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("the search index is damaged"), "{said}");
    // A word spelt right needs no dictionary, and is still answered.
    let output = run_search_script(&site, r#"[{"query": "older people"}]"#);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // `casebook search` reads its own copy beside the index.
    let kb = common::Kb::example();
    kb.build(&[]).expect_success();
    std::fs::write(kb.path(".casebook/search/words.bin"), b"\x1f\x8b broken").unwrap();
    let run = kb.run(&["search", "older peple"]);
    run.expect_code(2);
    assert!(run.stderr.contains("words.bin"), "{}", run.stderr);
    assert!(run.stderr.contains("casebook build"), "{}", run.stderr);
}

#[test]
fn the_runtime_loads_in_node_even_under_a_commonjs_package() {
    // A site is often deployed inside a Node project whose package.json says CommonJS;
    // the runtime's .js files must still load as ES modules there.
    let example = built_example();
    let project = common::temp_dir();
    std::fs::write(
        project.path().join("package.json"),
        r#"{ "type": "commonjs" }"#,
    )
    .unwrap();
    let site = project.path().join("site");
    common::copy_tree(&example.output(), &site);
    let output = run_search_script(&site, r#"[{"query": "Oldham"}]"#);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("oldham"));
}

#[test]
fn a_phrase_deep_in_a_long_body_is_found_from_the_whole_text() {
    // Fragments carry only the start of a long body (for snippets); phrases are checked on
    // the whole body, fetched from docs/<n>.txt only for such cases.
    let kb = common::Kb::empty();
    let filler = "Volunteers met every week to plan the next season of visits. ".repeat(60);
    kb.write(
        "content/cases/long.md",
        common::case_file(
            "A long account",
            "",
            &format!("{filler}\n\nAt last the zebra crossing opened."),
        ),
    );
    kb.write(
        "content/cases/short.md",
        common::case_file("A short one", "", "The crossing for zebra herds."),
    );
    kb.build(&[]).expect_success();
    let docs = kb.output().join("search/docs");
    let numbers: Vec<Value> = (0..2)
        .map(|n| {
            serde_json::from_slice(&std::fs::read(docs.join(format!("{n}.json"))).unwrap()).unwrap()
        })
        .collect();
    let long = numbers
        .iter()
        .position(|f| f["slug"] == "long")
        .expect("the long case");
    let fragment = &numbers[long];
    assert_eq!(fragment["cut"], true);
    let carried = fragment["text"].as_str().unwrap();
    assert!(
        carried.len() <= casebook::SNIPPET_SOURCE && carried.len() > casebook::SNIPPET_SOURCE - 100,
        "{} bytes",
        carried.len()
    );
    assert!(!carried.contains("zebra"));
    let whole = std::fs::read_to_string(docs.join(format!("{long}.txt"))).unwrap();
    assert!(whole.starts_with(carried) && whole.ends_with("At last the zebra crossing opened."));
    assert!(numbers[1 - long].get("cut").is_none());
    assert!(
        !docs.join(format!("{}.txt", 1 - long)).exists(),
        "a short body travels whole"
    );

    let output = run_search_script(
        &kb.output(),
        r#"[{"query": "\"zebra crossing\""}, {"query": "zebra crossing"}]"#,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let js: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        js[0]["slugs"],
        json!(["long"]),
        "only the long case has the phrase"
    );
    assert_eq!(js[1]["total"], 2, "both have both words");
    let run = kb.run(&["search", "\"zebra crossing\"", "--json"]);
    run.expect_success();
    let cli: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(cli["total"], 1);
    assert_eq!(cli["hits"][0]["slug"], "long");
}

/// Runs `tests/js/search.mjs` (the real runtime, in Node) on a built site with `queries` as JSON.
fn run_search_script(site: &std::path::Path, queries: &str) -> std::process::Output {
    let mut child = Command::new("node")
        .arg(repo().join("tests/js/search.mjs"))
        .arg(site)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node must be installed to run the browser runtime");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(queries.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// One random request of the sorting parity test: a query (none, title words, or a phrase),
/// filters of cases.json's values, a sort (or the default), a year range (or none).
struct Combination {
    query: String,
    filters: Vec<(&'static str, String)>,
    sort: Option<&'static str>,
    from: Option<i32>,
    to: Option<i32>,
}

impl Combination {
    fn random(cases: &[Value], random: &mut Seeded) -> Combination {
        let case = &cases[random.below(cases.len())];
        let words = title_words(case["title"].as_str().unwrap());
        let query = match (random.below(6), words.len()) {
            (0, _) | (_, 0) => String::new(),
            (1, n) if n >= 2 => format!("\"{} {}\"", words[0], words[1]),
            (2 | 3, n) if n >= 2 => {
                let a = random.below(n - 1);
                format!("{} {}", words[a], words[a + 1])
            }
            (_, n) => words[random.below(n)].clone(),
        };
        // Filters drawn from another case, so some combinations narrow and some empty.
        let other = &cases[random.below(cases.len())];
        let mut filters = Vec::new();
        for facet in ["theme", "region", "country", "organisation"] {
            let values = other[facet].as_array().unwrap();
            if !values.is_empty() && random.below(4) == 0 {
                let value = values[random.below(values.len())].as_str().unwrap();
                filters.push((facet, value.to_string()));
            }
        }
        let sort = [
            None,
            Some("relevance"),
            Some("newest"),
            Some("oldest"),
            Some("title"),
        ][random.below(5)];
        let year = |random: &mut Seeded| Some(1995 + random.below(30) as i32);
        let (from, to) = match random.below(4) {
            0 => (year(random), None),
            1 => (None, year(random)),
            2 => {
                let (a, b) = (year(random).unwrap(), year(random).unwrap());
                (Some(a.min(b)), Some(a.max(b)))
            }
            _ => (None, None),
        };
        Combination {
            query,
            filters,
            sort,
            from,
            to,
        }
    }

    /// The request as `casebook search` takes it.
    fn request(&self) -> casebook::SearchRequest {
        let mut filters: [Vec<String>; 5] = Default::default();
        for (facet, value) in &self.filters {
            let index = common::records::FACETS
                .iter()
                .position(|f| f == facet)
                .unwrap();
            filters[index].push(value.clone());
        }
        casebook::SearchRequest {
            query: self.query.clone(),
            filters,
            limit: 10,
            sort: self
                .sort
                .map(|s| casebook::Sort::from_name(s).expect("a sort")),
            years: casebook::Years {
                from: self.from,
                to: self.to,
            },
            ..casebook::SearchRequest::default()
        }
    }

    /// The request as the runtime's script takes it.
    fn script_query(&self) -> Value {
        let filters = filters_by_facet(self.filters.iter().map(|(f, v)| (*f, v.as_str())));
        json!({
            "query": self.query,
            "filters": filters,
            "limit": 10,
            "sort": self.sort,
            "years": { "from": self.from, "to": self.to },
        })
    }
}

#[test]
fn sorting_year_ranges_and_countries_give_the_same_cases_in_the_same_order() {
    let mut checked = 0;
    let mut sorted = 0;
    let mut ranged = 0;
    let mut undated = 0;
    let mut by_country = 0;
    let example = built_example();
    let ipsx = common::corpora::built_ipsx();
    let sites = [Some(&example.kb), ipsx].into_iter().flatten();
    for (n, kb) in sites.enumerate() {
        let cases: Vec<Value> =
            serde_json::from_slice(&std::fs::read(kb.output().join("cases.json")).unwrap())
                .unwrap();
        let mut random = Seeded(20_261_202 + n as u64);
        let combinations: Vec<Combination> = (0..if n == 0 { 120 } else { 240 })
            .map(|_| Combination::random(&cases, &mut random))
            .collect();
        let browser = run_queries(
            &kb.output(),
            combinations.iter().map(Combination::script_query).collect(),
        );
        for (combination, js) in combinations.iter().zip(&browser) {
            let request = combination.request();
            let terminal =
                serde_json::to_value(casebook::search(kb.root(), &request).unwrap()).unwrap();
            let approximate = js["approximate"] == true;
            let (mut js, mut terminal) = (comparable(js), comparable(&terminal));
            if approximate {
                // The runtime checks a phrase in enough candidates for the page shown, and
                // says its total is a lower bound.
                js["total"] = Value::Null;
                terminal["total"] = Value::Null;
            }
            if combination.query.contains('"') {
                // How many a year range left out is counted without reading every text.
                js["undated"] = Value::Null;
                terminal["undated"] = Value::Null;
            }
            assert_eq!(
                js,
                terminal,
                "the runtime and `casebook search --root {}` differ for {:?} {:?} sort {:?} years {:?}..{:?}",
                kb.root().display(),
                combination.query,
                combination.filters,
                combination.sort,
                combination.from,
                combination.to
            );
            checked += usize::from(terminal["total"].as_u64() != Some(0));
            sorted += usize::from(terminal["sort"] != "relevance");
            ranged += usize::from(combination.from.is_some() || combination.to.is_some());
            undated += usize::from(terminal["undated"].as_u64().unwrap_or(0) > 0);
            by_country += usize::from(combination.filters.iter().any(|(f, _)| *f == "country"));
        }
    }
    assert!(checked >= 150, "{checked} combinations found cases");
    assert!(sorted >= 100, "{sorted} were sorted by date or title");
    assert!(ranged >= 100, "{ranged} had a year range");
    assert!(undated >= 5, "{undated} left cases without a year out");
    assert!(by_country >= 30, "{by_country} filtered by country");
}

#[test]
fn a_snippet_keeps_to_one_block_of_the_body_with_an_ellipsis_for_what_it_leaves_out() {
    let example = built_example();
    let runtime = example.output().join("search/snippet.js");
    let script = format!(
        r#"
        const {{ snippet }} = await import({runtime:?});
        const terms = new Set(["care", "older"]);
        const fragment = {{
          summary: "A summary.",
          text: "Care for older people\nThe town's care for older people began in 2009, when the council and the care home asked residents what care they wanted.\nRelated cases\nOther towns followed.",
        }};
        const tie = {{ summary: "", text: "Care\nA paragraph about care at home." }};
        console.log(JSON.stringify([snippet(fragment, terms), snippet(tie, new Set(["care"]))]));
        "#,
        runtime = format!("file://{}", runtime.display())
    );
    let output = Command::new("node")
        .args(["--input-type=module", "-e", &script])
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let [best, tie]: [String; 2] = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        best.starts_with("…The town&#39;s <mark>care</mark> for <mark>older</mark> people began"),
        "the paragraph with most matches, not the heading above it: {best}"
    );
    assert!(
        best.ends_with("wanted.…"),
        "an ellipsis for the blocks after it: {best}"
    );
    assert!(!best.contains("Related"), "{best}");
    assert_eq!(
        tie, "…A paragraph about <mark>care</mark> at home.",
        "on a tie, the longer block"
    );
}
