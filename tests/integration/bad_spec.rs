//! Bad sweep and sensitivity specifications, and bad command lines of the exploring commands:
//! one clear message naming the file, line and column where the problem has a place, and exit
//! status 2, never a panic.

use crate::util::*;
use std::path::Path;

/// Writes a sweep specification whose `[sweep]` table refers to the shipped scenario and
/// continues with `body`; returns its path.
fn spec(dir: &Path, head: &str, body: &str) -> String {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join(PLAN);
    write(
        dir,
        "bad.toml",
        &format!("[{head}]\nscenario = \"{}\"\n{body}", scenario.display()),
    )
}

/// Runs `truce sweep` on a bad specification; expects exit status 2 and a message that starts
/// with `path:line:column:` and contains every `want`.
fn refuse_sweep(body: &str, line: usize, column: usize, wants: &[&str]) {
    let dir = tempdir();
    let p = spec(dir.path(), "sweep", body);
    let out = path(dir.path(), "out");
    let err = bad(&truce(&["sweep", &p, "--out", &out, "--quiet"]));
    let place = format!("{p}:{line}:{column}:");
    assert!(err.contains(&place), "expected `{place}` in:\n{err}");
    for w in wants {
        assert!(err.contains(w), "expected `{w}` in:\n{err}");
    }
    assert!(
        !dir.path().join("out").exists(),
        "nothing is written for a bad specification"
    );
}

#[test]
fn an_unknown_parameter_is_named_with_its_place_and_the_closest_name() {
    refuse_sweep(
        "design = \"grid\"\nruns = 5\n[[parameter]]\npath = \"point.6.hedge-rat\"\nvalues = [0.1]\n",
        6,
        8,
        &[
            "unknown parameter `point.6.hedge-rat`",
            "did you mean `point.6.hedge-rate`",
            "truce provisions",
        ],
    );
}

#[test]
fn an_empty_range_is_refused_with_its_place() {
    refuse_sweep(
        "design = \"latin-hypercube\"\npoints = 4\nruns = 5\n[[parameter]]\npath = \"point.6.hedge-rate\"\nrange = [0.5, 0.2]\n",
        8,
        9,
        &["[0.5, 0.2] is empty"],
    );
    refuse_sweep(
        "design = \"grid\"\nruns = 5\n[[parameter]]\npath = \"point.6.hedge-rate\"\nvalues = []\n",
        7,
        10,
        &["`values` is empty"],
    );
}

#[test]
fn zero_design_points_or_runs_are_refused_with_their_place() {
    refuse_sweep(
        "design = \"random\"\npoints = 0\nruns = 5\n[[parameter]]\npath = \"point.6.hedge-rate\"\n",
        4,
        10,
        &["`points` must be at least 1"],
    );
    refuse_sweep(
        "design = \"random\"\npoints = 3\nruns = 0\n[[parameter]]\npath = \"point.6.hedge-rate\"\n",
        5,
        8,
        &["`runs` must be at least 1"],
    );
}

#[test]
fn unknown_keys_designs_and_values_outside_the_domain_are_refused_with_their_place() {
    refuse_sweep(
        "design = \"grid\"\nruns = 5\nrepeats = 3\n[[parameter]]\npath = \"point.6.hedge-rate\"\nvalues = [0.1]\n",
        5,
        1,
        &["repeats"],
    );
    refuse_sweep(
        "design = \"sobol\"\nruns = 5\n[[parameter]]\npath = \"point.6.hedge-rate\"\nvalues = [0.1]\n",
        3,
        10,
        &["sobol", "latin-hypercube"],
    );
    refuse_sweep(
        "design = \"grid\"\nruns = 5\n[[parameter]]\npath = \"conflict.escalation-probability\"\nvalues = [0.001, 1.5]\n",
        7,
        10,
        &["[0, 1]"],
    );
    refuse_sweep(
        "design = \"grid\"\nruns = 5\n[[parameter]]\npath = \"point.6.hedge-rate\"\nrange = [0.1, 0.3]\n",
        6,
        8,
        &["levels"],
    );
    refuse_sweep(
        "design = \"grid\"\nruns = 5\n[[parameter]]\npath = \"point.6.cap\"\n",
        6,
        8,
        &["fixed by the agreement's text"],
    );
}

#[test]
fn a_missing_scenario_is_named_at_its_place_in_the_specification() {
    let dir = tempdir();
    let p = write(
        dir.path(),
        "s.toml",
        "[sweep]\nscenario = \"nowhere.toml\"\ndesign = \"grid\"\nruns = 5\n[[parameter]]\npath = \"x\"\nvalues = [1]\n",
    );
    let err = bad(&truce(&["sweep", &p, "--quiet"]));
    assert!(
        err.contains(&format!("{p}:2:12:")) && err.contains("nowhere.toml"),
        "{err}"
    );
    let err = bad(&truce(&["sweep", "no/such/spec.toml"]));
    assert!(
        err.contains("no/such/spec.toml") && err.contains("cannot read"),
        "{err}"
    );
}

#[test]
fn specifications_given_to_the_wrong_command_say_which_one_reads_them() {
    let dir = tempdir();
    let p = spec(
        dir.path(),
        "sensitivity",
        "runs = 5\n[[parameter]]\npath = \"conflict.deterrence\"\n",
    );
    let err = bad(&truce(&["sweep", &p]));
    assert!(err.contains("truce sensitivity"), "{err}");
    let err = bad(&truce(&["sensitivity", PLAN, "--method", "morris"]));
    assert!(err.contains("looks like a scenario"), "{err}");
}

#[test]
fn bad_sensitivity_settings_and_methods_are_refused() {
    let dir = tempdir();
    let p = spec(
        dir.path(),
        "sensitivity",
        "runs = 5\nlevels = 5\n[[parameter]]\npath = \"conflict.deterrence\"\n",
    );
    let err = bad(&truce(&["sensitivity", &p, "--method", "morris"]));
    assert!(
        err.contains(&format!("{p}:4:10:")) && err.contains("even"),
        "{err}"
    );
    let p = spec(
        dir.path(),
        "sensitivity",
        "runs = 5\n[[parameter]]\npath = \"conflict.deterrence\"\nvalues = [0.1, 0.2]\n",
    );
    let err = bad(&truce(&["sensitivity", &p, "--method", "sobol"]));
    assert!(
        err.contains(&format!("{p}:6:10:")) && err.contains("range"),
        "{err}"
    );
    let err = bad(&truce(&["sensitivity", &p]));
    assert!(err.contains("--method"), "{err}");
    let err = bad(&truce(&["sensitivity", &p, "--method", "fast"]));
    assert!(err.contains("morris") && err.contains("sobol"), "{err}");
}

#[test]
fn zero_runs_or_threads_on_the_exploring_commands_are_usage_errors() {
    for args in [
        vec!["sweep", "scenarios/us-28-point.sweep.toml", "--runs", "0"],
        vec!["ablate", PLAN, "--runs", "0"],
        vec!["ablate", PLAN, "--threads", "0"],
        vec!["merge", "--out", "x"],
        vec!["merge", "a", "b"],
    ] {
        let err = bad(&truce(&args));
        assert!(err.contains("error"), "{args:?}: {err}");
    }
}
