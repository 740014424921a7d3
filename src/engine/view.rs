//! Each armed side's view of its run, kept on the side's own entity.
//!
//! Most systems iterate the sides and need a few facts about the side's run: whether it is
//! still running, the day and the tick length, whether the ceasefire holds, the run's
//! parameter values and this tick's modifiers. Looking the run's root entity up in every such
//! system costs more than the systems' own work, so the engine copies those facts into a
//! [`RunView`] on each side once per tick, at the start of `Assess`, when this tick's
//! modifiers are complete; systems that iterate the sides therefore run from `Assess` on
//! (forces move in `Act`, the withdrawal proceeds in `Adapt`). A run that ends during a tick
//! finishes that tick's remaining side systems: its recorded state is the state at the end of
//! the tick in which it ended. Systems read the view on the hot path and look the run up only when
//! something happens (an incident, a decision), to write run-wide state. This is the only
//! place where the copies are made; nothing else writes a view.

use super::TickSystems;
use super::Write;
use crate::conflict::decay_factor;
use crate::model::{
    Capabilities, Ceasefire, Clock, Incident, IncidentKind, Modifiers, Outcome, Run, RunParams,
    Side, Tension, Territory,
};
use crate::provisions::kind::Kind;
use crate::scenario::ParamId;
use bevy_ecs::prelude::*;

/// A side's copy of the facts about its run that its systems read every tick.
#[derive(Component, Debug, Clone)]
pub struct RunView {
    /// The run's root entity.
    pub run: Entity,
    /// The run's two sides' entities.
    pub sides: [Entity; 2],
    /// The World slot the run occupies.
    pub slot: u32,
    /// The run's task.
    pub task: u64,
    /// True while the run is live and has not ended.
    pub live: bool,
    /// Day at the end of the current tick.
    pub day: f64,
    /// Length of the current tick (days).
    pub dt: f64,
    /// Whether the ceasefire is in effect.
    pub ceasefire: bool,
    /// Tension at the last refresh.
    pub tension: f64,
    /// Unmet territorial claims of each side (percentage points), as of the last refresh.
    pub claims: [f64; 2],
    /// The other side's capabilities as of the last refresh (forces move later, in `Act`).
    pub opponent: Capabilities,
    /// The run's parameters and provisions in force (shared by both sides).
    pub params: RunParams,
    /// This tick's modifiers (complete from the refresh before `Assess` on).
    pub m: Modifiers,
    /// Decay factors for this tick, recomputed only when the tick length changes.
    pub decays: Decays,
}

impl RunView {
    /// The value of a parameter in this run.
    #[inline]
    pub fn v(&self, id: ParamId) -> f64 {
        self.params.v(id)
    }

    /// True when a kind is in force in this run.
    #[inline]
    pub fn on(&self, kind: Kind) -> bool {
        self.params.on(kind)
    }

    /// A provision's configuration when it is in force in this run.
    #[inline]
    pub fn active<'a, T>(&self, kind: Kind, config: &'a Option<T>) -> Option<&'a T> {
        self.params.active(kind, config)
    }

    /// An incident that side `by` causes in this tick of the run (see [`Incident`]).
    pub fn incident(&self, by: u8, kind: IncidentKind, severity: f64, violation: bool) -> Incident {
        Incident {
            run: self.run,
            task: self.task,
            sides: self.sides,
            day: self.day,
            detection: self.m.detection,
            attribution: self.m.attribution,
            escalation_mult: self.m.escalation_mult,
            by,
            kind,
            severity,
            violation,
        }
    }

    /// A fresh view of a run about to start.
    pub fn new(
        run: Entity,
        sides: [Entity; 2],
        slot: u32,
        task: u64,
        params: RunParams,
    ) -> RunView {
        RunView {
            run,
            sides,
            slot,
            task,
            live: true,
            day: 0.0,
            dt: 0.0,
            ceasefire: false,
            tension: 0.0,
            claims: [0.0; 2],
            opponent: Capabilities::default(),
            params,
            m: Modifiers::default(),
            decays: Decays::default(),
        }
    }
}

/// Per-tick factors of exponential processes, which depend only on the tick length and
/// constant parameters, cached so that `exp` is not evaluated every tick.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Decays {
    /// The tick length (and hostility decay multiplier) these factors are for.
    pub key: (f64, f64),
    /// War-weariness kept over one tick.
    pub weariness: f64,
    /// Hostility kept over one tick.
    pub hostility: f64,
    /// Share of the trust gap closed over one tick of quiet ceasefire.
    pub trust_growth: f64,
}

/// Registers the refresh at its fixed point: first in `Assess`.
pub fn add_to(schedule: &mut Schedule) {
    schedule.add_systems(
        refresh_views
            .in_set(TickSystems::Assess)
            .before(crate::conflict::ASSESS),
    );
}

type ViewSource<'a> = (
    &'a Run,
    &'a Clock,
    &'a Outcome,
    &'a Ceasefire,
    &'a Modifiers,
    &'a Tension,
    &'a Territory,
);

/// What both sides of a run see, gathered by slot.
#[derive(Debug, Clone, Copy, Default)]
struct Facts {
    running: bool,
    day: f64,
    dt: f64,
    ceasefire: bool,
    tension: f64,
    claims: [f64; 2],
    m: Modifiers,
    caps: [Capabilities; 2],
}

/// Copies the run's facts, with this tick's modifiers, into each side's view. The facts are
/// gathered by slot in two sequential passes (over the runs, then over the sides for their
/// capabilities) and handed out in a third, so that no entity is looked up.
fn refresh_views(
    model: Res<super::Model>,
    runs: Query<ViewSource>,
    mut sides: Query<(&Side, &Capabilities, Write<RunView>)>,
    mut facts: Local<Vec<Facts>>,
) {
    let c = &model.0.conflict;
    for (run, clock, outcome, cf, m, tension, territory) in &runs {
        let slot = run.slot as usize;
        if facts.len() <= slot {
            facts.resize(slot + 1, Facts::default());
        }
        let f = &mut facts[slot];
        // An idle slot's sides stop too (their run ended in an earlier tick).
        f.running = run.live && outcome.running();
        if !f.running {
            continue;
        }
        f.day = clock.day;
        f.dt = clock.dt;
        f.ceasefire = cf.in_effect;
        f.tension = tension.0;
        f.claims = territory.unmet;
        f.m = *m;
    }
    for (side, caps, view) in &sides {
        if view.live
            && let Some(f) = facts.get_mut(view.slot as usize)
        {
            f.caps[side.index as usize] = *caps;
        }
    }
    for (side, _, v) in &mut sides {
        if !v.live {
            continue;
        }
        let Some(f) = facts.get(v.slot as usize) else {
            continue;
        };
        v.live = f.running;
        if !v.live {
            continue;
        }
        v.day = f.day;
        v.dt = f.dt;
        v.ceasefire = f.ceasefire;
        v.tension = f.tension;
        v.claims = f.claims;
        v.m = f.m;
        v.opponent = f.caps[1 - side.index as usize];
        let dt = v.dt;
        let key = (dt, f.m.hostility_decay_mult);
        if v.decays.key != key {
            let p = &v.params;
            v.decays = Decays {
                key,
                weariness: decay_factor(dt, p.v(c.weariness_half_life)),
                hostility: decay_factor(dt * f.m.hostility_decay_mult, p.v(c.hostility_half_life)),
                trust_growth: -(-p.v(c.trust_growth) * dt).exp_m1(),
            };
        }
    }
}
