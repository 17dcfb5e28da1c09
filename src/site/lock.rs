//! One build of a knowledge base at a time: a build holds a lock on `.casebook/lock` from
//! before it reads the content until its site and index are in place. A second build waits
//! for the first, saying so; the kernel releases the lock when its holder ends, killed or
//! not, so a stale lock cannot block anyone. (`serve` keeps its index in memory and writes
//! nothing a build writes, so it needs no lock.)

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

use crate::error::IoError;

/// The lock, held until dropped.
pub(super) struct BuildLock {
    _file: File,
}

impl BuildLock {
    /// Takes the lock of the knowledge base whose cache is `cache_dir`, waiting for a build
    /// that holds it.
    pub(super) fn take(cache_dir: &Path) -> Result<BuildLock, IoError> {
        std::fs::create_dir_all(cache_dir).map_err(IoError::at(cache_dir))?;
        let path = cache_dir.join("lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(IoError::at(&path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                let pid = if holder.is_empty() { "?" } else { holder };
                eprintln!(
                    "another casebook build (pid {pid}) is using this knowledge base; waiting for it to finish"
                );
                file.lock().map_err(IoError::at(&path))?;
            }
            Err(TryLockError::Error(e)) => return Err(IoError::new(&path, e)),
        }
        file.set_len(0).map_err(IoError::at(&path))?;
        file.rewind().map_err(IoError::at(&path))?;
        write!(file, "{}", std::process::id()).map_err(IoError::at(&path))?;
        Ok(BuildLock { _file: file })
    }
}
