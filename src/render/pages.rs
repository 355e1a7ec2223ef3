//! The pages of the site, before they are rendered: one [`Page`] per route
//! with its template, title and data (the views), and the worked examples
//! put where the prose cites them.

use tera::{Context, Tera};

use super::{compare, template_error, views};
use crate::diagnostics::{Diagnostic, Located};
use crate::markdown::Link;
use crate::model::{Content, Guide};
use crate::plan::{Plan, Route, ShortcodeValue};
use crate::shortcode;

/// One page before it is rendered in a script.
pub(super) struct Page {
    /// Which page this is, from the plan.
    pub route: Route,
    pub template: &'static str,
    pub title: String,
    pub description: String,
    pub context: Context,
    /// The content file behind the page and the links its prose contains,
    /// so a broken link is reported where it was written.
    pub source: Option<(Located, Vec<Link>)>,
}

pub(super) fn pages(
    content: &Content,
    plan: &Plan,
    tera: &Tera,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Page> {
    let mut pages = Vec::new();
    let mut home = Context::new();
    let lenders: Vec<_> = content
        .lenders
        .iter()
        .map(|l| views::lender_link(content, l))
        .collect();
    let topics: Vec<_> = content.topics.iter().map(views::topic_link).collect();
    home.insert("lenders", &lenders);
    home.insert("topics", &topics);
    pages.push(Page {
        route: Route::home(),
        template: "home.html",
        title: content.site.title.clone(),
        description: content.site.tagline.clone(),
        context: home,
        source: None,
    });
    for l in &content.lenders {
        let mut ctx = Context::new();
        ctx.insert("lender", &views::lender(content, l));
        pages.push(Page {
            route: Route::lender(&l.slug),
            template: "lender.html",
            title: format!("{}：协商还款指南", l.name),
            description: l.summary.clone(),
            context: ctx,
            source: Some((l.at.clone(), Vec::new())),
        });
    }
    for g in &content.guides {
        let mut ctx = Context::new();
        let mut view = views::guide(content, g);
        insert_examples(&mut view, g, plan, tera, diags);
        ctx.insert("guide", &view);
        let links = g
            .body
            .links
            .iter()
            .chain(g.steps.iter().flat_map(|s| s.body.links.iter()))
            .cloned()
            .collect();
        pages.push(Page {
            route: Route::guide(&g.lender, &g.slug),
            template: "guide.html",
            title: g.title.clone(),
            description: g.summary.clone(),
            context: ctx,
            source: Some((g.at.clone(), links)),
        });
    }
    for t in &content.topics {
        let mut ctx = Context::new();
        ctx.insert("topic", &views::topic(content, t));
        pages.push(Page {
            route: Route::topic(&t.slug),
            template: "topic.html",
            title: t.title.clone(),
            description: t.summary.clone(),
            context: ctx,
            source: Some((t.at.clone(), t.body.links.clone())),
        });
    }
    // Pages that list every lender and topic: the 404 page, and the search
    // page, whose list serves readers without JavaScript (the client,
    // static/search.js, reads the index files).
    for (route, template, title) in [
        (Route::not_found(), "404.html", "找不到这个页面"),
        (Route::search(), "search.html", "搜索"),
        (
            Route::calculator(),
            "calculator.html",
            "计算器：逾期费用、分期与协商方案",
        ),
        (Route::compare(), "compare.html", "各家贷款机构对比"),
    ] {
        let mut ctx = Context::new();
        ctx.insert("lenders", &lenders);
        ctx.insert("topics", &topics);
        if template == "compare.html" {
            ctx.insert("compare", &compare::compare(content));
        }
        pages.push(Page {
            route,
            template,
            title: title.into(),
            description: content.site.tagline.clone(),
            context: ctx,
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
    view.body_html = shortcode::fill(&view.body_html, &fill);
    for step in &mut view.steps {
        step.body_html = shortcode::fill(&step.body_html, &fill);
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
