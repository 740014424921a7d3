//! Spawning a run slot's entities once, and resetting them in place for each new run.
//!
//! A slot is spawned once per World: a root entity, one entity per party, one per membership
//! (related to its organisation by [`MemberOf`]). Starting a run overwrites every component
//! with the run's initial state: values are replaced in place, so no archetype changes and no
//! entity is spawned or despawned after the first run. Each family of provisions initialises
//! its own components through `crate::provisions::init_run`.

use super::rng::{self, Draws, Site, Stream, streams};
use super::{
    Ceasefire, Clock, MAX_PARTIES, Modifiers, Outcome, ParamValues, Party, Roster, Run, RunParams,
    Tally, Tension,
};
use crate::engine::{Task, Variant};
use crate::scenario::{MembershipStatus, Scenario};
use bevy_ecs::prelude::*;

/// A party's membership of an organisation, as its own entity. Its organisation lists it in
/// [`Members`]; its member is [`Membership::member`].
#[derive(Component, Debug, Clone, Copy)]
pub struct Membership {
    /// The member party's entity.
    pub member: Entity,
    /// Standing of the member.
    pub status: MembershipStatus,
}

/// Relates a membership to the organisation it is of.
#[derive(Component, Debug)]
#[relationship(relationship_target = Members)]
pub struct MemberOf(pub Entity);

/// The memberships of an organisation.
#[derive(Component, Debug, Default)]
#[relationship_target(relationship = MemberOf)]
pub struct Members(Vec<Entity>);

impl Members {
    /// The membership entities.
    pub fn iter(&self) -> impl Iterator<Item = Entity> + '_ {
        self.0.iter().copied()
    }
}

/// The entities of one run slot.
#[derive(Debug, Clone)]
pub struct SlotEntities {
    /// The run's root entity.
    pub root: Entity,
    /// One entity per party, by index.
    pub parties: Vec<Entity>,
    /// One entity per membership, in scenario order.
    pub memberships: Vec<Entity>,
}

/// Everything a family needs to initialise its components for a new run.
pub struct Init<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// The run's parameter values and provisions in force.
    pub params: &'a RunParams,
    /// The slot's entities.
    pub slot: &'a SlotEntities,
    /// The run's seed.
    pub seed: u64,
}

impl Init<'_> {
    /// The entity of party `idx`.
    pub fn party(&self, idx: u8) -> Entity {
        self.slot.parties[idx as usize]
    }

    /// The entity of side `s` (0 or 1).
    pub fn side(&self, s: usize) -> Entity {
        self.party(self.scenario.conflict.sides[s])
    }

    /// Party `idx`'s fresh stream for decisions of site `S`.
    pub fn draws<S: Site>(&self, idx: u8) -> Draws<S> {
        Draws::new(self.seed, idx)
    }

    /// The run's own fresh stream for decisions of site `S`.
    pub fn run_draws<S: Site>(&self) -> Draws<S> {
        Draws::new(self.seed, streams::RUN)
    }
}

/// Spawns the entities of one slot (idle until a run is started in it).
pub fn spawn_slot(world: &mut World, scenario: &Scenario, slot: u32) -> SlotEntities {
    let root = world
        .spawn(Run {
            slot,
            task: 0,
            index: 0,
            seed: 0,
            variant: 0,
            live: false,
        })
        .id();
    let parties: Vec<Entity> = (0..scenario.parties.len())
        .map(|i| {
            world
                .spawn(Party {
                    idx: i as u8,
                    run: root,
                })
                .id()
        })
        .collect();
    let memberships = scenario
        .memberships
        .iter()
        .map(|m| {
            world
                .spawn((
                    Membership {
                        member: parties[m.member as usize],
                        status: m.status,
                    },
                    MemberOf(parties[m.of as usize]),
                ))
                .id()
        })
        .collect();
    let mut roster = Roster {
        parties: [root; MAX_PARTIES],
        sides: [
            parties[scenario.conflict.sides[0] as usize],
            parties[scenario.conflict.sides[1] as usize],
        ],
    };
    roster.parties[..parties.len()].copy_from_slice(&parties);
    world.entity_mut(root).insert(roster);
    SlotEntities {
        root,
        parties,
        memberships,
    }
}

/// Resets a slot's entities to the initial state of `task` and marks it live. `values` are
/// the variant's parameter values, shared by its runs unless the run draws uncertain ones
/// (then `scratch` holds the draws).
pub fn start_run(
    world: &mut World,
    slot: &SlotEntities,
    variant: &Variant,
    values: &ParamValues,
    task: Task,
    seed: u64,
    scratch: &mut Vec<f64>,
) {
    let scenario = world.resource::<crate::engine::Model>().0.clone();
    let values = if variant.uncertain.is_empty() {
        values.clone()
    } else {
        scratch.clone_from(&variant.values);
        let mut draw = Stream(rng::stream(seed, streams::PARAMETERS));
        for &id in &variant.uncertain {
            if let Some(dist) = &scenario.params.spec(id).dist {
                scratch[id.0 as usize] = dist.sample(&mut draw.0);
            }
        }
        ParamValues::new(scratch)
    };
    let params = RunParams {
        values,
        enabled: variant.enabled,
    };
    let slot_index = world.get::<Run>(slot.root).map_or(0, |r| r.slot);
    let tick_days = params.v(scenario.time.tick);
    let horizon = params.v(scenario.time.horizon);
    world.entity_mut(slot.root).insert((
        Run {
            slot: slot_index,
            task: task.index,
            index: task.run,
            seed,
            variant: task.variant,
            live: true,
        },
        Clock {
            day: 0.0,
            dt: 0.0,
            tick_days,
            horizon,
            tick: 0,
        },
        Outcome::default(),
        Tension::default(),
        Ceasefire {
            in_effect: false,
            since: -1.0,
        },
        Modifiers::default(),
        Tally::default(),
        params.clone(),
    ));
    for (m, &e) in scenario.memberships.iter().zip(&slot.memberships) {
        if let Some(mut ms) = world.get_mut::<Membership>(e) {
            ms.status = m.status;
        }
    }
    let init = Init {
        scenario: &scenario,
        params: &params,
        slot,
        seed,
    };
    crate::conflict::init_run(world, &init);
    crate::provisions::init_run(world, &init);
    for s in 0..2 {
        world
            .entity_mut(init.side(s))
            .insert(crate::engine::view::RunView::new(
                slot.root,
                [init.side(0), init.side(1)],
                slot_index,
                task.index,
                params.clone(),
            ));
    }
}

/// Marks a slot idle: systems skip it until a run is started in it again.
pub fn idle(world: &mut World, slot: &SlotEntities) {
    if let Some(mut run) = world.get_mut::<Run>(slot.root) {
        run.live = false;
    }
}
