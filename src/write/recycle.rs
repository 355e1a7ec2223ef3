//! Recycling: the tree a swap takes out of place becomes the next build's
//! staging folder, so a rebuild writes only the files that differ.
//!
//! Building a fresh staging tree costs a folder per page and a hard link
//! per unchanged file, and removing the old tree after the swap as much
//! again: at 10,000 guides, 24,000 folders and 56,000 links, seconds on a
//! disk, for an edit that changes a thousand files. Instead, the old tree
//! is kept beside the output as `.<name>.spare` (its unchanged files are
//! hard links to the output's, so it costs only what differs). The next
//! build renames it to its staging name and trusts of it only what its
//! own manifest recorded and `lstat` still confirms (each file's
//! [`Stamp`]): anything else in it, added, replaced or edited since, is
//! removed before the build writes a byte. A file that differs is replaced
//! (a new file, not written in place) when it shares its inode with the
//! live output; one that has no other name (the old copy of a file the
//! previous build changed, such as most search shards) is rewritten in
//! place, which spares the file system a new inode and a removal (at
//! 10,000 guides, ext4's search for a free inode was 5–6% of a one-guide
//! rebuild). A build that fails after claiming the spare removes every
//! file it wrote there, rewritten in place or new, and puts the spare
//! back, so nothing it touched can pass the next claim on a stamp that
//! happens to match the manifest's.
//!
//! A spare is used only when it is a real folder holding the marker;
//! anything else at that name is never touched, and the old tree is then
//! removed after the swap as before.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::MARKER;
use super::manifest::{Entry, MANIFEST, Stamp, read_manifest};

/// Where the tree a swap replaced waits for the next build of output `name`.
pub fn spare_folder(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.spare"))
}

/// A file a claimed spare still holds as its manifest recorded it.
#[derive(Debug, Clone)]
pub struct Recycled {
    pub entry: Entry,
    /// It had no other name when claimed (one link): no other tree, the
    /// live output included, sees its bytes, so it may be rewritten in
    /// place ([`overwrite`]).
    pub alone: bool,
}

/// Takes `spare` as the staging folder `dir` (which must not exist) when
/// lendguide made it and its manifest can be read, and returns the files
/// it keeps: those still as its manifest recorded them. Everything else in
/// it is removed first. `None`: there was no usable spare, and `dir` does
/// not exist.
pub fn claim(spare: &Path, dir: &Path) -> io::Result<Option<HashMap<String, Recycled>>> {
    let ours = fs::symlink_metadata(spare).is_ok_and(|m| m.is_dir())
        && fs::symlink_metadata(spare.join(MARKER)).is_ok_and(|m| m.is_file());
    // The rename is the claim: of two builds, one gets it.
    if !ours || fs::rename(spare, dir).is_err() {
        return Ok(None);
    }
    let recorded = read_manifest(dir, false);
    if recorded.is_empty() {
        super::swap::remove_marked(dir)?;
        return Ok(None);
    }
    match sort(dir, &recorded) {
        Ok(kept) => Ok(Some(kept)),
        Err(_) => super::swap::remove_marked(dir).map(|()| None),
    }
}

/// Removes every file under `dir` but the marker, the manifest and those
/// `recorded` lists with the stamp they have now; returns those. Folders
/// are read across cores (at 10,000 guides, 24,000 folders and 56,000
/// files, each `lstat`ed).
fn sort(dir: &Path, recorded: &HashMap<String, Entry>) -> io::Result<HashMap<String, Recycled>> {
    let kept = sort_folder(dir, "", recorded)?;
    Ok(kept.into_iter().collect())
}

fn sort_folder(
    dir: &Path,
    rel: &str,
    recorded: &HashMap<String, Entry>,
) -> io::Result<Vec<(String, Recycled)>> {
    let mut kept = Vec::new();
    let mut folders = Vec::new();
    for entry in fs::read_dir(dir.join(rel))? {
        let entry = entry?;
        let file_type = entry.file_type()?;
        let path = match (entry.file_name().to_str(), rel) {
            (Some(name), "") => name.to_string(),
            (Some(name), _) => format!("{rel}/{name}"),
            // Every output path is UTF-8: this is not one.
            (None, _) => {
                remove(&entry.path(), file_type.is_dir())?;
                continue;
            }
        };
        if file_type.is_dir() {
            folders.push(path);
            continue;
        }
        if path == MARKER || path == MANIFEST {
            continue;
        }
        let meta = entry.metadata()?;
        match recorded.get(&path) {
            Some(e) if e.stamp == Some(Stamp::of(&meta)) => {
                let alone = links(&meta) == 1;
                let entry = e.clone();
                kept.push((path, Recycled { entry, alone }));
            }
            _ => fs::remove_file(entry.path())?,
        }
    }
    let below: Vec<Vec<(String, Recycled)>> = folders
        .par_iter()
        .map(|f| sort_folder(dir, f, recorded))
        .collect::<io::Result<_>>()?;
    kept.extend(below.into_iter().flatten());
    Ok(kept)
}

