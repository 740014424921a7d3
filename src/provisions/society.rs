//! Society and domestic politics: points 20, 24, 25 and 26 of the 28-point plan (kinds
//! `tolerance`, `humanitarian`, `elections`, `amnesty`).
//!
//! - `tolerance` (20): education and minority-rights programmes make hostility decay faster;
//!   they also remove a pretext one side has given for war (without them, a grievance).
//! - `humanitarian` (24): a committee holds exchange rounds (prisoners, civilians, children,
//!   families) at a fixed interval until all are done; a round succeeds with a probability that
//!   falls with tension. Each success raises both sides' trust, each failure lowers it.
//! - `elections` (25): the protected side holds an election by a fixed day. The winner resents
//!   the concessions with a probability that grows with each concession in force (the
//!   territorial settlement, amnesty, a cap on its forces, a bar on its membership): a resentful government has more resolve to
//!   recover territory, less trust and more hostility; a conciliatory one the reverse. Without
//!   the provision the election comes at its regular, later time.
//! - `amnesty` (26): fewer spoilers with a stake in renewed fighting: a share of incidents
//!   disappears. It counts as a concession in the election.

use super::ProvisionCtx;
use super::kind::Kind;
use crate::engine::Write;
use crate::engine::{Model, Step};
use crate::model::spawn::Init;
use crate::model::{
    Clock, Draws, Implementation, Outcome, Posture, Roster, Run, RunParams, Side, Tension, sites,
};
use crate::scenario::{Ctx, Dim, ParamId, ScenarioError, SpannedParam};
use bevy_ecs::prelude::*;
use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ToleranceWire {
    hostility_decay: SpannedParam,
    pretext_side: Spanned<String>,
    grievance: SpannedParam,
}

/// Point 20: education and tolerance programmes.
#[derive(Debug, Clone)]
pub struct Tolerance {
    /// Factor by which hostility decays faster.
    pub hostility_decay: ParamId,
    /// The side that has given the stated pretext (0 or 1).
    pub pretext_side: u8,
    /// Its grievance without the programmes (utility at p_win = 1).
    pub grievance: ParamId,
}

