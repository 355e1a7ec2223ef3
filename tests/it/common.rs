//! Fixture sites for integration tests: a valid site, and invalid cases
//! stored as overlays (only the files that differ) applied on a copy of it.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    root().join("tests/fixtures")
}

/// A throwaway project: `content/` (a copy of the valid fixture with an
/// optional overlay), and paths for output.
pub struct Site {
    pub dir: TempDir,
}

impl Site {
    pub fn valid() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_tree(
            &fixtures().join("valid/content"),
            &dir.path().join("content"),
        );
        Self { dir }
    }

    /// The valid site with `tests/fixtures/invalid/<case>/` laid over it.
    pub fn with_overlay(case: &str) -> Self {
        let site = Self::valid();
        copy_tree(&fixtures().join("invalid").join(case), &site.content());
        site
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn content(&self) -> PathBuf {
        self.path().join("content")
    }

    pub fn out(&self) -> PathBuf {
        self.path().join("output")
    }

    /// `lendguide <args…>` run in the site folder, with the repo's templates.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("lendguide").expect("binary");
        // A fixed "today" keeps staleness warnings out of snapshots.
        cmd.current_dir(self.path())
            .args(args)
            .env("LENDGUIDE_TODAY", "2025-06-01");
        cmd
    }

    pub fn build(&self) -> assert_cmd::assert::Assert {
        let templates = root().join("templates");
        self.cmd(&["build", "--templates", templates.to_str().unwrap()])
            .assert()
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// The bundled site (`content/`, `templates/`) built into `out`, for the
/// browser tests.
pub fn build_bundled(out: &Path) {
    let options = lendguide::BuildOptions {
        content: root().join("content"),
        templates: root().join("templates"),
        out: out.to_path_buf(),
        base_url: None,
    };
    let report = lendguide::build(&options).expect("build the bundled site");
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
}

/// Every output file but the manifest, which records how and where each
/// was made (hashes, fingerprints, and each file's inode and time).
pub fn published(dir: &Path) -> Vec<(String, Vec<u8>)> {
    snapshot_tree(dir)
        .into_iter()
        .filter(|(p, _)| p != ".lendguide-manifest")
        .collect()
}

/// Every file under `dir` with its bytes, for byte-for-byte comparisons.
pub fn snapshot_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}
