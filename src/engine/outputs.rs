//! Named outputs of a computed example: the names DESIGN.md gives
//! (`total_charges`, `apr`, `options.2.total_paid`, …), so prose, `expect:`
//! checks and `calc --json` all read figures the same way.

use rust_decimal::Decimal;

use super::money::Money;
use super::negotiation::OptionOutcome;
use super::overdue::OverdueResult;
use super::schedule::Schedule;

/// What the engine computed for one example.
#[derive(Debug, Clone)]
pub enum Outcome {
    Overdue(OverdueResult),
    Schedule(Schedule),
    Negotiation(Vec<OptionOutcome>),
}

/// One reported figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Money(Money),
    /// A rate in percent, already rounded to 2 places (13.03 for 13.03%).
    Percent(Decimal),
}

impl Figure {
    /// `"150.00"` or `"13.03%"`: the JSON and `expect:` form.
    pub fn plain(self) -> String {
        match self {
            Figure::Money(m) => m.to_plain_string(),
            Figure::Percent(p) => format!("{:.2}%", p),
        }
    }

    /// `"10,000.00元"` or `"13.03%"`: the form prose shows.
    pub fn display(self) -> String {
        match self {
            Figure::Money(m) => format!("{}元", m.to_grouped_string()),
            Figure::Percent(p) => format!("{:.2}%", p),
        }
    }

    pub fn value(self) -> Decimal {
        match self {
            Figure::Money(m) => m.amount(),
            Figure::Percent(p) => p,
        }
    }
}

pub const OVERDUE_FIELDS: [&str; 5] = [
    "interest",
    "penalty",
    "compound",
    "total_charges",
    "total_due",
];
pub const SCHEDULE_FIELDS: [&str; 7] = [
    "payment",
    "last_payment",
    "total_interest",
    "total_fees",
    "total_paid",
    "apr",
    "effective_annual_rate",
];
pub const OPTION_FIELDS: [&str; 5] = ["total_paid", "cost", "first_payment", "apr", "saving"];

/// The output names an example of `type_name` has (negotiation names are
/// `options.<n>.<field>`, 1-based).
pub fn field_names(type_name: &str, options: usize) -> Vec<String> {
    match type_name {
        "overdue" => OVERDUE_FIELDS.iter().map(|s| s.to_string()).collect(),
        "schedule" => SCHEDULE_FIELDS.iter().map(|s| s.to_string()).collect(),
        _ => (1..=options)
            .flat_map(|n| {
                OPTION_FIELDS
                    .iter()
                    .map(move |f| format!("options.{n}.{f}"))
            })
            .collect(),
    }
}

impl Outcome {
    /// The figure called `name`, if this outcome has it.
    pub fn figure(&self, name: &str) -> Option<Figure> {
        match self {
            Outcome::Overdue(r) => Some(Figure::Money(match name {
                "interest" => r.interest,
                "penalty" => r.penalty,
                "compound" => r.compound,
                "total_charges" => r.total_charges,
                "total_due" => r.total_due,
                _ => return None,
            })),
            Outcome::Schedule(s) => match name {
                "payment" => s.rows.first().map(|r| Figure::Money(r.payment)),
                "last_payment" => s.rows.last().map(|r| Figure::Money(r.payment)),
                "total_interest" => Some(Figure::Money(s.total_interest)),
                "total_fees" => Some(Figure::Money(s.total_fees)),
                "total_paid" => Some(Figure::Money(s.total_paid)),
                "apr" => Some(Figure::Percent(s.apr)),
                "effective_annual_rate" => Some(Figure::Percent(s.effective_annual_rate)),
                _ => None,
            },
            Outcome::Negotiation(options) => {
                let rest = name.strip_prefix("options.")?;
                let (n, field) = rest.split_once('.')?;
                let o = options.get(n.parse::<usize>().ok()?.checked_sub(1)?)?;
                match field {
                    "total_paid" => Some(Figure::Money(o.total_paid)),
                    "cost" => Some(Figure::Money(o.cost)),
                    "first_payment" => Some(Figure::Money(o.first_payment)),
                    "saving" => Some(Figure::Money(o.saving)),
                    "apr" => o.apr.map(Figure::Percent),
                    _ => None,
                }
            }
        }
    }
}
