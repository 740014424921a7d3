//! The Monte Carlo driver: which runs a job has, how they are split into shards, and how they
//! are spread over threads while their records reach the caller in order.
//!
//! A job has `runs` run indices and `variants` variants of the scenario; its tasks are ordered
//! run-major (task `t` is run `t / V` of variant `t % V`), so runs of every variant that share
//! a run index, and so share their random numbers, are adjacent, and a shard (a contiguous
//! range of run indices) holds whole groups. Worker threads each own an [`Engine`] and take
//! chunks of consecutive tasks from a shared counter; the calling thread receives finished
//! chunks, puts them back in order and hands records to a sink one by one. Workers never run
//! more than a bounded number of chunks ahead of the sink, so memory does not grow with the
//! number of runs. Nothing here depends on the thread count or the chunk size: the records
//! the sink sees are the same, in the same order, for any of them.

use crate::engine::{Engine, RunRecord, Task, Variant};
use crate::scenario::Scenario;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, mpsc};

/// One of `count` equal parts of a job's runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    /// 0-based index of this shard (as a Slurm array task id would give it).
    pub index: u64,
    /// Number of shards.
    pub count: u64,
}

impl Shard {
    /// The whole job as one shard.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parses `K/N` (0 ≤ K < N).
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("invalid shard \"{s}\": expected K/N, e.g. 1/4"))?;
        let k: u64 = k
            .trim()
            .parse()
            .map_err(|_| format!("invalid shard \"{s}\": K must be a whole number"))?;
        let n: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("invalid shard \"{s}\": N must be a whole number"))?;
        if n == 0 {
            return Err(format!("invalid shard \"{s}\": N must be at least 1"));
        }
        if k >= n {
            return Err(format!(
                "invalid shard \"{s}\": K must be between 0 and {} (shards are numbered from 0, like Slurm array task ids)",
                n - 1
            ));
        }
        Ok(Shard { index: k, count: n })
    }

    /// The run indices of this shard out of `runs`.
    pub fn runs(&self, runs: u64) -> Range<u64> {
        let lo = (u128::from(runs) * u128::from(self.index) / u128::from(self.count)) as u64;
        let hi = (u128::from(runs) * u128::from(self.index + 1) / u128::from(self.count)) as u64;
        lo..hi
    }

    /// True for the whole job.
    pub fn is_whole(&self) -> bool {
        self.count == 1
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// What to simulate.
#[derive(Clone)]
pub struct Plan {
    /// The scenario.
    pub scenario: Arc<Scenario>,
    /// Its variants (one for a plain run).
    pub variants: Arc<Vec<Variant>>,
    /// Run indices per variant in the whole job.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// The part of the job to simulate.
    pub shard: Shard,
    /// Trace the tasks whose index is below this.
    pub trace: u64,
}

impl Plan {
    /// The task indices of this shard.
    pub fn tasks(&self) -> Range<u64> {
        let v = self.variants.len() as u64;
        let r = self.shard.runs(self.runs);
        r.start * v..r.end * v
    }

    /// The task with index `t`.
    pub fn task(&self, t: u64) -> Task {
        let v = self.variants.len() as u64;
        Task {
            index: t,
            run: t / v,
            variant: (t % v) as u32,
        }
    }
}

/// How the work is spread.
#[derive(Debug, Clone, Copy)]
pub struct Execution {
    /// Worker threads.
    pub threads: usize,
    /// Run slots per World.
    pub batch: usize,
    /// How far (in tasks) the workers may run ahead of the sink (0 picks
    /// `8 × batch × threads`); bounds the records held in memory.
    pub window: u64,
}

impl Default for Execution {
    fn default() -> Self {
        Execution {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            batch: DEFAULT_BATCH,
            window: 0,
        }
    }
}

/// Run slots per World unless told otherwise: enough that each system call iterates many
/// runs, few enough that a World's state stays in cache.
pub const DEFAULT_BATCH: usize = 128;

/// Why a job stopped before its end.
#[derive(Debug, thiserror::Error)]
pub enum Stopped {
    /// The cancel flag was raised (Ctrl-C).
    #[error("interrupted")]
    Cancelled,
    /// The sink refused a record (an output error).
    #[error(transparent)]
    Sink(#[from] anyhow::Error),
}

/// Simulates tasks `from..` of the plan's shard and hands each record, in task order, to
/// `sink`. Stops early, after the records already handed over, when `cancel` is raised.
pub fn execute(
    plan: &Plan,
    from: u64,
    exec: Execution,
    cancel: &AtomicBool,
    mut sink: impl FnMut(RunRecord) -> anyhow::Result<()>,
) -> Result<(), Stopped> {
    let all = plan.tasks();
    let start = from.max(all.start);
    let end = all.end;
    if start >= end {
        return Ok(());
    }
    let threads = exec.threads.max(1);
    let batch = exec.batch.max(1);
    let window = if exec.window > 0 {
        exec.window
    } else {
        (8 * batch * threads) as u64
    };
    // The next task to start, and the first task the sink has not received.
    let next = AtomicU64::new(start);
    let written = AtomicU64::new(start);
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<Vec<RunRecord>>();

    std::thread::scope(|scope| -> Result<(), Stopped> {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, written, stop) = (&next, &written, &stop);
            scope.spawn(move || {
                let mut engine = Engine::new(
                    plan.scenario.clone(),
                    plan.variants.clone(),
                    plan.seed,
                    batch,
                    plan.trace,
                );
                let mut take = || -> Option<Task> {
                    loop {
                        let t = next.load(Ordering::Relaxed);
                        if t >= end {
                            return None;
                        }
                        if t >= written.load(Ordering::Acquire) + window {
                            return None;
                        }
                        if next
                            .compare_exchange_weak(t, t + 1, Ordering::Relaxed, Ordering::Relaxed)
                            .is_ok()
                        {
                            return Some(plan.task(t));
                        }
                    }
                };
                // Records go to the sink in handfuls: one message per tick would cost more in
                // thread wake-ups than the records themselves.
                let hand_off = (batch / 4).clamp(1, 64);
                let mut finished = Vec::new();
                loop {
                    if cancel.load(Ordering::Relaxed) || stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let live = engine.fill(&mut take);
                    if live == 0 {
                        // Nothing to simulate: hand over what is held before waiting or leaving,
                        // since the sink may be waiting for it.
                        if !finished.is_empty() && tx.send(std::mem::take(&mut finished)).is_err() {
                            return;
                        }
                        if next.load(Ordering::Relaxed) >= end {
                            return;
                        }
                        // Every task within the window is taken: wait for the sink.
                        std::thread::sleep(std::time::Duration::from_micros(200));
                        continue;
                    }
                    engine.tick();
                    engine.harvest(&mut |r| finished.push(r));
                    if finished.len() >= hand_off && tx.send(std::mem::take(&mut finished)).is_err()
                    {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<u64, RunRecord> = BTreeMap::new();
        let mut expect = start;
        let result = (|| {
            for records in rx.iter() {
                for r in records {
                    pending.insert(r.task, r);
                }
                while let Some(r) = pending.remove(&expect) {
                    sink(r)?;
                    expect += 1;
                }
                written.store(expect, Ordering::Release);
                if cancel.load(Ordering::Relaxed) {
                    return Err(Stopped::Cancelled);
                }
            }
            if expect < end {
                return Err(Stopped::Cancelled);
            }
            Ok(())
        })();
        if result.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_runs() {
        for runs in [0u64, 1, 7, 10, 1000, 1001] {
            for n in 1..=7u64 {
                let mut next = 0;
                for k in 0..n {
                    let r = Shard { index: k, count: n }.runs(runs);
                    assert_eq!(r.start, next);
                    next = r.end;
                }
                assert_eq!(next, runs);
            }
        }
    }

    #[test]
    fn shard_parsing_refuses_out_of_range_and_malformed() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        assert!(Shard::parse("0/3").is_ok());
        assert!(Shard::parse("3/3").unwrap_err().contains("between 0 and 2"));
        assert!(Shard::parse("1/0").is_err());
        assert!(Shard::parse("a/3").is_err());
        assert!(Shard::parse("13").is_err());
    }
}
