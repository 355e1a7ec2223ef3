//! The output-folder guard: decides whether a path is a folder lendguide
//! may replace, before anything is written.
//!
//! The output must not be, contain or sit inside the project, content or
//! templates folder, must not be the filesystem root, a file or a symlink,
//! and an existing non-empty folder must carry the marker file that shows
//! lendguide created it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{MARKER, WriteError};

/// Folders the output may never be, or contain.
#[derive(Debug, Clone)]
pub struct OutputGuard {
    pub content: PathBuf,
    pub templates: PathBuf,
    /// The project root (where lendguide runs).
    pub project: PathBuf,
}

/// Checks that `out` is a folder lendguide may replace.
pub fn check_output_dir(out: &Path, guard: &OutputGuard) -> Result<(), WriteError> {
    let out_abs = normalize(out);
    for (name, dir) in [
        ("the project folder", &guard.project),
        ("the content folder", &guard.content),
        ("the templates folder", &guard.templates),
    ] {
        let dir = normalize(dir);
        if out_abs == dir || dir.starts_with(&out_abs) {
            return Err(WriteError::Refused(format!(
                "refusing to write the site to {}: it is or contains {name}",
                out.display()
            )));
        }
        if name != "the project folder" && out_abs.starts_with(&dir) {
            return Err(WriteError::Refused(format!(
                "refusing to write the site to {}: it is inside {name}",
                out.display()
            )));
        }
    }
    if out_abs.parent().is_none() {
        return Err(WriteError::Refused(
            "refusing to write the site to the filesystem root".into(),
        ));
    }
    match fs::symlink_metadata(out) {
        Ok(meta) if meta.file_type().is_symlink() || !meta.is_dir() => Err(WriteError::Refused(
            format!("refusing to replace {}: it is not a folder", out.display()),
        )),
        Ok(_) => {
            let empty = fs::read_dir(out)
                .map_err(|e| WriteError::Io(format!("cannot read {}: {e}", out.display())))?
                .next()
                .is_none();
            if empty || out.join(MARKER).is_file() {
                Ok(())
            } else {
                Err(WriteError::Refused(format!(
                    "refusing to replace {}: it is not empty and lendguide did not create it (no {MARKER} file)",
                    out.display()
                )))
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(WriteError::Io(format!(
            "cannot read {}: {e}",
            out.display()
        ))),
    }
}

/// Absolute, with `.` and `..` resolved lexically (the folder may not exist).
fn normalize(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let abs = fs::canonicalize(&abs).unwrap_or(abs);
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(root: &Path) -> OutputGuard {
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
                matches!(check_output_dir(&bad, &g), Err(WriteError::Refused(_))),
                "{bad:?}"
            );
        }
        fs::create_dir_all(root.join("docs")).unwrap();
        fs::write(root.join("docs/keep.txt"), "mine").unwrap();
        assert!(matches!(
            check_output_dir(&root.join("docs"), &g),
            Err(WriteError::Refused(_))
        ));
        assert!(check_output_dir(&root.join("output"), &g).is_ok());
    }
}
