//! Numbers in a scenario: their units, sources, plausible ranges and distributions.
//!
//! Every number in a scenario file is written as an inline table that says what it is:
//!
//! ```toml
//! cap = { value = 600000, unit = "personnel", fixed = true, source = "plan text, point 6" }
//! demobilisation = { value = 1, unit = "years", range = [0.5, 2], source = "assumption: ..." }
//! willingness = { dist = "beta", alpha = 5, beta = 5, unit = "probability", source = "..." }
//! ```
//!
//! A number fixed by the text of the agreement says `fixed = true`; every other number is an
//! assumption and must give a plausible `range` (or a distribution, whose bounds are its range).
//! Values are converted once, here, into the model's canonical units (days, per-day rates,
//! US$ billions, ...), so mechanisms never see a file's unit. This module owns that conversion,
//! the checks on values, and the per-run draw of uncertain values; it does not know what any
//! parameter means.

use rand::Rng;
use rand_distr::{Beta, Distribution, Normal, Triangular, Uniform};
use serde::Deserialize;
use std::fmt;
use toml::Spanned;

/// What a parameter measures, which decides the units it may be written in and the values
/// it may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dim {
    /// A span of time; canonical unit: days.
    Duration,
    /// Events per unit of time; canonical unit: per day.
    Rate,
    /// A probability in [0, 1].
    Probability,
    /// A share of something in [0, 1].
    Fraction,
    /// A non-negative number of people or things.
    Count,
    /// Money; canonical unit: US$ billions.
    Money,
    /// A flow of money; canonical unit: US$ billions per day.
    MoneyRate,
    /// Electric power; canonical unit: MWe.
    Power,
    /// A weight in a party's calculus of gains and costs (dimensionless, may be negative).
    Utility,
    /// A non-negative dimensionless factor or index.
    Multiplier,
    /// A change in a bounded state variable such as trust (dimensionless, may be negative).
    Delta,
}

impl Dim {
    /// The units a parameter of this dimension may be written in, with the factor that
    /// converts one of them into the canonical unit.
    pub fn units(self) -> &'static [(&'static str, f64)] {
        match self {
            Dim::Duration => &[("days", 1.0), ("weeks", 7.0), ("years", DAYS_PER_YEAR)],
            Dim::Rate => &[
                ("per-day", 1.0),
                ("per-week", 1.0 / 7.0),
                ("per-year", 1.0 / DAYS_PER_YEAR),
            ],
            Dim::Probability => &[("probability", 1.0)],
            Dim::Fraction => &[("fraction", 1.0), ("percent", 0.01)],
            Dim::Count => &[("personnel", 1.0), ("people", 1.0), ("count", 1.0)],
            Dim::Money => &[("usd-bn", 1.0)],
            Dim::MoneyRate => &[
                ("usd-bn-per-year", 1.0 / DAYS_PER_YEAR),
                ("usd-bn-per-day", 1.0),
            ],
            Dim::Power => &[("mwe", 1.0)],
            Dim::Utility => &[("utility", 1.0)],
            Dim::Multiplier => &[("multiplier", 1.0), ("index", 1.0)],
            Dim::Delta => &[("change", 1.0)],
        }
    }

    /// The canonical unit the model works in.
    pub fn canonical_unit(self) -> &'static str {
        match self {
            Dim::Duration => "days",
            Dim::Rate => "per-day",
            Dim::Probability => "probability",
            Dim::Fraction => "fraction",
            Dim::Count => "count",
            Dim::Money => "usd-bn",
            Dim::MoneyRate => "usd-bn-per-day",
            Dim::Power => "mwe",
            Dim::Utility => "utility",
            Dim::Multiplier => "multiplier",
            Dim::Delta => "change",
        }
    }

    /// The values allowed in canonical units, as (lowest, highest).
    pub fn domain(self) -> (f64, f64) {
        match self {
            Dim::Probability | Dim::Fraction => (0.0, 1.0),
            Dim::Utility | Dim::Delta => (f64::NEG_INFINITY, f64::INFINITY),
            _ => (0.0, f64::INFINITY),
        }
    }

    fn domain_words(self) -> &'static str {
        match self {
            Dim::Probability => "a probability in [0, 1]",
            Dim::Fraction => "a fraction in [0, 1]",
            Dim::Count => "a non-negative count",
            Dim::Duration => "a non-negative duration",
            Dim::Rate => "a non-negative rate",
            Dim::Money | Dim::MoneyRate => "a non-negative amount of money",
            Dim::Power => "a non-negative power",
            Dim::Multiplier => "a non-negative factor",
            Dim::Utility | Dim::Delta => "a finite number",
        }
    }
}

