//! Building fixture and bundled sites end to end: both scripts, relative
//! links, determinism, atomic output, and the golden pages of the valid
//! fixture site (`tests/fixtures/valid/expected/`), so a template change
//! shows its diff.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use crate::common::{Site, published, root, snapshot_tree};

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
        if page != "404.html" {
            assert!(
                !hans.contains("href=\"/") && !hans.contains("src=\"/"),
                "{page}: links must be relative"
            );
        }
    }
    // A host serves 404.html for a missing path at any depth: its links
    // start from the base path of base_url (https://example.org/test/).
    for (page, root) in [
        ("404.html", "/test/"),
        ("zh-Hant/404.html", "/test/zh-Hant/"),
    ] {
        let html = read(&site, page);
        assert!(
            html.contains("href=\"/test/static/style.css\""),
            "{page}: stylesheet from the base path"
        );
        assert!(
            html.contains(&format!("href=\"{root}index.html\"")),
            "{page}: home from the base path"
        );
        assert!(!html.contains("href=\"../"), "{page}: nothing relative");
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
    assert_eq!(published(&a.out()), published(&b.out()));
}

#[test]
fn a_failing_build_leaves_the_previous_output_untouched() {
    let site = Site::valid();
    site.build().success();
    // The second build (a page deleted: it cannot stop early) leaves the
    // first's tree as the spare, which a failing build must leave as it is.
    fs::remove_file(site.out().join("index.html")).unwrap();
    site.build().success();
    let spare = site.path().join(".output.spare");
    let spare_before = snapshot_tree(&spare);
    let before = snapshot_tree(&site.out());
    crate::common::copy_tree(
        &crate::common::fixtures().join("invalid/broken-yaml"),
        &site.content(),
    );
    site.build().code(1);
    assert_eq!(snapshot_tree(&site.out()), before);
    assert_eq!(snapshot_tree(&spare), spare_before, "the spare is kept");
    let mut left: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    // `.output.kept`: what the second build (a rebuild) kept of its checks.
    assert_eq!(
        left,
        [".output.kept", ".output.spare", "content", "output"],
        "no staging folder left behind"
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
    // Traditional pages use the standard forms readers write (s2tw), never
    // OpenCC's generic variants.
    for (rel, bytes) in snapshot_tree(&out_dir.join("zh-Hant")) {
        let text = String::from_utf8_lossy(&bytes);
        for generic in ['覈', '爲', '衆', '裏', '喫'] {
            assert!(!text.contains(generic), "zh-Hant/{rel} has {generic}");
        }
    }
}

/// Every sourced value in the bundled content was re-read on 2026-11-25, so
/// on that day `check --strict` (which refuses stale values and leftover
/// placeholders) must pass: the published site carries nothing we have not
/// re-checked within the staleness limit.
#[test]
fn bundled_content_passes_strict_check_on_the_day_it_was_checked() {
    let mut cmd = assert_cmd::Command::cargo_bin("lendguide").unwrap();
    cmd.current_dir(root())
        .args(["check", "--strict", "--format", "json"])
        .env("LENDGUIDE_TODAY", "2026-11-25");
    let out = cmd.assert().get_output().clone();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The rendered pages, feeds, sitemap and robots.txt of the valid fixture
/// site, byte for byte (mdBook's testsuite style). Assets and the search
/// index are left to their own tests. After an intended change, rewrite the
/// expected files with `LENDGUIDE_BLESS=1 cargo test --test it golden` and
/// review the diff in git.
#[test]
fn golden_pages_of_the_valid_fixture() {
    let site = Site::valid();
    site.build().success();
    let expected_dir = root().join("tests/fixtures/valid/expected");
    let is_page = |rel: &str| {
        [".html", ".xml", ".txt"]
            .iter()
            .any(|ext| rel.ends_with(ext))
    };
    let actual: Vec<(String, Vec<u8>)> = snapshot_tree(&site.out())
        .into_iter()
        .filter(|(rel, _)| is_page(rel))
        .collect();
    if std::env::var_os("LENDGUIDE_BLESS").is_some() {
        let _ = fs::remove_dir_all(&expected_dir);
        for (rel, bytes) in &actual {
            let path = expected_dir.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
    }
    let expected = snapshot_tree(&expected_dir);
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&actual),
        names(&expected),
        "the set of pages changed; bless with LENDGUIDE_BLESS=1 if intended"
    );
    let mut diffs = Vec::new();
    for ((rel, a), (_, e)) in actual.iter().zip(&expected) {
        if a != e {
            diffs.push(first_difference(rel, &expected_dir, a, e));
        }
    }
    assert!(
        diffs.is_empty(),
        "{} page(s) differ from tests/fixtures/valid/expected (bless with LENDGUIDE_BLESS=1 if intended):\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

/// The first differing line of a page, with its neighbours, as a short diff.
fn first_difference(rel: &str, dir: &Path, actual: &[u8], expected: &[u8]) -> String {
    let a = String::from_utf8_lossy(actual);
    let e = String::from_utf8_lossy(expected);
    let (al, el): (Vec<_>, Vec<_>) = (a.lines().collect(), e.lines().collect());
    let line = al
        .iter()
        .zip(&el)
        .position(|(x, y)| x != y)
        .unwrap_or(al.len().min(el.len()));
    let show = |v: &[&str]| v.get(line).copied().unwrap_or("<end of file>").to_string();
    format!(
        "{}:{}\n  - {}\n  + {}",
        dir.join(rel).display(),
        line + 1,
        show(&el),
        show(&al)
    )
}

/// A folder of someone else's files, and a check that they are untouched.
fn victim(dir: &std::path::Path) -> impl Fn() + use<> {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("notes.txt"), "keep").unwrap();
    let dir = dir.to_path_buf();
    move || {
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["notes.txt"], "{}", dir.display());
        assert_eq!(fs::read_to_string(dir.join("notes.txt")).unwrap(), "keep");
    }
}

fn build_to(site: &Site, out: &str) -> assert_cmd::assert::Assert {
    let templates = root().join("templates");
    site.cmd(&[
        "build",
        "--templates",
        templates.to_str().unwrap(),
        "--out",
        out,
    ])
    .assert()
}

#[test]
fn dot_dot_never_reaches_a_folder_lendguide_did_not_create() {
    let site = Site::valid();
    let abs = site.path().join("typo/../precious");
    let cases = [
        ("typo/../precious", "precious"),
        ("a/b/../../precious", "precious"),
        ("x/../.git", ".git"),
        ("content/../src", "src"),
        (abs.to_str().unwrap(), "precious"),
    ];
    for (out, target) in cases {
        let untouched = victim(&site.path().join(target));
        let stderr = build_to(&site, out).code(2).get_output().stderr.clone();
        let stderr = String::from_utf8_lossy(&stderr);
        assert!(stderr.contains("refusing"), "{out}: {stderr}");
        assert!(stderr.contains("help:"), "{out}: {stderr}");
        untouched();
        for made in ["typo", "a", "x"] {
            assert!(!site.path().join(made).exists(), "{out} created {made}/");
        }
    }
}

#[test]
fn dot_dot_to_a_folder_lendguide_made_writes_there_without_creating_the_detour() {
    for out in ["typo/../site", "a/b/../../site"] {
        let site = Site::valid();
        build_to(&site, "site").success();
        fs::write(site.path().join("site/stale.html"), "old").unwrap();
        build_to(&site, out).success();
        assert!(site.path().join("site/index.html").is_file(), "{out}");
        assert!(!site.path().join("site/stale.html").exists(), "{out}");
        assert!(!site.path().join("typo").exists() && !site.path().join("a").exists());
    }
}

#[cfg(unix)]
#[test]
fn symlinked_parents_are_followed_as_the_kernel_follows_them() {
    use std::os::unix::fs::symlink;
    let site = Site::valid();
    let elsewhere = tempfile::tempdir().unwrap();
    fs::create_dir_all(elsewhere.path().join("dir")).unwrap();
    let untouched = victim(&elsewhere.path().join("victim"));
    symlink(elsewhere.path().join("dir"), site.path().join("link")).unwrap();
    symlink(site.content(), site.path().join("into-content")).unwrap();

    // `link/..` is `elsewhere/`, not the project folder.
    build_to(&site, "link/../victim").code(2);
    untouched();
    assert!(!site.path().join("victim").exists());
    build_to(&site, "into-content/out").code(2);
    assert!(!site.content().join("out").exists());

    // A symlinked parent to a harmless place is fine: the site lands there.
    build_to(&site, "link/out").success();
    assert!(elsewhere.path().join("dir/out/index.html").is_file());
    fs::rename(
        elsewhere.path().join("dir/out"),
        elsewhere.path().join("made"),
    )
    .unwrap();
    build_to(&site, "link/../made").success();
    assert!(elsewhere.path().join("made/index.html").is_file());
    assert!(!site.path().join("made").exists());
}

/// A pid no process can have: above the kernel's limit.
#[cfg(target_os = "linux")]
fn dead_pid(n: u32) -> u32 {
    let max: u32 = fs::read_to_string("/proc/sys/kernel/pid_max")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    max + n
}

#[cfg(target_os = "linux")]
#[test]
fn a_build_removes_the_staging_folders_of_builds_that_died() {
    let site = Site::valid();
    site.build().success();
    let marked = |name: &str| {
        let dir = site.path().join(name);
        fs::create_dir_all(dir.join("lenders")).unwrap();
        fs::write(dir.join(".lendguide-output"), "").unwrap();
        fs::write(dir.join("lenders/index.html"), "old").unwrap();
    };
    let (dead1, dead2, dead3, live) = (dead_pid(1), dead_pid(2), dead_pid(3), std::process::id());
    let gone = [
        format!(".output.staging-{dead1}"),
        format!(".output.old-{dead2}"),
    ];
    for name in &gone {
        marked(name);
    }
    // An empty one: a build killed before it wrote anything.
    fs::create_dir_all(site.path().join(format!(".output.staging-{dead3}"))).unwrap();
    let kept = [
        format!(".output.staging-{live}"),
        format!(".output.staging-{dead1}x"),
        format!(".output.old-+{dead1}"),
        format!(".site.staging-{dead1}"),
        format!("output.staging-{dead1}"),
    ];
    for name in &kept {
        marked(name);
    }
    let unmarked = format!(".output.old-{dead3}");
    let untouched = victim(&site.path().join(&unmarked));

    site.build().success();
    for name in &gone {
        assert!(!site.path().join(name).exists(), "{name} left behind");
    }
    assert!(
        !site
            .path()
            .join(format!(".output.staging-{dead3}"))
            .exists()
    );
    for name in &kept {
        assert!(
            site.path().join(name).join("lenders/index.html").is_file(),
            "{name}"
        );
    }
    untouched();
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

/// /compare/ comes from lender.yaml only: one row per lender, a cell per
/// column site.yaml names, each with its confidence and source link, and
/// 未知 where a lender has no such value; linked from home and every lender
/// page, in both scripts.
#[test]
fn compare_page_lines_lenders_up_from_their_files() {
    let site = Site::valid();
    site.build().success();
    for prefix in ["", "zh-Hant/"] {
        let html = read(&site, &format!("{prefix}compare/index.html"));
        let rows = html.matches("<th scope=\"row\">").count();
        assert_eq!(rows, 1, "{prefix}: one row per lender");
        assert!(
            html.contains("<a href=\"https://example.org/report\""),
            "{prefix}: source link"
        );
        assert!(html.contains("badge-reported"), "{prefix}: confidence");
        assert!(
            html.contains("<span class=\"unknown\">未知</span>"),
            "{prefix}: grace-period is unknown"
        );
        for page in ["index.html", "lenders/demo-bank/index.html"] {
            let from = read(&site, &format!("{prefix}{page}"));
            assert!(
                from.contains("compare/index.html\""),
                "{prefix}{page} links to compare"
            );
        }
    }
}
