//! Statistical tests of switching points off (issue 3): for every point, `--disable P` changes
//! the results of a seeded run set; where a point's mechanism implies a direction, a paired
//! comparison pins it.
//!
//! Every comparison drives [`Engine`] directly with common random numbers: the runs of the
//! full plan and of the plan without point P share their run index, so they draw the same
//! random numbers until the switched-off mechanism makes their paths differ. The paired
//! difference of a run's outcome then carries little noise, and a fixed master seed makes each
//! test deterministic: it cannot flake. What remains is to choose margins that a legitimate
//! change of the model (which redraws some paths, like a fresh sample) would not cross, while
//! a reversal of the mechanism would: each comparison states the effect size and standard
//! error observed with this seed, and asserts a z statistic well inside the observed one.
//!
//! The statistic of stability is the paired difference in the restricted mean time to
//! collapse: a run's end day (its day of collapse, or the 10-year horizon when it held),
//! averaged over runs. It moves whenever a hazard moves, so it resolves smaller effects than
//! the share holding at 10 years, which is quoted beside it.

use crate::engine::{Engine, RunRecord, Task, Variant};
use crate::model::Cause;
use crate::provisions::kind::Kind;
use crate::testing::{plan, set};
use std::sync::{Arc, OnceLock};

/// The master seed of every comparison in this file.
const SEED: u64 = 2024;

/// Runs per variant in the 10-year comparisons.
const RUNS: u64 = 1000;

/// Simulates runs `0..runs` of every variant under `seed`; returns the records by variant,
/// each in run order. The variants are shared out over two threads; a record does not depend
/// on which engine, slot or thread simulated it.
fn simulate(variants: &[Variant], seed: u64, runs: u64) -> Vec<Vec<RunRecord>> {
    let scenario = plan();
    let half = variants.len().div_ceil(2);
    let simulate_part = |part: &[Variant]| -> Vec<Vec<RunRecord>> {
        let n = part.len();
        let mut engine = Engine::new(scenario.clone(), Arc::new(part.to_vec()), seed, 64, 0);
        let tasks = (0..runs * n as u64).map(|i| Task {
            index: i,
            run: i / n as u64,
            variant: (i % n as u64) as u32,
        });
        let mut out: Vec<Vec<Option<RunRecord>>> = vec![vec![None; runs as usize]; n];
        engine.run_tasks(tasks, |r| {
            let (v, run) = (r.variant as usize, r.run as usize);
            out[v][run] = Some(r);
        });
        out.into_iter()
            .map(|v| v.into_iter().map(|r| r.expect("every run ends")).collect())
            .collect()
    };
    std::thread::scope(|s| {
        let (a, b) = variants.split_at(half);
        let second = s.spawn(|| simulate_part(b));
        let mut all = simulate_part(a);
        all.extend(second.join().expect("the second half simulates"));
        all
    })
}

/// The full plan and the plan without each point, over the default 10-year horizon.
struct Ablation {
    /// Runs of the full plan.
    base: Vec<RunRecord>,
    /// Runs without point P, at index P - 1.
    off: Vec<Vec<RunRecord>>,
}

impl Ablation {
    fn without(&self, point: u32) -> &[RunRecord] {
        &self.off[point as usize - 1]
    }
}

/// The variant of the shipped plan without `point`.
fn without(point: u32) -> Variant {
    let sc = plan();
    let mut v = Variant::of(&sc);
    let info = sc.provision_at(point).expect("the plan has 28 points");
    v.enabled.remove(info.kind);
    v
}

/// Computed once for the whole file (29,000 runs, the bulk of its run time).
fn ten_years() -> &'static Ablation {
    static SET: OnceLock<Ablation> = OnceLock::new();
    SET.get_or_init(|| {
        let mut variants = vec![Variant::of(&plan())];
        variants.extend((1..=28).map(without));
        let mut all = simulate(&variants, SEED, RUNS);
        let off = all.split_off(1);
        Ablation {
            base: all.pop().expect("the base variant"),
            off,
        }
    })
}

/// Mean and standard error of the mean.
fn mean_se(d: &[f64]) -> (f64, f64) {
    let n = d.len() as f64;
    assert!(n >= 2.0, "too few pairs");
    let m = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, (var / n).sqrt())
}

