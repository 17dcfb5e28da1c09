//! `casebook serve`: the site from memory over HTTP, rebuilt as files change, with pages
//! that reload themselves.
//!
//! The server answers GET and HEAD only and serves nothing but the files of the site it
//! built (there is no path to the disk to escape through), one request a connection, with
//! limits on time, size and connections: [`http`]. A watcher (notify)
//! collects the events of one save and hands the changed paths to [`LiveSite::apply`]
//! ([`watch`]); open pages are told over server-sent events to reload, or to show the error
//! overlay when the change broke a file, while the last good site stays served ([`reload`]).

mod hosts;
mod http;
mod reload;
mod watch;

use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::time::Instant;

use crate::content::{Layout, NotAKnowledgeBase};
use crate::error::{report, Diagnostics, ExitKind, IoError};
use crate::site::{Changes, LiveSite, SiteError};
use hosts::AllowedHosts;
use reload::PageEvent;

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
    /// Names besides the address served that requests may give as their `Host` (a LAN name
    /// of this machine, for previewing on a phone).
    pub hosts: Vec<String>,
}

/// Why the preview server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The root given is not a knowledge base.
    #[error(transparent)]
    NotAKnowledgeBase(#[from] NotAKnowledgeBase),
    /// The knowledge base folder could not be read.
    #[error(transparent)]
    Io(#[from] IoError),
    /// The address could not be listened on.
    #[error("cannot listen on {address}: {source}")]
    Listen {
        /// The address and port tried.
        address: SocketAddr,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// Every port tried is taken.
    #[error("ports {first} to {last} on {address} are all taken; choose another with --port")]
    PortsTaken {
        /// The address.
        address: IpAddr,
        /// The first port tried.
        first: u16,
        /// The last port tried.
        last: u16,
    },
    /// A folder could not be watched for changes.
    #[error("cannot watch {}: {source}", .folder.display())]
    Watch {
        /// The folder.
        folder: PathBuf,
        /// notify's reason.
        source: notify::Error,
    },
}

impl ServeError {
    /// Every failure to start serving is a usage or system problem (exit code 2).
    pub fn exit_kind(&self) -> ExitKind {
        ExitKind::Usage
    }
}

/// What request handlers and the watcher share.
struct State {
    /// The knowledge base as given (diagnostics name files relative to it).
    root: PathBuf,
    /// The same, canonical: the watcher reports paths under it.
    watched_root: PathBuf,
    drafts: bool,
    base_url: String,
    /// The `Host`s answered: any other is refused, so no other site can read the preview.
    hosts: AllowedHosts,
    /// The live site; only the watcher's thread takes it, for as long as an update lasts.
    site: Mutex<Option<LiveSite>>,
    /// What is served; requests hold it only to look a file up.
    files: RwLock<HashMap<String, Arc<Vec<u8>>>>,
    error: RwLock<Option<String>>,
    pages: Mutex<Vec<mpsc::Sender<PageEvent>>>,
}

/// Builds the site, serves it and rebuilds on changes until the process is stopped.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let root = options.root.clone();
    let watched_root = root.canonicalize().map_err(IoError::at(&root))?;
    let layout = Layout::open(&watched_root).map_err(|_| NotAKnowledgeBase {
        root: options.root.clone(),
    })?;
    let listener = bind(options.bind, options.port)?;
    let address = listener.local_addr().map_err(|source| ServeError::Listen {
        address: SocketAddr::new(options.bind, options.port),
        source,
    })?;
    let base_url = base_url_for(address);
    let state = Arc::new(State {
        root: root.clone(),
        watched_root,
        drafts: options.drafts,
        base_url: base_url.clone(),
        hosts: AllowedHosts::new(address, &options.hosts),
        site: Mutex::new(None),
        files: RwLock::new(HashMap::new()),
        error: RwLock::new(None),
        pages: Mutex::new(Vec::new()),
    });
    let started = Instant::now();
    match LiveSite::build(&root, options.drafts, &base_url) {
        Ok((site, update)) => {
            report::eprint(&update.warnings, false);
            eprintln!("built the site in {:.0?}", started.elapsed());
            serve_changes(&state, update.changes);
            *state.site.lock().expect("lock") = Some(site);
        }
        Err(error) => report_failure(&state, &error),
    }
    let _watcher = watch::watch(&state, &layout)?;
    if address.ip().is_unspecified() {
        let lan = network_address(address).map_or_else(
            || "this machine's network address".to_string(),
            |ip| format!("http://{}/", SocketAddr::new(ip, address.port())),
        );
        eprintln!(
            "warning: listening on every network interface: anyone on your network can open {lan} and read the preview{}",
            if options.drafts { ", drafts included" } else { "" }
        );
    }
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
    http::serve_forever(listener, state);
    Ok(())
}

/// Listens on `port`, or on the next free one when it is taken (saying so).
fn bind(address: IpAddr, port: u16) -> Result<TcpListener, ServeError> {
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
            Err(source) => {
                return Err(ServeError::Listen {
                    address: SocketAddr::new(address, candidate),
                    source,
                })
            }
        }
    }
    Err(ServeError::PortsTaken {
        address,
        first: port,
        last,
    })
}

/// The address other machines reach this one at: the one the system would send from to a
/// documentation address (a UDP "connection" sends nothing).
fn network_address(listening: SocketAddr) -> Option<IpAddr> {
    let (local, probe): (SocketAddr, SocketAddr) = if listening.is_ipv4() {
        (([0, 0, 0, 0], 0).into(), ([192, 0, 2, 1], 9).into())
    } else {
        (
            (std::net::Ipv6Addr::UNSPECIFIED, 0).into(),
            ("2001:db8::1".parse::<std::net::Ipv6Addr>().ok()?, 9).into(),
        )
    };
    let socket = std::net::UdpSocket::bind(local).ok()?;
    socket.connect(probe).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

fn base_url_for(address: SocketAddr) -> String {
    match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("http://127.0.0.1:{}/", address.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("http://[::1]:{}/", address.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", address.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", address.port()),
    }
}

/// A failed build or update: its problems are shown in the terminal and over every page,
/// and the last good site stays served.
fn report_failure(state: &State, error: &SiteError) {
    let text = match error.diagnostics() {
        Some(diagnostics) => {
            report::eprint(&diagnostics, false);
            // Warnings are for the terminal; the overlay says what stops the site.
            let errors: Diagnostics = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            report::to_text(&errors)
        }
        None => {
            eprintln!("error: {error}");
            error.to_string()
        }
    };
    eprintln!("keeping the last good version of the site; fix the file and save to rebuild");
    *state.error.write().expect("lock") = Some(text.clone());
    reload::broadcast(state, PageEvent::Status(Some(text)));
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
