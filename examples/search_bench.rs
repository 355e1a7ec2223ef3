//! Search benchmark over a built site (not a test; see
//! `scripts/bench-search.sh`): index bytes on disk, bytes a cold query
//! downloads, recall and precision against "the page text contains the
//! query" on sampled phrases from both scripts, and, with `--chromium`,
//! time to first results in headless Chromium.
//!
//! `cargo run --release --example search_bench -- --site DIR [--samples N] [--chromium]`

// Shared with the tests, which use more of it (dark mode, DevTools commands).
#[allow(dead_code)]
#[path = "../tests/it/driver.rs"]
mod driver;
#[path = "../tests/it/browser/server.rs"]
mod server;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lendguide::index::query::PublishedIndex;
use lendguide::index::tokens::is_han;
use serde_json::Value;

const COLD: [&str; 10] = [
    "罚息",
    "协商减免罚息",
    "協商減免罰息",
    "网商贷",
    "網商貸",
    "weilidai",
    "wld",
    "95384",
    "18%",
    "协商 分期",
];

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

fn size(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

fn dir_size(p: &Path) -> (u64, usize) {
    walkdir::WalkDir::new(p)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .fold((0, 0), |(b, n), e| (b + size(e.path()), n + 1))
}

fn doc_file(site: &Path, script: &str, doc: u32) -> Value {
    let p = site.join(format!("search/docs/{script}/{doc}.json"));
    serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap()
}

/// Bytes of `p` after `gzip -6`, what a static host that compresses sends.
fn gz(p: &Path) -> u64 {
    let out = std::process::Command::new("gzip")
        .args(["-6", "-c"])
        .arg(p)
        .output()
        .expect("gzip");
    out.stdout.len() as u64
}

fn kb(b: u64) -> String {
    format!("{:.1} KB", b as f64 / 1024.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let site = PathBuf::from(arg("--site").expect("--site DIR (a built output folder)"));
    let samples: usize = arg("--samples").and_then(|n| n.parse().ok()).unwrap_or(400);
    let index = PublishedIndex::read(|p| std::fs::read(site.join(p)).ok()).expect("index");
    let docs = index.docs;

    // Bytes on disk.
    let (total, files) = dir_size(&site.join("search"));
    let (head_shards, _) = dir_size(&site.join("search/head"));
    let (body_shards, body_files) = dir_size(&site.join("search/body"));
    let (doc_bytes, _) = dir_size(&site.join("search/docs"));
    let manifest = size(&site.join("search/manifest.json"));
    let client = size(&site.join("static/search.js"));
    println!(
        "## {} pages indexed ({} head shards, {} body shards)\n",
        docs, index.counts[0], index.counts[1]
    );
    println!("| index on disk | bytes |\n|---|---|");
    println!(
        "| everything under search/ ({files} files) | {} |",
        kb(total)
    );
    println!(
        "| head shards (titles, names, headings) | {} |",
        kb(head_shards)
    );
    println!(
        "| body shards and heavy tokens' own files ({body_files} files) | {} |",
        kb(body_shards)
    );
    println!(
        "| page files (both scripts, for snippets) | {} |",
        kb(doc_bytes)
    );
    println!("| manifest (with fold table) | {} |", kb(manifest));
    println!("| client search.js | {} |\n", kb(client));

    // Ground truth: folded text of every block of every page.
    let folded: Vec<Vec<String>> = (0..docs)
        .map(|d| {
            doc_file(&site, "hans", d)["b"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| index.fold.fold(b[2].as_str().unwrap()))
                .collect()
        })
        .collect();
    let truth = |q: &str| -> BTreeSet<u32> {
        let f = index.fold.fold(q);
        (0..docs)
            .filter(|&d| folded[d as usize].iter().any(|b| b.contains(&f)))
            .collect()
    };

    // Cold queries: what they download and how good the answer is. The
    // first screen is the manifest, the head shards, the body shards only
    // when the head finds fewer than ten pages, and the ten pages' files;
    // the whole answer (exact count, every page) adds the body shards.
    println!(
        "| cold query | pages found | contain it | first screen: bytes | first screen: gzipped (each file alone) | head shards gz | body shards gz | page files gz | whole answer gz |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let manifest_gz = gz(&site.join("search/manifest.json"));
    for q in COLD {
        let hits = index.search(q);
        let files = index.shards_for(q);
        let bytes = |paths: &[String], f: &dyn Fn(&Path) -> u64| -> u64 {
            paths.iter().map(|p| f(&site.join(p))).sum()
        };
        let (head_bytes, body_bytes) = (bytes(&files.head, &size), bytes(&files.body, &size));
        let (head_gz, body_gz) = (bytes(&files.head, &gz), bytes(&files.body, &gz));
        let body_first = index.search_head(q).len() < 10;
        let page = |h: &lendguide::index::query::Hit| {
            site.join(format!("search/docs/hans/{}.json", h.doc))
        };
        let page_bytes: u64 = hits.iter().take(10).map(|h| size(&page(h))).sum();
        let page_gz: u64 = hits.iter().take(10).map(|h| gz(&page(h))).sum();
        if std::env::var_os("BENCH_IDS").is_some() {
            let ids: Vec<u32> = hits.iter().take(10).map(|h| h.doc).collect();
            eprintln!("{q} {ids:?}");
        }
        let contain = if q.chars().all(is_han) {
            truth(q).len().to_string()
        } else {
            "—".into()
        };
        let first = manifest + head_bytes + page_bytes + if body_first { body_bytes } else { 0 };
        let first_gz = manifest_gz + head_gz + page_gz + if body_first { body_gz } else { 0 };
        println!(
            "| `{q}` | {} | {contain} | {} | {} | {} | {} | {} | {} |",
            hits.len(),
            kb(first),
            kb(first_gz),
            kb(head_gz),
            kb(body_gz),
            kb(page_gz),
            kb(manifest_gz + head_gz + body_gz + page_gz),
        );
    }

    // Sampled phrases (2–8 Han characters) from random blocks, both scripts.
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut relevant, mut found_relevant, mut found, mut queries) =
        (0usize, 0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    let mut sampled: Vec<String> = Vec::new();
    let started = Instant::now();
    while queries < samples {
        let doc = rng.below(docs as usize) as u32;
        let script = if queries % 2 == 0 { "hans" } else { "hant" };
        let file = doc_file(&site, script, doc);
        let blocks = file["b"].as_array().unwrap();
        let text: Vec<char> = blocks[rng.below(blocks.len())][2]
            .as_str()
            .unwrap()
            .chars()
            .collect();
        let len = 2 + rng.below(7);
        if text.len() < len {
            continue;
        }
        let start = rng.below(text.len() - len + 1);
        let q: String = text[start..start + len].iter().collect();
        if !q.chars().all(is_han) {
            continue;
        }
        queries += 1;
        sampled.push(q.clone());
        let want = truth(&q);
        let got: BTreeSet<u32> = index.search(&q).iter().map(|h| h.doc).collect();
        relevant += want.len();
        found += got.len();
        found_relevant += want.intersection(&got).count();
        if !got.contains(&doc) {
            misses.push(q);
        }
    }
    let per_query = started.elapsed() / queries.max(1) as u32;
    println!(
        "\n{queries} sampled phrases (2–8 Han characters, half from Traditional pages): \
         recall {:.2}% ({found_relevant}/{relevant}), precision {:.2}% ({found_relevant}/{found}), \
         source page found {}/{queries}; Rust evaluation {:?}/query",
        100.0 * found_relevant as f64 / relevant.max(1) as f64,
        100.0 * found_relevant as f64 / found.max(1) as f64,
        queries - misses.len(),
        per_query,
    );
    if !misses.is_empty() {
        println!("missed: {:?}", &misses[..misses.len().min(10)]);
    }

    if args.iter().any(|a| a == "--chromium") {
        chromium(&site).await;
    }
    if let Some(n) = arg("--pagefind").and_then(|n| n.parse::<usize>().ok()) {
        let urls: std::collections::HashMap<String, u32> = (0..docs)
            .map(|d| {
                (
                    doc_file(&site, "hans", d)["u"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    d,
                )
            })
            .collect();
        pagefind(&site, &sampled[..n.min(sampled.len())], &urls, &truth).await;
    }
}

/// The same queries through Pagefind (run `pagefind --site DIR` first), in
/// the same Chromium, from a bench page without our CSP (Pagefind needs
/// WebAssembly). Its index is per language, so a Simplified page searches
/// the Simplified pages only, as a reader on that page would.
async fn pagefind(
    site: &Path,
    sampled: &[String],
    urls: &std::collections::HashMap<String, u32>,
    truth: &dyn Fn(&str) -> BTreeSet<u32>,
) {
    std::fs::write(
        site.join("pf-bench.html"),
        "<!doctype html><html lang=\"zh-Hans\"><head><meta charset=\"utf-8\"></head><body></body></html>",
    )
    .unwrap();
    let server = server::serve(site);
    let driver = driver::start_driver();
    let profile = tempfile::tempdir().unwrap();
    let c = driver::connect(&driver, profile.path()).await;
    let run = |q: &str, all: bool| {
        let c = &c;
        let q = q.to_string();
        async move {
            c.execute_async(
                "const [q, all, done] = arguments;
                 (async () => {
                   const pf = window.__pf || (window.__pf = await import('/pagefind/pagefind.js'));
                   const r = await pf.search(q);
                   const list = all ? r.results : r.results.slice(0, 10);
                   const data = await Promise.all(list.map(x => x.data()));
                   done({count: r.results.length, urls: data.map(d => d.url), ms: performance.now()});
                 })().catch(e => done({error: String(e)}));",
                vec![Value::from(q), Value::from(all)],
            )
            .await
            .unwrap()
        }
    };
    let doc_of = |u: &str| -> Option<u32> {
        let u = u.trim_start_matches('/').trim_start_matches("zh-Hant/");
        let u = if u.ends_with('/') || u.is_empty() {
            format!("{u}index.html")
        } else {
            u.to_string()
        };
        urls.get(&u).copied()
    };
    println!(
        "\n| Pagefind 1.x, cold | pages found | contain it | first 10 results | all bytes (JS, wasm, index, 10 fragments) |\n|---|---|---|---|---|"
    );
    for q in COLD {
        c.goto(&format!("{}/pf-bench.html", server.origin))
            .await
            .unwrap();
        let before = server.log.lock().unwrap().len();
        let r = run(q, false).await;
        let bytes: usize = server.log.lock().unwrap()[before..]
            .iter()
            .map(|(_, n)| n)
            .sum();
        let contain = if q.chars().all(is_han) {
            truth(q).len().to_string()
        } else {
            "—".into()
        };
        println!(
            "| `{q}` | {} | {contain} | {:.0} ms | {} |",
            r["count"],
            r["ms"].as_f64().unwrap_or(0.0),
            kb(bytes as u64)
        );
    }
    let (mut relevant, mut hit, mut found) = (0, 0, 0);
    for q in sampled {
        let r = run(q, true).await;
        let got: BTreeSet<u32> = r["urls"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|u| u.as_str().and_then(doc_of))
                    .collect()
            })
            .unwrap_or_default();
        let want = truth(q);
        relevant += want.len();
        found += got.len();
        hit += want.intersection(&got).count();
    }
    println!(
        "\nPagefind on {} of the sampled phrases: recall {:.2}% ({hit}/{relevant}), precision {:.2}% ({hit}/{found})",
        sampled.len(),
        100.0 * hit as f64 / relevant.max(1) as f64,
        100.0 * hit as f64 / found.max(1) as f64,
    );
    c.close().await.unwrap();
}

/// Time from navigation start to the results list being complete
/// (`performance.mark("lendguide-search-done")`), cold (the server says
/// no-store), and the bytes the server sent for the search itself.
async fn chromium(site: &Path) {
    let server = server::serve(site);
    let driver = driver::start_driver();
    let profile = tempfile::tempdir().unwrap();
    let c = driver::connect(&driver, profile.path()).await;
    println!(
        "\n| query in Chromium (cold) | first results | whole answer | index bytes | all bytes (page, CSS, JS, index) |\n|---|---|---|---|---|"
    );
    for q in COLD {
        let before = server.log.lock().unwrap().len();
        let url = format!("{}/search/index.html?q={}", server.origin, encode(q));
        c.goto(&url).await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        // The first screen is marked only when it came before the body
        // shards; otherwise the first results are the whole answer.
        let (first, ms) = loop {
            let v = c
                .execute(
                    "const t = n => { const m = performance.getEntriesByName(n); return m.length ? m[0].startTime : null; };
                     return [t('lendguide-search-first'), t('lendguide-search-done')]",
                    Vec::new(),
                )
                .await
                .unwrap();
            if let Some(ms) = v[1].as_f64() {
                break (v[0].as_f64().unwrap_or(ms), ms);
            }
            assert!(Instant::now() < deadline, "{q}: no results");
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        let log = server.log.lock().unwrap()[before..].to_vec();
        let index: usize = log
            .iter()
            .filter(|(p, _)| p.starts_with("/search/") && p.ends_with(".json"))
            .map(|(_, n)| n)
            .sum();
        let all: usize = log.iter().map(|(_, n)| n).sum();
        println!(
            "| `{q}` | {first:.0} ms | {ms:.0} ms | {} | {} |",
            kb(index as u64),
            kb(all as u64)
        );
    }
    c.close().await.unwrap();
}

fn encode(q: &str) -> String {
    q.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
