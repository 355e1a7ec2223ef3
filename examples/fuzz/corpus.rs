// The seeds: two valid sites to mutate files in (the test fixture and the
// bundled content), the examples `calc` reads (calc fixtures plus every
// entry of a guide's `examples:`), and the content model's words, read from
// `lendguide schema` so the dictionary cannot drift from the parser.

use std::fs;
use std::path::{Path, PathBuf};

/// A valid content folder; `files` are its paths relative to `dir`, sorted.
pub struct Site {
    pub name: &'static str,
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
}

pub struct Corpus {
    pub sites: Vec<Site>,
    /// Every content file and example, for splicing lines across seeds.
    pub texts: Vec<Vec<u8>>,
    /// One worked example per entry, as `calc` reads it.
    pub examples: Vec<Vec<u8>>,
    pub words: Vec<String>,
}

impl Corpus {
    pub fn load(root: &Path, schema_json: &str) -> Result<Self, String> {
        let sites = vec![
            site("fixture", root.join("tests/fixtures/valid/content"))?,
            site("bundled", root.join("content"))?,
        ];
        let mut texts = Vec::new();
        let mut examples = Vec::new();
        for s in &sites {
            for f in &s.files {
                let text = read(&s.dir.join(f))?;
                if f.extension().is_some_and(|e| e == "md") {
                    examples.extend(guide_examples(&String::from_utf8_lossy(&text)));
                }
                texts.push(text);
            }
        }
        let calc_dir = root.join("tests/fixtures/calc");
        for f in sorted_files(&calc_dir)? {
            examples.push(read(&calc_dir.join(f))?);
        }
        if examples.is_empty() {
            return Err("no worked examples found to seed `calc`".into());
        }
        texts.extend(examples.iter().cloned());
        Ok(Self {
            sites,
            texts,
            examples,
            words: words(schema_json),
        })
    }
}

fn site(name: &'static str, dir: PathBuf) -> Result<Site, String> {
    let files = sorted_files(&dir)?;
    if files.is_empty() {
        return Err(format!("no seed files in {}", dir.display()));
    }
    Ok(Site { name, dir, files })
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    fs::read(path).map_err(|e| format!("cannot read seed {}: {e}", path.display()))
}

/// Files under `dir`, relative to it, in a fixed order.
pub fn sorted_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("cannot walk {}: {e}", dir.display()))?;
        if let (true, Ok(rel)) = (entry.file_type().is_file(), entry.path().strip_prefix(dir)) {
            out.push(rel.to_path_buf());
        }
    }
    Ok(out)
}

/// Each item of the front matter's `examples:` list, de-indented into a
/// stand-alone YAML mapping. Text-level, so comments and layout survive.
pub fn guide_examples(text: &str) -> Vec<Vec<u8>> {
    let mut lines = text.lines().skip_while(|l| *l != "examples:");
    if lines.next().is_none() {
        return Vec::new();
    }
    let mut items: Vec<Vec<String>> = Vec::new();
    let mut item_indent = None;
    for l in lines {
        if l == "---" || (!l.is_empty() && !l.starts_with(' ') && !l.starts_with('-')) {
            break;
        }
        let indent = l.len() - l.trim_start().len();
        let is_item = l.trim_start().starts_with("- ");
        if is_item && item_indent.is_none_or(|i| i == indent) {
            item_indent = Some(indent);
            // `  - id: x` → `id: x`, later lines lose the same width.
            items.push(vec![l[indent + 2..].to_string()]);
        } else if let (Some(i), Some(item)) = (item_indent, items.last_mut()) {
            let cut = (i + 2).min(l.len() - l.trim_start().len());
            item.push(l[cut..].to_string());
        }
    }
    items
        .into_iter()
        .map(|lines| (lines.join("\n") + "\n").into_bytes())
        .collect()
}

/// Every property name and enum value in the JSON Schema.
pub fn words(schema_json: &str) -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Object(props)) = map.get("properties") {
                    out.extend(props.keys().cloned());
                }
                if let Some(serde_json::Value::Array(values)) = map.get("enum") {
                    out.extend(values.iter().filter_map(|v| v.as_str().map(String::from)));
                }
                map.values().for_each(|v| walk(v, out));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(schema_json) {
        walk(&v, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_are_cut_out_of_front_matter() {
        let text = "---\ntitle: t\nexamples:\n  - id: a\n    type: overdue\n    penalty:\n      markup: 50%\n  - id: b\n---\nbody\n";
        let got = guide_examples(text);
        assert_eq!(
            got,
            vec![
                b"id: a\ntype: overdue\npenalty:\n  markup: 50%\n".to_vec(),
                b"id: b\n".to_vec()
            ]
        );
    }
}
