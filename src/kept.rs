//! What `build` keeps of its check stages from one build to the next: the
//! bytes of each value by a 128-bit key made from the program and every
//! input the value depends on, so a value found under its key is the value
//! the check would make again. `load` reads the kept shards, the stages look
//! values up and add the ones they made, and `write` stores the shards that
//! changed ([`Kept::changes`]).
//!
//! Entries live in 256 shard files by the key's top byte, so adding one
//! value rewrites one shard, not the store. A shard file is a magic line,
//! then entries of key (16 bytes), length (4), an xxh3-64 check of the
//! bytes (8), and the bytes (all little-endian); a file that does not read
//! as that is read up to where it stops making sense, and the rest is lost,
//! which only costs the work of making those values again.
//!
//! A leaf: it knows keys and bytes, nothing about content or files.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use bytes::Bytes;
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

/// The number of shards: the key's top byte.
pub const SHARDS: usize = 256;

/// The first bytes of every shard file; its version changes with the layout.
pub const MAGIC: &[u8] = b"lendguide kept 1\n";

/// The file that marks a folder as lendguide's own store.
pub const MARKER: &str = ".lendguide-kept";

/// Values kept by earlier builds, and the ones this build adds.
pub struct Kept {
    program: u128,
    shards: Vec<Shard>,
    /// How many values the stages took as they were kept ([`Kept::read_back`]).
    read_back: AtomicUsize,
    /// Whether values put are kept ([`Kept::without_keeping`]).
    keeping: bool,
}

#[derive(Default)]
struct Shard {
    /// The shard's file as read, and where each entry's bytes are in it
    /// (shared: prose read back from it points into it, `utf8::sharing`).
    file: Bytes,
    entries: HashMap<u128, Entry>,
    /// Values made by this build, by key.
    added: Mutex<Vec<(u128, Vec<u8>)>>,
}

struct Entry {
    bytes: std::ops::Range<usize>,
    used: AtomicBool,
}

/// A shard file to write, or to remove when it holds nothing.
pub struct Change {
    pub shard: usize,
    pub file: Option<Vec<u8>>,
}

impl Kept {
    /// An empty store for `program` (a hash of the running executable:
    /// what one build of lendguide kept, another never reads).
    pub fn new(program: u128) -> Self {
        Self {
            program,
            shards: (0..SHARDS).map(|_| Shard::default()).collect(),
            read_back: AtomicUsize::new(0),
            keeping: true,
        }
    }

    /// The same store, read only: values put are dropped, and stages that
    /// ask [`Kept::keeps`] need not make them (a build that will not write
    /// the store back).
    pub fn without_keeping(self) -> Self {
        Self {
            keeping: false,
            ..self
        }
    }

    /// Whether values put are kept.
    pub fn keeps(&self) -> bool {
        self.keeping
    }

    /// Whether no value was read.
    pub fn is_empty(&self) -> bool {
        self.shards.iter().all(|s| s.entries.is_empty())
    }

    /// The file name of shard `n`.
    pub fn shard_name(n: usize) -> String {
        format!("{n:02x}")
    }

    /// Takes shard `n`'s file as read: every entry up to the first that is
    /// not whole or fails its check. Returns how many entries were taken.
    pub fn read_shard(&mut self, n: usize, file: Vec<u8>) -> usize {
        let Some(shard) = self.shards.get_mut(n) else {
            return 0;
        };
        let mut entries = HashMap::new();
        if let Some(mut rest) = file.strip_prefix(MAGIC) {
            let mut at = MAGIC.len();
            while let Some((key, len, check)) = header(rest) {
                let start = at + HEADER;
                let Some(bytes) = file.get(start..start + len) else {
                    break;
                };
                if xxh3_64(bytes) != check || key_shard(key) != n {
                    break;
                }
                entries.insert(
                    key,
                    Entry {
                        bytes: start..start + len,
                        used: AtomicBool::new(false),
                    },
                );
                at = start + len;
                rest = &file[at..];
            }
        }
        let taken = entries.len();
        *shard = Shard {
            file: Bytes::from(file),
            entries,
            added: Mutex::default(),
        };
        taken
    }

