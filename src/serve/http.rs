//! Answering requests: GET and HEAD of the site's own files, from memory, with the live
//! reload script (and the error overlay) added to every page.
//!
//! One thread a connection and one request a connection (every answer says `Connection:
//! close`), its head bounded in size and read within one deadline however slowly it
//! trickles in, and at most [`MAX_CONNECTIONS`] at once, of which a bounded number may be
//! live-reload streams ([`super::reload`]); more are told to come back. A preview serves one
//! person's browser, and a thread waiting for a keep-alive connection's next request is a
//! thread a page's burst of parallel requests cannot have.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::reload::{inject, stream_events, EVENTS_PATH};
use super::State;

/// The most connections served at once; more are answered 503 with `Retry-After`. Each
/// costs a thread with a small stack: 512 of them, slow or idle, take about 70 MB at most.
const MAX_CONNECTIONS: usize = 512;
/// The largest request head read; a larger one is answered 431.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// How long a client may take to send its whole request head (408 after), or to take an
/// answer.
const PATIENCE: Duration = Duration::from_secs(10);
/// A connection's thread's stack: a request needs little, and many slow clients must not
/// cost many megabytes each.
const STACK_BYTES: usize = 128 * 1024;

/// An answer: status, headers (besides length and connection), body.
pub(super) struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn new(status: u16, content_type: &str, body: Vec<u8>) -> Answer {
        Answer {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("Cache-Control", "no-store".to_string()),
            ],
            body,
        }
    }

    fn text(status: u16, text: &str) -> Answer {
        Answer::new(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Answer {
        self.headers.push((name, value.into()));
        self
    }

    /// Writes the answer, without its body for a HEAD request.
    fn write(&self, stream: &mut TcpStream, with_body: bool) -> std::io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.body.len()
        ));
        let mut bytes = head.into_bytes();
        if with_body {
            bytes.extend_from_slice(&self.body);
        }
        // One write: a head and body sent apart wait on the client's delayed ACK.
        stream.write_all(&bytes)?;
        stream.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Accepts connections until the process ends, each served on a thread of its own.
pub(super) fn serve_forever(listener: TcpListener, state: Arc<State>) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if open.load(Ordering::Acquire) >= MAX_CONNECTIONS {
            let busy =
                Answer::text(503, "too many connections; try again\n").with("Retry-After", "1");
            let _ = busy.write(&mut stream, true);
            continue;
        }
        open.fetch_add(1, Ordering::AcqRel);
        let (state, counted) = (Arc::clone(&state), Arc::clone(&open));
        let spawned = std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn(move || {
                serve_connection(stream, &state);
                counted.fetch_sub(1, Ordering::AcqRel);
            });
        if spawned.is_err() {
            open.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

/// Reads one request from `stream` and answers it.
fn serve_connection(mut stream: TcpStream, state: &State) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(PATIENCE));
    let _ = stream.set_write_timeout(Some(PATIENCE));
    let Some((answer, with_body)) = answer_request(&mut stream, state) else {
        return;
    };
    if answer.write(&mut stream, with_body).is_ok() {
        close_after_answer(&mut stream);
    }
}

/// Reads the request on `stream` and says what to answer (and whether with a body), or
/// `None` when the connection became an event stream.
fn answer_request(stream: &mut TcpStream, state: &State) -> Option<(Answer, bool)> {
    let (method, target, host) = match read_request(stream) {
        Ok(request) => request,
        Err(status) => return Some((Answer::text(status, "bad request\n"), true)),
    };
    let with_body = method != "HEAD";
    let local = stream.local_addr().ok().map(|a| a.ip());
    if !host.is_some_and(|host| state.hosts.allow(&host, local)) {
        let text = format!(
            "this preview answers only requests for {} (or a name given with --host)\n",
            state.base_url
        );
        return Some((Answer::text(421, &text), with_body));
    }
    if method != "GET" && method != "HEAD" {
        let refused =
            Answer::text(405, "only GET and HEAD are served\n").with("Allow", "GET, HEAD");
        return Some((refused, true));
    }
    let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
    if path == EVENTS_PATH {
        let _ = stream.set_write_timeout(None);
        // The stream runs until the page goes; it is handed back when too many are open.
        if stream_events(state, stream.try_clone().ok()?).is_ok() {
            return None;
        }
        let _ = stream.set_write_timeout(Some(PATIENCE));
        let busy = Answer::text(503, "too many open pages; try again\n").with("Retry-After", "2");
        return Some((busy, with_body));
    }
    let answer = match site_path(&path) {
        Err(status) => Answer::text(status, "bad request path\n"),
        Ok(relative) => page_answer(state, &path, &relative),
    };
    Some((answer, with_body))
}

