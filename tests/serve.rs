//! `casebook serve` on a temporary copy of the example: edits, new and deleted files, broken
//! files with the error overlay, live reload events, and requests that try to escape.

use crate::common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use common::http::{request, request_for, HttpResponse};
use common::served::{Served, PATIENCE};
use common::{case_file, Kb};

fn h1(response: &HttpResponse) -> String {
    let text = response.text();
    let start = text.find("<h1>").map(|i| i + 4).unwrap_or(0);
    let end = text[start..].find("</h1>").map_or(start, |i| start + i);
    text[start..end].to_string()
}

const FOOD_TRAIN: &str = "content/cases/scotland/food-train.md";

fn retitle(kb: &Kb, file: &str, title: &str) {
    let text = kb.read(file);
    let old = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .unwrap()
        .to_string();
    kb.write(file, text.replacen(&old, &format!("title: {title}"), 1));
}

/// What `code` prints when run in Node with `s`, the browser runtime opened on the served
/// site's search export.
fn node_with_search(served: &Served, code: &str) -> String {
    let script = format!(
        "const {{ open }} = await import('http://{a}/search/casebook-search.js'); \
         const s = await open('http://{a}/search/', fetch); {code}",
        a = served.address,
    );
    let output = Command::new("node")
        .args([
            "--experimental-network-imports",
            "--input-type=module",
            "-e",
            &script,
        ])
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// The slugs the browser runtime finds for `query` on the served site.
fn node_search(served: &Served, query: &str) -> String {
    node_with_search(
        served,
        &format!(
            "const hits = await s.search({query:?}); console.log(hits.map(h => h.slug).join(','));"
        ),
    )
}

/// `count|slugs`: the region's facet count and the cases in `region` matching `query`.
fn node_search_in_region(served: &Served, query: &str, region: &str) -> String {
    node_with_search(
        served,
        &format!(
            "const hits = await s.search({query:?}, {{ filters: {{ region: [{region:?}] }} }}); \
             const values = (await s.facetValues()).region.values; \
             const count = values.find((v) => v.slug === {region:?}).count; \
             console.log(count + '|' + hits.map(h => h.slug).join(','));"
        ),
    )
}

#[test]
fn an_edited_title_appears_on_its_page_its_facet_page_and_in_search() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    assert!(h1(&served.get("/cases/food-train/")).contains("Food Train"));
    retitle(&kb, FOOD_TRAIN, "Food Train delivers Zanzibarish groceries");
    served.wait_for("/cases/food-train/", "the new title", |r| {
        h1(r) == "Food Train delivers Zanzibarish groceries"
    });
    let facet_page = served.get("/themes/co-production/");
    assert!(facet_page
        .text()
        .contains("Food Train delivers Zanzibarish groceries"));
    // Feed, open data and search follow right after the pages.
    served.wait_for("/feed.xml", "the new title", |r| {
        r.text().contains("Zanzibarish")
    });
    assert!(served.get("/cases.json").text().contains("Zanzibarish"));
    // The browser runtime, reading the served search shards, finds the new word.
    assert_eq!(node_search(&served, "zanzibarish"), "food-train");
    // The dictionary follows too: the new word is there to correct a misspelling of it.
    // (`casebook search` answers for the last build, not the preview.)
    assert_eq!(node_search(&served, "zanzibarsh"), "food-train");
    let said = served.stderr_until(|said| said.contains("updated"));
    assert!(
        !said.contains("rebuilt the site"),
        "an edit is an update, not a full rebuild:\n{said}"
    );
}

