//! Argument parsing (clap derive), dispatch to the library, and printing.

mod explore;
mod print;

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;
use truce::batch::{Execution, Shard};
use truce::output::{Finished, JobError, Options};
use truce::runs::RunRequest;
use truce::scenario::Scenario;

/// Simulates a peace agreement provision by provision and measures how stable it is.
///
/// truce is an exploratory model, not a forecast: every number in a scenario is an assumption
/// with a stated source or reason, and every result carries its Monte Carlo uncertainty.
#[derive(Parser, Debug)]
#[command(name = "truce", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run seeded Monte Carlo runs of a scenario and write the results.
    #[command(after_help = "Examples:
  truce run scenarios/us-28-point.toml
  truce run scenarios/us-28-point.toml --runs 100000 --seed 7 --out results/plan
  truce run scenarios/us-28-point.toml --disable 5 --disable 10 --out results/no-guarantee
  truce run scenarios/us-28-point.toml --runs 1000000 --shard 0/8 --out shard-0
  truce run scenarios/us-28-point.toml --runs 1000000 --resume   # finish an interrupted job

Writes runs.csv, survival.csv, provisions.csv, aggregates.json and manifest.json (and
trace.csv with --trace) into DIR, and prints the probability that the agreement still holds
at 1, 2, 5 and 10 years and the causes of collapse, with 95% intervals.")]
    Run(RunArgs),
    /// Sweep parameters over a design (grid, Latin hypercube, random) and summarise each
    /// design point.
    #[command(after_help = "Examples:
  truce sweep scenarios/us-28-point.sweep.toml
  truce sweep scenarios/us-28-point.sweep.toml --runs 50 --out results/quick-sweep
  truce sweep scenarios/us-28-point.sweep.toml --shard 3/8 --out shard-3   # then: truce merge
  truce sweep scenarios/us-28-point.sweep.toml --resume                    # finish an interrupted sweep

