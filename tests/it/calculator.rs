//! The calculator's parity with the engine: `templates/static/calc.js` under
//! node must print exactly what `lendguide calc --json` prints, field by
//! field and errors included, for thousands of generated examples of every
//! type (edges: 0%, 1 and 600 months, 10^12 − 0.01 and just over, 36,500 days,
//! every rate spelling and method, fees, waivers, invalid inputs).
//! `chromium` runs a sample of them on the built page in a real browser.

mod chromium;

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::common::root;

/// A small deterministic generator (xorshift64*), so every run checks the
/// same inputs and a failure can be replayed.
pub struct Gen(u64, bool);

impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen(seed.max(1), false)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// An amount: typical, tiny, at the 10^12 edge, grouped, as a JSON number
    /// or a string, sometimes invalid.
    fn amount(&mut self) -> Value {
        match self.below(20) {
            0 => json!("999999999999.99"),
            1 if self.1 => json!("999,999,999,999.99"),
            1 => json!(self.pick(&["1000000000000", "1,000,000,000,000", "999,999,999,999.99"])),
            2 => json!(self.pick(&["0.01", "0.05", "3", "1.5"])),
            3 if !self.1 => json!(self.pick(&["abc", "-5", "1.234", "0", "", "1e3", "10,00"])),
            4 => json!(format!("{},{:03}", 1 + self.below(999), self.below(1000))),
            5..=9 => json!(1 + self.below(200_000)),
            10..=13 => {
                let cents = 100 + self.below(20_000_000);
                if cents.is_multiple_of(100) {
                    json!(cents / 100)
                } else {
                    json!(cents as f64 / 100.0)
                }
            }
            _ => json!(format!("{}.{:02}", self.below(5_000_000), self.below(100))),
        }
    }

    /// A rate written as an annual rate (or a spelling `annual_rate` refuses).
    fn annual(&mut self) -> Value {
        match self.below(14) {
            0 => json!("0%"),
            1 => json!(format!("{}%", self.below(37))),
            2 => json!(format!("{}.{}%", self.below(36), self.below(100))),
            3 => json!(format!("年化{}%", 1 + self.below(36))),
            4 => json!(format!("年利率{}.{}%", self.below(24), self.below(10))),
            5 => json!(format!("月利率{}%", self.below(3))),
            6 => json!(format!("0.{:02}", self.below(100))),
            7 => json!(self.below(36) as f64 / 100.0),
            8 => json!(self.pick(&[
                "百分之十八",
                "百分之二十四",
                "千分之1.5",
                "18％",
                "年化利率 36%",
                "1000%"
            ])),
            9 if !self.1 => json!(self.pick(&[
                "18",
                "abc",
                "-5%",
                "1001%",
                "1e-3",
                "日利率0.05%",
                "",
                "18%%",
                "万分之十十"
            ])),
            10 => json!(format!("{}.{:03}%", self.below(1000), self.below(1000))),
            _ => json!(format!("{}%", self.below(25))),
        }
    }

    fn daily(&mut self) -> Value {
        match self.below(9) {
            0 => json!("日利率万分之五"),
            1 => json!("5‱"),
            2 => json!(format!("0.0{}%", self.below(10))),
            3 => json!(format!("日利率0.0{}%", 1 + self.below(9))),
            4 => json!(format!(
                "万分之{}",
                self.pick(&["二点一", "五", "十五", "2.1", "两"])
            )),
            5 => json!(format!("{}‰", self.below(3))),
            6 if !self.1 => json!(self.pick(&["年化18%", "3%", "月利率1%", "0.0005"])),
            7 => json!(0.0005),
            _ => json!(format!("0.000{}", self.below(10))),
        }
    }

    fn fee(&mut self) -> Value {
        match self.below(6) {
            0 => json!("0"),
            1 => json!(format!("0.{}%", self.below(10))),
            2 => json!(format!("月利率0.{}%", 1 + self.below(9))),
            3 if !self.1 => json!(self.pick(&["0.6%", "0.006", "年化7.2%", "90%", "日利率0.01%"])),
            _ => json!(format!("0.{:02}%", self.below(100))),
        }
    }

    fn days(&mut self) -> Value {
        match self.below(10) {
            0 => json!(36500),
            1 => json!(1),
            2 if !self.1 => json!(self.pick(&["0", "36501", "abc", "+30", "30.5", "-1"])),
            _ => json!(1 + self.below(720)),
        }
    }

    fn months(&mut self) -> Value {
        match self.below(12) {
            0 => json!(600),
            1 => json!(1),
            2 if !self.1 => json!(self.pick(&["0", "601", "twelve"])),
            3 => json!(1 + self.below(600)),
            _ => json!(1 + self.below(36)),
        }
    }

    fn method(&mut self) -> Value {
        json!(self.pick(&[
            "equal-installment",
            "equal-principal",
            "interest-first",
            "bullet",
            if self.1 { "bullet" } else { "monthly" },
        ]))
    }

    fn penalty(&mut self) -> Value {
        match self.below(8) {
            0 => json!({"annual_rate": self.annual()}),
            1 => json!({"daily_rate": self.daily()}),
            2 if !self.1 => json!({"markup": "50%", "annual_rate": "27%"}),
            3 if !self.1 => json!({"markup": self.pick(&["abc", "2000%", "100%", "0.5"])}),
            _ => json!({"markup": format!("{}%", self.below(101))}),
        }
    }

    fn share(&mut self) -> Value {
        if self.1 {
            json!(self.pick(&["0%", "50%", "100%", "0.3", "20%"]))
        } else {
            json!(self.pick(&["0%", "50%", "100%", "0.3", "20%", "150%", "x"]))
        }
    }

    fn overdue(&mut self, id: &str) -> Value {
        let mut m = json!({"id": id, "title": "逾期", "type": "overdue"});
        m["principal"] = self.amount();
        if self.chance(80) {
            m["annual_rate"] = self.annual();
        } else {
            m["daily_rate"] = self.daily();
        }
        m["days"] = self.days();
        m["penalty"] = self.penalty();
        if self.chance(40) {
            m["unpaid_interest"] = self.amount();
        }
        if self.chance(40) {
            m["compound"] =
                json!(self.pick(&["true", "false", if self.1 { "true" } else { "yes" }]));
        }
        if self.chance(20) {
            m["day_count"] = json!(self.pick(&["360", "365", if self.1 { "365" } else { "366" }]));
        }
        m
    }

    fn schedule(&mut self, id: &str) -> Value {
        let mut m = json!({"id": id, "title": "分期", "type": "schedule"});
        m["principal"] = self.amount();
        if self.chance(80) {
            m["annual_rate"] = self.annual();
        }
        m["months"] = self.months();
        if self.chance(90) {
            m["method"] = self.method();
        }
        if self.chance(45) {
            m["monthly_fee_rate"] = self.fee();
        }
        if self.chance(25) {
            m["upfront_fee"] = json!(self.pick(&["0", "300", "500.50", "10000", "2,000"]));
        }
        m
    }

    fn option(&mut self) -> Value {
        match self.below(4) {
            0 => json!({"kind": "stay-overdue", "days": self.days()}),
            1 => {
                json!({"kind": "settle", "waive_penalty": self.share(), "waive_interest": self.share()})
            }
            2 => {
                let mut o = json!({"kind": "installment", "months": self.months()});
                match self.below(4) {
                    0 => o["annual_rate"] = self.annual(),
                    1 => o["monthly_fee_rate"] = self.fee(),
                    2 => {}
                    _ => o["method"] = self.method(),
                }
                if self.chance(50) {
                    o["waive_penalty"] = self.share();
                }
                if !self.1 && self.chance(10) {
                    o["days"] = json!(3);
                }
                o
            }
            _ => {
                json!({"kind": "extension", "months": self.months(), "annual_rate": self.annual(), "label": "展期"})
            }
        }
    }

    fn negotiation(&mut self, id: &str) -> Value {
        let mut s = json!({"principal": self.amount(), "penalty": self.penalty()});
        if self.chance(90) {
            s["annual_rate"] = self.annual();
        } else {
            s["daily_rate"] = self.daily();
        }
        if self.chance(70) {
            s["unpaid_interest"] = json!(self.below(100_000) as f64 / 100.0);
        }
        if self.chance(70) {
            s["penalty_accrued"] = json!(self.below(100_000));
        }
        let options: Vec<Value> = (0..1 + self.below(4)).map(|_| self.option()).collect();
        json!({"id": id, "title": "协商", "type": "negotiation", "situation": s, "options": options})
    }

    /// One example of any type. Two in three draw only valid values (which can
    /// still fail together, e.g. an upfront fee above the principal); the rest
    /// may break any field, and one in eight of those breaks the shape too.
    pub fn example(&mut self, n: usize) -> Value {
        let id = format!("gen-{n}");
        self.1 = self.below(3) > 0;
        let mut m = match n % 3 {
            0 => self.overdue(&id),
            1 => self.schedule(&id),
            _ => self.negotiation(&id),
        };
        if !self.1 && self.chance(30) {
            match self.below(9) {
                0 => m["principle"] = json!(1),
                1 => m["principal"] = json!("@apr-24"),
                2 => m["id"] = json!("Bad Id"),
                3 => m["title"] = json!(" "),
                4 => m["type"] = json!("loan"),
                5 => m["months"] = json!(12),
                6 => m["penalty"] = json!({"markup": "50%"}),
                7 => m["expect"] = json!({"total_paid": "1.00", "nothing": "2"}),
                _ => {
                    if let Some(map) = m.as_object_mut() {
                        map.remove("type");
                    }
                }
            }
        }
        m
    }
}

