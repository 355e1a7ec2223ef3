//! `sitemap.xml` (every folder page in both scripts, as absolute pretty
//! URLs on `base_url`) and `robots.txt`, which points crawlers at it.
//! Every URL goes through [`escape`]: `&` is legal in a URL, not in XML.

use super::Script;
use super::escape;
use crate::plan::Route;

/// `pages`: the folder pages, from the plan.
pub fn sitemap(pages: &[&Route], base_url: &str) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for route in pages {
        for script in Script::ALL {
            let url = route.canonical(base_url, script);
            xml.push_str(&format!(
                "  <url><loc>{}</loc></url>\n",
                escape::escape(&url)
            ));
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

pub fn robots(base_url: &str) -> String {
    let sitemap = format!("{base_url}sitemap.xml");
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        escape::plain_url(&sitemap)
    )
}
