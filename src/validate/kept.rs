//! What `build` keeps of the check between builds ([`Kept`]), by the key
//! of the file it came from (its path and text, by this program):
//! - a lender as its lender.yaml validates to (it depends on nothing else);
//! - a guide: the hash of what it read of its folder ([`guide::Folder::key`]:
//!   lender.yaml's text, the site's letters), then the typed guide.
//!
//! Both encoded with postcard, and kept only when they validated with
//! nothing to report, so reading one back skips nothing a reader would be
//! told.

use xxhash_rust::xxh3::xxh3_128;

use crate::diagnostics::{Diagnostic, relative_to};
use crate::kept::Kept;
use crate::model::{Guide, Lender};
use crate::parse::{self, GuideDoc, KeptFile, ParsedLender};

/// The hash of a folder's key, as a kept guide records it.
pub(super) fn folder_hash(folder_key: &str) -> [u8; 16] {
    xxh3_128(folder_key.as_bytes()).to_le_bytes()
}

/// One guide of a folder with its diagnostics: read back from `store` when
/// it holds the guide for a folder of the same key (`folder_key`, hashed
/// as `folder_hash`), else checked (parsed now when parse left it for the
/// store), and kept when it had nothing to report.
pub(super) fn guide(
    doc: GuideDoc<'_>,
    against: &super::guide::Folder<'_>,
    folder_key: &str,
    folder_hash: &[u8; 16],
    store: Option<&Kept>,
) -> (Option<Guide>, Vec<Diagnostic>) {
    let (doc, key) = match doc {
        GuideDoc::Parsed { doc, key } => (doc, key),
        GuideDoc::Kept { file, key } => {
            let guide = store.and_then(|s| kept_guide(s, key, folder_hash, against.root));
            if guide.is_some() {
                return (guide, Vec::new());
            }
            // Kept for another folder (or unreadable): checked now.
            match parse::guide_doc(file) {
                Ok(doc) => (doc, Some(key)),
                Err(found) => return (None, vec![found]),
            }
        }
    };
    let mut found = Vec::new();
    let guide = super::guide::remembered(&doc, against, folder_key, &mut found);
    if let (Some(store), Some(key), Some(guide), true) =
        (store.filter(|s| s.keeps()), key, &guide, found.is_empty())
    {
        keep_guide(store, key, folder_hash, guide, against.root);
    }
    (guide, found)
}

/// The guide kept under `key`, when it was validated against the same
/// folder and reads back whole; its places under the content folder as
/// this build shows it (`root`).
fn kept_guide(kept: &Kept, key: u128, folder: &[u8; 16], root: &str) -> Option<Guide> {
    let bytes = kept.get(key)?;
    if !bytes.starts_with(folder) {
        return None;
    }
    let guide = decode(&bytes.slice(folder.len()..), root)?;
    kept.note_read_back();
    Some(guide)
}

/// A kept value read back; its prose ([`crate::utf8::Text`]) shares the
/// store's bytes rather than copying them, and its places are under the
/// content folder as this build shows it (`root`; see
/// [`relative_to`]).
fn decode<T: serde::de::DeserializeOwned>(bytes: &bytes::Bytes, root: &str) -> Option<T> {
    relative_to(root, || {
        crate::utf8::sharing(bytes, || postcard::from_bytes(bytes).ok())
    })
}

/// A value to keep, its places by their path under the content folder.
fn encode<T: serde::Serialize>(value: &T, start: Vec<u8>, root: &str) -> Option<Vec<u8>> {
    relative_to(root, || postcard::to_extend(value, start).ok())
}

/// The folder's lender: read back from `kept` when the store holds it,
/// else checked (lender.yaml parsed now when parse left it for the store)
/// and kept when it had nothing to report.
pub(super) fn lender(
    folder: &mut ParsedLender<'_>,
    kept: Option<&Kept>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Lender> {
    if let (
        Some(store),
        Some(KeptFile {
            file,
            key,
            found: true,
        }),
    ) = (kept, folder.kept_lender)
    {
        let read: Option<Lender> = store.get(key).and_then(|b| decode(&b, folder.root));
        if let Some(lender) = read {
            store.note_read_back();
            return Some(lender);
        }
        match parse::lender_doc(file) {
            Ok(doc) => folder.lender = Some(doc),
            Err(found) => {
                diags.push(found);
                return None;
            }
        }
    }
    let before = diags.len();
    let lender = super::lender::lender(folder, diags);
    if let (Some(store), Some(kept), Some(lender), true) = (
        kept.filter(|k| k.keeps()),
        folder.kept_lender,
        &lender,
        diags.len() == before,
    ) && let Some(bytes) = encode(lender, Vec::new(), folder.root)
    {
        store.put(kept.key, bytes);
    }
    lender
}

/// Keeps `guide`, validated from the file of `key` against `folder`.
fn keep_guide(kept: &Kept, key: u128, folder: &[u8; 16], guide: &Guide, root: &str) {
    if let Some(bytes) = encode(guide, folder.to_vec(), root) {
        kept.put(key, bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every bundled guide reads back as it was kept, and only for the
    /// folder it was kept for; read by a build that shows the content
    /// folder otherwise, its places are in the file as that build shows it.
    #[test]
    fn bundled_guides_read_back_whole() {
        let content_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let (checked, report) = crate::check(&content_dir).unwrap();
        assert!(!report.has_errors(), "{:?}", report.diagnostics);
        let (content, _) = checked.unwrap();
        assert!(content.guides.len() > 10);
        let root = crate::load::shown_root(&content_dir);
        let kept = Kept::new(1);
        let (folder, other) = (folder_hash("a"), folder_hash("b"));
        let keys: Vec<u128> = (0..content.guides.len())
            .map(|n| kept.key("guide", &[&n.to_le_bytes()]))
            .collect();
        for (guide, key) in content.guides.iter().zip(&keys) {
            keep_guide(&kept, *key, &folder, guide, &root);
        }
        let mut next = Kept::new(1);
        for change in kept.changes() {
            next.read_shard(change.shard, change.file.unwrap());
        }
        for (guide, key) in content.guides.iter().zip(&keys) {
            let back = kept_guide(&next, *key, &folder, &root).expect("reads back");
            assert_eq!(format!("{back:?}"), format!("{guide:?}"));
            let elsewhere = kept_guide(&next, *key, &folder, "site/").unwrap();
            let moved = format!("{guide:?}").replace(&format!("\"{root}"), "\"site/");
            assert_eq!(format!("{elsewhere:?}"), moved);
            assert!(moved.contains("\"site/lenders/"), "{moved}");
            // Its prose points into the store's bytes, not a copy of them.
            let shard = next.get(*key).unwrap();
            let (start, end) = (
                shard.as_ptr() as usize,
                shard.as_ptr() as usize + shard.len(),
            );
            let at = back.body.html.as_ptr() as usize;
            assert!(at >= start && at + back.body.html.len() <= end);
            assert!(kept_guide(&next, *key, &other, &root).is_none());
        }
    }
}
