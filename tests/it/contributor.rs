//! Contributor commands: `lendguide new` writes files that pass `check` at
//! once and refuses bad requests without writing anything; `lendguide
//! schema` prints JSON Schema that accepts every bundled content file and
//! rejects what the parser rejects, so the schema cannot drift from it.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{Site, root, snapshot_tree};
use lendguide::parse::raw::{RawExample, RawGuide, RawLender, RawSite, RawTopic};
use lendguide::parse::{from_yaml, split_front_matter};
use lendguide::schema::{FileKind, schema};
use serde_json::Value;

// ---- schema ------------------------------------------------------------

/// A content file as the YAML language server sees it: YAML turned into
/// JSON (so `principal: 10000` is a number and `updated: "…"` a string).
struct ContentFile {
    kind: FileKind,
    path: PathBuf,
    /// The YAML (a guide's or topic's front matter only).
    yaml: String,
}

impl ContentFile {
    fn json(&self) -> Value {
        yaml_to_json(&self.yaml, &self.path)
    }

    /// Whether lendguide's own parser accepts the YAML's shape.
    fn parses(&self) -> Result<(), String> {
        let file = self.path.display().to_string();
        let result = match self.kind {
            FileKind::Site => from_yaml::<RawSite>(&self.yaml, &file, 0).map(drop),
            FileKind::Lender => from_yaml::<RawLender>(&self.yaml, &file, 0).map(drop),
            FileKind::Guide => from_yaml::<RawGuide>(&self.yaml, &file, 0).map(drop),
            FileKind::Topic => from_yaml::<RawTopic>(&self.yaml, &file, 0).map(drop),
            FileKind::Example => from_yaml::<RawExample>(&self.yaml, &file, 0).map(drop),
        };
        result.map_err(|d| format!("{}: {}", d.code, d.message))
    }
}

fn yaml_to_json(yaml: &str, path: &Path) -> Value {
    serde_saphyr::from_str::<Value>(yaml)
        .unwrap_or_else(|e| panic!("{}: not YAML: {e}", path.display()))
}

/// Every content file under `content` (site, lenders, guides, topics).
fn content_files(content: &Path) -> Vec<ContentFile> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(content).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path().to_path_buf();
        let rel: Vec<String> = path
            .strip_prefix(content)
            .unwrap()
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel: Vec<&str> = rel.iter().map(String::as_str).collect();
        let text = fs::read_to_string(&path).unwrap();
        let (kind, yaml) = match rel.as_slice() {
            ["site.yaml"] => (FileKind::Site, text),
            ["lenders", _, "lender.yaml"] => (FileKind::Lender, text),
            ["lenders", _, name] if name.ends_with(".md") => (FileKind::Guide, front(&text)),
            ["topics", name] if name.ends_with(".md") => (FileKind::Topic, front(&text)),
            _ => continue,
        };
        files.push(ContentFile { kind, path, yaml });
    }
    files
}

fn front(text: &str) -> String {
    split_front_matter(text)
        .expect("front matter")
        .0
        .to_string()
}

fn validator(kind: Option<FileKind>) -> jsonschema::Validator {
    jsonschema::validator_for(&schema(kind)).expect("the emitted schema compiles")
}

fn schema_errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// The bundled content and the test fixture site, plus the `calc` examples.
fn bundled_files() -> Vec<ContentFile> {
    let mut files = content_files(&root().join("content"));
    files.extend(content_files(&root().join("tests/fixtures/valid/content")));
    for entry in fs::read_dir(root().join("tests/fixtures/calc")).unwrap() {
        let path = entry.unwrap().path();
        let yaml = fs::read_to_string(&path).unwrap();
        files.push(ContentFile {
            kind: FileKind::Example,
            path,
            yaml,
        });
    }
    files
}

#[test]
fn emitted_schemas_are_valid_draft_07() {
    for kind in FileKind::ALL.map(Some).into_iter().chain([None]) {
        let s = schema(kind);
        jsonschema::meta::validate(&s).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
    }
}

#[test]
fn bundled_content_validates_against_the_schema() {
    let all = validator(None);
    let files = bundled_files();
    assert!(
        files.iter().filter(|f| f.kind == FileKind::Guide).count() >= 7,
        "the bundled guides were found"
    );
    for kind in FileKind::ALL {
        assert!(files.iter().any(|f| f.kind == kind), "no {kind:?} file");
    }
    for file in &files {
        file.parses()
            .unwrap_or_else(|e| panic!("{}: {e}", file.path.display()));
        let json = file.json();
        let errors = schema_errors(&validator(Some(file.kind)), &json);
        assert!(errors.is_empty(), "{}: {errors:#?}", file.path.display());
        let errors = schema_errors(&all, &json);
        assert!(errors.is_empty(), "{}: {errors:#?}", file.path.display());
    }
}

