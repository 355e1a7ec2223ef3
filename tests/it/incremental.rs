//! Incremental builds equal cold builds (issue 12): the bundled site is
//! edited, one edit at a time, each kind of edit on a file picked at
//! random (guide prose, a lender's name or cited figure, site.yaml, a
//! topic, a template, a guide added), and after each edit a rebuild that reuses the previous output — on disk, as `build` does,
//! and in memory, as `serve` does — must give the same bytes as a cold
//! build of the same content into a fresh folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lendguide::BuildOptions;

use crate::common::{copy_tree, published, root};

/// xorshift64*: the edits are random but the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

pub(crate) fn files(dir: &Path, name: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| name(&n.to_string_lossy())))
        .collect();
    out.sort();
    out
}

/// Replaces the value of the first `key: ` line of a YAML file.
pub(crate) fn edit_yaml_line(path: &Path, key: &str, n: usize) {
    let text = fs::read_to_string(path).unwrap();
    let prefix = format!("{key}: ");
    let edited: Vec<String> = text
        .lines()
        .scan(false, |done, line| {
            Some(if !*done && line.starts_with(&prefix) {
                *done = true;
                format!("{line}（第{n}次修改）")
            } else {
                line.to_string()
            })
        })
        .collect();
    fs::write(path, edited.join("\n") + "\n").unwrap();
}

/// How many kinds of edit [`edit`] makes.
const EDIT_KINDS: usize = 8;

/// Edit number `n`, of kind `n % EDIT_KINDS`, on a file picked at random;
/// returns what it did, for the failure message.
fn edit(rng: &mut Rng, content: &Path, templates: &Path, n: usize) -> String {
    let guides = files(&content.join("lenders"), |n| n.ends_with(".md"));
    match n % EDIT_KINDS {
        0 => {
            let g = rng.pick(&guides);
            let mut text = fs::read_to_string(g).unwrap();
            text.push_str(&format!(
                "\n\n补充第{n}条：每次沟通都记下时间和客服工号。\n"
            ));
            fs::write(g, text).unwrap();
            format!("appended prose to {}", g.display())
        }
        2 => {
            let lenders = files(&content.join("lenders"), |n| n == "lender.yaml");
            let l = rng.pick(&lenders);
            edit_yaml_line(l, "name", n);
            format!("renamed the lender in {}", l.display())
        }
        3 => {
            edit_yaml_line(&content.join("site.yaml"), "tagline", n);
            "changed site.yaml's tagline".into()
        }
        4 => {
            // Text before the last block's end: shows on every guide page.
            let t = templates.join("guide.html");
            let text = fs::read_to_string(&t).unwrap();
            let end = text
                .rfind("{% endblock %}")
                .expect("guide.html ends a block");
            let edited = format!("{}<p>第{n}版</p>\n{}", &text[..end], &text[end..]);
            fs::write(&t, edited).unwrap();
            "edited templates/guide.html".into()
        }
        5 => {
            // A figure worked examples cite (`@penalty-rule`): their
            // guides' figures change though the guides did not. Not where
            // a guide states what a source claims (`expect:`), which the
            // new figure would contradict.
            let lenders = files(&content.join("lenders"), |n| n == "lender.yaml");
            let claims = |l: &Path| {
                files(l.parent().unwrap(), |n| n.ends_with(".md"))
                    .iter()
                    .map(|g| fs::read_to_string(g).unwrap())
                    .any(|g| g.contains("@penalty-rule") && g.contains("expect:"))
            };
            let cited: Vec<PathBuf> = lenders
                .into_iter()
                .filter(|l| fs::read_to_string(l).unwrap().contains("\n    figure: "))
                .filter(|l| !claims(l))
                .collect();
            let l = rng.pick(&cited);
            let text = fs::read_to_string(l).unwrap();
            let edited: Vec<String> = text
                .lines()
                .map(|line| match line.strip_prefix("    figure: ") {
                    Some(_) => format!("    figure: 0.0{}%", n % 9 + 1),
                    None => line.to_string(),
                })
                .collect();
            fs::write(l, edited.join("\n") + "\n").unwrap();
            format!("set the policy figures in {}", l.display())
        }
        6 => {
            // Guide pages list the topics about their lender.
            let topics = files(&content.join("topics"), |n| n.ends_with(".md"));
            let t = rng.pick(&topics);
            edit_yaml_line(t, "title", n);
            format!("retitled the topic {}", t.display())
        }
        7 => {
            // Every negotiation guide says what to try if refused.
            let site = content.join("site.yaml");
            let text = fs::read_to_string(&site).unwrap();
            let edited = text.replacen(
                "\n  - \"先问清被拒绝的原因",
                &format!("\n  - \"（第{n}版）先问清被拒绝的原因"),
                1,
            );
            assert_ne!(edited, text, "site.yaml's if_refused advice moved");
            fs::write(&site, edited).unwrap();
            "reworded site.yaml's advice for a refusal".into()
        }
        _ => {
            let g = rng.pick(&guides).clone();
            let copy = g.with_file_name(format!("extra-{n}.md"));
            fs::copy(&g, &copy).unwrap();
            format!("added {} (a copy of {})", copy.display(), g.display())
        }
    }
}

