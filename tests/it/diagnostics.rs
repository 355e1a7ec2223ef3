//! Invalid fixture sites: each yields located diagnostics (snapshotted) and
//! exit code 1, and every error carries file, line, column and a help line.

mod snippets;

use crate::common::Site;

/// Runs `build --format json` on an invalid case (build, not check, so
/// errors only rendering finds, such as broken links, count too); returns
/// the diagnostics after checking that each is located and has a help line.
fn diagnostics_of(case: &str) -> serde_json::Value {
    let site = Site::with_overlay(case);
    let templates = crate::common::root().join("templates");
    let out = site
        .cmd(&[
            "build",
            "--templates",
            templates.to_str().unwrap(),
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(
        !site.out().exists(),
        "{case}: an invalid site is never written"
    );
    let text = String::from_utf8(out.stderr).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{case}: {e}\n{text}"));
    for d in json.as_array().unwrap() {
        assert!(d["line"].as_u64().unwrap() >= 1, "{case}: {d}");
        assert!(d["column"].as_u64().unwrap() >= 1, "{case}: {d}");
        assert!(
            d["file"].as_str().unwrap().starts_with("content/"),
            "{case}: {d}"
        );
        assert!(
            d["help"].as_str().is_some_and(|h| !h.trim().is_empty()),
            "{case}: every diagnostic has a help line: {d}"
        );
    }
    json
}

/// Every folder under tests/fixtures/invalid is a case: adding one needs no
/// registration, and a case without a snapshot fails (insta refuses to pass
/// a missing snapshot unless told to write it).
#[test]
fn every_invalid_fixture_matches_its_snapshot() {
    let dir = crate::common::fixtures().join("invalid");
    let mut cases: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "{cases:?}");
    for case in &cases {
        insta::assert_json_snapshot!(case.as_str(), diagnostics_of(case));
    }
}

#[test]
fn human_output_is_rustc_style() {
    let site = Site::with_overlay("unknown-key");
    let out = site.cmd(&["check"]).assert().code(1).get_output().clone();
    let text = String::from_utf8(out.stderr).unwrap();
    insta::assert_snapshot!("unknown-key-human", text);
}

#[test]
fn all_errors_of_a_run_are_reported() {
    let json = diagnostics_of("many-errors");
    let files: std::collections::BTreeSet<_> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(files.len(), 3, "{json}");
}

#[test]
fn broken_link_fails_the_build_at_the_written_link() {
    let site = Site::with_overlay("broken-link");
    let out = site.build().code(1).get_output().clone();
    let text = String::from_utf8(out.stderr).unwrap();
    assert!(
        text.contains("content/lenders/demo-bank/waiver.md:12:20"),
        "{text}"
    );
    assert!(text.contains("topics/scam/index.html"), "{text}");
    assert!(!site.out().exists());
}

#[test]
fn symlinks_are_refused() {
    let site = Site::valid();
    let secret = site.path().join("secret.md");
    std::fs::write(&secret, "---\n---\n").unwrap();
    std::os::unix::fs::symlink(&secret, site.content().join("topics/link.md")).unwrap();
    let out = site.cmd(&["check"]).assert().code(1).get_output().clone();
    let text = String::from_utf8(out.stderr).unwrap();
    assert!(text.contains("symbolic links are not followed"), "{text}");
}

#[test]
fn huge_files_are_refused_without_reading_them_whole() {
    let site = Site::valid();
    let big = "很".repeat(400_000);
    std::fs::write(
        site.content().join("topics/huge.md"),
        format!("---\ntitle: x\n---\n{big}"),
    )
    .unwrap();
    let out = site.cmd(&["check"]).assert().code(1).get_output().clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("the limit is"));
}

#[test]
fn hostile_yaml_does_not_panic() {
    let site = Site::valid();
    let bomb = "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n";
    std::fs::write(site.content().join("site.yaml"), bomb).unwrap();
    std::fs::write(
        site.content().join("topics/scams.md"),
        "---\n[[[[[[[[[[\n---\n",
    )
    .unwrap();
    std::fs::write(
        site.content().join("lenders/demo-bank/waiver.md"),
        [0xff_u8, 0xfe, 0x00],
    )
    .unwrap();
    site.cmd(&["check"]).assert().code(1);
}

#[test]
fn missing_content_folder_is_a_usage_error() {
    let site = Site::valid();
    site.cmd(&["check", "--content", "nope"]).assert().code(2);
}

