//! The Atom feeds: every policy change (from each lender's `history`) and
//! every guide update, newest first; one feed for the site and one per
//! lender that has changes (`has_changes`). Dates come from the content only, so feeds are deterministic.
//! A lender's feed holds all of its entries; the site's only the newest
//! [`SITE_FEED_ENTRIES`] of all lenders' (at 10,000 guides, every entry
//! made a 7 MB feed that a reader's feed app fetched again on every poll,
//! and that every edit rendered and converted again).
//! Feed URLs are absolute (built on `base_url`), as feed readers need.

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use super::{template_error, views::SiteView};
use crate::diagnostics::Diagnostic;
use crate::model::{Content, Date, Lender};
use crate::plan::{Plan, Route, anchors};
use crate::script::{Converter, Script};
use crate::sink::{Facts, Hasher, PageRecord, Sink};

/// How many entries the site's feed holds: the newest, from every lender.
/// A subscriber sees each change as it comes; the full history of a lender
/// is on its page and in its own feed.
pub const SITE_FEED_ENTRIES: usize = 50;

/// What rendering a feed needs from the page renderer.
pub struct Renderer<'a> {
    pub tera: &'a Tera,
    pub site: &'a SiteView,
    pub converter: &'a Converter,
    pub base_url: &'a str,
    /// What every feed depends on besides its entries and script (the
    /// program, templates, site view and base URL; see
    /// `render::base_fingerprint`). With it, a feed the previous build
    /// published from the same entries is reused, not rendered: on disk
    /// (`build`) or from the site `serve` is serving.
    pub base: Option<[u8; 16]>,
    pub sink: &'a dyn Sink,
    /// A lender's feed is fingerprinted by the lender's inputs when the
    /// plan knows them (the site's by every lender's), so its entries are
    /// built only if it is rendered.
    pub plan: &'a Plan,
}

/// Whether `lender` has anything for a feed to announce: a dated policy
/// change or a guide (each guide's `updated` date is an entry). A lender
/// without either gets no feed, and its page links none.
pub fn has_changes(content: &Content, lender: &Lender) -> bool {
    !lender.history.is_empty() || content.guides_of(&lender.slug).next().is_some()
}

/// Publishes `feed.xml` for the site and for each lender with changes, in
/// both scripts, into the renderer's sink: reused when the sink knows its
/// fingerprint, else rendered (across cores: 4,000 feeds at 10,000 guides)
/// and handed over in order. Returns the paths published.
pub fn render_all(content: &Content, r: &Renderer, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let lenders = content.lenders.iter().filter(|l| has_changes(content, l));
    let lenders: Vec<Option<&Lender>> = std::iter::once(None).chain(lenders.map(Some)).collect();
    let feeds: Vec<(Script, Option<&Lender>)> = Script::ALL
        .into_iter()
        .flat_map(|script| lenders.iter().map(move |&lender| (script, lender)))
        .collect();
    let all_inputs = r.plan.all_lender_inputs(content);
    let rendered: Vec<_> = feeds
        .par_iter()
        .map(|&(script, lender)| {
            let base = format!("{}{}", r.base_url, script.prefix());
            let inputs = match lender {
                Some(l) => r.plan.lender_inputs(l),
                None => all_inputs,
            };
            let mut view = inputs.is_none().then(|| feed(content, lender, &base));
            let path = match lender {
                Some(l) => format!("{}lenders/{}/feed.xml", script.prefix(), l.slug),
                None => format!("{}feed.xml", script.prefix()),
            };
            // What the feed is made from besides `base`: its script and
            // entries (or what they are made from).
            let fingerprint = r.base.and_then(|base| {
                let mut h = Hasher::new();
                h.bytes(&base).bytes(b"feed").bytes(script.key().as_bytes());
                match (inputs, &view) {
                    (Some(inputs), _) => h.bytes(b"inputs").bytes(&inputs.to_le_bytes()),
                    (None, Some(view)) => h.json(view)?,
                    (None, None) => return None,
                };
                Some(h.finish())
            });
            if fingerprint.is_some_and(|f| r.sink.reuse(&path, f).is_some()) {
                return (path, None, fingerprint);
            }
            let view = view.get_or_insert_with(|| feed(content, lender, &base));
            let mut ctx = Context::new();
            ctx.insert("site", r.site);
            ctx.insert("nav", &serde_json::json!({ "lang": script.lang() }));
            ctx.insert("feed", view);
            let xml = r.tera.render("feed.xml", &ctx);
            let xml = xml.map(|xml| r.converter.finish(&xml, script));
            (path, Some(xml), fingerprint)
        })
        .collect();
    let mut published = Vec::with_capacity(rendered.len());
    for (path, xml, fingerprint) in rendered {
        match xml {
            None => published.push(path),
            Some(Ok(xml)) => {
                let record = fingerprint.map(|fingerprint| PageRecord {
                    fingerprint,
                    facts: Facts::default(),
                });
                r.sink.put(&path, xml.into_bytes(), record);
                published.push(path);
            }
            Some(Err(e)) => diags.push(template_error("feed.xml", &e)),
        }
    }
    published
}

