//! Tests of the causal core: its math without a World, and its systems on a World of one run.

use super::*;
use crate::model::{Cause, Clock, Outcome, Status};
use crate::testing::{Sim, set};

#[test]
fn contest_is_even_at_parity_and_rises_with_the_attacker() {
    assert!((contest(100.0, 100.0, 1.5) - 0.5).abs() < 1e-12);
    assert!(contest(200.0, 100.0, 1.5) > contest(150.0, 100.0, 1.5));
    assert!(contest(100.0, 200.0, 2.0) < contest(100.0, 200.0, 1.0));
    assert_eq!(contest(0.0, 100.0, 1.5), 0.0);
    assert_eq!(contest(10.0, 0.0, 1.5), 1.0);
    // Lanchester-like exponent 2 at a 2:1 ratio.
    assert!((contest(200.0, 100.0, 2.0) - 0.8).abs() < 1e-12);
}

#[test]
fn choice_hazard_grows_with_net_utility_up_to_its_cap() {
    let h0 = choice_hazard(0.01, 1.5, 0.0, 1.0);
    assert!((h0 - 0.01).abs() < 1e-15);
    assert!(choice_hazard(0.01, 1.5, -1.0, 1.0) < h0);
    assert!((choice_hazard(0.01, 1.5, 1.0, 1.0) / h0 - 1.5f64.exp()).abs() < 1e-9);
    assert_eq!(choice_hazard(0.01, 1.5, 100.0, 0.05), 0.05);
}

#[test]
fn incidents_fall_with_trust_and_with_expected_punishment() {
    let base = incident_rate(1.0, 0.8, 0.0, 1.0, 0.5, 0.6, 0.0);
    assert!((base - 0.8).abs() < 1e-12);
    assert!((incident_rate(1.0, 0.8, 1.0, 1.0, 0.5, 0.6, 0.0) - 0.4).abs() < 1e-12);
    // Certain punishment deters half of the deliberate half at deterrence 1.
    assert!((incident_rate(1.0, 0.8, 0.0, 1.0, 0.5, 1.0, 1.0) - 0.4).abs() < 1e-12);
    assert_eq!(incident_rate(1.0, 0.0, 0.0, 1.0, 0.5, 0.6, 0.5), 0.0);
}

#[test]
fn escalation_rises_with_tension_and_stays_a_probability() {
    let p0 = escalation_chance(0.001, 1.0, 1.0, 2.0, 0.0);
    assert!((escalation_chance(0.001, 1.0, 1.0, 2.0, 1.0) - 3.0 * p0).abs() < 1e-15);
    assert_eq!(escalation_chance(0.5, 10.0, 1.0, 2.0, 1.0), 1.0);
    assert_eq!(escalation_chance(0.001, 0.0, 1.0, 2.0, 1.0), 0.0);
}

#[test]
fn decay_halves_at_the_half_life() {
    assert!((decay(0.8, 30.0, 30.0) - 0.4).abs() < 1e-12);
    assert!((decay(decay(0.8, 10.0, 30.0), 20.0, 30.0) - 0.4).abs() < 1e-12);
    assert_eq!(decay(0.8, 1.0, 0.0), 0.0);
}

#[test]
fn unmet_claims_follow_control_of_the_regions() {
    let sim = Sim::new(1, |_, _| {});
    let sc = &sim.scenario;
    let rp = RunParams {
        values: crate::model::ParamValues::new(&sc.params.defaults()),
        enabled: sc.kinds(),
    };
    let mut t = Territory::default();
    for (i, r) in sc.regions.iter().enumerate() {
        t.held[i] = rp.v(r.control);
    }
    // Russia claims the rest of Luhansk, Donetsk, Zaporizhzhia and Kherson: about 3.4 points.
    let russia = unmet_claims(&sc.regions, &rp, &t, 0);
    assert!((russia - 3.43).abs() < 0.05, "{russia}");
    // Ukraine claims everything Russia holds: about 19.5 points (the 19% of MODEL.md).
    let ukraine = unmet_claims(&sc.regions, &rp, &t, 1);
    assert!((ukraine - 19.5).abs() < 0.3, "{ukraine}");
    // If Russia held everything it claims, its unmet claims would be zero.
    for (i, r) in sc.regions.iter().enumerate() {
        if r.claimed_by[0] {
            t.held[i] = 1.0;
        }
    }
    assert_eq!(unmet_claims(&sc.regions, &rp, &t, 0), 0.0);
}

