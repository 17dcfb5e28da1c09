//! `casebook serve`: the site from memory over HTTP, rebuilt as files change, with pages
//! that reload themselves.
//!
//! The server answers GET and HEAD only and serves nothing but the files of the site it
//! built (there is no path to the disk to escape through). A watcher (notify) collects the
//! events of one save, hands the changed paths to [`LiveSite::apply`], and tells open pages
//! over server-sent events to reload, or to show the error overlay when the change broke a
//! file — while the last good site stays served.

use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use crate::content::{report, Layout};
use crate::site::live::{Changes, LiveSite};
use crate::{Diagnostics, Error};

/// How long a save's burst of events may go quiet before the rebuild starts.
const QUIET: Duration = Duration::from_millis(30);
/// The longest a burst is collected before rebuilding anyway.
const MAX_BURST: Duration = Duration::from_millis(500);
/// How often an idle event stream is pinged, to notice closed pages.
const PING: Duration = Duration::from_secs(15);
/// The path of the live-reload event stream.
const EVENTS_PATH: &str = "/__casebook/events";
/// How many ports after the requested one are tried when it is taken.
const PORT_TRIES: u16 = 20;

/// What `casebook serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The knowledge base.
    pub root: PathBuf,
    /// The port to listen on (0: any free port); the next ones are tried when it is taken.
    pub port: u16,
    /// The address to listen on; loopback unless told otherwise.
    pub bind: IpAddr,
    /// Open the site in a browser once it is served.
    pub open: bool,
    /// Publish drafts too.
    pub drafts: bool,
}

/// A message for open pages.
#[derive(Debug, Clone)]
enum PageEvent {
    /// The site changed: reload.
    Reload,
    /// The error to show over the page, or none.
    Status(Option<String>),
}

/// What request handlers and the watcher share.
struct State {
    /// The knowledge base as given (diagnostics name files relative to it).
    root: PathBuf,
    /// The same, canonical: the watcher reports paths under it.
    watched_root: PathBuf,
    drafts: bool,
    base_url: String,
    /// The live site; only the watcher's thread takes it, for as long as an update lasts.
    site: Mutex<Option<LiveSite>>,
    /// What is served; requests hold it only to look a file up.
    files: RwLock<HashMap<String, Arc<Vec<u8>>>>,
    error: RwLock<Option<String>>,
    pages: Mutex<Vec<mpsc::Sender<PageEvent>>>,
}

/// Builds the site, serves it and rebuilds on changes until the process is stopped.
pub fn serve(options: &ServeOptions) -> Result<(), Error> {
    let root = options.root.clone();
    let watched_root = root.canonicalize().map_err(|e| Error::io(&root, e))?;
    let layout = Layout::new(&watched_root);
    if !layout.content_dir().is_dir() {
        return Err(Error::Usage(format!(
            "{}: not a knowledge base (no content/ folder)",
            options.root.display()
        )));
    }
    let listener = bind(options.bind, options.port)?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::Usage(format!("cannot listen: {e}")))?;
    let base_url = base_url_for(address);
    let state = Arc::new(State {
        root: root.clone(),
        watched_root,
        drafts: options.drafts,
        base_url: base_url.clone(),
        site: Mutex::new(None),
        files: RwLock::new(HashMap::new()),
        error: RwLock::new(None),
        pages: Mutex::new(Vec::new()),
    });
    let started = Instant::now();
    match LiveSite::build(&root, options.drafts, &base_url) {
        Ok((site, update)) => {
            print_diagnostics(&update.warnings);
            eprintln!("built the site in {:.0?}", started.elapsed());
            serve_changes(&state, update.changes);
            *state.site.lock().expect("lock") = Some(site);
        }
        Err(error) => report_failure(&state, &error)?,
    }
    let server = Server::from_listener(listener, None)
        .map_err(|e| Error::Usage(format!("cannot serve: {e}")))?;
    let _watcher = watch(&state, &layout)?;
    println!(
        "serving {} at {base_url} (Ctrl-C to stop)",
        options.root.display()
    );
    let _ = std::io::stdout().flush();
    if options.open {
        let _ = std::process::Command::new(if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        })
        .arg(&base_url)
        .spawn();
    }
    for request in server.incoming_requests() {
        let state = Arc::clone(&state);
        std::thread::spawn(move || handle(&state, request));
    }
    Ok(())
}

