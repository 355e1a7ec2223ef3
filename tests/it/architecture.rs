//! The one-way rule, checked: a module never imports a later stage.
//!
//! Reads every `crate::…` path in `src/**/*.rs` (in `use` lines, in
//! expressions and in attribute strings such as `#[schemars(with =
//! "crate::vocabulary::field::Slug")]`), maps each file and each path to its
//! top-level module, and requires the path's module to come strictly earlier
//! in [`ORDER`]. Comments are skipped (a doc link names a module, it does not
//! use it), and so is test-only code: every item under `#[cfg(test)]`,
//! including whole `mod tests;` files, since a test may reach across stages
//! to build its inputs.
//!
//! `lex` (blanking comments, strings and test-only items) and `paths`
//! (resolving `crate::{a, b::c}` and `super::super::x`) are beside this file.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

mod lex;
mod paths;

use crate::common;

/// Every top-level module with its rank. A module may import only modules
/// of a strictly lower rank: equal ranks are siblings that must not know
/// each other, so no two modules can form a cycle.
///
/// - 0–3 are leaves, libraries every stage may use: the engine, the
///   vocabulary, diagnostics and "did you mean", UTF-8 checks, the Traditional-script
///   converter, the sink, `serve`'s memo, `build`'s kept store; then Markdown (which reports diagnostics), shortcodes (which
///   locate themselves in Markdown), and the typed model (which holds engine
///   inputs, vocabulary names, rendered Markdown and shortcodes).
/// - 4–10 are the pipeline stages in the order `lib.rs` runs them.
/// - 11 is `report`, what a run reports (`Report`, `Timing`, `Fatal`, and
///   which file texts a report keeps), over the stages whose results it holds.
/// - 12 is `lib.rs` itself, which runs them (`check`, `build_in_memory`,
///   `build`, `BuildOptions`: `crate::X` for a non-module `X`).
/// - 13 are the commands, which may use any stage and the runner (`serve`
///   rebuilds through `build_in_memory`); 14 is `main`, over all of them.
pub const ORDER: &[(&str, u8)] = &[
    ("engine", 0),
    ("vocabulary", 0),
    ("diagnostics", 0),
    ("suggest", 0),
    ("script", 0),
    ("percent", 0),
    ("utf8", 0),
    ("sink", 0),
    ("memo", 0),
    ("kept", 0),
    ("markdown", 1),
    ("shortcode", 2),
    ("model", 3),
    ("load", 4),
    ("parse", 5),
    ("validate", 6),
    ("compute", 7),
    // `plan`: routes and anchors, between compute and render/index.
    ("plan", 8),
    ("render", 9),
    ("index", 9),
    ("write", 10),
    ("report", 11),
    ("lib", 12),
    ("calc", 13),
    ("scaffold", 13),
    ("schema", 13),
    ("serve", 13),
    ("main", 14),
];

fn rank(module: &str) -> Option<u8> {
    ORDER.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

/// One `crate::` path: where it is written and the module it reaches.
#[derive(Debug, PartialEq, Eq)]
struct Import {
    file: String,
    line: usize,
    from: String,
    to: String,
}

/// Every cross-module import in non-test code under `src`.
fn imports(src: &Path) -> Vec<Import> {
    let files = rust_files(src);
    let test_only = lex::test_only_files(src, &files);
    let roots = paths::top_level_modules(src);
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !test_only.contains(*f)) {
        let rel = file.strip_prefix(src).unwrap_or(file);
        let module_path = paths::module_path(rel);
        let from = module_path
            .first()
            .cloned()
            .unwrap_or_else(|| rel.to_string_lossy().trim_end_matches(".rs").to_string());
        let text = fs::read_to_string(file).unwrap_or_default();
        let code = lex::code_outside_tests(&text);
        for (offset, to) in paths::reached_modules(&code, &module_path, &roots) {
            if to != from {
                found.push(Import {
                    file: format!("src/{}", rel.display()),
                    line: text[..offset].matches('\n').count() + 1,
                    from: from.clone(),
                    to,
                });
            }
        }
    }
    found
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}

