//! `truce sensitivity`: global sensitivity of the hold probability and of the (restricted)
//! mean time to collapse to the varied parameters, by Morris elementary effects or by Sobol
//! indices, written to `sensitivity.csv` (and the design points to `design.csv`).
//!
//! The design lives in the unit cube (Morris trajectories on a grid of `levels` levels, or a
//! Saltelli design of `samples` base rows), drawn from a stream keyed by the master seed, and
//! each of its points is mapped linearly onto every parameter's range in canonical units. Each
//! design point is one variant of the scenario, run `runs` times with the same run seeds as every
//! other point (common random numbers, which keeps Monte Carlo noise out of the differences the
//! estimators take). A point's outputs are computed from its aggregates: the share of runs
//! still holding after `years`, and the mean over runs of the years the agreement held up to
//! `years`. The estimators are those of `crate::stats`: Morris's μ* and σ (effects per full
//! range of a parameter), and Saltelli's first-order and Jansen's total indices, each with
//! percentile bootstrap intervals drawn from a stream keyed by the master seed.

use super::spec::SensitivitySpec;
use super::{
    PointSummary, design_rng, horizon_days, points_table, restricted_mean_days, sig, summarise,
    years_label,
};
use crate::batch::{self, Shard};
use crate::engine::Variant;
use crate::output::aggregate::Aggregates;
use crate::output::manifest::{Manifest, standard_methods};
use crate::output::rows::{RunColumns, num};
use crate::output::{Job, csv_bytes};
use crate::runs::disable;
use crate::scenario::DAYS_PER_YEAR;
use crate::stats::Interval;
use crate::stats::morris::{MorrisDesign, morris_design, morris_effects};
use crate::stats::sobol::{SaltelliDesign, saltelli_design, sobol_indices};
use std::path::PathBuf;
use std::sync::Arc;

/// Streams of the design and of the bootstraps, apart from a sweep's.
const DESIGN_STREAM: u64 = 2;
const BOOTSTRAP_SALT: u64 = 0x626f_6f74;

/// A method of global sensitivity analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Morris elementary effects: cheap screening (μ*, σ).
    Morris,
    /// Sobol first-order and total indices (Saltelli design).
    Sobol,
}

impl Method {
    /// The name used on the command line and in files.
    pub fn name(self) -> &'static str {
        match self {
            Method::Morris => "morris",
            Method::Sobol => "sobol",
        }
    }
}

enum UnitDesign {
    Morris(MorrisDesign),
    Sobol(SaltelliDesign),
}

/// What `truce sensitivity` was asked for.
pub struct SensitivityRequest {
    /// The specification.
    pub spec: Arc<SensitivitySpec>,
    /// The method.
    pub method: Method,
    /// Runs per design point.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// The shard to simulate.
    pub shard: Shard,
    /// Result directory.
    pub out: PathBuf,
    design: UnitDesign,
    /// Each design point's value of each parameter (canonical units).
    pub points: Vec<Vec<f64>>,
}

/// The sensitivity of one output to one parameter.
#[derive(Debug, Clone)]
pub enum Index {
    /// Morris.
    Morris {
        /// Mean elementary effect.
        mu: f64,
        /// Mean absolute elementary effect, with a bootstrap interval.
        mu_star: Interval,
        /// Standard deviation of the elementary effects.
        sigma: f64,
    },
    /// Sobol.
    Sobol {
        /// First-order index.
        first: Interval,
        /// Total index.
        total: Interval,
    },
}

impl Index {
    /// The figure parameters are ranked by: μ* or the total index.
    pub fn importance(&self) -> f64 {
        match self {
            Index::Morris { mu_star, .. } => mu_star.estimate,
            Index::Sobol { total, .. } => total.estimate,
        }
    }
}

/// The sensitivity of one output.
#[derive(Debug, Clone)]
pub struct OutputIndices {
    /// Output name (`hold_10y`, `mean_years_held_10y`).
    pub output: String,
    /// Per parameter, in specification order (empty when some design point has no runs,
    /// as in a shard with no runs).
    pub indices: Vec<Index>,
    /// Rank of each parameter (1 = most influential).
    pub ranks: Vec<usize>,
}

/// What a sensitivity analysis came to.
pub struct SensitivityReport {
    /// The method.
    pub method: Method,
    /// The varied parameters' paths.
    pub parameters: Vec<String>,
    /// Per output.
    pub outputs: Vec<OutputIndices>,
    /// Design points.
    pub points: usize,
}

