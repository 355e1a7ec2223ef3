//! Swap: put a staged site in place of the output folder in one step, and
//! clear away what killed builds left beside it.
//!
//! On Linux, `renameat2(RENAME_EXCHANGE)` trades the two folders at once,
//! so the output folder exists at every instant, even when the build is
//! killed mid-swap; the old tree then sits at the staging name and moves
//! to the spare name for the next build (`recycle.rs`), or is removed
//! when something is already there. Where the kernel or filesystem cannot exchange (EINVAL, ENOSYS)
//! or on other systems, two renames do it, with a moment of no output.
//!
//! A build's own folders are `.<name>.staging-<pid>` and `.<name>.old-<pid>`
//! beside the output, and the marker file is the first thing written into a
//! staging folder. A leftover is therefore recognised exactly: that name,
//! a pid that is not running, and the marker inside (or nothing at all).
//! Nothing else is ever removed.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::MARKER;

/// The staging and old folder names of the running build, for output `name`.
pub fn own_folders(parent: &Path, name: &str) -> (PathBuf, PathBuf) {
    let pid = std::process::id();
    (
        parent.join(format!(".{name}.staging-{pid}")),
        parent.join(format!(".{name}.old-{pid}")),
    )
}

/// How a staged site was put in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swapped {
    /// There was no output folder yet.
    Fresh,
    /// One atomic exchange; the output never went missing.
    Exchanged,
    /// Two renames (no exchange on this system or filesystem).
    Renamed,
}

/// Puts `staging` at `out`; the previous output, if any, moves to `spare`
/// (or is removed when `spare` is taken). On error the previous output is
/// back at `out` and `staging` is untouched.
pub fn swap_in(staging: &Path, out: &Path, old: &Path, spare: &Path) -> io::Result<Swapped> {
    match fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return fs::rename(staging, out).map(|()| Swapped::Fresh);
        }
        Err(e) => return Err(e),
        Ok(_) => {}
    }
    match exchange(staging, out) {
        Ok(()) => {
            keep_as_spare(staging, spare);
            return Ok(Swapped::Exchanged);
        }
        Err(e) if !cannot_exchange(&e) => return Err(e),
        Err(_) => {}
    }
    rename_pair(staging, out, old, spare).map(|()| Swapped::Renamed)
}

/// The fallback: `out` to `old`, `staging` to `out`, then `old` to `spare`.
fn rename_pair(staging: &Path, out: &Path, old: &Path, spare: &Path) -> io::Result<()> {
    fs::rename(out, old)?;
    if let Err(e) = fs::rename(staging, out) {
        let _ = fs::rename(old, out);
        return Err(e);
    }
    keep_as_spare(old, spare);
    Ok(())
}

/// Moves the tree that was the output to `spare`, never over anything
/// there; removes it when that cannot be done. A failure to remove leaves
/// a marked leftover the next build removes.
pub fn keep_as_spare(tree: &Path, spare: &Path) {
    if rename_new(tree, spare).is_err() {
        let _ = remove_marked(tree);
    }
}

/// Renames `a` to `b` only if nothing is at `b`.
fn rename_new(a: &Path, b: &Path) -> io::Result<()> {
    match renameat2(a, b, RENAME_NOREPLACE) {
        Err(e) if cannot_exchange(&e) => {}
        done => return done,
    }
    match fs::symlink_metadata(b) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => fs::rename(a, b),
        Err(e) => Err(e),
        Ok(_) => Err(io::ErrorKind::AlreadyExists.into()),
    }
}

/// Trades the folders at `a` and `b` in one step (both must exist).
pub fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    renameat2(a, b, RENAME_EXCHANGE)
}

#[cfg(target_os = "linux")]
const RENAME_EXCHANGE: u32 = libc::RENAME_EXCHANGE;
#[cfg(target_os = "linux")]
const RENAME_NOREPLACE: u32 = libc::RENAME_NOREPLACE;
#[cfg(not(target_os = "linux"))]
const RENAME_EXCHANGE: u32 = 2;
#[cfg(not(target_os = "linux"))]
const RENAME_NOREPLACE: u32 = 1;

#[cfg(target_os = "linux")]
fn renameat2(a: &Path, b: &Path, flags: u32) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path holds a NUL byte"))
    };
    let (a, b) = (c(a)?, c(b)?);
    // The raw syscall, not glibc's wrapper, so an old libc cannot stop it.
    // SAFETY: both pointers are valid NUL-terminated strings that outlive
    // the call; the kernel does not keep them.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            flags,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn renameat2(_a: &Path, _b: &Path, _flags: u32) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The system or filesystem has no `renameat2` or not this flag: fall
/// back to plain renames.
fn cannot_exchange(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) {
        return true;
    }
    e.kind() == io::ErrorKind::Unsupported
}

/// Removes the staging and old folders of builds of `name` that are no
/// longer running. Best effort: a folder that cannot be removed stays.
pub fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|f| leftover_pid(f, name)) else {
            continue;
        };
        if pid == std::process::id() || running(pid) {
            continue;
        }
        let _ = remove_if_ours(&entry.path());
    }
}

/// Removes `dir` if lendguide made it: a real folder holding the marker,
/// or an empty one. Anything else is left alone.
pub fn remove_if_ours(dir: &Path) -> io::Result<Ours> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Ours::Absent),
        Err(e) => return Err(e),
        Ok(meta) if !meta.is_dir() => return Ok(Ours::Foreign),
        Ok(_) => {}
    }
    let marked = fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file());
    if marked {
        remove_marked(dir)?;
        return Ok(Ours::Removed);
    }
    // `remove_dir` only removes an empty folder, so nothing can be lost.
    match fs::remove_dir(dir) {
        Ok(()) => Ok(Ours::Removed),
        Err(_) => Ok(Ours::Foreign),
    }
}

