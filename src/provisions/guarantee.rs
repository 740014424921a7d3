//! Security guarantees: points 5 and 10 of the 28-point plan (kinds `security-guarantee` and
//! `guarantee-terms`), and the guarantors' changing willingness.
//!
//! - Every guarantor has a willingness to respond militarily to an attack on the protected
//!   side; at each of its elections it is redrawn around its value at signing.
//! - `security-guarantee` (5): the chance of a response is `1 − Π(1 − willingness)` over the
//!   guarantors, plus what tripwires and nearby aircraft add, while the guarantee is valid.
//!   The attacker expects to pay the response's cost and to lose its territorial gain when
//!   the guarantors respond.
//! - `guarantee-terms` (10): the compensated guarantor is more committed; the guarantee is void
//!   if the protected side strikes the other's capital without cause (an incident with its own
//!   rate) or, with `no-change-by-force` (22), breaches the settlement by force; if the other
//!   side attacks, every sanction snaps back and recognition and all other benefits are
//!   revoked, so it loses all its stakes. Without this clause it loses only a share of them.

use super::ProvisionCtx;
use super::kind::Kind;
use crate::conflict::{IncidentSides, incident_rate};
use crate::engine::Write;
use crate::engine::{Model, Step, TickSystems};
use crate::model::spawn::Init;
use crate::model::{
    Attributed, Clock, Draws, HazardClock, Implementation, Incident, IncidentKind, Ledger,
    Modifiers, Outcome, Roster, Run, RunParams, STAKE_KINDS, Stakes, Tally, sites,
};
use crate::scenario::{Ctx, Dim, ParamId, ScenarioError, SpannedParam};
use bevy_ecs::prelude::*;
use rand_distr::{Distribution, StandardNormal};
use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

// ---------------------------------------------------------------------------------------------
// Configuration.

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct GuaranteeWire {
    protects: Spanned<String>,
    guarantors: Vec<Spanned<String>>,
    response_cost: SpannedParam,
}

/// Point 5: security guarantees for the protected side.
#[derive(Debug, Clone)]
pub struct SecurityGuarantee {
    /// The protected side (0 or 1).
    pub protects: u8,
    /// Party indices of the guarantors.
    pub guarantors: Vec<u8>,
    /// Cost to an attacker of the guarantors' military response (utility).
    pub response_cost: ParamId,
}

