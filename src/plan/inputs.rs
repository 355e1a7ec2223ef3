//! What a guide's pages are made from, as one fingerprint per guide: the
//! hash of the content files its page and its search file read; and the
//! same for each lender's page and feed.
//!
//! A guide page shows its guide, its lender (name, channels, refusal
//! routes), `site.yaml` (letters, regulators, thresholds) and the topics
//! (related topics, the refusal advice's link); its worked examples come
//! from its own examples, computed by the program. So, with the program,
//! the templates and the base URL (which every page's fingerprint holds
//! already), those files decide the page and its search file byte for
//! byte. render and index fingerprint a guide's files by these inputs
//! instead of hashing the views and search text they would build, so a
//! rebuild after one edit builds neither for the 9,999 other guides of a
//! 10,000-guide site.
//!
//! A guide whose files are not all known (a file hash missing, a model
//! kept under another path) has no inputs, and its pages are fingerprinted
//! by their data as before. `tests/it/incremental.rs` edits every kind of
//! file and compares a rebuild with a cold build, byte for byte.

use std::collections::HashMap;

use crate::load::{ContentFiles, SourceFile, under_root};
use crate::model::{Content, Guide, Lender};
use crate::sink::{Fingerprint, Hasher};

/// Every content file's hash by the path diagnostics show (the path the
/// model's `at` records), taken from the files as loaded. Fingerprints
/// hold a file's path under the content folder, not as shown: a page is
/// the same however the folder is spelled.
#[derive(Debug, Default, Clone)]
pub struct FileHashes {
    /// What the shown paths start with ([`ContentFiles::root`]).
    root: String,
    files: HashMap<String, Fingerprint>,
    /// `site.yaml` and every topic, which every guide page reads.
    shared: Option<Fingerprint>,
}

impl FileHashes {
    pub fn of(files: &ContentFiles) -> Self {
        use rayon::prelude::*;
        let all: Vec<&SourceFile> = files
            .site
            .iter()
            .chain(
                files
                    .lenders
                    .iter()
                    .flat_map(|l| l.lender.iter().chain(&l.guides)),
            )
            .chain(&files.topics)
            .collect();
        let files_by_path: HashMap<String, Fingerprint> = all
            .par_iter()
            .map(|f| (f.path.clone(), file_hash(f)))
            .collect();
        let shared = files.site.as_ref().map(|site| {
            let mut h = Hasher::new();
            h.bytes(b"site and topics");
            for f in std::iter::once(site).chain(&files.topics) {
                h.bytes(files.under_root(&f.path).as_bytes())
                    .bytes(&files_by_path[&f.path].to_le_bytes());
            }
            h.finish()
        });
        Self {
            root: files.root.clone(),
            files: files_by_path,
            shared,
        }
    }

    /// The fingerprint of everything `g`'s pages read of the content;
    /// `None` when one of its files is not known.
    pub fn guide(&self, content: &Content, g: &Guide) -> Option<Fingerprint> {
        let lender = content.lender(&g.lender)?;
        let mut h = Hasher::new();
        h.bytes(b"guide inputs")
            .bytes(&self.shared?.to_le_bytes())
            .bytes(under_root(&self.root, &lender.at.file).as_bytes())
            .bytes(&self.files.get(&*lender.at.file)?.to_le_bytes())
            .bytes(under_root(&self.root, &g.at.file).as_bytes())
            .bytes(&self.files.get(&*g.at.file)?.to_le_bytes());
        Some(h.finish())
    }

    /// The fingerprint of everything `l`'s page and feed read of the
    /// content: its lender file and its guides' files (their titles,
    /// summaries, kinds and dates are listed), with `site.yaml` and the
    /// topics; `None` when one of them is not known.
    pub fn lender(&self, content: &Content, l: &Lender) -> Option<Fingerprint> {
        let mut h = Hasher::new();
        h.bytes(b"lender inputs")
            .bytes(&self.shared?.to_le_bytes())
            .bytes(under_root(&self.root, &l.at.file).as_bytes())
            .bytes(&self.files.get(&*l.at.file)?.to_le_bytes());
        for g in content.guides_of(&l.slug) {
            h.bytes(under_root(&self.root, &g.at.file).as_bytes())
                .bytes(&self.files.get(&*g.at.file)?.to_le_bytes());
        }
        Some(h.finish())
    }
}

fn file_hash(f: &SourceFile) -> Fingerprint {
    crate::sink::content_hash(f.text.as_bytes())
}
