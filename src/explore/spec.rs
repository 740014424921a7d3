//! Specification files of `truce sweep` and `truce sensitivity`: their strict TOML format, its
//! checks, and the checked [`SweepSpec`] and [`SensitivitySpec`].
//!
//! A specification names a base scenario (relative to the specification's own directory), the
//! runs per design point, the master seed, and the parameters to vary, each by its path in the
//! scenario (`truce provisions SCENARIO` lists them):
//!
//! ```toml
//! [sweep]
//! scenario = "us-28-point.toml"
//! design = "latin-hypercube"      # or "grid", "random"
//! points = 20                     # design points of a sampled design
//! runs = 500                      # runs per design point
//! seed = 7
//!
//! [[parameter]]
//! path = "point.6.hedge-rate"
//! range = [0.02, 0.5]             # in the unit the scenario writes it in
//!
//! [[parameter]]
//! path = "conflict.escalation-probability"
//! values = [0.0005, 0.001, 0.002]
//! ```
//!
//! As for scenarios, the file is parsed into wire types that refuse unknown keys, then checked;
//! every error names the file, and the line and column where it has a place. Values are given
//! in the unit the scenario writes the parameter in, and converted here into canonical units.
//! This module owns the format and its checks; it does not build designs or run anything.

use crate::scenario::{DAYS_PER_YEAR, ParamId, Scenario, ScenarioError, fmt_num};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// The most design points a specification may ask for: each design point keeps its own
/// aggregates (a histogram over the horizon), so memory grows with their number.
pub const MAX_POINTS: u64 = 100_000;

/// The most bootstrap resamples a sensitivity specification may ask for.
pub const MAX_RESAMPLES: u64 = 100_000;

/// How a sweep chooses its design points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Design {
    /// Every combination of the parameters' values (full factorial).
    Grid,
    /// A Latin hypercube sample of `points` points over the parameters' ranges.
    LatinHypercube,
    /// `points` points drawn independently and uniformly over the parameters' ranges.
    Random,
}

impl Design {
    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Design::Grid => "grid",
            Design::LatinHypercube => "latin-hypercube",
            Design::Random => "random",
        }
    }
}

/// The values a varied parameter may take, in canonical units.
#[derive(Debug, Clone, PartialEq)]
pub enum Domain {
    /// A list of values (a grid uses each; a sampled design picks among them uniformly).
    Values(Vec<f64>),
    /// An interval; `levels` evenly spaced values from `low` to `high` in a grid.
    Range {
        /// Low end.
        low: f64,
        /// High end.
        high: f64,
        /// Levels in a grid design.
        levels: Option<u64>,
    },
}

/// A varied parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// Its path in the scenario.
    pub path: String,
    /// Its id in the scenario's parameter table.
    pub id: ParamId,
    /// The unit the scenario writes it in (values in outputs are in this unit).
    pub unit: String,
    /// Factor from that unit to the canonical unit.
    pub factor: f64,
    /// Its values.
    pub domain: Domain,
}

impl Factor {
    /// The canonical value at position `u` in `[0, 1]` of the domain: a point of the range, or
    /// one of the listed values (each with an equal share of `[0, 1)`).
    pub fn at(&self, u: f64) -> f64 {
        match &self.domain {
            Domain::Range { low, high, .. } => low + u * (high - low),
            Domain::Values(v) => {
                let i = ((u * v.len() as f64).floor() as usize).min(v.len() - 1);
                v[i]
            }
        }
    }

    /// The values of a grid design (canonical units).
    pub fn grid_values(&self) -> Vec<f64> {
        match &self.domain {
            Domain::Values(v) => v.clone(),
            Domain::Range { low, high, levels } => {
                let n = levels.unwrap_or(2).max(2);
                (0..n)
                    .map(|i| low + (high - low) * i as f64 / (n - 1) as f64)
                    .collect()
            }
        }
    }

