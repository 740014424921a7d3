//! The causal core: what makes any agreement between two armed sides hold or break, before
//! any provision acts on it.
//!
//! Each tick, each side prices renewed war in its [`Ledger`]: the territory it still claims,
//! weighted by its resolve and its chance of winning (a contest function of the balance of
//! forces); the pre-emptive pull of the threat it perceives (also weighted by its chance of
//! winning, since a failed first strike removes no threat); and the cost of war, which grows
//! with war-weariness. Provisions then add their own terms (stakes lost, expected responses,
//! audience costs). The net utility sets the side's hazard of choosing war. Beside deliberate
//! war, incidents on the line of contact happen at a rate set by hostility and trust, deterred
//! by the expected chance of punishment; monitors detect and attribute them (sometimes
//! wrongly); the side that suffers an incident may escalate it, the more so under tension.
//! Trust grows in a quiet ceasefire and falls with each attributed violation; hostility,
//! war-weariness and tension decay. The math is in plain functions, unit-tested below.

use crate::engine::Write;
use crate::engine::view::RunView;
use crate::engine::{Model, Step, TickSystems};
use crate::model::spawn::Init;
use crate::model::{
    Attributed, BaseModifiers, Capabilities, Cause, Clock, Commitments, Draws, HazardClock,
    Incident, IncidentKind, Ledger, LedgerBase, Modifiers, Outcome, Party, Posture, Roster, Run,
    RunParams, Side, Stakes, Status, Tally, Tension, Territory, sites,
};
use crate::scenario::{RegionConfig, Scenario, SideConfig};
use bevy_ecs::prelude::*;

/// Registers the core's systems in their phases.
pub fn add_to(schedule: &mut Schedule) {
    schedule.add_systems((
        advance_clocks.in_set(TickSystems::Begin).in_set(ADVANCE),
        assess_war.in_set(TickSystems::Assess).in_set(ASSESS),
        act.in_set(Step::War),
        detect_incidents.in_set(TickSystems::Detect),
        (escalate_incidents, react_to_attributions)
            .chain()
            .in_set(Step::Escalation),
        (adapt_posture, decay_tension)
            .in_set(Step::Posture)
            .in_set(ADAPT),
        close_at_horizon.in_set(TickSystems::Close),
    ));
}

/// Sets of the core's systems that other parts of the tick are ordered against.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CoreSystems {
    /// Clocks advance (first in `Begin`).
    Advance,
    /// War is priced (first in `Assess`, after the views are refreshed).
    Assess,
    /// Postures and tension evolve.
    Adapt,
}

/// Clocks advance.
pub const ADVANCE: CoreSystems = CoreSystems::Advance;
/// War is priced.
pub const ASSESS: CoreSystems = CoreSystems::Assess;
/// Postures evolve.
pub const ADAPT: CoreSystems = CoreSystems::Adapt;

/// The hazard clocks of a side's own decisions.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct WarClocks {
    /// The choice of renewed war.
    pub choice: HazardClock,
    /// Incidents on the line of contact.
    pub incidents: HazardClock,
}

/// The configuration of the side with party index `idx`.
pub fn side_config(scenario: &Scenario, idx: u8) -> &SideConfig {
    scenario.parties[idx as usize]
        .side
        .as_ref()
        .expect("sides are checked to have side parameters when the scenario is read")
}

