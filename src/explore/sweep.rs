//! `truce sweep`: a design of parameter values over a base scenario, each design point run
//! `runs` times with the same run seeds, summarised in `sweep.csv` (one row per design point).
//!
//! A grid takes every combination of the parameters' values; a Latin hypercube or a random
//! design draws `points` points of the unit cube from a stream keyed by the master seed and
//! maps them onto each parameter's range (or list of values). The design depends only on the
//! specification and the seed, so every shard and every resumed run builds the same one.

use super::spec::{Design, SweepSpec};
use super::{PointSummary, design_rng, horizon_days, points_table, summarise};
use crate::batch::{self, Shard};
use crate::engine::Variant;
use crate::output::Job;
use crate::output::aggregate::Aggregates;
use crate::output::manifest::{Manifest, standard_methods};
use crate::output::rows::RunColumns;
use crate::runs::disable;
use crate::stats::design::{grid, latin_hypercube, random_design};
use std::path::PathBuf;
use std::sync::Arc;

/// Separates the sweep's design stream from other designs of the same seed.
const DESIGN_STREAM: u64 = 1;

/// What `truce sweep` was asked for.
pub struct SweepRequest {
    /// The specification.
    pub spec: Arc<SweepSpec>,
    /// Runs per design point.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// The shard to simulate.
    pub shard: Shard,
    /// Result directory.
    pub out: PathBuf,
    /// Each design point's value of each varied parameter (canonical units).
    pub points: Vec<Vec<f64>>,
}

/// The design points of a sweep under `seed`: one row per point, one canonical value per
/// varied parameter.
pub fn design_points(spec: &SweepSpec, seed: u64) -> Vec<Vec<f64>> {
    let factors = &spec.common.factors;
    match spec.design {
        Design::Grid => {
            let values: Vec<Vec<f64>> = factors.iter().map(|f| f.grid_values()).collect();
            let levels: Vec<usize> = values.iter().map(Vec::len).collect();
            grid(&levels)
                .into_iter()
                .map(|idx| idx.iter().zip(&values).map(|(&i, v)| v[i]).collect())
                .collect()
        }
        Design::LatinHypercube | Design::Random => {
            let n = spec.points.unwrap_or(0) as usize;
            let mut rng = design_rng(seed, DESIGN_STREAM);
            let unit = if spec.design == Design::LatinHypercube {
                latin_hypercube(n, factors.len(), &mut rng)
            } else {
                random_design(n, factors.len(), &mut rng)
            };
            unit.into_iter()
                .map(|u| factors.iter().zip(&u).map(|(f, &x)| f.at(x)).collect())
                .collect()
        }
    }
}

/// What a sweep came to.
pub struct SweepReport {
    /// The varied parameters' paths.
    pub parameters: Vec<String>,
    /// Each design point's values, in the units the scenario writes them in.
    pub values: Vec<Vec<f64>>,
    /// Each design point's summary.
    pub points: Vec<PointSummary>,
}

