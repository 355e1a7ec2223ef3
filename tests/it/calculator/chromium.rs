//! The calculator in a real Chromium, on the built `/calculator/` page: the
//! same generated inputs as the node parity test (a sample of them, errors
//! included) through `window.lendguideCalc.compute`, field by field against
//! the engine.

use fantoccini::Client;
use serde_json::{Value, json};

use super::{engine, first_difference, generated};
use crate::browser::server;
use crate::common::build_bundled;
use crate::driver;

async fn js(c: &Client, script: &str, args: Vec<Value>) -> Value {
    c.execute(script, args).await.expect(script)
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
    c.goto(&format!("{origin}/calculator/index.html"))
        .await
        .unwrap();
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