/// Every input through calc.js in one node process: JSON lines in, JSON lines out.
pub fn run_node(inputs: &[Value]) -> Vec<Value> {
    let script = format!(
        "const c = require({:?});\
         const rl = require('readline').createInterface({{input: process.stdin}});\
         rl.on('line', l => console.log(JSON.stringify(c.compute(JSON.parse(l)))));",
        root().join("templates/static/calc.js")
    );
    let mut child = Command::new("node")
        .arg("-e")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node is needed for the calculator parity test (apt-get install nodejs)");
    let mut stdin = child.stdin.take().unwrap();
    let lines: String = inputs.iter().map(|v| format!("{v}\n")).collect();
    let writer = std::thread::spawn(move || stdin.write_all(lines.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "node failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// What the engine prints for one input (the JSON text is also YAML).
pub fn engine(input: &Value) -> Value {
    let file = lendguide::load::SourceFile {
        path: "generated.yaml".into(),
        text: input.to_string(),
    };
    lendguide::calc::json_output(&file)
}

/// The first differing field, as a path, or `None` when equal.
fn first_difference(path: &str, a: &Value, b: &Value) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| {
                let (l, r) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                first_difference(&format!("{path}.{k}"), l, r)
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (l, r))| first_difference(&format!("{path}[{i}]"), l, r)),
        _ if a == b => None,
        _ => Some(format!("{path}: engine {a}, calc.js {b}")),
    }
}

