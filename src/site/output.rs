//! Writing a site to disk: into a fresh folder beside the output, swapped in only when
//! everything was written, and never over a folder casebook did not create.

use std::collections::HashSet;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::{normalise, SiteError};
use crate::error::IoError;
use crate::render::{OutputFile, Theme};
use crate::swap;

/// The file that marks a folder as written by casebook, so a later build may replace it.
pub const OUTPUT_MARKER: &str = ".casebook-output";

/// Refuses output folders whose replacement would destroy something that is not a site.
pub(super) fn check_output_folder(root: &Path, output: &Path) -> Result<(), SiteError> {
    let refuse = |why: &str| {
        Err(SiteError::RefusedOutput {
            output: output.to_path_buf(),
            why: why.to_string(),
        })
    };
    let root = root.canonicalize().map_err(IoError::at(root))?;
    let absolute = absolute_path(output)?;
    if absolute.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    if root.starts_with(&absolute) {
        return refuse("it holds the knowledge base itself");
    }
    for protected in ["content", "themes"] {
        if absolute.starts_with(root.join(protected)) {
            return refuse(&format!(
                "it is inside the knowledge base's {protected}/ folder"
            ));
        }
    }
    if absolute.is_file() {
        return refuse("it is a file");
    }
    if is_mount_point(&absolute) {
        // A build replaces the output folder by renaming a new one into its place, which a
        // mount point cannot be.
        return refuse(&format!(
            "it is a mount point (another file system is mounted there), which a build cannot \
             replace with a new folder; give a folder inside it, such as {}",
            absolute.join("site").display()
        ));
    }
    if absolute.is_dir() && !absolute.join(OUTPUT_MARKER).is_file() {
        let empty = std::fs::read_dir(&absolute)
            .map_err(IoError::at(&absolute))?
            .next()
            .is_none();
        if !empty {
            return refuse(&format!(
                "it is not empty and was not written by casebook (no {OUTPUT_MARKER} file)"
            ));
        }
    }
    Ok(())
}

/// Whether `folder` exists and has another file system mounted on it.
fn is_mount_point(folder: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (Some(parent), Ok(meta)) = (folder.parent(), std::fs::metadata(folder)) else {
            return false;
        };
        std::fs::metadata(parent).is_ok_and(|up| meta.is_dir() && up.dev() != meta.dev())
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        false
    }
}

/// `path` made absolute, following links in the part that exists.
fn absolute_path(path: &Path) -> Result<PathBuf, IoError> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(IoError::at(path))?
            .join(path)
    };
    let normal = normalise(&joined);
    let mut existing = normal.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    resolved.extend(rest.iter().rev());
    Ok(resolved)
}

/// A site being written: files go into a fresh folder beside the output as they are
/// rendered, and the folder replaces the output only when everything was written. Dropped
/// without [`StagedOutput::commit`], it removes what it wrote.
pub(crate) struct StagedOutput {
    output: PathBuf,
    staging: PathBuf,
    retired: PathBuf,
    /// Folders known to exist, so each is created once however many files it holds.
    folders: Mutex<HashSet<PathBuf>>,
    /// Each file written: its path and the case it belongs to, if any.
    written: Mutex<Vec<(String, Option<usize>)>>,
    /// Bytes removed that stopped builds had left beside the output.
    pub(crate) leftovers_removed: u64,
    /// A write that failed because its path clashes with another file's.
    clash: Mutex<Option<IoError>>,
    committed: bool,
}

impl StagedOutput {
    /// Removes what stopped builds left beside `output` and prepares an empty staging folder.
    pub(crate) fn create(output: &Path) -> Result<StagedOutput, SiteError> {
        let absolute = absolute_path(output)?;
        let parent = absolute.parent().ok_or_else(|| SiteError::RefusedOutput {
            output: output.to_path_buf(),
            why: "it has no parent folder".into(),
        })?;
        std::fs::create_dir_all(parent).map_err(IoError::at(parent))?;
        let leftovers_removed = swap::remove_leftovers(&absolute);
        let (staging, retired) = swap::staging_names(&absolute);
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(IoError::at(&staging))?;
        }
        std::fs::create_dir_all(&staging).map_err(IoError::at(&staging))?;
        Ok(StagedOutput {
            output: absolute,
            folders: Mutex::new(HashSet::from([staging.clone()])),
            staging,
            retired,
            written: Mutex::new(Vec::new()),
            leftovers_removed,
            clash: Mutex::new(None),
            committed: false,
        })
    }

    /// Writes one generated file (from any thread). A file whose path clashes with another
    /// file's (a folder where a file is, or the reverse: an alias `feed.xml/`) is left out but
    /// listed, so that the build's check of what was written names the case responsible;
    /// [`StagedOutput::clashed`] says whether any was.
    pub(crate) fn write(&self, file: OutputFile) -> Result<(), IoError> {
        if let Err(error) = self.write_bytes(&file.path, &file.contents) {
            let clash = matches!(
                error.source.kind(),
                ErrorKind::AlreadyExists | ErrorKind::NotADirectory | ErrorKind::IsADirectory
            );
            if !clash {
                return Err(error);
            }
            *self.clash.lock().expect("no writer panicked") = Some(error);
        }
        self.written
            .lock()
            .expect("no writer panicked")
            .push((file.path, file.case));
        Ok(())
    }

    /// The first clash of paths a write met, if any.
    pub(crate) fn clashed(&self) -> Option<IoError> {
        self.clash.lock().expect("no writer panicked").take()
    }

    fn write_bytes(&self, path: &str, bytes: &[u8]) -> Result<(), IoError> {
        let target = self.staging.join(path);
        if let Some(folder) = target.parent() {
            let known = self
                .folders
                .lock()
                .expect("no writer panicked")
                .contains(folder);
            if !known {
                std::fs::create_dir_all(folder).map_err(IoError::at(folder))?;
                self.folders
                    .lock()
                    .expect("no writer panicked")
                    .insert(folder.to_path_buf());
            }
        }
        std::fs::write(&target, bytes).map_err(IoError::at(&target))
    }

    /// The files written so far: path and case, in no particular order.
    pub(crate) fn written(&self) -> std::sync::MutexGuard<'_, Vec<(String, Option<usize>)>> {
        self.written.lock().expect("no writer panicked")
    }

    /// Adds the theme's static files (those no generated file replaces) and the marker,
    /// then swaps the folder in. Returns how many files the site has, and the folder it
    /// replaced, removed when that is dropped.
    pub(crate) fn commit(mut self, theme: &Theme) -> Result<(usize, swap::Retired), IoError> {
        let generated: HashSet<String> = self.written().iter().map(|(p, _)| p.clone()).collect();
        let statics: Vec<(&String, &Vec<u8>)> = theme
            .static_files
            .iter()
            .filter(|(path, _)| !generated.contains(path.as_str()))
            .map(|(path, (bytes, _))| (path, bytes))
            .collect();
        statics
            .par_iter()
            .try_for_each(|(path, bytes)| self.write_bytes(path, bytes))?;
        self.write_bytes(
            OUTPUT_MARKER,
            b"This folder was written by casebook and is replaced by each build.\n",
        )?;
        let retired = swap::replace_folder(&self.staging, &self.output, &self.retired)?;
        self.committed = true;
        Ok((generated.len() + statics.len() + 1, retired))
    }
}

impl Drop for StagedOutput {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}
