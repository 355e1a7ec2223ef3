//! The output-folder guard: decides whether a path is a folder lendguide
//! may replace, before anything is written.
//!
//! The output must not be, contain or sit inside the project, content or
//! templates folder, must not be the filesystem root, a file or a symlink,
//! and an existing non-empty folder must carry the marker file that shows
//! lendguide created it. Every check runs on the path the kernel will use
//! (symlinked parents followed, `..` applied), never on the raw argument:
//! `typo/../precious` looked new while `typo` was missing, and became
//! `precious` the moment the writer created `typo`.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::{MARKER, WriteError};

/// Folders the output may never be, or contain.
#[derive(Debug, Clone)]
pub struct OutputGuard {
    pub content: PathBuf,
    pub templates: PathBuf,
    /// The project root (where lendguide runs).
    pub project: PathBuf,
}

/// Checks that `out` is a folder lendguide may replace and returns the
/// path to write to: `out` resolved as the kernel will resolve it once its
/// missing folders exist, so `typo/../precious` is judged (and written) as
/// `precious`, and `typo/` is never created.
pub fn check_output_dir(out: &Path, guard: &OutputGuard) -> Result<PathBuf, WriteError> {
    let target = resolve(out, false).map_err(|e| resolve_err(out, &e))?;
    let shown = if target.as_path() == out {
        out.display().to_string()
    } else {
        format!("{} (that is {})", out.display(), target.display())
    };
    let refuse = |why: String, help: &str| WriteError::Refused {
        message: format!("refusing to write the site to {shown}: {why}"),
        help: help.to_string(),
    };
    const OWN_FOLDER: &str = "give the site a folder of its own, e.g. `--out output`";
    if target.parent().is_none() {
        return Err(refuse("it is the filesystem root".into(), OWN_FOLDER));
    }
    for (name, dir) in [
        ("the project folder", &guard.project),
        ("the content folder", &guard.content),
        ("the templates folder", &guard.templates),
    ] {
        let dir = resolve(dir, true).map_err(|e| resolve_err(dir, &e))?;
        if target == dir || dir.starts_with(&target) {
            return Err(refuse(format!("it is or contains {name}"), OWN_FOLDER));
        }
        if name != "the project folder" && target.starts_with(&dir) {
            return Err(refuse(format!("it is inside {name}"), OWN_FOLDER));
        }
    }
    let meta = match fs::symlink_metadata(&target) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(target),
        Err(e) => return Err(io_err(&target, &e)),
    };
    if meta.file_type().is_symlink() || !meta.is_dir() {
        return Err(refuse(
            "it is not a folder".into(),
            "remove it, or choose another `--out` folder",
        ));
    }
    if target.join(MARKER).is_file() {
        return Ok(target);
    }
    let empty = fs::read_dir(&target)
        .map_err(|e| io_err(&target, &e))?
        .next()
        .is_none();
    let via_dot_dot = out.components().any(|c| c == Component::ParentDir);
    if empty && !via_dot_dot {
        Ok(target)
    } else if empty {
        // A `..` that lands on an existing folder is more likely a slip
        // than a wish; the plain path says it was meant.
        Err(refuse(
            format!(
                "`..` leads to the existing folder {}, which lendguide did not create",
                target.display()
            ),
            &format!(
                "if the site belongs there, say so without `..`: `--out {}`",
                target.display()
            ),
        ))
    } else {
        Err(refuse(
            format!("it is not empty and lendguide did not create it (no {MARKER} file)"),
            "choose a new folder for `--out`; lendguide replaces only folders it made",
        ))
    }
}