/// Adds `key: value` to the first mapping at `pointer` (a JSON pointer into
/// the file) and returns the YAML text of the whole file again.
fn with_extra_key(file: &ContentFile, pointer: &str, key: &str) -> Option<(Value, String)> {
    let mut json = file.json();
    json.pointer_mut(pointer)?
        .as_object_mut()?
        .insert(key.into(), Value::String("x".into()));
    // JSON is YAML, so the parser reads the mutated document as written.
    let yaml = serde_json::to_string_pretty(&json).unwrap();
    Some((json, yaml))
}

#[test]
fn unknown_keys_fail_schema_and_parser_alike() {
    let files = bundled_files();
    let mut tried = 0;
    for file in &files {
        let nested = match file.kind {
            FileKind::Site => "/thresholds/0/source",
            FileKind::Lender => "/policies/0/source",
            FileKind::Guide => "/examples/0/penalty",
            FileKind::Topic => "/sources/0",
            FileKind::Example => "/situation",
        };
        for (pointer, key) in [("", "asof"), (nested, "urll")] {
            let Some((json, yaml)) = with_extra_key(file, pointer, key) else {
                continue;
            };
            tried += 1;
            let errors = schema_errors(&validator(Some(file.kind)), &json);
            assert!(
                errors.iter().any(|e| e.contains(key)),
                "{} with `{key}` at `{pointer}`: schema accepted it: {errors:?}",
                file.path.display()
            );
            assert!(
                !validator(None).is_valid(&json),
                "{}: the combined schema accepted `{key}`",
                file.path.display()
            );
            let mutated = ContentFile {
                kind: file.kind,
                path: file.path.clone(),
                yaml,
            };
            let parsed = mutated.parses();
            assert!(
                parsed
                    .as_ref()
                    .is_err_and(|e| e.starts_with("unknown-key") && e.contains(key)),
                "{} with `{key}` at `{pointer}`: parser said {parsed:?}",
                file.path.display()
            );
        }
    }
    assert!(tried > 20, "only {tried} mutations were tried");
}

#[test]
fn invalid_fixtures_fail_the_schema_too() {
    // Shape errors the parser or `validate` reports, which an editor can
    // flag as well: an unknown key, a missing key, a list where a value
    // goes, an unknown enum value.
    for (case, file, kind) in [
        (
            "unknown-key",
            "lenders/demo-bank/lender.yaml",
            FileKind::Lender,
        ),
        (
            "missing-key",
            "lenders/demo-bank/waiver.md",
            FileKind::Guide,
        ),
        ("wrong-type", "site.yaml", FileKind::Site),
        ("bad-enum", "lenders/demo-bank/waiver.md", FileKind::Guide),
    ] {
        let path = root().join("tests/fixtures/invalid").join(case).join(file);
        let text = fs::read_to_string(&path).unwrap();
        let yaml = if file.ends_with(".md") {
            front(&text)
        } else {
            text
        };
        let json = yaml_to_json(&yaml, &path);
        assert!(
            !validator(Some(kind)).is_valid(&json),
            "{case}: the schema accepted {}",
            path.display()
        );
    }
}

#[test]
fn schema_command_prints_the_schema() {
    let site = Site::valid();
    let out = site
        .cmd(&["schema"])
        .assert()
        .success()
        .get_output()
        .clone();
    let printed: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(printed, schema(None));
    let definitions = printed["definitions"].as_object().unwrap();
    for name in ["Site", "Lender", "Guide", "Topic", "Example", "PolicyValue"] {
        assert!(definitions.contains_key(name), "no definition {name}");
    }
    for (arg, title) in [
        ("site", "lendguide site.yaml"),
        ("lender", "lendguide lender.yaml"),
        ("guide", "lendguide guide front matter"),
        ("topic", "lendguide topic front matter"),
        ("example", "lendguide worked example"),
    ] {
        let out = site
            .cmd(&["schema", arg])
            .assert()
            .success()
            .get_output()
            .clone();
        let printed: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
        assert_eq!(printed["title"], title);
        assert_eq!(printed["additionalProperties"], false, "{arg}");
    }
    let a = site.cmd(&["schema", "lendr"]).assert().code(2);
    assert!(stderr(&a).contains("lender"), "{}", stderr(&a));
}

