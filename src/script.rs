//! The two scripts the site is published in, and the OpenCC conversion from
//! the Simplified source to Traditional. Content is written in Simplified;
//! Traditional is derived at build time, never written by hand.
//!
//! Traditional follows the Taiwan character standard (OpenCC `s2tw`: 為,
//! 眾, 裡, 核, 吃, not OpenCC's generic 爲, 衆, 裏, 覈, 喫), which is what
//! readers in Taiwan and Hong Kong write and what `og:locale` zh_TW says.
//! On top of OpenCC, [`PHRASES`] fixes the domain's phrases that its
//! segmentation gets wrong; a test pins each.
//!
//! A leaf shared by `render` (whole pages) and `index` (search snippets), so
//! both convert alike without one stage importing the other.

use std::collections::HashMap;
use std::sync::RwLock;

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

/// The site's phrase table: Simplified phrases OpenCC converts wrongly in
/// this domain, with the Traditional they must become. Each is shielded
/// from OpenCC by a private-use character (validation keeps those out of
/// content), so OpenCC's segmentation cannot join it to its neighbours.
pub const PHRASES: &[(&str, &str)] = &[
    // A PBOC document number, 银发〔2003〕251号: 發 (issue), not 髮 (hair).
    ("银发〔", "銀發〔"),
    // 那只会: "that only will"; OpenCC reads 那只 as a measure word (那隻).
    ("只会", "只會"),
    // 90天后: "after 90 days"; OpenCC keeps 天后 (the goddess Tianhou).
    ("天后", "天後"),
    // 签 as "to sign" is 簽; alone, OpenCC writes 籤 (a lot, a label).
    ("签协议", "簽協議"),
    ("不签", "不簽"),
    ("签的", "簽的"),
    // 里 as "inside": OpenCC keeps 里 (a unit of length) after these nouns.
    ("指南里", "指南裡"),
    ("合同里", "合同裡"),
];

/// A searcher for each of [`PHRASES`], made once (`str::contains` sets
/// one up on every call, eight per page).
static FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
    std::sync::LazyLock::new(|| {
        PHRASES
            .iter()
            .map(|(hans, _)| memchr::memmem::Finder::new(hans.as_bytes()))
            .collect()
    });

/// The private-use character that stands for `PHRASES[i]` during conversion.
fn phrase_mark(i: usize) -> char {
    char::from_u32(0xE100 + i as u32).unwrap_or('\u{E100}')
}

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
    s2tw: OpenCC,
    /// Pieces already converted (labels, headings, names, template text,
    /// clauses of prose): many repeat across pages.
    memo: RwLock<HashMap<Box<str>, Box<str>>>,
}

/// Pieces up to this many bytes are remembered (about 80 Han characters).
const MEMO_PIECE_BYTES: usize = 240;
/// At most this many remembered pieces, so memory stays bounded on any site.
const MEMO_ENTRIES: usize = 200_000;
/// A run is converted a piece at a time, each piece ending after one of these.
/// No key of the s2tw dictionaries (STPhrases, STCharacters, TWVariants)
/// contains one (`cut -f1 STPhrases.txt | grep '[。！？；，、：]'` finds none in
/// ferrous-opencc's assets), so no phrase spans a cut and the pieces convert
/// as the whole run does; a test compares both on every bundled file. Cut
/// at clauses, prose repeats: boilerplate steps and warnings recur across
/// guides, and each piece is converted once.
const PIECE_ENDS: &[char] = &['。', '！', '？', '；', '，', '、', '：'];