#[test]
fn clocks_advance_by_ticks_and_stop_exactly_at_the_horizon() {
    let mut sim = Sim::new(1, |sc, v| {
        set(sc, v, "time.horizon", 0.05); // 18.25 days
        // No way to collapse: nothing fights.
        set(sc, v, "conflict.escalation-probability", 0.0);
        set(sc, v, "party.russia.base-hazard", 0.0);
        set(sc, v, "party.ukraine.base-hazard", 0.0);
        set(sc, v, "point.28.stall-rate", 0.0);
    });
    sim.ticks(1);
    let c: Clock = sim.get(sim.root());
    assert_eq!((c.day, c.dt, c.tick), (7.0, 7.0, 1));
    sim.ticks(2);
    let c: Clock = sim.get(sim.root());
    assert!((c.day - 18.25).abs() < 1e-9 && (c.dt - 4.25).abs() < 1e-9);
    let o: Outcome = sim.get(sim.root());
    assert_eq!(o.status, Status::Held);
    assert!((o.day - 18.25).abs() < 1e-9);
}

#[test]
fn assessment_prices_war_from_the_balance_of_forces() {
    let mut sim = Sim::new(1, |_, _| {});
    sim.ticks(1);
    // The next tick's assessment sees the posture this tick ended with.
    let posture: Posture = sim.get(sim.side(0));
    sim.ticks(1);
    let russia: Ledger = sim.get(sim.side(0));
    assert!(russia.p_win > 0.1 && russia.p_win < 0.6, "{}", russia.p_win);
    assert!(russia.territory > 0.0);
    // War cost is the side's war cost scaled by weariness: 0.8 × (1 + w) / 2.
    assert!((russia.war_cost - 0.8 * (1.0 + posture.weariness) / 2.0).abs() < 1e-9);
    // Stronger Russian forces raise Russia's chance of winning.
    let before = russia.p_win;
    sim.set::<Capabilities>(sim.side(0), |c| c.quality *= 2.0);
    sim.ticks(1);
    let after: Ledger = sim.get(sim.side(0));
    assert!(after.p_win > before);
}

#[test]
fn a_side_with_an_overwhelming_hazard_chooses_war() {
    let mut sim = Sim::new(3, |sc, v| {
        set(sc, v, "party.russia.base-hazard", 1000.0);
        set(sc, v, "party.russia.sensitivity", 0.0);
        set(sc, v, "conflict.max-hazard", 1000.0);
    });
    sim.ticks(1);
    let o: Outcome = sim.get(sim.root());
    assert_eq!(o.status, Status::Collapsed);
    assert_eq!(o.cause, Some(Cause::Offensive(0)));
    assert_eq!(o.day, 7.0);
}

#[test]
fn a_certain_escalation_collapses_the_run_at_the_first_incident() {
    let mut sim = Sim::new(5, |sc, v| {
        set(sc, v, "conflict.escalation-probability", 1.0);
    });
    sim.ticks(4);
    let o: Outcome = sim.get(sim.root());
    let tally: crate::model::Tally = sim.get(sim.root());
    assert_eq!(o.status, Status::Collapsed);
    assert_eq!(o.cause, Some(Cause::Escalation));
    assert!(tally.incidents[0] + tally.incidents[1] >= 1);
}

#[test]
fn attributed_violations_cost_the_victim_trust() {
    // Perfect detection and attribution; no escalation, so the run goes on.
    let mut sim = Sim::new(7, |sc, v| {
        set(sc, v, "conflict.baseline-detection", 1.0);
        set(sc, v, "conflict.baseline-attribution", 1.0);
        set(sc, v, "conflict.escalation-probability", 0.0);
        set(sc, v, "conflict.trust-growth", 0.0);
        set(sc, v, "conflict.trust-loss-per-violation", 0.01);
        // Enough incidents that ten ticks hold some whatever the seed draws.
        set(sc, v, "party.russia.incident-rate", 200.0);
        set(sc, v, "party.russia.base-hazard", 0.0);
        set(sc, v, "party.ukraine.base-hazard", 0.0);
        // The ceasefire holds from signing, so every incident is a violation.
        v.enabled.remove(crate::provisions::kind::Kind::Ceasefire);
        v.enabled
            .remove(crate::provisions::kind::Kind::Humanitarian);
        v.enabled.remove(crate::provisions::kind::Kind::Elections);
    });
    let t0: Posture = sim.get(sim.side(1));
    sim.ticks(10);
    let ukraine: Posture = sim.get(sim.side(1));
    let russia: Commitments = sim.get(sim.side(0));
    let attributed = russia.total_attributed();
    assert!(attributed > 0);
    // Without misattribution, Ukraine's trust fell by 0.01 per violation Russia was blamed for.
    let expected = (t0.trust - 0.01 * f64::from(attributed)).max(0.0);
    assert!(
        (ukraine.trust - expected).abs() < 1e-9,
        "{} vs {}",
        ukraine.trust,
        expected
    );
}

