//! The provisions of an agreement, one module per family of mechanisms.
//!
//! Each family module owns, for its kinds of provision: the wire type of its `[[provision]]`
//! table and its checked configuration, the components it adds to runs, its systems (placed in
//! the phases of [`crate::engine::TickSystems`]), the pure functions of its math, and its unit
//! tests. This module reads `[[provision]]` tables and hands each to its family, and registers
//! every family's systems and run initialisation.
//!
//! | family        | kinds                                                                  |
//! |---------------|------------------------------------------------------------------------|
//! | `territory`   | territory, no-change-by-force, ceasefire                               |
//! | `forces`      | force-cap, no-foreign-troops, air-power-nearby, non-nuclear            |
//! | `guarantee`   | security-guarantee, guarantee-terms                                    |
//! | `monitoring`  | peace-council, working-group                                           |
//! | `sanctions`   | sanctions-relief                                                       |
//! | `economy`     | eu-access, reconstruction, frozen-assets, power-plant, trade-routes    |
//! | `diplomacy`   | sovereignty, non-aggression-pact, no-expansion, dialogue, alliance-bar, non-aggression-law, arms-control |
//! | `society`     | tolerance, humanitarian, elections, amnesty                            |

pub mod diplomacy;
pub mod economy;
pub mod forces;
pub mod guarantee;
pub mod kind;
pub mod monitoring;
pub mod sanctions;
pub mod society;
pub mod territory;

use crate::model::spawn::Init;
use crate::scenario::{
    ConflictConfig, Ctx, Dim, ParamId, PartyConfig, RegionConfig, ScenarioError, SpannedParam,
};
use bevy_ecs::prelude::*;
use kind::Kind;
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;
use toml::de::DeValue;

/// A provision as the scenario states it.
#[derive(Debug, Clone)]
pub struct ProvisionInfo {
    /// Its number in the agreement.
    pub point: u32,
    /// Its mechanism.
    pub kind: Kind,
    /// Short title.
    pub title: String,
    /// The agreement's wording.
    pub text: String,
    /// Its parameters.
    pub params: Vec<ParamId>,
}

/// The compiled mechanisms of a scenario: one optional configuration per kind.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub sovereignty: Option<diplomacy::Sovereignty>,
    pub non_aggression_pact: Option<diplomacy::NonAggressionPact>,
    pub no_expansion: Option<diplomacy::NoExpansion>,
    pub dialogue: Option<diplomacy::Dialogue>,
    pub security_guarantee: Option<guarantee::SecurityGuarantee>,
    pub force_cap: Option<forces::ForceCap>,
    pub alliance_bar: Option<diplomacy::AllianceBar>,
    pub no_foreign_troops: Option<forces::NoForeignTroops>,
    pub air_power_nearby: Option<forces::AirPowerNearby>,
    pub guarantee_terms: Option<guarantee::GuaranteeTerms>,
    pub eu_access: Option<economy::EuAccess>,
    pub reconstruction: Option<economy::Reconstruction>,
    pub sanctions_relief: Option<sanctions::SanctionsRelief>,
    pub frozen_assets: Option<economy::FrozenAssets>,
    pub working_group: Option<monitoring::WorkingGroup>,
    pub non_aggression_law: Option<diplomacy::NonAggressionLaw>,
    pub arms_control: Option<diplomacy::ArmsControl>,
    pub non_nuclear: Option<forces::NonNuclear>,
    pub power_plant: Option<economy::PowerPlant>,
    pub tolerance: Option<society::Tolerance>,
    pub territory: Option<territory::TerritorySettlement>,
    pub no_change_by_force: Option<territory::NoChangeByForce>,
    pub trade_routes: Option<economy::TradeRoutes>,
    pub humanitarian: Option<society::Humanitarian>,
    pub elections: Option<society::Elections>,
    pub amnesty: Option<society::Amnesty>,
    pub peace_council: Option<monitoring::PeaceCouncil>,
    pub ceasefire: Option<territory::CeasefireSequence>,
}

/// What a family needs to read one provision table.
pub struct ProvisionCtx<'a> {
    /// Prefix of the provision's parameter paths (`point.6`).
    pub prefix: String,
    /// Span of the whole table, for errors about missing parts.
    pub span: Range<usize>,
    /// The parties.
    pub parties: &'a [PartyConfig],
    /// The conflict.
    pub conflict: &'a ConflictConfig,
    /// The regions.
    pub regions: &'a [RegionConfig],
}

