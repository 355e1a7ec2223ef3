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

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use tera::Tera;

use crate::diagnostics::{Diagnostic, Located};
use crate::load::TemplateFiles;
use crate::markdown::Link;
use crate::memo::Memo;
use crate::model::Content;
use crate::plan::{Plan, Route};
use crate::script::{self, Script};
use crate::sink::{Facts, Fingerprint, Hasher, PageRecord, Sink};
use nav::nav;
use pages::{Lists, Page, pages};

/// Options that change the rendered bytes.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Overrides `base_url` from site.yaml for canonical URLs and the sitemap.
    pub base_url: Option<String>,
    /// The program that renders (a hash of its executable), part of every
    /// page's fingerprint; without it no page is reused.
    pub program: Option<Fingerprint>,
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

/// Renders every page in both scripts, and the feeds, sitemap, robots.txt
/// and assets, handing each file to `sink` as soon as it is made. A page
/// whose fingerprint the sink knows from the previous build is reused, not
/// rendered. Returns the number of HTML pages and how many were reused.
/// With a `memo` (`serve`), pages whose links and site are unchanged since
/// an earlier rebuild are not link-checked again.
pub fn render(
    content: &Content,
    plan: &Plan,
    templates: &TemplateFiles,
    options: &RenderOptions,
    sink: &dyn Sink,
    memo: Option<&Memo>,
) -> (Rendered, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Some(tera) = load_templates(templates, &mut diags) else {
        return (Rendered::default(), diags);
    };
    let converter = match script::Converter::shared() {
        Ok(c) => c,
        Err(e) => {
            diags.push(Diagnostic::error(
                "opencc",
                &Located::new("<opencc>", 1, 1),
                e,
            ));
            return (Rendered::default(), diags);
        }
    };
    let base_url = options
        .base_url
        .clone()
        .unwrap_or_else(|| content.site.base_url.clone());
    let site = views::site(content);
    let pages = pages(content);
    let lists = Lists::new(content);
    let shared = Shared {
        content,
        plan,
        tera: &tera,
        converter,
        site: &site,
        lists: &lists,
        base_url: &base_url,
        sink,
        base: options
            .program
            .map(|program| base_fingerprint(program, templates, &site, &base_url)),
        memo,
    };
    let rendered: Vec<_> = pages.par_iter().map(|page| shared.page(page)).collect();
    let mut published = Published::default();
    let mut reused = 0;
    for (facts, page_diags) in rendered {
        diags.extend(page_diags);
        for (path, facts, was_reused) in facts {
            if was_reused {
                reused += 1;
                published.reused.insert(path.clone());
            }
            published.pages.insert(path, facts);
        }
    }
    let mut put = |path: &str, bytes: Vec<u8>| {
        published.files.insert(path.to_string());
        sink.put(path, bytes, None);
    };
    for (name, bytes) in &templates.assets {
        put(name, bytes.clone());
    }
    let folders: Vec<&Route> = pages
        .iter()
        .map(|p| &p.route)
        .filter(|r| r.is_folder())
        .collect();
    put(
        "sitemap.xml",
        sitemap::sitemap(&folders, &base_url).into_bytes(),
    );
    let feeds = feed::render_all(
        content,
        &feed::Renderer {
            tera: &tera,
            site: &site,
            converter,
            base_url: &base_url,
            base: shared.base.as_ref().map(|h| h.finish().to_le_bytes()),
            sink,
            plan,
        },
        &mut diags,
    );
    put("robots.txt", sitemap::robots(&base_url).into_bytes());
    published.files.extend(feeds);
    let sources: BTreeMap<String, &(Located, Vec<Link>)> = pages
        .iter()
        .flat_map(|p| {
            Script::ALL
                .into_iter()
                .filter_map(move |s| p.source.as_ref().map(|src| (p.route.output_path(s), src)))
        })
        .collect();
    diags.extend(links::check(
        &published,
        &sources,
        memo,
        sink,
        options.program,
    ));
    let rendered = Rendered {
        pages: published.pages.len(),
        reused,
    };
    (rendered, diags)
}

