//! A mutation fuzzer for the real `lendguide` binary, on stable Rust.
//!
//! It mutates (or now and then removes) content files of two valid sites
//! (tests/fixtures/valid and the bundled content/) and runs `check` on them, and mutates worked
//! examples (tests/fixtures/calc and every guide's `examples:`) and pipes
//! them to `calc -`. Each run is judged: a panic, a hang (no exit within
//! 10 s), an exit code the README does not allow for that input, or a
//! diagnostic without file:line:column or help is a finding; its input is
//! saved under the findings folder with a `repro.sh`.
//!
//! ```text
//! cargo build --release --bin lendguide
//! cargo run --release --example fuzz -- --minutes 20 [--seed S] [--jobs J]
//!     [--runs N] [--bin PATH] [--findings DIR]
//! ```
//! The same seed gives the same inputs run by run, whatever `--jobs`.
//! Exit 0 when nothing was found, 1 on any finding, 2 on bad arguments.
//! `scripts/fuzz.sh MINUTES` builds and runs it; a short run is a test in
//! tests/it/examples.rs.

mod harness;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

fn main() -> ExitCode {
    let config = match parse(std::env::args().skip(1).collect()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!(
                "fuzz: {e}\nusage: fuzz --minutes N [--runs N] [--seed S] [--jobs J] [--bin PATH] [--findings DIR]"
            );
            return ExitCode::from(2);
        }
    };
    if !config.bin.is_file() {
        eprintln!(
            "fuzz: no binary at {}; build it first: cargo build --release --bin lendguide",
            config.bin.display()
        );
        return ExitCode::from(2);
    }
    warn_if_stale(&config);
    eprintln!(
        "fuzz: seed {}, {} job(s), findings in {}",
        config.seed,
        config.jobs,
        config.findings.display()
    );
    match harness::run(&config) {
        Ok(summary) => {
            for f in &summary.findings {
                println!("{f}");
            }
            let exits: Vec<String> = summary
                .exits
                .iter()
                .map(|(c, n)| format!("{c}: {n}"))
                .collect();
            eprintln!("fuzz: exit codes seen ({})", exits.join(", "));
            println!("{}", summary.line());
            if summary.found() > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("fuzz: {e}");
            ExitCode::from(2)
        }
    }
}

fn parse(args: Vec<String>) -> Result<harness::Config, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut config = harness::Config {
        bin: root.join("target/release/lendguide"),
        findings: root.join("target/fuzz-findings"),
        root,
        seed: 1,
        jobs: 2,
        runs: None,
        time: None,
        verbose: true,
    };
    let mut it = args.into_iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        let number = |v: String| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag}: not a number: {v}"))
        };
        match flag.as_str() {
            "--minutes" => {
                let m: f64 = value()?
                    .parse()
                    .map_err(|_| "--minutes: not a number".to_string())?;
                if !(m > 0.0 && m < 10_000.0) {
                    return Err("--minutes must be above 0".into());
                }
                config.time = Some(Duration::from_secs_f64(m * 60.0));
            }
            "--runs" => config.runs = Some(number(value()?)?),
            "--seed" => config.seed = number(value()?)?,
            "--jobs" => config.jobs = number(value()?)?.clamp(1, 64) as usize,
            "--bin" => config.bin = PathBuf::from(value()?),
            "--findings" => config.findings = PathBuf::from(value()?),
            "--quiet" => config.verbose = false,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    // Runs happen in other folders, so a relative path would not resolve.
    config.bin = std::path::absolute(&config.bin).map_err(|e| format!("--bin: {e}"))?;
    if config.time.is_none() && config.runs.is_none() {
        return Err("give --minutes N or --runs N".into());
    }
    Ok(config)
}

/// `cargo run --example fuzz` does not rebuild the binary it tests.
fn warn_if_stale(config: &harness::Config) {
    let modified = |p: &std::path::Path| p.metadata().and_then(|m| m.modified()).ok();
    let Some(bin) = modified(&config.bin) else {
        return;
    };
    let newest = walkdir::WalkDir::new(config.root.join("src"))
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| modified(e.path()))
        .max()
        .unwrap_or(SystemTime::UNIX_EPOCH);
    if newest > bin {
        eprintln!(
            "fuzz: warning: {} is older than src/; rebuild it (cargo build --release --bin lendguide)",
            config.bin.display()
        );
    }
}
