//! Live reload: open pages keep a server-sent event stream, told to reload after a change
//! or to show the error overlay while the last change is broken. The script and the
//! overlay's styles are `live-reload.js` and `overlay.css` beside this file; the server adds
//! them to the pages it serves, never `casebook build`.

use std::io::Write;
use std::net::TcpStream;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use super::State;
use crate::text::escape_html;

/// The path of the live-reload event stream.
pub(super) const EVENTS_PATH: &str = "/__casebook/events";
/// The most live-reload streams open at once (open pages); more are answered 503, and the
/// page tries again a little later.
pub(super) const MAX_EVENT_STREAMS: usize = 64;
/// How often an idle event stream is pinged, to notice closed pages.
const PING: Duration = Duration::from_secs(15);
/// The overlay's first line, a literal so that `concat!` can put it in both forms of the
/// overlay.
macro_rules! overlay_heading {
    () => {
        "casebook: the last change has errors; this is the last good version."
    };
}
/// The overlay's shadow root: its own complete styles, a heading and the error (filled in).
macro_rules! overlay_root {
    ($error:literal) => {
        concat!(
            "<style>",
            include_str!("overlay.css"),
            "</style><div class=\"box\" role=\"alert\"><strong>",
            overlay_heading!(),
            "</strong><pre>",
            $error,
            "</pre></div>"
        )
    };
}
/// What the server adds before `</body>`, besides an overlay: the overlay's shadow root as a
/// template, for one the script makes itself, and the script that listens for reloads.
const LIVE_RELOAD: &str = concat!(
    "<template id=\"casebook-error-overlay-template\">",
    overlay_root!(""),
    "</template><script>",
    include_str!("live-reload.js"),
    "</script>"
);

/// A message for open pages.
#[derive(Debug, Clone)]
pub(super) enum PageEvent {
    /// The site changed: reload.
    Reload,
    /// The error to show over the page, or none.
    Status(Option<String>),
    /// Nothing to say: a ping, to see whether the page is still open.
    Ping,
}

/// Tells every open page.
pub(super) fn broadcast(state: &State, event: PageEvent) {
    state
        .pages
        .lock()
        .expect("lock")
        .retain(|page| page.send(event.clone()).is_ok());
}

/// Adds the live-reload script, and the error overlay when there is an error, before `</body>`.
pub(super) fn inject(mut html: Vec<u8>, error: Option<&str>) -> Vec<u8> {
    let mut addition = String::new();
    if let Some(error) = error {
        // A declarative shadow root: isolated from the theme even without JavaScript.
        let (before, after) = overlay_root!("\u{0}")
            .split_once('\u{0}')
            .expect("the error's place");
        addition.push_str(&format!(
            "<casebook-error-overlay id=\"casebook-error-overlay\"><template shadowrootmode=\"open\">{before}{}{after}</template></casebook-error-overlay>",
            escape_html(error)
        ));
    }
    addition.push_str(LIVE_RELOAD);
    let at = find_last(&html, b"</body>").unwrap_or(html.len());
    html.splice(at..at, addition.into_bytes());
    html
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// Keeps a server-sent event stream open, sending reloads and error status to one page, and
/// a ping when idle (so that neither side's timeouts drop it, and a closed page is noticed).
/// Hands the connection back when [`MAX_EVENT_STREAMS`] are already open.
pub(super) fn stream_events(state: &State, mut writer: TcpStream) -> Result<(), TcpStream> {
    let (sender, events) = mpsc::channel();
    {
        let mut pages = state.pages.lock().expect("lock");
        // Pages closed since the last message still hold a place: a ping makes their streams
        // notice and end, so that a page opened later finds a place.
        if pages.len() >= MAX_EVENT_STREAMS {
            pages.retain(|page| page.send(PageEvent::Ping).is_ok());
        }
        if pages.len() >= MAX_EVENT_STREAMS {
            return Err(writer);
        }
        pages.push(sender);
    }
    let error = state.error.read().expect("lock").clone();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    let mut message = format!("{head}retry: 500\n\n{}", status_event(error.as_deref()));
    loop {
        if writer
            .write_all(message.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return Ok(());
        }
        message = match events.recv_timeout(PING) {
            Ok(PageEvent::Reload) => "event: reload\ndata: {}\n\n".to_string(),
            Ok(PageEvent::Status(error)) => status_event(error.as_deref()),
            Ok(PageEvent::Ping) | Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
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
    fn the_live_script_goes_before_the_body_ends() {
        let page = inject(
            b"<html><body><p>x</p></body></html>".to_vec(),
            Some("a.md:3:1: error: <bad>"),
        );
        let page = String::from_utf8(page).unwrap();
        assert!(page.ends_with("</script></body></html>"));
        assert!(page.contains("<pre>a.md:3:1: error: &lt;bad&gt;</pre>"));
        assert!(page.contains("<template shadowrootmode=\"open\"><style>"));
    }
}
