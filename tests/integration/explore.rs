//! `truce sweep`, `truce ablate` and `truce sensitivity` as the README shows them: the shipped
//! specifications work, the files have the promised columns, and the tables agree with the
//! runs they summarise.

use crate::util::*;
use std::collections::BTreeMap;

fn f(s: &str) -> f64 {
    s.parse()
        .unwrap_or_else(|_| panic!("`{s}` is not a number"))
}

#[test]
fn the_shipped_sweep_writes_one_row_per_design_point_with_the_promised_columns() {
    let dir = tempdir();
    let out = path(dir.path(), "sweep");
    let text = ok(&truce(&[
        "sweep",
        "scenarios/us-28-point.sweep.toml",
        "--runs",
        "15",
        "--out",
        &out,
        "--quiet",
    ]));
    assert!(text.contains("Sweep of 20 design points"), "{text}");
    let out = dir.path().join("sweep");
    let (h, rows) = read_csv(&out.join("sweep.csv"));
    let mut columns = vec![
        "design_point",
        "party.united-states.willingness",
        "point.13.lift-probability",
        "point.6.hedge-rate",
        "conflict.escalation-probability",
        "runs",
        "collapsed",
    ];
    let holds: Vec<String> = ["1y", "2y", "5y", "10y"]
        .iter()
        .flat_map(|y| {
            [
                format!("hold_{y}"),
                format!("hold_{y}_lower95"),
                format!("hold_{y}_upper95"),
            ]
        })
        .collect();
    columns.extend(holds.iter().map(String::as_str));
    columns.extend(["median_collapse_years", "mean_years_held", "leading_cause"]);
    assert_eq!(h, columns);
    assert_eq!(rows.len(), 20);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r[0], i.to_string());
        // Values lie in the ranges of the specification (in the scenario's units).
        let w = f(&r[1]);
        assert!((0.1..0.8).contains(&w), "{w}");
        assert!(
            ["0.0005", "0.001", "0.002"].contains(&r[4].as_str()),
            "{}",
            r[4]
        );
        assert_eq!(r[5], "15");
        let (est, lo, hi) = (
            f(&r[col(&h, "hold_10y")]),
            f(&r[col(&h, "hold_10y_lower95")]),
            f(&r[col(&h, "hold_10y_upper95")]),
        );
        assert!(lo <= est && est <= hi && (0.0..=1.0).contains(&est));
    }
    // runs.csv: one row per run and design point, run-major.
    let (h, runs) = read_csv(&out.join("runs.csv"));
    assert_eq!(h[0], "design_point");
    assert_eq!(runs.len(), 20 * 15);
    assert_eq!((runs[0][0].as_str(), runs[0][1].as_str()), ("0", "0"));
    assert_eq!((runs[1][0].as_str(), runs[1][1].as_str()), ("1", "0"));
    assert_eq!((runs[20][0].as_str(), runs[20][1].as_str()), ("0", "1"));
}

