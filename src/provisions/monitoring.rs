//! Monitoring and enforcement: points 27 and 15 of the 28-point plan (kinds `peace-council`
//! and `working-group`).
//!
//! - `peace-council` (27): a council detects violations (on top of what national means
//!   detect), attributes them (sometimes to the wrong side), and sanctions the side it blames
//!   with some probability, after a delay. The agreement is legally binding: attacking carries
//!   an audience cost for both sides. The council's chair leaves at the end of a term, after
//!   which its enforcement changes by an uncertain factor.
//! - `working-group` (15): a joint working group adds detection and attribution capacity and a
//!   channel that keeps some incidents from escalating.
//!
//! Detection and attribution themselves are drawn by the causal core
//! (`crate::conflict::detect_incidents`) with the probabilities set here; the sanction is the
//! council's own decision, drawn from its stream. A sanction that takes effect is announced as
//! a [`SanctionImposed`] message, to which the sanctions and economy families respond.

use super::ProvisionCtx;
use super::kind::Kind;
use crate::engine::Write;
use crate::engine::{Model, Step};
use crate::model::spawn::Init;
use crate::model::{
    Attributed, Clock, Draws, Implementation, Modifiers, Outcome, Run, RunParams, SanctionImposed,
    Tally, sites,
};
use crate::scenario::{Ctx, Dim, ParamId, ScenarioError, SpannedParam};
use bevy_ecs::prelude::*;
use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

// ---------------------------------------------------------------------------------------------
// Configuration.

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CouncilWire {
    body: Spanned<String>,
    detection: SpannedParam,
    attribution: SpannedParam,
    enforcement: SpannedParam,
    delay: SpannedParam,
    chair_term: SpannedParam,
    successor_effectiveness: SpannedParam,
    audience_cost: SpannedParam,
}

/// Point 27: the Peace Council.
#[derive(Debug, Clone)]
pub struct PeaceCouncil {
    /// The council's party index.
    pub body: u8,
    /// Chance that it detects a violation.
    pub detection: ParamId,
    /// Chance that it attributes a detected violation to the side that committed it.
    pub attribution: ParamId,
    /// Chance that it sanctions an attributed violation (while its first chair serves).
    pub enforcement: ParamId,
    /// Days from attribution to the sanction taking effect.
    pub delay: ParamId,
    /// Days until the chair's term ends.
    pub chair_term: ParamId,
    /// Multiplier on enforcement after the chair leaves.
    pub successor_effectiveness: ParamId,
    /// Cost to either side of breaking a legally binding agreement by attacking (utility).
    pub audience_cost: ParamId,
}

