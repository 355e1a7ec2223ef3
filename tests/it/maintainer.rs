//! A maintainer's loop: a policy change shows up in the change log, the
//! Atom feeds and the changed-pages report after one rebuild; stale policy
//! values warn, and `--strict` fails on them.

use std::fs;

use crate::common::Site;

fn feed(site: &Site, rel: &str) -> atom_syndication::Feed {
    let text = fs::read_to_string(site.out().join(rel)).unwrap();
    text.parse::<atom_syndication::Feed>()
        .unwrap_or_else(|e| panic!("{rel}: {e}\n{text}"))
}

#[test]
fn feeds_are_valid_atom_newest_first() {
    let site = Site::valid();
    site.build().success();
    for rel in ["feed.xml", "zh-Hant/feed.xml", "lenders/demo-bank/feed.xml"] {
        let f = feed(&site, rel);
        assert!(!f.entries().is_empty(), "{rel}");
        let dates: Vec<_> = f.entries().iter().map(|e| *e.updated()).collect();
        assert!(
            dates.windows(2).all(|w| w[0] >= w[1]),
            "{rel}: newest first"
        );
    }
    let f = feed(&site, "feed.xml");
    assert!(
        f.entries()
            .iter()
            .any(|e| e.title().as_str().contains("罚息规则变更"))
    );
    assert!(
        f.entries()
            .iter()
            .any(|e| e.title().as_str().contains("指南更新"))
    );
}

/// The site's feed holds the newest entries of all lenders, not every
/// entry ever made (at 10,000 guides that was 7 MB, fetched again on
/// every poll); a lender's own feed still holds all of its entries.
#[test]
fn the_site_feed_holds_the_newest_entries_and_a_lender_feed_all() {
    let site = Site::valid();
    let lender = site.content().join("lenders/demo-bank/lender.yaml");
    let text = fs::read_to_string(&lender).unwrap();
    let mut history = String::from("history:\n");
    for i in 0..60 {
        history += &format!(
            "  - date: \"2024-{:02}-{:02}\"\n    policy: penalty-rule\n    new: 加收{i}%\n    source: {{title: 示例公告}}\n",
            1 + i / 28,
            1 + i % 28
        );
    }
    fs::write(&lender, text.replacen("history:\n", &history, 1)).unwrap();
    site.build().success();
    for prefix in ["", "zh-Hant/"] {
        let all = feed(&site, &format!("{prefix}lenders/demo-bank/feed.xml"));
        assert!(all.entries().len() > 60, "{}", all.entries().len());
        let rel = format!("{prefix}feed.xml");
        let newest = feed(&site, &rel);
        assert_eq!(newest.entries().len(), 50, "{rel}");
        let oldest_kept = *newest.entries().last().unwrap().updated();
        assert_eq!(newest.updated(), all.entries()[0].updated(), "{rel}");
        let kept: Vec<_> = newest.entries().iter().map(|e| e.id()).collect();
        for e in all.entries() {
            if *e.updated() > oldest_kept {
                assert!(
                    kept.contains(&e.id()),
                    "{rel}: newer entry left out: {}",
                    e.id()
                );
            }
        }
    }
}

/// A lender with nothing to announce (no history, no guides) gets no feed
/// and no link to one; a lender with changes keeps both.
#[test]
fn only_lenders_with_changes_have_feeds() {
    let site = Site::valid();
    let demo = site.content().join("lenders/demo-bank");
    let quiet = site.content().join("lenders/quiet-bank");
    fs::create_dir_all(&quiet).unwrap();
    let yaml = fs::read_to_string(demo.join("lender.yaml")).unwrap();
    let cut = yaml.find("history:").expect("fixture has history");
    let yaml = format!("{}history: []\n", &yaml[..cut]).replace("name: 示例贷", "name: 安静贷");
    fs::write(quiet.join("lender.yaml"), yaml).unwrap();
    site.build().success();
    for prefix in ["", "zh-Hant/"] {
        let out = site.out().join(prefix);
        assert!(out.join("lenders/demo-bank/feed.xml").is_file(), "{prefix}");
        assert!(
            !out.join("lenders/quiet-bank/feed.xml").exists(),
            "{prefix}: a feed with no entries"
        );
        let page = |slug: &str| {
            fs::read_to_string(out.join(format!("lenders/{slug}/index.html"))).unwrap()
        };
        assert!(page("demo-bank").contains("href=\"feed.xml\""), "{prefix}");
        assert!(
            !page("quiet-bank").contains("href=\"feed.xml\""),
            "{prefix}: links a feed that does not exist"
        );
    }
}

