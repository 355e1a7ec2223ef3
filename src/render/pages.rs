//! The pages of the site, before they are rendered: one [`Page`] per route
//! with its template and title; its [`Data`] (the views) is built only when
//! the page's turn comes, hashed for its fingerprint, and turned into a
//! template context (with the worked examples put where the prose cites
//! them) only when the page is rendered rather than reused.

use serde::Serialize;
use tera::{Context, Tera};

use super::{compare, template_error, views};
use crate::diagnostics::{Diagnostic, Located};
use crate::markdown::Link;
use crate::memo::Memo;
use crate::model::{Content, Guide, Lender, Topic};
use crate::plan::{Plan, Route, ShortcodeValue};
use crate::shortcode;
use crate::sink::Hasher;

/// One page before it is rendered: what it is, not yet its data, so a
/// large site never holds every page's views at once.
pub(super) struct Page<'a> {
    /// Which page this is, from the plan.
    pub route: Route,
    pub template: &'static str,
    pub title: String,
    pub description: String,
    what: What<'a>,
    /// The content file behind the page and the links its prose contains,
    /// so a broken link is reported where it was written.
    pub source: Option<(Located, Vec<Link>)>,
}

enum What<'a> {
    /// Home, 404 and calculator: the lists of lenders and topics.
    Lists,
    /// The search and 404 pages: the lists, capped (see [`LIST_CAP`]).
    Capped,
    Compare,
    Lender(&'a Lender),
    Guide(&'a Guide),
    Topic(&'a Topic),
}

/// The lists on the search page (for readers without JavaScript) and the
/// 404 page stay small at any site size (issue 12: ≤ 50 KB): the first
/// lenders and topics in content order, then a link to the home page,
/// which lists them all with their guides.
const LIST_CAP: usize = 100;

/// The lists every index-like page shows, built once.
pub(super) struct Lists {
    lenders: Vec<views::LenderLink>,
    topics: Vec<views::TopicLink>,
}

impl Lists {
    pub fn new(content: &Content) -> Self {
        Self {
            lenders: content
                .lenders
                .iter()
                .map(|l| views::lender_link(content, l))
                .collect(),
            topics: content.topics.iter().map(views::topic_link).collect(),
        }
    }
}

/// A page's data: what its template receives besides `site` and `nav`,
/// and what its fingerprint hashes.
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum Data<'a> {
    Lists {
        lenders: &'a [views::LenderLink],
        topics: &'a [views::TopicLink],
        #[serde(skip_serializing_if = "Option::is_none")]
        compare: Option<compare::CompareView>,
        /// On the search page: how many lenders and topics the lists leave out.
        #[serde(skip_serializing_if = "Option::is_none")]
        lenders_more: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        topics_more: Option<usize>,
    },
    Lender {
        lender: views::LenderView,
    },
    Guide {
        guide: views::GuideView,
    },
    Topic {
        topic: views::TopicView,
    },
}

impl<'a> Page<'a> {
    /// With a `memo` (`serve`), parts made from unchanged text come from it.
    pub fn data<'l>(&self, content: &Content, lists: &'l Lists, memo: Option<&Memo>) -> Data<'l> {
        let lists_with = |compare| Data::Lists {
            lenders: &lists.lenders,
            topics: &lists.topics,
            compare,
            lenders_more: None,
            topics_more: None,
        };
        match self.what {
            What::Lists => lists_with(None),
            What::Capped => {
                let (lenders, topics) = (&lists.lenders, &lists.topics);
                Data::Lists {
                    lenders: &lenders[..lenders.len().min(LIST_CAP)],
                    topics: &topics[..topics.len().min(LIST_CAP)],
                    compare: None,
                    lenders_more: Some(lenders.len().saturating_sub(LIST_CAP)),
                    topics_more: Some(topics.len().saturating_sub(LIST_CAP)),
                }
            }
            What::Compare => lists_with(Some(compare::compare(content))),
            What::Lender(l) => Data::Lender {
                lender: views::lender(content, l),
            },
            What::Guide(g) => Data::Guide {
                guide: views::guide(content, g, memo),
            },
            What::Topic(t) => Data::Topic {
                topic: views::topic(content, t),
            },
        }
    }

    /// What a guide or lender page is made from, when the plan knows it
    /// ([`crate::plan::FileHashes`]): it then stands for the page's data
    /// in its fingerprint.
    pub fn inputs(&self, plan: &Plan) -> Option<crate::sink::Fingerprint> {
        match self.what {
            What::Guide(g) => plan.guide_inputs(g),
            What::Lender(l) => plan.lender_inputs(l),
            _ => None,
        }
    }

    /// Feeds `hasher` what the page's data leaves out: a guide's worked
    /// examples, which are rendered into it only when the page is. `None`
    /// when a view cannot be serialised (the page is then not reused).
    pub fn hash_extra(&self, plan: &Plan, hasher: &mut Hasher) -> Option<()> {
        if let What::Guide(g) = self.what {
            for example in &plan.guide(g).examples {
                hasher.bytes(example.id.as_bytes());
                hasher.bytes(example.calc_query.as_bytes());
                hasher.json(&example.view)?;
            }
        }
        Some(())
    }

    /// The template context (without `site` and `nav`); a guide gets its
    /// worked examples rendered into its prose here.
    pub fn context(
        &self,
        mut data: Data,
        plan: &Plan,
        tera: &Tera,
        diags: &mut Vec<Diagnostic>,
    ) -> Context {
        if let (What::Guide(g), Data::Guide { guide }) = (&self.what, &mut data) {
            insert_examples(guide, g, plan, tera, diags);
        }
        Context::from_serialize(&data).unwrap_or_else(|e| {
            diags.push(template_error(self.template, &e));
            Context::new()
        })
    }
}

