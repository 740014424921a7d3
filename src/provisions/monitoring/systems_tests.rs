//! Tests of the monitoring family's systems on a World of one run: how the council and the
//! working group combine with national means of detection and attribution, the council's
//! enforcement before and after its chair's term, its audience cost, and its sanctions, which
//! fall on the side it blames and take effect after a delay.

use super::*;
use crate::engine::Variant;
use crate::model::{Commitments, Ledger, Modifiers};
use crate::scenario::Scenario;
use crate::testing::{Sim, quiet, set};

/// A quiet run with the ceasefire in force from signing in which only Russia violates it, on
/// the line of contact, many times a week; every violation is detected and attributed to it,
/// and the council sanctions every attributed one.
fn only_russia_violates(sc: &Scenario, v: &mut Variant) {
    quiet(sc, v);
    v.enabled.remove(Kind::Ceasefire);
    set(sc, v, "party.russia.incident-rate", 2000.0);
    set(sc, v, "party.ukraine.incident-rate", 0.0);
    set(sc, v, "point.21.zone-incursion-rate", 0.0);
    set(sc, v, "point.6.hedge-rate", 0.0);
    set(sc, v, "point.10.capital-strike-rate", 0.0);
    set(sc, v, "conflict.baseline-detection", 1.0);
    set(sc, v, "conflict.baseline-attribution", 1.0);
    set(sc, v, "point.27.enforcement", 1.0);
}

fn modifiers(off: &[Kind]) -> Modifiers {
    let mut sim = Sim::new(1, |sc, v| {
        quiet(sc, v);
        for &k in off {
            v.enabled.remove(k);
        }
    });
    sim.ticks(1);
    sim.get(sim.root())
}

#[test]
fn council_and_working_group_add_to_national_detection_and_attribution() {
    // National means: detection 0.4, attribution 0.7; no enforcement.
    let none = modifiers(&[Kind::PeaceCouncil, Kind::WorkingGroup]);
    assert!((none.detection - 0.4).abs() < 1e-12 && (none.attribution - 0.7).abs() < 1e-12);
    assert_eq!(none.enforcement, 0.0);
    // The council detects half of what is left and attributes better (0.85); it enforces 0.2.
    let council = modifiers(&[Kind::WorkingGroup]);
    assert!(
        (council.detection - 0.7).abs() < 1e-12,
        "{}",
        council.detection
    );
    assert!((council.attribution - 0.85).abs() < 1e-12);
    assert!((council.enforcement - 0.2).abs() < 1e-12);
    // The working group detects a fifth of what is left and corrects 30% of misattributions.
    let group = modifiers(&[Kind::PeaceCouncil]);
    assert!((group.detection - (1.0 - 0.6 * 0.8)).abs() < 1e-12);
    assert!((group.attribution - (0.7 + 0.3 * 0.3)).abs() < 1e-12);
    assert_eq!(group.enforcement, 0.0);
    // Both: 1 - 0.6 × 0.5 × 0.8 = 0.76 detected; 0.85 + 0.3 × 0.15 = 0.895 attributed.
    let both = modifiers(&[]);
    assert!((both.detection - 0.76).abs() < 1e-12, "{}", both.detection);
    assert!(
        (both.attribution - 0.895).abs() < 1e-12,
        "{}",
        both.attribution
    );
    assert!((both.enforcement - 0.2).abs() < 1e-12);
    // The group's channel keeps 15% of escalations from happening; the council has none.
    assert!((both.escalation_mult / council.escalation_mult - 0.85).abs() < 1e-12);
    assert_eq!(council.escalation_mult, none.escalation_mult);
}

#[test]
fn enforcement_changes_when_the_chairs_term_ends() {
    let mut sim = Sim::new(1, quiet);
    sim.ticks(159); // day 1,113: the first chair still serves (term ends on day 1,115)
    let m: Modifiers = sim.get(sim.root());
    assert!((m.enforcement - 0.2).abs() < 1e-12);
    sim.ticks(1); // day 1,120: the successor enforces 0.8 times as much
    let m: Modifiers = sim.get(sim.root());
    assert!((m.enforcement - 0.16).abs() < 1e-12, "{}", m.enforcement);
    // Detection and attribution do not depend on the chair.
    assert!((m.detection - 0.76).abs() < 1e-12);
}