/// Sets the initial state of the sides and of the territory for a new run.
pub fn init_run(world: &mut World, init: &Init<'_>) {
    let sc = init.scenario;
    let v = init.params;
    for s in 0..2 {
        let cfg = side_config(sc, sc.conflict.sides[s]);
        let personnel = v.v(cfg.personnel);
        world.entity_mut(init.side(s)).insert((
            Side {
                index: s as u8,
                opponent: init.side(1 - s),
            },
            Capabilities {
                personnel,
                quality: v.v(cfg.quality),
                initial_personnel: personnel,
            },
            Posture {
                trust: v.v(cfg.trust),
                weariness: v.v(cfg.weariness),
                hostility: v.v(cfg.hostility),
                resolve: 1.0,
                threat: v.v(cfg.threat),
            },
            Commitments::default(),
            Ledger::default(),
            WarClocks::default(),
            init.draws::<sites::War>(sc.conflict.sides[s]),
            init.draws::<sites::Escalation>(sc.conflict.sides[s]),
        ));
    }
    world
        .entity_mut(init.slot.root)
        .insert(init.run_draws::<sites::Monitoring>());
    let mut territory = Territory::default();
    for (i, r) in sc.regions.iter().enumerate() {
        territory.held[i] = v.v(r.control);
    }
    territory.unmet = [0, 1].map(|s| unmet_claims(&sc.regions, v, &territory, s));
    world.entity_mut(init.slot.root).insert((
        territory,
        Stakes::default(),
        TensionDecay::default(),
    ));
}

// ---------------------------------------------------------------------------------------------
// The math, without a World.

/// Chance that an attacker with combat power `attack` defeats a defender with effective power
/// `defence`: the ratio-form contest success function `a^k / (a^k + d^k)`.
pub fn contest(attack: f64, defence: f64, exponent: f64) -> f64 {
    if attack <= 0.0 {
        return 0.0;
    }
    if defence <= 0.0 {
        return 1.0;
    }
    // Written with the ratio to stay finite for large powers.
    1.0 / (1.0 + pow(defence / attack, exponent))
}

/// `x^e`, with the exponents a contest function commonly uses computed without `powf` (this
/// runs for each side every tick).
#[inline]
pub fn pow(x: f64, e: f64) -> f64 {
    if e == 1.0 {
        x
    } else if e == 2.0 {
        x * x
    } else if e == 1.5 {
        x * x.sqrt()
    } else {
        x.powf(e)
    }
}

/// A side's hazard of choosing war (per day): `base × exp(sensitivity × net)`, at most `max`.
pub fn choice_hazard(base: f64, sensitivity: f64, net: f64, max: f64) -> f64 {
    (base * (sensitivity * net).exp()).min(max)
}

/// The rate of incidents a side causes (per day). `base` is the rate at full hostility and no
/// trust; hostility scales it and trust halves it at most; a share `deliberate` of incidents
/// is deterred in proportion to the chance of being caught and punished.
pub fn incident_rate(
    base: f64,
    hostility: f64,
    trust: f64,
    mult: f64,
    deliberate: f64,
    deterrence: f64,
    p_punish: f64,
) -> f64 {
    base * hostility * (1.0 - 0.5 * trust) * mult * (1.0 - deliberate * deterrence * p_punish)
}

/// Chance that an incident escalates into large-scale war.
pub fn escalation_chance(base: f64, severity: f64, mult: f64, gain: f64, tension: f64) -> f64 {
    (base * severity * mult * (1.0 + gain * tension)).clamp(0.0, 1.0)
}

/// `x` after `dt` days of exponential decay with the given half-life (days).
pub fn decay(x: f64, dt: f64, half_life: f64) -> f64 {
    x * decay_factor(dt, half_life)
}

/// The share of a quantity kept after `dt` days of exponential decay with the given half-life
/// (days); 0 for a half-life of 0.
pub fn decay_factor(dt: f64, half_life: f64) -> f64 {
    if half_life <= 0.0 {
        return 0.0;
    }
    (-std::f64::consts::LN_2 * dt / half_life).exp()
}

/// Percentage points of the contested country's area that side `s` claims but does not hold.
pub fn unmet_claims(
    regions: &[RegionConfig],
    values: &RunParams,
    territory: &Territory,
    s: usize,
) -> f64 {
    regions
        .iter()
        .enumerate()
        .filter(|(_, r)| r.claimed_by[s])
        .map(|(i, r)| {
            let held = if s == 0 {
                territory.held[i]
            } else {
                1.0 - territory.held[i]
            };
            values.v(r.area) * (1.0 - held) * 100.0
        })
        .sum()
}