impl ProvisionCtx<'_> {
    /// Reads a parameter of the provision, named `point.<P>.<key>`.
    pub fn param(
        &self,
        ctx: &mut Ctx<'_>,
        key: &str,
        dim: Dim,
        w: &SpannedParam,
    ) -> Result<ParamId, ScenarioError> {
        ctx.param(&format!("{}.{key}", self.prefix), dim, w)
    }

    /// Resolves a reference to one of the two armed sides; returns its side index (0 or 1).
    pub fn side(
        &self,
        ctx: &Ctx<'_>,
        key: &str,
        id: &Spanned<String>,
    ) -> Result<u8, ScenarioError> {
        let idx = ctx.party(key, id)?;
        self.conflict
            .sides
            .iter()
            .position(|&s| s == idx)
            .map(|s| s as u8)
            .ok_or_else(|| {
                ctx.err(
                    id.span(),
                    format!(
                        "`{key}` must name one of the armed sides in `conflict.sides` ({}, {}); \"{}\" is not one",
                        self.parties[self.conflict.sides[0] as usize].id,
                        self.parties[self.conflict.sides[1] as usize].id,
                        id.get_ref()
                    ),
                )
            })
    }

    /// Resolves a reference to a party that can act as a guarantor (it has `willingness`).
    pub fn guarantor(
        &self,
        ctx: &Ctx<'_>,
        key: &str,
        id: &Spanned<String>,
    ) -> Result<u8, ScenarioError> {
        let idx = ctx.party(key, id)?;
        if self.parties[idx as usize].guarantor.is_none() {
            return Err(ctx.err(
                id.span(),
                format!(
                    "`{key}`: party \"{}\" cannot act as a guarantor; give it `willingness`",
                    id.get_ref()
                ),
            ));
        }
        Ok(idx)
    }
}

#[derive(Deserialize)]
struct Head {
    point: Option<Spanned<u32>>,
    kind: Option<Spanned<String>>,
    title: Option<String>,
    text: Option<String>,
}

/// Reads every `[[provision]]` table.
pub fn compile(
    ctx: &mut Ctx<'_>,
    items: Vec<Spanned<DeValue<'_>>>,
    parties: &[PartyConfig],
    conflict: &ConflictConfig,
    regions: &[RegionConfig],
) -> Result<(Vec<ProvisionInfo>, Plan), ScenarioError> {
    let mut infos: Vec<ProvisionInfo> = Vec::new();
    let mut plan = Plan::default();
    for item in items {
        let span = item.span();
        let mut table = match item.into_inner() {
            DeValue::Table(t) => t,
            other => {
                return Err(ctx.err(
                    span,
                    format!("a provision must be a table, found {}", other.type_str()),
                ));
            }
        };
        let mut head_table = toml::de::DeTable::new();
        for key in ["point", "kind", "title", "text"] {
            if let Some((k, v)) = table.remove_entry(key) {
                head_table.insert(k, v);
            }
        }
        let head: Head = ctx.de(Spanned::new(span.clone(), DeValue::Table(head_table)))?;
        let point = head.point.ok_or_else(|| {
            ctx.err(
                span.clone(),
                "a provision needs `point`: its number in the agreement",
            )
        })?;
        if *point.get_ref() == 0 {
            return Err(ctx.err(point.span(), "`point` must be 1 or more"));
        }
        let kind_name = head.kind.ok_or_else(|| {
            ctx.err(
                span.clone(),
                format!(
                    "provision {} needs `kind`, one of: {}",
                    point.get_ref(),
                    Kind::names().join(", ")
                ),
            )
        })?;
        let kind = Kind::from_name(kind_name.get_ref()).ok_or_else(|| {
            ctx.err(
                kind_name.span(),
                format!(
                    "unknown provision kind \"{}\"; the kinds are: {}",
                    kind_name.get_ref(),
                    Kind::names().join(", ")
                ),
            )
        })?;
        if let Some(other) = infos.iter().find(|p| p.point == *point.get_ref()) {
            return Err(ctx.err(
                point.span(),
                format!(
                    "point {} is given twice (also as \"{}\")",
                    other.point,
                    other.kind.info().name
                ),
            ));
        }
        if let Some(other) = infos.iter().find(|p| p.kind == kind) {
            return Err(ctx.err(
                kind_name.span(),
                format!(
                    "kind \"{}\" is already bound to point {}; each kind may appear once",
                    kind.info().name,
                    other.point
                ),
            ));
        }
        let pc = ProvisionCtx {
            prefix: format!("point.{}", point.get_ref()),
            span: span.clone(),
            parties,
            conflict,
            regions,
        };
        let before = ctx.params.len();
        let body = Spanned::new(span.clone(), DeValue::Table(table));
        compile_kind(kind, ctx, &pc, body, &mut plan)?;
        let params = (before..ctx.params.len())
            .map(|i| ParamId(i as u16))
            .collect();
        infos.push(ProvisionInfo {
            point: *point.get_ref(),
            kind,
            title: head.title.unwrap_or_else(|| kind.info().name.to_string()),
            text: head.text.unwrap_or_default(),
            params,
        });
    }
    territory::check_plan(ctx, &plan, regions)?;
    Ok((infos, plan))
}

