//! Tests of the forces family's systems on a World of one run: demobilisation to the cap or to
//! the peacetime level, hedging above the cap (a violation that inspections report), the
//! grievance the cap meets, and what allied troops, nearby aircraft and a nuclear option do to
//! the run's [`Modifiers`] and to the other side's ledger.

use super::*;
use crate::engine::Variant;
use crate::model::{Ledger, Modifiers};
use crate::scenario::Scenario;
use crate::testing::{Sim, quiet, set};

/// A quiet run in which Ukraine never hedges above its cap.
fn compliant(sc: &Scenario, v: &mut Variant) {
    quiet(sc, v);
    set(sc, v, "point.6.hedge-rate", 0.0);
}

fn personnel(sim: &mut Sim, s: usize) -> f64 {
    let side = sim.side(s);
    sim.get::<Capabilities>(side).personnel
}

#[test]
fn ukraine_demobilises_linearly_to_the_cap_within_its_period() {
    let mut sim = Sim::new(1, compliant);
    // 880,000 to 600,000 over 1.5 years (547.5 days); Russia 700,000 to 600,000 over 2 years.
    let ukraine_pace = 280_000.0 / 547.5;
    let russia_pace = 100_000.0 / 730.0;
    for tick in 1..=78 {
        sim.ticks(1);
        let day = 7.0 * f64::from(tick);
        let u = personnel(&mut sim, 1);
        assert!(
            (u - (880_000.0 - ukraine_pace * day)).abs() < 1e-6,
            "tick {tick}: {u}"
        );
        let r = personnel(&mut sim, 0);
        assert!(
            (r - (700_000.0 - russia_pace * day)).abs() < 1e-6,
            "tick {tick}: {r}"
        );
    }
    // Day 553 is past the 547.5 days: Ukraine is at the cap, and stays there.
    sim.ticks(1);
    assert_eq!(personnel(&mut sim, 1), 600_000.0);
    sim.ticks(30);
    assert_eq!(personnel(&mut sim, 1), 600_000.0);
    // Russia reached its peacetime level after 730 days (tick 105) and stays there.
    assert_eq!(personnel(&mut sim, 0), 600_000.0);
    // Quality grew at Ukraine's reconstitution rate of 3% a year, continuously.
    let day: f64 = 7.0 * 109.0;
    let q = sim.get::<Capabilities>(sim.side(1)).quality;
    assert!((q - 0.85 * (0.03 / 365.0 * day).exp()).abs() < 1e-12, "{q}");
}

#[test]
fn without_the_cap_ukraine_demobilises_to_its_peacetime_level() {
    let mut sim = Sim::new(1, |sc, v| {
        compliant(sc, v);
        v.enabled.remove(Kind::ForceCap);
    });
    sim.ticks(10);
    let expected = 880_000.0 - 80_000.0 / 547.5 * 70.0;
    assert!((personnel(&mut sim, 1) - expected).abs() < 1e-6);
    sim.ticks(69);
    assert_eq!(personnel(&mut sim, 1), 800_000.0);
    sim.ticks(50);
    assert_eq!(personnel(&mut sim, 1), 800_000.0);
    let fp: ForcePosture = sim.get(sim.side(1));
    assert!(!fp.hedging && fp.days_above_cap == 0.0);
}