/// A value of the right shape for each key an example or option may take.
fn sample(key: &str) -> &'static str {
    match key {
        "principal" | "upfront_fee" | "unpaid_interest" => "100",
        "annual_rate" => "18%",
        "daily_rate" => "0.05%",
        "monthly_fee_rate" => "0.5%",
        "waive_penalty" | "waive_interest" => "50%",
        "days" => "30",
        "months" => "12",
        "day_count" => "365",
        "method" => "bullet",
        "compound" => "true",
        "penalty" => "{markup: 50%}",
        "situation" => "{principal: 10000, annual_rate: 18%, penalty: {markup: 50%}}",
        "options" => "[{kind: settle}]",
        other => panic!("no sample value for `{other}`"),
    }
}

/// The keys a schema rule (`if <tag> = X then these keys are refused`) names.
fn refusals(definition: &Value, tag: &str) -> Vec<(String, Vec<String>)> {
    definition["allOf"]
        .as_array()
        .expect("per-kind rules")
        .iter()
        .map(|rule| {
            let value = rule["if"]["properties"][tag]["const"].as_str().unwrap();
            let keys = rule["then"]["properties"].as_object().unwrap().keys();
            (value.to_string(), keys.cloned().collect())
        })
        .collect()
}

/// `validate`'s verdict on one example, through `lendguide calc`'s path.
fn calc_errors(yaml: &str) -> Vec<(String, String)> {
    let file = lendguide::load::SourceFile {
        path: "example.yaml".into(),
        text: yaml.into(),
    };
    let (_, diags, _) = lendguide::calc::calc(&file);
    diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code.to_string(), d.message.clone()))
        .collect()
}

#[test]
fn keys_the_schema_refuses_per_type_are_refused_by_check() {
    let base = |kind: &str| -> String {
        let inputs = match kind {
            "overdue" => "principal: 10000\nannual_rate: 18%\ndays: 30\npenalty: {markup: 50%}\n",
            "schedule" => "principal: 10000\nannual_rate: 18%\nmonths: 12\n",
            "negotiation" => {
                "situation: {principal: 10000, annual_rate: 18%, penalty: {markup: 50%}}\noptions:\n  - {kind: settle}\n"
            }
            other => panic!("no base example for `{other}`"),
        };
        format!("id: x\ntitle: t\ntype: {kind}\n{inputs}")
    };
    let example = validator(Some(FileKind::Example));
    let definitions = schema(None)["definitions"].clone();
    let rules = refusals(&definitions["Example"], "type");
    assert_eq!(rules.len(), 3);
    let mut tried = 0;
    for (kind, keys) in rules {
        let yaml = base(&kind);
        assert!(
            example.is_valid(&yaml_to_json(&yaml, Path::new(&kind))),
            "{yaml}"
        );
        assert_eq!(calc_errors(&yaml), [], "{yaml}");
        for key in keys {
            let yaml = format!("{yaml}{key}: {}\n", sample(&key));
            let errors = schema_errors(&example, &yaml_to_json(&yaml, Path::new(&kind)));
            assert!(!errors.is_empty(), "the schema accepts `{key}` on {kind}");
            let errors = calc_errors(&yaml);
            assert!(
                errors
                    .iter()
                    .any(|(code, message)| code == "wrong-key"
                        && message.contains(&format!("`{key}`"))),
                "check accepts `{key}` on a {kind} example: {errors:?}"
            );
            tried += 1;
        }
    }
    let rules = refusals(&definitions["NegotiationOption"], "kind");
    assert_eq!(rules.len(), 4);
    for (kind, keys) in rules {
        let option = |extra: &str| {
            format!(
                "{}  - {{kind: {kind}{extra}}}\n",
                base("negotiation").replace("  - {kind: settle}\n", "")
            )
        };
        assert!(example.is_valid(&yaml_to_json(&option(""), Path::new(&kind))));
        for key in keys {
            let yaml = option(&format!(", {key}: {}", sample(&key)));
            assert!(
                !example.is_valid(&yaml_to_json(&yaml, Path::new(&kind))),
                "the schema accepts `{key}` on a {kind} option"
            );
            let errors = calc_errors(&yaml);
            assert!(
                errors
                    .iter()
                    .any(|(code, message)| code == "wrong-key"
                        && message.contains(&format!("`{key}`"))),
                "check accepts `{key}` on a {kind} option: {errors:?}"
            );
            tried += 1;
        }
    }
    assert!(tried > 30, "{tried}");
}