impl SecurityGuarantee {
    /// Reads a `security-guarantee` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: GuaranteeWire = ctx.de(body)?;
        if w.guarantors.is_empty() {
            return Err(ctx.err(
                pc.span.clone(),
                format!(
                    "`{}.guarantors` must name at least one guarantor",
                    pc.prefix
                ),
            ));
        }
        let guarantors = w
            .guarantors
            .iter()
            .map(|g| pc.guarantor(ctx, "guarantors", g))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SecurityGuarantee {
            protects: pc.side(ctx, "protects", &w.protects)?,
            guarantors,
            response_cost: pc.param(ctx, "response-cost", Dim::Utility, &w.response_cost)?,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TermsWire {
    guarantor: Spanned<String>,
    compensation_commitment: SpannedParam,
    capital_strike_rate: SpannedParam,
    strike_severity: SpannedParam,
    partial_revocation: SpannedParam,
}

/// Point 10: the terms of the guarantor's guarantee.
#[derive(Debug, Clone)]
pub struct GuaranteeTerms {
    /// The compensated guarantor's party index.
    pub guarantor: u8,
    /// Willingness the compensation adds to the guarantor's.
    pub compensation_commitment: ParamId,
    /// Rate (per day) at which the protected side strikes the other's capital without cause,
    /// at full hostility and no trust.
    pub capital_strike_rate: ParamId,
    /// Severity of such a strike relative to a serious incident on the line.
    pub strike_severity: ParamId,
    /// Share of its stakes an attacker would lose without an automatic snapback clause.
    pub partial_revocation: ParamId,
}

impl GuaranteeTerms {
    /// Reads a `guarantee-terms` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: TermsWire = ctx.de(body)?;
        Ok(GuaranteeTerms {
            guarantor: pc.guarantor(ctx, "guarantor", &w.guarantor)?,
            compensation_commitment: pc.param(
                ctx,
                "compensation-commitment",
                Dim::Probability,
                &w.compensation_commitment,
            )?,
            capital_strike_rate: pc.param(
                ctx,
                "capital-strike-rate",
                Dim::Rate,
                &w.capital_strike_rate,
            )?,
            strike_severity: pc.param(
                ctx,
                "strike-severity",
                Dim::Multiplier,
                &w.strike_severity,
            )?,
            partial_revocation: pc.param(
                ctx,
                "partial-revocation",
                Dim::Fraction,
                &w.partial_revocation,
            )?,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Components.

/// Why a guarantee became void.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoidCause {
    /// The protected side struck the other's capital without cause.
    CapitalStrike,
    /// The protected side breached the settlement by force.
    Breach,
}

impl VoidCause {
    /// Name written in outputs.
    pub fn name(self) -> &'static str {
        match self {
            VoidCause::CapitalStrike => "capital-strike",
            VoidCause::Breach => "breach",
        }
    }
}

/// The state of the guarantee (on the run's root).
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Guarantee {
    /// False once void.
    pub valid: bool,
    /// Day it became void (negative while valid).
    pub void_day: f64,
    /// Why it became void.
    pub void_cause: Option<VoidCause>,
    /// Breaches of the settlement attributed to the protected side.
    pub breaches: u32,
    /// This tick's chance of a military response to an attack.
    pub response: f64,
    /// Chance that no guarantor responds, from their willingness alone (recomputed when a
    /// guarantor's willingness changes).
    pub no_response: f64,
    /// Until this day no guarantor holds an election: a day before the earliest next one, so
    /// that the exact test of the calendars runs only in the ticks near an election.
    pub no_election_until: f64,
}

impl Guarantee {
    /// Makes the guarantee void on `day` for `cause`, unless it already is.
    pub fn void(&mut self, day: f64, cause: VoidCause) {
        if self.valid {
            self.valid = false;
            self.void_day = day;
            self.void_cause = Some(cause);
        }
    }
}

impl Default for Guarantee {
    fn default() -> Self {
        Guarantee {
            valid: true,
            void_day: -1.0,
            void_cause: None,
            breaches: 0,
            response: 0.0,
            no_response: 1.0,
            no_election_until: f64::NEG_INFINITY,
        }
    }
}

/// A guarantor's willingness to respond, and its electoral calendar.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Guarantor {
    /// Chance it responds militarily to an attack on the protected side.
    pub willingness: f64,
    /// Day of its next election (infinite when it has none).
    pub next_election: f64,
}

/// The protected side's clock for strikes on the other's capital.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct StrikeClock(pub HazardClock);

/// Sets the guarantee and the guarantors for a new run.
pub fn init_run(world: &mut World, init: &Init<'_>) {
    let sc = init.scenario;
    let willingness = |gi: u8| {
        sc.parties[gi as usize]
            .guarantor
            .as_ref()
            .map_or(0.0, |g| init.params.v(g.willingness))
    };
    world.entity_mut(init.slot.root).insert(Guarantee {
        no_response: no_response(&sc.plan, init.params, willingness),
        ..Guarantee::default()
    });
    for (i, p) in init.scenario.parties.iter().enumerate() {
        if let Some(g) = &p.guarantor {
            world.entity_mut(init.party(i as u8)).insert(Guarantor {
                willingness: init.params.v(g.willingness),
                next_election: g.first_election.map_or(f64::INFINITY, |d| init.params.v(d)),
            });
            if g.first_election.is_some() {
                world
                    .entity_mut(init.party(i as u8))
                    .insert(init.draws::<sites::Guarantee>(i as u8));
            }
        }
    }
    for s in 0..2 {
        let side = sc.conflict.sides[s];
        world
            .entity_mut(init.side(s))
            .insert((StrikeClock::default(), init.draws::<sites::Guarantee>(side)));
    }
}

/// Registers the family's systems.
pub fn add_to(schedule: &mut Schedule) {
    schedule.add_systems((
        hold_guarantor_elections.in_set(Step::Elections),
        price_guarantee.in_set(Step::Guarantee),
        strike_capital.in_set(Step::Capital),
        void_guarantee.in_set(TickSystems::Respond),
    ));
}

// ---------------------------------------------------------------------------------------------
// Math.

/// Chance that no guarantor responds: the product of `1 − willingness` over the guarantee's
/// guarantors, the compensated one's willingness raised by its compensation.
pub fn no_response(plan: &super::Plan, rp: &RunParams, willingness_of: impl Fn(u8) -> f64) -> f64 {
    let Some(sg) = &plan.security_guarantee else {
        return 1.0;
    };
    let terms = rp.active(Kind::GuaranteeTerms, &plan.guarantee_terms);
    sg.guarantors
        .iter()
        .map(|&gi| {
            let w = willingness_of(gi)
                + terms
                    .filter(|t| t.guarantor == gi)
                    .map_or(0.0, |t| rp.v(t.compensation_commitment));
            1.0 - w.clamp(0.0, 1.0)
        })
        .product()
}

/// Chance that at least one of independent guarantors responds, plus a boost, in [0, 1].
pub fn response_probability(willingness: impl IntoIterator<Item = f64>, boost: f64) -> f64 {
    let none = willingness
        .into_iter()
        .fold(1.0, |acc, w| acc * (1.0 - w.clamp(0.0, 1.0)));
    (1.0 - none + boost).clamp(0.0, 1.0)
}

/// Number of elections held by `day` when the first is on day `first` and they recur every
/// `interval` days.
pub fn elections_by(day: f64, first: f64, interval: f64) -> f64 {
    if day < first {
        0.0
    } else {
        ((day - first) / interval).floor() + 1.0
    }
}

/// What an attacker expects the guarantee to cost it: the response's cost and the territorial
/// gain it forfeits when the guarantors respond.
pub fn expected_guarantee_cost(response: f64, response_cost: f64, territorial_gain: f64) -> f64 {
    response * (response_cost + territorial_gain.max(0.0))
}

// ---------------------------------------------------------------------------------------------
// Systems.

/// A guarantor and, if it holds elections, its stream.
type Electors = (Write<Guarantor>, Option<Write<Draws<sites::Guarantee>>>);

/// A run whose guarantors hold elections.
type ElectingRuns<'a> = (
    &'a Run,
    &'a Clock,
    &'a RunParams,
    &'a Outcome,
    &'a crate::model::Roster,
    Write<Guarantee>,
);

fn hold_guarantor_elections(
    model: Res<Model>,
    mut runs: Query<ElectingRuns>,
    mut guarantors: Query<Electors>,
    mut calendars: Local<Option<Vec<(usize, ParamId, ParamId)>>>,
) {
    let sc = &model.0;
    // The guarantors that hold elections (usually one or two of the scenario's parties), found
    // once: a World's scenario does not change.
    let calendars = calendars.get_or_insert_with(|| {
        sc.parties
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let cfg = p.guarantor.as_ref()?;
                Some((i, cfg.first_election?, cfg.election_interval?))
            })
            .collect()
    });
    if calendars.is_empty() {
        return;
    }
    for (run, clock, rp, outcome, roster, guarantee) in &mut runs {
        if !run.live || !outcome.running() || clock.day < guarantee.no_election_until {
            continue;
        }
        let mut changed = false;
        let mut next = f64::INFINITY;
        for &(idx, first, interval) in calendars.iter() {
            let (first, interval) = (rp.v(first), rp.v(interval));
            let held = elections_by(clock.day, first, interval);
            next = next.min(first + interval * held);
            if held == elections_by(clock.day - clock.dt, first, interval) {
                continue;
            }
            // A guarantor that holds elections is a decision site: it has a stream.
            let Ok((g, Some(stream))) = guarantors.get_mut(roster.parties[idx]) else {
                continue;
            };
            let Some(cfg) = &sc.parties[idx].guarantor else {
                continue;
            };
            let spread = cfg.willingness_spread.map_or(0.0, |s| rp.v(s));
            let z: f64 = StandardNormal.sample(&mut stream.0);
            g.willingness = (rp.v(cfg.willingness) + spread * z).clamp(0.0, 1.0);
            g.next_election = first + interval * held;
            changed = true;
        }
        // A day's margin keeps the skip exact whatever the rounding of the calendar's sums.
        guarantee.no_election_until = next - 1.0;
        if changed {
            let willingness = |gi: u8| {
                guarantors
                    .get(roster.parties[gi as usize])
                    .map_or(0.0, |(g, _)| g.willingness)
            };
            guarantee.no_response = no_response(&sc.plan, rp, willingness);
        }
    }
}