pub(crate) fn options(dir: &Path, out: &str) -> BuildOptions {
    BuildOptions {
        content: dir.join("content"),
        templates: dir.join("templates"),
        out: dir.join(out),
        base_url: None,
    }
}

/// A copy of the bundled site's content and templates, to edit.
pub(crate) fn bundled_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&root().join("content"), &tmp.path().join("content"));
    copy_tree(&root().join("templates"), &tmp.path().join("templates"));
    tmp
}

#[test]
fn a_rebuild_after_random_edits_equals_a_cold_build() {
    let tmp = bundled_copy();
    let dir = tmp.path();
    let warm = options(dir, "output");
    let first = lendguide::build(&warm).unwrap();
    assert!(!first.has_errors(), "{:?}", first.diagnostics);
    // serve's memory of what it read, parsed and made: what the edits
    // leave unchanged comes from it, from the first edit on.
    let memory_of_files = lendguide::Memory::default();
    let (memory, _) =
        lendguide::build_in_memory_reusing(&warm, None, Some(&memory_of_files)).unwrap();
    let mut memory = Arc::new(memory.expect("the bundled site builds"));

    let unchanged = lendguide::build(&warm).unwrap();
    assert_eq!(
        unchanged.reused, unchanged.pages,
        "a rebuild with no change reuses every page"
    );

    let mut rng = Rng(0x1e4d_9a1d_e000_0022);
    let mut kinds = std::collections::BTreeSet::new();
    for n in 0..=EDIT_KINDS {
        let what = edit(&mut rng, &dir.join("content"), &dir.join("templates"), n);
        kinds.insert(what.split(' ').next().unwrap_or("").to_string());
        let incremental = lendguide::build(&warm).unwrap();
        assert!(
            !incremental.has_errors(),
            "{what}: {:?}",
            incremental.diagnostics
        );
        let cold_out = format!("cold-{n}");
        let cold = lendguide::build(&options(dir, &cold_out)).unwrap();
        assert_eq!(
            cold.reused, 0,
            "{what}: a fresh folder has nothing to reuse"
        );
        assert_eq!(
            published(&dir.join("output")),
            published(&dir.join(&cold_out)),
            "after edit {n} ({what}), the rebuild differs from a cold build"
        );
        if what.starts_with("edited templates") {
            assert_eq!(incremental.reused, 0, "{what}: every page depends on it");
        }
        if what.starts_with("appended prose") {
            assert!(
                incremental.reused > incremental.pages / 2,
                "{what}: only {} of {} pages reused",
                incremental.reused,
                incremental.pages
            );
        }

        // serve's way: in memory, reusing the site it serves.
        let (again, report) = lendguide::build_in_memory_reusing(
            &warm,
            Some(Arc::clone(&memory)),
            Some(&memory_of_files),
        )
        .unwrap();
        let again = again.expect("builds");
        let (cold_memory, _) = lendguide::build_in_memory(&warm).unwrap();
        assert_eq!(
            again.files,
            cold_memory.expect("builds").files,
            "after edit {n} ({what}), serve's rebuild differs from a cold one"
        );
        assert_eq!(report.pages, incremental.pages);
        memory = Arc::new(again);
        fs::remove_dir_all(dir.join(&cold_out)).unwrap();
    }
    assert_eq!(kinds.len(), EDIT_KINDS, "exercised only {kinds:?}");
    // From the second edit on, each rebuild staged into the tree the one
    // before it swapped out (write/recycle.rs).
    assert!(dir.join(".output.spare/.lendguide-manifest").is_file());
}