#[test]
fn saving_a_case_named_markdown_or_in_capitals_updates_its_page_in_place() {
    let kb = Kb::example();
    // Discovery takes `.markdown` and `.MD` as case files: so must the live rebuild.
    let files = [
        ("content/cases/lantern-walks.markdown", "lantern-walks"),
        ("content/cases/river-clean-up.MD", "river-clean-up"),
    ];
    for (file, _) in files {
        kb.write(
            file,
            case_file("A case", "", "Neighbours meet by the river."),
        );
    }
    let served = Served::start(&kb, 0);
    for (file, slug) in files {
        let page = format!("/cases/{slug}/");
        assert_eq!(h1(&served.get(&page)), "A case", "{file} is built");
        retitle(&kb, file, &format!("Saved as {file}"));
        served.wait_for(&page, "the new title", |r| {
            h1(r) == format!("Saved as {file}")
        });
    }
    let said = served.stderr_until(|said| said.matches("\nupdated").count() >= 2);
    assert!(
        !said.contains("rebuilt the site"),
        "edits, not rebuilds:\n{said}"
    );
}

#[test]
fn a_changed_region_moves_the_case_between_search_filters() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    let before = node_search_in_region(&served, "food train", "london");
    let (count, found) = before.split_once('|').expect("a count and slugs");
    assert!(
        !found.split(',').any(|slug| slug == "food-train"),
        "{before}"
    );
    let count: usize = count.parse().expect("a count");

    let facet_data = served.get("/search/facets.bin").text();
    let text = kb.read(FOOD_TRAIN);
    kb.write(
        FOOD_TRAIN,
        text.replacen("region: Scotland", "region: London", 1),
    );
    served.wait_for("/regions/london/", "Food Train listed", |r| {
        r.text().contains("/cases/food-train/")
    });
    // The facet data the browser reads follows the edit (just after the pages).
    served.wait_for("/search/facets.bin", "new facet data", |r| {
        r.text() != facet_data
    });
    let after = node_search_in_region(&served, "food train", "london");
    let (new_count, found) = after.split_once('|').expect("a count and slugs");
    assert!(found.split(',').any(|slug| slug == "food-train"), "{after}");
    assert_eq!(new_count, (count + 1).to_string(), "{after}");
}

#[test]
fn a_new_file_appears_and_a_deleted_file_disappears() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    assert_eq!(served.get("/cases/lantern-walks/").status, 404);
    kb.write(
        "content/cases/lantern-walks.md",
        case_file("Lantern walks", "", "Evening walks with lanterns."),
    );
    served.wait_for("/cases/lantern-walks/", "the new case", |r| r.status == 200);
    assert!(served
        .get("/regions/scotland/")
        .text()
        .contains("Lantern walks"));

    std::fs::remove_file(kb.path(FOOD_TRAIN)).unwrap();
    served.wait_for("/cases/food-train/", "a 404", |r| r.status == 404);
    assert!(!served
        .get("/regions/scotland/")
        .text()
        .contains("/cases/food-train/"));
}

#[test]
fn a_broken_file_shows_the_overlay_and_keeps_the_last_good_page() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    let good = h1(&served.get("/cases/food-train/"));
    let text = kb.read(FOOD_TRAIN);
    kb.write(FOOD_TRAIN, text.replacen("title:", "title: [unclosed", 1));
    let broken = served.wait_for("/cases/food-train/", "the error overlay", |r| {
        r.text().contains("id=\"casebook-error-overlay\"")
    });
    assert_eq!(h1(&broken), good, "the last good page stays served");
    let overlay = broken.text();
    assert!(
        overlay.contains("content/cases/scotland/food-train.md:2:8: error:"),
        "the file and line are shown:\n{overlay}"
    );
    // Other pages show it too.
    assert!(served
        .get("/")
        .text()
        .contains("id=\"casebook-error-overlay\""));

    kb.write(FOOD_TRAIN, text);
    retitle(&kb, FOOD_TRAIN, "Fixed");
    let fixed = served.wait_for("/cases/food-train/", "the overlay cleared", |r| {
        !r.text().contains("id=\"casebook-error-overlay\"")
    });
    served.wait_for("/cases/food-train/", "the fixed title", |r| {
        h1(r) == "Fixed"
    });
    assert!(!fixed.text().contains("invalid YAML"));
}

