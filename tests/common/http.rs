//! A minimal HTTP/1.0 client for tests: one request, the whole response.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// A response: status code, head (status line and headers) and body.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }
}

/// Sends `method target` (the target exactly as given, not encoded) and reads the response.
pub fn request(address: SocketAddr, method: &str, target: &str) -> HttpResponse {
    request_for(address, method, target, &address.to_string())
}

/// The same, saying `host` in the `Host` header (empty: no `Host` header at all).
pub fn request_for(address: SocketAddr, method: &str, target: &str, host: &str) -> HttpResponse {
    let mut stream = TcpStream::connect(address).expect("the server accepts");
    // Not a timing assertion: only a guard so a broken server fails the test, not hangs it.
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let host = if host.is_empty() {
        String::new()
    } else {
        format!("Host: {host}\r\n")
    };
    write!(stream, "{method} {target} HTTP/1.0\r\n{host}\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("a response");
    let head_end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&response[..head_end]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head}"));
    HttpResponse {
        status,
        head,
        body: response[head_end + 4..].to_vec(),
    }
}