/// Days in the model's year. The model's calendar has no leap days; a 10-year horizon is
/// 3,650 days.
pub const DAYS_PER_YEAR: f64 = 365.0;

/// A number as written in a scenario file (the wire form, before checks).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ParamWire {
    /// A single value.
    pub value: Option<f64>,
    /// The unit the value is written in.
    pub unit: String,
    /// Where the number comes from, or the reason for it.
    pub source: Option<String>,
    /// True when the text of the agreement fixes the number.
    #[serde(default)]
    pub fixed: bool,
    /// The plausible range of an assumed value, in the file's unit.
    pub range: Option<[f64; 2]>,
    /// A distribution instead of a value: "uniform", "normal", "beta" or "triangular".
    pub dist: Option<String>,
    /// Lower bound of a distribution (uniform, triangular, truncated normal, scaled beta).
    pub min: Option<f64>,
    /// Upper bound of a distribution.
    pub max: Option<f64>,
    /// Mode of a triangular distribution.
    pub mode: Option<f64>,
    /// Mean of a normal distribution.
    pub mean: Option<f64>,
    /// Standard deviation of a normal distribution.
    pub sd: Option<f64>,
    /// First shape parameter of a beta distribution.
    pub alpha: Option<f64>,
    /// Second shape parameter of a beta distribution.
    pub beta: Option<f64>,
    /// A free-text note.
    pub note: Option<String>,
}

/// A distribution for an uncertain parameter, in canonical units.
#[derive(Debug, Clone, PartialEq)]
pub enum Dist {
    /// Uniform on [min, max].
    Uniform { min: f64, max: f64 },
    /// Normal with the given mean and standard deviation, truncated to [min, max].
    Normal {
        mean: f64,
        sd: f64,
        min: f64,
        max: f64,
    },
    /// Beta(alpha, beta) scaled onto [min, max].
    Beta {
        alpha: f64,
        beta: f64,
        min: f64,
        max: f64,
    },
    /// Triangular on [min, max] with the given mode.
    Triangular { min: f64, mode: f64, max: f64 },
}

impl Dist {
    /// The bounds of the distribution's support.
    pub fn bounds(&self) -> (f64, f64) {
        match *self {
            Dist::Uniform { min, max }
            | Dist::Normal { min, max, .. }
            | Dist::Beta { min, max, .. }
            | Dist::Triangular { min, max, .. } => (min, max),
        }
    }

    /// The mean of the distribution (of the truncated normal, approximately its untruncated
    /// mean clamped to the bounds).
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Uniform { min, max } => 0.5 * (min + max),
            Dist::Normal { mean, min, max, .. } => mean.clamp(min, max),
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
            } => min + (max - min) * alpha / (alpha + beta),
            Dist::Triangular { min, mode, max } => (min + mode + max) / 3.0,
        }
    }

    /// Draws one value.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Dist::Uniform { min, max } => {
                if max > min {
                    Uniform::new(min, max).map(|u| u.sample(rng)).unwrap_or(min)
                } else {
                    min
                }
            }
            Dist::Normal { mean, sd, min, max } => {
                let Ok(normal) = Normal::new(mean, sd) else {
                    return mean.clamp(min, max);
                };
                // Rejection keeps the truncated shape exact; the bound on tries only guards
                // against a distribution whose mass lies almost entirely outside its bounds.
                for _ in 0..64 {
                    let x = normal.sample(rng);
                    if (min..=max).contains(&x) {
                        return x;
                    }
                }
                mean.clamp(min, max)
            }
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
            } => match Beta::new(alpha, beta) {
                Ok(b) => min + (max - min) * b.sample(rng),
                Err(_) => min + (max - min) * alpha / (alpha + beta),
            },
            Dist::Triangular { min, mode, max } => match Triangular::new(min, max, mode) {
                Ok(t) => t.sample(rng),
                Err(_) => mode,
            },
        }
        .clamp(self.bounds().0, self.bounds().1)
    }

    fn scaled(&self, f: f64) -> Dist {
        match *self {
            Dist::Uniform { min, max } => Dist::Uniform {
                min: min * f,
                max: max * f,
            },
            Dist::Normal { mean, sd, min, max } => Dist::Normal {
                mean: mean * f,
                sd: sd * f,
                min: min * f,
                max: max * f,
            },
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
            } => Dist::Beta {
                alpha,
                beta,
                min: min * f,
                max: max * f,
            },
            Dist::Triangular { min, mode, max } => Dist::Triangular {
                min: min * f,
                mode: mode * f,
                max: max * f,
            },
        }
    }
}

