//! Sanctions relief: point 13 of the 28-point plan (kind `sanctions-relief`).
//!
//! Sanctions on the target side are lifted in phases, case by case: at each review, if no
//! sanction was imposed on the target since the last review, the deciding party lifts the next
//! phase with some probability. After enough phases the target is readmitted to a club (the
//! G8), a membership it holds as an entity related to the club. Each phase lifted and the club
//! seat are stakes the target would lose by renewed war; a sanction for a violation rolls one
//! phase back (and may suspend the club seat again).

use super::ProvisionCtx;
use super::kind::Kind;
use crate::engine::Write;
use crate::engine::{Model, Step};
use crate::model::spawn::{Init, MemberOf, Members, Membership};
use crate::model::{
    Clock, Draws, Implementation, Outcome, Roster, Run, RunParams, SanctionImposed, Stakes, sites,
};
use crate::scenario::{Ctx, Dim, MembershipStatus, ParamId, ScenarioError, SpannedParam};
use bevy_ecs::prelude::*;
use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ReliefWire {
    target: Spanned<String>,
    decided_by: Spanned<String>,
    phases: SpannedParam,
    first_review: SpannedParam,
    review_interval: SpannedParam,
    lift_probability: SpannedParam,
    relief_value: SpannedParam,
    club: Option<Spanned<String>>,
    club_phase: Option<SpannedParam>,
    club_value: Option<SpannedParam>,
}

/// Point 13: phased lifting of sanctions and readmission to a club.
#[derive(Debug, Clone)]
pub struct SanctionsRelief {
    /// The sanctioned side (0 or 1).
    pub target: u8,
    /// Party index of the party whose decision lifts a phase.
    pub decided_by: u8,
    /// Number of phases.
    pub phases: ParamId,
    /// Day of the first review.
    pub first_review: ParamId,
    /// Days between reviews.
    pub review_interval: ParamId,
    /// Chance that a review of a compliant target lifts the next phase.
    pub lift_probability: ParamId,
    /// Stake of full relief to the target (utility).
    pub relief_value: ParamId,
    /// The club, its readmission phase and the seat's value, when the agreement readmits the
    /// target to one.
    pub club: Option<(u8, ParamId, ParamId)>,
}

impl SanctionsRelief {
    /// Reads a `sanctions-relief` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: ReliefWire = ctx.de(body)?;
        let c = SanctionsRelief {
            target: pc.side(ctx, "target", &w.target)?,
            decided_by: ctx.party("decided-by", &w.decided_by)?,
            phases: pc.param(ctx, "phases", Dim::Count, &w.phases)?,
            first_review: pc.param(ctx, "first-review", Dim::Duration, &w.first_review)?,
            review_interval: pc.param(ctx, "review-interval", Dim::Duration, &w.review_interval)?,
            lift_probability: pc.param(
                ctx,
                "lift-probability",
                Dim::Probability,
                &w.lift_probability,
            )?,
            relief_value: pc.param(ctx, "relief-value", Dim::Utility, &w.relief_value)?,
            club: match (&w.club, &w.club_phase, &w.club_value) {
                (None, None, None) => None,
                (Some(club), Some(phase), Some(value)) => Some((
                    ctx.party("club", club)?,
                    pc.param(ctx, "club-phase", Dim::Count, phase)?,
                    pc.param(ctx, "club-value", Dim::Utility, value)?,
                )),
                _ => {
                    return Err(ctx.err(
                        pc.span.clone(),
                        format!("`{}` gives part of `club`, `club-phase`, `club-value`; give all three or none", pc.prefix),
                    ));
                }
            },
        };
        let phases = ctx.params.spec(c.phases).value;
        if phases < 1.0 || phases.fract() != 0.0 {
            return Err(ctx.err(
                w.phases.span(),
                format!("`{}.phases` must be a whole number, at least 1", pc.prefix),
            ));
        }
        if ctx.params.spec(c.review_interval).value < 1.0 {
            return Err(ctx.err(
                w.review_interval.span(),
                format!("`{}.review-interval` must be at least one day", pc.prefix),
            ));
        }
        if let Some((_, phase, _)) = c.club
            && ctx.params.spec(phase).value > phases
        {
            return Err(ctx.err(
                pc.span.clone(),
                format!("`{}.club-phase` is after the last phase", pc.prefix),
            ));
        }
        Ok(c)
    }
}

/// The state of sanctions on the target side (on the run's root).
#[derive(Component, Debug, Clone, Copy, Default, PartialEq)]
pub struct SanctionsState {
    /// Phases lifted so far.
    pub phases_lifted: u32,
    /// Day of the next review.
    pub next_review: f64,
    /// True when a sanction was imposed on the target since the last review.
    pub sanctioned_since_review: bool,
    /// Phases rolled back as sanctions for violations.
    pub rollbacks: u32,
    /// Whether the target holds its seat in the club.
    pub seated: bool,
}

