//! Helpers for unit tests of systems: one run of the shipped 28-point scenario in a World of
//! one slot, driven tick by tick, with its components read and written directly.

use crate::engine::{Engine, Task, Variant};
use crate::scenario::Scenario;
use bevy_ecs::prelude::*;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// The shipped scenario, parsed once.
pub fn plan() -> Arc<Scenario> {
    static PLAN: OnceLock<Arc<Scenario>> = OnceLock::new();
    PLAN.get_or_init(|| {
        Arc::new(
            Scenario::parse(
                Path::new("scenarios/us-28-point.toml"),
                include_str!("../scenarios/us-28-point.toml"),
            )
            .expect("the shipped scenario is valid"),
        )
    })
    .clone()
}

/// One run in a World of its own.
pub struct Sim {
    /// The engine holding the run.
    pub engine: Engine,
    /// The scenario.
    pub scenario: Arc<Scenario>,
}

impl Sim {
    /// A run of the shipped scenario with seed `seed`, after `edit` adjusts the variant (set
    /// parameter values, switch provisions off).
    pub fn new(seed: u64, edit: impl FnOnce(&Scenario, &mut Variant)) -> Sim {
        let scenario = plan();
        let mut v = Variant::of(&scenario);
        edit(&scenario, &mut v);
        let mut engine = Engine::new(scenario.clone(), Arc::new(vec![v]), seed, 1, 0);
        engine.load(&[Task {
            index: 0,
            run: 0,
            variant: 0,
        }]);
        Sim { engine, scenario }
    }

    /// Runs `n` ticks.
    pub fn ticks(&mut self, n: usize) {
        for _ in 0..n {
            self.engine.tick();
        }
    }

    /// The run's root entity.
    pub fn root(&self) -> Entity {
        self.engine.slot(0).root
    }

    /// Side `s` (0 = Russia, 1 = Ukraine in the shipped scenario).
    pub fn side(&self, s: usize) -> Entity {
        self.engine.slot(0).parties[self.scenario.conflict.sides[s] as usize]
    }

    /// The party with this id.
    pub fn party(&self, id: &str) -> Entity {
        let i = self.scenario.party_index(id).expect("known party");
        self.engine.slot(0).parties[i as usize]
    }

    /// A copy of a component.
    pub fn get<T: Component + Clone>(&mut self, e: Entity) -> T {
        self.engine
            .world_mut()
            .get::<T>(e)
            .expect("the entity has the component")
            .clone()
    }

    /// Changes a parameter of the running run from the next tick on, in the file's unit (for
    /// tests that first bring a run into some state and then change the conditions).
    pub fn retune(&mut self, path: &str, value_in_file_unit: f64) {
        let params = &self.scenario.params;
        let id = params
            .find(path)
            .unwrap_or_else(|| panic!("no parameter {path}"));
        let value = params.spec(id).to_canonical(value_in_file_unit);
        let root = self.root();
        self.set::<crate::model::RunParams>(root, |rp| {
            rp.values = rp.values.with(id, value);
        });
        // The sides read their run's parameters through their views: give them the new values.
        let params = self.get::<crate::model::RunParams>(root);
        for s in 0..2 {
            let side = self.side(s);
            self.set::<crate::engine::view::RunView>(side, |v| v.params = params.clone());
        }
        // What provisions do for the whole run was priced when it started: price it again.
        let slot = self.engine.slot(0).clone();
        let seed = self.get::<crate::model::Run>(root).seed;
        let base = crate::provisions::baseline(&crate::model::spawn::Init {
            scenario: &self.scenario,
            params: &params,
            slot: &slot,
            seed,
        });
        self.set::<crate::model::BaseModifiers>(root, |b| b.0 = base.modifiers);
        for s in 0..2 {
            let side = self.side(s);
            self.set::<crate::model::LedgerBase>(side, |l| {
                *l = crate::model::LedgerBase::of(&base, s);
            });
        }
    }

