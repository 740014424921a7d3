//! Statistics for analysing Monte Carlo runs: confidence intervals for binomial
//! proportions ([`wilson`]) and for paired differences of proportions
//! ([`paired_difference`]), Kaplan–Meier survival curves ([`kaplan_meier`]),
//! quantiles of histograms ([`quantile_from_counts`]) and normal intervals for
//! means ([`mean_and_interval`]). The submodules own experiment designs
//! ([`design`]), variance-based sensitivity analysis ([`sobol`]) and
//! elementary-effects screening ([`morris`]).

pub mod design;
pub mod morris;
pub mod sobol;

/// Two-sided 95% quantile of the standard normal distribution, Φ⁻¹(0.975).
pub const Z95: f64 = 1.959963984540054;

/// A point estimate with a 95% confidence interval `[lower, upper]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// The point estimate.
    pub estimate: f64,
    /// Lower limit of the interval.
    pub lower: f64,
    /// Upper limit of the interval.
    pub upper: f64,
}

impl Interval {
    /// Whether `value` lies in the closed interval `[lower, upper]`.
    #[must_use]
    pub fn contains(&self, value: f64) -> bool {
        self.lower <= value && value <= self.upper
    }

    /// Width of the interval, `upper - lower`.
    #[must_use]
    pub fn width(&self) -> f64 {
        self.upper - self.lower
    }
}

/// Wilson score 95% interval for a binomial proportion `successes / n`.
///
/// For `n == 0` the estimate is NaN and the interval is the uninformative `[0, 1]`.
///
/// # Panics
///
/// Panics if `successes > n`.
#[must_use]
pub fn wilson(successes: u64, n: u64) -> Interval {
    wilson_z(successes, n, Z95)
}

/// Wilson score interval with an arbitrary normal quantile `z`.
fn wilson_z(successes: u64, n: u64, z: f64) -> Interval {
    assert!(
        successes <= n,
        "wilson: successes ({successes}) exceed trials ({n})"
    );
    if n == 0 {
        return Interval {
            estimate: f64::NAN,
            lower: 0.0,
            upper: 1.0,
        };
    }
    let nf = n as f64;
    let p = successes as f64 / nf;
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = z / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    let lower = if successes == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let upper = if successes == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Interval {
        estimate: p,
        lower,
        upper,
    }
}

/// 95% interval for the difference `p_variant − p_base` of two paired proportions.
///
/// Each of the `n = both + only_base + only_variant + neither` pairs was run with the
/// same random numbers in both arms and is classified by which arms succeeded. The
/// estimate is `(only_variant − only_base) / n`.
///
/// The interval is Newcombe's (1998, *Statistics in Medicine* 17:2635–2650) method 10:
/// the hybrid score ("square-and-add") interval that combines the Wilson intervals
/// `[l₁, u₁]` of `p_variant` and `[l₂, u₂]` of `p_base` with the correlation
/// correction
///
/// ```text
/// L = θ − √((p₁ − l₁)² − 2φ(p₁ − l₁)(u₂ − p₂) + (u₂ − p₂)²)
/// U = θ + √((p₂ − l₂)² − 2φ(p₂ − l₂)(u₁ − p₁) + (u₁ − p₁)²)
/// ```
///
/// where φ is the phi coefficient of the 2×2 table with Newcombe's adjustment of its
/// numerator `A = ad − bc`: `A − n/2` if `A > n/2`, `0` if `0 ≤ A ≤ n/2`, and `A` if
/// `A < 0`. φ is 0 when any margin of the table is empty. The limits are clipped to
/// `[−1, 1]`. For `n == 0` the estimate is NaN and the interval `[−1, 1]`.
#[must_use]
pub fn paired_difference(both: u64, only_base: u64, only_variant: u64, neither: u64) -> Interval {
    newcombe_paired(both, only_variant, only_base, neither, Z95)
}