/// A side that causes incidents of one family's kind: what it is, its view of its run, its
/// posture, the family's hazard clocks `C`, the family's stream `S`, and its violation record.
pub type IncidentSides<'a, C, S> = (
    &'a Side,
    &'a RunView,
    &'a Posture,
    Write<C>,
    Write<Draws<S>>,
    Write<Commitments>,
);

/// Where a side's incidents go: the run's tally and outcome, and the message queue the monitors
/// and escalation read. Families whose sides cause incidents take this as a system parameter.
#[derive(bevy_ecs::system::SystemParam)]
pub struct IncidentLog<'w, 's> {
    runs: Query<'w, 's, (Write<Outcome>, Write<Tally>)>,
    out: MessageWriter<'w, Incident>,
}

impl IncidentLog<'_, '_> {
    /// Counts `n` incidents of `kind` that a side caused and announces them, if its run is
    /// still going (a run that ended earlier in the tick counts nothing more). Families that
    /// generate incidents call this every tick with what their hazard clock returned; most
    /// ticks it is zero, and that check is inlined into the caller.
    #[inline]
    pub fn report(
        &mut self,
        n: u32,
        kind: IncidentKind,
        severity: f64,
        side: &Side,
        view: &RunView,
        commitments: &mut Commitments,
    ) {
        if n > 0 {
            self.record(n, kind, severity, side, view, commitments);
        }
    }

    /// The reporting itself, kept out of line so that the quiet ticks' check stays small in
    /// every caller.
    #[inline(never)]
    fn record(
        &mut self,
        n: u32,
        kind: IncidentKind,
        severity: f64,
        side: &Side,
        view: &RunView,
        commitments: &mut Commitments,
    ) {
        let Ok((outcome, tally)) = self.runs.get_mut(view.run) else {
            return;
        };
        if !outcome.running() {
            return;
        }
        tally.incidents[side.index as usize] += n;
        let violation = kind != IncidentKind::ContactLine || view.ceasefire;
        for _ in 0..n {
            if violation {
                commitments.commit(kind.violates(), view.day);
            }
            self.out
                .write(view.incident(side.index, kind, severity, violation));
        }
    }

    /// Ends the run of `view` at its day for `cause`.
    fn collapse(&mut self, view: &RunView, cause: Cause) {
        if let Ok((outcome, _)) = self.runs.get_mut(view.run) {
            outcome.collapse(view.day, cause);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Systems.

/// What a run's clock and per-tick state need each tick.
type AdvancingRuns<'a> = (
    &'a Run,
    Write<Clock>,
    Write<Modifiers>,
    Write<Stakes>,
    &'a BaseModifiers,
);

fn advance_clocks(mut runs: Query<AdvancingRuns>) {
    for (run, clock, m, stakes, base) in &mut runs {
        if !run.live {
            continue;
        }
        clock.dt = clock.tick_days.min(clock.horizon - clock.day);
        clock.day += clock.dt;
        clock.tick += 1;
        *m = base.0;
        *stakes = Stakes::default();
    }
}

/// What a side's assessment of war reads and writes.
type AssessingSides<'a> = (
    &'a Party,
    &'a Side,
    &'a RunView,
    &'a Capabilities,
    &'a LedgerBase,
    Write<Posture>,
    Write<Ledger>,
);

fn assess_war(model: Res<Model>, mut sides: Query<AssessingSides>) {
    let sc = &model.0;
    let c = &sc.conflict;
    for (party, side, view, own, base, posture, ledger) in &mut sides {
        if !view.live {
            continue;
        }
        let opp = &view.opponent;
        let cfg = side_config(sc, party.idx);
        let (i, j) = (side.index as usize, 1 - side.index as usize);
        let m = &view.m;
        let defence = (opp.combat_power() + m.defence_bonus[j]) * view.v(c.defender_advantage);
        let p_win = contest(own.combat_power(), defence, view.v(c.contest_exponent));
        posture.threat =
            (view.v(cfg.threat) * m.threat_mult[i] * (1.0 - 0.5 * posture.trust)).clamp(0.0, 1.0);
        ledger.reset(
            p_win,
            view.v(cfg.territory_value) * view.claims[i] * posture.resolve * p_win,
            // Striking first removes the threat only if the strike succeeds.
            view.v(c.threat_weight) * posture.threat * p_win,
            view.v(cfg.war_cost) * (1.0 + posture.weariness) / 2.0,
        );
        base.apply(ledger, p_win);
    }
}

type ActingSides<'a> = (
    &'a Party,
    &'a Side,
    &'a RunView,
    &'a Posture,
    &'a Ledger,
    Write<WarClocks>,
    Write<Draws<sites::War>>,
    Write<Commitments>,
);