/// Removes a tree lendguide made, its marker last: a removal cut short (a
/// kill, a full disk) leaves a folder still recognisable as a leftover.
pub fn remove_marked(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    match fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}

/// What `remove_if_ours` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ours {
    Absent,
    Removed,
    /// Not made by lendguide (no marker, not empty, or not a folder): kept.
    Foreign,
}

/// The pid in `.<name>.staging-<pid>` or `.<name>.old-<pid>`, written
/// exactly as a build writes it (digits, no sign, no leading zero).
fn leftover_pid(file_name: &str, name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_prefix(name)?;
    let digits = rest
        .strip_prefix(".staging-")
        .or_else(|| rest.strip_prefix(".old-"))?;
    let pid: u32 = digits.parse().ok()?;
    (pid.to_string() == digits).then_some(pid)
}

/// Whether a process with this pid exists (or may: unknown counts as yes).
#[cfg(target_os = "linux")]
pub(super) fn running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return true;
    }
    // SAFETY: signal 0 only asks whether the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(target_os = "linux"))]
pub(super) fn running(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(dir: &Path, file: &str, text: &str) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join(file), text).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn exchange_trades_two_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        folder(&a, "new.html", "new");
        folder(&b, "old.html", "old");
        exchange(&a, &b).unwrap();
        assert_eq!(fs::read_to_string(b.join("new.html")).unwrap(), "new");
        assert_eq!(fs::read_to_string(a.join("old.html")).unwrap(), "old");
        assert!(!b.join("old.html").exists() && !a.join("new.html").exists());
        let missing = tmp.path().join("missing");
        assert!(exchange(&a, &missing).is_err(), "both must exist");
        assert!(a.join("old.html").is_file());
    }

    #[test]
    fn swap_in_keeps_the_old_tree_as_the_spare_and_clears_the_staging_name() {
        let tmp = tempfile::tempdir().unwrap();
        let (staging, old) = own_folders(tmp.path(), "output");
        let (out, spare) = (tmp.path().join("output"), tmp.path().join("spare"));
        folder(&staging, "index.html", "one");
        let fresh = swap_in(&staging, &out, &old, &spare).unwrap();
        assert_eq!(fresh, Swapped::Fresh);
        folder(&staging, "index.html", "two");
        let how = swap_in(&staging, &out, &old, &spare).unwrap();
        if cfg!(target_os = "linux") {
            assert_eq!(how, Swapped::Exchanged);
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert_eq!(fs::read_to_string(spare.join("index.html")).unwrap(), "one");
        assert!(!staging.exists() && !old.exists());
        // The spare is taken: the next old tree is removed, the spare kept.
        folder(&staging, "index.html", "three");
        swap_in(&staging, &out, &old, &spare).unwrap();
        assert_eq!(fs::read_to_string(spare.join("index.html")).unwrap(), "one");
        assert!(!staging.exists() && !old.exists());
    }

    #[test]
    fn the_rename_pair_fallback_swaps_too() {
        let tmp = tempfile::tempdir().unwrap();
        let (staging, old) = own_folders(tmp.path(), "output");
        let out = tmp.path().join("output");
        folder(&staging, "index.html", "new");
        folder(&out, "index.html", "old");
        let spare = tmp.path().join("spare");
        rename_pair(&staging, &out, &old, &spare).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert_eq!(fs::read_to_string(spare.join("index.html")).unwrap(), "old");
        assert!(!staging.exists() && !old.exists());
        let again = rename_pair(&staging, &out, &old, &spare);
        assert!(again.is_err(), "nothing staged");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
    }

    #[test]
    fn only_exact_leftover_names_carry_a_pid() {
        assert_eq!(leftover_pid(".output.staging-42", "output"), Some(42));
        assert_eq!(leftover_pid(".output.old-42", "output"), Some(42));
        for other in [
            ".output.staging-42x",
            ".output.staging-042",
            ".output.staging-+42",
            ".output.staging-",
            "output.staging-42",
            ".site.staging-42",
            ".output.new-42",
            ".output.staging-99999999999",
        ] {
            assert_eq!(leftover_pid(other, "output"), None, "{other}");
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_pid_is_running_until_nothing_has_it() {
        assert!(running(std::process::id()));
        let max: u32 = fs::read_to_string("/proc/sys/kernel/pid_max")
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert!(!running(max + 1));
    }

    #[test]
    fn removes_only_what_lendguide_made() {
        let tmp = tempfile::tempdir().unwrap();
        let marked = tmp.path().join("marked");
        folder(&marked, MARKER, "");
        folder(&marked.join("sub"), "page.html", "x");
        let empty = tmp.path().join("empty");
        fs::create_dir(&empty).unwrap();
        let theirs = tmp.path().join("theirs");
        folder(&theirs, "notes.txt", "keep");
        let file = tmp.path().join("file");
        fs::write(&file, "keep").unwrap();
        assert_eq!(remove_if_ours(&marked).unwrap(), Ours::Removed);
        assert_eq!(remove_if_ours(&empty).unwrap(), Ours::Removed);
        assert_eq!(remove_if_ours(&theirs).unwrap(), Ours::Foreign);
        assert_eq!(remove_if_ours(&file).unwrap(), Ours::Foreign);
        assert_eq!(remove_if_ours(&marked).unwrap(), Ours::Absent);
        assert!(theirs.join("notes.txt").is_file() && file.is_file());
    }
}
