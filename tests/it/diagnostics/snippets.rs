//! The file texts a run keeps for its snippets: only files some diagnostic
//! points into, and every snippet printed exactly as the whole texts would
//! print it (issue 12: keeping every text cost over 100 MB at 10k guides).

use std::collections::BTreeSet;
use std::path::Path;

use lendguide::diagnostics::{SourceMap, render_human};
use lendguide::{BuildOptions, Report};

use crate::common::{Site, fixtures, root};

/// Every text the run could have kept: all content and template files.
fn whole_texts(content: &Path, templates: &Path) -> SourceMap {
    let mut map = SourceMap::new();
    let (files, _) = lendguide::load::load_content(content).unwrap();
    let (templates, _) = lendguide::load::load_templates(templates).unwrap();
    let content = files.site.into_iter().chain(files.topics).chain(
        files
            .lenders
            .into_iter()
            .flat_map(|l| l.lender.into_iter().chain(l.guides)),
    );
    for f in content.chain(templates.templates.into_iter().map(|(_, f)| f)) {
        map.insert(f.path, f.text);
    }
    map
}

fn assert_kept_as_needed(case: &str, run: &str, report: &Report, whole: &SourceMap) {
    let named: BTreeSet<&str> = report.diagnostics.iter().map(|d| d.file.as_str()).collect();
    for file in report.sources.files() {
        assert!(
            named.contains(file),
            "{case} ({run}): {file} is kept, but no diagnostic points into it"
        );
    }
    assert_eq!(
        render_human(&report.diagnostics, &report.sources, false),
        render_human(&report.diagnostics, whole, false),
        "{case} ({run}): a snippet differs from the whole file's"
    );
}

#[test]
fn runs_keep_only_the_texts_their_diagnostics_show() {
    let mut cases: Vec<String> = std::fs::read_dir(fixtures().join("invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases.push("(valid)".into());
    let templates = root().join("templates");
    for case in &cases {
        let site = if case == "(valid)" {
            Site::valid()
        } else {
            Site::with_overlay(case)
        };
        let whole = whole_texts(&site.content(), &templates);
        let (_, checked) = lendguide::check(&site.content()).unwrap();
        assert_kept_as_needed(case, "check", &checked, &whole);
        let options = BuildOptions {
            content: site.content(),
            templates: templates.clone(),
            out: site.out(),
            base_url: None,
        };
        let (_, built) = lendguide::build_in_memory(&options).unwrap();
        assert_kept_as_needed(case, "build", &built, &whole);
    }
}

/// A broken link is found by render, after `check` has pruned the texts;
/// its snippet still shows the line the link was written on.
#[test]
fn a_broken_link_found_by_render_still_shows_its_line() {
    let site = Site::with_overlay("broken-link");
    let options = BuildOptions {
        content: site.content(),
        templates: root().join("templates"),
        out: site.out(),
        base_url: None,
    };
    let (_, report) = lendguide::build_in_memory(&options).unwrap();
    let text = render_human(&report.diagnostics, &report.sources, false);
    assert!(text.contains("error[broken-link]"), "{text}");
    assert!(text.contains("12 |"), "the written line is shown: {text}");
}
