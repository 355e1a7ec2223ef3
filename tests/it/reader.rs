//! What a reader in trouble needs first, on every negotiation guide of the
//! bundled site: the act-now card on the first phone screen and step 1
//! within the second (measured in headless Chromium at 390×844), a letter
//! to copy, the refusal routes that fit the lender's licence, and HowTo
//! JSON-LD that parses and matches the page's steps.

use std::collections::BTreeMap;
use std::path::Path;

use fantoccini::Client;
use lendguide::model::Content;
use serde_json::Value;

use crate::browser::server;
use crate::common::{Site, root};
use crate::driver;

/// The bundled site built into `out`, and its model.
fn build_bundled(out: &Path) -> Content {
    let options = lendguide::BuildOptions {
        content: root().join("content"),
        templates: root().join("templates"),
        out: out.to_path_buf(),
        base_url: None,
    };
    let report = lendguide::build(&options).expect("build");
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
    let (content, _) = lendguide::check(&root().join("content")).expect("check");
    content.expect("valid content").0
}

fn guide_pages(content: &Content) -> Vec<(String, bool)> {
    content
        .guides
        .iter()
        .flat_map(|g| {
            ["", "zh-Hant/"].map(|prefix| {
                (
                    format!("{prefix}lenders/{}/{}/index.html", g.lender, g.slug),
                    g.kind.is_negotiation(),
                )
            })
        })
        .collect()
}

/// The JSON-LD block of a page.
fn json_ld(html: &str) -> Value {
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("a JSON-LD block")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").expect("closed");
    serde_json::from_str(&html[start..end]).unwrap_or_else(|e| panic!("{e}: {}", &html[start..end]))
}

fn ids(html: &str) -> Vec<String> {
    html.split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_guide_has_howto_json_ld_and_negotiation_guides_a_letter_and_routes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let content = build_bundled(&out);
    let pages = guide_pages(&content);
    assert!(pages.iter().filter(|(_, n)| *n).count() >= 8, "{pages:?}");
    for (page, negotiation) in &pages {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        let ld = json_ld(&html);
        assert_eq!(ld["@type"], "HowTo", "{page}");
        assert_eq!(ld["@context"], "https://schema.org", "{page}");
        assert!(
            ld["url"].as_str().unwrap().starts_with("https://"),
            "{page}"
        );
        let steps = ld["step"].as_array().expect("steps");
        let on_page = html.matches("<section class=\"step\"").count();
        assert_eq!(steps.len(), on_page, "{page}: one HowToStep per .step");
        let page_ids = ids(&html);
        for (i, s) in steps.iter().enumerate() {
            assert_eq!(s["@type"], "HowToStep");
            assert_eq!(s["position"], i + 1);
            assert!(!s["name"].as_str().unwrap().is_empty(), "{page}");
            assert!(!s["text"].as_str().unwrap().is_empty(), "{page}");
            let anchor = s["url"].as_str().unwrap().trim_start_matches('#');
            assert!(page_ids.iter().any(|id| id == anchor), "{page}: #{anchor}");
        }
        for id in ["act-now", "if-refused"] {
            assert_eq!(
                page_ids.iter().any(|x| x == id),
                *negotiation,
                "{page}: #{id} on negotiation guides only"
            );
        }
        // Every negotiation guide has a letter (other kinds may: the
        // after-overdue guide carries the 困难说明), and its refusal
        // section links the complaints topic.
        if *negotiation {
            assert!(page_ids.iter().any(|x| x == "letter"), "{page}: #letter");
            let refused = &html[html.find("id=\"if-refused\"").unwrap()..];
            let refused = &refused[..refused.find("</section>").unwrap()];
            assert!(refused.contains("topics/complaints/index.html"), "{page}");
        }
    }
    // The compare page lines up every bundled lender, in both scripts.
    for prefix in ["", "zh-Hant/"] {
        let html =
            std::fs::read_to_string(out.join(format!("{prefix}compare/index.html"))).unwrap();
        assert_eq!(
            html.matches("<th scope=\"row\">").count(),
            content.lenders.len(),
            "{prefix}compare: one row per lender"
        );
    }
    // 微粒贷 and 网商贷 are banks: their routes are their own channel,
    // 12378 and 12363, not the local regulator of microloan companies.
    for page in [
        "lenders/weilidai/waiver/index.html",
        "lenders/mybank/waiver/index.html",
    ] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        let refused = &html[html.find("id=\"if-refused\"").unwrap()..];
        let refused = &refused[..refused.find("</section>").unwrap()];
        assert!(
            refused.contains("12378") && refused.contains("12363"),
            "{page}"
        );
        assert!(!refused.contains("地方金融管理局"), "{page}");
        assert!(refused.contains("银行"), "{page}: names the licence");
    }
}

