// The fuzz loop, shared by `examples/fuzz` (the command) and the short run
// in the test suite: numbered runs, each fully determined by (seed, run
// number), spread over worker threads; every failing input is saved with a
// command that reproduces it.

#[path = "corpus.rs"]
pub mod corpus;
#[path = "mutate.rs"]
pub mod mutate;
#[path = "oracle.rs"]
pub mod oracle;
#[path = "pieces.rs"]
pub mod pieces;
#[path = "rng.rs"]
pub mod rng;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use corpus::Corpus;
use mutate::Material;
use oracle::{Kind, Run};
use rng::Rng;

pub struct Config {
    /// The `lendguide` binary under test.
    pub bin: PathBuf,
    /// The repository: seeds come from its content/ and tests/fixtures/.
    pub root: PathBuf,
    pub seed: u64,
    pub jobs: usize,
    pub runs: Option<u64>,
    pub time: Option<Duration>,
    pub findings: PathBuf,
    /// Print each finding as it is found.
    pub verbose: bool,
}

#[derive(Default, Debug)]
pub struct Summary {
    pub runs: u64,
    pub check: u64,
    pub calc: u64,
    pub panics: u64,
    pub hangs: u64,
    pub wrong_exit: u64,
    pub unlocated: u64,
    /// One line per finding: folder, kind and cause.
    pub findings: Vec<String>,
    /// How often each exit code came back (-1: killed), to see that mutants
    /// still pass now and then rather than all dying in the parser.
    pub exits: std::collections::BTreeMap<i32, u64>,
}

impl Summary {
    pub fn found(&self) -> u64 {
        self.panics + self.hangs + self.wrong_exit + self.unlocated
    }

    pub fn line(&self) -> String {
        format!(
            "fuzz: {} runs (check {}, calc {}), {} panics, {} hangs, {} wrong exit codes, {} unlocated",
            self.runs,
            self.check,
            self.calc,
            self.panics,
            self.hangs,
            self.wrong_exit,
            self.unlocated
        )
    }
}

/// Runs until `config.runs` or `config.time`, whichever comes first.
pub fn run(config: &Config) -> Result<Summary, String> {
    let schema = std::process::Command::new(&config.bin)
        .arg("schema")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", config.bin.display()))?;
    if !schema.status.success() {
        return Err(format!("`{} schema` failed", config.bin.display()));
    }
    let corpus = Corpus::load(&config.root, &String::from_utf8_lossy(&schema.stdout))?;
    fs::create_dir_all(&config.findings)
        .map_err(|e| format!("cannot create {}: {e}", config.findings.display()))?;
    let next = AtomicU64::new(0);
    let summary = Mutex::new(Summary::default());
    let deadline = config.time.map(|t| Instant::now() + t);
    let errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..config.jobs.max(1) {
            scope.spawn(|| {
                if let Err(e) = worker(config, &corpus, &next, deadline, &summary) {
                    errors.lock().unwrap_or_else(|p| p.into_inner()).push(e);
                }
            });
        }
    });
    let errors = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    if let Some(e) = errors.first() {
        return Err(e.clone());
    }
    let mut summary = summary.into_inner().unwrap_or_else(|p| p.into_inner());
    summary.findings.sort();
    Ok(summary)
}

/// One worker: a private copy of each seed site, mutated and restored run
/// after run.
fn worker(
    config: &Config,
    corpus: &Corpus,
    next: &AtomicU64,
    deadline: Option<Instant>,
    summary: &Mutex<Summary>,
) -> Result<(), String> {
    let work = tempfile::tempdir().map_err(|e| format!("cannot make a work folder: {e}"))?;
    for s in &corpus.sites {
        copy_site(&s.dir, &s.files, &work.path().join(s.name).join("content"))?;
    }
    loop {
        let run = next.fetch_add(1, Ordering::Relaxed);
        if config.runs.is_some_and(|n| run >= n) || deadline.is_some_and(|d| Instant::now() >= d) {
            return Ok(());
        }
        let mut rng = Rng::for_run(config.seed, run);
        let material = Material {
            seeds: &corpus.texts,
            words: &corpus.words,
        };
        let is_check = rng.chance(60);
        let (verdict, code) = if is_check {
            check_run(config, corpus, work.path(), run, &mut rng, &material)?
        } else {
            calc_run(config, corpus, work.path(), run, &mut rng, &material)?
        };
        let mut s = summary.lock().unwrap_or_else(|p| p.into_inner());
        s.runs += 1;
        *s.exits.entry(code.unwrap_or(-1)).or_default() += 1;
        *if is_check { &mut s.check } else { &mut s.calc } += 1;
        if let Some((kind, cause, folder)) = verdict {
            *match kind {
                Kind::Panic => &mut s.panics,
                Kind::Hang => &mut s.hangs,
                Kind::WrongExit => &mut s.wrong_exit,
                Kind::Unlocated => &mut s.unlocated,
            } += 1;
            let line = format!("{}: {} — {cause}", folder.display(), kind.slug());
            if config.verbose {
                eprintln!("fuzz: {line}");
            }
            s.findings.push(line);
        }
    }
}

/// The finding, if any, and the exit code.
type Verdict = (Option<(Kind, String, PathBuf)>, Option<i32>);

