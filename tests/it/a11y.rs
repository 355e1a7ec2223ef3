//! Accessibility in a real Chromium: axe-core (pinned in
//! `tests/a11y/package.json`; `scripts/test.sh` installs it) runs on every
//! kind of page the bundled site has, in both scripts, in light and in dark
//! mode, at a phone's 320 px and a desktop's 1280 px (a table that fits one
//! may scroll in the other), and must find nothing. Search runs with a query typed and its results
//! shown, the calculator with results drawn, because that is what a reader
//! sees. A failure lists each violation's rule, impact, help and targets.
//!
//! Dark mode is emulated through the DevTools protocol
//! (`Emulation.setEmulatedMedia`, `prefers-color-scheme: dark`), and the test
//! checks that the page sees it before trusting the result.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::browser::server;
use crate::common::{build_bundled, root};
use crate::driver;

/// What to do on a page before checking it.
#[derive(Clone, Copy)]
enum Visit {
    Read,
    /// Type this query into the search box and wait for the results.
    Search(&'static str),
    /// The calculator computes from its query on load; wait for the result.
    Calculate,
}

/// Paths under each script's root (`/` and `/zh-Hant/`).
const PAGES: &[(&str, Visit)] = &[
    ("index.html", Visit::Read),
    ("lenders/weilidai/index.html", Visit::Read),
    ("lenders/weilidai/waiver/index.html", Visit::Read),
    // A guide with a long repayment schedule, which scrolls on a phone.
    ("lenders/weilidai/installment/index.html", Visit::Read),
    ("compare/index.html", Visit::Read),
    ("search/index.html", Visit::Search("罚息")),
    (
        "calculator/index.html?type=schedule&principal=10000&annual_rate=18%25&months=12&monthly_fee_rate=0.1%25",
        Visit::Calculate,
    ),
    (
        "calculator/index.html?type=negotiation&principal=10000&annual_rate=18%25&penalty_markup=50%25\
         &unpaid_interest=300&penalty_accrued=200&o1_kind=stay-overdue&o1_days=90\
         &o2_kind=settle&o2_waive_penalty=100%25&o3_kind=installment&o3_months=12",
        Visit::Calculate,
    ),
];

pub fn axe_source() -> String {
    let path: PathBuf = root().join("tests/a11y/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; install axe-core with `npm ci --prefix tests/a11y` \
             (./scripts/test.sh does this)",
            path.display()
        )
    })
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, Vec::new()).await.expect(script)
}

