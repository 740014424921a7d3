//! What the command line prints. Each function returns text; [`out`] writes it to stdout and
//! exits quietly when the reader has gone (a pipe into `head`).

use super::Failure;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use truce::output::tables::Summary;
use truce::provisions::kind::Kind;
use truce::runs::RunRequest;
use truce::scenario::{DAYS_PER_YEAR, Scenario, fmt_num};
use truce::stats::Interval;

/// Writes `text` to stdout.
pub fn out(text: String) -> Result<ExitCode, Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(Failure::io(format!("cannot write to stdout: {e}"))),
    }
}

fn pct(i: &Interval) -> String {
    format!(
        "{:5.1}%  ({:.1}–{:.1})",
        i.estimate * 100.0,
        i.lower * 100.0,
        i.upper * 100.0
    )
}

/// The summary of `truce run`.
pub fn run_summary(scenario: &Scenario, req: &RunRequest, s: &Summary, out: &Path) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "{}", scenario.meta.title);
    let shard = if req.shard.is_whole() {
        String::new()
    } else {
        format!(", shard {}", req.shard)
    };
    let _ = writeln!(
        t,
        "{} runs, seed {}{}{}",
        s.runs,
        req.seed,
        shard,
        if req.disabled.is_empty() {
            String::new()
        } else {
            format!(
                ", without point{} {}",
                if req.disabled.len() > 1 { "s" } else { "" },
                req.disabled
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    let _ = writeln!(t);
    let _ = writeln!(t, "The agreement still holds (95% interval):");
    for (years, i) in &s.hold {
        let unit = if *years == 1.0 { "year " } else { "years" };
        let _ = writeln!(t, "  after {:>2} {unit}  {}", years, pct(i));
    }
    match s.median_collapse_day {
        Some(d) => {
            let _ = writeln!(
                t,
                "  median time to collapse: {:.1} years",
                d as f64 / DAYS_PER_YEAR
            );
        }
        None => {
            let _ = writeln!(
                t,
                "  median time to collapse: not reached within {} years",
                fmt_num(s.horizon_days as f64 / DAYS_PER_YEAR)
            );
        }
    }
    let _ = writeln!(t);
    let collapsed: u64 = s.causes.iter().map(|(_, n, _)| n).sum();
    let _ = writeln!(
        t,
        "Causes of collapse (share of all runs; {collapsed} collapsed):"
    );
    let mut causes = s.causes.clone();
    causes.sort_by_key(|c| std::cmp::Reverse(c.1));
    for (name, n, i) in &causes {
        let share_of_collapses = if collapsed > 0 {
            format!("{:.0}% of collapses", *n as f64 / collapsed as f64 * 100.0)
        } else {
            String::new()
        };
        let _ = writeln!(t, "  {name:<22} {}  {share_of_collapses}", pct(i));
    }
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "Results in {}: runs.csv, survival.csv, provisions.csv, aggregates.json, manifest.json{}",
        out.display(),
        if req.trace > 0 { ", trace.csv" } else { "" }
    );
    let _ = writeln!(
        t,
        "An exploratory model, not a forecast: see docs/MODEL.md for every assumption."
    );
    t
}

/// What `truce validate` prints.
pub fn validate(s: &Scenario) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "{}: ok", s.path.display());
    let _ = writeln!(t, "{} ({})", s.meta.title, s.meta.name);
    let horizon = s.params.spec(s.time.horizon);
    let tick = s.params.spec(s.time.tick);
    let _ = writeln!(
        t,
        "time: horizon {}, tick {} ({} parameters, {} uncertain)",
        horizon.describe(),
        tick.describe(),
        s.params.len(),
        s.params.uncertain().len()
    );
    let _ = writeln!(t);
    let _ = writeln!(t, "parties ({}):", s.parties.len());
    for (i, p) in s.parties.iter().enumerate() {
        let mut roles = Vec::new();
        if let Some(side) = s.conflict.sides.iter().position(|&x| x as usize == i) {
            roles.push(format!("armed side {}", side + 1));
        }
        if p.guarantor.is_some() {
            roles.push("guarantor".to_string());
        }
        let roles = if roles.is_empty() {
            String::new()
        } else {
            format!(" [{}]", roles.join(", "))
        };
        let _ = writeln!(t, "  {:<24} {:<9} {}{}", p.id, p.kind.name(), p.name, roles);
    }
    let _ = writeln!(t);
    let _ = writeln!(t, "memberships ({}):", s.memberships.len());
    for m in &s.memberships {
        let _ = writeln!(
            t,
            "  {:<24} in {:<24} {}",
            s.parties[m.member as usize].id,
            s.parties[m.of as usize].id,
            m.status.name()
        );
    }
    let _ = writeln!(t);
    let _ = writeln!(t, "regions ({}):", s.regions.len());
    for r in &s.regions {
        let _ = writeln!(
            t,
            "  {:<16} {:>5.2}% of the country, {:>5.1}% held by {}",
            r.id,
            s.params.spec(r.area).value * 100.0,
            s.params.spec(r.control).value * 100.0,
            s.side_id(0)
        );
    }
    let _ = writeln!(t);
    let mut provisions: Vec<_> = s.provisions.iter().collect();
    provisions.sort_by_key(|p| p.point);
    let _ = writeln!(t, "provisions by point ({}):", provisions.len());
    for p in provisions {
        let _ = writeln!(
            t,
            "  {:>2}  {:<20} {} ({} parameter{})",
            p.point,
            p.kind.info().name,
            p.title,
            p.params.len(),
            if p.params.len() == 1 { "" } else { "s" }
        );
    }
    let present: Vec<Kind> = s.kinds().iter().collect();
    if present.len() < Kind::ALL.len() {
        let missing: Vec<_> = Kind::ALL
            .iter()
            .filter(|k| !present.contains(k))
            .map(|k| k.info().name)
            .collect();
        let _ = writeln!(
            t,
            "mechanisms not used by this scenario: {}",
            missing.join(", ")
        );
    }
    t
}

/// What `truce provisions` prints.
pub fn provisions(s: &Scenario) -> String {
    let mut t = String::new();
    let mut provisions: Vec<_> = s.provisions.iter().collect();
    provisions.sort_by_key(|p| p.point);
    for p in provisions {
        let info = p.kind.info();
        let _ = writeln!(
            t,
            "{:>2}. {}  [{}, family {}]",
            p.point, p.title, info.name, info.family
        );
        let _ = writeln!(t, "    mechanism: {}", info.mechanism);
        let _ = writeln!(t, "    touches:   {}", info.touches);
        for &id in &p.params {
            let spec = s.params.spec(id);
            let key = spec
                .path
                .rsplit_once('.')
                .map_or(spec.path.as_str(), |(_, k)| k);
            let range = match spec.range_in_file_unit() {
                Some((lo, hi)) if spec.dist.is_none() => {
                    format!(", range {}–{}", fmt_num(lo), fmt_num(hi))
                }
                _ => String::new(),
            };
            let fixed = if spec.fixed {
                " (fixed by the text)"
            } else {
                ""
            };
            let _ = writeln!(t, "    - {key} = {}{range}{fixed}", spec.describe());
            let _ = writeln!(t, "        {}", spec.source);
        }
        let _ = writeln!(t);
    }
    t
}
