//! Variance-based global sensitivity analysis: the Saltelli sampling design
//! ([`saltelli_design`]) and first-order / total Sobol indices with bootstrap
//! intervals ([`sobol_indices`]).

use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::design::latin_hypercube;
use super::{Interval, percentile_interval};

/// The sample matrices of Saltelli's scheme for `k` factors and `n` base rows.
///
/// All points lie in the unit cube `[0, 1)^k`; map them to the factors' ranges before
/// evaluating the model.
#[derive(Debug, Clone, PartialEq)]
pub struct SaltelliDesign {
    /// Number of factors.
    pub k: usize,
    /// Number of rows of each matrix.
    pub n: usize,
    /// Matrix A: `n` rows of `k` coordinates.
    pub a: Vec<Vec<f64>>,
    /// Matrix B: `n` rows of `k` coordinates.
    pub b: Vec<Vec<f64>>,
    /// `ab[i]` is A with its column `i` taken from B (the matrix `A_B^(i)`).
    pub ab: Vec<Vec<Vec<f64>>>,
}

/// Draws a Saltelli design with `n` base rows for `k` factors.
///
/// A and B are the two halves of one `n`-point Latin hypercube of dimension `2k`
/// (columns `0..k` form A, columns `k..2k` form B), so each column of A and of B is
/// stratified, and A and B are independent of each other because every dimension of
/// the hypercube is shuffled independently. `ab[i]` copies A and replaces column `i`
/// by B's. The model must be evaluated at `n · (k + 2)` points (see
/// [`SaltelliDesign::points`]).
pub fn saltelli_design<R: Rng>(n: usize, k: usize, rng: &mut R) -> SaltelliDesign {
    let joint = latin_hypercube(n, 2 * k, rng);
    let a: Vec<Vec<f64>> = joint.iter().map(|row| row[..k].to_vec()).collect();
    let b: Vec<Vec<f64>> = joint.iter().map(|row| row[k..].to_vec()).collect();
    let ab = (0..k)
        .map(|i| {
            a.iter()
                .zip(&b)
                .map(|(row_a, row_b)| {
                    let mut row = row_a.clone();
                    row[i] = row_b[i];
                    row
                })
                .collect()
        })
        .collect();
    SaltelliDesign { k, n, a, b, ab }
}

impl SaltelliDesign {
    /// All `n · (k + 2)` evaluation points in order: the rows of A, then of B, then of
    /// `A_B^(1)`, …, `A_B^(k)`.
    #[must_use]
    pub fn points(&self) -> Vec<Vec<f64>> {
        self.a
            .iter()
            .chain(&self.b)
            .chain(self.ab.iter().flatten())
            .cloned()
            .collect()
    }

    /// Splits model outputs given in the order of [`SaltelliDesign::points`] into
    /// `(y_a, y_b, y_ab)`, ready for [`sobol_indices`].
    ///
    /// # Panics
    ///
    /// Panics if `y.len() != n · (k + 2)`.
    #[must_use]
    pub fn split_outputs<'a>(&self, y: &'a [f64]) -> (&'a [f64], &'a [f64], Vec<&'a [f64]>) {
        let n = self.n;
        assert_eq!(
            y.len(),
            n * (self.k + 2),
            "split_outputs: expected n·(k+2) = {}·{} outputs",
            n,
            self.k + 2
        );
        let (y_a, rest) = y.split_at(n);
        let (y_b, rest) = rest.split_at(n);
        let y_ab = (0..self.k).map(|i| &rest[i * n..(i + 1) * n]).collect();
        (y_a, y_b, y_ab)
    }
}

/// First-order and total Sobol indices of one factor, with 95% bootstrap intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolIndex {
    /// First-order (main effect) index `S_i`.
    pub first: Interval,
    /// Total-effect index `ST_i`.
    pub total: Interval,
}

