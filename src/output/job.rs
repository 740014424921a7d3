//! A job: a plan of runs written to a result directory as the runs complete.
//!
//! Rows go to `runs.csv.partial` (and `trace.csv.partial`) in task order while aggregates are
//! updated. Every few seconds, and when the job is interrupted, the writers are flushed and
//! `checkpoint.json` is replaced atomically: it records how many tasks are done, how many
//! bytes of each partial file belong to them, and the aggregates. A job started again with
//! `--resume` cuts the partial files back to those lengths (dropping rows written after the
//! last checkpoint, which are recomputed identically) and continues, so the final files are
//! byte-identical to an uninterrupted run whether the job stopped cleanly or was killed.
//! When all tasks are done, the caller adds its summary tables and [`Job::finish`] renames
//! the partial files into place, writes `aggregates.json` and, last, `manifest.json`.
//!
//! Results a user asked to keep are never silently replaced: a directory holding another
//! job's results, or an interrupted job, is refused unless `--force` (or `--resume`) says
//! what to do with it. Repeating the same command over its own complete results is allowed;
//! the results it writes are the same.

use super::aggregate::Aggregates;
use super::manifest::Manifest;
use super::rows::{RunColumns, trace_header, write_trace_row};
use super::{file_sha256, write_atomic};
use crate::batch::{self, Execution, Stopped};
use crate::engine::RunRecord;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// File names in a result directory.
pub mod names {
    /// One row per run.
    pub const RUNS: &str = "runs.csv";
    /// Traced state.
    pub const TRACE: &str = "trace.csv";
    /// Exact counts behind the tables.
    pub const AGGREGATES: &str = "aggregates.json";
    /// How the result was made.
    pub const MANIFEST: &str = "manifest.json";
    /// Progress of an unfinished job.
    pub const CHECKPOINT: &str = "checkpoint.json";
    /// Suffix of files still being written.
    pub const PARTIAL: &str = ".partial";
}

/// A job to run into a directory.
pub struct Job {
    /// What identifies the job (its manifest without file hashes).
    pub manifest: Manifest,
    /// The runs.
    pub plan: batch::Plan,
    /// The columns of `runs.csv`.
    pub columns: RunColumns,
    /// Name and labels of the variant column of `trace.csv`, when there are variants.
    pub trace_variant: Option<(String, Vec<String>)>,
    /// Whether to keep detailed aggregates (per-provision statistics).
    pub detailed: bool,
    /// The result directory.
    pub out: PathBuf,
}

/// How to run a job.
pub struct Options<'a> {
    /// Continue an interrupted job in the directory.
    pub resume: bool,
    /// Replace whatever the directory holds.
    pub force: bool,
    /// Threads, batch and chunk sizes.
    pub exec: Execution,
    /// Raised to stop the job (Ctrl-C).
    pub cancel: &'a AtomicBool,
    /// Called with (tasks done, tasks in the shard) as records arrive.
    pub progress: &'a mut dyn FnMut(u64, u64),
    /// Write a checkpoint every this many runs instead of every few seconds (and flush the
    /// result files halfway between checkpoints), for tests that interrupt jobs at a known
    /// point whatever the speed of the machine.
    pub checkpoint_every: Option<u64>,
}

/// How a job ended.
pub enum Finished {
    /// Every task is done; the caller adds its tables and calls [`Job::finish`].
    Complete(Aggregates),
    /// Stopped by the cancel flag; a checkpoint was written.
    Interrupted {
        /// Tasks done.
        done: u64,
        /// Tasks in the shard.
        total: u64,
    },
}

/// Why a job could not run.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The directory holds something the job must not overwrite, or cannot resume.
    #[error("{0}")]
    Refused(String),
    /// Reading or writing files failed.
    #[error(transparent)]
    Io(#[from] anyhow::Error),
}

#[derive(Serialize, Deserialize)]
struct Checkpoint {
    manifest: Manifest,
    tasks_done: u64,
    runs_bytes: u64,
    trace_bytes: u64,
    aggregates: Aggregates,
}

fn partial(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}{}", names::PARTIAL))
}

fn io(e: impl Into<anyhow::Error>) -> JobError {
    JobError::Io(e.into())
}