impl fmt::Display for Dist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Dist::Uniform { min, max } => write!(f, "uniform({min}, {max})"),
            Dist::Normal { mean, sd, min, max } => {
                write!(f, "normal({mean}, sd {sd}) on [{min}, {max}]")
            }
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
            } => write!(f, "beta({alpha}, {beta}) on [{min}, {max}]"),
            Dist::Triangular { min, mode, max } => {
                write!(f, "triangular({min}, {mode}, {max})")
            }
        }
    }
}

/// The most parameters a scenario may hold (a power of two: see `model::ParamValues`). The
/// 28-point plan has 179.
pub const MAX_PARAMS: usize = 512;

/// Index of a parameter in a scenario's [`ParamTable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ParamId(pub u16);

/// One checked parameter.
#[derive(Debug, Clone)]
pub struct ParamSpec {
    /// Dotted path naming the parameter, e.g. `point.6.cap` or `party.russia.personnel`.
    pub path: String,
    /// What it measures.
    pub dim: Dim,
    /// The unit it was written in.
    pub unit: String,
    /// Factor from the written unit to the canonical unit.
    pub factor: f64,
    /// Its default value in canonical units (the mean, when it is a distribution).
    pub value: f64,
    /// Its distribution in canonical units, when it is uncertain.
    pub dist: Option<Dist>,
    /// Its plausible range in canonical units (none for numbers fixed by the text).
    pub range: Option<(f64, f64)>,
    /// True when the text of the agreement fixes it.
    pub fixed: bool,
    /// The source or the reason for it.
    pub source: String,
}

impl ParamSpec {
    /// The default value in the unit the file used.
    pub fn value_in_file_unit(&self) -> f64 {
        self.value / self.factor
    }

    /// The range in the unit the file used.
    pub fn range_in_file_unit(&self) -> Option<(f64, f64)> {
        self.range
            .map(|(lo, hi)| (lo / self.factor, hi / self.factor))
    }

    /// Converts a value written in the file's unit into canonical units.
    pub fn to_canonical(&self, v: f64) -> f64 {
        v * self.factor
    }

    /// Checks a canonical value against the dimension's domain.
    pub fn check(&self, v: f64) -> Result<(), String> {
        check_domain(&self.path, self.dim, v / self.factor, self.factor)
    }

    /// A short human description: value and unit, or the distribution.
    pub fn describe(&self) -> String {
        match &self.dist {
            Some(d) => format!("{} {}", d.scaled(1.0 / self.factor), self.unit),
            None => format!("{} {}", fmt_num(self.value_in_file_unit()), self.unit),
        }
    }
}

/// Formats a number compactly: integers without a fraction, others with up to 6 significant
/// digits.
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.6}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    }
}

fn check_domain(key: &str, dim: Dim, written: f64, factor: f64) -> Result<(), String> {
    if !written.is_finite() {
        return Err(format!(
            "`{key}` must be a finite number, found {written} (NaN and infinity are not allowed)"
        ));
    }
    let (lo, hi) = dim.domain();
    let v = written * factor;
    if v < lo || v > hi {
        return Err(format!(
            "`{key}` must be {}, found {}",
            dim.domain_words(),
            fmt_num(written)
        ));
    }
    Ok(())
}

/// All parameters of a scenario, in the order they were read.
#[derive(Debug, Clone, Default)]
pub struct ParamTable {
    specs: Vec<ParamSpec>,
}