type GuaranteeRuns<'a> = (
    &'a Run,
    &'a Outcome,
    &'a RunParams,
    &'a Roster,
    &'a Modifiers,
    &'a Stakes,
    Write<Guarantee>,
);

/// Once per run: weighs this tick's chance of a military response, then prices, for each
/// side, the expected response to an attack (for the side the guarantee protects against) and
/// the stakes an attack would cost it: all of them under the snapback clause of
/// `guarantee-terms`, a share of them without it.
fn price_guarantee(
    model: Res<Model>,
    mut runs: Query<GuaranteeRuns>,
    mut ledgers: Query<Write<Ledger>>,
) {
    let plan = &model.0.plan;
    let protected = plan.security_guarantee.as_ref().map(|g| g.protects);
    for (run, outcome, rp, roster, m, stakes, g) in &mut runs {
        if !run.live || !outcome.running() {
            continue;
        }
        let sg = rp.active(Kind::SecurityGuarantee, &plan.security_guarantee);
        g.response = if g.valid && sg.is_some() {
            (1.0 - g.no_response + m.response_boost).clamp(0.0, 1.0)
        } else {
            0.0
        };
        for (s, &side) in roster.sides.iter().enumerate() {
            let Ok(ledger) = ledgers.get_mut(side) else {
                continue;
            };
            if let Some(sg) = sg
                && sg.protects as usize != s
            {
                let cost =
                    expected_guarantee_cost(g.response, rp.v(sg.response_cost), ledger.territory);
                ledger.add(Kind::SecurityGuarantee, -cost);
            }
            let lost = match (&plan.guarantee_terms, protected) {
                (Some(t), Some(p)) if p as usize != s => {
                    if rp.on(Kind::GuaranteeTerms) {
                        1.0
                    } else {
                        rp.v(t.partial_revocation)
                    }
                }
                _ => 1.0,
            };
            // Without a branch on each stake: a zero stake adds -0.0, which leaves every
            // term as it was (terms start at +0.0, and x + -0.0 == x bit for bit).
            for (&kind, &stake) in STAKE_KINDS.iter().zip(&stakes.0[s]) {
                ledger.add(kind, -stake * lost);
            }
        }
    }
}

