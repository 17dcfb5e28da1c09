//! The search page works in a real browser: the example is built for
//! `http://127.0.0.1:PORT/kb/`, served from `/kb/` by a plain static server, and
//! `tests/browser/search.test.mjs` drives headless Chromium through it (typing, filters, the
//! URL, reload, back, the keyboard). Needs Node and Debian's `/usr/bin/chromium`; without
//! Chromium the test is skipped, except on CI (`CI` set), where it fails.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::links::{file_for, Base};
use common::{casebook, copy_tree, repo, temp_dir, Run};

/// The folder the site is deployed under.
const SUB_FOLDER: &str = "/kb/";
/// Where the browser test finds its browser.
const CHROMIUM: &str = "/usr/bin/chromium";
/// A guard against a hung browser, well above the test's usual run time (~15 s).
const NODE_TIMEOUT: Duration = Duration::from_secs(120);

#[test]
fn search_page_works_in_headless_chromium() {
    if !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{CHROMIUM} is missing; CI must install it (apt-get install -y chromium)"
        );
        println!("skipped: chromium not installed");
        return;
    }
    let browser_tests = repo().join("tests").join("browser");

    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port on loopback");
    let address = listener.local_addr().expect("a bound address");
    let site_url = format!("http://{address}{SUB_FOLDER}");

    let dir = temp_dir();
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    let output = dir.path().join("out");
    Run::of(
        casebook()
            .arg("build")
            .arg("--root")
            .arg(dir.path())
            .arg("--output")
            .arg(&output)
            .args(["--base-url", &site_url]),
    )
    .expect_success();
    let base = Base::parse(&site_url);
    std::thread::spawn(move || serve(&listener, &output, &base));

    if !browser_tests.join("node_modules").is_dir() {
        let install = run_to_end(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
                .current_dir(&browser_tests),
        );
        assert!(
            install.status.success(),
            "npm ci failed\n{}",
            said(&install)
        );
    }

    let started = Instant::now();
    let node = run_to_end(
        Command::new("node")
            .args(["--test", "--test-reporter=spec"])
            .arg(browser_tests.join("search.test.mjs"))
            .env("CASEBOOK_SITE_URL", &site_url)
            .env("CASEBOOK_CHROMIUM", CHROMIUM)
            .current_dir(repo()),
    );
    assert!(
        node.status.success(),
        "the browser test failed ({:.1} s)\n{}",
        started.elapsed().as_secs_f64(),
        said(&node)
    );
    println!(
        "browser test passed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// A static host for `output` under `base`: files with their content type, `index.html` for
/// folders, 404 for anything else. One thread per connection, one request per connection.
///
/// Not tiny_http: its thread pool can leave a new keep-alive connection queued behind another
/// one that stays open, so some of the browser's parallel requests would never be answered.
fn serve(listener: &TcpListener, output: &Path, base: &Base) {
    for stream in listener.incoming().flatten() {
        let (output, base) = (output.to_path_buf(), base.clone());
        std::thread::spawn(move || {
            let _ = answer(stream, &output, &base);
        });
    }
}

/// Reads one request from `stream` and answers it.
fn answer(mut stream: TcpStream, output: &Path, base: &Base) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let found = match method {
        "GET" | "HEAD" => file_for(output, base, path).ok(),
        _ => None,
    };
    let (status, content_type, body) = match found.and_then(|f| Some((std::fs::read(&f).ok()?, f)))
    {
        Some((body, file)) => ("200 OK", content_type(&file), body),
        None => (
            "404 Not Found",
            "text/plain; charset=utf-8",
            b"not found\n".to_vec(),
        ),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

/// The `Content-Type` a static host sends; module scripts load only as JavaScript.
fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        _ => "application/octet-stream", // .bin: the search export's shards
    }
}

/// Runs `command` with its output captured; after `NODE_TIMEOUT`, stops it and everything it
/// started (node runs the test file in a child process, which starts Chromium).
fn run_to_end(command: &mut Command) -> Output {
    let program = format!("{command:?}");
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(command, 0);
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e} (is Node installed?)"));
    let reader = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = reader(Box::new(child.stdout.take().expect("piped stdout")));
    let stderr = reader(Box::new(child.stderr.take().expect("piped stderr")));
    let deadline = Instant::now() + NODE_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        if Instant::now() > deadline {
            #[cfg(unix)]
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
            let status = child.wait().expect("the killed child ends");
            eprintln!("{program} took longer than {NODE_TIMEOUT:?} and was stopped");
            break status;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}

/// What a command printed, for a failure message.
fn said(output: &Output) -> String {
    format!(
        "--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
