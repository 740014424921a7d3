//! Elementary-effects (Morris) screening: random one-factor-at-a-time trajectories
//! on a grid ([`morris_design`]) and the μ, μ*, σ summaries of the elementary effects
//! with a bootstrap interval for μ* ([`morris_effects`]).

use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::design::shuffle;
use super::{Interval, percentile_interval, sample_sd};

/// A set of Morris trajectories in the unit cube.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisDesign {
    /// Number of factors.
    pub k: usize,
    /// Number of grid levels per factor (`0, 1/(levels−1), …, 1`).
    pub levels: usize,
    /// `r` trajectories of `k + 1` points each; consecutive points differ in exactly
    /// one factor, by `±Δ`, and each factor moves exactly once per trajectory.
    pub trajectories: Vec<Vec<Vec<f64>>>,
}

/// Draws `r` Morris (1991) trajectories for `k` factors on a grid of `levels` levels.
///
/// The step is `Δ = levels / (2 (levels − 1))`, i.e. `levels / 2` grid steps, as Morris
/// and Campolongo et al. (2007) recommend. For each trajectory, independently:
/// a base level `x*_j` is drawn uniformly for each factor among the levels from which
/// a step of `+Δ` stays in `[0, 1]`; a direction is drawn per factor with probability
/// ½ each (a factor moving down starts at `x*_j + Δ`); and the order in which the
/// factors move is a uniformly random permutation. This is the randomised
/// `B* = (J x* + (Δ/2)((2B − J) D* + J)) P*` construction of Morris; no
/// spread-maximising selection among candidate trajectories is applied.
///
/// # Panics
///
/// Panics unless `levels` is even and at least 2 (for odd `levels` the step Δ does
/// not land on the grid).
pub fn morris_design<R: Rng>(r: usize, k: usize, levels: usize, rng: &mut R) -> MorrisDesign {
    assert!(
        levels >= 2 && levels.is_multiple_of(2),
        "morris_design: levels must be even and at least 2, got {levels}"
    );
    let jump = levels / 2;
    let spacing = (levels - 1) as f64;
    let coordinates =
        |indices: &[usize]| -> Vec<f64> { indices.iter().map(|&l| l as f64 / spacing).collect() };

    let mut order: Vec<usize> = (0..k).collect();
    let trajectories = (0..r)
        .map(|_| {
            let base: Vec<usize> = (0..k).map(|_| rng.random_range(0..jump)).collect();
            let upward: Vec<bool> = (0..k).map(|_| rng.random_bool(0.5)).collect();
            shuffle(&mut order, rng);

            let mut current: Vec<usize> = base
                .iter()
                .zip(&upward)
                .map(|(&b, &up)| if up { b } else { b + jump })
                .collect();
            let mut trajectory = Vec::with_capacity(k + 1);
            trajectory.push(coordinates(&current));
            for &factor in &order {
                current[factor] = if upward[factor] {
                    base[factor] + jump
                } else {
                    base[factor]
                };
                trajectory.push(coordinates(&current));
            }
            trajectory
        })
        .collect();
    MorrisDesign {
        k,
        levels,
        trajectories,
    }
}

impl MorrisDesign {
    /// All points of all trajectories, trajectory after trajectory
    /// (`r · (k + 1)` points).
    #[must_use]
    pub fn points(&self) -> Vec<Vec<f64>> {
        self.trajectories.iter().flatten().cloned().collect()
    }

    /// The step `Δ = levels / (2 (levels − 1))` between consecutive points.
    #[must_use]
    pub fn delta(&self) -> f64 {
        self.levels as f64 / (2.0 * (self.levels as f64 - 1.0))
    }
}

/// Elementary-effects summary of one factor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisEffect {
    /// Mean of the elementary effects.
    pub mu: f64,
    /// Mean of the absolute elementary effects.
    pub mu_star: f64,
    /// Sample standard deviation of the elementary effects (denominator `r − 1`; 0 for
    /// a single trajectory).
    pub sigma: f64,
    /// `mu_star` with a 95% percentile bootstrap interval over trajectories.
    pub mu_star_ci: Interval,
}

