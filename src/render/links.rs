//! Internal link check over the rendered output: every relative `href` and
//! `src` must name a file of the site, and every `#anchor` an `id` in its
//! target page. A broken link in prose is reported where the author wrote
//! it; one in a template, against the template's page.

use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Located};
use crate::markdown::{Link, is_relative, with_index};

use super::Published;
use crate::memo::Memo;
use crate::sink::{Facts, Hasher};

/// A rendered page's facts: its `id`s, and its `href` and `src` values.
///
/// One pass over the page: every `="` (found with SIMD by `memmem`) whose
/// attribute name is one of the three. Before, three `str::match_indices`
/// passes were 4–6% of a cold build's samples at 10k guides.
pub fn facts(html: &str) -> Facts {
    let bytes = html.as_bytes();
    let (mut ids, mut hrefs, mut srcs) = (Vec::new(), Vec::new(), Vec::new());
    for i in memchr::memmem::find_iter(bytes, b"=\"") {
        let before = &bytes[..i];
        let list = if before.ends_with(b" href") {
            &mut hrefs
        } else if before.ends_with(b" src") {
            &mut srcs
        } else if before.ends_with(b" id") {
            &mut ids
        } else {
            continue;
        };
        let start = i + 2;
        if let Some(len) = memchr::memchr(b'"', &bytes[start..]) {
            list.push(&html[start..start + len]);
        }
    }
    hrefs.extend(srcs);
    Facts {
        ids: join(&ids).into(),
        links: join(&hrefs).into(),
    }
}

/// Attribute values as written (`&amp;` and `%XX` escapes undone), joined
/// by [`Facts::SEP`].
fn join(values: &[&str]) -> String {
    let mut out = String::new();
    for v in values {
        if !out.is_empty() {
            out.push(Facts::SEP);
        }
        if v.contains(['&', '%']) {
            out.push_str(&percent_decode(&v.replace("&amp;", "&")));
        } else {
            out.push_str(v);
        }
    }
    out
}

/// Every page's links, checked against the whole site. With a `memo`
/// (`serve`), a page whose links, sources and site (every page's path and
/// ids, every other file's path) are unchanged since an earlier rebuild
/// is not checked again: its findings are remembered.
pub(super) fn check(
    out: &Published,
    sources: &BTreeMap<String, &(Located, Vec<Link>)>,
    memo: Option<&Memo>,
) -> Vec<Diagnostic> {
    // Every page's ids, made only when some page is checked.
    let all_ids: OnceLock<BTreeMap<&str, BTreeSet<&str>>> = OnceLock::new();
    let ids = || {
        all_ids.get_or_init(|| {
            out.pages
                .iter()
                .map(|(p, facts)| (p.as_str(), facts.ids().collect()))
                .collect()
        })
    };
    let site = memo.map(|_| site_key(out));
    let found: Vec<Vec<Diagnostic>> = out
        .pages
        .par_iter()
        .map(|(page, facts)| {
            let check = || check_page(page, facts, out, ids(), sources);
            let (Some(memo), Some(site)) = (memo, &site) else {
                return check();
            };
            let place = format!("{:?}", sources.get(page.as_str()));
            let inputs: [&[u8]; 4] = [
                site,
                page.as_bytes(),
                facts.links.as_bytes(),
                place.as_bytes(),
            ];
            let Ok(found) = memo.value(&inputs, || Ok::<_, Infallible>(check()));
            found
        })
        .collect();
    let mut diags: Vec<Diagnostic> = Vec::new();
    for d in found.into_iter().flatten() {
        // Both scripts share their sources: report a written link once.
        if !diags
            .iter()
            .any(|o| (&o.file, o.line, o.column) == (&d.file, d.line, d.column))
        {
            diags.push(d);
        }
    }
    diags
}

/// What every page's check reads of the others: each page's path and ids,
/// and the paths of the other files.
fn site_key(out: &Published) -> [u8; 16] {
    let mut h = Hasher::new();
    for (path, facts) in &out.pages {
        h.bytes(path.as_bytes()).bytes(facts.ids.as_bytes());
    }
    h.bytes(b"\0files");
    for path in &out.files {
        h.bytes(path.as_bytes());
    }
    h.finish().to_le_bytes()
}

/// One page's broken links and anchors.
fn check_page(
    page: &str,
    facts: &Facts,
    out: &Published,
    ids: &BTreeMap<&str, BTreeSet<&str>>,
    sources: &BTreeMap<String, &(Located, Vec<Link>)>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for href in facts.links() {
        let problem = if let Some(fragment) = href.strip_prefix('#') {
            (!fragment.is_empty() && !ids.get(page).is_some_and(|s| s.contains(fragment)))
                .then(|| format!("no anchor `#{fragment}` on this page"))
        } else if is_relative(href) {
            check_relative(page, href, out, ids)
        } else {
            None
        };
        if let Some(problem) = problem {
            diags.push(locate(page, href, problem, sources));
        }
    }
    diags
}