#[test]
fn a_policy_change_reaches_log_feed_and_report() {
    let site = Site::valid();
    site.build().success();
    let lender = site.content().join("lenders/demo-bank/lender.yaml");
    let text = fs::read_to_string(&lender).unwrap();
    let text = text.replace("value: 在合同利率基础上加收50%", "value: 在合同利率基础上加收30%").replace(
        "history:\n",
        "history:\n  - date: \"2025-05-20\"\n    policy: penalty-rule\n    old: 加收50%\n    new: 加收30%\n    source: {title: 示例公告}\n",
    );
    fs::write(&lender, text).unwrap();
    let out = site.build().success().get_output().clone();
    let report = String::from_utf8(out.stderr).unwrap();
    assert!(
        report.contains("~ lenders/demo-bank/index.html"),
        "{report}"
    );
    assert!(
        report.contains("~ zh-Hant/lenders/demo-bank/index.html"),
        "{report}"
    );
    assert!(
        !report.contains("topics/scams/index.html"),
        "unrelated pages are not reported: {report}"
    );
    let page = fs::read_to_string(site.out().join("lenders/demo-bank/index.html")).unwrap();
    assert!(page.contains("加收50% → 加收30%"), "change log");
    let f = feed(&site, "feed.xml");
    let entry = f
        .entries()
        .iter()
        .find(|e| e.updated().to_rfc3339() == "2025-05-20T00:00:00+00:00")
        .expect("the change is in the feed");
    assert!(
        entry
            .summary()
            .unwrap()
            .as_str()
            .contains("加收50% → 加收30%")
    );
}

#[test]
fn unchanged_pages_keep_their_mtime() {
    let site = Site::valid();
    site.build().success();
    let topic = site.out().join("topics/scams/index.html");
    let before = fs::metadata(&topic).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let out = site.build().success().get_output().clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 changed, 0 added, 0 removed"));
    assert_eq!(fs::metadata(&topic).unwrap().modified().unwrap(), before);
}

#[test]
fn stale_policy_values_warn_and_strict_fails() {
    let site = Site::valid();
    let mut cmd = site.cmd(&["check", "--format", "json"]);
    cmd.env("LENDGUIDE_TODAY", "2026-11-25");
    let out = cmd.assert().success().get_output().clone();
    let diags: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    let stale: Vec<_> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "stale")
        .collect();
    assert_eq!(stale.len(), 2, "{diags}");
    assert_eq!(stale[0]["severity"], "warning");
    let mut strict = site.cmd(&["check", "--strict"]);
    strict.env("LENDGUIDE_TODAY", "2026-11-25");
    strict.assert().code(1);
}

#[test]
fn a_policy_figure_change_recomputes_every_example_that_cites_it() {
    let site = Site::valid();
    let lender = site.content().join("lenders/demo-bank/lender.yaml");
    let guide = site.content().join("lenders/demo-bank/waiver.md");
    let with_figure = |figure: &str| {
        let text = fs::read_to_string(&lender).unwrap();
        let text = match text.find("    figure:") {
            Some(i) => {
                let end = text[i..].find('\n').map_or(text.len(), |e| i + e + 1);
                format!("{}{}", &text[..i], &text[end..])
            }
            None => text,
        };
        let text = text.replacen(
            "    confidence: reported\nhistory:",
            &format!("    confidence: reported\n    figure: {figure}\nhistory:"),
            1,
        );
        fs::write(&lender, text).unwrap();
    };
    with_figure("50%");
    let text = fs::read_to_string(&guide).unwrap();
    let example = "examples:\n  - id: cost\n    title: 逾期30天\n    type: overdue\n    principal: 10000\n    annual_rate: 18%\n    days: 30\n    penalty: {markup: \"@penalty-rule\"}\nsources:\n";
    let text = text.replacen("sources:\n", example, 1).replace(
        "这是正文。",
        "这是正文。罚息{{ figure(\"cost\", \"penalty\") }}。",
    );
    fs::write(&guide, text).unwrap();
    site.build().success();
    let page =
        || fs::read_to_string(site.out().join("lenders/demo-bank/waiver/index.html")).unwrap();
    assert!(page().contains("罚息<strong class=\"figure\">75.00元</strong>"));

    with_figure("30%");
    let out = site.build().success().get_output().clone();
    assert!(
        page().contains("罚息<strong class=\"figure\">45.00元</strong>"),
        "recomputed"
    );
    let report = String::from_utf8(out.stderr).unwrap();
    assert!(
        report.contains("~ lenders/demo-bank/waiver/index.html"),
        "{report}"
    );

    let text = fs::read_to_string(&guide).unwrap();
    fs::write(&guide, text.replace("@penalty-rule", "@penalty-rul")).unwrap();
    let out = site.build().code(1).get_output().clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `@penalty-rule`?"));
}
