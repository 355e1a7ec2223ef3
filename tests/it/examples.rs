//! Worked examples end to end: `calc` against the checks in DESIGN.md, its
//! JSON (snapshotted for every type), located errors for every bad input,
//! and a source's wrong claim caught by `check`.

use crate::common::{Site, fixtures};
use assert_cmd::Command;

fn calc(args: &[&str], stdin: Option<&str>) -> assert_cmd::assert::Assert {
    let mut cmd = Command::cargo_bin("lendguide").unwrap();
    cmd.current_dir(fixtures().join("calc"))
        .arg("calc")
        .args(args);
    if let Some(s) = stdin {
        cmd.write_stdin(s);
    }
    cmd.assert()
}

fn calc_json(file: &str) -> serde_json::Value {
    let out = calc(&[file, "--json"], None).success().get_output().clone();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn design_checks_hold() {
    let annuity = calc_json("schedule-annuity.yaml");
    assert_eq!(annuity["rows"][0]["payment"], "916.80");
    assert_eq!(annuity["rows"][11]["payment"], "916.81");
    assert_eq!(annuity["total_interest"], "1001.61");
    let fee = calc_json("schedule-fee.yaml");
    assert_eq!(fee["rows"][0]["payment"], "1072.00");
    assert_eq!(fee["apr"], "13.03%");
    assert_eq!(fee["effective_annual_rate"], "13.84%");
    let overdue = calc_json("overdue.yaml");
    assert_eq!(overdue["interest"], "150.00");
    assert_eq!(overdue["penalty"], "75.00");
    assert_eq!(overdue["total_charges"], "225.00");
}

#[test]
fn json_of_every_type_is_pinned() {
    for file in [
        "overdue.yaml",
        "schedule-annuity.yaml",
        "schedule-fee.yaml",
        "negotiation.yaml",
    ] {
        insta::assert_json_snapshot!(format!("calc-{file}"), calc_json(file));
    }
}

#[test]
fn human_table_uses_yuan_and_separators() {
    let out = calc(&["overdue.yaml"], None).success().get_output().clone();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("10,225.00元"), "{text}");
}

#[test]
fn seed_002_claim_is_caught_by_calc_and_check() {
    let out = calc(&["seed-002-claim.yaml"], None)
        .code(1)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("claims interest = 1350.00, the engine computes 150.00"),
        "{err}"
    );

    let site = Site::with_overlay("seed-002-claim");
    let out = site
        .cmd(&["check", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let diags: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    let d = &diags[0];
    assert_eq!(d["code"], "claim-mismatch", "{diags}");
    assert!(
        d["message"].as_str().unwrap().contains("1350.00")
            && d["message"].as_str().unwrap().contains("150.00")
    );
    assert_eq!(d["file"], "content/lenders/demo-bank/waiver.md");
    assert_eq!(
        diags.as_array().unwrap().len(),
        1,
        "the true claim (penalty 75.00) passes: {diags}"
    );
}

/// Every bad input named in the issue: located, with help, exit 1, no panic.
#[test]
fn bad_inputs_are_located_errors() {
    let base = "id: x\ntitle: t\ntype: overdue\nprincipal: 10000\nannual_rate: 18%\ndays: 30\npenalty: {markup: 50%}\n";
    let cases: &[(&str, &str, &str)] = &[
        (
            "annual_rate: 18%",
            "annual_rate: 18 percent",
            "`18%`, `0.05%`, `0.0005`, `5‱`",
        ),
        (
            "annual_rate: 18%",
            "annual_rate: 18%\ndaily_rate: 0.05%",
            "not both",
        ),
        ("principal: 10000", "principal: 0", "principal"),
        ("principal: 10000", "principal: -5", "principal"),
        ("principal: 10000", "principal: 1000000000000", "principal"),
        ("days: 30", "days: 0", "from 1 to 36500"),
        ("days: 30", "days: 36501", "from 1 to 36500"),
        ("type: overdue", "type: overdeu", "did you mean `overdue`?"),
        (
            "penalty: {markup: 50%}",
            "penalty: {markup: 50%}\nmonths: 12",
            "does not apply",
        ),
        ("days: 30", "days: 30\nbogus: 1", "unknown key `bogus`"),
    ];
    for (from, to, expect) in cases {
        let yaml = base.replace(from, to);
        let out = calc(&["-"], Some(&yaml)).code(1).get_output().clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("<stdin>:"), "{to}: located: {err}");
        assert!(err.contains("help:"), "{to}: {err}");
        assert!(err.contains(expect), "{to}: expected `{expect}` in {err}");
    }
    let schedule =
        "id: s\ntitle: t\ntype: schedule\nprincipal: 10000\nannual_rate: 18%\nmonths: 12\n";
    for (from, to, expect) in [
        ("months: 12", "months: 601", "from 1 to 600"),
        (
            "months: 12",
            "months: 12\nmethod: equal-instalment",
            "did you mean `equal-installment`?",
        ),
        ("annual_rate: 18%", "annual_rate: 日利率万分之五", "daily"),
    ] {
        let yaml = schedule.replace(from, to);
        let out = calc(&["-"], Some(&yaml)).code(1).get_output().clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(expect), "{to}: expected `{expect}` in {err}");
    }
    let negotiation = "id: n\ntitle: t\ntype: negotiation\nsituation: {principal: 10000, annual_rate: 18%, penalty: {markup: 50%}}\noptions:\n  - {kind: setle}\n";
    let out = calc(&["-"], Some(negotiation)).code(1).get_output().clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `settle`?"));
}