    /// The key of a value made from `inputs` (every input it depends on)
    /// by this program; `kind` names what the value is.
    pub fn key(&self, kind: &str, inputs: &[&[u8]]) -> u128 {
        let mut h = Xxh3::new();
        h.update(&self.program.to_le_bytes());
        for part in std::iter::once(kind.as_bytes()).chain(inputs.iter().copied()) {
            // Length first, so ("ab", "c") and ("a", "bc") differ.
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part);
        }
        h.digest128()
    }

    /// The bytes kept under `key` (a view of the shard as read, not a
    /// copy), which this build then keeps again.
    pub fn get(&self, key: u128) -> Option<Bytes> {
        let shard = &self.shards[key_shard(key)];
        let entry = shard.entries.get(&key)?;
        entry.used.store(true, Ordering::Relaxed);
        let range = entry.bytes.clone();
        (range.end <= shard.file.len()).then(|| shard.file.slice(range))
    }

    /// Counts a value a stage took as it was kept (not made again).
    pub fn note_read_back(&self) {
        self.read_back.fetch_add(1, Ordering::Relaxed);
    }

    /// How many values the stages took as they were kept.
    pub fn read_back(&self) -> usize {
        self.read_back.load(Ordering::Relaxed)
    }

    /// Keeps `bytes` under `key`, in place of what was kept there.
    pub fn put(&self, key: u128, bytes: Vec<u8>) {
        if !self.keeping {
            return;
        }
        let shard = &self.shards[key_shard(key)];
        if let Some(entry) = shard.entries.get(&key) {
            entry.used.store(false, Ordering::Relaxed);
        }
        let mut added = shard.added.lock().unwrap_or_else(|e| e.into_inner());
        added.push((key, bytes));
    }

    /// The shard files that differ from what was read: those with a value
    /// added, or one this build did not ask for (forgotten, so the store
    /// follows the site). Each is built as the shards are taken, so the
    /// unchanged ones are freed first.
    pub fn changes(self) -> impl Iterator<Item = Change> {
        self.shards
            .into_iter()
            .enumerate()
            .filter_map(|(n, shard)| shard.change(n))
    }
}

impl Shard {
    fn change(self, n: usize) -> Option<Change> {
        let mut added = self.added.into_inner().unwrap_or_else(|e| e.into_inner());
        let unused = self
            .entries
            .values()
            .any(|e| !e.used.load(Ordering::Relaxed));
        if added.is_empty() && !unused {
            return None;
        }
        // Kept entries in key order, then the added ones (the last value
        // made under a key wins), so a shard's bytes follow its content.
        let mut kept: Vec<(u128, &[u8])> = self
            .entries
            .iter()
            .filter(|(_, e)| e.used.load(Ordering::Relaxed))
            .map(|(key, e)| (*key, &self.file[e.bytes.clone()]))
            .collect();
        added.reverse();
        let mut seen = std::collections::HashSet::new();
        added.retain(|(key, _)| seen.insert(*key));
        kept.retain(|(key, _)| !seen.contains(key));
        kept.extend(added.iter().map(|(key, bytes)| (*key, bytes.as_slice())));
        kept.sort_by_key(|(key, _)| *key);
        if kept.is_empty() {
            return Some(Change {
                shard: n,
                file: None,
            });
        }
        let len = MAGIC.len() + kept.iter().map(|(_, b)| HEADER + b.len()).sum::<usize>();
        let mut file = Vec::with_capacity(len);
        file.extend_from_slice(MAGIC);
        for (key, bytes) in kept {
            file.extend_from_slice(&key.to_le_bytes());
            file.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            file.extend_from_slice(&xxh3_64(bytes).to_le_bytes());
            file.extend_from_slice(bytes);
        }
        Some(Change {
            shard: n,
            file: Some(file),
        })
    }
}

const HEADER: usize = 16 + 4 + 8;

/// An entry's key, length and check, when `rest` holds a whole header.
fn header(rest: &[u8]) -> Option<(u128, usize, u64)> {
    let key = u128::from_le_bytes(rest.get(..16)?.try_into().ok()?);
    let len = u32::from_le_bytes(rest.get(16..20)?.try_into().ok()?) as usize;
    let check = u64::from_le_bytes(rest.get(20..28)?.try_into().ok()?);
    Some((key, len, check))
}

