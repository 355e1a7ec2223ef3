//! `lendguide calc`: one worked example, given as YAML in the same schema as
//! a guide's `examples:` entry, through the same validate → compute path,
//! printed as an aligned table or as the JSON named in DESIGN.md (an invalid
//! example prints `{"error": {"code", "message"}}`: its first error).

use serde_json::{Map, Value, json};

use crate::compute;
use crate::diagnostics::{self, Diagnostic, SourceMap};
use crate::engine::outputs::{Figure, Outcome};
use crate::load::SourceFile;
use crate::model::{Example, ExampleInput};
use crate::parse::{self, Doc, raw::RawExample};
use crate::validate::examples;
use crate::validate::fields::Checker;

/// The computed example, or `None` with the diagnostics that prevented it.
pub fn calc(file: &SourceFile) -> (Option<(Example, Outcome)>, Vec<Diagnostic>, SourceMap) {
    let mut sources = SourceMap::new();
    sources.insert(file.path.clone(), file.text.clone());
    let raw: RawExample = match parse::from_yaml(&file.text, &file.path, 0) {
        Ok(raw) => raw,
        Err(d) => return (None, vec![d], sources),
    };
    let doc = Doc {
        file: file.path.clone(),
        stem: String::new(),
        value: raw.into(),
        line_offset: 0,
        body: None,
        source: &file.text,
        line_starts: Default::default(),
    };
    let mut diags = Vec::new();
    let example = examples::example(&mut Checker::new(&doc, &mut diags), &doc.value, &[]);
    // Unsorted: in the order the checks ran (see `error_json`).
    let Some(example) = example else {
        return (None, diags, sources);
    };
    match compute::run(&example) {
        Ok(outcome) => {
            diags.extend(compute::check_claims(&example, &outcome));
            diagnostics::sort(&mut diags);
            (Some((example, outcome)), diags, sources)
        }
        Err(d) => (None, vec![d], sources),
    }
}

/// What `calc --json` prints: the figures ([`to_json`]), or the first error
/// found, in the order the checks run, as `{"error": {"code", "message"}}`.
/// `templates/static/calc.js` returns the same value for the same input.
pub fn json_output(file: &SourceFile) -> Value {
    match calc(file) {
        (Some((example, outcome)), _, _) => to_json(&example, &outcome),
        (None, diags, _) => error_json(&diags),
    }
}

/// `{"error": {"code", "message"}}` of the first error among `diags`.
pub fn error_json(diags: &[Diagnostic]) -> Value {
    let first = diags.iter().find(|d| d.is_error());
    json!({"error": {
        "code": first.map_or("invalid", |d| d.code),
        "message": first.map_or_else(String::new, |d| d.message.clone()),
    }})
}

/// The JSON of DESIGN.md: output names as keys, money as `"150.00"`, rates
/// as `"13.03%"`; schedules carry `rows`, negotiations `options` in order.
pub fn to_json(example: &Example, outcome: &Outcome) -> Value {
    let mut map = Map::new();
    map.insert("id".into(), json!(example.id));
    map.insert("type".into(), json!(example.input.type_name()));
    let fig = |name: &str| {
        outcome
            .figure(name)
            .map_or(Value::Null, |f| json!(f.plain()))
    };
    match (outcome, &example.input) {
        (Outcome::Overdue(_), _) => {
            for name in crate::engine::outputs::OVERDUE_FIELDS {
                map.insert(name.into(), fig(name));
            }
        }
        (Outcome::Schedule(s), _) => {
            let rows: Vec<Value> = s
                .rows
                .iter()
                .map(|r| {
                    json!({
                        "period": r.period,
                        "payment": r.payment.to_plain_string(),
                        "principal": r.principal.to_plain_string(),
                        "interest": r.interest.to_plain_string(),
                        "fee": r.fee.to_plain_string(),
                        "balance": r.balance.to_plain_string(),
                    })
                })
                .collect();
            map.insert("rows".into(), Value::Array(rows));
            for name in [
                "total_interest",
                "total_fees",
                "total_paid",
                "apr",
                "effective_annual_rate",
            ] {
                map.insert(name.into(), fig(name));
            }
        }
        (Outcome::Negotiation(outcomes), ExampleInput::Negotiation { options, .. }) => {
            let list: Vec<Value> = options
                .iter()
                .zip(outcomes)
                .map(|(choice, o)| {
                    json!({
                        "label": choice.label,
                        "total_paid": o.total_paid.to_plain_string(),
                        "cost": o.cost.to_plain_string(),
                        "first_payment": o.first_payment.to_plain_string(),
                        "apr": o.apr.map(|a| Figure::Percent(a).plain()),
                        "saving": o.saving.to_plain_string(),
                    })
                })
                .collect();
            map.insert("options".into(), Value::Array(list));
        }
        _ => {}
    }
    Value::Object(map)
}

