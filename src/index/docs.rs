//! What the index reads of each page: the typed model, cut into sections
//! (the page top, each heading, each step, the checklist, the sources) and
//! blocks of text in three fields (title, headings, body), in Simplified.
//!
//! It reads the model, never rendered HTML, so template chrome (the header,
//! the disclaimer repeated on every page) is not indexed. The URLs and
//! anchors here must match what `render` publishes; `tests/it/search.rs` checks
//! every one of them against the built pages.

use crate::plan::{Plan, Route, ShortcodeValue, anchors};
use pinyin::ToPinyin;
use rayon::prelude::*;
use serde::Serialize;

use super::tokens::is_han;
use super::{Republished, Target};
use crate::markdown::Markdown;
use crate::model::{Citation, Content, Guide, Lender, Source, Topic};
use crate::shortcode;
use crate::sink::Fingerprint;

/// Which part of a page a block is; ranks title above headings above body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Title,
    Heading,
    Body,
}

/// One searchable page.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Relative to the script root: `lenders/weilidai/waiver/index.html`.
    pub url: String,
    pub title: String,
    /// The lender's name, empty for topics.
    pub lender: String,
    /// What kind of page: a guide's kind label, 贷款机构 or 通用知识.
    pub kind: String,
    /// Section 0 is the top of the page (no anchor).
    pub sections: Vec<Section>,
    pub blocks: Vec<Block>,
    /// Pinyin spellings (full and initials) that also find this page.
    pub pinyin: Vec<String>,
    /// What the page is made from, when the plan knows it (a guide's
    /// inputs): its search files are then fingerprinted by it.
    pub inputs: Option<Fingerprint>,
    /// How much of the page's files the previous build published again,
    /// when [`docs`] already asked; `None`: not asked yet.
    pub republished: Option<Republished>,
}

impl Doc {
    /// Only the page's names: both its files were published again, and its
    /// text is built only if the postings must be built cold ([`fill`]).
    pub fn is_stub(&self) -> bool {
        self.republished == Some(Republished::Both) && self.blocks.is_empty()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub anchor: String,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub field: Field,
    pub section: usize,
    pub text: String,
}

struct DocBuilder {
    doc: Doc,
}

impl DocBuilder {
    fn new(url: String, title: &str, lender: &str, kind: &str) -> Self {
        let mut b = Self {
            doc: Doc {
                url,
                title: title.to_string(),
                lender: lender.to_string(),
                kind: kind.to_string(),
                sections: vec![Section {
                    anchor: String::new(),
                    title: title.to_string(),
                }],
                blocks: Vec::new(),
                pinyin: Vec::new(),
                inputs: None,
                republished: None,
            },
        };
        b.block(Field::Title, title);
        b
    }

    fn section(&mut self, anchor: &str, title: &str) -> &mut Self {
        self.doc.sections.push(Section {
            anchor: anchor.to_string(),
            title: title.to_string(),
        });
        self
    }

    fn block(&mut self, field: Field, text: &str) -> &mut Self {
        let text = text.trim();
        if !text.is_empty() {
            self.doc.blocks.push(Block {
                field,
                section: self.doc.sections.len() - 1,
                text: text.to_string(),
            });
        }
        self
    }

    /// Prose: text before the first heading stays in the current section;
    /// each heading opens a section named by its anchor.
    fn markdown(&mut self, md: &Markdown, figures: &dyn Fn(usize) -> String) -> &mut Self {
        // Computed figures stand in the prose as placeholders until render
        // fills them; the index fills them the same way, as plain text.
        let text = shortcode::fill(&md.text, figures);
        let mut rest = text.as_str();
        for h in &md.headings {
            // Heading text appears verbatim, in order, in the visible text.
            match rest.find(h.text.as_str()) {
                Some(i) if !h.text.is_empty() => {
                    self.block(Field::Body, &rest[..i]);
                    rest = &rest[i + h.text.len()..];
                }
                _ => {}
            }
            self.section(&h.id, &h.text).block(Field::Heading, &h.text);
        }
        self.block(Field::Body, rest)
    }