#[test]
fn a_legally_binding_agreement_costs_either_side_that_attacks() {
    for (off, cost) in [(false, -0.1), (true, 0.0)] {
        let mut sim = Sim::new(1, |sc, v| {
            quiet(sc, v);
            if off {
                v.enabled.remove(Kind::PeaceCouncil);
            }
        });
        sim.ticks(1);
        for s in 0..2 {
            let l: Ledger = sim.get(sim.side(s));
            assert!((l.terms[Kind::PeaceCouncil as usize] - cost).abs() < 1e-12);
        }
    }
}

#[test]
fn the_council_sanctions_the_side_it_blames_after_its_delay() {
    let mut sim = Sim::new(4, only_russia_violates);
    let council = sim.party("peace-council");
    sim.ticks(1);
    let russia: Commitments = sim.get(sim.side(0));
    assert!(russia.total_attributed() > 0);
    // Every attribution of day 7 is sanctioned 60 days later, up to what the council can
    // hold; all fall on Russia, the side it blamed.
    let pending: PendingSanctions = sim.get(council);
    let decided = pending.len;
    assert!(decided > 0);
    assert!(
        pending.queue[..decided]
            .iter()
            .all(|&(day, side)| day == 67.0 && side == 0)
    );
    // Nothing takes effect before day 67.
    sim.ticks(8); // day 63
    let tally: Tally = sim.get(sim.root());
    assert_eq!(tally.sanctions_imposed, 0);
    sim.ticks(1); // day 70: exactly the sanctions decided on day 7 take effect
    let tally: Tally = sim.get(sim.root());
    assert_eq!(tally.sanctions_imposed, decided as u32);
    // The council cannot hold more than its queue; what it decided since is due 60 days
    // after its own attribution.
    let pending: PendingSanctions = sim.get(council);
    assert!(pending.len > 0 && pending.len <= PENDING);
    assert!(
        pending.queue[..pending.len]
            .iter()
            .all(|&(day, _)| day >= 74.0)
    );
}

#[test]
fn a_misattributed_violation_is_sanctioned_on_the_wrong_side() {
    let mut sim = Sim::new(4, |sc, v| {
        only_russia_violates(sc, v);
        // Every monitor blames the wrong side.
        set(sc, v, "conflict.baseline-attribution", 0.0);
        set(sc, v, "point.27.attribution", 0.0);
        set(sc, v, "point.15.attribution-gain", 0.0);
    });
    sim.ticks(1);
    let pending: PendingSanctions = sim.get(sim.party("peace-council"));
    assert!(pending.len > 0);
    assert!(
        pending.queue[..pending.len]
            .iter()
            .all(|&(_, side)| side == 1)
    );
    let ukraine: Commitments = sim.get(sim.side(1));
    assert_eq!(ukraine.total_committed(), 0);
    assert!(ukraine.total_attributed() > 0);
}

#[test]
fn without_enforcement_attributed_violations_go_unpunished() {
    let mut sim = Sim::new(4, |sc, v| {
        only_russia_violates(sc, v);
        set(sc, v, "point.27.enforcement", 0.0);
    });
    sim.ticks(20);
    let russia: Commitments = sim.get(sim.side(0));
    assert!(russia.total_attributed() > 100);
    let pending: PendingSanctions = sim.get(sim.party("peace-council"));
    let tally: Tally = sim.get(sim.root());
    assert_eq!((pending.len, tally.sanctions_imposed), (0, 0));
}

#[test]
fn implementation_of_monitoring_is_the_share_of_incidents_detected() {
    let mut sim = Sim::new(5, quiet);
    sim.ticks(52);
    sim.force_war(0);
    sim.ticks(1); // day 371: the run ends
    let o: Outcome = sim.get(sim.root());
    assert!(!o.running());
    let tally: Tally = sim.get(sim.root());
    let incidents = tally.incidents[0] + tally.incidents[1];
    // War before the ceasefire is not a violation and goes undetected; after it, most is.
    assert!(incidents > tally.detected && tally.detected > 0);
    let imp: Implementation = sim.implementation();
    let expected = f64::from(tally.detected) / f64::from(incidents);
    for k in [Kind::PeaceCouncil, Kind::WorkingGroup] {
        assert!((f64::from(imp.0[k as usize]) - expected).abs() < 1e-6);
    }
}
