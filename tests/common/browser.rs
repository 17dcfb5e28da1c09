//! Running the Node checks of `tests/browser/` against a built site: a plain static host on
//! loopback, the npm packages they need, and Node itself with a time limit.
//!
//! The checks need Node, Debian's `/usr/bin/chromium` and (for the HTML validator) Java. A test
//! skips without Chromium or Java, except on CI (`CI` set), where it fails: CI must install them.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::links::{file_for, Base};
use super::{casebook, repo, Kb, Run};

/// Where the checks find their browser (never a downloaded one).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The folder sites are deployed under, so every link must honour a base path.
pub const SUB_FOLDER: &str = "/kb/";

/// Held while a Node check runs Chromium or Java, which run one at a time.
static BROWSER: Mutex<()> = Mutex::new(());

/// `tests/browser/`: the Node checks and their `package.json`.
pub fn browser_tests() -> PathBuf {
    repo().join("tests").join("browser")
}

/// Whether Chromium is there; without it, a skip note (or, on CI, a failure).
pub fn chromium_or_skip() -> bool {
    if Path::new(CHROMIUM).exists() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{CHROMIUM} is missing; CI must install it (apt-get install -y chromium)"
    );
    println!("skipped: chromium not installed");
    false
}

/// Whether `java` runs; without it, a skip note (or, on CI, a failure).
pub fn java_or_skip() -> bool {
    let runs = Command::new("java")
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if runs {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "java is missing; CI must install it (apt-get install -y default-jre-headless)"
    );
    println!("skipped: java not installed");
    false
}

/// Installs the packages of `tests/browser/package-lock.json` (`npm ci`, scripts off, browsers
/// never downloaded) unless every dependency of `package.json` is already there at its version.
/// Once per process: tests running at the same time wait for the first.
pub fn install_node_packages() {
    static DONE: Mutex<bool> = Mutex::new(false);
    let mut done = DONE.lock().unwrap_or_else(|e| e.into_inner());
    if *done {
        return;
    }
    let dir = browser_tests();
    if !node_packages_installed(&dir) {
        let install = run_to_end(
            Command::new("npm")
                .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
                .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
                .current_dir(&dir),
            Duration::from_secs(300),
        );
        assert!(
            install.status.success(),
            "npm ci failed\n{}",
            said(&install)
        );
        assert!(
            node_packages_installed(&dir),
            "npm ci left packages missing"
        );
    }
    *done = true;
}

/// Whether `node_modules` has every dependency of `package.json` at the version it names.
fn node_packages_installed(dir: &Path) -> bool {
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("package.json")).expect("tests/browser/package.json"),
    )
    .expect("package.json is JSON");
    ["dependencies", "devDependencies"]
        .iter()
        .filter_map(|key| manifest[key].as_object())
        .flatten()
        .all(|(name, version)| {
            let installed = dir.join("node_modules").join(name).join("package.json");
            std::fs::read_to_string(installed)
                .ok()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
                .is_some_and(|p| p["version"] == *version)
        })
}

/// A knowledge base built for `http://127.0.0.1:PORT/kb/` into `out/` and served there until
/// the process ends.
pub struct ServedSite {
    pub kb: Kb,
    /// The base URL, ending with `/`.
    pub url: String,
    /// The output folder.
    pub output: PathBuf,
    /// Where the checks write screenshots and reports: `tests/artifacts/` unless changed.
    pub artifacts: PathBuf,
}

impl ServedSite {
    /// Builds `kb` (which must build without errors) and starts serving it.
    pub fn build(kb: Kb) -> ServedSite {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port on loopback");
        let address = listener.local_addr().expect("a bound address");
        let url = format!("http://{address}{SUB_FOLDER}");
        let output = kb.path("out");
        Run::of(
            casebook()
                .arg("build")
                .arg("--root")
                .arg(kb.root())
                .arg("--output")
                .arg(&output)
                .args(["--base-url", &url]),
        )
        .expect_success();
        let (served, base) = (output.clone(), Base::parse(&url));
        std::thread::spawn(move || serve(&listener, &served, &base));
        ServedSite {
            kb,
            url,
            output,
            artifacts: repo().join("tests").join("artifacts"),
        }
    }

    /// Runs one Node test file of `tests/browser/` against this site, stopping it after
    /// `timeout`.
    pub fn node_test(&self, file: &str, timeout: Duration) -> NodeRun {
        self.node_test_with(file, timeout, &[])
    }

    /// [`ServedSite::node_test`] with more environment variables for the test file.
    pub fn node_test_with(&self, file: &str, timeout: Duration, env: &[(&str, &str)]) -> NodeRun {
        install_node_packages();
        // One browser (or validator) at a time: two would compete for the machine's cores and
        // make the checks' own timings meaningless.
        let _serial = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
        let started = Instant::now();
        let output = run_to_end(
            Command::new("node")
                .args(["--test", "--test-reporter=spec"])
                .arg(browser_tests().join(file))
                .env("CASEBOOK_SITE_URL", &self.url)
                .env("CASEBOOK_SITE_DIR", &self.output)
                .env("CASEBOOK_CHROMIUM", CHROMIUM)
                .env("CASEBOOK_ARTIFACTS", &self.artifacts)
                .envs(env.iter().copied())
                .current_dir(repo()),
            timeout,
        );
        NodeRun {
            file: file.to_string(),
            output,
            seconds: started.elapsed().as_secs_f64(),
        }
    }
}

/// What one run of a Node test file did.
pub struct NodeRun {
    pub file: String,
    pub output: Output,
    pub seconds: f64,
}

impl NodeRun {
    /// Whether every test of the file passed.
    pub fn passed(&self) -> bool {
        self.output.status.success()
    }

    /// Everything it printed.
    pub fn said(&self) -> String {
        said(&self.output)
    }

    /// Panics with everything it printed unless it passed; prints its report otherwise.
    #[track_caller]
    pub fn expect_pass(&self) {
        assert!(
            self.passed(),
            "{} failed ({:.1} s)\n{}",
            self.file,
            self.seconds,
            self.said()
        );
        println!(
            "{} passed in {:.1} s\n{}",
            self.file,
            self.seconds,
            String::from_utf8_lossy(&self.output.stdout)
        );
    }
}

/// A static host for `output` under `base`: files with their content type, `index.html` for
/// folders, 404 for anything else. One thread per connection, one request per connection.
///
/// Not tiny_http: its thread pool can leave a new keep-alive connection queued behind another
/// one that stays open, so some of the browser's parallel requests would never be answered.
pub fn serve(listener: &TcpListener, output: &Path, base: &Base) {
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

/// Runs `command` with its output captured; after `timeout`, stops it and everything it started
/// (node runs each test file in a child process, which starts Chromium or Java).
pub fn run_to_end(command: &mut Command, timeout: Duration) -> Output {
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
    let deadline = Instant::now() + timeout;
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
            eprintln!("{program} took longer than {timeout:?} and was stopped");
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
pub fn said(output: &Output) -> String {
    format!(
        "--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
