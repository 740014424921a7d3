//! The columns of `runs.csv` and `trace.csv`, in one place.
//!
//! Column names depend on the scenario (its side ids and its uncertain parameters), so the
//! header and each row are built by the same [`RunColumns`], which makes the schema visible
//! here and keeps header and rows from drifting apart. Numbers are written with a fixed
//! precision, so files are byte-identical wherever they are produced.

use crate::engine::{RunRecord, TraceRow};
use crate::model::Cause;
use crate::scenario::Scenario;
use std::fmt::Write;

/// Writes `x` with at most `decimals` decimals, without trailing zeros.
pub fn num(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".to_string() } else { s }
}

/// The name of a cause of collapse, as written in outputs.
pub fn cause_name(scenario: &Scenario, cause: Cause) -> String {
    match cause {
        Cause::WithdrawalFailed => "withdrawal-failed".to_string(),
        Cause::Offensive(s) => format!("offensive-by-{}", scenario.side_id(s)),
        Cause::Escalation => "escalation".to_string(),
    }
}

/// All causes, in the order outputs list them.
pub fn causes() -> [Cause; 4] {
    [
        Cause::Offensive(0),
        Cause::Offensive(1),
        Cause::Escalation,
        Cause::WithdrawalFailed,
    ]
}

/// Index of a cause in [`causes`].
pub fn cause_index(cause: Cause) -> usize {
    match cause {
        Cause::Offensive(0) => 0,
        Cause::Offensive(_) => 1,
        Cause::Escalation => 2,
        Cause::WithdrawalFailed => 3,
    }
}

/// The columns of `runs.csv` for one scenario.
pub struct RunColumns {
    variant_column: Option<(String, Vec<String>)>,
    header: Vec<String>,
    sides: [String; 2],
}

impl RunColumns {
    /// Columns for `scenario`; `variant_column` names a leading column and the label of each
    /// variant (for sweeps and ablations).
    pub fn new(scenario: &Scenario, variant_column: Option<(String, Vec<String>)>) -> RunColumns {
        let a = scenario.side_id(0).replace('-', "_");
        let b = scenario.side_id(1).replace('-', "_");
        let mut h: Vec<String> = Vec::new();
        if let Some((name, _)) = &variant_column {
            h.push(name.clone());
        }
        for c in [
            "run",
            "seed",
            "outcome",
            "collapse_day",
            "cause",
            "ceasefire_day",
        ] {
            h.push(c.to_string());
        }
        for stem in ["incidents", "violations", "attributed"] {
            h.push(format!("{stem}_{a}"));
            h.push(format!("{stem}_{b}"));
        }
        for c in ["detected", "misattributed", "sanctions_imposed"] {
            h.push(c.to_string());
        }
        for stem in ["personnel", "trust", "hostility", "net_utility"] {
            h.push(format!("{stem}_{a}"));
            h.push(format!("{stem}_{b}"));
        }
        for c in [
            "sanctions_phases",
            "guarantee",
            "guarantee_void_day",
            "guarantee_void_cause",
            "election",
            "exchanges",
            "invested_usd_bn",
            "profits_paid_usd_bn",
            "plant_twh",
        ] {
            h.push(c.to_string());
        }
        for id in scenario.params.uncertain() {
            h.push(scenario.params.spec(id).path.clone());
        }
        RunColumns {
            variant_column,
            header: h,
            sides: [a, b],
        }
    }

    /// The header row.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The side ids as they appear in column names.
    pub fn sides(&self) -> &[String; 2] {
        &self.sides
    }

    /// One row for a record, in header order.
    pub fn row(&self, scenario: &Scenario, r: &RunRecord) -> Vec<String> {
        let mut v: Vec<String> = Vec::with_capacity(self.header.len());
        if let Some((_, labels)) = &self.variant_column {
            v.push(labels[r.variant as usize].clone());
        }
        v.push(r.run.to_string());
        v.push(r.seed.to_string());
        v.push(if r.held { "held" } else { "collapsed" }.to_string());
        v.push(if r.held {
            String::new()
        } else {
            num(r.end_day, 2)
        });
        v.push(r.cause.map(|c| cause_name(scenario, c)).unwrap_or_default());
        v.push(r.ceasefire_day.map(|d| num(d, 2)).unwrap_or_default());
        for s in 0..2 {
            v.push(r.incidents[s].to_string());
        }
        for s in 0..2 {
            v.push(
                r.committed[s]
                    .iter()
                    .map(|&c| u32::from(c))
                    .sum::<u32>()
                    .to_string(),
            );
        }
        for s in 0..2 {
            v.push(
                r.attributed[s]
                    .iter()
                    .map(|&c| u32::from(c))
                    .sum::<u32>()
                    .to_string(),
            );
        }
        v.push(r.detected.to_string());
        v.push(r.misattributed.to_string());
        v.push(r.sanctions_imposed.to_string());
        for s in 0..2 {
            v.push(num(r.personnel[s], 0));
        }
        for s in 0..2 {
            v.push(num(r.trust[s], 4));
        }
        for s in 0..2 {
            v.push(num(r.hostility[s], 4));
        }
        for s in 0..2 {
            v.push(num(r.net_utility[s], 4));
        }
        v.push(r.sanctions_phases.to_string());
        v.push(if r.guarantee_valid { "valid" } else { "void" }.to_string());
        v.push(r.guarantee_void_day.map(|d| num(d, 2)).unwrap_or_default());
        v.push(
            r.guarantee_void_cause
                .map(|c| c.name().to_string())
                .unwrap_or_default(),
        );
        v.push(
            match r.election {
                0 => "",
                1 => "conciliatory",
                _ => "resentful",
            }
            .to_string(),
        );
        v.push(r.exchanges.to_string());
        v.push(num(r.invested, 3));
        v.push(num(r.paid_out, 3));
        v.push(num(r.plant_twh, 3));
        for (i, &x) in r.drawn.iter().enumerate() {
            let id = scenario.params.uncertain()[i];
            let spec = scenario.params.spec(id);
            v.push(num(x / spec.factor, 6));
        }
        v
    }
}

/// Header of `trace.csv`.
pub fn trace_header(with_variant: Option<&str>) -> Vec<String> {
    let mut h = Vec::new();
    if let Some(v) = with_variant {
        h.push(v.to_string());
    }
    for c in ["run", "day", "entity", "variable", "value"] {
        h.push(c.to_string());
    }
    h
}

/// One row of `trace.csv`.
pub fn trace_row(scenario: &Scenario, label: Option<&str>, t: &TraceRow) -> Vec<String> {
    let mut v = Vec::with_capacity(6);
    if let Some(l) = label {
        v.push(l.to_string());
    }
    v.push(t.run.to_string());
    v.push(num(t.day, 2));
    v.push(match t.entity {
        Some(i) => scenario.parties[i as usize].id.clone(),
        None => "run".to_string(),
    });
    v.push(t.variable.to_string());
    let mut s = String::new();
    let _ = write!(s, "{}", num(t.value, 6));
    v.push(s);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_compact_and_stable() {
        assert_eq!(num(3.0, 4), "3");
        assert_eq!(num(0.12345678, 4), "0.1235");
        assert_eq!(num(-0.00001, 2), "0");
        assert_eq!(num(700000.4, 0), "700000");
        assert_eq!(num(f64::NAN, 2), "");
        assert_eq!(num(1.5, 2), "1.5");
    }
}