impl ParamTable {
    /// Checks a wire parameter and adds it under `path`. On error returns a message that
    /// names the key (the caller adds file, line and column).
    pub fn add(&mut self, path: &str, dim: Dim, wire: &ParamWire) -> Result<ParamId, String> {
        let spec = compile_param(path, dim, wire)?;
        if self.specs.iter().any(|s| s.path == spec.path) {
            return Err(format!("`{path}` is given twice"));
        }
        if self.specs.len() >= MAX_PARAMS {
            return Err(format!(
                "`{path}` is one parameter too many: a scenario holds at most {MAX_PARAMS}"
            ));
        }
        let id = ParamId(self.specs.len() as u16);
        self.specs.push(spec);
        Ok(id)
    }

    /// The parameter with this id.
    pub fn spec(&self, id: ParamId) -> &ParamSpec {
        &self.specs[id.0 as usize]
    }

    /// All parameters.
    pub fn specs(&self) -> &[ParamSpec] {
        &self.specs
    }

    /// Looks a parameter up by its path.
    pub fn find(&self, path: &str) -> Option<ParamId> {
        self.specs
            .iter()
            .position(|s| s.path == path)
            .map(|i| ParamId(i as u16))
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.specs.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.specs.is_empty()
    }

    /// The default values (canonical units), indexed by [`ParamId`].
    pub fn defaults(&self) -> Vec<f64> {
        self.specs.iter().map(|s| s.value).collect()
    }

    /// Ids of the parameters given as distributions.
    pub fn uncertain(&self) -> Vec<ParamId> {
        (0..self.specs.len())
            .filter(|&i| self.specs[i].dist.is_some())
            .map(|i| ParamId(i as u16))
            .collect()
    }

    /// Replaces a parameter's value (canonical units) for a variant of the scenario; the
    /// parameter stops being uncertain.
    pub fn set_value(&mut self, id: ParamId, value: f64) {
        let s = &mut self.specs[id.0 as usize];
        s.value = value;
        s.dist = None;
    }
}

