//! Validate: raw documents → the typed [`model`](crate::model), once.
//!
//! Every check that depends on more than one field lives here: references
//! between files (a guide's lender, a change's policy), uniqueness, slugs of
//! file and folder names, and the Markdown of bodies and steps (rendered to
//! safe HTML here so hostile HTML is a content error, found by `check` too).
//! All problems are collected; a document with errors is left out of the
//! model, and the caller refuses to render when any error was reported.

pub mod examples;
pub(crate) mod fields;
mod guide;
mod kept;
mod lender;
mod reader;
mod site;
pub mod staleness;
pub mod url;

use std::collections::HashSet;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Located};
use crate::engine::outputs;
use crate::kept::Kept;
use crate::markdown::{self, Markdown};
use crate::memo::Memo;
use crate::model::{Content, Example, Guide, GuideKind, Lender, Step, Topic, is_slug};
use crate::parse::raw::{RawGuide, RawTopic};
use crate::parse::{Doc, Parsed, ParsedLender};
use crate::shortcode::{self, Cited, Shortcode};
use crate::suggest::did_you_mean;
use fields::Checker;

/// Builds the model. Returns `None` when the site itself cannot be built
/// (no valid `site.yaml`); otherwise the valid part of the content.
///
/// It takes the raw documents and drops each once its part of the model is
/// built, so the raw and the typed form of the whole site are never held at
/// once.
///
/// With a `memo` (`serve`), Markdown rendered by an earlier rebuild from the
/// same text at the same place is not rendered again. With `kept`
/// (`build`), a lender or guide an earlier build validated from the same
/// text (a guide: in a folder with the same key) is read back, and each
/// one validated now with nothing to report is kept. `root`: what the
/// content files' shown paths start with (`ContentFiles::root`), for a
/// file that is missing.
pub fn validate(
    parsed: Parsed<'_>,
    root: &str,
    memo: Option<&Memo>,
    kept: Option<&Kept>,
) -> (Option<Content>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let site = match &parsed.site {
        Some(doc) => site::site(doc, memo, &mut diags),
        None => {
            // A parse error was already reported if the file exists.
            let path = format!("{root}site.yaml");
            if !parsed.has_site_file {
                diags.push(
                    Diagnostic::error("missing-file", &Located::new(path, 1, 1), "site.yaml is missing")
                        .with_help("every site needs content/site.yaml with title, tagline, base_url, staleness_days and disclaimer"),
                );
            }
            None
        }
    };

    // Without a valid site.yaml no letter is known; its own errors say why,
    // so guides are not also told that their letter is missing.
    let letter_kinds: Vec<GuideKind> = match &site {
        Some(site) => site.letters.iter().map(|l| l.kind).collect(),
        None => GuideKind::NAMES
            .iter()
            .filter_map(|n| GuideKind::parse(n))
            .collect(),
    };
    // A lender is known by its folder: when its lender.yaml is missing or
    // broken, the folder's own error says so, and the guides and topics
    // naming it are not also told that it does not exist.
    let slugs: Vec<String> = parsed
        .lenders
        .iter()
        .filter(|l| is_slug(&l.slug))
        .map(|l| l.slug.clone())
        .collect();
    let slugs = Lenders::new(slugs.iter().map(String::as_str).collect());
    // Folders and topics are independent: they are checked across cores,
    // then taken with their diagnostics in folder order, as if one by one.
    let folders: Vec<_> = parsed
        .lenders
        .into_par_iter()
        .map(|folder| lender_folder(folder, &slugs, &letter_kinds, memo, kept))
        .collect();
    let mut lenders = Vec::new();
    let mut guides = Vec::new();
    for (lender, folder_guides, found) in folders {
        lenders.extend(lender);
        guides.extend(folder_guides);
        diags.extend(found);
    }
    let checked: Vec<_> = parsed
        .topics
        .into_par_iter()
        .map(|doc| {
            let mut found = Vec::new();
            (topic(&doc, &slugs, memo, &mut found), found)
        })
        .collect();
    let mut topics = Vec::new();
    for (topic, found) in checked {
        topics.extend(topic);
        diags.extend(found);
    }
    lenders.sort_by(|a: &Lender, b| a.slug.cmp(&b.slug));
    guides.sort_by(|a: &Guide, b| (&a.lender, &a.slug).cmp(&(&b.lender, &b.slug)));
    let content = site.map(|site| Content {
        site,
        lenders,
        guides,
        topics,
    });
    (content, diags)
}

