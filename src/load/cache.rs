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
//! The walk of a folder tree is remembered the same way: it is taken from
//! memory while every folder in it has the stamp it had when the tree was
//! walked (adding, removing or renaming an entry moves its folder's times),
//! so a rebuild `lstat`s the folders instead of listing them.
//!
//! Why: on the 2-core machine the benchmarks run on, reading the 1,250
//! files of a 1k site took 100–230 ms when the last read was half a second
//! or more earlier (the page cache did not keep them), and `lstat` of all
//! of them 4–6 ms. Walking its 205 folders took about 16 ms of each
//! rebuild (a profile of serve).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use rayon::prelude::*;

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
    /// Folder trees as last walked, by their root.
    walks: HashMap<PathBuf, Listing>,
}

/// A folder tree as walked.
struct Listing {
    /// Every folder in it, the root first, with its stamp after the walk.
    folders: Vec<(PathBuf, Stamp)>,
    /// When the walk began.
    listed_at: SystemTime,
    entries: Vec<walkdir::DirEntry>,
    round: u64,
}

struct Entry {
    stamp: Stamp,
    /// When the read began.
    read_at: SystemTime,
    file: SourceFile,
    round: u64,
}

/// What a folder entry says about a file's contents (or a folder's list of
/// entries) without reading them.
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
        (meta.is_file() || meta.is_dir()).then(|| Self {
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

    /// What the folder entry at `path` says now (not following a link).
    fn at(path: &Path) -> Option<Self> {
        Self::of(&fs::symlink_metadata(path).ok()?)
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
        inner.walks.retain(|_, w| w.round == last);
        inner.round += 1;
    }

    /// The tree under `dir` as last walked, when none of its folders can
    /// have changed since.
    pub(super) fn listing(&self, dir: &Path) -> Option<Vec<walkdir::DirEntry>> {
        let (folders, listed_at) = {
            let inner = self.lock();
            let listing = inner.walks.get(dir)?;
            (listing.folders.clone(), listing.listed_at)
        };
        // Across cores, and without the lock (a pool thread waiting here
        // may take up other work): in a profile of serve at 1k, the 205
        // folders' `lstat`s took 14 ms of CPU per rebuild (the kernel's
        // cache of folder entries goes cold between edits on this VM).
        let unchanged = folders.par_iter().all(|(path, stamp)| {
            Stamp::at(path) == Some(*stamp) && stamp.settled_before(listed_at)
        });
        if !unchanged {
            return None;
        }
        let mut inner = self.lock();
        let round = inner.round;
        let listing = inner.walks.get_mut(dir)?;
        listing.round = round;
        Some(listing.entries.clone())
    }

    /// Remembers `entries`, the walk of `dir` that began at `listed_at`.
    pub(super) fn put_listing(
        &self,
        dir: &Path,
        entries: &[walkdir::DirEntry],
        listed_at: SystemTime,
    ) {
        let folders = entries
            .iter()
            .filter(|e| e.file_type().is_dir())
            .map(walkdir::DirEntry::path);
        let stamped: Option<Vec<(PathBuf, Stamp)>> = std::iter::once(dir)
            .chain(folders)
            .map(|path| Some((path.to_path_buf(), Stamp::at(path)?)))
            .collect();
        // A folder gone already, or a root that is a link: walk again.
        let Some(folders) = stamped else {
            return;
        };
        let mut inner = self.lock();
        let round = inner.round;
        inner.walks.insert(
            dir.to_path_buf(),
            Listing {
                folders,
                listed_at,
                entries: entries.to_vec(),
                round,
            },
        );
    }

    /// The file at `path` as last read, when nothing can have changed it.
    pub(super) fn get(&self, path: &Path) -> Option<SourceFile> {
        let stamp = Stamp::at(path)?;
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
        let mut inner = self.lock();
        for e in inner.files.values_mut() {
            e.read_at += by;
        }
        for w in inner.walks.values_mut() {
            w.listed_at += by;
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

    /// A remembered walk is used only while no folder in the tree gained,
    /// lost or renamed an entry.
    #[test]
    fn a_walk_is_trusted_only_while_its_folders_are_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("lenders/a")).unwrap();
        fs::write(root.join("lenders/a/g.md"), "g").unwrap();
        let cache = ReadCache::new();
        cache.begin();
        let names = |entries: Vec<walkdir::DirEntry>| -> Vec<String> {
            let rel =
                |e: &walkdir::DirEntry| e.path().strip_prefix(root).unwrap().display().to_string();
            entries.iter().map(rel).collect()
        };
        let walked = crate::load::read::walk_cached(root, Some(&cache));
        let walked: Vec<_> = walked.into_iter().map(Result::unwrap).collect();
        assert_eq!(names(walked), ["lenders", "lenders/a", "lenders/a/g.md"]);
        assert!(
            cache.listing(root).is_none(),
            "just walked: not trusted yet"
        );
        cache.age(RACY * 2);
        let remembered = cache.listing(root).expect("settled and unchanged");
        assert_eq!(
            names(remembered),
            ["lenders", "lenders/a", "lenders/a/g.md"]
        );

        // Editing a file in place leaves its folder as it was.
        fs::write(root.join("lenders/a/g.md"), "edited").unwrap();
        assert!(cache.listing(root).is_some());
        // A file added two folders down is seen.
        std::thread::sleep(Duration::from_millis(20));
        fs::write(root.join("lenders/a/new.md"), "n").unwrap();
        assert!(cache.listing(root).is_none(), "an added file is seen");
        let walked = crate::load::read::walk_cached(root, Some(&cache));
        assert_eq!(walked.len(), 4);
        cache.age(RACY * 2);
        assert!(cache.listing(root).is_some());
        // So is one removed.
        std::thread::sleep(Duration::from_millis(20));
        fs::remove_file(root.join("lenders/a/g.md")).unwrap();
        assert!(cache.listing(root).is_none(), "a removed file is seen");
    }
}
