//! Storing what `build` keeps of its check stages ([`crate::kept`]) in
//! `.<output>.kept` beside the output: the folder is made with lendguide's
//! marker first, and only a folder holding the marker is ever written to,
//! so a folder of that name that lendguide did not make is left alone.
//! Each shard is written to a new file and renamed over the old one, so a
//! build that stops half way leaves each shard whole, old or new.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::kept::{Change, Kept, MARKER};
use crate::load::is_kept_folder;

const MARKER_TEXT: &str =
    "lendguide keeps its check results here, beside the output; it is safe to delete.\n";

/// Writes `changes` into `dir`. Returns how many shards were written or
/// removed; none when `dir` is there and is not lendguide's.
fn store(dir: &Path, changes: impl Iterator<Item = Change>) -> io::Result<usize> {
    if fs::symlink_metadata(dir).is_err() {
        fs::create_dir(dir)?;
        let mut marker = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dir.join(MARKER))?;
        marker.write_all(MARKER_TEXT.as_bytes())?;
    }
    if !is_kept_folder(dir) {
        return Ok(0);
    }
    let mut done = 0;
    for change in changes {
        let path = dir.join(Kept::shard_name(change.shard));
        match change.file {
            Some(bytes) => {
                let new = dir.join(format!(
                    ".{}.new-{}",
                    Kept::shard_name(change.shard),
                    std::process::id()
                ));
                let written = fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&new)
                    .and_then(|mut f| f.write_all(&bytes));
                if let Err(e) = written.and_then(|()| fs::rename(&new, &path)) {
                    let _ = fs::remove_file(&new);
                    return Err(e);
                }
            }
            None => match fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            },
        }
        done += 1;
    }
    Ok(done)
}

/// The store's changed shards being written on a thread while the build
/// goes on; dropping it waits for the thread, so a build never returns
/// (and the process never exits) half way through a shard. Failing to
/// write costs the next build time, never correctness, so it is not
/// reported.
pub struct Storing(Option<std::thread::JoinHandle<()>>);

impl Storing {
    pub fn start(kept: Kept, dir: PathBuf) -> Self {
        Self(Some(std::thread::spawn(move || {
            let _ = store(&dir, kept.changes());
        })))
    }
}

impl Drop for Storing {
    fn drop(&mut self) {
        if let Some(thread) = self.0.take() {
            let _ = thread.join();
        }
    }
}
