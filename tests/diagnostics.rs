//! Invalid fixture sites: each yields located diagnostics (snapshotted) and
//! exit code 1, and every error carries file, line, column and a help line.

mod common;

use common::Site;

/// Runs `check --format json` on an invalid case; returns the diagnostics.
fn check_json(case: &str) -> serde_json::Value {
    let site = Site::with_overlay(case);
    let out = site
        .cmd(&["check", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .clone();
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
            d["help"].is_string(),
            "{case}: every diagnostic has a help line: {d}"
        );
    }
    json
}

macro_rules! invalid_case {
    ($name:ident, $case:literal) => {
        #[test]
        fn $name() {
            insta::assert_json_snapshot!($case, check_json($case));
        }
    };
}

invalid_case!(unknown_key, "unknown-key");
invalid_case!(missing_key, "missing-key");
invalid_case!(wrong_type, "wrong-type");
invalid_case!(duplicate_key, "duplicate-key");
invalid_case!(bad_date, "bad-date");
invalid_case!(bad_slug, "bad-slug");
invalid_case!(unknown_lender, "unknown-lender");
invalid_case!(duplicate_id, "duplicate-id");
invalid_case!(script_in_markdown, "script-in-markdown");
invalid_case!(broken_yaml, "broken-yaml");
invalid_case!(bad_enum, "bad-enum");
invalid_case!(many_errors, "many-errors");
invalid_case!(bad_reference, "bad-reference");
invalid_case!(no_front_matter, "no-front-matter");
invalid_case!(bad_folder, "bad-folder");

#[test]
fn human_output_is_rustc_style() {
    let site = Site::with_overlay("unknown-key");
    let out = site.cmd(&["check"]).assert().code(1).get_output().clone();
    let text = String::from_utf8(out.stderr).unwrap();
    insta::assert_snapshot!("unknown-key-human", text);
}

#[test]
fn all_errors_of_a_run_are_reported() {
    let json = check_json("many-errors");
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
        text.contains("content/lenders/demo-bank/waiver.md:11:20"),
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
