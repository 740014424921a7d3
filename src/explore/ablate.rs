//! `truce ablate`: the scenario with each provision switched off in turn, against the full
//! plan, with common random numbers; `ablation.csv` has one row per point of the agreement.
//!
//! Variant 0 is the full plan; variant `i` (1-based) switches off the `i`-th point in point
//! order. All variants of one run index use the same run seed, so each run without a provision
//! is paired with the same run of the full plan, and the difference in hold probability gets a
//! paired interval (Newcombe's method 10) from the paired counts the aggregates keep.

use super::{PointSummary, horizon_days, restricted_mean_days, summarise, years_label};
use crate::batch::{self, Shard};
use crate::engine::Variant;
use crate::output::aggregate::{Aggregates, REPORT_YEARS};
use crate::output::manifest::{Manifest, standard_methods};
use crate::output::rows::{RunColumns, num};
use crate::output::{Job, csv_bytes};
use crate::runs::disable;
use crate::scenario::{DAYS_PER_YEAR, Scenario};
use crate::stats::{self, Interval};
use std::path::PathBuf;
use std::sync::Arc;

/// The report horizons (years) of `ablation.csv`.
pub const ABLATION_YEARS: [f64; 2] = [5.0, 10.0];

/// What `truce ablate` was asked for.
#[derive(Debug, Clone)]
pub struct AblateRequest {
    /// The scenario.
    pub scenario: Arc<Scenario>,
    /// Runs per variant.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// The shard to simulate.
    pub shard: Shard,
    /// Result directory.
    pub out: PathBuf,
}

/// One point of the agreement, switched off.
#[derive(Debug, Clone)]
pub struct AblationRow {
    /// Its point number.
    pub point: u32,
    /// Its mechanism.
    pub kind: &'static str,
    /// Its title.
    pub title: String,
    /// What the plan without it came to.
    pub without: PointSummary,
    /// Hold probability without it minus with it, at each of [`REPORT_YEARS`], with a paired
    /// 95% interval; `None` beyond the horizon.
    pub difference: Vec<Option<Interval>>,
    /// Change in median time to collapse (years), when both medians were reached.
    pub median_change_years: Option<f64>,
    /// Change in the restricted mean time to collapse (years).
    pub mean_years_change: f64,
    /// 1 for the point whose removal lowers the hold probability most.
    pub rank: usize,
}

/// What an ablation came to.
pub struct AblationReport {
    /// The full plan.
    pub full: PointSummary,
    /// One row per point, in point order.
    pub rows: Vec<AblationRow>,
    /// The horizon (years) the ranking is by; `None` when the horizon is shorter than a year
    /// and the ranking is by the restricted mean time to collapse.
    pub rank_years: Option<f64>,
}

impl AblationReport {
    /// Rows in rank order.
    pub fn ranked(&self) -> Vec<&AblationRow> {
        let mut v: Vec<&AblationRow> = self.rows.iter().collect();
        v.sort_by_key(|r| r.rank);
        v
    }

    /// Index in [`REPORT_YEARS`] of the ranking horizon.
    pub fn rank_index(&self) -> Option<usize> {
        self.rank_years
            .and_then(|y| REPORT_YEARS.iter().position(|&r| r == y))
    }
}

impl AblateRequest {
    /// The scenario's points, in order.
    pub fn points(&self) -> Vec<u32> {
        let mut p: Vec<u32> = self.scenario.provisions.iter().map(|p| p.point).collect();
        p.sort_unstable();
        p
    }

    /// The full plan, then one variant per point with that point switched off.
    pub fn variants(&self) -> Result<Vec<Variant>, String> {
        let sc = &self.scenario;
        let full = Variant::of(sc);
        let mut out = vec![full.clone()];
        for p in self.points() {
            let mut v = full.clone();
            disable(sc, &mut v, &[p])?;
            out.push(v);
        }
        Ok(out)
    }