impl SensitivityRequest {
    /// A request for `spec` by `method`, with the runs and seed of the specification unless
    /// given.
    pub fn new(
        spec: Arc<SensitivitySpec>,
        method: Method,
        runs: Option<u64>,
        seed: Option<u64>,
        shard: Shard,
        out: PathBuf,
    ) -> SensitivityRequest {
        let seed = seed.unwrap_or(spec.common.seed);
        let k = spec.common.factors.len();
        let mut rng = design_rng(seed, DESIGN_STREAM);
        let design = match method {
            Method::Morris => UnitDesign::Morris(morris_design(
                spec.trajectories as usize,
                k,
                spec.levels as usize,
                &mut rng,
            )),
            Method::Sobol => UnitDesign::Sobol(saltelli_design(spec.samples as usize, k, &mut rng)),
        };
        let unit = match &design {
            UnitDesign::Morris(d) => d.points(),
            UnitDesign::Sobol(d) => d.points(),
        };
        let points = unit
            .iter()
            .map(|u| {
                spec.common
                    .factors
                    .iter()
                    .zip(u)
                    .map(|(f, &x)| f.at(x))
                    .collect()
            })
            .collect();
        SensitivityRequest {
            runs: runs.unwrap_or(spec.common.runs),
            seed,
            shard,
            out,
            design,
            points,
            method,
            spec,
        }
    }

    /// One variant per design point.
    pub fn variants(&self) -> Result<Vec<Variant>, String> {
        let sc = &self.spec.common.scenario;
        let mut base = Variant::of(sc);
        disable(sc, &mut base, &self.spec.common.disabled)?;
        Ok(self
            .points
            .iter()
            .map(|p| {
                let mut v = base.clone();
                for (f, &x) in self.spec.common.factors.iter().zip(p) {
                    v.set(f.id, x);
                }
                v
            })
            .collect())
    }

    /// The names of the two outputs.
    pub fn output_names(&self) -> [String; 2] {
        let l = years_label(self.spec.years);
        [format!("hold_{l}"), format!("mean_years_held_{l}")]
    }

    /// The job; `command` is its canonical command line.
    pub fn job(&self, command: String) -> Result<Job, String> {
        let common = &self.spec.common;
        let sc = &common.scenario;
        let variants = self.variants()?;
        super::check_size(self.runs, variants.len())?;
        let mut methods = standard_methods();
        let k = common.factors.len();
        let [hold, mean] = self.output_names();
        methods.insert(
            "sensitivity".to_string(),
            match self.method {
                Method::Morris => format!(
                    "Morris elementary effects: {} random trajectories of {} points on a grid of {} levels of the unit cube (step {} grid steps), mapped linearly onto each parameter's range; effects per full range; mu* with a 95% percentile bootstrap interval over trajectories ({} resamples)",
                    self.spec.trajectories,
                    k + 1,
                    self.spec.levels,
                    self.spec.levels / 2,
                    self.spec.resamples
                ),
                Method::Sobol => format!(
                    "Sobol indices: Saltelli design of {} base rows (A and B from one Latin hypercube, {} design points), mapped linearly onto each parameter's range; first order by Saltelli (2010), total by Jansen (1999); 95% percentile bootstrap intervals over rows ({} resamples)",
                    self.spec.samples,
                    self.points.len(),
                    self.spec.resamples
                ),
            },
        );
        methods.insert(
            "outputs".to_string(),
            format!(
                "{hold}: share of a design point's runs still holding after {y} years; {mean}: mean over its runs of the years the agreement held, each counted up to {y} years (restricted mean time to collapse); run i of every design point uses the same run seed (common random numbers)",
                y = crate::scenario::fmt_num(self.spec.years)
            ),
        );
        let manifest = Manifest {
            truce_version: env!("CARGO_PKG_VERSION").to_string(),
            command,
            job: "sensitivity".to_string(),
            method: Some(self.method.name().to_string()),
            scenario: sc.path.display().to_string(),
            scenario_sha256: sc.sha256.clone(),
            spec: Some(common.path.display().to_string()),
            spec_sha256: Some(common.sha256.clone()),
            seed: self.seed,
            runs: self.runs,
            variants: variants.len() as u64,
            disabled: common.disabled.clone(),
            trace: 0,
            shard: (!self.shard.is_whole()).then_some(self.shard),
            methods,
            files: Default::default(),
        };
        let labels = (0..variants.len()).map(|i| i.to_string()).collect();
        Ok(Job {
            manifest,
            plan: batch::Plan {
                scenario: sc.clone(),
                variants: Arc::new(variants),
                runs: self.runs,
                seed: self.seed,
                shard: self.shard,
                trace: 0,
            },
            columns: RunColumns::new(sc, Some(("design_point".to_string(), labels))),
            trace_variant: None,
            detailed: false,
            out: self.out.clone(),
        })
    }