    fn sources(&mut self, sources: &[Citation]) -> &mut Self {
        if sources.is_empty() {
            return self;
        }
        self.section("sources", "来源");
        for c in sources {
            self.block(Field::Body, &source_text(&c.source));
            if let Some(note) = &c.note {
                self.block(Field::Body, note);
            }
        }
        self
    }

    fn pinyin(&mut self, text: &str, initials: bool) -> &mut Self {
        self.doc.pinyin.extend(pinyin_spellings(text, initials));
        self
    }

    fn finish(mut self) -> Doc {
        self.doc.pinyin.sort();
        self.doc.pinyin.dedup();
        self.doc
    }
}

fn source_text(s: &Source) -> String {
    let mut t = s.title.clone();
    for extra in [&s.article, &s.publisher].into_iter().flatten() {
        t.push(' ');
        t.push_str(extra);
    }
    t
}

/// Every page the search covers, in a fixed order: lenders, guides, topics.
///
/// With a `target` that holds the previous build, a guide whose inputs are
/// known is first offered to it: when both its files are published again
/// from there, its doc is a stub ([`Doc::is_stub`]) and its text is not
/// built.
pub fn docs(content: &Content, plan: &Plan, target: Option<&Target>) -> Vec<Doc> {
    let mut out: Vec<Doc> = content
        .lenders
        .par_iter()
        .map(|l| lender_doc(content, l))
        .collect();
    let first = out.len();
    out.par_extend(content.guides.par_iter().enumerate().map(|(i, g)| {
        let inputs = plan.guide_inputs(g);
        let republished = target
            .zip(inputs)
            .map(|(target, inputs)| target.republish(first + i, inputs));
        let mut doc = match republished {
            Some(Republished::Both) => stub(content, g),
            _ => guide_doc(content, plan, g),
        };
        doc.inputs = inputs;
        doc.republished = republished;
        doc
    }));
    out.par_extend(content.topics.par_iter().map(topic_doc));
    out
}

/// Builds the text of every stub among `docs` (made by [`docs`] from the
/// same content and plan), for a build of the postings from scratch.
pub fn fill(content: &Content, plan: &Plan, docs: &mut [Doc]) {
    let first = content.lenders.len();
    docs.par_iter_mut().enumerate().for_each(|(id, doc)| {
        let guide = id.checked_sub(first).and_then(|i| content.guides.get(i));
        if let (true, Some(g)) = (doc.is_stub(), guide) {
            let mut full = guide_doc(content, plan, g);
            full.inputs = doc.inputs;
            full.republished = doc.republished;
            *doc = full;
        }
    });
}

/// A guide's doc with its names only, for [`docs`].
fn stub(content: &Content, g: &Guide) -> Doc {
    let mut doc = guide_builder(content, g).0.doc;
    doc.blocks.clear();
    doc
}

/// A guide's doc begun: its URL, title, lender's name and kind; and the
/// lender's name.
fn guide_builder<'a>(content: &'a Content, g: &Guide) -> (DocBuilder, &'a str) {
    let lender = content.lender(&g.lender).map_or("", |l| l.name.as_str());
    let url = Route::guide(&g.lender, &g.slug).file();
    (
        DocBuilder::new(url, &g.title, lender, g.kind.label()),
        lender,
    )
}

