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
mod nav;
mod pages;
mod reader;
mod sitemap;
mod views;

use std::collections::BTreeMap;

use rayon::prelude::*;
use tera::Tera;

use crate::diagnostics::{Diagnostic, Located};
use crate::load::TemplateFiles;
use crate::markdown::Link;
use crate::model::Content;
use crate::plan::{Plan, Route};
use crate::script::{self, Script};
use nav::nav;
use pages::pages;

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
