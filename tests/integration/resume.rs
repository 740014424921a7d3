//! Resuming: a job killed outright (SIGKILL) or stopped with Ctrl-C (SIGINT) and then rerun
//! with `--resume` ends with the same files, byte for byte, as a job that never stopped.
//!
//! The jobs write a checkpoint every 200 runs (`--checkpoint-every`, a hidden option for
//! tests) and flush their files halfway between checkpoints, so the interrupted job is caught
//! soon after its start with rows on disk that its checkpoint does not cover; the jobs are
//! sized from the measured speed of a small job ([`runs_lasting`]) to last several seconds,
//! far longer than that, on fast and slow machines alike.

use crate::util::*;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// About how many runs of the shipped scenario one thread does in `seconds` (at least 2,000):
/// measured on a small job, so that the jobs below outlast their first checkpoint on fast and
/// slow machines alike.
fn runs_lasting(seconds: f64) -> u64 {
    let dir = tempdir();
    let out = path(dir.path(), "probe");
    let start = Instant::now();
    ok(&truce(&[
        "run",
        PLAN,
        "--runs",
        "300",
        "--threads",
        "1",
        "--quiet",
        "--out",
        &out,
    ]));
    let rate = 300.0 / start.elapsed().as_secs_f64();
    ((rate * seconds) as u64).max(2000)
}

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_truce"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the truce binary starts")
}

/// Waits until the job in `dir` has written a checkpoint and, after it, rows that the
/// checkpoint does not cover (so that resuming must cut them off).
fn wait_for_checkpoint_and_more_rows(child: &mut Child, dir: &Path) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            panic!(
                "the job ended ({status}) before its first checkpoint; give it more runs so that it runs for several seconds"
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no checkpoint after two minutes"
        );
        if let Ok(text) = std::fs::read_to_string(dir.join("checkpoint.json"))
            && let Ok(cp) = serde_json::from_str::<serde_json::Value>(&text)
        {
            let covered = cp["runs_bytes"].as_u64().expect("runs_bytes");
            let written = std::fs::metadata(dir.join("runs.csv.partial"))
                .map(|m| m.len())
                .unwrap_or(0);
            if written > covered {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs `args` uninterrupted into `dir/whole`, and interrupted by `interrupt` then resumed
/// into `dir/stopped`; checks the two directories are the same. Returns the interrupted job's
/// stderr and exit status.
fn interrupt_then_resume(
    dir: &Path,
    args: &[&str],
    interrupt: impl FnOnce(&mut Child),
) -> (String, Option<i32>) {
    let whole = path(dir, "whole");
    let stopped = path(dir, "stopped");
    let with = |out: &str, extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        for s in [
            "--out",
            out,
            "--quiet",
            "--threads",
            "1",
            "--checkpoint-every",
            "200",
        ]
        .iter()
        .chain(extra)
        {
            a.push(s.to_string());
        }
        a
    };
    let mut child = {
        let a = with(&stopped, &[]);
        spawn(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    // The uninterrupted reference runs meanwhile.
    let reference = {
        let a = with(&whole, &[]);
        spawn(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    wait_for_checkpoint_and_more_rows(&mut child, &dir.join("stopped"));
    interrupt(&mut child);
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        !dir.join("stopped/manifest.json").exists(),
        "an interrupted job must not look complete"
    );
    // Without --resume, the interrupted job is not silently replaced.
    let a = with(&stopped, &[]);
    let err = bad(&truce(&a.iter().map(String::as_str).collect::<Vec<_>>()));
    assert!(
        err.contains("interrupted job") && err.contains("--resume"),
        "{err}"
    );
    let a = with(&stopped, &["--resume"]);
    ok(&truce(&a.iter().map(String::as_str).collect::<Vec<_>>()));
    ok(&reference.wait_with_output().expect("wait"));
    assert_same_results(&dir.join("whole"), &dir.join("stopped"));
    (stderr, output.status.code())
}

/// A sweep of two design points lasting about six seconds on one thread.
fn sweep_spec(dir: &Path) -> String {
    write(
        dir,
        "s.sweep.toml",
        &format!(
            r#"[sweep]
scenario = "{}"
design = "grid"
runs = {}
seed = 4
[[parameter]]
path = "conflict.escalation-probability"
values = [0.0005, 0.002]
"#,
            Path::new(env!("CARGO_MANIFEST_DIR")).join(PLAN).display(),
            runs_lasting(6.0) / 2
        ),
    )
}

#[test]
fn a_sweep_killed_outright_resumes_to_the_uninterrupted_result() {
    let dir = tempdir();
    let spec = sweep_spec(dir.path());
    let (_, status) = interrupt_then_resume(dir.path(), &["sweep", &spec], |child| {
        child.kill().expect("SIGKILL");
    });
    assert_eq!(status, None, "killed by a signal");
}

#[test]
fn a_run_killed_outright_resumes_to_the_uninterrupted_result() {
    let dir = tempdir();
    let runs = runs_lasting(6.0).to_string();
    let (_, status) = interrupt_then_resume(
        dir.path(),
        &["run", PLAN, "--runs", &runs, "--seed", "8", "--trace", "2"],
        |child| child.kill().expect("SIGKILL"),
    );
    assert_eq!(status, None, "killed by a signal");
}

#[test]
fn ctrl_c_stops_a_sweep_cleanly_says_how_to_resume_and_exits_130() {
    let dir = tempdir();
    let spec = sweep_spec(dir.path());
    let (stderr, status) = interrupt_then_resume(dir.path(), &["sweep", &spec], |child| {
        let s = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .expect("the kill command runs");
        assert!(s.success());
    });
    assert_eq!(status, Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted after") && stderr.contains("--resume"),
        "{stderr}"
    );
    // The message gives the command to finish the job.
    assert!(
        stderr.contains(&format!("truce sweep {spec} --out")),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
