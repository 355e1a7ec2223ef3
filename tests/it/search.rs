//! Search over the bundled site, without a browser: the shared tokeniser
//! vectors, recall and phrase precision of the published index (read back
//! from its files, evaluated by the Rust mirror of the client), and the
//! links the index hands out.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use lendguide::index::fold::FoldTable;
use lendguide::index::query::PublishedIndex;
use lendguide::index::tokens::{self, is_han};
use lendguide::sink::Bytes;
use lendguide::{BuildOptions, build_in_memory};
use serde_json::{Value, json};

use crate::common::root;

fn site() -> &'static BTreeMap<String, Bytes> {
    static SITE: OnceLock<BTreeMap<String, Bytes>> = OnceLock::new();
    SITE.get_or_init(|| {
        let options = BuildOptions {
            content: root().join("content"),
            templates: root().join("templates"),
            out: std::env::temp_dir().join("lendguide-search-unused"),
            base_url: None,
        };
        let (site, report) = build_in_memory(&options).expect("build");
        site.unwrap_or_else(|| panic!("bundled site has errors: {:?}", report.diagnostics))
            .files
    })
}

fn index() -> &'static PublishedIndex {
    static INDEX: OnceLock<PublishedIndex> = OnceLock::new();
    INDEX.get_or_init(|| PublishedIndex::from_files(site()).expect("published index"))
}

fn text(path: &str) -> String {
    String::from_utf8(
        site()
            .get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .to_vec(),
    )
    .unwrap()
}

fn json_file(path: &str) -> Value {
    serde_json::from_str(&text(path)).unwrap()
}

fn vectors_path() -> std::path::PathBuf {
    root().join("tests/search_vectors.json")
}

fn token_json(tokens: &[(String, u32)]) -> Value {
    json!(
        tokens
            .iter()
            .map(|(t, p)| json!([t, p]))
            .collect::<Vec<_>>()
    )
}

/// What the vectors say for one input, computed by the Rust side.
fn expected(fold: &FoldTable, kind: &str, input: &str) -> Value {
    let folded = fold.fold(input);
    match kind {
        "text" => {
            json!({"input": input, "folded": folded, "tokens": token_json(&tokens::text_tokens(&folded, 0))})
        }
        _ => json!({
            "input": input,
            "folded": folded,
            "parts": tokens::query_parts(&folded).iter().map(|p| token_json(p)).collect::<Vec<_>>(),
        }),
    }
}

/// The same file is checked by the JavaScript client in `tests/browser.rs`.
#[test]
fn tokeniser_matches_shared_vectors() {
    let vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(vectors_path()).unwrap()).unwrap();
    let mut checked = 0;
    for kind in ["text", "query"] {
        for case in vectors[kind].as_array().unwrap() {
            let input = case["input"].as_str().unwrap();
            assert_eq!(
                &expected(&index().fold, kind, input),
                case,
                "{kind} vector {input:?}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 25, "only {checked} vectors");
}

/// Rewrites the expectations from the Rust side, after a deliberate change
/// of the rule: `cargo test --test search -- --ignored bless_vectors`, then
/// review the diff (the browser test holds the client to the same file).
#[test]
#[ignore]
fn bless_vectors() {
    let path = vectors_path();
    let mut vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for kind in ["text", "query"] {
        let cases: Vec<Value> = vectors[kind]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| expected(&index().fold, kind, c["input"].as_str().unwrap()))
            .collect();
        vectors[kind] = json!(cases);
    }
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&vectors).unwrap() + "\n",
    )
    .unwrap();
}

/// Visible text of a page: tags dropped, the few entities Tera writes decoded.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

struct PageText {
    doc: u32,
    /// Page in this script.
    visible: String,
    /// Block texts of the doc file in this script.
    blocks: Vec<String>,
}

fn pages() -> Vec<PageText> {
    let mut out = Vec::new();
    for doc in 0..index().docs {
        for (script, prefix) in [("hans", ""), ("hant", "zh-Hant/")] {
            let file = json_file(&format!("search/docs/{script}/{doc}.json"));
            let url = file["u"].as_str().unwrap();
            out.push(PageText {
                doc,
                visible: visible(&text(&format!("{prefix}{url}"))),
                blocks: file["b"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|b| b[2].as_str().unwrap().to_string())
                    .collect(),
            });
        }
    }
    out
}

