//! Building fixture and bundled sites end to end: both scripts, relative
//! links, determinism, and atomic output.

mod common;

use std::collections::BTreeSet;
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

/// Reads `xml` with a real XML parser (quick-xml) and panics unless it is
/// well-formed. Returns every element's local name and the text of each
/// `tag` element, with character and entity references resolved.
fn parse_xml(xml: &str, tag: &str) -> (BTreeSet<String>, Vec<String>) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut names = BTreeSet::new();
    let mut texts = Vec::new();
    let mut current: Option<String> = None;
    let name = |n: quick_xml::name::LocalName| String::from_utf8_lossy(n.as_ref()).into_owned();
    loop {
        let event = reader.read_event().unwrap_or_else(|e| {
            panic!("ill-formed at byte {}: {e}\n{xml}", reader.error_position())
        });
        match event {
            Event::Start(e) => {
                let n = name(e.local_name());
                if n == tag {
                    current = Some(String::new());
                }
                names.insert(n);
            }
            Event::Empty(e) => {
                names.insert(name(e.local_name()));
            }
            Event::End(e) if name(e.local_name()) == tag => texts.extend(current.take()),
            Event::Text(t) => {
                if let Some(c) = &mut current {
                    c.push_str(&t.decode().unwrap());
                }
            }
            Event::GeneralRef(r) => {
                let text = if r.is_char_ref() {
                    r.resolve_char_ref().unwrap().unwrap().to_string()
                } else {
                    match &*r.decode().unwrap() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("undefined entity &{other};\n{xml}"),
                    }
                    .to_string()
                };
                if let Some(c) = &mut current {
                    c.push_str(&text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (names, texts)
}

/// `&` is legal in a URL but must be escaped in XML: the sitemap, the feeds
/// and the canonical links carry it escaped, robots.txt carries it plain.
#[test]
fn an_ampersand_in_base_url_keeps_every_xml_file_well_formed() {
    let base = "https://example.org/a&b/";
    let from_yaml = Site::valid();
    let yaml = from_yaml.content().join("site.yaml");
    let text = fs::read_to_string(&yaml).unwrap();
    fs::write(&yaml, text.replace("https://example.org/test/", base)).unwrap();
    from_yaml.build().success();
    let from_flag = Site::valid();
    let templates = root().join("templates");
    from_flag
        .cmd(&[
            "build",
            "--templates",
            templates.to_str().unwrap(),
            "--base-url",
            base,
        ])
        .assert()
        .success();

    for site in [&from_yaml, &from_flag] {
        let (names, locs) = parse_xml(&read(site, "sitemap.xml"), "loc");
        let expected: BTreeSet<String> = ["urlset", "url", "loc"].map(String::from).into();
        assert_eq!(names, expected);
        assert!(locs.len() > 5, "{locs:?}");
        assert!(locs.iter().all(|l| l.starts_with(base)), "{locs:?}");
        for feed in ["feed.xml", "zh-Hant/feed.xml", "lenders/demo-bank/feed.xml"] {
            let xml = read(site, feed);
            parse_xml(&xml, "id");
            let parsed: atom_syndication::Feed =
                xml.parse().unwrap_or_else(|e| panic!("{feed}: {e}"));
            assert!(parsed.id().starts_with(base), "{feed}: {}", parsed.id());
            assert!(
                parsed.links().iter().all(|l| l.href().starts_with(base)),
                "{feed}"
            );
        }
        assert_eq!(
            read(site, "robots.txt"),
            format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n")
        );
        assert!(read(site, "index.html").contains("href=\"https://example.org/a&amp;b/\""));
    }
}

/// `--base-url` is checked like site.yaml's `base_url`, before anything is
/// built: a bad one is a usage error (exit 2) that says what is wrong.
#[test]
fn a_hostile_or_malformed_base_url_flag_is_a_usage_error() {
    let site = Site::valid();
    let templates = root().join("templates");
    let t = templates.to_str().unwrap();
    for (url, says) in [
        (
            "https://example.org/<script xmlns=\"http://www.w3.org/1999/xhtml\">alert(1)</script>/",
            "`<`",
        ),
        ("https://example.org/a\"b/", "double quote"),
        ("https://example.org/a b/", "space"),
        ("https://example.org/a\nb/", "control character"),
        ("https://example.org/?q=1/", "query"),
        ("javascript:alert(1)//", "http:// or https://"),
        ("https:///", "host"),
        ("https://example.org/guide", "https://example.org/guide/"),
    ] {
        let out = site
            .cmd(&["build", "--templates", t, "--base-url", url])
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("--base-url"), "{url}: {stderr}");
        assert!(stderr.contains(says), "{url}: wanted {says:?} in {stderr}");
        assert!(stderr.contains("help:"), "{url}: {stderr}");
        assert!(!site.out().exists(), "{url}: nothing built");
    }
}