impl SweepRequest {
    /// A request for `spec`, with the runs and seed of the specification unless given.
    pub fn new(
        spec: Arc<SweepSpec>,
        runs: Option<u64>,
        seed: Option<u64>,
        shard: Shard,
        out: PathBuf,
    ) -> SweepRequest {
        let seed = seed.unwrap_or(spec.common.seed);
        let points = design_points(&spec, seed);
        SweepRequest {
            runs: runs.unwrap_or(spec.common.runs),
            seed,
            shard,
            out,
            points,
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

    /// The job; `command` is its canonical command line.
    pub fn job(&self, command: String) -> Result<Job, String> {
        let common = &self.spec.common;
        let sc = &common.scenario;
        let variants = self.variants()?;
        super::check_size(self.runs, variants.len())?;
        let mut methods = standard_methods();
        methods.insert(
            "design".to_string(),
            match self.spec.design {
                Design::Grid => "grid: every combination of the parameters' values".to_string(),
                d => format!(
                    "{}: {} points of the unit cube drawn from a ChaCha8 stream keyed by the master seed, mapped linearly onto each parameter's range (or uniformly onto its list of values)",
                    d.name(),
                    self.points.len()
                ),
            },
        );
        methods.insert(
            "common random numbers".to_string(),
            "run i of every design point uses the same run seed, so differences between design points are not noise between seeds".to_string(),
        );
        methods.insert(
            "mean_years_held".to_string(),
            "restricted mean time to collapse: the mean over runs of the years the agreement held, counting runs that held to the horizon at the horizon".to_string(),
        );
        let manifest = Manifest {
            truce_version: env!("CARGO_PKG_VERSION").to_string(),
            command,
            job: "sweep".to_string(),
            method: None,
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

    /// `sweep.csv` and the report.
    pub fn tables(&self, agg: &Aggregates) -> (Vec<(&'static str, Vec<u8>)>, SweepReport) {
        let common = &self.spec.common;
        let sc = &common.scenario;
        let variants = self.variants().unwrap_or_default();
        let summaries: Vec<PointSummary> = agg
            .variants
            .iter()
            .zip(&variants)
            .map(|(v, var)| summarise(sc, v, horizon_days(sc, var)))
            .collect();
        let table = points_table(&common.factors, &self.points, &summaries);
        let report = SweepReport {
            parameters: common.factors.iter().map(|f| f.path.clone()).collect(),
            values: self
                .points
                .iter()
                .map(|p| {
                    p.iter()
                        .zip(&common.factors)
                        .map(|(x, f)| x / f.factor)
                        .collect()
                })
                .collect(),
            points: summaries,
        };
        (vec![("sweep.csv", table)], report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::spec::{Common, Domain, Factor};
    use crate::scenario::ParamId;

    fn spec(design: Design, points: Option<u64>, factors: Vec<Factor>) -> SweepSpec {
        SweepSpec {
            common: Common {
                path: "s.toml".into(),
                sha256: String::new(),
                scenario: crate::testing::plan(),
                runs: 3,
                seed: 1,
                disabled: Vec::new(),
                factors,
            },
            design,
            points,
        }
    }

    fn factor(domain: Domain) -> Factor {
        Factor {
            path: "x".into(),
            id: ParamId(0),
            unit: "u".into(),
            factor: 1.0,
            domain,
        }
    }

    #[test]
    fn a_grid_takes_every_combination() {
        let s = spec(
            Design::Grid,
            None,
            vec![
                factor(Domain::Values(vec![1.0, 2.0])),
                factor(Domain::Range {
                    low: 0.0,
                    high: 1.0,
                    levels: Some(3),
                }),
            ],
        );
        let p = design_points(&s, 1);
        assert_eq!(
            p,
            vec![
                vec![1.0, 0.0],
                vec![1.0, 0.5],
                vec![1.0, 1.0],
                vec![2.0, 0.0],
                vec![2.0, 0.5],
                vec![2.0, 1.0]
            ]
        );
    }

    #[test]
    fn sampled_designs_stay_in_range_and_depend_only_on_the_seed() {
        let range = Domain::Range {
            low: 10.0,
            high: 20.0,
            levels: None,
        };
        for design in [Design::LatinHypercube, Design::Random] {
            let s = spec(
                design,
                Some(50),
                vec![factor(range.clone()), factor(range.clone())],
            );
            let a = design_points(&s, 7);
            assert_eq!(a.len(), 50);
            assert!(a.iter().flatten().all(|x| (10.0..20.0).contains(x)));
            assert_eq!(a, design_points(&s, 7));
            assert_ne!(a, design_points(&s, 8));
        }
        // A Latin hypercube puts one point in each of the 50 bins of each parameter.
        let s = spec(Design::LatinHypercube, Some(50), vec![factor(range)]);
        let mut bins: Vec<usize> = design_points(&s, 3)
            .iter()
            .map(|p| ((p[0] - 10.0) / 10.0 * 50.0) as usize)
            .collect();
        bins.sort_unstable();
        assert_eq!(bins, (0..50).collect::<Vec<_>>());
    }
}