/// `base_url` ends up in HTML attributes, XML and robots.txt: anything that
/// is not a plain absolute http(s) address is refused where it is written.
#[test]
fn hostile_base_urls_are_refused_at_their_place_in_site_yaml() {
    for (url, says) in [
        (
            "https://example.org/<script xmlns=\"http://www.w3.org/1999/xhtml\">alert(1)</script>/",
            "`<`",
        ),
        ("https://example.org/a\"b/", "double quote"),
        ("https://example.org/a>b/", "`>`"),
        ("https://example.org/a b/", "space"),
        ("https://example.org/a\tb/", "control character"),
        ("https://例子.org/", "not ASCII"),
        ("https://example.org/#top/", "fragment"),
        ("https://user@example.org/", "user"),
        ("https:///", "host"),
        ("ftp://example.org/", "http:// or https://"),
        ("https://example.org", "https://example.org/"),
    ] {
        let site = Site::valid();
        let yaml = site.content().join("site.yaml");
        let text = std::fs::read_to_string(&yaml).unwrap();
        let line = format!("base_url: '{url}'");
        std::fs::write(
            &yaml,
            text.replace("base_url: \"https://example.org/test/\"", &line),
        )
        .unwrap();
        let out = site
            .cmd(&["check", "--format", "json"])
            .assert()
            .code(1)
            .get_output()
            .clone();
        let json: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
        let d = json
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "bad-url")
            .unwrap_or_else(|| panic!("{url}: no bad-url in {json}"));
        assert_eq!(d["file"], "content/site.yaml", "{url}");
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(3), Some(11)),
            "{url}"
        );
        let text = format!("{} {}", d["message"], d["help"]);
        assert!(text.contains(says), "{url}: wanted {says:?} in {text}");
        assert!(d["help"].as_str().is_some_and(|h| !h.is_empty()), "{url}");
    }
}

fn mkfifo(path: &std::path::Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Opening a named pipe blocks until someone writes to it, so `check` and
/// `build` must refuse one from its type alone, naming it (exit 2, an I/O
/// error like any file that cannot be read, not a hang). The timeout turns a regression into a failure, not a stuck suite.
#[test]
fn named_pipes_and_sockets_are_refused_without_opening_them() {
    let cases = [
        (
            "content/topics/pipe.md",
            "check",
            "is a named pipe (FIFO), not a file",
        ),
        (
            "content/lenders/demo-bank/pipe.md",
            "build",
            "is a named pipe (FIFO), not a file",
        ),
        (
            "content/stray",
            "check",
            "is a named pipe (FIFO), not a file",
        ),
        (
            "templates/pipe.html",
            "build",
            "is a named pipe (FIFO), not a file",
        ),
        (
            "templates/static/pipe.css",
            "build",
            "is a named pipe (FIFO), not a file",
        ),
        (
            "content/topics/socket.md",
            "check",
            "is a socket, not a file",
        ),
    ];
    for (place, command, says) in cases {
        let site = Site::valid();
        crate::common::copy_tree(
            &crate::common::root().join("templates"),
            &site.path().join("templates"),
        );
        let path = site.path().join(place);
        let _listener;
        if place.contains("socket") {
            _listener = Some(std::os::unix::net::UnixListener::bind(&path).unwrap());
        } else {
            _listener = None;
            mkfifo(&path);
        }
        let out = site
            .cmd(&[command])
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(place), "{place}: {stderr}");
        assert!(stderr.contains(says), "{place}: {stderr}");
        assert!(stderr.contains("help:"), "{place}: {stderr}");
        assert!(!site.out().exists(), "{place}: nothing built");
    }
}

/// `check --format json` on `site`, expecting `code`; returns the diagnostics.
fn check_json_code(site: &Site, code: i32) -> Vec<serde_json::Value> {
    let out = site
        .cmd(&["check", "--format", "json"])
        .assert()
        .code(code)
        .get_output()
        .clone();
    let text = String::from_utf8(out.stderr).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    json.as_array().unwrap().clone()
}

/// Issue 8: a file that cannot be read (here a socket) had no help line and
/// exited 1; the README says I/O errors exit 2.
#[test]
fn unreadable_files_are_io_errors_at_their_path() {
    let site = Site::valid();
    let path = site.content().join("topics/socket.md");
    let _socket = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let diags = check_json_code(&site, 2);
    let d = diags
        .iter()
        .find(|d| d["file"] == "content/topics/socket.md")
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!(d["severity"], "error", "{d}");
    assert!(d["help"].is_string(), "{d}");
}