/// Each side, once per tick: it may choose renewed war (at the hazard its ledger sets), and
/// it causes incidents on the line of contact.
fn act(model: Res<Model>, mut sides: Query<ActingSides>, mut log: IncidentLog) {
    let sc = &model.0;
    let c = &sc.conflict;
    for (party, side, view, posture, ledger, clocks, stream, commitments) in &mut sides {
        if !view.live {
            continue;
        }
        let cfg = side_config(sc, party.idx);
        let h = choice_hazard(
            view.v(cfg.base_hazard),
            view.v(cfg.sensitivity),
            ledger.net(),
            view.v(c.max_hazard),
        );
        if clocks.choice.advance(h, view.dt, stream, 1) > 0 {
            log.collapse(view, Cause::Offensive(side.index));
        }
        let m = &view.m;
        let base = if view.ceasefire {
            view.v(cfg.incident_rate)
        } else {
            view.v(cfg.war_incident_rate)
        };
        let rate = incident_rate(
            base,
            posture.hostility,
            posture.trust,
            m.incident_mult[side.index as usize],
            view.v(c.deliberate_share),
            view.v(c.deterrence),
            m.detection * m.attribution * m.enforcement,
        );
        let n = clocks.incidents.advance(rate, view.dt, stream, 10_000);
        log.report(n, IncidentKind::ContactLine, 1.0, side, view, commitments);
    }
}

type DetectingRuns<'a> = (
    &'a Run,
    &'a Outcome,
    Write<Draws<sites::Monitoring>>,
    Write<Tally>,
);

fn detect_incidents(
    mut reader: MessageReader<Incident>,
    mut runs: Query<DetectingRuns>,
    mut commitments: Query<Write<Commitments>>,
    mut out: MessageWriter<Attributed>,
) {
    for inc in reader.read() {
        if !inc.violation {
            continue;
        }
        let Ok((run, outcome, stream, tally)) = runs.get_mut(inc.run) else {
            continue;
        };
        if !run.live || run.task != inc.task || !outcome.running() || !stream.chance(inc.detection)
        {
            continue;
        }
        tally.detected += 1;
        let blamed = if stream.chance(inc.attribution) {
            inc.by
        } else {
            tally.misattributed += 1;
            1 - inc.by
        };
        if let Ok(c) = commitments.get_mut(inc.sides[blamed as usize]) {
            let k = inc.kind.violates() as usize;
            c.attributed[k] = c.attributed[k].saturating_add(1);
        }
        out.write(Attributed {
            run: inc.run,
            task: inc.task,
            by: inc.by,
            blamed,
            kind: inc.kind,
            day: inc.day,
        });
    }
}

/// What a run's incidents escalate through.
type EscalatingRuns<'a> = (&'a Run, &'a RunParams, Write<Tension>, Write<Outcome>);