/// One lender folder: its lender, its valid guides, and what was wrong, in
/// the order a one-by-one walk finds it (lender.yaml, then each guide).
fn lender_folder(
    mut folder: ParsedLender<'_>,
    slugs: &Lenders<'_>,
    letter_kinds: &[GuideKind],
    memo: Option<&Memo>,
    store: Option<&Kept>,
) -> (Option<Lender>, Vec<Guide>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let lender = kept::lender(&mut folder, store, &mut diags);
    let policies = lender.as_ref().map_or(&[][..], |l| l.policies.as_slice());
    let docs = std::mem::take(&mut folder.guides);
    let against = guide::Folder {
        slug: &folder.slug,
        lenders: slugs,
        policies,
        letter_kinds,
        memo,
        root: folder.root,
    };
    let key = if memo.is_some() || store.is_some() {
        against.key(&folder)
    } else {
        String::new()
    };
    let folder_hash = kept::folder_hash(&key);
    let checked: Vec<_> = docs
        .into_par_iter()
        .map(|doc| kept::guide(doc, &against, &key, &folder_hash, store))
        .collect();
    let mut guides = Vec::new();
    for (guide, found) in checked {
        guides.extend(guide);
        diags.extend(found);
    }
    (lender, guides, diags)
}

fn topic(
    doc: &Doc<'_, RawTopic>,
    lenders: &Lenders<'_>,
    memo: Option<&Memo>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Topic> {
    let before = diags.len();
    let slug = file_slug(doc, diags);
    let mut c = Checker::new(doc, diags).remembering(memo);
    let raw = &doc.value;
    let related = raw
        .lenders
        .iter()
        .filter_map(|l| {
            let v = l.value.trim();
            if lenders.contains(v) {
                Some(v.to_string())
            } else {
                let help = unknown_lender_help(v, lenders);
                c.error("unknown-lender", l, format!("no lender `{v}`"), help);
                None
            }
        })
        .collect();
    let updated = c.date(&raw.updated);
    let sources = raw.sources.iter().filter_map(|s| c.citation(s)).collect();
    let title = c.text(&raw.title, "title");
    let summary = c.text(&raw.summary, "summary");
    let body = body(&mut c, &mut Vec::new(), &|_| Cited::Unknown);
    let topic = Topic {
        slug: slug?,
        title,
        summary,
        updated: updated?,
        lenders: related,
        sources,
        body,
        at: doc.start(),
    };
    (!diags[before..].iter().any(Diagnostic::is_error)).then_some(topic)
}

/// The lender slugs: in folder order for hints, and hashed for lookups (a
/// search through the list for every guide made `check` quadratic in
/// lenders × guides).
struct Lenders<'a> {
    names: Vec<&'a str>,
    set: HashSet<&'a str>,
}

impl<'a> Lenders<'a> {
    fn new(names: Vec<&'a str>) -> Self {
        let set = names.iter().copied().collect();
        Self { names, set }
    }

    fn contains(&self, slug: &str) -> bool {
        self.set.contains(slug)
    }
}

/// What to do about a lender name that no folder has: the nearest name,
/// else the list, else (no lender folder at all) how to make one.
fn unknown_lender_help(named: &str, lenders: &Lenders<'_>) -> String {
    let lenders = &lenders.names;
    match did_you_mean(named, lenders) {
        Some(near) => format!("did you mean `{near}`?"),
        None if lenders.is_empty() => {
            let slug = if is_slug(named) { named } else { "<slug>" };
            format!(
                "there is no lender yet; `lendguide new lender {slug}` creates content/lenders/{slug}/lender.yaml"
            )
        }
        None => format!("known lenders: {}", lenders.join(", ")),
    }
}

/// The slug a Markdown file gets from its name.
fn file_slug<T>(doc: &Doc<'_, T>, diags: &mut Vec<Diagnostic>) -> Option<String> {
    if is_slug(&doc.stem) {
        return Some(doc.stem.clone());
    }
    diags.push(
        Diagnostic::error(
            "bad-slug",
            &doc.start(),
            format!("file name `{}` is not a valid slug", doc.stem),
        )
        .with_help("rename the file with lower-case letters, digits and dashes, e.g. `waiver.md`"),
    );
    None
}

fn body<T>(
    c: &mut Checker<'_, T>,
    shortcodes: &mut Vec<Shortcode>,
    fields: &dyn Fn(&str) -> Cited,
) -> Markdown {
    let doc = c.doc;
    match &doc.body {
        Some(b) => {
            let origin = markdown::Origin {
                file: doc.file.clone(),
                first_line: b.first_line,
                first_column: 0,
                every_line_indent: 0,
            };
            let text = shortcode::extract(b.text, &origin, shortcodes, fields, c.diags);
            markdown::render_remembered(&text, &origin, c.diags, c.memo)
        }
        None => Markdown::default(),
    }
}
