//! The exploring commands on the command line: `truce sweep`, `truce ablate`,
//! `truce sensitivity` and `truce merge`. Each parses its arguments, builds the library's
//! request, drives its job with a progress bar and Ctrl-C handling, and prints the report.

use super::{CANCEL, Failure, JobArgs, default_out, execution, load, print};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;
use truce::batch::Shard;
use truce::explore::ablate::AblateRequest;
use truce::explore::sensitivity::{Index, Method};
use truce::explore::{
    AblationReport, PointSummary, Report, Request, SensitivityReport, SensitivityRequest,
    SensitivitySpec, SweepReport, SweepRequest, SweepSpec,
};
use truce::output::aggregate::REPORT_YEARS;
use truce::output::{Finished, Options};
use truce::scenario::fmt_num;
use truce::stats::Interval;

#[derive(Args, Debug)]
pub struct SweepArgs {
    /// The sweep specification (TOML).
    spec: PathBuf,
    /// Runs per design point [default: the specification's `runs`].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    runs: Option<u64>,
    #[command(flatten)]
    job: JobArgs,
}

#[derive(Args, Debug)]
pub struct AblateArgs {
    /// The scenario file (TOML).
    scenario: PathBuf,
    /// Runs of the full plan and of each variant without one point.
    #[arg(long, default_value_t = 10_000, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    runs: u64,
    #[command(flatten)]
    job: JobArgs,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    /// Morris elementary effects (mu*, sigma): cheap screening.
    Morris,
    /// Sobol first-order and total indices (Saltelli design).
    Sobol,
}

#[derive(Args, Debug)]
pub struct SensitivityArgs {
    /// The sensitivity specification (TOML).
    spec: PathBuf,
    /// The method.
    #[arg(long, value_enum)]
    method: MethodArg,
    /// Runs per design point [default: the specification's `runs`].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    runs: Option<u64>,
    #[command(flatten)]
    job: JobArgs,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The result directories of the shards (in any order).
    #[arg(required = true, value_name = "DIR")]
    dirs: Vec<PathBuf>,
    /// Where to write the merged results.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Replace whatever --out holds.
    #[arg(long)]
    force: bool,
    /// Print nothing but errors.
    #[arg(long)]
    quiet: bool,
}

fn load_error(e: impl std::fmt::Display) -> Failure {
    Failure::input(e)
}

/// The canonical command: its words with the effective runs and seed, without the options
/// that do not change results.
fn words(command: &str, input: &Path, extra: &[(&str, String)]) -> String {
    let mut w = vec![
        "truce".to_string(),
        command.to_string(),
        input.display().to_string(),
    ];
    for (k, v) in extra {
        w.push(format!("--{k}"));
        w.push(v.clone());
    }
    w.join(" ")
}

pub fn sweep(args: SweepArgs) -> Result<ExitCode, Failure> {
    let spec = Arc::new(SweepSpec::load(&args.spec).map_err(load_error)?);
    let out = args
        .job
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.spec));
    let request = SweepRequest::new(
        spec,
        args.runs,
        args.job.seed,
        args.job.shard.unwrap_or(Shard::WHOLE),
        out,
    );
    let command = words(
        "sweep",
        &args.spec,
        &[
            ("runs", request.runs.to_string()),
            ("seed", request.seed.to_string()),
        ],
    );
    let label = format!("{} points", request.points.len());
    drive(Request::Sweep(request), command, &args.job, &label)
}

pub fn ablate(args: AblateArgs) -> Result<ExitCode, Failure> {
    let scenario = Arc::new(load(&args.scenario)?);
    let out = args.job.out.clone().unwrap_or_else(|| {
        let mut p = default_out(&args.scenario).into_os_string();
        p.push("-ablation");
        PathBuf::from(p)
    });
    let request = AblateRequest {
        scenario,
        runs: args.runs,
        seed: args.job.seed.unwrap_or(1),
        shard: args.job.shard.unwrap_or(Shard::WHOLE),
        out,
    };
    let command = words(
        "ablate",
        &args.scenario,
        &[
            ("runs", request.runs.to_string()),
            ("seed", request.seed.to_string()),
        ],
    );
    let label = format!("{} variants", request.points().len() + 1);
    drive(Request::Ablate(request), command, &args.job, &label)
}

