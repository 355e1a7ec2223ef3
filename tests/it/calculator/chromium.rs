//! The calculator in a real Chromium, on the built `/calculator/` page: the
//! same generated inputs as the node parity test (a sample of them, errors
//! included) through `window.lendguideCalc.compute`, field by field against
//! the engine; and the Traditional page draws its results in Traditional.

use fantoccini::Client;
use serde_json::{Value, json};

use super::{engine, first_difference, generated};
use crate::browser::server;
use crate::common::build_bundled;
use crate::driver;

/// Characters that only Simplified writes (their Traditional forms differ),
/// all of which the calculator's results use.
const SIMPLIFIED_ONLY: &[char] = &[
    '计', '结', '续', '还', '项', '额', '费', '个', '总', '与', '应', '复', '实', '际',
];

async fn js(c: &Client, script: &str, args: Vec<Value>) -> Value {
    c.execute(script, args).await.expect(script)
}

/// The text of `#calc-out` after the page computes from `query`.
async fn result_text(c: &Client, origin: &str, path: &str, query: &str) -> String {
    driver::open(c, &format!("{origin}/{path}?{query}")).await;
    let text = js(
        c,
        "return document.getElementById('calc-out').textContent",
        vec![],
    )
    .await;
    text.as_str().unwrap().to_string()
}

/// The bundled site, served, and a browser on it (kept alive together).
struct Session {
    c: Client,
    origin: String,
    _driver: driver::Driver,
    _tmp: tempfile::TempDir,
}

async fn session() -> Session {
    driver::require_browser();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_bundled(&out);
    let server = server::serve(&out);
    let driver = driver::start_driver();
    let c = driver::connect(&driver, &tmp.path().join("profile")).await;
    Session {
        c,
        origin: server.origin,
        _driver: driver,
        _tmp: tmp,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calc_js_in_chromium_matches_the_engine() {
    let Session { c, origin, .. } = &session().await;
    // Every 48th of the node test's 2,400 inputs: all three types, errors too.
    let inputs: Vec<Value> = generated(2400).into_iter().step_by(48).collect();
    driver::open(c, &format!("{origin}/calculator/index.html")).await;
    let got = js(
        c,
        "return arguments[0].map(x => window.lendguideCalc.compute(x))",
        vec![json!(inputs)],
    )
    .await;
    let got = got.as_array().expect("one answer per input");
    assert_eq!(got.len(), inputs.len());
    let mut errors = 0;
    let mut failures = Vec::new();
    for (input, got) in inputs.iter().zip(got) {
        let want = engine(input);
        errors += usize::from(want.get("error").is_some());
        if let Some(diff) = first_difference("", &want, got) {
            failures.push(format!("{input}\n  {diff}"));
        }
    }
    println!(
        "calc.js in Chromium: {} inputs ({errors} invalid), {} differ",
        inputs.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(errors >= 5 && errors < inputs.len() / 2, "{errors} invalid");
}

/// What the page draws, in each script: every label and heading of all three
/// result kinds and of an error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_traditional_calculator_draws_traditional_results() {
    let Session { c, origin, .. } = &session().await;
    let queries = [
        "type=overdue&principal=10000&annual_rate=18%25&days=30&penalty_markup=50%25&compound=true&unpaid_interest=100",
        "type=schedule&principal=10000&annual_rate=18%25&months=12&monthly_fee_rate=0.1%25&upfront_fee=100",
        "type=negotiation&principal=10000&annual_rate=18%25&penalty_markup=50%25&unpaid_interest=300\
         &penalty_accrued=200&o1_kind=stay-overdue&o1_days=%2B090&o2_kind=settle&o2_waive_penalty=100%25\
         &o3_kind=installment&o3_months=12&o4_kind=extension&o4_months=6&o4_annual_rate=18%25",
        "type=overdue&principal=abc&annual_rate=18%25&days=30&penalty_markup=50%25",
    ];
    let mut hans = String::new();
    let mut hant = String::new();
    for q in queries {
        hans += &result_text(c, origin, "calculator/index.html", q).await;
        hant += &result_text(c, origin, "zh-Hant/calculator/index.html", q).await;
    }
    for want in [
        "计算结果",
        "继续逾期90天",
        "分12期还款",
        "展期6个月",
        "一次性结清",
        "输入有误",
    ] {
        assert!(
            hans.contains(want),
            "Simplified result lacks {want}: {hans}"
        );
    }
    for want in [
        "計算結果",
        "繼續逾期90天",
        "分12期還款",
        "展期6個月",
        "一次性結清",
        "輸入有誤",
    ] {
        assert!(
            hant.contains(want),
            "Traditional result lacks {want}: {hant}"
        );
    }
    let left: String = hant
        .chars()
        .filter(|ch| SIMPLIFIED_ONLY.contains(ch))
        .collect();
    assert!(
        left.is_empty(),
        "Simplified characters {left:?} in the zh-Hant calculator's results: {hant}"
    );
}

/// At 320 px nothing makes the page scroll sideways, even with the largest
/// amounts: a wide table scrolls inside its wrapper, which takes focus.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_calculator_fits_a_320px_phone() {
    let Session { c, origin, .. } = &session().await;
    c.set_window_size(320, 800).await.unwrap();
    let big = "999999999999.99";
    let queries = [
        format!(
            "type=overdue&principal={big}&annual_rate=36%25&days=36500&penalty_markup=50%25&unpaid_interest={big}&compound=true"
        ),
        format!(
            "type=schedule&principal={big}&annual_rate=36%25&months=600&monthly_fee_rate=0.99%25&upfront_fee=1000"
        ),
        format!(
            "type=negotiation&principal={big}&annual_rate=36%25&penalty_markup=100%25&unpaid_interest={big}\
             &penalty_accrued={big}&o1_kind=stay-overdue&o1_days=36500&o2_kind=installment&o2_months=600\
             &o3_kind=extension&o3_months=600&o3_annual_rate=36%25&o4_kind=settle"
        ),
        "type=overdue&principal=1,0000,000&annual_rate=18%25&days=30&penalty_markup=50%25"
            .to_string(),
        String::new(),
    ];
    for prefix in ["", "zh-Hant/"] {
        for q in &queries {
            driver::open(c, &format!("{origin}/{prefix}calculator/index.html?{q}")).await;
            let page = js(
                c,
                "const root = document.documentElement;
                 const wide = [...document.querySelectorAll('.table-wrap')]
                   .filter(w => w.scrollWidth > w.clientWidth);
                 return {overflow: root.scrollWidth - root.clientWidth,
                   wide: wide.length, unfocusable: wide.filter(w => w.tabIndex < 0).length,
                   drawn: document.getElementById('calc-out').textContent.length}",
                vec![],
            )
            .await;
            let shown = format!("/{prefix}calculator/?{q}: {page}");
            assert_eq!(page["overflow"], 0, "page scrolls sideways: {shown}");
            assert_eq!(
                page["unfocusable"], 0,
                "a wide table takes no focus: {shown}"
            );
            assert!(
                q.is_empty() || page["drawn"].as_u64() > Some(0),
                "nothing drawn: {shown}"
            );
        }
    }
}