#[test]
fn chinese_rate_forms_and_exact_numbers_are_accepted() {
    let yaml = "id: x\ntitle: t\ntype: overdue\nprincipal: 84793.03\ndaily_rate: 日利率万分之五\ndays: 30\npenalty: {markup: 50%}\n";
    let out = calc(&["-", "--json"], Some(yaml))
        .success()
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // 84793.03 × 0.0005 × 30 = 1271.89545 → 1271.90
    assert_eq!(v["interest"], "1271.90");
}

#[test]
fn prose_references_to_unknown_examples_are_located() {
    let site = Site::valid();
    let path = site.content().join("lenders/demo-bank/waiver.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "这是正文。",
            "这是正文。{{ figure(\"nope\", \"penalty\") }}",
        ),
    )
    .unwrap();
    let out = site.cmd(&["check"]).assert().code(1).get_output().clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no example `nope` in this guide"), "{err}");
    assert!(err.contains("waiver.md:24:6"), "{err}");
}

#[test]
fn a_negotiation_penalty_outside_the_situation_is_an_error() {
    let yaml = "id: n\ntitle: t\ntype: negotiation\npenalty: {markup: 50%}\nsituation: {principal: 10000, annual_rate: 18%, penalty: {markup: 50%}}\noptions:\n  - {kind: settle}\n";
    let out = calc(&["-"], Some(yaml)).code(1).get_output().clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("belongs under `situation`") && err.contains("<stdin>:4:"),
        "{err}"
    );
}