pub fn sensitivity(args: SensitivityArgs) -> Result<ExitCode, Failure> {
    let spec = Arc::new(SensitivitySpec::load(&args.spec).map_err(load_error)?);
    let method = match args.method {
        MethodArg::Morris => Method::Morris,
        MethodArg::Sobol => Method::Sobol,
    };
    let out = args.job.out.clone().unwrap_or_else(|| {
        let mut p = default_out(&args.spec).into_os_string();
        p.push(format!("-{}", method.name()));
        PathBuf::from(p)
    });
    let request = SensitivityRequest::new(
        spec,
        method,
        args.runs,
        args.job.seed,
        args.job.shard.unwrap_or(Shard::WHOLE),
        out,
    );
    let command = words(
        "sensitivity",
        &args.spec,
        &[
            ("method", method.name().to_string()),
            ("runs", request.runs.to_string()),
            ("seed", request.seed.to_string()),
        ],
    );
    let label = format!("{} points", request.points.len());
    drive(Request::Sensitivity(request), command, &args.job, &label)
}

pub fn merge(args: MergeArgs) -> Result<ExitCode, Failure> {
    let merged = truce::explore::merge(&args.dirs, &args.out, args.force)?;
    if args.quiet {
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Merged {} shards of `{}` into {}.",
        merged.shards,
        merged.manifest.command,
        args.out.display()
    );
    let _ = writeln!(t);
    t.push_str(&report_text(&merged.request, &merged.report, &args.out));
    print::out(t)
}

/// One progress bar for the whole job: its variants, the run index every variant has reached,
/// all runs done, rate and ETA.
fn bar(quiet: bool, total: u64, label: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    pb.set_style(
        ProgressStyle::with_template(
            "{spinner} {elapsed_precise} {wide_bar} {human_pos}/{human_len} runs {rate} ETA {eta}  {msg}",
        )
        .expect("the template is valid")
        .with_key(
            "rate",
            |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}/s", s.per_sec());
            },
        ),
    );
    pb.set_message(label.to_string());
    pb
}

/// The command line to finish an interrupted job: the user's own, with `--resume`.
pub(super) fn resume_command() -> String {
    let mut args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--force")
        .collect();
    if !args.iter().any(|a| a == "--resume") {
        args.push("--resume".to_string());
    }
    let quoted: Vec<String> = args
        .iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        })
        .collect();
    format!("truce {}", quoted.join(" "))
}

/// Runs a job to its end (or to Ctrl-C), writes its tables and prints its report.
fn drive(
    request: Request,
    command: String,
    job_args: &JobArgs,
    label: &str,
) -> Result<ExitCode, Failure> {
    let job = request.job(command).map_err(Failure::input)?;
    let exec = execution(job_args);
    let tasks = job.plan.tasks();
    let variants = job.plan.variants.len() as u64;
    let pb = bar(job_args.quiet, tasks.end - tasks.start, label);
    let started = Instant::now();
    let runs = job.plan.runs;
    let mut resumed = None;
    let mut progress = |done: u64, _total: u64| {
        resumed.get_or_insert(done);
        pb.set_position(done);
        let run = (tasks.start + done) / variants.max(1);
        pb.set_message(format!("{label}, run {run}/{runs}"));
    };
    let finished = job.run(Options {
        resume: job_args.resume,
        force: job_args.force,
        exec,
        cancel: &CANCEL,
        progress: &mut progress,
        checkpoint_every: job_args.checkpoint_every,
    })?;
    pb.finish_and_clear();
    match finished {
        Finished::Interrupted { done, total } => {
            eprintln!(
                "interrupted after {done} of {total} runs; what is done is kept in {}.\nTo finish, run the same command again with --resume:\n  {}",
                job.out.display(),
                resume_command()
            );
            Ok(ExitCode::from(130))
        }
        Finished::Complete(agg) => {
            let (tables, report) = request.tables(&agg);
            job.finish(agg, &tables)?;
            if !job_args.quiet {
                eprintln!(
                    "{}",
                    super::timing(
                        tasks.end - tasks.start,
                        resumed.unwrap_or(0),
                        started.elapsed().as_secs_f64(),
                        exec.threads
                    )
                );
            }
            print::out(report_text(&request, &report, &job.out))
        }
    }
}

