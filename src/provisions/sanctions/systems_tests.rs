//! Tests of the sanctions family's systems on a World of one run: reviews that lift phases for
//! a compliant target and readmit it to the G8, the stake the relief gives it, and sanctions
//! decided by the council that roll a phase back and suspend the club seat again.

use super::*;
use crate::engine::Variant;
use crate::model::{Commitments, Ledger, Tally};
use crate::scenario::Scenario;
use crate::testing::{Sim, set};

/// A quiet run (nothing collapses it) in which the council never sanctions and every review of
/// a compliant Russia lifts the next phase.
fn compliant(sc: &Scenario, v: &mut Variant) {
    crate::testing::quiet(sc, v);
    set(sc, v, "point.27.enforcement", 0.0);
    set(sc, v, "point.13.lift-probability", 1.0);
}

fn g8_status(sim: &mut Sim) -> MembershipStatus {
    let m = sim.membership("russia", "g8");
    sim.get::<Membership>(m).status
}

fn relief_stake(sim: &mut Sim) -> f64 {
    sim.get::<Stakes>(sim.root()).get(0, Kind::SanctionsRelief)
}

#[test]
fn reviews_lift_phases_for_a_compliant_target_and_readmit_it_to_the_g8() {
    let mut sim = Sim::new(1, compliant);
    assert_eq!(g8_status(&mut sim), MembershipStatus::Suspended);
    sim.ticks(25); // day 175: before the first review on day 180
    let s: SanctionsState = sim.get(sim.root());
    assert_eq!((s.phases_lifted, s.next_review), (0, 180.0));
    assert_eq!(relief_stake(&mut sim), 0.0);
    sim.ticks(1); // day 182
    let s: SanctionsState = sim.get(sim.root());
    assert_eq!((s.phases_lifted, s.next_review), (1, 360.0));
    // A quarter of the relief, worth 1.2 in full, is now at stake.
    assert!((relief_stake(&mut sim) - 0.3).abs() < 1e-12);
    assert_eq!(g8_status(&mut sim), MembershipStatus::Suspended);
    sim.ticks(26); // day 364: the second phase readmits Russia to the G8
    let s: SanctionsState = sim.get(sim.root());
    assert_eq!(s.phases_lifted, 2);
    assert_eq!(g8_status(&mut sim), MembershipStatus::Active);
    assert!((relief_stake(&mut sim) - (0.6 + 0.1)).abs() < 1e-12);
    // Russia would lose all of it by attacking (point 10's snapback).
    let russia: Ledger = sim.get(sim.side(0));
    assert!((russia.terms[Kind::SanctionsRelief as usize] + 0.7).abs() < 1e-12);
    // After the fourth phase there is nothing more to lift.
    sim.ticks(100);
    let s: SanctionsState = sim.get(sim.root());
    assert_eq!((s.phases_lifted, s.rollbacks), (4, 0));
    assert!((relief_stake(&mut sim) - 1.3).abs() < 1e-12);
}

#[test]
fn a_review_that_does_not_lift_still_schedules_the_next_one() {
    let mut sim = Sim::new(1, |sc, v| {
        compliant(sc, v);
        set(sc, v, "point.13.lift-probability", 0.0);
    });
    sim.ticks(104); // day 728: four reviews
    let s: SanctionsState = sim.get(sim.root());
    assert_eq!((s.phases_lifted, s.next_review), (0, 900.0));
    assert_eq!(g8_status(&mut sim), MembershipStatus::Suspended);
}