/// How many names the file has (0 where the system does not say, so it
/// is never taken to be alone).
fn links(meta: &fs::Metadata) -> u64 {
    #[cfg(unix)]
    return std::os::unix::fs::MetadataExt::nlink(meta);
    #[cfg(not(unix))]
    return 0;
}

/// Rewrites the file at `path` in place with `bytes` when it is still a
/// regular file with no other name, and returns its new stamp; `None` (it
/// may be half written then) when it is not, or writing failed: the
/// caller then replaces it. Never follows a link and never waits on a
/// FIFO (`O_NOFOLLOW`, `O_NONBLOCK`).
pub fn overwrite(path: &Path, bytes: &[u8]) -> Option<Stamp> {
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(path)
            .ok()?;
        let meta = file.metadata().ok()?;
        if !meta.is_file() || links(&meta) != 1 {
            return None;
        }
        file.set_len(0).ok()?;
        file.write_all(bytes).ok()?;
        Some(Stamp::of(&file.metadata().ok()?))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, bytes);
        None
    }
}

/// Clears `rel` under the recycled tree `dir` for a new file: removes
/// what is there (a file, or a folder where a file now goes) and creates
/// the folders above it, removing a file that stands where one goes.
pub fn make_way(dir: &Path, rel: &str) -> io::Result<PathBuf> {
    let path = dir.join(rel);
    match fs::symlink_metadata(&path) {
        Ok(m) => remove(&path, m.is_dir())?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let Some(parent) = path.parent() else {
        return Ok(path);
    };
    if fs::create_dir_all(parent).is_err() {
        let mut above = dir.to_path_buf();
        for name in Path::new(rel)
            .parent()
            .into_iter()
            .flat_map(Path::components)
        {
            above.push(name);
            if fs::symlink_metadata(&above).is_ok_and(|m| !m.is_dir()) {
                fs::remove_file(&above)?;
            }
        }
        fs::create_dir_all(parent)?;
    }
    Ok(path)
}

/// Removes a folder with what it holds, or a file or link (never what a
/// link points to: `is_dir` comes from `lstat`).
fn remove(path: &Path, is_dir: bool) -> io::Result<()> {
    if is_dir {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}

/// Removes the files the spare held that this build did not make, then
/// the folders that left empty, deepest first.
pub fn remove_stale(dir: &Path, stale: impl IntoIterator<Item = String>) -> io::Result<()> {
    let mut folders = BTreeSet::new();
    for rel in stale {
        match fs::remove_file(dir.join(&rel)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut above = Path::new(&rel).parent();
        while let Some(p) = above.filter(|p| !p.as_os_str().is_empty()) {
            folders.insert((p.components().count(), p.to_path_buf()));
            above = p.parent();
        }
    }
    for (_, folder) in folders.iter().rev() {
        // Only an empty folder goes; one still in use stays.
        let _ = fs::remove_dir(dir.join(folder));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::guard::tests::guard;
    use super::super::tests::names;
    use super::super::{Staging, write_site};
    use crate::sink::{Built, Facts, PageRecord, Sink};
    use std::fs;
    use std::path::{Path, PathBuf};

    /// A folder for a test, where its output and spare go, and the guard.
    fn place() -> (
        tempfile::TempDir,
        PathBuf,
        PathBuf,
        super::super::OutputGuard,
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        let spare = tmp.path().join(".output.spare");
        let g = guard(tmp.path());
        (tmp, out, spare, g)
    }

    fn site_of(files: &[(&str, &str)]) -> Built {
        let mut site = Built::default();
        for (path, text) in files {
            site.files
                .insert((*path).into(), text.as_bytes().to_vec().into());
        }
        site
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_recycles_the_previous_output_and_trusts_none_of_its_changes() {
        use std::os::unix::fs::MetadataExt;
        let (tmp, out, spare, g) = place();
        let ino = |p: &Path| fs::symlink_metadata(p).unwrap().ino();
        let first = [
            ("a.html", "one"),
            ("b/c.html", "same"),
            ("gone/x.html", "x"),
        ];
        write_site(&out, &site_of(&first), &g).unwrap();
        let second = [("a.html", "two"), ("b/c.html", "same"), ("new.html", "new")];
        write_site(&out, &site_of(&second), &g).unwrap();
        assert_eq!(names(tmp.path()), [".output.spare", "output"]);
        assert_eq!(fs::read(spare.join("a.html")).unwrap(), b"one");
        let kept = ino(&out.join("b/c.html"));
        assert_eq!(ino(&spare.join("b/c.html")), kept, "one file, two names");

        let third = [
            ("a.html", "three"),
            ("b/c.html", "same"),
            ("new.html", "new"),
        ];
        let changes = write_site(&out, &site_of(&third), &g).unwrap();
        assert_eq!(
            (changes.changed, changes.unchanged),
            (vec!["a.html".into()], 2)
        );
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"three");
        assert_eq!(
            ino(&out.join("b/c.html")),
            kept,
            "unchanged files are not rewritten"
        );
        assert!(
            !out.join("gone").exists(),
            "what the spare held and the build dropped goes"
        );
        assert_eq!(fs::read(spare.join("a.html")).unwrap(), b"two");

        // The spare (the second build) is changed behind lendguide's back:
        // a file replaced, one added, one removed. None of it may reach
        // the next output.
        fs::remove_file(spare.join("new.html")).unwrap();
        fs::write(spare.join("new.html"), "evil").unwrap();
        fs::write(spare.join("extra.txt"), "planted").unwrap();
        fs::remove_file(spare.join("b/c.html")).unwrap();
        let fourth = [
            ("a.html", "four"),
            ("b/c.html", "same"),
            ("new.html", "new"),
        ];
        write_site(&out, &site_of(&fourth), &g).unwrap();
        assert_eq!(fs::read(out.join("new.html")).unwrap(), b"new");
        assert_eq!(fs::read(out.join("b/c.html")).unwrap(), b"same");
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"four");
        assert!(!out.join("extra.txt").exists());
        assert_eq!(names(tmp.path()), [".output.spare", "output"]);
    }

    /// A file only the spare holds is rewritten in place (its inode kept);
    /// one it shares with the live output is replaced, so the output's
    /// bytes never change under it.
    #[cfg(unix)]
    #[test]
    fn only_a_file_with_no_other_name_is_rewritten_in_place() {
        use std::os::unix::fs::MetadataExt;
        let (_tmp, out, spare, g) = place();
        let ino = |p: &Path| fs::symlink_metadata(p).unwrap().ino();
        write_site(&out, &site_of(&[("a.html", "one"), ("b.html", "same")]), &g).unwrap();
        write_site(&out, &site_of(&[("a.html", "two"), ("b.html", "same")]), &g).unwrap();
        let born = |p: &Path| fs::metadata(p).unwrap().created().ok();
        let alone = (ino(&spare.join("a.html")), born(&spare.join("a.html")));
        let shared = ino(&out.join("b.html"));
        assert_eq!(ino(&spare.join("b.html")), shared);
        // A new file would be born later, even with the same inode number.
        std::thread::sleep(std::time::Duration::from_millis(30));
        write_site(
            &out,
            &site_of(&[("a.html", "three"), ("b.html", "new")]),
            &g,
        )
        .unwrap();
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"three");
        let now = (ino(&out.join("a.html")), born(&out.join("a.html")));
        assert_eq!(now, alone, "rewritten in place");
        assert_eq!(fs::read(out.join("b.html")).unwrap(), b"new");
        assert_ne!(ino(&out.join("b.html")), shared, "replaced");
        // The old output, now the spare, kept its bytes.
        assert_eq!(fs::read(spare.join("b.html")).unwrap(), b"same");
        assert_eq!(fs::read(spare.join("a.html")).unwrap(), b"two");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_with_two_names_is_never_overwritten() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        fs::write(&a, "live").unwrap();
        fs::hard_link(&a, &b).unwrap();
        assert!(super::overwrite(&a, b"new").is_none());
        assert_eq!(fs::read(&b).unwrap(), b"live");
        fs::remove_file(&b).unwrap();
        assert!(super::overwrite(&a, b"new").is_some());
        assert_eq!(fs::read(&a).unwrap(), b"new");
    }

    /// A build that fails after rewriting a file in place removes it: with
    /// as many bytes in the same tick of the clock, its stamp would be the
    /// one the spare's manifest recorded, and the next build would trust
    /// bytes it never checked.
    #[cfg(unix)]
    #[test]
    fn a_failed_build_leaves_nothing_it_rewrote_in_place_to_be_trusted() {
        let (_tmp, out, spare, g) = place();
        write_site(&out, &site_of(&[("a.html", "one")]), &g).unwrap();
        write_site(&out, &site_of(&[("a.html", "two")]), &g).unwrap();
        let recorded = fs::metadata(spare.join("a.html"))
            .unwrap()
            .modified()
            .unwrap();
        let staging = Staging::begin(&out, &g).unwrap();
        staging.put("a.html", b"uno".to_vec(), None);
        let rewritten = fs::OpenOptions::new()
            .write(true)
            .open(
                out.with_file_name(format!(".output.staging-{}", std::process::id()))
                    .join("a.html"),
            )
            .unwrap();
        rewritten.set_modified(recorded).unwrap();
        drop(rewritten);
        drop(staging);
        write_site(&out, &site_of(&[("a.html", "one")]), &g).unwrap();
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"one");
    }

    /// Symlinks planted in the spare, where a folder and where a file of
    /// the site go, are removed as links: nothing is written through them.
    #[cfg(unix)]
    #[test]
    fn links_planted_in_the_spare_are_never_followed() {
        let (tmp, out, spare, g) = place();
        let outside = tmp.path().join("outside");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("c.html"), "theirs").unwrap();
        fs::write(outside.join("a.html"), "theirs").unwrap();
        let site = |a: &str| site_of(&[("a.html", a), ("b/c.html", "same")]);
        write_site(&out, &site("one"), &g).unwrap();
        write_site(&out, &site("two"), &g).unwrap();
        fs::remove_dir_all(spare.join("b")).unwrap();
        std::os::unix::fs::symlink(&outside, spare.join("b")).unwrap();
        fs::remove_file(spare.join("a.html")).unwrap();
        std::os::unix::fs::symlink(outside.join("a.html"), spare.join("a.html")).unwrap();
        write_site(&out, &site("three"), &g).unwrap();
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"three");
        assert_eq!(fs::read(out.join("b/c.html")).unwrap(), b"same");
        assert!(fs::symlink_metadata(out.join("b")).unwrap().is_dir());
        assert_eq!(names(&outside), ["a.html", "c.html"]);
        assert_eq!(fs::read(outside.join("c.html")).unwrap(), b"theirs");
        assert_eq!(fs::read(outside.join("a.html")).unwrap(), b"theirs");
    }

    #[test]
    fn a_build_that_fails_puts_the_spare_back_and_nothing_it_wrote_is_kept() {
        let (tmp, out, spare, g) = place();
        let site = [("a.html", "one"), ("b.html", "same")];
        write_site(&out, &site_of(&site), &g).unwrap();
        write_site(&out, &site_of(&[("a.html", "two"), ("b.html", "same")]), &g).unwrap();
        let staging = Staging::begin(&out, &g).unwrap();
        assert!(!spare.exists(), "claimed");
        staging.put("a.html", b"half-built".to_vec(), None);
        staging.put("c.html", b"half-built".to_vec(), None);
        drop(staging);
        assert_eq!(names(tmp.path()), [".output.spare", "output"]);
        assert_eq!(
            fs::read(out.join("a.html")).unwrap(),
            b"two",
            "output untouched"
        );
        write_site(&out, &site_of(&site), &g).unwrap();
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"one");
        assert!(!out.join("c.html").exists());
        assert_eq!(
            names(&out),
            [
                ".lendguide-manifest",
                ".lendguide-output",
                "a.html",
                "b.html"
            ]
        );
    }

    #[test]
    fn a_file_edited_in_the_output_is_not_reused() {
        let (_tmp, out, _, g) = place();
        let page = PageRecord {
            fingerprint: 7,
            facts: Facts::default(),
        };
        let staging = Staging::begin(&out, &g).unwrap();
        staging.put("index.html", b"<p>built</p>".to_vec(), Some(page.clone()));
        staging.finish(None).unwrap();
        let staging = Staging::begin(&out, &g).unwrap();
        assert!(staging.reuse("index.html", 7).is_some());
        drop(staging);
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(out.join("index.html"), "<p>by hand</p>").unwrap();
        let staging = Staging::begin(&out, &g).unwrap();
        assert!(staging.reuse("index.html", 7).is_none(), "rendered again");
    }

    #[test]
    fn a_foreign_folder_at_the_spare_name_is_kept() {
        let (tmp, out, spare, g) = place();
        fs::create_dir_all(&spare).unwrap();
        fs::write(spare.join("notes.txt"), "mine").unwrap();
        for text in ["one", "two", "three"] {
            write_site(&out, &site_of(&[("index.html", text)]), &g).unwrap();
        }
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"three");
        assert_eq!(names(&spare), ["notes.txt"]);
        assert_eq!(names(tmp.path()), [".output.spare", "output"]);
    }
}
