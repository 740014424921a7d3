//! Streaming aggregates of run records: survival, causes, per-provision statistics and paired
//! comparisons between variants.
//!
//! Everything is kept as integer counts (implementation levels are counted in steps of 1e-4),
//! so aggregates of shards add up exactly to the aggregates of the whole job, whatever the
//! order of addition: merged outputs are byte-identical to one machine's. The state is small
//! and independent of the number of runs (histograms are by day up to the horizon), and it is
//! serialised in checkpoints and in `aggregates.json` for `truce merge`.

use super::rows::cause_index;
use crate::engine::RunRecord;
use crate::model::KINDS;
use crate::scenario::DAYS_PER_YEAR;
use crate::stats::{self, Interval};
use serde::{Deserialize, Serialize};

/// Horizons (years) at which hold probabilities are reported and variants are paired.
pub const REPORT_YEARS: [f64; 4] = [1.0, 2.0, 5.0, 10.0];

/// Resolution of implementation sums (levels are counted in steps of 1/`IMPL_SCALE`).
const IMPL_SCALE: f64 = 10_000.0;

/// Counts for one variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantStats {
    /// Runs seen.
    pub runs: u64,
    /// Runs that held to the horizon.
    pub held: u64,
    /// Collapses by day (index = day rounded up).
    pub collapses: Vec<u64>,
    /// Collapses by cause (in the order of `rows::causes`).
    pub cause_counts: [u64; 4],
    /// Collapses by cause and day, for detailed results (a plain run's variant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause_collapses: Option<Vec<Vec<u64>>>,
    /// Paired with variant 0 at each report horizon: [both hold, only variant 0 holds, only
    /// this variant holds, neither].
    pub paired: Vec<[u64; 4]>,
}

impl VariantStats {
    fn new(days: usize, detailed: bool) -> Self {
        VariantStats {
            runs: 0,
            held: 0,
            collapses: vec![0; days + 1],
            cause_counts: [0; 4],
            cause_collapses: detailed.then(|| vec![vec![0; days + 1]; 4]),
            paired: vec![[0; 4]; REPORT_YEARS.len()],
        }
    }

    fn add(&mut self, o: &VariantStats) {
        self.runs += o.runs;
        self.held += o.held;
        add_vec(&mut self.collapses, &o.collapses);
        for i in 0..4 {
            self.cause_counts[i] += o.cause_counts[i];
        }
        if let (Some(a), Some(b)) = (&mut self.cause_collapses, &o.cause_collapses) {
            for (x, y) in a.iter_mut().zip(b) {
                add_vec(x, y);
            }
        }
        for (a, b) in self.paired.iter_mut().zip(&o.paired) {
            for i in 0..4 {
                a[i] += b[i];
            }
        }
    }

    /// Runs still holding after `day` (collapse strictly later, or held).
    pub fn surviving(&self, day: f64) -> u64 {
        let idx = (day.floor().max(0.0) as usize).min(self.collapses.len() - 1);
        let collapsed: u64 = self.collapses[..=idx].iter().sum();
        self.runs - collapsed
    }

    /// Share of runs holding after `years`, with its 95% interval.
    pub fn hold(&self, years: f64) -> Interval {
        stats::wilson(self.surviving(years * DAYS_PER_YEAR), self.runs)
    }

    /// Median day of collapse, when more than half the runs collapsed.
    pub fn median_collapse_day(&self) -> Option<usize> {
        if self.runs == 0 || (self.runs - self.held) * 2 < self.runs {
            return None;
        }
        let mut all = self.collapses.clone();
        // Held runs lie beyond the horizon: count them past the end so the median is right.
        all.push(self.held);
        stats::quantile_from_counts(&all, 0.5).filter(|&d| d < self.collapses.len())
    }

    /// Runs that collapsed for cause `i` (in the order of `rows::causes`).
    pub fn cause_count(&self, i: usize) -> u64 {
        self.cause_counts[i]
    }

    /// The cause with most collapses, if any collapsed.
    pub fn leading_cause(&self) -> Option<usize> {
        (0..4)
            .map(|i| (self.cause_count(i), std::cmp::Reverse(i)))
            .max()
            .filter(|(n, _)| *n > 0)
            .map(|(_, std::cmp::Reverse(i))| i)
    }
}

/// Per-provision statistics of one kind (for the first variant).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindStats {
    /// Runs in which the provision was in force and its implementation was measured.
    pub measured: u64,
    /// Sum of implementation levels, in steps of 1e-4.
    pub impl_sum: u64,
    /// Sum of squared implementation levels, in steps of 1e-8.
    pub impl_sumsq: u64,
    /// Violations committed, by side.
    pub committed: [u64; 2],
    /// Runs with at least one committed violation, by side.
    pub violating_runs: [u64; 2],
    /// Violations attributed by monitors, by side.
    pub attributed: [u64; 2],
    /// Day of the first violation, by side (index = day rounded up).
    pub first_violation: [Vec<u64>; 2],
}

