//! Render: the typed model → every output file, in memory.
//!
//! Each page is rendered once per script. Simplified pages come straight from
//! the templates; Traditional pages are rendered with their own paths and
//! `lang`, then converted with OpenCC (s2t) as a whole, so template text,
//! prose and data convert alike. The result is a sorted map of relative path
//! → bytes that `write` (disk) or `serve` (memory) publish; nothing here
//! touches the filesystem. Internal links and anchors are checked last.

mod compare;
pub mod escape;
mod feed;
mod links;
mod reader;
mod sitemap;
mod views;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Located};
use crate::load::TemplateFiles;
use crate::markdown::Link;
use crate::model::{Content, Guide};
use crate::plan::{Plan, Route, ShortcodeValue};
use crate::script::{self, Script};
use crate::shortcode;

/// Every file of a built site, by path relative to the output folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SiteOutput {
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Options that change the rendered bytes.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Overrides `base_url` from site.yaml for canonical URLs and the sitemap.
    pub base_url: Option<String>,
}

/// The templates every theme must provide.
const REQUIRED: [&str; 7] = [
    "feed.xml",
    "example.html",
    "home.html",
    "lender.html",
    "guide.html",
    "topic.html",
    "404.html",
];

/// One page before it is rendered in a script.
struct Page {
    /// Which page this is, from the plan.
    route: Route,
    template: &'static str,
    title: String,
    description: String,
    context: Context,
    /// The content file behind the page and the links its prose contains,
    /// so a broken link is reported where it was written.
    source: Option<(Located, Vec<Link>)>,
}

#[derive(Serialize)]
struct Nav {
    lang: &'static str,
    script: &'static str,
    /// Prefix from this page to its script root (`../../`).
    root: String,
    /// Prefix from this page to the output root, for shared assets.
    asset_root: String,
    twin_href: String,
    twin_label: &'static str,
    canonical: String,
    /// The twin page's canonical URL, for the hreflang alternate.
    twin_canonical: String,
    title: String,
    description: String,
}

pub fn render(
    content: &Content,
    plan: &Plan,
    templates: &TemplateFiles,
    options: &RenderOptions,
) -> (SiteOutput, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Some(tera) = load_templates(templates, &mut diags) else {
        return (SiteOutput::default(), diags);
    };
    let converter = match script::Converter::new() {
        Ok(c) => c,
        Err(e) => {
            diags.push(Diagnostic::error(
                "opencc",
                &Located::new("<opencc>", 1, 1),
                e,
            ));
            return (SiteOutput::default(), diags);
        }
    };
    let base_url = options
        .base_url
        .clone()
        .unwrap_or_else(|| content.site.base_url.clone());
    let site = views::site(content);
    let pages = pages(content, plan, &tera, &mut diags);

    let rendered: Vec<_> = pages
        .par_iter()
        .flat_map_iter(|page| Script::ALL.into_iter().map(move |s| (page, s)))
        .map(|(page, script)| {
            let nav = nav(page, script, &base_url);
            let mut ctx = page.context.clone();
            ctx.insert("site", &site);
            ctx.insert("nav", &nav);
            let html = tera
                .render(page.template, &ctx)
                .map(|html| converter.finish(&html, script))
                .map_err(|e| template_error(page.template, &e));
            (page.route.output_path(script), html)
        })
        .collect();

    let mut out = SiteOutput::default();
    for (path, html) in rendered {
        match html {
            Ok(html) => {
                out.files.insert(path, html.into_bytes());
            }
            Err(d) => diags.push(d),
        }
    }
    for (name, bytes) in &templates.assets {
        out.files.insert(name.clone(), bytes.clone());
    }
    let folders: Vec<&Route> = pages
        .iter()
        .map(|p| &p.route)
        .filter(|r| r.is_folder())
        .collect();
    out.files.insert(
        "sitemap.xml".into(),
        sitemap::sitemap(&folders, &base_url).into_bytes(),
    );
    feed::render_all(
        content,
        &feed::Renderer {
            tera: &tera,
            site: &site,
            converter: &converter,
            base_url: &base_url,
        },
        &mut out,
        &mut diags,
    );
    out.files
        .insert("robots.txt".into(), sitemap::robots(&base_url).into_bytes());
    let sources: BTreeMap<String, &(Located, Vec<Link>)> = pages
        .iter()
        .flat_map(|p| {
            Script::ALL
                .into_iter()
                .filter_map(move |s| p.source.as_ref().map(|src| (p.route.output_path(s), src)))
        })
        .collect();
    diags.extend(links::check(&out, &sources));
    (out, diags)
}