    /// How far each provision has been implemented, as the families record it when a run
    /// ends, computed from the run's current state.
    pub fn implementation(&mut self) -> crate::model::Implementation {
        let slot = self.engine.slot(0).clone();
        let world: &World = self.engine.world_mut();
        let outcome = *world
            .get::<crate::model::Outcome>(slot.root)
            .expect("a run's root");
        crate::provisions::record_run(&crate::provisions::Ended {
            world,
            scenario: &self.scenario,
            slot: &slot,
            params: world
                .get::<crate::model::RunParams>(slot.root)
                .expect("a run's root"),
            outcome,
        })
    }

    /// Makes side `s` choose war for sure at the next tick, which ends the run then (for tests
    /// of what a run records when it ends).
    pub fn force_war(&mut self, s: usize) {
        let id = self.scenario.side_id(s as u8).to_string();
        self.retune(&format!("party.{id}.base-hazard"), 1e9);
        self.retune(&format!("party.{id}.sensitivity"), 0.0);
        self.retune("conflict.max-hazard", 1e9);
    }

    /// The entity of `member`'s membership of the organisation `of`.
    pub fn membership(&self, member: &str, of: &str) -> Entity {
        let (m, o) = (
            self.scenario.party_index(member).expect("known member"),
            self.scenario.party_index(of).expect("known organisation"),
        );
        let i = self
            .scenario
            .memberships
            .iter()
            .position(|x| x.member == m && x.of == o)
            .expect("the scenario has this membership");
        self.engine.slot(0).memberships[i]
    }

    /// Queues a council sanction on `side` taking effect on `day`, as the council does when it
    /// decides one.
    pub fn queue_sanction(&mut self, day: f64, side: u8) {
        let council = self.party("peace-council");
        let mut len = 0;
        self.set::<crate::provisions::monitoring::PendingSanctions>(council, |p| {
            assert!(p.push(day, side));
            len = p.len;
        });
        let root = self.root();
        self.set::<crate::provisions::monitoring::Docket>(root, |d| d.pending = len as u32);
    }

    /// Changes a component in place.
    pub fn set<T: Component<Mutability = bevy_ecs::component::Mutable>>(
        &mut self,
        e: Entity,
        f: impl FnOnce(&mut T),
    ) {
        let mut c = self
            .engine
            .world_mut()
            .get_mut::<T>(e)
            .expect("the entity has the component");
        f(&mut c);
    }
}

/// Sets a parameter of a variant by its path, in the file's unit.
pub fn set(scenario: &Scenario, v: &mut Variant, path: &str, value_in_file_unit: f64) {
    let id = scenario
        .params
        .find(path)
        .unwrap_or_else(|| panic!("no parameter {path}"));
    v.set(
        id,
        scenario.params.spec(id).to_canonical(value_in_file_unit),
    );
}

/// Nothing collapses the run: no escalation, no side chooses war, the withdrawal never stalls.
pub fn quiet(scenario: &Scenario, v: &mut Variant) {
    set(scenario, v, "conflict.escalation-probability", 0.0);
    set(scenario, v, "party.russia.base-hazard", 0.0);
    set(scenario, v, "party.ukraine.base-hazard", 0.0);
    set(scenario, v, "point.28.stall-rate", 0.0);
}

/// A quiet run in which no side causes incidents of any kind, so posture and tension move only
/// by the mechanisms under test and by their steady growth and decay.
pub fn silent(scenario: &Scenario, v: &mut Variant) {
    quiet(scenario, v);
    for side in ["russia", "ukraine"] {
        set(scenario, v, &format!("party.{side}.incident-rate"), 0.0);
        set(scenario, v, &format!("party.{side}.war-incident-rate"), 0.0);
    }
    set(scenario, v, "point.21.zone-incursion-rate", 0.0);
    set(scenario, v, "point.23.interdiction-rate", 0.0);
    set(scenario, v, "point.10.capital-strike-rate", 0.0);
    set(scenario, v, "point.6.hedge-rate", 0.0);
}