fn compile_param(path: &str, dim: Dim, w: &ParamWire) -> Result<ParamSpec, String> {
    let factor = dim
        .units()
        .iter()
        .find(|(u, _)| *u == w.unit)
        .map(|(_, f)| *f)
        .ok_or_else(|| {
            let allowed: Vec<_> = dim
                .units()
                .iter()
                .map(|(u, _)| format!("\"{u}\""))
                .collect();
            format!(
                "`{path}` has unit \"{}\", expected one of {}",
                w.unit,
                allowed.join(", ")
            )
        })?;
    let source = match w.source.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => {
            return Err(format!(
                "`{path}` needs a `source`: where the number comes from or the reason for it"
            ));
        }
    };
    let dist_keys = [
        ("min", w.min),
        ("max", w.max),
        ("mode", w.mode),
        ("mean", w.mean),
        ("sd", w.sd),
        ("alpha", w.alpha),
        ("beta", w.beta),
    ];
    for (k, v) in dist_keys {
        if let Some(v) = v
            && !v.is_finite()
        {
            return Err(format!(
                "`{path}.{k}` must be a finite number, found {v} (NaN and infinity are not allowed)"
            ));
        }
    }
    let need = |k: &str, v: Option<f64>| -> Result<f64, String> {
        v.ok_or_else(|| {
            format!(
                "`{path}` is a {} distribution and needs `{k}`",
                w.dist.as_deref().unwrap_or("")
            )
        })
    };
    let (value, dist, range) = match (&w.value, &w.dist) {
        (Some(_), Some(_)) => {
            return Err(format!(
                "`{path}` gives both `value` and `dist`; give one of them"
            ));
        }
        (None, None) => {
            return Err(format!(
                "`{path}` needs a `value` or a `dist` (uniform, normal, beta, triangular)"
            ));
        }
        (Some(v), None) => {
            check_domain(path, dim, *v, factor)?;
            let range = match (w.fixed, w.range) {
                (true, Some(_)) => {
                    return Err(format!(
                        "`{path}` is fixed by the text and cannot have a `range`"
                    ));
                }
                (true, None) => None,
                (false, None) => {
                    return Err(format!(
                        "`{path}` is an assumption and needs a plausible `range = [low, high]` (or `fixed = true` if the agreement's text fixes it)"
                    ));
                }
                (false, Some([lo, hi])) => {
                    check_domain(&format!("{path}.range"), dim, lo, factor)?;
                    check_domain(&format!("{path}.range"), dim, hi, factor)?;
                    if lo > hi {
                        return Err(format!(
                            "`{path}.range` is empty: {} is above {}",
                            fmt_num(lo),
                            fmt_num(hi)
                        ));
                    }
                    if *v < lo || *v > hi {
                        return Err(format!(
                            "`{path}` value {} lies outside its range [{}, {}]",
                            fmt_num(*v),
                            fmt_num(lo),
                            fmt_num(hi)
                        ));
                    }
                    Some((lo * factor, hi * factor))
                }
            };
            (*v * factor, None, range)
        }
        (None, Some(kind)) => {
            if w.fixed {
                return Err(format!(
                    "`{path}` is fixed by the text and cannot be a distribution"
                ));
            }
            if w.range.is_some() {
                return Err(format!(
                    "`{path}` is a distribution: its `min` and `max` are its range, drop `range`"
                ));
            }
            let dist = match kind.as_str() {
                "uniform" => Dist::Uniform {
                    min: need("min", w.min)?,
                    max: need("max", w.max)?,
                },
                "normal" => Dist::Normal {
                    mean: need("mean", w.mean)?,
                    sd: need("sd", w.sd)?,
                    min: need("min", w.min)?,
                    max: need("max", w.max)?,
                },
                "beta" => Dist::Beta {
                    alpha: need("alpha", w.alpha)?,
                    beta: need("beta", w.beta)?,
                    min: w.min.unwrap_or(0.0),
                    max: w.max.unwrap_or(1.0),
                },
                "triangular" => Dist::Triangular {
                    min: need("min", w.min)?,
                    mode: need("mode", w.mode)?,
                    max: need("max", w.max)?,
                },
                other => {
                    return Err(format!(
                        "`{path}` has unknown distribution \"{other}\", expected one of \"uniform\", \"normal\", \"beta\", \"triangular\""
                    ));
                }
            };
            let (lo, hi) = dist.bounds();
            check_domain(&format!("{path}.min"), dim, lo, factor)?;
            check_domain(&format!("{path}.max"), dim, hi, factor)?;
            if lo > hi {
                return Err(format!(
                    "`{path}` has min {} above max {}",
                    fmt_num(lo),
                    fmt_num(hi)
                ));
            }
            match dist {
                Dist::Normal { sd, .. } if sd <= 0.0 => {
                    return Err(format!("`{path}.sd` must be positive"));
                }
                Dist::Beta { alpha, beta, .. } if alpha <= 0.0 || beta <= 0.0 => {
                    return Err(format!("`{path}` needs positive `alpha` and `beta`"));
                }
                Dist::Triangular { min, mode, max } if mode < min || mode > max => {
                    return Err(format!("`{path}.mode` must lie between `min` and `max`"));
                }
                Dist::Normal { mean, min, max, .. } if mean < min || mean > max => {
                    return Err(format!("`{path}.mean` must lie between `min` and `max`"));
                }
                _ => {}
            }
            let dist = dist.scaled(factor);
            (dist.mean(), Some(dist), Some((lo * factor, hi * factor)))
        }
    };
    Ok(ParamSpec {
        path: path.to_string(),
        dim,
        unit: w.unit.clone(),
        factor,
        value,
        dist,
        range,
        fixed: w.fixed,
        source,
    })
}