fn load_templates(files: &TemplateFiles, diags: &mut Vec<Diagnostic>) -> Option<Tera> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.set_escape_fn(escape::escape_into);
    // All at once: templates inherit from each other.
    let all = files
        .templates
        .iter()
        .map(|(name, f)| (name.as_str(), f.text.as_str()));
    if let Err(e) = tera.add_raw_templates(all) {
        diags.push(template_error_at("templates", &e));
    }
    for name in REQUIRED {
        if !files.templates.iter().any(|(n, _)| n == name) {
            diags.push(
                Diagnostic::error("missing-template", &Located::new(format!("templates/{name}"), 1, 1), format!("template `{name}` is missing"))
                    .with_help("every theme provides the templates listed in ARCHITECTURE.md (pages, example.html, feed.xml)"),
            );
        }
    }
    (!diags.iter().any(Diagnostic::is_error)).then_some(tera)
}

fn template_error(name: &str, e: &tera::Error) -> Diagnostic {
    template_error_at(&format!("templates/{name}"), e)
}

fn template_error_at(path: &str, e: &tera::Error) -> Diagnostic {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Diagnostic::error("template", &Located::new(path, 1, 1), message)
        .with_help("fix the template; `{{ … }}` prints a value, `{% … %}` is a tag")
}

fn pages(content: &Content, plan: &Plan, tera: &Tera, diags: &mut Vec<Diagnostic>) -> Vec<Page> {
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
        if template == "search.html" {
            // The no-JS list stays small at any site size (issue 12: ≤ 50 KB):
            // the first lenders and topics in content order, then a link to
            // the home page, which lists them all with their guides.
            const LIST_CAP: usize = 100;
            ctx.insert("lenders", &lenders[..lenders.len().min(LIST_CAP)]);
            ctx.insert("lenders_more", &lenders.len().saturating_sub(LIST_CAP));
            ctx.insert("topics", &topics[..topics.len().min(LIST_CAP)]);
            ctx.insert("topics_more", &topics.len().saturating_sub(LIST_CAP));
        } else {
            ctx.insert("lenders", &lenders);
            ctx.insert("topics", &topics);
        }
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

fn nav(page: &Page, script: Script, base_url: &str) -> Nav {
    let route = &page.route;
    let up = "../".repeat(route.depth());
    let file = route.file();
    let twin = match script {
        Script::Hans => Script::Hant,
        Script::Hant => Script::Hans,
    };
    let (root, asset_root, twin_href) = if route.is_not_found() {
        // A host serves 404.html for a missing path at any depth, so its
        // links cannot be relative: they start from the site's base path
        // (the path of base_url), for this page only.
        let base = base_path(base_url);
        (
            format!("{base}{}", script.prefix()),
            base.to_string(),
            format!("{base}{}{file}", twin.prefix()),
        )
    } else {
        match script {
            Script::Hans => (
                up.clone(),
                up.clone(),
                format!("{up}{}{file}", Script::Hant.prefix()),
            ),
            Script::Hant => (up.clone(), format!("{up}../"), format!("{up}../{file}")),
        }
    };
    Nav {
        lang: script.lang(),
        script: script.key(),
        root,
        asset_root,
        twin_href,
        twin_label: script.twin_label(),
        canonical: route.canonical(base_url, script),
        twin_canonical: route.canonical(base_url, twin),
        title: page.title.clone(),
        description: page.description.clone(),
    }
}

/// The path part of a base URL (`https://example.org/guide/` → `/guide/`).
fn base_path(base_url: &str) -> &str {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
}