impl KindStats {
    fn new(days: usize) -> Self {
        KindStats {
            measured: 0,
            impl_sum: 0,
            impl_sumsq: 0,
            committed: [0; 2],
            violating_runs: [0; 2],
            attributed: [0; 2],
            first_violation: [vec![0; days + 1], vec![0; days + 1]],
        }
    }

    fn add(&mut self, o: &KindStats) {
        self.measured += o.measured;
        self.impl_sum += o.impl_sum;
        self.impl_sumsq += o.impl_sumsq;
        for s in 0..2 {
            self.committed[s] += o.committed[s];
            self.violating_runs[s] += o.violating_runs[s];
            self.attributed[s] += o.attributed[s];
            add_vec(&mut self.first_violation[s], &o.first_violation[s]);
        }
    }

    /// Mean implementation with a 95% interval.
    pub fn implementation(&self) -> Interval {
        let n = self.measured as f64;
        if self.measured == 0 {
            return Interval {
                estimate: f64::NAN,
                lower: f64::NAN,
                upper: f64::NAN,
            };
        }
        let mean = self.impl_sum as f64 / IMPL_SCALE / n;
        let meansq = self.impl_sumsq as f64 / (IMPL_SCALE * IMPL_SCALE) / n;
        let var = if self.measured > 1 {
            ((meansq - mean * mean) * n / (n - 1.0)).max(0.0)
        } else {
            0.0
        };
        let half = stats::Z95 * (var / n).sqrt();
        Interval {
            estimate: mean,
            lower: (mean - half).max(0.0),
            upper: (mean + half).min(1.0),
        }
    }
}

/// All aggregates of a job (or of one shard of it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregates {
    /// Horizon in whole days (histograms have this many plus one bins).
    pub horizon_days: usize,
    /// Per variant.
    pub variants: Vec<VariantStats>,
    /// Per kind of provision, for variant 0, when requested.
    pub kinds: Option<Vec<KindStats>>,
    /// Variant 0's outcome of the run being paired: (run index, end day, held).
    pub pairing: Option<(u64, f64, bool)>,
}

impl Aggregates {
    /// Empty aggregates for `variants` variants up to `horizon_days`; `detailed` adds, for
    /// variant 0, collapses by cause and day and the per-provision statistics.
    pub fn new(horizon_days: f64, variants: usize, detailed: bool) -> Aggregates {
        let days = horizon_days.ceil().max(0.0) as usize;
        Aggregates {
            horizon_days: days,
            variants: (0..variants)
                .map(|i| VariantStats::new(days, detailed && i == 0))
                .collect(),
            kinds: detailed.then(|| (0..KINDS).map(|_| KindStats::new(days)).collect()),
            pairing: None,
        }
    }

    fn day_index(&self, day: f64) -> usize {
        (day.ceil().max(0.0) as usize).min(self.horizon_days)
    }

    /// Adds one run's record. Records must come in task order (run-major), so that variant 0
    /// of a run is seen before the other variants of the same run.
    pub fn record(&mut self, r: &RunRecord) {
        let idx = self.day_index(r.end_day);
        let v = &mut self.variants[r.variant as usize];
        v.runs += 1;
        if r.held {
            v.held += 1;
        } else {
            v.collapses[idx] += 1;
            if let Some(c) = r.cause {
                let i = cause_index(c);
                v.cause_counts[i] += 1;
                if let Some(cc) = &mut v.cause_collapses {
                    cc[i][idx] += 1;
                }
            }
        }
        if r.variant == 0 {
            self.pairing = Some((r.run, r.end_day, r.held));
        }
        if let Some((run, base_end, base_held)) = self.pairing
            && run == r.run
        {
            for (i, years) in REPORT_YEARS.iter().enumerate() {
                let d = years * DAYS_PER_YEAR;
                let a = base_held || base_end > d;
                let b = r.held || r.end_day > d;
                let cell = match (a, b) {
                    (true, true) => 0,
                    (true, false) => 1,
                    (false, true) => 2,
                    (false, false) => 3,
                };
                v.paired[i][cell] += 1;
            }
        }
        if r.variant != 0 {
            return;
        }
        let horizon = self.horizon_days;
        if let Some(kinds) = &mut self.kinds {
            for (k, ks) in kinds.iter_mut().enumerate() {
                let level = r.implementation[k];
                if !level.is_nan() {
                    let q = (f64::from(level) * IMPL_SCALE).round() as u64;
                    ks.measured += 1;
                    ks.impl_sum += q;
                    ks.impl_sumsq += q * q;
                }
                for s in 0..2 {
                    let c = u64::from(r.committed[s][k]);
                    ks.committed[s] += c;
                    ks.attributed[s] += u64::from(r.attributed[s][k]);
                    if c > 0 {
                        ks.violating_runs[s] += 1;
                    }
                    let first = r.first_violation[s][k];
                    if first >= 0.0 {
                        let i = (f64::from(first).ceil() as usize).min(horizon);
                        ks.first_violation[s][i] += 1;
                    }
                }
            }
        }
    }

