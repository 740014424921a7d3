//! Criterion benchmarks of the engine: one tick of a batch, one run, batches of runs at
//! several batch sizes, and `truce run` end to end (written to disk) with 1 and 2 threads.
//! Figures and the commands that produce them are in BENCHMARKS.md.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use truce::batch::{Execution, Shard};
use truce::engine::{Engine, Task, Variant};
use truce::output::{Finished, Options};
use truce::runs::RunRequest;
use truce::scenario::Scenario;

fn plan() -> Arc<Scenario> {
    Arc::new(Scenario::load(Path::new("scenarios/us-28-point.toml")).expect("the shipped scenario"))
}

fn tasks(n: u64) -> impl Iterator<Item = Task> {
    (0..n).map(|i| Task {
        index: i,
        run: i,
        variant: 0,
    })
}

/// One tick of a World whose `batch` slots are kept full: each run that ends is replaced by a
/// new one, as in `truce run`, so the slots hold runs of every age (the warm-up mixes them)
/// and the figure is the steady-state cost of a tick, starting and recording runs included.
fn tick(c: &mut Criterion) {
    let sc = plan();
    let mut g = c.benchmark_group("tick");
    for batch in [1usize, 64, 128, 256] {
        let variants = Arc::new(vec![Variant::of(&sc)]);
        let mut engine = Engine::new(sc.clone(), variants, 1, batch, 0);
        let mut next = 0u64;
        let mut task = move || {
            next += 1;
            Some(Task {
                index: next,
                run: next,
                variant: 0,
            })
        };
        engine.fill(&mut task);
        g.throughput(Throughput::Elements(batch as u64));
        g.bench_with_input(BenchmarkId::new("runs_per_world", batch), &batch, |b, _| {
            b.iter(|| {
                engine.tick();
                engine.harvest(&mut |r| {
                    black_box(r);
                });
                engine.fill(&mut task);
            })
        });
    }
    g.finish();
}

/// One whole run (up to 10 years) in a World of one slot.
fn one_run(c: &mut Criterion) {
    let sc = plan();
    let variants = Arc::new(vec![Variant::of(&sc)]);
    let mut engine = Engine::new(sc.clone(), variants, 1, 1, 0);
    let mut i = 0u64;
    c.bench_function("run/one_run_batch_1", |b| {
        b.iter(|| {
            i += 1;
            engine.run_tasks(
                tasks(1).map(|mut t| {
                    t.run = i;
                    t
                }),
                |r| {
                    black_box(r);
                },
            );
        })
    });
}

/// 1,024 runs on one thread at several batch sizes (runs simulated together in one World).
fn batches(c: &mut Criterion) {
    let sc = plan();
    let mut g = c.benchmark_group("runs_1024_one_thread");
    g.throughput(Throughput::Elements(1024));
    g.sample_size(10);
    for batch in [1usize, 16, 64, 128, 256, 1024] {
        let variants = Arc::new(vec![Variant::of(&sc)]);
        let mut engine = Engine::new(sc.clone(), variants, 1, batch, 0);
        g.bench_with_input(BenchmarkId::new("batch", batch), &batch, |b, _| {
            b.iter(|| {
                engine.run_tasks(tasks(1024), |r| {
                    black_box(r);
                })
            })
        });
    }
    g.finish();
}

/// `truce run` of 20,000 runs end to end, written to disk, with 1 and 2 threads.
fn end_to_end(c: &mut Criterion) {
    let sc = plan();
    let dir = std::env::temp_dir().join(format!("truce-bench-{}", std::process::id()));
    let mut g = c.benchmark_group("run_to_disk_20000");
    g.throughput(Throughput::Elements(20_000));
    g.sample_size(10);
    for threads in [1usize, 2] {
        g.bench_with_input(
            BenchmarkId::new("threads", threads),
            &threads,
            |b, &threads| {
                b.iter(|| {
                    let req = RunRequest {
                        scenario: sc.clone(),
                        runs: 20_000,
                        seed: 1,
                        disabled: vec![],
                        trace: 0,
                        shard: Shard::WHOLE,
                        out: dir.join(format!("t{threads}")),
                    };
                    let job = req.job("bench".into()).expect("valid request");
                    let cancel = AtomicBool::new(false);
                    let mut progress = |_: u64, _: u64| {};
                    let exec = Execution {
                        threads,
                        ..Execution::default()
                    };
                    match job
                        .run(Options {
                            resume: false,
                            force: true,
                            exec,
                            cancel: &cancel,
                            progress: &mut progress,
                            checkpoint_every: None,
                        })
                        .expect("the job runs")
                    {
                        Finished::Complete(agg) => {
                            let (tables, _) = req.tables(&agg);
                            job.finish(agg, &tables).expect("the job finishes");
                        }
                        Finished::Interrupted { .. } => unreachable!("nothing cancels the bench"),
                    }
                })
            },
        );
    }
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, tick, one_run, batches, end_to_end);
criterion_main!(benches);
