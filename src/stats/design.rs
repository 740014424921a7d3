//! Experiment designs over a parameter space: Latin hypercube and plain uniform
//! samples of the unit cube, full factorial grids of level indices, and the
//! Fisher–Yates shuffle the samplers share.

use rand::{Rng, RngExt};

/// `n` points of the unit cube `[0, 1)^k` in a Latin hypercube.
///
/// Each dimension is cut into `n` bins of width `1/n`; every bin holds exactly one
/// point, at a uniformly random position inside the bin. The assignment of bins to
/// points is an independent Fisher–Yates shuffle per dimension, drawn from `rng`.
/// Returns `n` rows of `k` coordinates (no rows when `n == 0`).
pub fn latin_hypercube<R: Rng>(n: usize, k: usize, rng: &mut R) -> Vec<Vec<f64>> {
    let mut points = vec![vec![0.0; k]; n];
    let mut bins: Vec<usize> = (0..n).collect();
    let width = 1.0 / n as f64;
    for dim in 0..k {
        shuffle(&mut bins, rng);
        for (point, &bin) in points.iter_mut().zip(&bins) {
            let u: f64 = rng.random();
            point[dim] = below_one((bin as f64 + u) * width);
        }
    }
    points
}

/// `n` points drawn independently and uniformly from the unit cube `[0, 1)^k`.
pub fn random_design<R: Rng>(n: usize, k: usize, rng: &mut R) -> Vec<Vec<f64>> {
    (0..n)
        .map(|_| (0..k).map(|_| rng.random::<f64>()).collect())
        .collect()
}

/// Full factorial design of level indices: every combination of `0..levels[d]` for
/// each dimension `d`, with the last dimension varying fastest.
///
/// `grid(&[2, 3])` is `[0,0], [0,1], [0,2], [1,0], [1,1], [1,2]`. An empty `levels`
/// gives the single empty combination; any dimension with 0 levels gives no points.
#[must_use]
pub fn grid(levels: &[usize]) -> Vec<Vec<usize>> {
    let count = levels.iter().product::<usize>();
    let mut points = Vec::with_capacity(count);
    if count == 0 {
        return points;
    }
    let mut current = vec![0_usize; levels.len()];
    for _ in 0..count {
        points.push(current.clone());
        for (index, &size) in current.iter_mut().zip(levels).rev() {
            *index += 1;
            if *index < size {
                break;
            }
            *index = 0;
        }
    }
    points
}

/// Shuffles `items` in place with the Fisher–Yates algorithm, drawing from `rng`.
pub fn shuffle<T, R: Rng>(items: &mut [T], rng: &mut R) {
    for i in (1..items.len()).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
}

/// Clamps a coordinate that rounding pushed to 1.0 back inside `[0, 1)`.
fn below_one(x: f64) -> f64 {
    x.min(1.0_f64.next_down())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn latin_hypercube_has_one_point_per_bin() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for (n, k) in [(1, 3), (2, 1), (10, 4), (97, 5)] {
            let points = latin_hypercube(n, k, &mut rng);
            assert_eq!(points.len(), n);
            for dim in 0..k {
                let mut seen = vec![0_u32; n];
                for point in &points {
                    assert_eq!(point.len(), k);
                    let x = point[dim];
                    assert!((0.0..1.0).contains(&x), "{x}");
                    seen[((x * n as f64).floor() as usize).min(n - 1)] += 1;
                }
                assert!(seen.iter().all(|&count| count == 1), "n={n} dim={dim}");
            }
        }
        assert!(latin_hypercube(0, 3, &mut rng).is_empty());
        assert!(latin_hypercube(4, 0, &mut rng).iter().all(Vec::is_empty));
    }

    #[test]
    fn latin_hypercube_dimensions_are_shuffled_independently() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let points = latin_hypercube(50, 2, &mut rng);
        let bin = |x: f64| (x * 50.0).floor() as usize;
        let same = points.iter().filter(|p| bin(p[0]) == bin(p[1])).count();
        assert!(
            same < 10,
            "{same} points share their bins across dimensions"
        );
    }

    #[test]
    fn designs_are_deterministic_for_a_seed() {
        let draw = |seed| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            (
                latin_hypercube(20, 3, &mut rng),
                random_design(20, 3, &mut rng),
            )
        };
        assert_eq!(draw(3), draw(3));
        assert_ne!(draw(3), draw(4));
    }

    #[test]
    fn random_design_is_in_the_unit_cube() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let points = random_design(1000, 3, &mut rng);
        assert_eq!(points.len(), 1000);
        assert!(points.iter().flatten().all(|x| (0.0..1.0).contains(x)));
        let mean = points.iter().map(|p| p[0]).sum::<f64>() / 1000.0;
        assert!((mean - 0.5).abs() < 0.05, "{mean}");
    }

    #[test]
    fn grid_is_full_factorial_last_fastest() {
        assert_eq!(
            grid(&[2, 3]),
            vec![
                vec![0, 0],
                vec![0, 1],
                vec![0, 2],
                vec![1, 0],
                vec![1, 1],
                vec![1, 2]
            ]
        );
        assert_eq!(grid(&[]), vec![Vec::<usize>::new()]);
        assert!(grid(&[3, 0, 2]).is_empty());
        assert_eq!(grid(&[1, 1]), vec![vec![0, 0]]);
        let big = grid(&[3, 4, 5]);
        assert_eq!(big.len(), 60);
        assert_eq!(big[59], vec![2, 3, 4]);
        assert_eq!(big[5], vec![0, 1, 0]);
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut items: Vec<u32> = (0..100).collect();
        shuffle(&mut items, &mut rng);
        assert_ne!(items, (0..100).collect::<Vec<_>>());
        items.sort_unstable();
        assert_eq!(items, (0..100).collect::<Vec<_>>());
        shuffle(&mut [0_u8; 0], &mut rng);
    }
}