fn pct(i: &Interval) -> String {
    if i.estimate.is_nan() {
        return "     –".to_string();
    }
    format!(
        "{:5.1}% ({:.1}–{:.1})",
        i.estimate * 100.0,
        i.lower * 100.0,
        i.upper * 100.0
    )
}

fn pp(i: &Interval) -> String {
    if i.estimate.is_nan() {
        return "–".to_string();
    }
    format!(
        "{:+5.1} pp ({:+.1} to {:+.1})",
        i.estimate * 100.0,
        i.lower * 100.0,
        i.upper * 100.0
    )
}

/// What a finished job prints.
fn report_text(request: &Request, report: &Report, out: &Path) -> String {
    match (request, report) {
        (Request::Run(r), Report::Run(s)) => print::run_summary(&r.scenario, r, s, out),
        (Request::Sweep(r), Report::Sweep(s)) => sweep_text(r, s, out),
        (Request::Ablate(r), Report::Ablation(s)) => ablation_text(r, s, out),
        (Request::Sensitivity(r), Report::Sensitivity(s)) => sensitivity_text(r, s, out),
        _ => String::new(),
    }
}

fn shard_note(shard: Shard) -> String {
    if shard.is_whole() {
        String::new()
    } else {
        format!(
            " (shard {shard}: these figures cover only its runs; `truce merge` the shards for the whole)"
        )
    }
}

/// The last report horizon a summary has.
fn last_hold(p: &PointSummary) -> Option<(f64, Interval)> {
    REPORT_YEARS
        .iter()
        .zip(&p.hold)
        .rev()
        .find_map(|(&y, h)| h.map(|h| (y, h)))
}

fn sweep_text(r: &SweepRequest, s: &SweepReport, out: &Path) -> String {
    let mut t = String::new();
    let sc = &r.spec.common.scenario;
    let _ = writeln!(t, "{}", sc.meta.title);
    let _ = writeln!(
        t,
        "Sweep of {} design points ({}) x {} runs, seed {}{}",
        s.points.len(),
        r.spec.design.name(),
        r.runs,
        r.seed,
        shard_note(r.shard)
    );
    let _ = writeln!(t, "Varied: {}", s.parameters.join(", "));
    let _ = writeln!(t);
    let mut order: Vec<usize> = (0..s.points.len()).collect();
    let key = |i: usize| last_hold(&s.points[i]).map_or(f64::NAN, |(_, h)| h.estimate);
    order.sort_by(|&a, &b| key(b).total_cmp(&key(a)).then(a.cmp(&b)));
    let years = s.points.first().and_then(last_hold).map(|(y, _)| y);
    if let Some(y) = years {
        let shown: Vec<usize> = if order.len() <= 12 {
            order.clone()
        } else {
            let mut v = order[..5].to_vec();
            v.push(usize::MAX);
            v.extend_from_slice(&order[order.len() - 5..]);
            v
        };
        let _ = writeln!(
            t,
            "Design points by the probability that the agreement holds {} years (95% interval):",
            fmt_num(y)
        );
        for i in shown {
            if i == usize::MAX {
                let _ = writeln!(t, "  ...");
                continue;
            }
            let p = &s.points[i];
            let values: Vec<String> = s
                .parameters
                .iter()
                .zip(&s.values[i])
                .map(|(name, v)| format!("{name}={}", truce::explore::sig(*v)))
                .collect();
            let hold = last_hold(p).map(|(_, h)| pct(&h)).unwrap_or_default();
            let _ = writeln!(t, "  #{i:<4} {hold}  {}", values.join(" "));
        }
        let _ = writeln!(t);
    }
    let _ = writeln!(
        t,
        "Results in {}: sweep.csv (one row per design point), runs.csv, aggregates.json, manifest.json",
        out.display()
    );
    t
}

