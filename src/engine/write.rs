//! [`Write<T>`]: mutable access to a component in a query, without change detection.
//!
//! A query for `&mut T` hands out `Mut<T>`, which records every write: each dereference for
//! writing stores the system's tick into the component's change-tick column (and checks for a
//! table-wide summary tick). The model never asks what changed (no `Changed<T>` filter, no
//! `is_changed`), and at a few writes per component per run per tick those stores took about
//! a tenth of the time (30,000 runs on one thread: 3.43 s with `&mut T` in the systems' queries,
//! 3.11 s with `Write<T>`, medians of five alternating runs; BENCHMARKS.md has the rest).
//! `Write<T>` gives the same access as `&mut T` (the schedule sees
//! a write of `T`, and a conflicting access in the same query panics as it does for `&mut T`)
//! but its item is a plain `&mut T`: the writes are not recorded, so change ticks of `T` stay
//! at the tick the component was inserted. Systems on the hot path use it; a system that
//! needs change detection would use `&mut T`.

use bevy_ecs::archetype::Archetype;
use bevy_ecs::change_detection::{DetectChangesMut, Tick};
use bevy_ecs::component::{Component, ComponentId, Components, Mutable};
use bevy_ecs::prelude::{Entity, World};
use bevy_ecs::query::{
    ArchetypeQueryData, EcsAccessLevel, EcsAccessType, FilteredAccess, FilteredAccessSet,
    IterQueryData, QueryData, ReleaseStateQueryData, SingleEntityQueryData, WorldQuery,
};
use bevy_ecs::storage::{Table, TableRow};
use bevy_ecs::world::unsafe_world_cell::UnsafeWorldCell;
use std::marker::PhantomData;

/// In a query, mutable access to `T` that is not recorded by change detection; the item is
/// `&mut T`. See the [module documentation](self).
pub struct Write<T>(PhantomData<T>);

/// The query data `Write<T>` forwards to.
type Inner<T> = &'static mut T;

// SAFETY: every method forwards to `&mut T`'s, so `Write<T>` declares, matches and fetches
// exactly what `&mut T` does: write access to the single component `T`, registered in
// `update_component_access` (which panics on a conflicting access in the same query, as
// `&mut T`'s does).
unsafe impl<T: Component> WorldQuery for Write<T> {
    type Fetch<'w> = <Inner<T> as WorldQuery>::Fetch<'w>;
    type State = <Inner<T> as WorldQuery>::State;

    fn shrink_fetch<'wlong: 'wshort, 'wshort>(fetch: Self::Fetch<'wlong>) -> Self::Fetch<'wshort> {
        <Inner<T> as WorldQuery>::shrink_fetch(fetch)
    }

    #[inline]
    unsafe fn init_fetch<'w>(
        world: UnsafeWorldCell<'w>,
        state: &Self::State,
        last_run: Tick,
        this_run: Tick,
    ) -> Self::Fetch<'w> {
        // SAFETY: forwarded; the caller's guarantees are those of `&mut T`.
        unsafe { <Inner<T> as WorldQuery>::init_fetch(world, state, last_run, this_run) }
    }

    const IS_DENSE: bool = <Inner<T> as WorldQuery>::IS_DENSE;

    #[inline]
    unsafe fn set_archetype<'w>(
        fetch: &mut Self::Fetch<'w>,
        state: &Self::State,
        archetype: &'w Archetype,
        table: &'w Table,
    ) {
        // SAFETY: forwarded.
        unsafe { <Inner<T> as WorldQuery>::set_archetype(fetch, state, archetype, table) }
    }

    #[inline]
    unsafe fn set_table<'w>(fetch: &mut Self::Fetch<'w>, state: &Self::State, table: &'w Table) {
        // SAFETY: forwarded.
        unsafe { <Inner<T> as WorldQuery>::set_table(fetch, state, table) }
    }

    fn update_component_access(state: &Self::State, access: &mut FilteredAccess) {
        <Inner<T> as WorldQuery>::update_component_access(state, access)
    }

    fn init_nested_access(
        state: &Self::State,
        system_name: Option<&str>,
        component_access_set: &mut FilteredAccessSet,
        world: UnsafeWorldCell,
    ) {
        <Inner<T> as WorldQuery>::init_nested_access(
            state,
            system_name,
            component_access_set,
            world,
        )
    }

    fn init_state(world: &mut World) -> Self::State {
        <Inner<T> as WorldQuery>::init_state(world)
    }

    fn get_state(components: &Components) -> Option<Self::State> {
        <Inner<T> as WorldQuery>::get_state(components)
    }

    fn matches_component_set(
        state: &Self::State,
        set_contains_id: &impl Fn(ComponentId) -> bool,
    ) -> bool {
        <Inner<T> as WorldQuery>::matches_component_set(state, set_contains_id)
    }

    fn update_archetypes(state: &mut Self::State, world: UnsafeWorldCell) {
        <Inner<T> as WorldQuery>::update_archetypes(state, world)
    }
}