fn check_relative(
    page: &str,
    href: &str,
    out: &Published,
    ids: &BTreeMap<&str, BTreeSet<&str>>,
) -> Option<String> {
    let (path, fragment) = href
        .split_once('#')
        .map_or((href, None), |(p, f)| (p, Some(f)));
    let path = path.split('?').next().unwrap_or(path);
    let Some(target) = resolve(page, path) else {
        return Some(format!("link `{href}` leaves the site"));
    };
    if !out.has(&target) {
        return Some(format!(
            "link `{href}` points to `{target}`, which the site does not have"
        ));
    }
    match fragment {
        Some(f) if !f.is_empty() && !ids.get(target.as_str()).is_some_and(|s| s.contains(f)) => {
            Some(format!("link `{href}`: no anchor `#{f}` on `{target}`"))
        }
        _ => None,
    }
}

/// Resolves `href` (percent-decoded) against the folder of `page`.
fn resolve(page: &str, href: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    Some(if href.ends_with('/') || joined.is_empty() {
        format!(
            "{joined}{}index.html",
            if joined.is_empty() { "" } else { "/" }
        )
    } else {
        joined
    })
}

fn locate(
    page: &str,
    href: &str,
    problem: String,
    sources: &BTreeMap<String, &(Located, Vec<Link>)>,
) -> Diagnostic {
    let written = sources.get(page).and_then(|(at, links)| {
        links
            .iter()
            .find(|l| {
                percent_decode(&with_index(&l.href)) == href || percent_decode(&l.href) == href
            })
            .map(|l| l.at.clone())
            .or_else(|| Some(at.clone()))
    });
    let at = written.unwrap_or_else(|| Located::new(format!("output/{page}"), 1, 1));
    Diagnostic::error("broken-link", &at, format!("{problem} (on {page})"))
        .with_help("link to pages with relative paths such as `../../topics/agent-scams/`, and to anchors that exist")
}

fn percent_decode(s: &str) -> String {
    crate::percent::decode_lossy(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The three-pass scan `facts` replaced, kept as the reference.
    fn facts_by_three_scans(html: &str) -> Facts {
        let values = |name: &str| -> Vec<String> {
            let needle = format!(" {name}=\"");
            html.match_indices(&needle)
                .filter_map(|(i, _)| {
                    let start = i + needle.len();
                    let end = html[start..].find('"')?;
                    Some(percent_decode(
                        &html[start..start + end].replace("&amp;", "&"),
                    ))
                })
                .collect()
        };
        let join = |values: Vec<String>| {
            let mut out = String::new();
            for v in values {
                if !out.is_empty() {
                    out.push(Facts::SEP);
                }
                out.push_str(&v);
            }
            out
        };
        let mut links = values("href");
        links.extend(values("src"));
        Facts {
            ids: join(values("id")).into(),
            links: join(links).into(),
        }
    }

    #[test]
    fn one_pass_finds_what_three_scans_found() {
        let pages = [
            "",
            "<a href=\"a/b/\" id=\"x\"><img src=\"i.png\"><a href=\"#x\">",
            // Empty values first and between, escapes, a value never closed.
            "<p id=\"\"></p><p id=\"a\"></p><p id=\"\"></p><p id=\"b\"> <a href=\"q?a=1&amp;b=%E7%BD%9A\"> <a href=\"open",
            // Names that only end like ours, and one inside another's value.
            "<p data-id=\"no\" xhref=\"no\"><p title=\"a href=\" src=\"s\"><p\tid=\"tab\">",
            "<a href=\"%zz%\" src=\"&amp;&amp;\">罚息 href=\"text\"",
        ];
        for html in pages {
            let (a, b) = (facts(html), facts_by_three_scans(html));
            assert_eq!((&a.ids, &a.links), (&b.ids, &b.links), "{html}");
        }
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(
            resolve("lenders/a/b/index.html", "../../../topics/x/").as_deref(),
            Some("topics/x/index.html")
        );
        assert_eq!(
            resolve("index.html", "lenders/a/index.html").as_deref(),
            Some("lenders/a/index.html")
        );
        assert_eq!(resolve("index.html", "../x"), None);
        assert_eq!(percent_decode("%E7%BD%9A%E6%81%AF"), "罚息");
    }

    #[test]
    fn broken_links_and_anchors_are_found() {
        let mut out = Published::default();
        for (path, html) in [
            ("index.html", "<a href=\"a/index.html#x\">"),
            (
                "a/index.html",
                "<h2 id=\"y\"></h2><a href=\"#y\"><a href=\"../b/\">",
            ),
        ] {
            out.pages.insert(path.into(), facts(html));
        }
        let d = check(&out, &BTreeMap::new(), None);
        assert_eq!(d.len(), 2, "{d:?}");
    }

    /// A remembered page is checked again when a page it links to loses
    /// the anchor, though the page itself did not change.
    #[test]
    fn a_remembered_page_sees_its_targets_change() {
        let memo = Memo::new();
        let site = |target: &str| {
            let mut out = Published::default();
            out.pages
                .insert("index.html".into(), facts("<a href=\"a/index.html#x\">"));
            out.pages.insert("a/index.html".into(), facts(target));
            out
        };
        let run = |out: &Published| {
            memo.begin();
            check(out, &BTreeMap::new(), Some(&memo))
        };
        assert!(run(&site("<h2 id=\"x\"></h2>")).is_empty());
        assert!(run(&site("<h2 id=\"x\"></h2>")).is_empty());
        let broken = run(&site("<h2 id=\"y\"></h2>"));
        assert_eq!(broken.len(), 1, "{broken:?}");
        assert_eq!(
            broken,
            check(&site("<h2 id=\"y\"></h2>"), &BTreeMap::new(), None)
        );
    }
}