/// A paired comparison: mean of `f(base) - f(off)` over the pairs `keep` admits, its standard
/// error and z.
struct Paired {
    mean: f64,
    se: f64,
    n: usize,
}

impl Paired {
    fn of(
        base: &[RunRecord],
        off: &[RunRecord],
        keep: impl Fn(&RunRecord, &RunRecord) -> bool,
        f: impl Fn(&RunRecord) -> f64,
    ) -> Paired {
        let d: Vec<f64> = base
            .iter()
            .zip(off)
            .filter(|(a, b)| keep(a, b))
            .map(|(a, b)| f(a) - f(b))
            .collect();
        let (mean, se) = mean_se(&d);
        Paired {
            mean,
            se,
            n: d.len(),
        }
    }

    fn z(&self) -> f64 {
        self.mean / self.se
    }
}

impl std::fmt::Display for Paired {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:+.4} (se {:.4}, z {:+.1}, {} pairs)",
            self.mean,
            self.se,
            self.z(),
            self.n
        )
    }
}

fn all_pairs(_: &RunRecord, _: &RunRecord) -> bool {
    true
}

fn end_day(r: &RunRecord) -> f64 {
    r.end_day
}

fn held(r: &RunRecord) -> f64 {
    f64::from(u8::from(r.held))
}

/// The paired difference in mean time to collapse (days) between the full plan and the plan
/// without `point`: positive when the point makes the agreement last longer.
fn time_gained(point: u32) -> Paired {
    let a = ten_years();
    Paired::of(&a.base, a.without(point), all_pairs, end_day)
}

#[test]
fn disabling_any_point_changes_the_outcome_of_some_runs() {
    // Observed with this seed: from 40 (point 12) to 454 (point 28) of the 1,000 runs change
    // their outcome, day of collapse or cause.
    let a = ten_years();
    let unchanged: Vec<u32> = (1..=28)
        .filter(|&p| {
            !a.base
                .iter()
                .zip(a.without(p))
                .any(|(x, y)| (x.held, x.end_day, x.cause) != (y.held, y.end_day, y.cause))
        })
        .collect();
    assert!(
        unchanged.is_empty(),
        "switching off these points changes no run's outcome: {unchanged:?}"
    );
}