pub fn generated(count: usize) -> Vec<Value> {
    let mut g = Gen::new(0x1e9d_9a1d);
    (0..count).map(|n| g.example(n)).collect()
}

#[test]
fn calc_js_matches_the_engine_on_generated_inputs() {
    let inputs = generated(2400);
    let js = run_node(&inputs);
    assert_eq!(js.len(), inputs.len(), "node answered every input");
    let mut errors = 0;
    let mut failures = Vec::new();
    for (input, got) in inputs.iter().zip(&js) {
        let want = engine(input);
        errors += usize::from(want.get("error").is_some());
        if let Some(diff) = first_difference("", &want, got) {
            failures.push(format!("{input}\n  {diff}"));
        }
    }
    println!(
        "calc.js parity: {} inputs ({} invalid), {} differ",
        inputs.len(),
        errors,
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} differ; first:\n{}",
        failures.len(),
        inputs.len(),
        failures[..failures.len().min(8)].join("\n")
    );
    assert!(
        errors > 100 && errors < inputs.len() / 2,
        "{errors} invalid"
    );
}

/// `/calculator/` exists in both scripts with its same-origin scripts, and
/// every worked example on a guide links to it with its inputs.
#[test]
fn calculator_page_and_example_links_are_built() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let status = Command::new(env!("CARGO_BIN_EXE_lendguide"))
        .current_dir(root())
        .args(["build", "--out", site.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    for page in ["calculator/index.html", "zh-Hant/calculator/index.html"] {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        assert!(html.contains("static/calc.js\" defer"), "{page}");
        assert!(html.contains("static/calculator.js\" defer"), "{page}");
        assert!(
            !html.contains("<script>"),
            "{page}: no inline script under the CSP"
        );
    }
    let guide =
        std::fs::read_to_string(site.join("lenders/weilidai/overdue-costs/index.html")).unwrap();
    let examples = guide.matches("<figure class=\"example\"").count();
    assert!(examples > 0);
    assert_eq!(guide.matches("用你自己的数字算一算").count(), examples);
    assert!(guide.contains(
        "../../../calculator/index.html?type=overdue&amp;principal=10000&amp;annual_rate=18%25&amp;days=30&amp;penalty_markup=50%25"
    ));
}
