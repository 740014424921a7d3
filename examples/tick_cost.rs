//! The cost of a tick per live run, in steady state, for several batch sizes, and the cost of
//! a tick of slots that are all idle. BENCHMARKS.md ("What limits the speed now") uses it to
//! separate the cost of the model's work from that of the ECS and of a batch's memory.
//!
//!     cargo run --release --example tick_cost -- 4 16 64 128 256 640
//!
//! For each batch size B, it loads B runs, times every tick from the 21st to the horizon (the
//! runs that end are not replaced, so a tick costs what its live runs cost), and divides by
//! the live runs. Timings come from the clock, so repeat them on a quiet machine.

use std::sync::Arc;
use std::time::Instant;
use truce::engine::{Engine, Task, Variant};
use truce::model::Outcome;
use truce::scenario::Scenario;

/// Runs timed per batch size (rounded up to whole batches).
const RUNS: u64 = 2560;

fn main() {
    let path = std::path::Path::new("scenarios/us-28-point.toml");
    let sc = match Scenario::load(path) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let variants = Arc::new(vec![Variant::of(&sc)]);
    let batches: Vec<u64> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("batch sizes are whole numbers"))
        .collect();
    let batches = if batches.is_empty() {
        vec![4, 16, 64, 128, 256, 640]
    } else {
        batches
    };
    // Ticks to the horizon at the scenario's own tick (522 for 10 years of 7 days).
    let values = &variants[0].values;
    let (horizon, tick) = (
        values[sc.time.horizon.0 as usize],
        values[sc.time.tick.0 as usize],
    );
    let ticks = (horizon / tick).ceil() as usize;
    for &batch in &batches {
        let (mut ns, mut live_ticks) = (0.0, 0u64);
        for rep in 0..RUNS.div_ceil(batch) {
            let mut engine = Engine::new(sc.clone(), variants.clone(), 42, batch as usize, 0);
            let tasks: Vec<Task> = (0..batch)
                .map(|i| Task {
                    index: i,
                    run: rep * batch + i,
                    variant: 0,
                })
                .collect();
            engine.load(&tasks);
            for tick in 0..ticks {
                let live = {
                    let world = engine.world_mut();
                    let mut q = world.query::<&Outcome>();
                    q.iter(world).filter(|o| o.running()).count() as u64
                };
                let t0 = Instant::now();
                engine.tick();
                if tick >= 20 {
                    ns += t0.elapsed().as_nanos() as f64;
                    live_ticks += live;
                }
            }
        }
        println!(
            "batch {batch:4}: {:5.0} ns per live run-tick",
            ns / live_ticks as f64
        );
    }
    let mut idle = Engine::new(sc.clone(), variants, 42, 128, 0);
    let n = 20_000;
    let t0 = Instant::now();
    for _ in 0..n {
        idle.tick();
    }
    println!(
        "idle, batch 128: {:.1} ns per slot-tick",
        t0.elapsed().as_nanos() as f64 / n as f64 / 128.0
    );
}