The specification names the scenario, the design, the parameters and their values or
ranges, the runs per design point and the seed (see README.md, \"Sweeps\"). Writes sweep.csv
(one row per design point: its parameter values, the probability that the agreement holds at
1, 2, 5 and 10 years with 95% intervals, the median and mean time to collapse, the leading
cause), runs.csv (one row per run, with its design point), aggregates.json and manifest.json.")]
    Sweep(explore::SweepArgs),
    /// Switch each provision off in turn and measure what the agreement loses without it.
    #[command(after_help = "Examples:
  truce ablate scenarios/us-28-point.toml
  truce ablate scenarios/us-28-point.toml --runs 2000 --seed 7 --out results/ablation
  truce ablate scenarios/us-28-point.toml --shard 0/4 --out ablation-0     # then: truce merge

Runs the full plan and the plan without each point with the same seeds (common random
numbers). Writes ablation.csv (one row per point: the probability of holding 5 and 10 years
without it, the paired difference from the full plan with its 95% interval, the change in
median and mean time to collapse), runs.csv, aggregates.json and manifest.json, and prints
the points ranked by effect.")]
    Ablate(explore::AblateArgs),
    /// Global sensitivity of the hold probability and of the time to collapse to the varied
    /// parameters (Morris or Sobol).
    #[command(after_help = "Examples:
  truce sensitivity scenarios/us-28-point.sensitivity.toml --method morris
  truce sensitivity scenarios/us-28-point.sensitivity.toml --method sobol --runs 100

Morris screening gives mu* (mean absolute elementary effect over each parameter's full range)
and sigma; Sobol gives first-order and total indices (Saltelli design, Jansen estimator), all
with 95% bootstrap intervals. Writes sensitivity.csv, design.csv (one row per design point),
runs.csv, aggregates.json and manifest.json.")]
    Sensitivity(explore::SensitivityArgs),
    /// Join the result directories of the shards of one job (run with --shard K/N).
    #[command(after_help = "Examples:
  truce merge shard-0 shard-1 shard-2 shard-3 --out results/sweep
  truce merge shards/* --out results/sweep

Checks by their manifests that the directories are the finished shards 0/N to N-1/N of one
command, then writes what that command writes on one machine, byte for byte.")]
    Merge(explore::MergeArgs),
    /// Check a scenario file and print what it holds.
    #[command(after_help = "Example:
  truce validate scenarios/us-28-point.toml")]
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
    /// List every provision of a scenario with its mechanism, the state it touches and its
    /// parameters.
    #[command(after_help = "Example:
  truce provisions scenarios/us-28-point.toml")]
    Provisions {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
}

/// Options shared by the commands that run jobs.
#[derive(Args, Debug, Clone)]
struct JobArgs {
    /// Master seed; a run's seed is derived from it and the run's index [default: 1, or the
    /// specification's `seed`].
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Worker threads [default: all cores].
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u32).range(1..))]
    threads: Option<u32>,
    /// Result directory [default: out/<file stem>/].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// No progress bar and no timing.
    #[arg(long)]
    quiet: bool,
    /// Do only shard K of N of the runs (K from 0 to N-1); join the shards with `truce merge`.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    shard: Option<Shard>,
    /// Finish an interrupted job in DIR (or start it if there is none).
    #[arg(long)]
    resume: bool,
    /// Replace whatever DIR holds.
    #[arg(long, conflicts_with = "resume")]
    force: bool,
    /// Runs simulated together in one World per thread (results do not depend on it).
    #[arg(long, value_name = "B", default_value_t = truce::batch::DEFAULT_BATCH as u32, value_parser = clap::value_parser!(u32).range(1..), hide_short_help = true)]
    batch: u32,
    /// Write a checkpoint every N runs instead of every few seconds (for tests that interrupt
    /// jobs at a known point).
    #[arg(long, value_name = "N", hide = true)]
    checkpoint_every: Option<u64>,
}

#[derive(Args, Debug)]
struct RunArgs {
    /// The scenario file (TOML).
    scenario: PathBuf,
    /// Number of runs.
    #[arg(long, default_value_t = 10_000, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    runs: u64,
    /// Switch off the provision with this point number (repeatable).
    #[arg(long, value_name = "P")]
    disable: Vec<u32>,
    /// Write trace.csv with the state of the first K runs at every tick.
    #[arg(long, value_name = "K", default_value_t = 0)]
    trace: u64,
    #[command(flatten)]
    job: JobArgs,
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    Shard::parse(s)
}

/// Set by Ctrl-C: the job stops after the runs in flight and writes a checkpoint.
static CANCEL: AtomicBool = AtomicBool::new(false);

/// An error and the exit status it calls for.
struct Failure {
    status: u8,
    message: String,
}

impl Failure {
    fn input(message: impl std::fmt::Display) -> Self {
        Failure {
            status: 2,
            message: message.to_string(),
        }
    }

    fn io(message: impl std::fmt::Display) -> Self {
        Failure {
            status: 1,
            message: message.to_string(),
        }
    }
}

impl From<JobError> for Failure {
    fn from(e: JobError) -> Self {
        match e {
            JobError::Refused(m) => Failure::input(m),
            JobError::Io(e) => Failure::io(format!("{e:#}")),
        }
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let _ = ctrlc::set_handler(|| {
        if CANCEL.swap(true, Ordering::SeqCst) {
            // A second Ctrl-C: stop at once; the last checkpoint still allows --resume.
            std::process::exit(130);
        }
    });
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Sweep(args) => explore::sweep(args),
        Command::Ablate(args) => explore::ablate(args),
        Command::Sensitivity(args) => explore::sensitivity(args),
        Command::Merge(args) => explore::merge(args),
        Command::Validate { scenario } => {
            load(&scenario).and_then(|s| print::out(print::validate(&s)))
        }
        Command::Provisions { scenario } => {
            load(&scenario).and_then(|s| print::out(print::provisions(&s)))
        }
    };
    match result {
        Ok(code) => code,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.status)
        }
    }
}

fn load(path: &Path) -> Result<Scenario, Failure> {
    Scenario::load(path).map_err(Failure::input)
}

fn default_out(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".to_string());
    PathBuf::from("out").join(stem)
}

fn execution(job: &JobArgs) -> Execution {
    let mut e = Execution {
        batch: job.batch as usize,
        ..Execution::default()
    };
    if let Some(t) = job.threads {
        e.threads = t as usize;
    }
    e
}

/// A progress bar on stderr when it is a terminal and the user did not ask for quiet.
fn progress_bar(quiet: bool, total: u64) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    pb.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} runs  {per_sec}  ETA {eta}",
        )
        .expect("the template is valid"),
    );
    pb
}

fn run(args: RunArgs) -> Result<ExitCode, Failure> {
    let scenario = Arc::new(load(&args.scenario)?);
    let seed = args.job.seed.unwrap_or(1);
    let out = args
        .job
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.scenario));
    let mut words = vec![
        "truce".to_string(),
        "run".to_string(),
        args.scenario.display().to_string(),
        "--runs".to_string(),
        args.runs.to_string(),
        "--seed".to_string(),
        seed.to_string(),
    ];
    let mut disabled = args.disable.clone();
    disabled.sort_unstable();
    disabled.dedup();
    for p in &disabled {
        words.push("--disable".to_string());
        words.push(p.to_string());
    }
    if args.trace > 0 {
        words.push("--trace".to_string());
        words.push(args.trace.to_string());
    }
    let request = RunRequest {
        scenario: scenario.clone(),
        runs: args.runs,
        seed,
        disabled,
        trace: args.trace,
        shard: args.job.shard.unwrap_or(Shard::WHOLE),
        out: out.clone(),
    };
    let job = request.job(words.join(" ")).map_err(Failure::input)?;
    let exec = execution(&args.job);
    let tasks = job.plan.tasks();
    let pb = progress_bar(args.job.quiet, tasks.end - tasks.start);
    let started = Instant::now();
    // The job reports the runs already done (resumed from a checkpoint) before it starts.
    let mut resumed = None;
    let mut progress = |done: u64, _total: u64| {
        resumed.get_or_insert(done);
        pb.set_position(done);
    };
    let finished = job.run(Options {
        resume: args.job.resume,
        force: args.job.force,
        exec,
        cancel: &CANCEL,
        progress: &mut progress,
        checkpoint_every: args.job.checkpoint_every,
    })?;
    pb.finish_and_clear();
    match finished {
        Finished::Interrupted { done, total } => {
            eprintln!(
                "interrupted after {done} of {total} runs; what is done is kept in {}.\nTo finish, run the same command again with --resume:\n  {}",
                out.display(),
                explore::resume_command()
            );
            Ok(ExitCode::from(130))
        }
        Finished::Complete(agg) => {
            let (tables, summary) = request.tables(&agg);
            let tables: Vec<(&str, Vec<u8>)> = tables;
            job.finish(agg, &tables)?;
            if !args.job.quiet {
                eprintln!(
                    "{}",
                    timing(
                        tasks.end - tasks.start,
                        resumed.unwrap_or(0),
                        started.elapsed().as_secs_f64(),
                        exec.threads
                    )
                );
            }
            print::out(print::run_summary(&scenario, &request, &summary, &out))
        }
    }
}

/// The line on how long a job took: the runs of this invocation (not those resumed from a
/// checkpoint, which took no time here) and their rate.
fn timing(total: u64, resumed: u64, secs: f64, threads: usize) -> String {
    let ran = total.saturating_sub(resumed);
    if ran == 0 {
        return format!("all {total} runs were already done");
    }
    let mut line = format!(
        "{ran} runs in {secs:.1} s ({:.0} runs/s, {threads} threads)",
        ran as f64 / secs.max(1e-9)
    );
    if resumed > 0 {
        line.push_str(&format!("; {resumed} more resumed from the checkpoint"));
    }
    line
}

#[cfg(test)]
mod timing_tests {
    use super::timing;

    #[test]
    fn the_rate_counts_only_the_runs_of_this_invocation() {
        assert_eq!(
            timing(60_000, 0, 3.0, 2),
            "60000 runs in 3.0 s (20000 runs/s, 2 threads)"
        );
        assert_eq!(
            timing(60_000, 20_000, 2.0, 2),
            "40000 runs in 2.0 s (20000 runs/s, 2 threads); 20000 more resumed from the checkpoint"
        );
        assert_eq!(timing(500, 500, 0.0, 1), "all 500 runs were already done");
    }
}