    /// The job; `command` is its canonical command line.
    pub fn job(&self, command: String) -> Result<Job, String> {
        let sc = &self.scenario;
        if sc.provisions.is_empty() {
            return Err(format!(
                "{} has no provisions to switch off",
                sc.path.display()
            ));
        }
        let variants = self.variants()?;
        super::check_size(self.runs, variants.len())?;
        let mut methods = standard_methods();
        methods.insert(
            "ablation".to_string(),
            "variant 0 is the full plan; each other variant switches off one point; run i of every variant uses the same run seed (common random numbers), and differences in hold probability are paired".to_string(),
        );
        methods.insert(
            "mean_years_held".to_string(),
            "restricted mean time to collapse: the mean over runs of the years the agreement held, counting runs that held to the horizon at the horizon".to_string(),
        );
        let manifest = Manifest {
            truce_version: env!("CARGO_PKG_VERSION").to_string(),
            command,
            job: "ablate".to_string(),
            method: None,
            scenario: sc.path.display().to_string(),
            scenario_sha256: sc.sha256.clone(),
            spec: None,
            spec_sha256: None,
            seed: self.seed,
            runs: self.runs,
            variants: variants.len() as u64,
            disabled: Vec::new(),
            trace: 0,
            shard: (!self.shard.is_whole()).then_some(self.shard),
            methods,
            files: Default::default(),
        };
        let labels = std::iter::once(String::new())
            .chain(self.points().iter().map(|p| p.to_string()))
            .collect();
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
            columns: RunColumns::new(sc, Some(("disabled_point".to_string(), labels))),
            trace_variant: None,
            detailed: false,
            out: self.out.clone(),
        })
    }

    /// `ablation.csv` and the report.
    pub fn tables(&self, agg: &Aggregates) -> (Vec<(&'static str, Vec<u8>)>, AblationReport) {
        let report = self.report(agg);
        let mut header: Vec<String> = ["point", "kind", "title", "rank"]
            .map(String::from)
            .to_vec();
        let year_index: Vec<usize> = ABLATION_YEARS
            .iter()
            .map(|y| {
                REPORT_YEARS
                    .iter()
                    .position(|r| r == y)
                    .expect("ablation horizons are report horizons")
            })
            .collect();
        for &y in &ABLATION_YEARS {
            let l = years_label(y);
            header.extend([
                format!("hold_{l}_without"),
                format!("hold_{l}_without_lower95"),
                format!("hold_{l}_without_upper95"),
            ]);
        }
        for &y in &ABLATION_YEARS {
            let l = years_label(y);
            header.extend([
                format!("difference_{l}"),
                format!("difference_{l}_lower95"),
                format!("difference_{l}_upper95"),
            ]);
        }
        header.extend(
            [
                "median_collapse_years_without",
                "median_collapse_change_years",
                "mean_years_held_without",
                "mean_years_held_change",
                "leading_cause_without",
            ]
            .map(String::from),
        );
        let cells = |i: Option<Interval>| match i {
            Some(i) => [num(i.estimate, 6), num(i.lower, 6), num(i.upper, 6)],
            None => Default::default(),
        };
        let rows: Vec<Vec<String>> = report
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![
                    r.point.to_string(),
                    r.kind.to_string(),
                    r.title.clone(),
                    r.rank.to_string(),
                ];
                for &i in &year_index {
                    row.extend(cells(r.without.hold[i]));
                }
                for &i in &year_index {
                    row.extend(cells(r.difference[i]));
                }
                row.push(
                    r.without
                        .median_collapse_years
                        .map(|y| num(y, 4))
                        .unwrap_or_default(),
                );
                row.push(r.median_change_years.map(|y| num(y, 4)).unwrap_or_default());
                row.push(num(r.without.mean_years_held, 4));
                row.push(num(r.mean_years_change, 4));
                row.push(r.without.leading_cause.clone().unwrap_or_default());
                row
            })
            .collect();
        (vec![("ablation.csv", csv_bytes(&header, &rows))], report)
    }

    fn report(&self, agg: &Aggregates) -> AblationReport {
        let sc = &self.scenario;
        let horizon = horizon_days(sc, &Variant::of(sc));
        let full_stats = &agg.variants[0];
        let full = summarise(sc, full_stats, horizon);
        let full_mean = restricted_mean_days(full_stats, horizon) / DAYS_PER_YEAR;
        let mut rows: Vec<AblationRow> = self
            .points()
            .iter()
            .enumerate()
            .map(|(i, &point)| {
                let v = &agg.variants[i + 1];
                let without = summarise(sc, v, horizon);
                let info = sc.provision_at(point).expect("the scenario's own point");
                let difference = REPORT_YEARS
                    .iter()
                    .enumerate()
                    .map(|(k, &y)| {
                        (y * DAYS_PER_YEAR <= horizon + 1e-9).then(|| {
                            let [both, only_base, only_variant, neither] = v.paired[k];
                            stats::paired_difference(both, only_base, only_variant, neither)
                        })
                    })
                    .collect();
                let median_change_years =
                    match (without.median_collapse_years, full.median_collapse_years) {
                        (Some(a), Some(b)) => Some(a - b),
                        _ => None,
                    };
                AblationRow {
                    point,
                    kind: info.kind.info().name,
                    title: info.title.clone(),
                    mean_years_change: without.mean_years_held - full_mean,
                    without,
                    difference,
                    median_change_years,
                    rank: 0,
                }
            })
            .collect();
        let rank_years = REPORT_YEARS
            .iter()
            .rev()
            .copied()
            .find(|&y| y * DAYS_PER_YEAR <= horizon + 1e-9);
        let rank_index = rank_years.and_then(|y| REPORT_YEARS.iter().position(|&r| r == y));
        let key = |r: &AblationRow| match rank_index {
            Some(k) => r.difference[k].map_or(f64::NAN, |d| d.estimate),
            None => r.mean_years_change,
        };
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|&a, &b| {
            key(&rows[a])
                .total_cmp(&key(&rows[b]))
                .then(rows[a].point.cmp(&rows[b].point))
        });
        for (rank, &i) in order.iter().enumerate() {
            rows[i].rank = rank + 1;
        }
        AblationReport {
            full,
            rows,
            rank_years,
        }
    }
}
