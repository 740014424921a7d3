//! Forces and their balance: points 6, 8, 9 and 18 of the 28-point plan (kinds `force-cap`,
//! `no-foreign-troops`, `air-power-nearby`, `non-nuclear`), and the peacetime evolution of
//! both sides' forces that every agreement shares.
//!
//! - Both sides demobilise linearly from their wartime strength to a peacetime level over
//!   their demobilisation period, and their quality grows at their reconstitution rate.
//! - `force-cap` (6): the capped side's target is the cap. Under threat it may hedge: build
//!   back above the cap towards a hedge level, a violation that inspections report as
//!   incidents (detected and attributed by monitors); it returns to compliance as threat falls.
//!   The other side's grievance about the capped side's military is met while the cap holds.
//! - `no-foreign-troops` (8): no allied troops on the protected side's soil. Without it, a
//!   reassurance force adds to the protected side's defence and acts as a tripwire for the
//!   guarantors, but it is also a grievance and a threat to the other side.
//! - `air-power-nearby` (9): allied aircraft nearby add defensive power and credibility.
//! - `non-nuclear` (18): without it, the other side holds a grievance and a higher threat.
//!
//! A grievance is an aim the other side could pursue by force: it adds `grievance × p_win` to
//! that side's ledger while it is unmet.