fn compile_kind(
    kind: Kind,
    ctx: &mut Ctx<'_>,
    pc: &ProvisionCtx<'_>,
    body: Spanned<DeValue<'_>>,
    plan: &mut Plan,
) -> Result<(), ScenarioError> {
    match kind {
        Kind::Sovereignty => {
            plan.sovereignty = Some(diplomacy::Sovereignty::compile(ctx, pc, body)?)
        }
        Kind::NonAggressionPact => {
            plan.non_aggression_pact = Some(diplomacy::NonAggressionPact::compile(ctx, pc, body)?)
        }
        Kind::NoExpansion => {
            plan.no_expansion = Some(diplomacy::NoExpansion::compile(ctx, pc, body)?)
        }
        Kind::Dialogue => plan.dialogue = Some(diplomacy::Dialogue::compile(ctx, pc, body)?),
        Kind::SecurityGuarantee => {
            plan.security_guarantee = Some(guarantee::SecurityGuarantee::compile(ctx, pc, body)?)
        }
        Kind::ForceCap => plan.force_cap = Some(forces::ForceCap::compile(ctx, pc, body)?),
        Kind::AllianceBar => {
            plan.alliance_bar = Some(diplomacy::AllianceBar::compile(ctx, pc, body)?)
        }
        Kind::NoForeignTroops => {
            plan.no_foreign_troops = Some(forces::NoForeignTroops::compile(ctx, pc, body)?)
        }
        Kind::AirPowerNearby => {
            plan.air_power_nearby = Some(forces::AirPowerNearby::compile(ctx, pc, body)?)
        }
        Kind::GuaranteeTerms => {
            plan.guarantee_terms = Some(guarantee::GuaranteeTerms::compile(ctx, pc, body)?)
        }
        Kind::EuAccess => plan.eu_access = Some(economy::EuAccess::compile(ctx, pc, body)?),
        Kind::Reconstruction => {
            plan.reconstruction = Some(economy::Reconstruction::compile(ctx, pc, body)?)
        }
        Kind::SanctionsRelief => {
            plan.sanctions_relief = Some(sanctions::SanctionsRelief::compile(ctx, pc, body)?)
        }
        Kind::FrozenAssets => {
            plan.frozen_assets = Some(economy::FrozenAssets::compile(ctx, pc, body)?)
        }
        Kind::WorkingGroup => {
            plan.working_group = Some(monitoring::WorkingGroup::compile(ctx, pc, body)?)
        }
        Kind::NonAggressionLaw => {
            plan.non_aggression_law = Some(diplomacy::NonAggressionLaw::compile(ctx, pc, body)?)
        }
        Kind::ArmsControl => {
            plan.arms_control = Some(diplomacy::ArmsControl::compile(ctx, pc, body)?)
        }
        Kind::NonNuclear => plan.non_nuclear = Some(forces::NonNuclear::compile(ctx, pc, body)?),
        Kind::PowerPlant => plan.power_plant = Some(economy::PowerPlant::compile(ctx, pc, body)?),
        Kind::Tolerance => plan.tolerance = Some(society::Tolerance::compile(ctx, pc, body)?),
        Kind::Territory => {
            plan.territory = Some(territory::TerritorySettlement::compile(ctx, pc, body)?)
        }
        Kind::NoChangeByForce => {
            plan.no_change_by_force = Some(territory::NoChangeByForce::compile(ctx, pc, body)?)
        }
        Kind::TradeRoutes => {
            plan.trade_routes = Some(economy::TradeRoutes::compile(ctx, pc, body)?)
        }
        Kind::Humanitarian => {
            plan.humanitarian = Some(society::Humanitarian::compile(ctx, pc, body)?)
        }
        Kind::Elections => plan.elections = Some(society::Elections::compile(ctx, pc, body)?),
        Kind::Amnesty => plan.amnesty = Some(society::Amnesty::compile(ctx, pc, body)?),
        Kind::PeaceCouncil => {
            plan.peace_council = Some(monitoring::PeaceCouncil::compile(ctx, pc, body)?)
        }
        Kind::Ceasefire => {
            plan.ceasefire = Some(territory::CeasefireSequence::compile(ctx, pc, body)?)
        }
    }
    Ok(())
}

