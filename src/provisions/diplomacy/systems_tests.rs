//! Tests of the diplomacy family's systems on a World of one run: the audience costs of
//! sovereignty, the pact and the law; the threat multipliers of the pact, the dialogue and the
//! alliance bar; the grievances left when a commitment is missing; the bar on Ukraine's NATO
//! membership; and the friction arms control takes out of escalation and tension.

use super::*;
use crate::model::{Ledger, Modifiers, Posture, Tension};
use crate::testing::{Sim, silent};

/// A silent run after one tick with `off` switched off: the run's modifiers, both sides'
/// postures and ledgers.
fn first_tick(off: &[Kind]) -> (Modifiers, [Posture; 2], [Ledger; 2]) {
    let mut sim = Sim::new(1, |sc, v| {
        silent(sc, v);
        for &k in off {
            v.enabled.remove(k);
        }
    });
    sim.ticks(1);
    let m = sim.get(sim.root());
    let p = [sim.get(sim.side(0)), sim.get(sim.side(1))];
    let l = [sim.get(sim.side(0)), sim.get(sim.side(1))];
    (m, p, l)
}

fn term(l: &Ledger, k: Kind) -> f64 {
    l.terms[k as usize]
}

#[test]
fn the_non_aggression_pact_lowers_both_threat_multipliers_and_costs_both_sides() {
    let (with, pw, lw) = first_tick(&[]);
    let (without, po, lo) = first_tick(&[Kind::NonAggressionPact]);
    for s in 0..2 {
        assert!((with.threat_mult[s] / without.threat_mult[s] - 0.85).abs() < 1e-12);
        // Trust is the same in both runs, so perceived threat falls by the same 15%.
        assert!(
            (pw[s].threat / po[s].threat - 0.85).abs() < 1e-12,
            "side {s}"
        );
        assert!((term(&lw[s], Kind::NonAggressionPact) + 0.1).abs() < 1e-12);
        assert_eq!(term(&lo[s], Kind::NonAggressionPact), 0.0);
    }
    // Less threat is less pull towards a pre-emptive war.
    assert!(lw[0].threat < lo[0].threat && lw[1].threat < lo[1].threat);
}

#[test]
fn the_alliance_bar_bars_ukraine_from_nato_and_meets_a_russian_grievance() {
    let mut sim = Sim::new(1, silent);
    let nato = sim.membership("ukraine", "nato");
    assert_eq!(sim.get::<Membership>(nato).status, MembershipStatus::Barred);
    // Other members keep their standing.
    let us = sim.membership("united-states", "nato");
    assert_eq!(sim.get::<Membership>(us).status, MembershipStatus::Active);
    let mut sim = Sim::new(1, |sc, v| {
        silent(sc, v);
        v.enabled.remove(Kind::AllianceBar);
    });
    let nato = sim.membership("ukraine", "nato");
    assert_eq!(
        sim.get::<Membership>(nato).status,
        MembershipStatus::Candidate
    );

    let (with, _, lw) = first_tick(&[]);
    let (without, _, lo) = first_tick(&[Kind::AllianceBar]);
    // With the bar Ukraine feels 15% less secure; without it Russia feels 30% more threatened.
    assert!((with.threat_mult[1] / without.threat_mult[1] - 1.15).abs() < 1e-12);
    assert!((without.threat_mult[0] / with.threat_mult[0] - 1.3).abs() < 1e-12);
    // Without the bar, neutrality is a Russian aim it could pursue by force.
    assert_eq!(term(&lw[0], Kind::AllianceBar), 0.0);
    let g = term(&lo[0], Kind::AllianceBar);
    assert!(g > 0.0 && (g - 0.5 * lo[0].p_win).abs() < 1e-12, "{g}");
    assert_eq!(term(&lo[1], Kind::AllianceBar), 0.0);
}