/// Newcombe's method 10 for the table `a` (both), `b` (first only), `c` (second only),
/// `d` (neither); the target is `p_first − p_second = (b − c) / n`.
fn newcombe_paired(a: u64, b: u64, c: u64, d: u64, z: f64) -> Interval {
    let n = a + b + c + d;
    if n == 0 {
        return Interval {
            estimate: f64::NAN,
            lower: -1.0,
            upper: 1.0,
        };
    }
    let nf = n as f64;
    let first = wilson_z(a + b, n, z);
    let second = wilson_z(a + c, n, z);
    let (p1, p2) = (first.estimate, second.estimate);
    let theta = (b as f64 - c as f64) / nf;

    let margins = [a + b, c + d, a + c, b + d];
    let phi = if margins.contains(&0) {
        0.0
    } else {
        let product: f64 = margins.iter().map(|&m| m as f64).product();
        let cross = (i128::from(a) * i128::from(d) - i128::from(b) * i128::from(c)) as f64;
        let half_n = nf / 2.0;
        let adjusted = if cross > half_n {
            cross - half_n
        } else if cross >= 0.0 {
            0.0
        } else {
            cross
        };
        adjusted / product.sqrt()
    };

    let (dl1, du1) = (p1 - first.lower, first.upper - p1);
    let (dl2, du2) = (p2 - second.lower, second.upper - p2);
    let below = (dl1 * dl1 - 2.0 * phi * dl1 * du2 + du2 * du2).max(0.0);
    let above = (dl2 * dl2 - 2.0 * phi * dl2 * du1 + du1 * du1).max(0.0);
    Interval {
        estimate: theta,
        lower: (theta - below.sqrt()).max(-1.0),
        upper: (theta + above.sqrt()).min(1.0),
    }
}

/// One time point of a Kaplan–Meier curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KmPoint {
    /// The time (the index into the input slices).
    pub time: u32,
    /// Subjects at risk at this time (neither failed nor censored earlier).
    pub at_risk: u64,
    /// Events at this time.
    pub events: u64,
    /// Subjects censored at this time.
    pub censored: u64,
    /// Product-limit estimate of the probability of surviving past this time.
    pub survival: f64,
    /// Lower limit of the 95% interval for `survival`.
    pub lower: f64,
    /// Upper limit of the 95% interval for `survival`.
    pub upper: f64,
}

