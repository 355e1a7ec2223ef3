//! Times `FoldTable::build` over a built site's search documents (both
//! scripts), the step of the index stage that reads all indexed text:
//! `cargo run --release --example fold_bench -- --site DIR` (a site built
//! before per-page Traditional files were dropped: it reads
//! `search/docs/{hans,hant}/<n>.json`).

use std::path::PathBuf;
use std::time::Instant;

use lendguide::index::fold::FoldTable;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let site = args
        .iter()
        .position(|a| a == "--site")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .expect("--site DIR");
    let docs = site.join("search/docs");
    let mut pieces = Vec::new();
    for n in 0.. {
        let (Ok(a), Ok(b)) = (
            std::fs::read_to_string(docs.join(format!("hans/{n}.json"))),
            std::fs::read_to_string(docs.join(format!("hant/{n}.json"))),
        ) else {
            break;
        };
        pieces.push((a, b));
    }
    let bytes: usize = pieces.iter().map(|(a, b)| a.len() + b.len()).sum();
    for _ in 0..3 {
        let start = Instant::now();
        let table = FoldTable::build(pieces.iter().map(|(a, b)| (a.as_str(), b.as_str())));
        println!(
            "{} pages, {:.1} MB: FoldTable::build {:.2} s, {} pairs",
            pieces.len(),
            bytes as f64 / 1e6,
            start.elapsed().as_secs_f64(),
            table.len()
        );
    }
}