impl Converter {
    /// The process's one converter: loading OpenCC's dictionaries takes
    /// tens of milliseconds, and `serve` would pay that twice a rebuild;
    /// its remembered pieces carry over too (bounded by `MEMO_ENTRIES`).
    pub fn shared() -> Result<&'static Self, String> {
        static SHARED: std::sync::OnceLock<Result<Converter, String>> = std::sync::OnceLock::new();
        SHARED.get_or_init(Self::new).as_ref().map_err(Clone::clone)
    }

    pub fn new() -> Result<Self, String> {
        OpenCC::from_config(BuiltinConfig::S2tw)
            .map(|s2tw| Self {
                s2tw,
                memo: RwLock::default(),
            })
            .map_err(|e| format!("cannot load the OpenCC s2tw dictionaries: {e}"))
    }

    /// Simplified text in Traditional (for files that are not pages, such
    /// as the search index's per-page files).
    pub fn to_traditional(&self, text: &str) -> String {
        let mut shielded = text.to_string();
        let mut found = Vec::new();
        for (i, (hans, _)) in PHRASES.iter().enumerate() {
            if FINDERS[i].find(shielded.as_bytes()).is_some() {
                shielded = shielded.replace(hans, phrase_mark(i).encode_utf8(&mut [0; 4]));
                found.push(i);
            }
        }
        let mut out = self.convert_runs(&shielded);
        for i in found {
            out = out.replace(phrase_mark(i), PHRASES[i].1);
        }
        out
    }

    /// OpenCC over each run of non-ASCII text, markup and Latin copied as
    /// they are. No s2tw dictionary entry contains an ASCII character, so a
    /// phrase never spans one and this equals converting the whole text
    /// (a test compares both on the bundled site); it skips the markup,
    /// about half of a page, which OpenCC would otherwise look up one
    /// character at a time.
    fn convert_runs(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let start = i;
            let ascii = bytes[i].is_ascii();
            while i < bytes.len() && bytes[i].is_ascii() == ascii {
                i += 1;
            }
            // Both ends are char boundaries: an ASCII byte is a whole char,
            // and a run of non-ASCII bytes ends where an ASCII one begins.
            let run = &text[start..i];
            if ascii {
                out.push_str(run);
            } else {
                self.convert_run(run, &mut out);
            }
        }
        out
    }

    fn convert_run(&self, run: &str, out: &mut String) {
        for piece in run.split_inclusive(PIECE_ENDS) {
            self.convert_piece(piece, out);
        }
    }

    fn convert_piece(&self, piece: &str, out: &mut String) {
        if piece.len() > MEMO_PIECE_BYTES {
            out.push_str(&self.s2tw.convert(piece));
            return;
        }
        // A poisoned lock only means another thread panicked mid-insert;
        // the map itself is still whole.
        if let Some(hit) = self
            .memo
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(piece)
        {
            out.push_str(hit);
            return;
        }
        let converted = self.s2tw.convert(piece);
        out.push_str(&converted);
        let mut memo = self.memo.write().unwrap_or_else(|e| e.into_inner());
        if memo.len() < MEMO_ENTRIES {
            memo.insert(piece.into(), converted.into());
        }
    }

    /// A page as published in `script`.
    pub fn finish(&self, html: &str, script: Script) -> String {
        match script {
            Script::Hans => html.to_string(),
            Script::Hant => self.to_traditional(html).replace(TWIN_MARK, "简体中文"),
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

    /// Phrases readers reported wrong, and the generic OpenCC forms that
    /// readers in Taiwan and Hong Kong do not write.
    #[test]
    fn domain_phrases_convert_as_readers_write_them() {
        let c = Converter::new().unwrap();
        for (hans, hant) in [
            ("依据银发〔2003〕251号文", "依據銀發〔2003〕251號文"),
            ("那只会让罚息越滚越多", "那只會讓罰息越滾越多"),
            ("逾期90天后", "逾期90天後"),
            ("3天后再打一次", "3天後再打一次"),
            ("请客服核实", "請客服核實"),
            ("审核通过", "審核通過"),
            ("因为", "因為"),
            ("群众", "群眾"),
            ("App里", "App裡"),
            ("吃饭", "吃飯"),
            ("不签任何协议", "不簽任何協議"),
            ("你已经签的合同", "你已經簽的合同"),
            ("先签协议", "先簽協議"),
            ("贴上标签", "貼上標籤"),
            ("和合同里贷款人", "和合同裡貸款人"),
            ("把指南里的例子", "把指南裡的例子"),
            ("五公里", "五公里"),
            ("只能分期", "只能分期"),
            ("一只猫", "一隻貓"),
        ] {
            assert_eq!(c.to_traditional(hans), hant, "{hans}");
        }
    }

    /// Converting run by run must equal converting the whole text: checked
    /// on every bundled content file (prose, YAML and markup together).
    #[test]
    fn converting_runs_equals_converting_the_whole_text() {
        let c = Converter::new().unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut checked = 0;
        for entry in walkdir::WalkDir::new(root) {
            let path = entry.unwrap().into_path();
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let text = format!(
                "<p class=\"x\">{text}</p>App里<b>天</b>后，天后。头发、发展：干燥；干部！于是？"
            );
            assert_eq!(
                c.convert_runs(&text),
                c.s2tw.convert(&text),
                "{}",
                path.display()
            );
            checked += 1;
        }
        assert!(checked > 30, "only {checked} files");
    }

    #[test]
    fn phrase_table_keys_are_simplified_and_marks_are_private_use() {
        for (i, (hans, hant)) in PHRASES.iter().enumerate() {
            assert!(!hans.is_empty() && !hant.is_empty());
            assert!(('\u{E100}'..='\u{E1FF}').contains(&phrase_mark(i)));
        }
    }
}