#[test]
fn open_pages_are_told_to_reload() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    let mut events = TcpStream::connect(served.address).unwrap();
    events.set_read_timeout(Some(PATIENCE)).unwrap();
    let host = served.address;
    write!(
        events,
        "GET /__casebook/events HTTP/1.1\r\nHost: {host}\r\n\r\n"
    )
    .unwrap();
    let mut seen = String::new();
    let mut buffer = [0u8; 4096];
    while !seen.contains("event: status") {
        let n = events.read(&mut buffer).unwrap();
        seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
    assert!(seen.contains("text/event-stream"));
    retitle(&kb, FOOD_TRAIN, "Reloaded");
    while !seen.contains("event: reload") {
        let n = events
            .read(&mut buffer)
            .expect("a reload event before the timeout");
        assert!(n > 0, "the stream stayed open");
        seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
}

#[test]
fn the_live_reload_script_is_served_but_never_built() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    assert!(served.get("/").text().contains("/__casebook/events"));
    kb.build(&[]).expect_success();
    for page in [
        "index.html",
        "cases/food-train/index.html",
        "search/index.html",
    ] {
        assert!(
            !kb.read(&format!("public/{page}")).contains("__casebook"),
            "{page}"
        );
    }
}

#[test]
fn path_traversal_is_refused_and_nothing_outside_the_site_is_served() {
    let kb = Kb::example();
    let secret = kb.write("secret.txt", "the-secret-outside-the-site");
    std::os::unix::fs::symlink(&secret, kb.path("content/cases/link.txt")).unwrap();
    let served = Served::start(&kb, 0);
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/cases%2f..%2f..%2fsecret.txt",
        "/cases/../../secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "//etc/passwd",
        "/..\\secret.txt",
        "/content/cases/link.txt",
        "/cases/link.txt",
        "/.casebook/index-version",
    ] {
        let response = request(served.address, "GET", target);
        assert!(
            matches!(response.status, 400 | 404),
            "{target}: {}",
            response.status
        );
        let body = response.text();
        assert!(
            !body.contains("the-secret") && !body.contains("root:x:0"),
            "{target} leaked"
        );
    }
}

#[test]
fn only_get_and_head_are_answered_with_the_right_types() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    assert_eq!(request(served.address, "POST", "/").status, 405);
    assert_eq!(
        request(served.address, "DELETE", "/cases/food-train/").status,
        405
    );
    let head = request(served.address, "HEAD", "/cases/food-train/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    for (path, kind) in [
        ("/", "text/html"),
        ("/casebook.css", "text/css"),
        ("/search/casebook-search.js", "text/javascript"),
        ("/search/meta.json", "application/json"),
        ("/feed.xml", "application/xml"),
        ("/admin/config.yml", "text/yaml"),
    ] {
        let response = served.get(path);
        assert_eq!(response.status, 200, "{path}");
        assert!(
            response
                .header("content-type")
                .unwrap_or_default()
                .starts_with(kind),
            "{path}: {:?}",
            response.header("content-type")
        );
    }
    let folder = served.get("/cases/food-train");
    assert_eq!(folder.status, 301);
    assert_eq!(
        folder.header("location").as_deref(),
        Some("/cases/food-train/")
    );
    let missing = served.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("<h1"), "the site's 404 page");
}

#[test]
fn a_taken_port_moves_to_the_next_free_one_and_says_so() {
    let holder = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port();
    let kb = Kb::example();
    let served = Served::start(&kb, port);
    assert_ne!(served.address.port(), port);
    assert_eq!(served.get("/").status, 200);
    let said = served.stderr_until(|said| said.contains("is taken"));
    assert!(said.contains(&format!("port {port} is taken")), "{said}");
}

