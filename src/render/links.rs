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
use crate::sink::{Facts, Fingerprint, Hasher, PageRecord, Sink};

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

/// Where a build records the site its link check passed on (the hash of
/// every page's path and ids and every other file's path): not a file the
/// site's readers need.
pub const CHECKED: &str = ".lendguide-links";

/// What [`CHECKED`] is recorded with: the program that checked.
fn checked_fingerprint(program: Fingerprint) -> Fingerprint {
    let mut h = Hasher::new();
    h.bytes(b"links checked").bytes(&program.to_le_bytes());
    h.finish()
}

/// Every page's links, checked against the whole site, and the site
/// recorded in the sink when none is broken.
///
/// A page published again from the previous build (`reused`) has the
/// links it had then; when that build's check passed on a site with the
/// same pages, ids and files, the page has nothing to report and is not
/// checked. With a `memo` (`serve`), a page whose links, sources and site
/// are unchanged since an earlier rebuild is not checked again: its
/// findings are remembered.
pub(super) fn check(
    out: &Published,
    sources: &BTreeMap<String, &(Located, Vec<Link>)>,
    memo: Option<&Memo>,
    sink: &dyn Sink,
    program: Option<Fingerprint>,
) -> Vec<Diagnostic> {
    let site = site_key(out);
    let recorded = program.map(checked_fingerprint);
    let passed_before = recorded
        .and_then(|f| sink.previous(CHECKED, f))
        .is_some_and(|previous| previous.as_slice() == site);
    let skip = |page: &str| passed_before && out.reused.contains(page);
    let checked = out.pages.keys().filter(|p| !skip(p)).count();
    // Every page's ids in one map when most pages are checked; looked up
    // in the target's facts when few are (a rebuild after an edit).
    let all_ids: OnceLock<BTreeMap<&str, BTreeSet<&str>>> = OnceLock::new();
    let has_id = |page: &str, id: &str| match checked * 8 < out.pages.len() {
        true => out
            .pages
            .get(page)
            .is_some_and(|f| f.ids().any(|x| x == id)),
        false => all_ids
            .get_or_init(|| {
                out.pages
                    .iter()
                    .map(|(p, facts)| (p.as_str(), facts.ids().collect()))
                    .collect()
            })
            .get(page)
            .is_some_and(|s| s.contains(id)),
    };
    let found: Vec<Vec<Diagnostic>> = out
        .pages
        .par_iter()
        .filter(|(page, _)| !skip(page))
        .map(|(page, facts)| {
            let check = || check_page(page, facts, out, &has_id, sources);
            let Some(memo) = memo else {
                return check();
            };
            let place = format!("{:?}", sources.get(page.as_str()));
            let inputs: [&[u8]; 4] = [
                &site,
                page.as_bytes(),
                facts.links.as_bytes(),
                place.as_bytes(),
            ];
            let Ok(found) = memo.value(&inputs, || Ok::<_, Infallible>(check()));
            found
        })
        .collect();
    if found.iter().all(Vec::is_empty) {
        sink.put(CHECKED, site.to_vec(), recorded.map(PageRecord::file));
    }
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
    has_id: &dyn Fn(&str, &str) -> bool,
    sources: &BTreeMap<String, &(Located, Vec<Link>)>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for href in facts.links() {
        let problem = if let Some(fragment) = href.strip_prefix('#') {
            (!fragment.is_empty() && !has_id(page, fragment))
                .then(|| format!("no anchor `#{fragment}` on this page"))
        } else if is_relative(href) {
            check_relative(page, href, out, has_id)
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
    has_id: &dyn Fn(&str, &str) -> bool,
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
        Some(f) if !f.is_empty() && !has_id(&target, f) => {
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
    use crate::sink::MemorySink;

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
        let d = check(&out, &BTreeMap::new(), None, &MemorySink::default(), None);
        assert_eq!(d.len(), 2, "{d:?}");
    }

    /// After a check that passed, a site with the same pages and ids has
    /// only its pages not published again checked (their targets' ids
    /// looked up one by one), and finds what a full check finds.
    #[test]
    fn only_pages_not_reused_are_checked_while_the_site_is_alike() {
        let site = |link: &str| {
            let mut out = Published::default();
            for i in 0..20 {
                let path = format!("p{i}/index.html");
                let html = "<h2 id=\"x\"></h2><a href=\"../p0/index.html#x\">";
                out.pages.insert(path.clone(), facts(html));
                out.reused.insert(path);
            }
            let html = format!("<h2 id=\"x\"></h2><a href=\"{link}\">");
            out.pages.insert("q/index.html".into(), facts(&html));
            out
        };
        let first = MemorySink::new(None);
        let ok = site("../p1/index.html#x");
        assert!(check(&ok, &BTreeMap::new(), None, &first, Some(7)).is_empty());
        let second = MemorySink::new(Some(std::sync::Arc::new(first.into_built())));
        let broken = site("../p1/index.html#nope");
        let found = check(&broken, &BTreeMap::new(), None, &second, Some(7));
        let full = check(
            &broken,
            &BTreeMap::new(),
            None,
            &MemorySink::default(),
            None,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found, full);
        let built = second.into_built();
        assert!(
            !built.files.contains_key(CHECKED),
            "a failed check records nothing"
        );
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
            check(
                out,
                &BTreeMap::new(),
                Some(&memo),
                &MemorySink::default(),
                None,
            )
        };
        assert!(run(&site("<h2 id=\"x\"></h2>")).is_empty());
        assert!(run(&site("<h2 id=\"x\"></h2>")).is_empty());
        let broken = run(&site("<h2 id=\"y\"></h2>"));
        assert_eq!(broken.len(), 1, "{broken:?}");
        assert_eq!(
            broken,
            check(
                &site("<h2 id=\"y\"></h2>"),
                &BTreeMap::new(),
                None,
                &MemorySink::default(),
                None
            )
        );
    }
}