/// The imports that break the one-way rule, as lines a reader can act on.
fn backward(imports: &[Import]) -> Vec<String> {
    let mut problems = BTreeSet::new();
    for i in imports {
        let problem = match (rank(&i.from), rank(&i.to)) {
            (Some(from), Some(to)) if to < from => continue,
            (Some(_), Some(_)) => format!(
                "`{}` imports `{}`, which is not earlier in the pipeline",
                i.from, i.to
            ),
            (None, _) => format!("module `{}` has no place in ORDER", i.from),
            (_, None) => format!("module `{}` has no place in ORDER", i.to),
        };
        problems.insert((i.file.clone(), i.line, problem));
    }
    problems
        .into_iter()
        .map(|(file, line, problem)| format!("{file}:{line}: {problem}"))
        .collect()
}

#[test]
fn no_module_imports_a_later_stage() {
    let found = imports(&common::root().join("src"));
    // The scan must see the pipeline's real edges, or it proves nothing.
    let edges: BTreeSet<(&str, &str)> = found
        .iter()
        .map(|i| (i.from.as_str(), i.to.as_str()))
        .collect();
    for edge in [
        ("validate", "parse"),
        ("parse", "vocabulary"),
        ("compute", "engine"),
        ("plan", "compute"),
        ("render", "plan"),
        ("index", "plan"),
        ("write", "sink"),
        ("render", "sink"),
    ] {
        assert!(edges.contains(&edge), "the scan missed {edge:?}");
    }
    let problems = backward(&found);
    assert!(
        problems.is_empty(),
        "backward imports (a module may only import strictly earlier ones; see \
         ARCHITECTURE.md, \"One way\"):\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_module_has_a_place_in_the_order() {
    let roots = paths::top_level_modules(&common::root().join("src"));
    let missing: Vec<&String> = roots.iter().filter(|m| rank(m).is_none()).collect();
    assert!(missing.is_empty(), "add to ORDER: {missing:?}");
    let stale: Vec<&str> = ORDER
        .iter()
        .map(|(m, _)| *m)
        .filter(|m| !["lib", "main"].contains(m) && !roots.iter().any(|r| r == m))
        .collect();
    assert!(
        stale.is_empty(),
        "ORDER names modules that do not exist: {stale:?}"
    );
}

#[test]
fn a_backward_import_in_any_form_is_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path();
    let write = |path: &str, text: &str| {
        let path = src.join(path);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    };
    write(
        "lib.rs",
        "pub mod engine;\npub mod parse;\npub mod render;\npub mod validate;\npub struct BuildOptions;\n",
    );
    write(
        "engine.rs",
        "// use crate::render; is a comment\npub fn f() {}\n",
    );
    write(
        "parse.rs",
        "mod raw;\n#[cfg(test)]\nmod tests;\n#[cfg(test)]\nmod inline {\n    use crate::render::X;\n}\n",
    );
    write(
        "parse/raw.rs",
        "#[schemars(with = \"crate::validate::Field\")]\npub struct R { s: &'static str }\nconst C: char = '}';\n",
    );
    write("parse/tests.rs", "use crate::render;\n");
    write("validate.rs", "use crate::{engine, parse::raw::R};\n");
    write(
        "render.rs",
        "fn g() { super::validate::h(); crate::engine::f(); let _ = crate::BuildOptions; }\n",
    );
    let found: Vec<(String, usize, String)> = imports(src)
        .into_iter()
        .map(|i| (i.file, i.line, i.to))
        .collect();
    let expect = |file: &str, line: usize, to: &str| (file.to_string(), line, to.to_string());
    assert_eq!(
        found,
        [
            expect("src/parse/raw.rs", 1, "validate"),
            expect("src/render.rs", 1, "validate"),
            expect("src/render.rs", 1, "engine"),
            expect("src/render.rs", 1, "lib"),
            expect("src/validate.rs", 1, "engine"),
            expect("src/validate.rs", 1, "parse"),
        ]
    );
    let problems = backward(&imports(src));
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].starts_with("src/parse/raw.rs:1: `parse` imports `validate`"));
    assert!(problems[1].starts_with("src/render.rs:1: `render` imports `lib`"));
}
