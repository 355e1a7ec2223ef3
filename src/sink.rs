//! Sink: where built files go the moment they are made.
//!
//! `render` and `index` hand every file to a [`Sink`] instead of holding the
//! whole site: `build` streams them into its staging folder
//! (`write::Staging`), `serve` and the tests keep them in memory
//! ([`MemorySink`]). Either sink may also hold the previous build; a page
//! whose [`Fingerprint`] (the hash of everything it was rendered from) is
//! unchanged is then published again from there, not rendered
//! ([`Sink::reuse`]). The [`Facts`] a page's links are checked with travel
//! with it, so a reused page is checked like a rendered one.
//!
//! A leaf: it knows paths, bytes and hashes, nothing about pages.

use std::collections::BTreeMap;
use std::sync::Mutex;

use xxhash_rust::xxh3::Xxh3;

/// The hash of everything a page was rendered from: its template set, its
/// data, its script and the program that rendered it.
pub type Fingerprint = u128;

/// The hash of a file's bytes, for the changed-pages report.
pub fn content_hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// A built file's bytes, shared: a page reused from the site `serve` is
/// serving is the same allocation in both builds, not a copy.
pub type Bytes = std::sync::Arc<Vec<u8>>;

/// A streaming fingerprint: feed it every input of a page.
#[derive(Clone, Default)]
pub struct Hasher(Xxh3);

/// The most of [`Hasher::json`]'s buffer a thread keeps between pages.
const KEPT_BUFFER: usize = 1 << 20;

thread_local! {
    static JSON_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Hasher {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        // Length first, so ("ab", "c") and ("a", "bc") differ.
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// Feeds the JSON of `value`, written out whole first: one update of
    /// the hash, not one per token that serde_json writes. `None` when
    /// `value` cannot be serialised. The buffer is kept per thread, but not
    /// past [`KEPT_BUFFER`]: the compare page's data at 10,000 guides is
    /// 17 MB, which a render thread held to the end of a cold build.
    pub fn json(&mut self, value: &impl serde::Serialize) -> Option<&mut Self> {
        JSON_BUFFER.with_borrow_mut(|buf| {
            buf.clear();
            let written = serde_json::to_writer(&mut *buf, value).ok();
            if written.is_some() {
                self.bytes(buf);
            }
            if buf.capacity() > KEPT_BUFFER {
                *buf = Vec::new();
            }
            written
        })?;
        Some(self)
    }

    pub fn finish(&self) -> Fingerprint {
        self.0.digest128()
    }
}

impl std::io::Write for Hasher {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What the link check needs of a page: its `id`s and its `href`/`src`
/// values (decoded), each list joined by [`Facts::SEP`]. Shared, not
/// copied: render's link check and the sink's record for the manifest hold
/// the same text (two copies were 36 MB of a 10k build's peak).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub ids: std::sync::Arc<str>,
    pub links: std::sync::Arc<str>,
}

impl Facts {
    /// Between two values; no attribute value of a page contains it.
    pub const SEP: char = '\u{1e}';

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids.split(Self::SEP).filter(|s| !s.is_empty())
    }

    pub fn links(&self) -> impl Iterator<Item = &str> {
        self.links.split(Self::SEP).filter(|s| !s.is_empty())
    }
}

/// A page as built: where it was built from, and its link facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRecord {
    pub fingerprint: Fingerprint,
    pub facts: Facts,
}

impl PageRecord {
    /// A file that is not a page (the index's files): reusable by its
    /// fingerprint, with no links to check.
    pub fn file(fingerprint: Fingerprint) -> Self {
        Self {
            fingerprint,
            facts: Facts::default(),
        }
    }
}

/// Receives the files of a build, from many threads at once.
pub trait Sink: Sync {
    /// Publishes `bytes` at `path` (relative to the output root). `page` is
    /// given for files a later build may reuse (rendered pages; the index's
    /// Traditional page files, with no facts).
    fn put(&self, path: &str, bytes: Vec<u8>, page: Option<PageRecord>);

    /// When the previous build published `path` from the same
    /// `fingerprint`, publishes that file again and returns its facts.
    fn reuse(&self, path: &str, fingerprint: Fingerprint) -> Option<Facts>;

    /// The previous build's bytes at `path` when it recorded `fingerprint`
    /// for it (and the file still holds what it recorded), without
    /// publishing them: the index patches its postings from these.
    fn previous(&self, path: &str, fingerprint: Fingerprint) -> Option<Bytes>;

    /// The previous build's bytes at `path`, whatever they were built from
    /// (while the file still holds what was recorded): the index takes a
    /// changed page's old search files out of its fold counts.
    fn previous_any(&self, path: &str) -> Option<Bytes>;