/// Listens on `port`, or on the next free one when it is taken (saying so).
fn bind(address: IpAddr, port: u16) -> Result<TcpListener, Error> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_TRIES)
    };
    for candidate in port..=last {
        match TcpListener::bind(SocketAddr::new(address, candidate)) {
            Ok(listener) => {
                if candidate != port {
                    eprintln!("port {port} is taken; using {candidate}");
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => {
                return Err(Error::Usage(format!(
                    "cannot listen on {address}:{candidate}: {e}"
                )))
            }
        }
    }
    Err(Error::Usage(format!(
        "ports {port} to {last} on {address} are all taken; choose another with --port"
    )))
}

fn base_url_for(address: SocketAddr) -> String {
    match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("http://127.0.0.1:{}/", address.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("http://[::1]:{}/", address.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", address.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", address.port()),
    }
}

/// Content problems are shown in the terminal and on every page; other errors end serve.
fn report_failure(state: &State, error: &Error) -> Result<(), Error> {
    let text = match error {
        Error::Content(diagnostics) => {
            print_diagnostics(diagnostics);
            let errors: Diagnostics = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            report::to_text(&errors)
        }
        Error::Render(render) => {
            let diagnostics: Diagnostics = std::iter::once(render.diagnostic()).collect();
            print_diagnostics(&diagnostics);
            report::to_text(&diagnostics)
        }
        Error::Io { .. } | Error::Usage(_) | Error::Index(_) => {
            eprintln!("error: {error}");
            error.to_string()
        }
    };
    eprintln!("keeping the last good version of the site; fix the file and save to rebuild");
    *state.error.write().expect("lock") = Some(text.clone());
    broadcast(state, PageEvent::Status(Some(text)));
    Ok(())
}

fn print_diagnostics(diagnostics: &Diagnostics) {
    report::eprint(diagnostics);
}

/// Starts watching the content and theme folders; the returned watcher must be kept alive.
fn watch(state: &Arc<State>, layout: &Layout) -> Result<notify::RecommendedWatcher, Error> {
    let (sender, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(sender)
        .map_err(|e| Error::Usage(format!("cannot watch files: {e}")))?;
    for folder in [layout.content_dir(), layout.themes_dir()] {
        if folder.is_dir() {
            watcher
                .watch(&folder, RecursiveMode::Recursive)
                .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", folder.display())))?;
        }
    }
    let state = Arc::clone(state);
    std::thread::spawn(move || {
        while let Some(paths) = next_burst(&events) {
            // Back to paths under the root as given, as the site knows its files.
            let paths: Vec<PathBuf> = paths
                .iter()
                .map(|p| {
                    p.strip_prefix(&state.watched_root)
                        .map_or_else(|_| p.clone(), |rest| state.root.join(rest))
                })
                .collect();
            rebuild(&state, &paths);
        }
    });
    Ok(watcher)
}

/// Waits for the next change and collects the paths of its burst of events (one save is
/// several events: create, write, rename, close).
fn next_burst(events: &mpsc::Receiver<notify::Result<notify::Event>>) -> Option<Vec<PathBuf>> {
    let mut paths = Vec::new();
    loop {
        add_paths(&mut paths, events.recv().ok()?);
        if !paths.is_empty() {
            break;
        }
    }
    let deadline = Instant::now() + MAX_BURST;
    while Instant::now() < deadline {
        match events.recv_timeout(QUIET) {
            Ok(event) => add_paths(&mut paths, event),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
    Some(paths)
}

fn add_paths(paths: &mut Vec<PathBuf>, event: notify::Result<notify::Event>) {
    let Ok(event) = event else { return };
    // Reads (opening, closing without writing) change nothing.
    if matches!(
        event.kind,
        EventKind::Access(notify::event::AccessKind::Open(_) | notify::event::AccessKind::Read)
    ) {
        return;
    }
    for path in event.paths {
        if !paths.contains(&path) {
            paths.push(path);
        }
    }
}

/// Applies a burst of changes and tells open pages: first the pages readers look at, then
/// (while those are already served) feed, open data and search.
fn rebuild(state: &State, paths: &[PathBuf]) {
    let mut guard = state.site.lock().expect("lock");
    let outcome = match guard.as_mut() {
        Some(site) => site.apply(paths),
        None => {
            LiveSite::build(&state.root, state.drafts, &state.base_url).map(|(site, update)| {
                *guard = Some(site);
                update
            })
        }
    };
    let update = match outcome {
        Ok(update) => update,
        Err(error) => {
            let _ = report_failure(state, &error);
            return;
        }
    };
    print_diagnostics(&update.warnings);
    let files = update.changes.files.len() + update.changes.removed.len();
    serve_changes(state, update.changes);
    *state.error.write().expect("lock") = None;
    broadcast(state, PageEvent::Reload);
    let what = if update.full {
        "rebuilt the site"
    } else {
        "updated"
    };
    let names: Vec<String> = paths
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    eprintln!(
        "{what} ({files} files) in {:.1?} after a change to {}",
        update.elapsed,
        names.join(", ")
    );
    if let Some(site) = guard.as_mut() {
        let started = Instant::now();
        match site.complete() {
            Ok(changes) if !changes.files.is_empty() => {
                let count = changes.files.len();
                serve_changes(state, changes);
                eprintln!(
                    "  then feed, open data and search ({count} files) in {:.1?}",
                    started.elapsed()
                );
            }
            Ok(_) => {}
            Err(error) => {
                let _ = report_failure(state, &error);
            }
        }
    }
}

/// Puts changed files in place for the requests that follow.
fn serve_changes(state: &State, changes: Changes) {
    let mut files = state.files.write().expect("lock");
    if changes.everything {
        files.clear();
    }
    for path in changes.removed {
        files.remove(&path);
    }
    for file in changes.files {
        files.insert(file.path, Arc::new(file.contents));
    }
}

fn broadcast(state: &State, event: PageEvent) {
    state
        .pages
        .lock()
        .expect("lock")
        .retain(|page| page.send(event.clone()).is_ok());
}

/// Answers one request.
fn handle(state: &State, request: Request) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response = Response::from_string("only GET and HEAD are served\n")
            .with_status_code(StatusCode(405))
            .with_header(header("Allow", "GET, HEAD"));
        let _ = request.respond(response);
        return;
    }
    let path = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    if path == EVENTS_PATH {
        stream_events(state, request);
        return;
    }
    let response = match site_path(&path) {
        Err(status) => text_response(status, "bad request path\n"),
        Ok(relative) => page_response(state, &path, &relative),
    };
    let _ = request.respond(response);
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
    let decoded = percent_decode(path).ok_or(400u16)?;
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

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn page_response(state: &State, path: &str, relative: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let error = state.error.read().expect("lock").clone();
    let site = state.files.read().expect("lock");
    if site.is_empty() {
        let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>casebook: errors</title></head><body><h1>The site could not be built</h1></body></html>".to_string();
        return html_response(503, inject(page.into_bytes(), error.as_deref()));
    }
    if let Some(bytes) = site.get(relative).cloned() {
        drop(site);
        let content_type = content_type(relative);
        let body = if content_type.starts_with("text/html") {
            inject(bytes.to_vec(), error.as_deref())
        } else {
            bytes.to_vec()
        };
        return Response::from_data(body)
            .with_header(header("Content-Type", content_type))
            .with_header(header("Cache-Control", "no-store"));
    }
    // `/cases/x` → `/cases/x/`, as static hosts do for folders.
    if !relative.ends_with(".html") && site.contains_key(&format!("{relative}/index.html")) {
        return Response::from_data(Vec::new())
            .with_status_code(StatusCode(301))
            .with_header(header("Location", &format!("{path}/")));
    }
    match site.get("404.html") {
        Some(bytes) => html_response(404, inject(bytes.to_vec(), error.as_deref())),
        None => text_response(404, "not found\n"),
    }
}

fn html_response(status: u16, body: Vec<u8>) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"))
}

fn text_response(status: u16, text: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(text.as_bytes().to_vec())
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
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

/// The live-reload script (only ever added by the server, never by `casebook build`).
const LIVE_SCRIPT: &str = r#"<script>
(() => {
  const show = (message) => {
    let box = document.getElementById("casebook-error-overlay");
    if (!message) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "casebook-error-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#3b0a0a;color:#fff;padding:1rem 1.25rem;font:14px/1.5 ui-monospace,monospace;border-top:4px solid #f87171";
      document.body.appendChild(box);
    }
    box.innerHTML = "<strong>casebook: the last change has errors; this is the last good version.</strong><pre style='white-space:pre-wrap;margin:.5rem 0 0'></pre>";
    box.querySelector("pre").textContent = message;
  };
  const events = new EventSource("/__casebook/events");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("status", (e) => show(JSON.parse(e.data).error));
})();
</script>"#;

/// Adds the live-reload script, and the error overlay when there is an error, before `</body>`.
fn inject(mut html: Vec<u8>, error: Option<&str>) -> Vec<u8> {
    let mut addition = String::new();
    if let Some(error) = error {
        addition.push_str(&format!(
            "<div id=\"casebook-error-overlay\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#3b0a0a;color:#fff;padding:1rem 1.25rem;font:14px/1.5 ui-monospace,monospace;border-top:4px solid #f87171\"><strong>casebook: the last change has errors; this is the last good version.</strong><pre style=\"white-space:pre-wrap;margin:.5rem 0 0\">{}</pre></div>",
            escape(error)
        ));
    }
    addition.push_str(LIVE_SCRIPT);
    let at = find_last(&html, b"</body>").unwrap_or(html.len());
    html.splice(at..at, addition.into_bytes());
    html
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Keeps a server-sent event stream open, sending reloads and error status to one page.
fn stream_events(state: &State, request: Request) {
    let (sender, events) = mpsc::channel();
    state.pages.lock().expect("lock").push(sender);
    let error = state.error.read().expect("lock").clone();
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    let mut message = format!("{head}retry: 500\n\n{}", status_event(error.as_deref()));
    loop {
        if writer
            .write_all(message.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
        message = match events.recv_timeout(PING) {
            Ok(PageEvent::Reload) => "event: reload\ndata: {}\n\n".to_string(),
            Ok(PageEvent::Status(error)) => status_event(error.as_deref()),
            Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
    }
}

fn status_event(error: Option<&str>) -> String {
    format!(
        "event: status\ndata: {}\n\n",
        serde_json::json!({ "error": error })
    )
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

    #[test]
    fn the_live_script_goes_before_the_body_ends() {
        let page = inject(
            b"<html><body><p>x</p></body></html>".to_vec(),
            Some("a.md:3:1: error: <bad>"),
        );
        let page = String::from_utf8(page).unwrap();
        assert!(page.ends_with("</script></body></html>"));
        assert!(page.contains("a.md:3:1: error: &lt;bad&gt;"));
    }
}
