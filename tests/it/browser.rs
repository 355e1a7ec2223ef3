//! Search in a real headless Chromium: the bundled site is built into a
//! temporary folder, served on 127.0.0.1 from this test, and driven through
//! chromedriver with fantoccini: type queries, read `#search-results li`,
//! use the keyboard, click through, take a screenshot. The client's
//! tokeniser is held to `tests/search_vectors.json` here, and its ranking to
//! the Rust mirror (`index::query`).
//!
//! Needs Debian's `chromium`, `chromium-driver` and `fonts-noto-cjk`
//! (`./scripts/test.sh` installs them); without them the test fails.

mod large;
pub mod server;

use crate::driver;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use lendguide::BuildOptions;
use lendguide::index::query::PublishedIndex;
use serde_json::{Value, json};

/// One `<li>` of the results: the first link's href and text, the item's text.
#[derive(Debug)]
struct Item {
    href: String,
    title: String,
    text: String,
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, Vec::new()).await.expect(script)
}

/// Types `query` into the search box and waits until the list is complete.
async fn search(c: &Client, query: &str) -> Vec<Item> {
    let input = c
        .find(Locator::Id("search-input"))
        .await
        .expect("search box");
    input.clear().await.unwrap();
    input.send_keys(query).await.unwrap();
    wait_for_results(c, query).await
}

async fn wait_for_results(c: &Client, query: &str) -> Vec<Item> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let done = js(
            c,
            "return document.getElementById('search-results').getAttribute('data-query')",
        )
        .await;
        if done.as_str() == Some(query.trim()) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no results for {query:?} (data-query {done})"
        );
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    let items = js(
        c,
        "return Array.from(document.querySelectorAll('#search-results li')).map(li => {
           const a = li.querySelector('a');
           return [a.getAttribute('href'), a.textContent, li.textContent];
         })",
    )
    .await;
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| Item {
            href: i[0].as_str().unwrap().into(),
            title: i[1].as_str().unwrap().into(),
            text: i[2].as_str().unwrap().into(),
        })
        .collect()
}

/// Types `q` and checks that the browser shows the Rust mirror's first ten
/// results of the site `files` in its order.
async fn ranks_as_rust<B: std::borrow::Borrow<Vec<u8>>>(
    c: &Client,
    files: &BTreeMap<String, B>,
    index: &PublishedIndex,
    q: &str,
) {
    let doc_url = |d: u32| -> String {
        let file = files[&format!("search/docs/hans/{d}.json")].borrow();
        let f: Value = serde_json::from_slice(file).unwrap();
        f["u"].as_str().unwrap().to_string()
    };
    let items = search(c, q).await;
    let shown: Vec<&str> = items.iter().map(|i| page_of(&i.href)).collect();
    let expected: Vec<String> = index
        .search(q)
        .iter()
        .take(10)
        .map(|h| doc_url(h.doc))
        .collect();
    assert!(!shown.is_empty(), "{q} finds nothing in the browser");
    assert_eq!(shown, expected, "{q}: browser and Rust rank differently");
}

