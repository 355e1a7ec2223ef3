//! Debian's Chromium driven through chromedriver, with the flags these
//! machines need (no sandbox, no outside network, a fresh profile). When
//! either is missing the test fails and says what to install: a browser test
//! that skips silently would hide a broken search from CI.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const INSTALL: &str =
    "apt-get update && apt-get install -y chromium chromium-driver fonts-noto-cjk";

/// chromedriver, killed when dropped.
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Fails (never skips) when the browser is not installed.
pub fn require_browser() {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if !missing.is_empty() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        panic!(
            "browser tests need {} (missing{}); install them with: {INSTALL} \
             (./scripts/test.sh does this)",
            missing.join(" and "),
            if ci { " on CI" } else { "" }
        );
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub fn start_driver() -> Driver {
    require_browser();
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER}: {e}; install with: {INSTALL}"));
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    }
}

pub async fn connect(driver: &Driver, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--window-size=390,1200",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a Chromium session through chromedriver")
}

/// One Chrome DevTools Protocol command through chromedriver's
/// `goog/cdp/execute` endpoint (fantoccini has no call of its own for it).
#[derive(Debug)]
struct Cdp(serde_json::Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or("")
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}

pub async fn cdp(c: &Client, cmd: &str, params: serde_json::Value) -> serde_json::Value {
    c.issue_cmd(Cdp(json!({"cmd": cmd, "params": params})))
        .await
        .unwrap_or_else(|e| panic!("CDP {cmd}: {e}"))
}

/// Light or dark, as the page sees `prefers-color-scheme`.
pub async fn color_scheme(c: &Client, scheme: &str) {
    cdp(
        c,
        "Emulation.setEmulatedMedia",
        json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
    )
    .await;
}

/// Opens `url` and waits until the page has loaded, its deferred scripts
/// run. chromedriver can hand control back while the page is still
/// `interactive` (seen with Chromium 148: a calculator page whose
/// `calculator.js` had not run yet, so nothing was drawn); a test that
/// reads what a script draws must not race it.
pub async fn open(c: &Client, url: &str) {
    c.goto(url).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let state = c
            .execute("return document.readyState", vec![])
            .await
            .unwrap();
        if state == "complete" {
            return;
        }
        assert!(Instant::now() < deadline, "{url} is still {state}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