fn ablation_text(r: &AblateRequest, s: &AblationReport, out: &Path) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "{}", r.scenario.meta.title);
    let _ = writeln!(
        t,
        "Ablation: the full plan and the plan without each of its {} points, {} runs each, seed {}{}",
        s.rows.len(),
        r.runs,
        r.seed,
        shard_note(r.shard)
    );
    let _ = writeln!(t);
    for (&y, h) in REPORT_YEARS.iter().zip(&s.full.hold) {
        if let Some(h) = h
            && (y == 5.0 || y == 10.0)
        {
            let _ = writeln!(t, "Full plan holds {:>2} years: {}", fmt_num(y), pct(h));
        }
    }
    let _ = writeln!(t);
    match s.rank_index() {
        Some(k) => {
            let _ = writeln!(
                t,
                "Points ranked by effect: change in the probability of holding {} years when the point is switched off",
                fmt_num(REPORT_YEARS[k])
            );
            let _ = writeln!(
                t,
                "(negative: the point holds the agreement together; paired 95% intervals)"
            );
            for row in s.ranked() {
                let d = row.difference[k].map(|d| pp(&d)).unwrap_or_default();
                let _ = writeln!(
                    t,
                    "  {:>2}. point {:>2}  {:<28} {}",
                    row.rank,
                    row.point,
                    d,
                    truncate(&row.title, 60)
                );
            }
        }
        None => {
            let _ = writeln!(
                t,
                "Points ranked by the change in mean years held when switched off (the horizon is under a year):"
            );
            for row in s.ranked() {
                let _ = writeln!(
                    t,
                    "  {:>2}. point {:>2}  {:+.3} years  {}",
                    row.rank,
                    row.point,
                    row.mean_years_change,
                    truncate(&row.title, 60)
                );
            }
        }
    }
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "Results in {}: ablation.csv (one row per point), runs.csv, aggregates.json, manifest.json",
        out.display()
    );
    t
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

fn sensitivity_text(r: &SensitivityRequest, s: &SensitivityReport, out: &Path) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "{}", r.spec.common.scenario.meta.title);
    let _ = writeln!(
        t,
        "Sensitivity ({}) of {} parameters: {} design points x {} runs, seed {}{}",
        s.method.name(),
        s.parameters.len(),
        s.points,
        r.runs,
        r.seed,
        shard_note(r.shard)
    );
    for o in &s.outputs {
        let _ = writeln!(t);
        if o.indices.is_empty() {
            let _ = writeln!(t, "{}: no indices (a design point has no runs)", o.output);
            continue;
        }
        let _ = writeln!(
            t,
            "{} — parameters ranked by {}:",
            o.output,
            match s.method {
                Method::Morris =>
                    "mu* (mean absolute effect over the full range; 95% interval), sigma",
                Method::Sobol => "total index ST (first-order S; 95% intervals)",
            }
        );
        let mut order: Vec<usize> = (0..o.indices.len()).collect();
        order.sort_by_key(|&i| o.ranks[i]);
        for i in order {
            let name = &s.parameters[i];
            let line = match &o.indices[i] {
                Index::Morris { mu_star, sigma, .. } => format!(
                    "mu* {:.4} ({:.4}–{:.4})  sigma {:.4}",
                    mu_star.estimate, mu_star.lower, mu_star.upper, sigma
                ),
                Index::Sobol { first, total } => format!(
                    "ST {:.3} ({:.3}–{:.3})  S {:.3} ({:.3}–{:.3})",
                    total.estimate,
                    total.lower,
                    total.upper,
                    first.estimate,
                    first.lower,
                    first.upper
                ),
            };
            let _ = writeln!(t, "  {:>2}. {name:<40} {line}", o.ranks[i]);
        }
    }
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "Results in {}: sensitivity.csv, design.csv (one row per design point), runs.csv, aggregates.json, manifest.json",
        out.display()
    );
    t
}