// SAFETY: the access is `&mut T`'s (see the `WorldQuery` impl); the read-only form is `&T`,
// whose access is a subset of it.
unsafe impl<T: Component<Mutability = Mutable>> QueryData for Write<T> {
    const IS_READ_ONLY: bool = false;
    const IS_ARCHETYPAL: bool = <Inner<T> as QueryData>::IS_ARCHETYPAL;
    type ReadOnly = &'static T;
    type Item<'w, 's> = &'w mut T;

    fn shrink<'wlong: 'wshort, 'wshort, 's>(
        item: Self::Item<'wlong, 's>,
    ) -> Self::Item<'wshort, 's> {
        item
    }

    #[inline(always)]
    unsafe fn fetch<'w, 's>(
        state: &'s Self::State,
        fetch: &mut Self::Fetch<'w>,
        entity: Entity,
        table_row: TableRow,
    ) -> Option<Self::Item<'w, 's>> {
        // SAFETY: forwarded; the caller's guarantees are those of `&mut T`.
        let item = unsafe { <Inner<T> as QueryData>::fetch(state, fetch, entity, table_row) };
        item.map(|mut m| {
            let value: *mut T = m.bypass_change_detection();
            // SAFETY: `Mut<'w, T>` is a `&'w mut T` with pointers to its ticks; dropping it
            // writes nothing, so the exclusive borrow it held for `'w` passes to the result.
            unsafe { &mut *value }
        })
    }

    fn iter_access(state: &Self::State) -> impl Iterator<Item = EcsAccessType<'_>> {
        std::iter::once(EcsAccessType::Component(EcsAccessLevel::Write(*state)))
    }
}

// SAFETY: as for `&mut T`, access is only to the current entity.
unsafe impl<T: Component<Mutability = Mutable>> IterQueryData for Write<T> {}

// SAFETY: as for `&mut T`, access is only to the current entity.
unsafe impl<T: Component<Mutability = Mutable>> SingleEntityQueryData for Write<T> {}

impl<T: Component<Mutability = Mutable>> ReleaseStateQueryData for Write<T> {
    fn release_state<'w>(item: Self::Item<'w, '_>) -> Self::Item<'w, 'static> {
        item
    }
}

impl<T: Component<Mutability = Mutable>> ArchetypeQueryData for Write<T> {}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy_ecs::prelude::*;

    #[derive(Component, Debug, PartialEq)]
    struct Count(u32);

    #[derive(Component)]
    struct Other;

    fn bump(mut q: Query<(Entity, Write<Count>)>) {
        for (_, c) in &mut q {
            c.0 += 1;
        }
    }

    fn bump_one(mut q: Query<Write<Count>, With<Other>>) {
        for c in &mut q {
            c.0 += 10;
        }
    }

    #[test]
    fn writes_land_and_are_not_recorded_as_changes() {
        let mut world = World::new();
        let a = world.spawn(Count(0)).id();
        let b = world.spawn((Count(0), Other)).id();
        let mut schedule = Schedule::default();
        schedule.add_systems((bump, bump_one).chain());
        world.clear_trackers();
        let inserted = world.entity(a).get_ref::<Count>().unwrap().last_changed();
        for _ in 0..3 {
            schedule.run(&mut world);
        }
        assert_eq!(world.get::<Count>(a), Some(&Count(3)));
        assert_eq!(world.get::<Count>(b), Some(&Count(33)));
        let after = world.entity(a).get_ref::<Count>().unwrap().last_changed();
        assert_eq!(
            inserted, after,
            "a write through Write<T> must not set the change tick"
        );
        // `get_mut` on a query of `Write<T>` works as for `&mut T`.
        let mut state = world.query::<Write<Count>>();
        state.get_mut(&mut world, a).unwrap().0 = 7;
        assert_eq!(world.get::<Count>(a), Some(&Count(7)));
    }

    #[test]
    #[should_panic(expected = "conflicts with a previous access")]
    fn a_conflicting_access_in_one_query_panics_as_for_a_mutable_reference() {
        fn conflicting(_q: Query<(&Count, Write<Count>)>) {}
        let mut world = World::new();
        let mut schedule = Schedule::default();
        schedule.add_systems(conflicting);
        schedule.run(&mut world);
    }
}
