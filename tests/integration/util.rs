//! Helpers: running the binary, reading CSV files, scenarios with one line changed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The shipped scenario's path, relative to the package root (where tests run).
pub const PLAN: &str = "scenarios/us-28-point.toml";

/// Runs `truce` with `args` in the package root.
pub fn truce(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_truce"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the truce binary runs")
}

/// Stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts success and returns stdout.
pub fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "truce failed with {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        stdout(o),
        stderr(o)
    );
    stdout(o)
}

/// Asserts exit status 2 with one clear message and no panic; returns stderr.
pub fn bad(o: &Output) -> String {
    let err = stderr(o);
    assert_eq!(
        o.status.code(),
        Some(2),
        "expected exit status 2\nstdout:\n{}\nstderr:\n{err}",
        stdout(o)
    );
    assert!(
        !err.contains("panicked"),
        "a panic instead of a message:\n{err}"
    );
    assert!(!err.contains("RUST_BACKTRACE"), "a backtrace hint:\n{err}");
    assert!(!err.trim().is_empty(), "no message on stderr");
    err
}

/// A fresh temporary directory.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// A path inside `dir` as a string.
pub fn path(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

/// The shipped scenario's text.
pub fn plan_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(PLAN)).expect("scenario")
}

/// Writes the shipped scenario with `from` replaced by `to` (which must occur) into `dir`.
pub fn variant(dir: &Path, from: &str, to: &str) -> PathBuf {
    let text = plan_text();
    assert!(text.contains(from), "the scenario has no `{from}`");
    let p = dir.join("variant.toml");
    std::fs::write(&p, text.replacen(from, to, 1)).expect("write scenario");
    p
}

/// A CSV file as a header and rows.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("row").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// The index of a column, or a panic naming it.
pub fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column `{name}` in {header:?}"))
}

/// Writes the shipped scenario into `dir` as `name`, with a horizon of `years` years.
pub fn plan_with_horizon(dir: &Path, name: &str, years: u32) -> PathBuf {
    let from = "horizon = { value = 10, unit = \"years\"";
    let text = plan_text();
    assert!(text.contains(from), "the scenario has no `{from}`");
    let p = dir.join(name);
    let to = format!("horizon = {{ value = {years}, unit = \"years\"");
    std::fs::write(&p, text.replacen(from, &to, 1)).expect("write scenario");
    p
}

/// Writes `text` into `dir/name` and returns the path as a string.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write file");
    p.display().to_string()
}

/// Every file of a result directory with its bytes, by name.
pub fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

/// Asserts that two result directories hold the same files, byte for byte.
pub fn assert_same_results(want: &Path, got: &Path) {
    let (a, b) = (files(want), files(got));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{} and {} hold different files",
        want.display(),
        got.display()
    );
    for (name, bytes) in &a {
        assert!(
            *bytes == b[name],
            "{name} differs between {} and {}",
            want.display(),
            got.display()
        );
    }
}