#[test]
fn only_requests_naming_the_address_served_are_answered() {
    // A page of another site that points its name at 127.0.0.1 (DNS rebinding) must not read
    // the preview: its requests say that name in `Host`.
    let kb = Kb::example();
    kb.write(
        "content/cases/secret-draft.md",
        case_file("Secret draft", "draft: true\n", "Not for anyone yet."),
    );
    let served = Served::start_with(&kb, 0, &["--drafts", "--host", "Laptop.local"]);
    let port = served.address.port();
    let paths = ["/cases/secret-draft/", "/cases.json", "/__casebook/events"];
    for host in [
        "evil.example",
        &format!("evil.example:{port}"),
        "127.0.0.1:1",
        "",
    ] {
        for path in paths {
            let refused = request_for(served.address, "GET", path, host);
            assert_eq!(refused.status, 421, "{path} with Host {host:?}");
            assert!(!refused.text().contains("Secret draft"));
            assert!(refused.text().contains("--host"), "says how to add a name");
        }
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("laptop.local:{port}"),
    ] {
        let page = request_for(served.address, "GET", "/cases/secret-draft/", &host);
        assert_eq!(page.status, 200, "Host {host}");
        assert!(page.text().contains("Secret draft"));
    }
}

#[test]
fn a_folder_redirect_never_names_another_host() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    for (asked, location) in [
        ("/cases", "/cases/"),
        ("//cases", "/cases/"),
        ("///themes", "/themes/"),
    ] {
        let moved = served.get(asked);
        assert_eq!(moved.status, 301, "{asked}");
        assert_eq!(
            moved.header("Location").as_deref(),
            Some(location),
            "{asked}"
        );
    }
}

#[test]
fn the_preview_never_changes_the_index_casebook_search_reads() {
    // `serve --drafts` indexes drafts and every unsaved state; `casebook search` answers for
    // the last build only.
    let kb = Kb::example();
    kb.build(&[]).expect_success();
    let index_before = common::snapshot(&kb.path(".casebook/search"));
    kb.write(
        "content/cases/secret-draft.md",
        case_file("Secret draft", "draft: true\n", "About quokkaland."),
    );
    let served = Served::start_with(&kb, 0, &["--drafts"]);
    assert!(node_search(&served, "quokkaland").contains("secret-draft"));
    retitle(&kb, "content/cases/secret-draft.md", "Secret draft renamed");
    served.wait_for("/cases/secret-draft/", "the new title", |page| {
        page.text().contains("Secret draft renamed")
    });
    let search = kb.run(&["search", "quokkaland"]);
    search.expect_success();
    assert!(
        search.stdout.contains("No cases match"),
        "{}",
        search.stdout
    );
    assert!(index_before == common::snapshot(&kb.path(".casebook/search")));
}

/// The server's thread count, from `/proc` (0 where there is none).
fn threads_of(served: &Served) -> usize {
    std::fs::read_to_string(format!("/proc/{}/status", served.child.id()))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("Threads:")?.trim().parse().ok())
        })
        .unwrap_or(0)
}

/// A connection that has sent the start of a request head and sends one more byte a second.
fn slow_socket(address: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(address).expect("the server accepts");
    write!(stream, "GET / HTTP/1.1\r\nHost: {address}\r\nX-Slow: ").unwrap();
    stream
}

#[test]
fn a_normal_request_is_answered_while_300_slow_sockets_are_open() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    let mut slow: Vec<TcpStream> = (0..300).map(|_| slow_socket(served.address)).collect();
    let started = Instant::now();
    // Each slow socket trickles a byte a second, which no per-read timeout ends.
    let mut answered = false;
    while started.elapsed() < Duration::from_secs(3) {
        for stream in &mut slow {
            let _ = stream.write_all(b"x");
        }
        if !answered {
            let page = served.get("/");
            assert_eq!(page.status, 200, "{}", page.text());
            let threads = threads_of(&served);
            assert!(
                threads == 0 || threads > 300,
                "slow sockets not held: {threads}"
            );
            answered = true;
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    assert!(answered);
    drop(slow);
}

#[test]
fn a_request_head_that_trickles_in_is_refused_at_the_deadline() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    let mut stream = slow_socket(served.address);
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let started = Instant::now();
    let mut response = Vec::new();
    // A byte a second: each read is quick, but the whole head never comes.
    while started.elapsed() < PATIENCE {
        if stream.write_all(b"x").is_err() {
            break;
        }
        let mut chunk = [0u8; 512];
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => response.extend_from_slice(&chunk[..n]),
            Err(_) => {}
        }
        std::thread::sleep(Duration::from_millis(800));
    }
    let text = String::from_utf8_lossy(&response);
    assert!(text.starts_with("HTTP/1.1 408"), "{text:?}");
}

