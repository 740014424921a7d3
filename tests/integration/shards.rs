//! Sharding across machines: `--shard K/N` on run, sweep, ablate and sensitivity, and
//! `truce merge`, whose output must be byte-identical to the same command on one machine; and
//! merge's refusals (shards of different jobs, missing, repeated or unfinished shards, changed
//! files, a directory holding other results).

use crate::util::*;
use std::path::Path;

/// Runs `args` once whole into `dir/one`, then as `n` shards into `dir/shard-K`, merges the
/// shards (given in reverse order) into `dir/merged`, and checks that the merged directory is
/// the one-machine directory, byte for byte.
fn shard_and_merge(dir: &Path, args: &[&str], n: u64) {
    let one = path(dir, "one");
    let mut a: Vec<&str> = args.to_vec();
    a.extend(["--out", &one, "--quiet"]);
    ok(&truce(&a));
    let mut shards = Vec::new();
    for k in 0..n {
        let out = path(dir, &format!("shard-{k}"));
        let shard = format!("{k}/{n}");
        let mut a: Vec<&str> = args.to_vec();
        a.extend([
            "--out",
            &out,
            "--quiet",
            "--shard",
            &shard,
            "--threads",
            "1",
        ]);
        ok(&truce(&a));
        shards.push(out);
    }
    let merged = path(dir, "merged");
    let mut m = vec!["merge"];
    m.extend(shards.iter().rev().map(String::as_str));
    m.extend(["--out", &merged]);
    let text = ok(&truce(&m));
    assert!(text.contains(&format!("Merged {n} shards")), "{text}");
    assert_same_results(&dir.join("one"), &dir.join("merged"));
    // The shards' manifests say which shard they hold; the merged one does not.
    let shard0 = std::fs::read_to_string(dir.join("shard-0/manifest.json")).unwrap();
    assert!(shard0.contains("\"shard\""), "{shard0}");
    let merged = std::fs::read_to_string(dir.join("merged/manifest.json")).unwrap();
    assert!(!merged.contains("\"shard\""), "{merged}");
}

#[test]
fn run_shards_merge_into_the_one_machine_result_byte_for_byte() {
    let dir = tempdir();
    // With a trace, so that trace.csv is joined too.
    shard_and_merge(
        dir.path(),
        &[
            "run",
            PLAN,
            "--runs",
            "90",
            "--seed",
            "5",
            "--trace",
            "3",
            "--disable",
            "7",
        ],
        3,
    );
}

#[test]
fn sweep_shards_merge_into_the_one_machine_result_byte_for_byte() {
    let dir = tempdir();
    plan_with_horizon(dir.path(), "plan.toml", 3);
    let spec = write(
        dir.path(),
        "s.sweep.toml",
        r#"[sweep]
scenario = "plan.toml"
design = "latin-hypercube"
points = 5
runs = 23
seed = 9
[[parameter]]
path = "conflict.escalation-probability"
range = [0.0005, 0.004]
[[parameter]]
path = "party.united-states.willingness"
values = [0.2, 0.6]
"#,
    );
    // 23 runs in 4 shards: shards of 5 and 6 runs.
    shard_and_merge(dir.path(), &["sweep", &spec], 4);
}

#[test]
fn ablate_shards_merge_into_the_one_machine_result_byte_for_byte() {
    let dir = tempdir();
    let plan = plan_with_horizon(dir.path(), "plan.toml", 5);
    let plan = plan.display().to_string();
    shard_and_merge(
        dir.path(),
        &["ablate", &plan, "--runs", "20", "--seed", "3"],
        2,
    );
}

#[test]
fn sensitivity_shards_merge_into_the_one_machine_result_byte_for_byte() {
    let dir = tempdir();
    plan_with_horizon(dir.path(), "plan.toml", 2);
    let spec = write(
        dir.path(),
        "s.toml",
        r#"[sensitivity]
scenario = "plan.toml"
runs = 12
years = 2
trajectories = 3
resamples = 50
[[parameter]]
path = "conflict.escalation-probability"
[[parameter]]
path = "party.russia.base-hazard"
"#,
    );
    shard_and_merge(dir.path(), &["sensitivity", &spec, "--method", "morris"], 3);
}

/// Runs shard `shard` of `truce run` with `extra` options into `dir/name`.
fn run_shard(dir: &Path, name: &str, shard: &str, extra: &[&str]) -> String {
    let out = path(dir, name);
    let mut a = vec![
        "run", PLAN, "--runs", "12", "--quiet", "--out", &out, "--shard", shard,
    ];
    a.extend_from_slice(extra);
    ok(&truce(&a));
    out
}

#[test]
fn merge_refuses_shards_of_different_seeds() {
    let dir = tempdir();
    let a = run_shard(dir.path(), "a", "0/2", &["--seed", "1"]);
    let b = run_shard(dir.path(), "b", "1/2", &["--seed", "2"]);
    let out = path(dir.path(), "m");
    let err = bad(&truce(&["merge", &a, &b, "--out", &out]));
    assert!(
        err.contains("shards of different jobs") && err.contains("seed 1 vs 2"),
        "{err}"
    );
    assert!(!dir.path().join("m/manifest.json").exists());
}

