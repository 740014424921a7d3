//! Exploring an agreement at scale: parameter sweeps ([`sweep`]), provision ablation
//! ([`ablate`]), global sensitivity analysis ([`sensitivity`]), their specification files
//! ([`spec`]), and the merging of shards run on several machines ([`merge`]).
//!
//! Each command is a [`Job`] like `truce run`: a scenario, a list of variants of it (design
//! points, or the plan without one provision), a number of runs per variant and a master seed.
//! The batch driver runs the tasks run-major, so every variant of one run index uses the same
//! run seed (common random numbers), results stream to `runs.csv` as runs complete, and the
//! integer aggregates of each variant are all the summary tables need. That is what makes a job
//! resumable, shardable, and mergeable byte for byte: the tables are a pure function of the
//! aggregates, and aggregates of shards add up exactly.
//!
//! This module owns the requests of the exploring commands, the shared summary of one variant
//! ([`PointSummary`]), and [`Request`], which rebuilds any job from its manifest (for merging).
//! It prints nothing.

pub mod ablate;
pub mod merge;
pub mod sensitivity;
pub mod spec;
pub mod sweep;

use crate::batch::Shard;
use crate::engine::Variant;
use crate::model::rng;
use crate::output::aggregate::{Aggregates, REPORT_YEARS, VariantStats};
use crate::output::manifest::Manifest;
use crate::output::rows::{cause_name, causes, num};
use crate::output::tables::Summary;
use crate::output::{Job, csv_bytes};
use crate::runs::RunRequest;
use crate::scenario::{DAYS_PER_YEAR, Scenario, fmt_num};
use crate::stats::Interval;
use std::path::Path;
use std::sync::Arc;

pub use ablate::{AblateRequest, AblationReport};
pub use merge::{Merged, merge};
pub use sensitivity::{Method, SensitivityReport, SensitivityRequest};
pub use spec::{Design, SensitivitySpec, SweepSpec};
pub use sweep::{SweepReport, SweepRequest};

/// The random stream a design is drawn from: keyed by the master seed, and apart from the
/// streams of the runs, so that the design does not change what any run draws. `purpose`
/// separates the designs and bootstraps of one job.
pub fn design_rng(seed: u64, purpose: u64) -> rng::ChaCha8 {
    rng::stream(rng::mix64(seed ^ 0x7472_7563_652d_6578), purpose)
}

/// The horizon of a variant, in days.
pub fn horizon_days(scenario: &Scenario, v: &Variant) -> f64 {
    v.values[scenario.time.horizon.0 as usize]
}

/// The mean over runs of the time the agreement held, each run counted up to `tau_days` at
/// most (the restricted mean time to collapse), in days; NaN without runs. Days of collapse
/// are counted rounded up, as in the aggregates.
pub fn restricted_mean_days(v: &VariantStats, tau_days: f64) -> f64 {
    if v.runs == 0 {
        return f64::NAN;
    }
    let mut sum = v.held as f64 * tau_days;
    for (day, &n) in v.collapses.iter().enumerate() {
        sum += n as f64 * (day as f64).min(tau_days);
    }
    sum / v.runs as f64
}

/// What one variant (design point) came to.
#[derive(Debug, Clone, PartialEq)]
pub struct PointSummary {
    /// Runs.
    pub runs: u64,
    /// Runs that collapsed within the horizon.
    pub collapsed: u64,
    /// Share still holding after each of [`REPORT_YEARS`], with its 95% interval; `None`
    /// beyond the variant's horizon.
    pub hold: Vec<Option<Interval>>,
    /// Median time to collapse (years), when more than half the runs collapsed.
    pub median_collapse_years: Option<f64>,
    /// Restricted mean time to collapse within the horizon (years).
    pub mean_years_held: f64,
    /// The cause of most collapses.
    pub leading_cause: Option<String>,
}

/// Summarises one variant whose horizon is `horizon_days`.
pub fn summarise(scenario: &Scenario, v: &VariantStats, horizon_days: f64) -> PointSummary {
    let hold = REPORT_YEARS
        .iter()
        .map(|&y| (y * DAYS_PER_YEAR <= horizon_days + 1e-9).then(|| v.hold(y)))
        .collect();
    PointSummary {
        runs: v.runs,
        collapsed: v.runs - v.held,
        hold,
        median_collapse_years: v.median_collapse_day().map(|d| d as f64 / DAYS_PER_YEAR),
        mean_years_held: restricted_mean_days(v, horizon_days) / DAYS_PER_YEAR,
        leading_cause: v.leading_cause().map(|i| cause_name(scenario, causes()[i])),
    }
}

