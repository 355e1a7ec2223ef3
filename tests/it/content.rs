//! The bundled guides, read as a reader in trouble would: what they offer
//! must fit the reader's situation, and every step says what to keep. These
//! check the words in `content/`, through the same `check` the CLI runs, so a
//! content edit that breaks a promise of issue 9 fails here, not in review.

use std::sync::OnceLock;

use lendguide::engine::NegotiationOption;
use lendguide::model::{Content, ExampleInput, Guide};

use crate::common::root;

fn content() -> &'static Content {
    static CONTENT: OnceLock<Content> = OnceLock::new();
    CONTENT.get_or_init(|| {
        let (checked, report) = lendguide::check(&root().join("content")).expect("check");
        checked
            .unwrap_or_else(|| panic!("bundled content has errors: {:?}", report.diagnostics))
            .0
    })
}

fn negotiation_guides() -> impl Iterator<Item = &'static Guide> {
    content().guides.iter().filter(|g| g.kind.is_negotiation())
}

fn name(g: &Guide) -> String {
    format!("{}/{}", g.lender, g.slug)
}

/// Every link a guide writes, in its body and its steps.
fn links(g: &Guide) -> Vec<&str> {
    g.body
        .links
        .iter()
        .chain(g.steps.iter().flat_map(|s| s.body.links.iter()))
        .map(|l| l.href.as_str())
        .collect()
}

/// A negotiation example starts from an overdue situation, and 展期 is asked
/// before the due date (民法典 第六百七十八条), so offering it there misleads.
#[test]
fn no_example_offers_an_extension_to_someone_already_overdue() {
    for g in &content().guides {
        for ex in &g.examples {
            if let ExampleInput::Negotiation { options, .. } = &ex.input {
                for o in options {
                    assert!(
                        !matches!(o.option, NegotiationOption::Extension { .. }),
                        "{} example `{}` offers 展期 ({}) to an overdue reader",
                        name(g),
                        ex.id,
                        o.label
                    );
                }
            }
        }
    }
}

/// Staying overdue can look cheaper than 分期 in money; the reader must see
/// what it costs besides: the credit record, collection, a lawsuit.
#[test]
fn staying_overdue_names_what_it_costs_beyond_money() {
    let mut seen = 0;
    for g in &content().guides {
        for ex in &g.examples {
            let ExampleInput::Negotiation { options, .. } = &ex.input else {
                continue;
            };
            for o in options {
                if !matches!(o.option, NegotiationOption::StayOverdue { .. }) {
                    continue;
                }
                seen += 1;
                let words = format!("{} {}", o.label, ex.note.as_deref().unwrap_or(""));
                for cost in ["征信", "催收", "起诉"] {
                    assert!(
                        words.contains(cost),
                        "{} example `{}`: the stay-overdue option and the note never mention {cost}",
                        name(g),
                        ex.id
                    );
                }
            }
        }
    }
    assert!(seen > 0, "no stay-overdue option was found to check");
}

#[test]
fn every_step_says_what_to_keep_and_every_negotiation_guide_has_scripts() {
    for g in &content().guides {
        for s in &g.steps {
            assert!(
                s.keep.as_deref().is_some_and(|k| !k.trim().is_empty()),
                "{} step `{}` does not say what to keep",
                name(g),
                s.id
            );
        }
    }
    for g in negotiation_guides() {
        let scripts = g.steps.iter().filter(|s| s.script.is_some()).count();
        assert!(
            scripts >= 2,
            "{} has {scripts} phone scripts; every step that talks to the lender needs one",
            name(g)
        );
    }
}

/// A guide with no worked example gives a scared reader no sense of scale.
#[test]
fn every_negotiation_guide_cites_computed_figures_in_its_prose() {
    for g in negotiation_guides() {
        assert!(
            !g.examples.is_empty() && !g.shortcodes.is_empty(),
            "{} has no worked example cited with {{{{ figure(…) }}}}",
            name(g)
        );
    }
}

#[test]
fn complaint_and_collection_topics_exist_and_negotiation_guides_link_them() {
    let c = content();
    for slug in ["complaints", "collection-rights"] {
        let topic = c
            .topics
            .iter()
            .find(|t| t.slug == slug)
            .unwrap_or_else(|| panic!("no topic `{slug}`"));
        for lender in &c.lenders {
            assert!(
                topic.lenders.contains(&lender.slug),
                "topic `{slug}` does not list lender `{}`",
                lender.slug
            );
        }
    }
    // Every negotiation guide links the complaints topic from its rendered
    // 如果被拒绝 section (tests/it/reader.rs checks the pages), so the
    // prose need not.
    for g in c.guides.iter().filter(|g| g.slug == "after-overdue") {
        assert!(
            links(g)
                .iter()
                .any(|l| l.contains("topics/collection-rights/")),
            "{} does not link to the collection-rights topic",
            name(g)
        );
    }
}