// ---- new ----------------------------------------------------------------

fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

#[test]
fn new_lender_and_guide_pass_check_and_the_schema() {
    let site = Site::valid();
    // The files are dated today; pinned so a run across midnight agrees.
    let today = lendguide::model::Date::today().to_string();
    let new = |args: &[&str]| {
        site.cmd(args)
            .env("LENDGUIDE_TODAY", &today)
            .assert()
            .success()
    };
    let a = new(&["new", "lender", "demo"]);
    assert!(
        stderr(&a).contains("created content/lenders/demo/lender.yaml"),
        "{}",
        stderr(&a)
    );
    for kind in lendguide::model::GuideKind::NAMES {
        new(&["new", "guide", "demo", kind]);
    }
    let a = site.cmd(&["check", "--format", "json"]).assert().success();
    let diags: Value = serde_json::from_str(&stderr(&a)).unwrap();
    let ours: Vec<&Value> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"].as_str().unwrap().contains("lenders/demo/"))
        .filter(|d| d["code"] != "placeholder")
        .collect();
    // Only the placeholder reminders: they warn, and `--strict` refuses to publish them.
    assert!(ours.is_empty(), "new files have diagnostics: {ours:#?}");
    site.cmd(&["check", "--strict"]).assert().code(1);
    site.build().success();
    assert!(site.out().join("lenders/demo/waiver/index.html").is_file());

    let lender = fs::read_to_string(site.content().join("lenders/demo/lender.yaml")).unwrap();
    assert!(lender.starts_with("# yaml-language-server: $schema=../../../lendguide.schema.json\n"));
    let guide = fs::read_to_string(site.content().join("lenders/demo/waiver.md")).unwrap();
    assert!(
        guide.starts_with("---\n# yaml-language-server: $schema=../../../lendguide.schema.json\n")
    );
    assert!(guide.contains("kind: waiver"));
    assert!(lender.contains(&format!("as_of: \"{today}\"")));
    assert!(guide.contains(&format!("updated: \"{today}\"")));

    // What `new` writes is what the schema describes.
    for file in content_files(&site.content()) {
        if file.path.to_string_lossy().contains("lenders/demo/") {
            let errors = schema_errors(&validator(Some(file.kind)), &file.json());
            assert!(errors.is_empty(), "{}: {errors:#?}", file.path.display());
        }
    }
}

#[test]
fn new_honours_the_content_option() {
    let site = Site::valid();
    fs::rename(site.content(), site.path().join("guides")).unwrap();
    site.cmd(&["new", "lender", "demo", "--content", "guides"])
        .assert()
        .success();
    site.cmd(&["new", "guide", "demo", "extension", "--content", "guides"])
        .assert()
        .success();
    assert!(
        site.path()
            .join("guides/lenders/demo/extension.md")
            .is_file()
    );
    site.cmd(&["check", "--content", "guides"])
        .assert()
        .success();
    let a = site.cmd(&["new", "lender", "other"]).assert().code(2);
    assert!(
        stderr(&a).contains("error: content folder content not found"),
        "{}",
        stderr(&a)
    );
    assert!(!site.content().exists());
}

/// Runs `new` with `args`, expects `code` and nothing written; returns stderr.
fn refused(site: &Site, args: &[&str], code: i32) -> String {
    let before = snapshot_tree(&site.content());
    let entries = count_entries(site.path());
    let a = site.cmd(args).assert().code(code);
    assert_eq!(
        snapshot_tree(&site.content()),
        before,
        "{args:?} changed the content folder"
    );
    assert_eq!(
        count_entries(site.path()),
        entries,
        "{args:?} created something"
    );
    let text = stderr(&a);
    assert!(text.starts_with("error: "), "{args:?}: {text}");
    assert!(text.contains("\nhelp: ") || code == 2, "{args:?}: {text}");
    text
}

fn count_entries(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir).into_iter().count()
}

