//! Economic provisions: points 11, 12, 14, 19 and 23 of the 28-point plan (kinds `eu-access`,
//! `reconstruction`, `frozen-assets`, `power-plant`, `trade-routes`).
//!
//! Their common mechanism is interdependence: each gives a side something it would lose by
//! renewed war (a stake, priced by `guarantee-terms` into the side's ledger), and some give
//! a guarantor a stake in the peace. Money and power are conserved: every fund keeps
//! `inflow + profit = invested + paid out + balance`, and the plant's output is exactly the sum
//! of what each side receives.
//!
//! - `eu-access` (11): preferential market access ramps up; membership may come later, after
//!   an earliest date, at a rate; both are stakes of the protected side.
//! - `reconstruction` (12): a development package is disbursed into the protected side's
//!   economy between a start and an end date; disbursements pause for a while when the
//!   council sanctions that side; what has been disbursed is its stake.
//! - `frozen-assets` (14): a fixed sum of frozen assets plus an equal European contribution
//!   fund a reconstruction venture that invests over a deployment period and earns a return,
//!   half of which goes to the guarantor (raising its commitment); the rest of the frozen
//!   assets go into a joint vehicle, whose value the owner of the assets would lose.
//! - `power-plant` (19): a nuclear plant restarts unit by unit under international
//!   supervision once the ceasefire holds; its output is split between the sides; disrupting
//!   it is an incident.
//! - `trade-routes` (23): free use of river and sea routes is export income for one side and a
//!   stake for both; interdicting shipping is an incident.

use super::ProvisionCtx;
use super::kind::Kind;
use crate::conflict::{IncidentLog, IncidentSides, incident_rate};
use crate::engine::Write;
use crate::engine::{Model, Step};
use crate::model::spawn::{Init, MemberOf, Members, Membership};
use crate::model::{
    Ceasefire, Clock, Draws, HazardClock, Implementation, IncidentKind, Modifiers, Outcome, Roster,
    Run, RunParams, SanctionImposed, Stakes, sites,
};
use crate::scenario::{
    Ctx, Dim, MembershipStatus, ParamId, PartyKind, ScenarioError, SpannedParam,
};
use bevy_ecs::prelude::*;
use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

// ---------------------------------------------------------------------------------------------
// Configuration.

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct EuAccessWire {
    party: Spanned<String>,
    union: Spanned<String>,
    access_value: SpannedParam,
    ramp: SpannedParam,
    accession_earliest: SpannedParam,
    accession_rate: SpannedParam,
    member_value: SpannedParam,
}

/// Point 11: eligibility for a union and preferential market access meanwhile.
#[derive(Debug, Clone)]
pub struct EuAccess {
    /// The side that gains access (0 or 1).
    pub side: u8,
    /// The union's party index.
    pub union: u8,
    /// Stake of full preferential access (utility).
    pub access_value: ParamId,
    /// Days for access to reach its full value.
    pub ramp: ParamId,
    /// Earliest day of accession.
    pub accession_earliest: ParamId,
    /// Rate (per day) of accession after the earliest day, while the ceasefire holds.
    pub accession_rate: ParamId,
    /// Stake added by membership (utility).
    pub member_value: ParamId,
}

