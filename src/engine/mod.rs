//! The tick schedule and the engine that runs batches of runs in one World.
//!
//! A tick reads as one ordered list of named phases ([`TickSystems`]); every system of the
//! causal core and of each family of provisions is placed in one of them. The [`Engine`] owns
//! a World holding a fixed number of run slots and a Schedule built once for it. Runs flow
//! through the slots continuously: when a run ends, its record is taken and the slot is reset,
//! in place, for the next task, so every system call iterates a whole batch and no entity is
//! ever spawned or despawned in the hot loop. The engine knows nothing of threads or files.

mod record;
pub mod view;
mod write;

pub use record::{RunRecord, TraceRow};
pub use write::Write;

use crate::model::spawn::{self, SlotEntities};
use crate::model::{Attributed, Incident, Outcome, ParamValues, Run, SanctionImposed, Status};
use crate::provisions::kind::KindSet;
use crate::scenario::{ParamId, Scenario};
use bevy_ecs::message::Messages;
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::SingleThreadedExecutor;
use std::sync::Arc;

/// The phases of a tick, run in this order.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TickSystems {
    /// Clocks advance; per-tick state is reset.
    Begin,
    /// Scheduled implementation: the line and the ceasefire's start, sanctions falling due and
    /// their relief, fund flows, the power plant, accession, exchanges, elections. These set
    /// this tick's modifiers (on top of the run's constant ones, restored in `Begin`) and
    /// stakes.
    Implement,
    /// The causal core prices war for each side: balance of forces, claims, threat, war cost.
    Assess,
    /// Provisions add their terms to each side's ledger: stakes, audience costs, expected
    /// responses.
    Price,
    /// Sides act: incidents, violations, the choice of war.
    Act,
    /// Monitors detect and attribute what happened.
    Detect,
    /// Escalation, enforcement, voiding of guarantees.
    Respond,
    /// Trust, hostility, weariness and tension evolve.
    Adapt,
    /// Runs that reach the horizon end; traces are recorded.
    Close,
}

/// Steps within a phase, for the systems of different families that touch the same data:
/// which writes first decides which cause a collapse is given, in which order incidents reach
/// the monitors, which state another system reads. Every such pair is ordered here, in code,
/// rather than left to the schedule's tie-breaking, so results do not change when a system is
/// added or removed elsewhere (`schedule_has_no_ambiguous_pairs` holds this true).
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// Implement: the line of contact, the withdrawal's deadline, the ceasefire's start.
    Line,
    /// Implement: sanctions for violations fall due.
    DueSanctions,
    /// Implement: the funds, the plant, accession.
    Economy,
    /// Implement: sanctions rolled back and relief reviewed.
    Relief,
    /// Implement: the guarantors' elections.
    Elections,
    /// Implement: exchanges and the election.
    Society,
    /// Price: the grievances of the military provisions.
    Grievances,
    /// Price: the guarantee and the stakes an attack would forfeit.
    Guarantee,
    /// Act: each side's choice of war and its incidents on the line.
    War,
    /// Act: forces move; hedging above the cap.
    Forces,
    /// Act: incursions into the demilitarised zone.
    Zone,
    /// Act: incidents against the shared economy.
    EconomicIncidents,
    /// Act: strikes on the capital.
    Capital,
    /// Respond: incidents escalate or not; attributions change posture.
    Escalation,
    /// Respond: the council decides sanctions.
    Enforcement,
    /// Adapt: withdrawal proceeds.
    Withdrawal,
    /// Adapt: trust, hostility, weariness and tension evolve.
    Posture,
}

/// The scenario every system reads its configuration from.
#[derive(Resource, Clone)]
pub struct Model(pub Arc<Scenario>);

/// Runs that should record a trace, and the rows recorded this tick.
#[derive(Resource, Default)]
pub struct TraceSink {
    /// Trace runs whose index is below this.
    pub runs_below: u64,
    /// Rows recorded, drained by the engine when a traced run ends.
    pub rows: Vec<TraceRow>,
}

