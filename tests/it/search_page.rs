//! The search page's list for readers without JavaScript stays small at any
//! site size (issue 12: ≤ 50 KB): on a site with hundreds of lenders and
//! topics it lists the first ones and links the home page, which lists all.

use std::fs;

use lendguide::{BuildOptions, build_in_memory};

use crate::common::{Site, root};

const LENDERS: usize = 400;
const TOPICS: usize = 150;
const LIMIT: usize = 50 * 1024;

/// The valid fixture plus `LENDERS` lenders and `TOPICS` topics with long
/// names, built in memory.
pub(crate) fn large_site() -> std::collections::BTreeMap<String, lendguide::sink::Bytes> {
    let site = Site::valid();
    let lenders = site.content().join("lenders");
    let yaml = fs::read_to_string(lenders.join("demo-bank/lender.yaml")).unwrap();
    for n in 0..LENDERS {
        let dir = lenders.join(format!("gen-{n:04}"));
        fs::create_dir_all(&dir).unwrap();
        let name = format!("name: 示例数字消费金融服务有限公司旗下贷款产品第{n}号");
        fs::write(
            dir.join("lender.yaml"),
            yaml.replacen("name: 示例贷", &name, 1),
        )
        .unwrap();
    }
    let topic = fs::read_to_string(site.content().join("topics/scams.md")).unwrap();
    for n in 0..TOPICS {
        let title = format!("title: 逾期以后怎样和贷款机构协商还款的常见问题第{n}篇");
        fs::write(
            site.content().join(format!("topics/gen-{n:04}.md")),
            topic.replacen("title: 警惕代理协商骗局", &title, 1),
        )
        .unwrap();
    }
    let options = BuildOptions {
        content: site.content(),
        templates: root().join("templates"),
        out: site.out(),
        base_url: None,
    };
    let (built, report) = build_in_memory(&options).expect("build");
    built
        .unwrap_or_else(|| panic!("errors: {:?}", report.diagnostics))
        .files
}

#[test]
fn search_and_404_pages_stay_small_on_a_large_site() {
    let files = large_site();
    for prefix in ["", "zh-Hant/"] {
        let page =
            String::from_utf8(files[&format!("{prefix}search/index.html")].to_vec()).unwrap();
        assert!(
            page.len() <= LIMIT,
            "{prefix}search/index.html is {} bytes",
            page.len()
        );
        // It still lists lenders, says how many it leaves out, and links
        // the full list on the home page.
        assert!(page.contains("href=\"../lenders/demo-bank/index.html\""));
        assert!(
            page.contains("href=\"../index.html#lenders-h\""),
            "{prefix}"
        );
        let listed = page.matches("href=\"../lenders/").count();
        let more = LENDERS + 1 - listed;
        let says = if prefix.is_empty() {
            format!("还有 {more} 家贷款机构")
        } else {
            format!("還有 {more} 家貸款機構")
        };
        assert!(page.contains(&says), "{prefix}: no {says:?}");
        assert!(page.contains("href=\"../index.html#topics-h\""), "{prefix}");
    }
    // The 404 page lists lenders too, and is what a reader with a broken
    // link downloads first.
    for prefix in ["", "zh-Hant/"] {
        let page = &files[&format!("{prefix}404.html")];
        assert!(
            page.len() <= LIMIT,
            "{prefix}404.html is {} bytes",
            page.len()
        );
        let page = String::from_utf8_lossy(page);
        assert!(page.contains("index.html#lenders-h"), "{prefix}404.html");
    }
    let home = String::from_utf8(files["index.html"].to_vec()).unwrap();
    assert_eq!(home.matches("href=\"lenders/gen-").count(), LENDERS);
}