/// Points whose mechanism, as implemented, only pushes one way: each adds a cost of attacking,
/// a stake lost by attacking, deterrence, or takes away a grievance, a threat or a chance of
/// escalation, and (but for point 10's strikes, below) none adds an incident or a concession.
/// Without them the agreement must not last longer. Each entry gives the z that the paired
/// difference in mean time to collapse must exceed. Observed with this seed over 1,000 pairs (difference in days, its standard error,
/// and the difference in the share holding at 10 years):
///
/// | point | mechanism                              | days   | se   | z    | held at 10 y |
/// |-------|----------------------------------------|--------|------|------|--------------|
/// | 1     | audience cost of attacking Ukraine     | +31.1  | 3.8  | 8.2  | +0.014       |
/// | 2     | audience costs, both threats lowered   | +46.6  | 13.0 | 3.6  | +0.023       |
/// | 3     | grievance and threat removed           | +59.0  | 6.4  | 9.2  | +0.030       |
/// | 4     | escalations prevented, threat lowered  | +65.3  | 12.4 | 5.3  | +0.027       |
/// | 5     | expected response to an attack         | +615.5 | 31.6 | 19.5 | +0.244       |
/// | 9     | defensive air power and credibility    | +28.1  | 3.5  | 8.0  | +0.012       |
/// | 10    | compensation, snapback of all stakes   | +216.5 | 27.3 | 7.9  | +0.109       |
/// | 11    | Ukraine's stake in EU access           | +23.0  | 5.5  | 4.2  | +0.011       |
/// | 12    | Ukraine's stake in reconstruction      | +8.5   | 2.8  | 3.0  | +0.007       |
/// | 13    | Russia's stake in sanctions relief     | +82.7  | 9.9  | 8.3  | +0.044       |
/// | 14    | stakes in the venture and the vehicle  | +347.6 | 22.1 | 15.8 | +0.162       |
/// | 16    | Russia's domestic audience cost        | +14.4  | 1.8  | 8.0  | +0.006       |
/// | 17    | escalations prevented, tension decays  | +39.2  | 13.2 | 3.0  | +0.015       |
/// | 18    | grievance and threat removed           | +14.5  | 1.8  | 7.9  | +0.006       |
///
/// Where the observed z is 6 or more the test asks for z > 3, a margin of at least three
/// standard errors each way: noise would have to take away half the effect to fail it, while
/// a reversed mechanism gives z ≤ -6. Where it is between 3 and 6 the test asks only for a
/// positive difference, which a reversal fails and noise would need three or more standard
/// errors to. Point 10 also removes capital strikes (which void the guarantee and escalate),
/// the only destabilising part of its mechanism; the snapback and the compensation outweigh it
/// by far. Point 2's lower threat also slows Ukraine's hedging above its cap, a second-order
/// effect of either sign.
///
/// Points left out, their directions not implied by the mechanism as implemented: 6 (the cap
/// meets a grievance but weakens Ukraine), 7 (the bar meets a grievance but adds Ukraine's
/// insecurity and a concession), 8 (a reassurance force deters and provokes; without point 8
/// the agreement lasts 17 days longer, z 4.8), 15 and 27 (more detection deters but also
/// attributes more violations, costing trust; more sanctions roll back stakes), 19 and 23
/// (stakes against disruptions and interdictions, which are incidents), 21 (the zone against
/// incursions and the claims it settles), 22 (an audience cost against the voiding of the
/// guarantee on breach), 25 (a resentful or a conciliatory winner), 26 (fewer incidents
/// against one more concession), 28 (tested on its own below). Point 20 pushes one way (faster
/// decay of hostility, no pretext) but its effect on the time to collapse, +37.6 days with
/// se 22.7, is below what 1,000 pairs resolve: its mechanism is pinned on hostility below.
const LESS_STABLE_WITHOUT: [(u32, f64); 14] = [
    (1, 3.0),
    (2, 0.0),
    (3, 3.0),
    (4, 0.0),
    (5, 3.0),
    (9, 3.0),
    (10, 3.0),
    (11, 0.0),
    (12, 0.0),
    (13, 3.0),
    (14, 3.0),
    (16, 3.0),
    (17, 0.0),
    (18, 3.0),
];

