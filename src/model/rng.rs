//! Seeds and random streams: the determinism contract in code.
//!
//! A run is a pure function of (scenario, master seed, run index). The run's seed is derived
//! from the master seed and the run index by a fixed mixing function, never drawn from a shared
//! generator. Each decision site (a party, a body, the per-run parameter draw) owns a
//! ChaCha8 generator keyed by the run seed, on its own ChaCha stream number, so the order in
//! which entities are visited can never change what any of them draws. The generator is
//! [`ChaCha8`], which yields the words of `rand_chacha::ChaCha8Rng` in a quarter of its memory.

pub use super::chacha::ChaCha8;
use bevy_ecs::prelude::Component;
use rand::RngExt;
use rand_distr::{Distribution, Exp1};
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

/// SplitMix64's output function: a bijective 64-bit mixer with good avalanche.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed of run `run_index` under `master_seed`.
pub fn run_seed(master_seed: u64, run_index: u64) -> u64 {
    mix64(master_seed ^ mix64(run_index.wrapping_mul(0xD1B5_4A32_D192_ED03)))
}

/// Stream numbers. A decision site's stream number is its [`Site::NUMBER`] in the high half
/// and the party's index in the low half; the per-run sites below use the top of the range,
/// so no two sites of a run ever share a stream.
pub mod streams {
    /// The stream from which a run draws its uncertain parameters.
    pub const PARAMETERS: u64 = u64::MAX;

    /// The "party index" of sites that belong to the run rather than to one of its parties.
    pub const RUN: u8 = u8::MAX;

    /// The stream of `site` for the party with index `party`.
    pub const fn of(site: u32, party: u8) -> u64 {
        ((site as u64) << 32) | party as u64
    }
}

/// The random stream of one decision site in one run: the words of
/// `ChaCha8Rng::seed_from_u64(run_seed)` set to stream number `stream`.
pub fn stream(run_seed: u64, stream: u64) -> ChaCha8 {
    ChaCha8::new(run_seed, stream)
}

/// A random stream: uniform, Bernoulli and exponential draws from one ChaCha8 generator.
#[derive(Debug, Clone)]
pub struct Stream(pub ChaCha8);

/// A kind of decision that draws at random, such as a side's choice of war or a guarantor's
/// election. Each party that makes such decisions holds a [`Draws`] component for the site,
/// with its own stream: what one site draws never shifts what another draws, whatever order
/// the schedule runs their systems in, and a system added to the model leaves the draws of
/// every other site as they were.
pub trait Site: Send + Sync + 'static {
    /// The site's number, unique among sites (see [`sites`]).
    const NUMBER: u32;
}

/// A party's (or a run's) stream for decisions of site `S`.
#[derive(Component, Debug, Clone)]
pub struct Draws<S: Site> {
    stream: Stream,
    site: PhantomData<S>,
}

impl<S: Site> Draws<S> {
    /// The stream of site `S` for party `party` in the run with seed `run_seed`.
    pub fn new(run_seed: u64, party: u8) -> Self {
        Draws {
            stream: Stream(stream(run_seed, streams::of(S::NUMBER, party))),
            site: PhantomData,
        }
    }
}

impl<S: Site> Deref for Draws<S> {
    type Target = Stream;
    fn deref(&self) -> &Stream {
        &self.stream
    }
}

impl<S: Site> DerefMut for Draws<S> {
    fn deref_mut(&mut self) -> &mut Stream {
        &mut self.stream
    }
}

/// The decision sites. Their numbers fix which stream each draws from: changing one changes
/// every published result, so numbers are never reused or renumbered.
pub mod sites {
    use super::Site;

