//! Replacing a folder by a fresh one in one step, and clearing away the fresh and retired
//! folders that killed builds left beside it.
//!
//! A build writes the site and the search index into folders named
//! `.NAME.casebook-new-PID` beside the folder they replace; the replaced one passes through
//! `.NAME.casebook-old-PID` on its way out. On Linux the two trade places in one
//! `renameat2(RENAME_EXCHANGE)`, so readers see the old folder or the new one and never
//! neither; where the file system or the system cannot exchange, the old folder is renamed
//! away and the new one into its place, which leaves a moment with no folder at all.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::error::IoError;

/// How old a leftover must be before it is removed where the process that made it cannot be
/// asked (no `/proc`): older than any build.
const LEFTOVER_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// The fresh and the retired folder of this process for the folder `target`.
pub fn staging_names(target: &Path) -> (PathBuf, PathBuf) {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = target.parent().unwrap_or(Path::new("."));
    let pid = std::process::id();
    (
        parent.join(format!(".{name}.casebook-new-{pid}")),
        parent.join(format!(".{name}.casebook-old-{pid}")),
    )
}

/// Puts `fresh` in the place of `target` (which may not exist yet). The folder it replaced
/// is left at `retired` until the returned [`Retired`] is dropped, so that two swaps can be
/// made one right after the other and the slow removals come after both.
pub fn replace_folder(fresh: &Path, target: &Path, retired: &Path) -> Result<Retired, IoError> {
    if !target.exists() {
        std::fs::rename(fresh, target).map_err(IoError::at(target))?;
        return Ok(Retired(None));
    }
    if exchange(fresh, target).is_ok() {
        // `fresh` now names the old folder.
        std::fs::rename(fresh, retired).map_err(IoError::at(fresh))?;
    } else {
        std::fs::rename(target, retired).map_err(IoError::at(target))?;
        if let Err(e) = std::fs::rename(fresh, target) {
            let _ = std::fs::rename(retired, target);
            return Err(IoError::new(target, e));
        }
    }
    Ok(Retired(Some(retired.to_path_buf())))
}

/// A folder swapped out, removed when this is dropped (a removal that fails, or is cut short
/// by a kill, leaves a leftover the next build removes).
#[must_use = "the retired folder is removed when this is dropped"]
pub struct Retired(Option<PathBuf>);

impl Drop for Retired {
    fn drop(&mut self) {
        if let Some(folder) = self.0.take() {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}

/// Swaps two existing paths atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are NUL-terminated strings that live across the call.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Removes the fresh and retired folders of `target` that builds no longer running left
/// behind (a build killed while writing, or while removing the folder it replaced), and says
/// how many bytes that freed. A folder's process is gone when no process has its id, or when
/// the process with that id started after the folder was made (the id was reused).
pub fn remove_leftovers(target: &Path) -> u64 {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return 0;
    };
    let parent = target.parent().unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(parent) else {
        return 0;
    };
    let mut freed = 0;
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = leftover_pid(&file_name, &name) else {
            continue;
        };
        let path = entry.path();
        if pid != std::process::id() && maker_is_running(pid, &path) {
            continue;
        }
        let size = folder_size(&path);
        if std::fs::remove_dir_all(&path).is_ok() {
            freed += size;
        }
    }
    freed
}

/// The process id in `.NAME.casebook-new-PID` or `.NAME.casebook-old-PID`.
fn leftover_pid(file_name: &str, name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_prefix(name)?;
    let pid = rest
        .strip_prefix(".casebook-new-")
        .or_else(|| rest.strip_prefix(".casebook-old-"))?;
    pid.parse().ok()
}

/// Whether the process `pid` that named `folder` may still be writing it.
fn maker_is_running(pid: u32, folder: &Path) -> bool {
    let Ok(made) = std::fs::symlink_metadata(folder).and_then(|m| m.modified()) else {
        return false;
    };
    match process_start(pid) {
        Some(Started::Gone) => false,
        // The start time is known to about a second (the boot time is in whole seconds).
        Some(Started::At(started)) => started <= made + START_UNCERTAINTY,
        None => SystemTime::now()
            .duration_since(made)
            .is_ok_and(|age| age < LEFTOVER_AGE),
    }
}

/// How far a process's start time read from `/proc` may be off.
const START_UNCERTAINTY: Duration = Duration::from_secs(2);

enum Started {
    Gone,
    At(SystemTime),
}

/// When process `pid` started, from `/proc`; `None` where there is no `/proc` to ask.
#[cfg(target_os = "linux")]
fn process_start(pid: u32) -> Option<Started> {
    let boot: u64 = std::fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|line| line.strip_prefix("btime ")?.trim().parse().ok())?;
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return Some(Started::Gone);
    };
    // Fields after the command name (which may hold spaces) in parentheses; the start time,
    // in clock ticks since boot, is the 22nd field of the line.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let ticks: u64 = after_name.split_whitespace().nth(19)?.parse().ok()?;
    // SAFETY: sysconf only reads a configuration value.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let per_second = u64::try_from(per_second).ok().filter(|&t| t > 0)?;
    let since_boot = Duration::from_millis(ticks * 1000 / per_second);
    Some(Started::At(
        SystemTime::UNIX_EPOCH + Duration::from_secs(boot) + since_boot,
    ))
}

#[cfg(not(target_os = "linux"))]
fn process_start(_: u32) -> Option<Started> {
    None
}

fn folder_size(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.metadata().ok())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_names_carry_the_process_id_of_their_folder_only() {
        assert_eq!(leftover_pid(".public.casebook-new-42", "public"), Some(42));
        assert_eq!(leftover_pid(".public.casebook-old-7", "public"), Some(7));
        assert_eq!(leftover_pid(".publicx.casebook-new-42", "public"), None);
        assert_eq!(leftover_pid(".public.casebook-new-", "public"), None);
        assert_eq!(leftover_pid("public", "public"), None);
    }

    #[test]
    fn a_replaced_folder_is_gone_and_the_fresh_one_in_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        let (fresh, retired) = staging_names(&target);
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("old.txt"), "old").unwrap();
        std::fs::create_dir_all(&fresh).unwrap();
        std::fs::write(fresh.join("new.txt"), "new").unwrap();
        let old = replace_folder(&fresh, &target, &retired).unwrap();
        assert!(target.join("new.txt").is_file());
        assert!(retired.join("old.txt").is_file(), "kept until dropped");
        drop(old);
        assert!(!target.join("old.txt").exists());
        assert!(!fresh.exists() && !retired.exists());
    }
}