impl PeaceCouncil {
    /// Reads a `peace-council` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: CouncilWire = ctx.de(body)?;
        Ok(PeaceCouncil {
            body: ctx.party("body", &w.body)?,
            detection: pc.param(ctx, "detection", Dim::Probability, &w.detection)?,
            attribution: pc.param(ctx, "attribution", Dim::Probability, &w.attribution)?,
            enforcement: pc.param(ctx, "enforcement", Dim::Probability, &w.enforcement)?,
            delay: pc.param(ctx, "delay", Dim::Duration, &w.delay)?,
            chair_term: pc.param(ctx, "chair-term", Dim::Duration, &w.chair_term)?,
            successor_effectiveness: pc.param(
                ctx,
                "successor-effectiveness",
                Dim::Multiplier,
                &w.successor_effectiveness,
            )?,
            audience_cost: pc.param(ctx, "audience-cost", Dim::Utility, &w.audience_cost)?,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct WorkingGroupWire {
    body: Spanned<String>,
    detection: SpannedParam,
    attribution_gain: SpannedParam,
    escalation_reduction: SpannedParam,
}

/// Point 15: the joint working group on compliance.
#[derive(Debug, Clone)]
pub struct WorkingGroup {
    /// The working group's party index.
    pub body: u8,
    /// Chance that it detects a violation the others miss.
    pub detection: ParamId,
    /// Share of misattributions it corrects.
    pub attribution_gain: ParamId,
    /// Share of escalations its channel prevents.
    pub escalation_reduction: ParamId,
}

impl WorkingGroup {
    /// Reads a `working-group` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: WorkingGroupWire = ctx.de(body)?;
        Ok(WorkingGroup {
            body: ctx.party("body", &w.body)?,
            detection: pc.param(ctx, "detection", Dim::Probability, &w.detection)?,
            attribution_gain: pc.param(
                ctx,
                "attribution-gain",
                Dim::Fraction,
                &w.attribution_gain,
            )?,
            escalation_reduction: pc.param(
                ctx,
                "escalation-reduction",
                Dim::Fraction,
                &w.escalation_reduction,
            )?,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Components.

/// How many sanctions a council can have waiting to take effect.
pub const PENDING: usize = 16;

/// Sanctions decided but not yet in effect (on the council's entity).
#[derive(Component, Debug, Clone, Copy)]
pub struct PendingSanctions {
    /// Day each takes effect and the side it targets.
    pub queue: [(f64, u8); PENDING],
    /// Entries in use.
    pub len: usize,
}

impl Default for PendingSanctions {
    fn default() -> Self {
        PendingSanctions {
            queue: [(0.0, 0); PENDING],
            len: 0,
        }
    }
}

impl PendingSanctions {
    /// Queues a sanction; when the queue is full the sanction is dropped (a council cannot
    /// process unlimited cases), and false is returned.
    pub fn push(&mut self, day: f64, side: u8) -> bool {
        if self.len == PENDING {
            return false;
        }
        self.queue[self.len] = (day, side);
        self.len += 1;
        true
    }

    /// Removes and returns the sanctions due by `day`, in the order they were queued.
    pub fn take_due(&mut self, day: f64, mut f: impl FnMut(u8)) {
        let mut kept = 0;
        for i in 0..self.len {
            let (due, side) = self.queue[i];
            if due <= day {
                f(side);
            } else {
                self.queue[kept] = (due, side);
                kept += 1;
            }
        }
        self.len = kept;
    }
}

/// How many sanctions wait in the council's queue (on the run's root), so that a run with
/// none costs no look-up of the council.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Docket {
    /// Sanctions decided and not yet in effect.
    pub pending: u32,
}

/// Sets the council's queue for a new run.
pub fn init_run(world: &mut World, init: &Init<'_>) {
    world.entity_mut(init.slot.root).insert(Docket::default());
    if let Some(c) = &init.scenario.plan.peace_council {
        world.entity_mut(init.party(c.body)).insert((
            PendingSanctions::default(),
            init.draws::<sites::Enforcement>(c.body),
        ));
    }
}

/// Detection, attribution and enforcement by the council and the working group, and the
/// council's audience cost, for the whole run (the change of chair is applied each tick).
pub fn baseline(init: &Init<'_>, b: &mut crate::model::Baseline) {
    let plan = &init.scenario.plan;
    let rp = init.params;
    if let Some(c) = rp.active(Kind::PeaceCouncil, &plan.peace_council) {
        let m = &mut b.modifiers;
        m.detection = combined_detection(m.detection, rp.v(c.detection));
        m.attribution = m.attribution.max(rp.v(c.attribution));
        m.enforcement = rp.v(c.enforcement).clamp(0.0, 1.0);
        for s in 0..2 {
            b.term(s, Kind::PeaceCouncil, -rp.v(c.audience_cost));
        }
    }
    if let Some(wg) = rp.active(Kind::WorkingGroup, &plan.working_group) {
        let m = &mut b.modifiers;
        m.detection = combined_detection(m.detection, rp.v(wg.detection));
        m.attribution = corrected_attribution(m.attribution, rp.v(wg.attribution_gain));
        m.escalation_mult *= 1.0 - rp.v(wg.escalation_reduction);
    }
}

/// Registers the family's systems.
pub fn add_to(schedule: &mut Schedule) {
    schedule.add_systems((
        apply_due_sanctions.in_set(Step::DueSanctions),
        decide_sanctions.in_set(Step::Enforcement),
    ));
}

// ---------------------------------------------------------------------------------------------
// Math.

/// Chance that at least one of independent monitors detects a violation.
pub fn combined_detection(a: f64, b: f64) -> f64 {
    1.0 - (1.0 - a) * (1.0 - b)
}

/// Attribution after a second body corrects a share of the misattributions.
pub fn corrected_attribution(attribution: f64, gain: f64) -> f64 {
    attribution + gain * (1.0 - attribution)
}

// ---------------------------------------------------------------------------------------------
// Systems.

/// A run whose council decides sanctions.
type SanctioningRuns<'a> = (
    &'a Run,
    &'a RunParams,
    &'a Modifiers,
    &'a crate::model::Roster,
    &'a Outcome,
    Write<Docket>,
);

fn decide_sanctions(
    model: Res<Model>,
    mut reader: MessageReader<Attributed>,
    mut runs: Query<SanctioningRuns>,
    mut councils: Query<(Write<PendingSanctions>, Write<Draws<sites::Enforcement>>)>,
) {
    let plan = &model.0.plan;
    let Some(council) = &plan.peace_council else {
        reader.clear();
        return;
    };
    for a in reader.read() {
        let Ok((run, rp, m, roster, outcome, docket)) = runs.get_mut(a.run) else {
            continue;
        };
        if !run.live || run.task != a.task || !outcome.running() || !rp.on(Kind::PeaceCouncil) {
            continue;
        }
        let Ok((pending, stream)) = councils.get_mut(roster.parties[council.body as usize]) else {
            continue;
        };
        if stream.chance(m.enforcement) && pending.push(a.day + rp.v(council.delay), a.blamed) {
            docket.pending = pending.len as u32;
        }
    }
}

type CouncilRuns<'a> = (
    Entity,
    &'a Run,
    &'a Clock,
    &'a RunParams,
    &'a crate::model::Roster,
    &'a Outcome,
    Write<Tally>,
    Write<Docket>,
    Write<Modifiers>,
);

/// Each run's council, once per tick: sanctions whose delay is over take effect, and after
/// the chair's term its enforcement is the successor's.
pub(crate) fn apply_due_sanctions(
    model: Res<Model>,
    mut runs: Query<CouncilRuns>,
    mut councils: Query<Write<PendingSanctions>>,
    mut out: MessageWriter<SanctionImposed>,
) {
    let plan = &model.0.plan;
    let Some(council) = &plan.peace_council else {
        return;
    };
    for (root, run, clock, rp, roster, outcome, tally, docket, m) in &mut runs {
        if !run.live || !outcome.running() || !rp.on(Kind::PeaceCouncil) {
            continue;
        }
        if clock.day > rp.v(council.chair_term) {
            m.enforcement =
                (rp.v(council.enforcement) * rp.v(council.successor_effectiveness)).clamp(0.0, 1.0);
        }
        if docket.pending == 0 {
            continue;
        }
        let Ok(pending) = councils.get_mut(roster.parties[council.body as usize]) else {
            continue;
        };
        pending.take_due(clock.day, |side| {
            tally.sanctions_imposed += 1;
            out.write(SanctionImposed {
                run: root,
                side,
                day: clock.day,
            });
        });
        docket.pending = pending.len as u32;
    }
}

/// How far monitoring was implemented in a run that ended: the share of incidents detected.
pub fn record(e: &super::Ended<'_>, imp: &mut Implementation) {
    let Some(tally) = e.root::<Tally>() else {
        return;
    };
    let incidents = tally.incidents[0] + tally.incidents[1];
    let level = if incidents == 0 {
        1.0
    } else {
        f64::from(tally.detected) / f64::from(incidents)
    };
    for kind in [Kind::PeaceCouncil, Kind::WorkingGroup] {
        if e.params.on(kind) {
            imp.set(kind, level);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monitors_combine_and_correct() {
        assert!((combined_detection(0.3, 0.5) - 0.65).abs() < 1e-12);
        assert_eq!(combined_detection(0.0, 0.0), 0.0);
        assert!((corrected_attribution(0.8, 0.5) - 0.9).abs() < 1e-12);
        assert_eq!(corrected_attribution(0.8, 0.0), 0.8);
    }

    #[test]
    fn pending_sanctions_come_due_in_order_and_the_queue_is_bounded() {
        let mut p = PendingSanctions::default();
        assert!(p.push(30.0, 0));
        assert!(p.push(10.0, 1));
        assert!(p.push(50.0, 0));
        let mut due = Vec::new();
        p.take_due(30.0, |s| due.push(s));
        assert_eq!(due, vec![0, 1]);
        assert_eq!(p.len, 1);
        for _ in 0..PENDING {
            p.push(100.0, 1);
        }
        assert_eq!(p.len, PENDING);
        assert!(!p.push(100.0, 1));
    }
}
#[cfg(test)]
mod systems_tests;
