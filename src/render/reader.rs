//! The reader-first parts of a negotiation guide, as views: the act-now
//! card (official channels, the sentence to say first), the letter to
//! copy, what to do if the lender refuses with the complaint routes that
//! fit its licence, and the guide's schema.org HowTo data.
//!
//! The rules live here, once: how much of a channel to show for its
//! confidence (a number nobody confirmed is never printed as fact), and
//! which complaint routes a reader sees (the lender's own channels first,
//! then every route that serves its licence, in site.yaml's order).

use serde::Serialize;

use super::views::{SourceView, source};
use crate::memo::Memo;
use crate::model::{
    Channel, ComplaintRoute, Confidence, Content, Displayed, Guide, Lender, Source, displayed,
};
use crate::utf8::Text;

#[derive(Serialize)]
pub struct ActNowView {
    pub say_first: String,
    pub channels: Vec<ChannelShown>,
    pub steps: usize,
}

/// A channel or complaint route as a reader in trouble should read it.
#[derive(Serialize)]
pub struct ChannelShown {
    pub label: String,
    /// The number or path, when it may be shown.
    pub value: Option<String>,
    /// What to do instead of trusting the value blindly.
    pub caution: Option<String>,
    pub note: Option<String>,
    pub source: SourceView,
    pub confidence: &'static str,
    pub confidence_label: &'static str,
}

#[derive(Serialize)]
pub struct LetterView {
    pub title: String,
    pub body: String,
}

#[derive(Serialize)]
pub struct RefusedView {
    /// What to try next, as safe inline HTML.
    pub advice_html: Vec<Text>,
    pub lender_name: String,
    pub lender_of_record: String,
    pub licence_label: &'static str,
    /// How sure we are of the licence, when not confirmed.
    pub licence_caution: Option<&'static str>,
    pub routes: Vec<ChannelShown>,
    /// The complaints topic, when the site has one.
    pub topic_href: Option<String>,
}

/// The act-now card and refusal routes of a negotiation guide.
pub struct ReaderParts {
    pub act_now: ActNowView,
    pub if_refused: RefusedView,
}

pub fn parts(content: &Content, g: &Guide) -> Option<ReaderParts> {
    if !g.kind.is_negotiation() {
        return None;
    }
    let lender = content.lender(&g.lender)?;
    let say_first = g.say_first.clone()?;
    Some(ReaderParts {
        act_now: ActNowView {
            say_first,
            channels: lender.channels.iter().map(|c| channel(c, lender)).collect(),
            steps: g.steps.len(),
        },
        if_refused: refused(content, lender),
    })
}

/// The letter of the guide's kind (any kind site.yaml has one for), with
/// the lender filled in where the letter says 【贷款机构名称】.
pub fn letter(content: &Content, g: &Guide) -> Option<LetterView> {
    let lender = content.lender(&g.lender)?;
    let l = content.site.letters.iter().find(|l| l.kind == g.kind)?;
    let addressee = format!("{}（{}）", lender.lender_of_record.name, lender.name);
    Some(LetterView {
        title: l.title.clone(),
        body: l.body.replace("【贷款机构名称】", &addressee),
    })
}

fn refused(content: &Content, lender: &Lender) -> RefusedView {
    let licence = lender.licence.value;
    let own = lender.complaint.iter().map(|c| channel(c, lender));
    let regulators = content
        .site
        .complaint_routes
        .iter()
        .filter(|r| r.serves(licence))
        .map(|r| route(r, lender));
    RefusedView {
        advice_html: content
            .site
            .if_refused
            .iter()
            .map(|m| m.html.clone())
            .collect(),
        lender_name: lender.name.clone(),
        lender_of_record: lender.lender_of_record.name.clone(),
        licence_label: licence.label(),
        licence_caution: match lender.licence.confidence {
            Confidence::Confirmed => None,
            Confidence::Reported => Some("据报道，以合同为准"),
            Confidence::Unverified => Some("未经核实，以合同为准"),
        },
        routes: own.chain(regulators).collect(),
        topic_href: content
            .topics
            .iter()
            .find(|t| t.slug == "complaints")
            .map(|t| crate::plan::Route::topic(&t.slug).file()),
    }
}

/// A lender's channel as every page shows it (guide, lender, compare).
pub fn channel(c: &Channel, lender: &Lender) -> ChannelShown {
    shown(
        &c.label,
        &c.value,
        c.note.as_deref(),
        &c.source,
        c.confidence,
        &lender.name,
    )
}

fn route(r: &ComplaintRoute, lender: &Lender) -> ChannelShown {
    shown(
        &r.label,
        &r.value,
        r.note.as_deref(),
        &r.source,
        r.confidence,
        &lender.name,
    )
}

/// A contact as the page shows it, by the one rule in `model::displayed`.
fn shown(
    label: &str,
    value: &str,
    note: Option<&str>,
    src: &Source,
    confidence: Confidence,
    lender_name: &str,
) -> ChannelShown {
    let Displayed { value, caution } = displayed(value, confidence, lender_name);
    ChannelShown {
        label: label.to_string(),
        value,
        caution,
        note: note.map(str::to_string),
        source: source(src),
        confidence: confidence.key(),
        confidence_label: confidence.label(),
    }
}

/// The schema.org HowTo of a guide, less its `url` (the template adds the
/// canonical URL of the page in each script): one step per `.step`, each
/// pointing at its anchor. Safe inside `<script>`: `<`, `>` and `&` are
/// written as JSON escapes.
/// [`howto_json`], remembered in `memo` when given (`serve`) by the texts
/// it is made of.
pub fn howto_json_remembered(g: &Guide, memo: Option<&Memo>) -> String {
    let Some(memo) = memo else {
        return howto_json(g);
    };
    let mut inputs: Vec<&[u8]> = vec![g.title.as_bytes(), g.summary.as_bytes()];
    for s in &g.steps {
        inputs.extend([s.id.as_bytes(), s.title.as_bytes(), s.body.text.as_bytes()]);
    }
    let Ok(json) = memo.value(&inputs, || Ok::<_, std::convert::Infallible>(howto_json(g)));
    json
}

pub fn howto_json(g: &Guide) -> String {
    let steps: Vec<serde_json::Value> = g
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            serde_json::json!({
                "@type": "HowToStep",
                "position": i + 1,
                "name": s.title,
                "text": s.body.text.trim(),
                "url": format!("#{}", s.id),
            })
        })
        .collect();
    let body = serde_json::json!({
        "name": g.title,
        "description": g.summary,
        "step": steps,
    });
    let text = serde_json::to_string(&body).unwrap_or_else(|_| "{}".into());
    // The object's members without its braces, so the template can put
    // `@context`, `@type` and `url` first.
    let inner = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or_default();
    inner
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Confidence, Source};

    fn src() -> Source {
        Source {
            title: "t".into(),
            url: None,
            article: None,
            publisher: None,
            date: None,
        }
    }

    #[test]
    fn numbers_are_shown_only_as_sure_as_their_source() {
        let shown_as = |c| shown("热线", "95384", None, &src(), c, "示例贷");
        let confirmed = shown_as(Confidence::Confirmed);
        assert_eq!(confirmed.value.as_deref(), Some("95384"));
        assert!(confirmed.caution.is_none());
        let reported = shown_as(Confidence::Reported);
        assert_eq!(reported.value.as_deref(), Some("95384"));
        assert!(reported.caution.unwrap().contains("在App里核对"));
        let unverified = shown_as(Confidence::Unverified);
        assert_eq!(
            unverified.value, None,
            "an unverified number is never printed"
        );
        assert!(unverified.caution.unwrap().contains("示例贷"));
    }
}
