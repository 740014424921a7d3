//! Tests of the society family's systems on a World of one run: exchange rounds that raise or
//! lower trust, the election and its shifts of resolve, trust and hostility, the concessions it
//! counts, the incidents an amnesty removes, and the tolerance programmes that speed the decay
//! of hostility and remove a pretext.

use super::*;
use crate::conflict::decay;
use crate::engine::Variant;
use crate::model::{Ledger, Modifiers};
use crate::scenario::Scenario;
use crate::testing::{Sim, set, silent};

fn postures(sim: &mut Sim) -> [Posture; 2] {
    [sim.get(sim.side(0)), sim.get(sim.side(1))]
}

/// Trust after a tick of 7 days of growth in a quiet ceasefire (12% of the gap a year).
fn grown(trust: f64) -> f64 {
    trust + (1.0 - trust) * -(-0.12 / 365.0 * 7.0f64).exp_m1()
}

#[test]
fn a_successful_exchange_raises_both_sides_trust() {
    let mut sim = Sim::new(1, |sc, v| {
        silent(sc, v);
        set(sc, v, "point.24.success-probability", 1.0);
    });
    sim.ticks(6); // day 42: before the first round on day 45
    let before = postures(&mut sim);
    let s: SocietyState = sim.get(sim.root());
    assert_eq!((s.rounds_done, s.rounds_failed, s.next_round), (0, 0, 45.0));
    sim.ticks(1); // day 49, still before the ceasefire: trust moves only by the round
    let after = postures(&mut sim);
    for i in 0..2 {
        assert!(
            (after[i].trust - before[i].trust - 0.02).abs() < 1e-12,
            "side {i}"
        );
    }
    let s: SocietyState = sim.get(sim.root());
    assert_eq!((s.rounds_done, s.rounds_failed, s.next_round), (1, 0, 90.0));
    // After 12 rounds every exchange is done and no more rounds are held.
    sim.ticks(100);
    let s: SocietyState = sim.get(sim.root());
    assert_eq!((s.rounds_done, s.next_round), (12, 13.0 * 45.0));
}

#[test]
fn a_failed_exchange_lowers_both_sides_trust() {
    let mut sim = Sim::new(1, |sc, v| {
        silent(sc, v);
        set(sc, v, "point.24.success-probability", 0.0);
    });
    sim.ticks(6);
    let before = postures(&mut sim);
    sim.ticks(1);
    let after = postures(&mut sim);
    for i in 0..2 {
        assert!(
            (before[i].trust - after[i].trust - 0.01).abs() < 1e-12,
            "side {i}"
        );
    }
    let s: SocietyState = sim.get(sim.root());
    assert_eq!((s.rounds_done, s.rounds_failed), (0, 1));
}

#[test]
fn exchanges_fail_under_tension() {
    let mut sim = Sim::new(1, |sc, v| {
        silent(sc, v);
        set(sc, v, "point.24.success-probability", 1.0);
    });
    sim.ticks(6);
    // With a tension this high the chance of success, 1 / (1 + 2 × tension), is nil.
    sim.set::<Tension>(sim.root(), |t| t.0 = 1e12);
    sim.ticks(1);
    let s: SocietyState = sim.get(sim.root());
    assert_eq!((s.rounds_done, s.rounds_failed), (0, 1));
}

/// Postures after the tick before the election (day 98) and after the election's tick (day
/// 105), with the chance of a resentful winner set by `edit`.
fn election(edit: impl FnOnce(&Scenario, &mut Variant)) -> ([Posture; 2], [Posture; 2], u8) {
    let mut sim = Sim::new(1, |sc, v| {
        silent(sc, v);
        edit(sc, v);
    });
    sim.ticks(14);
    let before = postures(&mut sim);
    assert_eq!(sim.get::<SocietyState>(sim.root()).election, 0);
    sim.ticks(1);
    let after = postures(&mut sim);
    (before, after, sim.get::<SocietyState>(sim.root()).election)
}

/// Checks Ukraine's shift by an election of `sign` (+1 resentful, -1 conciliatory), followed by
/// the rest of the tick's adaptation (trust grows in the ceasefire; hostility decays, 50%
/// faster with the tolerance programmes).
fn assert_shift(before: &[Posture; 2], after: &[Posture; 2], sign: f64) {
    let (b, a) = (before[1], after[1]);
    assert!((a.resolve - b.resolve * (1.0 + sign * 0.3)).abs() < 1e-12);
    let trust = grown((b.trust - sign * 0.05).clamp(0.0, 1.0));
    assert!((a.trust - trust).abs() < 1e-12, "{} vs {trust}", a.trust);
    let hostility = decay(
        (b.hostility + sign * 0.05).clamp(0.0, 1.0),
        7.0 * 1.5,
        15.0 * 365.0,
    );
    assert!((a.hostility - hostility).abs() < 1e-12);
    // Russia's government does not change.
    assert_eq!(after[0].resolve, before[0].resolve);
    assert!((after[0].trust - grown(before[0].trust)).abs() < 1e-12);
}

#[test]
fn a_resentful_winner_brings_more_resolve_less_trust_and_more_hostility() {
    let (before, after, result) = election(|sc, v| {
        set(sc, v, "point.25.resentful-base", 1.0);
    });
    assert_eq!(result, 2);
    assert_shift(&before, &after, 1.0);
    assert!(after[1].trust < before[1].trust && after[1].hostility > before[1].hostility);
}