/// Replaces one file of a seed site (sometimes two) with a mutant, or now
/// and then removes it, runs `check`, and puts the originals back.
fn check_run(
    config: &Config,
    corpus: &Corpus,
    work: &Path,
    run: u64,
    rng: &mut Rng,
    material: &Material,
) -> Result<Verdict, String> {
    let site = &corpus.sites[if rng.chance(70) { 0 } else { 1 }];
    let dir = work.join(site.name);
    let content = dir.join("content");
    let count = if rng.chance(25) { 2 } else { 1 };
    let mut targets: Vec<&PathBuf> = (0..count).map(|_| rng.pick(&site.files)).collect();
    targets.dedup();
    let mut originals = Vec::new();
    let mut changes = Vec::new();
    for t in &targets {
        let original = fs::read(site.dir.join(t)).map_err(|e| format!("cannot read seed: {e}"))?;
        // A missing file (a lender folder without lender.yaml, no
        // site.yaml) must be reported once, not echoed by every file that
        // refers to it.
        if rng.chance(4) {
            fs::remove_file(content.join(t))
                .map_err(|e| format!("cannot remove {}: {e}", t.display()))?;
            changes.push(format!("removed content/{}", t.display()));
        } else {
            let mutant = mutate::mutate(&original, rng, material);
            write(&content.join(t), &mutant)?;
            changes.push(format!("mutated content/{}", t.display()));
        }
        originals.push((t, original));
    }
    let json = rng.chance(50);
    let mut args = vec!["check", "--content", "content"];
    if json {
        args.extend(["--format", "json"]);
    }
    let outcome = oracle::run(&config.bin, &args, &dir, None)
        .map_err(|e| format!("cannot run {}: {e}", config.bin.display()))?;
    let verdict = match oracle::judge(&Run::Check { json }, &outcome) {
        Some((kind, cause)) => {
            let folder = finding_folder(config, kind, "check", run);
            copy_site(&content, &site.files, &folder.join("content"))?;
            save_finding(
                config,
                &folder,
                &format!("check: {}\n{cause}\n", changes.join(", ")),
                &format!("\"$LENDGUIDE\" {} ", args.join(" ")),
                &outcome.stderr,
            )?;
            Some((kind, cause, folder))
        }
        None => None,
    };
    for (t, original) in originals {
        write(&content.join(t), &original)?;
    }
    Ok((verdict, outcome.code))
}

/// Feeds a mutated worked example to `calc -`, sometimes with `--json`.
fn calc_run(
    config: &Config,
    corpus: &Corpus,
    work: &Path,
    run: u64,
    rng: &mut Rng,
    material: &Material,
) -> Result<Verdict, String> {
    let seed = rng.pick(&corpus.examples);
    let input = mutate::mutate(seed, rng, material);
    let json = rng.chance(50);
    let args: &[&str] = if json {
        &["calc", "-", "--json"]
    } else {
        &["calc", "-"]
    };
    let outcome = oracle::run(&config.bin, args, work, Some(&input))
        .map_err(|e| format!("cannot run {}: {e}", config.bin.display()))?;
    let readable = std::str::from_utf8(&input).is_ok() && input.len() <= 1024 * 1024;
    let verdict = match oracle::judge(&Run::Calc { readable }, &outcome) {
        Some((kind, cause)) => {
            let folder = finding_folder(config, kind, "calc", run);
            write(&folder.join("input.yaml"), &input)?;
            save_finding(
                config,
                &folder,
                &format!("calc: mutated example\n{cause}\n"),
                &format!("\"$LENDGUIDE\" {} < input.yaml", args.join(" ")),
                &outcome.stderr,
            )?;
            Some((kind, cause, folder))
        }
        None => None,
    };
    Ok((verdict, outcome.code))
}

fn finding_folder(config: &Config, kind: Kind, command: &str, run: u64) -> PathBuf {
    config.findings.join(format!(
        "{}-{command}-seed{}-run{run}",
        kind.slug(),
        config.seed
    ))
}

/// `cause.txt`, `stderr.txt` and `repro.sh`, which runs the same command in
/// the finding's folder (`LENDGUIDE=path/to/lendguide` to pick a binary).
fn save_finding(
    config: &Config,
    folder: &Path,
    cause: &str,
    command: &str,
    stderr: &str,
) -> Result<(), String> {
    write(&folder.join("cause.txt"), cause.as_bytes())?;
    write(&folder.join("stderr.txt"), stderr.as_bytes())?;
    let script = format!(
        "#!/bin/sh\n# {}\ncd \"$(dirname \"$0\")\" || exit 2\nLENDGUIDE=${{LENDGUIDE:-{bin}}}\nLENDGUIDE_TODAY=2025-06-01 timeout 20 {command}\necho \"exit $?\" >&2\n",
        cause.lines().next().unwrap_or(""),
        bin = config.bin.display()
    );
    let path = folder.join("repro.sh");
    write(&path, script.as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(&path, fs::Permissions::from_mode(0o755));
    }
    Ok(())
}

/// Copies the `files` of a site that exist (a run may have removed one).
fn copy_site(from: &Path, files: &[PathBuf], to: &Path) -> Result<(), String> {
    for f in files {
        if !from.join(f).exists() {
            continue;
        }
        let bytes = fs::read(from.join(f))
            .map_err(|e| format!("cannot read {}: {e}", from.join(f).display()))?;
        write(&to.join(f), &bytes)?;
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