impl EuAccess {
    /// Reads an `eu-access` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: EuAccessWire = ctx.de(body)?;
        Ok(EuAccess {
            side: pc.side(ctx, "party", &w.party)?,
            union: ctx.party("union", &w.union)?,
            access_value: pc.param(ctx, "access-value", Dim::Utility, &w.access_value)?,
            ramp: pc.param(ctx, "ramp", Dim::Duration, &w.ramp)?,
            accession_earliest: pc.param(
                ctx,
                "accession-earliest",
                Dim::Duration,
                &w.accession_earliest,
            )?,
            accession_rate: pc.param(ctx, "accession-rate", Dim::Rate, &w.accession_rate)?,
            member_value: pc.param(ctx, "member-value", Dim::Utility, &w.member_value)?,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ReconstructionWire {
    party: Spanned<String>,
    fund: Spanned<String>,
    finance: SpannedParam,
    start: SpannedParam,
    end: SpannedParam,
    stake_per_100bn: SpannedParam,
    suspension: SpannedParam,
}

/// Point 12: a reconstruction package.
#[derive(Debug, Clone)]
pub struct Reconstruction {
    /// The side rebuilt (0 or 1).
    pub side: u8,
    /// The fund's party index.
    pub fund: u8,
    /// Money committed (US$ bn).
    pub finance: ParamId,
    /// First day of disbursement.
    pub start: ParamId,
    /// Last day of disbursement.
    pub end: ParamId,
    /// Stake per US$100bn disbursed (utility).
    pub stake_per_100bn: ParamId,
    /// Days disbursements pause after the council sanctions the side.
    pub suspension: ParamId,
}

impl Reconstruction {
    /// Reads a `reconstruction` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: ReconstructionWire = ctx.de(body)?;
        let c = Reconstruction {
            side: pc.side(ctx, "party", &w.party)?,
            fund: fund(ctx, "fund", &w.fund)?,
            finance: pc.param(ctx, "finance", Dim::Money, &w.finance)?,
            start: pc.param(ctx, "start", Dim::Duration, &w.start)?,
            end: pc.param(ctx, "end", Dim::Duration, &w.end)?,
            stake_per_100bn: pc.param(ctx, "stake-per-100bn", Dim::Utility, &w.stake_per_100bn)?,
            suspension: pc.param(ctx, "suspension", Dim::Duration, &w.suspension)?,
        };
        schedule_in_order(ctx, pc, &w.end, "start", c.start, "end", c.end)?;
        Ok(c)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FrozenAssetsWire {
    owner: Spanned<String>,
    beneficiary: Spanned<String>,
    investor: Spanned<String>,
    venture: Spanned<String>,
    joint_vehicle: Spanned<String>,
    frozen_total: SpannedParam,
    to_reconstruction: SpannedParam,
    european_contribution: SpannedParam,
    investor_profit_share: SpannedParam,
    return_rate: SpannedParam,
    deployment: SpannedParam,
    owner_share: SpannedParam,
    venture_stake_per_100bn: SpannedParam,
    vehicle_stake_per_100bn: SpannedParam,
    investor_commitment_per_10bn: SpannedParam,
    investor_commitment_max: SpannedParam,
}

/// Point 14: the use of frozen assets.
#[derive(Debug, Clone)]
pub struct FrozenAssets {
    /// The side whose assets are frozen (0 or 1).
    pub owner: u8,
    /// The side rebuilt by the venture (0 or 1).
    pub beneficiary: u8,
    /// The party that leads the venture and takes a share of its profits.
    pub investor: u8,
    /// The venture fund's party index.
    pub venture: u8,
    /// The joint vehicle's party index.
    pub joint_vehicle: u8,
    /// All frozen assets of the owner (US$ bn).
    pub frozen_total: ParamId,
    /// Frozen assets put into the venture (US$ bn).
    pub to_reconstruction: ParamId,
    /// The European contribution to the venture (US$ bn).
    pub european_contribution: ParamId,
    /// The investor's share of the venture's profits.
    pub investor_profit_share: ParamId,
    /// Return on invested capital (per day).
    pub return_rate: ParamId,
    /// Days to invest the money.
    pub deployment: ParamId,
    /// The owner's share of the joint vehicle.
    pub owner_share: ParamId,
    /// Beneficiary's stake per US$100bn invested in it (utility).
    pub venture_stake_per_100bn: ParamId,
    /// Owner's stake per US$100bn of its share of the joint vehicle (utility).
    pub vehicle_stake_per_100bn: ParamId,
    /// Willingness the investor gains per US$10bn of profits received.
    pub investor_commitment_per_10bn: ParamId,
    /// Most willingness the investor can gain that way.
    pub investor_commitment_max: ParamId,
}

impl FrozenAssets {
    /// Reads a `frozen-assets` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: FrozenAssetsWire = ctx.de(body)?;
        let c = FrozenAssets {
            owner: pc.side(ctx, "owner", &w.owner)?,
            beneficiary: pc.side(ctx, "beneficiary", &w.beneficiary)?,
            investor: ctx.party("investor", &w.investor)?,
            venture: fund(ctx, "venture", &w.venture)?,
            joint_vehicle: fund(ctx, "joint-vehicle", &w.joint_vehicle)?,
            frozen_total: pc.param(ctx, "frozen-total", Dim::Money, &w.frozen_total)?,
            to_reconstruction: pc.param(
                ctx,
                "to-reconstruction",
                Dim::Money,
                &w.to_reconstruction,
            )?,
            european_contribution: pc.param(
                ctx,
                "european-contribution",
                Dim::Money,
                &w.european_contribution,
            )?,
            investor_profit_share: pc.param(
                ctx,
                "investor-profit-share",
                Dim::Fraction,
                &w.investor_profit_share,
            )?,
            return_rate: pc.param(ctx, "return-rate", Dim::Rate, &w.return_rate)?,
            deployment: pc.param(ctx, "deployment", Dim::Duration, &w.deployment)?,
            owner_share: pc.param(ctx, "owner-share", Dim::Fraction, &w.owner_share)?,
            venture_stake_per_100bn: pc.param(
                ctx,
                "venture-stake-per-100bn",
                Dim::Utility,
                &w.venture_stake_per_100bn,
            )?,
            vehicle_stake_per_100bn: pc.param(
                ctx,
                "vehicle-stake-per-100bn",
                Dim::Utility,
                &w.vehicle_stake_per_100bn,
            )?,
            investor_commitment_per_10bn: pc.param(
                ctx,
                "investor-commitment-per-10bn",
                Dim::Probability,
                &w.investor_commitment_per_10bn,
            )?,
            investor_commitment_max: pc.param(
                ctx,
                "investor-commitment-max",
                Dim::Probability,
                &w.investor_commitment_max,
            )?,
        };
        if c.owner == c.beneficiary {
            return Err(ctx.err(
                w.beneficiary.span(),
                "`beneficiary` must be the other side than `owner`",
            ));
        }
        let total = ctx.params.spec(c.frozen_total).value;
        let to_venture = ctx.params.spec(c.to_reconstruction).value;
        if total < to_venture {
            return Err(ctx.err(
                w.frozen_total.span(),
                format!(
                    "`{0}.frozen-total` (US$ {1} bn) is less than `{0}.to-reconstruction` (US$ {2} bn): the joint vehicle would receive negative money",
                    pc.prefix, total, to_venture
                ),
            ));
        }
        if ctx.params.spec(c.deployment).value <= 0.0 {
            return Err(ctx.err(
                w.deployment.span(),
                format!("`{}.deployment` must be positive", pc.prefix),
            ));
        }
        Ok(c)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PowerPlantWire {
    supervisor: Spanned<String>,
    capacity: SpannedParam,
    units: SpannedParam,
    first_unit: SpannedParam,
    last_unit: SpannedParam,
    capacity_factor: SpannedParam,
    first_side_share: SpannedParam,
    stake_per_gw: SpannedParam,
    disruption_rate: SpannedParam,
    disruption_severity: SpannedParam,
}

/// Point 19: a shared nuclear power plant.
#[derive(Debug, Clone)]
pub struct PowerPlant {
    /// The supervising agency's party index.
    pub supervisor: u8,
    /// Capacity of all units (MWe).
    pub capacity: ParamId,
    /// Number of units.
    pub units: ParamId,
    /// Day the first unit restarts.
    pub first_unit: ParamId,
    /// Day the last unit restarts.
    pub last_unit: ParamId,
    /// Average output as a share of capacity.
    pub capacity_factor: ParamId,
    /// Share of output that goes to the first side.
    pub first_side_share: ParamId,
    /// Stake per GW of average power received (utility).
    pub stake_per_gw: ParamId,
    /// Rate (per day) of disruptions a side causes at full hostility and no trust.
    pub disruption_rate: ParamId,
    /// Severity of a disruption relative to a serious incident on the line.
    pub disruption_severity: ParamId,
}

impl PowerPlant {
    /// Reads a `power-plant` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: PowerPlantWire = ctx.de(body)?;
        let c = PowerPlant {
            supervisor: ctx.party("supervisor", &w.supervisor)?,
            capacity: pc.param(ctx, "capacity", Dim::Power, &w.capacity)?,
            units: pc.param(ctx, "units", Dim::Count, &w.units)?,
            first_unit: pc.param(ctx, "first-unit", Dim::Duration, &w.first_unit)?,
            last_unit: pc.param(ctx, "last-unit", Dim::Duration, &w.last_unit)?,
            capacity_factor: pc.param(ctx, "capacity-factor", Dim::Fraction, &w.capacity_factor)?,
            first_side_share: pc.param(
                ctx,
                "first-side-share",
                Dim::Fraction,
                &w.first_side_share,
            )?,
            stake_per_gw: pc.param(ctx, "stake-per-gw", Dim::Utility, &w.stake_per_gw)?,
            disruption_rate: pc.param(ctx, "disruption-rate", Dim::Rate, &w.disruption_rate)?,
            disruption_severity: pc.param(
                ctx,
                "disruption-severity",
                Dim::Multiplier,
                &w.disruption_severity,
            )?,
        };
        let units = ctx.params.spec(c.units).value;
        if units < 1.0 || units.fract() != 0.0 {
            return Err(ctx.err(
                w.units.span(),
                format!("`{}.units` must be a whole number, at least 1", pc.prefix),
            ));
        }
        schedule_in_order(
            ctx,
            pc,
            &w.last_unit,
            "first-unit",
            c.first_unit,
            "last-unit",
            c.last_unit,
        )?;
        Ok(c)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TradeRoutesWire {
    party: Spanned<String>,
    export_value: SpannedParam,
    other_value: SpannedParam,
    interdiction_rate: SpannedParam,
    interdiction_severity: SpannedParam,
}

/// Point 23: free use of river and sea routes.
#[derive(Debug, Clone)]
pub struct TradeRoutes {
    /// The exporting side (0 or 1).
    pub side: u8,
    /// Its stake in the routes (utility).
    pub export_value: ParamId,
    /// The other side's stake in the shipping agreement (utility).
    pub other_value: ParamId,
    /// Rate (per day) at which the other side interdicts shipping at full hostility.
    pub interdiction_rate: ParamId,
    /// Severity of an interdiction relative to a serious incident on the line.
    pub interdiction_severity: ParamId,
}

impl TradeRoutes {
    /// Reads a `trade-routes` provision.
    pub fn compile(
        ctx: &mut Ctx<'_>,
        pc: &ProvisionCtx<'_>,
        body: Spanned<DeValue<'_>>,
    ) -> Result<Self, ScenarioError> {
        let w: TradeRoutesWire = ctx.de(body)?;
        Ok(TradeRoutes {
            side: pc.side(ctx, "party", &w.party)?,
            export_value: pc.param(ctx, "export-value", Dim::Utility, &w.export_value)?,
            other_value: pc.param(ctx, "other-value", Dim::Utility, &w.other_value)?,
            interdiction_rate: pc.param(
                ctx,
                "interdiction-rate",
                Dim::Rate,
                &w.interdiction_rate,
            )?,
            interdiction_severity: pc.param(
                ctx,
                "interdiction-severity",
                Dim::Multiplier,
                &w.interdiction_severity,
            )?,
        })
    }
}

/// A reference to a party that must be a fund.
fn fund(ctx: &Ctx<'_>, key: &str, id: &Spanned<String>) -> Result<u8, ScenarioError> {
    let idx = ctx.party(key, id)?;
    if ctx.parties[idx as usize].kind != PartyKind::Fund {
        return Err(ctx.err(
            id.span(),
            format!(
                "`{key}` must name a party of kind \"fund\"; \"{}\" is a {}",
                id.get_ref(),
                ctx.parties[idx as usize].kind.name()
            ),
        ));
    }
    Ok(idx)
}

/// Refuses a schedule that ends before it starts.
fn schedule_in_order(
    ctx: &Ctx<'_>,
    pc: &ProvisionCtx<'_>,
    span_of: &SpannedParam,
    start_key: &str,
    start: ParamId,
    end_key: &str,
    end: ParamId,
) -> Result<(), ScenarioError> {
    let (s, e) = (ctx.params.spec(start).value, ctx.params.spec(end).value);
    if e < s {
        return Err(ctx.err(
            span_of.span(),
            format!(
                "the schedule ends before it starts: `{0}.{end_key}` (day {e}) is earlier than `{0}.{start_key}` (day {s})",
                pc.prefix
            ),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Components.

/// A fund's books (on the fund's entity), in US$ bn. Always
/// `inflow + profit = invested + paid_out + balance`.
#[derive(Component, Debug, Clone, Copy, Default, PartialEq)]
pub struct Fund {
    /// Money paid in.
    pub inflow: f64,
    /// Returns earned on invested capital.
    pub profit: f64,
    /// Money invested or disbursed into projects.
    pub invested: f64,
    /// Profits paid out to an investor.
    pub paid_out: f64,
    /// Money held, not yet invested.
    pub balance: f64,
    /// Day until which disbursements are suspended.
    pub suspended_until: f64,
}

impl Fund {
    /// Money in minus money out minus balance: zero when the books balance.
    pub fn imbalance(&self) -> f64 {
        self.inflow + self.profit - self.invested - self.paid_out - self.balance
    }

    /// Pays `amount` in.
    pub fn pay_in(&mut self, amount: f64) {
        self.inflow += amount;
        self.balance += amount;
    }

    /// Invests up to `amount` from the balance; returns what was invested.
    pub fn invest(&mut self, amount: f64) -> f64 {
        let a = amount.clamp(0.0, self.balance);
        self.balance -= a;
        self.invested += a;
        a
    }

    /// Books `profit`, paying `share` of it out and keeping the rest.
    pub fn earn(&mut self, profit: f64, share: f64) {
        let out = profit * share;
        self.profit += profit;
        self.paid_out += out;
        self.balance += profit - out;
    }
}

/// The books of a run's funds, on the run's root: one per fund party, in the order of the
/// scenario's parties. They are kept with the run rather than on each fund's own entity so
/// that the economy's tick finds them in the run's row instead of looking three entities up.
#[derive(Component, Debug, Clone, Default)]
pub struct Funds {
    /// The fund parties' indices, ascending.
    parties: Vec<u8>,
    /// Their books, in the same order.
    books: Vec<Fund>,
}

impl Funds {
    /// The books of the fund party `idx`.
    #[inline]
    pub fn of(&self, idx: u8) -> Option<&Fund> {
        let i = self.parties.iter().position(|&p| p == idx)?;
        self.books.get(i)
    }

    /// The books of the fund party `idx`, to change.
    #[inline]
    pub fn of_mut(&mut self, idx: u8) -> Option<&mut Fund> {
        let i = self.parties.iter().position(|&p| p == idx)?;
        self.books.get_mut(i)
    }

    /// Each fund party's index and books, in the order of the parties.
    pub fn iter(&self) -> impl Iterator<Item = (u8, &Fund)> {
        self.parties.iter().copied().zip(&self.books)
    }
}

/// The shared power plant (on the run's root). Output in MWh.
#[derive(Component, Debug, Clone, Copy, Default, PartialEq)]
pub struct PowerPlantState {
    /// Units running.
    pub units_online: f64,
    /// Energy produced.
    pub produced: f64,
    /// Energy delivered to each side.
    pub delivered: [f64; 2],
}

/// The path to union membership (on the run's root).
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Accession {
    /// True once the side has joined.
    pub member: bool,
    /// Accession's hazard clock.
    pub clock: HazardClock,
}

/// A side's clocks for plant disruptions and shipping interdictions.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct EconomyClocks {
    /// Disrupting the shared plant.
    pub disruption: HazardClock,
    /// Interdicting shipping.
    pub interdiction: HazardClock,
}

/// Sets funds, plant and accession for a new run.
pub fn init_run(world: &mut World, init: &Init<'_>) {
    let root = init.slot.root;
    if let Some(mut funds) = world.get_mut::<Funds>(root) {
        // A slot's books are reset in place: no allocation once the slot has held a run.
        funds.books.fill(Fund::default());
    } else {
        let parties: Vec<u8> = (0..init.scenario.parties.len() as u8)
            .filter(|&i| init.scenario.parties[i as usize].kind == PartyKind::Fund)
            .collect();
        let books = vec![Fund::default(); parties.len()];
        world.entity_mut(root).insert(Funds { parties, books });
    }
    world
        .entity_mut(root)
        .insert((PowerPlantState::default(), Accession::default()));
    for s in 0..2 {
        let side = init.scenario.conflict.sides[s];
        world
            .entity_mut(init.side(s))
            .insert((EconomyClocks::default(), init.draws::<sites::Economy>(side)));
    }
    if let Some(eu) = &init.scenario.plan.eu_access {
        world
            .entity_mut(init.party(eu.union))
            .insert(init.draws::<sites::Economy>(eu.union));
    }
}

/// Registers the family's systems.
pub fn add_to(schedule: &mut Schedule) {
    schedule.add_systems((
        (suspend_disbursements, run_economy)
            .chain()
            .in_set(Step::Economy),
        disturb_economy.in_set(Step::EconomicIncidents),
    ));
}

// ---------------------------------------------------------------------------------------------
// Math.

/// Money disbursed in a tick from `day - dt` to `day` by a package paid evenly between `start`
/// and `end` (all of it on `start` when they coincide).
pub fn disbursement(total: f64, start: f64, end: f64, day: f64, dt: f64) -> f64 {
    let from = (day - dt).max(start);
    let to = day.min(end);
    if end <= start {
        return if day - dt < start && day >= start {
            total
        } else {
            0.0
        };
    }
    if to <= from {
        return 0.0;
    }
    total * (to - from) / (end - start)
}

/// Units online on `day` when `units` restart evenly from `first` to `last` (0 before `first`).
pub fn units_online(units: f64, first: f64, last: f64, day: f64) -> f64 {
    if day < first {
        return 0.0;
    }
    if units <= 1.0 || last <= first {
        return units;
    }
    let step = (last - first) / (units - 1.0);
    (1.0 + ((day - first) / step).floor()).min(units)
}

// ---------------------------------------------------------------------------------------------
// Systems.

fn suspend_disbursements(
    model: Res<Model>,
    mut reader: MessageReader<SanctionImposed>,
    mut runs: Query<(&Run, &RunParams, Write<Funds>)>,
) {
    let plan = &model.0.plan;
    let Some(r) = &plan.reconstruction else {
        reader.clear();
        return;
    };
    for s in reader.read() {
        if s.side != r.side {
            continue;
        }
        let Ok((run, rp, funds)) = runs.get_mut(s.run) else {
            continue;
        };
        if !run.live || !rp.on(Kind::Reconstruction) {
            continue;
        }
        if let Some(f) = funds.of_mut(r.fund) {
            f.suspended_until = f.suspended_until.max(s.day + rp.v(r.suspension));
        }
    }
}

type DisturbingSides<'a> = IncidentSides<'a, EconomyClocks, sites::Economy>;

/// A side's incidents against the shared economy: disrupting the plant while it runs, and
/// interdicting the other side's shipping.
fn disturb_economy(model: Res<Model>, mut sides: Query<DisturbingSides>, mut log: IncidentLog) {
    let sc = &model.0;
    let c = &sc.conflict;
    for (side, view, posture, clocks, stream, commitments) in &mut sides {
        let m = &view.m;
        if !view.live || !view.ceasefire {
            continue;
        }
        let p_punish = m.detection * m.attribution * m.enforcement;
        if m.plant_units > 0.0
            && let Some(p) = view.active(Kind::PowerPlant, &sc.plan.power_plant)
        {
            let rate = incident_rate(
                view.v(p.disruption_rate),
                posture.hostility,
                posture.trust,
                1.0,
                view.v(c.deliberate_share),
                view.v(c.deterrence),
                p_punish,
            );
            let n = clocks.disruption.advance(rate, view.dt, stream, 100);
            let severity = view.v(p.disruption_severity);
            log.report(
                n,
                IncidentKind::PlantDisruption,
                severity,
                side,
                view,
                commitments,
            );
        }
        if let Some(t) = view
            .active(Kind::TradeRoutes, &sc.plan.trade_routes)
            .filter(|t| t.side != side.index)
        {
            let rate = incident_rate(
                view.v(t.interdiction_rate),
                posture.hostility,
                posture.trust,
                1.0,
                1.0,
                view.v(c.deterrence),
                p_punish,
            );
            let n = clocks.interdiction.advance(rate, view.dt, stream, 100);
            let severity = view.v(t.interdiction_severity);
            log.report(n, IncidentKind::Shipping, severity, side, view, commitments);
        }
    }
}

type EconomyRuns<'a> = (
    &'a Run,
    &'a Clock,
    &'a RunParams,
    &'a Roster,
    &'a Ceasefire,
    &'a Outcome,
    Write<PowerPlantState>,
    Write<Accession>,
    Write<Stakes>,
    Write<Modifiers>,
    Write<Funds>,
);

/// One pass over each run's economy: the funds' flows, the plant, accession to the union,
/// then the stakes they give each side (and the commitment profits give the investor).
fn run_economy(
    model: Res<Model>,
    mut runs: Query<EconomyRuns>,
    mut streams: Query<Write<Draws<sites::Economy>>>,
    unions: Query<&Members>,
    mut memberships: Query<Write<Membership>, With<MemberOf>>,
) {
    let plan = &model.0.plan;
    for (run, clock, rp, roster, cf, outcome, plant, acc, stakes, m, funds) in &mut runs {
        if !run.live || !outcome.running() {
            continue;
        }
        if let Some(r) = rp.active(Kind::Reconstruction, &plan.reconstruction)
            && let Some(f) = funds.of_mut(r.fund)
        {
            disburse(f, r, rp, clock);
            let stake = rp.v(r.stake_per_100bn) * f.invested / 100.0;
            stakes.add(r.side as usize, Kind::Reconstruction, stake);
        }
        if let Some(fa) = rp.active(Kind::FrozenAssets, &plan.frozen_assets) {
            let deploy = rp.v(fa.deployment);
            if let Some(venture) = funds.of_mut(fa.venture) {
                let committed = rp.v(fa.to_reconstruction) + rp.v(fa.european_contribution);
                if clock.tick == 1 {
                    venture.pay_in(rp.v(fa.to_reconstruction));
                    venture.pay_in(rp.v(fa.european_contribution));
                }
                deploy_fund(
                    venture,
                    committed,
                    rp.v(fa.return_rate),
                    rp.v(fa.investor_profit_share),
                    deploy,
                    clock,
                );
                let stake = rp.v(fa.venture_stake_per_100bn) * venture.invested / 100.0;
                stakes.add(fa.beneficiary as usize, Kind::FrozenAssets, stake);
                let commitment = rp.v(fa.investor_commitment_per_10bn) * venture.paid_out / 10.0;
                m.response_boost += commitment.min(rp.v(fa.investor_commitment_max));
            }
            if let Some(vehicle) = funds.of_mut(fa.joint_vehicle) {
                let remainder = rp.v(fa.frozen_total) - rp.v(fa.to_reconstruction);
                if clock.tick == 1 {
                    vehicle.pay_in(remainder);
                }
                deploy_fund(vehicle, remainder, rp.v(fa.return_rate), 0.0, deploy, clock);
                let value = (vehicle.invested + vehicle.balance) * rp.v(fa.owner_share);
                stakes.add(
                    fa.owner as usize,
                    Kind::FrozenAssets,
                    rp.v(fa.vehicle_stake_per_100bn) * value / 100.0,
                );
            }
        }
        if let Some(p) = rp.active(Kind::PowerPlant, &plan.power_plant) {
            if cf.in_effect {
                run_plant(plant, p, rp, clock, cf.since);
            }
            m.plant_units = plant.units_online;
            let gw = rp.v(p.capacity) * plant.units_online / rp.v(p.units)
                * rp.v(p.capacity_factor)
                / 1000.0;
            let share = rp.v(p.first_side_share);
            stakes.add(0, Kind::PowerPlant, rp.v(p.stake_per_gw) * gw * share);
            stakes.add(
                1,
                Kind::PowerPlant,
                rp.v(p.stake_per_gw) * gw * (1.0 - share),
            );
        }
        if let Some(eu) = rp.active(Kind::EuAccess, &plan.eu_access) {
            if !acc.member && cf.in_effect && clock.day >= rp.v(eu.accession_earliest) {
                let union = roster.parties[eu.union as usize];
                // The union's stream is looked up only in a tick in which it draws.
                if let Some(integrated) = acc.clock.integrate(rp.v(eu.accession_rate), clock.dt)
                    && let Ok(stream) = streams.get_mut(union)
                    && acc.clock.fire(integrated, stream, 1) > 0
                {
                    acc.member = true;
                    let member = roster.sides[eu.side as usize];
                    if let Ok(members) = unions.get(union) {
                        for e in members.iter() {
                            if let Ok(ms) = memberships.get_mut(e)
                                && ms.member == member
                            {
                                ms.status = MembershipStatus::Active;
                            }
                        }
                    }
                }
            }
            let ramp = (clock.day / rp.v(eu.ramp).max(1.0)).min(1.0);
            let member = if acc.member {
                rp.v(eu.member_value)
            } else {
                0.0
            };
            stakes.add(
                eu.side as usize,
                Kind::EuAccess,
                rp.v(eu.access_value) * ramp + member,
            );
        }
        if let Some(t) = rp.active(Kind::TradeRoutes, &plan.trade_routes) {
            stakes.add(t.side as usize, Kind::TradeRoutes, rp.v(t.export_value));
            stakes.add(1 - t.side as usize, Kind::TradeRoutes, rp.v(t.other_value));
        }
    }
}

/// A reconstruction package's tick: paid in on the first tick, disbursed on schedule unless
/// suspended; money held back by a suspension is paid when the schedule ends.
fn disburse(f: &mut Fund, r: &Reconstruction, rp: &RunParams, clock: &Clock) {
    if clock.tick == 1 {
        f.pay_in(rp.v(r.finance));
    }
    if clock.day <= f.suspended_until {
        return;
    }
    let due = disbursement(
        rp.v(r.finance),
        rp.v(r.start),
        rp.v(r.end),
        clock.day,
        clock.dt,
    );
    let catch_up = if clock.day >= rp.v(r.end) {
        f.balance
    } else {
        0.0
    };
    f.invest(due.max(catch_up));
}

/// A fund that invests `committed` over `deploy` days: its invested capital earns `rate`, a
/// `share` of the profit is paid out, and after the deployment period whatever it holds is
/// invested.
fn deploy_fund(f: &mut Fund, committed: f64, rate: f64, share: f64, deploy: f64, clock: &Clock) {
    let profit = f.invested * rate * clock.dt;
    f.earn(profit, share);
    let rest = if clock.day >= deploy { f.balance } else { 0.0 };
    f.invest(committed * clock.dt / deploy + rest);
}

/// The plant's tick: units restart on their schedule, counted from the start of the
/// ceasefire; the output is split between the sides.
fn run_plant(
    plant: &mut PowerPlantState,
    p: &PowerPlant,
    rp: &RunParams,
    clock: &Clock,
    since: f64,
) {
    let days = clock.day - since.max(0.0);
    let units = rp.v(p.units);
    plant.units_online = units_online(units, rp.v(p.first_unit), rp.v(p.last_unit), days);
    let mw = rp.v(p.capacity) * plant.units_online / units * rp.v(p.capacity_factor);
    let mwh = mw * 24.0 * clock.dt;
    let first = mwh * rp.v(p.first_side_share);
    plant.produced += mwh;
    plant.delivered[0] += first;
    plant.delivered[1] += mwh - first;
}

/// How far the economic provisions were implemented in a run that ended.
pub fn record(e: &super::Ended<'_>, imp: &mut Implementation) {
    let plan = &e.scenario.plan;
    let rp = e.params;
    let (Some(plant), Some(acc)) = (e.root::<PowerPlantState>(), e.root::<Accession>()) else {
        return;
    };
    if let Some(eu) = rp.active(Kind::EuAccess, &plan.eu_access) {
        let ramp = (e.outcome.day / rp.v(eu.ramp).max(1.0)).min(1.0);
        imp.set(Kind::EuAccess, if acc.member { 1.0 } else { ramp });
    }
    let funds = e.root::<Funds>();
    if let Some(r) = rp.active(Kind::Reconstruction, &plan.reconstruction)
        && let Some(f) = funds.and_then(|f| f.of(r.fund))
    {
        imp.set(Kind::Reconstruction, f.invested / rp.v(r.finance).max(1e-9));
    }
    if let Some(fa) = rp.active(Kind::FrozenAssets, &plan.frozen_assets) {
        let committed = rp.v(fa.frozen_total) + rp.v(fa.european_contribution);
        let invested: f64 = [fa.venture, fa.joint_vehicle]
            .iter()
            .filter_map(|&f| funds.and_then(|books| books.of(f)))
            .map(|f| f.invested)
            .sum();
        imp.set(Kind::FrozenAssets, invested / committed.max(1e-9));
    }
    if let Some(p) = rp.active(Kind::PowerPlant, &plan.power_plant) {
        imp.set(Kind::PowerPlant, plant.units_online / rp.v(p.units));
    }
    if rp.on(Kind::TradeRoutes) {
        imp.set(Kind::TradeRoutes, 1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fund_books_balance_through_every_operation() {
        let mut f = Fund::default();
        f.pay_in(100.0);
        f.pay_in(100.0);
        assert_eq!(f.invest(50.0), 50.0);
        f.earn(4.0, 0.5);
        assert_eq!(f.invest(1e9), 152.0);
        f.earn(10.0, 0.5);
        assert!(f.imbalance().abs() < 1e-9, "{f:?}");
        assert_eq!(f.paid_out, 7.0);
        assert_eq!(f.balance, 5.0);
        // A fund never invests money it does not hold.
        assert!(f.balance >= 0.0);
    }

    #[test]
    fn disbursements_sum_to_the_package_for_any_tick() {
        for dt in [1.0, 7.0, 30.0] {
            let mut day = 0.0;
            let mut paid = 0.0;
            while day < 3650.0 {
                let step = f64::min(dt, 3650.0 - day);
                day += step;
                paid += disbursement(60.0, 90.0, 1900.0, day, step);
            }
            assert!((paid - 60.0).abs() < 1e-9, "dt {dt}: {paid}");
        }
        // A package paid at once pays on its day only.
        assert_eq!(disbursement(10.0, 14.0, 14.0, 14.0, 7.0), 10.0);
        assert_eq!(disbursement(10.0, 14.0, 14.0, 21.0, 7.0), 0.0);
    }

    #[test]
    fn units_restart_on_schedule() {
        assert_eq!(units_online(6.0, 365.0, 1825.0, 100.0), 0.0);
        assert_eq!(units_online(6.0, 365.0, 1825.0, 365.0), 1.0);
        assert_eq!(units_online(6.0, 365.0, 1825.0, 365.0 + 292.0), 2.0);
        assert_eq!(units_online(6.0, 365.0, 1825.0, 1825.0), 6.0);
        assert_eq!(units_online(6.0, 365.0, 1825.0, 5000.0), 6.0);
    }
}
#[cfg(test)]
mod systems_tests;