/// Ends a connection whose answer is written: says so (FIN), then reads and drops what the
/// client sent besides its request for a moment. Closing a socket with unread bytes sends a
/// reset, which makes the client drop the answer it has not read yet.
fn close_after_answer(stream: &mut TcpStream) {
    const DRAIN_BYTES: usize = 64 * 1024;
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let mut chunk = [0u8; 4096];
    let mut drained = 0;
    while drained < DRAIN_BYTES {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

/// The method, target and `Host` of the request on `stream`, or the status to refuse it with.
fn read_request(stream: &mut TcpStream) -> Result<(String, String, Option<String>), u16> {
    let deadline = Instant::now() + PATIENCE;
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        if head.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
        if head.len() > MAX_HEAD_BYTES {
            return Err(431);
        }
        // One deadline for the whole head: a byte every few seconds must not keep the
        // connection (and its thread) forever.
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err(408);
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Err(400),
            Ok(n) => head.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(408)
            }
            Err(_) => return Err(400),
        }
    }
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(&head) {
        Ok(httparse::Status::Complete(_)) => {}
        Err(httparse::Error::TooManyHeaders) => return Err(431),
        _ => return Err(400),
    }
    let host = request
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("host"))
        .and_then(|h| std::str::from_utf8(h.value).ok())
        .map(str::to_string);
    match (request.method, request.path) {
        (Some(method), Some(path)) => Ok((method.to_string(), path.to_string(), host)),
        _ => Err(400),
    }
}

/// The site file a request path names, or the status to refuse it with. Encoded slashes,
/// backslashes, NUL and `.`/`..` segments are refused; everything else is looked up in the
/// site's own files only.
pub fn site_path(path: &str) -> Result<String, u16> {
    if !path.starts_with('/') {
        return Err(400);
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Err(400);
    }
    let decoded = crate::text::percent_decode(path).ok_or(400u16)?;
    if decoded.contains(['\\', '\0']) {
        return Err(400);
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return Err(400);
    }
    let mut relative = segments.join("/");
    if decoded.ends_with('/') || relative.is_empty() {
        if !relative.is_empty() {
            relative.push('/');
        }
        relative.push_str("index.html");
    }
    Ok(relative)
}

fn page_answer(state: &State, path: &str, relative: &str) -> Answer {
    let error = state.error.read().expect("lock").clone();
    let site = state.files.read().expect("lock");
    let html = "text/html; charset=utf-8";
    if site.is_empty() {
        let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>casebook: errors</title></head><body><h1>The site could not be built</h1></body></html>";
        return Answer::new(
            503,
            html,
            inject(page.as_bytes().to_vec(), error.as_deref()),
        );
    }
    if let Some(bytes) = site.get(relative).cloned() {
        drop(site);
        let content_type = content_type(relative);
        let body = if content_type.starts_with("text/html") {
            inject(bytes.to_vec(), error.as_deref())
        } else {
            bytes.to_vec()
        };
        return Answer::new(200, content_type, body);
    }
    // `/cases/x` → `/cases/x/`, as static hosts do for folders. One leading slash only:
    // `Location: //cases/` would send the browser to a host named `cases`.
    if !relative.ends_with(".html") && site.contains_key(&format!("{relative}/index.html")) {
        let folder = format!("/{}/", path.trim_start_matches('/'));
        return Answer::text(301, "").with("Location", folder);
    }
    match site.get("404.html") {
        Some(bytes) => Answer::new(404, html, inject(bytes.to_vec(), error.as_deref())),
        None => Answer::text(404, "not found\n"),
    }
}

/// The media type of a site file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    match Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        // The editing form's settings, which Decap CMS expects as YAML.
        "yml" | "yaml" => "text/yaml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_map_to_site_files_and_never_escape() {
        assert_eq!(site_path("/"), Ok("index.html".into()));
        assert_eq!(site_path("/cases/x/"), Ok("cases/x/index.html".into()));
        assert_eq!(site_path("/casebook.css"), Ok("casebook.css".into()));
        assert_eq!(
            site_path("/cases/sein%C3%A4joki/"),
            Ok("cases/seinäjoki/index.html".into())
        );
        assert_eq!(site_path("/../etc/passwd"), Err(400));
        assert_eq!(site_path("/%2e%2e/etc/passwd"), Err(400));
        assert_eq!(site_path("/cases%2f..%2f..%2fetc"), Err(400));
        assert_eq!(site_path("/a\\..\\b"), Err(400));
        assert_eq!(site_path("/%zz"), Err(400));
        assert_eq!(site_path("//etc/passwd"), Ok("etc/passwd".into()));
    }
}
