//! Reading the store `build` keeps its check results in ([`crate::kept`]):
//! the folder `.<output>.kept` beside the output. It is read only when it
//! is a real folder holding lendguide's marker, and each shard only when it
//! is a regular file (not a link to one) under the size limit; anything
//! else reads as nothing kept, which costs time, never correctness.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::kept::{Kept, MARKER, SHARDS};

use super::read::read_regular;

/// A shard larger than this is not read (a site's whole store is a few
/// hundred MB at 10,000 guides, in 256 shards).
const MAX_SHARD_BYTES: u64 = 1 << 30;

/// The store's folder for the output folder `out` (already checked).
pub fn kept_folder(out: &Path) -> Option<PathBuf> {
    let name = out.file_name()?.to_str()?;
    Some(out.parent()?.join(format!(".{name}.kept")))
}

/// Whether `dir` is a store lendguide made: a folder, not a link to one,
/// with the marker file in it.
pub fn is_kept_folder(dir: &Path) -> bool {
    fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir())
        && fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// The values kept in `dir` for `program`, shards read across cores; an
/// empty store when there is none.
pub fn read_kept(dir: &Path, program: u128) -> Kept {
    let mut kept = Kept::new(program);
    if !is_kept_folder(dir) {
        return kept;
    }
    let files: Vec<_> = (0..SHARDS)
        .into_par_iter()
        .map(|n| {
            let path = dir.join(Kept::shard_name(n));
            let regular = fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
            regular
                .then(|| read_regular(&path, MAX_SHARD_BYTES).ok())
                .flatten()
        })
        .collect();
    for (n, file) in files.into_iter().enumerate() {
        if let Some((bytes, _)) = file {
            kept.read_shard(n, bytes);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shards are read from regular files only: a link to a shard, even a
    /// whole one, and a folder in a shard's place read as nothing kept.
    #[test]
    fn only_regular_shard_files_are_read() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(".out.kept");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join(MARKER), "").unwrap();
        let kept = Kept::new(1);
        let (a, b) = (kept.key("t", &[b"a"]), kept.key("t", &[b"b"]));
        assert_ne!(a >> 120, b >> 120, "two shards");
        kept.put(a, b"one".to_vec());
        kept.put(b, b"two".to_vec());
        for change in kept.changes() {
            let name = Kept::shard_name(change.shard);
            let file = change.file.unwrap();
            if change.shard == (a >> 120) as usize {
                fs::write(dir.join(&name), file).unwrap();
            } else {
                let outside = tmp.path().join("outside");
                fs::write(&outside, file).unwrap();
                std::os::unix::fs::symlink(&outside, dir.join(&name)).unwrap();
            }
        }
        let read = read_kept(&dir, 1);
        assert_eq!(read.get(a).as_deref(), Some(&b"one"[..]));
        assert_eq!(read.get(b), None, "a link is not followed");
        assert!(read_kept(&tmp.path().join("missing"), 1).is_empty());
    }
}