    /// `sensitivity.csv`, `design.csv` and the report.
    pub fn tables(&self, agg: &Aggregates) -> (Vec<(&'static str, Vec<u8>)>, SensitivityReport) {
        let common = &self.spec.common;
        let sc = &common.scenario;
        let variants = self.variants().unwrap_or_default();
        let summaries: Vec<PointSummary> = agg
            .variants
            .iter()
            .zip(&variants)
            .map(|(v, var)| summarise(sc, v, horizon_days(sc, var)))
            .collect();
        let tau = self.spec.years * DAYS_PER_YEAR;
        let complete = agg.variants.iter().all(|v| v.runs > 0);
        let hold: Vec<f64> = agg
            .variants
            .iter()
            .map(|v| v.hold(self.spec.years).estimate)
            .collect();
        let mean: Vec<f64> = agg
            .variants
            .iter()
            .map(|v| restricted_mean_days(v, tau) / DAYS_PER_YEAR)
            .collect();
        let names = self.output_names();
        let outputs: Vec<OutputIndices> = [hold, mean]
            .iter()
            .zip(names)
            .enumerate()
            .map(|(o, (y, output))| {
                let indices = if complete {
                    self.indices(y, o as u64)
                } else {
                    Vec::new()
                };
                let mut order: Vec<usize> = (0..indices.len()).collect();
                order.sort_by(|&a, &b| {
                    indices[b]
                        .importance()
                        .total_cmp(&indices[a].importance())
                        .then(a.cmp(&b))
                });
                let mut ranks = vec![0; indices.len()];
                for (r, &i) in order.iter().enumerate() {
                    ranks[i] = r + 1;
                }
                OutputIndices {
                    output,
                    indices,
                    ranks,
                }
            })
            .collect();
        let report = SensitivityReport {
            method: self.method,
            parameters: common.factors.iter().map(|f| f.path.clone()).collect(),
            outputs,
            points: self.points.len(),
        };
        let sensitivity = self.sensitivity_table(&report);
        let design = points_table(&common.factors, &self.points, &summaries);
        (
            vec![("sensitivity.csv", sensitivity), ("design.csv", design)],
            report,
        )
    }

    fn indices(&self, y: &[f64], output: u64) -> Vec<Index> {
        let resamples = self.spec.resamples as usize;
        let seed = crate::model::rng::mix64(self.seed ^ BOOTSTRAP_SALT ^ output);
        match &self.design {
            UnitDesign::Morris(d) => morris_effects(d, y, resamples, seed)
                .into_iter()
                .map(|e| Index::Morris {
                    mu: e.mu,
                    mu_star: e.mu_star_ci,
                    sigma: e.sigma,
                })
                .collect(),
            UnitDesign::Sobol(d) => {
                let (y_a, y_b, y_ab) = d.split_outputs(y);
                sobol_indices(y_a, y_b, &y_ab, resamples, seed)
                    .into_iter()
                    .map(|s| Index::Sobol {
                        first: s.first,
                        total: s.total,
                    })
                    .collect()
            }
        }
    }

    fn sensitivity_table(&self, report: &SensitivityReport) -> Vec<u8> {
        let mut header: Vec<String> = [
            "method",
            "output",
            "parameter",
            "unit",
            "low",
            "high",
            "rank",
        ]
        .map(String::from)
        .to_vec();
        header.extend(
            match self.method {
                Method::Morris => &[
                    "mu",
                    "mu_star",
                    "mu_star_lower95",
                    "mu_star_upper95",
                    "sigma",
                ][..],
                Method::Sobol => &[
                    "first",
                    "first_lower95",
                    "first_upper95",
                    "total",
                    "total_lower95",
                    "total_upper95",
                ][..],
            }
            .iter()
            .map(|s| s.to_string()),
        );
        let mut rows = Vec::new();
        for out in &report.outputs {
            for (i, f) in self.spec.common.factors.iter().enumerate() {
                let (lo, hi) = f.bounds();
                let mut row = vec![
                    self.method.name().to_string(),
                    out.output.clone(),
                    f.path.clone(),
                    f.unit.clone(),
                    sig(lo / f.factor),
                    sig(hi / f.factor),
                ];
                match out.indices.get(i) {
                    None => {
                        row.push(String::new());
                        row.extend(std::iter::repeat_n(String::new(), header.len() - 7));
                    }
                    Some(index) => {
                        row.push(out.ranks[i].to_string());
                        match index {
                            Index::Morris { mu, mu_star, sigma } => row.extend([
                                num(*mu, 6),
                                num(mu_star.estimate, 6),
                                num(mu_star.lower, 6),
                                num(mu_star.upper, 6),
                                num(*sigma, 6),
                            ]),
                            Index::Sobol { first, total } => row.extend([
                                num(first.estimate, 6),
                                num(first.lower, 6),
                                num(first.upper, 6),
                                num(total.estimate, 6),
                                num(total.lower, 6),
                                num(total.upper, 6),
                            ]),
                        }
                    }
                }
                rows.push(row);
            }
        }
        csv_bytes(&header, &rows)
    }
}