/// `path` made absolute and free of `.`, `..` and symlinked folders, the
/// way the kernel walks it: an existing part is resolved on the real
/// filesystem (so `link/..` is the parent of the link's target), and what
/// does not exist yet is resolved lexically, as the folders `create_dir_all`
/// would make. The last part is followed only when `follow_last`, so a
/// symlinked output folder can still be seen and refused.
fn resolve(path: &Path, follow_last: bool) -> io::Result<PathBuf> {
    let abs = std::path::absolute(path)?;
    let parts: Vec<Component> = abs.components().collect();
    let mut real = PathBuf::new();
    // How many trailing parts of `real` do not exist.
    let mut missing = 0usize;
    for (i, part) in parts.iter().enumerate() {
        match part {
            Component::Prefix(_) | Component::RootDir => real.push(part),
            Component::CurDir => {}
            // `real` holds no symlink, so its parent is the folder the
            // kernel reaches with `..`.
            Component::ParentDir => {
                real.pop();
                missing = missing.saturating_sub(1);
            }
            Component::Normal(name) => {
                real.push(name);
                if missing > 0 {
                    missing += 1;
                    continue;
                }
                match fs::symlink_metadata(&real) {
                    Ok(meta) if meta.file_type().is_symlink() => {
                        if follow_last || i + 1 < parts.len() {
                            real = fs::canonicalize(&real)?;
                        }
                    }
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => missing = 1,
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(real)
}

fn resolve_err(path: &Path, e: &io::Error) -> WriteError {
    WriteError::Io(format!("cannot resolve {}: {e}", path.display()))
}

fn io_err(path: &Path, e: &io::Error) -> WriteError {
    WriteError::Io(format!("cannot read {}: {e}", path.display()))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A guard for a project at `root` (shared with the writer's tests).
    pub(in crate::write) fn guard(root: &Path) -> OutputGuard {
        OutputGuard {
            content: root.join("content"),
            templates: root.join("templates"),
            project: root.to_path_buf(),
        }
    }

    #[test]
    fn refuses_dangerous_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join("content")).unwrap();
        let g = guard(root);
        for bad in [
            root.to_path_buf(),
            root.join("content"),
            root.join("content/x"),
            root.join("templates"),
            root.join("a/.."),
        ] {
            assert!(
                matches!(check_output_dir(&bad, &g), Err(WriteError::Refused { .. })),
                "{bad:?}"
            );
        }
        fs::create_dir_all(root.join("docs")).unwrap();
        fs::write(root.join("docs/keep.txt"), "mine").unwrap();
        assert!(matches!(
            check_output_dir(&root.join("docs"), &g),
            Err(WriteError::Refused { .. })
        ));
        assert!(check_output_dir(&root.join("output"), &g).is_ok());
    }

    fn refused(out: &Path, g: &OutputGuard) -> bool {
        matches!(check_output_dir(out, g), Err(WriteError::Refused { .. }))
    }

    /// A project in a temp folder (canonical, so paths compare plainly),
    /// with `precious/` holding someone's file.
    fn project() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(tmp.path()).unwrap();
        fs::create_dir_all(root.join("content")).unwrap();
        fs::create_dir_all(root.join("precious")).unwrap();
        fs::write(root.join("precious/keep.txt"), "mine").unwrap();
        (tmp, root)
    }

    #[test]
    fn dot_dot_is_judged_where_it_lands() {
        let (_tmp, root) = project();
        let g = guard(&root);
        for rel in [
            "typo/../precious",
            "a/b/../../precious",
            "./x/./../precious",
        ] {
            assert!(refused(&root.join(rel), &g), "{rel}");
        }
        fs::write(root.join("precious").join(MARKER), "").unwrap();
        for rel in ["typo/../precious", "a/b/../../precious"] {
            let out = check_output_dir(&root.join(rel), &g).unwrap();
            assert_eq!(out, root.join("precious"), "{rel}");
        }
        assert_eq!(
            check_output_dir(&root.join("new/a/../b"), &g).unwrap(),
            root.join("new/b"),
            "missing folders resolve lexically"
        );
        assert!(!root.join("typo").exists() && !root.join("a").exists());
    }

    #[test]
    fn dot_dot_onto_an_existing_unmarked_folder_is_refused_even_when_empty() {
        let (_tmp, root) = project();
        let g = guard(&root);
        fs::create_dir_all(root.join("empty")).unwrap();
        assert!(refused(&root.join("x/../empty"), &g));
        assert_eq!(
            check_output_dir(&root.join("empty"), &g).unwrap(),
            root.join("empty")
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_parents_are_followed_and_a_symlinked_output_refused() {
        use std::os::unix::fs::symlink;
        let (_tmp, root) = project();
        let g = guard(&root);
        let elsewhere = tempfile::tempdir().unwrap();
        let far = fs::canonicalize(elsewhere.path()).unwrap();
        fs::create_dir_all(far.join("dir")).unwrap();
        fs::create_dir_all(far.join("victim")).unwrap();
        fs::write(far.join("victim/keep.txt"), "theirs").unwrap();
        symlink(far.join("dir"), root.join("link")).unwrap();
        symlink(root.join("content"), root.join("c")).unwrap();
        symlink(far.join("gone"), root.join("dangling")).unwrap();

        assert_eq!(
            check_output_dir(&root.join("link/out"), &g).unwrap(),
            far.join("dir/out")
        );
        assert!(refused(&root.join("link/../victim"), &g));
        assert_eq!(
            check_output_dir(&root.join("link/../new"), &g).unwrap(),
            far.join("new"),
            "`link/..` is the parent of the link's target"
        );
        assert!(
            refused(&root.join("c/out"), &g),
            "inside content via a link"
        );
        assert!(
            refused(&root.join("link"), &g),
            "the output itself is a link"
        );
        assert!(matches!(
            check_output_dir(&root.join("dangling/out"), &g),
            Err(WriteError::Io(_))
        ));
    }

    #[test]
    fn absolute_paths_are_resolved_too() {
        let (_tmp, root) = project();
        let g = guard(&root);
        let rel = Path::new("x/../precious");
        let abs = root.join(rel);
        assert!(refused(&abs, &g));
        assert!(refused(
            &root.join("../").join(root.file_name().unwrap()),
            &g
        ));
        let err = check_output_dir(&abs, &g).unwrap_err().to_string();
        assert!(err.contains("\nhelp: "), "{err}");
        assert!(
            err.contains(&root.join("precious").display().to_string()),
            "{err}"
        );
    }
}