type StrikingSides<'a> = IncidentSides<'a, StrikeClock, sites::Guarantee>;

fn strike_capital(
    model: Res<Model>,
    mut runs: Query<(&Outcome, &Guarantee, Write<Tally>)>,
    mut sides: Query<StrikingSides>,
    mut incidents: MessageWriter<Incident>,
) {
    let plan = &model.0.plan;
    let Some(protects) = plan.security_guarantee.as_ref().map(|g| g.protects) else {
        return;
    };
    for (side, view, posture, clock, stream, commitments) in &mut sides {
        if side.index != protects || !view.live || !view.ceasefire {
            continue;
        }
        let Some(t) = view.active(Kind::GuaranteeTerms, &plan.guarantee_terms) else {
            continue;
        };
        let rate = incident_rate(
            view.v(t.capital_strike_rate),
            posture.hostility,
            posture.trust,
            1.0,
            0.0,
            0.0,
            0.0,
        );
        let n = clock.0.advance(rate, view.dt, stream, 10);
        if n == 0 {
            continue;
        }
        let Ok((outcome, g, tally)) = runs.get_mut(view.run) else {
            continue;
        };
        // Only a valid guarantee can be voided; a strike without one is left to the core.
        if !outcome.running() || !g.valid {
            continue;
        }
        tally.incidents[side.index as usize] += n;
        for _ in 0..n {
            commitments.commit(Kind::GuaranteeTerms, view.day);
            incidents.write(view.incident(
                side.index,
                IncidentKind::CapitalStrike,
                view.v(t.strike_severity),
                true,
            ));
        }
    }
}

