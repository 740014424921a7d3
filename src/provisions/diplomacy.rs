//! Diplomatic commitments: points 1, 2, 3, 4, 7, 16 and 17 of the 28-point plan (kinds
//! `sovereignty`, `non-aggression-pact`, `no-expansion`, `dialogue`, `alliance-bar`,
//! `non-aggression-law`, `arms-control`).
//!
//! They act through three levers of the causal core:
//! - audience costs: breaking an explicit, public commitment by attacking costs the attacker
//!   (sovereignty confirmed, a non-aggression pact, a law of non-aggression);
//! - threat perception and grievances: a commitment not to enlarge an alliance or a bar on a
//!   side's membership meets one side's stated aims and lowers its perceived threat (while the
//!   bar raises the barred side's insecurity); without them the aims are grievances that side
//!   could pursue by force;
//! - friction: a mediated dialogue makes incidents less likely to escalate; extended arms
//!   control does too, and lets tension decay faster.

use super::ProvisionCtx;
use super::kind::Kind;
use crate::model::Implementation;
use crate::model::spawn::{Init, Membership};
use crate::scenario::{Ctx, Dim, MembershipStatus, ParamId, ScenarioError, SpannedParam};
use bevy_ecs::prelude::*;
use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SovereigntyWire {
    party: Spanned<String>,
    audience_cost: SpannedParam,
}

/// Point 1: the protected side's sovereignty is confirmed.
#[derive(Debug, Clone)]
pub struct Sovereignty {
    /// The side whose sovereignty is confirmed (0 or 1).
    pub side: u8,
    /// Cost to the other side of attacking it (utility).
    pub audience_cost: ParamId,
}

