//! View models: plain serialisable shapes built for the templates, so
//! templates never see domain types and the model can change without
//! breaking a theme. Links are relative to the script root (`/` or
//! `/zh-Hant/`); templates prefix them with `nav.root`.

use serde::Serialize;

use crate::memo::Memo;
use crate::plan::{Route, anchors};

use super::reader::{self, ActNowView, ChannelShown, LetterView, RefusedView};

use crate::model::{Citation, Content, Guide, Lender, PolicyChange, PolicyValue, Source, Topic};
use crate::utf8::Text;

#[derive(Serialize)]
pub struct SiteView {
    pub title: String,
    pub tagline: String,
    pub disclaimer: String,
}

#[derive(Serialize)]
pub struct SourceView {
    pub title: String,
    pub url: Option<String>,
    pub article: Option<String>,
    pub publisher: Option<String>,
    /// The source's own date, in Chinese.
    pub date: Option<String>,
    pub date_iso: Option<String>,
}

#[derive(Serialize)]
pub struct PolicyView {
    pub id: String,
    /// The row's id, from the plan.
    pub anchor: String,
    pub label: String,
    pub value: String,
    pub note: Option<String>,
    pub source: SourceView,
    pub as_of: String,
    pub as_of_iso: String,
    pub confidence: &'static str,
    pub confidence_label: &'static str,
}

#[derive(Serialize)]
pub struct ChangeView {
    /// The entry's id, from the plan (the feeds link to it).
    pub anchor: String,
    pub date: String,
    pub date_iso: String,
    pub policy: String,
    pub policy_label: String,
    pub old: Option<String>,
    pub new: String,
    pub note: Option<String>,
    pub source: SourceView,
}

#[derive(Serialize)]
pub struct CitationView {
    pub source: SourceView,
    pub confidence: &'static str,
    pub confidence_label: &'static str,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct GuideLink {
    pub title: String,
    pub summary: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub lender_name: String,
    pub href: String,
}

#[derive(Serialize)]
pub struct LenderLink {
    pub name: String,
    pub operator: String,
    pub summary: String,
    pub href: String,
    pub guides: Vec<GuideLink>,
}

#[derive(Serialize)]
pub struct TopicLink {
    pub title: String,
    pub summary: String,
    pub href: String,
}

/// The ids of a lender page's sections, from the plan.
#[derive(Serialize)]
pub struct LenderAnchors {
    pub guides: &'static str,
    pub channels: &'static str,
    pub policies: &'static str,
    pub history: &'static str,
}

#[derive(Serialize)]
pub struct LenderView {
    pub anchors: LenderAnchors,
    pub slug: String,
    pub name: String,
    pub operator: String,
    pub summary: String,
    pub lender_of_record: RecordView,
    pub channels: Vec<ChannelShown>,
    pub policies: Vec<PolicyView>,
    pub history: Vec<ChangeView>,
    pub guides: Vec<GuideLink>,
    /// Whether the lender has a feed (`feed::has_changes`).
    pub has_feed: bool,
}

/// Who lends and under which licence, with the sources of both.
#[derive(Serialize)]
pub struct RecordView {
    pub name: String,
    pub partners: Vec<String>,
    pub guarantor: Option<String>,
    pub note: Option<String>,
    pub source: SourceView,
    pub confidence: &'static str,
    pub confidence_label: &'static str,
    pub licence_label: &'static str,
    pub licence_note: Option<String>,
    pub licence_source: SourceView,
    pub licence_confidence: &'static str,
    pub licence_confidence_label: &'static str,
}

#[derive(Serialize)]
pub struct StepView {
    pub id: String,
    pub number: usize,
    pub title: String,
    pub body_html: Text,
    pub materials: Vec<String>,
    pub script: Option<String>,
    pub keep: Option<String>,
}

#[derive(Serialize)]
pub struct GuideView {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub lender_name: String,
    pub lender_href: String,
    pub updated: String,
    pub updated_iso: String,
    pub steps: Vec<StepView>,
    pub materials: Vec<String>,
    pub sources: Vec<CitationView>,
    pub body_html: Text,
    /// Worked examples the prose does not place itself, rendered.
    pub examples_html: Vec<String>,
    pub related_topics: Vec<TopicLink>,
    /// Negotiation guides: the card on the first screen, the letter and
    /// the refusal routes (see `reader`).
    pub act_now: Option<ActNowView>,
    pub letter: Option<LetterView>,
    pub if_refused: Option<RefusedView>,
    /// schema.org HowTo members, JSON, safe inside `<script>`.
    pub howto_json: String,
}

#[derive(Serialize)]
pub struct TopicView {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub updated: String,
    pub updated_iso: String,
    pub lenders: Vec<LenderLink>,
    pub sources: Vec<CitationView>,
    pub body_html: Text,
}

pub fn site(content: &Content) -> SiteView {
    SiteView {
        title: content.site.title.clone(),
        tagline: content.site.tagline.clone(),
        disclaimer: content.site.disclaimer.clone(),
    }
}

pub fn source(s: &Source) -> SourceView {
    SourceView {
        title: s.title.clone(),
        url: s.url.clone(),
        article: s.article.clone(),
        publisher: s.publisher.clone(),
        date: s.date.map(|d| d.chinese()),
        date_iso: s.date.map(|d| d.to_string()),
    }
}

