// Runs the real binary once with a time limit and judges the result against
// the contract in README.md and src/main.rs: exit 0 success, 1 content
// errors, 2 usage or I/O errors; never a panic, never a hang; every
// diagnostic located (file, line ≥ 1, column ≥ 1) with a help line.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A run over this long is a hang (the brief's 10 s).
pub const HANG: Duration = Duration::from_secs(10);

pub struct Outcome {
    /// `None` when killed by a signal or by us.
    pub code: Option<i32>,
    pub timed_out: bool,
    pub stderr: String,
}

/// Runs `bin args…` in `cwd` with `stdin`, killing it after [`HANG`].
pub fn run(
    bin: &Path,
    args: &[&str],
    cwd: &Path,
    stdin: Option<&[u8]>,
) -> std::io::Result<Outcome> {
    let mut child = Command::new(bin)
        .args(args)
        .current_dir(cwd)
        // A fixed "today" keeps staleness warnings the same from day to day.
        .env("LENDGUIDE_TODAY", "2025-06-01")
        .env("RUST_BACKTRACE", "0")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Feed and drain on threads so a full pipe never blocks either side.
    let feeder = child
        .stdin
        .take()
        .zip(stdin.map(<[u8]>::to_vec))
        .map(|(mut pipe, bytes)| {
            std::thread::spawn(move || {
                let _ = pipe.write_all(&bytes);
            })
        });
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if start.elapsed() > HANG {
            timed_out = true;
            let _ = child.kill();
            break child.wait()?;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    if let Some(f) = feeder {
        let _ = f.join();
    }
    let _ = out.join();
    let stderr = err.join().unwrap_or_default();
    Ok(Outcome {
        code: status.code(),
        timed_out,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Panic,
    Hang,
    WrongExit,
    Unlocated,
}

impl Kind {
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Panic => "panic",
            Kind::Hang => "hang",
            Kind::WrongExit => "wrong-exit",
            Kind::Unlocated => "unlocated",
        }
    }
}

/// What a run was, so the judge knows which exit codes are legal.
pub enum Run {
    /// `check` over content files: a content error is 1, never 2.
    Check { json: bool },
    /// `calc -`: text that is UTF-8 and under 1 MiB is content (0 or 1);
    /// otherwise reading stdin may fail as I/O (2) or be reported (1).
    Calc { readable: bool },
}

/// The first thing wrong with a run, with a one-line cause.
pub fn judge(run: &Run, o: &Outcome) -> Option<(Kind, String)> {
    if o.timed_out {
        return Some((Kind::Hang, format!("no exit within {} s", HANG.as_secs())));
    }
    if let Some(at) = o.stderr.find("panicked at") {
        let line = o.stderr[at..].lines().take(2).collect::<Vec<_>>().join(" ");
        return Some((Kind::Panic, line));
    }
    let Some(code) = o.code else {
        let tail = o.stderr.lines().last().unwrap_or("").to_string();
        return Some((Kind::Panic, format!("killed by a signal: {tail}")));
    };
    if code == 101 {
        return Some((Kind::Panic, "exit code 101".into()));
    }
    let legal: &[i32] = match run {
        Run::Check { .. } | Run::Calc { readable: true } => &[0, 1],
        Run::Calc { readable: false } => &[1, 2],
    };
    if !legal.contains(&code) {
        let first = o.stderr.lines().next().unwrap_or("").to_string();
        return Some((
            Kind::WrongExit,
            format!("exit {code}, expected {legal:?}: {first}"),
        ));
    }
    match run {
        Run::Check { json: true } => judge_json(code, &o.stderr),
        Run::Calc { .. } if code == 1 => judge_human(&o.stderr),
        _ => None,
    }
}

/// `check --format json`: an array of located diagnostics with help, and
/// exit 1 exactly when one of them is an error.
fn judge_json(code: i32, stderr: &str) -> Option<(Kind, String)> {
    let diags: Vec<serde_json::Value> = match serde_json::from_str(stderr) {
        Ok(d) => d,
        Err(e) => {
            let first = stderr.lines().next().unwrap_or("");
            return Some((
                Kind::Unlocated,
                format!("stderr is not a JSON array ({e}): {first}"),
            ));
        }
    };
    for d in &diags {
        let text = |k: &str| d[k].as_str().unwrap_or("").trim().to_string();
        let num = |k: &str| d[k].as_u64().unwrap_or(0);
        let help = text("help");
        let problem = if text("file").is_empty() {
            Some("no file")
        } else if num("line") == 0 || num("column") == 0 {
            Some("line or column 0")
        } else if help.is_empty() {
            Some("no help")
        } else if help.ends_with(':') {
            Some("help that says nothing")
        } else {
            None
        };
        if let Some(p) = problem {
            return Some((Kind::Unlocated, format!("{p}: {d}")));
        }
    }
    let errors = diags.iter().filter(|d| d["severity"] == "error").count();
    match (code, errors) {
        (1, 0) => Some((Kind::WrongExit, "exit 1 without an error diagnostic".into())),
        (0, n) if n > 0 => Some((Kind::WrongExit, format!("exit 0 with {n} error(s)"))),
        _ => None,
    }
}

/// `calc` prints rustc-style text: each `error[…]`/`warning[…]` needs a
/// `--> <stdin>:L:C` with L, C ≥ 1 and a `help:` line that says something.
fn judge_human(stderr: &str) -> Option<(Kind, String)> {
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    for l in stderr.lines() {
        let header = ["error", "warning"].iter().any(|s| {
            l.strip_prefix(s)
                .is_some_and(|r| r.starts_with('[') || r.starts_with(": "))
        });
        if header {
            blocks.push(vec![l]);
        } else if let Some(b) = blocks.last_mut() {
            b.push(l);
        }
    }
    if blocks.is_empty() {
        let first = stderr.lines().next().unwrap_or("");
        return Some((
            Kind::Unlocated,
            format!("exit 1 without a diagnostic: {first}"),
        ));
    }
    for b in &blocks {
        let located = b.iter().any(|l| {
            l.trim_start()
                .strip_prefix("--> ")
                .and_then(|at| {
                    at.rsplitn(3, ':')
                        .collect::<Vec<_>>()
                        .get(..2)
                        .map(<[_]>::to_vec)
                })
                .is_some_and(|lc| lc.iter().all(|n| n.parse::<u64>().is_ok_and(|n| n >= 1)))
        });
        let help = b
            .iter()
            .find_map(|l| l.trim_start().strip_prefix("help:"))
            .map(str::trim);
        let problem = if !located {
            Some("no file:line:column")
        } else if help.is_none_or(str::is_empty) {
            Some("no help")
        } else if help.is_some_and(|h| h.ends_with(':')) {
            Some("help that says nothing")
        } else {
            None
        };
        if let Some(p) = problem {
            return Some((Kind::Unlocated, format!("{p}: {}", b[0])));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(code: i32, stderr: &str) -> Outcome {
        Outcome {
            code: Some(code),
            timed_out: false,
            stderr: stderr.into(),
        }
    }

    #[test]
    fn the_judge_knows_the_contract() {
        let located = "error[x]: bad\n --> <stdin>:3:5\n  |\nhelp: do this\n";
        let calc = Run::Calc { readable: true };
        assert!(judge(&calc, &outcome(1, located)).is_none());
        assert!(judge(&calc, &outcome(0, "")).is_none());
        let kind = |r: &Run, o: Outcome| judge(r, &o).map(|(k, _)| k);
        assert_eq!(kind(&calc, outcome(2, "error: x")), Some(Kind::WrongExit));
        assert_eq!(kind(&calc, outcome(101, "")), Some(Kind::Panic));
        assert_eq!(
            kind(
                &calc,
                outcome(1, "thread 'main' panicked at src/x.rs:1:1:\nboom")
            ),
            Some(Kind::Panic)
        );
        let unread = Run::Calc { readable: false };
        assert!(judge(&unread, &outcome(2, "error: not UTF-8")).is_none());
        assert_eq!(
            kind(
                &calc,
                outcome(1, "error[x]: bad\nhelp: this example reports: \n")
            ),
            Some(Kind::Unlocated)
        );
        assert_eq!(
            kind(
                &calc,
                outcome(1, "error[x]: bad\n --> <stdin>:0:1\nhelp: h\n")
            ),
            Some(Kind::Unlocated)
        );
        let json = Run::Check { json: true };
        let d = r#"[{"severity":"error","code":"x","file":"a","line":1,"column":1,"message":"m","help":"h"}]"#;
        assert!(judge(&json, &outcome(1, d)).is_none());
        assert_eq!(kind(&json, outcome(0, d)), Some(Kind::WrongExit));
        assert_eq!(kind(&json, outcome(1, "[]")), Some(Kind::WrongExit));
        assert_eq!(
            kind(&json, outcome(1, &d.replace("\"h\"", "null"))),
            Some(Kind::Unlocated)
        );
        assert_eq!(
            kind(&json, outcome(1, &d.replace("\"line\":1", "\"line\":0"))),
            Some(Kind::Unlocated)
        );
        assert_eq!(kind(&json, outcome(2, "error: x")), Some(Kind::WrongExit));
    }
}