pub(super) fn pages(content: &Content) -> Vec<Page<'_>> {
    let mut pages = vec![Page {
        route: Route::home(),
        template: "home.html",
        title: content.site.title.clone(),
        description: content.site.tagline.clone(),
        what: What::Lists,
        source: None,
    }];
    for l in &content.lenders {
        pages.push(Page {
            route: Route::lender(&l.slug),
            template: "lender.html",
            title: format!("{}：协商还款指南", l.name),
            description: l.summary.clone(),
            what: What::Lender(l),
            source: Some((l.at.clone(), Vec::new())),
        });
    }
    for g in &content.guides {
        let links = g.links().cloned().collect();
        pages.push(Page {
            route: Route::guide(&g.lender, &g.slug),
            template: "guide.html",
            title: g.title.clone(),
            description: g.summary.clone(),
            what: What::Guide(g),
            source: Some((g.at.clone(), links)),
        });
    }
    for t in &content.topics {
        pages.push(Page {
            route: Route::topic(&t.slug),
            template: "topic.html",
            title: t.title.clone(),
            description: t.summary.clone(),
            what: What::Topic(t),
            source: Some((t.at.clone(), t.body.links.clone())),
        });
    }
    // Pages that list every lender and topic: the 404 page, and the search
    // page, whose list serves readers without JavaScript (the client,
    // static/search.js, reads the index files).
    for (route, template, title, what) in [
        (
            Route::not_found(),
            "404.html",
            "找不到这个页面",
            What::Capped,
        ),
        (Route::search(), "search.html", "搜索", What::Capped),
        (
            Route::calculator(),
            "calculator.html",
            "计算器：逾期费用、分期与协商方案",
            What::Lists,
        ),
        (
            Route::compare(),
            "compare.html",
            "各家贷款机构对比",
            What::Compare,
        ),
    ] {
        pages.push(Page {
            route,
            template,
            title: title.into(),
            description: content.site.tagline.clone(),
            what,
            source: None,
        });
    }
    pages
}

/// Renders the guide's worked examples and puts them where the prose cites
/// them; examples the prose does not place go in `view.examples_html`.
fn insert_examples(
    view: &mut views::GuideView,
    guide: &Guide,
    plan: &Plan,
    tera: &Tera,
    diags: &mut Vec<Diagnostic>,
) {
    let planned = plan.guide(guide);
    let from = Route::guide(&guide.lender, &guide.slug);
    let mut html = std::collections::BTreeMap::new();
    for example in &planned.examples {
        let mut ctx = Context::new();
        ctx.insert("example", &example.view);
        let calc = format!(
            "{}?{}",
            Route::calculator().href_from(&from),
            example.calc_query
        );
        ctx.insert("calc_href", &calc);
        match tera.render("example.html", &ctx) {
            Ok(h) => {
                html.insert(example.id.clone(), h);
            }
            Err(e) => diags.push(template_error("example.html", &e)),
        }
    }
    let fill = |n: usize| -> String {
        match planned.shortcode(n) {
            ShortcodeValue::Figure(value) => value.html.clone(),
            ShortcodeValue::Example { id, .. } => html.get(id).cloned().unwrap_or_default(),
            ShortcodeValue::Nothing => String::new(),
        }
    };
    view.body_html = shortcode::fill(&view.body_html, &fill).into();
    for step in &mut view.steps {
        step.body_html = shortcode::fill(&step.body_html, &fill).into();
    }
    let placed: Vec<&str> = guide
        .shortcodes
        .iter()
        .filter(|c| c.field.is_none())
        .map(|c| c.example.as_str())
        .collect();
    view.examples_html = html
        .iter()
        .filter(|(id, _)| !placed.contains(&id.as_str()))
        .map(|(_, h)| h.clone())
        .collect();
}
