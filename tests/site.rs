//! Building fixture and bundled sites end to end: both scripts, relative
//! links, determinism, and atomic output.

mod common;

use std::fs;

use common::{Site, root, snapshot_tree};

fn read(site: &Site, rel: &str) -> String {
    fs::read_to_string(site.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn builds_every_page_in_both_scripts() {
    let site = Site::valid();
    site.build().success();
    for page in [
        "index.html",
        "lenders/demo-bank/index.html",
        "lenders/demo-bank/waiver/index.html",
        "topics/scams/index.html",
        "404.html",
    ] {
        let hans = read(&site, page);
        let hant = read(&site, &format!("zh-Hant/{page}"));
        assert!(hans.contains("<html lang=\"zh-Hans\">"), "{page}");
        assert!(hant.contains("<html lang=\"zh-Hant\">"), "{page}");
        assert!(
            !hans.contains("href=\"/") && !hans.contains("src=\"/"),
            "{page}: links must be relative"
        );
    }
    let guide = read(&site, "lenders/demo-bank/waiver/index.html");
    assert!(guide.contains("href=\"../../../zh-Hant/lenders/demo-bank/waiver/index.html\""));
    assert!(guide.contains("id=\"contact\""), "steps have anchors");
    assert!(guide.contains("第1步"));
    let hant = read(&site, "zh-Hant/lenders/demo-bank/waiver/index.html");
    assert!(hant.contains("聯繫網商貸官方客服"), "converted with OpenCC");
    assert!(hant.contains("href=\"../../../../lenders/demo-bank/waiver/index.html\""));
    assert!(
        hant.contains(">简体中文</a>"),
        "twin link reads in its own script"
    );
}

#[test]
fn policy_values_show_source_date_and_confidence() {
    let site = Site::valid();
    site.build().success();
    let lender = read(&site, "lenders/demo-bank/index.html");
    assert!(lender.contains("在合同利率基础上加收50%"));
    assert!(lender.contains("<a href=\"https://example.org/report\""));
    assert!(lender.contains("2025年1月18日"));
    assert!(lender.contains("badge-reported"));
}

#[test]
fn output_is_deterministic() {
    let a = Site::valid();
    a.build().success();
    let b = Site::valid();
    b.build().success();
    assert_eq!(snapshot_tree(&a.out()), snapshot_tree(&b.out()));
}

#[test]
fn a_failing_build_leaves_the_previous_output_untouched() {
    let site = Site::valid();
    site.build().success();
    let before = snapshot_tree(&site.out());
    common::copy_tree(
        &common::fixtures().join("invalid/broken-yaml"),
        &site.content(),
    );
    site.build().code(1);
    assert_eq!(snapshot_tree(&site.out()), before);
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "no staging folder left behind: {leftovers:?}"
    );
}

#[test]
fn refuses_to_write_over_folders_it_did_not_create() {
    let site = Site::valid();
    let templates = root().join("templates");
    let t = templates.to_str().unwrap();
    for out in [".", "content", "content/topics"] {
        site.cmd(&["build", "--templates", t, "--out", out])
            .assert()
            .code(2);
    }
    fs::create_dir_all(site.path().join("mine")).unwrap();
    fs::write(site.path().join("mine/notes.txt"), "keep").unwrap();
    site.cmd(&["build", "--templates", t, "--out", "mine"])
        .assert()
        .code(2);
    assert_eq!(
        fs::read_to_string(site.path().join("mine/notes.txt")).unwrap(),
        "keep"
    );
}

#[test]
fn bundled_content_checks_clean_and_builds() {
    let mut cmd = assert_cmd::Command::cargo_bin("lendguide").unwrap();
    cmd.current_dir(root()).args(["check", "--format", "json"]);
    let out = cmd.assert().success().get_output().clone();
    let diags: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    let errors: Vec<_> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");

    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("site");
    let mut cmd = assert_cmd::Command::cargo_bin("lendguide").unwrap();
    cmd.current_dir(root())
        .args(["build", "--out", out_dir.to_str().unwrap()]);
    cmd.assert().success();
    let home = fs::read_to_string(out_dir.join("index.html")).unwrap();
    assert!(home.contains("微粒贷") && home.contains("网商贷"));
    let hant = fs::read_to_string(out_dir.join("zh-Hant/index.html")).unwrap();
    assert!(hant.contains("網商貸"));
}