#[test]
fn a_violation_blamed_on_its_victim_costs_the_victim_trust_and_leaves_the_violator_unmoved() {
    // Only Russia causes incidents; monitors always blame the wrong side.
    let mut sim = Sim::new(7, |sc, v| {
        set(sc, v, "conflict.baseline-detection", 1.0);
        set(sc, v, "conflict.baseline-attribution", 0.0);
        set(sc, v, "conflict.escalation-probability", 0.0);
        set(sc, v, "conflict.trust-growth", 0.0);
        set(sc, v, "conflict.misattribution-trust-loss", 0.01);
        set(sc, v, "party.russia.base-hazard", 0.0);
        set(sc, v, "party.ukraine.base-hazard", 0.0);
        set(sc, v, "party.ukraine.incident-rate", 0.0);
        set(sc, v, "party.russia.incident-rate", 200.0);
        set(sc, v, "point.10.capital-strike-rate", 0.0);
        set(sc, v, "point.21.zone-incursion-rate", 0.0);
        for k in [
            crate::provisions::kind::Kind::Ceasefire,
            crate::provisions::kind::Kind::Humanitarian,
            crate::provisions::kind::Kind::Elections,
            crate::provisions::kind::Kind::PeaceCouncil,
            crate::provisions::kind::Kind::WorkingGroup,
            crate::provisions::kind::Kind::ForceCap,
        ] {
            v.enabled.remove(k);
        }
    });
    let russia0: Posture = sim.get(sim.side(0));
    let ukraine0: Posture = sim.get(sim.side(1));
    sim.ticks(10);
    let ukraine_blamed: Commitments = sim.get(sim.side(1));
    let blamed = ukraine_blamed.total_attributed();
    assert!(blamed > 0, "Russia's incidents were blamed on Ukraine");
    let russia: Posture = sim.get(sim.side(0));
    let ukraine: Posture = sim.get(sim.side(1));
    assert_eq!(russia.trust, russia0.trust, "the violator is unmoved");
    let expected = (ukraine0.trust - 0.01 * f64::from(blamed)).max(0.0);
    assert!(
        (ukraine.trust - expected).abs() < 1e-9,
        "{} vs {expected}",
        ukraine.trust
    );
}

#[test]
fn a_message_written_for_an_earlier_run_of_the_slot_is_ignored() {
    // A run's root entity is reused by later runs; a message that outlives its run (written
    // late in the tick the run ended) must not reach the next one.
    let mut sim = Sim::new(9, |sc, v| {
        set(sc, v, "conflict.baseline-detection", 1.0);
        set(sc, v, "conflict.escalation-probability", 1.0);
        set(sc, v, "party.russia.incident-rate", 0.0);
        set(sc, v, "party.ukraine.incident-rate", 0.0);
        set(sc, v, "party.russia.war-incident-rate", 0.0);
        set(sc, v, "party.ukraine.war-incident-rate", 0.0);
        v.enabled.remove(crate::provisions::kind::Kind::Ceasefire);
    });
    sim.ticks(1);
    let root = sim.root();
    let task = sim.get::<Run>(root).task;
    // An incident as the first side would write it in this run, then one for another task.
    let view: crate::engine::view::RunView = sim.get(sim.side(0));
    let incident = view.incident(0, IncidentKind::ContactLine, 1.0, true);
    assert_eq!((incident.run, incident.task), (root, task));
    sim.engine
        .world_mut()
        .resource_mut::<bevy_ecs::message::Messages<Incident>>()
        .write(Incident {
            task: task + 1,
            ..incident
        });
    sim.ticks(1);
    let tally: Tally = sim.get(root);
    let o: Outcome = sim.get(root);
    assert_eq!(tally.detected, 0, "the stale incident was not monitored");
    assert_eq!(
        o.status,
        Status::Running,
        "nor did it escalate, though escalation is certain"
    );
    // The same message for this run's task is monitored and escalates.
    sim.engine
        .world_mut()
        .resource_mut::<bevy_ecs::message::Messages<Incident>>()
        .write(incident);
    sim.ticks(1);
    let tally: Tally = sim.get(root);
    let o: Outcome = sim.get(root);
    assert_eq!(tally.detected, 1);
    assert_eq!(o.cause, Some(Cause::Escalation));
}