/// The label of a report horizon in column names: `1y`, `10y`.
pub fn years_label(years: f64) -> String {
    format!("{}y", fmt_num(years))
}

/// Writes a number with 8 significant digits, in plain decimal notation. The magnitude comes
/// from Rust's exactly rounded formatting, not from a logarithm, so the text is the same on
/// every platform.
pub fn sig(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let e = format!("{x:.7e}");
    let magnitude: i64 = e
        .rsplit_once('e')
        .and_then(|(_, m)| m.parse().ok())
        .unwrap_or(0);
    num(x, (7 - magnitude).clamp(0, 15) as usize)
}

/// Refuses a job whose number of tasks (runs times variants) does not fit in 64 bits.
pub fn check_size(runs: u64, variants: usize) -> Result<(), String> {
    runs.checked_mul(variants as u64)
        .map(|_| ())
        .ok_or_else(|| {
            format!("{runs} runs of each of {variants} variants are more than a job can hold")
        })
}

fn interval_cells(i: Option<Interval>, decimals: usize) -> [String; 3] {
    match i {
        Some(i) => [
            num(i.estimate, decimals),
            num(i.lower, decimals),
            num(i.upper, decimals),
        ],
        None => Default::default(),
    }
}

/// The table of design points (`sweep.csv`, and `design.csv` of a sensitivity analysis): one
/// row per design point with the value of every varied parameter (in the unit the scenario
/// writes it in) and what the point came to.
pub fn points_table(
    factors: &[spec::Factor],
    values: &[Vec<f64>],
    summaries: &[PointSummary],
) -> Vec<u8> {
    let mut header = vec!["design_point".to_string()];
    header.extend(factors.iter().map(|f| f.path.clone()));
    header.extend(["runs".to_string(), "collapsed".to_string()]);
    for &y in &REPORT_YEARS {
        let l = years_label(y);
        header.extend([
            format!("hold_{l}"),
            format!("hold_{l}_lower95"),
            format!("hold_{l}_upper95"),
        ]);
    }
    header.extend(["median_collapse_years", "mean_years_held", "leading_cause"].map(String::from));
    let rows: Vec<Vec<String>> = summaries
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut row = vec![i.to_string()];
            row.extend(
                factors
                    .iter()
                    .zip(&values[i])
                    .map(|(f, &v)| sig(v / f.factor)),
            );
            row.extend([s.runs.to_string(), s.collapsed.to_string()]);
            for h in &s.hold {
                row.extend(interval_cells(*h, 6));
            }
            row.push(
                s.median_collapse_years
                    .map(|y| num(y, 4))
                    .unwrap_or_default(),
            );
            row.push(num(s.mean_years_held, 4));
            row.push(s.leading_cause.clone().unwrap_or_default());
            row
        })
        .collect();
    csv_bytes(&header, &rows)
}

/// Any job `truce` writes into a result directory, as a request that can build it and compute
/// its tables.
pub enum Request {
    /// `truce run`.
    Run(RunRequest),
    /// `truce sweep`.
    Sweep(SweepRequest),
    /// `truce ablate`.
    Ablate(AblateRequest),
    /// `truce sensitivity`.
    Sensitivity(SensitivityRequest),
}

/// What a finished job reports besides its files.
pub enum Report {
    /// Of `truce run`.
    Run(Summary),
    /// Of `truce sweep`.
    Sweep(SweepReport),
    /// Of `truce ablate`.
    Ablation(AblationReport),
    /// Of `truce sensitivity`.
    Sensitivity(SensitivityReport),
}

impl Request {
    /// The job; `command` is its canonical command line.
    pub fn job(&self, command: String) -> Result<Job, String> {
        match self {
            Request::Run(r) => r.job(command),
            Request::Sweep(r) => r.job(command),
            Request::Ablate(r) => r.job(command),
            Request::Sensitivity(r) => r.job(command),
        }
    }

