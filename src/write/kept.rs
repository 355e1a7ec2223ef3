//! Storing what `build` keeps of its check stages ([`crate::kept`]) in
//! `.<output>.kept` beside the output: the folder is made with lendguide's
//! marker first, and only a folder holding the marker is ever written to,
//! so a folder of that name that lendguide did not make is left alone.
//! Each shard is written to a new file and renamed over the old one, so a
//! build that stops half way leaves each shard whole, old or new; the new
//! files a killed build left (`.<shard>.new-<pid>`, its pid gone) are
//! removed by the next.

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
    remove_leftovers(dir)?;
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

/// Removes the new shard files of builds that were killed while writing
/// them: named as [`store`] names them, by a process that is gone.
fn remove_leftovers(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(leftover_pid) else {
            continue;
        };
        if pid != std::process::id() && !super::swap::running(pid) {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// The pid in `.<shard>.new-<pid>`, written exactly as [`store`] writes it.
fn leftover_pid(name: &str) -> Option<u32> {
    let (shard, digits) = name.strip_prefix('.')?.split_once(".new-")?;
    let is_shard = (0..crate::kept::SHARDS).any(|n| Kept::shard_name(n) == shard);
    let pid: u32 = digits.parse().ok()?;
    (is_shard && pid.to_string() == digits).then_some(pid)
}

/// Whether a build into `out` stores what it kept: a rebuild does (the
/// output is there, from an earlier build); a first build into a new
/// folder (a fresh clone, CI) does not, so a one-off build pays nothing
/// for a store no build may read.
pub fn stores_kept(out: &Path) -> bool {
    fs::symlink_metadata(out).is_ok()
}

/// The store's changed shards being written on a thread while the build
/// goes on; dropping it waits for the thread, so a build never returns
/// (and the process never exits) half way through a shard. Failing to
/// write costs the next build time, never correctness, so it is not
/// reported.
pub struct Storing(Option<std::thread::JoinHandle<()>>);

impl Storing {
    /// Stores `kept`'s changes in `dir` on a thread.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::tests::names;

    /// What a killed build left is removed; what a running build is
    /// writing, and files the store does not name, are not.
    #[test]
    fn new_files_of_killed_builds_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(".out.kept");
        let kept = Kept::new(1);
        kept.put(kept.key("t", &[b"a"]), b"one".to_vec());
        assert_eq!(store(&dir, kept.changes()).unwrap(), 1);
        let dead = u32::try_from(i32::MAX).unwrap();
        for name in [
            format!(".0a.new-{dead}"),
            ".0a.new-1".to_string(),
            format!(".zz.new-{dead}"),
            format!(".0a.new-0{dead}"),
            "notes.txt".to_string(),
        ] {
            fs::write(dir.join(name), "x").unwrap();
        }
        assert_eq!(store(&dir, std::iter::empty()).unwrap(), 0);
        let left = names(&dir);
        assert!(!left.contains(&format!(".0a.new-{dead}")), "{left:?}");
        for kept in [".0a.new-1", "notes.txt", ".lendguide-kept"] {
            assert!(left.contains(&kept.to_string()), "{kept}: {left:?}");
        }
        assert!(
            left.contains(&format!(".zz.new-{dead}")),
            "not a shard's name"
        );
        assert!(
            left.contains(&format!(".0a.new-0{dead}")),
            "not as store writes it"
        );
    }
}
