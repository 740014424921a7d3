//! The summary tables computed from aggregates at the end of a job: `survival.csv`,
//! `provisions.csv`, and the [`Summary`] the command line prints.

use super::aggregate::{Aggregates, REPORT_YEARS, VariantStats};
use super::rows::{cause_name, causes, num};
use crate::provisions::kind::Kind;
use crate::scenario::{DAYS_PER_YEAR, Scenario};
use crate::stats::{self, Interval};

/// The header and rows of `survival.csv` for one variant, one row per tick boundary.
pub fn survival_table(
    scenario: &Scenario,
    v: &VariantStats,
    tick_days: f64,
) -> (Vec<String>, Vec<Vec<String>>) {
    let days = v.collapses.len() - 1;
    let mut censored = vec![0u64; days + 1];
    censored[days] = v.held;
    let km = stats::kaplan_meier(&v.collapses, &censored);
    let mut header: Vec<String> = [
        "day",
        "years",
        "at_risk",
        "collapses",
        "survival",
        "lower95",
        "upper95",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for c in causes() {
        header.push(format!(
            "collapsed_{}",
            cause_name(scenario, c).replace('-', "_")
        ));
    }
    let mut rows = Vec::new();
    let mut cum = [0u64; 4];
    let mut events_since = 0u64;
    let mut at_risk_at_row = v.runs;
    let tick = tick_days.max(1.0);
    let mut next_row = 0.0f64;
    for (d, point) in km.iter().enumerate() {
        if let Some(cc) = &v.cause_collapses {
            for (i, c) in cum.iter_mut().enumerate() {
                *c += cc[i][d];
            }
        }
        events_since += v.collapses[d];
        let is_row = d == 0 || (d as f64) >= next_row - 1e-9 || d == days;
        if !is_row {
            continue;
        }
        while next_row <= d as f64 + 1e-9 {
            next_row += tick;
        }
        let (s, lo, hi) = if v.runs == 0 {
            (f64::NAN, f64::NAN, f64::NAN)
        } else {
            (point.survival, point.lower, point.upper)
        };
        let mut row = vec![
            d.to_string(),
            num(d as f64 / DAYS_PER_YEAR, 4),
            at_risk_at_row.to_string(),
            events_since.to_string(),
            num(s, 6),
            num(lo, 6),
            num(hi, 6),
        ];
        for c in cum {
            row.push(num(
                if v.runs == 0 {
                    f64::NAN
                } else {
                    c as f64 / v.runs as f64
                },
                6,
            ));
        }
        rows.push(row);
        at_risk_at_row -= events_since;
        events_since = 0;
    }
    (header, rows)
}

/// The header and rows of `provisions.csv`: one row per provision of the scenario.
pub fn provisions_table(
    scenario: &Scenario,
    agg: &Aggregates,
    disabled: &[u32],
) -> (Vec<String>, Vec<Vec<String>>) {
    let a = scenario.side_id(0).replace('-', "_");
    let b = scenario.side_id(1).replace('-', "_");
    let mut header: Vec<String> = [
        "point",
        "kind",
        "family",
        "title",
        "in_force",
        "implementation",
        "implementation_lower95",
        "implementation_upper95",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for s in [&a, &b] {
        for stem in [
            "violations_per_run",
            "runs_violating",
            "runs_violating_lower95",
            "runs_violating_upper95",
            "attributed_per_run",
            "first_violation_day_p10",
            "first_violation_day_p50",
            "first_violation_day_p90",
        ] {
            header.push(format!("{stem}_{s}"));
        }
    }
    let runs = agg.variants[0].runs;
    let mut rows = Vec::new();
    let Some(kinds) = &agg.kinds else {
        return (header, rows);
    };
    let mut provisions: Vec<_> = scenario.provisions.iter().collect();
    provisions.sort_by_key(|p| p.point);
    for p in provisions {
        let ks = &kinds[p.kind as usize];
        let imp = ks.implementation();
        let mut row = vec![
            p.point.to_string(),
            p.kind.info().name.to_string(),
            p.kind.info().family.to_string(),
            p.title.clone(),
            (!disabled.contains(&p.point)).to_string(),
            num(imp.estimate, 4),
            num(imp.lower, 4),
            num(imp.upper, 4),
        ];
        for s in 0..2 {
            let per_run = if runs == 0 {
                f64::NAN
            } else {
                ks.committed[s] as f64 / runs as f64
            };
            let share = stats::wilson(ks.violating_runs[s], runs);
            let attributed = if runs == 0 {
                f64::NAN
            } else {
                ks.attributed[s] as f64 / runs as f64
            };
            let q = |x: f64| {
                stats::quantile_from_counts(&ks.first_violation[s], x)
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            };
            row.extend([
                num(per_run, 4),
                num(share.estimate, 4),
                num(share.lower, 4),
                num(share.upper, 4),
                num(attributed, 4),
                q(0.1),
                q(0.5),
                q(0.9),
            ]);
        }
        rows.push(row);
    }
    (header, rows)
}

/// What the command line prints at the end of a run.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Runs.
    pub runs: u64,
    /// Share of runs holding after each report horizon within the scenario's horizon.
    pub hold: Vec<(f64, Interval)>,
    /// Each cause: its name, its count and its share of all runs.
    pub causes: Vec<(String, u64, Interval)>,
    /// Median day of collapse, when more than half the runs collapsed.
    pub median_collapse_day: Option<usize>,
    /// Horizon in days.
    pub horizon_days: usize,
}

/// Summarises one variant.
pub fn summary(scenario: &Scenario, v: &VariantStats) -> Summary {
    let horizon = (v.collapses.len() - 1) as f64;
    let hold = REPORT_YEARS
        .iter()
        .filter(|&&y| y * DAYS_PER_YEAR <= horizon + 1e-9)
        .map(|&y| (y, v.hold(y)))
        .collect();
    let causes = causes()
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let n = v.cause_count(i);
            (cause_name(scenario, c), n, stats::wilson(n, v.runs))
        })
        .collect();
    Summary {
        runs: v.runs,
        hold,
        causes,
        median_collapse_day: v.median_collapse_day(),
        horizon_days: v.collapses.len() - 1,
    }
}

/// The kinds in catalogue order with their point in the scenario.
pub fn points(scenario: &Scenario) -> Vec<(u32, Kind)> {
    let mut v: Vec<_> = scenario
        .provisions
        .iter()
        .map(|p| (p.point, p.kind))
        .collect();
    v.sort();
    v
}
