//! The `nav` every template receives: the page's language, the prefixes
//! from the page to its script root and to the shared assets, the link to
//! its twin in the other script, and both canonical URLs.

use serde::Serialize;

use super::pages::Page;
use crate::script::Script;

#[derive(Serialize)]
pub(super) struct Nav {
    lang: &'static str,
    script: &'static str,
    /// Prefix from this page to its script root (`../../`).
    root: String,
    /// Prefix from this page to the output root, for shared assets.
    asset_root: String,
    twin_href: String,
    twin_label: &'static str,
    canonical: String,
    /// The twin page's canonical URL, for the hreflang alternate.
    twin_canonical: String,
    title: String,
    description: String,
}

pub(super) fn nav(page: &Page, script: Script, base_url: &str) -> Nav {
    let route = &page.route;
    let up = "../".repeat(route.depth());
    let file = route.file();
    let twin = match script {
        Script::Hans => Script::Hant,
        Script::Hant => Script::Hans,
    };
    let (root, asset_root, twin_href) = if route.is_not_found() {
        // A host serves 404.html for a missing path at any depth, so its
        // links cannot be relative: they start from the site's base path
        // (the path of base_url), for this page only.
        let base = base_path(base_url);
        (
            format!("{base}{}", script.prefix()),
            base.to_string(),
            format!("{base}{}{file}", twin.prefix()),
        )
    } else {
        match script {
            Script::Hans => (
                up.clone(),
                up.clone(),
                format!("{up}{}{file}", Script::Hant.prefix()),
            ),
            Script::Hant => (up.clone(), format!("{up}../"), format!("{up}../{file}")),
        }
    };
    Nav {
        lang: script.lang(),
        script: script.key(),
        root,
        asset_root,
        twin_href,
        twin_label: script.twin_label(),
        canonical: route.canonical(base_url, script),
        twin_canonical: route.canonical(base_url, twin),
        title: page.title.clone(),
        description: page.description.clone(),
    }
}

/// The path part of a base URL (`https://example.org/guide/` → `/guide/`).
fn base_path(base_url: &str) -> &str {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
}