/// Creates the directory results go to, refusing a path that names something other than a
/// directory (a file the user may want to keep is never replaced).
pub(crate) fn create_out_dir(dir: &Path) -> Result<(), JobError> {
    if dir.exists() && !dir.is_dir() {
        return Err(JobError::Refused(format!(
            "{} is a file, not a directory: --out names the directory the results go to",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| io(anyhow::anyhow!("cannot create {}: {e}", dir.display())))
}

impl Job {
    fn horizon(&self) -> f64 {
        self.plan
            .variants
            .iter()
            .map(|v| v.values[self.plan.scenario.time.horizon.0 as usize])
            .fold(0.0, f64::max)
    }

    /// Runs the job (or what is left of it) into its directory.
    pub fn run(&self, opts: Options<'_>) -> Result<Finished, JobError> {
        let dir = &self.out;
        create_out_dir(dir)?;
        let checkpoint_path = dir.join(names::CHECKPOINT);
        let manifest_path = dir.join(names::MANIFEST);
        let tasks = self.plan.tasks();
        let total = tasks.end - tasks.start;

        let mut state: Option<Checkpoint> = None;
        if checkpoint_path.exists() {
            let cp: Checkpoint = std::fs::read_to_string(&checkpoint_path)
                .map_err(io)
                .and_then(|t| serde_json::from_str(&t).map_err(io))
                .map_err(|e| {
                    JobError::Refused(format!(
                        "{} holds an unreadable checkpoint ({e}); use --force to start over",
                        dir.display()
                    ))
                })?;
            if opts.force {
                self.discard(dir).map_err(io)?;
            } else if !opts.resume {
                return Err(JobError::Refused(format!(
                    "{} holds an interrupted job ({} of its runs done); rerun with --resume to finish it, or with --force to discard it",
                    dir.display(),
                    cp.tasks_done
                )));
            } else if cp.manifest != self.manifest {
                return Err(JobError::Refused(format!(
                    "{} holds an interrupted job of another command (`{}`{}); --resume must repeat that command exactly, or use --force to discard it",
                    dir.display(),
                    cp.manifest.command,
                    cp.manifest
                        .shard
                        .map(|s| format!(" --shard {s}"))
                        .unwrap_or_default()
                )));
            } else {
                state = Some(cp);
            }
        } else if manifest_path.exists() {
            let existing = Manifest::read(&manifest_path).map_err(|e| {
                JobError::Refused(format!(
                    "{} holds an unreadable manifest.json ({e}); use --force to replace it, or --out to write elsewhere",
                    dir.display()
                ))
            })?;
            let same = Manifest {
                files: Default::default(),
                ..existing.clone()
            } == self.manifest;
            if same && opts.resume {
                // Already complete: nothing to run.
                let text = std::fs::read_to_string(dir.join(names::AGGREGATES)).map_err(io)?;
                let agg: Aggregates = serde_json::from_str(&text).map_err(io)?;
                (opts.progress)(total, total);
                return Ok(Finished::Complete(agg));
            }
            if !same && !opts.force {
                return Err(JobError::Refused(format!(
                    "{} already holds the results of another job (`{}`); use --out to write elsewhere, or --force to replace them",
                    dir.display(),
                    existing.command
                )));
            }
        }

        let has_trace = self.plan.trace > 0;
        let runs_path = partial(dir, names::RUNS);
        let trace_path = partial(dir, names::TRACE);
        let (mut runs_w, mut trace_w, mut agg, done0) = match state {
            Some(cp) => {
                // A finish that was cut short may already have renamed the partial files.
                for name in [names::RUNS, names::TRACE] {
                    let p = partial(dir, name);
                    if !p.exists() && dir.join(name).exists() {
                        std::fs::rename(dir.join(name), &p).map_err(io)?;
                    }
                }
                let runs_w = reopen(&runs_path, cp.runs_bytes).map_err(io)?;
                let trace_w = if has_trace {
                    Some(reopen(&trace_path, cp.trace_bytes).map_err(io)?)
                } else {
                    None
                };
                (runs_w, trace_w, cp.aggregates, cp.tasks_done)
            }
            None => {
                let mut runs_w =
                    BufWriter::with_capacity(1 << 20, File::create(&runs_path).map_err(io)?);
                runs_w.write_all(&self.columns.header_line()).map_err(io)?;
                let trace_w = if has_trace {
                    let mut w =
                        BufWriter::with_capacity(1 << 20, File::create(&trace_path).map_err(io)?);
                    w.write_all(&trace_header(
                        self.trace_variant.as_ref().map(|(n, _)| n.as_str()),
                    ))
                    .map_err(io)?;
                    Some(w)
                } else {
                    None
                };
                let agg = Aggregates::new(self.horizon(), self.plan.variants.len(), self.detailed);
                (runs_w, trace_w, agg, 0)
            }
        };

        let mut done = done0;
        let mut line: Vec<u8> = Vec::with_capacity(1024);
        (opts.progress)(done, total);
        let checkpoint_every_runs = opts.checkpoint_every.filter(|&n| n > 0);
        let mut last_checkpoint = Instant::now();
        let mut checkpoint_every = Duration::from_secs(2);
        let scenario = self.plan.scenario.clone();
        let progress = opts.progress;
        let save = |runs_w: &mut BufWriter<File>,
                    trace_w: &mut Option<BufWriter<File>>,
                    agg: &Aggregates,
                    done: u64|
         -> anyhow::Result<()> {
            let cp = Checkpoint {
                manifest: self.manifest.clone(),
                tasks_done: done,
                runs_bytes: position(runs_w)?,
                trace_bytes: match trace_w {
                    Some(w) => position(w)?,
                    None => 0,
                },
                aggregates: agg.clone(),
            };
            write_atomic(&checkpoint_path, serde_json::to_string(&cp)?.as_bytes())?;
            Ok(())
        };
        let result = batch::execute(
            &self.plan,
            tasks.start + done0,
            opts.exec,
            opts.cancel,
            |r: RunRecord| {
                line.clear();
                self.columns.write_row(&scenario, &r, &mut line);
                runs_w.write_all(&line)?;
                if let Some(w) = &mut trace_w {
                    let label = self
                        .trace_variant
                        .as_ref()
                        .map(|(_, labels)| labels[r.variant as usize].as_str());
                    for t in &r.trace {
                        line.clear();
                        write_trace_row(&scenario, label, t, &mut line);
                        w.write_all(&line)?;
                    }
                }
                agg.record(&r);
                done += 1;
                if let Some(every) = checkpoint_every_runs {
                    if done.is_multiple_of(every) {
                        save(&mut runs_w, &mut trace_w, &agg, done)?;
                    } else if done % every == every / 2 {
                        runs_w.flush()?;
                        if let Some(w) = &mut trace_w {
                            w.flush()?;
                        }
                    }
                }
                if done % 256 == 0 || done == total {
                    progress(done, total);
                    if checkpoint_every_runs.is_none()
                        && last_checkpoint.elapsed() >= checkpoint_every
                    {
                        let t = Instant::now();
                        save(&mut runs_w, &mut trace_w, &agg, done)?;
                        // Keep checkpoints to a small share of the time, however big they are.
                        checkpoint_every = checkpoint_every.max(t.elapsed() * 20);
                        last_checkpoint = Instant::now();
                    }
                }
                Ok(())
            },
        );
        match result {
            Ok(()) => {
                runs_w.flush().map_err(io)?;
                if let Some(w) = &mut trace_w {
                    w.flush().map_err(io)?;
                }
                save(&mut runs_w, &mut trace_w, &agg, done).map_err(JobError::Io)?;
                Ok(Finished::Complete(agg))
            }
            Err(Stopped::Cancelled) => {
                save(&mut runs_w, &mut trace_w, &agg, done).map_err(JobError::Io)?;
                Ok(Finished::Interrupted { done, total })
            }
            Err(Stopped::Sink(e)) => Err(JobError::Io(e)),
        }
    }

    /// Completes the directory: writes the caller's tables, renames the partial files into
    /// place, writes `aggregates.json` and then `manifest.json` with every file's hash, and
    /// removes the checkpoint. Each file appears complete or not at all.
    pub fn finish(
        &self,
        mut agg: Aggregates,
        tables: &[(&str, Vec<u8>)],
    ) -> Result<Manifest, JobError> {
        let dir = &self.out;
        for (name, bytes) in tables {
            write_atomic(&dir.join(name), bytes).map_err(io)?;
        }
        agg.pairing = None;
        let mut json = serde_json::to_string(&agg).map_err(io)?;
        json.push('\n');
        write_atomic(&dir.join(names::AGGREGATES), json.as_bytes()).map_err(io)?;
        let mut files: Vec<String> = tables.iter().map(|(n, _)| n.to_string()).collect();
        files.push(names::AGGREGATES.to_string());
        let mut streams = vec![names::RUNS];
        if self.plan.trace > 0 {
            streams.push(names::TRACE);
        }
        for name in streams {
            let p = partial(dir, name);
            if p.exists() {
                File::open(&p).and_then(|f| f.sync_all()).map_err(io)?;
                std::fs::rename(&p, dir.join(name)).map_err(io)?;
            }
            files.push(name.to_string());
        }
        let mut manifest = self.manifest.clone();
        for name in files {
            manifest
                .files
                .insert(name.clone(), file_sha256(&dir.join(&name)).map_err(io)?);
        }
        write_atomic(&dir.join(names::MANIFEST), manifest.to_json().as_bytes()).map_err(io)?;
        let cp = dir.join(names::CHECKPOINT);
        if cp.exists() {
            std::fs::remove_file(cp).map_err(io)?;
        }
        Ok(manifest)
    }

    /// Removes an earlier job's files from the directory (for --force).
    fn discard(&self, dir: &Path) -> std::io::Result<()> {
        for name in [names::CHECKPOINT, names::MANIFEST] {
            let p = dir.join(name);
            if p.exists() {
                std::fs::remove_file(p)?;
            }
        }
        for name in [names::RUNS, names::TRACE] {
            let p = partial(dir, name);
            if p.exists() {
                std::fs::remove_file(p)?;
            }
        }
        Ok(())
    }
}

/// Bytes written so far: after a flush, all of them are in the file, which is only ever
/// appended to.
fn position(w: &mut BufWriter<File>) -> anyhow::Result<u64> {
    w.flush()?;
    Ok(w.get_ref().metadata()?.len())
}

fn reopen(path: &Path, bytes: u64) -> anyhow::Result<BufWriter<File>> {
    let mut f = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot reopen {} to resume: {e}", path.display()))?;
    let len = f.metadata()?.len();
    if len < bytes {
        anyhow::bail!(
            "{} is shorter ({len} bytes) than its checkpoint says ({bytes} bytes); use --force to start over",
            path.display()
        );
    }
    f.set_len(bytes)?;
    f.seek(std::io::SeekFrom::End(0))?;
    Ok(BufWriter::with_capacity(1 << 20, f))
}
