//! Measures how long a one-guide edit takes to reach the browser under
//! `lendguide serve`: from the file write to the `reload` event on the
//! live-reload stream (what makes an open page reload), and on to the
//! edited page being served. A benchmark, not a test: it reports
//! min/median/max over several edits and asserts nothing about time.
//!
//! `cargo run --release --example serve_latency -- --bin target/release/lendguide
//!  --site DIR --templates templates --guide content/lenders/weilidai/waiver.md
//!  --page /lenders/weilidai/waiver/ --runs 7`
//!
//! `DIR` holds `content/`; the guide file (relative to `DIR`) gets one
//! paragraph appended per run and is restored at the end.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Args {
    bin: PathBuf,
    site: PathBuf,
    templates: PathBuf,
    guide: PathBuf,
    page: String,
    runs: usize,
}

fn args() -> Args {
    let all: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        all.iter()
            .position(|a| a == name)
            .and_then(|i| all.get(i + 1))
            .cloned()
    };
    let required = |name: &str| arg(name).unwrap_or_else(|| panic!("{name} is required"));
    Args {
        bin: required("--bin").into(),
        site: required("--site").into(),
        templates: std::path::absolute(required("--templates")).expect("templates path"),
        guide: required("--guide").into(),
        page: arg("--page").unwrap_or_else(|| "/".into()),
        runs: arg("--runs").and_then(|n| n.parse().ok()).unwrap_or(7),
    }
}

/// The running server; killed on drop whatever happens.
struct Server {
    child: Child,
    lines: mpsc::Receiver<String>,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(args: &Args) -> Server {
        let mut child = Command::new(&args.bin)
            .current_dir(&args.site)
            .args(["serve", "--port", "0", "--templates"])
            .arg(&args.templates)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start lendguide serve");
        let (tx, lines) = mpsc::channel();
        let pipe = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child,
            lines,
            port: 0,
        };
        let first = server.line(Duration::from_secs(600), "built ");
        let serving = server.line(Duration::from_secs(10), "serving http://");
        server.port = serving
            .trim_start_matches("serving http://127.0.0.1:")
            .split('/')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port");
        eprintln!("  first build: {first}");
        server
    }

    /// The next stderr line starting with `prefix`, skipping others.
    fn line(&mut self, within: Duration, prefix: &str) -> String {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return line,
                Ok(_) => {}
                Err(_) => panic!("timed out waiting for {prefix:?} from serve"),
            }
        }
    }
}

/// Reads the event stream until a `reload` event arrives.
fn wait_for_reload(stream: &mut TcpStream, within: Duration) {
    let deadline = Instant::now() + within;
    let mut seen = String::new();
    let mut chunk = [0u8; 1024];
    while !seen.contains("event: reload") {
        assert!(Instant::now() < deadline, "no reload event:\n{seen}");
        match stream.read(&mut chunk) {
            Ok(0) => panic!("event stream closed"),
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&chunk[..n])),
            Err(_) => {} // read timeout: poll again
        }
    }
}

fn open_events(port: u16) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    write!(
        stream,
        "GET /__lendguide/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = String::new();
    let mut chunk = [0u8; 1024];
    while !seen.contains(": connected") {
        assert!(Instant::now() < deadline, "event stream did not open");
        if let Ok(n) = stream.read(&mut chunk) {
            seen.push_str(&String::from_utf8_lossy(&chunk[..n]));
        }
    }
    stream
}

fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut body = Vec::new();
    stream.read_to_end(&mut body).expect("read");
    String::from_utf8_lossy(&body).into_owned()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn summary(name: &str, mut values: Vec<f64>) {
    values.sort_by(f64::total_cmp);
    let median = values[values.len() / 2];
    println!(
        "  {name:<34} min {:>7.0} ms   median {:>7.0} ms   max {:>7.0} ms",
        values[0],
        median,
        values[values.len() - 1]
    );
}

fn main() {
    let args = args();
    let guide = args.site.join(&args.guide);
    let original = std::fs::read_to_string(&guide).expect("read the guide");
    let mut server = Server::start(&args);
    let (mut to_event, mut to_page, mut rebuild) = (Vec::new(), Vec::new(), Vec::new());
    for run in 1..=args.runs {
        let mut events = open_events(server.port);
        let marker = format!("基准测试第{run}次修改。");
        let started = Instant::now();
        std::fs::write(&guide, format!("{original}\n{marker}\n")).expect("write the guide");
        wait_for_reload(&mut events, Duration::from_secs(600));
        let event = started.elapsed();
        // What the reloading page then fetches.
        let page = get(server.port, &args.page);
        let served = started.elapsed();
        assert!(page.contains(&marker), "the served page lacks the edit");
        let line = server.line(Duration::from_secs(10), "rebuilt ");
        let build_ms: f64 = line
            .rsplit(" in ")
            .next()
            .and_then(|t| t.trim_end_matches(" ms").parse().ok())
            .unwrap_or(f64::NAN);
        println!(
            "  run {run}: write → reload event {:.0} ms, → page served {:.0} ms (rebuild {build_ms:.0} ms)",
            ms(event),
            ms(served)
        );
        to_event.push(ms(event));
        to_page.push(ms(served));
        rebuild.push(build_ms);
        // Let the folders go quiet so runs do not overlap.
        std::thread::sleep(Duration::from_millis(500));
    }
    std::fs::write(&guide, original).expect("restore the guide");
    summary("write → reload event", to_event);
    summary("write → edited page served", to_page);
    summary("rebuild alone (server's own timer)", rebuild);
}