/// Sets the sanctions state for a new run.
pub fn init_run(world: &mut World, init: &Init<'_>) {
    let next_review = init
        .scenario
        .plan
        .sanctions_relief
        .as_ref()
        .map_or(f64::INFINITY, |r| init.params.v(r.first_review));
    world.entity_mut(init.slot.root).insert(SanctionsState {
        next_review,
        ..Default::default()
    });
    if let Some(r) = &init.scenario.plan.sanctions_relief {
        world
            .entity_mut(init.party(r.decided_by))
            .insert(init.draws::<sites::Sanctions>(r.decided_by));
    }
}

/// Registers the family's systems.
pub fn add_to(schedule: &mut Schedule) {
    schedule.add_systems(
        (roll_back_sanctions, review_sanctions)
            .chain()
            .in_set(Step::Relief),
    );
}

/// Phases lifted after a review: one more when the target complied and the draw succeeds.
pub fn after_review(
    lifted: u32,
    phases: u32,
    complied: bool,
    draw: f64,
    lift_probability: f64,
) -> u32 {
    if complied && lifted < phases && draw < lift_probability {
        lifted + 1
    } else {
        lifted
    }
}

type ReliefRuns<'a> = (
    &'a Run,
    &'a Clock,
    &'a RunParams,
    &'a Roster,
    &'a Outcome,
    Write<SanctionsState>,
    Write<Stakes>,
);

/// Each run's relief, once per tick (after this tick's sanctions rolled phases back): a review
/// when one is due, the club seat that follows the phases lifted, and the stake relief gives.
fn review_sanctions(
    model: Res<Model>,
    mut runs: Query<ReliefRuns>,
    mut streams: Query<Write<Draws<sites::Sanctions>>>,
    clubs: Query<&Members>,
    mut memberships: Query<Write<Membership>, With<MemberOf>>,
) {
    let plan = &model.0.plan;
    let Some(r) = &plan.sanctions_relief else {
        return;
    };
    for (run, clock, rp, roster, outcome, s, stakes) in &mut runs {
        if !run.live || !outcome.running() || !rp.on(Kind::SanctionsRelief) {
            continue;
        }
        if clock.day >= s.next_review
            && let Ok(stream) = streams.get_mut(roster.parties[r.decided_by as usize])
        {
            let draw = stream.uniform();
            s.phases_lifted = after_review(
                s.phases_lifted,
                rp.v(r.phases) as u32,
                !s.sanctioned_since_review,
                draw,
                rp.v(r.lift_probability),
            );
            s.sanctioned_since_review = false;
            s.next_review += rp.v(r.review_interval);
        }
        let mut stake = rp.v(r.relief_value) * f64::from(s.phases_lifted) / rp.v(r.phases);
        if let Some((club, phase, value)) = r.club {
            let seated = f64::from(s.phases_lifted) >= rp.v(phase);
            if seated {
                stake += rp.v(value);
            }
            if seated != s.seated {
                s.seated = seated;
                seat(
                    &clubs,
                    &mut memberships,
                    roster.parties[club as usize],
                    roster.sides[r.target as usize],
                    seated,
                );
            }
        }
        stakes.add(r.target as usize, Kind::SanctionsRelief, stake);
    }
}

/// Gives the target its seat in the club back, or suspends it.
fn seat(
    clubs: &Query<&Members>,
    memberships: &mut Query<Write<Membership>, With<MemberOf>>,
    club: Entity,
    target: Entity,
    seated: bool,
) {
    let Ok(members) = clubs.get(club) else {
        return;
    };
    let status = if seated {
        MembershipStatus::Active
    } else {
        MembershipStatus::Suspended
    };
    for m in members.iter() {
        if let Ok(ms) = memberships.get_mut(m)
            && ms.member == target
        {
            ms.status = status;
        }
    }
}

fn roll_back_sanctions(
    model: Res<Model>,
    mut reader: MessageReader<SanctionImposed>,
    mut runs: Query<(&Run, &RunParams, Write<SanctionsState>)>,
) {
    let plan = &model.0.plan;
    let Some(r) = &plan.sanctions_relief else {
        reader.clear();
        return;
    };
    for s in reader.read() {
        if s.side != r.target {
            continue;
        }
        let Ok((run, rp, state)) = runs.get_mut(s.run) else {
            continue;
        };
        if !run.live || !rp.on(Kind::SanctionsRelief) {
            continue;
        }
        state.sanctioned_since_review = true;
        if state.phases_lifted > 0 {
            state.phases_lifted -= 1;
            state.rollbacks += 1;
        }
    }
}

/// How far relief was implemented in a run that ended: the share of phases lifted.
pub fn record(e: &super::Ended<'_>, imp: &mut Implementation) {
    let rp = e.params;
    if let Some(r) = rp.active(Kind::SanctionsRelief, &e.scenario.plan.sanctions_relief)
        && let Some(s) = e.root::<SanctionsState>()
    {
        imp.set(
            Kind::SanctionsRelief,
            f64::from(s.phases_lifted) / rp.v(r.phases),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_lifts_one_phase_only_for_a_compliant_target() {
        assert_eq!(after_review(0, 4, true, 0.1, 0.5), 1);
        assert_eq!(after_review(0, 4, true, 0.9, 0.5), 0);
        assert_eq!(after_review(2, 4, false, 0.0, 1.0), 2);
        assert_eq!(after_review(4, 4, true, 0.0, 1.0), 4);
    }
}
#[cfg(test)]
mod systems_tests;