    macro_rules! sites {
        ($($(#[$doc:meta])* $name:ident = $n:literal;)*) => {
            $(
                $(#[$doc])*
                #[derive(Debug, Clone, Copy)]
                pub struct $name;
                impl Site for $name {
                    const NUMBER: u32 = $n;
                }
            )*
            /// Every site's number, for the test that they are unique.
            #[cfg(test)]
            pub const ALL: &[u32] = &[$($n),*];
        };
    }

    sites! {
        /// An armed side's choice of renewed war and the incidents it causes on the line.
        War = 1;
        /// Whether an incident against a side escalates (drawn on the victim's stream).
        Escalation = 2;
        /// The run's monitors: detection and attribution of violations.
        Monitoring = 3;
        /// A body's decisions on sanctions for attributed violations (point 27).
        Enforcement = 4;
        /// A side's recruitment and demobilisation under the force cap (point 6).
        Forces = 5;
        /// A side's withdrawal and its incursions into the demilitarised zone (points 21, 28).
        Territory = 6;
        /// A side's incidents against the plant and shipping, and the union's decision on
        /// accession (points 19, 23 and 11).
        Economy = 7;
        /// Guarantor elections and strikes on the capital (points 5 and 10).
        Guarantee = 8;
        /// A body's exchange rounds and the election's outcome (points 24 and 25).
        Society = 9;
        /// A body's decisions on lifting sanctions (point 13).
        Sanctions = 10;
    }
}

impl Stream {
    /// A uniform draw in [0, 1).
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    /// True with probability `p`.
    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// A draw from the unit exponential distribution.
    #[inline]
    pub fn exp1(&mut self) -> f64 {
        Exp1.sample(&mut self.0)
    }
}

/// Turns a constant rate (events per day) into the probability of at least one event in a
/// tick of `dt` days: `1 - exp(-rate * dt)`. This is what makes results independent of the
/// tick length: two ticks of 1 day give the same probability as one tick of 2 days.
#[inline]
pub fn per_tick_probability(rate_per_day: f64, dt_days: f64) -> f64 {
    -(-rate_per_day * dt_days).exp_m1()
}

/// An event process with a time-varying hazard, simulated exactly: the process fires when its
/// integrated hazard crosses a unit-exponential threshold, and the threshold is redrawn after
/// each event. Within a tick of constant hazard `h`, the chance of an event is
/// `1 - exp(-h * dt)`, the same as [`per_tick_probability`], but it needs no random draw per tick
/// and no `exp` per tick, and several events in one tick are counted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HazardClock {
    /// Integrated hazard since the last event.
    pub integrated: f64,
    /// The integrated hazard at which the next event fires.
    pub threshold: f64,
}

impl Default for HazardClock {
    fn default() -> Self {
        HazardClock::UNARMED
    }
}

impl HazardClock {
    /// A clock that draws its first threshold when first advanced.
    pub const UNARMED: HazardClock = HazardClock {
        integrated: 0.0,
        threshold: -1.0,
    };

    /// A clock armed with a fresh threshold.
    pub fn armed(rng: &mut Stream) -> Self {
        HazardClock {
            integrated: 0.0,
            threshold: rng.exp1(),
        }
    }

    /// Advances by a tick of `dt` days at `rate` events per day; returns how many events fire
    /// (at most `cap`, to bound work in pathological states).
    #[inline(always)]
    pub fn advance(&mut self, rate: f64, dt: f64, rng: &mut Stream, cap: u32) -> u32 {
        match self.integrate(rate, dt) {
            None => 0,
            Some(integrated) => self.fire(integrated, rng, cap),
        }
    }

    /// The first half of [`HazardClock::advance`], for a caller that must look its stream up
    /// before drawing: adds a tick of `dt` days at `rate` and returns `None` when nothing fires
    /// (most ticks), or the integrated hazard to hand to [`HazardClock::fire`] with the stream.
    /// Until then the clock stays where it was.
    #[inline(always)]
    pub fn integrate(&mut self, rate: f64, dt: f64) -> Option<f64> {
        let integrated = self.integrated + rate.max(0.0) * dt;
        // Most ticks nothing fires: that case is inlined, the draws are not. (An unarmed
        // clock's negative threshold takes the slow path.)
        if integrated < self.threshold {
            self.integrated = integrated;
            return None;
        }
        Some(integrated)
    }

    /// The second half of [`HazardClock::advance`]: arms the clock if it is not, then counts
    /// the events that `integrated` reaches, drawing each next threshold.
    #[inline(never)]
    pub fn fire(&mut self, integrated: f64, rng: &mut Stream, cap: u32) -> u32 {
        if self.threshold < 0.0 {
            self.threshold = rng.exp1();
        }
        self.integrated = integrated;
        let mut n = 0;
        while self.integrated >= self.threshold && n < cap {
            self.integrated -= self.threshold;
            self.threshold = rng.exp1();
            n += 1;
        }
        if n == cap {
            self.integrated = 0.0;
        }
        n
    }
}

impl HazardClock {
    /// Advances by at most `dt` days at `rate` events per day and stops at the first event.
    //
    /// Returns the share of `dt` elapsed when the event happened, or `None` when none did; after
    /// an event the clock is re-armed from zero, so a process that switches state at the event
    /// can hand the rest of the tick to another clock. This places state changes inside a tick
    /// instead of at its end, which keeps processes such as a stalled withdrawal independent of
    /// the tick length.
    #[inline(always)]
    pub fn advance_to_first(&mut self, rate: f64, dt: f64, rng: &mut Stream) -> Option<f64> {
        if self.threshold < 0.0 {
            self.threshold = rng.exp1();
        }
        let step = rate.max(0.0) * dt;
        let need = self.threshold - self.integrated;
        if step <= 0.0 || step < need {
            self.integrated += step;
            return None;
        }
        self.integrated = 0.0;
        self.threshold = rng.exp1();
        Some((need / step).clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_seeds_differ_by_index_and_master_and_are_stable() {
        assert_ne!(run_seed(1, 0), run_seed(1, 1));
        assert_ne!(run_seed(1, 0), run_seed(2, 0));
        // SplitMix64's first output from state 0, a published reference value. A change to the
        // mixer changes every published result, so it must be noticed.
        assert_eq!(mix64(0), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn sites_have_distinct_numbers_and_streams() {
        let mut seen = std::collections::BTreeSet::new();
        for &n in sites::ALL {
            assert!(n > 0 && seen.insert(n), "site number {n} is reused");
        }
        // Two sites of one party, and one site of two parties, draw differently.
        let mut war = Draws::<sites::War>::new(9, 0);
        let mut forces = Draws::<sites::Forces>::new(9, 0);
        let mut war1 = Draws::<sites::War>::new(9, 1);
        let (a, b, c) = (war.uniform(), forces.uniform(), war1.uniform());
        assert!(a != b && a != c && b != c);
        assert_eq!(Draws::<sites::War>::new(9, 0).uniform(), a);
    }

    #[test]
    fn streams_of_one_seed_are_independent_and_reproducible() {
        let mut a = Stream(stream(7, 0));
        let mut b = Stream(stream(7, 1));
        let mut a2 = Stream(stream(7, 0));
        let xa: Vec<f64> = (0..8).map(|_| a.uniform()).collect();
        let xb: Vec<f64> = (0..8).map(|_| b.uniform()).collect();
        let xa2: Vec<f64> = (0..8).map(|_| a2.uniform()).collect();
        assert_eq!(xa, xa2);
        assert_ne!(xa, xb);
    }

    #[test]
    fn per_tick_probability_composes_across_ticks() {
        let r = 0.01;
        let one = per_tick_probability(r, 14.0);
        let two = 1.0 - (1.0 - per_tick_probability(r, 7.0)).powi(2);
        assert!((one - two).abs() < 1e-12);
        assert_eq!(per_tick_probability(0.0, 7.0), 0.0);
    }

    #[test]
    fn hazard_clock_matches_the_exponential_law_for_any_tick() {
        // With a constant hazard the first event time is exponential: P(T <= t) = 1 - e^{-ht}.
        // 20,000 clocks at two tick lengths; the binomial sd of the share is about 0.0035.
        let h = 0.002;
        let horizon = 365.0;
        for dt in [1.0, 7.0] {
            let mut rng = Stream(stream(3, 9));
            let mut fired = 0;
            for _ in 0..20_000 {
                let mut c = HazardClock::armed(&mut rng);
                let mut t = 0.0;
                while t < horizon {
                    let step = f64::min(dt, horizon - t);
                    if c.advance(h, step, &mut rng, 100) > 0 {
                        fired += 1;
                        break;
                    }
                    t += step;
                }
            }
            let share = fired as f64 / 20_000.0;
            let expected = per_tick_probability(h, horizon);
            assert!(
                (share - expected).abs() < 0.015,
                "dt {dt}: {share} vs {expected}"
            );
        }
    }

    #[test]
    fn first_event_times_are_exponential_for_any_tick() {
        // Mean time to the first event at rate h is 1/h, whatever the tick.
        let h = 0.05;
        for dt in [1.0, 7.0, 30.0] {
            let mut rng = Stream(stream(11, 3));
            let mut total = 0.0;
            for _ in 0..20_000 {
                let mut c = HazardClock::UNARMED;
                let mut t = 0.0;
                loop {
                    if let Some(f) = c.advance_to_first(h, dt, &mut rng) {
                        total += t + f * dt;
                        break;
                    }
                    t += dt;
                }
            }
            let mean = total / 20_000.0;
            // sd of the mean: (1/h) / sqrt(20,000) = 0.14 days.
            assert!((mean - 1.0 / h).abs() < 0.6, "dt {dt}: {mean}");
        }
    }

    #[test]
    fn hazard_clock_counts_several_events_in_one_tick() {
        let mut rng = Stream(stream(5, 2));
        let mut c = HazardClock::armed(&mut rng);
        let n: u32 = (0..1000)
            .map(|_| c.advance(1.0, 10.0, &mut rng, 1000))
            .sum();
        // Poisson with mean 10,000; sd 100.
        assert!((9_500..10_500).contains(&n), "{n}");
    }
}