/// Kaplan–Meier product-limit survival curve with pointwise 95% intervals.
///
/// Index `i` of both slices is time `i`: `events[i]` subjects have the event at time
/// `i` and `censored[i]` subjects are censored at time `i`. Censored subjects count as
/// at risk at their own time, and events precede censoring at equal times. The number
/// at risk at time 0 is the total of both slices. A slice shorter than the other is
/// treated as padded with zeros; one point is returned per index of the longer one.
///
/// `survival` is `∏_{j ≤ i} (1 − d_j / n_j)` over times with `n_j > 0`.
///
/// The interval depends on whether censoring has happened yet:
///
/// * While nobody has been censored strictly before time `i`, the estimate equals the
///   binomial share of survivors, `(N − cumulative events) / N`, so the interval is the
///   [`wilson`] interval of that proportion (exact in its own right, and well behaved
///   at 0 and 1).
/// * Once censoring has occurred, the interval is the log–log (Kalbfleisch–Prentice)
///   transform of Greenwood's variance: with `G = Σ_{j ≤ i} d_j / (n_j (n_j − d_j))`
///   and `s = √G / |ln S|`, the limits are `S^exp(Z95·s)` and `S^exp(−Z95·s)`.
///   Greenwood is undefined at the boundaries, so:
///   - if `S = 1` (no event yet), the interval is the Wilson interval for `m` survivors
///     out of `m`, with `m` the number at risk at time `i` (`[0, 1]` when `m = 0`);
///   - if `S = 0` (the last subjects at risk all failed), the lower limit is 0 and the
///     upper limit is the previous time's upper limit multiplied by the Wilson upper
///     limit for 0 survivors out of those at risk; later times carry it forward.
///
/// With no subjects at all (`N = 0`) every point has survival NaN and interval `[0, 1]`.
#[must_use]
pub fn kaplan_meier(events: &[u64], censored: &[u64]) -> Vec<KmPoint> {
    let len = events.len().max(censored.len());
    let at = |slice: &[u64], i: usize| slice.get(i).copied().unwrap_or(0);
    let total: u64 = events.iter().chain(censored).sum();

    let mut points = Vec::with_capacity(len);
    let mut at_risk = total;
    let mut survival = 1.0_f64;
    let mut greenwood = 0.0_f64;
    let mut cumulative_events = 0_u64;
    let mut censored_before = false;
    let mut previous_upper = 1.0_f64;

    for i in 0..len {
        let (d, c) = (at(events, i), at(censored, i));
        let n_i = at_risk;
        if d > 0 && n_i > 0 {
            let (df, nf) = (d as f64, n_i as f64);
            survival *= 1.0 - df / nf;
            if n_i > d {
                greenwood += df / (nf * (nf - df));
            } else {
                survival = 0.0;
            }
        }
        cumulative_events += d;

        let (estimate, lower, upper) = if total == 0 {
            (f64::NAN, 0.0, 1.0)
        } else if !censored_before {
            let w = wilson(total - cumulative_events, total);
            (survival, w.lower, w.upper)
        } else if survival <= 0.0 {
            let upper = if d > 0 && d == n_i {
                previous_upper * wilson(0, n_i).upper
            } else {
                previous_upper
            };
            (0.0, 0.0, upper)
        } else if survival >= 1.0 {
            let w = wilson(n_i - d, n_i - d);
            (survival, w.lower, w.upper)
        } else {
            let log_s = survival.ln();
            let se = greenwood.sqrt() / log_s.abs();
            let factor = (Z95 * se).exp();
            (survival, survival.powf(factor), survival.powf(1.0 / factor))
        };
        previous_upper = upper;

        points.push(KmPoint {
            time: u32::try_from(i).unwrap_or(u32::MAX),
            at_risk: n_i,
            events: d,
            censored: c,
            survival: estimate,
            lower,
            upper,
        });

        at_risk -= d + c;
        censored_before |= c > 0;
    }
    points
}

/// The smallest value `i` whose cumulative count reaches the fraction `q` of the total.
///
/// `counts[i]` is the number of observations with value `i`. Returns the smallest `i`
/// with `counts[0] + … + counts[i] ≥ q · total`; `q` is meant to be in `(0, 1]`. For
/// `q ≤ 0` (or NaN) the first non-empty index is returned, and `q > 1` is treated as
/// 1 (the last non-empty index). The comparison allows a relative slack of a few ulps
/// so that, e.g., `q = 0.3` with a total of 10 needs a cumulative count of 3, not 4,
/// despite `0.3 · 10` being `3.0000000000000004` in floating point. Returns `None` when
/// the total is 0.
#[must_use]
pub fn quantile_from_counts(counts: &[u64], q: f64) -> Option<usize> {
    let total: u128 = counts.iter().map(|&c| u128::from(c)).sum();
    if total == 0 {
        return None;
    }
    if q.is_nan() || q <= 0.0 {
        return counts.iter().position(|&c| c > 0);
    }
    let total_f = total as f64;
    let threshold = q.min(1.0) * total_f - 4.0 * f64::EPSILON * total_f;
    let mut cumulative = 0_u128;
    for (i, &c) in counts.iter().enumerate() {
        cumulative += u128::from(c);
        if c > 0 && cumulative as f64 >= threshold {
            return Some(i);
        }
    }
    counts.iter().rposition(|&c| c > 0)
}