    /// Like [`Sink::reuse`], for a file whose bytes the caller still needs
    /// (the index's Traditional page files feed its fold table): publishes
    /// it again and returns its bytes.
    fn reuse_bytes(&self, path: &str, fingerprint: Fingerprint) -> Option<Bytes> {
        let bytes = self.previous(path, fingerprint)?;
        self.reuse(path, fingerprint)?;
        Some(bytes)
    }
}

/// A built site in memory: `serve` serves it, tests read it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Built {
    pub files: BTreeMap<String, Bytes>,
    /// Files a later build may reuse (rendered pages, the index's
    /// Traditional page files), with what they were built from.
    pub pages: BTreeMap<String, PageRecord>,
}

/// Collects a build in memory, reusing pages of `previous`.
#[derive(Default)]
pub struct MemorySink {
    built: Mutex<Built>,
    previous: Option<std::sync::Arc<Built>>,
}

impl MemorySink {
    pub fn new(previous: Option<std::sync::Arc<Built>>) -> Self {
        Self {
            built: Mutex::default(),
            previous,
        }
    }

    pub fn into_built(self) -> Built {
        // A poisoned lock only means a render thread panicked mid-insert;
        // the maps are still whole.
        self.built.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// The previous build's file at `path`, when built from `fingerprint`.
    fn previous_file(&self, path: &str, fingerprint: Fingerprint) -> Option<(&PageRecord, &Bytes)> {
        let previous = self.previous.as_ref()?;
        let page = previous.pages.get(path)?;
        let bytes = previous.files.get(path)?;
        (page.fingerprint == fingerprint).then_some((page, bytes))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Built> {
        self.built.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn insert(&self, path: &str, bytes: Bytes, page: Option<PageRecord>) {
        let mut built = self.lock();
        if let Some(page) = page {
            built.pages.insert(path.to_string(), page);
        }
        built.files.insert(path.to_string(), bytes);
    }
}

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: Vec<u8>, page: Option<PageRecord>) {
        self.insert(path, Bytes::new(bytes), page);
    }

    fn reuse(&self, path: &str, fingerprint: Fingerprint) -> Option<Facts> {
        let (page, bytes) = self.previous_file(path, fingerprint)?;
        self.insert(path, Bytes::clone(bytes), Some(page.clone()));
        Some(page.facts.clone())
    }

    fn previous(&self, path: &str, fingerprint: Fingerprint) -> Option<Bytes> {
        let (_, bytes) = self.previous_file(path, fingerprint)?;
        Some(Bytes::clone(bytes))
    }

    fn previous_any(&self, path: &str) -> Option<Bytes> {
        self.previous.as_ref()?.files.get(path).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A big page's JSON is hashed like a small one's, and its buffer is
    /// not kept; a small one's is.
    #[test]
    fn the_json_buffer_is_not_kept_past_its_limit() {
        let capacity = || JSON_BUFFER.with_borrow(Vec::capacity);
        let big = "罚".repeat(KEPT_BUFFER);
        let mut h = Hasher::new();
        h.json(&big).unwrap();
        let mut want = Hasher::new();
        want.bytes(serde_json::to_string(&big).unwrap().as_bytes());
        assert_eq!(h.finish(), want.finish());
        assert_eq!(capacity(), 0);
        Hasher::new().json(&"small").unwrap();
        assert!((1..=KEPT_BUFFER).contains(&capacity()));
    }

    #[test]
    fn a_page_is_reused_only_from_the_same_fingerprint() {
        let first = MemorySink::new(None);
        let facts = Facts {
            ids: format!("top{}end", Facts::SEP).into(),
            links: "../".into(),
        };
        let record = PageRecord {
            fingerprint: 7,
            facts: facts.clone(),
        };
        first.put("a/index.html", b"A".to_vec(), Some(record));
        let previous = std::sync::Arc::new(first.into_built());
        let previous_bytes = Bytes::clone(&previous.files["a/index.html"]);
        let second = MemorySink::new(Some(previous));
        assert_eq!(second.reuse("a/index.html", 8), None);
        assert_eq!(second.reuse("b/index.html", 7), None);
        assert_eq!(second.reuse("a/index.html", 7), Some(facts.clone()));
        let built = second.into_built();
        assert_eq!(*built.files["a/index.html"], b"A");
        let reused = &built.files["a/index.html"];
        assert!(
            std::sync::Arc::ptr_eq(reused, &previous_bytes),
            "a reused page is shared, not copied"
        );
        assert_eq!(facts.ids().collect::<Vec<_>>(), ["top", "end"]);
    }

    #[test]
    fn the_fingerprint_tells_where_one_input_ends() {
        let mut a = Hasher::new();
        a.bytes(b"ab").bytes(b"c");
        let mut b = Hasher::new();
        b.bytes(b"a").bytes(b"bc");
        assert_ne!(a.finish(), b.finish());
    }
}