#[test]
fn hedging_above_the_cap_is_a_violation_that_inspections_report_and_it_raises_personnel() {
    let mut sim = Sim::new(2, |sc, v| {
        compliant(sc, v);
        // Every violation is detected and attributed to the side that committed it.
        set(sc, v, "conflict.baseline-detection", 1.0);
        set(sc, v, "conflict.baseline-attribution", 1.0);
        set(sc, v, "point.6.inspection-rate", 500.0);
        set(sc, v, "point.6.return-rate", 0.0);
    });
    sim.ticks(80); // day 560: demobilised to the cap
    assert_eq!(personnel(&mut sim, 1), 600_000.0);
    let before: Commitments = sim.get(sim.side(1));
    assert_eq!(before.committed[Kind::ForceCap as usize], 0);
    assert_eq!(before.attributed[Kind::ForceCap as usize], 0);

    // Now Ukraine, under threat, starts hedging at once.
    sim.retune("point.6.hedge-rate", 1e6);
    sim.ticks(1);
    let fp: ForcePosture = sim.get(sim.side(1));
    assert!(fp.hedging);
    let c: Commitments = sim.get(sim.side(1));
    assert_eq!(c.committed[Kind::ForceCap as usize], 1, "starting to hedge");
    assert!(c.attributed[Kind::ForceCap as usize] >= 1);
    // It builds towards the hedge level of 800,000 at the pace of the distance still to go:
    // 200,000 over 547.5 days.
    let p = personnel(&mut sim, 1);
    assert!(
        (p - (600_000.0 + 200_000.0 / 547.5 * 7.0)).abs() < 1e-6,
        "{p}"
    );
    assert_eq!(fp.days_above_cap, 7.0);

    // While it stays above the cap, inspections keep reporting: more attributions, but the
    // breach itself is one violation.
    sim.ticks(9);
    let high = personnel(&mut sim, 1);
    sim.ticks(1);
    let later: Commitments = sim.get(sim.side(1));
    assert_eq!(later.committed[Kind::ForceCap as usize], 1);
    assert!(later.attributed[Kind::ForceCap as usize] > c.attributed[Kind::ForceCap as usize]);
    assert!(high > p && high <= 800_000.0);
    // Russia's grievance about Ukraine's military is no longer met: it prices the forces it
    // faces at the start of the tick (forces move later in the tick, in `Act`).
    let russia: Ledger = sim.get(sim.side(0));
    let share = (high - 600_000.0) / 280_000.0;
    assert!(
        (russia.terms[Kind::ForceCap as usize] - 0.4 * share * russia.p_win).abs() < 1e-12,
        "{}",
        russia.terms[Kind::ForceCap as usize]
    );

    // When it returns to compliance, personnel falls back to the cap.
    sim.retune("point.6.hedge-rate", 0.0);
    sim.retune("point.6.return-rate", 1e6);
    sim.ticks(1);
    let fp: ForcePosture = sim.get(sim.side(1));
    assert!(!fp.hedging);
    assert!(personnel(&mut sim, 1) < high);
    sim.ticks(150);
    assert_eq!(personnel(&mut sim, 1), 600_000.0);
}

#[test]
fn the_cap_meets_russias_grievance_in_proportion_to_the_drawdown() {
    let mut sim = Sim::new(1, compliant);
    // Forces move in `Act`, after the ledger is priced: a tick prices the forces at its start.
    sim.ticks(1);
    let share = (personnel(&mut sim, 1) - 600_000.0) / (880_000.0 - 600_000.0);
    assert!(share > 0.98 && share < 1.0);
    sim.ticks(1);
    let russia: Ledger = sim.get(sim.side(0));
    let term = russia.terms[Kind::ForceCap as usize];
    assert!((term - 0.4 * share * russia.p_win).abs() < 1e-12, "{term}");
    // Ukraine pays nothing for a cap on its own forces.
    let ukraine: Ledger = sim.get(sim.side(1));
    assert_eq!(ukraine.terms[Kind::ForceCap as usize], 0.0);
    // At the cap (reached in the 80th tick) the grievance is met from the next tick on.
    sim.ticks(79);
    let russia: Ledger = sim.get(sim.side(0));
    assert_eq!(russia.terms[Kind::ForceCap as usize], 0.0);

    // Without the cap it is never met, whatever Ukraine's forces.
    let mut sim = Sim::new(1, |sc, v| {
        compliant(sc, v);
        v.enabled.remove(Kind::ForceCap);
    });
    sim.ticks(100);
    let russia: Ledger = sim.get(sim.side(0));
    assert!(russia.p_win > 0.0);
    assert!((russia.terms[Kind::ForceCap as usize] - 0.4 * russia.p_win).abs() < 1e-12);
}

/// The run's modifiers and Russia's ledger after one tick, with `off` switched off.
fn first_tick(off: &[Kind]) -> (Modifiers, Ledger) {
    let mut sim = Sim::new(1, |sc, v| {
        compliant(sc, v);
        for &k in off {
            v.enabled.remove(k);
        }
    });
    sim.ticks(1);
    (sim.get(sim.root()), sim.get(sim.side(0)))
}

