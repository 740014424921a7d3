//! `truce run`, `validate` and `provisions` on the shipped scenario: the files, their columns,
//! the summary, and the promises about existing results.

use crate::util::*;

#[test]
fn run_writes_the_three_tables_and_a_manifest_with_the_promised_columns() {
    let dir = tempdir();
    let out = path(dir.path(), "r");
    let text = ok(&truce(&[
        "run", PLAN, "--runs", "400", "--seed", "42", "--out", &out, "--quiet",
    ]));
    let out = dir.path().join("r");

    let (h, rows) = read_csv(&out.join("runs.csv"));
    for c in [
        "run",
        "seed",
        "outcome",
        "collapse_day",
        "cause",
        "ceasefire_day",
        "violations_russia",
        "violations_ukraine",
        "personnel_russia",
        "personnel_ukraine",
        "sanctions_phases",
    ] {
        col(&h, c);
    }
    assert_eq!(rows.len(), 400);
    let (run, outcome, day, cause) = (
        col(&h, "run"),
        col(&h, "outcome"),
        col(&h, "collapse_day"),
        col(&h, "cause"),
    );
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r[run], i.to_string(), "rows are ordered by run");
        match r[outcome].as_str() {
            "held" => assert!(r[day].is_empty() && r[cause].is_empty()),
            "collapsed" => assert!(!r[day].is_empty() && !r[cause].is_empty()),
            other => panic!("outcome {other}"),
        }
    }
    let held = rows.iter().filter(|r| r[outcome] == "held").count();
    assert!(held > 0 && held < 400, "degenerate: {held} of 400 held");

    let (h, rows) = read_csv(&out.join("survival.csv"));
    for c in ["day", "survival", "lower95", "upper95"] {
        col(&h, c);
    }
    let (s, lo, hi) = (col(&h, "survival"), col(&h, "lower95"), col(&h, "upper95"));
    let mut last = 1.0;
    for r in &rows {
        let (s, lo, hi): (f64, f64, f64) = (
            r[s].parse().unwrap(),
            r[lo].parse().unwrap(),
            r[hi].parse().unwrap(),
        );
        assert!(s <= last + 1e-12, "survival never rises");
        assert!(lo <= s && s <= hi, "the interval holds the estimate");
        last = s;
    }
    // The final survival is the share of runs that held.
    assert!((last - held as f64 / 400.0).abs() < 1e-6);

    let (h, rows) = read_csv(&out.join("provisions.csv"));
    col(&h, "point");
    col(&h, "implementation");
    col(&h, "violations_per_run_russia");
    col(&h, "first_violation_day_p50_ukraine");
    assert_eq!(rows.len(), 28);

    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    for k in [
        "truce_version",
        "scenario",
        "scenario_sha256",
        "seed",
        "runs",
        "command",
    ] {
        assert!(manifest.get(k).is_some(), "manifest lacks {k}");
    }
    assert_eq!(manifest["seed"], 42);
    assert_eq!(manifest["runs"], 400);
    assert!(manifest["files"]["runs.csv"].as_str().unwrap().len() == 64);

    // The summary gives hold probabilities at 1, 2, 5, 10 years with intervals, and causes.
    for y in [
        "after  1 year",
        "after  2 years",
        "after  5 years",
        "after 10 years",
    ] {
        assert!(text.contains(y), "summary lacks `{y}`:\n{text}");
    }
    assert!(
        text.contains("Causes of collapse") && text.contains("escalation"),
        "{text}"
    );
    // No temporary or partial files are left behind.
    for e in std::fs::read_dir(&out).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            !name.ends_with(".partial") && !name.starts_with('.') && name != "checkpoint.json",
            "left {name}"
        );
    }
}

#[test]
fn the_same_command_can_be_repeated_but_other_results_are_not_replaced() {
    let dir = tempdir();
    let out = path(dir.path(), "r");
    let args = [
        "run", PLAN, "--runs", "50", "--seed", "3", "--out", &out, "--quiet",
    ];
    ok(&truce(&args));
    let first = std::fs::read(dir.path().join("r/runs.csv")).unwrap();
    ok(&truce(&args));
    assert_eq!(first, std::fs::read(dir.path().join("r/runs.csv")).unwrap());
    // A different job into the same directory is refused, and the results stay.
    let err = bad(&truce(&[
        "run", PLAN, "--runs", "50", "--seed", "4", "--out", &out, "--quiet",
    ]));
    assert!(
        err.contains("already holds the results of another job") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(first, std::fs::read(dir.path().join("r/runs.csv")).unwrap());
    // --force replaces them.
    ok(&truce(&[
        "run", PLAN, "--runs", "50", "--seed", "4", "--out", &out, "--quiet", "--force",
    ]));
    assert_ne!(first, std::fs::read(dir.path().join("r/runs.csv")).unwrap());
}

#[test]
fn the_default_output_directory_is_named_after_the_scenario() {
    let dir = tempdir();
    let scenario = dir.path().join("my-plan.toml");
    std::fs::write(&scenario, plan_text()).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_truce"))
        .args(["run", "my-plan.toml", "--runs", "20", "--quiet"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    ok(&o);
    assert!(dir.path().join("out/my-plan/runs.csv").exists());
}

#[test]
fn validate_lists_parties_and_all_28_points() {
    let text = ok(&truce(&["validate", PLAN]));
    assert!(
        text.contains("russia") && text.contains("peace-council"),
        "{text}"
    );
    for p in 1..=28 {
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(&format!("{p} "))),
            "point {p} missing:\n{text}"
        );
    }
}

#[test]
fn provisions_lists_mechanisms_and_parameters_with_sources() {
    let text = ok(&truce(&["provisions", PLAN]));
    assert!(
        text.contains("6. Ukraine's armed forces capped at 600,000"),
        "{text}"
    );
    assert!(
        text.contains("cap = 600000 personnel (fixed by the text)"),
        "{text}"
    );
    assert!(text.contains("mechanism:") && text.contains("touches:"));
    assert_eq!(text.matches("mechanism:").count(), 28);
}

#[test]
fn help_has_examples() {
    let text = ok(&truce(&["run", "--help"]));
    assert!(
        text.contains("Examples:") && text.contains("--runs"),
        "{text}"
    );
}
