//! What `serve` remembers of the files it has read, so that a rebuild reads
//! again only the files that changed.
//!
//! A file is taken from memory when its folder entry still says what it
//! said when the file was read: the same device and inode (an editor that
//! saves by renaming makes a new one), length, modification time and change
//! time. The change time (ctime) moves on every write and no program can
//! set it, so any write shows, unless it lands in the same clock tick as
//! the read. As with git's "racily clean" entries, a file changed less than
//! [`RACY`] before it was read is read again the next time; after that it
//! is trusted.
//!
//! Why: on the 2-core machine the benchmarks run on, reading the 1,250
//! files of a 1k site took 100–230 ms when the last read was half a second
//! or more earlier (the page cache did not keep them), and `lstat` of all
//! of them 4–6 ms.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use super::SourceFile;

/// A file changed less than this before it was read is not trusted from
/// memory: timestamps are kept in clock ticks, 2 s on FAT.
pub const RACY: Duration = Duration::from_secs(2);

/// Files read by earlier loads, by path; shared by the loads of one
/// `serve` session.
#[derive(Default)]
pub struct ReadCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Counts loads; an entry not used by the last one is forgotten.
    round: u64,
    files: HashMap<PathBuf, Entry>,
}

struct Entry {
    stamp: Stamp,
    /// When the read began.
    read_at: SystemTime,
    file: SourceFile,
    round: u64,
}

/// What a folder entry says about a file's contents without reading them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    dev: u64,
    ino: u64,
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Stamp {
    #[cfg(unix)]
    fn of(meta: &fs::Metadata) -> Option<Self> {
        use std::os::unix::fs::MetadataExt;
        meta.is_file().then(|| Self {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        })
    }

    /// Without a change time, nothing is trusted from memory.
    #[cfg(not(unix))]
    fn of(_: &fs::Metadata) -> Option<Self> {
        None
    }

    /// The file was last changed at least [`RACY`] before `read_at`.
    fn settled_before(&self, read_at: SystemTime) -> bool {
        let (secs, nanos) = self.ctime;
        let (Ok(secs), Ok(nanos)) = (u64::try_from(secs), u32::try_from(nanos)) else {
            return false;
        };
        let changed = SystemTime::UNIX_EPOCH + Duration::new(secs, nanos);
        changed + RACY < read_at
    }
}

impl ReadCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a load: files the previous load did not ask for (deleted,
    /// renamed) are forgotten.
    pub fn begin(&self) {
        let mut inner = self.lock();
        let last = inner.round;
        inner.files.retain(|_, e| e.round == last);
        inner.round += 1;
    }

    /// The file at `path` as last read, when nothing can have changed it.
    pub(super) fn get(&self, path: &Path) -> Option<SourceFile> {
        let stamp = fs::symlink_metadata(path)
            .ok()
            .as_ref()
            .and_then(Stamp::of)?;
        let mut inner = self.lock();
        let round = inner.round;
        let entry = inner.files.get_mut(path)?;
        if entry.stamp != stamp || !stamp.settled_before(entry.read_at) {
            return None;
        }
        entry.round = round;
        Some(entry.file.clone())
    }

    /// Remembers `file`, read from `path` (whose open file said `meta`)
    /// by a read that began at `read_at`.
    pub(super) fn put(
        &self,
        path: &Path,
        meta: &fs::Metadata,
        read_at: SystemTime,
        file: &SourceFile,
    ) {
        let Some(stamp) = Stamp::of(meta) else {
            return;
        };
        let mut inner = self.lock();
        let round = inner.round;
        inner.files.insert(
            path.to_path_buf(),
            Entry {
                stamp,
                read_at,
                file: file.clone(),
                round,
            },
        );
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A poisoned lock only means a reader panicked; the map is whole.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Makes every entry look read `by` later (tests of the racy rule).
    #[cfg(test)]
    fn age(&self, by: Duration) {
        for e in self.lock().files.values_mut() {
            e.read_at += by;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::read::read_text;

    fn read(cache: &ReadCache, path: &Path) -> String {
        let mut diags = Vec::new();
        let file = read_text(path, "f.md", 1 << 20, &mut diags, Some(cache));
        assert!(diags.is_empty(), "{diags:?}");
        file.expect("read").text
    }

    #[test]
    fn a_file_is_trusted_only_once_settled_and_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.md");
        fs::write(&path, "one").unwrap();
        let cache = ReadCache::new();
        cache.begin();
        assert_eq!(read(&cache, &path), "one");
        // Just written: a write in the same tick could hide, so not trusted.
        assert!(cache.get(&path).is_none());
        cache.age(RACY * 2);
        assert_eq!(cache.get(&path).map(|f| f.text).as_deref(), Some("one"));

        // The same length, written in place: the change time moves.
        std::thread::sleep(Duration::from_millis(20));
        fs::write(&path, "two").unwrap();
        assert!(cache.get(&path).is_none(), "an edit in place is seen");
        assert_eq!(read(&cache, &path), "two");
        cache.age(RACY * 2);
        assert_eq!(cache.get(&path).map(|f| f.text).as_deref(), Some("two"));

        // Saved by renaming a new file over it: a new inode.
        let tmp = dir.path().join("f.md.tmp");
        fs::write(&tmp, "new").unwrap();
        fs::rename(&tmp, &path).unwrap();
        assert!(cache.get(&path).is_none(), "a file renamed over it is seen");
    }

    #[test]
    fn a_file_no_load_asked_for_is_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.md");
        fs::write(&path, "one").unwrap();
        let cache = ReadCache::new();
        cache.begin();
        read(&cache, &path);
        cache.begin();
        assert_eq!(cache.lock().files.len(), 1, "kept for one more load");
        cache.begin();
        assert_eq!(cache.lock().files.len(), 0);
    }
}
