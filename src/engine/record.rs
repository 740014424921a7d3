//! What a finished run leaves behind: its [`RunRecord`] (one row of `runs.csv` plus what the
//! aggregates need) and, for traced runs, its [`TraceRow`]s.

use super::TraceSink;
use crate::conflict::WarClocks;
use crate::model::spawn::SlotEntities;
use crate::model::{
    Capabilities, Cause, Ceasefire, Clock, Commitments, KINDS, Ledger, Modifiers, Outcome, Party,
    Posture, Roster, Run, RunParams, Status, Tally, Tension,
};
use crate::provisions::economy::{Funds, PowerPlantState};
use crate::provisions::guarantee::{Guarantee, Guarantor, VoidCause};
use crate::provisions::kind::Kind;
use crate::provisions::sanctions::SanctionsState;
use crate::provisions::society::SocietyState;
use crate::provisions::territory::Withdrawal;
use bevy_ecs::prelude::*;

/// The result of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    /// Position of its task in the job.
    pub task: u64,
    /// Run index.
    pub run: u64,
    /// Variant (design point).
    pub variant: u32,
    /// Derived seed.
    pub seed: u64,
    /// True when the agreement held to the horizon.
    pub held: bool,
    /// Day of collapse, or the horizon when held.
    pub end_day: f64,
    /// Why it collapsed.
    pub cause: Option<Cause>,
    /// Day the ceasefire took effect.
    pub ceasefire_day: Option<f64>,
    /// Incidents each side caused.
    pub incidents: [u32; 2],
    /// Incidents the monitors detected.
    pub detected: u32,
    /// Detected incidents blamed on the wrong side.
    pub misattributed: u32,
    /// Sanctions imposed by the monitoring body.
    pub sanctions_imposed: u32,
    /// Violations committed, by side and kind.
    pub committed: [[u16; KINDS]; 2],
    /// Violations attributed, by side and kind.
    pub attributed: [[u16; KINDS]; 2],
    /// Day of the first committed violation, by side and kind (negative when none).
    pub first_violation: [[f32; KINDS]; 2],
    /// Implementation by kind, in [0, 1] (NaN when not in force).
    pub implementation: [f32; KINDS],
    /// Personnel of each side at the end.
    pub personnel: [f64; 2],
    /// Trust of each side at the end.
    pub trust: [f64; 2],
    /// Hostility of each side at the end.
    pub hostility: [f64; 2],
    /// Net utility of war for each side at the end (its last ledger).
    pub net_utility: [f64; 2],
    /// Sanctions phases lifted at the end.
    pub sanctions_phases: u32,
    /// Whether the guarantee was still valid.
    pub guarantee_valid: bool,
    /// Day it became void.
    pub guarantee_void_day: Option<f64>,
    /// Why it became void.
    pub guarantee_void_cause: Option<VoidCause>,
    /// Election result: 0 none yet, 1 conciliatory, 2 resentful.
    pub election: u8,
    /// Exchange rounds completed.
    pub exchanges: u32,
    /// Money invested or disbursed by all funds (US$ bn).
    pub invested: f64,
    /// Profits paid out to investors (US$ bn).
    pub paid_out: f64,
    /// Energy produced by the shared plant (TWh).
    pub plant_twh: f64,
    /// Values drawn for the scenario's uncertain parameters, in their order.
    pub drawn: Vec<f64>,
    /// Trace rows, when the run was traced.
    pub trace: Vec<TraceRow>,
}

/// One traced value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TraceRow {
    /// Run index.
    pub run: u64,
    /// Task index.
    pub task: u64,
    /// Tick.
    pub tick: u32,
    /// Day.
    pub day: f64,
    /// Party index, or `None` for the run as a whole.
    pub entity: Option<u8>,
    /// Variable name.
    pub variable: &'static str,
    /// Value.
    pub value: f64,
}