fn escalate_incidents(
    model: Res<Model>,
    mut reader: MessageReader<Incident>,
    mut runs: Query<EscalatingRuns>,
    mut streams: Query<Write<Draws<sites::Escalation>>>,
) {
    let c = &model.0.conflict;
    for inc in reader.read() {
        if !inc.kind.violent() {
            continue;
        }
        let Ok((run, rp, tension, outcome)) = runs.get_mut(inc.run) else {
            continue;
        };
        if !run.live || run.task != inc.task || !outcome.running() {
            continue;
        }
        let victim = inc.sides[1 - inc.by as usize];
        let Ok(stream) = streams.get_mut(victim) else {
            continue;
        };
        let p = escalation_chance(
            rp.v(c.escalation_probability),
            inc.severity,
            inc.escalation_mult,
            rp.v(c.tension_escalation_gain),
            tension.0,
        );
        tension.0 += rp.v(c.tension_per_incident) * inc.severity;
        if stream.chance(p) {
            outcome.collapse(inc.day, Cause::Escalation);
        }
    }
}

fn react_to_attributions(
    model: Res<Model>,
    mut reader: MessageReader<Attributed>,
    runs: Query<(&Run, &RunParams, &Roster)>,
    mut postures: Query<Write<Posture>>,
) {
    let c = &model.0.conflict;
    for a in reader.read() {
        let Ok((run, rp, roster)) = runs.get(a.run) else {
            continue;
        };
        if !run.live || run.task != a.task {
            continue;
        }
        let victim = 1 - a.by as usize;
        let Ok(p) = postures.get_mut(roster.sides[victim]) else {
            continue;
        };
        if a.blamed == a.by {
            // The side that suffered the violation sees it confirmed: it trusts less.
            p.trust = (p.trust - rp.v(c.trust_loss_per_violation)).max(0.0);
            p.hostility = (p.hostility + rp.v(c.hostility_per_violation)).min(1.0);
        } else {
            // The side that suffered it is blamed for it: it loses faith in the process and in
            // the other side. The side that committed it knows what it did and is unmoved.
            p.trust = (p.trust - rp.v(c.misattribution_trust_loss)).max(0.0);
            p.hostility = (p.hostility + rp.v(c.hostility_per_violation)).min(1.0);
        }
    }
}

fn adapt_posture(mut sides: Query<(&RunView, Write<Posture>)>) {
    for (view, p) in &mut sides {
        if !view.live {
            continue;
        }
        if view.ceasefire {
            p.trust += (1.0 - p.trust) * view.decays.trust_growth;
        }
        p.weariness *= view.decays.weariness;
        p.hostility *= view.decays.hostility;
    }
}

/// A run's tension and its cached decay.
type DecayingRuns<'a> = (
    &'a Run,
    &'a Clock,
    &'a RunParams,
    &'a Modifiers,
    Write<Tension>,
    Write<TensionDecay>,
);

fn decay_tension(model: Res<Model>, mut runs: Query<DecayingRuns>) {
    let c = &model.0.conflict;
    for (run, clock, rp, m, t, cache) in &mut runs {
        if !run.live || t.0 <= 0.0 {
            continue;
        }
        let key = clock.dt * m.tension_decay_mult;
        if cache.key != key {
            *cache = TensionDecay {
                key,
                factor: decay_factor(key, rp.v(c.tension_half_life)),
            };
        }
        t.0 *= cache.factor;
    }
}

/// The share of tension kept over a tick, cached with the (scaled) tick length it is for, so
/// that `exp` is evaluated only when the tick length changes.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct TensionDecay {
    key: f64,
    factor: f64,
}

fn close_at_horizon(mut runs: Query<(&Run, &Clock, Write<Outcome>)>) {
    for (run, clock, outcome) in &mut runs {
        if run.live && outcome.status == Status::Running && clock.day >= clock.horizon - 1e-9 {
            outcome.status = Status::Held;
            outcome.day = clock.horizon;
        }
    }
}

#[cfg(test)]
mod tests;