/// Builds the tick schedule: the phases in order, and every system in its phase.
pub fn build_schedule() -> Schedule {
    let mut schedule = Schedule::default();
    schedule.set_executor(SingleThreadedExecutor::new());
    schedule.configure_sets(
        (
            TickSystems::Begin,
            TickSystems::Implement,
            TickSystems::Assess,
            TickSystems::Price,
            TickSystems::Act,
            TickSystems::Detect,
            TickSystems::Respond,
            TickSystems::Adapt,
            TickSystems::Close,
        )
            .chain(),
    );
    schedule.configure_sets((
        (
            Step::Line,
            Step::DueSanctions,
            Step::Economy,
            Step::Relief,
            Step::Elections,
            Step::Society,
        )
            .chain()
            .in_set(TickSystems::Implement),
        (Step::Grievances, Step::Guarantee)
            .chain()
            .in_set(TickSystems::Price),
        (
            Step::War,
            Step::Forces,
            Step::Zone,
            Step::EconomicIncidents,
            Step::Capital,
        )
            .chain()
            .in_set(TickSystems::Act),
        (Step::Escalation, Step::Enforcement)
            .chain()
            .in_set(TickSystems::Respond),
        (Step::Withdrawal, Step::Posture)
            .chain()
            .in_set(TickSystems::Adapt),
    ));
    crate::conflict::add_to(&mut schedule);
    view::add_to(&mut schedule);
    crate::provisions::add_to(&mut schedule);
    schedule.add_systems((
        record::record_trace.in_set(TickSystems::Close),
        update_messages.after(TickSystems::Close),
    ));
    schedule
}

/// Without an App, buffered messages must be rotated by hand once per tick.
fn update_messages(
    mut incidents: ResMut<Messages<Incident>>,
    mut attributed: ResMut<Messages<Attributed>>,
    mut sanctions: ResMut<Messages<SanctionImposed>>,
) {
    incidents.update();
    attributed.update();
    sanctions.update();
}

/// A variant of a scenario: parameter values and the provisions in force. A plain run has one
/// variant; a sweep has one per design point; an ablation one per disabled provision.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Parameter values (canonical units), indexed by [`ParamId`].
    pub values: Vec<f64>,
    /// Parameters each run draws from their distribution.
    pub uncertain: Vec<ParamId>,
    /// Provisions in force.
    pub enabled: KindSet,
}

impl Variant {
    /// The scenario as written: default values, every provision in force.
    pub fn of(scenario: &Scenario) -> Variant {
        Variant {
            values: scenario.params.defaults(),
            uncertain: scenario.params.uncertain(),
            enabled: scenario.kinds(),
        }
    }

    /// Fixes a parameter at `value` (canonical units) in every run of the variant; a
    /// parameter given as a distribution stops being drawn.
    pub fn set(&mut self, id: ParamId, value: f64) {
        self.values[id.0 as usize] = value;
        self.uncertain.retain(|&u| u != id);
    }
}

/// One run to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Task {
    /// Position of the task in its job (orders the output).
    pub index: u64,
    /// Run index: with the master seed it decides the run's seed. Runs of different variants
    /// with the same run index share their random numbers.
    pub run: u64,
    /// Which variant.
    pub variant: u32,
}

/// A World with `batch` run slots and its schedule.
pub struct Engine {
    world: World,
    schedule: Schedule,
    slots: Vec<SlotEntities>,
    scratch: Vec<f64>,
    /// Each variant's parameter values, shared by its runs.
    values: Vec<ParamValues>,
    roots: QueryState<(&'static Run, &'static Outcome)>,
    /// Slots with no live run, in the order they are filled (last first).
    idle: Vec<usize>,
    /// Slots whose run ended in the last tick (reused buffer).
    ended: Vec<usize>,
    variants: Arc<Vec<Variant>>,
    master_seed: u64,
}

impl Engine {
    /// Builds a World with `batch` slots for runs of `scenario`'s `variants`.
    pub fn new(
        scenario: Arc<Scenario>,
        variants: Arc<Vec<Variant>>,
        master_seed: u64,
        batch: usize,
        trace_runs: u64,
    ) -> Engine {
        let mut world = World::new();
        world.insert_resource(Model(scenario.clone()));
        world.insert_resource(TraceSink {
            runs_below: trace_runs,
            rows: Vec::new(),
        });
        world.init_resource::<Messages<Incident>>();
        world.init_resource::<Messages<Attributed>>();
        world.init_resource::<Messages<SanctionImposed>>();
        let slots: Vec<SlotEntities> = (0..batch.max(1))
            .map(|i| spawn::spawn_slot(&mut world, &scenario, i as u32))
            .collect();
        let idle = (0..slots.len()).rev().collect();
        let roots = world.query::<(&Run, &Outcome)>();
        Engine {
            world,
            schedule: build_schedule(),
            slots,
            scratch: Vec::new(),
            values: variants
                .iter()
                .map(|v| ParamValues::new(&v.values))
                .collect(),
            roots,
            idle,
            ended: Vec::new(),
            variants,
            master_seed,
        }
    }

