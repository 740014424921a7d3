//! Territory, the line of contact and the start of the ceasefire: points 21, 22 and 28 of the
//! 28-point plan (kinds `territory`, `no-change-by-force`, `ceasefire`).
//!
//! - `ceasefire` (28): both sides withdraw to agreed points over a withdrawal period; either may
//!   stall (more likely with low trust, and when it is ahead of the other side) and later
//!   resume. The ceasefire takes effect when both have finished; if they have not by the
//!   deadline, the agreement collapses (`withdrawal-failed`). Without it, the ceasefire takes
//!   effect at signing and the territorial settlement applies at once.
//! - `territory` (21): each region ends recognised to a holder, demilitarised, frozen on the
//!   line, or returned. Control moves as the withdrawing side progresses. A demilitarised zone
//!   separates the forces and removes a share of incidents on the line, but entering it is a
//!   violation with its own rate. Recognition has a value to the side it favours, which an
//!   attack would put at risk (priced by `guarantee-terms`).
//! - `no-change-by-force` (22): both sides undertake not to change the arrangements by force, an
//!   audience cost on attacking; breaches by the protected side void the guarantees (applied
//!   by the `guarantee` family).

use super::ProvisionCtx;
use super::kind::Kind;
use crate::conflict::{IncidentLog, IncidentSides, incident_rate};
use crate::engine::Write;
use crate::engine::view::RunView;
use crate::engine::{Model, Step};
use crate::model::spawn::Init;
use crate::model::{
    Cause, Ceasefire, Clock, Commitments, HazardClock, Implementation, IncidentKind, Modifiers,
    Outcome, Posture, Roster, Run, RunParams, Stakes, Stream, Territory, sites,
};
use crate::scenario::{Ctx, Dim, ParamId, RegionConfig, ScenarioError, SpannedParam};
use bevy_ecs::prelude::*;
use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

/// The most regions a settlement may name.
pub const MAX_REGIONS: usize = crate::model::MAX_REGIONS;

// ---------------------------------------------------------------------------------------------
// Configuration.

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CeasefireWire {
    withdrawal_duration: SpannedParam,
    deadline: SpannedParam,
    stall_rate: SpannedParam,
    resume_rate: SpannedParam,
    reciprocity: SpannedParam,
}

/// Point 28: withdrawal to agreed points, then the ceasefire.
#[derive(Debug, Clone)]
pub struct CeasefireSequence {
    /// Days a side needs to withdraw when it does not stall.
    pub withdrawal_duration: ParamId,
    /// Day by which both must have withdrawn, or the agreement collapses.
    pub deadline: ParamId,
    /// Rate (per day) at which a side with no trust stalls its withdrawal.
    pub stall_rate: ParamId,
    /// Rate (per day) at which a stalled side resumes.
    pub resume_rate: ParamId,
    /// How much being ahead of the other side raises the stall rate: × (1 + reciprocity × lead).
    pub reciprocity: ParamId,
}

impl CeasefireSequence {
    /// Reads a `ceasefire` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: CeasefireWire = ctx.de(body)?;
        let c = CeasefireSequence {
            withdrawal_duration: pc.param(
                ctx,
                "withdrawal-duration",
                Dim::Duration,
                &w.withdrawal_duration,
            )?,
            deadline: pc.param(ctx, "deadline", Dim::Duration, &w.deadline)?,
            stall_rate: pc.param(ctx, "stall-rate", Dim::Rate, &w.stall_rate)?,
            resume_rate: pc.param(ctx, "resume-rate", Dim::Rate, &w.resume_rate)?,
            reciprocity: pc.param(ctx, "reciprocity", Dim::Multiplier, &w.reciprocity)?,
        };
        let d = ctx.params.spec(c.withdrawal_duration).value;
        if d <= 0.0 {
            return Err(ctx.err(
                w.withdrawal_duration.span(),
                format!("`{}.withdrawal-duration` must be positive", pc.prefix),
            ));
        }
        if ctx.params.spec(c.deadline).value < d {
            return Err(ctx.err(
                w.deadline.span(),
                format!(
                    "`{0}.deadline` ends before the withdrawal can finish: the deadline ({1} days) is earlier than `{0}.withdrawal-duration` ({2} days)",
                    pc.prefix,
                    ctx.params.spec(c.deadline).value,
                    d
                ),
            ));
        }
        Ok(c)
    }
}