fn lender_doc(content: &Content, l: &Lender) -> Doc {
    let mut b = DocBuilder::new(Route::lender(&l.slug).file(), &l.name, &l.name, "贷款机构");
    b.block(Field::Body, &l.operator)
        .block(Field::Body, &l.summary);
    b.pinyin(&l.name, true);
    let guides: Vec<&Guide> = content.guides_of(&l.slug).collect();
    if !guides.is_empty() {
        b.section(anchors::GUIDES, "协商指南");
        for g in guides {
            b.block(Field::Body, &g.title)
                .block(Field::Body, &g.summary);
        }
    }
    if !l.channels.is_empty() {
        b.section(anchors::CHANNELS, "官方联系渠道");
        for c in &l.channels {
            // What the page shows: an unverified number is not printed.
            let mut line = crate::model::displayed(&c.value, c.confidence, &l.name).line(&c.label);
            if let Some(note) = &c.note {
                line.push_str(&format!("（{note}）"));
            }
            b.block(Field::Body, &line)
                .block(Field::Body, &source_text(&c.source));
        }
    }
    for p in &l.policies {
        b.section(&anchors::policy(&p.id), &p.label)
            .block(Field::Heading, &p.label)
            .block(Field::Body, &p.value);
        if let Some(note) = &p.note {
            b.block(Field::Body, note);
        }
        b.block(Field::Body, &source_text(&p.source));
    }
    if !l.history.is_empty() {
        b.section(anchors::HISTORY, "变更记录");
        for h in &l.history {
            let label = l
                .policies
                .iter()
                .find(|p| p.id == h.policy)
                .map_or(h.policy.as_str(), |p| p.label.as_str());
            let mut line = format!("{label}：");
            if let Some(old) = &h.old {
                line.push_str(&format!("{old} → "));
            }
            line.push_str(&h.new);
            if let Some(note) = &h.note {
                line.push_str(&format!("。{note}"));
            }
            b.block(Field::Body, &line)
                .block(Field::Body, &source_text(&h.source));
        }
    }
    b.finish()
}

fn guide_doc(content: &Content, plan: &Plan, g: &Guide) -> Doc {
    // A figure reads as the page shows it (`916.80元`); a whole example
    // as its title.
    let planned = plan.guide(g);
    let figures = |n: usize| -> String {
        match planned.shortcode(n) {
            ShortcodeValue::Figure(value) => value.text.clone(),
            ShortcodeValue::Example { title, .. } => format!("\n{title}\n"),
            ShortcodeValue::Nothing => String::new(),
        }
    };
    let (mut b, lender) = guide_builder(content, g);
    b.block(Field::Heading, lender)
        .block(Field::Heading, g.kind.label())
        .block(Field::Body, &g.summary)
        .pinyin(&g.title, false)
        .pinyin(lender, true)
        .markdown(&g.body, &figures);
    for s in &g.steps {
        b.section(&s.id, &s.title)
            .block(Field::Heading, &s.title)
            .markdown(&s.body, &figures)
            .block(Field::Body, &s.materials.join("、"));
    }
    if !g.materials.is_empty() {
        b.section("materials", "材料清单");
        for m in &g.materials {
            b.block(Field::Body, m);
        }
    }
    b.sources(&g.sources);
    b.finish()
}

fn topic_doc(t: &Topic) -> Doc {
    let mut b = DocBuilder::new(Route::topic(&t.slug).file(), &t.title, "", "通用知识");
    b.block(Field::Body, &t.summary)
        .pinyin(&t.title, false)
        .markdown(&t.body, &|_| String::new());
    b.sources(&t.sources);
    b.finish()
}

/// Pinyin of every run of 2–4 Han characters in `text` (`weilidai`,
/// `xieshang`); with `initials`, of every run of two or more, and their
/// initials too (`wld`). Names are short, titles are not: titles get only
/// the short runs a reader might type.
pub fn pinyin_spellings(text: &str, initials: bool) -> Vec<String> {
    let mut out = Vec::new();
    for run in text.split(|c: char| !is_han(c)) {
        let syllables: Vec<Option<&str>> = run.to_pinyin().map(|p| p.map(|p| p.plain())).collect();
        let n = syllables.len();
        for start in 0..n {
            let max = if initials { n } else { (start + 4).min(n) };
            for end in (start + 2)..=max {
                let Some(parts) = syllables[start..end]
                    .iter()
                    .copied()
                    .collect::<Option<Vec<_>>>()
                else {
                    continue;
                };
                out.push(parts.concat());
                if initials {
                    out.push(parts.iter().filter_map(|p| p.get(..1)).collect());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lender_names_spell_in_pinyin() {
        let p = pinyin_spellings("微粒贷", true);
        assert!(p.contains(&"weilidai".to_string()), "{p:?}");
        assert!(p.contains(&"wld".to_string()), "{p:?}");
        let t = pinyin_spellings("如何协商分期还款", false);
        assert!(t.contains(&"xieshang".to_string()), "{t:?}");
        assert!(t.contains(&"fenqi".to_string()), "{t:?}");
        assert!(!t.iter().any(|s| s.len() <= 3), "{t:?}");
    }
}