#[test]
fn a_request_head_over_16_kib_is_refused_431() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    let mut stream = TcpStream::connect(served.address).unwrap();
    let filler = "a".repeat(20 * 1024);
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {}\r\nX-Big: {filler}\r\n\r\n",
        served.address
    )
    .unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    assert!(String::from_utf8_lossy(&response).starts_with("HTTP/1.1 431"));
    assert_eq!(served.get("/").status, 200);
}

#[test]
fn open_pages_beyond_the_cap_are_told_to_come_back_and_pages_still_load() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    let open_stream = || {
        let mut stream = TcpStream::connect(served.address).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "GET /__casebook/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            served.address
        )
        .unwrap();
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).unwrap();
        (stream, String::from_utf8_lossy(&head).into_owned())
    };
    let streams: Vec<_> = (0..64).map(|_| open_stream()).collect();
    assert!(streams.iter().all(|(_, head)| head == "HTTP/1.1 200"));
    let (mut refused, head) = open_stream();
    assert_eq!(head, "HTTP/1.1 503");
    let mut rest = String::new();
    let _ = refused.read_to_string(&mut rest);
    assert!(rest.contains("Retry-After: 2"), "{rest}");
    assert_eq!(served.get("/").status, 200);
}

#[test]
fn listening_on_every_interface_is_a_warning_that_names_the_network_address() {
    let kb = Kb::example();
    let served = Served::start_with(&kb, 0, &["--bind", "0.0.0.0", "--drafts"]);
    let said = served.stderr_until(|said| said.contains("every network interface"));
    assert!(
        said.contains("warning: listening on every network interface")
            && said.contains("drafts included"),
        "{said}"
    );
    let port = served.address.port();
    // A machine with no network route has no address to name.
    assert!(
        said.contains(&format!(":{port}/")) || said.contains("this machine's network address"),
        "names an address: {said}"
    );
    assert_eq!(served.get("/").status, 200, "and still serves 127.0.0.1");
}

