//! The `serve` loop end to end: the real binary on a free port over a copy
//! of the valid fixture, driven with hand-written HTTP/1.1 over TcpStream.
//! Every wait is bounded; polling sleeps only between attempts, and the
//! child is killed when a test ends, passed or not. The last test checks
//! the same loop in a real headless Chromium, under the pages' CSP.

use crate::driver;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::Site;

/// Generous: debug builds on a shared two-core machine.
const STARTUP: Duration = Duration::from_secs(120);
const REBUILD: Duration = Duration::from_secs(60);

const GUIDE: &str = "/lenders/demo-bank/waiver/";
const GUIDE_FILE: &str = "content/lenders/demo-bank/waiver.md";

struct Server {
    child: Child,
    port: u16,
    stderr: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(site: &Site) -> Server {
        let templates = crate::common::root().join("templates");
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("lendguide"))
            .current_dir(site.path())
            .args(["serve", "--port", "0", "--templates"])
            .arg(&templates)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn lendguide serve");
        let (tx, stderr) = mpsc::channel();
        let pipe = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child,
            port: 0,
            stderr,
        };
        let line = server.wait_for_line(STARTUP, |l| l.starts_with("serving http://"));
        let port = line
            .trim_start_matches("serving http://127.0.0.1:")
            .split('/')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no 127.0.0.1 port in {line:?}"));
        server.port = port;
        server
    }

    fn wait_for_line(&mut self, within: Duration, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + within;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) if wanted(&line) => return line,
                Ok(line) => seen.push(line),
                Err(_) => panic!("timed out; stderr so far:\n{}", seen.join("\n")),
            }
        }
    }

    fn get(&self, path: &str) -> Response {
        get(self.port, path)
    }

    /// Polls `path` until `wanted` holds for its response.
    fn poll(&self, path: &str, what: &str, wanted: impl Fn(&Response) -> bool) -> Response {
        let deadline = Instant::now() + REBUILD;
        loop {
            let response = self.get(path);
            if wanted(&response) {
                return response;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for {what} at {path}; last response {}:\n{}",
                    response.status, response.body
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends SIGINT (what Ctrl-C sends) and returns the exit status.
    fn interrupt(&mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "serve did not exit after SIGINT");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// One GET with the path sent exactly as given (no client normalisation).
fn get(port: u16, path: &str) -> Response {
    request(port, "GET", path, Some("127.0.0.1"))
}

/// One request with the method, path and `Host:` header exactly as given
/// (`None` sends no `Host:` at all).
fn request(port: u16, method: &str, path: &str, host: Option<&str>) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\n{host}Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("HTTP response");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    Response {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// An open `/__lendguide/events` stream.
struct Events {
    stream: TcpStream,
    buffer: String,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        write!(
            stream,
            "GET /__lendguide/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut events = Events {
            stream,
            buffer: String::new(),
        };
        // The server greets as soon as it has subscribed to rebuilds.
        events.read_until(": connected", Duration::from_secs(30));
        events
    }

    fn read_until(&mut self, needle: &str, within: Duration) {
        let deadline = Instant::now() + within;
        let mut chunk = [0u8; 4096];
        while !self.buffer.contains(needle) {
            assert!(
                Instant::now() < deadline,
                "no {needle:?} in the event stream:\n{}",
                self.buffer
            );
            match self.stream.read(&mut chunk) {
                Ok(0) => panic!("event stream closed:\n{}", self.buffer),
                Ok(n) => self.buffer.push_str(&String::from_utf8_lossy(&chunk[..n])),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("reading the event stream: {e}"),
            }
        }
    }
}

fn edit(site: &Site, file: &str, from: &str, to: &str) {
    let path = site.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn serve_loop_rebuilds_reloads_and_shows_errors() {
    let site = Site::valid();
    let mut server = Server::start(&site);

    let home = server.get("/");
    assert_eq!(home.status, 200, "{}", home.body);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("示例贷"), "{}", home.body);
    assert!(
        home.body
            .contains("<script src=\"/__lendguide/reload.js\" data-generation=")
    );
    assert!(!home.body.contains("lendguide-overlay"));

    let guide = server.get(GUIDE);
    assert_eq!(guide.status, 200);
    assert!(guide.body.contains("这是正文。"), "{}", guide.body);

    // Folder without its slash → redirect; assets with their types.
    let folder = server.get("/lenders/demo-bank/waiver");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location"), Some(GUIDE));
    let css = server.get("/static/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.body.contains("__lendguide"), "only HTML is decorated");
    let js = server.get("/__lendguide/reload.js");
    assert_eq!(js.status, 200);
    assert!(js.body.contains("EventSource"));
    assert_eq!(
        server.get("/sitemap.xml").header("content-type"),
        Some("application/xml; charset=utf-8")
    );

    // Nothing outside the site, however the path is spelled.
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2fCargo.toml",
        "/..%5cCargo.toml",
        "/..\\Cargo.toml",
        "//etc/passwd",
        "/static/../../Cargo.toml",
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 404, "{path}");
        assert!(!response.body.contains("[package]"), "{path}");
    }
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("找不到这个页面"),
        "the site's 404 page"
    );

    // An edit reaches an open event stream and the page.
    let mut events = Events::open(server.port);
    edit(&site, GUIDE_FILE, "这是正文。", "这是改过的正文。");
    events.read_until("event: reload", REBUILD);
    server.poll(GUIDE, "the edited text", |r| {
        r.status == 200 && r.body.contains("这是改过的正文。")
    });

    // A content error: the last good page stays, with a located overlay.
    edit(&site, GUIDE_FILE, "kind: waiver", "kind: waver");
    let broken = server.poll(GUIDE, "the error overlay", |r| {
        r.body.contains("lendguide-overlay")
    });
    assert_eq!(broken.status, 200);
    assert!(
        broken.body.contains("这是改过的正文。"),
        "last good page kept"
    );
    assert!(
        broken.body.contains(&format!("{GUIDE_FILE}:4:7")),
        "{}",
        broken.body
    );
    assert!(broken.body.contains("unknown guide kind `waver`"));
    assert!(broken.body.contains("help: did you mean `waiver`?"));
    assert!(broken.body.contains("/__lendguide/overlay.css"));
    let css = server.get("/__lendguide/overlay.css");
    assert_eq!(css.status, 200);
    assert!(css.body.contains(".lendguide-overlay"));

    // Fixed: the overlay goes away.
    edit(&site, GUIDE_FILE, "kind: waver", "kind: waiver");
    server.poll(GUIDE, "the overlay to go", |r| {
        r.status == 200 && !r.body.contains("lendguide-overlay")
    });

    // Ctrl-C ends it cleanly, even with an event stream still open.
    let status = server.interrupt();
    assert!(status.success(), "exit status {status:?}");
    drop(events);
    assert!(
        !site.out().exists(),
        "serve builds in memory, never into output/"
    );
}

/// DNS rebinding: a hostile page whose own name resolves to 127.0.0.1
/// sends its name as `Host:`; only loopback names are answered, so it
/// cannot read the preview. A 405 says which methods are allowed.
#[test]
fn only_loopback_hosts_are_answered_and_405_says_what_is_allowed() {
    let site = Site::valid();
    let server = Server::start(&site);
    let port = server.port;
    let refused = [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        "127.0.0.1.evil.example".into(),
        "localhost.evil.example".into(),
        "evil.example#@localhost".into(),
        "127.0.0.2".into(),
        "[::2]".into(),
        "localhost:80x".into(),
        String::new(),
    ];
    for host in &refused {
        for path in ["/", GUIDE, "/__lendguide/reload.js", "/__lendguide/events"] {
            let r = request(port, "GET", path, Some(host));
            assert!(
                matches!(r.status, 403 | 421),
                "Host {host:?} {path}: {}",
                r.status
            );
            assert!(!r.body.contains("示例贷"), "Host {host:?} {path}");
            assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
        }
    }
    let missing = request(port, "GET", "/", None);
    assert!(
        matches!(missing.status, 400 | 403 | 421),
        "no Host: {}",
        missing.status
    );
    assert!(!missing.body.contains("示例贷"));
    for host in [
        "localhost".to_string(),
        "LocalHost".into(),
        format!("localhost:{port}"),
        "127.0.0.1".into(),
        format!("127.0.0.1:{port}"),
        "[::1]".into(),
        format!("[::1]:{port}"),
    ] {
        let r = request(port, "GET", "/", Some(&host));
        assert_eq!(r.status, 200, "Host {host:?}");
        assert!(r.body.contains("示例贷"), "Host {host:?}");
    }
    for path in ["/", GUIDE, "/__lendguide/reload.js"] {
        let r = request(port, "POST", path, Some("127.0.0.1"));
        assert_eq!(r.status, 405, "POST {path}");
        let allow = r
            .header("allow")
            .unwrap_or_else(|| panic!("POST {path}: no Allow:\n{}", r.head));
        assert!(
            allow.contains("GET") && allow.contains("HEAD"),
            "POST {path}: Allow: {allow}"
        );
    }
}

/// A named pipe must not wedge the rebuild thread: it is reported in the
/// overlay, and once it is gone later edits are rebuilt as before.
#[test]
fn a_named_pipe_is_reported_and_later_edits_still_rebuild() {
    let site = Site::valid();
    let server = Server::start(&site);
    let fifo = site.content().join("topics/pipe.md");
    let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(status.success());
    let broken = server.poll(GUIDE, "the FIFO error", |r| {
        r.body.contains("is a named pipe (FIFO), not a file")
    });
    assert!(
        broken.body.contains("content/topics/pipe.md"),
        "{}",
        broken.body
    );
    std::fs::remove_file(&fifo).unwrap();
    server.poll(GUIDE, "the overlay to go", |r| {
        r.status == 200 && !r.body.contains("lendguide-overlay")
    });
    edit(&site, GUIDE_FILE, "这是正文。", "管道删掉之后改过的正文。");
    server.poll(GUIDE, "an edit after the FIFO", |r| {
        r.status == 200 && r.body.contains("管道删掉之后改过的正文。")
    });
}

#[test]
fn a_failing_first_build_serves_the_overlay_until_fixed() {
    let site = Site::valid();
    edit(&site, GUIDE_FILE, "kind: waiver", "kind: waver");
    let server = Server::start(&site);

    let page = server.get("/");
    assert_eq!(page.status, 500);
    assert!(page.body.contains("lendguide-overlay"));
    assert!(
        page.body.contains(&format!("{GUIDE_FILE}:4:7")),
        "{}",
        page.body
    );
    assert!(page.body.contains("/__lendguide/reload.js"));

    edit(&site, GUIDE_FILE, "kind: waver", "kind: waiver");
    let fixed = server.poll("/", "the site after the fix", |r| r.status == 200);
    assert!(!fixed.body.contains("lendguide-overlay"));
    assert!(fixed.body.contains("示例贷"));
}

#[test]
fn a_page_loaded_before_a_rebuild_is_told_to_reload_at_once() {
    let site = Site::valid();
    let server = Server::start(&site);
    let stale = "/__lendguide/events?generation=0-0";
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    write!(stream, "GET {stale} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut events = Events {
        stream,
        buffer: String::new(),
    };
    events.read_until("event: reload", Duration::from_secs(30));
}

/// Evaluates `script` in the page until it returns `true`.
async fn until_true(client: &fantoccini::Client, what: &str, script: &str) {
    let deadline = Instant::now() + REBUILD;
    loop {
        let value = client.execute(script, vec![]).await;
        if matches!(value, Ok(serde_json::Value::Bool(true))) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; last result {value:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The reload script and the overlay stylesheet are same-origin files, so
/// the site's CSP (`script-src 'self'; connect-src 'self'; style-src
/// 'self'`) lets them run: the page reloads itself and the overlay is
/// styled (its `position` is `fixed` only when overlay.css applied).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_reload_and_overlay_in_chromium() {
    let site = Site::valid();
    let server = Server::start(&site);
    let browser = driver::start_driver();
    let client = driver::connect(&browser, &site.path().join("profile")).await;
    let url = format!("http://127.0.0.1:{}{GUIDE}", server.port);
    client.goto(&url).await.expect("open the guide");
    until_true(
        &client,
        "the guide",
        "return document.body.innerText.includes('这是正文。');",
    )
    .await;
    // Survives only until the page reloads.
    client
        .execute("window.lendguideMarker = true; return true;", vec![])
        .await
        .unwrap();
    // No wait for the EventSource: one that connects after the rebuild
    // carries the page's old generation and is told to reload at once.
    edit(&site, GUIDE_FILE, "这是正文。", "这是浏览器里改过的正文。");
    until_true(
        &client,
        "the page to reload with the edit",
        "return window.lendguideMarker === undefined \
         && document.body.innerText.includes('这是浏览器里改过的正文。');",
    )
    .await;

    edit(&site, GUIDE_FILE, "kind: waiver", "kind: waver");
    until_true(
        &client,
        "a styled overlay naming the file",
        "var o = document.getElementById('lendguide-overlay'); \
         return !!o && getComputedStyle(o).position === 'fixed' \
         && o.innerText.includes('waiver.md:4:7');",
    )
    .await;

    edit(&site, GUIDE_FILE, "kind: waver", "kind: waiver");
    until_true(
        &client,
        "the overlay to go",
        "return !document.getElementById('lendguide-overlay') \
         && document.body.innerText.includes('这是浏览器里改过的正文。');",
    )
    .await;
    client.close().await.expect("close the session");
}