#[derive(Serialize)]
pub struct FeedView {
    pub title: String,
    pub id: String,
    pub self_url: String,
    pub site_url: String,
    pub updated: String,
    pub entries: Vec<EntryView>,
}

#[derive(Serialize)]
pub struct EntryView {
    pub title: String,
    pub id: String,
    pub url: String,
    pub updated: String,
    pub summary: String,
    #[serde(skip)]
    date: Date,
}

/// Entries for `lender` only, or for the whole site when `None`.
pub fn feed(content: &Content, lender: Option<&Lender>, base: &str) -> FeedView {
    let mut entries = Vec::new();
    let lenders = match lender {
        Some(l) => std::slice::from_ref(l),
        None => &content.lenders[..],
    };
    for l in lenders {
        for c in &l.history {
            let label = l
                .policies
                .iter()
                .find(|p| p.id == c.policy)
                .map_or(c.policy.as_str(), |p| p.label.as_str());
            let change = match &c.old {
                Some(old) => format!("{old} → {}", c.new),
                None => c.new.clone(),
            };
            entries.push(EntryView {
                title: format!("{}：{label}变更", l.name),
                id: format!(
                    "{base}{}#{}",
                    Route::lender(&l.slug).pretty(),
                    anchors::change(c.date, &c.policy)
                ),
                url: format!(
                    "{base}{}#{}",
                    Route::lender(&l.slug).pretty(),
                    anchors::HISTORY
                ),
                updated: atom_date(c.date),
                summary: format!(
                    "{label}：{change}{}（来源：{}）",
                    c.note
                        .as_ref()
                        .map(|n| format!("。{n}"))
                        .unwrap_or_default(),
                    c.source.title
                ),
                date: c.date,
            });
        }
        for g in content.guides_of(&l.slug) {
            entries.push(EntryView {
                title: format!("指南更新：{}", g.title),
                id: format!(
                    "{base}{}#{}",
                    Route::guide(&g.lender, &g.slug).pretty(),
                    anchors::updated(g.updated)
                ),
                url: format!("{base}{}", Route::guide(&g.lender, &g.slug).pretty()),
                updated: atom_date(g.updated),
                summary: g.summary.clone(),
                date: g.updated,
            });
        }
    }
    entries.sort_by(|a, b| b.date.cmp(&a.date).then(a.id.cmp(&b.id)));
    if lender.is_none() {
        entries.truncate(SITE_FEED_ENTRIES);
    }
    let updated = entries
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".into(), |e| e.updated.clone());
    let (title, path) = match lender {
        Some(l) => (
            format!("{}：政策变更与指南更新 · {}", l.name, content.site.title),
            Route::lender(&l.slug).pretty().to_string(),
        ),
        None => (
            format!("政策变更与指南更新 · {}", content.site.title),
            String::new(),
        ),
    };
    FeedView {
        title,
        id: format!("{base}{path}feed.xml"),
        self_url: format!("{base}{path}feed.xml"),
        site_url: format!("{base}{path}"),
        updated,
        entries,
    }
}

fn atom_date(d: Date) -> String {
    format!("{d}T00:00:00Z")
}