#[test]
fn content_deleted_and_made_again_is_watched_again() {
    // As a `git checkout` of another branch or an unzipped copy does.
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    let saved = common::temp_dir();
    common::copy_tree(&kb.path("content"), saved.path());
    std::fs::remove_dir_all(kb.path("content")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    common::copy_tree(saved.path(), &kb.path("content"));
    served.wait_for("/cases/food-train/", "the page again", |r| r.status == 200);
    // The new folder is watched: an edit in it reaches the page.
    std::thread::sleep(Duration::from_millis(600));
    retitle(&kb, FOOD_TRAIN, "Food Train seen again");
    served.wait_for("/cases/food-train/", "the new title", |r| {
        h1(r) == "Food Train seen again"
    });
}

#[test]
fn an_answer_comes_in_one_piece_and_closes_its_connection() {
    // A head and body written apart wait on the client's delayed ACK (about 40 ms a file on a
    // reused connection); one write with TCP_NODELAY, and one request a connection, do not.
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    let mut stream = TcpStream::connect(served.address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let host = served.address;
    write!(
        stream,
        "GET /casebook.css HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n\r\nGET /cases.json HTTP/1.1\r\nHost: {host}\r\n\r\n"
    )
    .unwrap();
    let mut first = vec![0u8; 256 * 1024];
    let n = stream.read(&mut first).unwrap();
    let first = &first[..n];
    let head_end = first
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("the whole head in the first read");
    assert!(n > head_end + 4, "the body arrives with the head");
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();
    let whole = [first, &rest].concat();
    let text = String::from_utf8_lossy(&whole);
    assert!(text.contains("Connection: close\r\n"), "{text:.300}");
    assert_eq!(
        text.matches("HTTP/1.1 ").count(),
        1,
        "one answer a connection"
    );
}

#[test]
fn the_error_overlay_is_readable_over_the_theme() {
    if !common::browser::chromium_or_skip() {
        return;
    }
    let kb = Kb::example();
    // A theme whose `pre` and `strong` are pale on pale, as the default theme's `pre` once
    // made the overlay.
    let css = kb.read("themes/default/static/casebook.css")
        + "\npre { color: #eee !important; background: #f4f4f4 !important; }\nstrong { color: #fafafa !important; }\n";
    kb.write("themes/default/static/casebook.css", css);
    let served = Served::start(&kb, 0);
    let text = kb.read(FOOD_TRAIN);
    kb.write(FOOD_TRAIN, text.replacen("title:", "title: [unclosed", 1));
    served.wait_for("/cases/food-train/", "the error overlay", |r| {
        r.text().contains("id=\"casebook-error-overlay\"")
    });
    let url = format!("http://{}/", served.address);
    let site = common::browser::ServedSite {
        kb,
        url,
        output: PathBuf::new(),
        artifacts: common::repo().join("tests").join("artifacts"),
    };
    site.node_test_with(
        "overlay.test.mjs",
        Duration::from_secs(120),
        &[
            ("CASEBOOK_BROKEN_PAGE", "cases/food-train/"),
            ("CASEBOOK_BROKEN_FILE", "food-train.md"),
        ],
    )
    .expect_pass();
}

#[test]
fn serve_names_the_case_file_a_save_changed_not_the_editors_temporary_file() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    // `sed -i` writes a temporary file (`sedXXXXXX`) beside the case and renames it over it.
    let status = Command::new("sed")
        .args(["-i", "s/^title: .*/title: Food Train by sed/"])
        .arg(kb.path(FOOD_TRAIN))
        .status()
        .expect("sed runs");
    assert!(status.success());
    served.wait_for("/cases/food-train/", "the new title", |r| {
        h1(r) == "Food Train by sed"
    });
    let said = served.stderr_until(|said| said.contains("after a change to"));
    let line = said
        .lines()
        .find(|l| l.contains("after a change to"))
        .unwrap_or_default();
    assert!(
        line.ends_with("after a change to content/cases/scotland/food-train.md"),
        "{said}"
    );
    // A swap file alone changes nothing and says nothing.
    kb.write("content/cases/.food-train.md.swp", "swap");
    std::thread::sleep(Duration::from_millis(800));
    let quiet: Vec<String> = served.stderr_lines.try_iter().collect();
    assert!(quiet.iter().all(|l| !l.contains("swp")), "{quiet:?}");
}

#[test]
fn a_broken_vocabulary_while_serving_names_its_line_and_keeps_the_last_good_site() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    let taxonomy = kb.read("content/_taxonomy.yaml");
    kb.write(
        "content/_taxonomy.yaml",
        taxonomy.replacen("theme:\n", "theme:\n\t", 1),
    );
    let broken = served.wait_for("/themes/co-production/", "the error overlay", |r| {
        r.text().contains("id=\"casebook-error-overlay\"")
    });
    assert_eq!(broken.status, 200, "the last good page stays served");
    assert!(
        broken.text().contains("content/_taxonomy.yaml:2:"),
        "the file and line are shown:\n{}",
        broken.text()
    );
    kb.write("content/_taxonomy.yaml", taxonomy);
    served.wait_for("/themes/co-production/", "the overlay cleared", |r| {
        !r.text().contains("id=\"casebook-error-overlay\"")
    });
}

#[test]
fn a_storm_of_saves_ends_with_the_last_one_served() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    for n in 0..200 {
        retitle(&kb, FOOD_TRAIN, &format!("Food Train save {n}"));
        std::thread::sleep(Duration::from_millis(10));
    }
    served.wait_for("/cases/food-train/", "the last save", |r| {
        h1(r) == "Food Train save 199"
    });
    assert!(served
        .get("/themes/co-production/")
        .text()
        .contains("Food Train save 199"));
}