#[test]
fn merge_refuses_missing_repeated_unfinished_and_whole_results() {
    let dir = tempdir();
    let d = dir.path();
    let s0 = run_shard(d, "s0", "0/3", &[]);
    let s1 = run_shard(d, "s1", "1/3", &[]);
    let out = path(d, "m");

    let err = bad(&truce(&["merge", &s0, &s1, "--out", &out]));
    assert!(err.contains("2/3") && err.contains("missing"), "{err}");

    let err = bad(&truce(&["merge", &s0, &s0, &s1, "--out", &out]));
    assert!(err.contains("given twice"), "{err}");

    let other = run_shard(d, "other", "2/4", &[]);
    let err = bad(&truce(&["merge", &s0, &s1, &other, "--out", &out]));
    assert!(err.contains("different"), "{err}");

    // A shard still running (or interrupted) has a checkpoint.
    let s2 = run_shard(d, "s2", "2/3", &[]);
    std::fs::write(d.join("s2/checkpoint.json"), "{}").unwrap();
    let err = bad(&truce(&["merge", &s0, &s1, &s2, "--out", &out]));
    assert!(
        err.contains("unfinished") && err.contains("--resume"),
        "{err}"
    );
    std::fs::remove_file(d.join("s2/checkpoint.json")).unwrap();

    // A whole job is not a shard; an empty directory is not a result.
    let whole = path(d, "whole");
    ok(&truce(&[
        "run", PLAN, "--runs", "5", "--quiet", "--out", &whole,
    ]));
    let err = bad(&truce(&["merge", &s0, &whole, "--out", &out]));
    assert!(err.contains("not a shard"), "{err}");
    std::fs::create_dir(d.join("empty")).unwrap();
    let err = bad(&truce(&["merge", &path(d, "empty"), "--out", &out]));
    assert!(err.contains("no manifest.json"), "{err}");

    // Merging into one of the shards is refused.
    let err = bad(&truce(&["merge", &s0, &s1, &s2, "--out", &s1]));
    assert!(err.contains("one of the shards"), "{err}");

    // A shard whose file changed after it finished is refused.
    let runs = d.join("s1/runs.csv");
    let original = std::fs::read(&runs).unwrap();
    let mut changed = original.clone();
    changed.extend_from_slice(b"x\n");
    std::fs::write(&runs, &changed).unwrap();
    let err = bad(&truce(&["merge", &s0, &s1, &s2, "--out", &out]));
    assert!(err.contains("does not match its manifest"), "{err}");
    std::fs::write(&runs, &original).unwrap();

    // With everything right, it merges.
    ok(&truce(&["merge", &s0, &s1, &s2, "--out", &out, "--quiet"]));
    assert!(d.join("m/manifest.json").exists());
}

#[test]
fn merge_does_not_replace_other_results_unless_forced() {
    let dir = tempdir();
    let d = dir.path();
    let s0 = run_shard(d, "s0", "0/2", &[]);
    let s1 = run_shard(d, "s1", "1/2", &[]);
    let out = path(d, "m");
    ok(&truce(&[
        "run", PLAN, "--runs", "7", "--quiet", "--out", &out,
    ]));
    let kept = files(&d.join("m"));
    let err = bad(&truce(&["merge", &s0, &s1, "--out", &out]));
    assert!(
        err.contains("already holds other results") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(kept, files(&d.join("m")), "the results were touched");
    // Merging again over its own merged result is fine; --force replaces other results.
    ok(&truce(&[
        "merge", &s0, &s1, "--out", &out, "--quiet", "--force",
    ]));
    ok(&truce(&["merge", &s0, &s1, "--out", &out, "--quiet"]));
    let one = path(d, "one");
    ok(&truce(&[
        "run", PLAN, "--runs", "12", "--quiet", "--out", &one,
    ]));
    assert_same_results(&d.join("one"), &d.join("m"));
}

#[test]
fn shards_hold_contiguous_runs_and_the_shard_is_validated() {
    let dir = tempdir();
    let d = dir.path();
    run_shard(d, "s1", "1/3", &[]);
    let (h, rows) = read_csv(&d.join("s1/runs.csv"));
    let runs: Vec<String> = rows.iter().map(|r| r[col(&h, "run")].clone()).collect();
    assert_eq!(runs, ["4", "5", "6", "7"]);
    for cmd in [
        vec!["run", PLAN, "--shard", "3/3"],
        vec!["ablate", PLAN, "--shard", "3/3"],
        vec![
            "sweep",
            "scenarios/us-28-point.sweep.toml",
            "--shard",
            "3/3",
        ],
        vec!["run", PLAN, "--shard", "1/0"],
        vec!["run", PLAN, "--shard", "half"],
    ] {
        let err = bad(&truce(&cmd));
        assert!(err.contains("invalid shard"), "{cmd:?}: {err}");
    }
    let err = bad(&truce(&[
        "sweep",
        "scenarios/us-28-point.sweep.toml",
        "--shard",
        "3/3",
    ]));
    assert!(err.contains("between 0 and 2"), "{err}");
}