    /// The summary tables of a complete job (or shard), and its report.
    pub fn tables(&self, agg: &Aggregates) -> (Vec<(&'static str, Vec<u8>)>, Report) {
        match self {
            Request::Run(r) => {
                let (t, s) = r.tables(agg);
                (t, Report::Run(s))
            }
            Request::Sweep(r) => {
                let (t, s) = r.tables(agg);
                (t, Report::Sweep(s))
            }
            Request::Ablate(r) => {
                let (t, s) = r.tables(agg);
                (t, Report::Ablation(s))
            }
            Request::Sensitivity(r) => {
                let (t, s) = r.tables(agg);
                (t, Report::Sensitivity(s))
            }
        }
    }

    /// Rebuilds the whole job a manifest describes (of any shard of it), writing into `out`.
    /// The scenario and the specification are read again from the paths the manifest names,
    /// and must be the files the job was made from.
    pub fn from_manifest(m: &Manifest, out: &Path) -> Result<Request, String> {
        let out = out.to_path_buf();
        let scenario_path = Path::new(&m.scenario);
        let same_file = |path: &Path, want: &str, got: &str, what: &str| -> Result<(), String> {
            if want != got {
                return Err(format!(
                    "{} has changed since the job was run (its SHA-256 differs from the manifest's); merging needs the {what} the shards were made from",
                    path.display()
                ));
            }
            Ok(())
        };
        let spec_path = || -> Result<&Path, String> {
            m.spec
                .as_deref()
                .map(Path::new)
                .ok_or_else(|| format!("the manifest of a {} job names no specification", m.job))
        };
        let request = match m.job.as_str() {
            "run" | "ablate" => {
                let scenario = Arc::new(Scenario::load(scenario_path).map_err(|e| e.to_string())?);
                same_file(
                    scenario_path,
                    &m.scenario_sha256,
                    &scenario.sha256,
                    "scenario",
                )?;
                if m.job == "run" {
                    Request::Run(RunRequest {
                        scenario,
                        runs: m.runs,
                        seed: m.seed,
                        disabled: m.disabled.clone(),
                        trace: m.trace,
                        shard: Shard::WHOLE,
                        out,
                    })
                } else {
                    Request::Ablate(AblateRequest {
                        scenario,
                        runs: m.runs,
                        seed: m.seed,
                        shard: Shard::WHOLE,
                        out,
                    })
                }
            }
            "sweep" => {
                let path = spec_path()?;
                let spec = SweepSpec::load(path).map_err(|e| e.to_string())?;
                same_file(
                    path,
                    m.spec_sha256.as_deref().unwrap_or(""),
                    &spec.common.sha256,
                    "specification",
                )?;
                let sc = &spec.common.scenario;
                same_file(&sc.path, &m.scenario_sha256, &sc.sha256, "scenario")?;
                Request::Sweep(SweepRequest::new(
                    Arc::new(spec),
                    Some(m.runs),
                    Some(m.seed),
                    Shard::WHOLE,
                    out,
                ))
            }
            "sensitivity" => {
                let path = spec_path()?;
                let spec = SensitivitySpec::load(path).map_err(|e| e.to_string())?;
                same_file(
                    path,
                    m.spec_sha256.as_deref().unwrap_or(""),
                    &spec.common.sha256,
                    "specification",
                )?;
                let sc = &spec.common.scenario;
                same_file(&sc.path, &m.scenario_sha256, &sc.sha256, "scenario")?;
                let method = match m.method.as_deref() {
                    Some("morris") => Method::Morris,
                    Some("sobol") => Method::Sobol,
                    other => {
                        return Err(format!(
                            "the manifest names no known sensitivity method ({other:?})"
                        ));
                    }
                };
                Request::Sensitivity(SensitivityRequest::new(
                    Arc::new(spec),
                    method,
                    Some(m.runs),
                    Some(m.seed),
                    Shard::WHOLE,
                    out,
                ))
            }
            other => return Err(format!("the manifest names an unknown job `{other}`")),
        };
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restricted_mean_counts_held_runs_at_the_limit() {
        let mut v = Aggregates::new(10.0, 1, false).variants.remove(0);
        // Two runs collapse on days 2 and 4, two hold to the horizon (10 days).
        v.runs = 4;
        v.held = 2;
        v.collapses[2] = 1;
        v.collapses[4] = 1;
        assert_eq!(restricted_mean_days(&v, 10.0), (2.0 + 4.0 + 20.0) / 4.0);
        // Restricted to 3 days, the run that collapsed on day 4 counts 3.
        assert_eq!(restricted_mean_days(&v, 3.0), (2.0 + 3.0 + 6.0) / 4.0);
        v.runs = 0;
        v.held = 0;
        assert!(restricted_mean_days(&v, 3.0).is_nan());
    }

    #[test]
    fn significant_digits_are_plain_and_compact() {
        assert_eq!(sig(0.15), "0.15");
        assert_eq!(sig(600000.0), "600000");
        assert_eq!(sig(0.000123456789), "0.00012345679");
        assert_eq!(sig(1.0 / 3.0), "0.33333333");
        assert_eq!(sig(0.0), "0");
        assert_eq!(sig(999.999999999), "1000");
        assert_eq!(sig(-2.5e-7), "-0.00000025");
        assert_eq!(sig(f64::NAN), "");
    }
}