/// Issue 8: a site.yaml or lender.yaml that exists but cannot be read was
/// reported as missing; say what is wrong with it instead.
#[test]
fn unreadable_site_and_lender_files_are_not_called_missing() {
    let site = Site::valid();
    std::fs::write(site.content().join("site.yaml"), b"title: \xff\n").unwrap();
    let diags = check_json_code(&site, 1);
    assert!(
        diags.iter().all(|d| d["code"] != "missing-file"),
        "{diags:?}"
    );
    let d = &diags[0];
    assert_eq!(
        (&d["file"], &d["line"], &d["column"]),
        (
            &serde_json::json!("content/site.yaml"),
            &serde_json::json!(1),
            &serde_json::json!(8)
        ),
        "{diags:?}"
    );
    assert!(d["message"].as_str().unwrap().contains("UTF-8"), "{d}");

    let site = Site::valid();
    let lender = site.content().join("lenders/demo-bank/lender.yaml");
    std::fs::remove_file(&lender).unwrap();
    let _socket = std::os::unix::net::UnixListener::bind(&lender).unwrap();
    let diags = check_json_code(&site, 2);
    assert!(
        diags.iter().all(|d| d["code"] != "missing-file"),
        "{diags:?}"
    );
    assert!(
        diags
            .iter()
            .any(|d| d["file"] == "content/lenders/demo-bank/lender.yaml" && d["code"] == "io"),
        "{diags:?}"
    );
}

/// The fuzzer's finding: when a lender folder's lender.yaml could not be
/// used, each guide and topic naming that lender also got `unknown-lender`
/// with `help: known lenders: ` (an empty list). The folder's own error
/// says what is wrong; the guides say nothing more.
#[test]
fn a_lender_whose_file_failed_is_not_also_unknown() {
    let errors = |site: &Site, code: i32| -> Vec<String> {
        check_json_code(site, code)
            .iter()
            .filter(|d| d["severity"] == "error")
            .map(|d| format!("{} {}", d["code"], d["file"]))
            .collect()
    };
    let site = Site::valid();
    let lender = site.content().join("lenders/demo-bank/lender.yaml");
    std::fs::remove_file(&lender).unwrap();
    assert_eq!(
        errors(&site, 1),
        [r#""missing-file" "content/lenders/demo-bank""#]
    );

    // A symlinked lender.yaml exists: it is refused, not also called missing.
    let site = Site::valid();
    let lender = site.content().join("lenders/demo-bank/lender.yaml");
    let elsewhere = site.path().join("lender.yaml");
    std::fs::rename(&lender, &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &lender).unwrap();
    assert_eq!(
        errors(&site, 1),
        [r#""symlink" "content/lenders/demo-bank/lender.yaml""#]
    );

    // With no lender at all, a topic naming one gets a help that says
    // something, not an empty list.
    let site = Site::valid();
    std::fs::remove_dir_all(site.content().join("lenders")).unwrap();
    let diags = check_json_code(&site, 1);
    let unknown: Vec<_> = diags
        .iter()
        .filter(|d| d["code"] == "unknown-lender")
        .collect();
    assert_eq!(unknown.len(), 1, "{diags:?}");
    let help = unknown[0]["help"].as_str().unwrap();
    assert!(help.contains("lendguide new lender"), "{help}");
}

/// A missing site.yaml is named as every other file under the content
/// folder is: `site.yaml` when the folder is `.`, `content/site.yaml` for
/// `content/`. It was formed apart from the others, as the folder plus
/// `/site.yaml`, and read `./site.yaml` and `content//site.yaml` there.
#[test]
fn a_missing_site_yaml_is_named_like_the_other_files() {
    let site = Site::valid();
    std::fs::remove_file(site.content().join("site.yaml")).unwrap();
    let missing = |dir: &std::path::Path, content: &str| -> Vec<String> {
        let out = assert_cmd::Command::cargo_bin("lendguide")
            .unwrap()
            .current_dir(dir)
            .args(["check", "--format", "json", "--content", content])
            .env("LENDGUIDE_TODAY", "2025-06-01")
            .assert()
            .code(1)
            .get_output()
            .clone();
        let json: Vec<serde_json::Value> = serde_json::from_slice(&out.stderr).unwrap();
        json.iter()
            .filter(|d| d["code"] == "missing-file")
            .map(|d| d["file"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(missing(site.path(), "content/"), ["content/site.yaml"]);
    assert_eq!(missing(&site.content(), "."), ["site.yaml"]);
}