/// A spanned wire parameter, as fields of scenario wire types hold it.
pub type SpannedParam = Spanned<ParamWire>;

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn wire(value: f64, unit: &str) -> ParamWire {
        ParamWire {
            value: Some(value),
            unit: unit.into(),
            source: Some("test".into()),
            fixed: false,
            range: Some([value, value]),
            dist: None,
            min: None,
            max: None,
            mode: None,
            mean: None,
            sd: None,
            alpha: None,
            beta: None,
            note: None,
        }
    }

    #[test]
    fn a_table_refuses_more_than_max_params_with_a_message_naming_the_key() {
        let mut t = ParamTable::default();
        for i in 0..MAX_PARAMS {
            t.add(&format!("p{i}"), Dim::Duration, &wire(1.0, "days"))
                .unwrap();
        }
        let e = t
            .add("one-more", Dim::Duration, &wire(1.0, "days"))
            .unwrap_err();
        assert!(e.contains("`one-more`") && e.contains("at most 512"), "{e}");
    }

    #[test]
    fn converts_rates_and_durations_to_canonical_units() {
        let mut t = ParamTable::default();
        let r = t.add("r", Dim::Rate, &wire(3.65, "per-year")).unwrap();
        let d = t.add("d", Dim::Duration, &wire(2.0, "years")).unwrap();
        assert!((t.spec(r).value - 0.01).abs() < 1e-12);
        assert_eq!(t.spec(d).value, 730.0);
        assert_eq!(t.spec(d).range, Some((730.0, 730.0)));
    }

    #[test]
    fn refuses_wrong_unit_and_lists_allowed_ones() {
        let mut t = ParamTable::default();
        let e = t
            .add("x", Dim::Rate, &wire(1.0, "per-fortnight"))
            .unwrap_err();
        assert!(
            e.contains("per-fortnight") && e.contains("\"per-year\""),
            "{e}"
        );
    }

    #[test]
    fn refuses_probability_outside_unit_interval_nan_and_negative_counts() {
        let mut t = ParamTable::default();
        let mut w = wire(1.5, "probability");
        w.range = None;
        w.fixed = true;
        let e = t.add("p", Dim::Probability, &w).unwrap_err();
        assert!(e.contains("`p`") && e.contains("[0, 1]"), "{e}");
        w.value = Some(f64::NAN);
        assert!(
            t.add("p", Dim::Probability, &w)
                .unwrap_err()
                .contains("finite")
        );
        w.value = Some(-3.0);
        w.unit = "personnel".into();
        assert!(
            t.add("n", Dim::Count, &w)
                .unwrap_err()
                .contains("non-negative")
        );
    }

    #[test]
    fn assumptions_need_a_range_and_a_source() {
        let mut t = ParamTable::default();
        let mut w = wire(1.0, "utility");
        w.range = None;
        assert!(t.add("u", Dim::Utility, &w).unwrap_err().contains("range"));
        let mut w = wire(1.0, "utility");
        w.source = Some("  ".into());
        assert!(t.add("u", Dim::Utility, &w).unwrap_err().contains("source"));
    }

    #[test]
    fn distributions_draw_within_bounds_and_are_reproducible() {
        let mut t = ParamTable::default();
        let mut w = wire(0.0, "years");
        w.value = None;
        w.range = None;
        w.dist = Some("triangular".into());
        w.min = Some(1.0);
        w.mode = Some(2.0);
        w.max = Some(4.0);
        let id = t.add("d", Dim::Duration, &w).unwrap();
        let dist = t.spec(id).dist.clone().unwrap();
        assert_eq!(dist.bounds(), (365.0, 1460.0));
        let mut a = ChaCha8Rng::seed_from_u64(1);
        let mut b = ChaCha8Rng::seed_from_u64(1);
        let xs: Vec<f64> = (0..1000).map(|_| dist.sample(&mut a)).collect();
        let ys: Vec<f64> = (0..1000).map(|_| dist.sample(&mut b)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().all(|x| (365.0..=1460.0).contains(x)));
        let mean = xs.iter().sum::<f64>() / 1000.0;
        // Mean of triangular(1, 2, 4) years is 7/3 years; 1000 draws give sd ~ 0.02 years.
        assert!((mean / 365.0 - 7.0 / 3.0).abs() < 0.1, "{mean}");
    }

    #[test]
    fn truncated_normal_and_beta_respect_bounds() {
        let n = Dist::Normal {
            mean: 0.5,
            sd: 0.5,
            min: 0.2,
            max: 0.9,
        };
        let b = Dist::Beta {
            alpha: 2.0,
            beta: 5.0,
            min: 10.0,
            max: 20.0,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        for _ in 0..2000 {
            let x = n.sample(&mut rng);
            assert!((0.2..=0.9).contains(&x));
            let y = b.sample(&mut rng);
            assert!((10.0..=20.0).contains(&y));
        }
    }

    #[test]
    fn fixed_numbers_cannot_have_ranges() {
        let mut t = ParamTable::default();
        let mut w = wire(600000.0, "personnel");
        w.fixed = true;
        assert!(t.add("cap", Dim::Count, &w).unwrap_err().contains("fixed"));
        w.range = None;
        assert!(t.add("cap", Dim::Count, &w).is_ok());
    }
}
