//! The staging folder a build streams its files into ([`Staging`], the
//! [`Sink`] render and index write through): a recycled spare tree or a new
//! folder; each file kept, linked from the previous output or written, and
//! recorded for the manifest; swapped in by [`Staging::finish`].

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::sink::{Bytes, Facts, Fingerprint, PageRecord, Sink, content_hash};

use super::manifest::{Changes, Entry, MANIFEST, Stamp, changes, read_manifest, write_manifest};
use super::recycle::{self, Recycled};
use super::{MARKER, MARKER_TEXT, OutputGuard, WriteError, beside, check_output_dir, swap};

/// A staging folder beside the output that files stream into as they are
/// built ([`Sink`]); [`Staging::finish`] swaps it in. It is the previous
/// build's spare tree when there is one (`recycle.rs`), else a new folder.
/// Dropped unfinished, it is removed (or, the spare, put back) and the
/// output is left exactly as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    spare: PathBuf,
    previous: HashMap<String, Entry>,
    /// The files a recycled staging tree still holds that this build has
    /// not yet claimed; `None` for a new folder (then removed if
    /// unfinished; the spare is put back).
    recycled: Option<Mutex<HashMap<String, Recycled>>>,
    /// The files this build wrote into a recycled tree: removed if it
    /// fails, since one may have the stamp the tree's manifest recorded
    /// with other bytes (rewritten in place, or a new file that got the
    /// old one's inode, with as many bytes in the same tick of the clock).
    written: Mutex<Vec<String>>,
    entries: Mutex<Vec<(String, Entry)>>,
    /// The first write that failed; `finish` reports it.
    failed: Mutex<Option<WriteError>>,
    finished: bool,
}

impl Staging {
    /// Checks `out`, removes leftovers of dead builds, and takes the spare
    /// tree as the staging folder, or creates one with the marker in it.
    pub fn begin(out: &Path, guard: &OutputGuard) -> Result<Self, WriteError> {
        let out = check_output_dir(out, guard)?;
        let (parent, name) = beside(&out);
        fs::create_dir_all(&parent).map_err(|e| io_err(&parent, &e))?;
        swap::remove_leftovers(&parent, &name);
        let (dir, old) = swap::own_folders(&parent, &name);
        // Ours from an earlier process with the same pid, or someone else's.
        for d in [&dir, &old] {
            if swap::remove_if_ours(d).map_err(|e| io_err(d, &e))? == swap::Ours::Foreign {
                return Err(WriteError::Refused {
                    message: format!("cannot stage the site: {} is in the way", d.display()),
                    help: "lendguide did not make it (no marker inside); move it away".into(),
                });
            }
        }
        let spare = recycle::spare_folder(&parent, &name);
        // Both read every line of a manifest (tens of MB at 10,000 guides).
        let (previous, recycled) = rayon::join(
            || read_manifest(&out, true),
            || recycle::claim(&spare, &dir),
        );
        let recycled = recycled.map_err(|e| io_err(&dir, &e))?;
        if recycled.is_none() {
            fs::create_dir(&dir).map_err(|e| io_err(&dir, &e))?;
            // The marker goes in first, so a build killed at any later point
            // leaves a folder the next build can recognise as its own and remove.
            let marker = dir.join(MARKER);
            fs::write(&marker, MARKER_TEXT).map_err(|e| io_err(&marker, &e))?;
        }
        Ok(Self {
            previous,
            out,
            old,
            spare,
            recycled: recycled.map(Mutex::new),
            written: Mutex::default(),
            entries: Mutex::default(),
            failed: Mutex::default(),
            finished: false,
            dir,
        })
    }

