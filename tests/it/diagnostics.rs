//! Invalid fixture sites: each yields located diagnostics (snapshotted) and
//! exit code 1, and every error carries file, line, column and a help line.

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