/// Registers every family's systems.
pub fn add_to(schedule: &mut Schedule) {
    territory::add_to(schedule);
    forces::add_to(schedule);
    guarantee::add_to(schedule);
    monitoring::add_to(schedule);
    sanctions::add_to(schedule);
    economy::add_to(schedule);
    diplomacy::add_to(schedule);
    society::add_to(schedule);
}

/// A run that has just ended, as the families see it when they record how far their
/// provisions were implemented.
pub struct Ended<'a> {
    /// The World holding the run.
    pub world: &'a World,
    /// The scenario.
    pub scenario: &'a crate::scenario::Scenario,
    /// The run's entities.
    pub slot: &'a crate::model::spawn::SlotEntities,
    /// The run's parameters and provisions in force.
    pub params: &'a crate::model::RunParams,
    /// How it ended.
    pub outcome: crate::model::Outcome,
}

impl Ended<'_> {
    /// A component of the run's root.
    pub fn root<T: Component>(&self) -> Option<&T> {
        self.world.get::<T>(self.slot.root)
    }

    /// A component of side `s`.
    pub fn side<T: Component>(&self, s: usize) -> Option<&T> {
        let idx = self.scenario.conflict.sides[s] as usize;
        self.world.get::<T>(self.slot.parties[idx])
    }

    /// A component of party `idx`.
    pub fn party<T: Component>(&self, idx: u8) -> Option<&T> {
        self.world.get::<T>(self.slot.parties[idx as usize])
    }
}

/// How far each provision was implemented in a run that ended, as each family measures it.
pub fn record_run(ended: &Ended<'_>) -> crate::model::Implementation {
    let mut imp = crate::model::Implementation::default();
    territory::record(ended, &mut imp);
    forces::record(ended, &mut imp);
    guarantee::record(ended, &mut imp);
    monitoring::record(ended, &mut imp);
    sanctions::record(ended, &mut imp);
    economy::record(ended, &mut imp);
    diplomacy::record(ended, &mut imp);
    society::record(ended, &mut imp);
    imp
}

/// Prices what every family's provisions do for the whole run, once, when it starts.
pub fn baseline(init: &Init<'_>) -> crate::model::Baseline {
    let c = &init.scenario.conflict;
    let mut b = crate::model::Baseline::new(crate::model::Modifiers {
        detection: init.params.v(c.baseline_detection),
        attribution: init.params.v(c.baseline_attribution),
        ..Default::default()
    });
    territory::baseline(init, &mut b);
    forces::baseline(init, &mut b);
    monitoring::baseline(init, &mut b);
    diplomacy::baseline(init, &mut b);
    society::baseline(init, &mut b);
    b
}

/// Initialises every family's components for a new run, and the run's baseline.
pub fn init_run(world: &mut World, init: &Init<'_>) {
    let b = baseline(init);
    for s in 0..2 {
        world
            .entity_mut(init.side(s))
            .insert(crate::model::LedgerBase::of(&b, s));
    }
    world
        .entity_mut(init.slot.root)
        .insert(crate::model::BaseModifiers(b.modifiers));
    territory::init_run(world, init);
    forces::init_run(world, init);
    guarantee::init_run(world, init);
    monitoring::init_run(world, init);
    sanctions::init_run(world, init);
    economy::init_run(world, init);
    diplomacy::init_run(world, init);
    society::init_run(world, init);
}
#[cfg(test)]
mod ablation_tests;