/// What the settlement does with a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionOutcome {
    /// Recognised (de facto) as the holder's; the other side withdraws from any part it holds.
    Recognised,
    /// Recognised as the holder's and demilitarised: the other side withdraws, and the holder
    /// may not enter.
    Demilitarised,
    /// Frozen on the line of contact.
    Frozen,
    /// Returned to the holder: the other side withdraws.
    Returned,
}

impl RegionOutcome {
    const NAMES: [(&'static str, RegionOutcome); 4] = [
        ("recognised", RegionOutcome::Recognised),
        ("demilitarised", RegionOutcome::Demilitarised),
        ("frozen", RegionOutcome::Frozen),
        ("returned", RegionOutcome::Returned),
    ];

    /// The name used in files.
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("", |(n, _)| n)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SettlementWire {
    region: Spanned<String>,
    outcome: Spanned<String>,
    holder: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TerritoryWire {
    settlement: Vec<Spanned<SettlementWire>>,
    zone_incident_reduction: SpannedParam,
    zone_incursion_rate: SpannedParam,
    incursion_severity: SpannedParam,
    recognition_value: SpannedParam,
}

/// One region's fate.
#[derive(Debug, Clone, Copy)]
pub struct RegionSettlement {
    /// Region index.
    pub region: usize,
    /// What happens to it.
    pub outcome: RegionOutcome,
    /// The side (0 or 1) that ends up holding it; none when frozen.
    pub holder: Option<u8>,
}

/// Point 21: the territorial settlement and the demilitarised zone.
#[derive(Debug, Clone)]
pub struct TerritorySettlement {
    /// Each region's fate.
    pub regions: Vec<RegionSettlement>,
    /// Share of incidents on the line that a fully formed zone removes.
    pub zone_incident_reduction: ParamId,
    /// Rate (per day) at which a side enters the zone, at full hostility and no trust.
    pub zone_incursion_rate: ParamId,
    /// Severity of an incursion relative to a serious incident on the line.
    pub incursion_severity: ParamId,
    /// Value to the first side of recognition of its control (utility), lost if revoked.
    pub recognition_value: ParamId,
}

impl TerritorySettlement {
    /// Reads a `territory` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: TerritoryWire = ctx.de(body)?;
        let mut regions: Vec<RegionSettlement> = Vec::new();
        for s in &w.settlement {
            let sw = s.get_ref();
            let region = pc
                .regions
                .iter()
                .position(|r| r.id == *sw.region.get_ref())
                .ok_or_else(|| {
                    let known: Vec<_> =
                        pc.regions.iter().map(|r| format!("\"{}\"", r.id)).collect();
                    ctx.err(
                        sw.region.span(),
                        format!(
                            "unknown region \"{}\"; the regions are {}",
                            sw.region.get_ref(),
                            if known.is_empty() {
                                "none (add [[region]] tables)".to_string()
                            } else {
                                known.join(", ")
                            }
                        ),
                    )
                })?;
            let outcome = RegionOutcome::NAMES
                .iter()
                .find(|(n, _)| *n == sw.outcome.get_ref())
                .map(|(_, o)| *o)
                .ok_or_else(|| {
                    let allowed: Vec<_> = RegionOutcome::NAMES
                        .iter()
                        .map(|(n, _)| format!("\"{n}\""))
                        .collect();
                    ctx.err(
                        sw.outcome.span(),
                        format!(
                            "unknown outcome \"{}\"; expected one of {}",
                            sw.outcome.get_ref(),
                            allowed.join(", ")
                        ),
                    )
                })?;
            let holder = match (&sw.holder, outcome) {
                (None, RegionOutcome::Frozen) => None,
                (Some(h), RegionOutcome::Frozen) => {
                    return Err(ctx.err(
                        h.span(),
                        "a frozen region has no `holder`: the line stays where it is",
                    ));
                }
                (None, _) => {
                    return Err(ctx.err(
                        s.span(),
                        format!("outcome \"{}\" needs `holder`: the side that ends up holding the region", outcome.name()),
                    ));
                }
                (Some(h), _) => Some(pc.side(ctx, "holder", h)?),
            };
            if regions.iter().any(|r| r.region == region) {
                return Err(ctx.err(
                    sw.region.span(),
                    format!("region \"{}\" is settled twice", sw.region.get_ref()),
                ));
            }
            regions.push(RegionSettlement {
                region,
                outcome,
                holder,
            });
        }
        Ok(TerritorySettlement {
            regions,
            zone_incident_reduction: pc.param(
                ctx,
                "zone-incident-reduction",
                Dim::Fraction,
                &w.zone_incident_reduction,
            )?,
            zone_incursion_rate: pc.param(
                ctx,
                "zone-incursion-rate",
                Dim::Rate,
                &w.zone_incursion_rate,
            )?,
            incursion_severity: pc.param(
                ctx,
                "incursion-severity",
                Dim::Multiplier,
                &w.incursion_severity,
            )?,
            recognition_value: pc.param(
                ctx,
                "recognition-value",
                Dim::Utility,
                &w.recognition_value,
            )?,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct NoChangeWire {
    audience_cost: SpannedParam,
    breach_incursions: SpannedParam,
}

/// Point 22: no change of the arrangements by force; guarantees void on breach.
#[derive(Debug, Clone)]
pub struct NoChangeByForce {
    /// Cost to either side of breaking the undertaking by attacking (utility).
    pub audience_cost: ParamId,
    /// Attributed incursions by the protected side that count as a breach voiding the
    /// guarantees.
    pub breach_incursions: ParamId,
}

impl NoChangeByForce {
    /// Reads a `no-change-by-force` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: NoChangeWire = ctx.de(body)?;
        let c = NoChangeByForce {
            audience_cost: pc.param(ctx, "audience-cost", Dim::Utility, &w.audience_cost)?,
            breach_incursions: pc.param(
                ctx,
                "breach-incursions",
                Dim::Count,
                &w.breach_incursions,
            )?,
        };
        if ctx.params.spec(c.breach_incursions).value < 1.0 {
            return Err(ctx.err(
                w.breach_incursions.span(),
                format!("`{}.breach-incursions` must be at least 1", pc.prefix),
            ));
        }
        Ok(c)
    }
}

/// Checks that need the whole plan.
pub fn check_plan(
    ctx: &Ctx<'_>,
    plan: &super::Plan,
    regions: &[RegionConfig],
) -> Result<(), ScenarioError> {
    if let Some(t) = &plan.territory
        && t.regions.is_empty()
        && !regions.is_empty()
    {
        return Err(
            ctx.file_err("the `territory` provision settles no region; give `settlement` entries")
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Components.

/// Progress of the withdrawal to agreed points (on the run's root).
#[derive(Component, Debug, Clone, Copy, Default, PartialEq)]
pub struct Withdrawal {
    /// Progress of each side, in [0, 1].
    pub progress: [f64; 2],
    /// Whether each side is stalling.
    pub stalled: [bool; 2],
    /// Share of the demilitarised zone formed, in [0, 1].
    pub zone: f64,
    /// True once control has reached the settlement's end state (nothing moves any more).
    pub settled: bool,
}

/// A side's hazard clocks for the withdrawal and the zone.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct TerritoryClocks {
    /// Stalling the withdrawal.
    pub stall: HazardClock,
    /// Resuming it.
    pub resume: HazardClock,
    /// Entering the demilitarised zone.
    pub incursion: HazardClock,
}

/// Sets the withdrawal state for a new run.
pub fn init_run(world: &mut World, init: &Init<'_>) {
    world
        .entity_mut(init.slot.root)
        .insert(Withdrawal::default());
    for s in 0..2 {
        let side = init.scenario.conflict.sides[s];
        world.entity_mut(init.side(s)).insert((
            TerritoryClocks::default(),
            init.draws::<sites::Territory>(side),
        ));
    }
}

/// The undertaking not to use force is an audience cost to both sides for the whole run.
pub fn baseline(init: &Init<'_>, b: &mut crate::model::Baseline) {
    if let Some(n) = init.params.active(
        Kind::NoChangeByForce,
        &init.scenario.plan.no_change_by_force,
    ) {
        for s in 0..2 {
            b.term(s, Kind::NoChangeByForce, -init.params.v(n.audience_cost));
        }
    }
}

/// Registers the family's systems.
pub fn add_to(schedule: &mut Schedule) {
    schedule.add_systems((
        hold_the_line.in_set(Step::Line),
        withdraw_forces.in_set(Step::Withdrawal),
        enter_zone.in_set(Step::Zone),
    ));
}

// ---------------------------------------------------------------------------------------------
// Math.

/// The first side's share of a region when the withdrawing side has made `progress`.
pub fn held_share(initial: f64, settlement: &RegionSettlement, progress: [f64; 2]) -> f64 {
    let target = match settlement.holder {
        None => return initial,
        Some(0) => 1.0,
        Some(_) => 0.0,
    };
    // The side that loses ground is the one that withdraws.
    let withdrawing = if target > initial { 1 } else { 0 };
    initial + (target - initial) * progress[withdrawing].clamp(0.0, 1.0)
}

/// Whether the settlement recognises each side (0, 1) as the holder of some region.
pub fn recognised_holders(t: &TerritorySettlement) -> [bool; 2] {
    [0u8, 1].map(|h| {
        t.regions.iter().any(|r| {
            r.holder == Some(h)
                && matches!(
                    r.outcome,
                    RegionOutcome::Recognised | RegionOutcome::Demilitarised
                )
        })
    })
}

/// The rate at which a side stalls its withdrawal: higher with less trust and when ahead.
pub fn stall_rate(base: f64, trust: f64, reciprocity: f64, own: f64, other: f64) -> f64 {
    base * (1.0 - trust).max(0.0) * (1.0 + reciprocity * (own - other).max(0.0))
}

/// The side (0 or 1) that withdraws from a region under its settlement, if any.
pub fn withdrawing_side(initial: f64, settlement: &RegionSettlement) -> Option<usize> {
    match settlement.holder {
        None => None,
        Some(0) if initial < 1.0 => Some(1),
        Some(1) if initial > 0.0 => Some(0),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Systems.

/// A run whose sides withdraw.
type WithdrawingRuns<'a> = (
    &'a Run,
    &'a Clock,
    &'a RunParams,
    &'a Ceasefire,
    &'a Roster,
    Write<Withdrawal>,
    Write<Outcome>,
);

/// A side's withdrawal and zone state, and its stream for both.
type TerritorySides<'a> = IncidentSides<'a, TerritoryClocks, sites::Territory>;

fn withdraw_forces(
    model: Res<Model>,
    mut runs: Query<WithdrawingRuns>,
    mut sides: Query<TerritorySides>,
) {
    let plan = &model.0.plan;
    for (run, clock, rp, cf, roster, w, outcome) in &mut runs {
        if !run.live || cf.in_effect || (w.progress[0] >= 1.0 && w.progress[1] >= 1.0) {
            continue;
        }
        let Some(c) = rp.active(Kind::Ceasefire, &plan.ceasefire) else {
            continue;
        };
        // Each side's reciprocity looks at the other's progress as it stood at the start of
        // the tick, so neither side sees the other's work of this tick first.
        let before = w.progress;
        for &e in &roster.sides {
            let Ok((side, view, posture, clocks, stream, commitments)) = sides.get_mut(e) else {
                continue;
            };
            if !view.live || view.ceasefire {
                continue;
            }
            withdraw_side(
                c,
                side.index as usize,
                before,
                view,
                posture,
                w,
                clocks,
                stream,
                commitments,
            );
        }
        // Judged in the tick that holds the deadline, on the progress made by that day, and
        // dated on it: an incident later in the tick (dated at its end) does not take its place.
        let deadline = rp.v(c.deadline);
        if clock.day - clock.dt < deadline
            && deadline <= clock.day
            && (w.progress[0] < 1.0 || w.progress[1] < 1.0)
        {
            outcome.collapse(deadline, Cause::WithdrawalFailed);
        }
    }
}

/// One side's withdrawal over one tick: work, stalls and resumptions at their time within the
/// tick, up to the deadline.
#[allow(clippy::too_many_arguments)]
fn withdraw_side(
    c: &CeasefireSequence,
    i: usize,
    before: [f64; 2],
    view: &RunView,
    posture: &Posture,
    w: &mut Withdrawal,
    clocks: &mut TerritoryClocks,
    stream: &mut Stream,
    commitments: &mut Commitments,
) {
    let duration = view.v(c.withdrawal_duration);
    // Days of this tick still to account for; a stall or a resumption splits the tick.
    // Work after the deadline does not count: the deadline is judged on the progress made
    // by that day, whatever the tick length.
    let start = view.day - view.dt;
    let mut left = view.dt.min(view.v(c.deadline) - start);
    while left > 0.0 && w.progress[i] < 1.0 {
        if w.stalled[i] {
            match clocks
                .resume
                .advance_to_first(view.v(c.resume_rate), left, stream)
            {
                Some(f) => {
                    w.stalled[i] = false;
                    left *= 1.0 - f;
                }
                None => left = 0.0,
            }
        } else {
            let rate = stall_rate(
                view.v(c.stall_rate),
                posture.trust,
                view.v(c.reciprocity),
                w.progress[i],
                before[1 - i],
            );
            let to_finish = (1.0 - w.progress[i]) * duration;
            match clocks
                .stall
                .advance_to_first(rate, left.min(to_finish), stream)
            {
                Some(f) => {
                    let worked = f * left.min(to_finish);
                    w.progress[i] += worked / duration;
                    w.stalled[i] = true;
                    commitments.commit(Kind::Ceasefire, view.day);
                    left -= worked;
                }
                None => {
                    w.progress[i] = (w.progress[i] + left / duration).min(1.0);
                    left = 0.0;
                }
            }
        }
    }
}

type FrontRuns<'a> = (
    &'a Run,
    &'a Clock,
    &'a RunParams,
    Write<Ceasefire>,
    Write<Outcome>,
    Write<Withdrawal>,
    Write<Territory>,
    Write<Modifiers>,
    Write<Stakes>,
);

/// Each run's line of contact, once per tick: the ceasefire begins (or the withdrawal fails),
/// control follows the withdrawal, and the zone and recognition act on the tick's modifiers
/// and stakes.
fn hold_the_line(model: Res<Model>, mut runs: Query<FrontRuns>) {
    let sc = &model.0;
    // The holders the settlement recognises are the scenario's, the same in every run.
    let recognised = sc
        .plan
        .territory
        .as_ref()
        .map_or([false; 2], recognised_holders);
    for (run, clock, rp, cf, outcome, w, territory, m, stakes) in &mut runs {
        if !run.live || !outcome.running() {
            continue;
        }
        if !cf.in_effect {
            begin_ceasefire(sc, rp, clock, cf, outcome, w);
        }
        let Some(t) = rp.active(Kind::Territory, &sc.plan.territory) else {
            continue;
        };
        if !w.settled {
            settle_territory(sc, t, rp, w, territory);
        }
        // Recognition of the holder's control is granted at signing: a stake it would put at
        // risk by attacking (revoked under the snapback of `guarantee-terms`).
        for h in (0..2).filter(|&h| recognised[h]) {
            stakes.add(h, Kind::Territory, rp.v(t.recognition_value));
        }
        // The zone separates the forces.
        m.zone = w.zone;
        let keep = 1.0 - rp.v(t.zone_incident_reduction) * w.zone;
        m.incident_mult[0] *= keep;
        m.incident_mult[1] *= keep;
    }
}

/// The ceasefire takes effect once both sides have withdrawn (at once without sequencing);
/// a withdrawal unfinished at the deadline collapses the agreement.
fn begin_ceasefire(
    sc: &crate::scenario::Scenario,
    rp: &RunParams,
    clock: &Clock,
    cf: &mut Ceasefire,
    outcome: &mut Outcome,
    w: &mut Withdrawal,
) {
    match rp.active(Kind::Ceasefire, &sc.plan.ceasefire) {
        None => {
            // No sequencing: the ceasefire holds from signing, on the agreed line.
            cf.in_effect = true;
            cf.since = clock.day - clock.dt;
            w.progress = [1.0, 1.0];
        }
        Some(c) => {
            // Withdrawal progresses at the end of a tick (in `Adapt`), so the progress seen
            // here is the progress at the start of this tick.
            let start = clock.day - clock.dt;
            if w.progress[0] >= 1.0 && w.progress[1] >= 1.0 {
                cf.in_effect = true;
                cf.since = start;
            } else if start >= rp.v(c.deadline) {
                // A deadline before the first tick: no tick held it (`withdraw_forces` judges
                // the others in the tick that holds them).
                outcome.collapse(rp.v(c.deadline), Cause::WithdrawalFailed);
            }
        }
    }
}

/// Control of each region follows the progress of the side withdrawing from it; the zone
/// forms as its side withdraws.
fn settle_territory(
    sc: &crate::scenario::Scenario,
    t: &TerritorySettlement,
    rp: &RunParams,
    w: &mut Withdrawal,
    territory: &mut Territory,
) {
    let mut zone_sum = 0.0;
    let mut zone_n = 0.0;
    for s in &t.regions {
        let initial = rp.v(sc.regions[s.region].control);
        territory.held[s.region] = held_share(initial, s, w.progress);
        if s.outcome == RegionOutcome::Demilitarised {
            let p = withdrawing_side(initial, s).map_or(1.0, |side| w.progress[side]);
            territory.demilitarised[s.region] = p >= 1.0;
            zone_sum += p;
            zone_n += 1.0;
        }
    }
    w.zone = if zone_n > 0.0 { zone_sum / zone_n } else { 0.0 };
    w.settled = w.progress[0] >= 1.0 && w.progress[1] >= 1.0;
    territory.unmet = [0, 1].map(|s| crate::conflict::unmet_claims(&sc.regions, rp, territory, s));
}

fn enter_zone(model: Res<Model>, mut sides: Query<TerritorySides>, mut log: IncidentLog) {
    let sc = &model.0;
    let c = &sc.conflict;
    for (side, view, posture, clocks, stream, commitments) in &mut sides {
        let m = &view.m;
        if !view.live || !view.ceasefire || m.zone <= 0.0 {
            continue;
        }
        let Some(t) = view.active(Kind::Territory, &sc.plan.territory) else {
            continue;
        };
        let rate = incident_rate(
            view.v(t.zone_incursion_rate) * m.zone,
            posture.hostility,
            posture.trust,
            1.0,
            1.0,
            view.v(c.deterrence),
            m.detection * m.attribution * m.enforcement,
        );
        let n = clocks.incursion.advance(rate, view.dt, stream, 1000);
        let severity = view.v(t.incursion_severity);
        log.report(
            n,
            IncidentKind::ZoneIncursion,
            severity,
            side,
            view,
            commitments,
        );
    }
}

/// How far the sequence, the settlement and the undertaking were implemented in a run that
/// ended.
pub fn record(e: &super::Ended<'_>, imp: &mut Implementation) {
    let sc = e.scenario;
    let rp = e.params;
    let (Some(cf), Some(w)) = (e.root::<Ceasefire>(), e.root::<Withdrawal>()) else {
        return;
    };
    let progress = 0.5 * (w.progress[0] + w.progress[1]);
    if rp.on(Kind::Ceasefire) {
        imp.set(Kind::Ceasefire, if cf.in_effect { 1.0 } else { progress });
    }
    if let Some(t) = rp.active(Kind::Territory, &sc.plan.territory) {
        let mut sum = 0.0;
        let mut n = 0.0;
        for s in &t.regions {
            if let Some(side) = withdrawing_side(rp.v(sc.regions[s.region].control), s) {
                sum += w.progress[side];
                n += 1.0;
            }
        }
        imp.set(Kind::Territory, if n > 0.0 { sum / n } else { 1.0 });
    }
    if rp.on(Kind::NoChangeByForce) {
        let breached = (0..2)
            .filter_map(|s| e.side::<Commitments>(s))
            .any(|c| c.committed[Kind::Territory as usize] > 0);
        let attacked = matches!(e.outcome.cause, Some(Cause::Offensive(_)));
        imp.set(
            Kind::NoChangeByForce,
            if breached || attacked { 0.0 } else { 1.0 },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settle(holder: Option<u8>, outcome: RegionOutcome) -> RegionSettlement {
        RegionSettlement {
            region: 0,
            outcome,
            holder,
        }
    }

    #[test]
    fn control_moves_with_the_withdrawing_side() {
        // Donetsk: 78% held by the first side, to be held fully by it; the second side withdraws.
        let s = settle(Some(0), RegionOutcome::Demilitarised);
        assert_eq!(held_share(0.78, &s, [0.0, 0.0]), 0.78);
        assert!((held_share(0.78, &s, [0.0, 0.5]) - 0.89).abs() < 1e-12);
        assert_eq!(held_share(0.78, &s, [0.3, 1.0]), 1.0);
        assert_eq!(withdrawing_side(0.78, &s), Some(1));
        // Returned areas: the first side withdraws.
        let r = settle(Some(1), RegionOutcome::Returned);
        assert_eq!(held_share(1.0, &r, [0.5, 0.0]), 0.5);
        assert_eq!(withdrawing_side(1.0, &r), Some(0));
        // Frozen: nothing moves.
        let f = settle(None, RegionOutcome::Frozen);
        assert_eq!(held_share(0.75, &f, [1.0, 1.0]), 0.75);
        assert_eq!(withdrawing_side(0.75, &f), None);
    }

    #[test]
    fn stalling_rises_with_distrust_and_with_being_ahead() {
        let base = stall_rate(1.0, 0.5, 2.0, 0.3, 0.3);
        assert_eq!(base, 0.5);
        assert!(stall_rate(1.0, 0.2, 2.0, 0.3, 0.3) > base);
        assert_eq!(stall_rate(1.0, 0.5, 2.0, 0.6, 0.3), 0.5 * 1.6);
        // Being behind does not slow stalling below the baseline.
        assert_eq!(stall_rate(1.0, 0.5, 2.0, 0.1, 0.3), base);
        assert_eq!(stall_rate(1.0, 1.0, 2.0, 0.1, 0.3), 0.0);
    }

    mod systems {
        use super::super::*;
        use crate::model::{Outcome, Status};
        use crate::testing::{Sim, set};

        fn quiet(sc: &crate::scenario::Scenario, v: &mut crate::engine::Variant) {
            set(sc, v, "conflict.escalation-probability", 0.0);
            set(sc, v, "party.russia.base-hazard", 0.0);
            set(sc, v, "party.ukraine.base-hazard", 0.0);
        }

        #[test]
        fn the_ceasefire_begins_when_both_sides_have_withdrawn() {
            let mut sim = Sim::new(1, |sc, v| {
                quiet(sc, v);
                set(sc, v, "point.28.stall-rate", 0.0);
            });
            // Withdrawal (60 days) progresses at the end of each 7-day tick: it is complete
            // at the end of the 9th tick, and the ceasefire holds from the 10th, dated day 63.
            sim.ticks(8);
            let cf: Ceasefire = sim.get(sim.root());
            assert!(!cf.in_effect);
            let w: Withdrawal = sim.get(sim.root());
            assert!((w.progress[0] - 56.0 / 60.0).abs() < 1e-9);
            sim.ticks(1);
            let cf: Ceasefire = sim.get(sim.root());
            assert!(!cf.in_effect);
            let w: Withdrawal = sim.get(sim.root());
            assert_eq!(w.progress, [1.0, 1.0]);
            sim.ticks(1);
            let cf: Ceasefire = sim.get(sim.root());
            assert!(cf.in_effect);
            assert_eq!(cf.since, 63.0);
            // Donetsk is now held by Russia and demilitarised; the areas outside the five
            // regions are back with Ukraine; the frozen regions did not move.
            let t: Territory = sim.get(sim.root());
            let idx = |id: &str| {
                sim.scenario
                    .regions
                    .iter()
                    .position(|r| r.id == id)
                    .unwrap()
            };
            assert_eq!(t.held[idx("donetsk")], 1.0);
            assert!(t.demilitarised[idx("donetsk")]);
            assert_eq!(t.held[idx("other-occupied")], 0.0);
            assert_eq!(t.held[idx("zaporizhzhia")], 0.75);
        }

        #[test]
        fn a_withdrawal_that_stalls_past_its_deadline_collapses_the_agreement() {
            let mut sim = Sim::new(1, |sc, v| {
                quiet(sc, v);
                set(sc, v, "point.28.stall-rate", 1000.0);
                set(sc, v, "point.28.resume-rate", 0.0);
            });
            // The deadline (day 180) falls in the 26th tick, (175, 182]; the failure is
            // found in that tick and dated on the deadline.
            sim.ticks(25);
            let o: Outcome = sim.get(sim.root());
            assert_eq!(o.status, Status::Running);
            sim.ticks(1);
            let o: Outcome = sim.get(sim.root());
            assert_eq!(
                (o.status, o.cause, o.day),
                (Status::Collapsed, Some(Cause::WithdrawalFailed), 180.0)
            );
            let russia: Commitments = sim.get(sim.side(0));
            assert!(
                russia.committed[Kind::Ceasefire as usize] >= 1,
                "a stall is a violation"
            );
        }

        #[test]
        fn without_sequencing_the_ceasefire_and_the_settlement_apply_at_signing() {
            let mut sim = Sim::new(1, |sc, v| {
                quiet(sc, v);
                v.enabled.remove(Kind::Ceasefire);
            });
            sim.ticks(1);
            let cf: Ceasefire = sim.get(sim.root());
            assert!(cf.in_effect && cf.since == 0.0);
            let w: Withdrawal = sim.get(sim.root());
            assert_eq!(w.zone, 1.0);
        }

        #[test]
        fn the_zone_removes_a_share_of_incidents_on_the_line() {
            let mut sim = Sim::new(1, |sc, v| {
                quiet(sc, v);
                v.enabled.remove(Kind::Ceasefire);
                v.enabled.remove(Kind::Amnesty);
            });
            sim.ticks(2);
            let m: Modifiers = sim.get(sim.root());
            assert!(
                (m.incident_mult[0] - 0.7).abs() < 1e-12
                    && (m.incident_mult[1] - 0.7).abs() < 1e-12
            );
            let mut without = Sim::new(1, |sc, v| {
                quiet(sc, v);
                v.enabled.remove(Kind::Ceasefire);
                v.enabled.remove(Kind::Amnesty);
                v.enabled.remove(Kind::Territory);
            });
            without.ticks(2);
            let m: Modifiers = without.get(without.root());
            assert_eq!(m.incident_mult, [1.0, 1.0]);
        }

        #[test]
        fn the_undertaking_not_to_use_force_is_a_cost_to_both_sides() {
            let mut sim = Sim::new(1, quiet);
            sim.ticks(1);
            for s in 0..2 {
                let l: crate::model::Ledger = sim.get(sim.side(s));
                assert!((l.terms[Kind::NoChangeByForce as usize] + 0.1).abs() < 1e-12);
            }
        }

        #[test]
        fn recognition_is_a_stake_of_its_holder() {
            let mut sim = Sim::new(1, quiet);
            sim.ticks(1);
            let s: crate::model::Stakes = sim.get(sim.root());
            assert_eq!(s.get(0, Kind::Territory), 0.3);
            assert_eq!(s.get(1, Kind::Territory), 0.0);
            let mut without = Sim::new(1, |sc, v| {
                quiet(sc, v);
                v.enabled.remove(Kind::Territory);
            });
            without.ticks(1);
            let s: crate::model::Stakes = without.get(without.root());
            assert_eq!(s.get(0, Kind::Territory), 0.0);
            // With the snapback clause, Russia would lose it all by attacking.
            let l: crate::model::Ledger = sim.get(sim.side(0));
            assert_eq!(l.terms[Kind::Territory as usize], -0.3);
        }

        #[test]
        fn zone_incursions_are_violations_of_the_territorial_provision() {
            let mut sim = Sim::new(2, |sc, v| {
                quiet(sc, v);
                v.enabled.remove(Kind::Ceasefire);
                set(sc, v, "point.21.zone-incursion-rate", 2000.0);
            });
            sim.ticks(3);
            let c: Commitments = sim.get(sim.side(0));
            assert!(c.committed[Kind::Territory as usize] > 0);
        }
    }
}
