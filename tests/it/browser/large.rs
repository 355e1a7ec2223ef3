//! Search on a site large enough that the heaviest tokens' body postings
//! have files of their own (`src/index/shards.rs`): the client reads them
//! there, and ranks as the Rust mirror does.

use fantoccini::Locator;
use lendguide::index::query::PublishedIndex;

use super::ranks_as_rust;
use crate::browser::server;
use crate::driver;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heavy_tokens_are_read_from_their_own_files() {
    driver::require_browser();
    let files = crate::search_page::large_site();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    for (path, bytes) in &files {
        let path = out.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes.as_ref()).unwrap();
    }
    let index = PublishedIndex::from_files(&files).unwrap();
    let own = |q: &str| -> Vec<String> {
        let d = index.shards_for(q);
        d.body
            .into_iter()
            .filter(|p| p.starts_with("search/body/own/"))
            .collect()
    };

    let server = server::serve(&out);
    let driver = driver::start_driver();
    let c = driver::connect(&driver, &tmp.path().join("profile")).await;
    // A heavy token alone, in a phrase with light ones, and as one part
    // of a spaced query.
    for q in ["示例", "示例数字", "协商 示例"] {
        let heavy = own(q);
        assert!(!heavy.is_empty(), "{q}: no token with its own file");
        // A fresh page each time: the client keeps what it fetched.
        c.goto(&format!("{}/search/index.html", server.origin))
            .await
            .unwrap();
        c.find(Locator::Id("search-input")).await.unwrap();
        server.log.lock().unwrap().clear();
        ranks_as_rust(&c, &files, &index, q).await;
        let served: Vec<String> = server
            .log
            .lock()
            .unwrap()
            .iter()
            .map(|(p, _)| p.trim_start_matches('/').to_string())
            .collect();
        for file in &heavy {
            assert!(served.contains(file), "{q}: {file} not read: {served:?}");
        }
        assert!(
            !served.iter().any(|p| p.starts_with("search/body/")
                && !p.starts_with("search/body/own/")
                && !index.shards_for(q).body.contains(p)),
            "{q}: read a body file it does not need: {served:?}"
        );
    }
}