pub fn policy(p: &PolicyValue) -> PolicyView {
    PolicyView {
        anchor: anchors::policy(&p.id),
        id: p.id.clone(),
        label: p.label.clone(),
        value: p.value.clone(),
        note: p.note.clone(),
        source: source(&p.source),
        as_of: p.as_of.chinese(),
        as_of_iso: p.as_of.to_string(),
        confidence: p.confidence.key(),
        confidence_label: p.confidence.label(),
    }
}

fn change(c: &PolicyChange, lender: &Lender) -> ChangeView {
    let label = lender
        .policies
        .iter()
        .find(|p| p.id == c.policy)
        .map_or_else(|| c.policy.clone(), |p| p.label.clone());
    ChangeView {
        anchor: anchors::change(c.date, &c.policy),
        date: c.date.chinese(),
        date_iso: c.date.to_string(),
        policy: c.policy.clone(),
        policy_label: label,
        old: c.old.clone(),
        new: c.new.clone(),
        note: c.note.clone(),
        source: source(&c.source),
    }
}

fn citation(c: &Citation) -> CitationView {
    CitationView {
        source: source(&c.source),
        confidence: c.confidence.key(),
        confidence_label: c.confidence.label(),
        note: c.note.clone(),
    }
}

pub fn guide_link(content: &Content, g: &Guide) -> GuideLink {
    GuideLink {
        title: g.title.clone(),
        summary: g.summary.clone(),
        kind: g.kind.key(),
        kind_label: g.kind.label(),
        lender_name: content
            .lender(&g.lender)
            .map_or_else(String::new, |l| l.name.clone()),
        href: Route::guide(&g.lender, &g.slug).file(),
    }
}

pub fn lender_link(content: &Content, l: &Lender) -> LenderLink {
    LenderLink {
        name: l.name.clone(),
        operator: l.operator.clone(),
        summary: l.summary.clone(),
        href: Route::lender(&l.slug).file(),
        guides: content
            .guides_of(&l.slug)
            .map(|g| guide_link(content, g))
            .collect(),
    }
}

pub fn topic_link(t: &Topic) -> TopicLink {
    TopicLink {
        title: t.title.clone(),
        summary: t.summary.clone(),
        href: Route::topic(&t.slug).file(),
    }
}

pub fn lender(content: &Content, l: &Lender) -> LenderView {
    LenderView {
        anchors: LenderAnchors {
            guides: anchors::GUIDES,
            channels: anchors::CHANNELS,
            policies: anchors::POLICIES,
            history: anchors::HISTORY,
        },
        slug: l.slug.clone(),
        name: l.name.clone(),
        operator: l.operator.clone(),
        summary: l.summary.clone(),
        lender_of_record: RecordView {
            name: l.lender_of_record.name.clone(),
            partners: l.lender_of_record.partners.clone(),
            guarantor: l.lender_of_record.guarantor.clone(),
            note: l.lender_of_record.note.clone(),
            source: source(&l.lender_of_record.source),
            confidence: l.lender_of_record.confidence.key(),
            confidence_label: l.lender_of_record.confidence.label(),
            licence_label: l.licence.value.label(),
            licence_note: l.licence.note.clone(),
            licence_source: source(&l.licence.source),
            licence_confidence: l.licence.confidence.key(),
            licence_confidence_label: l.licence.confidence.label(),
        },
        channels: l.channels.iter().map(|c| reader::channel(c, l)).collect(),
        policies: l.policies.iter().map(policy).collect(),
        history: l.history.iter().map(|c| change(c, l)).collect(),
        guides: content
            .guides_of(&l.slug)
            .map(|g| guide_link(content, g))
            .collect(),
        has_feed: super::feed::has_changes(content, l),
    }
}

pub fn guide(content: &Content, g: &Guide, memo: Option<&Memo>) -> GuideView {
    let parts = reader::parts(content, g);
    let (act_now, if_refused) = match parts {
        Some(p) => (Some(p.act_now), Some(p.if_refused)),
        None => (None, None),
    };
    GuideView {
        act_now,
        letter: reader::letter(content, g),
        if_refused,
        howto_json: reader::howto_json_remembered(g, memo),
        slug: g.slug.clone(),
        title: g.title.clone(),
        summary: g.summary.clone(),
        kind: g.kind.key(),
        kind_label: g.kind.label(),
        lender_name: content
            .lender(&g.lender)
            .map_or_else(String::new, |l| l.name.clone()),
        lender_href: Route::lender(&g.lender).file(),
        updated: g.updated.chinese(),
        updated_iso: g.updated.to_string(),
        steps: g
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepView {
                id: s.id.clone(),
                number: i + 1,
                title: s.title.clone(),
                body_html: s.body.html.clone(),
                materials: s.materials.clone(),
                script: s.script.clone(),
                keep: s.keep.clone(),
            })
            .collect(),
        materials: g.materials.clone(),
        sources: g.sources.iter().map(citation).collect(),
        body_html: g.body.html.clone(),
        examples_html: Vec::new(),
        related_topics: content
            .topics
            .iter()
            .filter(|t| t.lenders.contains(&g.lender))
            .map(topic_link)
            .collect(),
    }
}

pub fn topic(content: &Content, t: &Topic) -> TopicView {
    TopicView {
        slug: t.slug.clone(),
        title: t.title.clone(),
        summary: t.summary.clone(),
        updated: t.updated.chinese(),
        updated_iso: t.updated.to_string(),
        lenders: t
            .lenders
            .iter()
            .filter_map(|s| content.lender(s))
            .map(|l| lender_link(content, l))
            .collect(),
        sources: t.sources.iter().map(citation).collect(),
        body_html: t.body.html.clone(),
    }
}