    /// The number of values of a grid design.
    pub fn grid_len(&self) -> u64 {
        match &self.domain {
            Domain::Values(v) => v.len() as u64,
            Domain::Range { levels, .. } => levels.unwrap_or(2).max(2),
        }
    }

    /// The bounds of the domain (canonical units).
    pub fn bounds(&self) -> (f64, f64) {
        match &self.domain {
            Domain::Range { low, high, .. } => (*low, *high),
            Domain::Values(v) => v
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                    (a.min(x), b.max(x))
                }),
        }
    }
}

/// What both kinds of specification hold.
#[derive(Debug, Clone)]
pub struct Common {
    /// The specification file, as given.
    pub path: PathBuf,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// The base scenario.
    pub scenario: Arc<Scenario>,
    /// Runs per design point.
    pub runs: u64,
    /// Master seed (1 unless the file gives one).
    pub seed: u64,
    /// Points of the agreement switched off at every design point.
    pub disabled: Vec<u32>,
    /// The varied parameters, in file order.
    pub factors: Vec<Factor>,
}

/// A checked sweep specification.
#[derive(Debug, Clone)]
pub struct SweepSpec {
    /// Scenario, runs, seed and parameters.
    pub common: Common,
    /// The design.
    pub design: Design,
    /// Design points of a sampled design (none for a grid).
    pub points: Option<u64>,
}