/// The routes follow the licence, by the one rule in site.yaml's
/// `applies_to`: a microloan company's readers are sent to the local
/// regulator, not to 12378; the lender's own channel always comes first.
#[test]
fn refusal_routes_follow_the_lenders_licence() {
    let refused_of = |site: &Site| -> String {
        site.build().success();
        let html = std::fs::read_to_string(site.out().join("lenders/demo-bank/waiver/index.html"))
            .unwrap();
        let refused = &html[html.find("id=\"if-refused\"").unwrap()..];
        refused[..refused.find("</section>").unwrap()].to_string()
    };
    let bank = refused_of(&Site::valid());
    let order: Vec<usize> = ["示例银行投诉", "测试监管热线", "征信投诉热线"]
        .iter()
        .map(|l| {
            bank.find(l)
                .unwrap_or_else(|| panic!("{l} missing: {bank}"))
        })
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "own channel first: {bank}"
    );
    assert!(!bank.contains("地方金融管理局"), "{bank}");

    let site = Site::valid();
    let lender = site.content().join("lenders/demo-bank/lender.yaml");
    let text = std::fs::read_to_string(&lender).unwrap();
    std::fs::write(
        &lender,
        text.replacen("  value: bank", "  value: microloan", 1),
    )
    .unwrap();
    let microloan = refused_of(&site);
    assert!(microloan.contains("地方金融管理局"), "{microloan}");
    assert!(!microloan.contains("测试监管热线"), "{microloan}");
    assert!(
        microloan.contains("征信投诉热线"),
        "12363 serves all: {microloan}"
    );
    assert!(microloan.contains("小额贷款公司"), "{microloan}");
}

/// The letter reads as plain text without JavaScript; with it, a copy
/// button appears. Printing hides the button.
#[test]
fn the_letter_is_selectable_text_with_the_lender_filled_in() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_bundled(&out);
    let html = std::fs::read_to_string(out.join("lenders/weilidai/waiver/index.html")).unwrap();
    let letter = &html[html.find("id=\"letter-text\"").unwrap()..];
    let letter = &letter[..letter.find("</pre>").unwrap()];
    assert!(
        letter.contains("微众银行"),
        "the lender is filled in: {letter}"
    );
    assert!(letter.contains('【'), "placeholders stay for the reader");
    assert!(html.contains("data-copy=\"letter-text\""));
    assert!(html.contains(" hidden>"), "the button waits for JavaScript");
}

async fn top_of(c: &Client, selector: &str) -> f64 {
    let v = c
        .execute(
            &format!(
                "const e = document.querySelector('{selector}'); return e ? e.getBoundingClientRect().top + window.scrollY : -1;"
            ),
            Vec::new(),
        )
        .await
        .unwrap();
    v.as_f64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn act_now_on_the_first_screen_and_step_one_within_two() {
    driver::require_browser();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let content = build_bundled(&out);
    let server = server::serve(&out);
    let browser = driver::start_driver();
    let c = driver::connect(&browser, &tmp.path().join("profile")).await;
    c.set_window_size(390, 844).await.unwrap();
    let mut seen = BTreeMap::new();
    for (page, negotiation) in guide_pages(&content) {
        if !negotiation {
            continue;
        }
        c.goto(&format!("{}/{page}", server.origin)).await.unwrap();
        let screen = c
            .execute(
                "return [window.innerWidth, window.innerHeight];",
                Vec::new(),
            )
            .await
            .unwrap();
        let (width, height) = (screen[0].as_f64().unwrap(), screen[1].as_f64().unwrap());
        assert!(
            width <= 400.0 && height <= 844.0,
            "{page}: a phone screen, {screen}"
        );
        let card = top_of(&c, "#act-now").await;
        let card_say = top_of(&c, "#act-now .say-first").await;
        let step = top_of(&c, ".step").await;
        assert!(
            card >= 0.0 && card_say < height,
            "{page}: act-now at {card}, its first sentence at {card_say}, screen {height}"
        );
        assert!(
            step >= 0.0 && step < 2.0 * height,
            "{page}: step 1 at {step}, two screens are {}",
            2.0 * height
        );
        seen.insert(page, (card, step));
    }
    assert!(seen.len() >= 8, "{seen:?}");
    c.close().await.unwrap();
}

/// An unverified number is printed nowhere: not on the guide's card, the
/// lender page, the compare page or in the search index; the page says
/// where in the app to find the real one instead.
#[test]
fn an_unverified_number_is_printed_nowhere() {
    let site = Site::valid();
    let lender = site.content().join("lenders/demo-bank/lender.yaml");
    let text = std::fs::read_to_string(&lender).unwrap();
    let channel = "    value: \"95000\"\n    source: {title: 示例来源}\n    confidence: reported";
    assert!(text.contains(channel), "{text}");
    std::fs::write(
        &lender,
        text.replacen(channel, &channel.replace("reported", "unverified"), 1)
            // The complaint channel names the number too; leave only the hotline.
            .replace("拨打95000，说明要投诉", "在App里找客服，说明要投诉"),
    )
    .unwrap();
    site.build().success();
    for rel in [
        "lenders/demo-bank/index.html",
        "lenders/demo-bank/waiver/index.html",
        "compare/index.html",
    ] {
        for prefix in ["", "zh-Hant/"] {
            let html = std::fs::read_to_string(site.out().join(format!("{prefix}{rel}"))).unwrap();
            assert!(
                !html.contains("95000"),
                "{prefix}{rel} prints the unverified number"
            );
            assert!(html.contains("App"), "{prefix}{rel} says where to check");
        }
    }
    for entry in walkdir::WalkDir::new(site.out().join("search")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            assert!(
                !text.contains("95000"),
                "{} indexes it",
                entry.path().display()
            );
        }
    }
}
