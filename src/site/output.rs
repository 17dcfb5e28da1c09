//! Writing a site to disk: into a fresh folder beside the output, swapped in only when
//! everything was written, and never over a folder casebook did not create.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::normalise;
use crate::render::{OutputFile, Theme};
use crate::Error;

/// The file that marks a folder as written by casebook, so a later build may replace it.
pub const OUTPUT_MARKER: &str = ".casebook-output";

/// Refuses output folders whose replacement would destroy something that is not a site.
pub fn check_output_folder(root: &Path, output: &Path) -> Result<(), Error> {
    let refuse = |why: &str| {
        Err(Error::Usage(format!(
            "refusing to write the site to {}: {why}",
            output.display()
        )))
    };
    let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
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
    if absolute.is_dir() && !absolute.join(OUTPUT_MARKER).is_file() {
        let empty = std::fs::read_dir(&absolute)
            .map_err(|e| Error::io(&absolute, e))?
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

/// `path` made absolute, following links in the part that exists.
fn absolute_path(path: &Path) -> Result<PathBuf, Error> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Error::io(path, e))?
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

/// Writes all files into a fresh folder beside `output`, then swaps it in.
pub(crate) fn write_site(
    output: &Path,
    files: &[OutputFile],
    theme: &Theme,
) -> Result<usize, Error> {
    let absolute = absolute_path(output)?;
    let parent = absolute
        .parent()
        .ok_or_else(|| Error::Usage("the output folder has no parent".into()))?;
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.casebook-new-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.casebook-old-{}", std::process::id()));
    let result = write_files(&staging, files, theme).and_then(|count| {
        swap_in(&staging, &absolute, &retired)?;
        Ok(count)
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn write_files(folder: &Path, files: &[OutputFile], theme: &Theme) -> Result<usize, Error> {
    if folder.exists() {
        std::fs::remove_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    }
    let mut all: Vec<(&str, &[u8])> = theme
        .static_files
        .iter()
        .map(|(path, (bytes, _))| (path.as_str(), bytes.as_slice()))
        .collect();
    // Generated pages win over static files of the same name.
    all.retain(|(path, _)| !files.iter().any(|f| f.path == *path));
    all.extend(
        files
            .iter()
            .map(|f| (f.path.as_str(), f.contents.as_slice())),
    );
    all.push((
        OUTPUT_MARKER,
        b"This folder was written by casebook and is replaced by each build.\n",
    ));

    let mut folders: Vec<PathBuf> = all
        .iter()
        .filter_map(|(path, _)| Path::new(path).parent().map(|p| folder.join(p)))
        .collect();
    folders.sort();
    folders.dedup();
    std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    for dir in &folders {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    all.par_iter().try_for_each(|(path, bytes)| {
        let target = folder.join(path);
        std::fs::write(&target, bytes).map_err(|e| Error::io(&target, e))
    })?;
    Ok(all.len())
}

fn swap_in(staging: &Path, output: &Path, retired: &Path) -> Result<(), Error> {
    if output.exists() {
        std::fs::rename(output, retired).map_err(|e| Error::io(output, e))?;
        if let Err(e) = std::fs::rename(staging, output) {
            let _ = std::fs::rename(retired, output);
            return Err(Error::io(output, e));
        }
        std::fs::remove_dir_all(retired).map_err(|e| Error::io(retired, e))?;
    } else {
        std::fs::rename(staging, output).map_err(|e| Error::io(output, e))?;
    }
    Ok(())
}