use super::ProvisionCtx;
use super::kind::Kind;
use crate::conflict::side_config;
use crate::engine::Write;
use crate::engine::view::RunView;
use crate::engine::{Model, Step};
use crate::model::spawn::Init;
use crate::model::{
    Capabilities, Commitments, Draws, HazardClock, Implementation, Incident, IncidentKind, Ledger,
    Party, Posture, Side, Stream, sites,
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
struct ForceCapWire {
    party: Spanned<String>,
    cap: SpannedParam,
    hedge_rate: SpannedParam,
    hedge_level: SpannedParam,
    return_rate: SpannedParam,
    inspection_rate: SpannedParam,
    grievance: SpannedParam,
}

/// Point 6: a cap on one side's personnel.
#[derive(Debug, Clone)]
pub struct ForceCap {
    /// The capped side (0 or 1).
    pub side: u8,
    /// The cap (personnel).
    pub cap: ParamId,
    /// Rate (per day) at which the capped side starts hedging above the cap at full threat.
    pub hedge_rate: ParamId,
    /// Personnel it builds towards while hedging.
    pub hedge_level: ParamId,
    /// Rate (per day) at which it returns to compliance at zero threat.
    pub return_rate: ParamId,
    /// Rate (per day) at which inspections report a continuing breach.
    pub inspection_rate: ParamId,
    /// The other side's grievance about the capped side's military (utility at p_win = 1).
    pub grievance: ParamId,
}

impl ForceCap {
    /// Reads a `force-cap` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: ForceCapWire = ctx.de(body)?;
        let c = ForceCap {
            side: pc.side(ctx, "party", &w.party)?,
            cap: pc.param(ctx, "cap", Dim::Count, &w.cap)?,
            hedge_rate: pc.param(ctx, "hedge-rate", Dim::Rate, &w.hedge_rate)?,
            hedge_level: pc.param(ctx, "hedge-level", Dim::Count, &w.hedge_level)?,
            return_rate: pc.param(ctx, "return-rate", Dim::Rate, &w.return_rate)?,
            inspection_rate: pc.param(ctx, "inspection-rate", Dim::Rate, &w.inspection_rate)?,
            grievance: pc.param(ctx, "grievance", Dim::Utility, &w.grievance)?,
        };
        if ctx.params.spec(c.hedge_level).value < ctx.params.spec(c.cap).value {
            return Err(ctx.err(
                w.hedge_level.span(),
                format!("`{}.hedge-level` must not be below the cap", pc.prefix),
            ));
        }
        Ok(c)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct NoForeignTroopsWire {
    protects: Spanned<String>,
    reassurance_force: SpannedParam,
    reassurance_quality: SpannedParam,
    tripwire: SpannedParam,
    grievance: SpannedParam,
    threat: SpannedParam,
}

/// Point 8: no allied troops on the protected side's soil. The parameters describe the
/// reassurance force that would otherwise be stationed.
#[derive(Debug, Clone)]
pub struct NoForeignTroops {
    /// The side that would host the force (0 or 1).
    pub protects: u8,
    /// Personnel of the reassurance force that would otherwise be stationed.
    pub reassurance_force: ParamId,
    /// Its combat power per 1,000 personnel.
    pub reassurance_quality: ParamId,
    /// Chance added to the guarantors' response by troops in harm's way.
    pub tripwire: ParamId,
    /// The other side's grievance about foreign troops (utility at p_win = 1).
    pub grievance: ParamId,
    /// Relative increase of the other side's threat perception with the force present.
    pub threat: ParamId,
}

impl NoForeignTroops {
    /// Reads a `no-foreign-troops` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: NoForeignTroopsWire = ctx.de(body)?;
        Ok(NoForeignTroops {
            protects: pc.side(ctx, "protects", &w.protects)?,
            reassurance_force: pc.param(
                ctx,
                "reassurance-force",
                Dim::Count,
                &w.reassurance_force,
            )?,
            reassurance_quality: pc.param(
                ctx,
                "reassurance-quality",
                Dim::Multiplier,
                &w.reassurance_quality,
            )?,
            tripwire: pc.param(ctx, "tripwire", Dim::Probability, &w.tripwire)?,
            grievance: pc.param(ctx, "grievance", Dim::Utility, &w.grievance)?,
            threat: pc.param(ctx, "threat", Dim::Multiplier, &w.threat)?,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct AirPowerWire {
    protects: Spanned<String>,
    air_power: SpannedParam,
    credibility: SpannedParam,
}

/// Point 9: allied fighter aircraft stationed nearby.
#[derive(Debug, Clone)]
pub struct AirPowerNearby {
    /// The side they help defend (0 or 1).
    pub protects: u8,
    /// Combat power they add to its defence (same units as thousands of personnel × quality).
    pub air_power: ParamId,
    /// Chance they add to the guarantors' response.
    pub credibility: ParamId,
}

impl AirPowerNearby {
    /// Reads an `air-power-nearby` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: AirPowerWire = ctx.de(body)?;
        Ok(AirPowerNearby {
            protects: pc.side(ctx, "protects", &w.protects)?,
            air_power: pc.param(ctx, "air-power", Dim::Multiplier, &w.air_power)?,
            credibility: pc.param(ctx, "credibility", Dim::Probability, &w.credibility)?,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct NonNuclearWire {
    party: Spanned<String>,
    grievance: SpannedParam,
    threat: SpannedParam,
}

/// Point 18: one side stays non-nuclear.
#[derive(Debug, Clone)]
pub struct NonNuclear {
    /// The side that stays non-nuclear (0 or 1).
    pub side: u8,
    /// The other side's grievance without the commitment (utility at p_win = 1).
    pub grievance: ParamId,
    /// Relative increase of the other side's threat perception without it.
    pub threat: ParamId,
}

impl NonNuclear {
    /// Reads a `non-nuclear` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: NonNuclearWire = ctx.de(body)?;
        Ok(NonNuclear {
            side: pc.side(ctx, "party", &w.party)?,
            grievance: pc.param(ctx, "grievance", Dim::Utility, &w.grievance)?,
            threat: pc.param(ctx, "threat", Dim::Multiplier, &w.threat)?,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Components.

/// A side's force posture: where its personnel are heading, and whether it hedges above a cap.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct ForcePosture {
    /// True while the side keeps or builds forces above its cap.
    pub hedging: bool,
    /// Days spent above the cap.
    pub days_above_cap: f64,
    /// Starting and ending hedging.
    pub hedge: HazardClock,
    /// Inspections that report a continuing breach.
    pub inspection: HazardClock,
    /// Quality growth over one tick, cached with the tick length it is for.
    pub growth_cache: (f64, f64),
}

impl ForcePosture {
    /// The factor by which quality grows over a tick of `dt` days at `rate` per day (cached:
    /// `exp` is evaluated only when the tick length changes).
    fn growth(&mut self, rate: f64, dt: f64) -> f64 {
        if self.growth_cache.0 != dt {
            self.growth_cache = (dt, (rate * dt).exp());
        }
        self.growth_cache.1
    }
}

/// Sets the force posture for a new run.
pub fn init_run(world: &mut World, init: &Init<'_>) {
    for s in 0..2 {
        let side = init.scenario.conflict.sides[s];
        world
            .entity_mut(init.side(s))
            .insert((ForcePosture::default(), init.draws::<sites::Forces>(side)));
    }
}

/// Allied forces and aircraft, and the grievances of points switched off, for the whole run.
pub fn baseline(init: &Init<'_>, b: &mut crate::model::Baseline) {
    let plan = &init.scenario.plan;
    let rp = init.params;
    let m = &mut b.modifiers;
    if let Some(nft) = &plan.no_foreign_troops
        && !rp.on(Kind::NoForeignTroops)
    {
        // Counterfactual: a reassurance force is stationed.
        let p = nft.protects as usize;
        m.defence_bonus[p] += rp.v(nft.reassurance_force) / 1000.0 * rp.v(nft.reassurance_quality);
        m.response_boost += rp.v(nft.tripwire);
        m.threat_mult[1 - p] *= 1.0 + rp.v(nft.threat);
        b.term_per_p_win(1 - p, Kind::NoForeignTroops, rp.v(nft.grievance));
    }
    let m = &mut b.modifiers;
    if let Some(air) = rp.active(Kind::AirPowerNearby, &plan.air_power_nearby) {
        m.defence_bonus[air.protects as usize] += rp.v(air.air_power);
        m.response_boost += rp.v(air.credibility);
    }
    if let Some(nn) = &plan.non_nuclear
        && !rp.on(Kind::NonNuclear)
    {
        let other = 1 - nn.side as usize;
        m.threat_mult[other] *= 1.0 + rp.v(nn.threat);
        b.term_per_p_win(other, Kind::NonNuclear, rp.v(nn.grievance));
    }
}

/// Registers the family's systems.
pub fn add_to(schedule: &mut Schedule) {
    schedule.add_systems((
        move_forces.in_set(Step::Forces),
        price_military_grievances.in_set(Step::Grievances),
    ));
}

// ---------------------------------------------------------------------------------------------
// Math.

/// Personnel after a tick of `dt` days moving from `current` towards `target` at the pace that
/// would cover `initial → target` in `period` days (linear demobilisation or build-up).
pub fn step_personnel(current: f64, initial: f64, target: f64, period: f64, dt: f64) -> f64 {
    if period <= 0.0 {
        return target;
    }
    // The pace is set by the whole distance from the strength at signing; when the target
    // moved since (a side hedging above its cap), by the distance still to go.
    let pace = (initial - target).abs().max((current - target).abs()) / period;
    if current > target {
        (current - pace * dt).max(target)
    } else {
        (current + pace * dt).min(target)
    }
}

/// Share of a grievance about a capped force that is unmet: 0 at or below the cap, rising to 1
/// when the force is back at its strength at signing.
pub fn cap_grievance_share(personnel: f64, cap: f64, initial: f64) -> f64 {
    if personnel <= cap || initial <= cap {
        return 0.0;
    }
    ((personnel - cap) / (initial - cap)).clamp(0.0, 1.0)
}

// ---------------------------------------------------------------------------------------------
// Systems.

type ForceSides<'a> = (
    &'a Party,
    &'a Side,
    &'a RunView,
    &'a Posture,
    Write<Capabilities>,
    Write<ForcePosture>,
    Write<Draws<sites::Forces>>,
    Write<Commitments>,
);

/// Each side's forces, once per tick: a capped side decides whether to hedge above its cap
/// (inspections report a continuing breach), then personnel move towards their target and
/// quality grows.
fn move_forces(
    model: Res<Model>,
    mut sides: Query<ForceSides>,
    mut incidents: MessageWriter<Incident>,
) {
    let sc = &model.0;
    for (party, side, view, posture, caps, fp, stream, commitments) in &mut sides {
        if !view.live {
            continue;
        }
        let cap = view
            .active(Kind::ForceCap, &sc.plan.force_cap)
            .filter(|c| c.side == side.index);
        if let Some(c) = cap {
            hedge(
                c,
                side,
                view,
                posture,
                fp,
                stream,
                commitments,
                &mut incidents,
            );
        }
        let cfg = side_config(sc, party.idx);
        let peacetime = view.v(cfg.peacetime_personnel);
        let target = match cap {
            Some(c) if fp.hedging => view.v(c.hedge_level),
            Some(c) => peacetime.min(view.v(c.cap)),
            None => peacetime,
        };
        caps.personnel = step_personnel(
            caps.personnel,
            caps.initial_personnel,
            target,
            view.v(cfg.demobilisation),
            view.dt,
        );
        caps.quality *= fp.growth(view.v(cfg.reconstitution), view.dt);
        if let Some(c) = cap
            && caps.personnel > view.v(c.cap) + 0.5
            && view.day > view.v(cfg.demobilisation)
        {
            fp.days_above_cap += view.dt;
        }
    }
}

/// A capped side starts hedging at a rate that grows with the threat it perceives (a
/// violation), and stops as threat subsides; while it hedges, inspections report the breach.
#[expect(
    clippy::too_many_arguments,
    reason = "the parts of one side's decision, passed through"
)]
fn hedge(
    cap: &ForceCap,
    side: &Side,
    view: &RunView,
    posture: &Posture,
    fp: &mut ForcePosture,
    stream: &mut Stream,
    commitments: &mut Commitments,
    incidents: &mut MessageWriter<Incident>,
) {
    let breach = |incidents: &mut MessageWriter<Incident>| {
        incidents.write(view.incident(side.index, IncidentKind::CapBreach, 0.0, true));
    };
    if fp.hedging {
        let rate = view.v(cap.return_rate) * (1.0 - posture.threat);
        if fp.hedge.advance(rate, view.dt, stream, 1) > 0 {
            fp.hedging = false;
        } else {
            // While the breach lasts, inspections keep reporting it.
            let n = fp
                .inspection
                .advance(view.v(cap.inspection_rate), view.dt, stream, 100);
            for _ in 0..n {
                breach(incidents);
            }
        }
    } else {
        let rate = view.v(cap.hedge_rate) * posture.threat;
        if fp.hedge.advance(rate, view.dt, stream, 1) > 0 {
            fp.hedging = true;
            commitments.commit(Kind::ForceCap, view.day);
            breach(incidents);
        }
    }
}

fn price_military_grievances(
    model: Res<Model>,
    mut sides: Query<(&Side, &RunView, Write<Ledger>)>,
) {
    let Some(cap) = &model.0.plan.force_cap else {
        return;
    };
    for (side, view, ledger) in &mut sides {
        if !view.live || cap.side == side.index {
            continue;
        }
        // The grievance about the capped side's military is met as far as it is under the cap.
        let unmet = if view.on(Kind::ForceCap) {
            let c = &view.opponent;
            cap_grievance_share(c.personnel, view.v(cap.cap), c.initial_personnel)
        } else {
            1.0
        };
        let p_win = ledger.p_win;
        ledger.add(Kind::ForceCap, view.v(cap.grievance) * unmet * p_win);
    }
}

/// How far the force provisions were implemented in a run that ended.
pub fn record(e: &super::Ended<'_>, imp: &mut Implementation) {
    let rp = e.params;
    if let Some(cap) = rp.active(Kind::ForceCap, &e.scenario.plan.force_cap)
        && let Some(fp) = e.side::<ForcePosture>(cap.side as usize)
    {
        // Share of the run spent at or under the cap (after demobilisation had time to work).
        imp.set(
            Kind::ForceCap,
            1.0 - fp.days_above_cap / e.outcome.day.max(1.0),
        );
    }
    for kind in [
        Kind::NoForeignTroops,
        Kind::AirPowerNearby,
        Kind::NonNuclear,
    ] {
        if rp.on(kind) {
            imp.set(kind, 1.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demobilisation_is_linear_and_stops_at_the_target() {
        // 880,000 to 600,000 over 365 days: 767 per day.
        let mut p = 880_000.0;
        for _ in 0..52 {
            p = step_personnel(p, 880_000.0, 600_000.0, 365.0, 7.0);
        }
        let expected = 880_000.0 - 280_000.0 / 365.0 * 364.0;
        assert!((p - expected).abs() < 1e-6, "{p}");
        p = step_personnel(p, 880_000.0, 600_000.0, 365.0, 7.0);
        assert_eq!(p, 600_000.0);
        // Build-up towards a higher target moves up and stops there.
        let up = step_personnel(600_000.0, 880_000.0, 650_000.0, 365.0, 365.0);
        assert_eq!(up, 650_000.0);
    }

    #[test]
    fn a_capped_force_never_exceeds_its_cap_while_it_complies() {
        let mut p = 880_000.0;
        let mut t = 0.0;
        while t < 3650.0 {
            p = step_personnel(p, 880_000.0, 600_000.0, 200.0, 1.0);
            t += 1.0;
            if t >= 200.0 {
                assert!(p <= 600_000.0);
            }
        }
    }

    #[test]
    fn cap_grievance_is_met_at_the_cap_and_grows_above_it() {
        assert_eq!(cap_grievance_share(600_000.0, 600_000.0, 880_000.0), 0.0);
        assert_eq!(cap_grievance_share(740_000.0, 600_000.0, 880_000.0), 0.5);
        assert_eq!(cap_grievance_share(900_000.0, 600_000.0, 880_000.0), 1.0);
    }
}
#[cfg(test)]
mod systems_tests;