/// Reads a finished run's record from its slot.
pub fn take(world: &mut World, slot: &SlotEntities) -> RunRecord {
    let root = world.entity(slot.root);
    let run = *root.get::<Run>().expect("slot root has Run");
    let outcome = *root.get::<Outcome>().expect("slot root has Outcome");
    let tally = *root.get::<Tally>().expect("slot root has Tally");
    let cf = *root.get::<Ceasefire>().expect("slot root has Ceasefire");
    let model = world.resource::<super::Model>().0.clone();
    let imp = crate::provisions::record_run(&crate::provisions::Ended {
        world,
        scenario: &model,
        slot,
        params: root.get::<RunParams>().expect("slot root has RunParams"),
        outcome,
    });
    let roster = *root.get::<Roster>().expect("slot root has Roster");
    let g = root.get::<Guarantee>().copied().unwrap_or_default();
    let sanctions = root.get::<SanctionsState>().copied().unwrap_or_default();
    let society = root.get::<SocietyState>().copied().unwrap_or_default();
    let plant = root.get::<PowerPlantState>().copied().unwrap_or_default();
    let drawn = {
        let model = &world.resource::<super::Model>().0;
        let rp = root.get::<RunParams>().expect("slot root has RunParams");
        model
            .params
            .uncertain()
            .iter()
            .map(|&id| rp.v(id))
            .collect()
    };
    let mut committed = [[0u16; KINDS]; 2];
    let mut attributed = [[0u16; KINDS]; 2];
    let mut first_violation = [[-1f32; KINDS]; 2];
    let mut personnel = [0.0; 2];
    let mut trust = [0.0; 2];
    let mut hostility = [0.0; 2];
    let mut net_utility = [0.0; 2];
    for s in 0..2 {
        let e = world.entity(roster.sides[s]);
        if let Some(c) = e.get::<Commitments>() {
            committed[s] = c.committed;
            attributed[s] = c.attributed;
            first_violation[s] = c.first_violation;
        }
        if let Some(c) = e.get::<Capabilities>() {
            personnel[s] = c.personnel;
        }
        if let Some(p) = e.get::<Posture>() {
            trust[s] = p.trust;
            hostility[s] = p.hostility;
        }
        if let Some(l) = e.get::<Ledger>() {
            net_utility[s] = l.net();
        }
    }
    let (mut invested, mut paid_out) = (0.0, 0.0);
    if let Some(funds) = world.entity(slot.root).get::<Funds>() {
        for (_, f) in funds.iter() {
            invested += f.invested;
            paid_out += f.paid_out;
        }
    }
    let trace = if run.task < world.resource::<TraceSink>().runs_below {
        let mut sink = world.resource_mut::<TraceSink>();
        let mut mine: Vec<TraceRow> = sink.rows.extract_if(.., |r| r.task == run.task).collect();
        mine.sort_by_key(|r| (r.tick, r.entity.map_or(-1, i32::from)));
        mine
    } else {
        Vec::new()
    };
    RunRecord {
        task: run.task,
        run: run.index,
        variant: run.variant,
        seed: run.seed,
        held: outcome.status == Status::Held,
        end_day: outcome.day,
        cause: outcome.cause,
        ceasefire_day: cf.in_effect.then_some(cf.since),
        incidents: tally.incidents,
        detected: tally.detected,
        misattributed: tally.misattributed,
        sanctions_imposed: tally.sanctions_imposed,
        committed,
        attributed,
        first_violation,
        implementation: imp.0,
        personnel,
        trust,
        hostility,
        net_utility,
        sanctions_phases: sanctions.phases_lifted,
        guarantee_valid: g.valid,
        guarantee_void_day: (!g.valid).then_some(g.void_day),
        guarantee_void_cause: g.void_cause,
        election: society.election,
        exchanges: society.rounds_done,
        invested,
        paid_out,
        plant_twh: plant.produced / 1e6,
        drawn,
        trace,
    }
}

type TraceRuns<'a> = (
    &'a Run,
    &'a Clock,
    &'a Tension,
    &'a Ceasefire,
    &'a Modifiers,
    &'a Withdrawal,
    &'a Guarantee,
    &'a SanctionsState,
    &'a PowerPlantState,
    &'a Funds,
);

type TraceParties<'a> = (
    &'a Party,
    Option<&'a Capabilities>,
    Option<&'a Posture>,
    Option<&'a Ledger>,
    Option<&'a WarClocks>,
    Option<&'a Guarantor>,
);

