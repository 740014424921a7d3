//! Bad input gets one clear message on stderr and exit status 2, never a panic. Every message
//! about a scenario file starts with the file's path, and with line and column where the
//! problem has a place.

use crate::util::*;

/// Validates a variant of the shipped scenario with one change, expecting exit status 2, and
/// returns (path of the variant, stderr).
fn refuse(from: &str, to: &str) -> (String, String) {
    let dir = tempdir();
    let p = variant(dir.path(), from, to);
    let err = bad(&truce(&["validate", &p.display().to_string()]));
    let shown = p.display().to_string();
    assert!(
        err.contains(&shown),
        "the message does not name the file:\n{err}"
    );
    (shown, err)
}

/// The line (1-based) of the first occurrence of `needle` in the variant's text.
fn line_of(from: &str, to: &str, needle: &str) -> usize {
    let text = plan_text().replacen(from, to, 1);
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in text")
        + 1
}

#[test]
fn a_missing_file_is_named() {
    let err = bad(&truce(&["validate", "no/such/scenario.toml"]));
    assert!(
        err.contains("no/such/scenario.toml") && err.contains("cannot read"),
        "{err}"
    );
    let err = bad(&truce(&["run", "no/such/scenario.toml", "--runs", "1"]));
    assert!(err.contains("no/such/scenario.toml"), "{err}");
}

#[test]
fn a_toml_syntax_error_names_path_line_and_column() {
    let (p, err) = refuse("name = \"us-28-point\"", "name = \"us-28-point");
    let line = line_of(
        "name = \"us-28-point\"",
        "name = \"us-28-point",
        "name = \"us-28-point",
    );
    assert!(err.contains(&format!("{p}:{line}:")), "{err}");
}

#[test]
fn a_wrong_type_names_path_line_column_and_what_was_expected() {
    let from = "sides = [\"russia\", \"ukraine\"]";
    let to = "sides = \"russia\"";
    let (p, err) = refuse(from, to);
    let line = line_of(from, to, to);
    assert!(err.contains(&format!("{p}:{line}:")), "{err}");
    assert!(err.contains("expected"), "{err}");
    // A number given as text.
    let from = "tension-half-life = { value = 30,";
    let to = "tension-half-life = { value = \"thirty\",";
    let (p, err) = refuse(from, to);
    let line = line_of(from, to, to);
    assert!(
        err.contains(&format!("{p}:{line}:")) && err.contains("expected a number"),
        "{err}"
    );
}

#[test]
fn an_unknown_key_is_named_with_what_is_allowed() {
    let (_, err) = refuse("deliberate-share = {", "deliberate-shar = {");
    assert!(
        err.contains("deliberate-shar") && err.contains("deliberate-share"),
        "{err}"
    );
    // Inside a provision, checked by its family.
    let (_, err) = refuse("hedge-rate = {", "hedge-rat = {");
    assert!(
        err.contains("hedge-rat") && err.contains("hedge-rate"),
        "{err}"
    );
}

#[test]
fn an_unknown_provision_kind_is_named_with_the_kinds_allowed() {
    let (_, err) = refuse("kind = \"force-cap\"", "kind = \"force-limit\"");
    assert!(
        err.contains("force-limit") && err.contains("force-cap") && err.contains("ceasefire"),
        "{err}"
    );
}

#[test]
fn an_unknown_party_reference_is_named_with_the_parties() {
    let (_, err) = refuse(
        "guarantors = [\"united-states\", \"europe\"]",
        "guarantors = [\"united-states\", \"eurasia\"]",
    );
    assert!(
        err.contains("eurasia") && err.contains("\"europe\"") && err.contains("\"russia\""),
        "{err}"
    );
}

#[test]
fn a_probability_outside_the_unit_interval_is_refused_with_its_key() {
    let (_, err) = refuse(
        "escalation-probability = { value = 0.001,",
        "escalation-probability = { value = 1.5,",
    );
    assert!(
        err.contains("conflict.escalation-probability") && err.contains("[0, 1]"),
        "{err}"
    );
}

#[test]
fn a_negative_count_is_refused_with_its_key() {
    let (_, err) = refuse(
        "personnel = { value = 700000,",
        "personnel = { value = -700000,",
    );
    assert!(
        err.contains("party.russia.personnel") && err.contains("non-negative"),
        "{err}"
    );
}

#[test]
fn nan_and_infinity_are_refused_with_their_key() {
    let (_, err) = refuse(
        "trust-growth = { value = 0.12,",
        "trust-growth = { value = nan,",
    );
    assert!(
        err.contains("conflict.trust-growth") && err.contains("finite"),
        "{err}"
    );
    let (_, err) = refuse("war-cost = { value = 0.8,", "war-cost = { value = inf,");
    assert!(
        err.contains("party.russia.war-cost") && err.contains("finite"),
        "{err}"
    );
}

#[test]
fn a_number_without_a_source_or_a_unit_is_refused() {
    let (_, err) = refuse(
        "hedge-rate = { value = 0.15, unit = \"per-year\", range = [0.02, 0.5], source = \"assumption: rate at which Ukraine, at full perceived threat, starts keeping forces above the cap\" }",
        "hedge-rate = { value = 0.15, unit = \"per-year\", range = [0.02, 0.5] }",
    );
    assert!(
        err.contains("point.6.hedge-rate") && err.contains("source"),
        "{err}"
    );
    let (_, err) = refuse(
        "unit = \"per-year\", range = [0.02, 0.5]",
        "unit = \"per-fortnight\", range = [0.02, 0.5]",
    );
    assert!(
        err.contains("per-fortnight") && err.contains("\"per-year\""),
        "{err}"
    );
}

#[test]
fn zero_runs_zero_threads_and_malformed_numbers_are_usage_errors() {
    for args in [
        vec!["run", PLAN, "--runs", "0"],
        vec!["run", PLAN, "--threads", "0"],
        vec!["run", PLAN, "--runs", "ten"],
        vec!["run", PLAN, "--seed", "-1"],
        vec!["run", PLAN, "--runs", "1e3"],
        vec!["run"],
        vec!["walk", PLAN],
    ] {
        let err = bad(&truce(&args));
        assert!(err.contains("error"), "{args:?}: {err}");
    }
}

#[test]
fn an_unknown_point_in_disable_is_refused() {
    let dir = tempdir();
    let out = path(dir.path(), "x");
    let err = bad(&truce(&[
        "run",
        PLAN,
        "--runs",
        "5",
        "--disable",
        "29",
        "--out",
        &out,
    ]));
    assert!(err.contains("29") && err.contains("1, 2, 3"), "{err}");
}

#[test]
fn an_out_path_that_is_a_file_is_refused_and_the_file_kept() {
    let dir = tempdir();
    let out = dir.path().join("notes.txt");
    std::fs::write(&out, "keep me").unwrap();
    for force in [false, true] {
        let mut args = vec!["run", PLAN, "--runs", "5", "--out", out.to_str().unwrap()];
        if force {
            args.push("--force");
        }
        let err = bad(&truce(&args));
        assert!(err.contains("not a directory"), "{err}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    }
}