/// An aligned table for a terminal: labels left, figures right, 元 and
/// thousands separators.
pub fn to_table(example: &Example, outcome: &Outcome) -> String {
    let mut lines: Vec<(String, String)> = Vec::new();
    let money = |f: Option<Figure>| f.map_or_else(|| "—".to_string(), Figure::display);
    match (outcome, &example.input) {
        (Outcome::Overdue(_), _) => {
            for (label, name) in [
                ("利息 interest", "interest"),
                ("罚息 penalty", "penalty"),
                ("复利 compound", "compound"),
                ("费用合计 total_charges", "total_charges"),
                ("应还总额 total_due", "total_due"),
            ] {
                lines.push((label.into(), money(outcome.figure(name))));
            }
        }
        (Outcome::Schedule(s), _) => {
            let cells = |c: [String; 6]| {
                let widths = [4, 12, 12, 10, 8, 12];
                c.iter()
                    .zip(widths)
                    .map(|(c, w)| pad(c, w))
                    .collect::<Vec<_>>()
                    .join(" ")
                    + "\n"
            };
            let mut out = format!("{}\n", example.title);
            out.push_str(&cells([
                "期".into(),
                "月还款".into(),
                "本金".into(),
                "利息".into(),
                "手续费".into(),
                "剩余本金".into(),
            ]));
            for r in &s.rows {
                out.push_str(&cells([
                    r.period.to_string(),
                    r.payment.to_grouped_string(),
                    r.principal.to_grouped_string(),
                    r.interest.to_grouped_string(),
                    r.fee.to_grouped_string(),
                    r.balance.to_grouped_string(),
                ]));
            }
            for (label, name) in [
                ("利息合计 total_interest", "total_interest"),
                ("手续费合计 total_fees", "total_fees"),
                ("总还款 total_paid", "total_paid"),
                ("年化利率 apr", "apr"),
                ("实际年利率 effective_annual_rate", "effective_annual_rate"),
            ] {
                lines.push((label.into(), money(outcome.figure(name))));
            }
            return out + &align(&lines);
        }
        (Outcome::Negotiation(outcomes), ExampleInput::Negotiation { options, .. }) => {
            let mut out = format!("{}\n", example.title);
            for (i, (choice, o)) in options.iter().zip(outcomes).enumerate() {
                out.push_str(&format!("\n{}. {}\n", i + 1, choice.label));
                let rows = vec![
                    (
                        "总共要还 total_paid".to_string(),
                        Figure::Money(o.total_paid).display(),
                    ),
                    ("多付 cost".to_string(), Figure::Money(o.cost).display()),
                    (
                        "第一笔 first_payment".to_string(),
                        Figure::Money(o.first_payment).display(),
                    ),
                    (
                        "年化 apr".to_string(),
                        o.apr
                            .map_or_else(|| "—".into(), |a| Figure::Percent(a).display()),
                    ),
                    (
                        "比第一项省 saving".to_string(),
                        Figure::Money(o.saving).display(),
                    ),
                ];
                out.push_str(&align(&rows));
            }
            return out;
        }
        _ => {}
    }
    format!("{}\n{}", example.title, align(&lines))
}

/// Terminal columns: CJK characters take two.
fn width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Right-aligns `s` in `w` terminal columns.
fn pad(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s))))
}

fn align(lines: &[(String, String)]) -> String {
    let left = lines.iter().map(|(l, _)| width(l)).max().unwrap_or(0);
    let right = lines.iter().map(|(_, r)| width(r)).max().unwrap_or(0);
    lines
        .iter()
        .map(|(l, r)| {
            format!(
                "{l}{}  {}{r}\n",
                " ".repeat(left - width(l)),
                " ".repeat(right - width(r))
            )
        })
        .collect()
}
