//! Watching the knowledge base: a save is a burst of file events, collected until quiet and
//! applied to the live site as one change.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use super::reload::{broadcast, PageEvent};
use super::{report_failure, serve_changes, ServeError, State};
use crate::content::Layout;
use crate::error::report;
use crate::site::LiveSite;

/// How long a save's burst of events may go quiet before the rebuild starts.
const QUIET: Duration = Duration::from_millis(30);
/// The longest a burst is collected before rebuilding anyway.
const MAX_BURST: Duration = Duration::from_millis(500);

/// Starts watching the content and theme folders, and the root for those two folders
/// themselves: a folder deleted and made again (a `git checkout`, an unzipped copy) is
/// watched again. The returned watcher must be kept alive.
pub(super) fn watch(
    state: &Arc<State>,
    layout: &Layout,
) -> Result<Arc<Mutex<notify::RecommendedWatcher>>, ServeError> {
    let (sender, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(sender).map_err(|source| ServeError::Watch {
        folder: layout.root.clone(),
        source,
    })?;
    let watch_error = |folder: &Path| {
        let folder = folder.to_path_buf();
        move |source| ServeError::Watch { folder, source }
    };
    watcher
        .watch(&layout.root, RecursiveMode::NonRecursive)
        .map_err(watch_error(&layout.root))?;
    let folders = [layout.content_dir(), layout.themes_dir()];
    for folder in &folders {
        if folder.is_dir() {
            watcher
                .watch(folder, RecursiveMode::Recursive)
                .map_err(watch_error(folder))?;
        }
    }
    let watcher = Arc::new(Mutex::new(watcher));
    let rewatcher = Arc::clone(&watcher);
    let root = layout.root.clone();
    let state = Arc::clone(state);
    std::thread::spawn(move || {
        while let Some(mut paths) = next_burst(&events) {
            // Of the root's own entries only the two folders matter (a build beside the
            // preview writes public/ and .casebook/).
            paths.retain(|p| p.parent() != Some(root.as_path()) || folders.contains(p));
            if paths.is_empty() {
                continue;
            }
            for folder in folders.iter().filter(|f| paths.contains(f) && f.is_dir()) {
                let mut watcher = rewatcher.lock().expect("lock");
                let _ = watcher.unwatch(folder);
                if let Err(error) = watcher.watch(folder, RecursiveMode::Recursive) {
                    eprintln!("error: cannot watch {}: {error}", folder.display());
                }
            }
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
            report_failure(state, &error);
            return;
        }
    };
    // Only files the site is not made from changed (an editor's swap file): nothing to say.
    if update.sources.is_empty() && !update.full {
        return;
    }
    report::eprint(&update.warnings, false);
    let files = update.changes.files.len() + update.changes.removed.len();
    let names: Vec<String> = update
        .sources
        .iter()
        .map(|p| {
            p.strip_prefix(&state.root)
                .unwrap_or(p)
                .display()
                .to_string()
        })
        .collect();
    serve_changes(state, update.changes);
    *state.error.write().expect("lock") = None;
    broadcast(state, PageEvent::Reload);
    let what = if update.full {
        "rebuilt the site"
    } else {
        "updated"
    };
    let after = if names.is_empty() {
        String::new()
    } else {
        format!(" after a change to {}", names.join(", "))
    };
    eprintln!("{what} ({files} files) in {:.1?}{after}", update.elapsed);
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
            Err(error) => report_failure(state, &error),
        }
    }
}