/// Issue 8: `calc -` read at most 1 MiB and computed from what it got, so a
/// key after a long comment was silently dropped.
#[test]
fn calc_refuses_standard_input_over_the_file_limit() {
    let yaml = format!(
        "id: x\ntitle: t\ntype: overdue\nprincipal: 10000\nannual_rate: 18%\ndays: 30\npenalty: {{markup: 50%}}\n#{}\nbogus: 1\n",
        "x".repeat(1024 * 1024)
    );
    let out = calc(&["-"], Some(&yaml)).code(1).get_output().clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("the limit is 1048576"), "{err}");
    assert!(
        err.contains("<stdin>:1:1") && err.contains("help:"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing computed");
}

/// Issue 8: non-UTF-8 input was reported without a position.
#[test]
fn calc_locates_the_first_byte_that_is_not_utf8() {
    let bytes = b"id: x\ntitle: \xe4\xbd\xa0\xff\ntype: overdue\n".to_vec();
    let out = Command::cargo_bin("lendguide")
        .unwrap()
        .args(["calc", "-"])
        .write_stdin(bytes.clone())
        .assert()
        .code(1)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("<stdin>:2:9"), "{err}");
    assert!(err.contains("0xFF") && err.contains("help:"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gbk.yaml"), &bytes).unwrap();
    let out = Command::cargo_bin("lendguide")
        .unwrap()
        .current_dir(dir.path())
        .args(["calc", "gbk.yaml"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("gbk.yaml:2:9"), "{err}");
}

/// A file that cannot be read at all is an I/O error: exit 2, with help.
#[test]
fn calc_of_a_missing_file_is_an_io_error_with_help() {
    let out = calc(&["nope.yaml"], None).code(2).get_output().clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("nope.yaml") && err.contains("help:"), "{err}");
}

/// The valid site with `body` appended to the guide's prose and `examples`
/// (YAML lines under `examples:`) added to its front matter.
fn guide_with(body: &str, examples: &str) -> Site {
    let site = Site::valid();
    let path = site.content().join("lenders/demo-bank/waiver.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = if examples.is_empty() {
        text
    } else {
        text.replace(
            "materials:\n  - 身份证",
            &format!("examples:\n{examples}materials:\n  - 身份证"),
        )
    };
    std::fs::write(&path, format!("{text}\n{body}\n")).unwrap();
    site
}

const OVERDUE: &str = "  - id: cost\n    title: 逾期费用\n    type: overdue\n    principal: 10000\n    annual_rate: 18%\n    days: 30\n    penalty: {markup: 50%}\n";

/// Issue 8: an unclosed `{{ figure(…` passed `check` and was published as
/// written.
#[test]
fn an_unclosed_shortcode_is_a_located_error() {
    let site = guide_with("罚息是 {{ figure(\"cost\", \"penalty\") 元。", OVERDUE);
    let out = site.cmd(&["check"]).assert().code(1).get_output().clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("unclosed shortcode"), "{err}");
    assert!(err.contains("waiver.md:38:5"), "{err}");
    assert!(err.contains("help:") && err.contains("}}"), "{err}");
}

/// Issue 8: an example with an error also made every shortcode citing it
/// report "has no figure" with an empty `this example reports: ` help.
#[test]
fn shortcodes_citing_a_failed_example_add_no_errors() {
    let site = guide_with(
        "罚息是 {{ figure(\"cost\", \"penalty\") }}。",
        &OVERDUE.replace("days: 30", "days: 0"),
    );
    let out = site
        .cmd(&["check", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let diags: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    let diags = diags.as_array().unwrap();
    assert_eq!(diags.len(), 1, "only the example's own error: {diags:?}");
    assert!(
        diags[0]["message"].as_str().unwrap().contains("days"),
        "{diags:?}"
    );
}

/// Issue 8: private-use characters vanished from prose without a word.
#[test]
fn private_use_characters_in_prose_are_located() {
    let site = guide_with("符号\u{E000}和\u{F0001}。", "");
    let out = site.cmd(&["check"]).assert().code(1).get_output().clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("U+E000") && err.contains("waiver.md:30:3"),
        "{err}"
    );
    assert!(
        err.contains("U+F0001") && err.contains("waiver.md:30:5"),
        "{err}"
    );
}

/// Issue 8: a bad `day_count` stopped the example's checks, hiding its
/// other faults.
#[test]
fn a_bad_day_count_does_not_hide_the_other_faults() {
    let yaml = "id: x\ntitle: t\ntype: overdue\nday_count: 366\nprincipal: 0\nannual_rate: 18 percent\ndays: 0\npenalty: {markup: lots}\n";
    let out = calc(&["-"], Some(yaml)).code(1).get_output().clone();
    let err = String::from_utf8(out.stderr).unwrap();
    for at in [
        "<stdin>:4:",
        "<stdin>:5:",
        "<stdin>:6:",
        "<stdin>:7:",
        "<stdin>:8:",
    ] {
        assert!(err.contains(at), "{at} missing: {err}");
    }
    let negotiation = "id: n\ntitle: t\ntype: negotiation\nsituation: {principal: 0, annual_rate: 18%, day_count: 1, penalty: {markup: 50%}}\noptions:\n  - {kind: stay-overdue, days: 0}\n";
    let out = calc(&["-"], Some(negotiation)).code(1).get_output().clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("day_count must be 360 or 365"), "{err}");
    assert!(
        err.contains("principal") && err.contains("<stdin>:6:"),
        "{err}"
    );
}

/// DESIGN.md: a schedule's rate is optional; a plan priced only by a monthly
/// fee (a credit-card 分期) has a 0% rate.
#[test]
fn fee_only_schedule_needs_no_rate() {
    let yaml = "id: card\ntitle: 分期\ntype: schedule\nprincipal: 12000\nmonthly_fee_rate: 0.6%\nmonths: 12\nmethod: equal-principal\n";
    let out = calc(&["-", "--json"], Some(yaml))
        .success()
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["rows"][0]["payment"], "1072.00");
    assert_eq!(json["total_interest"], "0.00");
    assert_eq!(json["apr"], "13.03%");
}