/// Sample mean with a normal-approximation 95% interval `mean ± Z95 · sd / √n`.
///
/// `sd` is the sample standard deviation (denominator `n − 1`). With fewer than two
/// values the interval collapses to the estimate, which is NaN for an empty slice.
#[must_use]
pub fn mean_and_interval(values: &[f64]) -> Interval {
    let n = values.len();
    if n == 0 {
        return Interval {
            estimate: f64::NAN,
            lower: f64::NAN,
            upper: f64::NAN,
        };
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return Interval {
            estimate: mean,
            lower: mean,
            upper: mean,
        };
    }
    let sd = sample_sd(values, mean);
    let half = Z95 * sd / (n as f64).sqrt();
    Interval {
        estimate: mean,
        lower: mean - half,
        upper: mean + half,
    }
}

/// Sample standard deviation (denominator `n − 1`) of `values` around `mean`.
fn sample_sd(values: &[f64], mean: f64) -> f64 {
    let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    (ss / (values.len() - 1) as f64).sqrt()
}

/// Percentile bootstrap interval: the 2.5% and 97.5% quantiles (linear interpolation
/// between order statistics) of `samples`, around `estimate`. With no samples the
/// interval collapses to the estimate. `samples` is sorted in place.
fn percentile_interval(estimate: f64, samples: &mut [f64]) -> Interval {
    if samples.is_empty() {
        return Interval {
            estimate,
            lower: estimate,
            upper: estimate,
        };
    }
    samples.sort_by(f64::total_cmp);
    Interval {
        estimate,
        lower: sorted_quantile(samples, 0.025),
        upper: sorted_quantile(samples, 0.975),
    }
}

