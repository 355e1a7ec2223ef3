//! Reading the store `build` keeps its check results in ([`crate::kept`]):
//! the folder `.<output>.kept` beside the output. It is read only when it
//! is a real folder holding lendguide's marker, and each shard only when it
//! is a regular file under the size limit; anything else reads as nothing
//! kept, which costs time, never correctness.

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
        .map(|n| read_regular(&dir.join(Kept::shard_name(n)), MAX_SHARD_BYTES).ok())
        .collect();
    for (n, file) in files.into_iter().enumerate() {
        if let Some((bytes, _)) = file {
            kept.read_shard(n, bytes);
        }
    }
    kept
}
