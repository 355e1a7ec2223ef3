//! The content folder parsed: site.yaml, each lender folder (its
//! lender.yaml and guides, or in `build` the key of what its store keeps of
//! them) and the topics, across cores, in file order.

use rayon::prelude::*;

use super::raw::{RawGuide, RawLender, RawSite, RawTopic};
use super::{Doc, Parse, markdown_doc, yaml_doc};
use crate::diagnostics::Diagnostic;
use crate::kept::Kept;
use crate::load::{ContentFiles, LenderFiles, SourceFile, under_root};
use crate::memo::Memo;

#[derive(Debug, Default)]
pub struct Parsed<'a> {
    pub site: Option<Doc<'a, RawSite>>,
    /// `site.yaml` exists (even if it failed to parse).
    pub has_site_file: bool,
    pub lenders: Vec<ParsedLender<'a>>,
    pub topics: Vec<Doc<'a, RawTopic>>,
}

#[derive(Debug)]
pub struct ParsedLender<'a> {
    pub slug: String,
    /// As shown: under [`Self::root`].
    pub dir: String,
    /// What the content files' shown paths start with.
    pub root: &'a str,
    /// `lender.yaml` exists (even if it could not be read or parsed), so
    /// the folder is not also reported as having none.
    pub has_file: bool,
    /// Parsed, unless [`Self::kept_lender`] says the store holds it.
    pub lender: Option<Doc<'a, RawLender>>,
    /// lender.yaml and its key in `build`'s store.
    pub kept_lender: Option<KeptFile<'a>>,
    /// In file order.
    pub guides: Vec<GuideDoc<'a>>,
}

impl ParsedLender<'_> {
    /// The text of lender.yaml, parsed or not.
    pub fn lender_text(&self) -> Option<&str> {
        match (&self.lender, &self.kept_lender) {
            (Some(doc), _) => Some(doc.source),
            (None, Some(kept)) if kept.found => Some(&kept.file.text),
            _ => None,
        }
    }
}

/// A file `build`'s store has a key for.
#[derive(Debug, Clone, Copy)]
pub struct KeptFile<'a> {
    pub file: &'a SourceFile,
    pub key: u128,
    /// The store holds what checking this text made, so the file was left
    /// unparsed: `validate` reads it back (or parses the file then).
    pub found: bool,
}

/// A guide file, parsed; or, in `build`, left unparsed because an earlier
/// build kept what validating this very text made (see [`Kept`]), which
/// `validate` reads instead (or parses the file then, when the guide's
/// folder changed).
#[derive(Debug)]
pub enum GuideDoc<'a> {
    Parsed {
        doc: Doc<'a, RawGuide>,
        /// Its key in the store, when there is one.
        key: Option<u128>,
    },
    Kept {
        file: &'a SourceFile,
        key: u128,
    },
}

/// The key of what `build` keeps of a file (`kind`: what it is): its path
/// under the content folder (`root`, as shown) and its text, by this
/// program. Not the path as shown: the folder spelled otherwise
/// (`content`, `/home/me/site/content`) holds the same files.
fn file_key(kept: &Kept, kind: &str, root: &str, file: &SourceFile) -> u128 {
    let path = under_root(root, &file.path);
    kept.key(kind, &[path.as_bytes(), file.text.as_bytes()])
}

/// Files are independent, so they are parsed across cores; the results and
/// their diagnostics are then taken in file order, exactly as if the files
/// had been parsed one by one.
/// With a `memo` (`serve`), front matter unchanged since an earlier parse
/// is not parsed again; with `store` (`build`), a guide or lender.yaml
/// whose text an earlier build validated is not parsed at all.
pub fn parse<'a>(
    files: &'a ContentFiles,
    memo: Option<&Memo>,
    store: Option<&Kept>,
) -> (Parsed<'a>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let site = files
        .site
        .as_ref()
        .and_then(|f| kept(yaml_doc(f, memo), &mut diags));
    let folders: Vec<_> = files
        .lenders
        .par_iter()
        .map(|l| lender(l, &files.root, memo, store))
        .collect();
    let mut lenders = Vec::with_capacity(folders.len());
    for (lender, found) in folders {
        diags.extend(found);
        lenders.push(lender);
    }
    let topics = documents(&files.topics, memo, &mut diags);
    let parsed = Parsed {
        site,
        has_site_file: files.site_found,
        lenders,
        topics,
    };
    (parsed, diags)
}

/// One lender folder: its lender.yaml, then its guides, with the
/// diagnostics in that order.
fn lender<'a>(
    files: &'a LenderFiles,
    root: &'a str,
    memo: Option<&Memo>,
    store: Option<&Kept>,
) -> (ParsedLender<'a>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let kept_lender = files.lender.as_ref().zip(store).map(|(file, store)| {
        let key = file_key(store, "lender", root, file);
        let found = store.get(key).is_some();
        KeptFile { file, key, found }
    });
    let lender = match kept_lender {
        Some(KeptFile { found: true, .. }) => None,
        _ => files
            .lender
            .as_ref()
            .and_then(|f| kept(yaml_doc(f, memo), &mut diags)),
    };
    let guides = guides(&files.guides, root, memo, store, &mut diags);
    let parsed = ParsedLender {
        slug: files.slug.clone(),
        dir: files.dir.clone(),
        root,
        has_file: files.lender_found,
        lender,
        kept_lender,
        guides,
    };
    (parsed, diags)
}

/// Markdown files with front matter, parsed in parallel, kept in order.
fn documents<'a, T: Parse>(
    files: &'a [SourceFile],
    memo: Option<&Memo>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Doc<'a, T>> {
    let results: Vec<_> = files.par_iter().map(|f| markdown_doc(f, memo)).collect();
    results.into_iter().filter_map(|r| kept(r, diags)).collect()
}

/// Guide files in parallel, in order: each parsed, or left for `validate`
/// when `store` keeps what its text made.
fn guides<'a>(
    files: &'a [SourceFile],
    root: &str,
    memo: Option<&Memo>,
    store: Option<&Kept>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<GuideDoc<'a>> {
    let results: Vec<_> = files
        .par_iter()
        .map(|file| {
            let key = store.map(|store| file_key(store, "guide", root, file));
            match (store, key) {
                (Some(store), Some(key)) if store.get(key).is_some() => {
                    Ok(GuideDoc::Kept { file, key })
                }
                _ => markdown_doc(file, memo).map(|doc| GuideDoc::Parsed { doc, key }),
            }
        })
        .collect();
    results.into_iter().filter_map(|r| kept(r, diags)).collect()
}

/// The document, or `None` with its diagnostic added to `diags`.
fn kept<T>(result: Result<T, Diagnostic>, diags: &mut Vec<Diagnostic>) -> Option<T> {
    result.map_err(|d| diags.push(d)).ok()
}
