//! What `build` keeps of its check stages beside the output
//! (`.<output>.kept`): a rebuild reads back the lenders and guides an
//! earlier build validated from the same text (a guide: in the same
//! folder), and still equals a cold build; a file with anything to report
//! is checked again every time; a
//! damaged store costs time, not correctness; and a folder at the store's
//! name that lendguide did not make is never read or written.

use std::fs;
use std::path::Path;

use crate::common::published;
use crate::incremental::{bundled_copy, edit_yaml_line, files, options};

fn append_prose(guide: &Path, n: usize) {
    let mut text = fs::read_to_string(guide).unwrap();
    text.push_str(&format!("\n\n补充第{n}条：还款前先确认对方账户。\n"));
    fs::write(guide, text).unwrap();
}

/// `build` into `out`, which must report no error.
fn build(dir: &Path, out: &str) -> lendguide::Report {
    let report = lendguide::build(&options(dir, out)).unwrap();
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
    report
}

/// The output equals a cold build of the same content into a new folder.
fn assert_equals_cold(dir: &Path, why: &str) {
    let cold = build(dir, "cold");
    assert_eq!(cold.kept_files, 0, "a new folder has nothing kept");
    assert_eq!(
        published(&dir.join("output")),
        published(&dir.join("cold")),
        "{why}: the rebuild differs from a cold build"
    );
    fs::remove_dir_all(dir.join("cold")).unwrap();
    assert!(
        !dir.join(".cold.kept").exists(),
        "a first build keeps nothing"
    );
}

/// A copy of the bundled site, its guide files and how many lender.yaml
/// files it has.
fn bundled_guides() -> (tempfile::TempDir, Vec<std::path::PathBuf>, usize) {
    let tmp = bundled_copy();
    let lenders = tmp.path().join("content/lenders");
    let guides = files(&lenders, |n| n.ends_with(".md"));
    let count = files(&lenders, |n| n == "lender.yaml").len();
    (tmp, guides, count)
}

#[test]
fn files_checked_before_are_read_back_and_the_output_still_equals_a_cold_build() {
    let (tmp, guides, lenders) = bundled_guides();
    let dir = tmp.path();
    let content = dir.join("content");
    // Every guide and lender.yaml, read back.
    let all = guides.len() + lenders;
    let store = dir.join(".output.kept");

    assert_eq!(build(dir, "output").kept_files, 0);
    assert!(
        !store.exists(),
        "a first build into a new folder keeps nothing"
    );
    append_prose(&guides[0], 1);
    assert_eq!(build(dir, "output").kept_files, 0);
    assert!(store.join(".lendguide-kept").is_file(), "a rebuild keeps");

    append_prose(&guides[1], 2);
    let third = build(dir, "output");
    assert_eq!(third.kept_files, all - 1, "all but the edited guide");
    assert_equals_cold(dir, "one guide edited");

    // A guide and a lender with a warning are checked (and warned about)
    // every time.
    let summary =
        fs::read_to_string(&guides[2])
            .unwrap()
            .replacen("\nsummary: ", "\nsummary: 待填写。", 1);
    fs::write(&guides[2], summary).unwrap();
    let lender = guides[3].parent().unwrap().join("lender.yaml");
    let lender_text = fs::read_to_string(&lender).unwrap();
    fs::write(
        &lender,
        lender_text.replacen("\nname: ", "\nname: 待填写", 1),
    )
    .unwrap();
    for round in 0..2 {
        let warned = build(dir, "output");
        let codes: Vec<_> = warned.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["placeholder", "placeholder"]);
        if round == 1 {
            assert_eq!(warned.kept_files, all - 2);
        }
    }
    fs::write(&lender, lender_text).unwrap();

    // A lender's own file changed: its guides are checked again.
    let folder = lender.parent();
    let checked_again = guides
        .iter()
        .filter(|g| g.parent() == folder || *g == &guides[2])
        .count();
    edit_yaml_line(&lender, "name", 1);
    let renamed = build(dir, "output");
    assert_eq!(renamed.kept_files, all - checked_again - 1);
    assert_equals_cold(dir, "a lender renamed");

    // A figure the guides' worked examples cite (`@id`) changed: what the
    // guides were checked against changed, though their files did not.
    let cited = files(&content.join("lenders"), |n| n == "lender.yaml")
        .into_iter()
        .find(|l| fs::read_to_string(l).unwrap().contains("\n    figure: "))
        .expect("a lender with a figure");
    let text = fs::read_to_string(&cited).unwrap();
    let edited: Vec<String> = text
        .lines()
        .map(|line| match line.strip_prefix("    figure: ") {
            Some(_) => "    figure: 0.07%".to_string(),
            None => line.to_string(),
        })
        .collect();
    fs::write(&cited, edited.join("\n") + "\n").unwrap();
    build(dir, "output");
    assert_equals_cold(dir, "a cited figure changed");

    // Every shard damaged: a flipped byte, or cut short.
    let shards = files(&store, |n| n.len() == 2);
    assert!(shards.len() > 1, "{shards:?}");
    for (i, shard) in shards.iter().enumerate() {
        let mut bytes = fs::read(shard).unwrap();
        let middle = bytes.len() / 2;
        if i % 2 == 0 {
            bytes[middle] ^= 0x5a;
        } else {
            bytes.truncate(middle);
        }
        fs::write(shard, bytes).unwrap();
    }
    append_prose(&guides[4], 3);
    let damaged = build(dir, "output");
    assert!(damaged.kept_files < all - 2, "{}", damaged.kept_files);
    assert_equals_cold(dir, "the store damaged");
    // The rebuild stored whole shards again.
    append_prose(&guides[5], 4);
    assert_eq!(build(dir, "output").kept_files, all - 2);
}