async fn wait_until(c: &Client, what: &str, script: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while js(c, script).await != Value::Bool(true) {
        assert!(Instant::now() < deadline, "waited in vain for {what}");
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
}

async fn prepare(c: &Client, visit: Visit) {
    match visit {
        Visit::Read => {}
        Visit::Search(q) => {
            let input = c
                .find(Locator::Id("search-input"))
                .await
                .expect("search box");
            input.send_keys(q).await.unwrap();
            wait_until(
                c,
                "search results",
                &format!(
                    "const r = document.getElementById('search-results');\
                     return r.getAttribute('data-query') === {q:?} && r.querySelector('li') !== null"
                ),
            )
            .await;
        }
        Visit::Calculate => {
            wait_until(
                c,
                "a computed result",
                "return document.querySelector('#calc-out table') !== null",
            )
            .await;
        }
    }
}

/// axe's findings on the current page, one line per node (violations, and
/// checks axe could not decide: a page that cannot be judged is not a pass),
/// and the number of rules that passed. A table that scrolls sideways hides
/// some cells, whose contrast axe cannot judge; axe runs again with every such
/// table scrolled to its end, and a cell counts as undecided only when
/// neither run could judge it.
async fn axe(c: &Client, source: &str) -> (Vec<String>, usize) {
    c.execute(&format!("{source}\nreturn typeof axe;"), Vec::new())
        .await
        .expect("inject axe-core");
    let result = js(
        c,
        "const key = (v, n) => v.id + ' ' + n.target.join(' ');
         const brief = (list, kind) => list.flatMap(v => v.nodes.map(n => ({kind, id: v.id,
           key: key(v, n), impact: v.impact, help: v.help, node: n.target.join(' ') + ' — ' +
           (n.failureSummary || n.any.concat(n.all, n.none).map(x => x.message).join('; '))})));
         const decided = r => new Set(r.passes.concat(r.violations)
           .flatMap(v => v.nodes.map(n => key(v, n))));
         const first = await axe.run(document);
         let found = brief(first.violations, 'violation').concat(brief(first.incomplete, 'undecided'));
         const wide = [...document.querySelectorAll('.table-wrap')]
           .filter(w => w.scrollWidth > w.clientWidth);
         if (wide.length > 0) {
           wide.forEach(w => { w.scrollLeft = w.scrollWidth; });
           const second = await axe.run(document);
           const judged = decided(second);
           const known = new Set(found.map(f => f.key));
           found = found.filter(f => f.kind !== 'undecided' || !judged.has(f.key))
             .concat(brief(second.violations, 'violation (scrolled)').filter(f => !known.has(f.key)));
           wide.forEach(w => { w.scrollLeft = 0; });
         }
         return {passes: first.passes.length, found};",
    )
    .await;
    let lines = result["found"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} ({}): {}\n      {}",
                f["kind"].as_str().unwrap(),
                f["id"].as_str().unwrap(),
                f["impact"].as_str().unwrap_or("?"),
                f["help"].as_str().unwrap(),
                f["node"].as_str().unwrap().replace('\n', " "),
            )
        })
        .collect();
    (lines, result["passes"].as_u64().unwrap() as usize)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_nothing_on_any_page_in_either_script_or_scheme() {
    driver::require_browser();
    let source = axe_source();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_bundled(&out);
    let server = server::serve(&out);
    let driver = driver::start_driver();
    let c = driver::connect(&driver, &tmp.path().join("profile")).await;

    let mut failures = Vec::new();
    for (scheme, width) in [
        ("light", 320),
        ("dark", 320),
        ("light", 1280),
        ("dark", 1280),
    ] {
        driver::color_scheme(&c, scheme).await;
        c.set_window_size(width, 900).await.unwrap();
        for prefix in ["", "zh-Hant/"] {
            for &(page, visit) in PAGES {
                let url = format!("{}/{prefix}{page}", server.origin);
                c.goto(&url).await.unwrap();
                let dark = js(
                    &c,
                    "return matchMedia('(prefers-color-scheme: dark)').matches",
                )
                .await;
                assert_eq!(dark, Value::Bool(scheme == "dark"), "{scheme} not emulated");
                prepare(&c, visit).await;
                let (violations, passes) = axe(&c, &source).await;
                let short = page.split('?').next().unwrap_or(page);
                println!(
                    "axe {scheme:5} {width:4}px /{prefix}{short}: {} findings, {passes} rules passed",
                    violations.len()
                );
                for v in violations {
                    failures.push(format!("/{prefix}{page} [{scheme}, {width}px]\n    {v}"));
                }
            }
        }
    }
    c.close().await.unwrap();
    assert!(
        failures.is_empty(),
        "axe-core found {} violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// WCAG 1.4.11, which axe does not check: a text field's border is its only
/// outline, so it must reach 3:1 against what surrounds it, in both schemes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn form_fields_stand_out_from_the_page() {
    driver::require_browser();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_bundled(&out);
    let server = server::serve(&out);
    let driver = driver::start_driver();
    let c = driver::connect(&driver, &tmp.path().join("profile")).await;
    let mut faint = Vec::new();
    for scheme in ["light", "dark"] {
        driver::color_scheme(&c, scheme).await;
        for page in ["calculator/index.html", "search/index.html"] {
            c.goto(&format!("{}/{page}", server.origin)).await.unwrap();
            let found = js(
                &c,
                "const rgb = s => s.match(/[\\d.]+/g).map(Number);
                 const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
                   .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
                   .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
                 const behind = el => {
                   for (let n = el.parentElement; n; n = n.parentElement) {
                     const c = rgb(getComputedStyle(n).backgroundColor);
                     if (c.length < 4 || c[3] > 0) return c;
                   }
                   return [255, 255, 255];
                 };
                 return [...document.querySelectorAll('input:not([type=radio]), select')]
                   .filter(el => el.offsetParent !== null)
                   .map(el => {
                     const a = lum(rgb(getComputedStyle(el).borderTopColor)), b = lum(behind(el));
                     return [el.id, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
                   })",
            )
            .await;
            let found = found.as_array().unwrap();
            assert!(!found.is_empty(), "no fields on {page}");
            for f in found {
                let ratio = f[1].as_f64().unwrap();
                if ratio < 3.0 {
                    faint.push(format!(
                        "{page} #{} [{scheme}]: {ratio:.2}:1",
                        f[0].as_str().unwrap_or("?")
                    ));
                }
            }
        }
    }
    c.close().await.unwrap();
    assert!(
        faint.is_empty(),
        "field borders under 3:1:\n{}",
        faint.join("\n")
    );
}