#[test]
fn a_conciliatory_winner_brings_less_resolve_more_trust_and_less_hostility() {
    let (before, after, result) = election(|sc, v| {
        set(sc, v, "point.25.resentful-base", 0.0);
        set(sc, v, "point.25.backlash-per-concession", 0.0);
    });
    assert_eq!(result, 1);
    assert_shift(&before, &after, -1.0);
    assert!(after[1].trust > before[1].trust && after[1].hostility < before[1].hostility);
}

#[test]
fn the_election_counts_the_concessions_that_fall_on_ukraine() {
    let sc = crate::testing::plan();
    let count = |off: &[Kind], s: u8| {
        let mut v = Variant::of(&sc);
        for &k in off {
            v.enabled.remove(k);
        }
        let rp = RunParams {
            values: crate::model::ParamValues::new(&v.values),
            enabled: v.enabled,
        };
        concessions(&sc.plan, &rp, s)
    };
    // Territory ceded, amnesty, the cap on its forces, the bar on NATO membership.
    assert_eq!(count(&[], 1), 4);
    assert_eq!(count(&[Kind::Amnesty], 1), 3);
    assert_eq!(count(&[Kind::ForceCap, Kind::AllianceBar], 1), 2);
    let all = [
        Kind::Territory,
        Kind::Amnesty,
        Kind::ForceCap,
        Kind::AllianceBar,
    ];
    assert_eq!(count(&all, 1), 0);
    // The cap and the bar do not fall on Russia.
    assert_eq!(count(&[], 0), 2);
    // In the run: at 0.25 per concession and no base chance, four concessions make a
    // resentful winner certain and none make it impossible.
    let backlash = |sc: &Scenario, v: &mut Variant| {
        set(sc, v, "point.25.resentful-base", 0.0);
        set(sc, v, "point.25.backlash-per-concession", 0.25);
    };
    assert_eq!(election(backlash).2, 2);
    let (_, _, result) = election(|sc, v| {
        backlash(sc, v);
        for k in all {
            v.enabled.remove(k);
        }
    });
    assert_eq!(result, 1);
}

#[test]
fn without_point_25_the_election_comes_at_its_regular_time() {
    let mut sim = Sim::new(1, |sc, v| {
        silent(sc, v);
        v.enabled.remove(Kind::Elections);
    });
    sim.ticks(78); // day 546: before the regular day, 1.5 years after signing
    assert_eq!(sim.get::<SocietyState>(sim.root()).election, 0);
    sim.ticks(1); // day 553
    assert_ne!(sim.get::<SocietyState>(sim.root()).election, 0);
}

#[test]
fn the_amnesty_removes_a_share_of_incidents() {
    let multipliers = |off: bool| {
        let mut sim = Sim::new(1, |sc, v| {
            silent(sc, v);
            if off {
                v.enabled.remove(Kind::Amnesty);
            }
        });
        sim.ticks(1);
        sim.get::<Modifiers>(sim.root()).incident_mult
    };
    let (with, without) = (multipliers(false), multipliers(true));
    // A fifth of incidents come from spoilers, half of whom the amnesty removes.
    for s in 0..2 {
        assert!((with[s] / without[s] - 0.9).abs() < 1e-12);
    }
}

#[test]
fn tolerance_speeds_the_decay_of_hostility_and_removes_russias_pretext() {
    let tick = |off: bool| {
        let mut sim = Sim::new(1, |sc, v| {
            silent(sc, v);
            if off {
                v.enabled.remove(Kind::Tolerance);
            }
        });
        sim.ticks(1);
        let m: Modifiers = sim.get(sim.root());
        let p = postures(&mut sim);
        let l: [Ledger; 2] = [sim.get(sim.side(0)), sim.get(sim.side(1))];
        (m, p, l)
    };
    let (mw, pw, lw) = tick(false);
    let (mo, po, lo) = tick(true);
    assert_eq!(
        (mw.hostility_decay_mult, mo.hostility_decay_mult),
        (1.5, 1.0)
    );
    // From 0.7 and 0.85 at signing, one week of decay with a 15-year half-life.
    for (s, h0) in [(0, 0.7), (1, 0.85)] {
        assert!((pw[s].hostility - decay(h0, 7.0 * 1.5, 15.0 * 365.0)).abs() < 1e-12);
        assert!((po[s].hostility - decay(h0, 7.0, 15.0 * 365.0)).abs() < 1e-12);
        assert!(pw[s].hostility < po[s].hostility);
    }
    // Without the programmes Russia's stated pretext is a grievance it could pursue by force.
    assert_eq!(lw[0].terms[Kind::Tolerance as usize], 0.0);
    let g = lo[0].terms[Kind::Tolerance as usize];
    assert!(g > 0.0 && (g - 0.2 * lo[0].p_win).abs() < 1e-12, "{g}");
    assert_eq!(lo[1].terms[Kind::Tolerance as usize], 0.0);
}

#[test]
fn implementation_of_the_exchanges_and_the_election() {
    let mut sim = Sim::new(1, |sc, v| {
        silent(sc, v);
        set(sc, v, "point.24.success-probability", 1.0);
    });
    sim.ticks(26);
    sim.force_war(0);
    sim.ticks(1); // day 189: the run ends after the rounds of days 45, 90, 135 and 180
    let s: SocietyState = sim.get(sim.root());
    assert_eq!(s.rounds_done, 4);
    let imp: Implementation = sim.implementation();
    assert!((f64::from(imp.0[Kind::Humanitarian as usize]) - 4.0 / 12.0).abs() < 1e-6);
    assert_eq!(imp.0[Kind::Elections as usize], 1.0);
    assert_eq!(imp.0[Kind::Tolerance as usize], 1.0);
    assert_eq!(imp.0[Kind::Amnesty as usize], 1.0);
}