/// Records the state of traced runs at the end of each tick.
pub fn record_trace(
    mut sink: ResMut<TraceSink>,
    runs: Query<TraceRuns>,
    parties: Query<TraceParties>,
) {
    if sink.runs_below == 0 {
        return;
    }
    for (run, clock, tension, cf, m, w, g, s, plant, funds) in &runs {
        if !run.live || run.task >= sink.runs_below {
            continue;
        }
        let mut push = |entity: Option<u8>, variable: &'static str, value: f64| {
            sink.rows.push(TraceRow {
                run: run.index,
                task: run.task,
                tick: clock.tick,
                day: clock.day,
                entity,
                variable,
                value,
            });
        };
        push(None, "ceasefire", f64::from(u8::from(cf.in_effect)));
        push(None, "tension", tension.0);
        push(None, "withdrawal_0", w.progress[0]);
        push(None, "withdrawal_1", w.progress[1]);
        push(None, "zone", w.zone);
        push(None, "guarantee_valid", f64::from(u8::from(g.valid)));
        push(None, "guarantee_response", g.response);
        push(None, "detection", m.detection);
        push(None, "attribution", m.attribution);
        push(None, "enforcement", m.enforcement);
        push(None, "escalation_mult", m.escalation_mult);
        push(None, "sanctions_phases", f64::from(s.phases_lifted));
        push(None, "plant_units", plant.units_online);
        // The funds' books are kept on the root; their rows belong to the fund parties.
        for (idx, f) in funds.iter() {
            push(Some(idx), "fund_balance", f.balance);
            push(Some(idx), "fund_invested", f.invested);
            push(Some(idx), "fund_paid_out", f.paid_out);
        }
    }
    for (party, caps, posture, ledger, _clocks, guarantor) in &parties {
        let Ok((run, clock, ..)) = runs.get(party.run) else {
            continue;
        };
        if !run.live || run.task >= sink.runs_below {
            continue;
        }
        let e = Some(party.idx);
        let mut push = |variable: &'static str, value: f64| {
            sink.rows.push(TraceRow {
                run: run.index,
                task: run.task,
                tick: clock.tick,
                day: clock.day,
                entity: e,
                variable,
                value,
            });
        };
        if let Some(c) = caps {
            push("personnel", c.personnel);
            push("quality", c.quality);
            push("combat_power", c.combat_power());
        }
        if let Some(p) = posture {
            push("trust", p.trust);
            push("hostility", p.hostility);
            push("weariness", p.weariness);
            push("threat", p.threat);
            push("resolve", p.resolve);
        }
        if let Some(l) = ledger {
            push("p_win", l.p_win);
            push("net_utility", l.net());
            push("gain_territory", l.territory);
            push("gain_threat", l.threat);
            push("cost_war", l.war_cost);
            for k in Kind::ALL {
                let v = l.terms[k as usize];
                if v != 0.0 {
                    push(TERM_NAMES[k as usize], v);
                }
            }
        }
        if let Some(g) = guarantor {
            push("willingness", g.willingness);
        }
    }
}

/// Trace variable names of each kind's ledger term.
pub const TERM_NAMES: [&str; KINDS] = [
    "term_sovereignty",
    "term_non_aggression_pact",
    "term_no_expansion",
    "term_dialogue",
    "term_security_guarantee",
    "term_force_cap",
    "term_alliance_bar",
    "term_no_foreign_troops",
    "term_air_power_nearby",
    "term_guarantee_terms",
    "term_eu_access",
    "term_reconstruction",
    "term_sanctions_relief",
    "term_frozen_assets",
    "term_working_group",
    "term_non_aggression_law",
    "term_arms_control",
    "term_non_nuclear",
    "term_power_plant",
    "term_tolerance",
    "term_territory",
    "term_no_change_by_force",
    "term_trade_routes",
    "term_humanitarian",
    "term_elections",
    "term_amnesty",
    "term_peace_council",
    "term_ceasefire",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_names_follow_the_kind_names() {
        for k in Kind::ALL {
            assert_eq!(
                TERM_NAMES[k as usize],
                format!("term_{}", k.info().name.replace('-', "_"))
            );
        }
    }
}