/// Every window of 2–8 characters of every block, in both scripts, that
/// holds two or more Han characters and that the reader sees on the page,
/// finds its page. Han-only windows also check precision: every page found
/// holds the phrase.
#[test]
fn every_visible_phrase_finds_its_page_and_only_pages_with_it() {
    let index = index();
    let pages = pages();
    let folded_blocks: BTreeMap<u32, Vec<String>> =
        pages.iter().fold(BTreeMap::new(), |mut m, p| {
            m.entry(p.doc)
                .or_insert_with(Vec::new)
                .extend(p.blocks.iter().map(|b| index.fold.fold(b)));
            m
        });
    let (mut queries, mut skipped, mut phrases) = (0, 0, 0);
    let mut misses = Vec::new();
    let mut imprecise = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for page in &pages {
        for block in &page.blocks {
            let chars: Vec<char> = block.chars().collect();
            // Latin words and numbers (10,000 included) match whole: a
            // window may not cut one (`App` is found by `app`, not by `pp`).
            // Words are the tokeniser's own units (folding keeps offsets).
            let words: Vec<(usize, usize)> = tokens::units(&index.fold.fold(block))
                .into_iter()
                .filter(|u| u.kind == tokens::UnitKind::Word)
                .map(|u| (u.start, u.start + u.len))
                .collect();
            let inside = |at: usize| words.iter().any(|&(a, b)| a < at && at < b);
            for len in [2, 3, 4, 6, 8] {
                for start in 0..chars.len().saturating_sub(len - 1) {
                    let window: String = chars[start..start + len].iter().collect();
                    if window.chars().filter(|c| is_han(*c)).count() < 2 {
                        continue;
                    }
                    if inside(start) || inside(start + len) {
                        continue;
                    }
                    if !page.visible.contains(&window) {
                        skipped += 1;
                        continue;
                    }
                    if !seen.insert((page.doc, window.clone())) {
                        continue;
                    }
                    queries += 1;
                    let hits = index.search(&window);
                    if !hits.iter().any(|h| h.doc == page.doc) {
                        misses.push(format!("doc {}: {window:?}", page.doc));
                    }
                    if window.chars().all(is_han) {
                        phrases += 1;
                        let folded = index.fold.fold(&window);
                        for h in &hits {
                            if !folded_blocks[&h.doc].iter().any(|b| b.contains(&folded)) {
                                imprecise
                                    .push(format!("{window:?} found doc {} without it", h.doc));
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(
        misses.is_empty(),
        "{} of {queries} missed, e.g. {:?}",
        misses.len(),
        &misses[..misses.len().min(20)]
    );
    assert!(
        imprecise.is_empty(),
        "{} imprecise, e.g. {:?}",
        imprecise.len(),
        &imprecise[..imprecise.len().min(20)]
    );
    assert!(
        queries > 5000 && phrases > 2000,
        "{queries} queries, {phrases} phrases"
    );
    assert!(
        skipped * 10 < queries,
        "{skipped} windows not visible on their page"
    );
}

/// The page each document of the index links to, by document number.
fn doc_urls() -> Vec<String> {
    (0..index().docs)
        .map(|d| {
            json_file(&format!("search/docs/hans/{d}.json"))["u"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn queries_readers_type() {
    let index = index();
    let urls = doc_urls();
    let found = |q: &str| -> Vec<&str> {
        index
            .search(q)
            .iter()
            .map(|h| urls[h.doc as usize].as_str())
            .collect()
    };
    for q in [
        "罚息",
        "協商減免罰息",
        "weilidai",
        "wld",
        "WLD",
        "95384",
        "９５３８４",
        "18%",
        "协商 分期",
    ] {
        assert!(!found(q).is_empty(), "{q} finds nothing");
    }
    assert_eq!(found("网商贷"), found("網商貸"), "scripts fold together");
    assert!(
        found("网商贷")
            .iter()
            .any(|u| u.starts_with("lenders/mybank/"))
    );
    assert!(
        found("weilidai").iter().all(|u| u.contains("weilidai")),
        "{:?}",
        found("weilidai")
    );
    assert_eq!(
        found("weilidai")[0],
        "lenders/weilidai/index.html",
        "title match first"
    );
    assert!(found("协商减免罚息完全不存在的短语").is_empty());
    assert!(found("，。").is_empty());
}

/// Every URL and anchor the index links to exists in the built page of
/// each script (anchors are converted to Traditional with the page).
#[test]
fn index_links_exist_in_both_scripts() {
    for doc in 0..index().docs {
        for (script, prefix) in [("hans", ""), ("hant", "zh-Hant/")] {
            let file = json_file(&format!("search/docs/{script}/{doc}.json"));
            let page = text(&format!("{prefix}{}", file["u"].as_str().unwrap()));
            for section in file["s"].as_array().unwrap() {
                let anchor = section[0].as_str().unwrap();
                assert!(
                    anchor.is_empty() || page.contains(&format!("id=\"{anchor}\"")),
                    "{script} doc {doc}: no #{anchor}"
                );
            }
        }
    }
}

/// The list for readers without JavaScript stays small at any site size: it
/// links every lender and topic page (each lender page lists its guides) and
/// no guide page.
fn nojs_lists_lenders_and_topics_not_guides(prefix: &str, page: &str) {
    let mut lenders = 0;
    for path in site().keys() {
        let Some(rest) = path.strip_prefix(prefix) else {
            continue;
        };
        if prefix.is_empty() && path.starts_with("zh-Hant/") {
            continue;
        }
        let parts: Vec<&str> = rest.split('/').collect();
        let href = format!("href=\"../{rest}\"");
        match parts.as_slice() {
            ["lenders", _, "index.html"] | ["topics", _, "index.html"] => {
                lenders += usize::from(parts[0] == "lenders");
                assert!(page.contains(&href), "{prefix}search lacks {href}");
            }
            ["lenders", _, _, "index.html"] => {
                assert!(!page.contains(&href), "{prefix}search lists guide {href}");
            }
            _ => {}
        }
    }
    assert!(lenders >= 10, "{prefix}: found {lenders} lender pages");
}

#[test]
fn search_page_and_header_box() {
    for prefix in ["", "zh-Hant/"] {
        let page = text(&format!("{prefix}search/index.html"));
        assert!(page.contains("<ol id=\"search-results\""));
        assert!(page.contains("static/search.js\" defer></script>"));
        assert!(
            page.contains("id=\"search-nojs\""),
            "says search needs JavaScript"
        );
        nojs_lists_lenders_and_topics_not_guides(prefix, &page);
        let home = text(&format!("{prefix}index.html"));
        assert!(
            home.contains("action=\"search/index.html\""),
            "header search box"
        );
        assert!(
            !home.contains("search.js"),
            "client loads only where it searches"
        );
    }
    let manifest = json_file("search/manifest.json");
    assert!(manifest["headShards"].as_u64().unwrap() >= 1);
    assert!(manifest["bodyShards"].as_u64().unwrap() >= 1);
    assert!(manifest["fold"].as_str().unwrap().contains("網网"));
}

/// Issue 11: every bundled lender is found by its name, its Traditional
/// name and its pinyin (full and initials), and its own page is among the
/// first results.
#[test]
fn every_lender_is_found_by_name_traditional_name_and_pinyin() {
    let index = index();
    let urls = doc_urls();
    let (content, _) = lendguide::check(&root().join("content")).unwrap();
    let (content, _) = content.expect("valid content");
    let s2t = lendguide::script::Converter::new().unwrap();
    assert!(content.lenders.len() >= 12, "{}", content.lenders.len());
    for l in &content.lenders {
        let page = format!("lenders/{}/index.html", l.slug);
        // The name's first run of Han characters, in pinyin and initials.
        use pinyin::ToPinyin;
        let run: String = l.name.chars().take_while(|c| is_han(*c)).collect();
        let syllables: Vec<&str> = run
            .as_str()
            .to_pinyin()
            .flatten()
            .map(|p| p.plain())
            .collect();
        let full = syllables.concat();
        let initials: String = syllables.iter().filter_map(|p| p.get(..1)).collect();
        for q in [l.name.clone(), s2t.to_traditional(&l.name), full, initials] {
            let hits: Vec<&str> = index
                .search(&q)
                .iter()
                .take(10)
                .map(|h| urls[h.doc as usize].as_str())
                .collect();
            assert!(
                hits.contains(&page.as_str()),
                "{q:?} does not find {page} in its first ten: {hits:?}"
            );
        }
    }
}