fn void_guarantee(
    model: Res<Model>,
    mut incidents: MessageReader<Incident>,
    mut attributed: MessageReader<Attributed>,
    mut runs: Query<(&Run, &Clock, &RunParams, Write<Guarantee>)>,
) {
    let plan = &model.0.plan;
    let Some(protects) = plan.security_guarantee.as_ref().map(|g| g.protects) else {
        incidents.clear();
        attributed.clear();
        return;
    };
    // A strike on the capital is unmistakable: it voids the guarantee whether or not the
    // monitors record it.
    for inc in incidents.read() {
        if inc.kind == IncidentKind::CapitalStrike
            && inc.by == protects
            && let Ok((r, clock, _, g)) = runs.get_mut(inc.run)
            && r.live
            && r.task == inc.task
        {
            g.void(clock.day, VoidCause::CapitalStrike);
        }
    }
    for a in attributed.read() {
        if a.kind != IncidentKind::ZoneIncursion || a.blamed != protects {
            continue;
        }
        let Ok((r, clock, rp, g)) = runs.get_mut(a.run) else {
            continue;
        };
        if !r.live || r.task != a.task {
            continue;
        }
        g.breaches += 1;
        if let Some(n) = rp.active(Kind::NoChangeByForce, &plan.no_change_by_force)
            && f64::from(g.breaches) >= rp.v(n.breach_incursions)
        {
            g.void(clock.day, VoidCause::Breach);
        }
    }
}