    /// Writes the manifest and swaps the staging folder in. `inputs`, the
    /// hash of everything the build read, lets the next build with the same
    /// inputs stop early ([`unchanged`]).
    pub fn finish(mut self, inputs: Option<Fingerprint>) -> Result<Changes, WriteError> {
        if let Some(e) = lock(&self.failed).take() {
            return Err(e);
        }
        if let Some(recycled) = &self.recycled {
            let stale = std::mem::take(&mut *lock(recycled));
            recycle::remove_stale(&self.dir, stale.into_keys())
                .map_err(|e| io_err(&self.dir, &e))?;
        }
        let mut entries = std::mem::take(&mut *lock(&self.entries));
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let path = self.dir.join(MANIFEST);
        // A recycled tree still holds the manifest it was claimed by.
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(io_err(&path, &e)),
            _ => {}
        }
        let mut file = io::BufWriter::with_capacity(
            1 << 16,
            fs::File::create(&path).map_err(|e| io_err(&path, &e))?,
        );
        write_manifest(&mut file, inputs, &entries)
            .and_then(|()| io::Write::flush(&mut file))
            .map_err(|e| io_err(&path, &e))?;
        swap::swap_in(&self.dir, &self.out, &self.old, &self.spare)
            .map_err(|e| io_err(&self.out, &e))?;
        self.finished = true;
        Ok(changes(&entries, &self.previous))
    }

    fn record(&self, path: &str, entry: Entry) {
        lock(&self.entries).push((path.to_string(), entry));
    }

    fn fail(&self, e: WriteError) {
        lock(&self.failed).get_or_insert(e);
    }

    /// Takes `path` from the recycled tree: what the file there is to a
    /// build that writes bytes with this `hash` there.
    fn keep(&self, path: &str, hash: u128) -> Found {
        let Some(recycled) = &self.recycled else {
            return Found::Nothing;
        };
        match lock(recycled).remove(path) {
            Some(r) if r.entry.hash == hash => Found::Same(r.entry.stamp),
            Some(r) if r.alone => Found::Alone,
            _ => Found::Nothing,
        }
    }

    /// The path to create `rel` at: the staging tree's folders made, and
    /// in a recycled tree, whatever was at `rel` removed.
    fn make_way(&self, rel: &str) -> io::Result<PathBuf> {
        if self.recycled.is_some() {
            return recycle::make_way(&self.dir, rel);
        }
        let path = self.dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        Ok(path)
    }

    /// The previous output's file at `rel`, when it is still the file its
    /// manifest line describes.
    fn previous_file(&self, rel: &str, entry: &Entry) -> Option<PathBuf> {
        let path = self.out.join(rel);
        entry.holds(&path).then_some(path)
    }

    /// Links `path` from the previous output when it was built from
    /// `fingerprint`, and records it; returns its record.
    fn link_previous(&self, path: &str, fingerprint: Fingerprint) -> Option<PageRecord> {
        let entry = self.previous.get(path)?;
        let page = entry
            .page
            .clone()
            .filter(|p| p.fingerprint == fingerprint)?;
        if let Found::Same(stamp) = self.keep(path, entry.hash) {
            self.record(
                path,
                Entry {
                    stamp,
                    ..entry.clone()
                },
            );
            return Some(page);
        }
        let source = self.previous_file(path, entry)?;
        let target = self.make_way(path).ok()?;
        fs::hard_link(source, &target).ok()?;
        self.record(path, entry.clone());
        Some(page)
    }

    /// Writes `rel` (or links the previous output's file when it holds the
    /// same bytes, so its modification time stays); returns its stamp.
    /// `alone`: the recycled tree's file there has no other name, and is
    /// rewritten in place.
    fn write(
        &self,
        rel: &str,
        bytes: &[u8],
        hash: u128,
        alone: bool,
    ) -> Result<Option<Stamp>, WriteError> {
        let same = self.previous.get(rel).filter(|e| e.hash == hash);
        let source = same.and_then(|e| self.previous_file(rel, e));
        if source.is_none()
            && alone
            && let Some(stamp) = recycle::overwrite(&self.dir.join(rel), bytes)
        {
            lock(&self.written).push(rel.to_string());
            return Ok(Some(stamp));
        }
        let path = self
            .make_way(rel)
            .map_err(|e| io_err(&self.dir.join(rel), &e))?;
        if let Some(source) = source
            && fs::hard_link(source, &path).is_ok()
        {
            return Ok(same.and_then(|e| e.stamp));
        }
        if self.recycled.is_some() {
            lock(&self.written).push(rel.to_string());
        }
        fs::write(&path, bytes).map_err(|e| io_err(&path, &e))?;
        Ok(Stamp::read(&path))
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: Vec<u8>, page: Option<PageRecord>) {
        let hash = content_hash(&bytes);
        let stamp = match self.keep(path, hash) {
            Found::Same(stamp) => Ok(stamp),
            found => self.write(path, &bytes, hash, matches!(found, Found::Alone)),
        };
        match stamp {
            Ok(stamp) => self.record(path, Entry { hash, stamp, page }),
            Err(e) => self.fail(e),
        }
    }

    fn reuse(&self, path: &str, fingerprint: Fingerprint) -> Option<Facts> {
        let page = self.link_previous(path, fingerprint)?;
        Some(page.facts)
    }

    fn previous(&self, path: &str, fingerprint: Fingerprint) -> Option<Bytes> {
        let entry = self.previous.get(path)?;
        entry
            .page
            .as_ref()
            .filter(|p| p.fingerprint == fingerprint)?;
        self.previous_any(path)
    }

    fn previous_any(&self, path: &str) -> Option<Bytes> {
        // A file that cannot be read, or no longer holds what the manifest
        // says, is built anew.
        let entry = self.previous.get(path)?;
        let bytes = fs::read(self.out.join(path)).ok()?;
        (content_hash(&bytes) == entry.hash).then(|| Bytes::new(bytes))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished && self.recycled.is_some() {
            // Nothing this build wrote is trusted by the next claim.
            for rel in lock(&self.written).iter() {
                let _ = fs::remove_file(self.dir.join(rel));
            }
            swap::keep_as_spare(&self.dir, &self.spare);
        } else if !self.finished {
            let _ = swap::remove_if_ours(&self.dir);
        }
    }
}

/// What a recycled tree holds where a build writes.
enum Found {
    /// The same bytes, with this stamp: the file stays as it is.
    Same(Option<Stamp>),
    /// Other bytes, in a file with no other name: rewritten in place.
    Alone,
    /// Nothing, or a file that may share its inode: replaced.
    Nothing,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A poisoned lock only means a writer thread panicked; the data is whole.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn io_err(path: &Path, e: &io::Error) -> WriteError {
    WriteError::Io(format!("{}: {e}", path.display()))
}
