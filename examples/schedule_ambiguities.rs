//! Lists the pairs of systems that touch the same data with no order between them, by name.
//! `cargo run --example schedule_ambiguities --features bevy_ecs/debug`
//! (without the feature bevy_ecs does not keep system names). The test
//! `schedule_has_no_ambiguous_pairs` asks for none.

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings};

fn main() {
    let mut world = World::new();
    let mut schedule = truce::engine::build_schedule();
    schedule.set_build_settings(ScheduleBuildSettings {
        ambiguity_detection: LogLevel::Error,
        use_shortnames: true,
        ..Default::default()
    });
    match schedule.initialize(&mut world) {
        Ok(_) => println!("no ambiguous pairs of systems"),
        Err(e) => println!("{}", e.to_string(schedule.graph(), &world)),
    }
}