fn key_shard(key: u128) -> usize {
    (key >> 120) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder of shard files, as `write` keeps it.
    type Folder = std::collections::BTreeMap<usize, Vec<u8>>;

    /// `kept`'s changes applied to `folder`, read back into a new store;
    /// and which shards changed.
    fn reread(kept: Kept, folder: &mut Folder, program: u128) -> (Kept, Vec<usize>) {
        let mut written = Vec::new();
        for change in kept.changes() {
            written.push(change.shard);
            match change.file {
                Some(file) => folder.insert(change.shard, file),
                None => folder.remove(&change.shard),
            };
        }
        let mut next = Kept::new(program);
        for (n, file) in folder.iter() {
            next.read_shard(*n, file.clone());
        }
        (next, written)
    }

    #[test]
    fn values_come_back_by_key_and_unused_ones_are_forgotten() {
        let kept = Kept::new(7);
        let (a, b) = (kept.key("t", &[b"a"]), kept.key("t", &[b"b"]));
        assert_ne!(kept.key("t", &[b"ab", b"c"]), kept.key("t", &[b"a", b"bc"]));
        assert_ne!(kept.key("t", &[b"a"]), Kept::new(8).key("t", &[b"a"]));
        assert_ne!(kept.key("t", &[b"a"]), kept.key("u", &[b"a"]));
        kept.put(a, b"one".to_vec());
        kept.put(b, b"two".to_vec());
        let folder = &mut Folder::new();
        let (next, _) = reread(kept, folder, 7);
        assert_eq!(next.get(a).as_deref(), Some(&b"one"[..]));
        // `b` is not asked for: its shard is written again without it.
        let (last, written) = reread(next, folder, 7);
        assert!(written.contains(&key_shard(b)));
        assert_eq!(last.get(b), None);
        assert_eq!(last.get(a).as_deref(), Some(&b"one"[..]));
        // Nothing added, everything asked for: nothing to write.
        assert_eq!(reread(last, folder, 7).1, Vec::<usize>::new());
    }

    #[test]
    fn a_store_without_keeping_drops_what_is_put() {
        let kept = Kept::new(1).without_keeping();
        assert!(!kept.keeps() && kept.is_empty());
        kept.put(kept.key("t", &[b"a"]), b"one".to_vec());
        assert_eq!(kept.changes().count(), 0);
    }

    #[test]
    fn a_value_put_again_replaces_the_kept_one() {
        let kept = Kept::new(1);
        let a = kept.key("t", &[b"a"]);
        kept.put(a, b"old".to_vec());
        let folder = &mut Folder::new();
        let (next, _) = reread(kept, folder, 1);
        assert_eq!(next.get(a).as_deref(), Some(&b"old"[..]));
        next.put(a, b"new".to_vec());
        next.put(a, b"newer".to_vec());
        let (last, _) = reread(next, folder, 1);
        assert_eq!(last.get(a).as_deref(), Some(&b"newer"[..]));
    }

    /// A damaged file is read up to the damage: flipped bytes, a cut, a
    /// length past the end, a wrong magic, an entry in the wrong shard.
    #[test]
    fn damaged_shards_lose_only_what_is_damaged() {
        let kept = Kept::new(3);
        let mut keys: Vec<u128> = (0..400u32)
            .map(|i| kept.key("t", &[&i.to_le_bytes()]))
            .collect();
        for (i, key) in keys.iter().enumerate() {
            kept.put(*key, vec![i as u8; 50]);
        }
        keys.sort();
        let changes: Vec<Change> = kept.changes().collect();
        let fuller = changes
            .iter()
            .max_by_key(|c| c.file.as_ref().map_or(0, Vec::len))
            .unwrap();
        let file = fuller.file.clone().unwrap();
        let n = fuller.shard;
        let count = |file: Vec<u8>, shard: usize| Kept::new(3).read_shard(shard, file);
        let whole = count(file.clone(), n);
        assert!(whole >= 2, "{whole}");
        let second = MAGIC.len() + HEADER + 50;
        let mut flipped = file.clone();
        flipped[second + HEADER + 3] ^= 1;
        assert_eq!(count(flipped, n), 1);
        assert_eq!(count(file[..file.len() - 1].to_vec(), n), whole - 1);
        let mut long = file.clone();
        long[second + 16..second + 20].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(count(long, n), 1);
        let mut magic = file.clone();
        magic[0] = b'L';
        assert_eq!(count(magic, n), 0);
        assert_eq!(count(file.clone(), (n + 1) % SHARDS), 0);
        assert_eq!(count(file, SHARDS), 0);
    }
}