impl Tolerance {
    /// Reads a `tolerance` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: ToleranceWire = ctx.de(body)?;
        Ok(Tolerance {
            hostility_decay: pc.param(
                ctx,
                "hostility-decay",
                Dim::Multiplier,
                &w.hostility_decay,
            )?,
            pretext_side: pc.side(ctx, "pretext-side", &w.pretext_side)?,
            grievance: pc.param(ctx, "grievance", Dim::Utility, &w.grievance)?,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct HumanitarianWire {
    body: Spanned<String>,
    rounds: SpannedParam,
    round_interval: SpannedParam,
    success_probability: SpannedParam,
    tension_sensitivity: SpannedParam,
    trust_gain: SpannedParam,
    trust_loss: SpannedParam,
}

/// Point 24: the humanitarian committee and its exchanges.
#[derive(Debug, Clone)]
pub struct Humanitarian {
    /// The committee's party index.
    pub body: u8,
    /// Rounds needed to complete all exchanges.
    pub rounds: ParamId,
    /// Days between rounds.
    pub round_interval: ParamId,
    /// Chance a round succeeds at zero tension.
    pub success_probability: ParamId,
    /// How much tension lowers that chance: × 1 / (1 + sensitivity × tension).
    pub tension_sensitivity: ParamId,
    /// Trust each side gains from a completed round.
    pub trust_gain: ParamId,
    /// Trust each side loses from a failed round.
    pub trust_loss: ParamId,
}

impl Humanitarian {
    /// Reads a `humanitarian` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: HumanitarianWire = ctx.de(body)?;
        let c = Humanitarian {
            body: ctx.party("body", &w.body)?,
            rounds: pc.param(ctx, "rounds", Dim::Count, &w.rounds)?,
            round_interval: pc.param(ctx, "round-interval", Dim::Duration, &w.round_interval)?,
            success_probability: pc.param(
                ctx,
                "success-probability",
                Dim::Probability,
                &w.success_probability,
            )?,
            tension_sensitivity: pc.param(
                ctx,
                "tension-sensitivity",
                Dim::Multiplier,
                &w.tension_sensitivity,
            )?,
            trust_gain: pc.param(ctx, "trust-gain", Dim::Fraction, &w.trust_gain)?,
            trust_loss: pc.param(ctx, "trust-loss", Dim::Fraction, &w.trust_loss)?,
        };
        if ctx.params.spec(c.round_interval).value < 1.0 {
            return Err(ctx.err(
                w.round_interval.span(),
                format!("`{}.round-interval` must be at least one day", pc.prefix),
            ));
        }
        Ok(c)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ElectionsWire {
    party: Spanned<String>,
    day: SpannedParam,
    regular_day: SpannedParam,
    resentful_base: SpannedParam,
    backlash_per_concession: SpannedParam,
    resolve_shift: SpannedParam,
    trust_shift: SpannedParam,
    hostility_shift: SpannedParam,
}

/// Point 25: elections within a fixed number of days.
#[derive(Debug, Clone)]
pub struct Elections {
    /// The side that holds them (0 or 1).
    pub side: u8,
    /// Day of the election under the provision.
    pub day: ParamId,
    /// Day it would come without the provision.
    pub regular_day: ParamId,
    /// Chance of a resentful winner with no concessions in force.
    pub resentful_base: ParamId,
    /// Chance added by each concession in force.
    pub backlash_per_concession: ParamId,
    /// Relative change of resolve a resentful winner brings (and a conciliatory one removes).
    pub resolve_shift: ParamId,
    /// Trust a resentful winner loses (and a conciliatory one gains).
    pub trust_shift: ParamId,
    /// Hostility a resentful winner adds (and a conciliatory one removes).
    pub hostility_shift: ParamId,
}

impl Elections {
    /// Reads an `elections` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: ElectionsWire = ctx.de(body)?;
        Ok(Elections {
            side: pc.side(ctx, "party", &w.party)?,
            day: pc.param(ctx, "day", Dim::Duration, &w.day)?,
            regular_day: pc.param(ctx, "regular-day", Dim::Duration, &w.regular_day)?,
            resentful_base: pc.param(ctx, "resentful-base", Dim::Probability, &w.resentful_base)?,
            backlash_per_concession: pc.param(
                ctx,
                "backlash-per-concession",
                Dim::Probability,
                &w.backlash_per_concession,
            )?,
            resolve_shift: pc.param(ctx, "resolve-shift", Dim::Fraction, &w.resolve_shift)?,
            trust_shift: pc.param(ctx, "trust-shift", Dim::Fraction, &w.trust_shift)?,
            hostility_shift: pc.param(ctx, "hostility-shift", Dim::Fraction, &w.hostility_shift)?,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct AmnestyWire {
    spoiler_share: SpannedParam,
    reduction: SpannedParam,
}

/// Point 26: full amnesty.
#[derive(Debug, Clone)]
pub struct Amnesty {
    /// Share of incidents driven by spoilers with a stake in renewed fighting.
    pub spoiler_share: ParamId,
    /// Share of those the amnesty removes.
    pub reduction: ParamId,
}

impl Amnesty {
    /// Reads an `amnesty` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: AmnestyWire = ctx.de(body)?;
        Ok(Amnesty {
            spoiler_share: pc.param(ctx, "spoiler-share", Dim::Fraction, &w.spoiler_share)?,
            reduction: pc.param(ctx, "reduction", Dim::Fraction, &w.reduction)?,
        })
    }
}

/// Progress of exchanges and the election (on the run's root).
#[derive(Component, Debug, Clone, Copy, Default, PartialEq)]
pub struct SocietyState {
    /// Exchange rounds completed.
    pub rounds_done: u32,
    /// Exchange rounds that failed.
    pub rounds_failed: u32,
    /// Day of the next round.
    pub next_round: f64,
    /// 0 before the election, 1 after a conciliatory result, 2 after a resentful one.
    pub election: u8,
}

/// Sets the society state for a new run.
pub fn init_run(world: &mut World, init: &Init<'_>) {
    let next_round = init
        .scenario
        .plan
        .humanitarian
        .as_ref()
        .map_or(f64::INFINITY, |h| init.params.v(h.round_interval));
    world.entity_mut(init.slot.root).insert(SocietyState {
        next_round,
        ..Default::default()
    });
    let plan = &init.scenario.plan;
    let deciders = [
        plan.humanitarian.as_ref().map(|h| h.body),
        plan.elections
            .as_ref()
            .map(|e| init.scenario.conflict.sides[e.side as usize]),
    ];
    for idx in deciders.into_iter().flatten() {
        world
            .entity_mut(init.party(idx))
            .insert(init.draws::<sites::Society>(idx));
    }
}

/// Tolerance programmes and the amnesty act the same throughout a run; without the
/// programmes, the stated pretext is a grievance.
pub fn baseline(init: &Init<'_>, b: &mut crate::model::Baseline) {
    let plan = &init.scenario.plan;
    let rp = init.params;
    if let Some(t) = &plan.tolerance {
        if rp.on(Kind::Tolerance) {
            b.modifiers.hostility_decay_mult *= rp.v(t.hostility_decay);
        } else {
            b.term_per_p_win(t.pretext_side as usize, Kind::Tolerance, rp.v(t.grievance));
        }
    }
    if let Some(a) = rp.active(Kind::Amnesty, &plan.amnesty) {
        let keep = 1.0 - rp.v(a.spoiler_share) * rp.v(a.reduction);
        b.modifiers.incident_mult[0] *= keep;
        b.modifiers.incident_mult[1] *= keep;
    }
}

/// Registers the family's systems.
pub fn add_to(schedule: &mut Schedule) {
    schedule.add_systems(run_society.in_set(Step::Society));
}

/// Chance that an exchange round succeeds under `tension`.
pub fn round_success(base: f64, sensitivity: f64, tension: f64) -> f64 {
    base / (1.0 + sensitivity * tension.max(0.0))
}

/// Chance that an election brings a government that resents the concessions.
pub fn resentment_chance(base: f64, per_concession: f64, concessions: u32) -> f64 {
    (base + per_concession * f64::from(concessions)).clamp(0.0, 1.0)
}

/// The concessions in force that fall on side `s`: territory it cedes, amnesty, a cap on its
/// forces, a bar on its membership.
pub fn concessions(plan: &super::Plan, rp: &RunParams, s: u8) -> u32 {
    let mut n = 0;
    if rp.active(Kind::Territory, &plan.territory).is_some() {
        n += 1;
    }
    if rp.on(Kind::Amnesty) {
        n += 1;
    }
    if rp
        .active(Kind::ForceCap, &plan.force_cap)
        .is_some_and(|c| c.side == s)
    {
        n += 1;
    }
    if rp
        .active(Kind::AllianceBar, &plan.alliance_bar)
        .is_some_and(|b| b.side == s)
    {
        n += 1;
    }
    n
}

/// How far exchanges, the election and the standing programmes were implemented in a run
/// that ended.
pub fn record(e: &super::Ended<'_>, imp: &mut Implementation) {
    let rp = e.params;
    let Some(s) = e.root::<SocietyState>() else {
        return;
    };
    if let Some(h) = rp.active(Kind::Humanitarian, &e.scenario.plan.humanitarian) {
        imp.set(
            Kind::Humanitarian,
            f64::from(s.rounds_done) / rp.v(h.rounds).max(1.0),
        );
    }
    if rp.on(Kind::Elections) {
        imp.set(Kind::Elections, if s.election > 0 { 1.0 } else { 0.0 });
    }
    for kind in [Kind::Tolerance, Kind::Amnesty] {
        if rp.on(kind) {
            imp.set(kind, 1.0);
        }
    }
}

type SocietyRuns<'a> = (
    &'a Run,
    &'a Clock,
    &'a RunParams,
    &'a Roster,
    &'a Tension,
    &'a Outcome,
    Write<SocietyState>,
);

/// A side's posture and, where it has one, the stream that draws its election's outcome.
type Voters = (Write<Posture>, Option<Write<Draws<sites::Society>>>);

/// Each run's society, once per tick: an exchange round when one is due, and the election on
/// its day.
fn run_society(
    model: Res<Model>,
    mut runs: Query<SocietyRuns>,
    mut bodies: Query<Write<Draws<sites::Society>>, Without<Side>>,
    mut sides: Query<Voters, With<Side>>,
) {
    let plan = &model.0.plan;
    for (run, clock, rp, roster, tension, outcome, s) in &mut runs {
        if !run.live || !outcome.running() {
            continue;
        }
        if let Some(h) = rp.active(Kind::Humanitarian, &plan.humanitarian)
            && clock.day >= s.next_round
            && f64::from(s.rounds_done) < rp.v(h.rounds)
        {
            s.next_round += rp.v(h.round_interval);
            if let Ok(stream) = bodies.get_mut(roster.parties[h.body as usize]) {
                let p = round_success(
                    rp.v(h.success_probability),
                    rp.v(h.tension_sensitivity),
                    tension.0,
                );
                let success = stream.chance(p);
                if success {
                    s.rounds_done += 1;
                } else {
                    s.rounds_failed += 1;
                }
                for &side in &roster.sides {
                    if let Ok((posture, _)) = sides.get_mut(side) {
                        posture.trust = if success {
                            (posture.trust + rp.v(h.trust_gain)).min(1.0)
                        } else {
                            (posture.trust - rp.v(h.trust_loss)).max(0.0)
                        };
                    }
                }
            }
        }
        if let Some(e) = &plan.elections
            && s.election == 0
        {
            let day = if rp.on(Kind::Elections) {
                rp.v(e.day)
            } else {
                rp.v(e.regular_day)
            };
            if clock.day >= day
                && let Ok((posture, Some(stream))) = sides.get_mut(roster.sides[e.side as usize])
            {
                let p = resentment_chance(
                    rp.v(e.resentful_base),
                    rp.v(e.backlash_per_concession),
                    concessions(plan, rp, e.side),
                );
                let sign = if stream.chance(p) {
                    s.election = 2;
                    1.0
                } else {
                    s.election = 1;
                    -1.0
                };
                posture.resolve = (posture.resolve * (1.0 + sign * rp.v(e.resolve_shift))).max(0.0);
                posture.trust = (posture.trust - sign * rp.v(e.trust_shift)).clamp(0.0, 1.0);
                posture.hostility =
                    (posture.hostility + sign * rp.v(e.hostility_shift)).clamp(0.0, 1.0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchanges_fail_more_under_tension() {
        assert_eq!(round_success(0.9, 2.0, 0.0), 0.9);
        assert!(round_success(0.9, 2.0, 0.5) < 0.9);
        assert!((round_success(0.9, 2.0, 0.5) - 0.45).abs() < 1e-12);
    }

    #[test]
    fn each_concession_raises_the_chance_of_a_resentful_winner() {
        assert_eq!(resentment_chance(0.2, 0.1, 0), 0.2);
        assert!((resentment_chance(0.2, 0.1, 3) - 0.5).abs() < 1e-12);
        assert_eq!(resentment_chance(0.8, 0.1, 4), 1.0);
    }
}
#[cfg(test)]
mod systems_tests;
