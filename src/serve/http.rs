//! Answering requests: GET and HEAD of the site's own files, from memory, with the live
//! reload script (and the error overlay) added to every page.

use std::path::Path;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::reload::{inject, stream_events, EVENTS_PATH};
use super::State;

/// Answers one request.
pub(super) fn handle(state: &State, request: Request) {
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

pub(super) fn header(name: &str, value: &str) -> Header {
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