/// The fold table is patched from counts the previous build recorded,
/// taking out what the changed pages' old search files held. When those
/// files cannot be read back, every page is counted again; either way the
/// rebuild equals a cold build, also when an edit adds a character the
/// site never had and the next takes it away.
#[test]
fn the_fold_table_patched_from_counts_or_counted_again_equals_a_cold_one() {
    let tmp = bundled_copy();
    let dir = tmp.path();
    let warm = options(dir, "output");
    assert!(!lendguide::build(&warm).unwrap().has_errors());
    assert!(dir.join("output/.lendguide-fold").is_file());
    fs::remove_dir_all(dir.join("output/search/docs/hant")).unwrap();
    let guide = dir.join("content/lenders/weilidai/waiver.md");
    let original = fs::read_to_string(&guide).unwrap();
    // A character the site never had, and one edit of a page.
    let edited = format!("{original}\n\n补充：记下每次通话的时间，留好截图（鬱）。\n");
    let cold = |name: &str| {
        let _ = fs::remove_dir_all(dir.join(name));
        assert!(!lendguide::build(&options(dir, name)).unwrap().has_errors());
        published(&dir.join(name))
    };
    for text in [&edited, &original] {
        fs::write(&guide, text).unwrap();
        assert!(!lendguide::build(&warm).unwrap().has_errors());
        assert_eq!(published(&dir.join("output")), cold("cold"));
    }
    // The second rebuild took the page's old part out of the counts it
    // patched: the character is gone from the fold table, as in a cold
    // build.
    let manifest = fs::read_to_string(dir.join("output/search/manifest.json")).unwrap();
    assert!(!manifest.contains('鬱'), "{manifest}");
}

/// A page published again from the previous build is not link-checked
/// again while the site has the same pages and ids; when a page it links
/// to goes away, it is, and the rebuild reports what a cold build does.
#[test]
fn a_reused_page_whose_link_target_went_away_is_checked_again() {
    let tmp = bundled_copy();
    let dir = tmp.path();
    let warm = options(dir, "output");
    assert!(!lendguide::build(&warm).unwrap().has_errors());
    assert!(dir.join("output/.lendguide-links").is_file());
    // The topic links to this guide in its prose; the topic's page does
    // not change, so it is reused.
    fs::remove_file(dir.join("content/lenders/mybank/waiver.md")).unwrap();
    let rebuild = lendguide::build(&warm).unwrap();
    let cold = lendguide::build(&options(dir, "cold")).unwrap();
    let broken = |r: &lendguide::Report| -> Vec<String> {
        r.diagnostics
            .iter()
            .filter(|d| d.code == "broken-link")
            .map(|d| format!("{}:{}:{} {}", d.file, d.line, d.column, d.message))
            .collect()
    };
    assert!(
        broken(&rebuild)
            .iter()
            .any(|d| d.contains("agent-scams.md:50")),
        "{:?}",
        rebuild.diagnostics
    );
    assert_eq!(broken(&rebuild), broken(&cold));
}

/// A rebuild whose inputs did not change stops after reading them (its
/// timings list only `load`), and still repairs an output file that went
/// missing or was edited; any edit builds again.
#[test]
fn a_rebuild_with_nothing_changed_stops_after_reading_the_inputs() {
    let site = crate::common::Site::valid();
    let templates = root().join("templates");
    let build = || {
        let out = site
            .cmd(&[
                "build",
                "--timings",
                "--templates",
                templates.to_str().unwrap(),
            ])
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stderr).into_owned()
    };
    let first = build();
    assert!(first.contains("render"), "{first}");
    let second = build();
    let timings = second.lines().find(|l| l.starts_with("timings:")).unwrap();
    assert!(!timings.contains("render"), "nothing to render: {second}");
    assert!(
        second.contains(" 0 changed, 0 added, 0 removed"),
        "{second}"
    );

    let page = site.out().join("index.html");
    let bytes = fs::read(&page).unwrap();
    fs::remove_file(&page).unwrap();
    let third = build();
    assert!(
        third.contains("render"),
        "a missing file is rebuilt: {third}"
    );
    assert_eq!(fs::read(&page).unwrap(), bytes);

    // Edited in place, same length: the stamp moved, so the page is not
    // taken as built, nor linked into the next output.
    let mut edited = bytes.clone();
    let at = edited.iter().position(|b| *b == b'<').unwrap();
    edited[at + 1..at + 4].copy_from_slice(b"!--");
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(&page, &edited).unwrap();
    let repaired = build();
    assert!(
        repaired.contains("render"),
        "an edited file is rebuilt: {repaired}"
    );
    assert_eq!(fs::read(&page).unwrap(), bytes);

    let site_yaml = site.content().join("site.yaml");
    edit_yaml_line(&site_yaml, "tagline", 1);
    let fourth = build();
    assert!(fourth.contains("render"), "an edit builds again: {fourth}");
    assert!(!fourth.contains(" 0 changed"), "{fourth}");
}
