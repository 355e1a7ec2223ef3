//! Reading `templates/`: Tera templates as text, everything under
//! `static/` as bytes, with the same refusals as content (symlinks, special
//! files, files over the limit).

use std::path::Path;

use super::cache::ReadCache;
use super::read::{
    Unreadable, io_error, not_a_file, read_regular, read_text, special_kind, walk_cached,
};
use super::{LoadError, MAX_ASSET_BYTES, MAX_CONTENT_BYTES, TemplateFiles, display};
use crate::diagnostics::{Diagnostic, Located};

/// Reads Tera templates and static assets from `dir`.
pub fn load_templates(dir: &Path) -> Result<(TemplateFiles, Vec<Diagnostic>), LoadError> {
    load_templates_cached(dir, None)
}

/// [`load_templates`], taking unchanged templates from `cache` when given.
pub fn load_templates_cached(
    dir: &Path,
    cache: Option<&ReadCache>,
) -> Result<(TemplateFiles, Vec<Diagnostic>), LoadError> {
    if !dir.is_dir() {
        return Err(LoadError(format!(
            "templates folder {} does not exist",
            dir.display()
        )));
    }
    let mut files = TemplateFiles::default();
    let mut diags = Vec::new();
    for entry in walk_cached(dir, cache) {
        let entry = match entry {
            Ok(e) => e,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let path = display(entry.path());
        let at = Located::new(path.clone(), 1, 1);
        if entry.path_is_symlink() {
            diags.push(
                Diagnostic::error("symlink", &at, "symbolic links are not followed")
                    .with_help("copy the file into templates/ instead of linking to it"),
            );
            continue;
        }
        if let Some(kind) = special_kind(entry.file_type()) {
            diags.push(not_a_file(&at, kind));
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if rel.starts_with("static/") {
            match read_regular(entry.path(), MAX_ASSET_BYTES) {
                Ok((bytes, _)) => files.assets.push((rel, bytes)),
                Err(Unreadable::TooLarge(_)) => diags.push(
                    Diagnostic::error("too-large", &at, "asset is larger than 8 MiB").with_help(
                        "readers are on slow phone networks: shrink or compress the file",
                    ),
                ),
                Err(Unreadable::NotAFile(kind)) => diags.push(not_a_file(&at, kind)),
                Err(Unreadable::Io(e)) => {
                    diags.push(io_error(&at, &e));
                }
            }
        } else if (rel.ends_with(".html") || rel.ends_with(".xml") || rel.ends_with(".txt"))
            && let Some(file) = read_text(entry.path(), &path, MAX_CONTENT_BYTES, &mut diags, cache)
        {
            files.templates.push((rel, file));
        }
    }
    Ok((files, diags))
}

impl TemplateFiles {
    /// Feeds every template and asset, with its name, to `h`.
    pub fn hash_into(&self, h: &mut crate::sink::Hasher) {
        for (name, f) in &self.templates {
            h.bytes(name.as_bytes()).bytes(f.text.as_bytes());
        }
        h.bytes(b"assets");
        for (name, bytes) in &self.assets {
            h.bytes(name.as_bytes()).bytes(bytes);
        }
    }
}