#[test]
fn a_council_sanction_rolls_back_one_phase_and_blocks_the_next_review() {
    let mut sim = Sim::new(1, compliant);
    sim.ticks(52); // day 364: two phases lifted, back in the G8
    assert_eq!(g8_status(&mut sim), MembershipStatus::Active);
    // The council's decision of an earlier violation by Russia comes due on day 371.
    sim.queue_sanction(371.0, 0);
    sim.ticks(1);
    let s: SanctionsState = sim.get(sim.root());
    assert_eq!((s.phases_lifted, s.rollbacks), (1, 1));
    assert!(s.sanctioned_since_review);
    let tally: Tally = sim.get(sim.root());
    assert_eq!(tally.sanctions_imposed, 1);
    assert_eq!(g8_status(&mut sim), MembershipStatus::Suspended);
    assert!((relief_stake(&mut sim) - 0.3).abs() < 1e-12);
    // The review of day 540 finds a sanctioned target and lifts nothing; the one of day 720
    // lifts again.
    sim.ticks(26); // day 553
    let s: SanctionsState = sim.get(sim.root());
    assert_eq!((s.phases_lifted, s.next_review), (1, 720.0));
    assert!(!s.sanctioned_since_review);
    sim.ticks(25); // day 728
    let s: SanctionsState = sim.get(sim.root());
    assert_eq!(s.phases_lifted, 2);
    assert_eq!(g8_status(&mut sim), MembershipStatus::Active);
}

#[test]
fn a_sanction_on_the_other_side_does_not_touch_the_relief() {
    let mut sim = Sim::new(1, compliant);
    sim.ticks(52);
    sim.queue_sanction(371.0, 1);
    sim.ticks(1);
    let s: SanctionsState = sim.get(sim.root());
    assert_eq!((s.phases_lifted, s.rollbacks), (2, 0));
    assert!(!s.sanctioned_since_review);
    let tally: Tally = sim.get(sim.root());
    assert_eq!(tally.sanctions_imposed, 1);
}

#[test]
fn violations_the_council_sanctions_take_effect_after_the_delay_and_roll_back_relief() {
    let mut sim = Sim::new(3, compliant);
    sim.ticks(52); // day 364: two phases lifted
    // From now on Russia violates the ceasefire many times a week; every violation is detected
    // and attributed to it, and the council sanctions every one.
    sim.retune("party.russia.incident-rate", 2000.0);
    sim.retune("conflict.baseline-detection", 1.0);
    sim.retune("conflict.baseline-attribution", 1.0);
    sim.retune("point.27.enforcement", 1.0);
    sim.ticks(1); // day 371: violations attributed, sanctions due on day 431
    let russia: Commitments = sim.get(sim.side(0));
    assert!(russia.total_attributed() > 0);
    sim.ticks(8); // day 427
    let s: SanctionsState = sim.get(sim.root());
    assert_eq!((s.phases_lifted, s.rollbacks), (2, 0));
    assert_eq!(g8_status(&mut sim), MembershipStatus::Active);
    sim.ticks(1); // day 434: the sanctions take effect, several at once
    let s: SanctionsState = sim.get(sim.root());
    assert_eq!((s.phases_lifted, s.rollbacks), (0, 2));
    assert!(s.sanctioned_since_review);
    assert_eq!(g8_status(&mut sim), MembershipStatus::Suspended);
    assert_eq!(relief_stake(&mut sim), 0.0);
}

#[test]
fn implementation_of_the_relief_is_the_share_of_phases_lifted() {
    let mut sim = Sim::new(1, compliant);
    sim.ticks(52);
    sim.force_war(0);
    sim.ticks(1); // day 371: the run ends after the reviews of days 180 and 360
    let imp: Implementation = sim.implementation();
    assert_eq!(imp.0[Kind::SanctionsRelief as usize], 0.5);
    // Without the provision there is nothing to implement, and nothing is lifted.
    let mut sim = Sim::new(1, |sc, v| {
        compliant(sc, v);
        v.enabled.remove(Kind::SanctionsRelief);
    });
    sim.ticks(52);
    sim.force_war(0);
    sim.ticks(1);
    let imp: Implementation = sim.implementation();
    assert!(imp.0[Kind::SanctionsRelief as usize].is_nan());
    let s: SanctionsState = sim.get(sim.root());
    assert_eq!(s.phases_lifted, 0);
    assert_eq!(g8_status(&mut sim), MembershipStatus::Suspended);
}