    /// Simulates every task, filling free slots as runs end, and hands each finished run's
    /// record to `emit` (in order of completion, not of task index).
    pub fn run_tasks(
        &mut self,
        tasks: impl IntoIterator<Item = Task>,
        mut emit: impl FnMut(RunRecord),
    ) {
        let mut tasks = tasks.into_iter();
        while self.fill(&mut || tasks.next()) > 0 {
            self.tick();
            self.harvest(&mut emit);
        }
    }

    /// Starts a task from `next` in idle slots, until `next` returns `None`; returns the
    /// number of live slots.
    pub fn fill(&mut self, next: &mut dyn FnMut() -> Option<Task>) -> usize {
        while let Some(&slot) = self.idle.last() {
            let Some(task) = next() else {
                break;
            };
            self.idle.pop();
            self.start(slot, task);
        }
        self.slots.len() - self.idle.len()
    }

    /// Takes the records of the runs that ended in the last tick and marks their slots idle.
    pub fn harvest(&mut self, emit: &mut dyn FnMut(RunRecord)) {
        self.ended.clear();
        for (run, outcome) in self.roots.iter(&self.world) {
            if run.live && outcome.status != Status::Running {
                self.ended.push(run.slot as usize);
            }
        }
        // Slots in ascending order, so records leave in the same order for any batch layout.
        self.ended.sort_unstable();
        for i in 0..self.ended.len() {
            let slot = self.ended[i];
            emit(record::take(&mut self.world, &self.slots[slot]));
            spawn::idle(&mut self.world, &self.slots[slot]);
            self.idle.push(slot);
        }
    }

    fn start(&mut self, slot: usize, task: Task) {
        let variant = &self.variants[task.variant as usize];
        let seed = crate::model::rng::run_seed(self.master_seed, task.run);
        spawn::start_run(
            &mut self.world,
            &self.slots[slot],
            variant,
            &self.values[task.variant as usize],
            task,
            seed,
            &mut self.scratch,
        );
    }

    /// The entities of slot `i`.
    pub fn slot(&self, i: usize) -> &SlotEntities {
        &self.slots[i]
    }

    /// The World, for tests and benchmarks that inspect state.
    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }

    /// Runs one tick of every live slot (for benchmarks of the tick itself).
    pub fn tick(&mut self) {
        self.schedule.run(&mut self.world);
    }

    /// Starts the given tasks in idle slots without running them (for benchmarks and tests
    /// that drive ticks by hand).
    pub fn load(&mut self, tasks: &[Task]) {
        let mut it = tasks.iter().copied();
        self.fill(&mut || it.next());
    }
}

/// Simulates one run of one variant and returns its record: the reference implementation
/// that batched runs must match.
pub fn run_one(
    scenario: Arc<Scenario>,
    variant: Variant,
    master_seed: u64,
    run: u64,
    trace: bool,
) -> RunRecord {
    let mut engine = Engine::new(
        scenario,
        Arc::new(vec![variant]),
        master_seed,
        1,
        if trace { run + 1 } else { 0 },
    );
    let mut out = None;
    engine.run_tasks(
        [Task {
            index: 0,
            run,
            variant: 0,
        }],
        |r| out = Some(r),
    );
    out.expect("a started run always ends by its horizon")
}

#[cfg(test)]
mod tick_tests;

#[cfg(test)]
mod schedule_tests {
    use super::build_schedule;
    use bevy_ecs::prelude::*;
    use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings};

    #[test]
    fn schedule_has_no_ambiguous_pairs() {
        // Two systems that touch the same data with no order between them run in whatever
        // order the schedule's tie-breaking picks, and that order changes when any system is
        // added or removed. Every such pair must be ordered (see `Step`). To see the systems'
        // names: `cargo run --example schedule_ambiguities --features bevy_ecs/debug`.
        let mut world = World::new();
        let mut schedule = build_schedule();
        schedule.set_build_settings(ScheduleBuildSettings {
            ambiguity_detection: LogLevel::Error,
            ..Default::default()
        });
        if let Err(e) = schedule.initialize(&mut world) {
            panic!("{}", e.to_string(schedule.graph(), &world));
        }
    }
}
