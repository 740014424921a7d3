//! The provisions' own checks and outputs, through the binary: funds that would hold negative
//! money and schedules that end before they start are refused with exit status 2 and a
//! message naming the file, line, column and key; a parameter given as a distribution is drawn
//! per run and reported in `runs.csv`; `--trace K` traces the first K runs. (An unknown point
//! in `--disable` is covered in `bad_input`.)

use crate::util::*;

/// Validates the shipped scenario with `from` replaced by `to`, expecting exit status 2 and a
/// message at the line and column of `to`'s value that names `key`; returns the message.
fn refused_at(from: &str, to: &str, key: &str) -> String {
    let dir = tempdir();
    let p = variant(dir.path(), from, to);
    let err = bad(&truce(&["validate", &p.display().to_string()]));
    // The value's place: its line, and the column (1-based) of the inline table.
    let text = plan_text().replacen(from, to, 1);
    let (line, column) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find(to).map(|c| (i + 1, c + to.find('{').unwrap() + 1)))
        .expect("the replacement is in the text");
    let place = format!("{}:{line}:{column}: ", p.display());
    assert!(
        err.contains(&place),
        "the message is not at {place}:\n{err}"
    );
    assert!(
        err.contains(&format!("`{key}`")),
        "the message does not name `{key}`:\n{err}"
    );
    err
}

#[test]
fn frozen_assets_below_what_goes_to_reconstruction_are_refused() {
    let err = refused_at(
        "frozen-total = { value = 300, unit = \"usd-bn\", range = [230, 330]",
        "frozen-total = { value = 50, unit = \"usd-bn\", range = [40, 330]",
        "point.14.frozen-total",
    );
    assert!(
        err.contains("point.14.to-reconstruction") && err.contains("negative money"),
        "{err}"
    );
}

#[test]
fn negative_finance_is_refused() {
    let err = refused_at(
        "finance = { value = 100, unit = \"usd-bn\"",
        "finance = { value = -100, unit = \"usd-bn\"",
        "point.12.finance",
    );
    assert!(
        err.contains("non-negative") && err.contains("-100"),
        "{err}"
    );
}

#[test]
fn reconstruction_that_ends_before_it_starts_is_refused() {
    let err = refused_at(
        "end = { value = 7, unit = \"years\", range = [4, 10]",
        "end = { value = 0.1, unit = \"years\", range = [0.05, 10]",
        "point.12.end",
    );
    assert!(
        err.contains("ends before it starts") && err.contains("`point.12.start`"),
        "{err}"
    );
}

#[test]
fn a_plant_whose_last_unit_restarts_before_its_first_is_refused() {
    let err = refused_at(
        "last-unit = { value = 5, unit = \"years\", range = [3, 8]",
        "last-unit = { value = 1, unit = \"years\", range = [0.5, 8]",
        "point.19.last-unit",
    );
    assert!(
        err.contains("ends before it starts") && err.contains("`point.19.first-unit`"),
        "{err}"
    );
}

#[test]
fn a_ceasefire_deadline_before_the_withdrawal_can_finish_is_refused() {
    let err = refused_at(
        "deadline = { value = 180, unit = \"days\", range = [90, 365]",
        "deadline = { value = 30, unit = \"days\", range = [14, 365]",
        "point.28.deadline",
    );
    assert!(
        err.contains("`point.28.withdrawal-duration`") && err.contains("30 days"),
        "{err}"
    );
}

/// The column of `runs.csv` under `out` named `name`, as numbers.
fn column(out: &std::path::Path, name: &str) -> Vec<f64> {
    let (h, rows) = read_csv(&out.join("runs.csv"));
    let c = col(&h, name);
    rows.iter()
        .map(|r| {
            r[c].parse()
                .unwrap_or_else(|_| panic!("`{name}` holds {:?}, not a number", r[c]))
        })
        .collect()
}

#[test]
fn a_parameter_given_as_a_distribution_is_drawn_per_run_and_reported() {
    let dir = tempdir();
    let scenario = variant(
        dir.path(),
        "weariness-half-life = { value = 6, unit = \"years\", range = [3, 12],",
        "weariness-half-life = { dist = \"uniform\", min = 3, max = 12, unit = \"years\",",
    );
    let scenario = scenario.display().to_string();
    let mut files = Vec::new();
    for threads in ["1", "2"] {
        let out = path(dir.path(), &format!("t{threads}"));
        ok(&truce(&[
            "run",
            &scenario,
            "--runs",
            "60",
            "--seed",
            "5",
            "--threads",
            threads,
            "--out",
            &out,
            "--quiet",
        ]));
        files.push(std::fs::read(dir.path().join(format!("t{threads}/runs.csv"))).unwrap());
    }
    // One column named by the parameter's path, in the file's unit (years, not days).
    let drawn = column(&dir.path().join("t1"), "conflict.weariness-half-life");
    assert_eq!(drawn.len(), 60);
    assert!(
        drawn.iter().all(|&x| (3.0..=12.0).contains(&x)),
        "outside [3, 12]: {drawn:?}"
    );
    let mut distinct = drawn.clone();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    assert!(
        distinct.len() > 50,
        "the runs do not draw their own values: {drawn:?}"
    );
    // Sixty uniform draws on [3, 12] spread over most of it.
    assert!(
        distinct[0] < 4.5 && distinct[distinct.len() - 1] > 10.5,
        "{distinct:?}"
    );
    // The draws belong to the runs, not to the threads.
    assert!(
        files[0] == files[1],
        "runs.csv differs between --threads 1 and 2"
    );
    assert_eq!(
        drawn,
        column(&dir.path().join("t2"), "conflict.weariness-half-life")
    );
    // The shipped scenario, with no distribution, has no such column.
    let out = path(dir.path(), "plain");
    ok(&truce(&[
        "run", PLAN, "--runs", "5", "--seed", "5", "--out", &out, "--quiet",
    ]));
    let (h, _) = read_csv(&dir.path().join("plain/runs.csv"));
    assert!(!h.iter().any(|c| c == "conflict.weariness-half-life"));
}

#[test]
fn trace_writes_the_state_of_the_first_runs_only() {
    let dir = tempdir();
    let out = path(dir.path(), "t");
    ok(&truce(&[
        "run", PLAN, "--runs", "10", "--seed", "3", "--trace", "3", "--out", &out, "--quiet",
    ]));
    let (h, rows) = read_csv(&dir.path().join("t/trace.csv"));
    assert_eq!(h, ["run", "day", "entity", "variable", "value"]);
    let mut runs: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    runs.dedup();
    assert_eq!(runs, ["0", "1", "2"], "rows are for runs 0 to 2, in order");
    for run in ["0", "1", "2"] {
        let mine: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == run).collect();
        // The run as a whole and both sides are traced from the first tick on.
        for entity in ["run", "russia", "ukraine"] {
            assert!(
                mine.iter().any(|r| r[2] == entity),
                "run {run}: no rows for {entity}"
            );
        }
        assert_eq!(mine[0][1], "7", "run {run} starts at the first tick");
        assert!(
            mine.iter()
                .any(|r| r[2] == "ukraine" && r[3] == "trust" && r[4].parse::<f64>().is_ok())
        );
    }
    // Without --trace there is no trace file.
    let out = path(dir.path(), "u");
    ok(&truce(&[
        "run", PLAN, "--runs", "10", "--seed", "3", "--out", &out, "--quiet",
    ]));
    assert!(!dir.path().join("u/trace.csv").exists());
}