/// Quantile `p` of sorted, non-empty `sorted` with linear interpolation (type 7).
fn sorted_quantile(sorted: &[f64], p: f64) -> f64 {
    let h = p * (sorted.len() - 1) as f64;
    let lo = h.floor();
    let i = lo as usize;
    match sorted.get(i + 1) {
        Some(&next) => sorted[i] + (h - lo) * (next - sorted[i]),
        None => sorted[i],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, tol: f64) -> bool {
        (actual - expected).abs() <= tol
    }

    #[test]
    fn wilson_known_values() {
        let zero = wilson(0, 10);
        assert_eq!(zero.estimate, 0.0);
        assert_eq!(zero.lower, 0.0);
        assert!(close(zero.upper, 0.2775, 5e-5), "{zero:?}");

        let half = wilson(5, 10);
        assert!(close(half.lower, 0.2366, 5e-5), "{half:?}");
        assert!(close(half.upper, 0.7634, 5e-5), "{half:?}");

        let all = wilson(10, 10);
        assert_eq!(all.upper, 1.0);
        assert!(close(all.lower, 1.0 - 0.2775, 5e-5));

        // Newcombe (1998, single proportion) example: 81/263 -> 0.2553 to 0.3662.
        let w = wilson(81, 263);
        assert!(
            close(w.lower, 0.2553, 5e-5) && close(w.upper, 0.3662, 5e-5),
            "{w:?}"
        );
    }

    #[test]
    fn wilson_empty_sample() {
        let w = wilson(0, 0);
        assert!(w.estimate.is_nan());
        assert_eq!((w.lower, w.upper), (0.0, 1.0));
    }

    #[test]
    #[should_panic(expected = "exceed")]
    fn wilson_rejects_impossible_counts() {
        let _ = wilson(3, 2);
    }

    /// Counts (both, first only, second only, neither) of a paired 2×2 table.
    type PairedTable = (u64, u64, u64, u64);
    /// Published (lower, upper) confidence limits.
    type Limits = (f64, f64);

    /// Newcombe (1998, paired data) Table III, method 10, computed there with z = 1.96:
    /// (a both, b first only, c second only, d neither) -> (lower, upper) for the
    /// difference p_first − p_second = (b − c) / n. All limits are reproduced to the
    /// published 4 decimals except the lower limit for (1, 97, 1, 1), 0.873670, which is
    /// printed as 0.8736 (truncated rather than rounded), hence the 1e-4 tolerance. The
    /// rows with `ad > bc` (e.g. (27, 0, 0, 27) -> ±0.0351) only match with Newcombe's
    /// `ad − bc − n/2` adjustment of phi; the unadjusted phi gives [0, 0] there.
    const NEWCOMBE_TABLE_III: [(PairedTable, Limits); 18] = [
        ((36, 12, 2, 0), (0.0569, 0.3404)),
        ((20, 12, 2, 16), (0.0562, 0.3292)),
        ((18, 12, 2, 18), (0.0562, 0.3290)),
        ((36, 14, 0, 0), (0.1528, 0.4167)),
        ((35, 14, 0, 1), (0.1461, 0.4175)),
        ((18, 14, 0, 18), (0.1441, 0.3963)),
        ((2, 97, 1, 0), (0.8721, 0.9854)),
        ((1, 97, 1, 1), (0.8736, 0.9850)),
        ((0, 29, 1, 0), (0.6666, 0.9882)),
        ((2, 98, 0, 0), (0.9178, 0.9945)),
        ((1, 98, 0, 1), (0.9171, 0.9916)),
        ((0, 30, 0, 0), (0.8395, 1.0)),
        ((54, 0, 0, 0), (-0.0664, 0.0664)),
        ((53, 0, 0, 1), (-0.0729, 0.0729)),
        ((30, 0, 0, 24), (-0.0358, 0.0358)),
        ((29, 0, 0, 25), (-0.0354, 0.0354)),
        ((28, 0, 0, 26), (-0.0352, 0.0352)),
        ((27, 0, 0, 27), (-0.0351, 0.0351)),
    ];

    #[test]
    fn paired_difference_matches_newcombe_table() {
        for ((a, b, c, d), (lower, upper)) in NEWCOMBE_TABLE_III {
            let r = newcombe_paired(a, b, c, d, 1.96);
            let n = (a + b + c + d) as f64;
            assert!(close(r.estimate, (b as f64 - c as f64) / n, 1e-15));
            assert!(
                close(r.lower, lower, 1e-4) && close(r.upper, upper, 1e-4),
                "table ({a}, {b}, {c}, {d}): got {r:?}, published [{lower}, {upper}]"
            );
            // The public function takes the arms the other way round (base first).
            let p = paired_difference(a, c, b, d);
            assert!(close(p.estimate, r.estimate, 1e-15));
            assert!(close(p.lower, lower, 2e-3) && close(p.upper, upper, 2e-3));
        }
    }

    #[test]
    fn paired_difference_is_antisymmetric_in_the_arms() {
        let forward = paired_difference(8, 5, 4, 36);
        let backward = paired_difference(8, 4, 5, 36);
        assert!(close(forward.estimate, -1.0 / 53.0, 1e-15));
        assert!(close(forward.estimate, -backward.estimate, 1e-15));
        assert!(close(forward.lower, -backward.upper, 1e-12));
        assert!(close(forward.upper, -backward.lower, 1e-12));
    }

    #[test]
    fn paired_difference_properties() {
        let tables = [
            (8, 5, 4, 36),
            (0, 0, 0, 1),
            (0, 3, 0, 0),
            (0, 0, 7, 0),
            (100, 0, 0, 0),
            (1, 1, 7, 12),
            (59, 6, 16, 80),
            (0, 50, 50, 0),
        ];
        for (a, b, c, d) in tables {
            let r = paired_difference(a, b, c, d);
            assert!(r.contains(r.estimate), "({a},{b},{c},{d}) -> {r:?}");
            assert!(
                r.lower >= -1.0 && r.upper <= 1.0,
                "({a},{b},{c},{d}) -> {r:?}"
            );
        }
        let empty = paired_difference(0, 0, 0, 0);
        assert!(empty.estimate.is_nan());
        assert_eq!((empty.lower, empty.upper), (-1.0, 1.0));
    }

    #[test]
    fn paired_difference_shrinks_with_sample_size() {
        let mut previous = f64::INFINITY;
        for scale in [1, 2, 4, 8, 16, 64] {
            let r = paired_difference(8 * scale, 5 * scale, 4 * scale, 36 * scale);
            assert!(close(r.estimate, -1.0 / 53.0, 1e-15));
            assert!(r.width() < previous, "scale {scale}: {r:?}");
            previous = r.width();
        }
    }

    #[test]
    fn paired_difference_uses_the_correlation() {
        // Same margins, concordant pairs make the difference more precise.
        let correlated = paired_difference(40, 5, 10, 45);
        let independent_like = paired_difference(10, 35, 40, 15);
        assert!(correlated.width() < independent_like.width());
    }

    #[test]
    fn kaplan_meier_without_censoring_is_the_empirical_survival() {
        let events = [2, 0, 3, 1, 4];
        let censored = [0; 5];
        let km = kaplan_meier(&events, &censored);
        assert_eq!(km.len(), 5);
        let n = 10;
        let mut failed = 0;
        for (i, p) in km.iter().enumerate() {
            failed += events[i];
            let w = wilson(n - failed, n);
            assert_eq!(p.time, i as u32);
            assert_eq!(p.at_risk, n - failed + events[i]);
            assert!(close(p.survival, (n - failed) as f64 / n as f64, 1e-12));
            assert!(close(p.lower, w.lower, 1e-15) && close(p.upper, w.upper, 1e-15));
        }
        assert_eq!(km[4].survival, 0.0);
        assert_eq!(km[4].lower, 0.0);
    }

    #[test]
    fn kaplan_meier_with_censoring_matches_hand_computation() {
        // time  n  d  c   S                         interval
        //  0    6  1  0   5/6 = 0.833333            Wilson(5, 6)  (nobody censored yet)
        //  1    5  1  1   5/6·4/5 = 2/3             Wilson(4, 6)  (censoring at t=1 is
        //                                            not *before* t=1)
        //  2    3  0  1   2/3                       log–log Greenwood:
        //        G = 1/(6·5) + 1/(5·4) = 1/12, ln S = −0.405465,
        //        s = √(1/12)/0.405465 = 0.711960, e^(1.959964·s) = 4.036657,
        //        lower = (2/3)^4.036657 = 0.194617, upper = (2/3)^(1/4.036657) = 0.904434
        //  3    2  1  1   2/3·1/2 = 1/3
        //        G = 1/12 + 1/(2·1) = 7/12, ln S = −1.098612,
        //        s = √(7/12)/1.098612 = 0.695207, e^(1.959964·s) = 3.906259,
        //        lower = (1/3)^3.906259 = 0.013685, upper = (1/3)^(1/3.906259) = 0.754844
        //  4    0  0  0   1/3 (nobody left: carried forward, same interval)
        let km = kaplan_meier(&[1, 1, 0, 1, 0], &[0, 1, 1, 1, 0]);
        let expected = [
            (6, 5.0 / 6.0, wilson(5, 6).lower, wilson(5, 6).upper),
            (5, 2.0 / 3.0, wilson(4, 6).lower, wilson(4, 6).upper),
            (3, 2.0 / 3.0, 0.194617, 0.904434),
            (2, 1.0 / 3.0, 0.013685, 0.754844),
            (0, 1.0 / 3.0, 0.013685, 0.754844),
        ];
        assert_eq!(km.len(), expected.len());
        for (p, (at_risk, s, lower, upper)) in km.iter().zip(expected) {
            assert_eq!(p.at_risk, at_risk, "{p:?}");
            assert!(close(p.survival, s, 1e-12), "{p:?}");
            assert!(close(p.lower, lower, 2e-6), "{p:?}");
            assert!(close(p.upper, upper, 2e-6), "{p:?}");
        }
    }

    #[test]
    fn kaplan_meier_boundary_fallbacks() {
        // Censoring at t=0, no event until everyone left at t=2 fails.
        let km = kaplan_meier(&[0, 0, 3, 0], &[2, 0, 0, 0]);
        // t=1: S = 1 after censoring -> Wilson(3, 3).
        assert_eq!(km[1].survival, 1.0);
        assert_eq!(km[1].upper, 1.0);
        assert!(close(km[1].lower, wilson(3, 3).lower, 1e-15));
        // t=2: S = 0 -> [0, previous upper × Wilson upper of 0/3].
        assert_eq!(km[2].survival, 0.0);
        assert_eq!(km[2].lower, 0.0);
        assert!(close(km[2].upper, wilson(0, 3).upper, 1e-15));
        // t=3: carried forward.
        assert_eq!(
            km[3],
            KmPoint {
                time: 3,
                at_risk: 0,
                events: 0,
                ..km[2]
            }
        );

        let nobody = kaplan_meier(&[0, 0], &[0, 0]);
        assert!(
            nobody
                .iter()
                .all(|p| p.survival.is_nan() && p.lower == 0.0 && p.upper == 1.0)
        );
        assert!(kaplan_meier(&[], &[]).is_empty());
        // Unequal lengths are padded with zeros.
        assert_eq!(kaplan_meier(&[1], &[0, 1]).len(), 2);
    }

    #[test]
    fn quantiles_from_counts() {
        assert_eq!(quantile_from_counts(&[], 0.5), None);
        assert_eq!(quantile_from_counts(&[0, 0], 0.5), None);
        let counts = [0, 2, 3, 0, 5];
        assert_eq!(quantile_from_counts(&counts, 0.0), Some(1));
        assert_eq!(quantile_from_counts(&counts, -1.0), Some(1));
        assert_eq!(quantile_from_counts(&counts, 0.1), Some(1));
        assert_eq!(quantile_from_counts(&counts, 0.2), Some(1));
        assert_eq!(quantile_from_counts(&counts, 0.21), Some(2));
        assert_eq!(quantile_from_counts(&counts, 0.5), Some(2));
        assert_eq!(quantile_from_counts(&counts, 0.51), Some(4));
        assert_eq!(quantile_from_counts(&counts, 1.0), Some(4));
        assert_eq!(quantile_from_counts(&counts, 2.0), Some(4));
        // 0.3 · 10 is 3.0000000000000004 in floating point.
        assert_eq!(quantile_from_counts(&[1; 10], 0.3), Some(2));
        assert_eq!(quantile_from_counts(&[0, 0, 7, 0], 0.5), Some(2));
    }

    #[test]
    fn mean_interval() {
        let empty = mean_and_interval(&[]);
        assert!(empty.estimate.is_nan() && empty.lower.is_nan() && empty.upper.is_nan());
        let one = mean_and_interval(&[2.5]);
        assert_eq!((one.estimate, one.lower, one.upper), (2.5, 2.5, 2.5));
        // mean 3, sample sd √2.5, half-width Z95·√(2.5/5) = 1.385904
        let r = mean_and_interval(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert!(close(r.estimate, 3.0, 1e-15));
        assert!(close(r.upper - r.estimate, Z95 * 0.5_f64.sqrt(), 1e-12));
        assert!(close(r.estimate - r.lower, 1.385904, 1e-6));
    }

    #[test]
    fn bootstrap_percentiles() {
        let mut samples: Vec<f64> = (0..=100).rev().map(f64::from).collect();
        let r = percentile_interval(50.0, &mut samples);
        assert!(close(r.lower, 2.5, 1e-12) && close(r.upper, 97.5, 1e-12));
        let r = percentile_interval(1.0, &mut []);
        assert_eq!((r.lower, r.upper), (1.0, 1.0));
        assert_eq!(sorted_quantile(&[4.0], 0.975), 4.0);
    }
}