impl Sovereignty {
    /// Reads a `sovereignty` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: SovereigntyWire = ctx.de(body)?;
        Ok(Sovereignty {
            side: pc.side(ctx, "party", &w.party)?,
            audience_cost: pc.param(ctx, "audience-cost", Dim::Utility, &w.audience_cost)?,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PactWire {
    audience_cost: SpannedParam,
    threat_reduction: SpannedParam,
}

/// Point 2: a comprehensive non-aggression agreement.
#[derive(Debug, Clone)]
pub struct NonAggressionPact {
    /// Cost to either side of breaking it (utility).
    pub audience_cost: ParamId,
    /// Share by which it lowers each side's perceived threat.
    pub threat_reduction: ParamId,
}

impl NonAggressionPact {
    /// Reads a `non-aggression-pact` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: PactWire = ctx.de(body)?;
        Ok(NonAggressionPact {
            audience_cost: pc.param(ctx, "audience-cost", Dim::Utility, &w.audience_cost)?,
            threat_reduction: pc.param(
                ctx,
                "threat-reduction",
                Dim::Fraction,
                &w.threat_reduction,
            )?,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct GrievanceWire {
    party: Spanned<String>,
    grievance: SpannedParam,
    threat: SpannedParam,
}

/// Point 3: no invasion of neighbours and no further enlargement of the alliance.
#[derive(Debug, Clone)]
pub struct NoExpansion {
    /// The side reassured (0 or 1).
    pub side: u8,
    /// Its grievance without the commitment (utility at p_win = 1).
    pub grievance: ParamId,
    /// Relative increase of its threat perception without it.
    pub threat: ParamId,
}

impl NoExpansion {
    /// Reads a `no-expansion` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: GrievanceWire = ctx.de(body)?;
        Ok(NoExpansion {
            side: pc.side(ctx, "party", &w.party)?,
            grievance: pc.param(ctx, "grievance", Dim::Utility, &w.grievance)?,
            threat: pc.param(ctx, "threat", Dim::Multiplier, &w.threat)?,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct DialogueWire {
    party: Spanned<String>,
    escalation_reduction: SpannedParam,
    threat_reduction: SpannedParam,
}

/// Point 4: a mediated security dialogue.
#[derive(Debug, Clone)]
pub struct Dialogue {
    /// The side whose security concerns the dialogue addresses (0 or 1).
    pub side: u8,
    /// Share of escalations the channel prevents.
    pub escalation_reduction: ParamId,
    /// Share by which it lowers that side's perceived threat.
    pub threat_reduction: ParamId,
}

impl Dialogue {
    /// Reads a `dialogue` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: DialogueWire = ctx.de(body)?;
        Ok(Dialogue {
            side: pc.side(ctx, "party", &w.party)?,
            escalation_reduction: pc.param(
                ctx,
                "escalation-reduction",
                Dim::Fraction,
                &w.escalation_reduction,
            )?,
            threat_reduction: pc.param(
                ctx,
                "threat-reduction",
                Dim::Fraction,
                &w.threat_reduction,
            )?,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct BarWire {
    party: Spanned<String>,
    alliance: Spanned<String>,
    grievance: SpannedParam,
    threat: SpannedParam,
    insecurity: SpannedParam,
}

/// Point 7: the protected side will not join the alliance.
#[derive(Debug, Clone)]
pub struct AllianceBar {
    /// The barred side (0 or 1).
    pub side: u8,
    /// The alliance's party index.
    pub alliance: u8,
    /// The other side's grievance without the bar (utility at p_win = 1).
    pub grievance: ParamId,
    /// Relative increase of the other side's threat perception without the bar.
    pub threat: ParamId,
    /// Relative increase of the barred side's threat perception with the bar.
    pub insecurity: ParamId,
}

impl AllianceBar {
    /// Reads an `alliance-bar` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: BarWire = ctx.de(body)?;
        Ok(AllianceBar {
            side: pc.side(ctx, "party", &w.party)?,
            alliance: ctx.party("alliance", &w.alliance)?,
            grievance: pc.param(ctx, "grievance", Dim::Utility, &w.grievance)?,
            threat: pc.param(ctx, "threat", Dim::Multiplier, &w.threat)?,
            insecurity: pc.param(ctx, "insecurity", Dim::Multiplier, &w.insecurity)?,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LawWire {
    party: Spanned<String>,
    audience_cost: SpannedParam,
}

/// Point 16: a side enshrines non-aggression in law.
#[derive(Debug, Clone)]
pub struct NonAggressionLaw {
    /// The side that legislates (0 or 1).
    pub side: u8,
    /// Domestic cost to it of breaking its own law by attacking (utility).
    pub audience_cost: ParamId,
}

impl NonAggressionLaw {
    /// Reads a `non-aggression-law` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: LawWire = ctx.de(body)?;
        Ok(NonAggressionLaw {
            side: pc.side(ctx, "party", &w.party)?,
            audience_cost: pc.param(ctx, "audience-cost", Dim::Utility, &w.audience_cost)?,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ArmsControlWire {
    escalation_reduction: SpannedParam,
    tension_decay: SpannedParam,
}

/// Point 17: nuclear arms-control treaties extended.
#[derive(Debug, Clone)]
pub struct ArmsControl {
    /// Share of escalations prevented by lower nuclear risk.
    pub escalation_reduction: ParamId,
    /// Factor by which tension decays faster.
    pub tension_decay: ParamId,
}

impl ArmsControl {
    /// Reads an `arms-control` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: ArmsControlWire = ctx.de(body)?;
        Ok(ArmsControl {
            escalation_reduction: pc.param(
                ctx,
                "escalation-reduction",
                Dim::Fraction,
                &w.escalation_reduction,
            )?,
            tension_decay: pc.param(ctx, "tension-decay", Dim::Multiplier, &w.tension_decay)?,
        })
    }
}

/// Sets the barred side's standing in the alliance for a new run.
pub fn init_run(world: &mut World, init: &Init<'_>) {
    let sc = init.scenario;
    let Some(bar) = &sc.plan.alliance_bar else {
        return;
    };
    if !init.params.on(Kind::AllianceBar) {
        return;
    }
    let barred = sc.conflict.sides[bar.side as usize];
    for (m, &e) in sc.memberships.iter().zip(&init.slot.memberships) {
        if m.member == barred
            && m.of == bar.alliance
            && let Some(mut ms) = world.get_mut::<Membership>(e)
        {
            ms.status = MembershipStatus::Barred;
        }
    }
}

/// Every diplomatic commitment acts the same throughout a run: its audience costs,
/// grievances and modifiers are priced once when the run starts.
pub fn baseline(init: &Init<'_>, b: &mut crate::model::Baseline) {
    let plan = &init.scenario.plan;
    let rp = init.params;
    if let Some(x) = rp.active(Kind::Sovereignty, &plan.sovereignty) {
        b.term(
            1 - x.side as usize,
            Kind::Sovereignty,
            -rp.v(x.audience_cost),
        );
    }
    if let Some(p) = rp.active(Kind::NonAggressionPact, &plan.non_aggression_pact) {
        let keep = 1.0 - rp.v(p.threat_reduction);
        for s in 0..2 {
            b.modifiers.threat_mult[s] *= keep;
            b.term(s, Kind::NonAggressionPact, -rp.v(p.audience_cost));
        }
    }
    if let Some(x) = rp.active(Kind::NonAggressionLaw, &plan.non_aggression_law) {
        b.term(
            x.side as usize,
            Kind::NonAggressionLaw,
            -rp.v(x.audience_cost),
        );
    }
    if let Some(x) = &plan.no_expansion
        && !rp.on(Kind::NoExpansion)
    {
        b.modifiers.threat_mult[x.side as usize] *= 1.0 + rp.v(x.threat);
        b.term_per_p_win(x.side as usize, Kind::NoExpansion, rp.v(x.grievance));
    }
    if let Some(d) = rp.active(Kind::Dialogue, &plan.dialogue) {
        b.modifiers.escalation_mult *= 1.0 - rp.v(d.escalation_reduction);
        b.modifiers.threat_mult[d.side as usize] *= 1.0 - rp.v(d.threat_reduction);
    }
    if let Some(x) = &plan.alliance_bar {
        if rp.on(Kind::AllianceBar) {
            b.modifiers.threat_mult[x.side as usize] *= 1.0 + rp.v(x.insecurity);
        } else {
            let other = 1 - x.side as usize;
            b.modifiers.threat_mult[other] *= 1.0 + rp.v(x.threat);
            b.term_per_p_win(other, Kind::AllianceBar, rp.v(x.grievance));
        }
    }
    if let Some(a) = rp.active(Kind::ArmsControl, &plan.arms_control) {
        b.modifiers.escalation_mult *= 1.0 - rp.v(a.escalation_reduction);
        b.modifiers.tension_decay_mult *= rp.v(a.tension_decay);
    }
}

/// Registers the family's systems: none. Diplomatic commitments do not change during a run;
/// they act through the run's [`baseline`], priced when it starts.
pub fn add_to(_schedule: &mut Schedule) {}

/// Standing commitments are implemented at signing; breaking one by attacking is the run's
/// collapse, reported by its outcome and cause.
pub fn record(e: &super::Ended<'_>, imp: &mut Implementation) {
    for kind in [
        Kind::Sovereignty,
        Kind::NonAggressionPact,
        Kind::NoExpansion,
        Kind::Dialogue,
        Kind::AllianceBar,
        Kind::NonAggressionLaw,
        Kind::ArmsControl,
    ] {
        if e.params.on(kind) {
            imp.set(kind, 1.0);
        }
    }
}
#[cfg(test)]
mod systems_tests;