#[test]
fn points_that_only_hold_the_agreement_together_are_missed_when_switched_off() {
    let failures: Vec<String> = LESS_STABLE_WITHOUT
        .iter()
        .filter_map(|&(p, z_min)| {
            let d = time_gained(p);
            (d.z() <= z_min).then(|| {
                let a = ten_years();
                let h = Paired::of(&a.base, a.without(p), all_pairs, held);
                format!("point {p}: days gained {d}, share held gained {h}; required z > {z_min}")
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "without these points the agreement lasts as long or longer:\n{}",
        failures.join("\n")
    );
}

#[test]
fn removing_the_guarantee_or_the_frozen_assets_costs_most_runs_held_at_10_years() {
    // The two largest effects in the plan, on the share of runs holding at 10 years. Observed
    // with `truce ablate scenarios/us-28-point.toml --runs 20000 --seed 1`: without the
    // guarantee (a chance of about 0.7 of a response costing Russia 1 utility and its gains)
    // 16.7 points fewer runs hold (95% interval 16.2 to 17.2); without the frozen assets
    // (Russia's stake in the vehicle, Ukraine's in the venture, the US's profits) 13.9 points
    // fewer (13.4 to 14.4). Here 1,000 pairs give a standard error of about 0.011. Asked: more
    // than 9 and 6 points, each about seven standard errors below what was observed, and z > 5.
    let a = ten_years();
    for (p, at_least) in [(5, 0.09), (14, 0.06)] {
        let h = Paired::of(&a.base, a.without(p), all_pairs, held);
        assert!(
            h.mean > at_least && h.z() > 5.0,
            "point {p}: share held gained {h}"
        );
    }
}

#[test]
fn without_exchanges_the_runs_that_hold_end_with_less_trust() {
    // Twelve rounds that succeed four times in five add about 0.18 to each side's trust, part
    // of which trust growth would have closed by year 10 anyway. Observed over the 628 runs
    // that held in both variants: Russia ends with 0.101 less trust without the exchanges (se
    // 0.004, z 28), Ukraine with 0.099 less (se 0.003, z 31). Asked: z ≥ 3 for each side.
    let a = ten_years();
    let both_held = |x: &RunRecord, y: &RunRecord| x.held && y.held;
    for s in 0..2 {
        let d = Paired::of(&a.base, a.without(24), both_held, |r| r.trust[s]);
        assert!(d.n > 300 && d.z() >= 3.0, "side {s}: trust gained {d}");
    }
}

#[test]
fn without_tolerance_programmes_the_runs_that_hold_end_more_hostile() {
    // Hostility decays 50% faster with the programmes (a 10-year half-life instead of 15).
    // Observed over the 608 runs that held in both variants: without them Russia ends 0.169
    // more hostile (se 0.003, z 57), Ukraine 0.166 (se 0.003, z 63). Asked: z ≥ 3 for each
    // side.
    let a = ten_years();
    let both_held = |x: &RunRecord, y: &RunRecord| x.held && y.held;
    for s in 0..2 {
        let d = Paired::of(&a.base, a.without(20), both_held, |r| r.hostility[s]);
        assert!(d.n > 300 && d.z() <= -3.0, "side {s}: hostility {d}");
    }
}

#[test]
fn without_the_council_fewer_violations_are_detected_and_more_are_misattributed() {
    // The council raises the chance of detection from 0.52 to 0.76 and attribution from 0.79
    // to 0.895. Per run, the share of incidents detected (pre-ceasefire fighting is never a
    // violation, so the share is below the probability) and the share of detections
    // misattributed are compared over runs that have some in both variants. Observed: the
    // council detects 0.177 more of the incidents (se 0.005, z 34, 999 pairs) and
    // misattributes 0.104 less of what is detected (se 0.003, z -39, 872 pairs). Asked: z ≥ 3.
    let a = ten_years();
    let some_incidents = |x: &RunRecord, y: &RunRecord| {
        x.incidents.iter().sum::<u32>() > 0 && y.incidents.iter().sum::<u32>() > 0
    };
    let detected = Paired::of(&a.base, a.without(27), some_incidents, |r| {
        f64::from(r.detected) / f64::from(r.incidents.iter().sum::<u32>())
    });
    assert!(detected.z() >= 3.0, "share detected gained {detected}");
    let some_detected = |x: &RunRecord, y: &RunRecord| x.detected > 0 && y.detected > 0;
    let misattributed = Paired::of(&a.base, a.without(27), some_detected, |r| {
        f64::from(r.misattributed) / f64::from(r.detected)
    });
    assert!(
        misattributed.z() <= -3.0,
        "share misattributed gained {misattributed}"
    );
}

#[test]
fn without_sequencing_no_withdrawal_fails_and_the_first_year_is_safer() {
    // Point 28 adds risk and nothing else: the withdrawal may miss its deadline, and until it
    // ends the sides fight (war-time incident rates, no trust growth, no settled territory).
    // Over the first year, where all of this happens, 2,000 pairs give: 51 withdrawal failures
    // with it and none without; without it runs last 16.4 days longer on average (se 1.9, z
    // 8.6) and 6.4 points more of them hold the year (se 0.8). Asked: no withdrawal failure
    // without the point, some with it, and z ≤ -3 for the days it costs.
    let sc = plan();
    let mut with = Variant::of(&sc);
    set(&sc, &mut with, "time.horizon", 1.0);
    let mut off = with.clone();
    off.enabled.remove(Kind::Ceasefire);
    let recs = simulate(&[with, off], SEED, 2000);
    let failed = |rs: &[RunRecord]| {
        rs.iter()
            .filter(|r| r.cause == Some(Cause::WithdrawalFailed))
            .count()
    };
    assert!(failed(&recs[0]) > 0);
    assert_eq!(failed(&recs[1]), 0);
    let d = Paired::of(&recs[0], &recs[1], all_pairs, end_day);
    assert!(d.z() <= -3.0, "days gained by sequencing {d}");
}