#[test]
fn the_jets_add_defensive_power_and_credibility() {
    let (with, russia_with) = first_tick(&[]);
    let (without, russia_without) = first_tick(&[Kind::AirPowerNearby]);
    // 60 units of combat power for Ukraine's defence, 0.05 on the guarantors' response.
    assert!((with.defence_bonus[1] - without.defence_bonus[1] - 60.0).abs() < 1e-12);
    assert_eq!(with.defence_bonus[0], without.defence_bonus[0]);
    assert!((with.response_boost - without.response_boost - 0.05).abs() < 1e-12);
    // So Russia is less likely to win an offensive.
    assert!(russia_with.p_win < russia_without.p_win);
    // The aircraft are no grievance of Russia's.
    assert_eq!(russia_with.terms[Kind::AirPowerNearby as usize], 0.0);
}

#[test]
fn without_point_8_a_reassurance_force_deters_and_provokes() {
    let (with, russia_with) = first_tick(&[]);
    let (without, russia_without) = first_tick(&[Kind::NoForeignTroops]);
    // 30,000 troops at 1.5 per 1,000: 45 units of defence; a 0.15 tripwire; Russia's threat
    // perception 20% higher, Ukraine's unchanged.
    assert!((without.defence_bonus[1] - with.defence_bonus[1] - 45.0).abs() < 1e-12);
    assert!((without.response_boost - with.response_boost - 0.15).abs() < 1e-12);
    assert!((without.threat_mult[0] / with.threat_mult[0] - 1.2).abs() < 1e-12);
    assert_eq!(without.threat_mult[1], with.threat_mult[1]);
    // Russia's grievance about Western troops in Ukraine.
    assert_eq!(russia_with.terms[Kind::NoForeignTroops as usize], 0.0);
    let g = russia_without.terms[Kind::NoForeignTroops as usize];
    assert!(
        g > 0.0 && (g - 0.3 * russia_without.p_win).abs() < 1e-12,
        "{g}"
    );
}

#[test]
fn without_point_18_russia_holds_a_grievance_and_a_higher_threat() {
    let (with, russia_with) = first_tick(&[]);
    let (without, russia_without) = first_tick(&[Kind::NonNuclear]);
    assert!((without.threat_mult[0] / with.threat_mult[0] - 1.1).abs() < 1e-12);
    assert_eq!(without.threat_mult[1], with.threat_mult[1]);
    assert_eq!(russia_with.terms[Kind::NonNuclear as usize], 0.0);
    let g = russia_without.terms[Kind::NonNuclear as usize];
    assert!(
        g > 0.0 && (g - 0.1 * russia_without.p_win).abs() < 1e-12,
        "{g}"
    );
}

#[test]
fn implementation_of_the_cap_is_the_share_of_the_run_spent_under_it() {
    // Ukraine hedges from the start and never returns: it stays above the cap. Days above
    // the cap count once the demobilisation period (547.5 days) is over: the ticks ending on
    // days 553 to 735, when Russia attacks and the run ends.
    let mut sim = Sim::new(3, |sc, v| {
        quiet(sc, v);
        set(sc, v, "point.6.hedge-rate", 1e6);
        set(sc, v, "point.6.return-rate", 0.0);
    });
    sim.ticks(104);
    sim.force_war(0);
    sim.ticks(1);
    let o: crate::model::Outcome = sim.get(sim.root());
    assert_eq!((o.status, o.day), (crate::model::Status::Collapsed, 735.0));
    let fp: ForcePosture = sim.get(sim.side(1));
    assert!(fp.hedging);
    assert_eq!(fp.days_above_cap, 27.0 * 7.0);
    let imp: Implementation = sim.implementation();
    let level = f64::from(imp.0[Kind::ForceCap as usize]);
    assert!((level - (1.0 - 189.0 / 735.0)).abs() < 1e-6, "{level}");
    for k in [
        Kind::NoForeignTroops,
        Kind::AirPowerNearby,
        Kind::NonNuclear,
    ] {
        assert_eq!(imp.0[k as usize], 1.0);
    }
}