/// How long the guarantee stayed valid in a run that ended (1 when it never became void).
pub fn record(e: &super::Ended<'_>, imp: &mut Implementation) {
    let Some(g) = e.root::<Guarantee>() else {
        return;
    };
    let level = if g.valid {
        1.0
    } else {
        g.void_day / e.outcome.day.max(1.0)
    };
    for kind in [Kind::SecurityGuarantee, Kind::GuaranteeTerms] {
        if e.params.on(kind) {
            imp.set(kind, level);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_combines_independent_guarantors() {
        assert_eq!(response_probability([], 0.0), 0.0);
        assert!((response_probability([0.5, 0.5], 0.0) - 0.75).abs() < 1e-12);
        assert!((response_probability([0.5], 0.1) - 0.6).abs() < 1e-12);
        assert_eq!(response_probability([0.9, 0.9], 0.5), 1.0);
        // Willingness outside [0, 1] is clamped, never producing a negative chance.
        assert_eq!(response_probability([-0.2], 0.0), 0.0);
    }

    #[test]
    fn guarantee_cost_grows_with_response_and_gain() {
        assert_eq!(expected_guarantee_cost(0.0, 3.0, 1.0), 0.0);
        assert_eq!(expected_guarantee_cost(0.5, 3.0, 1.0), 2.0);
        assert!(expected_guarantee_cost(0.6, 3.0, 1.0) > expected_guarantee_cost(0.5, 3.0, 1.0));
        assert_eq!(expected_guarantee_cost(0.5, 3.0, -1.0), 1.5);
    }

    mod systems {
        use super::super::*;
        use crate::testing::{Sim, set};

        #[test]
        fn the_response_combines_the_guarantors_with_compensation_and_aircraft() {
            let mut sim = Sim::new(1, |_, _| {});
            sim.ticks(1);
            let g: Guarantee = sim.get(sim.root());
            // US 0.45 + 0.10 compensation, Europe 0.30, aircraft +0.05; no profits paid yet.
            let expected = 1.0 - (1.0 - 0.55) * (1.0 - 0.30) + 0.05;
            assert!((g.response - expected).abs() < 1e-9, "{}", g.response);
            let russia: Ledger = sim.get(sim.side(0));
            let term = russia.terms[Kind::SecurityGuarantee as usize];
            assert!((term + expected * (1.0 + russia.territory)).abs() < 1e-9);
            // The protected side pays nothing for its own guarantee.
            let ukraine: Ledger = sim.get(sim.side(1));
            assert_eq!(ukraine.terms[Kind::SecurityGuarantee as usize], 0.0);
        }

        #[test]
        fn a_strike_on_the_capital_voids_the_guarantee_and_its_deterrence() {
            let mut sim = Sim::new(4, |sc, v| {
                v.enabled.remove(Kind::Ceasefire);
                set(sc, v, "point.10.capital-strike-rate", 5000.0);
                set(sc, v, "conflict.escalation-probability", 0.0);
            });
            sim.ticks(2);
            let g: Guarantee = sim.get(sim.root());
            assert!(!g.valid);
            assert_eq!(g.void_cause, Some(VoidCause::CapitalStrike));
            assert_eq!(g.response, 0.0);
            let ukraine: crate::model::Commitments = sim.get(sim.side(1));
            assert!(ukraine.committed[Kind::GuaranteeTerms as usize] > 0);
            sim.ticks(1);
            let russia: Ledger = sim.get(sim.side(0));
            assert_eq!(russia.terms[Kind::SecurityGuarantee as usize], 0.0);
        }

        #[test]
        fn repeated_attributed_breaches_of_the_zone_void_the_guarantee() {
            let mut sim = Sim::new(6, |sc, v| {
                v.enabled.remove(Kind::Ceasefire);
                set(sc, v, "point.21.zone-incursion-rate", 500.0);
                set(sc, v, "conflict.escalation-probability", 0.0);
                set(sc, v, "conflict.baseline-detection", 1.0);
            });
            sim.ticks(6);
            let g: Guarantee = sim.get(sim.root());
            assert!(g.breaches >= 3);
            assert_eq!(g.void_cause, Some(VoidCause::Breach));
            // Without point 22, the same breaches leave the guarantee standing.
            let mut sim = Sim::new(6, |sc, v| {
                v.enabled.remove(Kind::Ceasefire);
                v.enabled.remove(Kind::NoChangeByForce);
                set(sc, v, "point.21.zone-incursion-rate", 500.0);
                set(sc, v, "conflict.escalation-probability", 0.0);
                set(sc, v, "conflict.baseline-detection", 1.0);
            });
            sim.ticks(6);
            let g: Guarantee = sim.get(sim.root());
            assert!(g.breaches >= 3 && g.valid);
        }

        #[test]
        fn an_election_redraws_the_guarantors_willingness() {
            let mut sim = Sim::new(1, |sc, v| {
                set(sc, v, "conflict.escalation-probability", 0.0);
                set(sc, v, "party.russia.base-hazard", 0.0);
                set(sc, v, "party.ukraine.base-hazard", 0.0);
            });
            let us = sim.party("united-states");
            sim.ticks(148);
            let before: Guarantor = sim.get(us);
            assert_eq!(before.willingness, 0.45);
            sim.ticks(1); // day 1,043: after the election of day 1,041
            let after: Guarantor = sim.get(us);
            assert_ne!(after.willingness, 0.45);
            assert!((0.0..=1.0).contains(&after.willingness));
            assert_eq!(after.next_election, 1041.0 + 1460.0);
            // The response now combines the new US willingness (with its compensation) with
            // Europe's, which has not changed (nor a stream of its own: it holds no elections).
            let g: Guarantee = sim.get(sim.root());
            let europe: Guarantor = sim.get(sim.party("europe"));
            assert_eq!(europe.willingness, 0.3);
            let expected = 1.0 - (1.0 - (after.willingness + 0.1).min(1.0)) * (1.0 - 0.3);
            assert!(
                (g.no_response - (1.0 - expected)).abs() < 1e-12,
                "{}",
                g.no_response
            );
        }

        #[test]
        fn without_snapback_an_attacker_loses_only_part_of_its_stakes() {
            let run = |on: bool| {
                let mut sim = Sim::new(1, |_, v| {
                    if !on {
                        v.enabled.remove(Kind::GuaranteeTerms);
                    }
                });
                sim.ticks(1);
                let l: Ledger = sim.get(sim.side(0));
                l.terms[Kind::FrozenAssets as usize]
            };
            let full = run(true);
            assert!(full < 0.0);
            assert!((run(false) - 0.5 * full).abs() < 1e-12);
        }
    }
}