/// A checked sensitivity specification.
#[derive(Debug, Clone)]
pub struct SensitivitySpec {
    /// Scenario, runs, seed and parameters.
    pub common: Common,
    /// Years at which the hold probability is measured (and to which the mean time to collapse
    /// is restricted).
    pub years: f64,
    /// Morris: trajectories.
    pub trajectories: u64,
    /// Morris: grid levels (even).
    pub levels: u64,
    /// Sobol: base rows of the Saltelli design.
    pub samples: u64,
    /// Bootstrap resamples for the intervals.
    pub resamples: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepFile {
    sweep: SweepWire,
    #[serde(default)]
    parameter: Vec<ParameterWire>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SweepWire {
    scenario: Spanned<String>,
    design: Spanned<Design>,
    points: Option<Spanned<u64>>,
    runs: Spanned<u64>,
    seed: Option<u64>,
    #[serde(default)]
    disable: Vec<Spanned<u32>>,
    #[expect(dead_code, reason = "free text for the reader of the file")]
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SensitivityFile {
    sensitivity: SensitivityWire,
    #[serde(default)]
    parameter: Vec<ParameterWire>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SensitivityWire {
    scenario: Spanned<String>,
    runs: Spanned<u64>,
    seed: Option<u64>,
    #[serde(default)]
    disable: Vec<Spanned<u32>>,
    years: Option<Spanned<f64>>,
    trajectories: Option<Spanned<u64>>,
    levels: Option<Spanned<u64>>,
    samples: Option<Spanned<u64>>,
    resamples: Option<Spanned<u64>>,
    #[expect(dead_code, reason = "free text for the reader of the file")]
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ParameterWire {
    path: Spanned<String>,
    values: Option<Spanned<Vec<f64>>>,
    range: Option<Spanned<Vec<f64>>>,
    levels: Option<Spanned<u64>>,
}

/// Where errors point.
struct Src<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Src<'_> {
    fn err(&self, span: Range<usize>, message: impl Into<String>) -> ScenarioError {
        ScenarioError::at(self.path, self.text, span, message)
    }

    fn file_err(&self, message: impl Into<String>) -> ScenarioError {
        ScenarioError::file(self.path, message)
    }
}

/// Reads a file as text, and parses it into a wire type; a file of the other kind of
/// specification gets a message that says which command reads it.
fn read<T: serde::de::DeserializeOwned>(
    path: &Path,
    own: &str,
    other: &str,
    other_command: &str,
) -> Result<(String, T), ScenarioError> {
    let bytes = std::fs::read(path).map_err(|source| ScenarioError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|e| ScenarioError::file(path, format!("is not UTF-8 text ({e})")))?;
    if let Ok(table) = toml::from_str::<toml::Table>(&text)
        && !table.contains_key(own)
    {
        if table.contains_key(other) {
            return Err(ScenarioError::file(
                path,
                format!(
                    "this is a {other} specification (it has [{other}], not [{own}]); run it with `truce {other_command}`"
                ),
            ));
        }
        if table.contains_key("scenario") || table.contains_key("provision") {
            return Err(ScenarioError::file(
                path,
                format!(
                    "this looks like a scenario, not a {own} specification (which starts with [{own}] and names its scenario)"
                ),
            ));
        }
    }
    let wire = toml::from_str::<T>(&text).map_err(|e| ScenarioError::from_toml(path, &text, &e))?;
    Ok((text, wire))
}

impl SweepSpec {
    /// Reads and checks a sweep specification and its scenario.
    pub fn load(path: &Path) -> Result<SweepSpec, ScenarioError> {
        let (text, w) = read::<SweepFile>(
            path,
            "sweep",
            "sensitivity",
            "sensitivity --method morris|sobol",
        )?;
        let src = Src { path, text: &text };
        let s = w.sweep;
        let scenario = load_scenario(&src, &s.scenario)?;
        let runs = at_least_one(&src, "runs", &s.runs, "runs per design point")?;
        let design = *s.design.get_ref();
        let points = match (design, &s.points) {
            (Design::Grid, Some(p)) => {
                return Err(src.err(
                    p.span(),
                    "a grid has one design point per combination of the parameters' values; drop `points` (or choose design = \"latin-hypercube\" or \"random\")",
                ));
            }
            (Design::Grid, None) => None,
            (_, None) => {
                return Err(src.err(
                    s.design.span(),
                    format!(
                        "a {} design needs `points`, the number of design points to draw",
                        design.name()
                    ),
                ));
            }
            (_, Some(p)) => {
                let n = at_least_one(&src, "points", p, "design points")?;
                if n > MAX_POINTS {
                    return Err(src.err(
                        p.span(),
                        format!("`points` is {n}; at most {MAX_POINTS} design points are allowed; split the sweep into several specifications"),
                    ));
                }
                Some(n)
            }
        };
        let disabled = disabled(&src, &scenario, &s.disable)?;
        let factors = factors(&src, &scenario, &w.parameter, Use::Sweep(design))?;
        if design == Design::Grid {
            let mut n: u64 = 1;
            for f in &factors {
                n = n.saturating_mul(f.grid_len());
            }
            if n > MAX_POINTS {
                return Err(src.file_err(format!(
                    "the grid has {n} design points; at most {MAX_POINTS} are allowed; use fewer levels, or a latin-hypercube design"
                )));
            }
        }
        Ok(SweepSpec {
            common: Common {
                path: path.to_path_buf(),
                sha256: crate::scenario::hex(&Sha256::digest(text.as_bytes())),
                scenario,
                runs,
                seed: s.seed.unwrap_or(1),
                disabled,
                factors,
            },
            design,
            points,
        })
    }
}

impl SensitivitySpec {
    /// Reads and checks a sensitivity specification and its scenario.
    pub fn load(path: &Path) -> Result<SensitivitySpec, ScenarioError> {
        let (text, w) = read::<SensitivityFile>(path, "sensitivity", "sweep", "sweep")?;
        let src = Src { path, text: &text };
        let s = w.sensitivity;
        let scenario = load_scenario(&src, &s.scenario)?;
        let runs = at_least_one(&src, "runs", &s.runs, "runs per design point")?;
        let disabled = disabled(&src, &scenario, &s.disable)?;
        let factors = factors(&src, &scenario, &w.parameter, Use::Sensitivity)?;
        let horizon = scenario.params.spec(scenario.time.horizon).value;
        let shortest_horizon = factors
            .iter()
            .find(|f| f.id == scenario.time.horizon)
            .map_or(horizon, |f| f.bounds().0);
        let years = match &s.years {
            None => 10.0,
            Some(y) => {
                let v = *y.get_ref();
                if !(v.is_finite() && v > 0.0) {
                    return Err(src.err(
                        y.span(),
                        format!("`years` must be a positive number of years, found {v}"),
                    ));
                }
                v
            }
        };
        if years * DAYS_PER_YEAR > shortest_horizon + 1e-9 {
            let msg = format!(
                "the hold probability is measured at {} years, beyond the horizon of {} years; set `years` to at most {}",
                fmt_num(years),
                fmt_num(shortest_horizon / DAYS_PER_YEAR),
                fmt_num(shortest_horizon / DAYS_PER_YEAR)
            );
            return Err(match &s.years {
                Some(y) => src.err(y.span(), msg),
                None => src.file_err(format!("{msg} (it is 10 unless `years` says otherwise)")),
            });
        }
        let trajectories = match &s.trajectories {
            Some(t) => at_least_one(&src, "trajectories", t, "Morris trajectories")?,
            None => 10,
        };
        let levels = match &s.levels {
            Some(l) => {
                let v = *l.get_ref();
                if v < 2 || v % 2 != 0 {
                    return Err(src.err(
                        l.span(),
                        format!("`levels` must be an even number, at least 2 (Morris's step of levels/2 grid steps needs it), found {v}"),
                    ));
                }
                v
            }
            None => 4,
        };
        let samples = match &s.samples {
            Some(n) => {
                let v = at_least_one(&src, "samples", n, "base rows of the Saltelli design")?;
                if v < 2 {
                    return Err(src.err(n.span(), "`samples` must be at least 2"));
                }
                v
            }
            None => 64,
        };
        let resamples = match &s.resamples {
            Some(r) if *r.get_ref() > MAX_RESAMPLES => {
                return Err(src.err(
                    r.span(),
                    format!(
                        "`resamples` is at most {MAX_RESAMPLES}, found {}",
                        r.get_ref()
                    ),
                ));
            }
            Some(r) => *r.get_ref(),
            None => 1000,
        };
        let k = factors.len() as u64;
        for (name, n, span) in [
            (
                "Morris",
                trajectories.saturating_mul(k + 1),
                s.trajectories.as_ref().map(|t| t.span()),
            ),
            (
                "Sobol",
                samples.saturating_mul(k + 2),
                s.samples.as_ref().map(|t| t.span()),
            ),
        ] {
            if n > MAX_POINTS {
                let msg = format!(
                    "the {name} design would have {n} design points; at most {MAX_POINTS} are allowed"
                );
                return Err(match span {
                    Some(span) => src.err(span, msg),
                    None => src.file_err(msg),
                });
            }
        }
        Ok(SensitivitySpec {
            common: Common {
                path: path.to_path_buf(),
                sha256: crate::scenario::hex(&Sha256::digest(text.as_bytes())),
                scenario,
                runs,
                seed: s.seed.unwrap_or(1),
                disabled,
                factors,
            },
            years,
            trajectories,
            levels,
            samples,
            resamples,
        })
    }
}

/// The scenario a specification names, relative to the specification's directory.
fn load_scenario(src: &Src<'_>, name: &Spanned<String>) -> Result<Arc<Scenario>, ScenarioError> {
    let given = Path::new(name.get_ref());
    let resolved = match src.path.parent() {
        Some(dir) if given.is_relative() => dir.join(given),
        _ => given.to_path_buf(),
    };
    if !resolved.is_file() {
        return Err(src.err(
            name.span(),
            format!(
                "cannot read the scenario \"{}\" ({} does not exist; the path is relative to this file's directory)",
                name.get_ref(),
                resolved.display()
            ),
        ));
    }
    Scenario::load(&resolved).map(Arc::new)
}

fn at_least_one(
    src: &Src<'_>,
    key: &str,
    v: &Spanned<u64>,
    what: &str,
) -> Result<u64, ScenarioError> {
    if *v.get_ref() == 0 {
        return Err(src.err(
            v.span(),
            format!("`{key}` must be at least 1 (the number of {what}), found 0"),
        ));
    }
    Ok(*v.get_ref())
}

fn disabled(
    src: &Src<'_>,
    scenario: &Scenario,
    points: &[Spanned<u32>],
) -> Result<Vec<u32>, ScenarioError> {
    let mut out = Vec::new();
    for p in points {
        let n = *p.get_ref();
        if scenario.provision_at(n).is_none() {
            let mut known: Vec<u32> = scenario.provisions.iter().map(|p| p.point).collect();
            known.sort_unstable();
            let list: Vec<String> = known.iter().map(|p| p.to_string()).collect();
            return Err(src.err(
                p.span(),
                format!(
                    "`disable` names point {n}, which the scenario does not have; its points are {}",
                    list.join(", ")
                ),
            ));
        }
        out.push(n);
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// What the parameters are read for.
#[derive(Clone, Copy)]
enum Use {
    Sweep(Design),
    Sensitivity,
}

fn factors(
    src: &Src<'_>,
    scenario: &Scenario,
    wires: &[ParameterWire],
    purpose: Use,
) -> Result<Vec<Factor>, ScenarioError> {
    if wires.is_empty() {
        return Err(src.file_err(
            "no parameter to vary: add at least one [[parameter]] with its `path` (`truce provisions SCENARIO` lists the parameters)",
        ));
    }
    let mut out: Vec<Factor> = Vec::new();
    for w in wires {
        let f = factor(src, scenario, w, purpose)?;
        if out.iter().any(|o| o.id == f.id) {
            return Err(src.err(
                w.path.span(),
                format!("`{}` is varied twice; give it once", f.path),
            ));
        }
        out.push(f);
    }
    // The tick must stay a whole number of days, and the horizon at least one tick.
    let tick = scenario.time.tick;
    let horizon = scenario.time.horizon;
    let longest_tick = out
        .iter()
        .find(|f| f.id == tick)
        .map_or(scenario.params.spec(tick).value, |f| f.bounds().1);
    if let Some((f, w)) = out.iter().zip(wires).find(|(f, _)| f.id == horizon)
        && f.bounds().0 < longest_tick
    {
        return Err(src.err(
            w.path.span(),
            format!(
                "`time.horizon` must be at least one tick ({} days) long at every design point",
                fmt_num(longest_tick)
            ),
        ));
    }
    Ok(out)
}

fn factor(
    src: &Src<'_>,
    scenario: &Scenario,
    w: &ParameterWire,
    purpose: Use,
) -> Result<Factor, ScenarioError> {
    let path = w.path.get_ref();
    let Some(id) = scenario.params.find(path) else {
        let hint = match closest(
            path,
            scenario.params.specs().iter().map(|s| s.path.as_str()),
        ) {
            Some(c) => format!("did you mean `{c}`? "),
            None => String::new(),
        };
        return Err(src.err(
            w.path.span(),
            format!(
                "unknown parameter `{path}` in {}; {hint}(`truce provisions {}` lists every parameter with its path)",
                scenario.path.display(),
                scenario.path.display()
            ),
        ));
    };
    let spec = scenario.params.spec(id);
    let file_unit = |v: f64| fmt_num(v / spec.factor);
    let check = |v: f64, span: Range<usize>| -> Result<(), ScenarioError> {
        if !v.is_finite() {
            return Err(src.err(
                span,
                format!("`{path}`: values must be finite numbers, found {v}"),
            ));
        }
        spec.check(v).map_err(|m| src.err(span, m))
    };
    let grid = matches!(purpose, Use::Sweep(Design::Grid));
    if let Some(l) = &w.levels {
        let reason = match purpose {
            Use::Sweep(Design::Grid) if w.values.is_some() => {
                Some("`levels` spaces a `range`; with `values` the grid uses the values given")
            }
            Use::Sweep(Design::Grid) => None,
            Use::Sweep(_) => Some(
                "`levels` applies only to grid designs; a sampled design draws values across the range",
            ),
            Use::Sensitivity => Some(
                "`levels` of a parameter applies only to grid sweeps; Morris's grid levels are set by `levels` in [sensitivity]",
            ),
        };
        if let Some(reason) = reason {
            return Err(src.err(l.span(), reason));
        }
        if *l.get_ref() < 2 {
            return Err(src.err(
                l.span(),
                format!(
                    "`levels` must be at least 2 (the two ends of the range), found {}",
                    l.get_ref()
                ),
            ));
        }
    }
    let domain = match (&w.values, &w.range) {
        (Some(v), Some(_)) => {
            return Err(src.err(
                v.span(),
                format!("`{path}` gives both `values` and `range`; give one of them"),
            ));
        }
        (Some(v), None) => {
            if matches!(purpose, Use::Sensitivity) {
                return Err(src.err(
                    v.span(),
                    "sensitivity analysis varies parameters over a `range = [low, high]` (or, with neither, over the range the scenario gives), not over a list of `values`",
                ));
            }
            if v.get_ref().is_empty() {
                return Err(src.err(
                    v.span(),
                    format!("`{path}`: `values` is empty; give at least one value"),
                ));
            }
            let mut canon = Vec::new();
            for &x in v.get_ref() {
                let c = spec.to_canonical(x);
                check(c, v.span())?;
                canon.push(c);
            }
            Domain::Values(canon)
        }
        (None, Some(r)) => {
            let &[lo, hi] = r.get_ref().as_slice() else {
                return Err(src.err(
                    r.span(),
                    format!(
                        "`{path}`: `range` must be [low, high], found {} numbers",
                        r.get_ref().len()
                    ),
                ));
            };
            let (lo_c, hi_c) = (spec.to_canonical(lo), spec.to_canonical(hi));
            check(lo_c, r.span())?;
            check(hi_c, r.span())?;
            if lo >= hi {
                return Err(src.err(
                    r.span(),
                    format!(
                        "`{path}`: the range [{}, {}] is empty; its low end must be below its high end (for one value, write `values = [{}]`)",
                        fmt_num(lo),
                        fmt_num(hi),
                        fmt_num(lo)
                    ),
                ));
            }
            Domain::Range {
                low: lo_c,
                high: hi_c,
                levels: w.levels.as_ref().map(|l| *l.get_ref()),
            }
        }
        (None, None) => match spec.range {
            None => {
                return Err(src.err(
                    w.path.span(),
                    format!(
                        "`{path}` is fixed by the agreement's text and has no range in the scenario; give `values = [...]` or `range = [low, high]` to vary it"
                    ),
                ));
            }
            Some((lo, hi)) if lo >= hi => {
                return Err(src.err(
                    w.path.span(),
                    format!(
                        "`{path}` has the empty range [{}, {}] in the scenario; give `range = [low, high]` to vary it",
                        file_unit(lo),
                        file_unit(hi)
                    ),
                ));
            }
            Some((lo, hi)) => Domain::Range {
                low: lo,
                high: hi,
                levels: w.levels.as_ref().map(|l| *l.get_ref()),
            },
        },
    };
    if grid && let Domain::Range { levels: None, .. } = domain {
        return Err(src.err(
            w.path.span(),
            format!(
                "`{path}` is varied over a range in a grid: say how many evenly spaced values with `levels = N` (or list them with `values`)"
            ),
        ));
    }
    if id == scenario.time.tick {
        let whole = match &domain {
            Domain::Values(v) => v.iter().all(|&x| x >= 1.0 && x.fract() == 0.0),
            Domain::Range { .. } => false,
        };
        if !whole {
            return Err(src.err(
                w.path.span(),
                "`time.tick` can only be varied over `values` that are whole numbers of days, at least 1",
            ));
        }
    }
    Ok(Factor {
        path: path.clone(),
        id,
        unit: spec.unit.clone(),
        factor: spec.factor,
        domain,
    })
}

/// The candidate closest to `name` by edit distance, when it is close enough to be a typo.
fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 4).max(2);
    candidates
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn scenario_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("plan.toml"),
            include_str!("../../scenarios/us-28-point.toml"),
        )
        .unwrap();
        dir
    }

    const HEAD: &str = "[sweep]\nscenario = \"plan.toml\"\n";

    fn sweep(dir: &Path, body: &str) -> Result<SweepSpec, String> {
        let p = write(dir, "s.toml", &format!("{HEAD}{body}"));
        SweepSpec::load(&p).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_a_sampled_sweep_in_the_scenario_units() {
        let dir = scenario_dir();
        let s = sweep(
            dir.path(),
            "design = \"latin-hypercube\"\npoints = 5\nruns = 10\nseed = 3\n\
             [[parameter]]\npath = \"point.6.hedge-rate\"\nrange = [0.1, 0.2]\n\
             [[parameter]]\npath = \"conflict.deterrence\"\n",
        )
        .unwrap();
        assert_eq!(s.design, Design::LatinHypercube);
        assert_eq!((s.points, s.common.runs, s.common.seed), (Some(5), 10, 3));
        let f = &s.common.factors[0];
        assert_eq!(f.unit, "per-year");
        // Per year in the file, per day in the model.
        let (lo, hi) = f.bounds();
        assert!(
            (lo * DAYS_PER_YEAR - 0.1).abs() < 1e-12 && (hi * DAYS_PER_YEAR - 0.2).abs() < 1e-12
        );
        // Without a range, the scenario's own range.
        assert_eq!(s.common.factors[1].bounds(), (0.0, 1.0));
        assert_eq!(
            s.common.scenario.path,
            dir.path().join("plan.toml"),
            "the scenario is found next to the specification"
        );
    }

    #[test]
    fn grid_levels_are_evenly_spaced_and_values_are_kept() {
        let f = Factor {
            path: "x".into(),
            id: ParamId(0),
            unit: "u".into(),
            factor: 1.0,
            domain: Domain::Range {
                low: 1.0,
                high: 2.0,
                levels: Some(3),
            },
        };
        assert_eq!(f.grid_values(), vec![1.0, 1.5, 2.0]);
        assert_eq!(f.at(0.25), 1.25);
        let g = Factor {
            domain: Domain::Values(vec![5.0, 7.0]),
            ..f
        };
        assert_eq!(
            (g.at(0.0), g.at(0.49), g.at(0.5), g.at(1.0)),
            (5.0, 5.0, 7.0, 7.0)
        );
    }

    #[test]
    fn errors_name_the_place_and_what_is_allowed() {
        let dir = scenario_dir();
        let d = dir.path();
        let cases: &[(&str, &[&str])] = &[
            (
                "design = \"grid\"\nruns = 5\n[[parameter]]\npath = \"point.6.hedge-rat\"\nvalues = [0.1]\n",
                &[
                    "s.toml:6:8",
                    "unknown parameter `point.6.hedge-rat`",
                    "did you mean `point.6.hedge-rate`",
                ],
            ),
            (
                "design = \"random\"\npoints = 4\nruns = 5\n[[parameter]]\npath = \"point.6.hedge-rate\"\nrange = [0.5, 0.2]\n",
                &["s.toml:8:9", "empty"],
            ),
            (
                "design = \"random\"\npoints = 0\nruns = 5\n[[parameter]]\npath = \"point.6.hedge-rate\"\n",
                &["s.toml:4:10", "`points` must be at least 1"],
            ),
            (
                "design = \"lhs\"\npoints = 3\nruns = 5\n[[parameter]]\npath = \"point.6.hedge-rate\"\n",
                &["s.toml:3:10", "latin-hypercube"],
            ),
            (
                "design = \"grid\"\nruns = 5\n[[parameter]]\npath = \"point.6.hedge-rate\"\n",
                &["levels"],
            ),
            (
                "design = \"grid\"\nruns = 5\npoints = 3\n[[parameter]]\npath = \"point.6.hedge-rate\"\nvalues = [0.1]\n",
                &["s.toml:5:10", "drop `points`"],
            ),
            (
                "design = \"grid\"\nruns = 5\n[[parameter]]\npath = \"conflict.escalation-probability\"\nvalues = [0.5, 1.5]\n",
                &["s.toml:7:10", "[0, 1]"],
            ),
            (
                "design = \"grid\"\nruns = 5\n[[parameter]]\npath = \"point.6.cap\"\nlevels = 3\n",
                &["fixed", "values"],
            ),
            ("design = \"grid\"\nruns = 5\n", &["no parameter to vary"]),
            (
                "design = \"grid\"\nruns = 5\nspeed = 3\n[[parameter]]\npath = \"point.6.hedge-rate\"\nvalues = [0.1]\n",
                &["s.toml:5:1", "speed"],
            ),
            (
                "design = \"grid\"\nruns = 5\ndisable = [29]\n[[parameter]]\npath = \"point.6.hedge-rate\"\nvalues = [0.1]\n",
                &["s.toml:5:12", "point 29"],
            ),
            (
                "design = \"grid\"\nruns = 5\n[[parameter]]\npath = \"time.tick\"\nvalues = [3.5]\n",
                &["whole numbers of days"],
            ),
            (
                "design = \"grid\"\nruns = 5\n[[parameter]]\npath = \"point.6.hedge-rate\"\nlevels = 1000000000000\n",
                &["at most 100000"],
            ),
        ];
        for (body, wants) in cases {
            let e = sweep(d, body).unwrap_err();
            for w in *wants {
                assert!(e.contains(w), "{body}\n→ {e}\n(missing `{w}`)");
            }
        }
    }

    #[test]
    fn a_sensitivity_file_given_to_sweep_says_which_command_reads_it() {
        let dir = scenario_dir();
        let p = write(
            dir.path(),
            "s.toml",
            "[sensitivity]\nscenario = \"plan.toml\"\nruns = 5\n[[parameter]]\npath = \"conflict.deterrence\"\n",
        );
        let e = SweepSpec::load(&p).unwrap_err().to_string();
        assert!(e.contains("truce sensitivity"), "{e}");
        let s = SensitivitySpec::load(&p).unwrap();
        assert_eq!(
            (s.years, s.trajectories, s.levels, s.samples),
            (10.0, 10, 4, 64)
        );
    }

    #[test]
    fn sensitivity_checks_its_settings() {
        let dir = scenario_dir();
        let load = |body: &str| {
            let p = write(
                dir.path(),
                "s.toml",
                &format!(
                    "[sensitivity]\nscenario = \"plan.toml\"\nruns = 5\n{body}\n[[parameter]]\npath = \"conflict.deterrence\"\n"
                ),
            );
            SensitivitySpec::load(&p).map_err(|e| e.to_string())
        };
        assert!(load("levels = 3").unwrap_err().contains("even"));
        assert!(
            load("years = 11")
                .unwrap_err()
                .contains("beyond the horizon")
        );
        assert!(load("samples = 0").unwrap_err().contains("at least 1"));
        assert!(load("resamples = 1000000").unwrap_err().contains("at most"));
        assert_eq!(load("years = 2").unwrap().years, 2.0);
    }

    #[test]
    fn typos_find_their_closest_name() {
        let names = ["point.6.hedge-rate", "point.6.cap", "conflict.deterrence"];
        assert_eq!(
            closest("point.6.hedge-rat", names.into_iter()),
            Some("point.6.hedge-rate")
        );
        assert_eq!(
            closest("conflict.deterence", names.into_iter()),
            Some("conflict.deterrence")
        );
        assert_eq!(closest("something.else", names.into_iter()), None);
    }
}
