//! One page of the site and every way to name it.

use crate::script::Script;

/// A page. Folder pages (`lenders/weilidai/`) are written as
/// `…/index.html`; the 404 page is a file at each script's root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Route {
    /// Relative to the script root: `lenders/weilidai/`, `` for home,
    /// `404.html` for the one page that is not a folder.
    path: String,
}

impl Route {
    fn folder(path: String) -> Self {
        Self { path }
    }

    pub fn home() -> Self {
        Self::folder(String::new())
    }

    pub fn lender(slug: &str) -> Self {
        Self::folder(format!("lenders/{slug}/"))
    }

    pub fn guide(lender: &str, slug: &str) -> Self {
        Self::folder(format!("lenders/{lender}/{slug}/"))
    }

    pub fn topic(slug: &str) -> Self {
        Self::folder(format!("topics/{slug}/"))
    }

    pub fn search() -> Self {
        Self::folder("search/".into())
    }

    pub fn calculator() -> Self {
        Self::folder("calculator/".into())
    }

    pub fn compare() -> Self {
        Self::folder("compare/".into())
    }

    pub fn not_found() -> Self {
        Self {
            path: "404.html".into(),
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.path == "404.html"
    }

    /// Folder pages have an `index.html`; the 404 page is a file.
    pub fn is_folder(&self) -> bool {
        !self.path.ends_with(".html")
    }

    /// The pretty path from the script root (`lenders/weilidai/`), as
    /// canonical URLs and the sitemap write it.
    pub fn pretty(&self) -> &str {
        &self.path
    }

    /// The file from the script root (`lenders/weilidai/index.html`), as
    /// links on the site write it, so the site also works from disk.
    pub fn file(&self) -> String {
        if self.is_folder() {
            format!("{}index.html", self.path)
        } else {
            self.path.clone()
        }
    }

    /// Folders between the script root and this page.
    pub fn depth(&self) -> usize {
        self.path.matches('/').count()
    }

    /// Where the page is written in the output, in `script`.
    pub fn output_path(&self, script: Script) -> String {
        format!("{}{}", script.prefix(), self.file())
    }

    /// The canonical URL of the page in `script`.
    pub fn canonical(&self, base_url: &str, script: Script) -> String {
        format!("{base_url}{}{}", script.prefix(), self.path)
    }

    /// A link to this page from `from`, in the same script.
    pub fn href_from(&self, from: &Route) -> String {
        format!("{}{}", "../".repeat(from.depth()), self.file())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_of_a_page_comes_from_one_path() {
        let guide = Route::guide("weilidai", "waiver");
        assert_eq!(guide.file(), "lenders/weilidai/waiver/index.html");
        assert_eq!(guide.pretty(), "lenders/weilidai/waiver/");
        assert_eq!(guide.depth(), 3);
        assert_eq!(
            guide.output_path(Script::Hant),
            "zh-Hant/lenders/weilidai/waiver/index.html"
        );
        assert_eq!(
            guide.canonical("https://example.org/", Script::Hans),
            "https://example.org/lenders/weilidai/waiver/"
        );
        assert_eq!(
            Route::calculator().href_from(&guide),
            "../../../calculator/index.html"
        );
        assert_eq!(Route::home().file(), "index.html");
        assert_eq!(Route::not_found().file(), "404.html");
        assert_eq!(Route::not_found().depth(), 0);
        assert!(!Route::not_found().is_folder());
    }
}