#[test]
fn a_half_written_save_shows_where_it_stops_and_the_full_save_clears_it() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    let good = h1(&served.get("/cases/food-train/"));
    let text = kb.read(FOOD_TRAIN);
    // Cut inside the front matter, as a save that was interrupted leaves it.
    let cut = text.find("region:").expect("a region line");
    kb.write(FOOD_TRAIN, &text[..cut]);
    let broken = served.wait_for("/cases/food-train/", "the error overlay", |r| {
        r.text().contains("id=\"casebook-error-overlay\"")
    });
    assert_eq!(h1(&broken), good, "the last good page stays served");
    assert!(
        broken
            .text()
            .contains("content/cases/scotland/food-train.md:"),
        "{}",
        broken.text()
    );
    kb.write(FOOD_TRAIN, &text);
    served.wait_for("/cases/food-train/", "the overlay cleared", |r| {
        !r.text().contains("id=\"casebook-error-overlay\"")
    });
}

#[test]
fn a_case_renamed_while_it_is_written_ends_at_its_new_address() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    let renamed = "content/cases/scotland/food-train-renamed.md";
    std::fs::rename(kb.path(FOOD_TRAIN), kb.path(renamed)).unwrap();
    // The editor's save lands on the new name a moment after the rename, in two writes.
    let text = kb.read(renamed);
    let retitled = text.replacen("title: \"", "title: \"Renamed ", 1);
    let half = retitled.len() / 2;
    std::fs::write(kb.path(renamed), &retitled[..half]).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(kb.path(renamed), &retitled).unwrap();
    served.wait_for("/cases/food-train-renamed/", "the renamed case", |r| {
        r.status == 200 && h1(r).starts_with("Renamed")
    });
    served.wait_for("/cases/food-train/", "the old address gone", |r| {
        r.status == 404
    });
    assert!(!served
        .get("/cases/food-train-renamed/")
        .text()
        .contains("id=\"casebook-error-overlay\""));
}

/// The related-case block of a case page, as text with each card's link.
fn related_block(html: &str) -> String {
    let page = scraper::Html::parse_document(html);
    let section = common::selector("section.related");
    let link = common::selector("a");
    page.select(&section)
        .next()
        .map(|block| {
            let links: Vec<&str> = block
                .select(&link)
                .filter_map(|a| a.value().attr("href"))
                .map(|href| href.rsplit("/cases/").next().unwrap_or(href))
                .collect();
            format!("{} {}", common::text_of(block), links.join(" "))
        })
        .unwrap_or_default()
}

#[test]
fn after_a_facet_change_every_related_block_is_the_one_a_full_build_makes() {
    let kb = Kb::example();
    let served = Served::start(&kb, 0);
    let text = kb.read(FOOD_TRAIN);
    let changed = text
        .replacen("region: Scotland", "region: London", 1)
        .replacen(
            "theme: [co-production, health and social care]",
            "theme: [homelessness, health and social care]",
            1,
        );
    assert_ne!(changed, text);
    kb.write(FOOD_TRAIN, &changed);
    served.wait_for("/cases/food-train/", "the new region", |r| {
        r.text().contains("/regions/london/")
    });
    // Wait for the whole update (search and feed follow the pages).
    served.stderr_until(|said| said.contains("after a change to"));
    kb.build(&[]).expect_success();
    let slugs = common::case_pages(&kb.output());
    assert!(slugs.len() > 10);
    let mut differ = Vec::new();
    for slug in &slugs {
        let built = related_block(&kb.read(&format!("public/cases/{slug}/index.html")));
        let live = related_block(&served.get(&format!("/cases/{slug}/")).text());
        if built != live {
            differ.push(format!("{slug}:\n  built {built}\n  served {live}"));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