/// The page a result links to, relative to the script root, no anchor.
fn page_of(href: &str) -> &str {
    href.trim_start_matches("../").split('#').next().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_in_chromium() {
    driver::require_browser();
    let tmp = tempfile::tempdir().unwrap();
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = tmp.path().join("site");
    let options = BuildOptions {
        content: root.join("content"),
        templates: root.join("templates"),
        out: out.clone(),
        base_url: None,
    };
    let report = lendguide::build(&options).expect("build");
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
    let files: BTreeMap<String, Vec<u8>> = walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    let index = PublishedIndex::from_files(&files).unwrap();

    let server = server::serve(&out);
    let driver = driver::start_driver();
    let c = driver::connect(&driver, &tmp.path().join("profile")).await;
    let origin = &server.origin;

    // 1. A shared link runs its query on load.
    c.goto(&format!("{origin}/search/index.html?q=%E7%BD%9A%E6%81%AF"))
        .await
        .unwrap();
    let found = wait_for_results(&c, "罚息").await;
    assert!(!found.is_empty(), "罚息 finds pages");
    // The head shards found more than a screen, so the first results were
    // shown before any body shard was asked for (issue 12: a cold query's
    // first screen reads titles and headings only).
    assert!(index.search_head("罚息").len() >= 10);
    let order = js(
        &c,
        "const first = performance.getEntriesByName('lendguide-search-first');
         const shards = h => performance.getEntriesByType('resource')
           .filter(e => e.name.includes('/search/' + h + '/')).map(e => e.startTime);
         return {first: first.length ? first[0].startTime : null,
                 head: shards('head'), body: shards('body')}",
    )
    .await;
    let first = order["first"]
        .as_f64()
        .expect("a first screen before the body");
    let starts = |half: &str| -> Vec<f64> {
        order[half]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_f64().unwrap())
            .collect()
    };
    assert!(!starts("head").is_empty() && starts("head").iter().all(|&t| t < first));
    assert!(
        !starts("body").is_empty(),
        "the body shards follow: {order}"
    );
    assert!(starts("body").iter().all(|&t| t >= first), "{order}");
    assert!(found.iter().all(|i| i.text.contains("罚息")), "{found:?}");
    assert!(
        js(
            &c,
            "return document.querySelector('#search-results mark') !== null"
        )
        .await
        .as_bool()
        .unwrap()
    );
    assert!(
        js(&c, "return document.getElementById('search-nojs').hidden")
            .await
            .as_bool()
            .unwrap()
    );
    let total = index.search("罚息").len();
    assert_eq!(found.len(), total.min(10), "results come ten at a time");
    if total > 10 {
        c.find(Locator::Id("search-more"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while js(
            &c,
            "return document.querySelectorAll('#search-results li').length",
        )
        .await
            != json!(total.min(20))
        {
            assert!(Instant::now() < deadline, "显示更多 did not add results");
            tokio::time::sleep(Duration::from_millis(40)).await;
        }
    }

    // 2. The client's tokeniser agrees with the shared vectors.
    let vectors: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/search_vectors.json")).unwrap(),
    )
    .unwrap();
    let verdict = c
        .execute_async(
            "const [vectors, done] = arguments;
             const s = window.lendguideSearch;
             const base = document.getElementById('search-input').dataset.index;
             fetch(base + 'manifest.json').then(r => r.json()).then(m => {
               const fold = s.makeFold(m.fold), bad = [];
               for (const c of vectors.text) {
                 const f = fold(c.input), t = s.textTokens(f, 0);
                 if (f !== c.folded || JSON.stringify(t) !== JSON.stringify(c.tokens)) bad.push(['text', c.input, f, t]);
               }
               for (const c of vectors.query) {
                 const f = fold(c.input), p = s.queryParts(f);
                 if (f !== c.folded || JSON.stringify(p) !== JSON.stringify(c.parts)) bad.push(['query', c.input, f, p]);
               }
               // A position in the wrong half is refused (encode.rs `join`).
               const at = (doc, ...positions) => [{doc: doc, positions: positions}];
               const joined = s.join(
                 new Map([['罚', at(1, m.bodyBase)], ['息', at(1, 2)]]),
                 new Map([['息', at(1, m.bodyBase + 4)], ['罚息', at(2, 3)], ['贷', at(3, m.bodyBase)]]),
                 m.bodyBase);
               const kept = JSON.stringify(Array.from(joined));
               if (kept !== JSON.stringify([['息', at(1, 2, m.bodyBase + 4)], ['贷', at(3, m.bodyBase)]]))
                 bad.push(['join', kept]);
               done({bad: bad, count: vectors.text.length + vectors.query.length});
             }).catch(e => done({error: String(e)}));",
            vec![vectors.clone()],
        )
        .await
        .unwrap();
    assert_eq!(
        verdict["bad"],
        json!([]),
        "JS tokeniser or join disagrees: {verdict}"
    );
    assert!(verdict["count"].as_u64().unwrap() >= 25, "{verdict}");

    // 3. Queries readers type; the ranking is the Rust mirror's, in order.
    for q in [
        "網商貸",
        "协商减免罚息",
        "協商減免罰息",
        "weilidai",
        "wld",
        "95384",
        "18%",
        "10000",
        "协商 分期",
        "贷",
    ] {
        ranks_as_rust(&c, &files, &index, q).await;
        let url = c.current_url().await.unwrap();
        let q_in_url = url
            .query_pairs()
            .find(|(k, _)| k == "q")
            .map(|(_, v)| v.into_owned());
        assert_eq!(q_in_url.as_deref(), Some(q), "the URL follows the box");
    }
    let mybank = search(&c, "網商貸").await;
    assert!(
        mybank.iter().any(|i| i.href.contains("lenders/mybank/")),
        "{mybank:?}"
    );
    let wld = search(&c, "wld").await;
    assert!(wld[0].href.contains("lenders/weilidai/"), "{wld:?}");
    let title_marks = js(
        &c,
        "return Array.from(document.querySelectorAll('#search-results a.result-title mark')).map(m => m.textContent)",
    )
    .await;
    assert!(
        title_marks
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "微粒贷"),
        "a pinyin query marks the name it spells: {title_marks}"
    );
    // A number typed without separators finds and marks it as the page
    // writes it.
    for q in ["10000", "10,000"] {
        let items = search(&c, q).await;
        assert!(!items.is_empty(), "{q} finds the pages that show 10,000");
        let marked = js(
            &c,
            "return Array.from(document.querySelectorAll('#search-results mark')).map(m => m.textContent)",
        )
        .await;
        assert!(
            marked.as_array().unwrap().iter().any(|m| m == "10,000"),
            "{q}: {marked}"
        );
    }
    // The count never shows over an empty list: watch every change of the
    // status line while a query runs.
    js(
        &c,
        "window.__countWithoutResults = 0;
         new MutationObserver(() => {
           const s = document.getElementById('search-status').textContent;
           const n = document.querySelectorAll('#search-results li').length;
           if (/[0-9]/.test(s) && n === 0) window.__countWithoutResults += 1;
         }).observe(document.getElementById('search-status'),
                    {childList: true, characterData: true, subtree: true});
         return 0;",
    )
    .await;
    for q in ["协商", "罚息", "分期"] {
        assert!(!search(&c, q).await.is_empty());
    }
    assert_eq!(
        js(&c, "return window.__countWithoutResults").await,
        json!(0),
        "the result count appeared before the results"
    );

    // 4. No result, then empty: both suggest something to try.
    assert!(search(&c, "量子计算机").await.is_empty());
    assert!(
        !js(
            &c,
            "return document.getElementById('search-suggest').hidden"
        )
        .await
        .as_bool()
        .unwrap()
    );
    assert!(search(&c, " ").await.is_empty());
    let status = js(
        &c,
        "return document.getElementById('search-status').textContent",
    )
    .await;
    assert!(!status.as_str().unwrap().is_empty());

    // 5. Traditional page: Simplified query, Traditional results, deep links.
    c.goto(&format!("{origin}/zh-Hant/search/index.html"))
        .await
        .unwrap();
    let hant = search(&c, "网商贷").await;
    assert!(hant.iter().any(|i| i.title.contains("網商貸")), "{hant:?}");
    assert!(
        hant.iter().all(|i| !i.title.contains("网商贷")),
        "titles in the page's script"
    );
    assert!(!search(&c, "協商減免罰息").await.is_empty());
    let unmarked = js(&c, "return Array.from(document.querySelectorAll('#search-results li')).filter(li => !li.querySelector('mark')).length").await;
    assert_eq!(
        unmarked,
        json!(0),
        "every result shows the phrase highlighted"
    );

    // 6. Keyboard: arrow down into the results, Enter opens the page.
    let first = search(&c, "展期").await;
    let input = c.find(Locator::Id("search-input")).await.unwrap();
    input.send_keys(&Key::Down.to_string()).await.unwrap();
    let active = c.active_element().await.unwrap();
    assert_eq!(
        active.attr("href").await.unwrap().as_deref(),
        Some(first[0].href.as_str())
    );
    active.send_keys(&Key::Enter.to_string()).await.unwrap();
    wait_for_page(&c, page_of(&first[0].href)).await;

    // 7. Click through a deep link from the header's box on any page.
    c.goto(&format!("{origin}/lenders/weilidai/index.html"))
        .await
        .unwrap();
    let header = c.find(Locator::Id("site-q")).await.unwrap();
    header
        .send_keys(&format!("拿到书面确认{}", Key::Enter))
        .await
        .unwrap();
    let results = wait_for_results(&c, "拿到书面确认").await;
    assert!(
        results[0].href.contains('#'),
        "deep link to the step: {results:?}"
    );
    c.find(Locator::Css("#search-results li a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_page(&c, page_of(&results[0].href)).await;
    let fragment = c
        .current_url()
        .await
        .unwrap()
        .fragment()
        .map(str::to_string);
    let target = js(
        &c,
        "return document.getElementById(decodeURIComponent(location.hash.slice(1))) !== null",
    )
    .await;
    assert_eq!(target, json!(true), "anchor {fragment:?} exists");

    // 8. Nothing was requested from outside the site.
    c.goto(&format!("{origin}/search/index.html?q=weilidai"))
        .await
        .unwrap();
    wait_for_results(&c, "weilidai").await;
    let resources = js(
        &c,
        "return performance.getEntriesByType('resource').map(e => e.name)",
    )
    .await;
    for r in resources.as_array().unwrap() {
        assert!(
            r.as_str().unwrap().starts_with(origin.as_str()),
            "outside request {r}"
        );
    }
    let shot = c.screenshot().await.unwrap();
    let path = tmp.path().join("search.png");
    std::fs::write(&path, &shot).unwrap();
    if let Ok(dir) = std::env::var("LENDGUIDE_SCREENSHOTS") {
        std::fs::write(std::path::Path::new(&dir).join("search.png"), &shot).unwrap();
    }
    assert!(shot.len() > 10_000, "screenshot {}", path.display());
    let served = server.log.lock().unwrap().len();
    assert!(served > 10, "{served} requests served");
    c.close().await.unwrap();
}

async fn wait_for_page(c: &Client, page: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !c.current_url().await.unwrap().path().ends_with(page) {
        assert!(Instant::now() < deadline, "did not open {page}");
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
}