/// How the content folder is spelled (`content`, `/home/me/site/content`,
/// `content/../content`) is not what its files are: with it spelled
/// otherwise and nothing edited, a rebuild stops after reading the inputs;
/// after an edit, it reads every other file back and reuses every other
/// page, as with the same spelling; and a problem found later in a file
/// read back names it as spelled now. At 10,000 guides a rebuild after
/// the spelling changed took longer and more memory than a cold build (19 s
/// and 864 MB against 18 s and 676 MB), since every key held the spelling.
#[test]
fn a_rebuild_with_the_content_folder_spelled_otherwise_reads_everything_back() {
    let (tmp, guides, lenders) = bundled_guides();
    let dir = tmp.path();
    let content = dir.join("content");
    build(dir, "output");
    append_prose(&guides[0], 1);
    let edited = build(dir, "output");
    let rendered = edited.pages - edited.reused;

    let mut respelled = options(dir, "output");
    respelled.content = dir.join("content/../content");
    let same = lendguide::build(&respelled).unwrap();
    let stages: Vec<&str> = same.timings.iter().map(|t| t.stage).collect();
    assert_eq!(stages, ["load"], "nothing changed but the spelling");

    append_prose(&guides[0], 2);
    let report = lendguide::build(&respelled).unwrap();
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
    assert_eq!(report.kept_files, guides.len() - 1 + lenders);
    assert_eq!(
        report.pages - report.reused,
        rendered,
        "as with the same spelling"
    );
    assert_equals_cold(dir, "the content folder spelled otherwise");

    // The waiver guide links to the installment guide in its prose; with
    // that gone, the link is reported in the waiver guide, read back.
    let card = content.join("lenders/credit-card");
    fs::remove_file(card.join("installment.md")).unwrap();
    let broken = lendguide::build(&respelled).unwrap();
    assert_eq!(
        broken.kept_files,
        guides.len() - 1 + lenders,
        "all that are left"
    );
    let at: Vec<&str> = broken
        .diagnostics
        .iter()
        .filter(|d| d.code == "broken-link")
        .map(|d| d.file.as_str())
        .collect();
    let shown = format!(
        "{}/lenders/credit-card/waiver.md",
        respelled.content.display()
    );
    assert!(at.contains(&shown.as_str()), "{shown} not in {at:?}");
}

/// Files by path, with their bytes.
type Tree = Vec<(String, Vec<u8>)>;

/// Every file under `dir` (links not followed) with its bytes.
fn tree(dir: &Path) -> Tree {
    files(dir, |_| true)
        .into_iter()
        .map(|p| (p.display().to_string(), fs::read(&p).unwrap()))
        .collect()
}

#[test]
fn a_folder_at_the_stores_name_that_lendguide_did_not_make_is_left_alone() {
    let tmp = bundled_copy();
    let dir = tmp.path();
    let guides = files(&dir.join("content/lenders"), |n| n.ends_with(".md"));

    // A folder without lendguide's marker.
    let foreign = dir.join(".output.kept");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("00"), "not lendguide's").unwrap();
    // A link to a folder that looks like a store.
    let elsewhere = dir.join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::write(elsewhere.join(".lendguide-kept"), "planted").unwrap();
    fs::write(elsewhere.join("00"), "planted").unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.join(".linked.kept")).unwrap();
    let before = (tree(&foreign), tree(&elsewhere));

    for out in ["output", "linked"] {
        for (n, guide) in guides.iter().take(3).enumerate() {
            append_prose(guide, n);
            assert_eq!(build(dir, out).kept_files, 0, "{out}");
        }
    }
    let after = (tree(&foreign), tree(&elsewhere));
    let names = |t: &(Tree, Tree)| -> Vec<String> {
        t.0.iter()
            .chain(&t.1)
            .map(|(p, b)| format!("{p} ({} bytes)", b.len()))
            .collect()
    };
    assert!(
        after == before,
        "{:?} became {:?}",
        names(&before),
        names(&after)
    );
    assert!(
        fs::symlink_metadata(dir.join(".linked.kept"))
            .unwrap()
            .is_symlink()
    );
}