#[test]
fn a_grid_sweep_summarises_exactly_the_runs_of_each_design_point() {
    let dir = tempdir();
    plan_with_horizon(dir.path(), "plan.toml", 10);
    let spec = write(
        dir.path(),
        "grid.toml",
        r#"[sweep]
scenario = "plan.toml"
design = "grid"
runs = 40
seed = 3
[[parameter]]
path = "conflict.escalation-probability"
values = [0.0002, 0.005]
[[parameter]]
path = "point.6.hedge-rate"
range = [0.1, 0.3]
levels = 3
"#,
    );
    let out = path(dir.path(), "g");
    ok(&truce(&["sweep", &spec, "--out", &out, "--quiet"]));
    let out = dir.path().join("g");
    let (h, rows) = read_csv(&out.join("sweep.csv"));
    assert_eq!(rows.len(), 6, "2 x 3 combinations");
    let grid: Vec<(String, String)> = rows.iter().map(|r| (r[1].clone(), r[2].clone())).collect();
    assert_eq!(
        grid,
        [
            ("0.0002", "0.1"),
            ("0.0002", "0.2"),
            ("0.0002", "0.3"),
            ("0.005", "0.1"),
            ("0.005", "0.2"),
            ("0.005", "0.3")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // Recompute each design point's hold probability at 10 years from runs.csv.
    let (rh, runs) = read_csv(&out.join("runs.csv"));
    let mut held: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut seeds: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &runs {
        let e = held.entry(r[col(&rh, "design_point")].clone()).or_default();
        e.1 += 1;
        if r[col(&rh, "outcome")] == "held" {
            e.0 += 1;
        }
        seeds
            .entry(r[col(&rh, "design_point")].clone())
            .or_default()
            .push(r[col(&rh, "seed")].clone());
    }
    for r in &rows {
        let (n_held, n) = held[&r[0]];
        assert_eq!(r[col(&h, "runs")], n.to_string());
        assert_eq!(r[col(&h, "collapsed")], (n - n_held).to_string());
        let share = f(&r[col(&h, "hold_10y")]);
        assert!((share - n_held as f64 / n as f64).abs() < 1e-6, "{share}");
    }
    // Common random numbers: every design point has the same run seeds.
    let first = &seeds["0"];
    assert!(seeds.values().all(|s| s == first));
    // Escalation 25 times likelier makes the agreement hold less often (with the same seeds).
    let hold = |i: usize| f(&rows[i][col(&h, "hold_10y")]);
    assert!(hold(0) > hold(3), "{} vs {}", hold(0), hold(3));
}

#[test]
fn ablate_pairs_each_point_with_the_full_plan_and_ranks_the_points() {
    let dir = tempdir();
    let out = path(dir.path(), "a");
    let text = ok(&truce(&[
        "ablate", PLAN, "--runs", "40", "--seed", "2", "--out", &out, "--quiet",
    ]));
    assert!(text.contains("Points ranked by effect"), "{text}");
    assert!(text.contains("Full plan holds 10 years"), "{text}");
    let out = dir.path().join("a");
    let (h, rows) = read_csv(&out.join("ablation.csv"));
    for c in [
        "point",
        "title",
        "rank",
        "hold_5y_without",
        "hold_5y_without_lower95",
        "hold_10y_without",
        "hold_10y_without_upper95",
        "difference_5y",
        "difference_10y",
        "difference_10y_lower95",
        "difference_10y_upper95",
        "median_collapse_change_years",
        "mean_years_held_change",
    ] {
        col(&h, c);
    }
    assert_eq!(rows.len(), 28);
    let mut ranks: Vec<u32> = rows
        .iter()
        .map(|r| r[col(&h, "rank")].parse().unwrap())
        .collect();
    ranks.sort_unstable();
    assert_eq!(ranks, (1..=28).collect::<Vec<_>>());

    // The full plan's runs and each variant's runs share their seeds; the difference is the
    // variant's hold share minus the full plan's.
    let (rh, runs) = read_csv(&out.join("runs.csv"));
    assert_eq!(runs.len(), 29 * 40);
    let by = |label: &str| -> Vec<&Vec<String>> {
        runs.iter()
            .filter(|r| r[col(&rh, "disabled_point")] == label)
            .collect()
    };
    let full = by("");
    let share = |rs: &[&Vec<String>]| {
        rs.iter()
            .filter(|r| r[col(&rh, "outcome")] == "held")
            .count() as f64
            / rs.len() as f64
    };
    for r in &rows {
        let without = by(&r[0]);
        assert_eq!(without.len(), 40);
        for (a, b) in full.iter().zip(&without) {
            assert_eq!(a[col(&rh, "seed")], b[col(&rh, "seed")]);
        }
        let d = f(&r[col(&h, "difference_10y")]);
        assert!(
            (d - (share(&without) - share(&full))).abs() < 1e-6,
            "point {}",
            r[0]
        );
        let (lo, hi) = (
            f(&r[col(&h, "difference_10y_lower95")]),
            f(&r[col(&h, "difference_10y_upper95")]),
        );
        assert!(lo <= d && d <= hi);
    }
    // Rank 1 has the most negative difference.
    let min = rows
        .iter()
        .map(|r| f(&r[col(&h, "difference_10y")]))
        .fold(f64::INFINITY, f64::min);
    let first = rows.iter().find(|r| r[col(&h, "rank")] == "1").unwrap();
    assert_eq!(f(&first[col(&h, "difference_10y")]), min);
}

#[test]
fn the_shipped_sensitivity_spec_gives_morris_and_sobol_indices() {
    let dir = tempdir();
    for (method, runs, points, columns) in [
        (
            "morris",
            "6",
            10 * 8,
            &[
                "mu",
                "mu_star",
                "mu_star_lower95",
                "mu_star_upper95",
                "sigma",
            ][..],
        ),
        (
            "sobol",
            "2",
            64 * 9,
            &[
                "first",
                "first_lower95",
                "first_upper95",
                "total",
                "total_lower95",
                "total_upper95",
            ][..],
        ),
    ] {
        let out = path(dir.path(), method);
        let text = ok(&truce(&[
            "sensitivity",
            "scenarios/us-28-point.sensitivity.toml",
            "--method",
            method,
            "--runs",
            runs,
            "--out",
            &out,
            "--quiet",
        ]));
        assert!(text.contains("hold_10y"), "{text}");
        let out = dir.path().join(method);
        let (h, rows) = read_csv(&out.join("sensitivity.csv"));
        for c in [
            "method",
            "output",
            "parameter",
            "unit",
            "low",
            "high",
            "rank",
        ]
        .iter()
        .chain(columns)
        {
            col(&h, c);
        }
        // Two outputs for each of the seven parameters.
        assert_eq!(rows.len(), 14);
        let outputs: Vec<&str> = rows.iter().map(|r| r[col(&h, "output")].as_str()).collect();
        assert_eq!(outputs.iter().filter(|o| **o == "hold_10y").count(), 7);
        assert_eq!(
            outputs
                .iter()
                .filter(|o| **o == "mean_years_held_10y")
                .count(),
            7
        );
        for r in &rows {
            assert_eq!(r[col(&h, "method")], method);
            assert!(!r[col(&h, "rank")].is_empty());
        }
        let (_, design) = read_csv(&out.join("design.csv"));
        assert_eq!(design.len(), points);
        let (_, run_rows) = read_csv(&out.join("runs.csv"));
        assert_eq!(run_rows.len(), points * runs.parse::<usize>().unwrap());
    }
}

#[test]
fn morris_ranks_a_parameter_without_effect_last() {
    // `party.united-states.willingness` only acts through the guarantee (points 5 and 10):
    // with both switched off it has no effect at all, while the escalation probability does.
    let dir = tempdir();
    plan_with_horizon(dir.path(), "plan.toml", 2);
    let spec = write(
        dir.path(),
        "m.toml",
        r#"[sensitivity]
scenario = "plan.toml"
runs = 60
years = 2
trajectories = 6
disable = [5, 10]
[[parameter]]
path = "conflict.escalation-probability"
range = [0.0002, 0.02]
[[parameter]]
path = "party.united-states.willingness"
"#,
    );
    let out = path(dir.path(), "m");
    ok(&truce(&[
        "sensitivity",
        &spec,
        "--method",
        "morris",
        "--out",
        &out,
        "--quiet",
    ]));
    let (h, rows) = read_csv(&dir.path().join("m/sensitivity.csv"));
    let hold: Vec<&Vec<String>> = rows.iter().filter(|r| r[1] == "hold_2y").collect();
    let mu_star = |p: &str| {
        f(&hold.iter().find(|r| r[col(&h, "parameter")] == p).unwrap()[col(&h, "mu_star")])
    };
    assert_eq!(mu_star("party.united-states.willingness"), 0.0);
    assert!(mu_star("conflict.escalation-probability") > 0.05);
}