/// Sobol indices from the outputs of a Saltelli design.
///
/// `y_a[j]`, `y_b[j]` and `y_ab[i][j]` are the model outputs at row `j` of A, B and
/// `A_B^(i)`. With `V` the variance of the pooled `y_a` and `y_b` values (denominator
/// `2n − 1`):
///
/// * first order (Saltelli et al. 2010): `S_i = mean(f_B · (f_ABi − f_A)) / V`;
/// * total (Jansen 1999): `ST_i = mean((f_A − f_ABi)²) / 2 / V`.
///
/// Before applying the first-order estimator the outputs are centred on the pooled
/// mean of `y_a` and `y_b`. This leaves its expectation unchanged (since
/// `E[f_ABi − f_A] = 0`) but makes it invariant to adding a constant to the model and
/// much less noisy when the output mean is large; the Jansen estimator is already
/// shift-invariant.
///
/// The 95% intervals are percentile bootstrap intervals over `resamples` resamples of
/// the `n` rows, the same row indices serving every quantity of a resample (so `V` is
/// recomputed too), drawn from `ChaCha8Rng::seed_from_u64(seed)`: the result is a
/// deterministic function of the inputs. With `resamples == 0` the intervals collapse
/// to the estimates. If `V` is 0 (constant output, or no rows) every index
/// is 0 with interval `[0, 0]`; a resample whose `V` is 0 contributes zeros.
///
/// # Panics
///
/// Panics if `y_b` or any `y_ab[i]` is not as long as `y_a`.
#[must_use]
pub fn sobol_indices(
    y_a: &[f64],
    y_b: &[f64],
    y_ab: &[&[f64]],
    resamples: usize,
    seed: u64,
) -> Vec<SobolIndex> {
    let n = y_a.len();
    assert_eq!(y_b.len(), n, "sobol_indices: y_b and y_a differ in length");
    assert!(
        y_ab.iter().all(|y| y.len() == n),
        "sobol_indices: every y_ab[i] must be as long as y_a"
    );
    let k = y_ab.len();
    let zero = Interval {
        estimate: 0.0,
        lower: 0.0,
        upper: 0.0,
    };
    let zeros = vec![
        SobolIndex {
            first: zero,
            total: zero,
        };
        k
    ];

    let all_rows: Vec<usize> = (0..n).collect();
    let Some(point) = estimate(y_a, y_b, y_ab, &all_rows) else {
        return zeros;
    };

    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut first_samples = vec![Vec::with_capacity(resamples); k];
    let mut total_samples = vec![Vec::with_capacity(resamples); k];
    let mut rows = vec![0_usize; n];
    for _ in 0..resamples {
        for row in &mut rows {
            *row = rng.random_range(0..n);
        }
        match estimate(y_a, y_b, y_ab, &rows) {
            Some(values) => {
                for (i, (first, total)) in values.into_iter().enumerate() {
                    first_samples[i].push(first);
                    total_samples[i].push(total);
                }
            }
            None => {
                for i in 0..k {
                    first_samples[i].push(0.0);
                    total_samples[i].push(0.0);
                }
            }
        }
    }

    point
        .into_iter()
        .zip(first_samples.iter_mut().zip(&mut total_samples))
        .map(|((first, total), (first_boot, total_boot))| SobolIndex {
            first: percentile_interval(first, first_boot),
            total: percentile_interval(total, total_boot),
        })
        .collect()
}

