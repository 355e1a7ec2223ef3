//! Generates a large content folder for the search benchmark: the bundled
//! site plus `--guides N` generated guides (five per generated lender, from
//! the bundled 微粒贷 guides with the lender renamed and a paragraph of
//! sentences drawn from all bundled prose appended, so pages differ). Every
//! other guide's title, summary and body are written in Traditional
//! characters, so the corpus mixes scripts in its source as well as in its
//! two published scripts.
//!
//! `cargo run --release --example gen_corpus -- --guides 1000 --out DIR`
//! writes `DIR/content`; it is deterministic (a fixed xorshift seed).

use std::fs;
use std::path::{Path, PathBuf};

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

const GUIDES: [&str; 5] = [
    "after-overdue",
    "extension",
    "installment",
    "overdue-costs",
    "waiver",
];
const FIRST: &str =
    "安百诚达恒汇佳金乐美宁平融瑞盛泰通信兴易优裕智众和华嘉康丰广鸿凯朗明顺新阳永悦泽振";
const SUFFIX: [&str; 6] = ["贷", "花", "借", "钱包", "分期", "金融"];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let guides: usize = arg("--guides").and_then(|n| n.parse().ok()).unwrap_or(1000);
    let out = PathBuf::from(arg("--out").expect("--out DIR"));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content");
    let content = out.join("content");
    if content.exists() {
        fs::remove_dir_all(&content).expect("remove old corpus");
    }
    copy_tree(&root, &content);
    let s2t = OpenCC::from_config(BuiltinConfig::S2t).expect("OpenCC");
    let lender_yaml = read(&root.join("lenders/weilidai/lender.yaml"));
    let templates: Vec<String> = GUIDES
        .iter()
        .map(|g| read(&root.join(format!("lenders/weilidai/{g}.md"))))
        .collect();
    let sentences = sentence_bank(&root);
    let first: Vec<char> = FIRST.chars().collect();
    let lenders = guides.div_ceil(GUIDES.len());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for i in 0..lenders {
        let (a, b) = (
            first[i % first.len()],
            first[(i / first.len()) % first.len()],
        );
        let suffix = SUFFIX[(i / (first.len() * first.len())) % SUFFIX.len()];
        let name = format!("{a}{b}{suffix}");
        let bank = format!("{a}{b}银行");
        let slug = format!("gen-{i:05}");
        let dir = content.join("lenders").join(&slug);
        fs::create_dir_all(&dir).unwrap();
        let rename = |t: &str| t.replace("微粒贷", &name).replace("微众银行", &bank);
        fs::write(dir.join("lender.yaml"), rename(&lender_yaml)).unwrap();
        for (k, (slug_g, template)) in GUIDES.iter().zip(&templates).enumerate() {
            let mut text = rename(template).replace("lender: weilidai", &format!("lender: {slug}"));
            let extra: Vec<&str> = (0..3 + rng.below(6))
                .map(|_| sentences[rng.below(sentences.len())].as_str())
                .collect();
            text.push_str(&format!("\n\n{}。\n", extra.join("。")));
            if (i + k) % 2 == 1 {
                text = traditional(&text, &s2t);
            }
            fs::write(dir.join(format!("{slug_g}.md")), text).unwrap();
        }
    }
    println!(
        "{} guides of {lenders} generated lenders in {}",
        lenders * GUIDES.len(),
        content.display()
    );
}

/// Title, summary and body in Traditional; the rest of the front matter
/// (ids, rates, examples) stays as written.
fn traditional(text: &str, s2t: &OpenCC) -> String {
    let Some(end) = text[3..].find("\n---\n").map(|i| i + 3) else {
        return text.to_string();
    };
    let (front, body) = text.split_at(end);
    let front: Vec<String> = front
        .lines()
        .map(|l| {
            if l.starts_with("title:") || l.starts_with("summary:") {
                s2t.convert(l)
            } else {
                l.to_string()
            }
        })
        .collect();
    format!("{}\n{}", front.join("\n"), s2t.convert(body))
}

/// Plain sentences of the bundled prose (no Markdown or shortcode syntax).
fn sentence_bank(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            for s in read(entry.path()).split(['。', '\n']) {
                let s = s.trim();
                let n = s.chars().count();
                if (10..80).contains(&n)
                    && !s.contains([
                        '{', '}', '[', ']', '|', '#', '*', '`', '>', ':', '-', '“', '"',
                    ])
                {
                    out.push(s.to_string());
                }
            }
        }
    }
    out
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}