#[test]
fn without_the_no_expansion_commitment_russia_has_a_grievance_and_more_threat() {
    let (with, _, lw) = first_tick(&[]);
    let (without, _, lo) = first_tick(&[Kind::NoExpansion]);
    assert!((without.threat_mult[0] / with.threat_mult[0] - 1.2).abs() < 1e-12);
    assert_eq!(without.threat_mult[1], with.threat_mult[1]);
    assert_eq!(term(&lw[0], Kind::NoExpansion), 0.0);
    let g = term(&lo[0], Kind::NoExpansion);
    assert!(g > 0.0 && (g - 0.4 * lo[0].p_win).abs() < 1e-12, "{g}");
    assert_eq!(term(&lo[1], Kind::NoExpansion), 0.0);
}

#[test]
fn the_dialogue_prevents_escalations_and_eases_russias_threat() {
    let (with, _, _) = first_tick(&[]);
    let (without, _, _) = first_tick(&[Kind::Dialogue]);
    assert!((with.escalation_mult / without.escalation_mult - 0.8).abs() < 1e-12);
    assert!((with.threat_mult[0] / without.threat_mult[0] - 0.9).abs() < 1e-12);
    assert_eq!(with.threat_mult[1], without.threat_mult[1]);
}

#[test]
fn arms_control_prevents_escalations_and_lets_tension_decay_faster() {
    let (with, _, _) = first_tick(&[]);
    let (without, _, _) = first_tick(&[Kind::ArmsControl]);
    assert!((with.escalation_mult / without.escalation_mult - 0.9).abs() < 1e-12);
    assert_eq!(with.tension_decay_mult, 1.2);
    assert_eq!(without.tension_decay_mult, 1.0);
    // With no incidents, tension only decays: half-life 30 days, 20% faster with the treaties.
    for (off, speed) in [(false, 1.2), (true, 1.0)] {
        let mut sim = Sim::new(1, |sc, v| {
            silent(sc, v);
            if off {
                v.enabled.remove(Kind::ArmsControl);
            }
        });
        sim.ticks(10);
        sim.set::<Tension>(sim.root(), |t| t.0 = 1.0);
        sim.ticks(1);
        let t: Tension = sim.get(sim.root());
        assert!((t.0 - (-(2f64.ln()) * 7.0 * speed / 30.0).exp()).abs() < 1e-12);
    }
}

#[test]
fn sovereignty_and_the_law_of_non_aggression_are_costs_to_russia_only() {
    let (_, _, lw) = first_tick(&[]);
    assert!((term(&lw[0], Kind::Sovereignty) + 0.1).abs() < 1e-12);
    assert!((term(&lw[0], Kind::NonAggressionLaw) + 0.05).abs() < 1e-12);
    assert_eq!(term(&lw[1], Kind::Sovereignty), 0.0);
    assert_eq!(term(&lw[1], Kind::NonAggressionLaw), 0.0);
    let (_, _, lo) = first_tick(&[Kind::Sovereignty, Kind::NonAggressionLaw]);
    assert_eq!(term(&lo[0], Kind::Sovereignty), 0.0);
    assert_eq!(term(&lo[0], Kind::NonAggressionLaw), 0.0);
    // Each utility of cost lowers the net utility of war by as much.
    assert!((lo[0].net() - lw[0].net() - 0.15).abs() < 1e-12);
}

#[test]
fn standing_commitments_are_implemented_from_signing() {
    let mut sim = Sim::new(1, |sc, v| {
        silent(sc, v);
        v.enabled.remove(Kind::Dialogue);
    });
    sim.ticks(4);
    sim.force_war(0);
    sim.ticks(1); // day 35: the run ends
    let imp: Implementation = sim.implementation();
    for k in [
        Kind::Sovereignty,
        Kind::NonAggressionPact,
        Kind::NoExpansion,
        Kind::AllianceBar,
        Kind::NonAggressionLaw,
        Kind::ArmsControl,
    ] {
        assert_eq!(imp.0[k as usize], 1.0, "{k:?}");
    }
    assert!(imp.0[Kind::Dialogue as usize].is_nan());
}