/// Elementary effects of every factor from outputs `y` given in the order of
/// [`MorrisDesign::points`].
///
/// For each step of a trajectory the moved factor `j` is found by comparing the two
/// points, and the effect is `(y_after − y_before) / (x_after,j − x_before,j)`, so the
/// sign accounts for the direction of the step. The bootstrap resamples whole
/// trajectories `resamples` times with `ChaCha8Rng::seed_from_u64(seed)`; with
/// `resamples == 0` the interval collapses to `mu_star`. With no trajectories every
/// statistic is NaN.
///
/// # Panics
///
/// Panics if `y.len()` is not `r · (k + 1)`, or if a trajectory does not move each
/// factor exactly once, one factor per step.
#[must_use]
pub fn morris_effects(
    design: &MorrisDesign,
    y: &[f64],
    resamples: usize,
    seed: u64,
) -> Vec<MorrisEffect> {
    let k = design.k;
    let r = design.trajectories.len();
    assert_eq!(
        y.len(),
        r * (k + 1),
        "morris_effects: expected r·(k+1) = {}·{} outputs",
        r,
        k + 1
    );

    // effects[j][t]: elementary effect of factor j in trajectory t.
    let mut effects = vec![vec![f64::NAN; r]; k];
    for (t, (trajectory, y_t)) in design.trajectories.iter().zip(y.chunks(k + 1)).enumerate() {
        assert_eq!(
            trajectory.len(),
            k + 1,
            "morris_effects: trajectory {t} has the wrong length"
        );
        let mut moved = vec![false; k];
        for (step, (points, outputs)) in trajectory.windows(2).zip(y_t.windows(2)).enumerate() {
            let (before, after) = (&points[0], &points[1]);
            let changed: Vec<usize> = (0..k).filter(|&j| before[j] != after[j]).collect();
            let &[factor] = changed.as_slice() else {
                panic!("morris_effects: step {step} of trajectory {t} moves {changed:?}");
            };
            assert!(
                !moved[factor],
                "morris_effects: trajectory {t} moves factor {factor} twice"
            );
            moved[factor] = true;
            effects[factor][t] = (outputs[1] - outputs[0]) / (after[factor] - before[factor]);
        }
    }

    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut boot = vec![Vec::with_capacity(resamples); k];
    let mut picks = vec![0_usize; r];
    if r > 0 {
        for _ in 0..resamples {
            for pick in &mut picks {
                *pick = rng.random_range(0..r);
            }
            for (samples, ee) in boot.iter_mut().zip(&effects) {
                samples.push(picks.iter().map(|&t| ee[t].abs()).sum::<f64>() / r as f64);
            }
        }
    }

    effects
        .iter()
        .zip(&mut boot)
        .map(|(ee, samples)| {
            let rf = r as f64;
            let mu = ee.iter().sum::<f64>() / rf;
            let mu_star = ee.iter().map(|e| e.abs()).sum::<f64>() / rf;
            let sigma = match r {
                0 => f64::NAN,
                1 => 0.0,
                _ => sample_sd(ee, mu),
            };
            MorrisEffect {
                mu,
                mu_star,
                sigma,
                mu_star_ci: percentile_interval(mu_star, samples),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design(r: usize, k: usize, levels: usize, seed: u64) -> MorrisDesign {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        morris_design(r, k, levels, &mut rng)
    }

    fn outputs(design: &MorrisDesign, f: impl Fn(&[f64]) -> f64) -> Vec<f64> {
        design.points().iter().map(|p| f(p)).collect()
    }

    #[test]
    fn trajectories_are_one_factor_at_a_time_on_the_grid() {
        for levels in [2, 4, 6] {
            let d = design(30, 5, levels, 1);
            let delta = d.delta();
            assert!((delta - levels as f64 / (2.0 * (levels as f64 - 1.0))).abs() < 1e-15);
            assert_eq!(d.trajectories.len(), 30);
            assert_eq!(d.points().len(), 30 * 6);
            for trajectory in &d.trajectories {
                assert_eq!(trajectory.len(), 6);
                let mut moved = [false; 5];
                for pair in trajectory.windows(2) {
                    let changed: Vec<usize> =
                        (0..5).filter(|&j| pair[0][j] != pair[1][j]).collect();
                    assert_eq!(changed.len(), 1);
                    let j = changed[0];
                    assert!(!moved[j]);
                    moved[j] = true;
                    assert!(((pair[1][j] - pair[0][j]).abs() - delta).abs() < 1e-12);
                }
                assert!(moved.iter().all(|&m| m));
                for x in trajectory.iter().flatten() {
                    assert!((0.0..=1.0).contains(x));
                    let level = x * (levels - 1) as f64;
                    assert!((level - level.round()).abs() < 1e-12, "{x} is off the grid");
                }
            }
        }
    }

    #[test]
    fn directions_and_orders_are_random() {
        let d = design(200, 3, 4, 2);
        let (mut up, mut first_moved) = (0, [0; 3]);
        for trajectory in &d.trajectories {
            let j = (0..3)
                .find(|&j| trajectory[0][j] != trajectory[1][j])
                .unwrap();
            first_moved[j] += 1;
            if trajectory[1][j] > trajectory[0][j] {
                up += 1;
            }
        }
        assert!((60..140).contains(&up), "{up}");
        assert!(first_moved.iter().all(|&c| c > 30), "{first_moved:?}");
    }

    #[test]
    fn linear_model_has_exact_effects() {
        let c = [1.5, -2.0, 0.25, 4.0];
        let d = design(12, 4, 4, 3);
        let y = outputs(&d, |x| x.iter().zip(&c).map(|(x, c)| x * c).sum());
        let effects = morris_effects(&d, &y, 100, 0);
        for (e, &c) in effects.iter().zip(&c) {
            assert!((e.mu - c).abs() < 1e-12, "{e:?} vs {c}");
            assert!((e.mu_star - c.abs()).abs() < 1e-12, "{e:?}");
            assert!(e.sigma.abs() < 1e-12, "{e:?}");
            assert!((e.mu_star_ci.lower - c.abs()).abs() < 1e-12);
            assert!((e.mu_star_ci.upper - c.abs()).abs() < 1e-12);
        }
    }

    #[test]
    fn inert_factor_has_zero_mu_star() {
        let d = design(20, 3, 6, 4);
        let y = outputs(&d, |x| (3.0 * x[0]).sin() + x[2] * x[2]);
        let effects = morris_effects(&d, &y, 200, 1);
        assert_eq!(effects[1].mu_star, 0.0);
        assert_eq!(effects[1].sigma, 0.0);
        assert_eq!(effects[1].mu_star_ci.upper, 0.0);
        assert!(effects[0].mu_star > 0.1 && effects[2].mu_star > 0.1);
    }

    #[test]
    fn interaction_shows_up_in_sigma() {
        let d = design(20, 3, 4, 5);
        let y = outputs(&d, |x| 2.0 * x[0] * x[1] + x[2]);
        let effects = morris_effects(&d, &y, 200, 2);
        assert!(effects[0].sigma > 0.1, "{:?}", effects[0]);
        assert!(effects[1].sigma > 0.1, "{:?}", effects[1]);
        assert!(effects[2].sigma < 1e-12, "{:?}", effects[2]);
        assert!((effects[2].mu - 1.0).abs() < 1e-12);
        for e in &effects {
            assert!(e.mu_star_ci.contains(e.mu_star), "{e:?}");
        }
    }

    #[test]
    fn deterministic_for_a_seed() {
        let d = design(10, 3, 4, 6);
        assert_eq!(d, design(10, 3, 4, 6));
        assert_ne!(d, design(10, 3, 4, 7));
        let y = outputs(&d, |x| x[0] * x[1] + x[2].powi(2));
        assert_eq!(morris_effects(&d, &y, 50, 9), morris_effects(&d, &y, 50, 9));
    }

    #[test]
    fn edge_cases() {
        let one = design(1, 2, 2, 0);
        let y = outputs(&one, |x| x[0] - x[1]);
        let effects = morris_effects(&one, &y, 10, 0);
        assert!((effects[0].mu - 1.0).abs() < 1e-12 && effects[0].sigma == 0.0);
        let none = design(0, 2, 4, 0);
        let effects = morris_effects(&none, &[], 10, 0);
        assert!(effects.iter().all(|e| e.mu.is_nan() && e.sigma.is_nan()));
    }

    #[test]
    #[should_panic(expected = "levels must be even")]
    fn odd_levels_are_rejected() {
        let _ = design(1, 2, 5, 0);
    }

    #[test]
    #[should_panic(expected = "morris_effects: expected")]
    fn wrong_output_length_is_rejected() {
        let d = design(2, 2, 4, 0);
        let _ = morris_effects(&d, &[0.0; 5], 0, 0);
    }
}
