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