/// `calc --json` on an invalid example prints the first error as JSON on stdout
/// (the shape `calc.js` returns), exits 1, and still explains it on stderr.
#[test]
fn calc_json_prints_errors_as_json() {
    let yaml = "id: bad\ntitle: t\ntype: overdue\nprincipal: 10000\nannual_rate: 18\ndays: 0\npenalty: {markup: 50%}\n";
    let out = calc(&["-", "--json"], Some(yaml))
        .code(1)
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["error"]["code"], "bad-rate");
    assert_eq!(
        json["error"]["message"],
        "cannot read `18` as a rate: a bare number is a fraction, so `18` would mean 1800%; did you mean `18%`?"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("error[out-of-range]"), "{stderr}");
}

#[allow(dead_code)]
#[path = "../../examples/fuzz/harness.rs"]
mod fuzz;

/// A short session of the fuzzer in examples/fuzz (issue 8, item 10) against
/// the real binary: 150 mutated (or removed) content files and examples for
/// each of the first two seeds, not a seed picked to pass; none may panic,
/// hang, exit with the wrong code or report an unlocated error. Seed 1 finds
/// the empty `known lenders: ` help of a lender folder without lender.yaml
/// (fixed in validate). Longer sessions: `scripts/fuzz.sh MINUTES`.
#[test]
fn a_short_fuzz_session_finds_nothing() {
    const RUNS: u64 = 150;
    for seed in [1, 2] {
        let findings = tempfile::tempdir().unwrap();
        let config = fuzz::Config {
            bin: env!("CARGO_BIN_EXE_lendguide").into(),
            root: crate::common::root(),
            seed,
            jobs: 2,
            runs: Some(RUNS),
            time: None,
            findings: findings.path().to_path_buf(),
            verbose: false,
        };
        let summary = fuzz::run(&config).unwrap();
        assert_eq!(summary.runs, RUNS, "{}", summary.line());
        assert!(summary.check > 0 && summary.calc > 0, "{}", summary.line());
        if summary.found() > 0 {
            // Keep the inputs: each folder has a repro.sh.
            let kept = findings.keep();
            panic!(
                "seed {seed}: {}\n{}\ninputs kept in {}",
                summary.line(),
                summary.findings.join("\n"),
                kept.display()
            );
        }
    }
}