/// `(S_i, ST_i)` for every factor over the given rows, or `None` if the pooled
/// variance of `y_a` and `y_b` over those rows is not positive.
fn estimate(y_a: &[f64], y_b: &[f64], y_ab: &[&[f64]], rows: &[usize]) -> Option<Vec<(f64, f64)>> {
    let m = rows.len();
    if m == 0 {
        return None;
    }
    let mf = m as f64;
    let mean = rows.iter().map(|&r| y_a[r] + y_b[r]).sum::<f64>() / (2.0 * mf);
    let sum_sq: f64 = rows
        .iter()
        .map(|&r| {
            let (da, db) = (y_a[r] - mean, y_b[r] - mean);
            da * da + db * db
        })
        .sum();
    let variance = sum_sq / (2.0 * mf - 1.0);
    if variance.is_nan() || variance <= 0.0 {
        return None;
    }
    Some(
        y_ab.iter()
            .map(|y_abi| {
                let (mut first, mut total) = (0.0, 0.0);
                for &r in rows {
                    let change = y_abi[r] - y_a[r];
                    first += (y_b[r] - mean) * change;
                    total += change * change;
                }
                (first / mf / variance, total / (2.0 * mf) / variance)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// Evaluates `f` at every point of `design`, in evaluation order.
    fn evaluate(design: &SaltelliDesign, f: impl Fn(&[f64]) -> f64) -> Vec<f64> {
        design.points().iter().map(|p| f(p)).collect()
    }

    #[test]
    fn design_layout_and_split() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let (n, k) = (16, 3);
        let design = saltelli_design(n, k, &mut rng);
        assert_eq!((design.n, design.k), (n, k));
        assert_eq!(design.a.len(), n);
        assert_eq!(design.b.len(), n);
        assert_eq!(design.ab.len(), k);
        for (i, ab) in design.ab.iter().enumerate() {
            for ((row_ab, row_a), row_b) in ab.iter().zip(&design.a).zip(&design.b) {
                for j in 0..k {
                    let expected = if j == i { row_b[j] } else { row_a[j] };
                    assert_eq!(row_ab[j], expected);
                }
            }
        }
        let points = design.points();
        assert_eq!(points.len(), n * (k + 2));
        assert!(points.iter().flatten().all(|x| (0.0..1.0).contains(x)));
        assert_eq!(points[0], design.a[0]);
        assert_eq!(points[n], design.b[0]);
        assert_eq!(points[2 * n + n + 3], design.ab[1][3]);

        // Outputs tagged by their position come back in the right slices.
        let y: Vec<f64> = (0..points.len()).map(|i| i as f64).collect();
        let (y_a, y_b, y_ab) = design.split_outputs(&y);
        assert_eq!(y_a[0], 0.0);
        assert_eq!(y_b[0], n as f64);
        assert_eq!(y_ab.len(), k);
        assert_eq!(y_ab[2][5], (4 * n + 5) as f64);
        assert!(y_ab.iter().all(|s| s.len() == n));

        // A and B are each stratified (halves of one Latin hypercube).
        for column in 0..k {
            for matrix in [&design.a, &design.b] {
                let mut bins: Vec<usize> = matrix
                    .iter()
                    .map(|row| (row[column] * n as f64) as usize)
                    .collect();
                bins.sort_unstable();
                assert_eq!(bins, (0..n).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    #[should_panic(expected = "split_outputs")]
    fn split_rejects_wrong_length() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let design = saltelli_design(4, 2, &mut rng);
        let _ = design.split_outputs(&[0.0; 15]);
    }

    #[test]
    fn ishigami_indices_match_the_analytic_values() {
        let (a, b) = (7.0_f64, 0.1_f64);
        let ishigami = |x: &[f64]| {
            let x: Vec<f64> = x.iter().map(|u| -PI + 2.0 * PI * u).collect();
            x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
        };
        // Analytic variance decomposition of the Ishigami function.
        let pi4 = PI.powi(4);
        let pi8 = PI.powi(8);
        let v = a * a / 8.0 + b * pi4 / 5.0 + b * b * pi8 / 18.0 + 0.5;
        let v1 = 0.5 * (1.0 + b * pi4 / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * pi8 * (1.0 / 18.0 - 1.0 / 50.0);
        let first = [v1 / v, v2 / v, 0.0];
        let total = [(v1 + v13) / v, v2 / v, v13 / v];
        assert!((first[0] - 0.3139).abs() < 1e-4 && (total[2] - 0.2437).abs() < 1e-4);

        let mut rng = ChaCha8Rng::seed_from_u64(2024);
        let design = saltelli_design(1 << 14, 3, &mut rng);
        let y = evaluate(&design, ishigami);
        let (y_a, y_b, y_ab) = design.split_outputs(&y);
        let indices = sobol_indices(y_a, y_b, &y_ab, 400, 17);
        assert_eq!(indices.len(), 3);
        for (i, index) in indices.iter().enumerate() {
            for (name, got, expected) in
                [("S", index.first, first[i]), ("ST", index.total, total[i])]
            {
                assert!(
                    (got.estimate - expected).abs() < 0.03,
                    "{name}{}: estimate {got:?} vs analytic {expected:.4}",
                    i + 1
                );
                assert!(
                    got.contains(expected),
                    "{name}{}: interval {got:?} misses analytic {expected:.4}",
                    i + 1
                );
                assert!(got.width() < 0.1, "{name}{}: {got:?} too wide", i + 1);
            }
        }
        // x3 acts only through its interaction with x1: no main effect, sizeable total.
        assert!(indices[2].first.estimate.abs() < 0.03);
        assert!(indices[2].total.lower > 0.2);
        // x1's interaction shows up as ST1 clearly above S1.
        assert!(indices[0].total.lower > indices[0].first.upper);
    }

    #[test]
    fn additive_linear_model() {
        // y = x1 + 2 x2 + 0·x3 on the unit cube: S = ST = (1/5, 4/5, 0).
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let design = saltelli_design(4096, 3, &mut rng);
        let y = evaluate(&design, |x| x[0] + 2.0 * x[1] + 100.0);
        let (y_a, y_b, y_ab) = design.split_outputs(&y);
        let indices = sobol_indices(y_a, y_b, &y_ab, 200, 1);
        for (index, expected) in indices.iter().zip([0.2, 0.8, 0.0]) {
            assert!((index.first.estimate - expected).abs() < 0.03, "{index:?}");
            assert!((index.total.estimate - expected).abs() < 0.03, "{index:?}");
        }
        assert_eq!(indices[2].total.estimate, 0.0);
    }

    #[test]
    fn constant_output_gives_zero_indices() {
        let y = [3.0; 8];
        let indices = sobol_indices(&y, &y, &[&y, &y], 50, 0);
        let zero = Interval {
            estimate: 0.0,
            lower: 0.0,
            upper: 0.0,
        };
        assert_eq!(indices.len(), 2);
        assert!(indices.iter().all(|s| s.first == zero && s.total == zero));
        assert!(sobol_indices(&[], &[], &[&[]], 10, 0)[0].first == zero);
    }

    #[test]
    fn bootstrap_is_deterministic_for_a_seed() {
        let mut rng = ChaCha8Rng::seed_from_u64(8);
        let design = saltelli_design(256, 2, &mut rng);
        let y = evaluate(&design, |x| x[0] * x[1] + x[0]);
        let (y_a, y_b, y_ab) = design.split_outputs(&y);
        let once = sobol_indices(y_a, y_b, &y_ab, 100, 5);
        assert_eq!(once, sobol_indices(y_a, y_b, &y_ab, 100, 5));
        assert_ne!(once, sobol_indices(y_a, y_b, &y_ab, 100, 6));
        let without = sobol_indices(y_a, y_b, &y_ab, 0, 5);
        assert_eq!(without[0].first.estimate, once[0].first.estimate);
        assert_eq!(without[0].first.lower, without[0].first.estimate);

        let mut again = ChaCha8Rng::seed_from_u64(8);
        assert_eq!(design, saltelli_design(256, 2, &mut again));
    }
}
