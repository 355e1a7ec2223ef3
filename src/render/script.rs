//! The two scripts the site is published in, and the OpenCC conversion from
//! the Simplified source to Traditional. Content is written in Simplified;
//! Traditional is derived at build time, never written by hand.

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Hans,
    Hant,
}

/// Stands in for the twin link's label during conversion, so the link back
/// to Simplified still reads 简体中文 on a Traditional page. A private-use
/// character: OpenCC leaves it alone and no content contains it.
const TWIN_MARK: &str = "\u{E000}";

impl Script {
    pub const ALL: [Script; 2] = [Script::Hans, Script::Hant];

    pub fn lang(self) -> &'static str {
        match self {
            Self::Hans => "zh-Hans",
            Self::Hant => "zh-Hant",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Hans => "hans",
            Self::Hant => "hant",
        }
    }

    /// Folder of this script under the output root.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Hans => "",
            Self::Hant => "zh-Hant/",
        }
    }

    /// Label of the link to the other script, in that script.
    pub fn twin_label(self) -> &'static str {
        match self {
            Self::Hans => "繁體中文",
            Self::Hant => TWIN_MARK,
        }
    }
}

/// Converts rendered Simplified pages to Traditional.
pub struct Converter {
    s2t: OpenCC,
}

impl Converter {
    pub fn new() -> Result<Self, String> {
        OpenCC::from_config(BuiltinConfig::S2t)
            .map(|s2t| Self { s2t })
            .map_err(|e| format!("cannot load the OpenCC s2t dictionaries: {e}"))
    }

    /// Simplified text in Traditional (for files that are not pages, such
    /// as the search index's per-page files).
    pub fn to_traditional(&self, text: &str) -> String {
        self.s2t.convert(text)
    }

    /// A page as published in `script`.
    pub fn finish(&self, html: &str, script: Script) -> String {
        match script {
            Script::Hans => html.to_string(),
            Script::Hant => self.s2t.convert(html).replace(TWIN_MARK, "简体中文"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_lender_names_and_keeps_markup() {
        let c = Converter::new().unwrap();
        let out = c.finish(
            "<a href=\"x.html\" lang=\"zh-Hant\">网商贷 协商减免 \u{E000}</a>",
            Script::Hant,
        );
        assert_eq!(
            out,
            "<a href=\"x.html\" lang=\"zh-Hant\">網商貸 協商減免 简体中文</a>"
        );
    }
}