/// How many HTML pages a build published, and how many of them it reused.
#[derive(Debug, Default, Clone, Copy)]
pub struct Rendered {
    pub pages: usize,
    pub reused: usize,
}

/// What the link check needs of everything published: each page's facts,
/// and the paths of the other files (assets, feeds, sitemap).
#[derive(Default)]
struct Published {
    pages: BTreeMap<String, Facts>,
    files: BTreeSet<String>,
    /// The pages published again from the previous build.
    reused: BTreeSet<String>,
}

impl Published {
    fn has(&self, path: &str) -> bool {
        self.pages.contains_key(path) || self.files.contains(path)
    }
}

/// Everything a page needs besides itself, shared by all render threads.
struct Shared<'a> {
    content: &'a Content,
    plan: &'a Plan,
    tera: &'a Tera,
    converter: &'a script::Converter,
    site: &'a views::SiteView,
    lists: &'a Lists,
    base_url: &'a str,
    sink: &'a dyn Sink,
    /// What every page's fingerprint starts from; `None`: never reuse.
    base: Option<Hasher>,
    memo: Option<&'a Memo>,
}

impl Shared<'_> {
    /// Publishes `page` in both scripts: reused when the sink knows its
    /// fingerprint, rendered otherwise. Returns each script's path and
    /// facts, and whether it was reused.
    fn page(&self, page: &Page) -> (Vec<(String, Facts, bool)>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        // A guide whose content files are known is fingerprinted by them;
        // its views are built only if it is rendered.
        let inputs = page.inputs(self.plan);
        let mut data = inputs
            .is_none()
            .then(|| page.data(self.content, self.lists, self.memo));
        let hashed = self.base.clone().and_then(|mut h| {
            h.bytes(page.template.as_bytes());
            match (inputs, &data) {
                (Some(inputs), _) => {
                    h.bytes(b"inputs").bytes(&inputs.to_le_bytes());
                }
                // Data that cannot be serialised is never reused: the
                // template render below reports the problem.
                (None, Some(data)) => {
                    h.json(data)?;
                    page.hash_extra(self.plan, &mut h)?;
                }
                (None, None) => return None,
            }
            Some(h)
        });
        let mut context = None;
        let mut out = Vec::new();
        for script in Script::ALL {
            let path = page.route.output_path(script);
            let nav = nav(page, script, self.base_url);
            let fingerprint = hashed.clone().and_then(|mut h| {
                h.bytes(script.key().as_bytes());
                Some(h.json(&nav)?.finish())
            });
            if let Some(facts) = fingerprint.and_then(|f| self.sink.reuse(&path, f)) {
                out.push((path, facts, true));
                continue;
            }
            // The context is made once, for the first script rendered.
            if context.is_none() {
                let data = data
                    .take()
                    .unwrap_or_else(|| page.data(self.content, self.lists, self.memo));
                context = Some(page.context(data, self.plan, self.tera, &mut diags));
            }
            let Some(ctx) = &context else { continue };
            let mut ctx = ctx.clone();
            ctx.insert("site", self.site);
            ctx.insert("nav", &nav);
            match self.tera.render(page.template, &ctx) {
                Ok(html) => {
                    let html = self.converter.finish(&html, script);
                    let facts = links::facts(&html);
                    let record = fingerprint.map(|fingerprint| PageRecord {
                        fingerprint,
                        facts: facts.clone(),
                    });
                    self.sink.put(&path, html.into_bytes(), record);
                    out.push((path, facts, false));
                }
                Err(e) => diags.push(template_error(page.template, &e)),
            }
        }
        (out, diags)
    }
}

/// What every page's fingerprint starts from: the program, every template
/// (they include each other), the site-wide view and the base URL.
fn base_fingerprint(
    program: Fingerprint,
    templates: &TemplateFiles,
    site: &views::SiteView,
    base_url: &str,
) -> Hasher {
    let mut h = Hasher::new();
    h.bytes(&program.to_le_bytes());
    for (name, file) in &templates.templates {
        h.bytes(name.as_bytes()).bytes(file.text.as_bytes());
    }
    h.bytes(base_url.as_bytes());
    let _ = serde_json::to_writer(&mut h, site);
    h
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
