//! Times the Traditional conversion of a page (`Converter::to_traditional`,
//! what `render` does to every page in the Traditional script) over the
//! Simplified guide pages of a built site, after one warm-up pass that
//! fills the converter's memo as a build's first pages do:
//! `cargo run --release --example convert_bench -- SITE [ROUNDS]` (SITE: a
//! built output folder; ROUNDS: passes over its pages, 200 by default).

use std::path::PathBuf;
use std::time::Instant;

use lendguide::script::Converter;

fn main() {
    let mut args = std::env::args().skip(1);
    let site = PathBuf::from(args.next().expect("SITE: a built output folder"));
    let rounds: usize = args
        .next()
        .map_or(200, |n| n.parse().expect("ROUNDS: a number"));
    let mut pages = Vec::new();
    for lender in std::fs::read_dir(site.join("lenders")).expect("a built site") {
        let Ok(guides) = std::fs::read_dir(lender.expect("a folder").path()) else {
            continue;
        };
        for guide in guides.flatten() {
            if let Ok(page) = std::fs::read_to_string(guide.path().join("index.html")) {
                pages.push(page);
            }
        }
    }
    let converter = Converter::shared().expect("the OpenCC dictionaries");
    for page in &pages {
        converter.to_traditional(page);
    }
    let started = Instant::now();
    let bytes: usize = (0..rounds)
        .flat_map(|_| &pages)
        .map(|page| converter.to_traditional(page).len())
        .sum();
    let took = started.elapsed();
    println!(
        "{} pages × {rounds}: {:.1} MB/s ({bytes} bytes in {took:.2?})",
        pages.len(),
        bytes as f64 / took.as_secs_f64() / 1e6
    );
}