#[test]
fn bad_slugs_are_refused_and_nothing_is_written() {
    let site = Site::valid();
    let entries = count_entries(site.path());
    for slug in ["Demo", "../x", "a_b", "demo-", "微粒贷", ""] {
        let text = refused(&site, &["new", "lender", slug], 2);
        assert!(
            text.contains(&format!("`{slug}` is not a valid lender slug")),
            "{text}"
        );
    }
    let text = refused(&site, &["new", "lender", "Demo"], 2);
    assert!(text.contains("help: did you mean `demo`?"), "{text}");
    let text = refused(&site, &["new", "guide", "../demo-bank", "waiver"], 2);
    assert!(text.contains("not a valid lender slug"), "{text}");
    assert_eq!(count_entries(site.path()), entries, "no folder was created");
    assert!(!site.path().join("x").exists());
}

#[test]
fn existing_files_are_refused() {
    let site = Site::valid();
    let text = refused(&site, &["new", "lender", "demo-bank"], 1);
    assert!(
        text.contains(
            "error: lender `demo-bank` already exists: content/lenders/demo-bank/lender.yaml"
        ),
        "{text}"
    );
    let text = refused(&site, &["new", "guide", "demo-bank", "waiver"], 1);
    assert!(
        text.contains("already has a `waiver` guide: content/lenders/demo-bank/waiver.md"),
        "{text}"
    );
    // The fixture's files are untouched (their bytes were compared above).
    site.cmd(&["check"]).assert().success();
}

#[test]
fn guides_need_a_known_kind_and_an_existing_lender() {
    let site = Site::valid();
    let text = refused(&site, &["new", "guide", "demo-bank", "waver"], 2);
    assert!(text.contains("error: unknown guide kind `waver`"), "{text}");
    assert!(text.contains("help: did you mean `waiver`?"), "{text}");
    let text = refused(&site, &["new", "guide", "demo-bank", "refund"], 2);
    assert!(
        text.contains(
            "help: use one of: waiver, installment, extension, after-overdue, overdue-costs"
        ),
        "{text}"
    );
    let text = refused(&site, &["new", "guide", "demo-bnk", "waiver"], 1);
    assert!(text.contains("error: no lender `demo-bnk`"), "{text}");
    assert!(text.contains("help: did you mean `demo-bank`?"), "{text}");
    let text = refused(&site, &["new", "guide", "nobody", "waiver"], 1);
    assert!(
        text.contains("help: create it first with `lendguide new lender nobody`"),
        "{text}"
    );
}

#[test]
fn help_reads_well() {
    let site = Site::valid();
    let help = |args: &[&str]| {
        let out = site.cmd(args).assert().success().get_output().clone();
        String::from_utf8(out.stdout).unwrap()
    };
    let top = help(&["--help"]);
    assert!(top.contains("new "), "{top}");
    assert!(top.contains("schema "), "{top}");
    let new = help(&["new", "--help"]);
    for line in [
        "lender",
        "guide",
        "lendguide new guide weilidai waiver",
        "exit 1",
    ] {
        assert!(new.contains(line), "`new --help` lacks {line:?}:\n{new}");
    }
    let guide = help(&["new", "guide", "--help"]);
    assert!(
        guide.contains("<LENDER>") && guide.contains("<KIND>"),
        "{guide}"
    );
    assert!(guide.contains("after-overdue"), "{guide}");
    let schema = help(&["schema", "--help"]);
    for line in [
        "lendguide schema > lendguide.schema.json",
        "yaml-language-server: $schema=",
        "site",
        "example",
    ] {
        assert!(
            schema.contains(line),
            "`schema --help` lacks {line:?}:\n{schema}"
        );
    }
    for text in [&new, &guide, &schema] {
        assert!(
            text.lines().all(|l| l.chars().count() <= 100),
            "help lines fit a terminal:\n{text}"
        );
    }
}

/// Issue 11: contributors who read their sources days before writing had
/// to edit every date `new` stamped; `--checked` sets it once.
#[test]
fn new_writes_the_day_the_sources_were_read() {
    let site = Site::valid();
    site.cmd(&["new", "lender", "demo", "--checked", "2026-11-25"])
        .assert()
        .success();
    site.cmd(&["new", "guide", "demo", "waiver", "--checked", "2026-11-25"])
        .assert()
        .success();
    for file in ["lender.yaml", "waiver.md"] {
        let text = fs::read_to_string(site.content().join("lenders/demo").join(file)).unwrap();
        assert!(text.contains("\"2026-11-25\""), "{file}: {text}");
    }
    let out = site
        .cmd(&["new", "lender", "other", "--checked", "25/11/2026"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("help:"));
    assert!(!site.content().join("lenders/other").exists());
}