    /// Adds another job's (or shard's) aggregates.
    pub fn merge(&mut self, o: &Aggregates) -> Result<(), String> {
        if self.horizon_days != o.horizon_days || self.variants.len() != o.variants.len() {
            return Err("aggregates of different shapes".to_string());
        }
        for (a, b) in self.variants.iter_mut().zip(&o.variants) {
            a.add(b);
        }
        match (&mut self.kinds, &o.kinds) {
            (Some(a), Some(b)) => {
                for (x, y) in a.iter_mut().zip(b) {
                    x.add(y);
                }
            }
            (None, None) => {}
            _ => return Err("aggregates of different shapes".to_string()),
        }
        self.pairing = None;
        Ok(())
    }
}

fn add_vec(a: &mut [u64], b: &[u64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cause;

    fn rec(task: u64, run: u64, variant: u32, end: f64, held: bool) -> RunRecord {
        RunRecord {
            task,
            run,
            variant,
            seed: 0,
            held,
            end_day: end,
            cause: (!held).then_some(Cause::Escalation),
            ceasefire_day: None,
            incidents: [0; 2],
            detected: 0,
            misattributed: 0,
            sanctions_imposed: 0,
            committed: [[0; KINDS]; 2],
            attributed: [[0; KINDS]; 2],
            first_violation: [[-1.0; KINDS]; 2],
            implementation: [f32::NAN; KINDS],
            personnel: [0.0; 2],
            trust: [0.0; 2],
            hostility: [0.0; 2],
            net_utility: [0.0; 2],
            sanctions_phases: 0,
            guarantee_valid: true,
            guarantee_void_day: None,
            guarantee_void_cause: None,
            election: 0,
            exchanges: 0,
            invested: 0.0,
            paid_out: 0.0,
            plant_twh: 0.0,
            drawn: Vec::new(),
            trace: Vec::new(),
        }
    }

    #[test]
    fn survival_counts_collapses_strictly_before() {
        let mut a = Aggregates::new(3650.0, 1, false);
        a.record(&rec(0, 0, 0, 365.0, false));
        a.record(&rec(1, 1, 0, 700.0, false));
        a.record(&rec(2, 2, 0, 3650.0, true));
        a.record(&rec(3, 3, 0, 3650.0, true));
        let v = &a.variants[0];
        assert_eq!(v.surviving(364.0), 4);
        assert_eq!(v.surviving(365.0), 3);
        assert_eq!(v.surviving(3650.0), 2);
        assert_eq!(v.hold(1.0).estimate, 0.75);
        // Half the runs collapsed by day 700: the median is reached there.
        assert_eq!(v.median_collapse_day(), Some(700));
        assert_eq!(v.leading_cause(), Some(2));
    }

    #[test]
    fn median_is_reached_only_when_half_the_runs_collapse() {
        let mut a = Aggregates::new(100.0, 1, false);
        for (i, d) in [10.0, 20.0, 30.0].iter().enumerate() {
            a.record(&rec(i as u64, i as u64, 0, *d, false));
        }
        a.record(&rec(3, 3, 0, 100.0, true));
        assert_eq!(a.variants[0].median_collapse_day(), Some(20));
        let mut b = Aggregates::new(100.0, 1, false);
        b.record(&rec(0, 0, 0, 10.0, false));
        b.record(&rec(1, 1, 0, 100.0, true));
        b.record(&rec(2, 2, 0, 100.0, true));
        assert_eq!(b.variants[0].median_collapse_day(), None);
    }

    #[test]
    fn pairs_variants_by_run_and_merges_exactly() {
        let mut whole = Aggregates::new(3650.0, 2, true);
        let mut parts = [
            Aggregates::new(3650.0, 2, true),
            Aggregates::new(3650.0, 2, true),
        ];
        let records = [
            rec(0, 0, 0, 3650.0, true),
            rec(1, 0, 1, 500.0, false),
            rec(2, 1, 0, 200.0, false),
            rec(3, 1, 1, 3650.0, true),
        ];
        for (i, r) in records.iter().enumerate() {
            whole.record(r);
            parts[i / 2].record(r);
        }
        // At 1 year: run 0 holds in both; run 1 holds only in variant 1.
        assert_eq!(whole.variants[1].paired[0], [1, 0, 1, 0]);
        // At 2 years: run 0 holds only in variant 0.
        assert_eq!(whole.variants[1].paired[1], [0, 1, 1, 0]);
        let [mut a, b] = parts;
        a.merge(&b).unwrap();
        a.pairing = None;
        whole.pairing = None;
        assert_eq!(a, whole);
    }
}
